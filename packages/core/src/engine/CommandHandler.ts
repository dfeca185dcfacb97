/**
 * Command handling: authorize what can be decided without the stream, load
 * the stream, authorize again with the resource's attributes, decide, append
 * with the expected version; retry a bounded number of times on a version
 * conflict; handle the same command id once, answering a replay only to the
 * actor who sent it, on the stream it named; answer with the views the
 * actor's audience may see, never raw state.
 *
 * @module
 */
import { randomUUID } from "node:crypto"
import { DateTime, Effect, Option, Result, Schema } from "effect"
import { type AppendResult, EventStore, type EventToAppend, type OutboxMessageToWrite, type StoredEvent } from "../ports/EventStore.ts"
import type { InvalidStoreRequest, StorageFailure, VersionConflict } from "../ports/StoreErrors.ts"
import { Audience } from "../kernel/Role.ts"
import { type AccessDecision, type AccessDenied, AccessPolicy, type AccessRequest, accessDenied } from "./AccessPolicy.ts"
import { type Actor, actorAudience, actorKey } from "./Actor.ts"
import { GENESIS_HASH, hashEvent } from "./AuditChain.ts"
import type { Aggregate, DecisionContext } from "./Decider.ts"
import type { TaggedEvent, UnreadableEvent } from "./EventCatalog.ts"
import { type Clearance, defaultClearance, redact } from "./Redaction.ts"
import { streamId as streamIdOf } from "./StreamId.ts"

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

/**
 * One event of an outcome as its recipient may see it: where it sits and its
 * data redacted for the recipient's audience (see `Redaction`), upcast to the
 * current schema version. The envelope's actor, correlation and hashes are
 * left out: they are for the audit trail, not for the sender.
 */
export const EventView = Schema.Struct({
  eventId: Schema.String,
  eventType: Schema.String,
  streamVersion: Schema.Int,
  globalPosition: Schema.Int,
  recordedAt: Schema.DateTimeUtcFromString,
  /** The event's data as the audience may see it. */
  data: Schema.Json
})

/** One event of an outcome, redacted; see {@link EventView}. */
export type EventView = typeof EventView.Type

/**
 * What handling a command did, as the actor who sent it may see it. Both
 * tags carry only redacted views, for the audience of the actor (by default
 * {@link actorAudience}: a member of the public never receives a personal or
 * confidential field). Server code that needs the raw state reads it with
 * {@link loadStream}.
 *
 * - `Handled`: the command was decided now; `events` are the events it
 *   appended (none when the decider had nothing to record), `view` the
 *   stream's state after them.
 * - `AlreadyHandled`: the same actor sent the same command id for the same
 *   stream before; nothing was appended; `events` are the events appended
 *   then, `view` the stream's current state.
 *
 * A schema, so an application can send it to its client as JSON.
 */
export const CommandOutcome = Schema.Struct({
  _tag: Schema.Literals(["Handled", "AlreadyHandled"]),
  streamId: Schema.String,
  /** Whose view `events` and `view` are. */
  audience: Audience,
  events: Schema.Array(EventView),
  /** The stream's state, redacted for `audience` (the aggregate's state schema, encoded). */
  view: Schema.Json,
  /** The stream's version after the command's events (its current version for `AlreadyHandled`). */
  version: Schema.Int
})

/** What handling a command did; see {@link CommandOutcome}. */
export type CommandOutcome = typeof CommandOutcome.Type

/**
 * The command id was already used by another request: by another actor, or
 * for another stream. Nothing was appended, nothing about the first request
 * is revealed, and the attempt is recorded in the actor's denial stream
 * (rule `replay-by-same-actor-on-same-stream`). Send the command with a new id.
 */
export class CommandIdReused extends Schema.TaggedError<CommandIdReused>()("CommandIdReused", {
  tenantId: Schema.String,
  commandId: Schema.String,
  actor: Schema.String
}) {
  override get message(): string {
    return `Command id ${this.commandId} was already used by another request; send the command with a new id`
  }
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
  /** The audience whose view the outcome carries (default {@link actorAudience}). */
  readonly audience?: ((actor: Actor) => Audience) | undefined
  /** What the working audiences may see (default `defaultClearance`). */
  readonly clearance?: Clearance | undefined
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
  | CommandIdReused
  | ConcurrencyExhausted
  | UnreadableEvent
  | InvalidStoreRequest
  | StorageFailure

/**
 * Reads a stream and folds it with the aggregate's decider, upcasting old
 * events. The raw state, with every personal and confidential field: for
 * server code, never to hand to an actor as is (see {@link CommandOutcome}).
 */
export const loadStream = Effect.fnUntraced(function*<C, E extends TaggedEvent, S, Err>(
  aggregate: Aggregate<C, E, S, Err>,
  tenantId: string,
  streamId: string
): Effect.fn.Return<LoadedStream<E, S>, UnreadableEvent | InvalidStoreRequest | StorageFailure, EventStore> {
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
export interface EventMeta {
  readonly tenantId: string
  readonly streamId: string
  readonly recordedAt: DateTime.Utc
  readonly actor: string
  readonly commandId: string
  readonly correlationId: string
  readonly causationId: string | null
}

/**
 * Numbers and hash-chains encoded events after a stream's head (`version`
 * and `lastHash`; a new stream's are 0 and `GENESIS_HASH`), each with a new
 * event id: the envelopes `EventStore.append` takes.
 */
export const chainEvents = (
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

/** The aggregate type of the streams where denied commands are recorded, one per actor. */
export const ACCESS_DENIALS = "access-denials"

/** The stream where an actor's denied commands are recorded, `access-denials/<actor>` (`streamId`), e.g. `access-denials/Staff:jdoe`. */
export const accessDenialStream = (actor: Actor): string => streamIdOf(ACCESS_DENIALS, actorKey(actor))

/** Why a request was refused, as recorded in the denial stream. */
interface Refusal {
  readonly rule: string
  readonly reason: string
}

/**
 * Records a denial in the actor's denial stream, hash-chained like any
 * stream, retrying on conflicts: failed attempts are audit events too (CJIS
 * Security Policy, policy area 4, auditing and accountability).
 */
const recordDenial = Effect.fnUntraced(function*(
  request: AccessRequest,
  envelope: CommandEnvelope<unknown>,
  refusal: Refusal,
  maxAttempts: number
) {
  const store = yield* EventStore
  const now = yield* DateTime.now
  const streamId = accessDenialStream(request.actor)
  const data = {
    commandId: envelope.commandId,
    action: request.action,
    resource: { type: request.resource.type, id: request.resource.id ?? null, districts: [...(request.resource.districts ?? [])] },
    rule: refusal.rule,
    reason: refusal.reason
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

/** The rule named when a command id is replayed by another actor or for another stream. */
export const REPLAY_RULE = "replay-by-same-actor-on-same-stream"

/**
 * Handles one command against an aggregate:
 * 1. asks the {@link AccessPolicy} to `preauthorize` the action for the actor
 *    and the resource's type and id, before anything is read: an actor no
 *    rule could allow (a member of the public asking for a staff action) is
 *    refused with `AccessDenied` whether or not the resource exists or
 *    reads back;
 * 2. if the command id was handled before: the same actor on the same
 *    stream gets `AlreadyHandled` (after the full authorization of step 4,
 *    so an actor who lost access since is refused); anyone else, or the same
 *    actor naming another stream, gets `CommandIdReused`; nothing is appended;
 * 3. loads and folds the stream;
 * 4. asks the policy to `authorize` with the resource's attributes
 *    (districts);
 * 5. decides, with the time from the effect `Clock`; a refusal fails with
 *    the decider's typed error and changes nothing;
 * 6. appends the events (hash-chained) and their outbox messages with the
 *    expected version and the command id as idempotency key; on a version
 *    conflict, goes back to 3, at most `maxAttempts` times in all.
 *
 * Every refusal of steps 1, 2 and 4 is recorded in the actor's denial stream
 * ({@link accessDenialStream}). The outcome carries only the views of the
 * actor's audience (see {@link CommandOutcome}).
 */
export const handleCommand = Effect.fnUntraced(function*<C, E extends TaggedEvent, S, Err>(
  aggregate: Aggregate<C, E, S, Err>,
  envelope: CommandEnvelope<C>,
  options: HandlerOptions<E, S> = {}
): Effect.fn.Return<CommandOutcome, Err | HandlerError, EventStore | AccessPolicy> {
  const store = yield* EventStore
  const policy = yield* AccessPolicy
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3)
  const { tenantId, commandId, actor } = envelope
  const streamId = aggregate.streamId(envelope.command)
  const audience = (options.audience ?? actorAudience)(actor)
  const clearance = options.clearance ?? defaultClearance

  const deny = Effect.fnUntraced(function*(request: AccessRequest, decision: Extract<AccessDecision, { allowed: false }>) {
    yield* recordDenial(request, envelope, decision, maxAttempts)
    return yield* accessDenied(request, decision)
  })

  const authorizeLoaded = Effect.fnUntraced(function*(state: S) {
    const { action, resource } = aggregate.access(envelope.command, state)
    const request: AccessRequest = { tenantId, actor, action, resource }
    const decision = yield* policy.authorize(request)
    if (!decision.allowed) return yield* deny(request, decision)
  })

  const viewOf = (state: S): Schema.Json => redact(aggregate.state, state, audience, clearance)
  const eventView = (stored: StoredEvent, event: E): EventView => ({
    eventId: stored.eventId,
    eventType: stored.eventType,
    streamVersion: stored.streamVersion,
    globalPosition: stored.globalPosition,
    recordedAt: stored.recordedAt,
    data: redact(aggregate.events.schema, event, audience, clearance)
  })

  // 1. What can be refused without reading anything about the resource.
  const named = aggregate.access(envelope.command, aggregate.decider.initialState)
  const preliminary: AccessRequest = {
    tenantId,
    actor,
    action: named.action,
    resource: { type: named.resource.type, id: named.resource.id }
  }
  const first = yield* policy.preauthorize(preliminary)
  if (!first.allowed) return yield* deny(preliminary, first)

  // 2. A replay is answered only to its sender, on its stream, once authorized again.
  const answerReplay = Effect.fnUntraced(function*(previous: ReadonlyArray<StoredEvent>) {
    const sameStream = previous.length > 0 && previous.every((event) => event.streamId === streamId)
    const sameActor = previous.length > 0 && previous.every((event) => event.actor === actorKey(actor))
    if (!sameStream || !sameActor) {
      yield* recordDenial(preliminary, envelope, {
        rule: REPLAY_RULE,
        reason: sameActor
          ? `the command id was first used for another stream than ${streamId}`
          : "the command id was first used by another actor"
      }, maxAttempts)
      return yield* new CommandIdReused({ tenantId, commandId, actor: actorKey(actor) })
    }
    const loaded = yield* loadStream(aggregate, tenantId, streamId)
    yield* authorizeLoaded(loaded.state)
    const events: Array<EventView> = []
    for (const stored of previous) {
      events.push(eventView(stored, yield* Effect.fromResult(aggregate.events.decode(stored))))
    }
    return { _tag: "AlreadyHandled", streamId, audience, events, view: viewOf(loaded.state), version: loaded.version } as const
  })

  const previous = yield* store.findByIdempotencyKey(tenantId, commandId)
  if (Option.isSome(previous)) return yield* answerReplay(previous.value)

  for (let attempt = 1; ; attempt++) {
    // 3. and 4.
    const loaded = yield* loadStream(aggregate, tenantId, streamId)
    yield* authorizeLoaded(loaded.state)

    // 5.
    const now = yield* DateTime.now
    const context: DecisionContext = { now, actor }
    const decided = aggregate.decider.decide(envelope.command, loaded.state, context)
    if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
    const newEvents = decided.success
    if (newEvents.length === 0) {
      return { _tag: "Handled", streamId, audience, events: [], view: viewOf(loaded.state), version: loaded.version } as const
    }

    // 6.
    let state = loaded.state
    for (const event of newEvents) state = aggregate.decider.evolve(state, event)
    const toAppend = chainEvents(
      {
        tenantId,
        streamId,
        recordedAt: now,
        actor: actorKey(actor),
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
    if (result.value._tag === "Duplicate") return yield* answerReplay(result.value.events)
    const stored = result.value.events
    return {
      _tag: "Handled",
      streamId,
      audience,
      events: stored.map((event, index) => eventView(event, newEvents[index]!)),
      view: viewOf(state),
      version: loaded.version + stored.length
    } as const
  }
})
