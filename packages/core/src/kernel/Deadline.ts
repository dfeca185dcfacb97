/**
 * Deadlines: when an act a rule requires is due, counted from a start in the
 * jurisdiction's own calendar (its time zone and its holidays).
 *
 * @module
 */
import { DateTime, Option, Result, Schema } from "effect"
import { InvalidPeriod, Period, periodProblem } from "./Period.ts"

/**
 * The calendar a deadline is counted on: the IANA time zone whose wall clock
 * and dates the rules mean, the holidays business days skip (the days the
 * city's offices are closed), and the court holidays a statutory period's
 * last day moves past (Code Civ. Proc. 12a; `holidays` when absent). A
 * validated `Jurisdiction` is one.
 */
export interface BusinessCalendar {
  readonly timeZone: string
  readonly holidays: ReadonlyArray<{ readonly date: string }>
  /** The judicial holidays (Code Civ. Proc. 135); the city's `holidays` when absent. */
  readonly courtHolidays?: ReadonlyArray<{ readonly date: string }> | undefined
}

/** The days a calendar's courts are closed besides weekends: its court holidays, else its holidays. */
export const courtHolidaysOf = (calendar: BusinessCalendar): ReadonlyArray<{ readonly date: string }> =>
  calendar.courtHolidays ?? calendar.holidays

/**
 * The calendar named a time zone the runtime does not know, so no local date
 * or wall-clock time can be computed. Carries the zone and the rule being
 * counted.
 */
export class UnknownTimeZone extends Schema.TaggedError<UnknownTimeZone>()("UnknownTimeZone", {
  timeZone: Schema.String,
  rule: Schema.String
}) {
  override get message(): string {
    return `Unknown time zone "${this.timeZone}" while computing ${this.rule}`
  }
}

/**
 * When an act is due under a rule: the rule's name (e.g.
 * `"Gov. Code 54954.2 agenda posting"`), the start it was counted from, the
 * period, and the due instant, both instants in the jurisdiction's zone.
 * The act is on time if done at or before `due`.
 */
export const Deadline = Schema.Struct({
  rule: Schema.String,
  start: Schema.DateTimeZoned,
  due: Schema.DateTimeZoned,
  period: Period
})

/** When an act is due under a rule; see {@link Deadline}. */
export type Deadline = typeof Deadline.Type

/** What to count: from when, for how long, and for which rule. */
export interface DeadlineRequest {
  readonly start: DateTime.DateTime
  readonly period: Period
  readonly rule: string
}

/**
 * Whether a day is a business day: not a Saturday, not a Sunday, not one of
 * the holidays. The day is read in the zone the instant carries, so zone it
 * in the jurisdiction's time zone first.
 */
export const isBusinessDay = (day: DateTime.Zoned, holidays: ReadonlyArray<{ readonly date: string }>): boolean => {
  const weekDay = DateTime.toParts(day).weekDay
  if (weekDay === 0 || weekDay === 6) return false
  const date = DateTime.formatIsoDate(day)
  return !holidays.some((holiday) => holiday.date === date)
}

// Day stepping starts from local noon: time zones change their clocks at
// night, so adding whole days to noon never lands on a skipped or repeated
// hour that could push the count onto the wrong date.
const localNoon = (instant: DateTime.Zoned): DateTime.Zoned =>
  DateTime.setParts(instant, { hour: 12, minute: 0, second: 0, millisecond: 0 })

const nextDay = (day: DateTime.Zoned): DateTime.Zoned => DateTime.add(day, { days: 1 })

// Code Civ. Proc. 12a: a last day on a Saturday, Sunday or court holiday
// moves to the next court day (a business-day count may end on a day the
// city is open and the courts are not: Lincoln Day).
const nextCourtDay = (day: DateTime.Zoned, holidays: ReadonlyArray<{ readonly date: string }>): DateTime.Zoned => {
  let court = localNoon(day)
  while (!isBusinessDay(court, holidays)) court = nextDay(court)
  return DateTime.endOf(court, "day")
}

const dueAfter = (start: DateTime.Zoned, period: Period, calendar: BusinessCalendar): DateTime.Zoned => {
  const due = countedDue(start, period, calendar.holidays)
  return "lastDay" in period && period.lastDay === "next-court-day" ? nextCourtDay(due, courtHolidaysOf(calendar)) : due
}

const countedDue = (
  start: DateTime.Zoned,
  period: Period,
  holidays: ReadonlyArray<{ readonly date: string }>
): DateTime.Zoned => {
  switch (period.unit) {
    case "hours":
      return DateTime.add(start, { hours: period.amount })
    case "calendar-days":
      return DateTime.endOf(DateTime.add(localNoon(start), { days: period.amount }), "day")
    case "business-days": {
      let day = localNoon(start)
      for (let counted = 0; counted < period.amount;) {
        day = nextDay(day)
        if (isBusinessDay(day, holidays)) counted++
      }
      // After a count of one or more, the day is already a business day. With
      // zero, "the same business day" moves a start on a weekend or holiday
      // to the next day the city is open.
      while (!isBusinessDay(day, holidays)) day = nextDay(day)
      return DateTime.endOf(day, "day")
    }
  }
}

/**
 * Computes when an act is due under a rule.
 *
 * Each unit counts differently. Day counts exclude the start day and include
 * the last day in full, as Code Civ. Proc. 12 reads periods. A period with
 * `lastDay: "next-court-day"` (a statutory period, see `statutoryPeriod`)
 * then moves a last day that falls on a Saturday, Sunday or one of the
 * calendar's court holidays (`courtHolidays`, else `holidays`) to the next
 * day that is none of these (Code Civ. Proc. 12a); without it, the last day
 * counted is the last day.
 *
 * - `hours`: exactly that much elapsed time after the start. A daylight-saving
 *   change does not shift it: 72 hours is 72 × 3,600 s of real time, even if
 *   the wall clock moved by an hour in between.
 * - `calendar-days`: the end of the local day (23:59:59.999) N days after the
 *   start's local date, weekends and holidays included. Zero means the end of
 *   the start day ("same day").
 * - `business-days`: the end of the Nth business day after the start's local
 *   date, skipping Saturdays, Sundays and the calendar's holidays, so the due
 *   date is always a business day. Zero means the end of the start day if it
 *   is a business day, else of the next business day.
 *
 * Fails with {@link InvalidPeriod} for a negative, fractional or too large
 * amount or for the court-day rule on hours, and with {@link UnknownTimeZone}
 * when the calendar's zone is unknown.
 *
 * @example
 * ```ts
 * computeDeadline(
 *   { start: noticeServed, period: { amount: 14, unit: "calendar-days" }, rule: "compliance after notice of violation" },
 *   jurisdiction
 * )
 * ```
 */
export const computeDeadline = (
  request: DeadlineRequest,
  calendar: BusinessCalendar
): Result.Result<Deadline, InvalidPeriod | UnknownTimeZone> => {
  const { period, rule } = request
  const problem = periodProblem(period)
  if (problem !== undefined) {
    return Result.fail(new InvalidPeriod({ rule, amount: period.amount, unit: period.unit, reason: problem }))
  }
  const zone = DateTime.zoneMakeNamed(calendar.timeZone)
  if (Option.isNone(zone)) {
    return Result.fail(new UnknownTimeZone({ timeZone: calendar.timeZone, rule }))
  }
  const start = DateTime.setZone(request.start, zone.value)
  return Result.succeed({ rule, start, due: dueAfter(start, period, calendar), period })
}

/**
 * The latest time a notice can be given for a meeting that requires `hours`
 * of notice: exactly that much real time before the meeting starts, e.g. the
 * agenda of a regular meeting posted at least 72 hours before (Gov. Code
 * 54954.2), a special meeting's notice 24 hours before (Gov. Code 54956).
 * The result keeps the meeting's time zone.
 *
 * Fails with {@link InvalidPeriod} for a negative, fractional or too large
 * number of hours.
 */
export const computeLatestNotice = <A extends DateTime.DateTime>(
  meetingStart: A,
  hours: number
): Result.Result<A, InvalidPeriod> => {
  const problem = periodProblem({ amount: hours })
  if (problem !== undefined) {
    return Result.fail(
      new InvalidPeriod({ rule: "notice before a meeting", amount: hours, unit: "hours", reason: problem })
    )
  }
  return Result.succeed(DateTime.subtract(meetingStart, { hours }))
}
