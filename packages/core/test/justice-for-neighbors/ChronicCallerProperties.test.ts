/**
 * Invariants of the excessive-calls rule over generated places, calls and
 * settings. Each property also runs against a deliberately broken evaluator
 * (a plausible bug) and must find a counterexample there, so none of them
 * could pass by being unable to fail.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import {
  CallCategory,
  CallChannel,
  type ChronicNuisanceRule,
  type ChronicNuisanceSettings,
  NonResidentialKind,
  type Place,
  protectedCategories,
  type StoredCall,
  victimPossibleCategories
} from "../../src/index.ts"
import {
  type ChronicCallerOutcome,
  evaluatePlace,
  isUncountedDisposition,
  recheckEvidence,
  type RuleCheck
} from "../../src/justice-for-neighbors/index.ts"
import { asOfDay, call, type CallSpec, daysBefore } from "./ChronicCallerFixtures.ts"

type Evaluate = (
  place: Place,
  calls: ReadonlyArray<StoredCall>,
  settings: ChronicNuisanceSettings,
  day: string
) => ChronicCallerOutcome

const evaluate: Evaluate = (place, calls, settings, day) => {
  const result = evaluatePlace(place, calls, settings, day)
  if (Result.isFailure(result)) throw new Error(`generated input refused: ${result.failure.reason}`)
  return result.success
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

const ADDRESS = "1200 J ST"
const countable = CallCategory.literals.filter((category) => !protectedCategories.includes(category))

const nonResidentialArb: fc.Arbitrary<Place> = fc.record({
  kind: fc.constantFrom(...NonResidentialKind.literals),
  rooms: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined })
}).map(({ kind, rooms }) => ({
  addressKey: ADDRESS,
  landUse: rooms === undefined ? { _tag: "non-residential", kind } : { _tag: "non-residential", kind, rooms },
  districts: {}
}))

const notNonResidentialArb: fc.Arbitrary<Place> = fc.constantFrom<Place>(
  { addressKey: ADDRESS, landUse: { _tag: "residential" }, districts: {} },
  { addressKey: ADDRESS, landUse: { _tag: "residential", units: 40 }, districts: {} },
  { addressKey: ADDRESS, landUse: { _tag: "unknown" }, districts: {} },
  // A motel where people live is a residence for the calls-for-service rules (Gov. Code 53165.1).
  { addressKey: ADDRESS, landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 2, longTermTenancies: { rooms: 1 } }, districts: {} },
  { addressKey: ADDRESS, landUse: { _tag: "non-residential", kind: "other", longTermTenancies: { rooms: "unknown" } }, districts: {} }
)

const rare = fc.integer({ min: 0, max: 9 }).map((n) => n === 0)

/** A call's fields besides its key and address; mostly countable, sometimes not. */
const callSpecArb = fc.record({
  day: fc.integer({ min: -2, max: 70 }).map(daysBefore),
  time: fc.integer({ min: 0, max: 23 * 60 + 59 }).map((m) =>
    `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
  ),
  channel: fc.oneof(
    { weight: 4, arbitrary: fc.constant<CallChannel>("911") },
    { weight: 1, arbitrary: fc.constantFrom(...CallChannel.literals) }
  ),
  categories: fc.oneof(
    { weight: 4, arbitrary: fc.constant<ReadonlyArray<CallCategory>>(["disorder"]) },
    { weight: 2, arbitrary: fc.subarray([...CallCategory.literals], { maxLength: 3 }) }
  ),
  domesticViolenceOrVictimization: rare,
  medical: rare,
  fireOrEms: rare,
  callerIsVictim: rare,
  // Mostly a record that the caller was not the victim; sometimes one that cannot say, or says they were.
  callerNotVictim: fc.oneof(
    { weight: 8, arbitrary: fc.constant<boolean | undefined>(true) },
    { weight: 1, arbitrary: fc.constant<boolean | undefined>(undefined) },
    { weight: 1, arbitrary: fc.constant<boolean | undefined>(false) }
  ),
  disposition: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.constantFrom("REPORT TAKEN", "ADVISED", "ARREST MADE") },
    { weight: 1, arbitrary: fc.constantFrom("UNFOUNDED", "CANCELLED", "CANCELED BY CALLER", "FALSE ALARM") }
  )
})

type Spec = Omit<CallSpec, "key" | "address">

const toCalls = (specs: ReadonlyArray<Spec>, prefix = "k"): Array<StoredCall> =>
  specs.map((spec, index) => call({ ...spec, key: `${prefix}${index}`, address: ADDRESS }))

// Uniform lengths up to the maximum: fast-check's default favours short lists, which rarely reach a threshold.
const callsArb = fc.array(callSpecArb, { maxLength: 24, size: "max" }).map((specs) => toCalls(specs))

/** A call the law protects: one protection flag set, or a protected category among its categories. */
const protectedSpecArb: fc.Arbitrary<Spec> = fc.tuple(
  callSpecArb,
  fc.oneof(
    fc.constantFrom("domesticViolenceOrVictimization", "medical", "fireOrEms", "callerIsVictim").map((flag) => ({ flag })),
    fc.constantFrom(...protectedCategories).map((category) => ({ category }))
  )
).map(([spec, protection]) =>
  "flag" in protection
    ? { ...spec, [protection.flag]: true }
    : { ...spec, categories: [...spec.categories, protection.category] }
)

const countRuleArb: fc.Arbitrary<ChronicNuisanceRule> = fc.record({
  count: fc.integer({ min: 1, max: 5 }),
  windowDays: fc.integer({ min: 1, max: 60 }),
  separateDays: fc.boolean()
}).map((rule) => ({ _tag: "count-in-window", ...rule }))

const rateRuleArb: fc.Arbitrary<ChronicNuisanceRule> = fc.record({
  callsPerRoom: fc.constantFrom(0.1, 0.25, 0.4, 0.5, 1, 1.5),
  per: fc.constantFrom("month" as const, "year" as const),
  appliesTo: fc.oneof(
    fc.constant<ReadonlyArray<NonResidentialKind>>(["motel-hotel"]),
    fc.subarray([...NonResidentialKind.literals], { minLength: 1 })
  )
}).map(({ appliesTo, ...rule }) => ({ _tag: "per-room-rate", ...rule, appliesTo: [appliesTo[0]!, ...appliesTo.slice(1)] }))

const allotmentRuleArb: fc.Arbitrary<ChronicNuisanceRule> = fc.record({
  callsPerRoomPerYear: fc.constantFrom(0.4, 0.5, 1.2, 6, 12),
  appliesTo: fc.oneof(
    fc.constant<ReadonlyArray<NonResidentialKind>>(["motel-hotel"]),
    fc.subarray([...NonResidentialKind.literals], { minLength: 1 })
  )
}).map(({ appliesTo, ...rule }) => ({ _tag: "per-room-monthly-allotment", ...rule, appliesTo: [appliesTo[0]!, ...appliesTo.slice(1)] }))

const nonEmpty = <A>(values: ReadonlyArray<A>): fc.Arbitrary<readonly [A, ...Array<A>]> =>
  fc.subarray([...values], { minLength: 1 }).map((chosen) => [chosen[0]!, ...chosen.slice(1)] as const)

const settingsArb: fc.Arbitrary<ChronicNuisanceSettings> = fc.record({
  rules: fc.array(fc.oneof({ weight: 3, arbitrary: countRuleArb }, { weight: 1, arbitrary: rateRuleArb }, { weight: 1, arbitrary: allotmentRuleArb }), { maxLength: 3 }),
  countedChannels: fc.oneof(fc.constant<readonly ["911", "non-emergency"]>(["911", "non-emergency"]), nonEmpty(CallChannel.literals)),
  countedCategories: fc.oneof(fc.constant<readonly ["disorder", "nuisance"]>(["disorder", "nuisance"]), nonEmpty(countable))
})

// ---------------------------------------------------------------------------
// Strength of an outcome
// ---------------------------------------------------------------------------

const checksOf = (outcome: ChronicCallerOutcome): ReadonlyArray<RuleCheck> =>
  outcome._tag === "Designated" ? outcome.evidence.checks : outcome._tag === "BelowThreshold" ? outcome.checks : []

/**
 * Whether `after` is a new or stronger designation than `before`: designated
 * where `before` was not, or any rule counting more calls.
 */
const strengthened = (before: ChronicCallerOutcome, after: ChronicCallerOutcome): boolean => {
  if (after._tag === "Designated" && before._tag !== "Designated") return true
  const previous = checksOf(before)
  return checksOf(after).some((check, index) => check.counted > (previous[index]?.counted ?? 0))
}

/** Runs a property against a broken evaluator and returns whether fast-check found a counterexample. */
const findsCounterexample = <Ts extends [unknown, ...Array<unknown>]>(property: fc.IProperty<Ts>): boolean =>
  fc.check(property, { numRuns: 5_000 }).failed

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const addingProtectedCall = (run: Evaluate) =>
  fc.property(fc.oneof({ weight: 3, arbitrary: nonResidentialArb }, { weight: 1, arbitrary: notNonResidentialArb }), callsArb, protectedSpecArb, settingsArb, (place, calls, spec, settings) => {
    const before = run(place, calls, settings, asOfDay)
    const after = run(place, [...calls, ...toCalls([spec], "protected-")], settings, asOfDay)
    return !strengthened(before, after)
  })

const addingCallAtHome = (run: Evaluate) =>
  fc.property(notNonResidentialArb, callsArb, callSpecArb, settingsArb, (place, calls, spec, settings) => {
    const before = run(place, calls, settings, asOfDay)
    const after = run(place, [...calls, ...toCalls([spec], "added-")], settings, asOfDay)
    return after._tag !== "Designated" && !strengthened(before, after)
  })

const removingCalls = (run: Evaluate) =>
  fc.property(
    nonResidentialArb,
    fc.array(fc.tuple(callSpecArb, fc.boolean()), { maxLength: 24, size: "max" }),
    settingsArb,
    (place, marked, settings) => {
      const all = toCalls(marked.map(([spec]) => spec))
      const kept = all.filter((_, index) => marked[index]![1])
      return !strengthened(run(place, all, settings, asOfDay), run(place, kept, settings, asOfDay))
    }
  )

/** Settings with one rule made easier to meet: a lower count, a longer window, same-day calls counted, a lower rate. */
const lowered = (settings: ChronicNuisanceSettings, index: number, amount: number): ChronicNuisanceSettings => ({
  ...settings,
  rules: settings.rules.map((rule, at) => {
    if (at !== index) return rule
    if (rule._tag === "per-room-rate") return { ...rule, callsPerRoom: rule.callsPerRoom * (1 - amount / 10) }
    if (rule._tag === "per-room-monthly-allotment") {
      return { ...rule, callsPerRoomPerYear: rule.callsPerRoomPerYear * (1 - amount / 10) }
    }
    switch (amount % 3) {
      case 0:
        return { ...rule, count: Math.max(1, rule.count - 1 - (amount % 2)) }
      case 1:
        return { ...rule, windowDays: rule.windowDays + amount }
      default:
        return { ...rule, separateDays: false }
    }
  })
})

type Designates = (place: Place, calls: ReadonlyArray<StoredCall>, settings: ChronicNuisanceSettings) => boolean

const lowerThreshold = (designates: Designates) =>
  fc.property(
    fc.array(fc.tuple(nonResidentialArb, fc.array(callSpecArb, { maxLength: 16, size: "max" })), { minLength: 1, maxLength: 4 }),
    settingsArb.filter((settings) => settings.rules.length > 0),
    fc.nat(),
    fc.integer({ min: 1, max: 9 }),
    (places, settings, pick, amount) => {
      const easier = lowered(settings, pick % settings.rules.length, amount)
      return places.every(([place, specs]) => {
        const calls = toCalls(specs)
        return !designates(place, calls, settings) || designates(place, calls, easier)
      })
    }
  )

const designatesWith = (run: Evaluate): Designates => (place, calls, settings) =>
  run(place, calls, settings, asOfDay)._tag === "Designated"

// ---------------------------------------------------------------------------
// Broken evaluators: one plausible bug each
// ---------------------------------------------------------------------------

/** Forgets the law's protections: reads no protection flag, and takes protected categories for ordinary disorder. */
const ignoresProtection: Evaluate = (place, calls, settings, day) =>
  evaluate(
    place,
    calls.map((stored) => ({
      ...stored,
      call: { ...stored.call, domesticViolenceOrVictimization: false, medical: false, fireOrEms: false, callerIsVictim: false },
      categories: stored.categories.map((match) =>
        protectedCategories.includes(match.category) ? { ...match, category: "disorder" as const } : match
      )
    })),
    settings,
    day
  )

/** Treats every place that is not recorded as a home as a business: an unknown land use gets designated. */
const unknownUseIsBusiness: Evaluate = (place, calls, settings, day) =>
  evaluate(
    place.landUse._tag === "unknown" ? { ...place, landUse: { _tag: "non-residential", kind: "other" } } : place,
    calls,
    settings,
    day
  )

/** Ignores what the registry says of long-term tenancies: a motel where people live gets designated. */
const tenanciesIgnored: Evaluate = (place, calls, settings, day) => {
  if (place.landUse._tag !== "non-residential" || place.landUse.longTermTenancies === undefined) return evaluate(place, calls, settings, day)
  const { longTermTenancies: _, ...landUse } = place.landUse
  return evaluate({ ...place, landUse }, calls, settings, day)
}

/** Implements "separate days" by dropping every day with more than one call, instead of counting such a day once. */
const dropsBusyDays: Evaluate = (place, calls, settings, day) => {
  const perDay = new Map<string, number>()
  for (const stored of calls) perDay.set(stored.serviceDay, (perDay.get(stored.serviceDay) ?? 0) + 1)
  return evaluate(place, calls.filter((stored) => perDay.get(stored.serviceDay) === 1), settings, day)
}

/** Designates only when a rule's count is exactly what it needs (`===` where `>=` was meant). */
const exactCountOnly: Designates = (place, calls, settings) =>
  checksOf(evaluate(place, calls, settings, asOfDay)).some((check) => check.needed !== undefined && check.counted === check.needed)

// ---------------------------------------------------------------------------

describe("properties of the excessive-calls rule", () => {
  it("adding a protected call never creates or strengthens a designation", () => {
    fc.assert(addingProtectedCall(evaluate), { numRuns: 500 })
  })

  it("…and an evaluator that forgets the protections breaks it", () => {
    assert.isTrue(findsCounterexample(addingProtectedCall(ignoresProtection)))
  })

  it("adding any call at a home or a place of unknown land use never creates or strengthens a designation", () => {
    fc.assert(addingCallAtHome(evaluate), { numRuns: 500 })
  })

  it("…and an evaluator that treats an unknown land use as a business breaks it", () => {
    assert.isTrue(findsCounterexample(addingCallAtHome(unknownUseIsBusiness)))
  })

  it("…and an evaluator that ignores long-term tenancies at a motel breaks it", () => {
    assert.isTrue(findsCounterexample(addingCallAtHome(tenanciesIgnored)))
  })

  it("removing calls never creates or strengthens a designation", () => {
    fc.assert(removingCalls(evaluate), { numRuns: 500 })
  })

  it("…and an evaluator that drops busy days instead of counting them once breaks it", () => {
    assert.isTrue(findsCounterexample(removingCalls(dropsBusyDays)))
  })

  it("a lower threshold never designates fewer places", () => {
    fc.assert(lowerThreshold(designatesWith(evaluate)), { numRuns: 300 })
  })

  it("…and an evaluator comparing counts with === breaks it", () => {
    assert.isTrue(findsCounterexample(lowerThreshold(exactCountOnly)))
  })

  it("the outcome does not depend on the order the calls come in", () => {
    fc.assert(
      fc.property(
        nonResidentialArb,
        callsArb.chain((calls) =>
          fc.tuple(fc.constant(calls), fc.shuffledSubarray(calls, { minLength: calls.length, maxLength: calls.length }))
        ),
        settingsArb,
        (place, [calls, shuffled], settings) => {
          assert.deepStrictEqual(evaluate(place, shuffled, settings, asOfDay), evaluate(place, calls, settings, asOfDay))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("every call in a designation's window is either counted or excluded with a reason, never both", () => {
    fc.assert(
      fc.property(nonResidentialArb, callsArb, settingsArb, (place, calls, settings) => {
        const outcome = evaluate(place, calls, settings, asOfDay)
        if (outcome._tag !== "Designated") return
        const { counted, excluded, window } = outcome.evidence
        const inWindow = calls
          .filter((stored) => stored.serviceDay >= window.fromDay && stored.serviceDay <= window.toDay)
          .map((stored) => stored.dedupeKey)
          .sort()
        assert.deepStrictEqual([...counted, ...excluded].map((c) => c.callKey).sort(), inWindow)
        for (const stored of calls) {
          const isProtected = protectedCategories.some((category) => stored.categories.some((match) => match.category === category)) ||
            stored.call.domesticViolenceOrVictimization || stored.call.medical || stored.call.fireOrEms || stored.call.callerIsVictim
          if (isProtected) assert.isFalse(counted.some((c) => c.callKey === stored.dedupeKey))
          if (isUncountedDisposition(stored.call.disposition)) assert.isFalse(counted.some((c) => c.callKey === stored.dedupeKey))
          const victimPossible = stored.categories.some((match) => victimPossibleCategories.includes(match.category))
          if (victimPossible && stored.call.callerNotVictim !== true) assert.isFalse(counted.some((c) => c.callKey === stored.dedupeKey))
        }
      }),
      { numRuns: 500 }
    )
  })

  it("a designation's evidence holds when a command re-checks it; made to count a protected call or fall short, it never does", () => {
    fc.assert(
      fc.property(
        nonResidentialArb,
        callsArb,
        settingsArb,
        fc.constantFrom(...protectedCategories),
        (place, calls, settings, category) => {
          const outcome = evaluate(place, calls, settings, asOfDay)
          if (outcome._tag !== "Designated") return
          const evidence = outcome.evidence
          assert.isUndefined(recheckEvidence(evidence, settings))
          const [first, ...rest] = evidence.counted
          if (first === undefined) return
          const forged = { ...evidence, counted: [{ ...first, categories: [...(first.categories ?? []), category] }, ...rest] }
          assert.strictEqual(recheckEvidence(forged, settings)?.rule, "counted-call-not-protected")
          // Counted calls are one a day under a separate-days rule, so keeping one fewer than needed falls short either way.
          const needed = evidence.checks.find((c) => c.met)!.needed!
          const short = { ...evidence, counted: evidence.counted.slice(0, needed - 1) }
          assert.strictEqual(recheckEvidence(short, settings)?.rule, "threshold-met")
        }
      ),
      { numRuns: 300 }
    )
  })
})
