/**
 * Driver errors mapped onto the ports' typed errors.
 *
 * @internal
 */
import { InvalidStoreRequest, StorageFailure } from "@community-policing/core"
import { Cause, Effect, Option, Result, Schedule } from "effect"
import { isSqlError, type SqlError } from "effect/sql/SqlError"

/** The SQLSTATE code PostgreSQL reported, when the error came from the server. */
export const sqlState = (error: SqlError): string | undefined => {
  const cause: unknown = error.reason.cause
  if (typeof cause !== "object" || cause === null || !("code" in cause)) return undefined
  return typeof cause.code === "string" ? cause.code : undefined
}

/** The constraint a unique violation broke, e.g. `events_stream_version_key`. */
export const violatedConstraint = (error: SqlError): string | undefined =>
  error.reason._tag === "UniqueViolation" ? error.reason.constraint : undefined

/**
 * The SQLSTATEs of data the server refuses to store as the caller gave it:
 * text it cannot represent (22P02, e.g. a JSON escape jsonb rejects; 22P05;
 * 22021, a NUL byte), a number out of a column's range (22003), and a value
 * too large for an index key (54000). Writes only send the caller's values,
 * so these are the caller's to fix. Other data exceptions, such as the
 * position sequence running out (2200H), are the store's.
 */
const refusedDataStates: ReadonlySet<string> = new Set(["22P02", "22P05", "22021", "22003", "54000"])

/** Whether a SQLSTATE says the server refused the caller's data; see {@link refusedDataStates}. */
export const isRefusedDataState = (state: string | undefined): boolean => refusedDataStates.has(state ?? "")

/** Whether the server refused the caller's data; see {@link refusedDataStates}. */
export const isRefusedData = (error: SqlError): boolean => isRefusedDataState(sqlState(error))

const field = (value: unknown, name: string): string | undefined => {
  if (typeof value !== "object" || value === null || !(name in value)) return undefined
  const found: unknown = (value as Record<string, unknown>)[name]
  return typeof found === "string" && found.length > 0 ? found : undefined
}

/**
 * What went wrong, in the words of whoever said so: the driver's summary
 * (`PgConnection: Query failed`), then the server's own message, detail and
 * hint, which the driver keeps on the cause, and the SQLSTATE, e.g.
 * `PgConnection: Query failed: index row size 3032 exceeds btree maximum
 * 2704 for index "calls_pkey" (SQLSTATE 54000)`. Without the cause's
 * words a caller is told that something failed and never what.
 */
export const describeSqlError = (error: SqlError): string => {
  const cause: unknown = error.reason.cause
  const said = field(cause, "message")
  const parts = [error.message]
  if (said !== undefined && said !== error.message) parts.push(said)
  const detail = field(cause, "detail")
  const hint = field(cause, "hint")
  const state = sqlState(error)
  return parts.join(": ") +
    (detail === undefined ? "" : `; detail: ${detail}`) +
    (hint === undefined ? "" : `; hint: ${hint}`) +
    (state === undefined ? "" : ` (SQLSTATE ${state})`)
}

/** A refused write as the ports report it, with the server's words. */
export const refusedData = (operation: string, error: SqlError): InvalidStoreRequest =>
  new InvalidStoreRequest({ operation, reason: `the database refused the data: ${describeSqlError(error)}` })

/**
 * The SQLSTATEs after which the same request may succeed if sent again:
 * the server gave up the transaction to keep others consistent
 * (serialization_failure 40001, deadlock_detected 40P01), or the session is
 * gone (admin_shutdown 57P01, e.g. `pg_terminate_backend`; crash_shutdown
 * 57P02; cannot_connect_now 57P03, a server starting up; and class 08,
 * connection exceptions).
 */
const retryableStates: ReadonlySet<string> = new Set(["40001", "40P01", "57P01", "57P02", "57P03"])

/**
 * Whether sending the request again may succeed: one of
 * {@link retryableStates}, or a connection the driver lost without a
 * word from the server (a dropped socket, a server that went away). A
 * syntax error, a constraint, a missing table, refused data are not.
 */
export const isRetryable = (error: SqlError): boolean => {
  const state = sqlState(error)
  if (state !== undefined) return isRetryableState(state)
  return error.reason._tag === "ConnectionError"
}

/** Whether a SQLSTATE says the same request may succeed if sent again; see {@link retryableStates}. */
export const isRetryableState = (state: string): boolean => retryableStates.has(state) || state.startsWith("08")

/**
 * Any other driver failure (connection, I/O, server trouble) as a
 * `StorageFailure`, with the server's words, whether a retry can help, and
 * the driver's error as its cause.
 */
export const toStorageFailure = (operation: string) => (error: SqlError): StorageFailure =>
  new StorageFailure({
    operation,
    message: `${error.reason._tag}: ${describeSqlError(error)}`,
    retryable: isRetryable(error),
    cause: error
  })

/**
 * Runs a read again when its connection turned out to be dead. After a server
 * restart or a killed backend, the pool retires a dead connection from a
 * fiber of its own, so a statement started just before that can draw it; a
 * short pause lets the pool catch up, and a read is safe to repeat. Writes
 * are not retried: their caller retries with the idempotency key or expected
 * checkpoint that makes it safe.
 */
export const retryRead = <A, R>(read: Effect.Effect<A, SqlError, R>): Effect.Effect<A, SqlError, R> =>
  Effect.retry(read, {
    schedule: Schedule.spaced("10 millis"),
    times: 2,
    while: (error: SqlError) => error.reason._tag === "ConnectionError"
  })

/**
 * A transaction's failures as the ports report them. When its connection
 * dies, effect/sql's `withTransaction` cannot roll back and turns that into a
 * defect; the server ends the dead session's transaction anyway, so nothing
 * was written and this is a `StorageFailure`, not a crash. Interruptions and
 * other defects pass through unchanged.
 */
export const asPortFailure = (operation: string) =>
<A, E, R>(
  transaction: Effect.Effect<A, E | SqlError, R>
): Effect.Effect<A, Exclude<E, SqlError> | StorageFailure | InvalidStoreRequest, R> =>
  Effect.catchCause(transaction, (cause): Effect.Effect<never, Exclude<E, SqlError> | StorageFailure | InvalidStoreRequest> => {
    if (Cause.hasInterrupts(cause)) return Effect.failCause(cause as Cause.Cause<never>)
    const error = Cause.findErrorOption(cause)
    if (Option.isSome(error)) {
      const failure = error.value
      if (!isSqlError(failure)) return Effect.fail(failure as Exclude<E, SqlError>)
      return Effect.fail(isRefusedData(failure) ? refusedData(operation, failure) : toStorageFailure(operation)(failure))
    }
    const defect = Cause.findDefect(cause)
    if (Result.isSuccess(defect) && isSqlError(defect.success)) return Effect.fail(toStorageFailure(operation)(defect.success))
    return Effect.failCause(cause as Cause.Cause<never>)
  })
