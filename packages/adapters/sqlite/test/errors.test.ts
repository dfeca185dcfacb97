/**
 * Whether a `StorageFailure` says a retry can help, on real database
 * files: a second connection holding the write lock makes the ports' calls
 * fail retryable (SQLITE_BUSY), and sending the same request again once the
 * lock is gone succeeds; a write the database refuses (a constraint) or a
 * broken schema fails not retryable. Each failure keeps SQLite's own error
 * as its cause.
 */
import { EventStore, StorageFailure } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { layer } from "../src/index.ts"
import { eventsFor } from "./fixtures/common.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("errors")

const sqliteCode = (cause: unknown): unknown =>
  cause instanceof Database.SqliteError ? cause.code : cause

describe("StorageFailure.retryable on SQLite", () => {
  it.live("a database locked by another connection's write transaction fails retryable, and the retry succeeds", () => {
    const filename = database("locked")
    return Effect.gen(function*() {
      const store = yield* EventStore
      const blocker = new Database(filename)
      blocker.pragma("busy_timeout = 10")
      blocker.exec("BEGIN IMMEDIATE")
      const request = { tenantId: "t", streamId: "s", expectedVersion: 0, events: eventsFor("t", "s", 0, 1, "locked") }
      const failure = yield* Effect.flip(store.append(request))
      assert.instanceOf(failure, StorageFailure)
      if (failure instanceof StorageFailure) {
        assert.isTrue(failure.retryable, "a busy database is worth another try")
        assert.match(String(sqliteCode(failure.cause)), /^SQLITE_BUSY/)
        assert.notInclude(failure.message, "    at ", "the cause's stack is not part of the message")
      }
      blocker.exec("ROLLBACK")
      blocker.close()
      const retried = yield* store.append(request)
      assert.strictEqual(retried._tag, "Appended", "the same request, sent again, succeeds")
    }).pipe(Effect.provide(layer({ filename, busyTimeoutMillis: 20 })))
  })

  /** A store whose database another connection changed behind its back (`change`), and what one call then fails with. */
  const afterChange = <A, E>(name: string, change: string, call: Effect.Effect<A, E, EventStore>) => {
    const filename = database(name)
    return Effect.gen(function*() {
      const other = new Database(filename)
      other.exec(change)
      other.close()
      const failure = yield* Effect.flip(call)
      if (!(failure instanceof StorageFailure)) return assert.fail(`expected a StorageFailure, got ${String(failure)}`)
      return failure
    }).pipe(Effect.provide(layer({ filename })))
  }

  it.effect("a write the database refuses (a constraint) fails not retryable", () =>
    Effect.gen(function*() {
      const failure = yield* afterChange(
        "refused",
        "CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'events are frozen'); END",
        Effect.gen(function*() {
          const store = yield* EventStore
          return yield* store.append({ tenantId: "t", streamId: "s", expectedVersion: 0, events: eventsFor("t", "s", 0, 1, "refused") })
        })
      )
      assert.isFalse(failure.retryable, "the same write would be refused again")
      assert.match(String(sqliteCode(failure.cause)), /^SQLITE_CONSTRAINT/)
      assert.include(failure.message, "events are frozen")
    }))

  it.effect("a broken schema (a table dropped behind the adapter's back) fails not retryable", () =>
    Effect.gen(function*() {
      const failure = yield* afterChange(
        "broken",
        "DROP TABLE idempotency_keys",
        Effect.gen(function*() {
          const store = yield* EventStore
          return yield* store.findByIdempotencyKey("t", "k")
        })
      )
      assert.isFalse(failure.retryable)
      assert.strictEqual(sqliteCode(failure.cause), "SQLITE_ERROR")
    }))
})
