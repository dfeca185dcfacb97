/**
 * Given/when/then examples of the excessive-calls rule: every threshold kind,
 * every exclusion the law or the ordinance makes, and the evidence's order.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result, Schema } from "effect"
import {
  type Place,
  redact,
  type StoredCall,
  defaultUncountedDispositions,
  ChronicNuisanceSettings as ChronicNuisanceSettingsSchema,
  type ChronicNuisanceSettings
} from "../../src/index.ts"
import {
  callsExceedingMonthlyAllotment,
  callsExceedingRate,
  ChronicCallerEvidence,
  type ChronicCallerOutcome,
  chulaVistaMotelRate,
  costaMesaMotelRate,
  describeChronicNuisanceRule,
  evaluatePlace,
  forestGroveChronicNuisance,
  type InvalidChronicCallerInput,
  milwaukeeChronicNuisance,
  monthlyAllotment,
  portlandChronicNuisance,
  recheckEvidence
} from "../../src/justice-for-neighbors/index.ts"
import { asOfDay, business, call, type CallSpec, daysBefore, home, settingsWith, unknownUse } from "./ChronicCallerFixtures.ts"

const BAR = "1200 J ST"
const MOTEL = "3555 AUBURN BLVD"

const milwaukee = settingsWith(milwaukeeChronicNuisance.rules)
const portland = settingsWith(portlandChronicNuisance.rules)
const bar = business(BAR, "bar")

const outcome = (place: Place, calls: ReadonlyArray<StoredCall>, settings: ChronicNuisanceSettings, day = asOfDay) => {
  const result = evaluatePlace(place, calls, settings, day)
  if (Result.isFailure(result)) return assert.fail(`unexpected ${result.failure._tag}: ${result.failure.reason}`)
  return result.success
}

const refusal = (
  place: Place,
  calls: ReadonlyArray<StoredCall>,
  settings: ChronicNuisanceSettings,
  day = asOfDay
): InvalidChronicCallerInput => {
  const result = evaluatePlace(place, calls, settings, day)
  if (Result.isSuccess(result)) return assert.fail(`expected a refusal, got ${result.success._tag}`)
  return result.failure
}

const at = (address: string) => (key: string, day: string, spec: Partial<CallSpec> = {}): StoredCall =>
  call({ key, address, day, ...spec })
const atBar = at(BAR)
const atMotel = at(MOTEL)

const designated = (result: ChronicCallerOutcome) => {
  if (result._tag !== "Designated") return assert.fail(`expected a designation, got ${result._tag}`)
  return result.evidence
}
const belowThreshold = (result: ChronicCallerOutcome) => {
  if (result._tag !== "BelowThreshold") return assert.fail(`expected BelowThreshold, got ${result._tag}`)
  return result
}
const countedKeys = (result: ChronicCallerOutcome) =>
  result._tag === "Ineligible" ? [] : (result._tag === "Designated" ? result.evidence.counted : result.counted).map((c) => c.callKey)
const excludedCodes = (result: ChronicCallerOutcome) =>
  result._tag === "Ineligible"
    ? []
    : (result._tag === "Designated" ? result.evidence.excluded : result.excluded).map((c) => [c.callKey, c.reasons.map((r) => r.code)])

describe("count-in-window rules", () => {
  it("given 3 disorder calls on separate days within 30 days at a bar, when evaluated (Milwaukee), then it is designated with the calls as evidence", () => {
    const calls = [atBar("c3", daysBefore(2)), atBar("c1", daysBefore(20)), atBar("c2", daysBefore(9))]
    const evidence = designated(outcome(bar, calls, milwaukee))
    assert.deepStrictEqual(evidence.counted.map((c) => c.callKey), ["c1", "c2", "c3"])
    assert.deepStrictEqual(evidence.excluded, [])
    assert.deepStrictEqual(evidence.rule, milwaukeeChronicNuisance.rules[0])
    assert.deepStrictEqual(evidence.window, { fromDay: "2026-03-02", toDay: "2026-03-31" })
    assert.strictEqual(
      evidence.ruleDescription,
      "3 or more counted calls on separate days within the 30 days 2026-03-02 to 2026-03-31"
    )
    assert.deepStrictEqual(evidence.checks.map((check) => [check.counted, check.needed, check.met]), [[3, 3, true]])
    assert.strictEqual(evidence.place, bar)
    assert.deepStrictEqual(evidence.counted[0]?.countedAs, ["disorder"])
  })

  it("given only 2 counted calls, then the bar is below the threshold and the outcome says 2 of 3", () => {
    const result = belowThreshold(outcome(bar, [atBar("c1", daysBefore(1)), atBar("c2", daysBefore(3))], milwaukee))
    assert.deepStrictEqual(result.checks.map((check) => [check.counted, check.needed, check.met]), [[2, 3, false]])
    assert.strictEqual(
      result.explanation,
      "no threshold met: 3 or more counted calls on separate days within the 30 days 2026-03-02 to 2026-03-31: 2 of 3"
    )
    assert.deepStrictEqual(countedKeys(result), ["c2", "c1"])
  })

  it("counts the 30 days ending on the day of the scan: day 29 before it is in, day 30 is out, later days are ignored", () => {
    const inside = [atBar("a", daysBefore(29)), atBar("b", daysBefore(10)), atBar("c", daysBefore(0))]
    designated(outcome(bar, inside, milwaukee))
    const edge = [atBar("a", daysBefore(30)), atBar("b", daysBefore(10)), atBar("c", daysBefore(0))]
    assert.deepStrictEqual(countedKeys(outcome(bar, edge, milwaukee)), ["b", "c"])
    const future = [atBar("a", daysBefore(-1)), atBar("b", daysBefore(10)), atBar("c", daysBefore(0))]
    assert.strictEqual(outcome(bar, future, milwaukee)._tag, "BelowThreshold")
  })

  it("given 3 calls on 2 days, when the rule counts separate days (Milwaukee), then the later same-day call is excluded as same-day", () => {
    const calls = [
      atBar("early", daysBefore(5), { time: "09:00" }),
      atBar("late", daysBefore(5), { time: "23:30" }),
      atBar("other", daysBefore(4))
    ]
    const result = belowThreshold(outcome(bar, calls, milwaukee))
    assert.deepStrictEqual(result.checks[0]?.counted, 2)
    // The below-threshold lists show what the law and the ordinance exclude; same-day is the rule's own count.
    assert.deepStrictEqual(countedKeys(result), ["early", "late", "other"])

    const fourth = designated(outcome(bar, [...calls, atBar("third-day", daysBefore(1))], milwaukee))
    assert.deepStrictEqual(fourth.counted.map((c) => c.callKey), ["early", "other", "third-day"])
    assert.deepStrictEqual(fourth.excluded.map((c) => [c.callKey, c.reasons]), [[
      "late",
      [{
        code: "same-day",
        source:
          "rule: 3 or more counted calls on separate days within the 30 days 2026-03-02 to 2026-03-31; an earlier call on 2026-03-26 already counted"
      }]
    ]])
  })

  it("given the same 3 calls on 2 days, when the rule counts every call (Portland 14B.60), then the bar is designated", () => {
    const calls = [
      atBar("early", daysBefore(5), { time: "09:00" }),
      atBar("late", daysBefore(5), { time: "23:30" }),
      atBar("other", daysBefore(4))
    ]
    assert.deepStrictEqual(designated(outcome(bar, calls, portland)).counted.map((c) => c.callKey), ["early", "late", "other"])
  })

  it("groups calls by their local service day, not by the UTC date of receipt", () => {
    // 20:00 Pacific is 04:00 UTC the next day; the service day stays the local one.
    const evening = atBar("evening", daysBefore(6), { time: "20:00" })
    const nextMorning = atBar("next-morning", daysBefore(5), { time: "08:00" })
    assert.strictEqual(DateTime.formatIsoDate(evening.call.receivedAt), daysBefore(5))
    const result = designated(outcome(bar, [evening, nextMorning, atBar("third", daysBefore(1))], milwaukee))
    assert.deepStrictEqual(result.counted.map((c) => c.callKey), ["evening", "next-morning", "third"])
  })

  it("orders evidence by receipt time, then by call key in code point order, whatever the input order", () => {
    const sameInstant = (key: string) => atBar(key, daysBefore(3), { time: "10:00" })
    // "\u{1F600}" sorts after "\uFF5E" by code point, before it by UTF-16 code unit.
    const calls = [sameInstant("\u{1F600}"), sameInstant("\uFF5E"), sameInstant("b"), sameInstant("a")]
    const result = designated(outcome(bar, calls, portland))
    assert.deepStrictEqual(result.counted.map((c) => c.callKey), ["a", "b", "\uFF5E", "\u{1F600}"])
    assert.deepStrictEqual(result.excluded, [])
    assert.deepStrictEqual(
      designated(outcome(bar, [...calls].reverse(), portland)),
      result
    )
    const separate = designated(outcome(bar, [...calls, atBar("x", daysBefore(2)), atBar("y", daysBefore(1))], milwaukee))
    assert.deepStrictEqual(separate.counted.map((c) => c.callKey), ["a", "x", "y"])
    assert.deepStrictEqual(separate.excluded.map((c) => c.callKey), ["b", "\uFF5E", "\u{1F600}"])
  })

  it("given Forest Grove's tiers, when 3 calls fall in 90 days but only 1 in 30, then the 90-day tier designates and every tier is shown", () => {
    const forestGrove = settingsWith(forestGroveChronicNuisance.rules)
    const calls = [atBar("a", daysBefore(80)), atBar("b", daysBefore(45)), atBar("c", daysBefore(3))]
    const evidence = designated(outcome(bar, calls, forestGrove))
    assert.deepStrictEqual(evidence.rule, forestGroveChronicNuisance.rules[1])
    assert.deepStrictEqual(evidence.window, { fromDay: "2026-01-01", toDay: "2026-03-31" })
    assert.deepStrictEqual(evidence.checks.map((check) => [check.counted, check.needed, check.met]), [
      [1, 2, false],
      [3, 3, true],
      [3, 4, false]
    ])
  })

  it("given two tiers met, then the evidence is the first in the settings' order", () => {
    const forestGrove = settingsWith(forestGroveChronicNuisance.rules)
    const calls = [atBar("a", daysBefore(300)), atBar("b", daysBefore(200)), atBar("c", daysBefore(10)), atBar("d", daysBefore(3))]
    const evidence = designated(outcome(bar, calls, forestGrove))
    assert.deepStrictEqual(evidence.rule, forestGroveChronicNuisance.rules[0])
    assert.deepStrictEqual(evidence.counted.map((c) => c.callKey), ["c", "d"])
    assert.deepStrictEqual(evidence.checks.map((check) => check.met), [true, false, true])
  })

  it("given settings with no rule, then no place is designated", () => {
    const result = belowThreshold(outcome(bar, [atBar("a", daysBefore(1))], settingsWith([])))
    assert.strictEqual(result.explanation, "the settings hold no threshold: the city designates no place")
    assert.deepStrictEqual(result.checks, [])
  })
})

describe("protected calls never count (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)", () => {
  const two = [atBar("c1", daysBefore(10)), atBar("c2", daysBefore(5))]

  const flags = [
    ["domesticViolenceOrVictimization", "domestic-violence-or-victimization"],
    ["medical", "medical-emergency"],
    ["fireOrEms", "fire-or-ems"],
    ["callerIsVictim", "caller-is-victim"]
  ] as const
  for (const [flag, reason] of flags) {
    it(`given a third call flagged ${flag}, then it is excluded as protected (${reason}) and the bar is not designated`, () => {
      const result = belowThreshold(outcome(bar, [...two, atBar("p", daysBefore(1), { [flag]: true })], milwaukee))
      assert.deepStrictEqual(result.checks[0]?.counted, 2)
      const excluded = result.excluded.find((c) => c.callKey === "p")
      assert.deepStrictEqual(excluded?.reasons.map((r) => [r.code, r.protectedReason]), [["protected", reason]])
      assert.include(excluded?.reasons[0]?.source, "Gov. Code 53165")
    })
  }

  const categories = [
    ["domestic-violence", "domestic-violence-or-victimization"],
    ["victimization", "domestic-violence-or-victimization"],
    ["medical", "medical-emergency"],
    ["fire-ems", "fire-or-ems"]
  ] as const
  for (const [category, reason] of categories) {
    it(`given a third call in the protected category ${category} with no flag set, then it is excluded as protected, naming the classification`, () => {
      const protectedCall = atBar("p", daysBefore(1), { categories: ["disorder", category] })
      const result = belowThreshold(outcome(bar, [...two, protectedCall], milwaukee))
      const excluded = result.excluded.find((c) => c.callKey === "p")
      assert.deepStrictEqual(excluded?.reasons, [{
        code: "protected",
        protectedReason: reason,
        category: protectedCall.categories[1]!,
        source: `call category "${category}" (test-codes 2026-01, rule ${category}-1): Gov. Code 53165, 53165.1; 34 U.S.C. 12495`
      }])
    })
  }

  it("lists every reason a call fails: its flags, its protected categories, its channel and its categories", () => {
    const result = outcome(bar, [
      atBar("p", daysBefore(1), {
        medical: true,
        callerIsVictim: true,
        channel: "officer-initiated",
        categories: ["fire-ems"]
      })
    ], milwaukee)
    assert.deepStrictEqual(excludedCodes(result), [["p", ["protected", "protected", "protected", "channel-not-counted", "category-not-counted"]]])
  })

  it("lists each protection once: a flag and a protected category that give the same protection are one reason, the flag's", () => {
    const result = belowThreshold(outcome(bar, [
      ...two,
      atBar("medical", daysBefore(3), { medical: true, categories: ["medical"] }),
      atBar("dv", daysBefore(2), { domesticViolenceOrVictimization: true, categories: ["domestic-violence", "victimization"] }),
      atBar("both-categories", daysBefore(1), { categories: ["disorder", "domestic-violence", "victimization"] })
    ], milwaukee))
    const reasonsOf = (key: string) =>
      result.excluded.find((c) => c.callKey === key)?.reasons.map((r) => [r.code, r.protectedReason, r.category?.category])
    assert.deepStrictEqual(reasonsOf("medical"), [["protected", "medical-emergency", undefined], ["category-not-counted", undefined, undefined]])
    assert.deepStrictEqual(reasonsOf("dv"), [
      ["protected", "domestic-violence-or-victimization", undefined],
      ["category-not-counted", undefined, undefined]
    ])
    // With no flag, the first protected category the classification gave is the reason.
    assert.deepStrictEqual(reasonsOf("both-categories"), [["protected", "domestic-violence-or-victimization", "domestic-violence"]])
  })

  it("refuses settings built in code (bypassing the schema) that count a protected category", () => {
    const unchecked = { ...milwaukee, countedCategories: ["disorder", "medical"] } as unknown as ChronicNuisanceSettings
    const result = refusal(bar, [...two, atBar("p", daysBefore(1), { categories: ["medical"] })], unchecked)
    assert.strictEqual(result.field, "settings")
    assert.include(result.reason, "\"medical\" is a protected category")
  })
})

describe("the ordinance's channels and categories", () => {
  const two = [atBar("c1", daysBefore(10)), atBar("c2", daysBefore(5))]

  it("given a third call by a channel the settings do not count, then it is excluded as channel-not-counted", () => {
    const result = belowThreshold(outcome(bar, [...two, atBar("o", daysBefore(1), { channel: "officer-initiated" })], milwaukee))
    assert.deepStrictEqual(result.excluded.map((c) => [c.callKey, c.reasons]), [[
      "o",
      [{ code: "channel-not-counted", source: "settings: countedChannels 911, non-emergency; the call came by officer-initiated" }]
    ]])
    designated(outcome(bar, [...two, atBar("o", daysBefore(1), { channel: "officer-initiated" })], {
      ...milwaukee,
      countedChannels: ["911", "officer-initiated"]
    }))
  })

  it("given a third call in no counted category, or in none at all, then it is excluded as category-not-counted", () => {
    const result = belowThreshold(outcome(bar, [
      ...two,
      atBar("drugs", daysBefore(2), { categories: ["drug-trade"] }),
      atBar("none", daysBefore(1), { categories: [] })
    ], milwaukee))
    assert.deepStrictEqual(result.excluded.map((c) => [c.callKey, c.reasons]), [
      ["drugs", [{ code: "category-not-counted", source: "settings: countedCategories disorder, nuisance; the call's categories: drug-trade" }]],
      ["none", [{ code: "category-not-counted", source: "settings: countedCategories disorder, nuisance; the call's categories: none" }]]
    ])
    const evidence = designated(outcome(bar, [...two, atBar("drugs", daysBefore(2), { categories: ["nuisance", "drug-trade"] })], {
      ...milwaukee,
      countedCategories: ["disorder", "drug-trade"]
    }))
    assert.deepStrictEqual(evidence.counted.map((c) => c.countedAs), [["disorder"], ["disorder"], ["drug-trade"]])
  })
})

describe("who the law protects is wider than the categories (Gov. Code 53165)", () => {
  const two = [atBar("c1", daysBefore(10)), atBar("c2", daysBefore(5))]
  const reasonsOf = (result: Extract<ChronicCallerOutcome, { _tag: "BelowThreshold" }>, key: string) =>
    result.excluded.find((c) => c.callKey === key)?.reasons.map((r) => [r.code, r.protectedReason])

  it("a call in human-trafficking (Penal Code 236.1) is protected, and no city may count the category", () => {
    const result = belowThreshold(outcome(bar, [...two, atBar("p", daysBefore(1), { categories: ["disorder", "human-trafficking"] })], milwaukee))
    assert.deepStrictEqual(reasonsOf(result, "p"), [["protected", "domestic-violence-or-victimization"]])
    assert.include(result.excluded[0]!.reasons[0]!.source, "236.1")
    const decoded = Schema.decodeUnknownResult(ChronicNuisanceSettingsSchema)({ ...milwaukee, countedCategories: ["human-trafficking"] })
    assert.isTrue(Result.isFailure(decoded))
  })

  it("a call reporting a crime against the premises or someone at it never counts, even as nuisance (a bar reporting a trespass)", () => {
    const result = belowThreshold(outcome(bar, [...two, atBar("p", daysBefore(1), { categories: ["nuisance", "crime-against-premises"] })], milwaukee))
    assert.deepStrictEqual(reasonsOf(result, "p"), [["protected", "crime-against-premises"]])
    assert.include(result.excluded[0]!.reasons[0]!.source, "Gov. Code 53165")
  })

  it("a call where someone may be the victim (a fight) counts only when the record shows the caller was not the victim or acting for one", () => {
    const unknown = belowThreshold(outcome(bar, [...two, atBar("p", daysBefore(1), { callerNotVictim: undefined })], milwaukee))
    assert.deepStrictEqual(reasonsOf(unknown, "p"), [["caller-may-be-victim", undefined]])
    assert.match(unknown.excluded[0]!.reasons[0]!.source, /Gov\. Code 53165.*does not show/)
    const victim = belowThreshold(outcome(bar, [...two, atBar("p", daysBefore(1), { callerNotVictim: false })], milwaukee))
    assert.deepStrictEqual(reasonsOf(victim, "p"), [["caller-may-be-victim", undefined]])
    designated(outcome(bar, [...two, atBar("p", daysBefore(1), { callerNotVictim: true })], milwaukee))
  })

  it("a call with no possible victim (littering, dumping in public) counts without a victim column", () => {
    designated(outcome(bar, [...two, atBar("p", daysBefore(1), { categories: ["nuisance"], callerNotVictim: undefined })], milwaukee))
  })

  it("intake refuses evidence that counted a call whose caller may be the victim", () => {
    const evidence = designated(outcome(bar, [...two, atBar("p", daysBefore(1))], milwaukee))
    assert.isTrue(evidence.counted.every((c) => c.callerNotVictim === true))
    const forged = { ...evidence, counted: evidence.counted.map((c, i) => (i === 2 ? { ...c, callerNotVictim: false } : c)) }
    assert.strictEqual(recheckEvidence(forged, milwaukee)?.rule, "counted-call-not-protected")
  })
})

describe("calls cleared as unfounded, cancelled or a false alarm", () => {
  const two = [atBar("c1", daysBefore(10)), atBar("c2", daysBefore(5))]

  it("by default do not count: UNFOUNDED, CANCELLED (or CANCELED) and FALSE ALARM, whatever their case and spacing", () => {
    for (const disposition of ["UNFOUNDED", "Cancelled", "CANCELED BY CALLER", "false  alarm", "FALSE ALARM-NO REPORT"]) {
      const result = belowThreshold(outcome(bar, [...two, atBar("x", daysBefore(1), { disposition })], milwaukee))
      assert.deepStrictEqual(result.excluded.map((c) => [c.callKey, c.reasons.map((r) => r.code)]), [["x", ["disposition-not-counted"]]], disposition)
      assert.match(result.excluded[0]!.reasons[0]!.source, /uncountedDispositions/)
    }
  })

  it("other dispositions, or none recorded, still count", () => {
    designated(outcome(bar, [...two, atBar("x", daysBefore(1), { disposition: "REPORT TAKEN" })], milwaukee))
    designated(outcome(bar, [...two, atBar("x", daysBefore(1), { disposition: "ARREST MADE" })], milwaukee))
    designated(outcome(bar, [...two, atBar("x", daysBefore(1))], milwaukee))
  })

  it("the list is a setting: a city may add its own codes", () => {
    const settings = { ...milwaukee, uncountedDispositions: ["UNFOUNDED", "CANCELLED", "FALSE ALARM", "GONE ON ARRIVAL"] }
    const result = belowThreshold(outcome(bar, [...two, atBar("x", daysBefore(1), { disposition: "GONE ON ARRIVAL" })], settings))
    assert.deepStrictEqual(result.excluded.map((c) => c.reasons.map((r) => r.code)), [["disposition-not-counted"]])
    assert.deepStrictEqual(defaultUncountedDispositions, ["UNFOUNDED", "CANCELLED", "CANCELED", "FALSE ALARM"])
  })

  it("the evidence records a counted call's disposition, and intake re-checks it", () => {
    const evidence = designated(outcome(bar, [...two, atBar("x", daysBefore(1), { disposition: "REPORT TAKEN" })], milwaukee))
    assert.strictEqual(evidence.counted[2]!.disposition, "REPORT TAKEN")
    const forged = { ...evidence, counted: evidence.counted.map((c, i) => (i === 2 ? { ...c, disposition: "UNFOUNDED" } : c)) }
    assert.strictEqual(recheckEvidence(forged, milwaukee)?.rule, "counted-disposition")
    assert.isUndefined(recheckEvidence(evidence, milwaukee))
  })
})

describe("only non-residential places are ever designated", () => {
  const many = (address: string) => Array.from({ length: 12 }, (_, i) => call({ key: `k${i}`, address, day: daysBefore(i) }))

  it("given a home with 12 disorder calls in 12 days, then it is Ineligible and its calls are not evaluated", () => {
    assert.deepStrictEqual(outcome(home("23XX 10TH AVE"), many("23XX 10TH AVE"), milwaukee), {
      _tag: "Ineligible",
      addressKey: "23XX 10TH AVE",
      asOfDay,
      reason: "residential",
      explanation: "a home is never designated a nuisance because of calls for police or emergency help: only non-residential places are",
      source: "Gov. Code 53165, 53165.1; 34 U.S.C. 12495"
    })
  })

  it("given a place of unknown land use with the same calls, then it is Ineligible as unknown-land-use", () => {
    const result = outcome(unknownUse("5770 FREEPORT BLVD"), many("5770 FREEPORT BLVD"), milwaukee)
    assert.strictEqual(result._tag, "Ineligible")
    assert.strictEqual(result._tag === "Ineligible" ? result.reason : undefined, "unknown-land-use")
  })
})

describe("per-room rates", () => {
  const chulaVista = settingsWith(chulaVistaMotelRate.rules)
  const costaMesa = settingsWith(costaMesaMotelRate.rules)
  const calls = (count: number, spreadDays: number) =>
    Array.from({ length: count }, (_, i) => atMotel(`m${String(i).padStart(2, "0")}`, daysBefore(Math.floor(i * spreadDays / count))))

  it("given a 10-room motel, when it has 6 counted calls in the year (above 0.5 per room), then Chula Vista's rate designates it", () => {
    const motel = business(MOTEL, "motel-hotel", 10)
    const evidence = designated(outcome(motel, calls(6, 360), chulaVista))
    assert.strictEqual(
      evidence.ruleDescription,
      "more than 0.5 counted calls per room per year (the 365 days 2025-04-01 to 2026-03-31), at motel-hotel places; 10 rooms: 6 or more calls"
    )
    assert.deepStrictEqual(evidence.checks.map((check) => [check.counted, check.needed]), [[6, 6]])
    assert.strictEqual(belowThreshold(outcome(motel, calls(5, 360), chulaVista)).checks[0]?.needed, 6)
  })

  it("counts the 365 days ending on the day of the scan for a rate per year", () => {
    const motel = business(MOTEL, "motel-hotel", 2)
    designated(outcome(motel, [atMotel("old", daysBefore(364)), atMotel("new", daysBefore(0))], chulaVista))
    belowThreshold(outcome(motel, [atMotel("old", daysBefore(365)), atMotel("new", daysBefore(0))], chulaVista))
  })

  it("gives a 232-room motel Costa Mesa's monthly allotment of 232 × 0.4 / 12 ≈ 7.73 calls: 8 calls in a calendar month exceed it", () => {
    assert.strictEqual(monthlyAllotment(0.4, 232), 232 * 0.4 / 12)
    assert.strictEqual(Math.round(monthlyAllotment(0.4, 232)), 8)
    assert.strictEqual(callsExceedingMonthlyAllotment(0.4, 232), 8)
    // Exact decimal arithmetic: 30 rooms at 0.4 a year is exactly 1 call a month, so 2 exceed it.
    assert.strictEqual(callsExceedingMonthlyAllotment(0.4, 30), 2)
    assert.strictEqual(callsExceedingMonthlyAllotment(0.4, 29), 1)
    assert.strictEqual(callsExceedingMonthlyAllotment(0.4, 1), 1)
  })

  it("given a 232-room motel over its Costa Mesa allotment in the calendar month, then it is designated; under it, it is not", () => {
    const motel = business(MOTEL, "motel-hotel", 232)
    const march = (count: number) => Array.from({ length: count }, (_, i) => atMotel(`m${i}`, `2026-03-${String(1 + i * 3).padStart(2, "0")}`))
    const evidence = designated(outcome(motel, march(8), costaMesa))
    assert.deepStrictEqual(evidence.window, { fromDay: "2026-03-01", toDay: "2026-03-31" })
    assert.deepStrictEqual(evidence.checks.map((check) => [check.counted, check.needed]), [[8, 8]])
    assert.strictEqual(
      evidence.ruleDescription,
      "more counted calls than the monthly allotment of rooms × 0.4 / 12 (0.4 per room per year) in the calendar month to date, 2026-03-01 to 2026-03-31, at motel-hotel places; 232 rooms: an allotment of 7.73, 8 or more calls"
    )
    const under = belowThreshold(outcome(motel, march(7), costaMesa))
    assert.deepStrictEqual(under.checks.map((check) => [check.counted, check.needed]), [[7, 8]])
  })

  it("counts the calendar month of the day of the scan, from its first day, never the month before", () => {
    const motel = business(MOTEL, "motel-hotel", 232)
    const fromFirst = Array.from({ length: 8 }, (_, i) => atMotel(`m${i}`, "2026-03-01"))
    // 2026-03-01 is outside the 30 days ending 2026-03-31 but inside the calendar month.
    designated(outcome(motel, fromFirst, costaMesa))
    const lateFebruary = [...fromFirst.slice(1), atMotel("feb", "2026-02-28")]
    belowThreshold(outcome(motel, lateFebruary, costaMesa))
    // Mid-month, the month to date: calls after the day of the scan are ignored.
    const midMonth = belowThreshold(outcome(motel, [...fromFirst.slice(1), atMotel("late", "2026-03-20")], costaMesa, "2026-03-15"))
    assert.deepStrictEqual(midMonth.window, { fromDay: "2026-03-01", toDay: "2026-03-15" })
    designated(outcome(motel, fromFirst, costaMesa, "2026-03-15"))
  })

  it("is 12 times stricter than 0.4 per room per month: a 232-room motel with 10 calls in the month is over its allotment", () => {
    const motel = business(MOTEL, "motel-hotel", 232)
    const calls10 = Array.from({ length: 10 }, (_, i) => atMotel(`m${i}`, `2026-03-${String(2 + i).padStart(2, "0")}`))
    designated(outcome(motel, calls10, costaMesa))
  })

  it("given a motel whose room count is not recorded, then a per-room rate cannot be met however many calls, and the outcome says why", () => {
    const result = belowThreshold(outcome(business(MOTEL, "motel-hotel"), calls(40, 300), chulaVista))
    assert.deepStrictEqual(result.checks.map((check) => [check.counted, check.needed, check.inapplicable]), [[40, undefined, "rooms-unknown"]])
    assert.include(result.explanation, "cannot be met, the place's room count is not recorded")
  })

  it("given a bar, then a rate for motels does not apply to it", () => {
    const result = belowThreshold(outcome(business(MOTEL, "bar", 10), calls(40, 300), chulaVista))
    assert.deepStrictEqual(result.checks[0]?.inapplicable, "kind-not-covered")
    assert.include(result.explanation, "does not apply to this kind of place")
  })

  it("computes the calls that exceed a rate exactly, not in binary floating point", () => {
    assert.strictEqual(0.29 * 100, 28.999999999999996)
    assert.strictEqual(callsExceedingRate(0.29, 100), 30)
    assert.strictEqual(callsExceedingRate(0.4, 10), 5)
    assert.strictEqual(callsExceedingRate(0.5, 40), 21)
    assert.strictEqual(callsExceedingRate(0.5, 41), 21)
    assert.strictEqual(callsExceedingRate(0.4, 1), 1)
    assert.strictEqual(callsExceedingRate(2, 3), 7)
    assert.strictEqual(callsExceedingRate(1e-7, 10_000_000), 2)
    assert.strictEqual(callsExceedingRate(1.5e21, 1), 1.5e21 + 1)
  })

  it("describes rules without a window for configuration screens", () => {
    assert.strictEqual(
      describeChronicNuisanceRule(costaMesaMotelRate.rules[0]),
      "more counted calls than the monthly allotment of rooms × 0.4 / 12 (0.4 per room per year) in the calendar month to date (from its first day to the day of the scan), at motel-hotel places"
    )
    assert.strictEqual(
      describeChronicNuisanceRule({ _tag: "per-room-rate", callsPerRoom: 0.4, per: "month", appliesTo: ["motel-hotel"] }),
      "more than 0.4 counted calls per room per month (the 30 days ending on the day of the scan), at motel-hotel places"
    )
    assert.strictEqual(
      describeChronicNuisanceRule({ _tag: "count-in-window", count: 1, windowDays: 1, separateDays: false }),
      "1 or more counted call within the 1 day ending on the day of the scan"
    )
  })
})

describe("bad input gets a typed error", () => {
  it("refuses a day that does not exist", () => {
    const result = refusal(bar, [], milwaukee, "2026-02-30")
    assert.deepStrictEqual([result._tag, result.field], ["InvalidChronicCallerInput", "asOfDay"])
  })

  it("refuses calls at another address, naming them", () => {
    const result = refusal(bar, [atBar("mine", daysBefore(1)), atMotel("theirs", daysBefore(1))], milwaukee)
    assert.deepStrictEqual([result.field, result.callKeys], ["calls", ["theirs"]])
  })

  it("refuses a call without an address, which is at no place and never counts toward a nuisance", () => {
    const withheld = atBar("withheld", daysBefore(2))
    const unaddressed: StoredCall = {
      ...withheld,
      call: { ...withheld.call, location: { addressUnknown: "blank", districts: { beat: "3C" } } }
    }
    const result = refusal(bar, [atBar("mine", daysBefore(1)), unaddressed], milwaukee)
    assert.deepStrictEqual([result.field, result.callKeys], ["calls", ["withheld"]])
  })

  it("refuses a call given twice, which would count twice", () => {
    const result = refusal(bar, [atBar("a", daysBefore(1)), atBar("b", daysBefore(2)), atBar("a", daysBefore(1))], portland)
    assert.deepStrictEqual([result.field, result.callKeys], ["calls", ["a"]])
  })

  it("refuses settings that break their schema", () => {
    const result = refusal(bar, [], { ...milwaukee, countedChannels: [] as unknown as ChronicNuisanceSettings["countedChannels"] })
    assert.strictEqual(result.field, "settings")
  })
})

describe("the evidence", () => {
  const calls = [
    atBar("c1", daysBefore(20)),
    atBar("dv", daysBefore(15), { domesticViolenceOrVictimization: true, categories: ["domestic-violence"] }),
    atBar("c2", daysBefore(9)),
    atBar("c3", daysBefore(2))
  ]
  const evidence = designated(outcome(bar, calls, milwaukee))

  it("survives JSON: it is the schema a case attaches", () => {
    const codec = Schema.toCodecJson(ChronicCallerEvidence)
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(codec)(evidence)))
    assert.deepStrictEqual(Schema.decodeUnknownSync(codec)(json), evidence)
  })

  it("shows the public neither the counted calls nor the excluded ones, and staff not the excluded (confidential) ones", () => {
    const publicView = redact(ChronicCallerEvidence, evidence, "public") as Record<string, unknown>
    assert.notProperty(publicView, "counted")
    assert.notProperty(publicView, "excluded")
    assert.strictEqual(publicView["ruleDescription"], evidence.ruleDescription)
    const staffView = redact(ChronicCallerEvidence, evidence, "staff") as Record<string, unknown>
    assert.property(staffView, "counted")
    assert.notProperty(staffView, "excluded")
    const prosecutorView = redact(ChronicCallerEvidence, evidence, "prosecutor") as Record<string, unknown>
    assert.deepStrictEqual((prosecutorView["excluded"] as Array<{ callKey: string }>).map((c) => c.callKey), ["dv"])
  })
})
