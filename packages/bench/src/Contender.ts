/**
 * What every contender in the benchmark provides: a writer that appends the
 * workload's batches and a reader that pages through everything written.
 *
 * @module
 */
import type { Batch } from "./Workload.ts"

/** Where a contender stores its events for one run: a fresh SQLite file or a fresh PostgreSQL database. */
export type Target =
  | { readonly engine: "sqlite"; readonly file: string }
  | { readonly engine: "postgres"; readonly url: string }

/**
 * Appends batches. `prepare` turns a workload batch into the contender's own
 * input shape and is not timed; `append` is the timed call.
 */
export interface Writer<Prepared> {
  readonly prepare: (batch: Batch) => Prepared
  readonly append: (prepared: Prepared) => Promise<void>
  readonly close: () => Promise<void>
}

/** The fields the harness checks on an event read back, whatever shape the contender decodes it into. */
export interface ReadView {
  readonly streamId: string
  readonly streamVersion: number
  readonly globalPosition: number
  readonly eventId: string
  readonly eventType: string
  readonly hash: string
  readonly data: unknown
}

/**
 * Reads every event of the tenant in global order, page by page, each page
 * fully decoded (the timed part); `view` is only used for checks outside it.
 */
export interface Reader<Decoded> {
  readonly pages: () => AsyncIterable<ReadonlyArray<Decoded>>
  readonly view: (event: Decoded) => ReadView
  readonly close: () => Promise<void>
}

/** One contender: a way to write and a way to read the same workload on one engine. */
export interface Contender<Prepared = unknown, Decoded = unknown> {
  readonly openWriter: (target: Target) => Promise<Writer<Prepared>>
  readonly openReader: (target: Target) => Promise<Reader<Decoded>>
}

/** Narrows a target to the engine a contender runs on. */
export const expectEngine = <E extends Target["engine"]>(
  target: Target,
  engine: E
): Extract<Target, { readonly engine: E }> => {
  if (target.engine !== engine) throw new Error(`this contender runs on ${engine}, not ${target.engine}`)
  return target as Extract<Target, { readonly engine: E }>
}
