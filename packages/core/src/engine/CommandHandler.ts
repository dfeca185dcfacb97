/**
 * Command handling: load the stream, authorize, decide, append with the
 * expected version; retry a bounded number of times on a version conflict;
 * handle the same command id once.
 *
 * @module
 */
import { randomUUID } from "node:crypto"
import { DateTime, Effect, Option, Result, Schema } from "effect"
import { type AppendResult, EventStore, type EventToAppend, type OutboxMessageToWrite, type StoredEvent } from "../ports/EventStore.ts"
import type { InvalidStoreRequest, StorageFailure, VersionConflict } from "../ports/StoreErrors.ts"
import { type AccessDenied, AccessPolicy, type AccessRequest, accessDenied } from "./AccessPolicy.ts"
import { type Actor, actorKey } from "./Actor.ts"
import { GENESIS_HASH, hashEvent } from "./AuditChain.ts"
import type { Aggregate, DecisionContext } from "./Decider.ts"
import type { TaggedEvent, UnreadableEvent } from "./EventCatalog.ts"

/** A command with who sent it and the ids that tie it to its request. */
export interface CommandEnvelope<C> {
  readonly tenantId: string
  /** Unique per command; sending the same id again appends nothing new. */
  readonly commandId: string
  readonly actor: Actor
  readonly command: C
  /** Shared by everything done for one request or workflow; the command id when absent. */
  readonly correlationId?: string | undefined
  /** The command or event that caused this command, if any. */
  readonly causationId?: string | undefined
}

/** What handling a command did. */
export interface CommandOutcome<S> {
  /** `AlreadyHandled` when the command id had been handled before: nothing new was appended. */
  readonly _tag: "Handled" | "AlreadyHandled"
  readonly streamId: string
  /** The stored events the command produced (the first time, for `AlreadyHandled`). */
  readonly events: ReadonlyArray<StoredEvent>
  /** The stream's state after them. */
  readonly state: S
  /** The stream's version after them. */
  readonly version: number
}

/**
 * Version conflicts persisted through every attempt: the stream is too busy,
 * or something keeps writing to it. Nothing was appended.
 */
export class ConcurrencyExhausted extends Schema.TaggedError<ConcurrencyExhausted>()("ConcurrencyExhausted", {
  tenantId: Schema.String,
  streamId: Schema.String,
  attempts: Schema.Number
}) {}

/** How a command is handled. */
export interface HandlerOptions<E, S> {
  /** Attempts before `ConcurrencyExhausted` (default 3). */
  readonly maxAttempts?: number | undefined
  /** Outbox messages to commit with the events (notifications, webhooks). */
  readonly outbox?: ((events: ReadonlyArray<E>, state: S) => ReadonlyArray<OutboxMessageToWrite>) | undefined
}

/** A stream loaded and folded. */
export interface LoadedStream<E, S> {
  readonly events: ReadonlyArray<E>
  readonly state: S
  readonly version: number
  readonly lastHash: string
}

/** Everything that can go wrong handling a command, besides the decider's own refusals. */
export type HandlerError =
  | AccessDenied
  | ConcurrencyExhausted
  | UnreadableEvent
  | InvalidStoreRequest
  | StorageFailure

/** Reads a stream and folds it with the aggregate's decider, upcasting old events. */
export const loadStream = Effect.fnUntraced(function*<C, E extends TaggedEvent, S, Err>(
  aggregate: Aggregate<C, E, S, Err>,
  tenantId: string,
  streamId: string
): Effect.fn.Return<LoadedStream<E, S>, UnreadableEvent | StorageFailure, EventStore> {
  const store = yield* EventStore
  const stored = yield* store.readStream(tenantId, streamId)
  const events: Array<E> = []
  let state = aggregate.decider.initialState
  for (const event of stored) {
    const decoded = yield* Effect.fromResult(aggregate.events.decode(event))
    events.push(decoded)
    state = aggregate.decider.evolve(state, decoded)
  }
  const last = stored[stored.length - 1]
  return { events, state, version: last?.streamVersion ?? 0, lastHash: last?.hash ?? GENESIS_HASH }
})

/** Envelope metadata shared by the events of one command. */
interface EventMeta {
  readonly tenantId: string
  readonly streamId: string
  readonly recordedAt: DateTime.Utc
  readonly actor: string
  readonly commandId: string
  readonly correlationId: string
  readonly causationId: string | null
}

/** Numbers and hash-chains encoded events after a stream's head. */
const chainEvents = (
  meta: EventMeta,
  head: { readonly version: number; readonly lastHash: string },
  encoded: ReadonlyArray<{ readonly eventType: string; readonly schemaVersion: number; readonly data: Schema.Json }>
): ReadonlyArray<EventToAppend> => {
  let previousHash = head.lastHash
  return encoded.map((event, index) => {
    const fields = { ...meta, ...event, streamVersion: head.version + index + 1, eventId: randomUUID(), previousHash }
    const hash = hashEvent(fields)
    previousHash = hash
    return { ...fields, hash }
  })
}

/** The stream where an actor's denied commands are recorded. */
export const accessDenialStream = (actor: Actor): string => `access-denials/${actorKey(actor)}`

/**
 * Records a denial in the actor's denial stream, hash-chained like any
 * stream, retrying on conflicts: failed attempts are audit events too (CJIS
 * Security Policy, policy area 4, auditing and accountability).
 */
const recordDenial = Effect.fnUntraced(function*(
  request: AccessRequest,
  envelope: CommandEnvelope<unknown>,
  error: AccessDenied,
  now: DateTime.Utc,
  maxAttempts: number
) {
  const store = yield* EventStore
  const streamId = accessDenialStream(request.actor)
  const data = {
    commandId: envelope.commandId,
    action: error.action,
    resource: { type: request.resource.type, id: request.resource.id ?? null, districts: [...(request.resource.districts ?? [])] },
    rule: error.rule,
    reason: error.reason
  }
  for (let attempt = 1; ; attempt++) {
    const stored = yield* store.readStream(request.tenantId, streamId)
    const last = stored[stored.length - 1]
    const events = chainEvents(
      {
        tenantId: request.tenantId,
        streamId,
        recordedAt: now,
        actor: actorKey(request.actor),
        commandId: envelope.commandId,
        correlationId: envelope.correlationId ?? envelope.commandId,
        causationId: envelope.causationId ?? null
      },
      { version: last?.streamVersion ?? 0, lastHash: last?.hash ?? GENESIS_HASH },
      [{ eventType: "AccessDenied", schemaVersion: 1, data }]
    )
    const appended = yield* store.append({
      tenantId: request.tenantId,
      streamId,
      expectedVersion: last?.streamVersion ?? 0,
      events
    }).pipe(
      Effect.map(Option.some<AppendResult>),
      Effect.catchTag("VersionConflict", (conflict) =>
        attempt < maxAttempts
          ? Effect.succeed(Option.none<AppendResult>())
          : Effect.fail(new ConcurrencyExhausted({ tenantId: conflict.tenantId, streamId, attempts: attempt })))
    )
    if (Option.isSome(appended)) return
  }
})

/**
 * Handles one command against an aggregate:
 * 1. if the command id was handled before, returns that outcome
 *    (`AlreadyHandled`) and appends nothing;
 * 2. loads and folds the stream;
 * 3. asks the {@link AccessPolicy}; a denial is recorded in the actor's
 *    denial stream and fails with `AccessDenied`;
 * 4. decides, with the time from the effect `Clock`; a refusal fails with
 *    the decider's typed error and changes nothing;
 * 5. appends the events (hash-chained) and their outbox messages with the
 *    expected version and the command id as idempotency key; on a version
 *    conflict, goes back to 2, at most `maxAttempts` times in all.
 */
export const handleCommand = Effect.fnUntraced(function*<C, E extends TaggedEvent, S, Err>(
  aggregate: Aggregate<C, E, S, Err>,
  envelope: CommandEnvelope<C>,
  options: HandlerOptions<E, S> = {}
): Effect.fn.Return<CommandOutcome<S>, Err | HandlerError, EventStore | AccessPolicy> {
  const store = yield* EventStore
  const policy = yield* AccessPolicy
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3)
  const { tenantId, commandId } = envelope
  const streamId = aggregate.streamId(envelope.command)

  const alreadyHandled = Effect.fnUntraced(function*(events: ReadonlyArray<StoredEvent>) {
    const loaded = yield* loadStream(aggregate, tenantId, streamId)
    return { _tag: "AlreadyHandled", streamId, events, state: loaded.state, version: loaded.version } as const
  })

  const previous = yield* store.findByIdempotencyKey(tenantId, commandId)
  if (Option.isSome(previous)) return yield* alreadyHandled(previous.value)

  for (let attempt = 1; ; attempt++) {
    const loaded = yield* loadStream(aggregate, tenantId, streamId)
    const now = yield* DateTime.now
    const { action, resource } = aggregate.access(envelope.command, loaded.state)
    const request: AccessRequest = { tenantId, actor: envelope.actor, action, resource }
    const decision = yield* policy.authorize(request)
    if (!decision.allowed) {
      const error = accessDenied(request, decision)
      yield* recordDenial(request, envelope, error, now, maxAttempts)
      return yield* error
    }

    const context: DecisionContext = { now, actor: envelope.actor }
    const decided = aggregate.decider.decide(envelope.command, loaded.state, context)
    if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
    const newEvents = decided.success
    if (newEvents.length === 0) {
      return { _tag: "Handled", streamId, events: [], state: loaded.state, version: loaded.version } as const
    }

    let state = loaded.state
    for (const event of newEvents) state = aggregate.decider.evolve(state, event)
    const toAppend = chainEvents(
      {
        tenantId,
        streamId,
        recordedAt: now,
        actor: actorKey(envelope.actor),
        commandId,
        correlationId: envelope.correlationId ?? commandId,
        causationId: envelope.causationId ?? null
      },
      loaded,
      newEvents.map(aggregate.events.encode)
    )
    const result = yield* store.append({
      tenantId,
      streamId,
      expectedVersion: loaded.version,
      idempotencyKey: commandId,
      events: toAppend,
      outbox: options.outbox?.(newEvents, state)
    }).pipe(
      Effect.map(Option.some<AppendResult>),
      Effect.catchTag("VersionConflict", (conflict: VersionConflict) =>
        attempt < maxAttempts
          ? Effect.succeed(Option.none<AppendResult>())
          : Effect.fail(new ConcurrencyExhausted({ tenantId: conflict.tenantId, streamId, attempts: attempt })))
    )
    if (Option.isNone(result)) continue
    if (result.value._tag === "Duplicate") return yield* alreadyHandled(result.value.events)
    const events = result.value.events
    return { _tag: "Handled", streamId, events, state, version: loaded.version + events.length } as const
  }
})
