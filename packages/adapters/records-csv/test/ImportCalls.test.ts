/**
 * Importing calls: the real 2006 Sacramento reports, another city's export
 * through a mapping written as JSON, quarantine, idempotency, overlapping
 * exports, line endings, progress, and failures that stop an import before
 * it writes anything.
 */
import type { InspectableMemoryStore } from "@community-policing/adapter-memory"
import { CallAnalytics, CallStore, locationAddressKey, locationPlace, sacramento, type StoredCall, validateCodeTable } from "@community-policing/core"
import {
  importCalls,
  type ImportProgressUpdate,
  type ImportReport,
  sacramentoCrimeReports2006Mapping,
  validateCsvMapping
} from "@community-policing/records-csv"
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { DateTime, Effect, Option, Result } from "effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { fixture, sacramentoReportsFile, tenantId } from "./support/paths.ts"
import { freshStore, importInto, sacramentoReports, snapshot, withStore } from "./support/stores.ts"

/** The place of a call read back, if any. */
const placeOf = (call: StoredCall | undefined) => call === undefined ? undefined : locationPlace(call.call.location)


const slow = { timeout: 120_000 }

// The 2006 file read in place; streams made from it stand in for other
// exports of the same records without writing a copy anywhere.
const reportsText = readFileSync(sacramentoReportsFile, "latin1")
const [reportsHeader = "", ...reportRecords] = reportsText.split("\r")

const reportsStream = (options: { from?: number; to?: number; ending?: string; bom?: boolean } = {}): Readable => {
  const ending = options.ending ?? "\r"
  const text = Buffer.from([reportsHeader, ...reportRecords.slice(options.from ?? 0, options.to)].join(ending), "latin1")
  return Readable.from([options.bom === true ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]) : text])
}

const byKey = (calls: ReadonlyArray<StoredCall>) =>
  [...calls].sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0))

const countBy = <A>(items: ReadonlyArray<A>, key: (item: A) => string | undefined): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const item of items) {
    const k = key(item) ?? "(none)"
    counts[k] = (counts[k] ?? 0) + 1
  }
  return counts
}

describe("importing the real January 2006 Sacramento reports", () => {
  let store: InspectableMemoryStore
  let report: ImportReport
  // Reading everything back decodes every call: done once, then shared.
  let calls: ReadonlyArray<StoredCall>
  const progress: Array<ImportProgressUpdate> = []

  beforeAll(async () => {
    store = await freshStore()
    report = await importInto(store, sacramentoReports(sacramentoReportsFile, {
      onProgress: (update) => progress.push(update),
      progressIntervalMillis: 0
    }))
    calls = (await snapshot(store)).calls
  }, 120_000)

  it("imports all 7,584 reports, quarantining none", () => {
    assert.deepStrictEqual(report, {
      importId: "sacramento-crime-reports-2006:4afda6d17ecc3c89368ca07f58ce4d6b3c56e724dbf93b292dc14c8d061da6bb",
      read: 7_584,
      skipped: 0,
      imported: 7_584,
      duplicates: 0,
      quarantined: 0,
      conflicts: 0,
      unaccounted: 0,
      resumedAfterRow: 0
    })
  })

  it("keeps the 38 rows that repeat an earlier row exactly as separate reports", () => {
    assert.strictEqual(calls.length, 7_584)
    assert.strictEqual(new Set(calls.map((call) => call.dedupeKey)).size, 7_584)
    const contents = calls.map((call) => JSON.stringify([call.call.receivedAt, call.call.location, call.call.callType]))
    assert.strictEqual(contents.length - new Set(contents).size, 38)
    assert.isTrue(calls.every((call) => /^hash:[0-9a-f]{64}$/.test(call.dedupeKey) && call.call.sourceRecordId === call.dedupeKey))
  })

  it("reads local times, districts, trimmed beats and coordinates as the file writes them", () => {
    const first = calls[0]
    assert.strictEqual(first?.call.receivedAt.toJSON(), "2006-01-01T08:00:00.000Z")
    assert.strictEqual(first?.serviceDay, "2006-01-01")
    assert.deepStrictEqual((first === undefined ? undefined : locationPlace(first.call.location))?.districts, { policeDistrict: "3", beat: "3C" })
    assert.deepStrictEqual((first === undefined ? undefined : locationPlace(first.call.location))?.coordinates, { latitude: 38.55042047, longitude: -121.3914158 })
    assert.deepStrictEqual(countBy(calls, (call) => locationPlace(call.call.location)?.districts.policeDistrict), {
      "1": 868,
      "2": 1_462,
      "3": 1_575,
      "4": 1_161,
      "5": 1_159,
      "6": 1_359
    })
    assert.strictEqual(calls.filter((call) => locationPlace(call.call.location)?.districts.beat === undefined).length, 42)
    assert.isTrue(calls.every((call) => /^\d[A-Z]$/.test(locationPlace(call.call.location)?.districts.beat ?? "1A")))
    assert.isTrue(calls.every((call) => call.call.channel === "other" && call.source === "sacramento-crime-reports-2006"))
    assert.isTrue(calls.every((call) => call.serviceDay >= "2006-01-01" && call.serviceDay <= "2006-01-31"))
  })

  it("groups the file's 5,492 written addresses into 5,249 places once units and spellings are normalized", () => {
    assert.strictEqual(new Set(calls.map((call) => locationAddressKey(call.call.location))).size, 5_249)
  })

  it("finds the repeat locations the README lists", async () => {
    const counts = await withStore(
      store,
      Effect.flatMap(CallStore, (calls) =>
        Effect.forEach(["3555 AUBURN BLVD", "1689 ARDEN WAY", "5770 FREEPORT BLVD", "2750 SUTTERVILLE RD", "2250 68TH AVE"], (address) =>
          Effect.map(calls.callsAt(tenantId, address, { fromDay: "2006-01-01", toDay: "2006-01-31" }), (found) => found.length)))
    )
    assert.deepStrictEqual(counts, [47, 31, 29, 26, 23])
  })

  it("classifies with the 2006 code table and sets the protected flags from it", () => {
    const withRule = (rule: string) => calls.filter((call) => call.categories.some((match) => match.rule === rule)).length
    assert.strictEqual(withRule("pc-243e"), 81)
    assert.strictEqual(withRule("rpt-gang"), 65)
    assert.strictEqual(withRule("pc-647b"), 39)
    const dv = calls.filter((call) => call.categories.some((match) => match.category === "domestic-violence"))
    assert.isTrue(dv.length >= 81 && dv.every((call) => call.call.domesticViolenceOrVictimization))
    const uncategorized = calls.filter((call) => call.categories.length === 0)
    assert.isTrue(uncategorized.every((call) => !call.call.domesticViolenceOrVictimization && !call.call.medical && !call.call.fireOrEms))
  })

  it("reports progress as it goes: rows and bytes rising to the file's size, then done", () => {
    assert.isAbove(progress.length, 3)
    for (const [index, update] of progress.entries()) {
      const before = progress[index - 1]
      if (before !== undefined) assert.isTrue(update.rows >= before.rows && update.bytes >= before.bytes)
      assert.strictEqual(update.totalBytes, 793_574)
      assert.isAtLeast(update.rowsPerSecond, 0)
    }
    const last = progress.at(-1)
    assert.deepStrictEqual(
      last && { rows: last.rows, bytes: last.bytes, done: last.done, committed: last.committed },
      { rows: 7_585, bytes: 793_574, done: true, committed: { imported: 7_584, duplicates: 0, quarantined: 0 } }
    )
    assert.isTrue(progress.slice(0, -1).every((update) => !update.done))
  })

  it("adds nothing when the same file is imported again, and reports the same totals", async () => {
    const again = await importInto(store, sacramentoReports())
    assert.deepStrictEqual(again, { ...report, resumedAfterRow: 7_585 })
    const progress = await withStore(store, Effect.flatMap(CallStore, (port) => port.importProgress(tenantId, report.importId)))
    assert.deepStrictEqual(Option.map(progress, (p) => [p.throughRow, p.imported, p.duplicates, p.quarantined]), Option.some([7_585, 7_584, 0, 0]))
  }, 120_000)

  it("counts every row as a duplicate when the same records come in under another import id", async () => {
    const again = await importInto(store, sacramentoReports(reportsStream({ to: 1_000 }), { importId: "the-same-reports-again" }))
    assert.deepStrictEqual(again, {
      importId: "the-same-reports-again",
      read: 1_000,
      skipped: 0,
      imported: 0,
      duplicates: 1_000,
      quarantined: 0,
      conflicts: 0,
      unaccounted: 0,
      resumedAfterRow: 0
    })
  }, 120_000)

  it("adds only the new rows of an overlapping export", async () => {
    const overlapping = await freshStore()
    const first = await importInto(overlapping, sacramentoReports(reportsStream({ to: 1_500 }), { importId: "export-1" }))
    const second = await importInto(overlapping, sacramentoReports(reportsStream({ from: 1_000, to: 2_500 }), { importId: "export-2" }))
    assert.deepStrictEqual([first.imported, first.duplicates], [1_500, 0])
    assert.deepStrictEqual([second.read, second.imported, second.duplicates], [1_500, 1_000, 500])
    assert.deepStrictEqual(byKey((await snapshot(overlapping)).calls), byKey(calls.slice(0, 2_500)))
  }, 120_000)

  it("leaves the store as it was after the duplicate imports", async () => {
    assert.deepStrictEqual((await snapshot(store)).calls, calls)
  })
})

describe("line endings and byte-order marks", () => {
  it("give the same calls for CR, LF and CRLF, with and without a BOM", async () => {
    const variants = [
      { ending: "\r" },
      { ending: "\n" },
      { ending: "\r\n" },
      { ending: "\r\n", bom: true },
      { ending: "\n", bom: true }
    ]
    const results: Array<ReadonlyArray<StoredCall>> = []
    for (const variant of variants) {
      const store = await freshStore()
      const report = await importInto(store, sacramentoReports(reportsStream({ to: 600, ...variant }), { importId: "endings" }))
      assert.deepStrictEqual([report.read, report.imported, report.quarantined], [600, 600, 0], JSON.stringify(variant))
      results.push((await snapshot(store)).calls)
    }
    for (const calls of results.slice(1)) assert.deepStrictEqual(calls, results[0])
  }, 120_000)
})

const seattleMapping = Result.getOrThrow(validateCsvMapping(JSON.parse(readFileSync(fixture("seattle-cad.mapping.json"), "utf8"))))
const seattleCodes = Result.getOrThrow(validateCodeTable(JSON.parse(readFileSync(fixture("seattle-cad.codes.json"), "utf8"))))
const seattleExport = fixture("seattle-cad-export.csv")

const seattle = (file: string | Readable, extra: { importId?: string } = {}) =>
  ({
    tenantId,
    jurisdiction: sacramento,
    mapping: seattleMapping,
    codeTables: [seattleCodes],
    file,
    ...extra
  }) as Parameters<typeof importInto>[1]

describe("another city's export, mapped by a JSON file", () => {
  it("is a Seattle-like export: BOM, CRLF, quoted commas and a quoted line break", () => {
    const bytes = readFileSync(seattleExport)
    assert.deepStrictEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf])
    const text = bytes.toString("utf8")
    assert.strictEqual(text.split("\r\n").length - 1, (text.match(/\n/g) ?? []).length)
    assert.include(text, "\"TELEPHONE OTHER, NOT 911\"")
    assert.include(text, "\"--ASSAULTS - HARASSMENT\r\n(SEE REMARKS, CALLER HURT)\"")
  })

  it("imports every call with its channel, UTC time, local day, categories and place", async () => {
    const store = await freshStore()
    const report = await importInto(store, seattle(seattleExport))
    assert.deepStrictEqual([report.read, report.imported, report.duplicates, report.quarantined], [7, 7, 0, 0])
    const calls = new Map((await snapshot(store)).calls.map((call) => [call.call.sourceRecordId, call]))
    const view = (id: string) => {
      const stored = calls.get(id)
      return stored && {
        channel: stored.call.channel,
        receivedAt: stored.call.receivedAt.toJSON(),
        serviceDay: stored.serviceDay,
        categories: stored.categories.map((match) => match.category),
        protected: [stored.call.domesticViolenceOrVictimization, stored.call.medical, stored.call.fireOrEms]
      }
    }
    assert.deepStrictEqual(view("2024000101"), {
      channel: "911",
      receivedAt: "2024-03-05T08:05:09.000Z",
      serviceDay: "2024-03-05",
      categories: ["disorder"],
      protected: [false, false, false]
    })
    assert.deepStrictEqual(view("2024000102"), {
      channel: "911",
      receivedAt: "2024-03-05T20:41:55.000Z",
      serviceDay: "2024-03-05",
      categories: ["domestic-violence"],
      protected: [true, false, false]
    })
    assert.strictEqual(view("2024000103")?.channel, "officer-initiated")
    assert.deepStrictEqual(view("2024000104"), {
      channel: "non-emergency",
      receivedAt: "2024-07-05T06:59:59.000Z",
      serviceDay: "2024-07-04",
      categories: ["disorder"],
      protected: [false, false, false]
    })
    assert.deepStrictEqual(view("2024000105")?.categories, ["victimization", "medical"])
    // 1:30 AM on 3 November 2024 happened twice; the mapping takes the earlier.
    assert.deepStrictEqual([view("2024000106")?.channel, view("2024000106")?.receivedAt], ["other", "2024-11-03T08:30:00.000Z"])
    assert.deepStrictEqual([view("2024000107")?.receivedAt, view("2024000107")?.serviceDay], ["2025-01-01T07:30:00.000Z", "2024-12-31"])

    const assault = calls.get("2024000105")
    assert.deepStrictEqual(assault && {
      callType: assault.call.callType,
      priority: assault.call.priority,
      disposition: assault.call.disposition,
      location: assault.call.location,
      dedupeKey: assault.dedupeKey
    }, {
      callType: { code: "PERSON DOWN", description: "--ASSAULTS - HARASSMENT\n(SEE REMARKS, CALLER HURT)" },
      priority: "1",
      disposition: "ASSISTANCE RENDERED",
      location: {
        addressKey: "3XX BLOCK OF PIKE ST",
        place: {
          addressKey: "3XX BLOCK OF PIKE ST",
          coordinates: { latitude: 47.6097, longitude: -122.3387 },
          landUse: { _tag: "unknown" },
          districts: { policeDistrict: "West", beat: "M1" }
        }
      },
      dedupeKey: "id:seattle-cad:2024000105"
    })
    assert.isUndefined(placeOf(calls.get("2024000107"))?.coordinates)
  })

  it("gives the same calls without the BOM and with LF or CR line endings", async () => {
    const original = readFileSync(seattleExport, "utf8")
    const results: Array<ReadonlyArray<StoredCall>> = []
    for (const text of [original, original.slice(1), original.replace(/\r\n/g, "\n"), original.slice(1).replace(/\r\n/g, "\r")]) {
      const store = await freshStore()
      await importInto(store, seattle(Readable.from([Buffer.from(text)]), { importId: "variant" }))
      results.push((await snapshot(store)).calls)
    }
    for (const calls of results.slice(1)) assert.deepStrictEqual(calls, results[0])
  })
})

describe("an export without an address column (Seattle's public Call Data), mapped by a JSON file", () => {
  const callDataMapping = Result.getOrThrow(
    validateCsvMapping(JSON.parse(readFileSync(fixture("seattle-call-data.mapping.json"), "utf8")))
  )
  const callData = (): Parameters<typeof importInto>[1] => ({
    tenantId,
    jurisdiction: sacramento,
    mapping: callDataMapping,
    codeTables: [seattleCodes],
    file: fixture("seattle-call-data.csv")
  })
  const year = { endDay: "2024-12-31", days: 366 }

  it("imports every call at no place, in the beat and precinct of its row, with no change of code", async () => {
    assert.isUndefined(callDataMapping.fields.address)
    const store = await freshStore()
    const report = await importInto(store, callData())
    assert.deepStrictEqual([report.read, report.imported, report.duplicates, report.quarantined], [7, 7, 0, 0])
    assert.deepStrictEqual([report.skipped, report.unaccounted], [0, 0])
    assert.strictEqual(report.read, report.imported + report.duplicates + report.quarantined)
    const calls = (await snapshot(store)).calls
    assert.deepStrictEqual(
      calls.map((call) => [call.call.sourceRecordId, call.call.location]),
      [
        ["2024000101", { addressUnknown: "not-in-export", districts: { policeDistrict: "West", beat: "D2" } }],
        ["2024000102", { addressUnknown: "not-in-export", districts: { policeDistrict: "North", beat: "N3" } }],
        ["2024000103", { addressUnknown: "not-in-export", districts: { policeDistrict: "East", beat: "E1" } }],
        ["2024000104", { addressUnknown: "not-in-export", districts: { policeDistrict: "South", beat: "R2" } }],
        ["2024000105", { addressUnknown: "not-in-export", districts: { policeDistrict: "West", beat: "M1" } }],
        ["2024000106", { addressUnknown: "not-in-export", districts: { policeDistrict: "Southwest", beat: "W1" } }],
        ["2024000107", { addressUnknown: "not-in-export", districts: { policeDistrict: "North", beat: "L1" } }]
      ]
    )
    // Everything but the location is what the export with addresses gives.
    const withAddresses = await freshStore()
    await importInto(withAddresses, seattle(seattleExport))
    const rest = (call: StoredCall) => ({ ...call.call, location: undefined })
    assert.deepStrictEqual(calls.map(rest), (await snapshot(withAddresses)).calls.map(rest))
  })

  it("counts them by area, category and channel, never by address", async () => {
    const store = await freshStore()
    await importInto(store, callData())
    const answers = await withStore(store, Effect.gen(function*() {
      const analytics = yield* CallAnalytics
      return {
        precincts: yield* analytics.countsByArea(tenantId, { window: year, area: "police-district" }),
        officerInitiated: yield* analytics.countsByArea(tenantId, { window: year, area: "beat", channels: ["officer-initiated"] }),
        categories: yield* analytics.countsByCategory(tenantId, { window: year }),
        repeat: yield* analytics.repeatLocations(tenantId, { window: year, minCount: 0, limit: 100 }),
        concentration: yield* analytics.concentration(tenantId, { window: year, topPercent: 10 })
      }
    }))
    assert.deepStrictEqual(answers.precincts, [
      { key: "North", count: 2 },
      { key: "West", count: 2 },
      { key: "East", count: 1 },
      { key: "South", count: 1 },
      { key: "Southwest", count: 1 }
    ])
    assert.deepStrictEqual(answers.officerInitiated, [{ key: "E1", count: 1 }])
    assert.isNotEmpty(answers.categories)
    assert.deepStrictEqual(answers.repeat, [])
    assert.deepStrictEqual(answers.concentration, { places: 0, topPlaces: 0, callsAtTop: 0, totalCalls: 0, share: 0 })
  })
})

describe("an export with the date and the time in two columns, mapped by a JSON file", () => {
  const mapping = Result.getOrThrow(validateCsvMapping(JSON.parse(readFileSync(fixture("date-and-time-columns.mapping.json"), "utf8"))))

  it("reads each call's time from both columns, and quarantines a bad date or time with its reason", async () => {
    const store = await freshStore()
    const report = await importInto(store, {
      tenantId,
      jurisdiction: sacramento,
      mapping,
      codeTables: [seattleCodes],
      file: fixture("date-and-time-columns.csv")
    })
    assert.deepStrictEqual([report.read, report.imported, report.duplicates, report.quarantined], [9, 4, 0, 5])
    assert.deepStrictEqual([report.skipped, report.unaccounted], [0, 0])
    const calls = (await snapshot(store)).calls
    assert.deepStrictEqual(
      calls.map((call) => [call.call.sourceRecordId, DateTime.formatIso(call.call.receivedAt), call.serviceDay]),
      [
        ["A-1", "2024-03-05T20:30:00.000Z", "2024-03-05"],
        ["A-2", "2024-03-06T15:05:00.000Z", "2024-03-06"],
        // 01:30 comes twice in Chicago on 3 November 2024: the earlier, daylight time, by default.
        ["A-8", "2024-11-03T06:30:00.000Z", "2024-11-02"],
        ["A-9", "2025-01-01T05:59:59.000Z", "2024-12-31"]
      ]
    )
    const rows = await withStore(store, Effect.flatMap(CallStore, (port) => port.quarantined(tenantId, report.importId, { afterRow: 0, limit: 100 })))
    const reason = (rowNumber: number) => rows.find((row) => row.rowNumber === rowNumber)?.reason ?? ""
    assert.deepStrictEqual(rows.map((row) => row.rowNumber), [4, 5, 6, 7, 8])
    assert.match(reason(4), /^receivedAt: "02\/30\/2024 10:00:00" .*no day 30 of 2024-02/)
    assert.match(reason(5), /^receivedAt: "03\/07\/2024 25:00:00" /)
    assert.strictEqual(reason(6), "receivedAt: Time is blank")
    assert.strictEqual(reason(7), "receivedAt: Date is blank")
    assert.match(reason(8), /^receivedAt: 2024-03-10 02:30:00 does not exist in America\/Chicago/)
    // A quarantined row keeps both columns.
    assert.match(rows.find((row) => row.rowNumber === 5)?.raw ?? "", /Date: "03\/07\/2024", Time: "25:00:00"/)
  })
})

describe("quarantine", () => {
  const header = readFileSync(seattleExport, "utf8").slice(1).split("\r\n")[0] ?? ""
  const good = (id: string, time = "03/05/2024 10:00:00 AM") =>
    `${id},REPORT WRITTEN,911,2,DISTURBANCE,--DISTURBANCE - OTHER,${time},,West,D,D2,15XX BLOCK OF PINE ST,-122.3301,47.6145`
  const lines = [
    header,
    good("1"),
    good("2", "02/30/2024 10:00:00 AM"),
    "3,REPORT WRITTEN,911,2,DISTURBANCE,--DISTURBANCE - OTHER,03/05/2024 10:00:00 AM,,West,D,D2,,-122.3301,47.6145",
    good("4") + ",EXTRA",
    "5,REPORT WRITTEN,911,2,DISTURBANCE,--DISTURBANCE - OTHER,03/05/2024 10:00:00 AM,,West,D,D2,15XX BLOCK OF PINE ST,abc,47.6145",
    "6,REPORT WRITTEN,911,2,,--DISTURBANCE - OTHER,03/10/2024 2:30:00 AM,,West,D,D2,APT 4,-122.3301,47.6145",
    ",REPORT WRITTEN,911,2,DISTURBANCE,--DISTURBANCE - OTHER,03/05/2024 10:00:00 AM,,West,D,D2,15XX BLOCK OF PINE ST,-122.3301,47.6145",
    good("8"),
    "",
    "   ",
    "9,\"never closed,911"
  ]

  it("sets bad rows aside with their row number, text and every reason, and imports the rest, a blank address included", async () => {
    const directory = mkdtempSync(join(tmpdir(), "records-csv-"))
    const file = join(directory, "bad-rows.csv")
    writeFileSync(file, lines.join("\n"))
    const store = await freshStore()
    const report = await importInto(store, seattle(file))
    assert.deepStrictEqual([report.read, report.imported, report.duplicates, report.quarantined], [9, 3, 0, 6])
    assert.deepStrictEqual([report.skipped, report.unaccounted], [1, 0])
    const rows = await withStore(store, Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 100 })))
    assert.deepStrictEqual(rows.map((row) => row.rowNumber), [3, 5, 6, 7, 8, 11])
    const reason = (rowNumber: number) => rows.find((row) => row.rowNumber === rowNumber)?.reason ?? ""
    assert.match(reason(3), /^receivedAt: .*no day 30 of 2024-02/)
    assert.strictEqual(reason(5), "has 15 fields where the header has 14")
    assert.strictEqual(reason(6), "coordinates: Blurred_Longitude \"abc\" is not a number")
    const several = reason(7).split("; ")
    assert.strictEqual(several.length, 3)
    assert.match(several[0] ?? "", /^receivedAt: .*does not exist in America\/Los_Angeles/)
    assert.strictEqual(several[1], "callTypeCode: Initial Call Type is blank")
    assert.strictEqual(several[2], "address: Invalid address: no-street-name")
    assert.strictEqual(reason(8), "sourceRecordId: CAD Event Number is blank")
    assert.match(reason(11), /^not readable as CSV: .*Quote Not Closed/)
    // By default a row keeps its mapped columns; one that does not split into the header's columns keeps no text.
    assert.match(rows.find((row) => row.rowNumber === 3)?.raw ?? "", /^CAD Event Number: "2", Original Time Queued: "02\/30\/2024 10:00:00 AM", /)
    assert.strictEqual(rows.find((row) => row.rowNumber === 5)?.raw, "")
    assert.strictEqual(rows.find((row) => row.rowNumber === 11)?.raw, "")
    const calls = (await snapshot(store)).calls
    assert.deepStrictEqual(calls.map((call) => call.call.sourceRecordId), ["1", "3", "8"])
    // The blank address: imported at no place, in the beat and precinct its row gives.
    assert.deepStrictEqual(calls.find((call) => call.call.sourceRecordId === "3")?.call.location, {
      addressUnknown: "blank",
      districts: { policeDistrict: "West", beat: "D2" }
    })
  })

  it("stops before writing anything when the header lacks a mapped column", async () => {
    const store = await freshStore()
    const text = lines.join("\n").replace("Hundred Block Location", "Location")
    const failure = await withStore(
      store,
      Effect.flip(importCalls(seattle(Readable.from([Buffer.from(text)]), { importId: "missing-column" })))
    )
    assert.strictEqual(failure._tag, "HeaderMismatch")
    assert.match(failure.message, /missing column\(s\) "Hundred Block Location"/)
    const progress = await withStore(store, Effect.flatMap(CallStore, (calls) => calls.importProgress(tenantId, "missing-column")))
    assert.isTrue(Option.isNone(progress))
  })

  it("refuses a mapping whose code tables were not given, since no call could be found protected", async () => {
    const store = await freshStore()
    const failure = await withStore(store, Effect.flip(importCalls({ ...sacramentoReports(), codeTables: [] })))
    assert.strictEqual(failure._tag, "InvalidMapping")
    assert.match(failure.message, /code table "sacramento-crime-reports-2006" was not given/)
    assert.strictEqual((await snapshot(store)).calls.length, 0)
    assert.strictEqual(sacramentoCrimeReports2006Mapping.codeTables[0], "sacramento-crime-reports-2006")
  })
})
