/**
 * Bulk imports into PostgreSQL (`CallStore.beginBulkImport`): the
 * `calls_by_address` index is dropped while one is open and built again,
 * with the same definition, when the last one finishes; reads answer the
 * same meanwhile; the tables then hold exactly what batch-by-batch commits
 * leave, on the `COPY` path and the statement path; a bulk import killed
 * midway (SIGKILL, in a child process) leaves its row and the index
 * deferred, and run again it resumes after its progress, builds the index
 * and ends as one clean run.
 */
import { CallStore } from "@community-policing/core"
import { freshId, freshTenant } from "@community-policing/testkit"
import { assert, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { callBatch, importId as crashImportId } from "./crash/callsFile.ts"
import { runChild } from "./support/child.ts"
import { createTestDatabase, withConnection } from "./support/database.ts"
import { tenantRows } from "./support/tenantRows.ts"

const database = await createTestDatabase("bulk_import")
afterAll(() => database.drop())

/** The index's definition, or undefined while it is dropped. */
const addressIndex = () =>
  withConnection(database.url, (sql) =>
    sql<{ indexdef: string }>`
      SELECT indexdef FROM pg_indexes WHERE schemaname = 'community_policing' AND indexname = 'calls_by_address'`)
    .then(([row]) => row?.indexdef)

const openBulkImports = () =>
  withConnection(database.url, (sql) =>
    sql<{ tenant_id: string; import_id: string }>`SELECT tenant_id, import_id FROM community_policing.bulk_imports ORDER BY 1, 2`)

/** A store whose batches all go through `COPY` (`minCalls` 1), or none (`Infinity`). */
const storeLayer = (copyImportMinCalls: number) =>
  PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 4, migrate: true, copyImportMinCalls })

const batches = 12

layer(storeLayer(1), { timeout: 120_000 })("a bulk import into PostgreSQL", (it) => {
  it.effect("drops the address index while open, answers the same, and builds it when the last one finishes", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const tenantId = yield* freshTenant
      const other = yield* freshTenant
      const created = yield* Effect.promise(addressIndex)
      assert.isString(created)
      for (let batch = 0; batch < 3; batch++) yield* store.commitImportBatch(tenantId, callBatch(batch))
      const window = { fromDay: "2026-01-01", toDay: "2026-03-31" }
      const before = yield* store.callsAt(tenantId, "13 K ST", window)
      assert.isAbove(before.length, 0)
      yield* store.beginBulkImport(tenantId, "a")
      yield* store.beginBulkImport(tenantId, "a")
      yield* store.beginBulkImport(other, "b")
      assert.isUndefined(yield* Effect.promise(addressIndex), "dropped while a bulk import is open")
      assert.deepStrictEqual(yield* store.callsAt(tenantId, "13 K ST", window), before, "callsAt answers the same without the index")
      yield* store.finishBulkImport(tenantId, "a")
      assert.isUndefined(yield* Effect.promise(addressIndex), "another bulk import is still open")
      assert.deepStrictEqual((yield* Effect.promise(openBulkImports)).map((row) => row.import_id), ["b"])
      yield* store.finishBulkImport(other, "b")
      yield* store.finishBulkImport(other, "b")
      assert.strictEqual(yield* Effect.promise(addressIndex), created, "built again with the same definition")
      assert.deepStrictEqual(yield* Effect.promise(openBulkImports), [])
      assert.deepStrictEqual(yield* store.callsAt(tenantId, "13 K ST", window), before)
    }))
})

for (const [path, copyImportMinCalls] of [["COPY", 1], ["statement", Number.POSITIVE_INFINITY]] as const) {
  layer(storeLayer(copyImportMinCalls), { timeout: 120_000 })(`a bulk import on the ${path} path`, (it) => {
    it.effect("leaves exactly what batch-by-batch commits leave", () =>
      Effect.gen(function*() {
        const store = yield* CallStore
        const plain = yield* freshTenant
        const bulk = yield* freshTenant
        const results = { plain: [] as Array<unknown>, bulk: [] as Array<unknown> }
        for (let batch = 0; batch < batches; batch++) results.plain.push(yield* store.commitImportBatch(plain, callBatch(batch)))
        yield* store.beginBulkImport(bulk, crashImportId)
        for (let batch = 0; batch < batches; batch++) results.bulk.push(yield* store.commitImportBatch(bulk, callBatch(batch)))
        yield* store.finishBulkImport(bulk, crashImportId)
        assert.deepStrictEqual(results.bulk, results.plain)
        const expected = yield* tenantRows(database.url, plain)
        assert.deepStrictEqual(yield* tenantRows(database.url, bulk), expected)
        // Every call again is a duplicate, in a bulk import as outside one.
        const again = yield* freshId("again")
        yield* store.beginBulkImport(bulk, again)
        const repeated = yield* store.commitImportBatch(bulk, { ...callBatch(0), importId: again, quarantined: [] })
        yield* store.finishBulkImport(bulk, again)
        assert.deepStrictEqual(repeated, { imported: 0, duplicates: 95 })
        assert.deepStrictEqual((yield* tenantRows(database.url, bulk)).calls, expected.calls)
        assert.isString(yield* Effect.promise(addressIndex))
      }))
  })
}

const count = (lines: ReadonlyArray<string>) => lines.filter((line) => line.startsWith("Committed")).length

describe("a bulk import killed midway", () => {
  it("keeps its row and the index deferred, then resumes after its progress and ends as one clean run", async () => {
    const clean = `sacramento-clean-${globalThis.crypto.randomUUID()}`
    const tenantId = `sacramento-${globalThis.crypto.randomUUID()}`
    const total = 20
    const cleanRun = await runChild("importCalls.ts", [database.url, clean, String(total)])
    expect(cleanRun.code, cleanRun.stderr).toBe(0)
    const killed = await runChild("importCalls.ts", [database.url, tenantId, String(total), "bulk"], {
      killWhen: (lines) => count(lines) >= 3,
      jitterMillis: 25
    })
    expect(killed.signal, `the bulk import must be killed mid-run: ${killed.stderr}`).toBe("SIGKILL")
    expect(await addressIndex(), "the index stays deferred while the killed bulk import is open").toBeUndefined()
    expect(await openBulkImports()).toEqual([{ tenant_id: tenantId, import_id: crashImportId }])
    const resumed = await runChild("importCalls.ts", [database.url, tenantId, String(total), "bulk"])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(count(resumed.lines) + count(killed.lines), "the rerun sends only the batches not yet committed").toBeLessThanOrEqual(total + 1)
    expect(count(resumed.lines)).toBeLessThan(total)
    expect(await openBulkImports()).toEqual([])
    expect(await addressIndex()).toMatch(/calls_by_address ON community_policing\.calls USING btree \(tenant_id, address_key, service_day, received_at, dedupe_key\)/)
    const [expected, found] = await Promise.all([Effect.runPromise(tenantRows(database.url, clean)), Effect.runPromise(tenantRows(database.url, tenantId))])
    expect(found, "the killed and resumed bulk import stored exactly what a clean run stored").toEqual(expected)
  }, 120_000)
})
