/**
 * Administrative fine caps: the cap of the nth violation within the window
 * (Gov. Code 36900; 25132), with the Sacramento preset and other schedules.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { type FineSchedule, sacramento } from "@community-policing/core"
import {
  capForViolation,
  checkFine,
  fineCapFor,
  violationNumberWithin
} from "@community-policing/core/justice-for-neighbors"

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

  it("counts within one year of the FIRST violation (Gov. Code 36900(b)): once that year is over, the next violation starts again at 1", () => {
    const earlier = [local("2026-01-05T09:00:00"), local("2026-06-01T09:00:00")]
    // 364 days after the first: still the third of its year.
    assert.strictEqual(number(violationNumberWithin(365, earlier, local("2027-01-04T09:00:00"), zone)), 3)
    // 370 days after the first, though only 223 after the second: a first violation again.
    assert.strictEqual(number(violationNumberWithin(365, earlier, local("2027-01-10T09:00:00"), zone)), 1)
    // The year after that restart is counted from the restart.
    const restarted = [...earlier, local("2027-01-10T09:00:00")]
    assert.strictEqual(number(violationNumberWithin(365, restarted, local("2027-06-01T09:00:00"), zone)), 2)
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
      law: "Gov. Code 53069.4(a)(1), at the amounts of 36900(c); 25132(c) for counties"
    }))
  })

  it("names Gov. Code 53069.4(a)(1) as the basis of every cap: an administrative fine may not exceed the infraction's fine", () => {
    for (const schedule of ["general", "building-and-safety"] as const) {
      const result = fineCapFor({ caps, schedule, earlier: [], at: local("2026-03-02T09:00:00"), timeZone: zone })
      if (Result.isFailure(result)) return assert.fail("no cap")
      assert.match(result.success.law, /^Gov\. Code 53069\.4\(a\)\(1\)/)
    }
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

describe("the commercial building tier (Gov. Code 36900(c)(3)(B))", () => {
  const refuse = { cause: "visible-refuse" } as const
  const first = local("2026-01-05T09:00:00")
  const second = local("2026-09-01T09:00:00")
  const cap = (request: Partial<Parameters<typeof fineCapFor>[0]>) => {
    const result = fineCapFor({
      caps,
      schedule: "building-and-safety",
      earlier: [first, second],
      at: local("2027-06-01T09:00:00"),
      timeZone: zone,
      commercialBuilding: refuse,
      ownerHadTimeToCorrect: true,
      ...request
    })
    if (Result.isFailure(result)) return assert.fail("no cap")
    return result.success
  }

  it("caps a third violation within two years of the first at $2,500 on commercial property, when the owner had time to correct", () => {
    // 512 days after the first: outside its one-year run, inside its two years.
    assert.deepStrictEqual(cap({}), {
      schedule: "building-and-safety",
      violationNumber: 3,
      capInDollars: 2500,
      windowDays: 730,
      setting: "programs.justiceForNeighbors.fineCaps.commercialBuilding",
      law: "Gov. Code 53069.4(a)(1), at the amounts of 36900(c)(3)(B); 25132(c)(3)(B) for counties"
    })
    // Inside the first year too: $2,500 rather than $1,300.
    assert.strictEqual(cap({ at: local("2026-12-01T09:00:00") }).capInDollars, 2500)
  })

  it("does not apply without every condition: commercial property and its cause, the building schedule, time to correct, a third violation within two years", () => {
    assert.strictEqual(cap({ commercialBuilding: undefined }).capInDollars, 130)
    assert.strictEqual(cap({ ownerHadTimeToCorrect: false }).capInDollars, 130)
    assert.strictEqual(cap({ schedule: "general" }).capInDollars, 100)
    assert.strictEqual(cap({ earlier: [first] }).capInDollars, 130)
    assert.strictEqual(cap({ earlier: [first], at: local("2026-03-01T09:00:00") }).capInDollars, 700)
    // 731 days after the first: a new two-year run.
    assert.strictEqual(cap({ at: local("2028-01-06T09:00:00") }).capInDollars, 130)
  })

  it("reads its amount and window from the settings; a city may lower them", () => {
    const lowered = { ...caps, commercialBuilding: { capInDollars: 2000, windowDays: 400 } }
    assert.deepInclude(cap({ caps: lowered, at: local("2027-01-20T09:00:00") }), { capInDollars: 2000, windowDays: 400 })
    assert.strictEqual(cap({ caps: lowered }).capInDollars, 130)
    // A tier below the schedule's own cap never lowers it.
    const low = { ...caps, commercialBuilding: { capInDollars: 1000, windowDays: 730 } }
    assert.strictEqual(cap({ caps: low, at: local("2026-12-01T09:00:00") }).capInDollars, 1300)
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

  it("the violation number is its place in a run that starts at a first violation and lasts windowDays from it", () => {
    const start = Date.UTC(2026, 0, 1)
    const day = 86_400_000
    // The reference: walk the violations in date order; one more than
    // windowDays after the run's first starts a new run.
    const reference = (earlierDays: ReadonlyArray<number>, atDay: number, windowDays: number): number => {
      let first = Number.NEGATIVE_INFINITY
      let count = 0
      for (const d of [...earlierDays.filter((e) => e <= atDay), atDay].sort((a, b) => a - b)) {
        if (d - first > windowDays) {
          first = d
          count = 1
        } else count++
      }
      return count
    }
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 800 }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 800 }),
      fc.integer({ min: 1, max: 400 }),
      (earlierDays, atDay, windowDays) => {
        // Noon UTC is early morning in Sacramento: the local date is the UTC date.
        const instant = (d: number) => DateTime.makeUnsafe(start + d * day + 12 * 3_600_000)
        const expected = reference(earlierDays, atDay, windowDays)
        // Never more than the sliding count of the earlier rule, never less than 1.
        assert.isAtMost(expected, 1 + earlierDays.filter((d) => d <= atDay && atDay - d <= windowDays).length)
        assert.strictEqual(number(violationNumberWithin(windowDays, earlierDays.map(instant), instant(atDay), zone)), expected)
      }
    ))
  })
})
