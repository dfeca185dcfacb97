/**
 * How values are written in a notice: dates in the jurisdiction's own time
 * zone, periods, dollar amounts and the order of a repeated violation, so
 * that every document a case produces writes them the same way. The case
 * builds a document's data with these; the templates only place the text.
 *
 * @module
 */
import { DateTime, Option, Result } from "effect"
import { UnknownTimeZone } from "../kernel/Deadline.ts"
import type { Period } from "../kernel/Period.ts"

const zoned = (instant: DateTime.DateTime, timeZone: string, rule: string): Result.Result<string, UnknownTimeZone> =>
  Option.isSome(DateTime.zoneMakeNamed(timeZone))
    ? Result.succeed(timeZone)
    : Result.fail(new UnknownTimeZone({ timeZone, rule }))

/**
 * The local date of an instant, written out, e.g. `March 20, 2026`. The date
 * is read in `timeZone` (the jurisdiction's), so a deadline at 23:59 local
 * time is not written as the next day's date.
 */
export const formatNoticeDate = (
  instant: DateTime.DateTime,
  timeZone: string,
  locale = "en-US"
): Result.Result<string, UnknownTimeZone> =>
  Result.map(
    zoned(instant, timeZone, "a date in a notice"),
    (zone) =>
      new Intl.DateTimeFormat(locale, { timeZone: zone, year: "numeric", month: "long", day: "numeric" })
        .format(DateTime.toEpochMillis(instant))
  )

/**
 * The local date and time of an instant with the weekday, e.g.
 * `Tuesday, April 14, 2026 at 9:30 AM`, for a hearing. Read in `timeZone`.
 */
export const formatNoticeDateTime = (
  instant: DateTime.DateTime,
  timeZone: string,
  locale = "en-US"
): Result.Result<string, UnknownTimeZone> =>
  Result.map(
    zoned(instant, timeZone, "a date and time in a notice"),
    (zone) =>
      new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: "full", timeStyle: "short" })
        .format(DateTime.toEpochMillis(instant))
  )

const unitNames: { readonly [U in Period["unit"]]: readonly [singular: string, plural: string] } = {
  hours: ["hour", "hours"],
  "calendar-days": ["calendar day", "calendar days"],
  "business-days": ["business day", "business days"]
}

/** A period in words, e.g. `14 calendar days`, `48 hours`, `1 business day`. */
export const describePeriod = (period: Period): string => {
  const [singular, plural] = unitNames[period.unit]
  return `${period.amount.toLocaleString("en-US")} ${period.amount === 1 ? singular : plural}`
}

/** An amount in US dollars with cents, e.g. `$1,300.00`. */
export const formatDollars = (amount: number): string =>
  amount.toLocaleString("en-US", { style: "currency", currency: "USD" })

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
