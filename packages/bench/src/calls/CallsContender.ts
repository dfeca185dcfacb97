/**
 * What every contender of the calls-import rows provides: a session on one
 * database that loads a CSV of calls and answers the 90-day count per place.
 *
 * @module
 */
import type { CallsTarget } from "./CallsWorkload.ts"

/** What loading one CSV did. */
export interface Loaded {
  /** Data rows read from the file. */
  readonly rows: number
  /** Rows stored as calls. */
  readonly stored: number
  /** Rows quarantined instead (ours: a blank address, say); DuckDB sets no row aside. */
  readonly setAside: number
  /** Rows whose call was already stored (ours deduplicates by record id); DuckDB deduplicates nothing. */
  readonly duplicates: number
}

/** One place and its calls in the window. */
export interface PlaceCount {
  readonly place: string
  readonly calls: number
}

/**
 * The 90-day count per place: the busiest places first (ties by place in
 * code point order), at most `TOP_PLACES` of them, and the totals over every
 * place with a call in the window.
 */
export interface PlaceCounts {
  readonly top: ReadonlyArray<PlaceCount>
  readonly places: number
  readonly totalCalls: number
}

/** Whether a load creates the calls (the first import) or adds to them (the daily refresh). */
export type LoadMode = "create" | "append"

/** An open database of one contender, in one child process. */
export interface CallsSession {
  /** Untimed setup before the first load: our places registry; nothing for DuckDB. */
  readonly prepare: () => Promise<void>
  /** Loads a CSV of calls (timed). */
  readonly load: (file: string, mode: LoadMode) => Promise<Loaded>
  /** The count per place of the 90 days ending with `endDay` (timed). */
  readonly countPerPlace: (endDay: string) => Promise<PlaceCounts>
  readonly close: () => Promise<void>
}

/** One contender of the calls-import rows. */
export interface CallsContender {
  readonly open: (target: CallsTarget) => Promise<CallsSession>
}
