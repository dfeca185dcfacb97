/**
 * Importing the quarterly complaint reports the commission reviews (counts
 * by quarter, kind, status and district; Penal Code 832.7(c), Sacramento
 * City Code 2.100.030) from CSV, mapped per city as data. Aggregate data
 * only: a file whose header has a column that looks like an officer's
 * identity is refused before any row is mapped, and nothing is kept
 * (`OfficerIdentityColumns`). Bad rows are quarantined with their reasons,
 * as for calls and places.
 *
 * The rows come back as a typed value: no storage port fits aggregate
 * report rows yet, so the caller keeps them (the read-model store's
 * documents are projections of events, checkpointed by event position).
 *
 * @module
 */
import {
  ComplaintReportRow,
  complaintReportKey,
  OfficerIdentityColumns,
  officerIdentityColumns,
  parseQuarter
} from "@community-policing/core/commission"
import type { Readable } from "node:stream"
import { Effect, Result, Schema, SchemaIssue, Stream } from "effect"
import { type CsvRow, type CsvSourceError, readCsv, type UnsupportedEncoding } from "./CsvReader.ts"
import { ColumnName, InvalidMapping, SourceName } from "./CsvMapping.ts"
import { HeaderMismatch } from "./ImportReport.ts"
import { cell, resolveColumns } from "./internal/Columns.ts"

const ValueMap = Schema.Record(Schema.String, Schema.NonEmptyString)

/**
 * How one complaint report CSV maps onto `ComplaintReportRow`s: the
 * column of each field, and optional maps from the office's codes to the
 * words the report uses (a value a map lacks is kept as written).
 *
 * @example
 * ```json
 * {
 *   "source": "opsa-quarterly-complaints",
 *   "fields": { "quarter": "Quarter", "kind": "Allegation", "status": "Disposition", "district": "District", "count": "Count" },
 *   "values": { "status": { "NS": "not sustained", "S": "sustained" } }
 * }
 * ```
 */
export const ComplaintReportsMapping = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String),
  source: SourceName,
  description: Schema.optionalKey(Schema.NonEmptyString),
  delimiter: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(1))),
  fields: Schema.Struct({
    /** The quarter, as `2026-Q1`, `2026 Q1`, `Q1 2026`... */
    quarter: ColumnName,
    kind: ColumnName,
    status: ColumnName,
    district: ColumnName,
    /** A whole number, 0 or more. */
    count: ColumnName
  }),
  values: Schema.optionalKey(Schema.Struct({
    kind: Schema.optionalKey(ValueMap),
    status: Schema.optionalKey(ValueMap),
    district: Schema.optionalKey(ValueMap)
  }))
}).annotate({
  title: "ComplaintReportsMapping",
  description: "How one quarterly complaint report CSV maps onto aggregate complaint counts (@community-policing/records-csv)."
})

/** A complaint report file layout; see {@link ComplaintReportsMapping}. */
export type ComplaintReportsMapping = typeof ComplaintReportsMapping.Type

const decodeMapping = Schema.decodeUnknownResult(ComplaintReportsMapping, { errors: "all", onExcessProperty: "error" })
const toProblems = SchemaIssue.makeFormatterStandardSchemaV1()

/** Checks an untrusted complaint reports mapping; one {@link InvalidMapping} lists every problem. */
export const validateComplaintReportsMapping = (input: unknown): Result.Result<ComplaintReportsMapping, InvalidMapping> =>
  Result.mapError(decodeMapping(input), (error) => {
    const source = typeof input === "object" && input !== null && "source" in input && typeof input.source === "string"
      ? input.source
      : "(unnamed)"
    const [first, ...rest] = toProblems(error.issue).issues.map((issue) => ({
      path: (issue.path ?? []).map((segment) => {
        const key = typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment
        return typeof key === "number" ? key : String(key)
      }),
      message: issue.message
    }))
    return new InvalidMapping({ source, problems: first === undefined ? [{ path: [], message: error.message }] : [first, ...rest] })
  })

/** A row set aside, with its row number (the header is row 1) and why. The row's text is not kept. */
export interface QuarantinedComplaintRow {
  readonly rowNumber: number
  readonly reason: string
}

/**
 * What a complaint reports import read: the rows, the quarantined rows and
 * the counts (`read = imported + quarantined`; blank rows are `skipped`).
 */
export interface ComplaintReportsImport {
  readonly source: string
  readonly rows: ReadonlyArray<ComplaintReportRow>
  readonly quarantined: ReadonlyArray<QuarantinedComplaintRow>
  /** Data rows read, blank ones aside. */
  readonly read: number
  readonly imported: number
  /** Blank data rows: neither imported nor quarantined. */
  readonly skipped: number
}

/** What to import: a file path or a stream of bytes, and its mapping (checked first). */
export interface ImportComplaintReportsOptions {
  readonly file: string | Readable
  readonly mapping: ComplaintReportsMapping
}

const wholeNumber = /^\d+$/
const decodeRow = Schema.decodeUnknownResult(ComplaintReportRow)
const isBlank = (fields: ReadonlyArray<string>): boolean => fields.every((field) => field.trim() === "")

/**
 * Imports a quarterly complaint report CSV. In order:
 *
 * 1. The mapping is checked (`InvalidMapping`).
 * 2. The header is checked against the officer-identity patterns of core's
 *    `officerIdentityColumnPatterns`, every column, mapped or not:
 *    any match refuses the whole file with `OfficerIdentityColumns` before
 *    a single row is mapped; nothing is returned but the refusal.
 * 3. The mapped columns must be in the header, once each (`HeaderMismatch`).
 * 4. Each row becomes a `ComplaintReportRow`, or is quarantined with
 *    its reasons: wrong number of fields, unreadable CSV, a quarter that is
 *    not one, a blank kind, status or district, a count that is not a whole
 *    number, a value too long, or the same quarter, kind, status and
 *    district as an earlier row (the first is kept).
 */
export const importComplaintReports = (
  options: ImportComplaintReportsOptions
): Effect.Effect<
  ComplaintReportsImport,
  InvalidMapping | OfficerIdentityColumns | HeaderMismatch | CsvSourceError | UnsupportedEncoding
> =>
  Effect.gen(function*() {
    const mapping = yield* Effect.fromResult(validateComplaintReportsMapping(options.mapping))
    const { fields } = mapping
    const valueMaps = {
      kind: new Map(Object.entries(mapping.values?.kind ?? {})),
      status: new Map(Object.entries(mapping.values?.status ?? {})),
      district: new Map(Object.entries(mapping.values?.district ?? {}))
    }
    const rows: Array<ComplaintReportRow> = []
    const quarantined: Array<QuarantinedComplaintRow> = []
    const firstRowOfKey = new Map<string, number>()
    let skipped = 0
    let header: { readonly length: number; readonly at: ReadonlyMap<string, number> } | undefined

    const readRow = (values: ReadonlyArray<string>, rowNumber: number): Result.Result<ComplaintReportRow, string> => {
      const problems: Array<string> = []
      const text = (field: keyof typeof fields) => cell(values, header?.at.get(fields[field]))
      const quarterText = text("quarter")
      const quarter = quarterText === undefined ? undefined : parseQuarter(quarterText)
      if (quarterText === undefined) problems.push(`quarter: ${fields.quarter} is blank`)
      else if (quarter === undefined) problems.push(`quarter: "${quarterText}" is not a quarter such as 2026-Q1`)
      const label = (field: "kind" | "status" | "district"): string | undefined => {
        const value = text(field)
        if (value === undefined) {
          problems.push(`${field}: ${fields[field]} is blank`)
          return undefined
        }
        return valueMaps[field].get(value) ?? value
      }
      const kind = label("kind")
      const status = label("status")
      const district = label("district")
      const countText = text("count")
      if (countText === undefined) problems.push(`count: ${fields.count} is blank`)
      else if (!wholeNumber.test(countText) || !Number.isSafeInteger(Number(countText))) {
        problems.push(`count: "${countText}" is not a whole number`)
      }
      if (problems.length > 0) return Result.fail(problems.join("; "))
      const decoded = decodeRow({ quarter, kind, status, district, count: Number(countText) })
      if (Result.isFailure(decoded)) return Result.fail(decoded.failure.message)
      const key = complaintReportKey(decoded.success)
      const earlier = firstRowOfKey.get(key)
      if (earlier !== undefined) return Result.fail(`repeats the quarter, kind, status and district of row ${earlier}`)
      firstRowOfKey.set(key, rowNumber)
      return Result.succeed(decoded.success)
    }

    const handle = (row: CsvRow): Effect.Effect<void, OfficerIdentityColumns | HeaderMismatch> => {
      if (header === undefined) {
        const names = row._tag === "Record" ? row.fields.map((name) => name.trim()) : []
        const identities = officerIdentityColumns(names)
        const [first, ...rest] = identities
        if (first !== undefined) return Effect.fail(new OfficerIdentityColumns({ source: mapping.source, columns: [first, ...rest] }))
        const resolved = resolveColumns(names, Object.values(fields))
        if (Result.isFailure(resolved)) return Effect.fail(new HeaderMismatch({ source: mapping.source, ...resolved.failure, header: names }))
        header = { length: names.length, at: resolved.success }
        return Effect.void
      }
      if (row._tag === "Malformed") {
        quarantined.push({ rowNumber: row.rowNumber, reason: `not readable as CSV: ${row.reason}` })
      } else if (isBlank(row.fields)) {
        skipped += 1
      } else if (row.fields.length !== header.length) {
        quarantined.push({ rowNumber: row.rowNumber, reason: `has ${row.fields.length} fields where the header has ${header.length}` })
      } else {
        const value = readRow(row.fields, row.rowNumber)
        if (Result.isSuccess(value)) rows.push(value.success)
        else quarantined.push({ rowNumber: row.rowNumber, reason: value.failure })
      }
      return Effect.void
    }

    const csv = readCsv(options.file, { delimiter: mapping.delimiter })
    yield* Stream.runForEach(csv, handle)
    // A file with no header at all names no columns: the mapping's are all missing.
    if (header === undefined) yield* handle({ _tag: "Malformed", rowNumber: 1, raw: "", reason: "empty file", bytes: 0 })
    return {
      source: mapping.source,
      rows,
      quarantined,
      read: rows.length + quarantined.length,
      imported: rows.length,
      skipped
    }
  })
