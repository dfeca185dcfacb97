/**
 * The named threshold presets, and the counted-category setting of the
 * excessive-calls ordinance in a jurisdiction's configuration.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import {
  type Jurisdiction,
  losAngelesLike,
  protectedCategories,
  sacramento,
  validateJurisdiction
} from "../../src/index.ts"
import {
  ChronicNuisancePreset,
  chronicNuisancePresets,
  chulaVistaMotelRate,
  costaMesaMotelRate,
  forestGroveChronicNuisance,
  milwaukeeChronicNuisance,
  portlandChronicNuisance
} from "../../src/justice-for-neighbors/index.ts"

describe("chronic nuisance presets", () => {
  it("hold the thresholds of the domain reference", () => {
    assert.deepStrictEqual(milwaukeeChronicNuisance.rules, [{ _tag: "count-in-window", count: 3, windowDays: 30, separateDays: true }])
    assert.deepStrictEqual(portlandChronicNuisance.rules, [{ _tag: "count-in-window", count: 3, windowDays: 30, separateDays: false }])
    assert.deepStrictEqual(
      forestGroveChronicNuisance.rules.map((rule) => rule._tag === "count-in-window" ? [rule.count, rule.windowDays] : []),
      [[2, 30], [3, 90], [4, 365]]
    )
    assert.deepStrictEqual(chulaVistaMotelRate.rules, [{ _tag: "per-room-rate", callsPerRoom: 0.5, per: "year", appliesTo: ["motel-hotel"] }])
    assert.deepStrictEqual(costaMesaMotelRate.rules, [{ _tag: "per-room-monthly-allotment", callsPerRoomPerYear: 0.4, appliesTo: ["motel-hotel"] }])
  })

  it("give the Los Angeles-like preset Costa Mesa's allotment per year, applied monthly, not 0.4 per room per month", () => {
    assert.deepInclude(losAngelesLike.programs.justiceForNeighbors.chronicNuisance.rules, costaMesaMotelRate.rules[0])
  })

  it("are valid, each with its own id and a source", () => {
    for (const preset of chronicNuisancePresets) assert.isTrue(Schema.is(ChronicNuisancePreset)(preset), preset.id)
    assert.deepStrictEqual(
      chronicNuisancePresets.map((preset) => preset.id),
      ["milwaukee", "portland", "forest-grove", "chula-vista", "costa-mesa"]
    )
    assert.include(milwaukeeChronicNuisance.source, "80-10")
    assert.include(portlandChronicNuisance.source, "14B.60")
    assert.include(chulaVistaMotelRate.source, "5.39")
    assert.include(costaMesaMotelRate.source, "0.4 calls per room per year")
  })
})

const withCountedCategories = (city: Jurisdiction, countedCategories: unknown): unknown => ({
  ...city,
  programs: {
    ...city.programs,
    justiceForNeighbors: {
      ...city.programs.justiceForNeighbors,
      chronicNuisance: { ...city.programs.justiceForNeighbors.chronicNuisance, countedCategories }
    }
  }
})

const problems = (input: unknown) => {
  const result = validateJurisdiction(input)
  return Result.isFailure(result)
    ? result.failure.problems.map((problem) => [problem.path.join("."), problem.message])
    : []
}

describe("countedCategories in a jurisdiction's configuration", () => {
  const path = "programs.justiceForNeighbors.chronicNuisance.countedCategories"

  it("is set in both kernel presets, with no protected category", () => {
    for (const city of [sacramento, losAngelesLike]) {
      const counted = city.programs.justiceForNeighbors.chronicNuisance.countedCategories
      assert.isAbove(counted.length, 0)
      assert.isTrue(counted.every((category) => !protectedCategories.includes(category)))
    }
    assert.deepStrictEqual(sacramento.programs.justiceForNeighbors.chronicNuisance.countedCategories, ["disorder", "nuisance"])
  })

  it("refuses every protected category, at its index, naming the law", () => {
    assert.deepStrictEqual(problems(withCountedCategories(sacramento, ["disorder", "medical", "victimization"])), [
      [`${path}.1`, "\"medical\" is a protected category: calls in it never count toward a nuisance designation (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)"],
      [`${path}.2`, "\"victimization\" is a protected category: calls in it never count toward a nuisance designation (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)"]
    ])
  })

  it("refuses an empty list, a repeated category and an unknown one", () => {
    assert.deepStrictEqual(problems(withCountedCategories(sacramento, [])), [[`${path}.0`, "Missing key"]])
    assert.deepStrictEqual(problems(withCountedCategories(sacramento, ["disorder", "disorder"])), [
      [path, "Expected an array with unique items, got [\"disorder\",\"disorder\"]"]
    ])
    assert.deepStrictEqual(problems(withCountedCategories(sacramento, ["loitering"])).map(([where]) => where), [`${path}.0`])
  })

  it("is required: a configuration without it is refused", () => {
    const { countedCategories: _omitted, ...rest } = sacramento.programs.justiceForNeighbors.chronicNuisance
    const without = {
      ...sacramento,
      programs: { ...sacramento.programs, justiceForNeighbors: { ...sacramento.programs.justiceForNeighbors, chronicNuisance: rest } }
    }
    assert.deepStrictEqual(problems(without).map(([where]) => where), [path])
  })
})
