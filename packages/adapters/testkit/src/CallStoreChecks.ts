/**
 * The checks of the `CallStore` contract. Each works in fresh tenants and
 * fresh import ids, so they can share one store, even a database that
 * outlives the run.
 *
 * @module
 */
import {
  CallStore,
  compareCodePoints,
  type ImportBatch,
  type ImportProgress,
  keyProblem,
  locationPlace,
  MAX_AREA_ID_BYTES,
  MAX_KEY_BYTES,
  type Place,
  portableTextProblem,
  type QuarantinedRow,
  type StoredCall
} from "@community-policing/core"
import { Effect, Option, Result } from "effect"
import { addDays, addressKeyOf, isAddressKey, makeBatch, makeStoredCall, makeUnaddressedCall, placeView, storedCallView } from "./CallFixtures.ts"
import { type ConformanceCheck, inNewInstance } from "./ConformanceCheck.ts"
import { ConformanceFailure, expectEqual, expectFailure, expectSuccess } from "./ConformanceFailure.ts"
import { freshId, freshTenant, hostileStrings, unicodeStrings } from "./Fixtures.ts"
import {
  expectRefusal,
  expectTenantRefused,
  incompressibleText,
  invalidKeys,
  invalidTenantIds,
  longestTenant,
  longestWideKey
} from "./Limits.ts"
import { RawStore } from "./RawStore.ts"

const check = (
  name: string,
  run: ConformanceCheck<CallStore>["run"],
  requires: ConformanceCheck<CallStore>["requires"] = []
): ConformanceCheck<CallStore> => ({ port: "CallStore", name, requires, run })

/** Days around a month's end, so that a window crosses it. */
const day = (offset: number) => addDays("2026-03-01", offset)

/** A window wide enough for every call these checks write. */
const everyDay = { fromDay: day(-30), toDay: day(30) }

/** Commits a batch that must succeed with these counts. */
const commitOk = Effect.fnUntraced(function*(
  tenantId: string,
  batch: ImportBatch,
  expected: { readonly imported: number; readonly duplicates: number },
  what: string
) {
  const store = yield* CallStore
  const result = yield* expectSuccess(store.commitImportBatch(tenantId, batch), what)
  yield* expectEqual(
    { imported: result.imported, duplicates: result.duplicates },
    expected,
    `${what}: how many calls were new and how many were duplicates`
  )
})

/** The calls at an address in a window, as plain data. */
const callsAtView = Effect.fnUntraced(function*(
  tenantId: string,
  addressKey: string,
  window: { readonly fromDay: string; readonly toDay: string },
  what: string
) {
  const store = yield* CallStore
  const calls = yield* expectSuccess(store.callsAt(tenantId, addressKey, window), what)
  return calls.map(storedCallView)
})

const progressOf = Effect.fnUntraced(function*(tenantId: string, importId: string) {
  const store = yield* CallStore
  return yield* expectSuccess(store.importProgress(tenantId, importId), "importProgress")
})

const allQuarantined = Effect.fnUntraced(function*(tenantId: string, importId: string, what: string) {
  const store = yield* CallStore
  return yield* expectSuccess(store.quarantined(tenantId, importId, { afterRow: 0, limit: 10_000 }), what)
})

const byKey = (calls: ReadonlyArray<StoredCall>) => [...calls].sort((a, b) => compareCodePoints(a.dedupeKey, b.dedupeKey))

const rawReaders = Effect.map(Effect.serviceOption(RawStore), Option.getOrUndefined)

/** When the raw store can read calls, the calls really stored for the tenant must be `expected` (in any order). */
const expectStoredCalls = Effect.fnUntraced(function*(tenantId: string, expected: ReadonlyArray<StoredCall>, what: string) {
  const reader = (yield* rawReaders)?.calls
  if (reader === undefined) return
  const stored = yield* expectSuccess(reader(tenantId), "RawStore.calls")
  yield* expectEqual(
    byKey(stored).map(storedCallView),
    byKey(expected).map(storedCallView),
    `${what} (calls read from the raw store)`
  )
})

const progress = (
  importId: string,
  throughRow: number,
  imported: number,
  duplicates: number,
  quarantined: number
): Option.Option<ImportProgress> => Option.some({ importId, throughRow, imported, duplicates, quarantined })

const progressView = (found: Option.Option<ImportProgress>) =>
  Option.map(found, (value) => ({
    importId: value.importId,
    throughRow: value.throughRow,
    imported: value.imported,
    duplicates: value.duplicates,
    quarantined: value.quarantined
  }))

/** An `ImportAlreadyRunning` (or whatever came instead) as plain data. */
const conflictView = (failure: unknown) => {
  const found = failure as Partial<Record<"_tag" | "tenantId" | "importId" | "expectedAfterRow" | "progress", unknown>>
  const progress = found.progress as Partial<Record<"throughRow" | "imported" | "duplicates" | "quarantined", unknown>> | undefined
  return {
    _tag: found._tag,
    tenantId: found.tenantId,
    importId: found.importId,
    expectedAfterRow: found.expectedAfterRow,
    progress: progress === undefined
      ? undefined
      : { throughRow: progress.throughRow, imported: progress.imported, duplicates: progress.duplicates, quarantined: progress.quarantined }
  }
}

const rowView = (row: QuarantinedRow) => ({ rowNumber: row.rowNumber, raw: row.raw, reason: row.reason })

const quarantinedRow = (rowNumber: number, raw = `${rowNumber},13/45/2024 9:00,415,DISTURBANCE`): QuarantinedRow => ({
  rowNumber,
  raw,
  reason: `receivedAt: "13/45/2024 9:00" is not a date (M/d/yyyy H:mm), row ${rowNumber}`
})

/** Five calls at one address on consecutive days, keyed `<prefix>-1` to `<prefix>-5`. */
const fiveCalls = (prefix: string, addressKey = "2300 10TH AVE") =>
  [1, 2, 3, 4, 5].map((index) =>
    makeStoredCall({ dedupeKey: `${prefix}-${index}`, addressKey, serviceDay: day(index - 3), categories: ["disorder"] })
  )

const batchesAndProgress = check(
  "commitImportBatch stores a batch's calls, quarantined rows and progress together; the progress totals add up over batches",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const [c1, c2, c3, c4] = fiveCalls("batches") as [StoredCall, StoredCall, StoredCall, StoredCall, StoredCall]
    yield* expectEqual(yield* progressOf(tenantId, importId), Option.none(), "an import that never committed has no progress")
    yield* commitOk(tenantId, makeBatch(importId, 4, [c1, c2], [quarantinedRow(3)]), { imported: 2, duplicates: 0 }, "the first batch")
    yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 4, 2, 0, 1), "the progress after the first batch")
    yield* commitOk(tenantId, makeBatch(importId, 8, [c3, c4, c2], [quarantinedRow(7)]), { imported: 2, duplicates: 1 }, "the second batch")
    yield* expectEqual(
      progressView(yield* progressOf(tenantId, importId)),
      progress(importId, 8, 4, 1, 2),
      "the progress after the second batch: totals over both batches"
    )
    yield* expectEqual(yield* progressOf(tenantId, `${importId}-other`), Option.none(), "another import's progress")
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKeyOf(c1), everyDay, "callsAt"),
      [c1, c2, c3, c4].map(storedCallView),
      "the calls of both batches, each once"
    )
    yield* expectEqual(
      (yield* allQuarantined(tenantId, importId, "quarantined")).map(rowView),
      [quarantinedRow(3), quarantinedRow(7)],
      "the rows both batches quarantined"
    )
    yield* expectStoredCalls(tenantId, [c1, c2, c3, c4], "the stored calls")

    // The same rows in one batch must end exactly as the two batches did.
    const clean = yield* freshTenant
    yield* commitOk(
      clean,
      makeBatch(importId, 8, [c1, c2, c3, c4, c2], [quarantinedRow(7), quarantinedRow(3)]),
      { imported: 4, duplicates: 1 },
      "the same rows in one batch"
    )
    yield* expectEqual(
      progressView(yield* progressOf(clean, importId)),
      progress(importId, 8, 4, 1, 2),
      "an import in two batches must end with the progress of one clean run"
    )
    yield* expectEqual(
      yield* callsAtView(clean, addressKeyOf(c1), everyDay, "callsAt after one batch"),
      [c1, c2, c3, c4].map(storedCallView),
      "an import in two batches must store what one clean run stores"
    )
    yield* expectEqual(
      (yield* store.quarantined(clean, importId, { afterRow: 0, limit: 10 })).map(rowView),
      [quarantinedRow(3), quarantinedRow(7)],
      "an import in two batches must quarantine what one clean run quarantines"
    )
  })
)

const staleThroughRow = check(
  "a batch whose throughRow is not beyond the import's progress fails with InvalidStoreRequest and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const [c1, c2, c3, c4] = fiveCalls("stale") as [StoredCall, StoredCall, StoredCall, StoredCall, StoredCall]
    const addressKey = addressKeyOf(c1)
    yield* commitOk(tenantId, makeBatch(importId, 10, [c1], [quarantinedRow(5)]), { imported: 1, duplicates: 0 }, "the first batch")
    for (const throughRow of [10, 9, 1]) {
      yield* expectFailure(
        store.commitImportBatch(tenantId, makeBatch(importId, throughRow, [c2, c3])),
        "InvalidStoreRequest",
        `a batch through row ${throughRow} after progress reached row 10`
      )
    }
    yield* expectEqual(
      progressView(yield* progressOf(tenantId, importId)),
      progress(importId, 10, 1, 0, 1),
      "refused batches must leave the progress as it was"
    )
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"),
      [storedCallView(c1)],
      "refused batches must store no call"
    )
    yield* expectStoredCalls(tenantId, [c1], "after refused batches")
    yield* commitOk(tenantId, makeBatch(importId, 11, [c4], [quarantinedRow(11)]), { imported: 1, duplicates: 0 }, "the next batch")
    yield* expectEqual(
      progressView(yield* progressOf(tenantId, importId)),
      progress(importId, 11, 2, 0, 2),
      "the progress after the next batch"
    )
  })
)

const malformedBatches = check(
  "a batch with a malformed call or quarantined row fails with InvalidStoreRequest and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const [c1, c2, c3] = fiveCalls("malformed") as [StoredCall, StoredCall, StoredCall, StoredCall, StoredCall]
    const addressKey = addressKeyOf(c1)
    const malformed: ReadonlyArray<readonly [string, ImportBatch]> = [
      ["a call on a day that does not exist, last in the batch", makeBatch(importId, 6, [c1, c2, { ...c3, serviceDay: "2026-02-30" }], [quarantinedRow(4)])],
      ["a call with an empty dedupe key, last in the batch", makeBatch(importId, 6, [c1, c2, { ...c3, dedupeKey: "" }])],
      ["a quarantined row with an empty reason", makeBatch(importId, 6, [c1, c2, c3], [quarantinedRow(4), { ...quarantinedRow(5), reason: "" }])]
    ]
    for (const [what, batch] of malformed) {
      yield* expectFailure(store.commitImportBatch(tenantId, batch), "InvalidStoreRequest", `a batch with ${what}`)
      yield* expectEqual(yield* progressOf(tenantId, importId), Option.none(), `a batch with ${what} must record no progress`)
      yield* expectEqual(yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"), [], `a batch with ${what} must store no call`)
      yield* expectEqual(yield* allQuarantined(tenantId, importId, "quarantined"), [], `a batch with ${what} must quarantine nothing`)
      yield* expectStoredCalls(tenantId, [], `after a batch with ${what}`)
    }
    yield* commitOk(tenantId, makeBatch(importId, 6, [c1, c2, c3]), { imported: 3, duplicates: 0 }, "the batch made well-formed")
  })
)

const idempotent = check(
  "a call whose dedupeKey is stored counts as a duplicate and changes nothing: the same file again, an overlapping export, a key repeated in a batch",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const [c1, c2, c3, c4, c5] = fiveCalls("idempotent") as [StoredCall, StoredCall, StoredCall, StoredCall, StoredCall]
    const addressKey = addressKeyOf(c1)
    const first = yield* freshId("import")
    yield* commitOk(tenantId, makeBatch(first, 4, [c1, c2, c3]), { imported: 3, duplicates: 0 }, "the first import")
    const again = yield* freshId("import")
    yield* commitOk(tenantId, makeBatch(again, 4, [c1, c2, c3]), { imported: 0, duplicates: 3 }, "the same file imported again")
    yield* expectEqual(
      progressView(yield* progressOf(tenantId, again)),
      progress(again, 4, 0, 3, 0),
      "the progress of an import that found only duplicates"
    )
    // The overlapping export carries the same key with other content: the stored call must not change.
    const changed: StoredCall = { ...c3, call: { ...c3.call, callType: { code: "459", description: "BURGLARY" } } }
    const overlapping = yield* freshId("import")
    yield* commitOk(tenantId, makeBatch(overlapping, 4, [changed, c4, c5]), { imported: 2, duplicates: 1 }, "an overlapping export")
    const repeated = yield* freshId("import")
    const c6 = makeStoredCall({ dedupeKey: "idempotent-6", addressKey, serviceDay: day(0) })
    const c6Later: StoredCall = { ...c6, categories: [{ category: "nuisance", table: "t", tableVersion: "1", rule: "r" }] }
    yield* commitOk(tenantId, makeBatch(repeated, 3, [c6, c6Later]), { imported: 1, duplicates: 1 }, "a batch repeating a key")
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"),
      [c1, c2, c3, c6, c4, c5].map(storedCallView),
      "every key stored once, as its first call"
    )
    yield* expectStoredCalls(tenantId, [c1, c2, c3, c4, c5, c6], "the stored calls")
  })
)

const dedupePerTenant = check(
  "a dedupeKey belongs to its tenant: the same calls in another tenant are new there",
  Effect.fnUntraced(function*() {
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const importId = yield* freshId("import")
    const calls = fiveCalls("per-tenant")
    const addressKey = addressKeyOf(calls[0]!)
    yield* commitOk(tenantA, makeBatch(importId, 6, calls), { imported: 5, duplicates: 0 }, "the import in tenant A")
    yield* commitOk(tenantB, makeBatch(importId, 6, calls), { imported: 5, duplicates: 0 }, "the same import in tenant B")
    for (const tenantId of [tenantA, tenantB]) {
      yield* expectEqual(yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"), calls.map(storedCallView), "each tenant's calls")
      yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 6, 5, 0, 0), "each tenant's progress")
    }
  })
)

const concurrentImports = check(
  "of concurrent imports of overlapping exports, each dedupeKey is stored once",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const addressKey = "2300 10TH AVE"
    const shared = fiveCalls("racing-shared", addressKey)
    const imports = yield* Effect.forEach(Array.from({ length: 8 }, (_, index) => index), (index) =>
      Effect.map(freshId("import"), (importId) => ({
        importId,
        calls: [...shared, makeStoredCall({ dedupeKey: `racing-own-${index}`, addressKey, serviceDay: day(0), localTime: "09:00" })]
      })))
    const results = yield* Effect.forEach(
      imports,
      ({ calls, importId }) => expectSuccess(store.commitImportBatch(tenantId, makeBatch(importId, 7, calls)), "a concurrent import"),
      { concurrency: "unbounded" }
    )
    const imported = results.reduce((sum, result) => sum + result.imported, 0)
    const duplicates = results.reduce((sum, result) => sum + result.duplicates, 0)
    yield* expectEqual({ imported, duplicates }, { imported: 13, duplicates: 35 }, "13 distinct keys among 48 calls")
    const stored = yield* expectSuccess(store.callsAt(tenantId, addressKey, everyDay), "callsAt")
    yield* expectEqual(
      stored.map((call) => call.dedupeKey).sort(compareCodePoints),
      [...shared.map((call) => call.dedupeKey), ...imports.map((_, index) => `racing-own-${index}`)].sort(compareCodePoints),
      "each key stored once"
    )
  }),
  ["concurrentWriters"]
)

const concurrentBatches = check(
  "of concurrent batches of one import from the same progress, exactly one commits; the others fail with ImportAlreadyRunning",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const addressKey = "2300 10TH AVE"
    // Two processes importing one file: each read no progress, so each batch continues from row 0.
    const batches = Array.from({ length: 8 }, (_, index) =>
      makeBatch(importId, 5, [makeStoredCall({ dedupeKey: `same-row-${index}`, addressKey, serviceDay: day(0) })], [quarantinedRow(3)], 0))
    const results = yield* Effect.forEach(batches, (batch) => Effect.result(store.commitImportBatch(tenantId, batch)), {
      concurrency: "unbounded"
    })
    const committed = results.filter(Result.isSuccess).length
    yield* expectEqual(committed, 1, "exactly one of the racing batches commits")
    for (const result of results) {
      if (Result.isFailure(result)) {
        const failure: unknown = result.failure
        yield* expectEqual(
          conflictView(failure),
          { _tag: "ImportAlreadyRunning", tenantId, importId, expectedAfterRow: 0, progress: { throughRow: 5, imported: 1, duplicates: 0, quarantined: 1 } },
          "the others are told the import is already running, with the progress they found"
        )
      }
    }
    yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 5, 1, 0, 1), "the progress of the one batch")
    yield* expectEqual((yield* callsAtView(tenantId, addressKey, everyDay, "callsAt")).length, 1, "the call of the one batch")
    yield* expectEqual((yield* allQuarantined(tenantId, importId, "quarantined")).length, 1, "the quarantined row of the one batch")
  }),
  ["concurrentWriters"]
)

/** Raw texts a records file really holds: CSV quoting, padding, every hostile and unicode string. */
const rawTexts: ReadonlyArray<string> = [
  " 23XX 10TH AVE , \"DISTURBANCE, CLARIFY\" ,, ",
  "\"unterminated,quote",
  "",
  ...hostileStrings,
  ...unicodeStrings
]

const quarantineOrder = check(
  "quarantined rows come back in row order with their raw text and reason, after afterRow, at most limit",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const other = yield* freshId("import")
    const text = (rowNumber: number) => rawTexts[rowNumber % rawTexts.length]!
    const row = (rowNumber: number): QuarantinedRow => ({ rowNumber, raw: text(rowNumber), reason: `reason ${text(rowNumber + 1)}` })
    // Out of order within batches; 9 before 10 and 2 before 10, which a text order gets wrong.
    yield* commitOk(tenantId, makeBatch(importId, 12, [], [row(9), row(2), row(10)]), { imported: 0, duplicates: 0 }, "batch 1")
    const many = Array.from({ length: rawTexts.length }, (_, index) => row(100 + index)).reverse()
    yield* commitOk(tenantId, makeBatch(importId, 200, [], [row(30), row(13), ...many]), { imported: 0, duplicates: 0 }, "batch 2")
    yield* commitOk(tenantId, makeBatch(other, 20, [], [row(5)]), { imported: 0, duplicates: 0 }, "another import")
    const expected = [row(2), row(9), row(10), row(13), row(30), ...[...many].reverse()]
    yield* expectEqual(
      (yield* allQuarantined(tenantId, importId, "quarantined from 0")).map(rowView),
      expected,
      "every row of the import, in row order, raw text and reason exactly as given"
    )
    const after = (afterRow: number, limit: number) =>
      Effect.map(expectSuccess(store.quarantined(tenantId, importId, { afterRow, limit }), `quarantined after ${afterRow}`), (rows) =>
        rows.map((found) => found.rowNumber))
    yield* expectEqual(yield* after(9, 3), [10, 13, 30], "afterRow is exclusive and limit caps the rows")
    yield* expectEqual(yield* after(10, 2), [13, 30], "afterRow is exclusive")
    yield* expectEqual(yield* after(99 + rawTexts.length, 5), [], "nothing after the last row")
    const paged: Array<number> = []
    let afterRow = 0
    for (let pages = 0; pages <= expected.length; pages++) {
      const page = yield* after(afterRow, 4)
      if (page.length === 0) break
      paged.push(...page)
      afterRow = page.at(-1)!
    }
    yield* expectEqual(paged, expected.map((found) => found.rowNumber), "paging by afterRow visits every row once")
    yield* expectEqual(
      (yield* allQuarantined(tenantId, other, "another import's rows")).map(rowView),
      [row(5)],
      "another import's rows"
    )
    yield* expectEqual(yield* allQuarantined(tenantId, "never-imported", "an unknown import"), [], "an unknown import")
    yield* expectEqual(yield* allQuarantined(yield* freshTenant, importId, "another tenant"), [], "another tenant")
    yield* expectEqual(
      Option.map(yield* progressOf(tenantId, importId), (found) => found.quarantined),
      Option.some(expected.length),
      "the progress counts the quarantined rows"
    )
    for (const limit of [0, 10_001, 1.5]) {
      yield* expectFailure(
        store.quarantined(tenantId, importId, { afterRow: 0, limit }),
        "InvalidStoreRequest",
        `quarantined with limit ${limit}`
      )
    }
  })
)

const callsAtWindow = check(
  "callsAt returns the calls at exactly one address whose service day is in the window, both ends included, oldest first, ties by dedupeKey",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const addressKey = "1200 K ST"
    const at = (dedupeKey: string, serviceDay: string, localTime: string, where = addressKey) =>
      makeStoredCall({ dedupeKey, addressKey: where, serviceDay, localTime })
    const window = { fromDay: day(-1), toDay: day(1) }
    // Received on the day before the window in local time, but on its first day in UTC.
    const eveningBefore = at("k-evening-before", day(-2), "17:00")
    const early = at("k-z-early", day(-1), "06:00")
    const first = at("k-first", day(-1), "09:00")
    // Four calls in the same minute: ties go by dedupe key in code point order (U+FF21 before U+1D400).
    const ties = ["k-b", "k-\u{1d400}", "k-a", "k-\uff21"].map((key) => at(key, day(0), "12:00"))
    // The last day of the window in local time, the day after in UTC.
    const lateLast = at("k-late-last", day(1), "23:30")
    const after = at("k-after", day(2), "00:30")
    const elsewhere = ["1200 k st", "1200 K S_", "1200 K", "1200 K ST%", "1200 K ST 2"].map((where, index) =>
      at(`k-elsewhere-${index}`, day(0), "12:00", where))
    yield* commitOk(
      tenantId,
      makeBatch(importId, 20, [lateLast, ...ties, after, eveningBefore, first, ...elsewhere, early]),
      { imported: 14, duplicates: 0 },
      "the calls"
    )
    const tiesInOrder = ["k-a", "k-b", "k-\uff21", "k-\u{1d400}"].map((key) => ties.find((call) => call.dedupeKey === key)!)
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKey, window, "callsAt"),
      [early, first, ...tiesInOrder, lateLast].map(storedCallView),
      "the window's calls at the address, oldest first, by service day and not by the UTC date"
    )
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKey, { fromDay: day(0), toDay: day(0) }, "callsAt for one day"),
      tiesInOrder.map(storedCallView),
      "a one-day window"
    )
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKey, { fromDay: day(3), toDay: day(9) }, "callsAt for days without calls"),
      [],
      "a window without calls"
    )
    for (const [index, call] of elsewhere.entries()) {
      yield* expectEqual(
        yield* callsAtView(tenantId, addressKeyOf(call), window, "callsAt"),
        [storedCallView(call)],
        `address ${index} matches only itself`
      )
    }
    yield* expectEqual(yield* callsAtView(yield* freshTenant, addressKey, window, "callsAt"), [], "another tenant")
    for (const bad of [{ fromDay: "2026-02-30", toDay: day(1) }, { fromDay: day(-1), toDay: "03/02/2026" }]) {
      yield* expectFailure(store.callsAt(tenantId, addressKey, bad), "InvalidStoreRequest", `callsAt ${JSON.stringify(bad)}`)
    }
  })
)

/** A call with every optional field set, several categories, a place with every field. */
const fullCall = (dedupeKey: string, addressKey: string): StoredCall => ({
  call: {
    sourceRecordId: `rec-${dedupeKey}`,
    receivedAt: makeStoredCall({ dedupeKey, addressKey, serviceDay: day(0), localTime: "21:07" }).call.receivedAt,
    channel: "non-emergency",
    callType: { code: "415E", description: "DISTURBANCE-DOMESTIC VIOLENCE-VERBAL ONLY" },
    priority: "P2",
    location: {
      addressKey,
      place: {
        addressKey,
        parcelNumber: "001-0123-004-0000",
        coordinates: { latitude: 38.581_572_6, longitude: -121.494_399_6 },
        landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 42 },
        districts: { councilDistrict: "2", policeDistrict: "3", beat: "3C", neighborhood: "Del Paso Heights" }
      }
    },
    disposition: "REPORT TAKEN",
    domesticViolenceOrVictimization: true,
    medical: false,
    fireOrEms: true,
    callerIsVictim: true
  },
  dedupeKey,
  serviceDay: day(0),
  categories: [
    { category: "domestic-violence", table: "sacramento-cad", tableVersion: "2024-07", rule: "pc-243e" },
    { category: "disorder", table: "sacramento-cad", tableVersion: "2024-07", rule: "415" },
    { category: "disorder", table: "sacramento-cad", tableVersion: "2024-07", rule: "415E" }
  ],
  source: "sacramento-cad"
})

/** A call carrying `text` in every string field that takes it (address keys must be trimmed, so those only when it is). */
const callCarrying = (text: string, index: number, addressKey: string): StoredCall => {
  const base = fullCall(`${text}`, addressKey)
  const place = locationPlace(base.call.location)!
  return {
    ...base,
    call: {
      ...base.call,
      sourceRecordId: text,
      callType: { code: text, description: text },
      priority: text,
      disposition: text,
      location: { addressKey, place: { ...place, parcelNumber: isAddressKey(text) ? text : `APN-${index}` } }
    },
    categories: [{ category: "nuisance", table: text, tableVersion: text, rule: text }],
    source: text
  }
}

/** Strings every string field must keep code unit for code unit. */
const faithfulTexts = [...unicodeStrings, ...hostileStrings]

const faithful = check(
  "calls read back exactly: every field, optional fields present or not, unicode and hostile strings in every string field",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const addressKey = "3555 AUBURN BLVD"
    const minimal = makeStoredCall({ dedupeKey: "minimal", addressKey, serviceDay: day(0), localTime: "00:00" })
    const carrying = faithfulTexts.map((text, index) => callCarrying(text, index, isAddressKey(text) ? text : addressKey))
    const calls = [fullCall("full", addressKey), minimal, ...carrying]
    yield* commitOk(tenantId, makeBatch(importId, calls.length + 1, calls), { imported: calls.length, duplicates: 0 }, "the calls")
    const addresses = [...new Set(calls.map((call) => addressKeyOf(call)))]
    const read: Array<unknown> = []
    for (const address of addresses) read.push(...(yield* callsAtView(tenantId, address, everyDay, `callsAt ${JSON.stringify(address)}`)))
    const keyOf = (view: unknown) => (view as { readonly dedupeKey?: unknown }).dedupeKey
    const sorted = (views: ReadonlyArray<unknown>) =>
      [...views].sort((a, b) => compareCodePoints(String(keyOf(a)), String(keyOf(b))))
    yield* expectEqual(sorted(read), sorted(calls.map(storedCallView)), "every call, each field exactly as written")
    yield* expectStoredCalls(tenantId, calls, "the stored calls")
  })
)

const callerCopies = check(
  "stored calls are copies: changing what was passed in or returned changes nothing stored",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const addressKey = "3555 AUBURN BLVD"
    const call = fullCall("copied", addressKey)
    const expected = storedCallView(call)
    const categories = [...call.categories]
    const given: StoredCall = { ...call, categories }
    yield* commitOk(tenantId, makeBatch(importId, 2, [given]), { imported: 1, duplicates: 0 }, "the call")
    // The port hands out readonly types; these casts are the caller misbehaving on purpose.
    categories.push({ category: "nuisance", table: "t", tableVersion: "1", rule: "r" })
    ;(given.call.callType as { description: string }).description = "CHANGED BY THE CALLER"
    const [returned] = yield* store.callsAt(tenantId, addressKey, everyDay)
    if (returned !== undefined) {
      ;(returned.categories as Array<unknown>).length = 0
      ;(locationPlace(returned.call.location)!.districts as { beat?: string }).beat = "CHANGED"
    }
    yield* expectEqual(
      yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"),
      [expected],
      "the stored call must not change when the caller changes objects it passed or received"
    )
  })
)

/** A place with every field set. */
const fullPlace = (addressKey: string, parcelNumber = "265-0012-017-0000"): Place => ({
  addressKey,
  parcelNumber,
  coordinates: { latitude: 38.624_4, longitude: -121.386_1 },
  landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 42 },
  districts: { councilDistrict: "2", policeDistrict: "3", beat: "3C", neighborhood: "Del Paso Heights" }
})

const places = check(
  "places are added, replaced whole and looked up by exactly their address key",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const motel = fullPlace("3555 AUBURN BLVD")
    const home: Place = { addressKey: "23XX 10TH AVE", landUse: { _tag: "residential", units: 4 }, districts: {} }
    const lookup = (addressKey: string) => Effect.map(store.place(tenantId, addressKey), Option.map(placeView))
    yield* expectEqual(yield* lookup(motel.addressKey), Option.none(), "a place not yet in the registry")
    yield* expectSuccess(store.upsertPlaces(tenantId, [motel, home]), "upsertPlaces")
    yield* expectEqual(yield* lookup(motel.addressKey), Option.some(placeView(motel)), "the motel, every field as written")
    yield* expectEqual(yield* lookup(home.addressKey), Option.some(placeView(home)), "the home")
    const replaced: Place = { addressKey: motel.addressKey, landUse: { _tag: "unknown" }, districts: { beat: "3A" } }
    yield* expectSuccess(store.upsertPlaces(tenantId, [replaced]), "upsertPlaces replacing the motel")
    yield* expectEqual(yield* lookup(motel.addressKey), Option.some(placeView(replaced)), "an upsert replaces the whole place")
    yield* expectEqual(yield* lookup(home.addressKey), Option.some(placeView(home)), "other places are untouched")
    yield* expectSuccess(store.upsertPlaces(tenantId, []), "upsertPlaces with nothing")
    for (const near of ["3555 auburn blvd", "3555 AUBURN BLV_", "3555 AUBURN BLVD%", "3555 AUBURN", "3555 AUBURN BLVD 1"]) {
      yield* expectEqual(yield* lookup(near), Option.none(), `${JSON.stringify(near)} is another address`)
    }
    const texts = faithfulTexts.filter(isAddressKey)
    const registry = texts.map((text, index) => fullPlace(text, `APN-${index}`))
    yield* expectSuccess(store.upsertPlaces(tenantId, registry), "upsertPlaces with unicode and hostile address keys")
    for (const place of registry) {
      yield* expectEqual(yield* lookup(place.addressKey), Option.some(placeView(place)), `the place at ${JSON.stringify(place.addressKey)}`)
    }
    const raw = (yield* rawReaders)?.places
    if (raw !== undefined) {
      const stored = yield* expectSuccess(raw(tenantId), "RawStore.places")
      const sorted = (list: ReadonlyArray<Place>) => [...list].sort((a, b) => compareCodePoints(a.addressKey, b.addressKey)).map(placeView)
      yield* expectEqual(sorted(stored), sorted([replaced, home, ...registry]), "the places read from the raw store")
    }
  })
)

const tenantIsolation = check(
  "tenants are isolated: the same import ids, dedupe keys, addresses and places",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const importId = yield* freshId("import")
    const addressKey = "2300 10TH AVE"
    const callsA = fiveCalls("isolation-a", addressKey)
    const callsB = fiveCalls("isolation-b", addressKey).slice(0, 2)
    yield* commitOk(tenantA, makeBatch(importId, 10, callsA, [quarantinedRow(8)]), { imported: 5, duplicates: 0 }, "tenant A's import")
    yield* commitOk(tenantB, makeBatch(importId, 5, callsB, [quarantinedRow(4)]), { imported: 2, duplicates: 0 }, "tenant B's import, behind A's")
    yield* expectEqual(progressView(yield* progressOf(tenantA, importId)), progress(importId, 10, 5, 0, 1), "tenant A's progress")
    yield* expectEqual(progressView(yield* progressOf(tenantB, importId)), progress(importId, 5, 2, 0, 1), "tenant B's progress")
    yield* expectEqual(yield* callsAtView(tenantA, addressKey, everyDay, "callsAt A"), callsA.map(storedCallView), "tenant A's calls")
    yield* expectEqual(yield* callsAtView(tenantB, addressKey, everyDay, "callsAt B"), callsB.map(storedCallView), "tenant B's calls")
    yield* expectEqual((yield* allQuarantined(tenantB, importId, "B's rows")).map(rowView), [quarantinedRow(4)], "tenant B's rows")
    const placeA = fullPlace(addressKey)
    const placeB: Place = { addressKey, landUse: { _tag: "residential" }, districts: {} }
    yield* expectSuccess(store.upsertPlaces(tenantA, [placeA]), "tenant A's place")
    yield* expectSuccess(store.upsertPlaces(tenantB, [placeB]), "tenant B's place")
    yield* expectEqual(Option.map(yield* store.place(tenantA, addressKey), placeView), Option.some(placeView(placeA)), "tenant A's place")
    yield* expectEqual(Option.map(yield* store.place(tenantB, addressKey), placeView), Option.some(placeView(placeB)), "tenant B's place")
    const tenantC = yield* freshTenant
    yield* expectEqual(yield* progressOf(tenantC, importId), Option.none(), "a third tenant has no progress")
    yield* expectEqual(yield* callsAtView(tenantC, addressKey, everyDay, "callsAt C"), [], "a third tenant has no calls")
    yield* expectEqual(yield* store.place(tenantC, addressKey), Option.none(), "a third tenant has no places")
  })
)

const rawAgreement = check(
  "what callsAt returns is what the raw store holds",
  Effect.fnUntraced(function*() {
    const reader = (yield* rawReaders)?.calls
    if (reader === undefined) {
      return yield* new ConformanceFailure({ message: "this check needs RawStore.calls; supply it with the raw option" })
    }
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const calls = [fullCall("raw-full", "3555 AUBURN BLVD"), ...fiveCalls("raw")]
    yield* commitOk(tenantId, makeBatch(importId, 7, calls), { imported: 6, duplicates: 0 }, "the calls")
    const stored = yield* expectSuccess(reader(tenantId), "RawStore.calls")
    yield* expectEqual(byKey(stored).map(storedCallView), byKey(calls).map(storedCallView), "the raw store holds every call as written")
    const read: Array<StoredCall> = []
    for (const address of new Set(stored.map((call) => addressKeyOf(call)))) {
      read.push(...(yield* expectSuccess((yield* CallStore).callsAt(tenantId, address, everyDay), "callsAt")))
    }
    yield* expectEqual(byKey(read).map(storedCallView), byKey(stored).map(storedCallView), "callsAt must agree with the raw store")
  }),
  ["raw"]
)

const persistence = check(
  "calls, progress, quarantined rows and places survive a new instance of the adapter",
  Effect.fnUntraced(function*(context) {
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const calls = fiveCalls("persisted")
    const addressKey = addressKeyOf(calls[0]!)
    const place = fullPlace(addressKey)
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        yield* commitOk(tenantId, makeBatch(importId, 7, calls, [quarantinedRow(6)]), { imported: 5, duplicates: 0 }, "the import")
        yield* expectSuccess((yield* CallStore).upsertPlaces(tenantId, [place]), "upsertPlaces")
      })
    )
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        const store = yield* CallStore
        yield* expectEqual(yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"), calls.map(storedCallView), "the calls in a new instance")
        yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 7, 5, 0, 1), "the progress in a new instance")
        yield* expectEqual((yield* allQuarantined(tenantId, importId, "quarantined")).map(rowView), [quarantinedRow(6)], "the rows in a new instance")
        yield* expectEqual(Option.map(yield* store.place(tenantId, addressKey), placeView), Option.some(placeView(place)), "the place in a new instance")
        yield* commitOk(tenantId, makeBatch(`${importId}-again`, 7, calls), { imported: 0, duplicates: 5 }, "the same calls in a new instance")
        yield* expectFailure(store.commitImportBatch(tenantId, makeBatch(importId, 7, [])), "InvalidStoreRequest", "a stale batch in a new instance")
      })
    )
  }),
  ["persistent"]
)

const importAlreadyRunning = check(
  "a batch stating afterRow commits only from exactly that progress; otherwise it fails with ImportAlreadyRunning carrying the progress found, and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const [c1, c2, c3] = fiveCalls("running") as [StoredCall, StoredCall, StoredCall, StoredCall, StoredCall]
    const addressKey = addressKeyOf(c1)
    const conflict = (expectedAfterRow: number, throughRow: number, imported: number, quarantined: number) => ({
      _tag: "ImportAlreadyRunning",
      tenantId,
      importId,
      expectedAfterRow,
      progress: { throughRow, imported, duplicates: 0, quarantined }
    })
    const refusedWith = Effect.fnUntraced(function*(batch: ImportBatch, expected: ReturnType<typeof conflict>, what: string) {
      const failure = yield* expectFailure(store.commitImportBatch(tenantId, batch), "ImportAlreadyRunning", what)
      yield* expectEqual(conflictView(failure), expected, `${what}: the conflict must carry the import and the progress found`)
    })
    yield* refusedWith(makeBatch(importId, 10, [c2], [], 4), conflict(4, 0, 0, 0), "a first batch continuing from row 4 of an import never committed")
    yield* commitOk(tenantId, makeBatch(importId, 10, [c1], [quarantinedRow(5)], 0), { imported: 1, duplicates: 0 }, "the first batch, from row 0")
    yield* refusedWith(makeBatch(importId, 20, [c2], [quarantinedRow(15)], 0), conflict(0, 10, 1, 1), "a second process's first batch, from row 0")
    yield* refusedWith(makeBatch(importId, 30, [c2], [], 20), conflict(20, 10, 1, 1), "a batch from a progress ahead of the committed one")
    yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 10, 1, 0, 1), "refused batches leave the progress")
    yield* expectEqual(yield* callsAtView(tenantId, addressKey, everyDay, "callsAt"), [storedCallView(c1)], "refused batches store no call")
    yield* expectEqual((yield* allQuarantined(tenantId, importId, "quarantined")).map(rowView), [quarantinedRow(5)], "refused batches quarantine nothing")
    yield* expectStoredCalls(tenantId, [c1], "after refused batches")
    for (const throughRow of [10, 3]) {
      yield* expectFailure(
        store.commitImportBatch(tenantId, makeBatch(importId, throughRow, [c2], [], 10)),
        "InvalidStoreRequest",
        `a batch from row 10 through row ${throughRow} (not beyond its own afterRow: the caller's bug)`
      )
    }
    yield* expectFailure(
      store.commitImportBatch(tenantId, makeBatch(importId, 20, [c2], [quarantinedRow(10)], 10)),
      "InvalidStoreRequest",
      "a batch from row 10 quarantining row 10, which an earlier batch covered"
    )
    yield* commitOk(tenantId, makeBatch(importId, 20, [c2, c3], [quarantinedRow(11)], 10), { imported: 2, duplicates: 0 }, "the next batch, from row 10")
    yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 20, 3, 0, 2), "the progress after the next batch")
  })
)

/** What a check changes in a call to put `text` where it is checked. */
type CallEdit = (call: StoredCall, text: string) => StoredCall

const withDedupeKey: CallEdit = (call, text) => ({ ...call, dedupeKey: text })
const atAddress: CallEdit = (call, text) => ({ ...call, call: { ...call.call, location: { addressKey: text } } })
const withBeat: CallEdit = (call, text) => ({
  ...call,
  call: {
    ...call.call,
    location: {
      addressKey: addressKeyOf(call),
      place: { addressKey: addressKeyOf(call), landUse: { _tag: "unknown" }, districts: { councilDistrict: "2", beat: text } }
    }
  }
})
const describedAs: CallEdit = (call, text) => ({ ...call, call: { ...call.call, callType: { code: "415", description: text } } })

const keyLimits = check(
  "keys beyond the store limits (3 KB, 1,025 bytes, NUL, lone surrogates) are refused with InvalidStoreRequest naming the call, the field and the reason every adapter gives, writing nothing; 1,024-byte keys are stored",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const importId = yield* freshId("import")
    const good = makeStoredCall({ dedupeKey: "limits-good", addressKey: "2300 10TH AVE", serviceDay: day(0) })
    const operation = "CallStore.commitImportBatch"
    // The empty dedupe key or address key is not a StoredCall at all; the malformed-batch check covers it.
    for (const { key, what } of invalidKeys().filter((invalid) => invalid.key !== "")) {
      const problem = keyProblem(key)!
      const cases: ReadonlyArray<readonly [string, CallEdit, string]> = [
        ["dedupeKey", withDedupeKey, `call 1: dedupeKey ${problem}`],
        ["address key", atAddress, `call 1: call.location.addressKey ${problem}`]
      ]
      for (const [field, edit, reason] of cases) {
        const bad = edit(makeStoredCall({ dedupeKey: `limits-${field}`, addressKey: "2300 10TH AVE", serviceDay: day(0) }), key)
        yield* expectRefusal(store.commitImportBatch(tenantId, makeBatch(importId, 3, [good, bad])), operation, reason, `a call with ${what} as ${field}`)
      }
      yield* expectRefusal(
        store.commitImportBatch(tenantId, makeBatch(key, 3, [good])),
        operation,
        `importId ${problem}`,
        `a batch with ${what} as import id`
      )
      yield* expectRefusal(
        store.upsertPlaces(tenantId, [fullPlace("2300 10TH AVE"), fullPlace(key)]),
        "CallStore.upsertPlaces",
        `place 1: addressKey ${problem}`,
        `a place with ${what} as address key`
      )
      // Reads by a key that cannot have been stored find nothing (and must not fail, or find another key).
      yield* expectEqual(yield* callsAtView(tenantId, key, everyDay, `callsAt ${what}`), [], `callsAt ${what}`)
      yield* expectEqual(yield* expectSuccess(store.place(tenantId, key), `place ${what}`), Option.none(), `place ${what}`)
      yield* expectEqual(yield* progressOf(tenantId, key), Option.none(), `importProgress ${what}`)
      yield* expectEqual(yield* allQuarantined(tenantId, key, `quarantined ${what}`), [], `quarantined ${what}`)
    }
    yield* expectRefusal(
      store.commitImportBatch(tenantId, makeBatch("", 3, [good])),
      operation,
      "importId is empty",
      "a batch with an empty import id"
    )
    const areaId = incompressibleText(MAX_AREA_ID_BYTES + 1)
    yield* expectRefusal(
      store.commitImportBatch(tenantId, makeBatch(importId, 3, [good, withBeat(good, areaId)])),
      operation,
      `call 1: call.location.place.districts.beat ${keyProblem(areaId, MAX_AREA_ID_BYTES)}`,
      "a call with a beat of 257 bytes"
    )
    const texts: ReadonlyArray<readonly [string, string]> = [["a NUL", "DISTURBANCE\u0000"], ["a lone surrogate", "DISTURBANCE \ud800"]]
    for (const [what, text] of texts) {
      yield* expectRefusal(
        store.commitImportBatch(tenantId, makeBatch(importId, 3, [good, describedAs(good, text)])),
        operation,
        `call 1: call.callType.description ${portableTextProblem(text)}`,
        `a call whose description holds ${what}`
      )
      yield* expectRefusal(
        store.commitImportBatch(tenantId, makeBatch(importId, 3, [good], [quarantinedRow(2, text)])),
        operation,
        `quarantined row 0: raw ${portableTextProblem(text)}`,
        `a quarantined row whose raw text holds ${what}`
      )
    }
    yield* expectEqual(yield* progressOf(tenantId, importId), Option.none(), "refused batches record no progress")
    yield* expectEqual(yield* callsAtView(tenantId, addressKeyOf(good), everyDay, "callsAt"), [], "refused batches store no call")
    yield* expectStoredCalls(tenantId, [], "after refused batches")

    // The longest keys: 1,024 bytes of text that does not compress, and 1,024 bytes of 4-byte characters.
    const longKey = incompressibleText(MAX_KEY_BYTES, "id:")
    const wideAddress = longestWideKey()
    const longest = [
      withDedupeKey(good, longKey),
      withBeat(atAddress(makeStoredCall({ dedupeKey: incompressibleText(MAX_KEY_BYTES), addressKey: "x", serviceDay: day(1) }), wideAddress), incompressibleText(MAX_AREA_ID_BYTES))
    ]
    const longImport = incompressibleText(MAX_KEY_BYTES, "import:")
    yield* commitOk(tenantId, makeBatch(longImport, 3, longest, [quarantinedRow(2)]), { imported: 2, duplicates: 0 }, "calls with 1,024-byte keys")
    yield* expectEqual(
      yield* callsAtView(tenantId, wideAddress, everyDay, "callsAt the 1,024-byte address"),
      [storedCallView(longest[1])],
      "the call at a 1,024-byte address, as written"
    )
    yield* expectEqual(Option.map(yield* progressOf(tenantId, longImport), (found) => found.throughRow), Option.some(3), "the progress of a 1,024-byte import id")
    const widePlace = fullPlace(wideAddress)
    yield* expectSuccess(store.upsertPlaces(tenantId, [widePlace]), "a place at a 1,024-byte address")
    yield* expectEqual(Option.map(yield* store.place(tenantId, wideAddress), placeView), Option.some(placeView(widePlace)), "the place at a 1,024-byte address")
    yield* expectStoredCalls(tenantId, longest, "the calls with 1,024-byte keys")

    // A lone surrogate must not find the key holding U+FFFD that a UTF-8 encoder would turn it into.
    const replaced = atAddress(withDedupeKey(good, "limits-replacement"), "23XX \ufffd AVE")
    yield* commitOk(tenantId, makeBatch(yield* freshId("import"), 2, [replaced]), { imported: 1, duplicates: 0 }, "a call at an address holding U+FFFD")
    yield* expectSuccess(store.upsertPlaces(tenantId, [fullPlace("23XX \ufffd AVE")]), "a place at an address holding U+FFFD")
    yield* expectEqual(yield* callsAtView(tenantId, "23XX \ud800 AVE", everyDay, "callsAt a lone surrogate"), [], "callsAt by a lone surrogate finds nothing")
    yield* expectEqual(yield* expectSuccess(store.place(tenantId, "23XX \ud800 AVE"), "place"), Option.none(), "place by a lone surrogate finds nothing")
  })
)

const tenantIds = check(
  "every operation refuses an empty, over-long (3 KB, 257 bytes) or non-portable tenant id with InvalidStoreRequest, and takes a 256-byte one",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const importId = yield* freshId("import")
    const [call] = fiveCalls("tenant-ids")
    const addressKey = addressKeyOf(call!)
    const place = fullPlace(addressKey)
    for (const { tenantId, what } of invalidTenantIds()) {
      yield* expectTenantRefused(store.commitImportBatch(tenantId, makeBatch(importId, 2, [call!])), "CallStore.commitImportBatch", tenantId, what)
      yield* expectTenantRefused(store.importProgress(tenantId, importId), "CallStore.importProgress", tenantId, what)
      yield* expectTenantRefused(store.quarantined(tenantId, importId, { afterRow: 0, limit: 10 }), "CallStore.quarantined", tenantId, what)
      yield* expectTenantRefused(store.callsAt(tenantId, addressKey, everyDay), "CallStore.callsAt", tenantId, what)
      yield* expectTenantRefused(store.upsertPlaces(tenantId, [place]), "CallStore.upsertPlaces", tenantId, what)
      yield* expectTenantRefused(store.place(tenantId, addressKey), "CallStore.place", tenantId, what)
    }
    const longest = yield* longestTenant
    yield* commitOk(longest, makeBatch(importId, 2, [call!]), { imported: 1, duplicates: 0 }, "a batch in a tenant of 256 bytes")
    yield* expectSuccess(store.upsertPlaces(longest, [place]), "a place in a tenant of 256 bytes")
    yield* expectEqual(yield* callsAtView(longest, addressKey, everyDay, "callsAt"), [storedCallView(call!)], "the call in a tenant of 256 bytes")
    yield* expectEqual(Option.map(yield* store.place(longest, addressKey), placeView), Option.some(placeView(place)), "the place in a tenant of 256 bytes")
  })
)

/** Everything a tenant's import left that the port can read: progress, quarantined rows, calls at one address, raw calls. */
const importView = Effect.fnUntraced(function*(tenantId: string, importId: string, addressKey: string, what: string) {
  return {
    progress: progressView(yield* progressOf(tenantId, importId)),
    quarantined: (yield* allQuarantined(tenantId, importId, `${what}: quarantined`)).map(rowView),
    calls: yield* callsAtView(tenantId, addressKey, everyDay, `${what}: callsAt`)
  }
})

/** Three batches of one import: a duplicate within the file, one of an earlier import, quarantined rows, a call at no place. */
const bulkBatches = (prefix: string, importId: string) => {
  const calls = fiveCalls(prefix)
  const [c1, c2, c3, c4, c5] = calls as [StoredCall, StoredCall, StoredCall, StoredCall, StoredCall]
  const unaddressed = makeUnaddressedCall({ dedupeKey: `${prefix}-unaddressed`, addressUnknown: "blank", serviceDay: day(0), districts: { beat: "3A" } })
  return {
    earlier: makeBatch(`${importId}-earlier`, 2, [c5]),
    batches: [
      makeBatch(importId, 4, [c1, c2], [quarantinedRow(3)], 0),
      makeBatch(importId, 8, [c3, c2, unaddressed], [quarantinedRow(5), quarantinedRow(7)], 4),
      makeBatch(importId, 11, [c4, c5], [], 8)
    ] as const,
    stored: [c1, c2, c3, unaddressed, c4, c5]
  }
}

const bulkImportLikeBatches = check(
  "a bulk import stores, counts and answers exactly as the same batches committed one by one, while open and once finished",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const bulkTenant = yield* freshTenant
    const plainTenant = yield* freshTenant
    const importId = yield* freshId("import")
    const { earlier, batches, stored } = bulkBatches("bulk", importId)
    const addressKey = addressKeyOf(stored[0]!)
    const expected = [
      { imported: 2, duplicates: 0 },
      { imported: 2, duplicates: 1 },
      { imported: 1, duplicates: 1 }
    ]
    for (const tenantId of [bulkTenant, plainTenant]) {
      yield* commitOk(tenantId, earlier, { imported: 1, duplicates: 0 }, "an earlier import")
    }
    yield* expectSuccess(store.beginBulkImport(bulkTenant, importId), "beginBulkImport")
    for (const [index, batch] of batches.entries()) {
      yield* commitOk(bulkTenant, batch, expected[index]!, `batch ${index + 1} of the bulk import`)
      yield* commitOk(plainTenant, batch, expected[index]!, `batch ${index + 1} committed one by one`)
      yield* expectEqual(
        yield* importView(bulkTenant, importId, addressKey, "while the bulk import is open"),
        yield* importView(plainTenant, importId, addressKey, "one by one"),
        `after batch ${index + 1}, while the bulk import is open, reads must answer as without one`
      )
    }
    yield* expectSuccess(store.finishBulkImport(bulkTenant, importId), "finishBulkImport")
    const finished = yield* importView(bulkTenant, importId, addressKey, "after finishBulkImport")
    yield* expectEqual(finished, yield* importView(plainTenant, importId, addressKey, "one by one"), "a finished bulk import must leave what one-by-one batches leave")
    yield* expectEqual(finished.progress, progress(importId, 11, 5, 2, 3), "the finished bulk import's progress: rows = imported + duplicates + quarantined")
    yield* expectStoredCalls(bulkTenant, stored, "the calls a finished bulk import stored")
  })
)

const bulkImportResumes = check(
  "beginning and finishing a bulk import are idempotent: a killed bulk import begun again resumes after its progress and ends as one clean run",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* freshTenant
    const cleanTenant = yield* freshTenant
    const otherTenant = yield* freshTenant
    const importId = yield* freshId("import")
    const { batches, stored } = bulkBatches("resumed", importId)
    const [first, second, third] = batches
    const addressKey = addressKeyOf(stored[0]!)
    // Another tenant's bulk import stays open throughout: finishing this one must not disturb it.
    yield* expectSuccess(store.beginBulkImport(otherTenant, importId), "beginBulkImport in another tenant")
    yield* expectSuccess(store.beginBulkImport(tenantId, importId), "beginBulkImport")
    yield* expectSuccess(store.beginBulkImport(tenantId, importId), "beginBulkImport of an import already open")
    yield* commitOk(tenantId, first, { imported: 2, duplicates: 0 }, "the first batch, before the kill")
    // The process is killed here: the import is never finished. Run again, it begins again and continues after its progress.
    yield* expectSuccess(store.beginBulkImport(tenantId, importId), "beginBulkImport of the resumed import")
    yield* expectFailure(store.commitImportBatch(tenantId, first), "ImportAlreadyRunning", "the first batch again, stating afterRow 0, after row 4 was committed")
    yield* commitOk(tenantId, second, { imported: 2, duplicates: 1 }, "the second batch, resumed")
    yield* commitOk(tenantId, third, { imported: 2, duplicates: 0 }, "the third batch, resumed")
    yield* expectSuccess(store.finishBulkImport(tenantId, importId), "finishBulkImport")
    yield* expectSuccess(store.finishBulkImport(tenantId, importId), "finishBulkImport of an import already finished")
    yield* expectSuccess(store.finishBulkImport(tenantId, `${importId}-never-begun`), "finishBulkImport of an import never begun")
    for (const batch of batches) yield* commitOk(cleanTenant, batch, { imported: batch.calls.length - (batch === second ? 1 : 0), duplicates: batch === second ? 1 : 0 }, "one clean run")
    yield* expectEqual(
      yield* importView(tenantId, importId, addressKey, "the resumed bulk import"),
      yield* importView(cleanTenant, importId, addressKey, "one clean run"),
      "a bulk import killed and resumed must end as one clean run"
    )
    yield* expectEqual(progressView(yield* progressOf(tenantId, importId)), progress(importId, 11, 6, 1, 3), "the resumed import's progress")
    yield* expectStoredCalls(tenantId, stored, "the calls the resumed bulk import stored")
    // The other tenant's import, still open, stores as any other; then it finishes too.
    yield* commitOk(otherTenant, first, { imported: 2, duplicates: 0 }, "a batch of the other tenant's open bulk import")
    yield* expectEqual(yield* callsAtView(otherTenant, addressKey, everyDay, "callsAt"), stored.slice(0, 2).map(storedCallView), "the other tenant's calls")
    yield* expectSuccess(store.finishBulkImport(otherTenant, importId), "finishBulkImport in the other tenant")
    for (const { what, key } of invalidKeys()) {
      yield* expectFailure(store.beginBulkImport(tenantId, key), "InvalidStoreRequest", `beginBulkImport with ${what} as the import id`)
      yield* expectFailure(store.finishBulkImport(tenantId, key), "InvalidStoreRequest", `finishBulkImport with ${what} as the import id`)
    }
    for (const { what, tenantId: refused } of invalidTenantIds()) {
      yield* expectTenantRefused(store.beginBulkImport(refused, importId), "CallStore.beginBulkImport", refused, what)
      yield* expectTenantRefused(store.finishBulkImport(refused, importId), "CallStore.finishBulkImport", refused, what)
    }
  })
)

/** Every check of the `CallStore` contract, in the order they are registered. */
export const callStoreChecks: ReadonlyArray<ConformanceCheck<CallStore>> = [
  batchesAndProgress,
  staleThroughRow,
  importAlreadyRunning,
  malformedBatches,
  keyLimits,
  tenantIds,
  idempotent,
  dedupePerTenant,
  concurrentImports,
  concurrentBatches,
  quarantineOrder,
  callsAtWindow,
  faithful,
  callerCopies,
  places,
  tenantIsolation,
  rawAgreement,
  persistence,
  bulkImportLikeBatches,
  bulkImportResumes
]
