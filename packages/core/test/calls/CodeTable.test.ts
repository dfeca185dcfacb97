import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import {
  type CallCategory,
  type CategoryMatch,
  classify,
  type CodeRule,
  type CodeTable,
  formatProblemPath,
  nibrsGroupA,
  protectedCategories,
  protectedFlags,
  sacramentoCad,
  sacramentoCrimeReports2006,
  statuteOf,
  validateCodeTable
} from "@community-policing/core"

const rule = (id: string, fields: Omit<CodeRule, "id">): CodeRule => ({ id, ...fields })

const table = (rules: ReadonlyArray<CodeRule>, id = "test-table", version = "1"): CodeTable => ({
  id,
  version,
  description: "a table for tests",
  rules
})

const categoriesOf = (matches: ReadonlyArray<CategoryMatch>): Array<string> => matches.map((m) => m.category)

describe("statuteOf", () => {
  it("reads the statute reference at the start of the description, subdivisions in parentheses", () => {
    assert.strictEqual(statuteOf("243(E)1 BATTERY NONCOHAB SPOUS"), "243(E)(1)")
    assert.strictEqual(statuteOf("11352(A)HS SALE/TRANS CNTL SUB"), "11352(A)HS")
    assert.strictEqual(statuteOf("647(B) PC   PROSTITUTION"), "647(B)")
    assert.strictEqual(statuteOf("459 PC  BURGLARY RESIDENCE"), "459")
  })

  it("reads no statute in a report type", () => {
    assert.isUndefined(statuteOf("GANG ACTIVITY - I RPT"))
    assert.isUndefined(statuteOf("TOWED/STORED VEH-14602.6"))
    assert.isUndefined(statuteOf("BAIT CAR 10851 VC TAKE VEHICLE"))
    assert.isUndefined(statuteOf(""))
  })

  it("stops at the description when it is fused to a subdivision", () => {
    assert.strictEqual(statuteOf("23222(B)POSSESS MARIJ IN VEH"), "23222(B)")
    assert.strictEqual(statuteOf("212.5(A)ROBBERY-INHAB DWELLING"), "212.5(A)")
    assert.strictEqual(statuteOf("243(C)(1)BATT EMERG PERSON-INJ"), "243(C)(1)")
  })

  it("repairs the records' shorthand subdivisions and keeps a fused code", () => {
    assert.strictEqual(statuteOf("12020(A)1) PROHIBITED FIREARM"), "12020(A)(1)")
    assert.strictEqual(statuteOf("12025(A)2)CNCLD GUN ON PER/FEL"), "12025(A)(2)")
    assert.strictEqual(statuteOf("12101(B)1)PC MINOR POSS AMMO"), "12101(B)(1)PC")
    assert.strictEqual(statuteOf("290(F)1 W/I 5 DAYS ADD CHANGE"), "290(F)(1)")
  })

  it("keeps section letters, dotted city-code sections and attempts", () => {
    assert.strictEqual(statuteOf("484E(A)PC THEFT OF CREDIT CARD"), "484E(A)PC")
    assert.strictEqual(statuteOf("653M(B) PC ANNOY/RPT CALL HOME"), "653M(B)")
    assert.strictEqual(statuteOf("12.52.030 SCC UNLAWFUL CAMPING"), "12.52.030")
    assert.strictEqual(statuteOf("9.04.050C POSS OPEN CONTAINER"), "9.04.050C")
    assert.strictEqual(statuteOf("664/187(A) ATTEMPTED HOMICIDE"), "664/187(A)")
  })

  it("ignores case and surrounding space, and reads no statute from a number fused to a word", () => {
    assert.strictEqual(statuteOf("  243(e)1 battery "), "243(E)(1)")
    assert.isUndefined(statuteOf("1ST DEGREE"))
    assert.isUndefined(statuteOf("415DV"))
  })
})

describe("classify", () => {
  const tables = [
    table([
      rule("pc-243", { field: "statute", match: "prefix", value: "243", categories: ["victimization"] }),
      rule("pc-243e", { field: "statute", match: "prefix", value: "243(e)", categories: ["domestic-violence"] }),
      rule("pc-236-1", { field: "statute", match: "prefix", value: "236.1", categories: ["human-trafficking", "victimization"] }),
      rule("pc-11351", { field: "statute", match: "prefix", value: "11351", categories: ["drug-trade"] }),
      rule("pc-484", { field: "statute", match: "equals", value: "484", categories: ["nuisance"] }),
      rule("gang", { field: "description", match: "contains", value: "gang", categories: ["gang-activity"] }),
      rule("dv-call", { field: "callTypeCode", match: "equals", value: "415dv", categories: ["domestic-violence"] }),
      rule("ncic-40", { field: "ucrNcic", match: "prefix", value: "40", categories: ["prostitution"] }),
      rule("nibrs-13b", { field: "nibrs", match: "equals", value: "13B", categories: ["victimization"] })
    ])
  ]

  it("gives a call every category of every matching rule, each with its rule", () => {
    const matches = classify(tables, { description: "243(E)1 BATTERY NONCOHAB SPOUS" })
    assert.deepStrictEqual(matches, [
      { category: "victimization", table: "test-table", tableVersion: "1", rule: "pc-243" },
      { category: "domestic-violence", table: "test-table", tableVersion: "1", rule: "pc-243e" }
    ])
  })

  it("gives one rule's several categories", () => {
    assert.deepStrictEqual(categoriesOf(classify(tables, { description: "236.1(A) HUMAN TRAFFICKING" })), [
      "human-trafficking",
      "victimization"
    ])
  })

  it("stops a statute prefix at the end of the section number", () => {
    assert.deepStrictEqual(classify(tables, { description: "243.4(A) SEXUAL BATTERY" }), [])
    assert.deepStrictEqual(classify(tables, { description: "2430 NO SUCH SECTION" }), [])
    assert.deepStrictEqual(categoriesOf(classify(tables, { description: "11351 HS POSS/SALE OPIATE/NARC" })), ["drug-trade"])
    assert.deepStrictEqual(classify(tables, { description: "11351.5 HS POSS SALE RCK COCAI" }), [])
    assert.deepStrictEqual(categoriesOf(classify(tables, { description: "484 PC PETTY THEFT" })), ["nuisance"])
    assert.deepStrictEqual(classify(tables, { description: "484E(A)PC THEFT OF CREDIT CARD" }), [])
  })

  it("ignores case, surrounding space and runs of spaces in every field", () => {
    assert.deepStrictEqual(categoriesOf(classify(tables, { description: "  Gang   activity - i rpt " })), ["gang-activity"])
    assert.deepStrictEqual(categoriesOf(classify(tables, { callTypeCode: " 415DV " })), ["domestic-violence"])
    assert.deepStrictEqual(categoriesOf(classify(tables, { ucrNcic: "4004" })), ["prostitution"])
    assert.deepStrictEqual(categoriesOf(classify(tables, { nibrs: "13b" })), ["victimization"])
  })

  it("matches nothing on absent or empty fields", () => {
    assert.deepStrictEqual(classify(tables, {}), [])
    assert.deepStrictEqual(classify(tables, { description: "", callTypeCode: "  " }), [])
  })

  it("lists identical matches once, and the same category from two tables twice", () => {
    const same = tables[0]!
    assert.lengthOf(classify([same, same], { nibrs: "13B" }), 1)
    const other = table(same.rules, "other-table")
    assert.deepStrictEqual(classify([same, other], { nibrs: "13B" }).map((m) => m.table), ["test-table", "other-table"])
  })
})

describe("protectedFlags", () => {
  const match = (category: CallCategory): CategoryMatch => ({ category, table: "t", tableVersion: "1", rule: "r" })

  it("sets a flag for each protected category (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)", () => {
    assert.deepStrictEqual(protectedFlags([match("domestic-violence")]), {
      domesticViolenceOrVictimization: true,
      medical: false,
      fireOrEms: false
    })
    assert.isTrue(protectedFlags([match("victimization")]).domesticViolenceOrVictimization)
    assert.isTrue(protectedFlags([match("medical")]).medical)
    assert.isTrue(protectedFlags([match("fire-ems")]).fireOrEms)
  })

  it("sets no flag for unprotected categories or no match", () => {
    const none = { domesticViolenceOrVictimization: false, medical: false, fireOrEms: false }
    assert.deepStrictEqual(protectedFlags([]), none)
    assert.deepStrictEqual(
      protectedFlags(["gang-activity", "drug-trade", "prostitution", "disorder", "nuisance"].map((c) => match(c as CallCategory))),
      none
    )
  })

  it("sets a flag exactly for the categories Category.ts names protected", () => {
    const all: ReadonlyArray<CallCategory> = [
      "domestic-violence", "victimization", "medical", "fire-ems", "gang-activity",
      "drug-trade", "human-trafficking", "prostitution", "disorder", "nuisance", "crime-against-premises"
    ]
    for (const category of all) {
      const flags = protectedFlags([match(category)])
      assert.strictEqual(Object.values(flags).some((flag) => flag), protectedCategories.includes(category), category)
    }
  })

  it("protects a trafficking report through its victimization category", () => {
    const flags = protectedFlags(classify([sacramentoCrimeReports2006], { description: "236.1(A) PC HUMAN TRAFFICKING" }))
    assert.isTrue(flags.domesticViolenceOrVictimization)
  })
})

describe("validateCodeTable", () => {
  const valid = table([rule("pc-647b", { field: "statute", match: "prefix", value: "647(B)", categories: ["prostitution"] })])

  it("accepts every preset unchanged", () => {
    for (const preset of [sacramentoCrimeReports2006, sacramentoCad, nibrsGroupA]) {
      const result = validateCodeTable(preset)
      assert.isTrue(Result.isSuccess(result), Result.isFailure(result) ? result.failure.message : "")
      if (Result.isSuccess(result)) assert.deepStrictEqual(result.success, preset)
    }
  })

  it("lists every problem with its path", () => {
    const input = {
      ...valid,
      id: "Not A Slug",
      rules: [
        ...valid.rules,
        { id: "pc-647b", field: "statute", match: "prefix", value: "653.22", categories: ["prostitution"] },
        { id: "again", field: "statute", match: "prefix", value: "647(b)", categories: ["prostitution"] },
        { id: "not-a-statute", field: "statute", match: "equals", value: "GANG", categories: ["gang-activity"] },
        { id: "twice", field: "nibrs", match: "equals", value: "40A", categories: ["prostitution", "prostitution"] },
        { id: "unknown", field: "nibrs", match: "equals", value: "64A", categories: ["trafficking"] },
        { id: "no-category", field: "nibrs", match: "equals", value: "64B", categories: [] },
        { id: "typo", field: "nibrs", match: "equals", value: "13A", categories: ["victimization"], sourse: "NIBRS" }
      ]
    }
    const result = validateCodeTable(input)
    if (Result.isSuccess(result)) return assert.fail("expected the table to be rejected")
    assert.strictEqual(result.failure._tag, "InvalidCodeTable")
    const problems = result.failure.problems.map((p) => `${formatProblemPath(p.path)}: ${p.message}`)
    const at = (path: string) => problems.filter((p) => p.startsWith(`${path}: `))
    assert.lengthOf(at("id"), 1)
    assert.include(at("rules[1].id")[0], "duplicate rule id \"pc-647b\"")
    assert.include(at("rules[2].value")[0], "repeats the condition of rule \"pc-647b\"")
    assert.include(at("rules[3].value")[0], "not a statute reference")
    assert.lengthOf(at("rules[4].categories"), 1)
    assert.lengthOf(at("rules[5].categories[0]"), 1)
    assert.lengthOf(at("rules[6].categories[0]"), 1)
    assert.lengthOf(at("rules[7].sourse"), 1)
    assert.lengthOf(problems, 8, problems.join("\n"))
    assert.include(result.failure.message, "Invalid code table (8 problems)")
  })

  it("lists a repeat once when the rest of the table is also wrong", () => {
    const result = validateCodeTable({ ...valid, version: "", rules: [...valid.rules, ...valid.rules] })
    if (Result.isSuccess(result)) return assert.fail("expected the table to be rejected")
    assert.deepStrictEqual(result.failure.problems.map((p) => formatProblemPath(p.path)), ["version", "rules[1].id", "rules[1].value"])
  })

  it("rejects what is not a table at all", () => {
    assert.isTrue(Result.isFailure(validateCodeTable(42)))
    assert.isTrue(Result.isFailure(validateCodeTable({ id: "t", version: " 1", description: "", rules: [] })))
  })
})
