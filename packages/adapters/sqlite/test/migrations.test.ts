/**
 * Migrations: a new file reaches the latest version, a second run changes
 * nothing, a failed migration leaves nothing behind, unknown or renamed
 * versions are refused, and processes migrating one file at once all succeed
 * with each version recorded once.
 */
import { StorageFailure } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { makeStoredCall } from "@community-policing/testkit"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { latestSchemaVersion, make, migrate, migrations, schemaVersion } from "../src/index.ts"
import { startFixture } from "./support/child.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("migrations")

const tables = ["document_fields", "documents", "events", "idempotency_keys", "outbox_messages", "projection_checkpoints"]

interface VersionRow {
  readonly version: number
  readonly name: string
}

/** The recorded versions and every schema object's SQL, read with a connection of its own. */
const schemaOf = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    const objects = db.prepare<[], { name: string; sql: string | null }>(
      "SELECT name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).all()
    const versions = objects.some((object) => object.name === "schema_migrations")
      ? db.prepare<[], VersionRow>("SELECT version, name FROM schema_migrations ORDER BY version").all()
      : []
    return { objects, versions }
  } finally {
    db.close()
  }
}

const expectedVersions = migrations.map(({ name, version }) => ({ version, name }))

describe("migrations", () => {
  it("are numbered 1, 2, 3, ... and the latest is what the adapter needs", () => {
    assert.deepStrictEqual(migrations.map((migration) => migration.version), migrations.map((_, index) => index + 1))
    assert.strictEqual(latestSchemaVersion, migrations.length)
  })

  it.effect("bring a new file to the latest version when the store opens", () =>
    Effect.gen(function*() {
      const filename = database("fresh")
      const version = yield* Effect.scoped(Effect.flatMap(make({ filename }), (store) => schemaVersion(store.connection)))
      assert.strictEqual(version, latestSchemaVersion)
      const schema = schemaOf(filename)
      assert.deepStrictEqual(schema.versions, expectedVersions)
      for (const table of tables) assert.isTrue(schema.objects.some((object) => object.name === table), `table ${table}`)
      const db = new Database(filename, { readonly: true })
      assert.strictEqual(db.pragma("journal_mode", { simple: true }), "wal")
      assert.strictEqual(db.pragma("integrity_check", { simple: true }), "ok")
      db.close()
    }))

  it.effect("running migrate again is a no-op", () =>
    Effect.gen(function*() {
      const filename = database("twice")
      const db = new Database(filename)
      assert.deepStrictEqual(yield* migrate(db), {
        applied: migrations.map((migration) => ({ version: migration.version, name: migration.name })),
        version: latestSchemaVersion
      })
      const before = schemaOf(filename)
      assert.deepStrictEqual(yield* migrate(db), { applied: [], version: latestSchemaVersion })
      db.close()
      yield* Effect.scoped(make({ filename }))
      assert.deepStrictEqual(schemaOf(filename), before)
      assert.deepStrictEqual(before.versions, expectedVersions)
    }))

  it.effect("a migration that fails leaves no table and no version behind", () =>
    Effect.gen(function*() {
      const filename = database("failing")
      const db = new Database(filename)
      // A table in the way makes migration 1's CREATE TABLE fail half way through its statements.
      db.exec("CREATE TABLE outbox_messages (unrelated TEXT)")
      const failure = yield* Effect.flip(migrate(db))
      assert.instanceOf(failure, StorageFailure)
      assert.include(failure.message, "outbox_messages")
      db.close()
      const schema = schemaOf(filename)
      // schema_migrations is created inside the same transaction, so it is rolled back too.
      assert.deepStrictEqual(schema.objects.map((object) => object.name), ["outbox_messages"])
      assert.deepStrictEqual(schema.versions, [])
    }))

  it.effect("a store told not to migrate refuses a database that is not current", () =>
    Effect.gen(function*() {
      const filename = database("unmigrated")
      const failure = yield* Effect.flip(Effect.scoped(make({ filename, migrate: false })))
      assert.include(failure.message, `schema version 0 and this adapter needs ${latestSchemaVersion}`)
      assert.deepStrictEqual(schemaOf(filename).objects, [])
      const db = new Database(filename)
      yield* migrate(db)
      db.close()
      yield* Effect.scoped(make({ filename, migrate: false }))
    }))

  it.effect("a database at version 2 holding calls reaches versions 3 (outbox receipts) and 4 (bulk imports) with its calls, counts and progress unchanged", () =>
    Effect.gen(function*() {
      const filename = database("version-2")
      const batch = {
        importId: "cad",
        throughRow: 3,
        calls: [makeStoredCall({ dedupeKey: "id:cad:1", addressKey: "23XX 10TH AVE", serviceDay: "2026-03-02", categories: ["disorder"] })],
        quarantined: [{ rowNumber: 2, raw: "2,bad", reason: "receivedAt is blank" }]
      }
      yield* Effect.scoped(Effect.flatMap(make({ filename }), (store) => store.callStore.commitImportBatch("springfield", batch)))
      // Back to what version 2 left: no receipts columns, no bulk_imports table, versions 3 and 4 not recorded.
      const db = new Database(filename)
      db.exec(
        "DROP TABLE bulk_imports; ALTER TABLE outbox_messages DROP COLUMN delivered_at; " +
          "ALTER TABLE outbox_messages DROP COLUMN receiver_id; DELETE FROM schema_migrations WHERE version >= 3"
      )
      const tablesOf = (sql: string) => db.prepare(sql).raw().all()
      const read = () => ({
        calls: tablesOf("SELECT * FROM calls"),
        counts: tablesOf("SELECT * FROM daily_counts ORDER BY 1, 2, 3, 4, 5"),
        progress: tablesOf("SELECT * FROM import_progress"),
        quarantined: tablesOf("SELECT * FROM quarantined_rows")
      })
      const before = read()
      assert.strictEqual(before.calls.length, 1)
      assert.deepStrictEqual(yield* migrate(db), {
        applied: [{ version: 3, name: "outbox delivery receipts" }, { version: 4, name: "bulk imports" }],
        version: latestSchemaVersion
      })
      assert.deepStrictEqual(read(), before)
      db.close()
      const progress = yield* Effect.scoped(Effect.gen(function*() {
        const store = yield* make({ filename })
        yield* store.callStore.beginBulkImport("springfield", "next")
        yield* store.callStore.finishBulkImport("springfield", "next")
        return yield* store.callStore.importProgress("springfield", "cad")
      }))
      assert.deepStrictEqual(Option.getOrThrow(progress), { importId: "cad", throughRow: 3, imported: 1, duplicates: 0, quarantined: 1 })
    }))

  it.effect("a database migrated by a newer or different adapter is refused and left unchanged", () =>
    Effect.gen(function*() {
      for (const [label, row] of [["newer", [latestSchemaVersion + 1, "from the future"]], ["renamed", [1, "someone else's schema"]]] as const) {
        const filename = database(label)
        yield* Effect.scoped(make({ filename }))
        const db = new Database(filename)
        if (label === "renamed") db.prepare("UPDATE schema_migrations SET name = ? WHERE version = ?").run(row[1], row[0])
        else db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 'later')").run(row[0], row[1])
        const before = schemaOf(filename)
        const viaMigrate = yield* Effect.flip(migrate(db))
        db.close()
        const viaMake = yield* Effect.flip(Effect.scoped(make({ filename })))
        const viaCheck = yield* Effect.flip(Effect.scoped(make({ filename, migrate: false })))
        for (const failure of [viaMigrate, viaMake, viaCheck]) {
          assert.instanceOf(failure, StorageFailure)
          assert.include(failure.message, label === "newer" ? "newer than this adapter knows" : "someone else's schema")
        }
        assert.deepStrictEqual(schemaOf(filename), before)
      }
    }))

  it("two processes opening and migrating one new file at the same moment both succeed; each version is recorded once", async () => {
    const filename = database("race")
    const gate = path.join(path.dirname(filename), "migrations-gate")
    // Both take the adapter's own path: open (switching the new file to WAL), then migrate.
    const children = [
      startFixture("migrator.ts", { filename, gate, via: "make" }),
      startFixture("migrator.ts", { filename, gate, via: "make" })
    ]
    await Promise.all(children.map((child) => child.linesSeen(1)))
    fs.writeFileSync(gate, "go")
    const exits = await Promise.all(children.map((child) => child.exit))
    // Had both applied migration 1, the second's CREATE TABLE would have failed, and so would it.
    for (const exit of exits) assert.strictEqual(exit.code, 0, exit.stderr)
    for (const exit of exits) assert.deepStrictEqual(JSON.parse(exit.lines.at(-1) ?? "null"), { version: latestSchemaVersion })
    assert.deepStrictEqual(schemaOf(filename).versions, expectedVersions)
    const db = new Database(filename, { readonly: true })
    assert.strictEqual(db.pragma("journal_mode", { simple: true }), "wal")
    assert.strictEqual(db.pragma("integrity_check", { simple: true }), "ok")
    db.close()
  }, 60_000)
})
