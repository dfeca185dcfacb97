/**
 * What an import reports: its totals when it ends, its progress while it
 * runs, and the failures that stop it (as opposed to bad rows, which never
 * stop an import: they are quarantined).
 *
 * @module
 */
import { Schema } from "effect"

/**
 * The totals of an import, over the whole file: a resumed import adds what
 * earlier runs committed, so a run that was killed and resumed reports what
 * one clean run reports.
 *
 * `read` and `skipped` are counted from the file by every run; `imported`,
 * `duplicates` and `quarantined` are what the store committed. They agree
 * (`read = imported + duplicates + quarantined`, `unaccounted` 0) unless
 * rows were lost on the way; then `unaccounted` says how many.
 */
export interface ImportReport {
  /** The import's id: the source name and the file's sha256, unless one was given. */
  readonly importId: string
  /** Data rows read from the file, blank ones aside (the header and empty lines are not rows). */
  readonly read: number
  /** Blank data rows (every field empty or spaces): skipped, neither imported nor quarantined. */
  readonly skipped: number
  /** Calls stored for the first time. */
  readonly imported: number
  /** Calls whose dedupe key was already stored with the same content (an earlier import, an overlapping export, a repeated row). */
  readonly duplicates: number
  /** Rows set aside with their row number, text and reason; list them with `CallStore.quarantined`. */
  readonly quarantined: number
  /**
   * Of the quarantined rows, those whose record id came earlier in the file
   * with other content in the mapped columns (reason `conflict: …`): the
   * first version is the one stored.
   */
  readonly conflicts: number
  /**
   * `read - (imported + duplicates + quarantined)`: rows read from the file
   * that the committed totals do not account for. 0 unless something was
   * lost: a store that acknowledged fewer calls than it was sent, or an
   * earlier run of the same import id over other rows.
   */
  readonly unaccounted: number
  /**
   * The row number this run started after, the header being row 1 (as in
   * quarantined rows and progress): 0 for a fresh import; for a resumed one,
   * the last row the earlier runs committed (for a finished import, the
   * file's last row: its data rows plus one, with no blank rows).
   */
  readonly resumedAfterRow: number
}

/** The totals of a places import; always `read = upserted + quarantined`. */
export interface PlacesImportReport {
  readonly importId: string
  readonly read: number
  /** Rows written to the registry (a later row for the same address replaces an earlier one). */
  readonly upserted: number
  readonly quarantined: number
  readonly resumedAfterRow: number
}

/**
 * A running import's progress, for a progress bar: reported at most every
 * `progressIntervalMillis` (250 ms by default), checked every 1,000 rows, and
 * once more at the end with `done: true`.
 */
export interface ImportProgressUpdate {
  readonly importId: string
  /** The last row number read (the header is row 1). */
  readonly rows: number
  /** Bytes of the file read so far. */
  readonly bytes: number
  /** The file's size when known (a path), for a percentage; `undefined` for a stream. */
  readonly totalBytes: number | undefined
  /** Rows read per second by this run. */
  readonly rowsPerSecond: number
  readonly elapsedMillis: number
  /** Rows committed so far, over the whole import (earlier runs included). */
  readonly committed: { readonly imported: number; readonly duplicates: number; readonly quarantined: number }
  readonly done: boolean
}

/**
 * The export's header does not have the columns the mapping names (or has one
 * twice, so which to read is unclear). Nothing was imported: a mapping that
 * does not fit the file would otherwise quarantine every row.
 */
export class HeaderMismatch extends Schema.TaggedError<HeaderMismatch>()("HeaderMismatch", {
  source: Schema.String,
  missing: Schema.Array(Schema.String),
  repeated: Schema.Array(Schema.String),
  /** The header as read, to compare with the mapping. */
  header: Schema.Array(Schema.String)
}) {
  override get message(): string {
    const parts = [
      ...(this.missing.length > 0 ? [`missing column(s) ${this.missing.map((name) => JSON.stringify(name)).join(", ")}`] : []),
      ...(this.repeated.length > 0 ? [`column(s) named twice ${this.repeated.map((name) => JSON.stringify(name)).join(", ")}`] : [])
    ]
    return `The header does not fit mapping ${this.source}: ${parts.join("; ")}. Header: ${
      this.header.map((name) => JSON.stringify(name)).join(", ")
    }`
  }
}
