/**
 * Complaint report rows: quarters as exports write them, quarter-over-quarter
 * comparison, and the officer-identity column patterns.
 */
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import {
  type ComplaintReportRow,
  ComplaintReportRow as ComplaintReportRowSchema,
  compareQuarters,
  normalizeColumnName,
  OfficerIdentityColumns,
  officerIdentityColumns,
  parseQuarter,
  previousQuarter
} from "../../src/commission/ComplaintReports.ts"

const row = (quarter: string, kind: string, status: string, district: string, count: number): ComplaintReportRow => ({
  quarter,
  kind,
  status,
  district,
  count
})

describe("quarters", () => {
  it("reads the forms exports use", () => {
    for (const text of ["2026-Q1", "2026 Q1", "2026Q1", "Q1 2026", "q1-2026", " 2026-q1 "]) assert.strictEqual(parseQuarter(text), "2026-Q1", text)
    for (const text of ["2026-Q5", "2026", "Q1", "1st quarter 2026", "26-Q1"]) assert.isUndefined(parseQuarter(text), text)
  })

  it("steps back across a year", () => {
    assert.strictEqual(previousQuarter("2026-Q1"), "2025-Q4")
    assert.strictEqual(previousQuarter("2026-Q3"), "2026-Q2")
  })
})

describe("the row schema", () => {
  it("has no place for anything but the counts: an extra field is an error", () => {
    const decode = Schema.decodeUnknownResult(ComplaintReportRowSchema, { onExcessProperty: "error" })
    const good = { quarter: "2026-Q1", kind: "use of force", status: "sustained", district: "3", count: 4 }
    assert.isTrue(decode(good)._tag === "Success")
    assert.isTrue(decode({ ...good, officer: "J. Doe" })._tag === "Failure")
    assert.isTrue(decode({ ...good, count: -1 })._tag === "Failure")
    assert.isTrue(decode({ ...good, quarter: "2026-Q9" })._tag === "Failure")
  })
})

describe("compareQuarters", () => {
  const rows = [
    row("2025-Q4", "use of force", "sustained", "3", 2),
    row("2025-Q4", "discourtesy", "unfounded", "3", 5),
    row("2026-Q1", "use of force", "sustained", "3", 3),
    row("2026-Q1", "use of force", "pending", "5", 4),
    row("2026-Q1", "search", "pending", "5", 1),
    row("2026-Q2", "search", "pending", "5", 9)
  ]

  it("compares a quarter with the one before, by kind, status and district", () => {
    const comparison = compareQuarters(rows, "2026-Q1")
    assert.strictEqual(comparison.previousQuarter, "2025-Q4")
    assert.isTrue(comparison.previousReported)
    assert.deepStrictEqual(comparison.total, { key: "total", count: 8, previous: 7, change: 1, percentChange: (1 / 7) * 100 })
    assert.deepStrictEqual(comparison.byKind, [
      { key: "discourtesy", count: 0, previous: 5, change: -5, percentChange: -100 },
      { key: "search", count: 1, previous: 0, change: 1, percentChange: undefined },
      { key: "use of force", count: 7, previous: 2, change: 5, percentChange: 250 }
    ])
    assert.deepStrictEqual(comparison.byDistrict.map((c) => [c.key, c.count, c.previous]), [["3", 3, 7], ["5", 5, 0]])
    assert.deepStrictEqual(comparison.byStatus.map((c) => [c.key, c.count]), [["pending", 5], ["sustained", 3], ["unfounded", 0]])
  })

  it("says when the quarter before was not reported", () => {
    const comparison = compareQuarters(rows, "2025-Q4")
    assert.isFalse(comparison.previousReported)
    assert.strictEqual(comparison.total.previous, 0)
  })

  it("every breakdown sums to the total, for any rows", () => {
    const Row = fc.record({
      quarter: fc.constantFrom("2025-Q4", "2026-Q1"),
      kind: fc.constantFrom("force", "search", "courtesy"),
      status: fc.constantFrom("sustained", "pending"),
      district: fc.constantFrom("1", "2", "3"),
      count: fc.nat(50)
    })
    fc.assert(fc.property(fc.array(Row, { maxLength: 40 }), (generated) => {
      const comparison = compareQuarters(generated, "2026-Q1")
      for (const breakdown of [comparison.byKind, comparison.byStatus, comparison.byDistrict]) {
        assert.strictEqual(breakdown.reduce((sum, c) => sum + c.count, 0), comparison.total.count)
        assert.strictEqual(breakdown.reduce((sum, c) => sum + c.previous, 0), comparison.total.previous)
      }
    }))
  })
})

describe("officer identity columns", () => {
  it("normalizes names the way exports write them", () => {
    assert.strictEqual(normalizeColumnName("OfcrName"), "ofcr name")
    assert.strictEqual(normalizeColumnName("BADGE_NO."), "badge no")
  })

  it("catches names, badge, serial and employee numbers, officer and ofcr, in any spelling", () => {
    const refused = [
      "Officer",
      "OFFICER_NAME",
      "officerId",
      "OfcrName",
      "ofcr_id",
      "Ofc",
      "Last Name",
      "Name",
      "SURNAME",
      "Badge",
      "BadgeNo",
      "badge_number",
      "Serial Number",
      "SERIALNUM",
      "Employee ID",
      "EMPNO",
      "emp_id",
      "Personnel Number",
      "Star No",
      "Payroll",
      "Deputy",
      "Sgt",
      "Accused",
      "Involved Member",
      "ID Number"
    ]
    for (const column of refused) assert.strictEqual(officerIdentityColumns([column]).length, 1, column)
  })

  it("catches an identity word however an export spells the column around it", () => {
    const identity = fc.constantFrom("officer", "ofcr", "badge", "serial", "employee", "name", "payroll", "personnel")
    const word = fc.constantFrom("", "primary", "assigned", "sworn", "unit", "no", "number", "id", "code")
    const separator = fc.constantFrom(" ", "_", "-", ".", "", "/")
    const casing = fc.constantFrom((w: string) => w, (w: string) => w.toUpperCase(), (w: string) => w.charAt(0).toUpperCase() + w.slice(1))
    fc.assert(fc.property(word, identity, word, separator, casing, (before, core, after, sep, cased) => {
      // Glued words ("assignedbadgeno", "NAMENUMBER") too.
      const column = [before, core, after].filter((part) => part !== "").map(cased).join(sep)
      assert.isAbove(officerIdentityColumns(["Quarter", column, "Count"]).length, 0, column)
    }), { numRuns: 500 })
  })

  it("lets the aggregate columns through", () => {
    const allowed = ["Quarter", "Complaint Type", "Allegation", "Disposition", "Status", "District", "Council District", "Count", "Total", "Office", "Period", "Report Year"]
    assert.deepStrictEqual(officerIdentityColumns(allowed), [])
  })

  it("names every column found, with its pattern, in a clear refusal", () => {
    const found = officerIdentityColumns(["Quarter", "Badge #", "Ofcr Last Name", "Count"])
    assert.deepStrictEqual(found, [{ column: "Badge #", pattern: "badge" }, { column: "Ofcr Last Name", pattern: "officer" }])
    const [first, ...rest] = found
    if (first === undefined) return assert.fail("no column found")
    const error = new OfficerIdentityColumns({ source: "opsa-q1.csv", columns: [first, ...rest] })
    assert.strictEqual(error.rule, "no-officer-identities")
    assert.match(error.message, /"Badge #" \(badge\)/)
    assert.match(error.message, /nothing was stored/)
  })
})
