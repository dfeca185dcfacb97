/**
 * The complaint reports import: rows mapped from a real CSV file, bad rows
 * quarantined with their reasons, counts that add up; and a file carrying a
 * column that looks like an officer's identity refused whole, before any row
 * is mapped, with nothing returned but the refusal.
 */
import { compareQuarters } from "@community-policing/core/commission"
import {
  type ComplaintReportsMapping,
  importComplaintReports,
  validateComplaintReportsMapping
} from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Result } from "effect"
import { readFileSync } from "node:fs"
import { Readable } from "node:stream"
import { fixture } from "./support/paths.ts"

const mappingFile = fixture("complaints/opsa-quarterly.mapping.json")
const mapping = (): ComplaintReportsMapping => {
  const checked = validateComplaintReportsMapping(JSON.parse(readFileSync(mappingFile, "utf8")))
  if (Result.isFailure(checked)) return assert.fail(checked.failure.message)
  return checked.success
}

describe("importComplaintReports", () => {
  it.effect("maps the rows of a real file and quarantines the bad ones with their reasons", () =>
    Effect.gen(function*() {
      const imported = yield* importComplaintReports({ file: fixture("complaints/opsa-quarterly.csv"), mapping: mapping() })
      assert.deepStrictEqual(imported.rows, [
        { quarter: "2025-Q4", kind: "use of force", status: "sustained", district: "1", count: 2 },
        { quarter: "2025-Q4", kind: "discourtesy", status: "unfounded", district: "3", count: 5 },
        { quarter: "2026-Q1", kind: "use of force", status: "sustained", district: "1", count: 3 },
        { quarter: "2026-Q1", kind: "use of force", status: "pending", district: "5", count: 4 },
        { quarter: "2026-Q1", kind: "search or seizure", status: "pending", district: "5", count: 1 }
      ])
      assert.deepStrictEqual(imported.quarantined, [
        { rowNumber: 8, reason: "district: District is blank" },
        { rowNumber: 9, reason: "quarter: \"2026-Q5\" is not a quarter such as 2026-Q1" },
        { rowNumber: 10, reason: "count: \"two\" is not a whole number" },
        { rowNumber: 11, reason: "repeats the quarter, kind, status and district of row 4" },
        { rowNumber: 12, reason: "has 4 fields where the header has 5" },
        { rowNumber: 13, reason: "count: \"-1\" is not a whole number" }
      ])
      assert.deepStrictEqual([imported.read, imported.imported, imported.quarantined.length, imported.skipped], [11, 5, 6, 1])
      // The rows feed the quarter-over-quarter review as they are.
      assert.deepStrictEqual(compareQuarters(imported.rows, "2026-Q1").total, {
        key: "total",
        count: 8,
        previous: 7,
        change: 1,
        percentChange: (1 / 7) * 100
      })
    }))

  it.effect("refuses a file with a badge number column, naming it, and returns nothing else", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(importComplaintReports({ file: fixture("complaints/with-officer-column.csv"), mapping: mapping() }))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(importComplaintReports({ file: fixture("complaints/with-officer-column.csv"), mapping: mapping() }))
      assert.strictEqual(error._tag, "OfficerIdentityColumns")
      if (error._tag !== "OfficerIdentityColumns") return
      assert.strictEqual(error.rule, "no-officer-identities")
      assert.deepStrictEqual(error.columns, [{ column: "Badge No", pattern: "badge" }])
      assert.match(error.message, /nothing was stored/)
      // No value of the refused file is carried by the refusal.
      assert.notInclude(JSON.stringify(error), "4411")
    }))

  it.effect("refuses a column the mapping does not even read (an officer name at the end)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(importComplaintReports({ file: fixture("complaints/with-officer-name-column.csv"), mapping: mapping() }))
      assert.strictEqual(error._tag, "OfficerIdentityColumns")
      assert.notInclude(JSON.stringify(error), "Doe")
    }))

  it.effect("refuses on the header, whatever the rows: no row is mapped, none quarantined", () =>
    Effect.gen(function*() {
      const source = Readable.from([
        Buffer.from("Quarter,Allegation,Disposition,District,Employee ID,Count\n2026-Q1,Use of Force,S,1,E-77,1\nnot,a,row\n")
      ])
      const exit = yield* Effect.exit(importComplaintReports({ file: source, mapping: mapping() }))
      assert.isTrue(Exit.isFailure(exit))
      assert.isFalse(Exit.isSuccess(exit))
      const error = yield* Effect.flip(importComplaintReports({
        file: Readable.from([Buffer.from("Quarter,Allegation,Disposition,District,Employee ID,Count\n2026-Q1,Use of Force,S,1,E-77,1\n")]),
        mapping: mapping()
      }))
      assert.strictEqual(error._tag, "OfficerIdentityColumns")
      assert.notInclude(JSON.stringify(error), "E-77")
    }))

  it.effect("refuses a header missing a mapped column, and an empty file", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(importComplaintReports({ file: Readable.from([Buffer.from("Quarter,Allegation,District,Count\n")]), mapping: mapping() }))
      assert.strictEqual(missing._tag, "HeaderMismatch")
      if (missing._tag === "HeaderMismatch") assert.deepStrictEqual(missing.missing, ["Disposition"])
      const empty = yield* Effect.flip(importComplaintReports({ file: Readable.from([Buffer.from("")]), mapping: mapping() }))
      assert.strictEqual(empty._tag, "HeaderMismatch")
    }))

  it("refuses a mapping with an unknown key, naming where", () => {
    const result = validateComplaintReportsMapping({ ...mapping(), fields: { ...mapping().fields, officer: "Officer" } })
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) assert.deepStrictEqual(result.failure.problems.map((p) => p.path), [["fields", "officer"]])
  })
})
