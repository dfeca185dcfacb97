/**
 * The fast import (issue 4: hand-written parser, compiled mapping, scanned
 * date-times, cached registry) against the import as it was before, kept in
 * test/support/reference as the oracle: on the real 2006 reports, the
 * Seattle-like export, generated Sacramento CAD data with its places
 * registry, hand-made bad rows and generated rows of every kind, both leave
 * the same store behind: the same calls, the same quarantined rows with the
 * same reasons, the same progress and report.
 */
import { type InspectableMemoryStore } from "@community-policing/adapter-memory"
import {
  CallAnalytics,
  CallStore,
  locationAddressKey,
  locationPlace,
  sacramento,
  sacramentoCad,
  sacramentoCrimeReports2006,
  validateCodeTable
} from "@community-policing/core"
import {
  generateSacramentoCad,
  generatedPlacesMapping,
  genericMapping,
  importCalls,
  type ImportCallsOptions,
  importPlaces,
  type ImportReport,
  sacramentoCadMapping,
  sacramentoCrimeReports2006Mapping,
  validateCsvMapping
} from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { fixture, sacramentoReportsFile, tenantId } from "./support/paths.ts"
import { importCallsBefore } from "./support/reference/ImportCallsBefore.ts"
import { freshStore, snapshot } from "./support/stores.ts"

const folder = mkdtempSync(join(tmpdir(), "records-csv-equivalence-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let files = 0
const writeCsv = (text: string): string => {
  const file = join(folder, `${++files}.csv`)
  writeFileSync(file, text)
  return file
}

const run = <A, E>(store: InspectableMemoryStore, effect: Effect.Effect<A, E, CallStore | CallAnalytics>) =>
  Effect.runPromise(
    Effect.result(effect).pipe(
      Effect.provideService(CallStore, store.callStore),
      Effect.provideService(CallAnalytics, store.callAnalytics)
    )
  )

/**
 * The report's fields the import before had. Of the fields issue 9 added,
 * `unaccounted` must be 0 (the rows read are all accounted for); `skipped`
 * and `conflicts` are checked in ImportCounts.test.ts.
 */
const reportBefore = (report: Omit<ImportReport, "skipped" | "conflicts" | "unaccounted">) => {
  if (!("unaccounted" in report)) return report
  const { conflicts: _conflicts, skipped: _skipped, unaccounted, ...before } = report as ImportReport
  assert.strictEqual(unaccounted, 0)
  return before
}

/**
 * Everything an import leaves: its result (report or failure) and the
 * tenant's calls and imports. The import before kept whole lines in
 * quarantine; the fast one does when asked (by default it keeps only the
 * mapped columns, which QuarantinePrivacy.test.ts checks).
 */
const outcome = async (store: InspectableMemoryStore, options: ImportCallsOptions, before: boolean) => {
  const result = await run(store, before ? importCallsBefore(options) : importCalls({ ...options, keepRawLines: true }))
  const tenant = await snapshot(store)
  return {
    result: Result.isSuccess(result) ? { report: reportBefore(result.success) } : { failure: result.failure._tag, message: result.failure.message },
    calls: tenant.calls,
    imports: tenant.imports
  }
}

/** Imports with both, each into a store of its own prepared the same way, and checks they end the same. */
const assertSameImport = async (
  options: ImportCallsOptions,
  prepare: (store: InspectableMemoryStore) => Promise<void> = async () => undefined
) => {
  const fastStore = await freshStore()
  const beforeStore = await freshStore()
  await prepare(fastStore)
  await prepare(beforeStore)
  const fast = await outcome(fastStore, options, false)
  const before = await outcome(beforeStore, options, true)
  assert.deepStrictEqual(fast, before)
  // Importing again is all duplicates (or all resumed) in both.
  assert.deepStrictEqual(await outcome(fastStore, options, false), await outcome(beforeStore, options, true))
  return fast
}

const seattleMapping = Result.getOrThrow(validateCsvMapping(JSON.parse(readFileSync(fixture("seattle-cad.mapping.json"), "utf8"))))
const seattleCodes = Result.getOrThrow(validateCodeTable(JSON.parse(readFileSync(fixture("seattle-cad.codes.json"), "utf8"))))

const seattle = (file: string, extra: Partial<ImportCallsOptions> = {}) =>
  ({ tenantId, jurisdiction: sacramento, mapping: seattleMapping, codeTables: [seattleCodes], file, ...extra }) as ImportCallsOptions

describe("the fast import and the import before it", () => {
  it("store the same calls from the real 2006 reports (hash keys, repeated rows, CR endings)", async () => {
    const fast = await assertSameImport({
      tenantId,
      jurisdiction: sacramento,
      mapping: sacramentoCrimeReports2006Mapping,
      codeTables: [sacramentoCrimeReports2006],
      file: sacramentoReportsFile,
      batchSize: 997
    })
    assert.strictEqual(fast.calls.length, 7_584)
  }, 120_000)

  it("store the same calls from the Seattle-like export (BOM, CRLF, quoted line break, DST)", async () => {
    const fast = await assertSameImport(seattle(fixture("seattle-cad-export.csv")))
    assert.strictEqual(fast.calls.length, 7)
  })

  it("store the same calls from generated Sacramento CAD data, with the places registry imported first", async () => {
    const callsFile = join(folder, "cad.csv")
    const placesFile = join(folder, "places.csv")
    await Effect.runPromise(
      generateSacramentoCad({ seed: 11, calls: 6_000, from: "2023-03-01", to: "2023-11-30", callsFile, placesFile })
    )
    const withPlaces = async (store: InspectableMemoryStore) => {
      await run(store, importPlaces({ tenantId, jurisdiction: sacramento, mapping: generatedPlacesMapping, file: placesFile }))
    }
    const options: ImportCallsOptions = {
      tenantId,
      jurisdiction: sacramento,
      mapping: sacramentoCadMapping,
      codeTables: [sacramentoCad],
      file: callsFile,
      batchSize: 1_000
    }
    const fast = await assertSameImport(options, withPlaces)
    assert.isTrue(fast.calls.some((call) => locationPlace(call.call.location)?.landUse._tag === "non-residential"))
    assert.isTrue(fast.calls.some((call) => locationPlace(call.call.location)?.parcelNumber !== undefined))
    // The blanked victim addresses are imported at no place (issue 12).
    const report = "report" in fast.result ? fast.result.report : undefined
    assert.isTrue(fast.calls.some((call) => locationAddressKey(call.call.location) === undefined))
    assert.strictEqual(report?.imported, fast.calls.length)
  }, 120_000)

  it("quarantine the same hand-made bad rows for the same reasons", async () => {
    const header = readFileSync(fixture("seattle-cad-export.csv"), "utf8").slice(1).split("\r\n")[0] ?? ""
    const row = (id: string, time: string, address = "15XX BLOCK OF PINE ST", coordinates = "-122.3301,47.6145", type = "DISTURBANCE") =>
      `${id},REPORT WRITTEN,911,2,${type},--DISTURBANCE - OTHER,${time},,West,D,D2,${address},${coordinates}`
    const lines = [
      header,
      row("1", "03/05/2024 10:00:00 AM"),
      row("2", "02/30/2024 10:00:00 AM"),
      row("3", "03/10/2024 2:30:00 AM"),
      row("4", "11/03/2024 1:30:00 AM"),
      row("5", "11/03/2024 1:30:00 am"),
      row("6", "3/5/2024 10:00:00 AM"),
      row("7", "03/05/2024 13:00:00 PM"),
      row("8", "03/05/2024 00:00:00 AM"),
      row("9", "03/05/2024 10:00:00 AM", ""),
      row("10", "03/05/2024 10:00:00 AM", "APT 4"),
      row("11", "03/05/2024 10:00:00 AM", "15XX BLOCK OF PINE ST", "abc,47.6"),
      row("12", "03/05/2024 10:00:00 AM", "15XX BLOCK OF PINE ST", ",47.6"),
      row("13", "03/05/2024 10:00:00 AM", "15XX BLOCK OF PINE ST", "-122.3,95"),
      row("14", "03/05/2024 10:00:00 AM", "15XX BLOCK OF PINE ST", ","),
      row("15", "", "", "x,y", ""),
      row("", "03/05/2024 10:00:00 AM"),
      row("1", "03/06/2024 10:00:00 AM"),
      row("16", " 03/05/2024 10:00:00 AM ", "  15xx block of pine street  "),
      row("17", "12/31/0099 10:00:00 PM"),
      row("18", "03/05/2024 10:00:00 AM") + ",EXTRA",
      "19,\"quoted, comma\",\"TELEPHONE OTHER, NOT 911\",1,DISTURBANCE,--X,03/05/2024 10:00:00 AM,,West,D,D2,\"1 MAIN ST\",,",
      "",
      "   ",
      "20,x\"y,ONVIEW,1,DISTURBANCE,--X,03/05/2024 10:00:00 AM,,West,D,D2,2 MAIN ST,,",
      "21,\"open,911,1,DISTURBANCE,--X,03/05/2024 10:00:00 AM,,West,D,D2,3 MAIN ST,,"
    ]
    const fast = await assertSameImport(seattle(writeCsv(lines.join("\n")), { batchSize: 4 }))
    const report = "report" in fast.result ? fast.result.report : undefined
    assert.isAtLeast(report?.quarantined ?? 0, 14)
  })

  it("report the same failure for a header that does not fit", async () => {
    const text = readFileSync(fixture("seattle-cad-export.csv"), "utf8").replace("Hundred Block Location", "Location")
    const fast = await assertSameImport(seattle(writeCsv(text)))
    assert.deepStrictEqual(fast.result, {
      failure: "HeaderMismatch",
      message: (fast.result as { message: string }).message
    })
  })
})

// Cells of the generic layout, right and wrong, for generated rows.
const genericCell = {
  id: fc.constantFrom("A-1", "A-2", "A-3", "B-1", " A-1 ", ""),
  receivedAt: fc.constantFrom(
    "2024-03-05T14:30:00-08:00",
    "2024-03-05T14:30:00Z",
    "2024-03-05 14:30",
    "2024-03-10T02:30:00",
    "2024-11-03T01:30:00",
    "2024-11-03T01:30:00.250",
    "2024-12-31T23:30:00",
    "2024-02-30T10:00:00",
    "2024-03-05T14:30:00+19:00",
    "0099-03-05",
    "03/05/2024",
    ""
  ),
  channel: fc.constantFrom("911", "non-emergency", "officer-initiated", "other", "ONVIEW", "", " 911 "),
  code: fc.constantFrom("415", "242", "PC 273.5", "", "  "),
  description: fc.constantFrom("DISTURBANCE", "DV - ASSAULT", "MEDICAL AID", "", "\"QUOTED, DESCRIPTION\""),
  priority: fc.constantFrom("1", "", "P2"),
  disposition: fc.constantFrom("REPORT TAKEN", "", "GONE ON ARRIVAL"),
  address: fc.constantFrom("23XX 10TH AVE", "3555 Auburn Boulevard, Apt. 12", "Stockton Blvd / Fruitridge Rd", "APT 4", "", "12345", "MAIN ST /"),
  area: fc.constantFrom("", "3", "3C", "oak-park"),
  latitude: fc.constantFrom("38.55", "", "abc", "95", "-38.5"),
  longitude: fc.constantFrom("-121.47", "", "x", "-190"),
  code2: fc.constantFrom("", "13A", "09A"),
  victim: fc.constantFrom("Y", "N", "", "y", "MAYBE")
}

const genericRow = fc.tuple(
  genericCell.id,
  genericCell.receivedAt,
  genericCell.channel,
  genericCell.code,
  genericCell.description,
  genericCell.priority,
  genericCell.disposition,
  genericCell.address,
  genericCell.area,
  genericCell.area,
  genericCell.area,
  genericCell.area,
  genericCell.latitude,
  genericCell.longitude,
  genericCell.code2,
  genericCell.code2,
  genericCell.victim
).map((cells) => cells.join(","))

const genericHeader = "record_id,received_at,channel,call_type_code,call_type_description,priority,disposition,address,beat," +
  "police_district,council_district,neighborhood,latitude,longitude,ucr_ncic,nibrs,caller_is_victim"

describe("the fast import and the import before it, on generated rows", () => {
  it("store the same calls and quarantine the same rows for the same reasons, with and without record ids", async () => {
    const withIds = genericMapping({ source: "generic-test", timeZone: "America/Los_Angeles", codeTables: ["sacramento-cad"] })
    const { sourceRecordId: _dropped, ...withoutIdFields } = withIds.fields
    const withoutIds = { ...withIds, source: "generic-hashed", fields: withoutIdFields }
    await fc.assert(
      fc.asyncProperty(
        fc.array(genericRow, { minLength: 1, maxLength: 25 }),
        fc.constantFrom(withIds, withoutIds),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.integer({ min: 1, max: 6 }),
        async (rows, mapping, ending, batchSize) => {
          // Repeating a row makes identical content, which keys without ids number.
          const text = [genericHeader, ...rows, ...rows.slice(0, 2)].join(ending)
          await assertSameImport({
            tenantId,
            jurisdiction: sacramento,
            mapping,
            codeTables: [sacramentoCad],
            file: writeCsv(text),
            batchSize
          })
        }
      ),
      { numRuns: 60 }
    )
  }, 120_000)
})
