/**
 * Date-time formats: each token, the strictness that quarantines instead of
 * guessing, local time to UTC across daylight saving time, and a property:
 * any real date and time written in a format reads back as itself.
 */
import { compileDateTimeFormat, type LocalDateTime, makeZoneClock } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"

const parse = (format: string, text: string): Result.Result<LocalDateTime, string> => {
  const compiled = compileDateTimeFormat(format)
  if (Result.isFailure(compiled)) return Result.fail(`format: ${compiled.failure}`)
  return compiled.success.parse(text)
}

const parts = (format: string, text: string) => {
  const result = parse(format, text)
  if (Result.isFailure(result)) return result.failure
  const { year, month, day, hour, minute, second, millisecond } = result.success
  return [year, month, day, hour, minute, second, millisecond]
}

const failure = (format: string, text: string): string => {
  const result = parse(format, text)
  return Result.isFailure(result) ? result.failure : "parsed"
}

const clock = makeZoneClock("America/Los_Angeles", "earlier")!

const utc = (local: LocalDateTime, zone = clock) => {
  const result = zone.toUtcMillis(local)
  return Result.isSuccess(result) ? new Date(result.success).toISOString() : result.failure
}

describe("compileDateTimeFormat", () => {
  it("reads Sacramento's 2006 M/d/yy H:mm, with the century of POSIX %y", () => {
    assert.deepStrictEqual(parts("M/d/yy H:mm", "1/1/06 0:00"), [2006, 1, 1, 0, 0, 0, 0])
    assert.deepStrictEqual(parts("M/d/yy H:mm", "12/31/99 23:59"), [1999, 12, 31, 23, 59, 0, 0])
    assert.deepStrictEqual(parts("M/d/yy H:mm", "10/15/68 7:05"), [2068, 10, 15, 7, 5, 0, 0])
  })

  it("reads 12-hour times: 12 AM is midnight, 12 PM is noon, any case", () => {
    const format = "MM/dd/yyyy h:mm:ss a"
    assert.deepStrictEqual(parts(format, "03/05/2024 12:05:09 AM"), [2024, 3, 5, 0, 5, 9, 0])
    assert.deepStrictEqual(parts(format, "03/05/2024 12:41:55 PM"), [2024, 3, 5, 12, 41, 55, 0])
    assert.deepStrictEqual(parts(format, "03/05/2024 1:00:00 pm"), [2024, 3, 5, 13, 0, 0, 0])
    assert.deepStrictEqual(parts(format, "03/05/2024 11:59:59 Am"), [2024, 3, 5, 11, 59, 59, 0])
  })

  it("reads ISO 8601 with or without an offset, and quoted literals", () => {
    assert.deepStrictEqual(parts("iso", "2024-03-05T14:30:00.250-08:00"), [2024, 3, 5, 14, 30, 0, 250])
    assert.strictEqual(Result.getOrThrow(parse("iso", "2024-03-05 14:30Z")).offsetMinutes, 0)
    assert.strictEqual(Result.getOrThrow(parse("iso", "2024-03-05T14:30:00-08:00")).offsetMinutes, -480)
    assert.strictEqual(Result.getOrThrow(parse("iso", "2024-03-05T14:30:00")).offsetMinutes, undefined)
    assert.deepStrictEqual(parts("yyyy-MM-dd'T'HH:mm:ss.SSS", "2024-03-05T14:30:00.007"), [2024, 3, 5, 14, 30, 0, 7])
    assert.deepStrictEqual(parts("dd.MM.yyyy", "05.03.2024"), [2024, 3, 5, 0, 0, 0, 0])
  })

  it("rejects, with the reason, what is not exactly a real date and time", () => {
    assert.match(failure("MM/dd/yyyy h:mm:ss a", "02/30/2024 10:00:00 AM"), /no day 30 of 2024-02/)
    assert.match(failure("MM/dd/yyyy h:mm:ss a", "13/01/2024 10:00:00 AM"), /no month 13/)
    assert.match(failure("MM/dd/yyyy h:mm:ss a", "03/05/2024 13:00:00 PM"), /hour 13 on a 12-hour clock/)
    assert.match(failure("MM/dd/yyyy h:mm:ss a", "03/05/2024 0:00:00 AM"), /hour 0 on a 12-hour clock/)
    assert.match(failure("M/d/yy H:mm", "1/1/06 24:00"), /no hour 24/)
    assert.match(failure("M/d/yy H:mm", "1/1/06 7:60"), /no minute 60/)
    assert.match(failure("M/d/yy H:mm", "1/1/2006 0:00"), /does not match/)
    assert.match(failure("M/d/yy H:mm", " 1/1/06 0:00"), /does not match/)
    assert.match(failure("MM/dd/yyyy", "3/5/2024"), /does not match/)
    assert.match(failure("iso", "2024-02-29T25:00"), /no hour 25/)
    assert.match(failure("iso", "2023-02-29"), /no day 29 of 2023-02/)
    assert.match(failure("iso", "05/03/2024"), /not an ISO 8601/)
    assert.strictEqual(failure("M/d/yyyy", "2/29/2024"), "parsed")
  })

  it("rejects formats that cannot be read unambiguously, saying why", () => {
    const problem = (format: string) => {
      const compiled = compileDateTimeFormat(format)
      return Result.isFailure(compiled) ? compiled.failure : "compiled"
    }
    assert.match(problem("MM/DD/YYYY"), /"D" at position 4 .* is not a format token/)
    assert.match(problem("MM/dd/yyyy h:mm"), /12-hour clock .* needs AM\/PM/)
    assert.match(problem("MM/dd/yyyy HH:mm a"), /a needs h or hh/)
    assert.match(problem("Md/yyyy"), /M must be followed by a separator/)
    assert.match(problem("MM/dd"), /must give the year/)
    assert.match(problem("yyyy/MM/dd/yy"), /gives the year twice/)
    assert.match(problem("yyyy-MM-dd'T"), /unclosed quote/)
    assert.match(problem("yyyy-MM-dd ss"), /seconds but no minutes/)
    assert.strictEqual(problem("yyyy-MM-dd'T'HH:mm"), "compiled")
  })

  it("writes any real date and time in a format and reads it back unchanged", () => {
    const formats: ReadonlyArray<readonly [string, (d: Date) => string]> = [
      ["M/d/yyyy H:mm:ss", (d) => `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours()}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`],
      ["MM/dd/yyyy hh:mm:ss a", (d) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours() % 12 || 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? "AM" : "PM"}`],
      ["iso", (d) => d.toISOString().slice(0, 19)]
    ]
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2068, 11, 31, 23, 59, 59) }),
        fc.constantFrom(...formats),
        (millis, [format, write]) => {
          const date = new Date(Math.floor(millis / 1000) * 1000)
          assert.deepStrictEqual(parts(format, write(date)), [
            date.getUTCFullYear(),
            date.getUTCMonth() + 1,
            date.getUTCDate(),
            date.getUTCHours(),
            date.getUTCMinutes(),
            date.getUTCSeconds(),
            0
          ])
        }
      )
    )
  })

  it("never accepts a day the calendar does not have", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 2068 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const exists = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day
        assert.strictEqual(Result.isSuccess(parse("M/d/yyyy", `${month}/${day}/${year}`)), exists)
      })
    )
  })
})

const pad = (value: number) => String(value).padStart(2, "0")

const local = (year: number, month: number, day: number, hour: number, minute = 0): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0
})

describe("makeZoneClock", () => {
  it("converts Pacific wall-clock time to UTC, standard and daylight time", () => {
    assert.strictEqual(utc(local(2006, 1, 1, 0)), "2006-01-01T08:00:00.000Z")
    assert.strictEqual(utc(local(2024, 7, 4, 23, 59)), "2024-07-05T06:59:00.000Z")
  })

  it("quarantines a time the clocks skipped, whatever the policy", () => {
    assert.match(utc(local(2024, 3, 10, 2, 30)), /does not exist in America\/Los_Angeles/)
    assert.match(utc(local(2024, 3, 10, 2, 30), makeZoneClock("America/Los_Angeles", "later")!), /does not exist/)
    assert.strictEqual(utc(local(2024, 3, 10, 1, 59)), "2024-03-10T09:59:00.000Z")
    assert.strictEqual(utc(local(2024, 3, 10, 3, 0)), "2024-03-10T10:00:00.000Z")
  })

  it("reads a repeated time as the mapping says: earlier, later, or quarantine", () => {
    const repeated = local(2024, 11, 3, 1, 30)
    assert.strictEqual(utc(repeated), "2024-11-03T08:30:00.000Z")
    assert.strictEqual(utc(repeated, makeZoneClock("America/Los_Angeles", "later")!), "2024-11-03T09:30:00.000Z")
    assert.match(utc(repeated, makeZoneClock("America/Los_Angeles", "quarantine")!), /occurs twice/)
    assert.strictEqual(utc(local(2024, 11, 3, 2, 0)), "2024-11-03T10:00:00.000Z")
  })

  it("gives the local date of an instant, across midnight and DST", () => {
    assert.strictEqual(clock.localDate(Date.parse("2024-07-05T06:59:00Z")), "2024-07-04")
    assert.strictEqual(clock.localDate(Date.parse("2024-07-05T07:00:00Z")), "2024-07-05")
    assert.strictEqual(clock.localDate(Date.parse("2024-01-01T07:59:59Z")), "2023-12-31")
    assert.strictEqual(clock.localDate(Date.parse("2024-11-03T09:30:00Z")), "2024-11-03")
    assert.strictEqual(makeZoneClock("Mars/Olympus_Mons", "earlier"), undefined)
  })

  it("agrees with the runtime's time zone data on every hour of a year", () => {
    const intl = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/Los_Angeles",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric"
    })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 366 * 24 - 1 }), fc.integer({ min: 0, max: 59 }), (hours, minute) => {
        const instant = Date.UTC(2024, 0, 1, 8) + hours * 3_600_000 + minute * 60_000
        const field = (type: string) => Number(intl.formatToParts(instant).find((part) => part.type === type)?.value)
        const expected = local(field("year"), field("month"), field("day"), field("hour"), field("minute"))
        const wall = new Date(clock.wallClockMillis(instant))
        assert.deepStrictEqual(
          local(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes()),
          expected
        )
        assert.strictEqual(clock.localDate(instant), `${field("year")}-${pad(field("month"))}-${pad(field("day"))}`)
        const back = clock.toUtcMillis(expected)
        // In the hour repeated in November the later instant reads back as the earlier one.
        assert.isTrue(Result.isSuccess(back) && (back.success === instant || back.success === instant - 3_600_000))
      }),
      { numRuns: 500 }
    )
  })
})
