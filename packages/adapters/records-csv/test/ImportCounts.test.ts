/**
 * Counts that can show a loss (issue 9, item 11): rows read are counted from
 * the file, not derived from what was stored, so a report can disagree with
 * its totals and says so; a record id repeated with other content is a
 * conflict, quarantined, not a duplicate dropped without trace; an export in
 * an encoding the reader does not read fails with a typed error; a resumed
 * import reports the row it resumed after. All of it holds in a bulk import
 * too, which begins before the first batch and is finished after the last,
 * or after a failure.
 */
import { type InspectableMemoryStore } from "@community-policing/adapter-memory"
import { CallStore, sacramento, sacramentoCad, StorageFailure } from "@community-policing/core"
import { genericMapping, importCalls, type ImportCallsOptions } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { tenantId } from "./support/paths.ts"
import { freshStore, importInto, snapshot, withStore } from "./support/stores.ts"

const folder = mkdtempSync(join(tmpdir(), "records-csv-counts-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let files = 0
const writeFile = (content: string | Buffer): string => {
  const file = join(folder, `${++files}.csv`)
  writeFileSync(file, content)
  return file
}

const mapping = genericMapping({ source: "counts-test", timeZone: "America/Los_Angeles", codeTables: ["sacramento-cad"] })
const header = "record_id,received_at,channel,call_type_code,call_type_description,priority,disposition,address,beat," +
  "police_district,council_district,neighborhood,latitude,longitude,ucr_ncic,nibrs,caller_is_victim"
const row = (id: string, priority = "2", disposition = "REPORT") =>
  `${id},2024-03-05T10:00:00,911,415,DISTURBANCE-CLARIFY,${priority},${disposition},23XX 10TH AVE,3C,3,5,oak-park,38.55,-121.47,,,N`

const options = (file: string, extra: Partial<ImportCallsOptions> = {}) =>
  ({ tenantId, jurisdiction: sacramento, mapping, codeTables: [sacramentoCad], file, ...extra }) as ImportCallsOptions

const quarantinedOf = (store: InspectableMemoryStore, importId: string) =>
  withStore(store, Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, importId, { afterRow: 0, limit: 100 })))

// Every count holds the same in a bulk import (CallStore.beginBulkImport) as batch by batch.
for (const bulk of [false, true]) {
  const mode = bulk ? ", in a bulk import" : ""

  describe(`the rows read${mode}`, () => {
    it("are counted from the file: blank rows are skipped, and every row read is accounted for", async () => {
      const file = writeFile([header, row("1"), "   ", row("2"), ",,,,,,,,,,,,,,,,", "", row("3"), "bad"].join("\n"))
      const store = await freshStore()
      const report = await importInto(store, options(file, { bulk }))
      assert.deepStrictEqual(report, {
        importId: report.importId,
        read: 4,
        skipped: 2,
        imported: 3,
        duplicates: 0,
        quarantined: 1,
        conflicts: 0,
        unaccounted: 0,
        resumedAfterRow: 0
      })
    })

    it("can disagree with what the store committed, and the report says by how much", async () => {
      const file = writeFile([header, row("1"), row("2"), row("3"), row("4"), row("5")].join("\n"))
      const store = await freshStore()
      // A store that loses the first call of every batch and counts only what it kept.
      const lossy = CallStore.of({
        ...store.callStore,
        commitImportBatch: (tenant, batch) => store.callStore.commitImportBatch(tenant, { ...batch, calls: batch.calls.slice(1) })
      })
      const report = await Effect.runPromise(importCalls(options(file, { batchSize: 2, bulk })).pipe(Effect.provideService(CallStore, lossy)))
      assert.deepStrictEqual([report.read, report.imported, report.duplicates, report.quarantined], [5, 2, 0, 0])
      assert.strictEqual(report.unaccounted, 3)
    })
  })

  describe(`a record id that comes again${mode}`, () => {
    const lines = [header, row("A-1"), row("B-1"), row("A-1", "1", "ARREST"), row("A-1"), row(" B-1 ")]

    it("with other content is a conflict: quarantined with the row of the first version, not counted a duplicate", async () => {
      const store = await freshStore()
      const report = await importInto(store, options(writeFile(lines.join("\n")), { bulk }))
      assert.deepStrictEqual(
        [report.read, report.imported, report.duplicates, report.quarantined, report.conflicts, report.unaccounted],
        [5, 2, 2, 1, 1, 0]
      )
      const [conflict] = await quarantinedOf(store, report.importId)
      assert.strictEqual(conflict?.rowNumber, 4)
      assert.strictEqual(
        conflict?.reason,
        "conflict: record id \"A-1\" came first at row 2 with other content in the mapped columns; this version is not stored"
      )
      assert.include(conflict?.raw ?? "", "priority: \"1\", disposition: \"ARREST\"")
      const stored = (await snapshot(store)).calls.find((call) => call.call.sourceRecordId === "A-1")
      assert.deepStrictEqual([stored?.call.priority, stored?.call.disposition], ["2", "REPORT"])
    })

    it("is caught after a resume too, when its first version was committed by the run that stopped", async () => {
      const file = writeFile(lines.join("\n"))
      const clean = await importInto(await freshStore(), options(file, { bulk }))
      const store = await freshStore()
      // The first run stops at its second batch, after rows 2 and 3 are committed.
      let commits = 0
      const failing = CallStore.of({
        ...store.callStore,
        commitImportBatch: (tenant, batch) =>
          ++commits === 2
            ? Effect.fail(new StorageFailure({ operation: "commitImportBatch", message: "connection lost" }))
            : store.callStore.commitImportBatch(tenant, batch)
      })
      const stopped = await Effect.runPromise(
        Effect.flip(importCalls(options(file, { batchSize: 2, bulk }))).pipe(Effect.provideService(CallStore, failing))
      )
      assert.strictEqual(stopped._tag, "StorageFailure")
      const resumed = await importInto(store, options(file, { batchSize: 2, bulk }))
      // Resumed after row 3: the header is row 1, so the first batch held rows 2 and 3.
      assert.deepStrictEqual(resumed, { ...clean, resumedAfterRow: 3 })
      assert.deepStrictEqual((await quarantinedOf(store, resumed.importId)).map((row) => row.rowNumber), [4])
    })
  })
}

describe("a bulk import", () => {
  it("begins before the first batch and finishes after the last; a failed one is finished all the same", async () => {
    const file = writeFile([header, row("1"), row("2"), row("3"), row("4"), row("5")].join("\n"))
    const store = await freshStore()
    const calls: Array<string> = []
    let failAt = 3
    const recording = CallStore.of({
      ...store.callStore,
      beginBulkImport: (tenant, importId) => Effect.andThen(Effect.sync(() => calls.push("begin")), store.callStore.beginBulkImport(tenant, importId)),
      finishBulkImport: (tenant, importId) => Effect.andThen(Effect.sync(() => calls.push("finish")), store.callStore.finishBulkImport(tenant, importId)),
      commitImportBatch: (tenant, batch) =>
        Effect.suspend(() =>
          calls.push(`batch ${batch.throughRow}`) && calls.filter((call) => call.startsWith("batch")).length === failAt
            ? Effect.fail(new StorageFailure({ operation: "commitImportBatch", message: "disk full" }))
            : store.callStore.commitImportBatch(tenant, batch)
        )
    })
    const run = () => Effect.runPromise(Effect.result(importCalls(options(file, { batchSize: 2, bulk: true })).pipe(Effect.provideService(CallStore, recording))))
    const failed = await run()
    assert.isTrue(Result.isFailure(failed))
    assert.deepStrictEqual(calls, ["begin", "batch 3", "batch 5", "batch 6", "finish"])
    calls.length = 0
    failAt = 0
    const resumed = await run()
    assert.isTrue(Result.isSuccess(resumed))
    assert.deepStrictEqual(calls, ["begin", "batch 6", "finish"])
    // A small file is imported batch by batch unless told otherwise ("auto").
    calls.length = 0
    await Effect.runPromise(importCalls(options(file, { importId: "auto" })).pipe(Effect.provideService(CallStore, recording)))
    assert.deepStrictEqual(calls, ["batch 6"])
  })
})

describe("an export in an encoding the reader does not read", () => {
  const text = [header, row("1")].join("\r\n")
  const utf16be = Buffer.from(text, "utf16le").swap16()

  for (
    const [name, bytes, encoding] of [
      ["UTF-16BE with a byte-order mark", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), "UTF-16BE"],
      ["UTF-32LE with a byte-order mark", Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(text.replace(/./gs, (c) => c + "\u0000"), "utf16le")]), "UTF-32LE"],
      ["UTF-16LE without a byte-order mark", Buffer.from(text, "utf16le"), "UTF-16 or UTF-32 without a byte-order mark"]
    ] as const
  ) {
    it(`fails with UnsupportedEncoding, not a header mismatch: ${name}`, async () => {
      const store = await freshStore()
      const failure = await withStore(store, Effect.flip(importCalls(options(writeFile(bytes)))))
      assert.strictEqual(failure._tag, "UnsupportedEncoding")
      assert.strictEqual("encoding" in failure ? failure.encoding : undefined, encoding)
      assert.notInclude(failure.message, "\u0000")
      assert.strictEqual((await snapshot(store)).calls.length, 0)
    })
  }

  it("is read when it is UTF-16LE with its byte-order mark", async () => {
    const store = await freshStore()
    const report = await importInto(store, options(writeFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))))
    assert.deepStrictEqual([report.read, report.imported], [1, 1])
  })
})
