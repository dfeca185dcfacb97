import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  type BusinessCalendar,
  computeDeadline,
  computeLatestNotice,
  type Deadline,
  Deadline as DeadlineSchema,
  courtHolidaysOf,
  isBusinessDay,
  type Period,
  Period as PeriodSchema,
  sacramento,
  statutoryPeriod
} from "../../src/kernel/index.ts"

const zone = "America/Los_Angeles"
const local = (text: string): DateTime.Zoned => DateTime.makeZonedUnsafe(text, { timeZone: zone, adjustForTimeZone: true })
const iso = (instant: DateTime.Zoned): string => DateTime.formatIsoZoned(instant)
const millis = DateTime.toEpochMillis

const deadline = (start: DateTime.DateTime, period: Period, calendar: BusinessCalendar = sacramento): Deadline => {
  const result = computeDeadline({ start, period, rule: "test rule" }, calendar)
  if (Result.isFailure(result)) assert.fail(result.failure.message)
  return result.success
}

describe("computeDeadline (examples)", () => {
  it("given a Friday start, when 48 hours pass over the spring-forward night, then the wall clock shows an hour later", () => {
    const due = deadline(local("2026-03-06T10:00:00"), { amount: 48, unit: "hours" }).due
    assert.strictEqual(iso(due), "2026-03-08T11:00:00.000-07:00[America/Los_Angeles]")
  })

  it("counts calendar days to the end of the last local day, the start day excluded", () => {
    const result = deadline(local("2026-03-02T09:15:00"), { amount: 14, unit: "calendar-days" })
    assert.strictEqual(iso(result.due), "2026-03-16T23:59:59.999-07:00[America/Los_Angeles]")
    assert.strictEqual(result.rule, "test rule")
    assert.deepStrictEqual(result.period, { amount: 14, unit: "calendar-days" })
  })

  it("reads the start's date in the jurisdiction's zone, not in UTC", () => {
    // 07:30 UTC on 7 March is still 6 March in Sacramento.
    const result = deadline(DateTime.makeUnsafe("2026-03-07T07:30:00Z"), { amount: 1, unit: "calendar-days" })
    assert.strictEqual(iso(result.start), "2026-03-06T23:30:00.000-08:00[America/Los_Angeles]")
    assert.strictEqual(iso(result.due), "2026-03-07T23:59:59.999-08:00[America/Los_Angeles]")
  })

  it("zero calendar days is the end of the same day (same-day hazard inspection)", () => {
    const due = deadline(local("2026-07-04T15:00:00"), { amount: 0, unit: "calendar-days" }).due
    assert.strictEqual(iso(due), "2026-07-04T23:59:59.999-07:00[America/Los_Angeles]")
  })

  it("given Thanksgiving and the day after as holidays, 10 business days from 18 Nov end on 4 Dec", () => {
    const due = deadline(local("2026-11-18T16:45:00"), { amount: 10, unit: "business-days" }).due
    assert.strictEqual(iso(due), "2026-12-04T23:59:59.999-08:00[America/Los_Angeles]")
  })

  it("given a calendar without the day after Thanksgiving, the same count ends a day earlier", () => {
    const calendar = { timeZone: zone, holidays: [{ date: "2026-11-26" }] }
    const due = deadline(local("2026-11-18T16:45:00"), { amount: 10, unit: "business-days" }, calendar).due
    assert.strictEqual(iso(due), "2026-12-03T23:59:59.999-08:00[America/Los_Angeles]")
  })

  it("zero business days from a Saturday is the end of Monday; from a Tuesday, the end of Tuesday", () => {
    assert.strictEqual(
      iso(deadline(local("2026-05-23T10:00:00"), { amount: 0, unit: "business-days" }).due),
      "2026-05-26T23:59:59.999-07:00[America/Los_Angeles]" // Monday 25 May is Memorial Day
    )
    assert.strictEqual(
      iso(deadline(local("2026-06-02T10:00:00"), { amount: 0, unit: "business-days" }).due),
      "2026-06-02T23:59:59.999-07:00[America/Los_Angeles]"
    )
  })

  it("rejects a negative amount with InvalidPeriod naming the rule", () => {
    const result = computeDeadline(
      { start: local("2026-01-05T09:00:00"), period: { amount: -1, unit: "calendar-days" }, rule: "compliance" },
      sacramento
    )
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.strictEqual(result.failure._tag, "InvalidPeriod")
      assert.include(result.failure.message, "compliance")
    }
  })

  it("rejects a fraction of a day with InvalidPeriod", () => {
    const result = computeDeadline(
      { start: local("2026-01-05T09:00:00"), period: { amount: 1.5, unit: "business-days" }, rule: "reinspection" },
      sacramento
    )
    assert.isTrue(Result.isFailure(result) && result.failure._tag === "InvalidPeriod")
  })

  it("rejects an unknown time zone with UnknownTimeZone", () => {
    const result = computeDeadline(
      { start: local("2026-01-05T09:00:00"), period: { amount: 1, unit: "hours" }, rule: "inspection" },
      { timeZone: "Mars/Olympus_Mons", holidays: [] }
    )
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result) && result.failure._tag === "UnknownTimeZone") {
      assert.strictEqual(result.failure.timeZone, "Mars/Olympus_Mons")
    } else {
      assert.fail("expected UnknownTimeZone")
    }
  })

  it("encodes a deadline to JSON and back", () => {
    const value = deadline(local("2026-03-06T10:00:00"), { amount: 48, unit: "hours" })
    const codec = Schema.toCodecJson(DeadlineSchema)
    const json = Schema.encodeSync(codec)(value)
    const back = Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(json)))
    assert.strictEqual(millis(back.due), millis(value.due))
    assert.strictEqual(iso(back.due), iso(value.due))
  })
})

describe("computeDeadline (Code Civ. Proc. 12a: statutory periods end on a court day)", () => {
  const twentyDays: Period = { amount: 20, unit: "calendar-days" }
  const cases = [
    { served: "2026-06-13T10:00:00", plain: "2026-07-03", extended: "2026-07-06", offset: "-07:00", why: "Independence Day observed, then a weekend" },
    { served: "2026-10-22T10:00:00", plain: "2026-11-11", extended: "2026-11-12", offset: "-08:00", why: "Veterans Day" },
    { served: "2026-06-29T10:00:00", plain: "2026-07-19", extended: "2026-07-20", offset: "-07:00", why: "a Sunday" }
  ] as const
  for (const { served, plain, extended, offset, why } of cases) {
    it(`given service on ${served.slice(0, 10)}, 20 days end on ${plain} (${why}), so the statutory period runs to ${extended}`, () => {
      assert.strictEqual(DateTime.formatIsoDate(deadline(local(served), twentyDays).due), plain)
      const result = deadline(local(served), statutoryPeriod(twentyDays))
      assert.strictEqual(iso(result.due), `${extended}T23:59:59.999${offset}[America/Los_Angeles]`)
      assert.deepStrictEqual(result.period, { amount: 20, unit: "calendar-days", lastDay: "next-court-day" })
    })
  }

  it("a statutory period whose last day is a court day is not moved", () => {
    const due = deadline(local("2026-03-02T09:15:00"), { amount: 14, unit: "calendar-days", lastDay: "next-court-day" }).due
    assert.strictEqual(DateTime.formatIsoDate(due), "2026-03-16")
  })

  it("a period that says \"as-counted\" keeps its plain calendar last day, weekend or holiday", () => {
    const due = deadline(local("2026-06-29T10:00:00"), { amount: 20, unit: "calendar-days", lastDay: "as-counted" }).due
    assert.strictEqual(DateTime.formatIsoDate(due), "2026-07-19")
  })

  it("refuses the court-day rule on a period counted in hours (built in code, unchecked) with InvalidPeriod", () => {
    const unchecked = { amount: 48, unit: "hours", lastDay: "next-court-day" } as unknown as Period
    const result = computeDeadline(
      { start: local("2026-01-05T09:00:00"), period: unchecked, rule: "inspection" },
      sacramento
    )
    assert.isTrue(Result.isFailure(result) && result.failure._tag === "InvalidPeriod")
  })

  it("the period schema, read strictly as a configuration is, refuses the court-day rule on hours and accepts it on days", () => {
    const decode = Schema.decodeUnknownResult(PeriodSchema, { onExcessProperty: "error" })
    assert.isTrue(Result.isFailure(decode({ amount: 48, unit: "hours", lastDay: "next-court-day" })))
    assert.isTrue(Result.isSuccess(decode({ amount: 20, unit: "calendar-days", lastDay: "next-court-day" })))
    assert.isTrue(Result.isSuccess(decode({ amount: 20, unit: "calendar-days" })))
    assert.deepStrictEqual(statutoryPeriod({ amount: 4, unit: "hours" }), { amount: 4, unit: "hours" })
  })
})

describe("computeLatestNotice", () => {
  it("given a regular meeting after spring-forward, the 72-hour agenda is due 72 real hours before", () => {
    const result = computeLatestNotice(local("2026-03-10T18:00:00"), 72)
    assert.isTrue(Result.isSuccess(result))
    if (Result.isSuccess(result)) {
      // 17:00 PST, not 18:00: the clocks moved forward in between.
      assert.strictEqual(iso(result.success), "2026-03-07T17:00:00.000-08:00[America/Los_Angeles]")
    }
  })

  it("rejects negative notice hours", () => {
    const result = computeLatestNotice(local("2026-03-10T18:00:00"), -24)
    assert.isTrue(Result.isFailure(result) && result.failure._tag === "InvalidPeriod")
  })
})

// Properties ------------------------------------------------------------------

const MIN_START = Date.parse("2000-01-01T00:00:00Z")
const MAX_START = Date.parse("2040-12-31T00:00:00Z")
const HOUR = 3_600_000

const startArb = fc.integer({ min: MIN_START, max: MAX_START }).map((ms) => DateTime.makeUnsafe(ms))
const unitArb = fc.constantFrom<Period["unit"]>("hours", "calendar-days", "business-days")
const periodArb = fc.record({ amount: fc.integer({ min: 0, max: 400 }), unit: unitArb })
const zoneArb = fc.constantFrom("America/Los_Angeles", "America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC")

// Holidays clustered after the start so they actually get in the way.
const calendarAfter = (start: DateTime.Utc) =>
  fc.record({
    timeZone: zoneArb,
    holidays: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 30 }).map((offsets) =>
      offsets.map((days) => ({ date: DateTime.formatIsoDateUtc(DateTime.add(start, { days })) }))
    )
  })

describe("computeDeadline (properties)", () => {
  it("a deadline never precedes its start", () => {
    fc.assert(
      fc.property(
        startArb.chain((start) => fc.tuple(fc.constant(start), periodArb, calendarAfter(start))),
        ([start, period, calendar]) => millis(deadline(start, period, calendar).due) >= millis(start)
      )
    )
  })

  it("a business-day deadline never lands on a weekend or a holiday", () => {
    fc.assert(
      fc.property(
        startArb.chain((start) =>
          fc.tuple(fc.constant(start), fc.integer({ min: 0, max: 60 }), calendarAfter(start))
        ),
        ([start, amount, calendar]) => {
          const due = deadline(start, { amount, unit: "business-days" }, calendar).due
          const weekDay = DateTime.toParts(due).weekDay
          const date = DateTime.formatIsoDate(due)
          return weekDay !== 0 && weekDay !== 6 && !calendar.holidays.some((holiday) => holiday.date === date) &&
            isBusinessDay(due, calendar.holidays)
        }
      )
    )
  })

  it("daylight-saving transitions do not shift hour-based deadlines", () => {
    const transitions = ["2026-03-08T10:00:00Z", "2026-11-01T09:00:00Z"].map(Date.parse)
    fc.assert(
      fc.property(
        fc.constantFrom(...transitions),
        fc.integer({ min: -96 * HOUR, max: 24 * HOUR }),
        fc.integer({ min: 0, max: 200 }),
        (transition, offset, hours) => {
          const start = DateTime.makeZonedUnsafe(transition + offset, { timeZone: zone })
          const result = deadline(start, { amount: hours, unit: "hours" })
          const notice = computeLatestNotice(start, hours)
          return millis(result.due) - millis(start) === hours * HOUR &&
            Result.isSuccess(notice) && millis(start) - millis(notice.success) === hours * HOUR
        }
      )
    )
  })

  it("a calendar-day deadline ends at the last millisecond of the local day N days after the start's date", () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 400 }), zoneArb, (start, amount, timeZone) => {
        const result = deadline(start, { amount, unit: "calendar-days" }, { timeZone, holidays: [] })
        const startParts = DateTime.toParts(result.start)
        const expectedDate = new Date(Date.UTC(startParts.year, startParts.month - 1, startParts.day + amount))
        const dueParts = DateTime.toParts(result.due)
        const nextInstant = DateTime.setZone(DateTime.makeUnsafe(millis(result.due) + 1), result.due.zone)
        return DateTime.formatIsoDate(result.due) === expectedDate.toISOString().slice(0, 10) &&
          dueParts.hour === 23 && dueParts.minute === 59 && dueParts.second === 59 &&
          dueParts.millisecond === 999 && DateTime.toParts(nextInstant).day !== dueParts.day
      })
    )
  })

  it("a longer business-day period is never due earlier", () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 10 }), (start, amount, more) => {
        const shorter = deadline(start, { amount, unit: "business-days" }).due
        const longer = deadline(start, { amount: amount + more, unit: "business-days" }).due
        return millis(longer) >= millis(shorter)
      })
    )
  })
  it("a statutory deadline never ends on a weekend or court holiday, never before the plain calendar deadline, and only skips days the court is closed", () => {
    fc.assert(
      fc.property(
        startArb.chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 0, max: 60 }), calendarAfter(start))),
        ([start, amount, calendar]) => {
          const plain = deadline(start, { amount, unit: "calendar-days" }, calendar).due
          const statutory = deadline(start, statutoryPeriod({ amount, unit: "calendar-days" }), calendar).due
          if (!isBusinessDay(statutory, calendar.holidays) || millis(statutory) < millis(plain)) return false
          for (let day = plain; DateTime.formatIsoDate(day) !== DateTime.formatIsoDate(statutory); day = DateTime.add(day, { days: 1 })) {
            if (isBusinessDay(day, calendar.holidays)) return false
          }
          return true
        }
      )
    )
  })

  it("counts a statutory period's last day past the court holidays, and business days past the city's holidays", () => {
    // 20 days from 23 January 2026 end on Thursday 12 February, Lincoln Day: the courts are closed, the city is open.
    const start = DateTime.makeUnsafe("2026-01-23T18:00:00Z")
    const statutory = deadline(start, statutoryPeriod({ amount: 20, unit: "calendar-days" }), sacramento).due
    assert.strictEqual(DateTime.formatIso(DateTime.toUtc(statutory)), "2026-02-14T07:59:59.999Z")
    // Ten business days from Friday 30 January count 12 February, a day the city works: they end on Friday 13 February.
    const business = deadline(DateTime.makeUnsafe("2026-01-30T18:00:00Z"), { amount: 10, unit: "business-days" }, sacramento).due
    assert.strictEqual(DateTime.formatIsoDate(business), "2026-02-13")
    // Without court holidays, the city's holidays stand for them.
    const { courtHolidays: _dropped, ...cityOnly } = sacramento
    assert.strictEqual(DateTime.formatIsoDate(deadline(start, statutoryPeriod({ amount: 20, unit: "calendar-days" }), cityOnly).due), "2026-02-12")
  })

  it("with a real court calendar, a statutory deadline is at most four days after the plain one (Thanksgiving Thursday to Monday)", () => {
    const in2026 = fc.integer({ min: Date.parse("2025-12-01T00:00:00Z"), max: Date.parse("2026-11-30T00:00:00Z") })
      .map((ms) => DateTime.makeUnsafe(ms))
    fc.assert(
      fc.property(in2026, fc.integer({ min: 0, max: 30 }), (start, amount) => {
        const plain = deadline(start, { amount, unit: "calendar-days" }).due
        const statutory = deadline(start, statutoryPeriod({ amount, unit: "calendar-days" })).due
        const days = (millis(statutory) - millis(plain)) / (24 * HOUR)
        return isBusinessDay(statutory, courtHolidaysOf(sacramento)) && days >= 0 && days <= 4
      })
    )
  })
})
