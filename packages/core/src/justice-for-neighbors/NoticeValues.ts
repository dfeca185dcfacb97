/**
 * How values are written in a notice: the engine's document values
 * (`engine/DocumentValues`: dates in the jurisdiction's own time zone,
 * periods, dollar amounts) and the order of a repeated violation, so that
 * every document a case produces writes them the same way. The case builds
 * a document's data with these; the templates only place the text.
 *
 * @module
 */
import type { DateTime, Result } from "effect"
import { formatDocumentDate, formatDocumentDateTime } from "../engine/DocumentValues.ts"
import type { UnknownTimeZone } from "../kernel/Deadline.ts"

// The case's own modules import these from here; the package exports them once, from the engine.
export { describePeriod, formatDollars } from "../engine/DocumentValues.ts"

/**
 * The local date of an instant, written out, e.g. `March 20, 2026`, read in
 * `timeZone` (the jurisdiction's): the engine's `formatDocumentDate`, its
 * error naming a date in a notice.
 */
export const formatNoticeDate = (
  instant: DateTime.DateTime,
  timeZone: string,
  locale = "en-US"
): Result.Result<string, UnknownTimeZone> => formatDocumentDate(instant, timeZone, locale, "a date in a notice")

/**
 * The local date and time of an instant with the weekday, e.g.
 * `Tuesday, April 14, 2026 at 9:30 AM`, for a hearing, read in `timeZone`:
 * the engine's `formatDocumentDateTime`, its error naming a notice.
 */
export const formatNoticeDateTime = (
  instant: DateTime.DateTime,
  timeZone: string,
  locale = "en-US"
): Result.Result<string, UnknownTimeZone> => formatDocumentDateTime(instant, timeZone, locale, "a date and time in a notice")

const ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]

/**
 * Which violation within the fine window a citation is, in words: `first`,
 * `second`, ... `tenth`, then `11th`, `12th`, `21st`...
 */
export const violationOrdinal = (violationNumber: number): string => {
  const n = Math.max(1, Math.floor(violationNumber))
  const word = ordinals[n - 1]
  if (word !== undefined) return word
  const lastTwo = n % 100
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th"
  return `${n}${suffix}`
}
