/**
 * Reactors: what the system does because something happened. A reactor
 * follows the event store like a projection (the same catch-up loop, events
 * selected by type from event catalogs, a checkpoint in the
 * `ReadModelStore`), and answers each selected event with reactions:
 * commands to other aggregates, sent through `handleCommand`, and outbox
 * messages (a notification, a webhook). Delivery is at least once: the
 * reactions of a page happen before its checkpoint is committed, so after a
 * crash they happen again, and each carries an id derived from the
 * triggering event's id and the reaction's name, so the event store's
 * idempotency turns the repeat into `AlreadyHandled` (a command) or a
 * duplicate append (a message): a replay changes nothing.
 *
 * Time-driven reactions (a deadline a number of days away) are timers: a
 * reaction to an event may schedule a timer under a key (replacing the
 * timer of that key) or cancel one; timers are documents committed with the
 * checkpoint, and each run fires those whose instant the effect `Clock` has
 * passed, once.
 *
 * @module
 */
import { DateTime, Effect, Result, Schema } from "effect"
import { EventStore, type StoredEvent } from "../ports/EventStore.ts"
import { type DocumentKey, type ReadModelDocument, ReadModelStore } from "../ports/ReadModelStore.ts"
import type { AccessPolicy } from "./AccessPolicy.ts"
import { type Actor, actorKey } from "./Actor.ts"
import { GENESIS_HASH } from "./AuditChain.ts"
import { type CatchUp, type CatchUpError, catchUp, type EventSelection } from "./CatchUp.ts"
import { chainEvents, type HandlerError, type HandlerOptions, handleCommand } from "./CommandHandler.ts"
import type { Aggregate } from "./Decider.ts"
import type { TaggedEvent } from "./EventCatalog.ts"
import { documentDecoder, queryDocuments } from "./Projection.ts"
import { streamId as streamIdOf } from "./StreamId.ts"

/** Who and why a reaction is sent for: the ids a reaction's command or message is derived from. */
export interface ReactionContext {
  readonly tenantId: string
  /** The reactor's actor. */
  readonly actor: Actor
  /** The reaction's deterministic id (see {@link reactionId}), used as command id or message id. */
  readonly id: string
  /** The triggering event's correlation id. */
  readonly correlationId: string
  /** The triggering event's id. */
  readonly causationId: string
}

/** What one reaction did. */
export type ReactionResult =
  /** The command was handled now, or the message queued now. */
  | { readonly _tag: "Done" }
  /** A reaction with this id was carried out before (a replay): nothing happened now. */
  | { readonly _tag: "AlreadyDone" }
  /** The command's decider refused it (its typed refusal's tag and message); nothing was written. */
  | { readonly _tag: "Refused"; readonly refusal: string; readonly message: string }

/**
 * A reaction: a command to an aggregate ({@link issueCommand}) or an outbox
 * message ({@link queueMessage}), named within its reactor.
 */
export interface Reaction {
  readonly _tag: "IssueCommand" | "QueueMessage"
  /** The reaction's name within the reactor; part of its deterministic id. */
  readonly name: string
  /** Carries the reaction out. */
  readonly run: (context: ReactionContext) => Effect.Effect<ReactionResult, HandlerError, EventStore | AccessPolicy>
}

/** Schedules (or replaces) the reactor's timer of `key` to fire at `at` with `payload`. */
export interface ScheduleTimer {
  readonly _tag: "ScheduleTimer"
  readonly key: string
  readonly at: DateTime.Utc
  readonly payload: Schema.Json
}

/** Cancels the reactor's timer of `key`, if one is pending. */
export interface CancelTimer {
  readonly _tag: "CancelTimer"
  readonly key: string
}

/** What a reactor answers an event with. */
export type ReactorStep = Reaction | ScheduleTimer | CancelTimer

/** A pending timer whose instant has come. */
export interface DueTimer {
  readonly key: string
  readonly at: DateTime.Utc
  readonly payload: Schema.Json
  /** The event that scheduled it. */
  readonly eventId: string
}

/**
 * A reactor: the events it reacts to (by type, from event catalogs) and
 * what it does for each, and for each timer that comes due.
 */
export interface ReactorDefinition<E extends TaggedEvent> {
  /** The reactor's name: its checkpoint's name and the first part of its reactions' ids. */
  readonly name: string
  /** The catalogs whose events it reacts to; events of other types only move the checkpoint. */
  readonly events: ReadonlyArray<EventSelection<E>>
  /** Who its commands are sent as (the access policy must allow it); by default the system actor named after the reactor. */
  readonly actor?: Actor | undefined
  /** The reactions to one event, in order; pure. */
  readonly react: (event: E, stored: StoredEvent) => ReadonlyArray<ReactorStep>
  /** The reactions to a timer that came due; pure. None if absent. */
  readonly fire?: ((timer: DueTimer) => ReadonlyArray<Reaction>) | undefined
}

/** What one run of a reactor did: the catch-up, and the reactions it carried out. */
export interface ReactorRun extends CatchUp {
  /** Reactions carried out now (commands handled, messages queued). */
  readonly done: number
  /** Reactions found already carried out (replays after a crash or a reset checkpoint). */
  readonly alreadyDone: number
  /** Commands the deciders refused, with the reaction and the triggering event. */
  readonly refused: ReadonlyArray<{ readonly reaction: string; readonly eventId: string; readonly refusal: string; readonly message: string }>
  /** Timers that came due and fired in this run. */
  readonly timersFired: number
}

/** Why a reactor run stopped: the catch-up's errors or a command's handler error (a refusal does not stop it). */
export type ReactorError = CatchUpError | HandlerError

/** A reactor's runner; see {@link makeReactor}. */
export interface Reactor<E extends TaggedEvent> {
  /** What the reactor was built from. */
  readonly definition: ReactorDefinition<E>
  /**
   * Reacts to the tenant's events after the reactor's checkpoint, page by
   * page (`batchSize`, default 500), committing each page's checkpoint and
   * timers after its reactions; then fires the timers whose instant the
   * `Clock` has passed. Safe to run again, after a crash or from a reset
   * checkpoint: nothing is done twice.
   */
  readonly run: (
    tenantId: string,
    options?: { readonly batchSize?: number | undefined }
  ) => Effect.Effect<ReactorRun, ReactorError, EventStore | ReadModelStore | AccessPolicy>
}

/**
 * The deterministic id of a reaction: the reactor, the reaction and the
 * triggering event's id (for a timer, the event that scheduled it and the
 * timer's key). Event ids are random UUIDs, so no outsider can send a
 * command with this id first.
 */
export const reactionId = (reactor: string, reaction: string, eventId: string, timerKey?: string): string =>
  timerKey === undefined ? `${reactor}/${reaction}/${eventId}` : `${reactor}/${reaction}/${eventId}/timer/${timerKey}`

/** The stream recording an outbox message a reaction queued, `reactions/<reaction id>` (`streamId`); one per message, written once. */
export const reactionMessageStream = (id: string): string => streamIdOf("reactions", id)

const handlerErrorTags: ReadonlySet<string> = new Set([
  "AccessDenied",
  "CommandIdReused",
  "ConcurrencyExhausted",
  "UnreadableEvent",
  "InvalidStoreRequest",
  "StorageFailure"
])

const tagOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" ? error._tag : "Refused"

const isHandlerError = (error: unknown): error is HandlerError => handlerErrorTags.has(tagOf(error))

/**
 * A reaction that sends a command to an aggregate through `handleCommand`,
 * with the reaction's id as command id, the reactor's actor, the triggering
 * event's correlation id and its id as causation. A replay is answered
 * `AlreadyHandled` and appends nothing; a refusal by the decider is
 * reported in the run, not retried.
 */
export const issueCommand = <C, E extends TaggedEvent, S, Err>(
  name: string,
  aggregate: Aggregate<C, E, S, Err>,
  command: C,
  options?: HandlerOptions<E, S>
): Reaction => ({
  _tag: "IssueCommand",
  name,
  run: Effect.fnUntraced(function*(context) {
    const handled = yield* Effect.result(handleCommand(aggregate, {
      tenantId: context.tenantId,
      commandId: context.id,
      actor: context.actor,
      command,
      correlationId: context.correlationId,
      causationId: context.causationId
    }, options))
    if (Result.isSuccess(handled)) return handled.success._tag === "Handled" ? { _tag: "Done" } : { _tag: "AlreadyDone" }
    const failure = handled.failure
    if (isHandlerError(failure)) return yield* Effect.fail(failure)
    return {
      _tag: "Refused",
      refusal: tagOf(failure),
      message: failure instanceof Error ? failure.message : String(failure)
    }
  })
})

/**
 * A reaction that queues an outbox message (`topic`, `payload`, at most
 * `maxAttempts` deliveries, default 5) with the reaction's id as message id.
 * The message is written with one `ReactionMessageQueued` event in its own
 * stream ({@link reactionMessageStream}), under the reaction's id as
 * idempotency key, so the event store's outbox commits it exactly once
 * however often the reaction runs.
 */
export const queueMessage = (
  name: string,
  message: { readonly topic: string; readonly payload: Schema.Json; readonly maxAttempts?: number | undefined }
): Reaction => ({
  _tag: "QueueMessage",
  name,
  run: Effect.fnUntraced(function*(context) {
    const store = yield* EventStore
    const now = yield* DateTime.now
    const streamId = reactionMessageStream(context.id)
    const events = chainEvents(
      {
        tenantId: context.tenantId,
        streamId,
        recordedAt: now,
        actor: actorKey(context.actor),
        commandId: context.id,
        correlationId: context.correlationId,
        causationId: context.causationId
      },
      { version: 0, lastHash: GENESIS_HASH },
      [{ eventType: "ReactionMessageQueued", schemaVersion: 1, data: { reaction: name, messageId: context.id, topic: message.topic } }]
    )
    const appended = yield* store.append({
      tenantId: context.tenantId,
      streamId,
      expectedVersion: 0,
      idempotencyKey: context.id,
      events,
      outbox: [{ id: context.id, topic: message.topic, payload: message.payload, maxAttempts: message.maxAttempts ?? 5 }]
    }).pipe(
      // The stream exists only if the message was queued: a racing runner wrote it.
      Effect.catchTag("VersionConflict", () => Effect.succeed({ _tag: "Duplicate" } as const))
    )
    return appended._tag === "Appended" ? { _tag: "Done" } : { _tag: "AlreadyDone" }
  })
})

/** Schedules (or replaces) a timer; see {@link ScheduleTimer}. */
export const scheduleTimer = (key: string, at: DateTime.Utc, payload: Schema.Json = null): ScheduleTimer => ({
  _tag: "ScheduleTimer",
  key,
  at,
  payload
})

/** Cancels a timer; see {@link CancelTimer}. */
export const cancelTimer = (key: string): CancelTimer => ({ _tag: "CancelTimer", key })

const StoredTimer = Schema.Struct({
  key: Schema.String,
  at: Schema.DateTimeUtcFromString,
  payload: Schema.Json,
  eventId: Schema.String,
  correlationId: Schema.String
})
const encodeTimer = Schema.encodeSync(StoredTimer)
const decodeTimer = documentDecoder(StoredTimer, "timer")

/** The read-model collection of a reactor's pending timers, keyed by timer key, indexed by `at` (ISO UTC). */
export const reactorTimerCollection = (reactor: string): string => `${reactor}.timers`

/** Builds a reactor's runner from its definition. */
export const makeReactor = <E extends TaggedEvent>(definition: ReactorDefinition<E>): Reactor<E> => {
  const actor: Actor = definition.actor ?? { _tag: "System", id: definition.name }
  const timers = reactorTimerCollection(definition.name)

  const run = Effect.fnUntraced(function*(
    tenantId: string,
    options: { readonly batchSize?: number | undefined } = {}
  ): Effect.fn.Return<ReactorRun, ReactorError, EventStore | ReadModelStore | AccessPolicy> {
    const readModels = yield* ReadModelStore
    let done = 0
    let alreadyDone = 0
    let timersFired = 0
    const refused: Array<ReactorRun["refused"][number]> = []

    const carryOut = Effect.fnUntraced(function*(reaction: Reaction, context: ReactionContext) {
      const result = yield* reaction.run(context)
      switch (result._tag) {
        case "Done":
          done++
          return
        case "AlreadyDone":
          alreadyDone++
          return
        case "Refused":
          refused.push({ reaction: reaction.name, eventId: context.causationId, refusal: result.refusal, message: result.message })
      }
    })

    const caughtUp = yield* catchUp({
      tenantId,
      checkpointName: definition.name,
      events: definition.events,
      batchSize: options.batchSize,
      page: Effect.fnUntraced(function*(events) {
        const scheduled = new Map<string, ReadModelDocument | undefined>()
        for (const { event, stored } of events) {
          for (const step of definition.react(event, stored)) {
            switch (step._tag) {
              case "ScheduleTimer":
                scheduled.set(step.key, {
                  collection: timers,
                  id: step.key,
                  data: encodeTimer({
                    key: step.key,
                    at: step.at,
                    payload: step.payload,
                    eventId: stored.eventId,
                    correlationId: stored.correlationId
                  }) as Schema.Json,
                  indexed: { at: DateTime.formatIso(step.at) }
                })
                break
              case "CancelTimer":
                scheduled.set(step.key, undefined)
                break
              default:
                yield* carryOut(step, {
                  tenantId,
                  actor,
                  id: reactionId(definition.name, step.name, stored.eventId),
                  correlationId: stored.correlationId,
                  causationId: stored.eventId
                })
            }
          }
        }
        const writes = [...scheduled]
        return {
          upserts: writes.flatMap(([, document]) => (document === undefined ? [] : [document])),
          deletes: writes.flatMap(([key, document]): Array<DocumentKey> => (document === undefined ? [{ collection: timers, id: key }] : []))
        }
      })
    })

    // Timers: fire each whose instant has come, then delete it with the
    // checkpoint unchanged (a crash in between fires it again, to no effect).
    const now = yield* DateTime.now
    const until = DateTime.formatIso(DateTime.add(now, { milliseconds: 1 }))
    const due = yield* queryDocuments(
      tenantId,
      { collection: timers, range: { field: "at", to: until }, orderBy: { field: "at", direction: "asc" } },
      decodeTimer
    )
    for (const timer of due) {
      for (const reaction of definition.fire?.(timer) ?? []) {
        yield* carryOut(reaction, {
          tenantId,
          actor,
          id: reactionId(definition.name, reaction.name, timer.eventId, timer.key),
          correlationId: timer.correlationId,
          causationId: timer.eventId
        })
      }
      yield* readModels.commit(tenantId, {
        projection: definition.name,
        expectedCheckpoint: caughtUp.checkpoint,
        checkpoint: caughtUp.checkpoint,
        upserts: [],
        deletes: [{ collection: timers, id: timer.key }]
      })
      timersFired++
    }
    return { ...caughtUp, done, alreadyDone, refused, timersFired }
  })

  return { definition, run }
}
