/**
 * How values are written in a document, whatever its program: dates in the
 * jurisdiction's own time zone, periods and dollar amounts, so that every
 * document writes them the same way. A program builds a document's data
 * with these; the templates only place the text.
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

const formatIn = (options: Intl.DateTimeFormatOptions, defaultRule: string) =>
(
  instant: DateTime.DateTime,
  timeZone: string,
  locale = "en-US",
  rule = defaultRule
): Result.Result<string, UnknownTimeZone> =>
  Result.map(
    zoned(instant, timeZone, rule),
    (zone) => new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }).format(DateTime.toEpochMillis(instant))
  )

/**
 * The local date of an instant, written out, e.g. `March 20, 2026`. The date
 * is read in `timeZone` (the jurisdiction's), so a deadline at 23:59 local
 * time is not written as the next day's date. `locale` defaults to `en-US`;
 * `rule` names the use in the {@link UnknownTimeZone} error.
 */
export const formatDocumentDate = formatIn({ year: "numeric", month: "long", day: "numeric" }, "a date in a document")

/**
 * The local date and time of an instant with the weekday, e.g.
 * `Tuesday, April 14, 2026 at 9:30 AM`, for a hearing or a meeting. Read
 * in `timeZone`, like {@link formatDocumentDate}.
 */
export const formatDocumentDateTime = formatIn({ dateStyle: "full", timeStyle: "short" }, "a date and time in a document")

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
