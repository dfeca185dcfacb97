/**
 * Holidays: the days a city's offices are closed, which business-day
 * deadlines skip.
 *
 * @module
 */
import { Schema } from "effect"

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Whether a `YYYY-MM-DD` string names a day that exists in the proleptic
 * Gregorian calendar (so `2026-02-29` and `2026-13-01` do not).
 */
export const isCalendarDate = (text: string): boolean => {
  const match = ISO_DATE.exec(text)
  if (match === null) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  // Date.UTC rolls impossible days over into the next month; a round trip
  // through it only preserves days that exist.
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/**
 * A day of the calendar, with no time and no zone, written `YYYY-MM-DD`
 * (ISO 8601), e.g. `2026-07-03`. It must be a day that exists.
 */
export const CalendarDate = Schema.String.check(
  Schema.makeFilter(isCalendarDate, {
    expected: "a calendar date written YYYY-MM-DD, e.g. 2026-07-03",
    toJsonSchema: () => ({ format: "date", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
    // Generated test dates stay within the days every month has.
    arbitraryConstraint: { patterns: [{ source: "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$", flags: "" }] }
  })
)

/** A calendar date; see {@link CalendarDate}. */
export type CalendarDate = typeof CalendarDate.Type

/**
 * A day the city's offices are closed. It is read as a local date in the
 * jurisdiction's time zone. When a holiday falls on a weekend, list the day
 * the city actually observes (e.g. Friday `2026-07-03` for Independence Day).
 */
export const Holiday = Schema.Struct({
  date: CalendarDate,
  name: Schema.NonEmptyString
})

/** A day the city's offices are closed; see {@link Holiday}. */
export type Holiday = typeof Holiday.Type
