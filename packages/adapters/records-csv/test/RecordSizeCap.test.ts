/**
 * One record cannot take all memory (issue 9, item 10): a stray quote used to
 * turn the rest of a file into one quarantined record held in memory (1 GB
 * for a 218 MB file, `Invalid string length` at 656 MB). A record longer
 * than the limit (4 MiB by default) is now set aside with its first line, and
 * reading resumes on the next line, so every row after it is imported; and
 * classification reads only the first 4,096 characters of a long text.
 */
import { type CodeTable, CallStore, sacramento } from "@community-policing/core"
import { type CsvRow, genericMapping, readCsv } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import fc from "fast-check"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { afterAll } from "vitest"
import { tenantId } from "./support/paths.ts"
import { freshStore, importInto, snapshot, withStore } from "./support/stores.ts"

const folder = mkdtempSync(join(tmpdir(), "records-csv-cap-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const rowsOf = (pieces: ReadonlyArray<string>, maxRecordLength?: number) =>
  Effect.runPromise(
    readCsv(Readable.from(pieces.map((piece) => Buffer.from(piece))), { maxRecordLength }).pipe(
      Stream.runCollect,
      Effect.map((rows) => Array.from(rows, ({ bytes: _bytes, ...row }: CsvRow) => row))
    )
  )

const tooLong = (limit: number) =>
  `the record is longer than the limit of ${limit} characters (a quote left open?): ` +
  "only its first line is kept, and reading goes on from the next line"

describe("a record over the limit", () => {
  it("is set aside with its first line, and the lines a stray quote swallowed are read as records", async () => {
    const text = ["a,b,c", "1,x,y", "2,\"stray,y", "3,x,y", "4,x,y", "5,\"quoted\nline break\",y", "6,x,y"].join("\n")
    const rows = await rowsOf([text], 30)
    assert.deepStrictEqual(rows.map((row) => [row.rowNumber, row._tag, row.raw]), [
      [1, "Record", "a,b,c"],
      [2, "Record", "1,x,y"],
      [3, "Malformed", "2,\"stray,y"],
      [4, "Record", "3,x,y"],
      [5, "Record", "4,x,y"],
      [6, "Record", "5,\"quoted\nline break\",y"],
      [7, "Record", "6,x,y"]
    ])
    assert.strictEqual(rows[2]?._tag === "Malformed" ? rows[2].reason : "", tooLong(30))
    // Without the limit the stray quote runs on to row 6's quote: rows 4 and 5 are lost in it, row 6 is cut.
    const unlimited = await rowsOf([text])
    assert.deepStrictEqual(unlimited.map((row) => row.raw), ["a,b,c", "1,x,y", "2,\"stray,y\n3,x,y\n4,x,y\n5,\"quoted", "line break\",y", "6,x,y"])
  })

  it("of one line keeps the line's first characters up to the limit and goes on at the next line", async () => {
    const long = `1,${"x".repeat(50)},y`
    const quoted = `2,"${"z".repeat(50)}`
    const rows = await rowsOf(["a,b,c\n", long.slice(0, 20), long.slice(20) + "\n" + quoted.slice(0, 30), quoted.slice(30) + "\n3,x,y\n"], 25)
    assert.deepStrictEqual(rows.map((row) => [row.rowNumber, row._tag, row.raw]), [
      [1, "Record", "a,b,c"],
      [2, "Malformed", long.slice(0, 25)],
      [3, "Malformed", quoted.slice(0, 25)],
      [4, "Record", "3,x,y"]
    ])
  })

  it("gives the same rows however the text is split into chunks", async () => {
    const piece = fc.constantFrom("a", "b", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "xyz")
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 120 }).map((pieces) => pieces.join("")),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 30 }),
        async (text, cuts, limit) => {
          const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b)
          const pieces = [0, ...at].map((start, index) => text.slice(start, at[index] ?? text.length))
          assert.deepStrictEqual(await rowsOf(pieces, limit), await rowsOf([text], limit))
          for (const row of await rowsOf([text], limit)) assert.isAtMost(row.raw.length, limit)
        }
      ),
      { numRuns: 300 }
    )
  })
})

const mapping = genericMapping({ source: "cap-test", timeZone: "America/Los_Angeles", codeTables: ["long-text"] })
const header = "record_id,received_at,channel,call_type_code,call_type_description,priority,disposition,address,beat," +
  "police_district,council_district,neighborhood,latitude,longitude,ucr_ncic,nibrs,caller_is_victim"
const row = (id: string, description = "DISTURBANCE", address = "23XX 10TH AVE") =>
  `${id},2024-03-05T10:00:00,911,415,${description},2,REPORT,${address},3C,3,5,oak-park,38.55,-121.47,,,N`

const longText: CodeTable = {
  id: "long-text",
  version: "1",
  description: "A rule that finds a word anywhere in a description.",
  rules: [{ id: "assault", field: "description", match: "contains", value: "ASSAULT", categories: ["victimization"], source: "test" }]
}

describe("importing a file with a stray quote early", () => {
  it("quarantines the one record and imports every row after it, keeping a capped text", async () => {
    // About 6 MB after the stray quote: more than the default limit of 4 MiB.
    const count = 45_000
    const lines = [header, row("1"), `2,2024-03-05T10:00:00,911,415,"DISTURBANCE,2,REPORT,23XX 10TH AVE,3C,3,5,oak-park,38.55,-121.47,,,N`]
    for (let index = 3; index <= count; index++) lines.push(row(String(index), "DISTURBANCE", `${index} J ST`))
    const file = join(folder, "stray-quote.csv")
    writeFileSync(file, lines.join("\n"))
    const store = await freshStore()
    const report = await importInto(store, {
      tenantId,
      jurisdiction: sacramento,
      mapping,
      codeTables: [longText],
      file,
      keepRawLines: true
    })
    assert.deepStrictEqual([report.read, report.imported, report.quarantined], [count, count - 1, 1])
    const [quarantined] = await withStore(
      store,
      Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 10 }))
    )
    assert.strictEqual(quarantined?.rowNumber, 3)
    assert.strictEqual(quarantined?.raw, lines[2])
    assert.strictEqual(quarantined?.reason, `not readable as CSV: ${tooLong(4 * 1024 * 1024)}`)
  }, 120_000)

  it("keeps at most 8,192 characters of a quarantined line", async () => {
    const long = `2,2024-03-05T10:00:00,911,415,"${"D".repeat(20_000)},2,REPORT`
    const file = join(folder, "long-line.csv")
    writeFileSync(file, [header, row("1"), long, row("3")].join("\n"))
    const store = await freshStore()
    const options = { tenantId, jurisdiction: sacramento, mapping, codeTables: [longText], file, keepRawLines: true, maxRecordLength: 10_000 }
    const report = await importInto(store, options)
    assert.deepStrictEqual([report.read, report.imported, report.quarantined], [3, 2, 1])
    const [quarantined] = await withStore(
      store,
      Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 10 }))
    )
    assert.strictEqual(quarantined?.raw, `${long.slice(0, 8_192)}… (${10_000 - 8_192} characters more not kept)`)
  })
})

describe("classifying a long description", () => {
  it("reads only its first 4,096 characters", async () => {
    const file = join(folder, "long-description.csv")
    writeFileSync(file, [
      header,
      row("early", `ASSAULT ${"X".repeat(100_000)}`),
      row("late", `${"X".repeat(4_096)} ASSAULT`),
      row("near", `${"X".repeat(4_000)} ASSAULT`)
    ].join("\n"))
    const store = await freshStore()
    await importInto(store, { tenantId, jurisdiction: sacramento, mapping, codeTables: [longText], file })
    const calls = (await snapshot(store)).calls
    const categories = Object.fromEntries(calls.map((call) => [call.call.sourceRecordId, call.categories.map((match) => match.category)]))
    assert.deepStrictEqual(categories, { early: ["victimization"], late: [], near: ["victimization"] })
    // The description is stored whole.
    assert.strictEqual(calls.find((call) => call.call.sourceRecordId === "early")?.call.callType.description.length, 100_008)
  })
})
