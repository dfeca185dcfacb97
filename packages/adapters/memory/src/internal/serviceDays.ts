/**
 * Service days as `YYYY-MM-DD` strings: checking them and listing the days
 * of an analytics window, whose daily counts are then looked up one by one.
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

/**
 * The `days` service days ending with `endDay`, both included, oldest first.
 * Counting back in UTC milliseconds is exact: a calendar day has no zone, so
 * no daylight-saving day is 23 or 25 hours long here.
 */
export const windowDays = (endDay: string, days: number): ReadonlyArray<string> => {
  const end = startOf(endDay)
  return Array.from({ length: days }, (_, index) => format(end - (days - 1 - index) * DAY_MILLIS))
}
