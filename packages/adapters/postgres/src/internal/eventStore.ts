/**
 * The event store over PostgreSQL. An append is one SQL statement, so its
 * events, idempotency key and outbox messages commit together or not at all;
 * `take_positions` and `read_all` (see Migrations.ts) give the global order.
 *
 * @internal
 */
import {
  type AppendRequest,
  type AppendResult,
  EventStore,
  type EventToAppend,
  InvalidStoreRequest,
  type OutboxMessageToWrite,
  type ReadAllOptions,
  StorageFailure,
  type StoredEvent,
  VersionConflict
} from "@community-policing/core"
import { Clock, DateTime, Effect, Option, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import type { StoreContext } from "./context.ts"
import { appendAfterWriteState } from "../Migrations.ts"
import { isRefusedData, refusedData, retryRead, sqlState, toStorageFailure, violatedConstraint } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"
import {
  bigint,
  integerArray,
  jsonText,
  text,
  textArray,
  textProblem,
  timestamp,
  timestampArray,
  toNumber
} from "./values.ts"

/** An event row as the driver returns it. */
interface EventRow {
  readonly tenant_id: string
  readonly global_position: bigint
  readonly stream_id: string
  readonly stream_version: bigint
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

/** The event columns, as selected from alias `e`. `transaction_id` is left out: it is the store's business. */
const eventColumns = `e.tenant_id, e.global_position, e.stream_id, e.stream_version, e.event_id, e.event_type,
  e.schema_version, e.data, e.recorded_at, e.actor, e.command_id, e.correlation_id, e.causation_id,
  e.previous_hash, e.hash`

/** A row as the port's `StoredEvent`; the driver already parsed the JSON into a fresh value. */
export const eventFromRow = (row: EventRow): StoredEvent => ({
  tenantId: row.tenant_id,
  streamId: row.stream_id,
  streamVersion: toNumber(row.stream_version),
  globalPosition: toNumber(row.global_position),
  eventId: row.event_id,
  eventType: row.event_type,
  schemaVersion: row.schema_version,
  data: row.data,
  recordedAt: DateTime.makeUnsafe(row.recorded_at),
  actor: row.actor,
  commandId: row.command_id,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  previousHash: row.previous_hash,
  hash: row.hash
})

/** An event ready for the insert: the envelope checked, its data as JSON text. */
interface EncodedEvent {
  readonly event: EventToAppend
  readonly data: string
  readonly recordedAt: number
}

/** An outbox message ready for the insert. */
interface EncodedMessage {
  readonly message: OutboxMessageToWrite
  readonly payload: string
}

const textFields = [
  "eventType",
  "actor",
  "commandId",
  "correlationId",
  "previousHash",
  "hash"
] as const

/**
 * The batch encoded for the insert, or why PostgreSQL cannot hold it. The
 * batch is well-formed (`appendRequestProblem` refused it otherwise); what
 * is left is this store's: JSON data and payloads, envelope text PostgreSQL's
 * `text` cannot keep (NUL, lone surrogates), and `maxAttempts` beyond its
 * `integer` column.
 */
const encodeBatch = (
  request: AppendRequest
): { readonly problem: string } | { readonly events: ReadonlyArray<EncodedEvent>; readonly messages: ReadonlyArray<EncodedMessage> } => {
  const events: Array<EncodedEvent> = []
  for (const [index, event] of request.events.entries()) {
    const data = jsonText(event.data)
    if (data === undefined) return { problem: `event ${index} has no JSON data` }
    for (const field of textFields) {
      const problem = textProblem(event[field])
      if (problem !== undefined) return { problem: `event ${index}: ${field} ${problem}` }
    }
    if (event.causationId !== null) {
      const problem = textProblem(event.causationId)
      if (problem !== undefined) return { problem: `event ${index}: causationId ${problem}` }
    }
    events.push({ event, data, recordedAt: DateTime.toEpochMillis(event.recordedAt) })
  }
  const messages: Array<EncodedMessage> = []
  for (const message of request.outbox ?? []) {
    if (message.maxAttempts > 2_147_483_647) {
      return { problem: `outbox message ${JSON.stringify(message.id)} needs a whole maxAttempts >= 1` }
    }
    const payload = jsonText(message.payload)
    if (payload === undefined) return { problem: `outbox message ${JSON.stringify(message.id)} has no JSON payload` }
    messages.push({ message, payload })
  }
  return { events, messages }
}

/**
 * Whether strings could have been stored at all. Appends refuse NUL and lone
 * surrogates, so a lookup by one finds nothing; sending it would instead fail
 * (NUL) or be rewritten to U+FFFD by the UTF-8 encoder and find another key.
 */
const storable = (...keys: ReadonlyArray<string>): boolean => keys.every((key) => textProblem(key) === undefined)

/** The result row of the append statement. */
interface AppendRow {
  readonly current_version: bigint
  readonly positions: ReadonlyArray<bigint> | null
}

/** The event store service. */
export const makeEventStore = ({ sql, tables }: StoreContext): EventStore["Service"] => {
  const selectEvents = sql.literal(eventColumns)

  const eventsByKey = (tenantId: string, key: string) =>
    sql<EventRow>`
      SELECT ${selectEvents}
      FROM ${tables.idempotencyKeys} k
      JOIN ${tables.events} e
        ON e.tenant_id = k.tenant_id AND e.stream_id = k.stream_id
        AND e.stream_version BETWEEN k.first_version AND k.last_version
      WHERE k.tenant_id = ${tenantId} AND k.idempotency_key = ${key}
      ORDER BY e.stream_version`.pipe(Effect.map((rows) => rows.map(eventFromRow)))

  const currentVersion = (tenantId: string, streamId: string) =>
    Effect.map(
      sql<{ version: bigint }>`
        SELECT coalesce(max(stream_version), 0) AS version FROM ${tables.events}
        WHERE tenant_id = ${tenantId} AND stream_id = ${streamId}`,
      ([row]) => toNumber(row?.version ?? 0)
    )

  /**
   * The whole append as one statement (one implicit transaction). Every
   * write reads from `claim`, so `take_positions` runs before any of them;
   * when the stream is not at the expected version it returns no positions
   * and nothing is written.
   */
  const write = (
    request: AppendRequest,
    events: ReadonlyArray<EncodedEvent>,
    messages: ReadonlyArray<EncodedMessage>,
    now: number
  ) => {
    const tenant = text(request.tenantId)
    const stream = text(request.streamId)
    const expected = bigint(request.expectedVersion)
    const keyInsert = request.idempotencyKey === undefined ? sql.literal("") : sql`,
      recorded_key AS (
        INSERT INTO ${tables.idempotencyKeys} (tenant_id, idempotency_key, stream_id, first_version, last_version)
        SELECT ${tenant}, ${text(request.idempotencyKey)}, ${stream}, ${expected} + 1, ${expected} + ${bigint(events.length)}
        FROM claim WHERE claim.positions IS NOT NULL
      )`
    // Messages are inserted in batch order (ORDER BY ordinality), so write_order follows the batch.
    const messageInsert = messages.length === 0 ? sql.literal("") : sql`,
      written_messages AS (
        INSERT INTO ${tables.outbox} (tenant_id, id, topic, payload, max_attempts, available_at)
        SELECT ${tenant}, m.id, m.topic, m.payload::jsonb, m.max_attempts, ${timestamp(now)}
        FROM claim CROSS JOIN unnest(
          ${textArray(messages.map(({ message }) => message.id))},
          ${textArray(messages.map(({ message }) => message.topic))},
          ${textArray(messages.map(({ payload }) => payload))},
          ${integerArray(messages.map(({ message }) => message.maxAttempts))}
        ) WITH ORDINALITY AS m(id, topic, payload, max_attempts, ordinality)
        WHERE claim.positions IS NOT NULL
        ORDER BY m.ordinality
      )`
    return sql<AppendRow>`
      WITH claim AS (
        SELECT current_version, positions
        FROM ${tables.takePositions}(${tenant}, ${stream}, ${expected}, ${events.length}::integer)
      ),
      appended AS (
        INSERT INTO ${tables.events} (
          tenant_id, global_position, stream_id, stream_version, event_id, event_type, schema_version,
          data, recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash
        )
        SELECT ${tenant}, claim.positions[b.ordinality], ${stream}, ${expected} + b.ordinality,
          b.event_id, b.event_type, b.schema_version, b.data::jsonb, b.recorded_at, b.actor,
          b.command_id, b.correlation_id, b.causation_id, b.previous_hash, b.hash
        FROM claim CROSS JOIN unnest(
          ${textArray(events.map(({ event }) => event.eventId))},
          ${textArray(events.map(({ event }) => event.eventType))},
          ${integerArray(events.map(({ event }) => event.schemaVersion))},
          ${textArray(events.map(({ data }) => data))},
          ${timestampArray(events.map(({ recordedAt }) => recordedAt))},
          ${textArray(events.map(({ event }) => event.actor))},
          ${textArray(events.map(({ event }) => event.commandId))},
          ${textArray(events.map(({ event }) => event.correlationId))},
          ${textArray(events.map(({ event }) => event.causationId))},
          ${textArray(events.map(({ event }) => event.previousHash))},
          ${textArray(events.map(({ event }) => event.hash))}
        ) WITH ORDINALITY AS b(
          event_id, event_type, schema_version, data, recorded_at, actor, command_id, correlation_id,
          causation_id, previous_hash, hash, ordinality
        )
        WHERE claim.positions IS NOT NULL
      )${keyInsert}${messageInsert}
      SELECT current_version, positions FROM claim`
  }

  const duplicateOf = (request: AppendRequest) =>
    request.idempotencyKey === undefined
      ? Effect.succeed(Option.none<AppendResult>())
      : Effect.map(
        eventsByKey(request.tenantId, request.idempotencyKey),
        (events): Option.Option<AppendResult> =>
          events.length === 0 ? Option.none() : Option.some({ _tag: "Duplicate", events })
      )

  const conflict = (request: AppendRequest, actualVersion: number) =>
    new VersionConflict({
      tenantId: request.tenantId,
      streamId: request.streamId,
      expectedVersion: request.expectedVersion,
      actualVersion
    })

  /**
   * A refused write, explained. A recorded idempotency key wins over every
   * other reason: a retried command must get its first result even when its
   * version is stale or its event ids are now taken.
   */
  const explainRefusal = (
    request: AppendRequest,
    error: SqlError
  ): Effect.Effect<AppendResult | "retry", VersionConflict | InvalidStoreRequest | StorageFailure | SqlError> =>
    Effect.gen(function*() {
      if (sqlState(error) === appendAfterWriteState) {
        return yield* new InvalidStoreRequest({
          operation: "EventStore.append",
          reason: "append ran inside a transaction that had already written; the adapter owns its append transactions"
        })
      }
      const constraint = violatedConstraint(error)
      if (constraint === undefined) {
        return yield* isRefusedData(error) ? refusedData("EventStore.append", error) : toStorageFailure("EventStore.append")(error)
      }
      const duplicate = yield* duplicateOf(request)
      if (Option.isSome(duplicate)) return duplicate.value
      switch (constraint) {
        case "events_stream_version_key":
          return yield* conflict(request, yield* currentVersion(request.tenantId, request.streamId))
        case "events_event_id_key":
          return yield* new InvalidStoreRequest({
            operation: "EventStore.append",
            reason: "an event id of the batch is already stored in this tenant"
          })
        case "outbox_pkey":
          return yield* new InvalidStoreRequest({
            operation: "EventStore.append",
            reason: "an outbox message id of the batch is already stored in this tenant"
          })
        case "idempotency_keys_pkey":
          // The key's first batch was there a moment ago and is gone now (an
          // operator pruned old keys): appending again is the right answer.
          return "retry" as const
        default:
          return yield* toStorageFailure("EventStore.append")(error)
      }
    })

  const append = (request: AppendRequest): Effect.Effect<AppendResult, VersionConflict | InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      const encoded = encodeBatch(request)
      if ("problem" in encoded) {
        return yield* new InvalidStoreRequest({ operation: "EventStore.append", reason: encoded.problem })
      }
      const now = yield* Clock.currentTimeMillis
      for (let attempt = 0; ; attempt++) {
        const outcome = yield* write(request, encoded.events, encoded.messages, now).pipe(
          Effect.map(([row]) => ({ row })),
          Effect.catchTag("SqlError", (error) =>
            attempt < 2
              ? Effect.map(explainRefusal(request, error), (refusal) => ({ refusal }))
              : Effect.fail(toStorageFailure("EventStore.append")(error))),
          withSystemClock
        )
        if ("refusal" in outcome) {
          if (outcome.refusal === "retry") continue
          return outcome.refusal
        }
        const positions = outcome.row?.positions ?? null
        if (positions === null) {
          const duplicate = yield* withSystemClock(duplicateOf(request))
          if (Option.isSome(duplicate)) return duplicate.value
          return yield* conflict(request, toNumber(outcome.row?.current_version ?? 0))
        }
        const stored = encoded.events.map(({ event, data, recordedAt }, index): StoredEvent => ({
          tenantId: event.tenantId,
          streamId: event.streamId,
          streamVersion: event.streamVersion,
          globalPosition: toNumber(positions[index]),
          eventId: event.eventId,
          eventType: event.eventType,
          schemaVersion: event.schemaVersion,
          // A fresh copy from the stored text: the caller's object stays the caller's.
          data: JSON.parse(data) as Schema.Json,
          recordedAt: DateTime.makeUnsafe(recordedAt),
          actor: event.actor,
          commandId: event.commandId,
          correlationId: event.correlationId,
          causationId: event.causationId,
          previousHash: event.previousHash,
          hash: event.hash
        }))
        return { _tag: "Appended", events: stored } satisfies AppendResult
      }
    }).pipe(Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("EventStore.append")(error))))

  const readStream = (tenantId: string, streamId: string, fromVersion?: number) => {
    const from = fromVersion === undefined || !(fromVersion > 1) ? 1 : Math.ceil(fromVersion)
    if (!Number.isSafeInteger(from) || !storable(tenantId, streamId)) return Effect.succeed<ReadonlyArray<StoredEvent>>([])
    return sql<EventRow>`
      SELECT ${selectEvents} FROM ${tables.events} e
      WHERE e.tenant_id = ${tenantId} AND e.stream_id = ${streamId} AND e.stream_version >= ${bigint(from)}
      ORDER BY e.stream_version`.pipe(
      retryRead,
      Effect.map((rows) => rows.map(eventFromRow)),
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("EventStore.readStream")(error))),
      withSystemClock
    )
  }

  const readAll = (options: ReadAllOptions) => {
    // Positions are whole numbers, so "after 41.5" is "after 41"; past the
    // bigint range nothing (or everything) qualifies.
    const after = Math.floor(options.after)
    if (after >= Number.MAX_SAFE_INTEGER || !storable(options.tenantId)) return Effect.succeed<ReadonlyArray<StoredEvent>>([])
    return sql<EventRow>`
      SELECT ${selectEvents}
      FROM ${tables.readAll}(${options.tenantId}, ${bigint(Math.max(after, -1))}, ${options.limit}::integer) e
      ORDER BY e.global_position`.pipe(
      retryRead,
      Effect.map((rows) => rows.map(eventFromRow)),
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("EventStore.readAll")(error))),
      withSystemClock
    )
  }

  const findByIdempotencyKey = (tenantId: string, idempotencyKey: string) =>
    !storable(tenantId, idempotencyKey) ? Effect.succeed(Option.none<ReadonlyArray<StoredEvent>>()) : eventsByKey(tenantId, idempotencyKey).pipe(
      retryRead,
      Effect.map((events) => (events.length === 0 ? Option.none() : Option.some(events))),
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("EventStore.findByIdempotencyKey")(error))),
      withSystemClock
    )

  return EventStore.of({ append, readStream, readAll, findByIdempotencyKey })
}
