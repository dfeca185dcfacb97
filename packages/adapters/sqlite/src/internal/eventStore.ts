/**
 * The event store over SQLite: one `BEGIN IMMEDIATE` transaction per append
 * holding the idempotency check, the version check, the events, the key and
 * the outbox messages.
 *
 * @internal
 */
import {
  type AppendRequest,
  type AppendResult,
  EventStore,
  InvalidStoreRequest,
  type OutboxMessageToWrite,
  type ReadAllOptions,
  type StorageFailure,
  type StoredEvent,
  VersionConflict
} from "@community-policing/core"
import { Clock, DateTime, Effect, Option } from "effect"
import { type Connection, isUniqueViolation, jsonText, type Run } from "./sql.ts"

const EVENT_COLUMNS = "global_position, tenant_id, stream_id, stream_version, event_id, event_type, schema_version, " +
  "data, recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash"

/** An events row as better-sqlite3 returns it in raw (array) mode, in {@link EVENT_COLUMNS} order. */
export type EventRow = readonly [
  globalPosition: number,
  tenantId: string,
  streamId: string,
  streamVersion: number,
  eventId: string,
  eventType: string,
  schemaVersion: number,
  data: string,
  recordedAt: number,
  actor: string,
  commandId: string,
  correlationId: string,
  causationId: string | null,
  previousHash: string,
  hash: string
]

/** A stored event from its row; every read parses the JSON anew, so callers never share data. */
export const eventFromRow = (row: EventRow): StoredEvent => ({
  tenantId: row[1],
  streamId: row[2],
  streamVersion: row[3],
  globalPosition: row[0],
  eventId: row[4],
  eventType: row[5],
  schemaVersion: row[6],
  data: JSON.parse(row[7]),
  recordedAt: DateTime.makeUnsafe(row[8]),
  actor: row[9],
  commandId: row[10],
  correlationId: row[11],
  causationId: row[12],
  previousHash: row[13],
  hash: row[14]
})

const invalid = (operation: string, reason: string) => new InvalidStoreRequest({ operation, reason })

/** A validated append with its JSON already written out, ready for the transaction. */
interface PreparedAppend {
  readonly request: AppendRequest
  readonly dataTexts: ReadonlyArray<string>
  readonly messages: ReadonlyArray<OutboxMessageToWrite>
  readonly payloadTexts: ReadonlyArray<string>
}

/** The append's JSON written out; the batch is well-formed (`appendRequestProblem` refused it otherwise). */
const prepare = (request: AppendRequest): PreparedAppend | InvalidStoreRequest => {
  const messages = request.outbox ?? []
  // JSON is written out before the transaction opens, so the write lock is held only for the inserts.
  const dataTexts: Array<string> = []
  for (const [index, event] of request.events.entries()) {
    const text = jsonText(event.data)
    if (text === undefined) return invalid("EventStore.append", `event ${index} has no JSON data`)
    dataTexts.push(text)
  }
  const payloadTexts: Array<string> = []
  for (const message of messages) {
    const text = jsonText(message.payload)
    if (text === undefined) return invalid("EventStore.append", `outbox message ${JSON.stringify(message.id)} has no JSON payload`)
    payloadTexts.push(text)
  }
  return { request, dataTexts, messages, payloadTexts }
}

const isAppendError = (cause: unknown): cause is VersionConflict | InvalidStoreRequest =>
  cause instanceof VersionConflict || cause instanceof InvalidStoreRequest

/** The event store service over a connection whose schema is migrated. */
export const makeEventStore = (db: Connection, attempt: Run): EventStore["Service"] => {
  const insertEvent = db.prepare(
    "INSERT INTO events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, " +
      "recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
  )
  // max() over the unique (tenant_id, stream_id, stream_version) index is one index seek.
  const currentVersion = db.prepare<[string, string], number | null>(
    "SELECT max(stream_version) FROM events WHERE tenant_id = ? AND stream_id = ?"
  ).pluck()
  const insertKey = db.prepare(
    "INSERT INTO idempotency_keys (tenant_id, idempotency_key, stream_id, first_version, last_version) VALUES (?, ?, ?, ?, ?)"
  )
  const eventsOfKey = db.prepare<[string, string], EventRow>(
    `SELECT ${EVENT_COLUMNS.split(", ").map((column) => `e.${column}`).join(", ")}
     FROM idempotency_keys AS k
     JOIN events AS e ON e.tenant_id = k.tenant_id AND e.stream_id = k.stream_id
       AND e.stream_version BETWEEN k.first_version AND k.last_version
     WHERE k.tenant_id = ? AND k.idempotency_key = ?
     ORDER BY e.stream_version`
  ).raw()
  const insertMessage = db.prepare(
    "INSERT INTO outbox_messages (tenant_id, id, topic, payload, status, attempts, max_attempts, available_at) " +
      "VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)"
  )
  const streamEvents = db.prepare<[string, string, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE tenant_id = ? AND stream_id = ? AND stream_version >= ? ORDER BY stream_version`
  ).raw()
  const eventsAfter = db.prepare<[string, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE tenant_id = ? AND global_position > ? ORDER BY global_position LIMIT ?`
  ).raw()

  const write = db.transaction((prepared: PreparedAppend, now: number): AppendResult => {
    const { request } = prepared
    if (request.idempotencyKey !== undefined) {
      const first = eventsOfKey.all(request.tenantId, request.idempotencyKey)
      if (first.length > 0) return { _tag: "Duplicate", events: first.map(eventFromRow) }
    }
    // Read under the write lock BEGIN IMMEDIATE took: no other writer can move the stream until COMMIT.
    const actualVersion = currentVersion.get(request.tenantId, request.streamId) ?? 0
    if (actualVersion !== request.expectedVersion) {
      throw new VersionConflict({
        tenantId: request.tenantId,
        streamId: request.streamId,
        expectedVersion: request.expectedVersion,
        actualVersion
      })
    }
    const stored: Array<StoredEvent> = []
    for (let index = 0; index < request.events.length; index++) {
      const event = request.events[index]!
      const recordedAt = DateTime.toUtc(event.recordedAt)
      const { lastInsertRowid } = insertEvent.run(
        event.tenantId,
        event.streamId,
        event.streamVersion,
        event.eventId,
        event.eventType,
        event.schemaVersion,
        prepared.dataTexts[index],
        DateTime.toEpochMillis(recordedAt),
        event.actor,
        event.commandId,
        event.correlationId,
        event.causationId,
        event.previousHash,
        event.hash
      )
      // Only the envelope's fields are returned, as only they are stored. The data is the
      // caller's own (immutable, `Schema.Json`) value rather than a re-parse of its text:
      // a batch's JSON is parsed only when it is read.
      stored.push({
        tenantId: event.tenantId,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        globalPosition: Number(lastInsertRowid),
        eventId: event.eventId,
        eventType: event.eventType,
        schemaVersion: event.schemaVersion,
        data: event.data,
        recordedAt,
        actor: event.actor,
        commandId: event.commandId,
        correlationId: event.correlationId,
        causationId: event.causationId,
        previousHash: event.previousHash,
        hash: event.hash
      })
    }
    if (request.idempotencyKey !== undefined) {
      insertKey.run(request.tenantId, request.idempotencyKey, request.streamId, request.expectedVersion + 1, request.expectedVersion + stored.length)
    }
    for (let index = 0; index < prepared.messages.length; index++) {
      const message = prepared.messages[index]!
      try {
        insertMessage.run(request.tenantId, message.id, message.topic, prepared.payloadTexts[index], message.maxAttempts, now)
      } catch (cause) {
        if (isUniqueViolation(cause)) {
          throw invalid("EventStore.append", `outbox message id ${JSON.stringify(message.id)} is already stored in this tenant`)
        }
        throw cause
      }
    }
    return { _tag: "Appended", events: stored }
  })

  const append = (request: AppendRequest): Effect.Effect<AppendResult, VersionConflict | InvalidStoreRequest | StorageFailure> =>
    Effect.suspend(() => {
      const prepared = prepare(request)
      if (prepared instanceof InvalidStoreRequest) return Effect.fail(prepared)
      const now = prepared.messages.length > 0 ? Clock.currentTimeMillis : Effect.succeed(0)
      return Effect.flatMap(now, (millis) => attempt("EventStore.append", () => write.immediate(prepared, millis), isAppendError))
    })

  const readStream = (tenantId: string, streamId: string, fromVersion?: number) =>
    attempt("EventStore.readStream", () => {
      // A missing or NaN fromVersion means the whole stream.
      const from = typeof fromVersion === "number" && !Number.isNaN(fromVersion) ? fromVersion : 1
      return streamEvents.all(tenantId, streamId, from).map(eventFromRow)
    })

  const readAll = (options: ReadAllOptions) => {
    // One statement reads one snapshot. Positions are handed out under the single write
    // lock and become visible only at COMMIT, in that order, so a snapshot always holds
    // every position up to its newest: there is no gap for a slower writer to fill later.
    return attempt("EventStore.readAll", () => eventsAfter.all(options.tenantId, options.after, options.limit).map(eventFromRow))
  }

  const findByIdempotencyKey = (tenantId: string, idempotencyKey: string) =>
    attempt("EventStore.findByIdempotencyKey", () => {
      const rows = eventsOfKey.all(tenantId, idempotencyKey)
      return rows.length === 0 ? Option.none() : Option.some(rows.map(eventFromRow))
    })

  return EventStore.of({ append, readStream, readAll, findByIdempotencyKey })
}
