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
 * Why a period cannot be used, or `undefined` when it can: the amount must be
 * a finite number of at least zero, and a whole number when it counts days
 * (there is no "half a business day" in any rule we encode).
 */
export const periodProblem = (period: { readonly amount: number; readonly unit: PeriodUnit }): string | undefined => {
  if (!Number.isFinite(period.amount)) return "the amount must be a finite number"
  if (period.amount < 0) return "the amount must not be negative"
  if (period.unit !== "hours" && !Number.isInteger(period.amount)) {
    return `a period in ${period.unit} must be a whole number of days`
  }
  return undefined
}

/**
 * A span of time a rule gives for an act, e.g. `{ amount: 72, unit: "hours" }`
 * for a regular meeting's agenda (Gov. Code 54954.2) or
 * `{ amount: 30, unit: "calendar-days" }` to obtain permits for a dangerous
 * building (Sacramento City Code 8.96.130).
 */
export const Period = Schema.Struct({
  amount: Schema.Number,
  unit: PeriodUnit
}).check(
  Schema.makeFilter((period) => {
    const problem = periodProblem(period)
    return problem === undefined ? undefined : { path: ["amount"], issue: problem }
  })
)

/** A span of time a rule gives for an act; see {@link Period}. */
export type Period = typeof Period.Type

/**
 * A period that cannot be counted: a negative or non-finite amount, or a
 * fraction of a day. Names the rule it was meant to serve so the caller can
 * fix that rule's configuration.
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
