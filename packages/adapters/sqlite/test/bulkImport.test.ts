/**
 * Bulk imports into SQLite (`CallStore.beginBulkImport`): the
 * calls-by-day index is dropped while one is open and built again when
 * the last one finishes, and the database then holds exactly what a
 * batch-by-batch import leaves (calls, daily counts, progress, quarantined
 * rows, the index); a bulk import killed midway (SIGKILL, in a child
 * process) leaves the index deferred and its marker behind, and run again it
 * resumes after its progress and ends as one clean run; the database opened
 * by a newer adapter than a bulk import's is migrated with its data.
 */
import { CallStore, sacramento, sacramentoCad } from "@community-policing/core"
import { generateSacramentoCad, importCalls, type ImportCallsOptions, sacramentoCadMapping } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { SqliteStore } from "../src/index.ts"
import { startFixture } from "./support/child.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("bulk-import")
const tenantId = "sacramento"

/** Everything the calls tables hold, read with a connection of its own, in a fixed order. */
const contents = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    const all = (sql: string) => db.prepare(sql).raw().all()
    return {
      calls: all("SELECT tenant_id, dedupe_key, service_day, address_key, received_at, data FROM calls ORDER BY tenant_id, dedupe_key"),
      placeCounts: all("SELECT * FROM place_counts ORDER BY tenant_id, service_day, address_key, channel"),
      areaCounts: all(
        "SELECT * FROM area_counts ORDER BY tenant_id, service_day, channel, beat, police_district, council_district, neighborhood"
      ),
      progress: all("SELECT * FROM import_progress ORDER BY tenant_id, import_id"),
      quarantined: all("SELECT * FROM quarantined_rows ORDER BY tenant_id, import_id, row_number"),
      indexes: all("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls' ORDER BY name"),
      bulkImports: all("SELECT * FROM bulk_imports"),
      integrity: db.pragma("integrity_check", { simple: true })
    }
  } finally {
    db.close()
  }
}

const indexSql = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    return db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'calls_by_day'").pluck().get() as string | undefined
  } finally {
    db.close()
  }
}

/** A generated CAD export: 3,000 calls over March 2024, some with a blank address, and two rows to quarantine at the end. */
const generated = async (name: string) => {
  const file = path.join(path.dirname(database("folder")), `${name}.csv`)
  await Effect.runPromise(generateSacramentoCad({ seed: 12, calls: 3_000, from: "2024-03-01", to: "2024-03-31", callsFile: file }))
  fs.appendFileSync(file, "not,a,call\r\nnor,this\r\n")
  return file
}

const importInto = (filename: string, options: Omit<ImportCallsOptions, "tenantId" | "jurisdiction" | "mapping" | "codeTables">) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const store = yield* SqliteStore.make({ filename })
    return yield* importCalls({
      tenantId,
      jurisdiction: sacramento,
      mapping: sacramentoCadMapping,
      codeTables: [sacramentoCad],
      ...options
    } as ImportCallsOptions).pipe(Effect.provideService(CallStore, store.callStore))
  })))

describe("a bulk import into SQLite", () => {
  it("leaves exactly what a batch-by-batch import leaves, the index built again", async () => {
    const file = await generated("exact")
    const plain = database("plain")
    const bulk = database("bulk")
    const plainReport = await importInto(plain, { file, batchSize: 500, bulk: false })
    const bulkReport = await importInto(bulk, { file, batchSize: 500, bulk: true })
    assert.deepStrictEqual(bulkReport, plainReport)
    assert.strictEqual(bulkReport.read, bulkReport.imported + bulkReport.duplicates + bulkReport.quarantined + bulkReport.skipped)
    assert.isAbove(bulkReport.quarantined, 0)
    const [expected, found] = [contents(plain), contents(bulk)]
    assert.strictEqual(found.calls.length, bulkReport.imported)
    assert.deepStrictEqual(found, expected)
    assert.deepStrictEqual(found.bulkImports, [])
    // Imported again, every call is a duplicate, in bulk mode as outside it.
    const again = await importInto(bulk, { file, batchSize: 500, bulk: true, importId: "the same file again" })
    assert.deepStrictEqual(
      { imported: again.imported, duplicates: again.duplicates, quarantined: again.quarantined },
      { imported: 0, duplicates: bulkReport.imported, quarantined: bulkReport.quarantined }
    )
    assert.deepStrictEqual(contents(bulk).calls, expected.calls)
    // With the statistics ANALYZE gathered at the finish, callsAt still reads its index.
    const db = new Database(bulk, { readonly: true })
    const plan = db.prepare(
      "EXPLAIN QUERY PLAN SELECT received_at, dedupe_key, data FROM calls WHERE tenant_id = ? AND service_day = ? AND address_key = ?"
    ).all(tenantId, "2024-03-01", "3081 GARDEN HWY") as Array<{ detail: string }>
    const statistics = db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'calls_by_day'").pluck().get()
    db.close()
    assert.strictEqual(statistics, 1, "ANALYZE ran at the finish")
    assert.match(plan.map((step) => step.detail).join("; "), /SEARCH calls USING INDEX calls_by_day \(tenant_id=\? AND service_day=\? AND address_key=\?\)/)
  }, 60_000)

  it("drops the day index while open and builds it when the last bulk import finishes", async () => {
    const filename = database("open")
    const program = Effect.scoped(Effect.gen(function*() {
      const store = yield* SqliteStore.make({ filename })
      const created = indexSql(filename)
      yield* store.callStore.beginBulkImport(tenantId, "a")
      yield* store.callStore.beginBulkImport("other", "b")
      const whileOpen = indexSql(filename)
      yield* store.callStore.finishBulkImport(tenantId, "a")
      const oneStillOpen = indexSql(filename)
      yield* store.callStore.finishBulkImport("other", "b")
      return { created, whileOpen, oneStillOpen, finished: indexSql(filename) }
    }))
    const found = await Effect.runPromise(program)
    assert.isString(found.created)
    assert.isUndefined(found.whileOpen)
    assert.isUndefined(found.oneStillOpen, "another bulk import is still open")
    assert.strictEqual(found.finished, found.created)
  })

  it("killed midway, resumes after its progress and ends as one clean run", async () => {
    const file = await generated("killed")
    const clean = database("clean")
    const killed = database("killed")
    await Effect.runPromise(Effect.scoped(SqliteStore.make({ filename: killed })))
    const cleanReport = await importInto(clean, { file, batchSize: 500, bulk: false })
    const child = startFixture("bulkImporter.ts", { filename: killed, file, tenantId, batchSize: 500, pauseMillis: 1_000 })
    await child.linesSeen(2)
    child.process.kill("SIGKILL")
    const exit = await child.exit
    assert.strictEqual(exit.signal, "SIGKILL", exit.stderr)
    assert.deepStrictEqual(exit.lines.slice(0, 2), ["committed 501", "committed 1001"])
    const midway = contents(killed)
    assert.isUndefined(indexSql(killed), "the index stays deferred while the killed bulk import is open")
    assert.strictEqual(midway.bulkImports.length, 1)
    assert.strictEqual(midway.integrity, "ok")
    const resumed = await importInto(killed, { file, batchSize: 500, bulk: true })
    assert.deepStrictEqual(resumed, { ...cleanReport, resumedAfterRow: 1_001 })
    assert.deepStrictEqual(contents(killed), contents(clean))
  }, 60_000)
})
