/**
 * Whether a `StorageFailure` says a retry can help, against a real
 * PostgreSQL server: a projection commit that loses a serialization race
 * (its SERIALIZABLE transaction updates a row another transaction updated
 * and committed after its snapshot: SQLSTATE 40001) fails retryable, and
 * the same commit sent again succeeds; a broken schema (a table dropped
 * behind the adapter's back: 42P01), a syntax error (42601) and a unique
 * violation (23505) are not retryable. A terminated backend (57P01) is in
 * errors.test.ts. Each failure keeps the driver's `SqlError` as its cause.
 */
import { EventStore, ReadModelStore, StorageFailure } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Fiber, Layer, Redacted, Schedule } from "effect"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import { afterAll } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { sqlState, toStorageFailure } from "../src/internal/errors.ts"
import { connect, createTestDatabase, withConnection } from "./support/database.ts"

const database = await createTestDatabase("retryable")
afterAll(() => database.drop())

const stateOf = (cause: unknown): string | undefined => (isSqlError(cause) ? sqlState(cause) : undefined)

/** Waits until a session of `applicationName` waits on a lock. */
const waitingOnLock = (applicationName: string) =>
  Effect.promise(() =>
    withConnection(database.url, (sql) =>
      sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity WHERE application_name = ${applicationName} AND wait_event_type = 'Lock'`.pipe(
        Effect.repeat({ until: (rows) => rows.length > 0, schedule: Schedule.spaced("10 millis") }),
        Effect.timeout("20 seconds")
      ))
  )

/** A real server error, as the driver reports it, from running `statements` on a fresh session. */
const serverError = (statements: ReadonlyArray<string>): Effect.Effect<SqlError> =>
  Effect.scoped(Effect.gen(function*() {
    const sql = yield* connect(database.url)
    for (const statement of statements.slice(0, -1)) yield* sql.unsafe(statement)
    return yield* Effect.flip(sql.unsafe(statements.at(-1) ?? ""))
  })).pipe(Effect.orDie)

describe("StorageFailure.retryable on PostgreSQL", () => {
  it.live("a commit that loses a serialization race (40001) fails retryable, and the retry succeeds", () =>
    Effect.scoped(Effect.gen(function*() {
      const tenantId = "serialization"
      const document = { collection: "cases", id: "a", data: { id: "a" }, indexed: {} }
      yield* Effect.gen(function*() {
        const readModels = yield* ReadModelStore
        yield* readModels.commit(tenantId, { projection: "cases", expectedCheckpoint: 0, checkpoint: 1, upserts: [], deletes: [] })
      }).pipe(Effect.provide(PostgresStore.layer({ url: Redacted.make(database.url), migrate: true })))
      // Sessions opened from here on run every transaction SERIALIZABLE, the adapter's included.
      yield* Effect.promise(() =>
        withConnection(database.url, (sql) =>
          sql.unsafe(`ALTER DATABASE "${database.name}" SET default_transaction_isolation = 'serializable'`)
        )
      )
      // Another transaction updates the checkpoint row and holds it until told to commit.
      const holder = yield* connect(database.url)
      const locked = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const holding = yield* holder.withTransaction(Effect.gen(function*() {
        yield* holder`UPDATE community_policing.checkpoints SET position = position WHERE tenant_id = ${tenantId}`
        yield* Deferred.succeed(locked, undefined)
        yield* Deferred.await(release)
      })).pipe(Effect.forkChild)
      yield* Deferred.await(locked)
      const racer = "racer-serializable"
      const store = yield* Layer.build(
        PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 2, applicationName: racer })
      )
      const readModels = Context.get(store, ReadModelStore)
      const commit = { projection: "cases", expectedCheckpoint: 1, checkpoint: 2, upserts: [document], deletes: [] }
      const racing = yield* Effect.forkChild(readModels.commit(tenantId, commit))
      // The commit has taken its snapshot and waits for the row; the holder then commits its update.
      yield* waitingOnLock(racer)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holding)
      const failure = yield* Effect.flip(Fiber.join(racing))
      assert.instanceOf(failure, StorageFailure)
      if (failure instanceof StorageFailure) {
        assert.strictEqual(stateOf(failure.cause), "40001")
        assert.isTrue(failure.retryable, "a serialization failure is worth another try")
      }
      yield* readModels.commit(tenantId, commit)
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "cases"), 2, "the same commit, sent again, succeeds")
    })))

  it.live("a broken schema (a table dropped behind the adapter's back, 42P01) fails not retryable", () =>
    Effect.scoped(Effect.gen(function*() {
      const store = yield* Layer.build(PostgresStore.layer({ url: Redacted.make(database.url), schema: "broken", migrate: true }))
      const events = Context.get(store, EventStore)
      yield* Effect.promise(() => withConnection(database.url, (sql) => sql.unsafe("DROP TABLE broken.idempotency_keys")))
      const failure = yield* Effect.flip(events.findByIdempotencyKey("t", "command-1"))
      assert.instanceOf(failure, StorageFailure)
      if (failure instanceof StorageFailure) {
        assert.strictEqual(stateOf(failure.cause), "42P01")
        assert.isFalse(failure.retryable, "the same read would fail again")
      }
    })))

  it.live("a syntax error (42601) and a unique violation (23505) map to failures that are not retryable", () =>
    Effect.gen(function*() {
      const syntax = yield* serverError(["SELEC 1"])
      const unique = yield* serverError([
        "CREATE TEMPORARY TABLE once (id integer PRIMARY KEY)",
        "INSERT INTO once VALUES (1)",
        "INSERT INTO once VALUES (1)"
      ])
      for (const [error, state] of [[syntax, "42601"], [unique, "23505"]] as const) {
        assert.strictEqual(sqlState(error), state)
        const failure = toStorageFailure("test")(error)
        assert.isFalse(failure.retryable, `SQLSTATE ${state} is not retryable`)
        assert.strictEqual(failure.cause, error)
        assert.include(failure.message, `SQLSTATE ${state}`)
      }
    }))
})
