/**
 * Values no store can keep (issue 9, item 9): a NUL character, a lone
 * surrogate, a record id or an address too long to be a key. PostgreSQL
 * refused the whole batch holding one, so every rerun failed at the same
 * batch, while SQLite and memory took them. The importer now quarantines
 * such a row, saying which column and what is wrong, before any store sees
 * it; and the quarantined text is itself portable. One hostile file goes
 * into the memory, SQLite and PostgreSQL adapters and leaves the same report
 * and the same quarantine in each.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { PostgresStore } from "@community-policing/adapter-postgres"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { CallAnalytics, CallStore, portableTextProblem, sacramento, sacramentoCad } from "@community-policing/core"
import { genericMapping, importCalls, type ImportCallsOptions, importPlaces } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { freshPostgresDatabase } from "../../postgres/test/support/freshDatabase.ts"

const folder = mkdtempSync(join(tmpdir(), "records-csv-portable-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const postgresUrl = await freshPostgresDatabase("cp_records_portable")

type Ports = CallStore | CallAnalytics
let files = 0
const adapters: ReadonlyArray<readonly [string, () => Layer.Layer<Ports, unknown>]> = [
  ["memory", () => MemoryStore.layer()],
  ["SQLite", () => SqliteStore.layer({ filename: join(folder, `${++files}.db`) })],
  ["PostgreSQL", () => PostgresStore.layer({ url: Redacted.make(postgresUrl), maxConnections: 4, migrate: true })]
]

const mapping = genericMapping({ source: "hostile", timeZone: "America/Los_Angeles", codeTables: ["sacramento-cad"] })
const columns = [
  "record_id", "received_at", "channel", "call_type_code", "call_type_description", "priority", "disposition", "address",
  "beat", "police_district", "council_district", "neighborhood", "latitude", "longitude", "ucr_ncic", "nibrs",
  "caller_is_victim", "caller_name"
] as const
type Column = typeof columns[number]

const line = (cells: Partial<Record<Column, string>>): string => {
  const values: Record<Column, string> = {
    record_id: "", received_at: "2024-03-05T10:00:00", channel: "911", call_type_code: "415",
    call_type_description: "DISTURBANCE-CLARIFY", priority: "2", disposition: "REPORT", address: "23XX 10TH AVE",
    beat: "3C", police_district: "3", council_district: "5", neighborhood: "oak-park", latitude: "38.55",
    longitude: "-121.47", ucr_ncic: "", nibrs: "", caller_is_victim: "N", caller_name: "A. Caller",
    ...cells
  }
  return columns.map((column) => values[column]).join(",")
}

// Text that does not compress: letters from a fixed pseudo-random sequence.
let seed = 7
const incompressible = (length: number): string => {
  let text = ""
  while (text.length < length) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    text += String.fromCharCode(65 + (seed >>> 8) % 26)
    if (text.length % 9 === 8) text += " "
  }
  return text.trim()
}

const longAddress = `1234 ${incompressible(3_000)} ST`
const longId = incompressible(3_000).replaceAll(" ", "")
const longBeat = incompressible(3_000)

const lines = [
  columns.join(","),
  line({ record_id: "good-1" }),
  line({ record_id: "nul-description", call_type_description: "DISTURBANCE\u0000CLARIFY" }),
  line({ record_id: "surrogate-address", address: "23XX 10TH AVE \uD800" }),
  line({ record_id: "long-address", address: longAddress }),
  line({ record_id: longId }),
  line({ record_id: "nul\u0000id" }),
  line({ record_id: "long-beat", beat: longBeat }),
  line({ record_id: "good-2", address: "3555 AUBURN BLVD" }),
  // A NUL in a column the mapping does not read stores nothing unportable: the row is imported.
  line({ record_id: "good-3", caller_name: "A.\u0000Caller" }),
  line({ record_id: "surrogate-channel", channel: "9\uDC001" })
]

// UTF-16LE (with its byte-order mark) is the one encoding in which a file can hold a lone surrogate.
const hostileFile = join(folder, "hostile.csv")
writeFileSync(hostileFile, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join("\r\n"), "utf16le")]))

const importOnce = (options: Partial<ImportCallsOptions>, tenantId: string) =>
  Effect.gen(function*() {
    const report = yield* importCalls({
      tenantId,
      jurisdiction: sacramento,
      mapping,
      codeTables: [sacramentoCad],
      file: hostileFile,
      ...options
    } as ImportCallsOptions)
    const store = yield* CallStore
    const quarantined = yield* store.quarantined(tenantId, report.importId, { afterRow: 0, limit: 100 })
    const stored = yield* Effect.forEach(["23XX 10TH AVE", "3555 AUBURN BLVD"], (address) =>
      store.callsAt(tenantId, address, { fromDay: "2024-03-01", toDay: "2024-03-31" }))
    return { report, quarantined, stored: stored.flat().map((call) => call.call.sourceRecordId) }
  })

const importBoth = (tenantId: string) =>
  Effect.gen(function*() {
    const byColumns = yield* importOnce({}, tenantId)
    // Whole lines hold the NUL and the lone surrogate themselves: they are replaced in the kept text.
    const byLines = yield* importOnce({ importId: "hostile-whole-lines", keepRawLines: true }, tenantId)
    return { byColumns, byLines }
  })

const expectedReasons: ReadonlyArray<readonly [number, string]> = [
  [3, "description: call_type_description contains a NUL character (U+0000), which no SQL store can keep"],
  [4, "address: address contains a lone surrogate (malformed UTF-16), which no SQL store can keep"],
  [5, `address: address normalizes to a key that is ${Buffer.byteLength(longAddress)} bytes long, over the limit of 1024 bytes`],
  [
    6,
    `sourceRecordId: record_id is ${longId.length} bytes long, over the limit of 1013 bytes ` +
    "(the dedupe key id:hostile:<record id> holds at most 1024 bytes)"
  ],
  [7, "sourceRecordId: record_id contains a NUL character (U+0000), which no SQL store can keep"],
  [8, `beat: beat is ${longBeat.length} bytes long, over the limit of 256 bytes`],
  [11, "channel: channel contains a lone surrogate (malformed UTF-16), which no SQL store can keep"]
]

describe("a file of values no store can keep", () => {
  it("is imported the same into memory, SQLite and PostgreSQL: good rows stored, the rest quarantined with why", async () => {
    const outcomes: Array<readonly [string, Effect.Success<ReturnType<typeof importBoth>>]> = []
    for (const [name, makeLayer] of adapters) {
      const outcome = await Effect.runPromise(importBoth(`hostile-${name}`).pipe(Effect.provide(makeLayer())))
      outcomes.push([name, outcome] as const)
    }
    const [first, ...others] = outcomes
    assert.strictEqual(first?.[0], "memory")
    for (const [name, outcome] of others) assert.deepStrictEqual(outcome, first?.[1], name)

    const { byColumns, byLines } = first![1]
    const { read, imported, duplicates, quarantined } = byColumns.report
    assert.deepStrictEqual({ read, imported, duplicates, quarantined }, { read: 10, imported: 3, duplicates: 0, quarantined: 7 })
    assert.deepStrictEqual(byColumns.stored.sort(), ["good-1", "good-2", "good-3"])
    assert.deepStrictEqual(byColumns.quarantined.map((row) => [row.rowNumber, row.reason] as const), expectedReasons)
    assert.deepStrictEqual(byLines.stored.sort(), ["good-1", "good-2", "good-3"])
    for (const row of [...byColumns.quarantined, ...byLines.quarantined]) {
      assert.isUndefined(portableTextProblem(row.raw), `row ${row.rowNumber}`)
      assert.isUndefined(portableTextProblem(row.reason), `row ${row.rowNumber}`)
    }
    // Mapped columns are JSON-quoted, so a NUL reads as \u0000; whole lines have it replaced, and the reason says so.
    assert.include(byColumns.quarantined[0]?.raw ?? "", "call_type_description: \"DISTURBANCE\\u0000CLARIFY\"")
    const nulLine = byLines.quarantined[0]
    assert.strictEqual(nulLine?.raw, (lines[2] ?? "").replace("\u0000", "\uFFFD"))
    assert.strictEqual(
      nulLine?.reason,
      `${expectedReasons[0]?.[1]} (1 character no store can keep replaced by U+FFFD in the kept text)`
    )
  }, 120_000)

  it("refuses a tenant id or an import id no store can key by, before reading or writing anything", async () => {
    const refusals = await Effect.runPromise(
      Effect.all([
        Effect.flip(importOnce({}, "nul\u0000tenant")),
        Effect.flip(importOnce({ importId: "x".repeat(2_000) }, "hostile-ids"))
      ]).pipe(Effect.provide(MemoryStore.layer()))
    )
    assert.deepStrictEqual(refusals.map((error) => [error._tag, "reason" in error ? error.reason : error.message]), [
      ["InvalidStoreRequest", "tenantId contains a NUL character (U+0000), which no SQL store can keep"],
      ["InvalidStoreRequest", "importId is 2000 bytes long, over the limit of 1024 bytes"]
    ])
  })

  it("in a places file is quarantined the same way, the same on every adapter", async () => {
    const file = join(folder, "hostile-places.csv")
    const placeLines = [
      "address,parcel_number,land_use,beat",
      "1200 J ST,001,BAR,3C",
      "1300 K ST,00\u00002,BAR,3C",
      `${longAddress},003,BAR,3C`,
      `900 L ST,004,BAR,${longBeat}`,
      "1000 L ST,005,B\uD800AR,3C",
      "3555 AUBURN BLVD,006,MOTEL,3C"
    ]
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(placeLines.join("\n"), "utf16le")]))
    const placesMapping = {
      source: "hostile-places",
      fields: {
        address: "address",
        parcelNumber: "parcel_number",
        landUse: { column: "land_use", values: { BAR: "bar", MOTEL: "motel-hotel" } },
        beat: "beat"
      }
    } as const
    const outcomes: Array<unknown> = []
    for (const [name, makeLayer] of adapters) {
      const tenantId = `hostile-places-${name}`
      outcomes.push(
        await Effect.runPromise(
          Effect.gen(function*() {
            const report = yield* importPlaces({ tenantId, mapping: placesMapping, file })
            const store = yield* CallStore
            const quarantined = yield* store.quarantined(tenantId, report.importId, { afterRow: 0, limit: 100 })
            const places = yield* Effect.forEach(["1200 J ST", "3555 AUBURN BLVD", "1300 K ST"], (address) =>
              Effect.map(store.place(tenantId, address), Option.isSome))
            return { report, quarantined: quarantined.map((row) => [row.rowNumber, row.reason]), places }
          }).pipe(Effect.provide(makeLayer()))
        )
      )
    }
    for (const outcome of outcomes.slice(1)) assert.deepStrictEqual(outcome, outcomes[0])
    const { report, quarantined, places } = outcomes[0] as {
      report: { upserted: number; quarantined: number }
      quarantined: ReadonlyArray<readonly [number, string]>
      places: ReadonlyArray<boolean>
    }
    assert.deepStrictEqual([report.upserted, report.quarantined], [2, 4])
    assert.deepStrictEqual(places, [true, true, false])
    assert.deepStrictEqual(quarantined, [
      [3, "parcelNumber: parcel_number contains a NUL character (U+0000), which no SQL store can keep"],
      [4, `address: address normalizes to a key that is ${Buffer.byteLength(longAddress)} bytes long, over the limit of 1024 bytes`],
      [5, `beat: beat is ${longBeat.length} bytes long, over the limit of 256 bytes`],
      [6, "landUse: land_use contains a lone surrogate (malformed UTF-16), which no SQL store can keep"]
    ])
  }, 120_000)
})
