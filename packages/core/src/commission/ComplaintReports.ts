/**
 * Complaint pattern review: the quarterly complaint reports the commission
 * reviews for patterns (Sacramento City Code 2.100.030), as aggregate counts
 * only. Penal Code 832.7(c) lets a department release "data regarding the
 * number, type, or disposition of complaints (sustained, not sustained,
 * exonerated, or unfounded) made against its officers if that information is
 * in a form which does not identify the individuals involved" (text checked
 * against a published copy of the section; its subdivision letter in the
 * current code is unverified). So a row here is a count by quarter, kind,
 * status and district, and the schema has no place for an officer's identity.
 *
 * An importer must also refuse a file whose header carries a column that
 * looks like an officer's identity ({@link officerIdentityColumns}): that is
 * a hard rule, not an option.
 *
 * @module
 */
import { Schema } from "effect"

// ---------------------------------------------------------------------------
// Quarters
// ---------------------------------------------------------------------------

/** A calendar quarter, written `2026-Q1` (January to March). */
export const Quarter = Schema.String.check(
  Schema.isPattern(/^\d{4}-Q[1-4]$/, { expected: "a calendar quarter such as 2026-Q1" })
)

/** A calendar quarter; see {@link Quarter}. */
export type Quarter = typeof Quarter.Type

const quarterForms: ReadonlyArray<RegExp> = [
  /^(?<year>\d{4})\s*[-/ ]?\s*Q(?<q>[1-4])$/i,
  /^Q(?<q>[1-4])\s*[-/ ]?\s*(?<year>\d{4})$/i
]

/**
 * Reads a quarter as exports write it: `2026-Q1`, `2026 Q1`, `2026Q1`,
 * `Q1 2026`, `Q1-2026` (any case). `undefined` for anything else.
 */
export const parseQuarter = (text: string): Quarter | undefined => {
  const trimmed = text.trim()
  for (const form of quarterForms) {
    const groups = form.exec(trimmed)?.groups
    if (groups?.["year"] !== undefined && groups["q"] !== undefined) return `${groups["year"]}-Q${groups["q"]}`
  }
  return undefined
}

/** The year and the quarter's number (1 to 4) of a quarter. */
export const quarterParts = (quarter: Quarter): { readonly year: number; readonly quarter: 1 | 2 | 3 | 4 } => ({
  year: Number(quarter.slice(0, 4)),
  quarter: Number(quarter.slice(6)) as 1 | 2 | 3 | 4
})

/** The quarter of a year, from 1 to 4. */
export const quarterOf = (year: number, quarter: 1 | 2 | 3 | 4): Quarter => `${String(year).padStart(4, "0")}-Q${quarter}`

/** The quarter before: `2026-Q1` -> `2025-Q4`. */
export const previousQuarter = (quarter: Quarter): Quarter => {
  const parts = quarterParts(quarter)
  return parts.quarter === 1 ? quarterOf(parts.year - 1, 4) : quarterOf(parts.year, (parts.quarter - 1) as 1 | 2 | 3)
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

const Label = Schema.NonEmptyString.check(Schema.isTrimmed(), Schema.isMaxLength(200))

/**
 * One count of a quarterly complaint report: how many complaints of a kind
 * (e.g. `use of force`, `discourtesy`), in a status (a disposition such as
 * `sustained` or `unfounded`, or `pending`), in a district, in a quarter.
 * Kinds, statuses and districts are the reporting office's own words.
 * Aggregate only: no field can hold a person.
 */
export const ComplaintReportRow = Schema.Struct({
  quarter: Quarter,
  kind: Label,
  status: Label,
  district: Label,
  count: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
})

/** One count of a quarterly complaint report; see {@link ComplaintReportRow}. */
export type ComplaintReportRow = typeof ComplaintReportRow.Type

/** The key a row is counted under: quarter, kind, status and district. Two rows of one report never share it. */
export const complaintReportKey = (row: Omit<ComplaintReportRow, "count">): string =>
  JSON.stringify([row.quarter, row.kind, row.status, row.district])

// ---------------------------------------------------------------------------
// Quarter over quarter
// ---------------------------------------------------------------------------

/** One count in a quarter beside the quarter before. */
export interface CountChange {
  /** The kind, status or district counted. */
  readonly key: string
  readonly count: number
  readonly previous: number
  /** `count - previous`. */
  readonly change: number
  /** The change as a percentage of `previous`; `undefined` when `previous` is 0. */
  readonly percentChange: number | undefined
}

/** A quarter's complaints beside the quarter before: in total, by kind, by status and by district. */
export interface QuarterComparison {
  readonly quarter: Quarter
  readonly previousQuarter: Quarter
  /** Whether the rows hold any count for the previous quarter (else its counts read as 0). */
  readonly previousReported: boolean
  readonly total: CountChange
  readonly byKind: ReadonlyArray<CountChange>
  readonly byStatus: ReadonlyArray<CountChange>
  readonly byDistrict: ReadonlyArray<CountChange>
}

const changeOf = (key: string, count: number, previous: number): CountChange => ({
  key,
  count,
  previous,
  change: count - previous,
  percentChange: previous === 0 ? undefined : ((count - previous) / previous) * 100
})

const sums = (rows: ReadonlyArray<ComplaintReportRow>, by: (row: ComplaintReportRow) => string): Map<string, number> => {
  const totals = new Map<string, number>()
  for (const row of rows) totals.set(by(row), (totals.get(by(row)) ?? 0) + row.count)
  return totals
}

const compareBy = (
  current: ReadonlyArray<ComplaintReportRow>,
  previous: ReadonlyArray<ComplaintReportRow>,
  by: (row: ComplaintReportRow) => string
): ReadonlyArray<CountChange> => {
  const now = sums(current, by)
  const before = sums(previous, by)
  return [...new Set([...now.keys(), ...before.keys()])]
    .sort()
    .map((key) => changeOf(key, now.get(key) ?? 0, before.get(key) ?? 0))
}

/**
 * A quarter's complaint counts beside the quarter before, from the rows of
 * any number of reports (rows of other quarters are ignored). Keys that
 * appear in only one of the two quarters count 0 in the other; each list is
 * sorted by key.
 *
 * @example
 * ```ts
 * compareQuarters(rows, "2026-Q2").byKind
 * // [{ key: "use of force", count: 7, previous: 4, change: 3, percentChange: 75 }, ...]
 * ```
 */
export const compareQuarters = (rows: ReadonlyArray<ComplaintReportRow>, quarter: Quarter): QuarterComparison => {
  const before = previousQuarter(quarter)
  const current = rows.filter((row) => row.quarter === quarter)
  const previous = rows.filter((row) => row.quarter === before)
  const total = (list: ReadonlyArray<ComplaintReportRow>) => list.reduce((sum, row) => sum + row.count, 0)
  return {
    quarter,
    previousQuarter: before,
    previousReported: previous.length > 0,
    total: changeOf("total", total(current), total(previous)),
    byKind: compareBy(current, previous, (row) => row.kind),
    byStatus: compareBy(current, previous, (row) => row.status),
    byDistrict: compareBy(current, previous, (row) => row.district)
  }
}

// ---------------------------------------------------------------------------
// Officer identities never enter
// ---------------------------------------------------------------------------

/** One pattern of column names that may carry an officer's identity. */
export interface IdentityColumnPattern {
  /** A short name for the pattern, reported with the column it matched. */
  readonly id: string
  /** Matched against the normalized column name (see {@link normalizeColumnName}). */
  readonly pattern: RegExp
}

/**
 * The column names an import of complaint data refuses, because they may
 * carry an officer's identity, which the commission never receives
 * (Sacramento City Code 2.100.030: aggregate data only; Penal Code 832.7:
 * officers' personnel records are confidential, and complaint data may be
 * released only in a form that does not identify the individuals). Matched
 * on the normalized name, so `OfcrName`, `officer_name`, `OFFICER NAME` and
 * `assignedofficer` are all caught. The distinctive words match anywhere in
 * the name, glued to others or not; short abbreviations only as words:
 *
 * - `officer`: officer, ofcr, offcr anywhere; ofc as a word
 * - `name`: name anywhere (last name, fullname, surname...), fname, lname. A
 *   harmless column such as `District Name` is refused too: rename it in the
 *   export.
 * - `badge`: badge anywhere (badge number, badgeno)
 * - `serial`: serial anywhere
 * - `employee`: employee anywhere; emp, empl, empno, empid, empnum as words
 * - `personnel`: personnel anywhere; pers as a word
 * - `star`: star number, star no (an officer's number in some departments)
 * - `payroll`: payroll anywhere
 * - `rank`: deputy, sergeant, sgt, detective, lieutenant (a column about one officer)
 * - `accused`: accused, subject officer, involved member or employee
 * - `id-number`: id number, id no
 *
 * The list is a floor: a city may not remove a pattern.
 */
export const officerIdentityColumnPatterns: ReadonlyArray<IdentityColumnPattern> = [
  { id: "officer", pattern: /officer|ofcr|offcr|\bofc\b/ },
  { id: "name", pattern: /name|\bfname\b|\blname\b/ },
  { id: "badge", pattern: /badge/ },
  { id: "serial", pattern: /serial/ },
  { id: "employee", pattern: /employee|\b(emp|empl|empno|empid|empnum)\b/ },
  { id: "personnel", pattern: /personnel|\bpers\b/ },
  { id: "star", pattern: /\bstar\s?(no|num|nbr|number)\b/ },
  { id: "payroll", pattern: /payroll/ },
  { id: "rank", pattern: /\b(deputy|sergeant|sgt|detective|lieutenant)\b/ },
  { id: "accused", pattern: /\b(accused|subject officer|involved (member|employee|officer))\b/ },
  { id: "id-number", pattern: /\bid\s?(no|num|nbr|number)\b/ }
]

/**
 * A column name as the patterns see it: camelCase split into words, lower
 * case, every run of other characters one space, trimmed. `OfcrName` ->
 * `ofcr name`; `BADGE_NO.` -> `badge no`.
 */
export const normalizeColumnName = (column: string): string =>
  column
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()

/** A header column that matched an officer-identity pattern. */
export const IdentityColumn = Schema.Struct({
  column: Schema.String,
  /** The id of the pattern it matched. */
  pattern: Schema.String
})

/** A header column that matched an officer-identity pattern; see {@link IdentityColumn}. */
export type IdentityColumn = typeof IdentityColumn.Type

/** The columns of a header that look like an officer's identity, each with the first pattern it matched. */
export const officerIdentityColumns = (header: ReadonlyArray<string>): ReadonlyArray<IdentityColumn> =>
  header.flatMap((column) => {
    const normalized = normalizeColumnName(column)
    const match = officerIdentityColumnPatterns.find((candidate) => candidate.pattern.test(normalized))
    return match === undefined ? [] : [{ column, pattern: match.id }]
  })

/**
 * Complaint data was refused because its header has columns that look like
 * an officer's identity (rule `no-officer-identities`, see
 * {@link officerIdentityColumnPatterns}). Nothing was read past the header
 * and nothing was stored: export the counts without those columns.
 */
export class OfficerIdentityColumns extends Schema.TaggedError<OfficerIdentityColumns>()("OfficerIdentityColumns", {
  rule: Schema.tag("no-officer-identities"),
  source: Schema.String,
  columns: Schema.NonEmptyArray(IdentityColumn)
}) {
  override get message(): string {
    return `${this.source} was refused and nothing was stored: column(s) ` +
      `${this.columns.map((found) => `"${found.column}" (${found.pattern})`).join(", ")} may identify officers, ` +
      "and the commission receives aggregate complaint counts only (Penal Code 832.7; Sacramento City Code 2.100.030). " +
      "Remove or rename those columns."
  }
}
