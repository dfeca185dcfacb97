/**
 * Conversions between wall-clock time in a named zone and UTC, fast enough
 * for millions of rows: the zone's offset is looked up once per day of wall
 * clock (or of UTC) with effect's `DateTime`, and only the hour of a
 * daylight-saving transition is resolved row by row.
 *
 * @module
 */
import { DateTime, Option, Result } from "effect"
import type { LocalDateTime } from "./DateTimeFormat.ts"

/**
 * What to do with a wall-clock time that occurs twice (the hour repeated
 * when daylight saving time ends): take the `earlier` or the `later`
 * instant, or `quarantine` the row. A time that never occurs (the hour
 * skipped when it begins) is always quarantined.
 */
export type RepeatedTimePolicy = "earlier" | "later" | "quarantine"

/** Converts times between one named zone's wall clock and UTC. */
export interface ZoneClock {
  /** The zone's IANA id. */
  readonly zone: string
  /** The UTC instant (epoch milliseconds) of a wall-clock time in the zone, or why it has none. */
  readonly toUtcMillis: (local: LocalDateTime) => Result.Result<number, string>
  /** The zone's local calendar date (`YYYY-MM-DD`) at a UTC instant. */
  readonly localDate: (utcMillis: number) => string
  /** The zone's wall clock at a UTC instant, as UTC-based milliseconds (read it with `getUTC*`). */
  readonly wallClockMillis: (utcMillis: number) => number
  /**
   * The zone's UTC offset in milliseconds at a wall-clock time written as
   * UTC-based milliseconds (`Date.UTC` of its fields), when the offset does
   * not change during that hour; `undefined` in the hour of a daylight-saving
   * change, where {@link ZoneClock.toUtcMillis} resolves the time (or says
   * it is skipped or repeated). Looked up once per day: the fast way from
   * wall clock to UTC for millions of rows.
   */
  readonly offsetAtWallClock: (wallMillis: number) => number | undefined
}

const hourMillis = 3_600_000
const dayMillis = 86_400_000
// Days and hours of decades of data; cleared when full so memory stays flat
// on exports that are not sorted by time.
const cacheLimit = 100_000

const pad = (value: number, width: number): string => String(value).padStart(width, "0")

const describe = (local: LocalDateTime): string =>
  `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)} ${pad(local.hour, 2)}:${pad(local.minute, 2)}:${
    pad(local.second, 2)
  }`

/**
 * A clock for a named zone, e.g. `America/Los_Angeles`, or `undefined` when
 * the runtime does not know the zone.
 */
export const makeZoneClock = (zoneId: string, repeated: RepeatedTimePolicy): ZoneClock | undefined => {
  const zoneOption = DateTime.zoneMakeNamed(zoneId)
  if (Option.isNone(zoneOption)) return undefined
  const zone = zoneOption.value

  const offsetAtUtc = (utcMillis: number): number =>
    DateTime.zonedOffset(DateTime.makeZonedUnsafe(utcMillis, { timeZone: zone }))

  const strictOffsetAtWall = (wallMillis: number): number | undefined =>
    Option.match(DateTime.makeZoned(wallMillis, { timeZone: zone, adjustForTimeZone: true, disambiguation: "reject" }), {
      onNone: () => undefined,
      onSome: DateTime.zonedOffset
    })

  // The zone's offset over a span of wall-clock time when the whole span
  // has one, `null` when a transition falls inside it. Zones change offset
  // at most once a day, so a day without a change is one cache entry, and
  // only the hours of a transition day are looked at one by one.
  const wallSpans = new Map<number, number | null>()
  const wallSpanOffset = (start: number, length: number): number | null => {
    const key = start * 2 + (length === dayMillis ? 0 : 1)
    const cached = wallSpans.get(key)
    if (cached !== undefined) return cached
    const first = strictOffsetAtWall(start)
    const last = strictOffsetAtWall(start + length - 1)
    const offset = first !== undefined && first === last ? first : null
    if (wallSpans.size >= cacheLimit) wallSpans.clear()
    wallSpans.set(key, offset)
    return offset
  }
  const wallOffset = (wallMillis: number): number | null => {
    const day = wallSpanOffset(Math.floor(wallMillis / dayMillis) * dayMillis, dayMillis)
    return day !== null ? day : wallSpanOffset(Math.floor(wallMillis / hourMillis) * hourMillis, hourMillis)
  }

  const utcSpans = new Map<number, number | null>()
  const utcSpanOffset = (start: number, length: number): number | null => {
    const key = start * 2 + (length === dayMillis ? 0 : 1)
    const cached = utcSpans.get(key)
    if (cached !== undefined) return cached
    const first = offsetAtUtc(start)
    const offset = first === offsetAtUtc(start + length - 1) ? first : null
    if (utcSpans.size >= cacheLimit) utcSpans.clear()
    utcSpans.set(key, offset)
    return offset
  }
  const offsetAt = (utcMillis: number): number =>
    utcSpanOffset(Math.floor(utcMillis / dayMillis) * dayMillis, dayMillis) ??
      utcSpanOffset(Math.floor(utcMillis / hourMillis) * hourMillis, hourMillis) ??
      offsetAtUtc(utcMillis)

  const resolveInTransition = (wallMillis: number, local: LocalDateTime): Result.Result<number, string> => {
    const strict = strictOffsetAtWall(wallMillis)
    if (strict !== undefined) return Result.succeed(wallMillis - strict)
    const earlier = DateTime.makeZoned(wallMillis, { timeZone: zone, adjustForTimeZone: true, disambiguation: "earlier" })
    const later = DateTime.makeZoned(wallMillis, { timeZone: zone, adjustForTimeZone: true, disambiguation: "later" })
    if (Option.isNone(earlier) || Option.isNone(later)) {
      return Result.fail(`${describe(local)} cannot be placed in ${zoneId}`)
    }
    const earlierMillis = DateTime.toEpochMillis(earlier.value)
    // In a gap the "earlier" reading lands on another wall-clock time; in a
    // repeated hour both readings show the time that was written.
    if (earlierMillis + DateTime.zonedOffset(earlier.value) !== wallMillis) {
      return Result.fail(`${describe(local)} does not exist in ${zoneId} (the clocks skipped it for daylight saving time)`)
    }
    switch (repeated) {
      case "earlier":
        return Result.succeed(earlierMillis)
      case "later":
        return Result.succeed(DateTime.toEpochMillis(later.value))
      case "quarantine":
        return Result.fail(`${describe(local)} occurs twice in ${zoneId} (daylight saving time ended)`)
    }
  }

  // Formatting a date is dearer than looking it up: a year is 365 entries.
  const dates = new Map<number, string>()

  return {
    zone: zoneId,
    toUtcMillis: (local) => {
      const wallMillis = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond)
      // Date.UTC reads years 0-99 as 1900-1999; records never carry them.
      if (local.year < 100) return Result.fail(`${describe(local)}: year ${local.year} is not a plausible record year`)
      if (local.offsetMinutes !== undefined) return Result.succeed(wallMillis - local.offsetMinutes * 60_000)
      const offset = wallOffset(wallMillis)
      return offset === null ? resolveInTransition(wallMillis, local) : Result.succeed(wallMillis - offset)
    },
    localDate: (utcMillis) => {
      const day = Math.floor((utcMillis + offsetAt(utcMillis)) / dayMillis)
      const cached = dates.get(day)
      if (cached !== undefined) return cached
      const date = new Date(day * dayMillis).toISOString().slice(0, 10)
      if (dates.size >= cacheLimit) dates.clear()
      dates.set(day, date)
      return date
    },
    wallClockMillis: (utcMillis) => utcMillis + offsetAt(utcMillis),
    offsetAtWallClock: (wallMillis) => {
      const offset = wallOffset(wallMillis)
      return offset === null ? undefined : offset
    }
  }
}
