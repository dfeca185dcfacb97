/**
 * The checks of the `CallAnalytics` contract: exact answers on a small
 * hand-made set of calls, and, on generated call sets, answers equal to a
 * straightforward reference computation over the same calls, which is what
 * makes every adapter answer the same. Calls are written through `CallStore`.
 *
 * @module
 */
import {
  type AreaKind,
  CallAnalytics,
  type CallCategory,
  type CallChannel,
  type CallFilter,
  CallStore,
  compareCodePoints,
  type Concentration,
  type DayWindow,
  type Districts,
  type KeyCount,
  locationAddressKey,
  locationDistricts,
  type StoredCall
} from "@community-policing/core"
import { Arbitrary, Effect, Schema } from "effect"
import { addDays, makeBatch, makeStoredCall, makeUnaddressedCall } from "./CallFixtures.ts"
import { type ConformanceCheck, inNewInstance } from "./ConformanceCheck.ts"
import { ConformanceFailure, expectEqual, expectFailure, expectSuccess } from "./ConformanceFailure.ts"
import { freshId, freshTenant } from "./Fixtures.ts"
import { expectTenantRefused, invalidTenantIds, longestTenant } from "./Limits.ts"

type Services = CallStore | CallAnalytics

const check = (
  name: string,
  run: ConformanceCheck<Services>["run"],
  requires: ConformanceCheck<Services>["requires"] = []
): ConformanceCheck<Services> => ({ port: "CallAnalytics", name, requires, run })

// ----------------------------------------------------------------------------
// The reference computation: plain code over the calls themselves.
// ----------------------------------------------------------------------------

const inWindow = (serviceDay: string, window: DayWindow): boolean =>
  serviceDay >= addDays(window.endDay, 1 - window.days) && serviceDay <= window.endDay

const passes = (call: StoredCall, filter: CallFilter): boolean =>
  inWindow(call.serviceDay, filter.window) &&
  (filter.channels === undefined || filter.channels.includes(call.call.channel)) &&
  (filter.category === undefined || call.categories.some((match) => match.category === filter.category))

const areaId = (call: StoredCall, area: AreaKind): string | undefined => {
  const districts = locationDistricts(call.call.location)
  switch (area) {
    case "beat":
      return districts?.beat
    case "police-district":
      return districts?.policeDistrict
    case "council-district":
      return districts?.councilDistrict
    case "neighborhood":
      return districts?.neighborhood
  }
}

/** A call's address as a list of none or one: a call without an address is at no place. */
const addressOf = (call: StoredCall): Array<string> => {
  const addressKey = locationAddressKey(call.call.location)
  return addressKey === undefined ? [] : [addressKey]
}

/** Counts busiest first, ties by key in code point order. */
const ranked = (keys: Iterable<string>): Array<KeyCount> => {
  const counts = new Map<string, number>()
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
  return Array.from(counts, ([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || compareCodePoints(a.key, b.key))
}

/** What every adapter must answer for `calls` (the stored ones: duplicates already left out). */
const reference = {
  repeatLocations: (calls: ReadonlyArray<StoredCall>, filter: CallFilter & { readonly minCount: number; readonly limit: number }) =>
    ranked(calls.filter((call) => passes(call, filter)).flatMap((call) => addressOf(call)))
      .filter((entry) => entry.count >= filter.minCount)
      .slice(0, filter.limit),
  countsByArea: (calls: ReadonlyArray<StoredCall>, filter: CallFilter & { readonly area: AreaKind }) =>
    ranked(calls.filter((call) => passes(call, filter)).flatMap((call) => {
      const id = areaId(call, filter.area)
      return id === undefined ? [] : [id]
    })),
  countsByCategory: (calls: ReadonlyArray<StoredCall>, filter: Omit<CallFilter, "category">) =>
    ranked(calls.filter((call) => passes(call, filter)).flatMap((call) => [...new Set(call.categories.map((match) => match.category))])),
  concentration: (calls: ReadonlyArray<StoredCall>, filter: CallFilter & { readonly topPercent: number }): Concentration => {
    const counts = ranked(calls.filter((call) => passes(call, filter)).flatMap((call) => addressOf(call)))
    const topPlaces = Math.ceil(counts.length * filter.topPercent / 100)
    const totalCalls = counts.reduce((sum, entry) => sum + entry.count, 0)
    const callsAtTop = counts.slice(0, topPlaces).reduce((sum, entry) => sum + entry.count, 0)
    return { places: counts.length, topPlaces, callsAtTop, totalCalls, share: totalCalls === 0 ? 0 : callsAtTop / totalCalls }
  }
}

/** The calls a store keeps from calls imported in this order: the first call of each dedupe key. */
const firstOfEachKey = (calls: ReadonlyArray<StoredCall>): Array<StoredCall> => {
  const kept = new Map<string, StoredCall>()
  for (const call of calls) if (!kept.has(call.dedupeKey)) kept.set(call.dedupeKey, call)
  return [...kept.values()]
}

// ----------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------

/** Imports `calls` in one batch of a fresh import. */
const seed = Effect.fnUntraced(function*(tenantId: string, calls: ReadonlyArray<StoredCall>) {
  const store = yield* CallStore
  const importId = yield* freshId("import")
  const result = yield* expectSuccess(store.commitImportBatch(tenantId, makeBatch(importId, calls.length + 1, calls)), "import the calls")
  yield* expectEqual(result.imported, firstOfEachKey(calls).length, "import the calls: every distinct key is new")
})

const keyCounts = (counts: ReadonlyArray<KeyCount>) => counts.map((entry) => ({ key: entry.key, count: entry.count }))

const concentrationView = (value: Concentration) => ({
  places: value.places,
  topPlaces: value.topPlaces,
  callsAtTop: value.callsAtTop,
  totalCalls: value.totalCalls,
  share: value.share
})

/** The four questions, each answered through the port and turned into plain data. */
const ask = {
  repeatLocations: Effect.fnUntraced(function*(tenantId: string, filter: CallFilter & { readonly minCount: number; readonly limit: number }) {
    const analytics = yield* CallAnalytics
    return keyCounts(yield* expectSuccess(analytics.repeatLocations(tenantId, filter), `repeatLocations ${describe(filter)}`))
  }),
  countsByArea: Effect.fnUntraced(function*(tenantId: string, filter: CallFilter & { readonly area: AreaKind }) {
    const analytics = yield* CallAnalytics
    return keyCounts(yield* expectSuccess(analytics.countsByArea(tenantId, filter), `countsByArea ${describe(filter)}`))
  }),
  countsByCategory: Effect.fnUntraced(function*(tenantId: string, filter: Omit<CallFilter, "category">) {
    const analytics = yield* CallAnalytics
    return keyCounts(yield* expectSuccess(analytics.countsByCategory(tenantId, filter), `countsByCategory ${describe(filter)}`))
  }),
  concentration: Effect.fnUntraced(function*(tenantId: string, filter: CallFilter & { readonly topPercent: number }) {
    const analytics = yield* CallAnalytics
    return concentrationView(yield* expectSuccess(analytics.concentration(tenantId, filter), `concentration ${describe(filter)}`))
  })
}

const describe = (filter: object): string => JSON.stringify(filter)

/** Every area kind. */
const areaKinds: ReadonlyArray<AreaKind> = ["beat", "police-district", "council-district", "neighborhood"]

/** Asks all four questions of `tenantId` under `filter` (every area kind); the answers as one comparable value. */
const answers = Effect.fnUntraced(function*(
  tenantId: string,
  filter: CallFilter,
  options: { readonly minCount: number; readonly limit: number; readonly topPercent: number }
) {
  const { category: _category, ...withoutCategory } = filter
  return {
    repeatLocations: yield* ask.repeatLocations(tenantId, { ...filter, minCount: options.minCount, limit: options.limit }),
    countsByArea: yield* Effect.forEach(areaKinds, (area) => ask.countsByArea(tenantId, { ...filter, area })),
    countsByCategory: yield* ask.countsByCategory(tenantId, withoutCategory),
    concentration: yield* ask.concentration(tenantId, { ...filter, topPercent: options.topPercent })
  }
})

/** What {@link answers} must return for `calls`. */
const referenceAnswers = (
  calls: ReadonlyArray<StoredCall>,
  filter: CallFilter,
  options: { readonly minCount: number; readonly limit: number; readonly topPercent: number }
) => {
  const { category: _category, ...withoutCategory } = filter
  return {
    repeatLocations: reference.repeatLocations(calls, { ...filter, minCount: options.minCount, limit: options.limit }),
    countsByArea: areaKinds.map((area) => reference.countsByArea(calls, { ...filter, area })),
    countsByCategory: reference.countsByCategory(calls, withoutCategory),
    concentration: reference.concentration(calls, { ...filter, topPercent: options.topPercent })
  }
}

// ----------------------------------------------------------------------------
// The hand-made calls
// ----------------------------------------------------------------------------

/**
 * Addresses whose order traps naive code: `1` before `2` before `B` before
 * `b` (a linguistic collation puts `b` first), U+FF21 before U+1D400 (UTF-16
 * code units put U+1D400 first).
 */
const MAIN = "100 MAIN ST"
const AVENUE = "23XX 10TH AVE"
const UPPER = "B ST"
const LOWER = "b st"
const WIDE = "\uff21 ST"
const MATH = "\u{1d400} ST"

/** Days across the end of February 2026. */
const d = (offset: number) => addDays("2026-03-01", offset)

/** The window of the hand-made checks: 28 February to 2 March 2026. */
const W: DayWindow = { endDay: d(1), days: 3 }

const beat1A: Districts = { beat: "1A", policeDistrict: "1", councilDistrict: "3", neighborhood: "Oak Park" }

/**
 * Twelve calls. In W: three at MAIN, three at AVENUE, one each at the other
 * four. Outside W: one at MAIN the day after, one at AVENUE the day before
 * (received in the evening, so its UTC date is in W). One call in W at MAIN
 * is received at 23:30 on W's last day, so its UTC date is after W.
 */
const handMade: ReadonlyArray<StoredCall> = [
  makeStoredCall({ dedupeKey: "hand-01", addressKey: MAIN, serviceDay: d(-1), localTime: "08:00", channel: "911", categories: ["disorder"], districts: beat1A }),
  makeStoredCall({ dedupeKey: "hand-02", addressKey: MAIN, serviceDay: d(0), channel: "non-emergency", categories: ["disorder", "nuisance"], districts: beat1A }),
  makeStoredCall({
    dedupeKey: "hand-03",
    addressKey: MAIN,
    serviceDay: d(1),
    localTime: "23:30",
    channel: "911",
    categories: ["drug-trade", "gang-activity"],
    districts: { beat: "1A", policeDistrict: "1", councilDistrict: "3" }
  }),
  makeStoredCall({ dedupeKey: "hand-04", addressKey: MAIN, serviceDay: d(2), localTime: "09:00", channel: "911", categories: ["disorder"], districts: beat1A }),
  makeStoredCall({
    dedupeKey: "hand-05",
    addressKey: AVENUE,
    serviceDay: d(-2),
    localTime: "17:00",
    channel: "911",
    categories: ["disorder"],
    districts: { beat: "2B", policeDistrict: "2" }
  }),
  makeStoredCall({
    dedupeKey: "hand-06",
    addressKey: AVENUE,
    serviceDay: d(-1),
    localTime: "10:00",
    channel: "officer-initiated",
    districts: { beat: "2B", policeDistrict: "2" }
  }),
  makeStoredCall({ dedupeKey: "hand-07", addressKey: AVENUE, serviceDay: d(0), localTime: "10:00", channel: "911", categories: ["medical"] }),
  makeStoredCall({
    dedupeKey: "hand-08",
    addressKey: AVENUE,
    serviceDay: d(1),
    localTime: "10:00",
    channel: "other",
    // Two rules of the code table put it in the same category: still one call in it.
    categories: ["disorder", "disorder"],
    districts: { beat: "2B", policeDistrict: "2", neighborhood: "oak park" }
  }),
  makeStoredCall({ dedupeKey: "hand-09", addressKey: WIDE, serviceDay: d(0), channel: "911", categories: ["nuisance"], districts: {} }),
  makeStoredCall({ dedupeKey: "hand-10", addressKey: MATH, serviceDay: d(0), channel: "non-emergency", categories: ["nuisance"], districts: { councilDistrict: "4" } }),
  makeStoredCall({ dedupeKey: "hand-11", addressKey: LOWER, serviceDay: d(1), channel: "911", categories: ["domestic-violence"] }),
  makeStoredCall({ dedupeKey: "hand-12", addressKey: UPPER, serviceDay: d(1), channel: "911", categories: ["domestic-violence", "victimization"] })
]

const kc = (key: string, count: number): KeyCount => ({ key, count })

/** Calls per address in W. */
const repeatInW = [kc(MAIN, 3), kc(AVENUE, 3), kc(UPPER, 1), kc(LOWER, 1), kc(WIDE, 1), kc(MATH, 1)]

const everything = { minCount: 0, limit: 10_000 }

/** A fresh tenant holding the hand-made calls. */
const handMadeTenant = Effect.flatMap(freshTenant, (tenantId) => Effect.as(seed(tenantId, handMade), tenantId))

// ----------------------------------------------------------------------------
// Checks on the hand-made calls
// ----------------------------------------------------------------------------

const windows = check(
  "repeatLocations counts calls per address over whole service days, both ends of the window included, busiest first, ties by address in code point order",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    yield* expectEqual(yield* ask.repeatLocations(tenantId, { window: W, ...everything }), repeatInW, "the three days of W")
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: { endDay: d(1), days: 1 }, ...everything }),
      [kc(MAIN, 1), kc(AVENUE, 1), kc(UPPER, 1), kc(LOWER, 1)],
      "W's last day alone"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: { endDay: d(-2), days: 1 }, ...everything }),
      [kc(AVENUE, 1)],
      "the day before W, whose one call was received after midnight UTC"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: { endDay: d(2), days: 5 }, ...everything }),
      [kc(MAIN, 4), kc(AVENUE, 4), kc(UPPER, 1), kc(LOWER, 1), kc(WIDE, 1), kc(MATH, 1)],
      "the five days of every call"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: { endDay: "2020-06-30", days: 3_660 }, ...everything }),
      [],
      "ten years ending before every call"
    )
  })
)

const categories = check(
  "a category filter counts each call carrying the category once, and a call with several categories counts in each",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    yield* expectEqual(
      yield* ask.countsByCategory(tenantId, { window: W }),
      [
        kc("disorder", 3),
        kc("nuisance", 3),
        kc("domestic-violence", 2),
        kc("drug-trade", 1),
        kc("gang-activity", 1),
        kc("medical", 1),
        kc("victimization", 1)
      ],
      "calls per category in W (the uncategorized call left out)"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: W, category: "disorder", ...everything }),
      [kc(MAIN, 2), kc(AVENUE, 1)],
      "disorder calls per address (one call matched by two disorder rules counts once)"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: W, category: "nuisance", ...everything }),
      [kc(MAIN, 1), kc(WIDE, 1), kc(MATH, 1)],
      "nuisance calls per address (a disorder-and-nuisance call counts here too)"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: W, category: "gang-activity", ...everything }),
      [kc(MAIN, 1)],
      "gang-activity calls, the second category of their call"
    )
    yield* expectEqual(
      yield* ask.countsByArea(tenantId, { window: W, category: "disorder", area: "beat" }),
      [kc("1A", 2), kc("2B", 1)],
      "disorder calls per beat"
    )
    yield* expectEqual(
      yield* ask.concentration(tenantId, { window: W, category: "nuisance", topPercent: 50 }),
      { places: 3, topPlaces: 2, callsAtTop: 2, totalCalls: 3, share: 2 / 3 },
      "the concentration of nuisance calls"
    )
  })
)

const channels = check(
  "a channel filter keeps only calls that came in by the listed channels; an empty list matches no call",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: W, channels: ["911"], ...everything }),
      [kc(MAIN, 2), kc(AVENUE, 1), kc(UPPER, 1), kc(LOWER, 1), kc(WIDE, 1)],
      "911 calls per address"
    )
    yield* expectEqual(
      yield* ask.repeatLocations(tenantId, { window: W, channels: ["officer-initiated", "other"], ...everything }),
      [kc(AVENUE, 2)],
      "officer-initiated and other calls per address"
    )
    yield* expectEqual(
      yield* ask.countsByCategory(tenantId, { window: W, channels: ["non-emergency"] }),
      [kc("nuisance", 2), kc("disorder", 1)],
      "non-emergency calls per category"
    )
    yield* expectEqual(
      yield* ask.countsByArea(tenantId, { window: W, channels: ["911"], area: "beat" }),
      [kc("1A", 2)],
      "911 calls per beat"
    )
    const none: ReadonlyArray<CallChannel> = []
    yield* expectEqual(yield* ask.repeatLocations(tenantId, { window: W, channels: none, ...everything }), [], "no channel: no address")
    yield* expectEqual(yield* ask.countsByCategory(tenantId, { window: W, channels: none }), [], "no channel: no category")
    yield* expectEqual(yield* ask.countsByArea(tenantId, { window: W, channels: none, area: "beat" }), [], "no channel: no beat")
    yield* expectEqual(
      yield* ask.concentration(tenantId, { window: W, channels: none, topPercent: 50 }),
      { places: 0, topPlaces: 0, callsAtTop: 0, totalCalls: 0, share: 0 },
      "no channel: no concentration"
    )
  })
)

const areas = check(
  "countsByArea counts calls per area of each kind from the place stored with the call; calls without that area are left out",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    const expected: ReadonlyArray<readonly [AreaKind, ReadonlyArray<KeyCount>]> = [
      ["beat", [kc("1A", 3), kc("2B", 2)]],
      ["police-district", [kc("1", 3), kc("2", 2)]],
      ["council-district", [kc("3", 3), kc("4", 1)]],
      ["neighborhood", [kc("Oak Park", 2), kc("oak park", 1)]]
    ]
    for (const [area, counts] of expected) {
      yield* expectEqual(yield* ask.countsByArea(tenantId, { window: W, area }), counts, `calls per ${area} in W`)
    }
    // The registry now puts every address in beat 9Z; the calls keep the places they were imported with.
    const store = yield* CallStore
    yield* expectSuccess(
      store.upsertPlaces(tenantId, [MAIN, AVENUE, UPPER, LOWER, WIDE, MATH].map((addressKey) => ({
        addressKey,
        landUse: { _tag: "unknown" as const },
        districts: { beat: "9Z", policeDistrict: "9" }
      }))),
      "upsertPlaces"
    )
    for (const [area, counts] of expected) {
      yield* expectEqual(
        yield* ask.countsByArea(tenantId, { window: W, area }),
        counts,
        `calls per ${area} after the registry changed: counted calls do not move`
      )
    }
  })
)

/**
 * Calls without an address (a blank one, or an export without the column):
 * three in W, one just outside it. They are in the hand-made tenant's areas
 * but at no place.
 */
const unaddressed: ReadonlyArray<StoredCall> = [
  makeUnaddressedCall({ dedupeKey: "noaddr-1", addressUnknown: "blank", serviceDay: d(0), categories: ["disorder"], districts: beat1A }),
  makeUnaddressedCall({
    dedupeKey: "noaddr-2",
    addressUnknown: "not-in-export",
    serviceDay: d(1),
    channel: "non-emergency",
    categories: ["domestic-violence"],
    districts: { beat: "2B", policeDistrict: "2" }
  }),
  makeUnaddressedCall({ dedupeKey: "noaddr-3", addressUnknown: "blank", serviceDay: d(0), categories: ["nuisance"] }),
  makeUnaddressedCall({ dedupeKey: "noaddr-4", addressUnknown: "blank", serviceDay: d(2), categories: ["disorder"], districts: beat1A })
]

const withoutAddress = check(
  "calls without an address count by area, category and channel, never per address, in concentration or at a place (callsAt)",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    yield* seed(tenantId, unaddressed)
    yield* expectEqual(yield* ask.repeatLocations(tenantId, { window: W, ...everything }), repeatInW, "calls per address in W: as without them")
    yield* expectEqual(
      yield* ask.concentration(tenantId, { window: W, topPercent: 50 }),
      { places: 6, topPlaces: 3, callsAtTop: 7, totalCalls: 10, share: 7 / 10 },
      "the concentration in W: calls at places only"
    )
    yield* expectEqual(
      yield* ask.countsByArea(tenantId, { window: W, area: "beat" }),
      [kc("1A", 4), kc("2B", 3)],
      "calls per beat in W: theirs included"
    )
    yield* expectEqual(
      yield* ask.countsByArea(tenantId, { window: W, area: "police-district" }),
      [kc("1", 4), kc("2", 3)],
      "calls per police district in W: theirs included"
    )
    yield* expectEqual(
      yield* ask.countsByArea(tenantId, { window: W, area: "beat", channels: ["non-emergency"] }),
      [kc("1A", 1), kc("2B", 1)],
      "non-emergency calls per beat in W"
    )
    yield* expectEqual(
      yield* ask.countsByCategory(tenantId, { window: W }),
      [
        kc("disorder", 4),
        kc("nuisance", 4),
        kc("domestic-violence", 3),
        kc("drug-trade", 1),
        kc("gang-activity", 1),
        kc("medical", 1),
        kc("victimization", 1)
      ],
      "calls per category in W: theirs included"
    )
    yield* expectEqual(
      yield* answers(tenantId, { window: W }, { ...everything, topPercent: 50 }),
      referenceAnswers([...handMade, ...unaddressed], { window: W }, { ...everything, topPercent: 50 }),
      "every answer in W against the reference computation"
    )
    const store = yield* CallStore
    for (const addressKey of [MAIN, AVENUE]) {
      const calls = yield* expectSuccess(store.callsAt(tenantId, addressKey, { fromDay: d(-5), toDay: d(5) }), `callsAt ${addressKey}`)
      yield* expectEqual(
        calls.filter((call) => call.dedupeKey.startsWith("noaddr-")).map((call) => call.dedupeKey),
        [],
        `callsAt ${addressKey} finds no call without an address`
      )
    }
  })
)

const minCountAndLimit = check(
  "repeatLocations keeps only places with at least minCount calls, at most limit of them",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    const cases: ReadonlyArray<readonly [number, number, ReadonlyArray<KeyCount>]> = [
      [0, 100, repeatInW],
      [1, 100, repeatInW],
      [2, 100, [kc(MAIN, 3), kc(AVENUE, 3)]],
      [3, 100, [kc(MAIN, 3), kc(AVENUE, 3)]],
      [4, 100, []],
      [1, 1, [kc(MAIN, 3)]],
      [1, 3, [kc(MAIN, 3), kc(AVENUE, 3), kc(UPPER, 1)]],
      [3, 1, [kc(MAIN, 3)]]
    ]
    for (const [minCount, limit, expected] of cases) {
      yield* expectEqual(
        yield* ask.repeatLocations(tenantId, { window: W, minCount, limit }),
        expected,
        `repeat locations with minCount ${minCount} and limit ${limit}`
      )
    }
  })
)

const concentration = check(
  "concentration: the places with calls, the top ceil(places * topPercent / 100) of them, their calls and share of all calls",
  Effect.fnUntraced(function*() {
    const tenantId = yield* handMadeTenant
    const cases: ReadonlyArray<readonly [number, Concentration]> = [
      [10, { places: 6, topPlaces: 1, callsAtTop: 3, totalCalls: 10, share: 3 / 10 }],
      [34, { places: 6, topPlaces: 3, callsAtTop: 7, totalCalls: 10, share: 7 / 10 }],
      [50, { places: 6, topPlaces: 3, callsAtTop: 7, totalCalls: 10, share: 7 / 10 }],
      [100, { places: 6, topPlaces: 6, callsAtTop: 10, totalCalls: 10, share: 1 }]
    ]
    for (const [topPercent, expected] of cases) {
      yield* expectEqual(yield* ask.concentration(tenantId, { window: W, topPercent }), expected, `the top ${topPercent}% of places in W`)
    }
    yield* expectEqual(
      yield* ask.concentration(tenantId, { window: { endDay: "2020-06-30", days: 30 }, topPercent: 10 }),
      { places: 0, topPlaces: 0, callsAtTop: 0, totalCalls: 0, share: 0 },
      "a window without calls"
    )
  })
)

const invalidRequests = check(
  "windows outside 1 to 3,660 days or ending on no calendar date, limits outside 1 to 10,000, negative minCount and topPercent outside (0, 100] fail with InvalidStoreRequest",
  Effect.fnUntraced(function*() {
    const analytics = yield* CallAnalytics
    const tenantId = yield* handMadeTenant
    const badWindows: ReadonlyArray<DayWindow> = [
      { endDay: d(1), days: 0 },
      { endDay: d(1), days: 3_661 },
      { endDay: d(1), days: 2.5 },
      { endDay: d(1), days: Number.NaN },
      { endDay: "2026-02-30", days: 3 },
      { endDay: "2026-3-2", days: 3 }
    ]
    for (const window of badWindows) {
      const what = `window ${describe(window)}`
      yield* expectFailure(analytics.repeatLocations(tenantId, { window, ...everything }), "InvalidStoreRequest", `repeatLocations, ${what}`)
      yield* expectFailure(analytics.countsByArea(tenantId, { window, area: "beat" }), "InvalidStoreRequest", `countsByArea, ${what}`)
      yield* expectFailure(analytics.countsByCategory(tenantId, { window }), "InvalidStoreRequest", `countsByCategory, ${what}`)
      yield* expectFailure(analytics.concentration(tenantId, { window, topPercent: 50 }), "InvalidStoreRequest", `concentration, ${what}`)
    }
    for (const limit of [0, 10_001, 1.5]) {
      yield* expectFailure(analytics.repeatLocations(tenantId, { window: W, minCount: 1, limit }), "InvalidStoreRequest", `limit ${limit}`)
    }
    for (const minCount of [-1, 0.5]) {
      yield* expectFailure(analytics.repeatLocations(tenantId, { window: W, minCount, limit: 10 }), "InvalidStoreRequest", `minCount ${minCount}`)
    }
    for (const topPercent of [0, -10, 100.5, Number.NaN]) {
      yield* expectFailure(analytics.concentration(tenantId, { window: W, topPercent }), "InvalidStoreRequest", `topPercent ${topPercent}`)
    }
    // The edges themselves are valid.
    yield* ask.repeatLocations(tenantId, { window: { endDay: d(1), days: 1 }, minCount: 0, limit: 10_000 })
    yield* ask.repeatLocations(tenantId, { window: { endDay: d(1), days: 3_660 }, minCount: 0, limit: 1 })
    yield* ask.concentration(tenantId, { window: W, topPercent: 100 })
    yield* ask.concentration(tenantId, { window: W, topPercent: 0.5 })
  })
)

const neverCounted = check(
  "duplicates and calls of refused batches are never counted",
  Effect.fnUntraced(function*() {
    const store = yield* CallStore
    const tenantId = yield* handMadeTenant
    yield* seed(tenantId, []) // a batch with nothing, which changes nothing
    const again = yield* freshId("import")
    const repeated = yield* expectSuccess(store.commitImportBatch(tenantId, makeBatch(again, 20, [...handMade, ...handMade])), "the same calls again")
    yield* expectEqual(repeated.imported, 0, "the same calls again are all duplicates")
    const fresh = [1, 2, 3].map((index) =>
      makeStoredCall({ dedupeKey: `refused-${index}`, addressKey: MAIN, serviceDay: d(0), categories: ["disorder"], districts: beat1A }))
    yield* expectFailure(store.commitImportBatch(tenantId, makeBatch(again, 20, fresh)), "InvalidStoreRequest", "a stale batch")
    const malformed = [...fresh, { ...fresh[0]!, dedupeKey: "refused-4", serviceDay: "2026-02-30" }]
    yield* expectFailure(store.commitImportBatch(tenantId, makeBatch(again, 30, malformed)), "InvalidStoreRequest", "a malformed batch")
    yield* expectEqual(yield* ask.repeatLocations(tenantId, { window: W, ...everything }), repeatInW, "calls per address in W")
    yield* expectEqual(
      yield* ask.countsByArea(tenantId, { window: W, area: "beat" }),
      [kc("1A", 3), kc("2B", 2)],
      "calls per beat in W"
    )
    yield* expectEqual(
      (yield* ask.countsByCategory(tenantId, { window: W })).slice(0, 2),
      [kc("disorder", 3), kc("nuisance", 3)],
      "the busiest categories in W"
    )
    yield* expectEqual(
      yield* ask.concentration(tenantId, { window: W, topPercent: 50 }),
      { places: 6, topPlaces: 3, callsAtTop: 7, totalCalls: 10, share: 7 / 10 },
      "the concentration in W"
    )
  })
)

const tenants = check(
  "tenants are isolated: each tenant's counts see only its own calls",
  Effect.fnUntraced(function*() {
    const tenantA = yield* handMadeTenant
    const tenantB = yield* freshTenant
    // The same keys, addresses and days, other channels and categories.
    yield* seed(tenantB, handMade.slice(0, 3).map((call) => ({ ...call, categories: [], call: { ...call.call, channel: "other" as const } })))
    yield* expectEqual(yield* ask.repeatLocations(tenantA, { window: W, ...everything }), repeatInW, "tenant A's calls per address")
    yield* expectEqual(yield* ask.repeatLocations(tenantB, { window: W, ...everything }), [kc(MAIN, 3)], "tenant B's calls per address")
    yield* expectEqual(yield* ask.countsByCategory(tenantB, { window: W }), [], "tenant B's calls have no category")
    yield* expectEqual(
      yield* ask.countsByArea(tenantB, { window: W, channels: ["other"], area: "beat" }),
      [kc("1A", 3)],
      "tenant B's calls per beat"
    )
    const tenantC = yield* freshTenant
    yield* expectEqual(
      yield* answers(tenantC, { window: W }, { minCount: 0, limit: 100, topPercent: 50 }),
      {
        repeatLocations: [],
        countsByArea: [[], [], [], []],
        countsByCategory: [],
        concentration: { places: 0, topPlaces: 0, callsAtTop: 0, totalCalls: 0, share: 0 }
      },
      "a tenant without calls"
    )
  })
)

const persistence = check(
  "counts survive a new instance of the adapter, and keep counting there",
  Effect.fnUntraced(function*(context) {
    const tenantId = yield* freshTenant
    yield* inNewInstance(context, seed(tenantId, handMade))
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        yield* expectEqual(yield* ask.repeatLocations(tenantId, { window: W, ...everything }), repeatInW, "calls per address in a new instance")
        const more = makeStoredCall({ dedupeKey: "hand-13", addressKey: WIDE, serviceDay: d(1), categories: ["nuisance"] })
        yield* seed(tenantId, [more])
        yield* expectEqual(
          yield* ask.repeatLocations(tenantId, { window: W, ...everything }),
          [kc(MAIN, 3), kc(AVENUE, 3), kc(WIDE, 2), kc(UPPER, 1), kc(LOWER, 1), kc(MATH, 1)],
          "a call imported in the new instance counts with the old ones"
        )
      })
    )
  }),
  ["persistent"]
)

// ----------------------------------------------------------------------------
// Generated calls
// ----------------------------------------------------------------------------

/** The generated calls' first day: 2028 is a leap year, so windows cross 29 February. */
const BASE_DAY = "2028-02-25"

// `undefined`: a call without an address (at no place, still in its areas).
const generatedAddresses: ReadonlyArray<string | undefined> = [MAIN, AVENUE, UPPER, LOWER, WIDE, MATH, undefined]
const generatedCategories: ReadonlyArray<CallCategory> = ["disorder", "nuisance", "drug-trade", "domestic-violence"]
const generatedChannels: ReadonlyArray<CallChannel> = ["911", "non-emergency", "officer-initiated", "other"]
const generatedDistricts: ReadonlyArray<Districts | undefined> = [
  undefined,
  {},
  beat1A,
  { beat: "1B", policeDistrict: "1" },
  { policeDistrict: "2", neighborhood: "oak park" },
  { councilDistrict: "4" },
  { beat: "\u{1d400}1", neighborhood: "\uff21" }
]
const generatedChannelFilters: ReadonlyArray<ReadonlyArray<CallChannel> | undefined> = [
  undefined,
  ["911"],
  ["911", "non-emergency"],
  [],
  ["officer-initiated", "other"]
]
// Percentages whose ceil(places * p / 100) is exact in binary floating point, so that no adapter differs by rounding.
const generatedTopPercents: ReadonlyArray<number> = [1, 10, 12.5, 25, 33, 50, 99, 100]

const int = (minimum: number, maximum: number) => Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum, maximum })))
const oneOf = <A>(values: ReadonlyArray<A>) => Arbitrary.map(int(0, values.length - 1), (index) => values[index]!)

/** A generated call, kept as its few varying fields so a shrunk failure prints short. */
const generatedCall = Arbitrary.all({
  key: int(0, 24),
  address: oneOf(generatedAddresses),
  day: int(0, 9),
  minute: int(0, 1_439),
  channel: oneOf(generatedChannels),
  categories: Arbitrary.array(oneOf(generatedCategories), { maxLength: 3 }),
  districts: oneOf(generatedDistricts)
})

type GeneratedCall = typeof generatedCall extends Arbitrary.Arbitrary<infer A> ? A : never

// Short windows over ten days of calls, so that most windows have calls just outside both ends.
const generatedQuery = Arbitrary.all({
  endDay: int(-1, 10),
  days: int(1, 7),
  category: oneOf<CallCategory | undefined>([undefined, ...generatedCategories]),
  channels: oneOf(generatedChannelFilters),
  minCount: int(0, 3),
  limit: int(1, 6),
  topPercent: oneOf(generatedTopPercents)
})

type GeneratedQuery = typeof generatedQuery extends Arbitrary.Arbitrary<infer A> ? A : never

const generatedCase = Arbitrary.all({
  calls: Arbitrary.array(generatedCall, { maxLength: 40 }),
  batches: int(1, 3),
  queries: Arbitrary.array(generatedQuery, { minLength: 2, maxLength: 4 })
})

type GeneratedCase = typeof generatedCase extends Arbitrary.Arbitrary<infer A> ? A : never

const pad = (value: number) => String(value).padStart(2, "0")

const toStoredCall = (generated: GeneratedCall): StoredCall => {
  const spec = {
    dedupeKey: `generated-${generated.key}`,
    serviceDay: addDays(BASE_DAY, generated.day),
    localTime: `${pad(Math.floor(generated.minute / 60))}:${pad(generated.minute % 60)}`,
    channel: generated.channel,
    categories: generated.categories,
    districts: generated.districts
  }
  return generated.address === undefined
    ? makeUnaddressedCall({ ...spec, addressUnknown: "blank" })
    : makeStoredCall({ ...spec, addressKey: generated.address })
}

const toFilter = (query: GeneratedQuery): CallFilter => ({
  window: { endDay: addDays(BASE_DAY, query.endDay), days: query.days },
  category: query.category,
  channels: query.channels
})

/** Imports the generated calls in `batches` batches of one import; returns the calls the store keeps. */
const importGenerated = Effect.fnUntraced(function*(tenantId: string, calls: ReadonlyArray<StoredCall>, batches: number) {
  const store = yield* CallStore
  const importId = yield* freshId("import")
  const size = Math.max(1, Math.ceil(calls.length / batches))
  let start = 0
  do {
    const chunk = calls.slice(start, start + size)
    start += size
    // Row 1 is the header, so call i is on row i + 2.
    yield* expectSuccess(store.commitImportBatch(tenantId, makeBatch(importId, Math.min(start, calls.length) + 1, chunk)), "import a batch")
  } while (start < calls.length)
  return firstOfEachKey(calls)
})

const agreesWithReference = (generated: GeneratedCase) =>
  Effect.gen(function*() {
    const tenantId = yield* freshTenant
    const stored = yield* importGenerated(tenantId, generated.calls.map(toStoredCall), generated.batches)
    for (const query of generated.queries) {
      const filter = toFilter(query)
      yield* expectEqual(
        yield* answers(tenantId, filter, query),
        referenceAnswers(stored, filter, query),
        `the answers for ${describe({ ...filter, minCount: query.minCount, limit: query.limit, topPercent: query.topPercent })}`
      )
    }
    return true
  })

const generated = check(
  "on generated calls, every answer equals a reference computation over the same calls",
  Effect.fnUntraced(function*() {
    const seedValue = yield* Effect.sync(() => Math.floor(Math.random() * 2 ** 31))
    const result = yield* Arbitrary.checkEffect(generatedCase, agreesWithReference, { runs: 30, size: 40, seed: seedValue, maxShrinks: 60 })
    if (result._tag === "Passed") return
    const failure = result._tag === "Falsified" && result.failure._tag === "PropertyError" ? result.failure.error : undefined
    const summary = `analytics differ from the reference computation on generated calls (seed ${seedValue})`
    return yield* new ConformanceFailure({
      message: `${summary}: ${failure?.message ?? result._tag}\n${Arbitrary.formatCheckFailure(result) ?? ""}`,
      ...(failure === undefined ? {} : { expected: failure.expected, actual: failure.actual })
    })
  })
)

/**
 * Sixty calls over nine days, then a tenth day together with late calls for
 * two of the earlier days, all spread over every address, channel, category
 * and set of districts the generated checks use.
 */
const incrementalCalls = (from: number, count: number, dayOf: (index: number) => number): Array<StoredCall> =>
  Array.from({ length: count }, (_, offset) => {
    const index = from + offset
    return makeStoredCall({
      dedupeKey: `incremental-${index}`,
      addressKey: generatedAddresses[(index * 7) % generatedAddresses.length]!,
      serviceDay: addDays(BASE_DAY, dayOf(index)),
      localTime: `${pad((index * 5) % 24)}:${pad((index * 13) % 60)}`,
      channel: generatedChannels[index % generatedChannels.length]!,
      categories: generatedCategories.filter((_, category) => (index >> category) % 3 === 0),
      districts: generatedDistricts[index % generatedDistricts.length]
    })
  })

const incremental = check(
  "counts after importing another day, and late calls for earlier days, equal those of a store given every call at once",
  Effect.fnUntraced(function*() {
    const firstDays = incrementalCalls(0, 60, (index) => (index * 4) % 9)
    const nextDay = [...incrementalCalls(60, 10, () => 9), ...incrementalCalls(70, 3, () => 8), ...incrementalCalls(73, 3, () => 3)]
    const stepwise = yield* freshTenant
    const atOnce = yield* freshTenant
    yield* seed(stepwise, firstDays)
    const questions = [3, 8, 9].flatMap((endDay) =>
      [1, 2, 10].flatMap((days) =>
        [{}, { category: "disorder" as const }, { channels: ["911", "other"] as const }].map((narrowing): CallFilter => ({
          window: { endDay: addDays(BASE_DAY, endDay), days },
          ...narrowing
        }))))
    const options = { minCount: 1, limit: 4, topPercent: 25 }
    for (const filter of questions) {
      yield* expectEqual(
        yield* answers(stepwise, filter, options),
        referenceAnswers(firstDays, filter, options),
        `before the next day: the answers for ${describe(filter)}`
      )
    }
    yield* seed(stepwise, nextDay)
    yield* seed(atOnce, [...firstDays, ...nextDay])
    for (const filter of questions) {
      const expected = yield* answers(atOnce, filter, options)
      yield* expectEqual(
        yield* answers(stepwise, filter, options),
        expected,
        `after the next day: the answers for ${describe(filter)} must equal those of a store given every call at once`
      )
      yield* expectEqual(expected, referenceAnswers([...firstDays, ...nextDay], filter, options), `every call at once: ${describe(filter)}`)
    }
  })
)

const tenantIds = check(
  "every operation refuses an empty, over-long (3 KB, 257 bytes) or non-portable tenant id with InvalidStoreRequest, and takes a 256-byte one",
  Effect.fnUntraced(function*() {
    const analytics = yield* CallAnalytics
    const window = { endDay: "2026-03-31", days: 90 }
    for (const { tenantId, what } of invalidTenantIds()) {
      yield* expectTenantRefused(analytics.repeatLocations(tenantId, { window, minCount: 1, limit: 10 }), "CallAnalytics.repeatLocations", tenantId, what)
      yield* expectTenantRefused(analytics.countsByArea(tenantId, { window, area: "beat" }), "CallAnalytics.countsByArea", tenantId, what)
      yield* expectTenantRefused(analytics.countsByCategory(tenantId, { window }), "CallAnalytics.countsByCategory", tenantId, what)
      yield* expectTenantRefused(analytics.concentration(tenantId, { window, topPercent: 10 }), "CallAnalytics.concentration", tenantId, what)
    }
    const longest = yield* longestTenant
    const call = makeStoredCall({ dedupeKey: "tenant-ids", addressKey: "2300 10TH AVE", serviceDay: "2026-03-02" })
    yield* expectSuccess((yield* CallStore).commitImportBatch(longest, makeBatch("import", 2, [call])), "a call in a tenant of 256 bytes")
    yield* expectEqual(
      yield* expectSuccess(analytics.repeatLocations(longest, { window, minCount: 1, limit: 10 }), "repeatLocations"),
      [{ key: "2300 10TH AVE", count: 1 }],
      "the calls of a tenant of 256 bytes"
    )
  })
)

/** Every check of the `CallAnalytics` contract, in the order they are registered. */
export const callAnalyticsChecks: ReadonlyArray<ConformanceCheck<CallStore | CallAnalytics>> = [
  tenantIds,
  windows,
  categories,
  channels,
  areas,
  minCountAndLimit,
  concentration,
  invalidRequests,
  neverCounted,
  withoutAddress,
  generated,
  incremental,
  tenants,
  persistence
]
