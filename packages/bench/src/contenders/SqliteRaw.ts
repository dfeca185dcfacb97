/**
 * The SQLite baseline: better-sqlite3 with nothing around it. The same
 * `events` table as the adapter's migration 1 (columns, STRICT, AUTOINCREMENT
 * and both indexes), the same pragmas, one prepared INSERT run per event
 * inside one transaction per batch; reads are one prepared SELECT per page,
 * rows as arrays (better-sqlite3's cheapest form), and `JSON.parse` of each
 * row's data: the floor under any decoding into objects.
 *
 * It checks no expected version and writes no idempotency key or outbox:
 * it is the floor an adapter's append cannot go below, not an event store.
 *
 * @module
 */
import type { EventToAppend } from "@community-policing/core"
import Database from "better-sqlite3"
import { DateTime } from "effect"
import { type Contender, expectEngine } from "../Contender.ts"
import { PAGE_SIZE, TENANT_ID } from "../Workload.ts"

/** The adapter's `events` table and indexes, as its migration 1 creates them. */
const SCHEMA = [
  `CREATE TABLE events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    command_id TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    causation_id TEXT,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  ) STRICT`,
  "CREATE UNIQUE INDEX events_by_stream ON events (tenant_id, stream_id, stream_version)",
  "CREATE INDEX events_by_position ON events (tenant_id, global_position)"
]

/** The pragmas the adapter sets when it opens a file with its defaults (see its `SqliteStore.ts`). */
const ADAPTER_PRAGMAS = ["journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"]

const COLUMNS = "global_position, tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, " +
  "recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash"

/**
 * A row in better-sqlite3's raw (array) mode, in {@link COLUMNS} order, with
 * `data` parsed in place: the cheapest way the driver hands out rows.
 */
type Row = [
  globalPosition: number,
  tenantId: string,
  streamId: string,
  streamVersion: number,
  eventId: string,
  eventType: string,
  schemaVersion: number,
  data: unknown,
  recordedAt: number,
  actor: string,
  commandId: string,
  correlationId: string,
  causationId: string | null,
  previousHash: string,
  hash: string
]

const open = (file: string): Database.Database => {
  const db = new Database(file)
  for (const pragma of ADAPTER_PRAGMAS) db.pragma(pragma)
  return db
}

export const contender: Contender<ReadonlyArray<EventToAppend>, Row> = {
  openWriter: async (target) => {
    const db = open(expectEngine(target, "sqlite").file)
    for (const statement of SCHEMA) db.exec(statement)
    const insert = db.prepare(
      "INSERT INTO events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, " +
        "recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    const insertBatch = db.transaction((events: ReadonlyArray<EventToAppend>) => {
      for (const event of events) {
        insert.run(
          event.tenantId,
          event.streamId,
          event.streamVersion,
          event.eventId,
          event.eventType,
          event.schemaVersion,
          JSON.stringify(event.data),
          DateTime.toEpochMillis(event.recordedAt),
          event.actor,
          event.commandId,
          event.correlationId,
          event.causationId,
          event.previousHash,
          event.hash
        )
      }
    })
    return {
      prepare: (batch) => batch.events,
      append: async (events) => {
        insertBatch(events)
      },
      close: async () => {
        db.close()
      }
    }
  },
  openReader: async (target) => {
    const db = open(expectEngine(target, "sqlite").file)
    const page = db.prepare<[string, number, number], Row>(
      `SELECT ${COLUMNS} FROM events WHERE tenant_id = ? AND global_position > ? ORDER BY global_position LIMIT ?`
    ).raw()
    return {
      pages: async function*() {
        let after = 0
        while (true) {
          const rows = page.all(TENANT_ID, after, PAGE_SIZE)
          if (rows.length === 0) return
          for (const row of rows) row[7] = JSON.parse(row[7] as string)
          yield rows
          after = rows[rows.length - 1]![0]
        }
      },
      view: (row) => ({
        streamId: row[2],
        streamVersion: row[3],
        globalPosition: row[0],
        eventId: row[4],
        eventType: row[5],
        hash: row[14],
        data: row[7]
      }),
      close: async () => {
        db.close()
      }
    }
  }
}
