/**
 * The fast reading of a date-time format, for the import's hot loop: the
 * text scanned once, left to right, into a reused holder, with no regular
 * expression and no allocation. It only ever answers "read, and here are the
 * fields" when the format's own `parse` would give the same fields; for
 * anything else (a text that does not match, an impossible date, a format it
 * does not scan such as ISO 8601) the caller asks `parse`, which gives the
 * result and the exact reason.
 *
 * @internal
 */

/** A wall-clock date and time being read; written by a {@link WallClockScanner}. */
export interface WallClockFields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
}

/** Reads `text` into `into`; `true` only for a real date and time that the format's `parse` reads the same way. */
export type WallClockScanner = (text: string, into: WallClockFields) => boolean

/** A fresh holder. */
export const wallClockFields = (): WallClockFields => ({
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  millisecond: 0
})

const scanners = new WeakMap<object, WallClockScanner>()

/** Attaches a compiled format's scanner (see `compileDateTimeFormat`). */
export const registerScanner = (format: object, scanner: WallClockScanner): void => {
  scanners.set(format, scanner)
}

/** The scanner of a compiled format, if it has one. */
export const scannerOf = (format: object): WallClockScanner | undefined => scanners.get(format)
