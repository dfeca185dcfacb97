/**
 * The PostgreSQL baseline: @effect/sql-pg with nothing around it. The same
 * `events` table as the adapter's migration 1 (columns, types, collations and
 * constraints; positions from a sequence as a column default), one
 * multi-row INSERT per batch inside one transaction; reads are one SELECT per
 * page, the driver decoding `jsonb` with `JSON.parse`.
 *
 * It checks no expected version, takes no lock and writes no idempotency key
 * or outbox: it is the floor an adapter's append cannot go below.
 *
 * @module
 */
import type { EventToAppend } from "@community-policing/core"
import { PgClient } from "@effect/sql-pg"
import { Array as Arr, DateTime, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { type Contender, expectEngine } from "../Contender.ts"
import { PAGE_SIZE, TENANT_ID } from "../Workload.ts"

const SCHEMA = [
  "CREATE SEQUENCE event_position AS bigint CACHE 1",
  `CREATE TABLE events (
    tenant_id text COLLATE "C" NOT NULL,
    global_position bigint NOT NULL DEFAULT nextval('event_position'),
    stream_id text COLLATE "C" NOT NULL,
    stream_version bigint NOT NULL,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id text COLLATE "C" NOT NULL,
    event_type text NOT NULL,
    schema_version integer NOT NULL,
    data jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    actor text NOT NULL,
    command_id text NOT NULL,
    correlation_id text NOT NULL,
    causation_id text,
    previous_hash text NOT NULL,
    hash text NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (tenant_id, global_position),
    CONSTRAINT events_stream_version_key UNIQUE (tenant_id, stream_id, stream_version),
    CONSTRAINT events_event_id_key UNIQUE (tenant_id, event_id),
    CONSTRAINT events_stream_version_check CHECK (stream_version >= 1)
  )`
]

/** Every column but `transaction_id` (the driver has no decoder for `xid8`, and readers do not need it). */
const COLUMNS = "tenant_id, global_position, stream_id, stream_version, event_id, event_type, schema_version, data, " +
  "recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash"

interface Row {
  readonly tenant_id: string
  readonly global_position: bigint
  readonly stream_id: string
  readonly stream_version: bigint
  readonly event_id: string
  readonly event_type: string
  readonly schema_version: number
  readonly data: unknown
  readonly recorded_at: Date
  readonly actor: string
  readonly command_id: string
  readonly correlation_id: string
  readonly causation_id: string | null
  readonly previous_hash: string
  readonly hash: string
}

/** A client on one pooled connection, as a plain object usable outside Effect code. */
const connect = async (url: string) => {
  const runtime = ManagedRuntime.make(
    PgClient.layer({ url: Redacted.make(url), maxConnections: 1 }).pipe(Layer.orDie)
  )
  const sql = await runtime.runPromise(Effect.gen(function*() {
    return yield* PgClient.PgClient
  }))
  return { sql, close: () => runtime.dispose() }
}

export const contender: Contender<ReadonlyArray<EventToAppend>, Row> = {
  openWriter: async (target) => {
    const { sql, close } = await connect(expectEngine(target, "postgres").url)
    for (const statement of SCHEMA) await Effect.runPromise(sql.unsafe(statement))
    return {
      prepare: (batch) => batch.events,
      append: async (events) => {
        const rows = events.map((event) => ({
          tenant_id: event.tenantId,
          stream_id: event.streamId,
          stream_version: event.streamVersion,
          event_id: event.eventId,
          event_type: event.eventType,
          schema_version: event.schemaVersion,
          data: JSON.stringify(event.data),
          recorded_at: new Date(DateTime.toEpochMillis(event.recordedAt)),
          actor: event.actor,
          command_id: event.commandId,
          correlation_id: event.correlationId,
          causation_id: event.causationId,
          previous_hash: event.previousHash,
          hash: event.hash
        }))
        if (!Arr.isArrayNonEmpty(rows)) return
        await Effect.runPromise(sql.withTransaction(sql`INSERT INTO events ${sql.insert(rows)}`))
      },
      close
    }
  },
  openReader: async (target) => {
    const { sql, close } = await connect(expectEngine(target, "postgres").url)
    return {
      pages: async function*() {
        let after = 0n
        while (true) {
          const rows = await Effect.runPromise(sql<Row>`
            SELECT ${sql.literal(COLUMNS)} FROM events WHERE tenant_id = ${TENANT_ID} AND global_position > ${after}
            ORDER BY global_position LIMIT ${PAGE_SIZE}`)
          if (rows.length === 0) return
          yield rows
          after = rows[rows.length - 1]!.global_position
        }
      },
      view: (row) => ({
        streamId: row.stream_id,
        streamVersion: Number(row.stream_version),
        globalPosition: Number(row.global_position),
        eventId: row.event_id,
        eventType: row.event_type,
        hash: row.hash,
        data: row.data
      }),
      close
    }
  }
}
