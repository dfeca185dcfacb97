/**
 * Migrations: a new file reaches the latest version, a second run changes
 * nothing, a failed migration leaves nothing behind, unknown or renamed
 * versions are refused, and processes migrating one file at once all succeed
 * with each version recorded once.
 */
import { StorageFailure, StoredCall } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { makeStoredCall, makeUnaddressedCall } from "@community-policing/testkit"
import { DateTime, Effect, Option, Schema } from "effect"
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

  it.effect("a database at version 4 holding calls and daily counts reaches versions 5 (shaped counts) and 6 (calls by day) with its calls and progress unchanged, its counts reshaped and its calls found by callsAt", () =>
    Effect.gen(function*() {
      const tenantId = "springfield"
      const calls = [
        makeStoredCall({ dedupeKey: "id:cad:1", addressKey: "23XX 10TH AVE", serviceDay: "2026-03-02", categories: ["disorder"] }),
        makeStoredCall({
          dedupeKey: "id:cad:2",
          addressKey: "23XX 10TH AVE",
          serviceDay: "2026-03-02",
          channel: "non-emergency",
          categories: ["disorder", "nuisance"],
          districts: { beat: "1A", policeDistrict: "1" }
        }),
        makeStoredCall({ dedupeKey: "id:cad:3", addressKey: "100 MAIN ST", serviceDay: "2026-03-03", categories: ["nuisance", "nuisance"] }),
        makeUnaddressedCall({ dedupeKey: "id:cad:4", addressUnknown: "blank", serviceDay: "2026-03-03", categories: ["domestic-violence"], districts: { beat: "1A" } })
      ]
      // Version 4 as released: its migrations' statements, its records, and the rows its store wrote for these calls.
      const old = database("version-4")
      const db = new Database(old)
      for (const migration of migrations.filter((step) => step.version <= 4)) {
        db.exec(migration.statements.join(";\n"))
      }
      db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT")
      for (const step of migrations.filter((step) => step.version <= 4)) {
        db.prepare("INSERT INTO schema_migrations VALUES (?, ?, 'then')").run(step.version, step.name)
      }
      const cells = new Map<string, Array<string | number>>()
      for (const stored of calls) {
        const location = stored.call.location
        const addressKey = "addressKey" in location ? location.addressKey : ""
        const districts = "addressKey" in location ? location.place?.districts ?? {} : location.districts
        db.prepare("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?)").run(
          tenantId,
          stored.dedupeKey,
          stored.serviceDay,
          addressKey,
          DateTime.toEpochMillis(stored.call.receivedAt),
          JSON.stringify(Schema.encodeSync(StoredCall)(stored))
        )
        for (const category of new Set(["", ...stored.categories.map((match) => match.category)])) {
          const row = [tenantId, stored.serviceDay, addressKey, stored.call.channel, category, districts.beat ?? "",
            districts.policeDistrict ?? "", districts.councilDistrict ?? "", districts.neighborhood ?? ""]
          const cell = cells.get(row.join("|")) ?? [...row, 0]
          cell[9] = (cell[9] as number) + 1
          cells.set(row.join("|"), cell)
        }
      }
      for (const cell of cells.values()) db.prepare("INSERT INTO daily_counts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(...cell)
      db.prepare("INSERT INTO import_progress VALUES (?, 'cad', 5, 4, 0, 0)").run(tenantId)
      const rows = (connection: Database.Database, sql: string) => connection.prepare(sql).raw().all()
      const callsBefore = rows(db, "SELECT * FROM calls ORDER BY dedupe_key")
      assert.deepStrictEqual(yield* migrate(db), {
        applied: [{ version: 5, name: "shaped call counts" }, { version: 6, name: "calls by day" }],
        version: latestSchemaVersion
      })
      assert.deepStrictEqual(rows(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls' ORDER BY name"), [
        ["calls_by_day"],
        ["sqlite_autoindex_calls_1"]
      ])
      assert.deepStrictEqual(rows(db, "SELECT * FROM calls ORDER BY dedupe_key"), callsBefore)
      assert.isUndefined(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'daily_counts'").get())
      const countsOf = (connection: Database.Database) => ({
        places: rows(connection, "SELECT * FROM place_counts ORDER BY 1, 2, 3, 4"),
        areas: rows(connection, "SELECT * FROM area_counts ORDER BY 1, 2, 3, 4, 5, 6, 7")
      })
      const migrated = countsOf(db)
      db.close()
      // The same calls committed by this version's store into a new file: the same rows.
      const fresh = database("version-5")
      yield* Effect.scoped(Effect.flatMap(make({ filename: fresh }), (store) =>
        store.callStore.commitImportBatch(tenantId, { importId: "cad", throughRow: 5, calls, quarantined: [] })))
      const written = new Database(fresh, { readonly: true })
      const expected = countsOf(written)
      written.close()
      assert.strictEqual(migrated.places.length, 3)
      assert.deepStrictEqual(migrated, expected)
      const progress = yield* Effect.scoped(Effect.gen(function*() {
        const store = yield* make({ filename: old })
        yield* store.callStore.beginBulkImport(tenantId, "next")
        yield* store.callStore.finishBulkImport(tenantId, "next")
        const found = yield* store.callStore.callsAt(tenantId, "23XX 10TH AVE", { fromDay: "2026-03-01", toDay: "2026-03-31" })
        assert.deepStrictEqual(found, calls.slice(0, 2))
        return yield* store.callStore.importProgress(tenantId, "cad")
      }))
      assert.deepStrictEqual(Option.getOrThrow(progress), { importId: "cad", throughRow: 5, imported: 4, duplicates: 0, quarantined: 0 })
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
