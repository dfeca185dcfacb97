/**
 * The event store port: append-only streams of events per tenant, with
 * optimistic concurrency, idempotent appends, outbox messages written in the
 * same transaction, and a global order for projections.
 *
 * @module
 */
import { type Effect, type Option, Context, Schema } from "effect"
import type { InvalidStoreRequest, StorageFailure, VersionConflict } from "./StoreErrors.ts"

/**
 * One event as stored: the domain event's type, schema version and JSON data,
 * wrapped in the envelope that says where it lives, who caused it and how it
 * chains to the event before it.
 */
export const StoredEvent = Schema.Struct({
  /** The jurisdiction (tenant) the event belongs to. Part of every key. */
  tenantId: Schema.NonEmptyString,
  /** The stream (one aggregate instance), e.g. `nuisance-case/2026-0001` (see the engine's `streamId`). */
  streamId: Schema.NonEmptyString,
  /** Position in the stream, starting at 1, without gaps. */
  streamVersion: Schema.Int,
  /** Position in the tenant-wide order assigned at commit; increasing, possibly with gaps. */
  globalPosition: Schema.Int,
  /** Unique id of this event. */
  eventId: Schema.NonEmptyString,
  /** The event's type tag, e.g. `NoticeOfViolationServed`. */
  eventType: Schema.NonEmptyString,
  /** Version of the event's schema the data was written with (see `EventCatalog`). */
  schemaVersion: Schema.Int,
  /** The event's data, JSON-encoded by its schema. */
  data: Schema.Json,
  /** When the command that produced it was handled. */
  recordedAt: Schema.DateTimeUtcFromString,
  /** Who issued the command, as `actorKey(actor)`. */
  actor: Schema.String,
  /** Id of the command that produced the event. */
  commandId: Schema.String,
  /** Id shared by everything done for one request or workflow. */
  correlationId: Schema.String,
  /** Id of the command or event that directly caused this one, if any. */
  causationId: Schema.NullOr(Schema.String),
  /** `hash` of the previous event in the stream; 64 zeros for the first. */
  previousHash: Schema.String,
  /** SHA-256 of `previousHash` and the canonical encoding of this event (see `AuditChain`). */
  hash: Schema.String
})

/** One event as stored; see {@link StoredEvent}. */
export type StoredEvent = typeof StoredEvent.Type

/** An event ready to append: a {@link StoredEvent} before the store gives it a global position. */
export type EventToAppend = Omit<StoredEvent, "globalPosition">

/**
 * A message to deliver after the events commit (a webhook, an email), written
 * in the same transaction as the events (the transactional outbox).
 */
export interface OutboxMessageToWrite {
  /** Unique id of the message within the tenant. */
  readonly id: string
  /** Which consumer handles it, e.g. `email` or `webhook:records-system`. */
  readonly topic: string
  /** What the consumer needs, as JSON. */
  readonly payload: Schema.Json
  /** How many deliveries are tried before the message is dead-lettered. At least 1. */
  readonly maxAttempts: number
}

/** A batch append to one stream. */
export interface AppendRequest {
  readonly tenantId: string
  readonly streamId: string
  /**
   * The stream's current version as the writer last saw it: 0 for a stream
   * that must not exist yet. The append fails with `VersionConflict` if the
   * stream has moved on.
   */
  readonly expectedVersion: number
  /**
   * When set, the store records it with the batch, atomically; a later append
   * with the same key in the same tenant writes nothing and returns the
   * events first written under it (`Duplicate`). The engine passes the
   * command id, which makes command handling idempotent.
   */
  readonly idempotencyKey?: string | undefined
  /** Events with `streamVersion` expectedVersion+1, +2, ... in order. At least one. */
  readonly events: ReadonlyArray<EventToAppend>
  /** Messages to commit with the events. */
  readonly outbox?: ReadonlyArray<OutboxMessageToWrite> | undefined
}

/** What an append did. */
export type AppendResult =
  /** The batch was written; these are the stored events with their positions. */
  | { readonly _tag: "Appended"; readonly events: ReadonlyArray<StoredEvent> }
  /** The idempotency key was already used; nothing was written; these are the events written then. */
  | { readonly _tag: "Duplicate"; readonly events: ReadonlyArray<StoredEvent> }

/** Options for reading the events after a global position. */
export interface ReadAllOptions {
  readonly tenantId: string
  /** Return events with a global position strictly greater than this (0 for all). */
  readonly after: number
  /** At most this many events (1 to 10,000). */
  readonly limit: number
}

/**
 * The event store port.
 *
 * Contract (checked by `@community-policing/testkit`):
 * - **Atomic batches.** `append` writes all of its events and outbox messages,
 *   or nothing. A crash mid-append leaves no partial batch.
 * - **Optimistic concurrency.** `append` succeeds only if the stream's current
 *   version equals `expectedVersion` (0 when the stream does not exist);
 *   otherwise it fails with `VersionConflict` and writes nothing. Among
 *   concurrent appends with the same expected version exactly one succeeds.
 *   `(tenantId, streamId, streamVersion)` is unique.
 * - **Well-formed batches.** An empty batch, events whose `tenantId` or
 *   `streamId` differ from the request's, or whose `streamVersion`s are not
 *   `expectedVersion + 1, + 2, ...` fail with `InvalidStoreRequest`.
 * - **Idempotency.** With an `idempotencyKey` already recorded for the
 *   tenant, `append` writes nothing and returns `Duplicate` with the events
 *   of the first append, even when the two race.
 * - **Stream reads.** `readStream` returns the stream's events in version
 *   order from `fromVersion` (default 1); an unknown stream is empty.
 * - **Global order.** Every event gets a `globalPosition`, unique in the
 *   tenant and increasing with commit order across streams. `readAll` returns
 *   events after a position in position order, and **never** later returns an
 *   event with a smaller position than one it has already returned: an event
 *   whose transaction is still open must hold back readers rather than be
 *   skipped (the sequence-gap problem of SQL databases).
 * - **Faithful storage.** Every field, including arbitrary JSON data,
 *   unicode, large payloads and hostile strings, reads back exactly as
 *   written, code unit for code unit (no normalization). The portable JSON
 *   every adapter must hold: strings of well-formed Unicode without U+0000
 *   (what PostgreSQL's `jsonb` can hold); `-0` may read back as `0`.
 * - **Tenant isolation.** Nothing written for one tenant is visible, or
 *   conflicts, in another: the tenant id leads every key.
 * - **Tenant ids** are keys (`StoreLimits`): non-empty portable text of at
 *   most 256 UTF-8 bytes. Every operation of every port, reads included,
 *   refuses another tenant id with `InvalidStoreRequest` (reason
 *   `tenantId is empty`, ...; see `tenantIdRefusal`) and does nothing.
 * - **Keys** (`StoreLimits`): the stream id, idempotency key, event ids and
 *   outbox message ids and topics are non-empty portable text of at most
 *   1,024 UTF-8 bytes; an append breaking that fails with
 *   `InvalidStoreRequest` naming the key (`appendKeysProblem`) and writes
 *   nothing, and a read by such a key finds nothing.
 */
export class EventStore extends Context.Service<EventStore, {
  /** Appends a batch to one stream; see the contract above. */
  readonly append: (
    request: AppendRequest
  ) => Effect.Effect<AppendResult, VersionConflict | InvalidStoreRequest | StorageFailure>
  /** The events of one stream in version order, from `fromVersion` (default 1). */
  readonly readStream: (
    tenantId: string,
    streamId: string,
    fromVersion?: number
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, InvalidStoreRequest | StorageFailure>
  /** The events of a tenant after a global position, in position order. */
  readonly readAll: (
    options: ReadAllOptions
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, InvalidStoreRequest | StorageFailure>
  /** The events first appended under an idempotency key, if the key was used. */
  readonly findByIdempotencyKey: (
    tenantId: string,
    idempotencyKey: string
  ) => Effect.Effect<Option.Option<ReadonlyArray<StoredEvent>>, InvalidStoreRequest | StorageFailure>
}>()("@community-policing/core/EventStore") {}
