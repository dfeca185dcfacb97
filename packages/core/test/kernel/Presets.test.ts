import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { DateTime, Result } from "effect"
import { computeDeadline, type Jurisdiction, losAngelesLike, sacramento, validateJurisdiction } from "../../src/kernel/index.ts"

const crimeReports = fileURLToPath(new URL("../../../../data/sacramento-crime-2006-01.csv", import.meta.url))

/** The beats of each police district, by the district most of a beat's reports give. */
const beatsByDistrictFromReports = (): Map<string, Array<string>> => {
  // Bare CR line endings; the beat column is space-padded; no field is quoted.
  const [header, ...records] = readFileSync(crimeReports, "latin1").split(/\r\n|\r|\n/).filter((line) => line !== "")
  const columns = (header ?? "").split(",")
  const districtColumn = columns.indexOf("district")
  const beatColumn = columns.indexOf("beat")
  const counts = new Map<string, Map<string, number>>()
  for (const record of records) {
    const fields = record.split(",")
    const district = fields[districtColumn]?.trim() ?? ""
    const beat = fields[beatColumn]?.trim() ?? ""
    if (district === "" || beat === "") continue
    const perDistrict = counts.get(beat) ?? new Map<string, number>()
    perDistrict.set(district, (perDistrict.get(district) ?? 0) + 1)
    counts.set(beat, perDistrict)
  }
  const byDistrict = new Map<string, Array<string>>()
  for (const [beat, perDistrict] of counts) {
    const [district] = [...perDistrict].reduce((best, entry) => entry[1] > best[1] ? entry : best)
    byDistrict.set(district, [...(byDistrict.get(district) ?? []), beat].sort())
  }
  return byDistrict
}

const beatsOf = (jurisdiction: Jurisdiction): Map<string, Array<string>> =>
  new Map(jurisdiction.policeDistricts.map((district) => [district.id, district.beats.map((beat) => beat.id).sort()]))

describe("Sacramento preset", () => {
  it("passes validation", () => {
    assert.isTrue(Result.isSuccess(validateJurisdiction(sacramento)))
  })

  it("has council districts 1 to 8 and the Pacific time zone", () => {
    assert.deepStrictEqual(sacramento.councilDistricts.map((d) => d.id), ["1", "2", "3", "4", "5", "6", "7", "8"])
    assert.strictEqual(sacramento.timeZone, "America/Los_Angeles")
  })

  it("has exactly the police districts and beats of the January 2006 crime reports", () => {
    const fromReports = beatsByDistrictFromReports()
    assert.deepStrictEqual(
      [...beatsOf(sacramento)].sort(),
      [...fromReports].sort()
    )
    assert.deepStrictEqual(fromReports.get("3"), ["3A", "3B", "3C", "3M"])
  })

  it("carries the program settings of the domain reference", () => {
    const { justiceForNeighbors, pop } = sacramento.programs
    assert.deepStrictEqual(justiceForNeighbors.teamSeats, ["city-attorney", "sergeant", "code-enforcement-officer"])
    assert.deepStrictEqual(justiceForNeighbors.periods.inspection, { amount: 48, unit: "hours" })
    assert.deepStrictEqual(justiceForNeighbors.periods.compliance["dangerous-building"], { amount: 30, unit: "calendar-days" })
    assert.deepStrictEqual(justiceForNeighbors.periods.courtAppeal, { amount: 20, unit: "calendar-days" })
    assert.deepStrictEqual(justiceForNeighbors.fineCaps.general.capsInDollars, [100, 200, 500])
    assert.deepStrictEqual(justiceForNeighbors.fineCaps.buildingAndSafety.capsInDollars, [130, 700, 1300])
    assert.deepStrictEqual(pop, { patrolWorkloadCeilingPercent: 60, discretionaryTimeFloorPercent: 40 })
  })

  it("labels its guessed holidays as assumptions", () => {
    assert.isTrue(sacramento.assumptions.some((a) => a.includes("Holidays")))
  })
})

describe("Los Angeles-like preset", () => {
  it("passes validation", () => {
    assert.isTrue(Result.isSuccess(validateJurisdiction(losAngelesLike)))
  })

  it("is a different city: 15 council districts, 21 police divisions, its own thresholds", () => {
    assert.strictEqual(losAngelesLike.councilDistricts.length, 15)
    assert.strictEqual(losAngelesLike.policeDistricts.length, 21)
    assert.notStrictEqual(losAngelesLike.id, sacramento.id)
    assert.deepStrictEqual(losAngelesLike.programs.justiceForNeighbors.chronicNuisance.rules[0], {
      _tag: "count-in-window",
      count: 3,
      windowDays: 30,
      separateDays: false
    })
  })

  it("given the same start and rule, each city's own periods and holidays decide the deadline", () => {
    const start = DateTime.makeZonedUnsafe("2026-11-25T10:00:00", { timeZone: "America/Los_Angeles", adjustForTimeZone: true })
    const dueIn = (city: Jurisdiction) => {
      const result = computeDeadline(
        { start, period: city.programs.justiceForNeighbors.periods.compliance.blight, rule: "blight compliance" },
        city
      )
      return Result.isSuccess(result) ? DateTime.formatIsoDate(result.success.due) : result.failure.message
    }
    // Sacramento: 14 calendar days. Los Angeles-like: 10 business days, only
    // Thanksgiving closed that week.
    assert.strictEqual(dueIn(sacramento), "2026-12-09")
    assert.strictEqual(dueIn(losAngelesLike), "2026-12-10")
  })
})
