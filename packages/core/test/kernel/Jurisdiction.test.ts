import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import {
  type ConfigProblem,
  formatProblemPath,
  type Jurisdiction,
  Jurisdiction as JurisdictionSchema,
  losAngelesLike,
  sacramento,
  validateJurisdiction
} from "../../src/kernel/index.ts"

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> }

/** A deep, writable copy of the Sacramento preset as untrusted JSON would arrive. */
const sacramentoJson = (): Mutable<Jurisdiction> => JSON.parse(JSON.stringify(sacramento))

const problemsOf = (input: unknown): ReadonlyArray<ConfigProblem> => {
  const result = validateJurisdiction(input)
  if (Result.isSuccess(result)) return assert.fail("expected the configuration to be rejected")
  assert.strictEqual(result.failure._tag, "InvalidJurisdiction")
  return result.failure.problems
}

const paths = (problems: ReadonlyArray<ConfigProblem>): Array<string> => problems.map((p) => formatProblemPath(p.path))

describe("validateJurisdiction", () => {
  it("accepts both presets unchanged", () => {
    for (const preset of [sacramento, losAngelesLike]) {
      const result = validateJurisdiction(preset)
      assert.isTrue(Result.isSuccess(result), Result.isFailure(result) ? result.failure.message : "")
      if (Result.isSuccess(result)) assert.deepStrictEqual(result.success, preset)
    }
  })

  it("given a configuration with three distinct problems, reports all three with their paths", () => {
    const config = sacramentoJson()
    config.timeZone = "America/Sacremento"
    config.councilDistricts.push({ id: "3", name: "Council District 3 again" })
    config.programs.justiceForNeighbors.fineCaps.general.capsInDollars = [100, 500, 200]

    const problems = problemsOf(config)

    assert.deepStrictEqual(paths(problems), [
      "timeZone",
      "councilDistricts[8].id",
      "programs.justiceForNeighbors.fineCaps.general.capsInDollars[2]"
    ])
    assert.include(problems[1]?.message, "duplicate council district id \"3\"")
    assert.include(problems[2]?.message, "lower than the one before it")
  })

  it("collects shape errors and cross-field errors from every part of the file together", () => {
    const config = sacramentoJson()
    config.holidays.push({ date: "2026-02-30", name: "No such day" })
    config.policeDistricts[5]?.beats.push({ id: "3C", name: "Beat 3C, again" })
    config.programs.justiceForNeighbors.periods.compliance.blight = { amount: 1.5, unit: "calendar-days" }
    config.programs.pop.discretionaryTimeFloorPercent = 50
    config.neighborhoods[0] = {
      id: "oak-park",
      name: "Oak Park",
      boundary: { type: "Polygon", coordinates: [[[-121.46, 38.54], [-121.44, 38.54], [-121.44, 38.56]]] }
    }

    const problems = problemsOf(config)

    assert.sameMembers(paths(problems), [
      "holidays[13].date",
      "policeDistricts[5].beats[3].id",
      "programs.justiceForNeighbors.periods.compliance.blight.amount",
      "programs.pop.discretionaryTimeFloorPercent",
      "neighborhoods[0].boundary.coordinates[0]"
    ])
    const beatProblem = problems.find((p) => formatProblemPath(p.path) === "policeDistricts[5].beats[3].id")
    assert.include(beatProblem?.message, "already in police district \"3\"")
  })

  it("reports a duplicate holiday and a duplicate neighborhood", () => {
    const config = sacramentoJson()
    config.holidays.push({ date: "2026-12-25", name: "Christmas, twice" })
    config.neighborhoods.push({ id: "midtown", name: "Midtown" })
    assert.deepStrictEqual(paths(problemsOf(config)), ["neighborhoods[6].id", "holidays[13].date"])
  })

  it("reports a misspelled key instead of silently dropping the setting", () => {
    const config: Record<string, unknown> = { ...sacramentoJson(), timezone: "America/Los_Angeles" }
    const problems = problemsOf(config)
    assert.deepStrictEqual(paths(problems), ["timezone"])
    assert.include(problems[0]?.message, "Unexpected key")
  })

  it("shows the rejected value in the message", () => {
    const config = sacramentoJson()
    config.timeZone = "America/Sacremento"
    assert.include(problemsOf(config)[0]?.message, "got \"America/Sacremento\"")
  })

  it("reports every missing key of an empty object, and a non-object at the root", () => {
    assert.deepStrictEqual(paths(problemsOf({})), [
      "id",
      "name",
      "timeZone",
      "councilDistricts",
      "policeDistricts",
      "neighborhoods",
      "holidays",
      "programs",
      "assumptions"
    ])
    assert.deepStrictEqual(paths(problemsOf("sacramento")), [""])
  })

  it("takes the commercial building tier of the fine caps as optional, and checks it when given (Gov. Code 36900(c)(3)(B))", () => {
    const config = sacramentoJson()
    assert.notProperty(config.programs.justiceForNeighbors.fineCaps, "commercialBuilding")
    config.programs.justiceForNeighbors.fineCaps.commercialBuilding = { capInDollars: 2000, windowDays: 730 }
    const accepted = validateJurisdiction(config)
    assert.isTrue(Result.isSuccess(accepted))
    config.programs.justiceForNeighbors.fineCaps.commercialBuilding = { capInDollars: -1, windowDays: 0 }
    assert.deepStrictEqual(paths(problemsOf(config)), [
      "programs.justiceForNeighbors.fineCaps.commercialBuilding.capInDollars",
      "programs.justiceForNeighbors.fineCaps.commercialBuilding.windowDays"
    ])
  })

  it("lists every problem in the error message", () => {
    const config = sacramentoJson()
    config.timeZone = "Nowhere/Special"
    config.id = "Sacramento City"
    const result = validateJurisdiction(config)
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.include(result.failure.message, "2 problems")
      assert.include(result.failure.message, "id: ")
      assert.include(result.failure.message, "timeZone: ")
    }
  })

  it("round-trips a configuration through JSON text", () => {
    const codec = Schema.toCodecJson(JurisdictionSchema)
    const text = JSON.stringify(Schema.encodeSync(codec)(losAngelesLike))
    const result = validateJurisdiction(JSON.parse(text))
    assert.isTrue(Result.isSuccess(result))
    if (Result.isSuccess(result)) assert.deepStrictEqual(result.success, losAngelesLike)
  })

  it("derives a JSON Schema document for other languages", () => {
    const document = Schema.toJsonSchemaDocument(JurisdictionSchema)
    assert.strictEqual(document.schema["type"], "object")
    assert.includeMembers([...(document.schema["required"] as ReadonlyArray<string>)], ["id", "timeZone", "programs"])
  })
})

describe("formatProblemPath", () => {
  it("writes keys with dots and list indexes in brackets", () => {
    assert.strictEqual(formatProblemPath(["policeDistricts", 2, "beats", 0, "id"]), "policeDistricts[2].beats[0].id")
    assert.strictEqual(formatProblemPath([]), "")
  })
})
