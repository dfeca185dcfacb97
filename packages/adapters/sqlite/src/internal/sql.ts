/**
 * The small layer between better-sqlite3 and the ports: running a
 * synchronous database call as an Effect, mapping driver errors onto the
 * ports' error vocabulary, and caching prepared statements.
 *
 * @internal
 */
import { StorageFailure } from "@community-policing/core"
import Database from "better-sqlite3"
import { Effect } from "effect"

/** A better-sqlite3 connection. */
export type Connection = Database.Database

/** A prepared statement of a connection. */
export type Statement = Database.Statement<Array<unknown>, unknown>

/** Whether a thrown value is an error reported by SQLite itself. */
export const isSqliteError = (cause: unknown): cause is InstanceType<typeof Database.SqliteError> =>
  cause instanceof Database.SqliteError

/** Whether SQLite refused a write because it would break a UNIQUE or PRIMARY KEY constraint. */
export const isUniqueViolation = (cause: unknown): boolean =>
  isSqliteError(cause) && (cause.code === "SQLITE_CONSTRAINT_UNIQUE" || cause.code === "SQLITE_CONSTRAINT_PRIMARYKEY")

/** The message of a storage failure: SQLite's result code (SQLITE_BUSY, SQLITE_IOERR_..., ...) and text. */
const describe = (cause: unknown): string =>
  isSqliteError(cause)
    ? `${cause.code}: ${cause.message}`
    : cause instanceof Error
    ? `${cause.name}: ${cause.message}`
    : String(cause)

/**
 * Whether sending the request again may succeed: SQLite could not take a
 * lock another connection holds (SQLITE_BUSY, once the wait is over) or a
 * table is locked by another statement of a shared-cache connection
 * (SQLITE_LOCKED), with their extended codes. Anything else (an I/O error,
 * a full disk, a corrupt or read-only file, a constraint) is not.
 */
export const isRetryable = (cause: unknown): boolean =>
  isSqliteError(cause) && (cause.code.startsWith("SQLITE_BUSY") || cause.code.startsWith("SQLITE_LOCKED"))

/** A driver error as the ports report it: SQLite's words, whether a retry can help, and the error itself. */
export const storageFailure = (operation: string, cause: unknown): StorageFailure =>
  new StorageFailure({ operation, message: describe(cause), retryable: isRetryable(cause), cause })

/**
 * Runs a synchronous database call once. The body throws the port's typed
 * errors (a `VersionConflict`, a `CheckpointConflict`) to abort a
 * transaction, which better-sqlite3 then rolls back; `expected` lets those
 * through unchanged. Anything else thrown (an I/O error, a closed
 * connection, SQLITE_BUSY) becomes a `StorageFailure` naming the operation.
 * Used as is at start-up, where SQLite's busy handler does the waiting; the
 * ports use {@link makeRunner}, which retries busy calls.
 *
 * The call cannot be interrupted half way: it runs to its end in one step of
 * the fiber, which is what keeps a transaction whole.
 */
export const attempt = <A, E = never>(
  operation: string,
  body: () => A,
  expected?: (cause: unknown) => cause is E
): Effect.Effect<A, E | StorageFailure> =>
  Effect.try({
    try: body,
    catch: (cause): E | StorageFailure =>
      expected !== undefined && expected(cause) ? cause : storageFailure(operation, cause)
  })

/** Whether SQLite could not take a lock another connection holds (SQLITE_BUSY and its extended codes). */
export const isBusy = (cause: unknown): boolean => isSqliteError(cause) && cause.code.startsWith("SQLITE_BUSY")

/**
 * Waits on the real timer, not the effect `Clock`: a lock wait is about
 * another process, so a `TestClock` that nobody moves must not stall it.
 */
const realSleep = (millis: number): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

/** Runs a port operation's database call; see {@link makeRunner}. */
export type Run = <A, E = never>(
  operation: string,
  body: () => A,
  expected?: (cause: unknown) => cause is E
) => Effect.Effect<A, E | StorageFailure>

/**
 * {@link attempt}, retried while SQLite reports the database busy, for up to
 * `busyTimeoutMillis`. The connection's own busy timeout is 0 once the store
 * is open, so a call that meets another process's write lock fails at once
 * (before it has changed anything: the lock is taken by `BEGIN IMMEDIATE`,
 * or a read's snapshot at its first step) and the fiber sleeps a moment
 * before trying again. SQLite's own busy handler would instead block the
 * JavaScript thread, every fiber with it, for the whole wait.
 */
export const makeRunner = (busyTimeoutMillis: number): Run =>
<A, E = never>(
  operation: string,
  body: () => A,
  expected?: (cause: unknown) => cause is E
): Effect.Effect<A, E | StorageFailure> =>
  Effect.suspend(() => {
    const deadline = performance.now() + busyTimeoutMillis
    const loop = (delay: number): Effect.Effect<A, E | StorageFailure> =>
      Effect.suspend(() => {
        try {
          return Effect.succeed(body())
        } catch (cause) {
          if (expected !== undefined && expected(cause)) return Effect.fail(cause)
          if (isBusy(cause) && performance.now() < deadline) {
            // Jitter keeps waiting processes from retrying in lockstep; the wait doubles up to 8 ms.
            return Effect.flatMap(realSleep(delay * (0.5 + Math.random())), () => loop(Math.min(delay * 2, 8)))
          }
          return Effect.fail(storageFailure(operation, cause))
        }
      })
    return loop(1)
  })

/**
 * Prepared statements for SQL text that is built per request (read-model
 * queries differ in their joins). The text is assembled only from fixed
 * fragments, never from input, so the number of distinct texts is small;
 * the least recently used statement is dropped past `capacity`.
 */
export const statementCache = (db: Connection, capacity = 128): (sql: string) => Statement => {
  const cache = new Map<string, Statement>()
  return (sql) => {
    const cached = cache.get(sql)
    if (cached !== undefined) {
      // Re-inserting moves the entry to the end of the Map's order: most recently used.
      cache.delete(sql)
      cache.set(sql, cached)
      return cached
    }
    const statement = db.prepare<Array<unknown>, unknown>(sql)
    cache.set(sql, statement)
    if (cache.size > capacity) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    return statement
  }
}

/**
 * The JSON text of a value, or `undefined` when it has none (a bigint, a
 * cycle, `undefined` itself). Values are stored as this text and read back by
 * parsing it, exactly as the memory adapter's copies behave.
 */
export const jsonText = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value)
  } catch {
    // JSON.stringify throws on bigints and cycles: the value is not JSON.
    return undefined
  }
}
