/**
 * The import loop as it was before issue 4, reading with csv-parse: part of
 * the oracle the fast import is compared with.
 */
import type { QuarantinedRow } from "@community-policing/core"
import { Clock, Effect, Result, Stream } from "effect"
import type { CsvRow, CsvSource, CsvSourceError } from "../../../src/CsvReader.ts"
import type { ImportProgressUpdate } from "../../../src/ImportReport.ts"
import { readCsvWithCsvParse as readCsv } from "./CsvParseReader.ts"

/** What a run starts from: the import's committed progress, zero for a fresh import. */
export interface Committed {
  readonly throughRow: number
  readonly imported: number
  readonly duplicates: number
  readonly quarantined: number
}

/** How one mapping reads rows, once the header is known. */
export interface RowReader<T> {
  /**
   * A row an earlier run committed: nothing is produced, but any state that
   * later rows depend on (the ordinals of identical rows) must advance.
   * `fields` is `undefined` for a row that never reached `read` (unreadable,
   * or the wrong number of fields).
   */
  readonly replay: (fields: ReadonlyArray<string> | undefined, rowNumber: number) => void
  /** A new row: its value, or why it is quarantined. */
  readonly read: (fields: ReadonlyArray<string>, rowNumber: number) => Result.Result<T, string>
}

/** One batch handed to the store. */
export interface RunBatch<T> {
  readonly throughRow: number
  readonly values: ReadonlyArray<T>
  readonly quarantined: ReadonlyArray<QuarantinedRow>
}

/** A run's description. */
export interface RunSpec<T, EH, E, R> {
  readonly source: CsvSource
  readonly importId: string
  readonly delimiter: string | undefined
  readonly batchSize: number
  readonly start: Committed
  readonly totalBytes: number | undefined
  readonly onProgress: ((progress: ImportProgressUpdate) => void) | undefined
  readonly progressIntervalMillis: number
  /** Given the header, the reader of its rows, or why the file does not fit the mapping. */
  readonly prepare: (header: ReadonlyArray<string>) => Result.Result<RowReader<T>, EH>
  /** Stores a batch; returns how many values were new and how many duplicates. */
  readonly commit: (batch: RunBatch<T>) => Effect.Effect<{ readonly imported: number; readonly duplicates: number }, E, R>
}

const isBlank = (fields: ReadonlyArray<string>): boolean => fields.every((field) => field.trim() === "")

/**
 * Runs an import to the end of the file and returns the committed totals.
 * The header must be the first record; a file without one has no rows.
 */
export const runImport = <T, EH, E, R>(spec: RunSpec<T, EH, E, R>): Effect.Effect<Committed, CsvSourceError | EH | E, R> =>
  Effect.gen(function*() {
    const startedAt = yield* Clock.currentTimeMillis
    let reader: RowReader<T> | undefined
    let headerLength = 0
    let lastRow = 0
    let bytes = 0
    let rowsThisRun = 0
    let lastReportAt = startedAt
    let totals: Committed = spec.start
    let pending: Array<T> = []
    let pendingQuarantined: Array<QuarantinedRow> = []
    let pendingThrough = 0

    const flush = Effect.gen(function*() {
      if (pending.length === 0 && pendingQuarantined.length === 0) return
      const batch: RunBatch<T> = { throughRow: pendingThrough, values: pending, quarantined: pendingQuarantined }
      pending = []
      pendingQuarantined = []
      const result = yield* spec.commit(batch)
      totals = {
        throughRow: batch.throughRow,
        imported: totals.imported + result.imported,
        duplicates: totals.duplicates + result.duplicates,
        quarantined: totals.quarantined + batch.quarantined.length
      }
    })

    const report = (done: boolean) =>
      Effect.gen(function*() {
        if (spec.onProgress === undefined) return
        const now = yield* Clock.currentTimeMillis
        if (!done && now - lastReportAt < spec.progressIntervalMillis) return
        lastReportAt = now
        const elapsedMillis = now - startedAt
        const update: ImportProgressUpdate = {
          importId: spec.importId,
          rows: lastRow,
          bytes,
          totalBytes: spec.totalBytes,
          rowsPerSecond: elapsedMillis > 0 ? Math.round((rowsThisRun * 1000) / elapsedMillis) : 0,
          elapsedMillis,
          committed: { imported: totals.imported, duplicates: totals.duplicates, quarantined: totals.quarantined },
          done
        }
        const onProgress = spec.onProgress
        yield* Effect.sync(() => onProgress(update))
      })

    const quarantine = (row: CsvRow, reason: string) => {
      pendingQuarantined.push({ rowNumber: row.rowNumber, raw: row.raw, reason })
    }

    const handle = (row: CsvRow): Result.Result<void, EH> => {
      lastRow = row.rowNumber
      bytes = row.bytes
      if (reader === undefined) {
        // An unreadable header names no columns: the mapping's are all missing.
        const prepared = spec.prepare(row._tag === "Record" ? row.fields : [])
        if (Result.isFailure(prepared)) return Result.fail(prepared.failure)
        reader = prepared.success
        headerLength = row._tag === "Record" ? row.fields.length : 0
        return Result.succeed(undefined)
      }
      if (row._tag === "Record" && isBlank(row.fields)) return Result.succeed(undefined)
      if (row.rowNumber <= spec.start.throughRow) {
        reader.replay(row._tag === "Record" && row.fields.length === headerLength ? row.fields : undefined, row.rowNumber)
        return Result.succeed(undefined)
      }
      rowsThisRun += 1
      pendingThrough = row.rowNumber
      if (row._tag === "Malformed") {
        quarantine(row, `not readable as CSV: ${row.reason}`)
      } else if (row.fields.length !== headerLength) {
        quarantine(row, `has ${row.fields.length} fields where the header has ${headerLength}`)
      } else {
        const value = reader.read(row.fields, row.rowNumber)
        if (Result.isSuccess(value)) pending.push(value.success)
        else quarantine(row, value.failure)
      }
      return Result.succeed(undefined)
    }

    yield* readCsv(spec.source, { delimiter: spec.delimiter }).pipe(
      Stream.runForEachArray((rows) =>
        Effect.gen(function*() {
          for (const row of rows) {
            const handled = handle(row)
            if (Result.isFailure(handled)) return yield* Effect.fail(handled.failure)
            if (pending.length + pendingQuarantined.length >= spec.batchSize) yield* flush
          }
          yield* report(false)
        })
      )
    )
    if (reader === undefined) {
      // No header: an empty file. Ask for one anyway so that a mapping with
      // columns reports them missing instead of importing nothing silently.
      const prepared = spec.prepare([])
      if (Result.isFailure(prepared)) return yield* Effect.fail(prepared.failure)
    }
    yield* flush
    yield* report(true)
    return totals
  })
