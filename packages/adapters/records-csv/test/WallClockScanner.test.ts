/**
 * The import's fast date-time reading (issue 4) against the slow one it
 * stands in for: the scanner of a compiled format reads a text only when the
 * format's `parse` reads it the same way, and the zone clock's cached
 * offset places a wall-clock time only where `toUtcMillis` places it. On
 * the texts real exports write, the fast path must also not give up, or it
 * would be no faster.
 */
import { compileDateTimeFormat, makeZoneClock } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { scannerOf, wallClockFields } from "../src/internal/WallClockScanner.ts"

const patterns = [
  "M/d/yy H:mm",
  "M/d/yyyy h:mm:ss a",
  "MM/dd/yyyy h:mm:ss a",
  "MM/dd/yyyy hh:mm:ss a",
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  "dd.MM.yyyy",
  "yyyyMMddHHmmss",
  "d/M/yy h:mma",
  "M/d/yyyy"
] as const

const pad = (value: number, width: number) => String(value).padStart(width, "0")

/** Writes a date and time as the pattern writes it (the tokens of `compileDateTimeFormat`). */
const write = (pattern: string, date: Date): string => {
  const hour12 = date.getUTCHours() % 12 === 0 ? 12 : date.getUTCHours() % 12
  const values: Record<string, string> = {
    yyyy: pad(date.getUTCFullYear(), 4),
    yy: pad(date.getUTCFullYear() % 100, 2),
    MM: pad(date.getUTCMonth() + 1, 2),
    M: String(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate(), 2),
    d: String(date.getUTCDate()),
    HH: pad(date.getUTCHours(), 2),
    H: String(date.getUTCHours()),
    hh: pad(hour12, 2),
    h: String(hour12),
    mm: pad(date.getUTCMinutes(), 2),
    ss: pad(date.getUTCSeconds(), 2),
    SSS: pad(date.getUTCMilliseconds(), 3),
    a: date.getUTCHours() < 12 ? "AM" : "PM"
  }
  return pattern.replace(/'([^']*)'|yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|ss|SSS|a/g, (token, literal: string | undefined) =>
    literal ?? values[token] ?? token
  )
}

const compiled = (pattern: string) => {
  const format = Result.getOrThrow(compileDateTimeFormat(pattern))
  const scan = scannerOf(format)
  assert.isDefined(scan, pattern)
  return { format, scan: scan! }
}

/** The scanner reads `text` only as `parse` does; returns whether it read it. */
const agrees = (pattern: string, text: string): boolean => {
  const { format, scan } = compiled(pattern)
  const into = wallClockFields()
  if (!scan(text, into)) return false
  const parsed = format.parse(text)
  assert.isTrue(Result.isSuccess(parsed), `${pattern} "${text}": scanned, but parse says ${Result.isFailure(parsed) ? parsed.failure : ""}`)
  if (Result.isSuccess(parsed)) {
    const { year, month, day, hour, minute, second, millisecond } = parsed.success
    assert.deepStrictEqual(into, { year, month, day, hour, minute, second, millisecond }, `${pattern} "${text}"`)
  }
  return true
}

const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2067, 11, 31) }).map((millis) => new Date(millis))

describe("the scanner of a date-time format", () => {
  it("reads every date and time written in the format, as parse reads it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...patterns), instant, (pattern, date) => {
        assert.isTrue(agrees(pattern, write(pattern, date)), `${pattern}: "${write(pattern, date)}" not scanned`)
      }),
      { numRuns: 3_000 }
    )
  })

  it("reads nothing that parse refuses or reads otherwise, on texts near the format and on noise", () => {
    const noise = fc.string({ unit: fc.constantFrom("0", "1", "2", "3", "9", "/", ":", " ", ".", "-", "T", "A", "p", "M", "m", "x"), maxLength: 24 })
    const nearly = fc.tuple(fc.constantFrom(...patterns), instant, fc.nat(30), fc.constantFrom("", "0", "1", "9", " ", "/", "a", "PM")).map(
      ([pattern, date, at, insert]) => {
        const text = write(pattern, date)
        const cut = at % (text.length + 1)
        return [pattern, text.slice(0, cut) + insert + text.slice(cut + (insert === "" ? 1 : 0))] as const
      }
    )
    fc.assert(
      fc.property(fc.oneof(fc.tuple(fc.constantFrom(...patterns, "yyyy-M1d"), noise), nearly), ([pattern, text]) => {
        agrees(pattern, text)
      }),
      { numRuns: 10_000 }
    )
  })

  it("leaves to parse the texts it cannot read without going back, and impossible dates", () => {
    // "M1d" reads "111" as 1/1 only by backtracking from 11: the scanner gives up, parse reads it.
    assert.isFalse(agrees("yyyy-M1d", "2024-111"))
    assert.deepStrictEqual(
      Result.map(compiled("yyyy-M1d").format.parse("2024-111"), (value) => [value.month, value.day]),
      Result.succeed([1, 1])
    )
    assert.isFalse(agrees("M/d/yyyy", "2/30/2024"))
    assert.isFalse(agrees("M/d/yyyy h:mm:ss a", "2/3/2024 13:00:00 PM"))
    assert.isUndefined(scannerOf(Result.getOrThrow(compileDateTimeFormat("iso"))))
  })
})

describe("the zone clock's offset at a wall-clock time", () => {
  const zones = ["America/Los_Angeles", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "UTC"] as const

  it("places a time where toUtcMillis does, and leaves it only the rare hours of a change", () => {
    let left = 0
    let runs = 0
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 11, 31) }),
        (zone, wall) => {
          const clock = makeZoneClock(zone, "earlier")!
          const date = new Date(wall)
          const local = {
            year: date.getUTCFullYear(),
            month: date.getUTCMonth() + 1,
            day: date.getUTCDate(),
            hour: date.getUTCHours(),
            minute: date.getUTCMinutes(),
            second: date.getUTCSeconds(),
            millisecond: date.getUTCMilliseconds()
          }
          const offset = clock.offsetAtWallClock(wall)
          runs += 1
          if (offset === undefined) left += 1
          else assert.deepStrictEqual(clock.toUtcMillis(local), Result.succeed(wall - offset))
        }
      ),
      { numRuns: 5_000 }
    )
    assert.isAtMost(left, runs / 100)
  })

  it("leaves the skipped and repeated hours to toUtcMillis", () => {
    const clock = makeZoneClock("America/Los_Angeles", "earlier")!
    assert.isUndefined(clock.offsetAtWallClock(Date.UTC(2024, 2, 10, 2, 30)))
    assert.isUndefined(clock.offsetAtWallClock(Date.UTC(2024, 10, 3, 1, 30)))
    assert.strictEqual(clock.offsetAtWallClock(Date.UTC(2024, 2, 10, 12)), -7 * 3_600_000)
    assert.strictEqual(clock.offsetAtWallClock(Date.UTC(2024, 2, 9, 12)), -8 * 3_600_000)
  })
})
