/**
 * Opening a store's database: the connection, its pragmas and the schema
 * check or migration, retried as a whole while SQLite reports the database
 * busy. SQLite's busy handler waits for most locks, but not for all: when
 * waiting could deadlock (two connections that both read the new file and
 * then both want to write, as two processes opening and migrating it at
 * once do), or while another connection recovers or checkpoints the WAL,
 * it answers SQLITE_BUSY at once. The ports already retry such calls for
 * up to `busyTimeoutMillis`; opening does the same.
 *
 * @internal
 */
import type { StorageFailure } from "@community-policing/core"
import Database from "better-sqlite3"
import { Clock, Effect } from "effect"
import { applyMigrations, assertLatestSchema } from "../Migrations.ts"
import { makeRunner } from "./sql.ts"

/** What opening needs to know. */
export interface OpenOptions {
  readonly filename: string
  readonly migrate: boolean
  readonly busyTimeoutMillis: number
  readonly synchronous: "FULL" | "NORMAL"
}

/** Opens a connection; tests pass their own to control SQLite's busy handler. */
export type Connect = (filename: string, busyTimeoutMillis: number) => Database.Database

// `timeout` sets SQLite's busy_timeout before anything else runs, so even switching
// a brand-new file to WAL, or migrating it, waits for a second process doing the same.
const connect: Connect = (filename, busyTimeoutMillis) => new Database(filename, { timeout: busyTimeoutMillis })

/** One attempt: connect, set the pragmas, migrate or check the schema; the connection is closed if any of it throws. */
const openOnce = (options: OpenOptions, nowMillis: number, open: Connect): Database.Database => {
  const db = open(options.filename, options.busyTimeoutMillis)
  try {
    // Pragmas take no parameters; both values here were checked against fixed lists or as integers.
    db.pragma("journal_mode = WAL")
    db.pragma(`synchronous = ${options.synchronous}`)
    db.pragma("foreign_keys = ON")
    if (options.migrate) applyMigrations(db, nowMillis)
    else assertLatestSchema(db)
    return db
  } catch (cause) {
    db.close()
    throw cause
  }
}

/**
 * Opens the database ready for the ports, trying again (on a new
 * connection) while SQLite reports it busy, until `busyTimeoutMillis` has
 * passed since the first try; then, or on any other error, fails with a
 * `StorageFailure` carrying SQLite's code and message.
 */
export const openDatabase = (options: OpenOptions, open: Connect = connect): Effect.Effect<Database.Database, StorageFailure> =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (now) => makeRunner(options.busyTimeoutMillis)("SqliteStore.make", () => openOnce(options, now, open))
  )
