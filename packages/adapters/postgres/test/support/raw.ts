/**
 * The conformance kit's raw port for this adapter: plain SQL over a
 * connection of its own, decoding the rows here rather than with the
 * adapter's code, so the kit compares what the adapter says with what the
 * tables hold.
 */
import { type OutboxMessage, Place, type ReadModelDocument, StoredCall, type StoredEvent } from "@community-policing/core"
import { RawStore } from "@community-policing/testkit"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { connect } from "./database.ts"

const decodeCall = Schema.decodeUnknownEffect(Schema.fromJsonString(StoredCall))
const decodePlace = Schema.decodeUnknownEffect(Place)

interface RawEvent {
  readonly tenant_id: string
  readonly stream_id: string
  readonly stream_version: bigint
  readonly global_position: bigint
  readonly event_id: string
  readonly event_type: string
  readonly schema_version: number
  readonly data: Schema.Json
  readonly recorded_at: Date
  readonly actor: string
  readonly command_id: string
  readonly correlation_id: string
  readonly causation_id: string | null
  readonly previous_hash: string
  readonly hash: string
}

interface RawMessage {
  readonly tenant_id: string
  readonly id: string
  readonly topic: string
  readonly payload: Schema.Json
  readonly status: OutboxMessage["status"]
  readonly attempts: number
  readonly max_attempts: number
  readonly available_at: Date
  readonly last_error: string | null
  readonly delivered_at: Date | null
  readonly receiver_id: string | null
}

/** A `RawStore` layer reading the tables of `schema` in the database at `url`. */
export const rawStoreLayer = (url: string, schema = "community_policing"): Layer.Layer<RawStore, unknown> =>
  Layer.effect(
    RawStore,
    Effect.gen(function*() {
      const sql = yield* connect(url)
      const table = (name: string) => sql.literal(`"${schema}".${name}`)
      return RawStore.of({
        events: (tenantId) =>
          Effect.map(
            sql<RawEvent>`
              SELECT tenant_id, stream_id, stream_version, global_position, event_id, event_type, schema_version,
                data, recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash
              FROM ${table("events")} WHERE tenant_id = ${tenantId} ORDER BY global_position`,
            (rows) =>
              rows.map((row): StoredEvent => ({
                tenantId: row.tenant_id,
                streamId: row.stream_id,
                streamVersion: Number(row.stream_version),
                globalPosition: Number(row.global_position),
                eventId: row.event_id,
                eventType: row.event_type,
                schemaVersion: row.schema_version,
                data: row.data,
                recordedAt: DateTime.makeUnsafe(row.recorded_at.getTime()),
                actor: row.actor,
                commandId: row.command_id,
                correlationId: row.correlation_id,
                causationId: row.causation_id,
                previousHash: row.previous_hash,
                hash: row.hash
              }))
          ),
        documents: (tenantId, collection) =>
          Effect.map(
            sql<{ id: string; data: Schema.Json; indexed: ReadModelDocument["indexed"] }>`
              SELECT id, data, indexed FROM ${table("documents")}
              WHERE tenant_id = ${tenantId} AND collection = ${collection}`,
            (rows) => rows.map((row): ReadModelDocument => ({ collection, id: row.id, data: row.data, indexed: row.indexed }))
          ),
        checkpoint: (tenantId, projection) =>
          Effect.map(
            sql<{ position: bigint }>`
              SELECT position FROM ${table("checkpoints")} WHERE tenant_id = ${tenantId} AND projection = ${projection}`,
            ([row]) => (row === undefined ? Option.none() : Option.some(Number(row.position)))
          ),
        outboxMessages: (tenantId) =>
          Effect.map(
            sql<RawMessage>`SELECT * FROM ${table("outbox")} WHERE tenant_id = ${tenantId}`,
            (rows) =>
              rows.map((row): OutboxMessage => ({
                tenantId: row.tenant_id,
                id: row.id,
                topic: row.topic,
                payload: row.payload,
                status: row.status,
                attempts: row.attempts,
                maxAttempts: row.max_attempts,
                availableAt: DateTime.makeUnsafe(row.available_at.getTime()),
                lastError: row.last_error,
                receipt: row.delivered_at === null
                  ? null
                  : { deliveredAt: DateTime.makeUnsafe(row.delivered_at.getTime()), receiverId: row.receiver_id }
              }))
          ),
        calls: (tenantId) =>
          Effect.flatMap(
            // A call's document is JSON text (migration 4).
            sql<{ data: string }>`SELECT data FROM ${table("calls")} WHERE tenant_id = ${tenantId}`,
            (rows) => Effect.forEach(rows, (row) => decodeCall(row.data))
          ),
        places: (tenantId) =>
          Effect.flatMap(
            sql<{ data: unknown }>`SELECT data FROM ${table("places")} WHERE tenant_id = ${tenantId}`,
            (rows) => Effect.forEach(rows, (row) => decodePlace(row.data))
          )
      })
    })
  )
