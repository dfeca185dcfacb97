/**
 * Kept window totals (`count_windows`, migration 5): the per-place answers
 * (`repeatLocations`, `concentration`) read totals kept from earlier
 * questions, moved by the days that left and entered the window, and dropped
 * by any import batch touching a day they hold. Whatever the order of imports
 * and questions, every answer must equal a plain recomputation over the calls
 * stored so far: random imports (duplicates, calls without an address, late
 * calls for earlier days) interleaved with random windows, on a real file,
 * compared with a count in JavaScript; and the same answers on a read-only
 * connection, which keeps nothing.
 */
import { type CallCategory, type CallChannel, type CallFilter, type StoredCall } from "@community-policing/core"
import { makeStoredCall, makeUnaddressedCall } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import * as fc from "fast-check"
import { make } from "../src/index.ts"
import { makeCallAnalytics } from "../src/internal/callAnalytics.ts"
import { keptWindowsPerTenant } from "../src/internal/callAnalytics.ts"
import { windowStart } from "../src/internal/serviceDays.ts"
import { makeRunner } from "../src/internal/sql.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("kept-windows")
const tenantId = "springfield"

const days = Array.from({ length: 40 }, (_, index) => {
  const date = new Date(Date.UTC(2026, 2, 1 + index))
  return date.toISOString().slice(0, 10)
})
const addresses = ["1 A ST", "2 B ST", "3 C ST", "4 D ST", "5 E ST"]
const channels: ReadonlyArray<CallChannel> = ["911", "non-emergency", "officer-initiated"]
const categories: ReadonlyArray<CallCategory> = ["disorder", "nuisance", "domestic-violence"]

interface CallDraft {
  readonly key: number
  readonly address: number
  readonly day: number
  readonly channel: CallChannel
  readonly categories: ReadonlyArray<CallCategory>
}

const callDraft: fc.Arbitrary<CallDraft> = fc.record({
  // Few keys: batches repeat calls already stored (duplicates, never counted twice).
  key: fc.integer({ min: 0, max: 60 }),
  // addresses.length: a call without an address.
  address: fc.integer({ min: 0, max: addresses.length }),
  // Days after the batch's first day: a batch holds a few days, as a daily import does.
  day: fc.integer({ min: 0, max: 2 }),
  channel: fc.constantFrom(...channels),
  categories: fc.subarray([...categories])
})

type Step =
  | { readonly _tag: "import"; readonly firstDay: number; readonly calls: ReadonlyArray<CallDraft> }
  | {
    readonly _tag: "ask"
    readonly endDay: number
    readonly days: number
    readonly category: CallCategory | undefined
    readonly channels: ReadonlyArray<CallChannel> | undefined
  }

const importStep = fc.record({
  _tag: fc.constant("import" as const),
  firstDay: fc.integer({ min: 0, max: days.length - 3 }),
  calls: fc.array(callDraft, { minLength: 1, maxLength: 12 })
})

const askStep = fc.record({
  _tag: fc.constant("ask" as const),
  // Mostly near one another, so that a kept window overlaps the next question's.
  endDay: fc.oneof(
    { arbitrary: fc.integer({ min: 20, max: 26 }), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max: days.length - 1 }), weight: 1 }
  ),
  // Mostly a few lengths, and few filters: most questions repeat one asked before.
  days: fc.oneof(fc.constantFrom(7, 10), fc.integer({ min: 1, max: 45 })),
  category: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constantFrom(...categories), weight: 1 }),
  channels: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.constantFrom<ReadonlyArray<CallChannel>>([], ["911"], ["non-emergency", "911"]), weight: 1 }
  )
})

// Questions twice as often as imports.
const step: fc.Arbitrary<Step> = fc.oneof({ arbitrary: importStep, weight: 1 }, { arbitrary: askStep, weight: 2 })

const storedOf = (firstDay: number, draft: CallDraft): StoredCall => {
  const spec = {
    dedupeKey: `id:cad:${draft.key}`,
    serviceDay: days[firstDay + draft.day]!,
    channel: draft.channel,
    categories: draft.categories
  }
  return draft.address === addresses.length
    ? makeUnaddressedCall({ ...spec, addressUnknown: "blank" })
    : makeStoredCall({ ...spec, addressKey: addresses[draft.address]! })
}

/** The per-place totals of a window, recomputed from the stored calls: busiest first, ties by address. */
const recomputed = (stored: ReadonlyMap<string, StoredCall>, filter: CallFilter) => {
  const from = windowStart(filter.window.endDay, filter.window.days)
  const totals = new Map<string, number>()
  for (const call of stored.values()) {
    const location = call.call.location
    if (!("addressKey" in location)) continue
    if (call.serviceDay < from || call.serviceDay > filter.window.endDay) continue
    if (filter.channels !== undefined && !filter.channels.includes(call.call.channel)) continue
    if (filter.category !== undefined && !call.categories.some((match) => match.category === filter.category)) continue
    totals.set(location.addressKey, (totals.get(location.addressKey) ?? 0) + 1)
  }
  return [...totals].map(([key, count]) => ({ key, count })).sort((a, b) =>
    a.count !== b.count ? b.count - a.count : a.key < b.key ? -1 : 1
  )
}

/** The kept window a question can move: the same filter and length, overlapping, fewer days moved than it holds. */
const movable = (db: Database.Database, filter: CallFilter): boolean => {
  const signature = `${filter.category ?? ""}|${filter.channels === undefined ? "*" : [...new Set(filter.channels)].sort().join(",")}`
  const kept = db.prepare<[string, string, number], { start_day: string; end_day: string }>(
    "SELECT start_day, end_day FROM count_windows WHERE tenant_id = ? AND signature = ? AND days = ?"
  ).get(tenantId, signature, filter.window.days)
  const from = windowStart(filter.window.endDay, filter.window.days)
  return kept !== undefined && kept.end_day !== filter.window.endDay && kept.start_day <= filter.window.endDay && from <= kept.end_day
}

describe("kept window totals", () => {
  it.live("equal a recomputation over the stored calls after any interleaving of imports and questions", () => {
    // Questions that found a kept window to move, over every run: the property must exercise the moves.
    let moves = 0
    return Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), (steps) =>
          Effect.runPromise(Effect.scoped(Effect.gen(function*() {
            const filename = database("interleaved")
            const store = yield* make({ filename })
            const readOnly = new Database(filename, { readonly: true })
            yield* Effect.addFinalizer(() => Effect.sync(() => readOnly.close()))
            const plain = makeCallAnalytics(readOnly, makeRunner(1_000))
            const stored = new Map<string, StoredCall>()
            let throughRow = 0
            for (const current of steps) {
              if (current._tag === "import") {
                const calls = current.calls.map((draft) => storedOf(current.firstDay, draft))
                throughRow += calls.length
                yield* store.callStore.commitImportBatch(tenantId, {
                  importId: "cad",
                  throughRow,
                  calls,
                  quarantined: []
                })
                for (const call of calls) if (!stored.has(call.dedupeKey)) stored.set(call.dedupeKey, call)
                continue
              }
              const filter: CallFilter = {
                window: { endDay: days[current.endDay]!, days: current.days },
                category: current.category,
                channels: current.channels
              }
              if (movable(store.connection, filter)) moves += 1
              const expected = recomputed(stored, filter)
              const ranked = yield* store.callAnalytics.repeatLocations(tenantId, { ...filter, minCount: 1, limit: 10_000 })
              assert.deepStrictEqual(ranked, expected)
              assert.deepStrictEqual(yield* plain.repeatLocations(tenantId, { ...filter, minCount: 1, limit: 10_000 }), expected)
              const concentration = yield* store.callAnalytics.concentration(tenantId, { ...filter, topPercent: 40 })
              const totalCalls = expected.reduce((sum, row) => sum + row.count, 0)
              const topPlaces = Math.ceil(expected.length * 40 / 100)
              const callsAtTop = expected.slice(0, topPlaces).reduce((sum, row) => sum + row.count, 0)
              assert.deepStrictEqual(concentration, {
                places: expected.length,
                topPlaces,
                callsAtTop,
                totalCalls,
                share: totalCalls === 0 ? 0 : callsAtTop / totalCalls
              })
              assert.deepStrictEqual(yield* plain.concentration(tenantId, { ...filter, topPercent: 40 }), concentration)
            }
            const kept = store.connection.prepare("SELECT count(*) FROM count_windows WHERE tenant_id = ?").pluck().get(tenantId)
            assert.isAtMost(kept as number, keptWindowsPerTenant)
          })))
        ),
        { numRuns: 100 }
      )
    ).pipe(Effect.andThen(Effect.sync(() => assert.isAtLeast(moves, 30))))
  }, 120_000)

  it.live("a question for the window a day later moves the kept totals instead of aggregating the window again", () =>
    Effect.scoped(Effect.gen(function*() {
      const filename = database("moved")
      const store = yield* make({ filename })
      const calls = days.map((day, index) =>
        makeStoredCall({ dedupeKey: `id:cad:${index}`, addressKey: addresses[index % addresses.length]!, serviceDay: day })
      )
      yield* store.callStore.commitImportBatch(tenantId, { importId: "cad", throughRow: calls.length, calls, quarantined: [] })
      const read = (sql: string) => store.connection.prepare(sql).raw().all()
      yield* store.callAnalytics.repeatLocations(tenantId, { window: { endDay: days[20]!, days: 10 }, minCount: 1, limit: 10 })
      assert.deepStrictEqual(read("SELECT signature, days, start_day, end_day FROM count_windows"), [["|*", 10, days[11], days[20]]])
      // Captured as executed: moving by one day reads the day that left and the day that entered, nothing else.
      const executed: Array<string> = []
      const traced = new Database(filename, { verbose: (sql) => executed.push(String(sql)) })
      yield* Effect.addFinalizer(() => Effect.sync(() => traced.close()))
      const analytics = makeCallAnalytics(traced, makeRunner(1_000))
      const answer = yield* analytics.repeatLocations(tenantId, { window: { endDay: days[21]!, days: 10 }, minCount: 1, limit: 10 })
      assert.deepStrictEqual(answer, [
        { key: "2 B ST", count: 2 },
        { key: "3 C ST", count: 2 },
        { key: "4 D ST", count: 2 },
        { key: "5 E ST", count: 2 },
        { key: "1 A ST", count: 2 }
      ].sort((a, b) => (a.key < b.key ? -1 : 1)))
      const aggregations = executed.filter((sql) => sql.includes("FROM place_counts"))
      assert.strictEqual(aggregations.length, 2)
      assert.include(aggregations[0]!, `BETWEEN '${days[11]}' AND '${days[11]}'`)
      assert.include(aggregations[1]!, `BETWEEN '${days[21]}' AND '${days[21]}'`)
      assert.deepStrictEqual(read("SELECT start_day, end_day FROM count_windows"), [[days[12], days[21]]])
      // A batch adding a call on a day the kept window holds drops it.
      const late = makeStoredCall({ dedupeKey: "id:cad:late", addressKey: "1 A ST", serviceDay: days[15]! })
      yield* store.callStore.commitImportBatch(tenantId, { importId: "cad", throughRow: calls.length + 1, calls: [late], quarantined: [] })
      assert.deepStrictEqual(read("SELECT * FROM count_windows"), [])
      assert.deepStrictEqual(read("SELECT * FROM count_window_totals"), [])
    })))
})
