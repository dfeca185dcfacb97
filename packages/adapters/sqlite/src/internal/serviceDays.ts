/**
 * Service days as `YYYY-MM-DD` strings: checking them, and the first day of
 * an analytics window, whose daily counts are then read as one range of the
 * `daily_counts` key (such strings compare as the days they name).
 *
 * @internal
 */
const DAY_MILLIS = 86_400_000

/** Midnight UTC of a valid `YYYY-MM-DD` day, in epoch milliseconds. */
const startOf = (day: string): number => {
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)))
  return date.getTime()
}

const format = (millis: number): string => {
  const date = new Date(millis)
  const pad = (value: number, width: number) => String(value).padStart(width, "0")
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`
}

/** The earliest day a service day can be (`YYYY` has four digits). */
const firstDay = startOf("0000-01-01")

/**
 * The first of the `days` service days ending with `endDay` (a valid day;
 * `days` at least 1). Counting back in UTC milliseconds is exact: a calendar
 * day has no zone, so no daylight-saving day is 23 or 25 hours long here. A
 * window reaching back before year 0 starts at 0000-01-01, the first day a
 * call can have.
 */
export const windowStart = (endDay: string, days: number): string =>
  format(Math.max(firstDay, startOf(endDay) - (days - 1) * DAY_MILLIS))

/** The day `days` days after `day` (before it when negative), no earlier than 0000-01-01. */
export const addDays = (day: string, days: number): string => format(Math.max(firstDay, startOf(day) + days * DAY_MILLIS))

/** How many days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((startOf(to) - startOf(from)) / DAY_MILLIS)
