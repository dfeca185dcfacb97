/**
 * Administrative fine caps: the cap of the nth violation within the window
 * (Gov. Code 36900; 25132), with the Sacramento preset and other schedules.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import {
  capForViolation,
  checkFine,
  type FineSchedule,
  fineCapFor,
  sacramento,
  violationNumberWithin
} from "@community-policing/core"

const caps = sacramento.programs.justiceForNeighbors.fineCaps
const zone = "America/Los_Angeles"
const local = (text: string) => DateTime.makeZonedUnsafe(text, { timeZone: zone, adjustForTimeZone: true })

const number = (result: Result.Result<number, unknown>): number => {
  if (Result.isFailure(result)) return assert.fail("unexpected failure")
  return result.success
}

describe("capForViolation", () => {
  it("gives $100 / $200 / $500 for the 1st, 2nd and each further general violation (Gov. Code 36900(b))", () => {
    assert.deepStrictEqual([1, 2, 3, 4, 10].map((n) => capForViolation(caps.general, n)), [100, 200, 500, 500, 500])
  })

  it("gives $130 / $700 / $1,300 for building and safety violations (Gov. Code 36900(c))", () => {
    assert.deepStrictEqual([1, 2, 3, 7].map((n) => capForViolation(caps.buildingAndSafety, n)), [130, 700, 1300, 1300])
  })

  it("reads a configured schedule of any length, the last cap applying to every further violation", () => {
    const schedule: FineSchedule = { capsInDollars: [50, 75, 75, 400, 1000], windowDays: 180 }
    assert.deepStrictEqual([1, 2, 3, 4, 5, 6].map((n) => capForViolation(schedule, n)), [50, 75, 75, 400, 1000, 1000])
    assert.strictEqual(capForViolation({ capsInDollars: [250], windowDays: 30 }, 3), 250)
  })
})

describe("violationNumberWithin", () => {
  const first = local("2026-03-24T10:00:00")

  it("counts earlier violations up to windowDays local days back, inclusive", () => {
    assert.strictEqual(number(violationNumberWithin(365, [], first, zone)), 1)
    assert.strictEqual(number(violationNumberWithin(365, [first], local("2027-03-24T23:00:00"), zone)), 2)
    assert.strictEqual(number(violationNumberWithin(365, [first], local("2027-03-25T00:30:00"), zone)), 1)
  })

  it("reads dates in the jurisdiction's zone: 23:30 in Sacramento is the next day in UTC, still the same local day", () => {
    const late = local("2027-03-24T23:30:00")
    assert.strictEqual(DateTime.formatIsoDateUtc(late), "2027-03-25")
    assert.strictEqual(number(violationNumberWithin(365, [first], late, zone)), 2)
    assert.strictEqual(number(violationNumberWithin(365, [first], late, "UTC")), 1)
  })

  it("ignores violations after the one being counted, and counts every earlier one inside the window", () => {
    const earlier = [local("2026-01-05T09:00:00"), local("2026-02-05T09:00:00"), local("2026-06-01T09:00:00")]
    assert.strictEqual(number(violationNumberWithin(365, earlier, local("2026-03-01T09:00:00"), zone)), 3)
    assert.strictEqual(number(violationNumberWithin(30, earlier, local("2026-03-01T09:00:00"), zone)), 2)
  })

  it("fails with UnknownTimeZone for a zone the runtime does not know", () => {
    const result = violationNumberWithin(365, [], first, "Mars/Olympus_Mons")
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) assert.strictEqual(result.failure._tag, "UnknownTimeZone")
  })
})

describe("fineCapFor and checkFine", () => {
  it("names the schedule, the violation number, the window, the setting and the law", () => {
    const result = fineCapFor({ caps, schedule: "building-and-safety", earlier: [local("2026-03-01T09:00:00")], at: local("2026-03-02T09:00:00"), timeZone: zone })
    assert.deepStrictEqual(result, Result.succeed({
      schedule: "building-and-safety",
      violationNumber: 2,
      capInDollars: 700,
      windowDays: 365,
      setting: "programs.justiceForNeighbors.fineCaps.buildingAndSafety",
      law: "Gov. Code 36900(c); 25132(c) for counties"
    }))
  })

  it("accepts an amount at the cap and refuses one cent above it", () => {
    const cap = fineCapFor({ caps, schedule: "general", earlier: [], at: local("2026-03-02T09:00:00"), timeZone: zone })
    if (Result.isFailure(cap)) return assert.fail("no cap")
    assert.isTrue(Result.isSuccess(checkFine("AC-1", 100, cap.success)))
    const above = checkFine("AC-1", 100.01, cap.success)
    if (Result.isSuccess(above)) return assert.fail("accepted above the cap")
    assert.strictEqual(above.failure.rule, "fine-cap")
    assert.match(above.failure.message, /\$100\.01 is above the \$100 cap of violation 1 within 365 days/)
  })
})

describe("properties", () => {
  const schedule = fc
    .array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 6 })
    .map((caps) => [...caps].sort((a, b) => a - b))
    .chain((capsInDollars) => fc.integer({ min: 1, max: 730 }).map((windowDays): FineSchedule => ({ capsInDollars: capsInDollars as [number, ...Array<number>], windowDays })))

  it("the cap is always one of the schedule's caps, never decreases with the violation number, and is the last for large numbers", () => {
    fc.assert(fc.property(schedule, fc.integer({ min: 1, max: 50 }), (s, n) => {
      const cap = capForViolation(s, n)
      assert.include(s.capsInDollars, cap)
      assert.isAtMost(cap, capForViolation(s, n + 1))
      if (n >= s.capsInDollars.length) assert.strictEqual(cap, s.capsInDollars[s.capsInDollars.length - 1])
    }))
  })

  it("the violation number is 1 plus the earlier violations whose local date is at most windowDays before", () => {
    const start = Date.UTC(2026, 0, 1)
    const day = 86_400_000
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 800 }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 800 }),
      fc.integer({ min: 1, max: 400 }),
      (earlierDays, atDay, windowDays) => {
        // Noon UTC is early morning in Sacramento: the local date is the UTC date.
        const instant = (d: number) => DateTime.makeUnsafe(start + d * day + 12 * 3_600_000)
        const expected = 1 + earlierDays.filter((d) => d <= atDay && atDay - d <= windowDays).length
        assert.strictEqual(number(violationNumberWithin(windowDays, earlierDays.map(instant), instant(atDay), zone)), expected)
      }
    ))
  })
})
