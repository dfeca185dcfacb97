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
 * The longest period accepted, in any unit. No rule comes near it (100,000
 * hours is over 11 years); a larger number is a typo, and counting it day by
 * day would take far too long.
 */
export const MAX_PERIOD_AMOUNT = 100_000

/**
 * A span of time a rule gives for an act, in whole units, e.g.
 * `{ amount: 72, unit: "hours" }` for a regular meeting's agenda (Gov. Code
 * 54954.2) or `{ amount: 30, unit: "calendar-days" }` to obtain permits for a
 * dangerous building (Sacramento City Code 8.96.130). No rule we encode uses
 * a fraction of an hour or of a day, and a fraction of a business day has no
 * meaning.
 */
export const Period = Schema.Struct({
  amount: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: MAX_PERIOD_AMOUNT })),
  unit: PeriodUnit
})

/** A span of time a rule gives for an act; see {@link Period}. */
export type Period = typeof Period.Type

/**
 * Why a period cannot be counted, or `undefined` when it can. A decoded
 * {@link Period} always can; this guards values built in code.
 */
export const periodProblem = (period: { readonly amount: number }): string | undefined => {
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
