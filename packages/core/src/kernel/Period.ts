/**
 * Periods: the spans of time ordinances and statutes give for an act
 * ("within 48 hours", "14 days", "10 business days").
 *
 * @module
 */
import { Schema } from "effect"

/**
 * The unit a rule counts its period in. Each one counts differently (the
 * deadline calculator in `Deadline.ts` documents exactly how):
 *
 * - `hours`: exact elapsed time (Brown Act notices, inspections "within 48 hours").
 * - `calendar-days`: every day counts, weekends and holidays included.
 * - `business-days`: Saturdays, Sundays and the jurisdiction's holidays are skipped.
 */
export const PeriodUnit = Schema.Literals(["hours", "calendar-days", "business-days"])

/** The unit a rule counts its period in; see {@link PeriodUnit}. */
export type PeriodUnit = typeof PeriodUnit.Type

/**
 * What happens when a period counted in days ends on a day the courts are
 * closed:
 *
 * - `as-counted`: nothing; the last day counted is the last day, weekend or
 *   holiday. The default, for a city's own periods whose ordinance counts
 *   plain calendar days.
 * - `next-court-day`: a last day that falls on a Saturday, Sunday or court
 *   holiday moves to the next court day (Code Civ. Proc. 12a; court
 *   holidays are those of Code Civ. Proc. 135 and Gov. Code 6700). Required
 *   for periods the law sets, such as the 20-day court appeal of Gov. Code
 *   53069.4(b)(1); a city may also choose it for its own periods.
 *
 * Court holidays are read from the jurisdiction's `holidays`, so the list
 * must include every court holiday for this rule to be right.
 */
export const LastDayRule = Schema.Literals(["as-counted", "next-court-day"])

/** What happens when a period ends on a day the courts are closed; see {@link LastDayRule}. */
export type LastDayRule = typeof LastDayRule.Type

const courtDayOnHours = "the next-court-day rule (Code Civ. Proc. 12a) applies to periods counted in days, not hours"

/**
 * The longest period accepted, in any unit. No rule comes near it (100,000
 * hours is over 11 years); a larger number is a typo, and counting it day by
 * day would take far too long.
 */
export const MAX_PERIOD_AMOUNT = 100_000

const PeriodAmount = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: MAX_PERIOD_AMOUNT }))

/**
 * A span of time a rule gives for an act, in whole units, e.g.
 * `{ amount: 72, unit: "hours" }` for a regular meeting's agenda (Gov. Code
 * 54954.2) or `{ amount: 30, unit: "calendar-days" }` to obtain permits for a
 * dangerous building (Sacramento City Code 8.96.130). No rule we encode uses
 * a fraction of an hour or of a day, and a fraction of a business day has no
 * meaning. A period the law sets carries `lastDay: "next-court-day"`
 * (see {@link LastDayRule}, {@link statutoryPeriod}).
 */
export const Period = Schema.Union([
  Schema.Struct({ amount: PeriodAmount, unit: Schema.Literal("hours") }),
  Schema.Struct({
    amount: PeriodAmount,
    unit: Schema.Literals(["calendar-days", "business-days"]),
    /**
     * Whether a last day on a weekend or court holiday moves to the next
     * court day; absent means `as-counted`. Periods in hours have no last day.
     */
    lastDay: Schema.optionalKey(LastDayRule)
  })
])

/** A span of time a rule gives for an act; see {@link Period}. */
export type Period = typeof Period.Type

/**
 * The period as the law counts a statutory period: the same amount and unit,
 * with a last day on a Saturday, Sunday or court holiday moved to the next
 * court day (Code Civ. Proc. 12a). Use it where a statute, not the city,
 * sets the period, whatever the configuration says. A period in hours has no
 * last day and is returned as it is.
 *
 * @example
 * ```ts
 * statutoryPeriod({ amount: 20, unit: "calendar-days" })
 * // { amount: 20, unit: "calendar-days", lastDay: "next-court-day" }
 * ```
 */
export const statutoryPeriod = (period: Period): Period =>
  period.unit === "hours" ? period : { ...period, lastDay: "next-court-day" }

/**
 * Why a period cannot be counted, or `undefined` when it can. A decoded
 * {@link Period} always can; this guards values built in code.
 */
export const periodProblem = (
  period: { readonly amount: number; readonly unit?: PeriodUnit; readonly lastDay?: LastDayRule }
): string | undefined => {
  if (period.unit === "hours" && period.lastDay === "next-court-day") return courtDayOnHours
  if (!Number.isInteger(period.amount)) return "the amount must be a whole number"
  if (period.amount < 0) return "the amount must not be negative"
  if (period.amount > MAX_PERIOD_AMOUNT) return `the amount must not exceed ${MAX_PERIOD_AMOUNT}`
  return undefined
}

/**
 * A period that cannot be counted: a negative, fractional or absurdly large
 * amount. Names the rule it was meant to serve so the caller can fix that
 * rule's configuration.
 */
export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  rule: Schema.String,
  amount: Schema.Number,
  unit: PeriodUnit,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid period for ${this.rule}: ${this.reason} (got ${this.amount} ${this.unit})`
  }
}
