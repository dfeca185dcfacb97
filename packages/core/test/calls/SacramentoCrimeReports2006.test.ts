import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import {
  type CallCategory,
  type CategoryMatch,
  classify,
  protectedFlags,
  sacramentoCrimeReports2006
} from "@community-policing/core"

const crimeReports = fileURLToPath(new URL("../../../../data/sacramento-crime-2006-01.csv", import.meta.url))

// The file is read in place: bare CR line endings, a header row, no quoted
// fields, no line ending after the last record.
const [header = "", ...records] = readFileSync(crimeReports, "latin1").split("\r")
const columns = header.split(",")
const rows = records.map((record) => {
  const fields = record.split(",")
  return {
    description: fields[columns.indexOf("crimedescr")] ?? "",
    ucrNcic: fields[columns.indexOf("ucr_ncic_code")] ?? ""
  }
})
const classified = rows.map((row) => ({ ...row, matches: classify([sacramentoCrimeReports2006], row) }))

const has = (matches: ReadonlyArray<CategoryMatch>, category: CallCategory): boolean =>
  matches.some((match) => match.category === category)

/**
 * Each category recomputed from the raw descriptions with regular
 * expressions written for this test, without statuteOf or the table's
 * matcher: a different road to the same counts.
 */
const startsWithAny = (...patterns: ReadonlyArray<RegExp>) => (description: string): boolean =>
  patterns.some((pattern) => pattern.test(description))
const independently: Record<CallCategory, (description: string) => boolean> = {
  "domestic-violence": startsWithAny(/^243\(E\)/, /^273\.5(?!\d)/, /^273\.6(?!\d)/, /^FAMILY DISTURBANCE - I RPT$/),
  victimization: startsWithAny(
    /^273\.5(?![\d.])/, /^187\b/, /^664\/187/, /^203\b/, /^207\b/, /^211\b/, /^212\.5\b/, /^215\b/, /^240\b/,
    /^241\b/, /^242\b/, /^243(?![\d.])/, /^243\.[2346]\b/, /^245\b/, /^246(?![\d.])/, /^261\b/, /^288\b/, /^273A/,
    /^368\b/, /^422\b/, /^646\.9/, /^136\.1\b/, /^20001\b/, /^23153\b/, /^236\.1\b/,
    /^BATTERY - I RPT$/, /^ASSAULT WITH WEAPON - I RPT$/, /^HOMICIDE ASSAULT - I RPT$/, /^ROBBERY - I RPT$/,
    /^THREATS - I RPT$/, /^TERRORIST THREATS - I RPT$/, /^ELDER ABUSE\/PHYS\/MENTAL-I RPT$/, /^SHOOT INTO OCCUP DWELL - I RPT$/
  ),
  medical: startsWithAny(/^5150\b/, /^CASUALTY REPORT$/, /^POSSIBLE MENTAL - I RPT$/, /^TRAFFIC-ACCIDENT INJURY$/),
  "fire-ems": startsWithAny(/^ACCIDENTAL FIRES\/ARSON/, /^45[12]\b/),
  "gang-activity": (description) => description.includes("GANG") || description.startsWith("186.22"),
  "drug-trade": startsWithAny(/^1135[12]\b/, /^11351\.5/, /^1136[016]\b/, /^1137[89]\b/, /^11359\b/, /^11532\b/),
  "human-trafficking": startsWithAny(/^236\.1/),
  prostitution: startsWithAny(/^647\(B\)/, /^653\.22/, /^266H/, /^266I/),
  disorder: startsWithAny(
    /^415\b(?!\.)/, /^415\.5/, /^647\(F\)/, /^9\.04\.050/, /^NEIGHBORHOOD DISTURBANCE-I RPT$/, /^JUVENILE DISURBANCE - I RPT$/
  ),
  nuisance: startsWithAny(/^374\.4/, /^ABANDONED VEHICLE - I RPT$/),
  "crime-against-premises": startsWithAny(
    /^602(?![\d.])/, /^374\.3/, /^13\.10\.200/, /^GRAFFITI PROBLEMS- I RPT$/,
    /^(?:459|484|487|488|594)(?=[\s(]|PC|$)/
  )
}

describe("sacramentoCrimeReports2006 on the January 2006 crime reports", () => {
  it("reads all 7,584 records", () => {
    assert.strictEqual(rows.length, 7584)
  })

  it("marks all 81 reports under 243(E) domestic violence, by rule pc-243e", () => {
    const batteries = classified.filter((row) => row.description.includes("243(E)"))
    assert.lengthOf(batteries, 81)
    for (const row of batteries) {
      assert.isTrue(row.matches.some((m) => m.category === "domestic-violence" && m.rule === "pc-243e"), row.description)
    }
  })

  it("marks all 39 reports under 647(B) prostitution", () => {
    const reports = classified.filter((row) => row.description.includes("647(B)"))
    assert.lengthOf(reports, 39)
    for (const row of reports) assert.isTrue(has(row.matches, "prostitution"), row.description)
  })

  it("marks all 65 reports naming a gang gang activity", () => {
    const reports = classified.filter((row) => row.description.includes("GANG"))
    assert.lengthOf(reports, 65)
    for (const row of reports) assert.isTrue(has(row.matches, "gang-activity"), row.description)
  })

  it("marks sale and possession-for-sale reports drug trade, and simple possession not", () => {
    const sales = classified.filter((row) => /^(11351|11352|11359|11360|11378|11379)\b/.test(row.description))
    assert.lengthOf(sales, 48)
    for (const row of sales) assert.isTrue(has(row.matches, "drug-trade"), row.description)
    const possession = classified.filter((row) => /^(11350|11357|11364|11377|11550)\b/.test(row.description))
    assert.lengthOf(possession, 271)
    for (const row of possession) assert.isFalse(has(row.matches, "drug-trade"), row.description)
  })

  it("gives per category exactly the counts computed independently from the raw descriptions", () => {
    const counted = Object.fromEntries(
      Object.keys(independently).map((category) => [
        category,
        classified.filter((row) => has(row.matches, category as CallCategory)).length
      ])
    )
    const expected = Object.fromEntries(
      Object.entries(independently).map(([category, belongs]) => [category, rows.filter((row) => belongs(row.description)).length])
    )
    assert.deepStrictEqual(counted, expected)
    // The same counts, as first tallied by hand from the file's 304 descriptions.
    assert.deepStrictEqual(counted, {
      "domestic-violence": 119,
      victimization: 749,
      medical: 409,
      "fire-ems": 34,
      "gang-activity": 65,
      "drug-trade": 55,
      "human-trafficking": 0,
      prostitution: 51,
      disorder: 72,
      // Trespass, dumping and graffiti (15 reports, nuisance before issue 10) and
      // burglary, theft and vandalism are crimes against the premises.
      nuisance: 3,
      "crime-against-premises": 1963
    })
  })

  it("marks each report's rule in the match, and every rule's record is its own table and version", () => {
    const rules = new Set(sacramentoCrimeReports2006.rules.map((rule) => rule.id))
    for (const { matches } of classified) {
      for (const match of matches) {
        assert.strictEqual(match.table, "sacramento-crime-reports-2006")
        assert.strictEqual(match.tableVersion, "2006-01")
        assert.isTrue(rules.has(match.rule))
      }
    }
  })

  it("protects exactly the reports in a protected category", () => {
    const protectedReports = classified.filter((row) => Object.values(protectedFlags(row.matches)).some((flag) => flag))
    const expected = rows.filter((row) =>
      independently["domestic-violence"](row.description) || independently.victimization(row.description) ||
      independently.medical(row.description) || independently["fire-ems"](row.description) ||
      independently["human-trafficking"](row.description) || independently["crime-against-premises"](row.description)
    )
    assert.strictEqual(protectedReports.length, expected.length)
    // 1,230 before issue 10, plus the 1,963 crimes against the premises.
    assert.strictEqual(protectedReports.length, 3193)
  })
})
