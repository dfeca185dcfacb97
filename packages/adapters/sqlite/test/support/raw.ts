/**
 * The "raw port" of the SQLite adapter for tests: a second better-sqlite3
 * connection that reads the adapter's tables with plain SQL and decodes the
 * rows itself, sharing no code with the adapter's read paths. What the
 * adapter returns is compared with what this reads.
 */
import { type OutboxMessage, Place, type ReadModelDocument, StoredCall, type StoredEvent } from "@community-policing/core"
import { RawStore } from "@community-policing/testkit"
import Database from "better-sqlite3"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqliteStore } from "../../src/index.ts"

interface EventRecord {
  readonly global_position: number
  readonly tenant_id: string
  readonly stream_id: string
  readonly stream_version: number
  readonly event_id: string
  readonly event_type: string
  readonly schema_version: number
  readonly data: string
  readonly recorded_at: number
  readonly actor: string
  readonly command_id: string
  readonly correlation_id: string
  readonly causation_id: string | null
  readonly previous_hash: string
  readonly hash: string
}

interface MessageRecord {
  readonly tenant_id: string
  readonly id: string
  readonly topic: string
  readonly payload: string
  readonly status: OutboxMessage["status"]
  readonly attempts: number
  readonly max_attempts: number
  readonly available_at: number
  readonly last_error: string | null
  readonly delivered_at: number | null
  readonly receiver_id: string | null
}

/** Opens a read-only connection to a database file the adapter has opened. */
export const openRaw = (filename: string): Database.Database => new Database(filename, { readonly: true, fileMustExist: true })

/** Every event of a tenant, in position order, read straight from the `events` table. */
export const rawEvents = (db: Database.Database, tenantId: string): ReadonlyArray<StoredEvent> =>
  db.prepare<[string], EventRecord>("SELECT * FROM events WHERE tenant_id = ? ORDER BY global_position").all(tenantId).map((row) => ({
    tenantId: row.tenant_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    eventId: row.event_id,
    eventType: row.event_type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data),
    recordedAt: DateTime.makeUnsafe(row.recorded_at),
    actor: row.actor,
    commandId: row.command_id,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    previousHash: row.previous_hash,
    hash: row.hash
  }))

/** Every document of a tenant's collection, read straight from the `documents` table. */
export const rawDocuments = (db: Database.Database, tenantId: string, collection: string): ReadonlyArray<ReadModelDocument> =>
  db.prepare<[string, string], { id: string; data: string; indexed: string }>(
    "SELECT id, data, indexed FROM documents WHERE tenant_id = ? AND collection = ?"
  ).all(tenantId, collection).map((row) => ({
    collection,
    id: row.id,
    data: JSON.parse(row.data),
    indexed: JSON.parse(row.indexed)
  }))

/** A projection's stored checkpoint, if it has a row. */
export const rawCheckpoint = (db: Database.Database, tenantId: string, projection: string): Option.Option<number> =>
  Option.fromUndefinedOr(
    db.prepare<[string, string], number>("SELECT checkpoint FROM projection_checkpoints WHERE tenant_id = ? AND projection = ?")
      .pluck().get(tenantId, projection)
  )

/** Every outbox message of a tenant, read straight from the `outbox_messages` table. */
export const rawOutboxMessages = (db: Database.Database, tenantId: string): ReadonlyArray<OutboxMessage> =>
  db.prepare<[string], MessageRecord>("SELECT * FROM outbox_messages WHERE tenant_id = ? ORDER BY sequence").all(tenantId)
    .map((row) => ({
      tenantId: row.tenant_id,
      id: row.id,
      topic: row.topic,
      payload: JSON.parse(row.payload),
      status: row.status,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      availableAt: DateTime.makeUnsafe(row.available_at),
      lastError: row.last_error,
      receipt: row.delivered_at === null ? null : { deliveredAt: DateTime.makeUnsafe(row.delivered_at), receiverId: row.receiver_id }
    }))

const decodeCall = Schema.decodeUnknownSync(StoredCall)
const decodePlace = Schema.decodeUnknownSync(Place)

/** Every call of a tenant, read straight from the `calls` table and decoded from its JSON. */
export const rawCalls = (db: Database.Database, tenantId: string): ReadonlyArray<StoredCall> =>
  db.prepare<[string], string>("SELECT data FROM calls WHERE tenant_id = ?").pluck().all(tenantId)
    .map((text) => decodeCall(JSON.parse(text)))

/** Every place of a tenant's registry, read straight from the `places` table. */
export const rawPlaces = (db: Database.Database, tenantId: string): ReadonlyArray<Place> =>
  db.prepare<[string], string>("SELECT data FROM places WHERE tenant_id = ?").pluck().all(tenantId)
    .map((text) => decodePlace(JSON.parse(text)))

/**
 * The kit's `raw` option: a RawStore over its own read-only connection to
 * the file the adapter under test opened (found through `SqliteStore`).
 */
export const rawLayer: Layer.Layer<RawStore, never, SqliteStore> = Layer.effect(
  RawStore,
  Effect.gen(function*() {
    const store = yield* SqliteStore
    const db = yield* Effect.acquireRelease(Effect.sync(() => openRaw(store.filename)), (db) => Effect.sync(() => db.close()))
    return RawStore.of({
      events: (tenantId) => Effect.sync(() => rawEvents(db, tenantId)),
      documents: (tenantId, collection) => Effect.sync(() => rawDocuments(db, tenantId, collection)),
      checkpoint: (tenantId, projection) => Effect.sync(() => rawCheckpoint(db, tenantId, projection)),
      outboxMessages: (tenantId) => Effect.sync(() => rawOutboxMessages(db, tenantId)),
      calls: (tenantId) => Effect.try(() => rawCalls(db, tenantId)),
      places: (tenantId) => Effect.try(() => rawPlaces(db, tenantId))
    })
  })
)
