import { assert, describe, it } from "@effect/vitest"
import { classify, type CodeTable, nibrsGroupA, protectedFlags, sacramentoCad, sacramentoCrimeReports2006 } from "@community-policing/core"

const categories = (tables: ReadonlyArray<CodeTable>, fields: Parameters<typeof classify>[1]): Array<string> =>
  classify(tables, fields).map((match) => match.category)

describe("every preset", () => {
  for (const preset of [sacramentoCrimeReports2006, sacramentoCad, nibrsGroupA]) {
    it(`${preset.id}: every rule says what it encodes`, () => {
      for (const rule of preset.rules) assert.isTrue((rule.source ?? "").length > 0, rule.id)
    })
  }
})

describe("sacramentoCad", () => {
  it("classifies the most frequent CAD descriptions of the open data (DOMAIN.md section 5)", () => {
    assert.deepStrictEqual(categories([sacramentoCad], { description: "DISTURBANCE-DOMESTIC VIOLENCE-VERBAL ONLY" }), ["domestic-violence"])
    assert.deepStrictEqual(categories([sacramentoCad], { description: "DISTURBANCE-CLARIFY" }), ["disorder"])
    assert.deepStrictEqual(categories([sacramentoCad], { description: "WELFARE CHECK" }), ["medical"])
    for (const unclassified of ["ADVISED ENTRY", "TRAFFIC STOP", "ALL UNITS BROADCAST", "ERRAND", "SUSPICIOUS VEHICLE-OCCUPIED"]) {
      assert.deepStrictEqual(categories([sacramentoCad], { description: unclassified }), [], unclassified)
    }
  })

  it("protects a verbal domestic violence call and a welfare check, and not a disturbance", () => {
    assert.isTrue(protectedFlags(classify([sacramentoCad], { description: "DISTURBANCE-DOMESTIC VIOLENCE-VERBAL ONLY" })).domesticViolenceOrVictimization)
    assert.isTrue(protectedFlags(classify([sacramentoCad], { description: "welfare check" })).medical)
    assert.deepStrictEqual(protectedFlags(classify([sacramentoCad], { description: "DISTURBANCE-CLARIFY" })), {
      domesticViolenceOrVictimization: false,
      medical: false,
      fireOrEms: false
    })
  })
})

describe("nibrsGroupA", () => {
  it("names the NIBRS specification version it encodes", () => {
    assert.strictEqual(nibrsGroupA.version, "2023.0")
  })

  it("classifies assaults, drug, prostitution and trafficking offenses", () => {
    for (const code of ["13A", "13B", "13C", "11A"]) assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: code }), ["victimization"], code)
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "35A" }), ["drug-trade"])
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "35B" }), ["drug-trade"])
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "40A" }), ["prostitution"])
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "64A" }), ["human-trafficking", "victimization"])
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "64b" }), ["human-trafficking", "victimization"])
  })

  it("leaves Group B and unknown codes unclassified", () => {
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "90C" }), [])
    assert.deepStrictEqual(categories([nibrsGroupA], { nibrs: "13" }), [])
  })

  it("combines with a CAD table: each match names its own table", () => {
    const matches = classify([sacramentoCad, nibrsGroupA], { description: "MISDEMEANOR ASSAULT-IN PROGRESS", nibrs: "13B" })
    assert.deepStrictEqual(matches.map((m) => `${m.table}@${m.tableVersion}:${m.rule}`), [
      "sacramento-cad@2019-2024:cad-242p",
      "nibrs-group-a@2023.0:nibrs-13b"
    ])
  })
})
