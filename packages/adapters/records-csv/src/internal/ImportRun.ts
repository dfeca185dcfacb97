/**
 * The loop every import shares: read the CSV as a stream, check the header,
 * skip what an earlier run committed, turn rows into values or quarantined
 * rows, commit them in batches, report progress.
 *
 * @internal
 */
import type { QuarantinedRow } from "@community-policing/core"
import { Clock, Effect, Result, Stream } from "effect"
import { type CsvRow, readCsv, type CsvSource, type CsvSourceError, UnsupportedEncoding } from "../CsvReader.ts"
import type { ImportProgressUpdate } from "../ImportReport.ts"
import { quarantinedRow } from "./QuarantineText.ts"

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
   * later rows depend on (the ordinals of identical rows, the first version
   * of each record id) must advance as if it were read. `fields` is
   * `undefined` for a row that never reached `read` (unreadable, or the
   * wrong number of fields).
   */
  readonly replay: (fields: ReadonlyArray<string> | undefined, rowNumber: number, raw: string) => void
  /** A new row (its fields, and its text for a quick scan): its value, or why it is quarantined. */
  readonly read: (fields: ReadonlyArray<string>, rowNumber: number, raw: string) => Result.Result<T, string>
  /** The text a quarantined row of the header's length keeps by default: the mapped columns only. */
  readonly kept: (fields: ReadonlyArray<string>) => string
}

/** What a run returns: the committed totals, and the rows it counted in the file itself. */
export interface RunTotals extends Committed {
  /** Data rows in the whole file that are not blank (rows an earlier run committed included). */
  readonly read: number
  /** Blank data rows (every field empty or spaces), in the whole file. */
  readonly skipped: number
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
  /**
   * Whether quarantined rows keep their whole line; by default they keep
   * only the mapped columns (and a row that does not split into the
   * header's columns keeps no text).
   */
  readonly keepRawLines: boolean
  /** The longest record read, in characters; see `CsvReadOptions.maxRecordLength`. */
  readonly maxRecordLength: number | undefined
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
export const runImport = <T, EH, E, R>(
  spec: RunSpec<T, EH, E, R>
): Effect.Effect<RunTotals, CsvSourceError | UnsupportedEncoding | EH | E, R> =>
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
    // Counted from the file, every run over the whole file: not derived from
    // what the store says it committed, so the two can be compared.
    let read = 0
    let skipped = 0

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

    // Without raw lines, a row keeps its mapped columns when it splits into
    // the header's columns, and nothing when it does not (which text would
    // be which column is unknown).
    const quarantine = (row: CsvRow, reason: string, fields: ReadonlyArray<string> | undefined) => {
      const kept = spec.keepRawLines ? row.raw : fields === undefined || reader === undefined ? "" : reader.kept(fields)
      pendingQuarantined.push(quarantinedRow(row.rowNumber, kept, reason))
    }

    // A failure that stops the run (the header does not fit), or undefined.
    const handle = (row: CsvRow): { readonly failure: EH | UnsupportedEncoding } | undefined => {
      lastRow = row.rowNumber
      bytes = row.bytes
      if (reader === undefined) {
        // NULs in the header: UTF-16 or UTF-32 without a byte-order mark, read as UTF-8.
        if (row.raw.includes("\u0000")) {
          return {
            failure: new UnsupportedEncoding({
              source: typeof spec.source === "string" ? spec.source : "stream",
              encoding: "UTF-16 or UTF-32 without a byte-order mark"
            })
          }
        }
        // An unreadable header names no columns: the mapping's are all missing.
        const prepared = spec.prepare(row._tag === "Record" ? row.fields : [])
        if (Result.isFailure(prepared)) return { failure: prepared.failure }
        reader = prepared.success
        headerLength = row._tag === "Record" ? row.fields.length : 0
        return undefined
      }
      if (row._tag === "Record" && isBlank(row.fields)) {
        skipped += 1
        return undefined
      }
      read += 1
      if (row.rowNumber <= spec.start.throughRow) {
        reader.replay(row._tag === "Record" && row.fields.length === headerLength ? row.fields : undefined, row.rowNumber, row.raw)
        return undefined
      }
      rowsThisRun += 1
      pendingThrough = row.rowNumber
      if (row._tag === "Malformed") {
        quarantine(row, `not readable as CSV: ${row.reason}`, undefined)
      } else if (row.fields.length !== headerLength) {
        quarantine(row, `has ${row.fields.length} fields where the header has ${headerLength}`, undefined)
      } else {
        const value = reader.read(row.fields, row.rowNumber, row.raw)
        if (Result.isSuccess(value)) pending.push(value.success)
        else quarantine(row, value.failure, row.fields)
      }
      return undefined
    }

    // A chunk of rows is handled in one plain loop; the run yields to the
    // store only when a batch is full.
    yield* readCsv(spec.source, { delimiter: spec.delimiter, maxRecordLength: spec.maxRecordLength }).pipe(
      Stream.runForEachArray((rows) =>
        Effect.gen(function*() {
          for (const row of rows) {
            const stopped = handle(row)
            if (stopped !== undefined) return yield* Effect.fail(stopped.failure)
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
    return { ...totals, read, skipped }
  })
