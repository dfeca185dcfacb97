/**
 * Opening retries SQLITE_BUSY (issue 4). SQLite's busy handler does not
 * wait for every lock (not where waiting could deadlock, as for two
 * processes opening and migrating one new file at once), so the test makes
 * the SQLITE_BUSY it cannot reliably provoke by timing: the opening
 * connection's own busy timeout is 0, and another connection holds the
 * file's exclusive lock for a while.
 */
import { StorageFailure } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Exit } from "effect"
import { latestSchemaVersion, schemaVersion } from "../src/index.ts"
import { openDatabase } from "../src/internal/open.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("open")

/** A new file whose exclusive lock another connection holds until `release`. */
const lockedFile = (name: string) => {
  const filename = database(name)
  const holder = new Database(filename)
  holder.exec("CREATE TABLE other (x INTEGER)")
  holder.exec("BEGIN EXCLUSIVE")
  return { filename, release: () => holder.close() }
}

/** Connections that never wait in SQLite's busy handler, counted. */
const impatient = () => {
  let connections = 0
  const connect = (filename: string) => {
    connections += 1
    return new Database(filename, { timeout: 0 })
  }
  return { connect, connections: () => connections }
}

describe("opening a store", () => {
  it.effect("tries again while SQLite answers SQLITE_BUSY without waiting, and succeeds once the lock is gone", () =>
    Effect.gen(function*() {
      const { filename, release } = lockedFile("released")
      const { connect, connections } = impatient()
      const timer = setTimeout(release, 150)
      const db = yield* openDatabase({ filename, migrate: true, busyTimeoutMillis: 5_000, synchronous: "FULL" }, connect).pipe(
        Effect.ensuring(Effect.sync(() => clearTimeout(timer)))
      )
      assert.strictEqual(yield* schemaVersion(db), latestSchemaVersion)
      assert.strictEqual(db.pragma("journal_mode", { simple: true }), "wal")
      db.close()
      assert.isAbove(connections(), 1, "the first attempts met the lock")
    }))

  it.effect("gives up after busyTimeoutMillis with a StorageFailure carrying SQLite's code and message", () =>
    Effect.gen(function*() {
      const { filename, release } = lockedFile("held")
      const { connect } = impatient()
      const started = performance.now()
      const exit = yield* Effect.exit(openDatabase({ filename, migrate: true, busyTimeoutMillis: 200, synchronous: "FULL" }, connect))
      const waited = performance.now() - started
      release()
      assert.isTrue(Exit.isFailure(exit))
      const failure = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      const error = failure !== undefined && failure._tag === "Fail" ? failure.error : undefined
      assert.instanceOf(error, StorageFailure)
      assert.match(error instanceof StorageFailure ? error.message : "", /^SQLITE_BUSY: database is locked/)
      assert.isAtLeast(waited, 190, "it kept trying until the timeout")
    }))

  it.effect("does not retry other errors: a file that is not a database fails at once", () =>
    Effect.gen(function*() {
      const filename = database("not-a-database")
      const { writeFileSync } = yield* Effect.promise(() => import("node:fs"))
      writeFileSync(filename, "this is not a SQLite file, but it is long enough to have a header of one hundred bytes......")
      const { connect, connections } = impatient()
      const exit = yield* Effect.exit(openDatabase({ filename, migrate: true, busyTimeoutMillis: 5_000, synchronous: "FULL" }, connect))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(connections(), 1)
    }))
})
