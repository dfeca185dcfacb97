/**
 * Administrative fines: the most a city may fine for a violation, which
 * grows with each repeat of the same violation within one year of the
 * first, and the check that refuses a citation above it.
 *
 * The basis is Gov. Code 53069.4(a)(1): a city's administrative fine for
 * what would otherwise be an infraction may not exceed the infraction's
 * fine under 36900(b) and (c) (25132 for counties). Repeats are counted per
 * property, responsible person and ordinance, across cases (see
 * `RepeatViolations`).
 *
 * @module
 */
import { DateTime, Option, Result, Schema } from "effect"
import { UnknownTimeZone } from "../kernel/Deadline.ts"
import { defaultCommercialBuildingCap, type FineCaps, type FineSchedule } from "../kernel/ProgramSettings.ts"

/**
 * Which cap schedule a citation falls under: `general` (most ordinance
 * violations, Gov. Code 36900(b); 25132(b) for counties) or
 * `building-and-safety` (building and safety code violations, Gov. Code
 * 36900(c); 25132(c)). The officer states it on the citation.
 */
export const FineScheduleKind = Schema.Literals(["general", "building-and-safety"])

/** Which cap schedule a citation falls under; see {@link FineScheduleKind}. */
export type FineScheduleKind = typeof FineScheduleKind.Type

/**
 * The law whose caps each schedule's setting carries by default: Gov. Code
 * 53069.4(a)(1), which caps an administrative fine at the amounts of the
 * infraction's fine, and the section those amounts are in.
 */
export const fineScheduleLaw: { readonly [K in FineScheduleKind]: string } = {
  "general": "Gov. Code 53069.4(a)(1), at the amounts of 36900(b); 25132(b) for counties",
  "building-and-safety": "Gov. Code 53069.4(a)(1), at the amounts of 36900(c); 25132(c) for counties"
}

/** The law of the commercial building tier (see {@link CommercialBuildingViolation}). */
export const commercialBuildingLaw = "Gov. Code 53069.4(a)(1), at the amounts of 36900(c)(3)(B); 25132(c)(3)(B) for counties"

/** Where the commercial building tier is configured in a jurisdiction. */
export const commercialBuildingSetting = "programs.justiceForNeighbors.fineCaps.commercialBuilding"

/**
 * From which violation within two years of the first the commercial
 * building tier applies: "each additional violation" after the first and
 * the second (Gov. Code 36900(c)(3)(B)), so the third.
 */
export const commercialBuildingFromViolation = 3

/**
 * The officer's statement, on a building and safety citation, that the
 * higher commercial tier may apply (Gov. Code 36900(c)(3)(B)): the property
 * is commercial and had an existing building at the time of the violation,
 * and the violation is due to the owner's failure to remove visible refuse
 * (`visible-refuse`) or to prohibit unauthorized use of the property
 * (`unauthorized-use`). The case does not know a property's use, so the
 * officer states it as they state the schedule; it is recorded on the
 * citation for the hearing officer to review. Without it the tier never
 * applies.
 */
export const CommercialBuildingViolation = Schema.Struct({
  cause: Schema.Literals(["visible-refuse", "unauthorized-use"])
})

/** The officer's statement for the commercial building tier; see {@link CommercialBuildingViolation}. */
export type CommercialBuildingViolation = typeof CommercialBuildingViolation.Type

/** Where each schedule is configured in a jurisdiction. */
export const fineScheduleSetting: { readonly [K in FineScheduleKind]: string } = {
  "general": "programs.justiceForNeighbors.fineCaps.general",
  "building-and-safety": "programs.justiceForNeighbors.fineCaps.buildingAndSafety"
}

/** The configured schedule of a kind. */
export const fineSchedule = (caps: FineCaps, kind: FineScheduleKind): FineSchedule =>
  kind === "general" ? caps.general : caps.buildingAndSafety

/**
 * The cap of the `violationNumber`-th violation (1 for the first) within a
 * schedule's window: the schedule's cap at that position, or its last cap
 * for every further violation (Gov. Code 36900(b): "each additional
 * violation"). A number below 1 is read as the first violation.
 */
export const capForViolation = (schedule: FineSchedule, violationNumber: number): number => {
  const caps = schedule.capsInDollars
  const index = Math.min(Math.max(1, Math.floor(violationNumber)), caps.length) - 1
  return caps[index] ?? caps[caps.length - 1]!
}

// Whole days between two local dates, read from their ISO form so that a
// daylight-saving change in between does not shorten or lengthen a day.
const localDayNumber = (instant: DateTime.Zoned): number => {
  const [year, month, day] = DateTime.formatIsoDate(instant).split("-").map(Number)
  return Date.UTC(year!, month! - 1, day!) / 86_400_000
}

/**
 * Which violation within the window a violation on `at` is, counting from
 * the first violation (Gov. Code 36900(b): "within one year of the first
 * violation"): the violations are taken in date order, a run starts at a
 * first violation and lasts `windowDays` local days from it, and a violation
 * after the run is over starts a new run at 1. With a 365-day window and a
 * first violation on 1 March 2026, one on 1 March 2027 is still the
 * second; one on 2 March 2027 is a first again, even if another fell in
 * between. Dates are local dates in the jurisdiction's time zone.
 * Violations after `at` are ignored.
 *
 * Fails with {@link UnknownTimeZone} when the zone is unknown to the runtime.
 */
export const violationNumberWithin = (
  windowDays: number,
  earlier: ReadonlyArray<DateTime.DateTime>,
  at: DateTime.DateTime,
  timeZone: string
): Result.Result<number, UnknownTimeZone> => {
  const zone = DateTime.zoneMakeNamed(timeZone)
  if (Option.isNone(zone)) {
    return Result.fail(new UnknownTimeZone({ timeZone, rule: "administrative fine window" }))
  }
  const dayOf = (instant: DateTime.DateTime) => localDayNumber(DateTime.setZone(instant, zone.value))
  const days = earlier
    .filter((previous) => DateTime.toEpochMillis(previous) <= DateTime.toEpochMillis(at))
    .map(dayOf)
    .sort((a, b) => a - b)
  let first = Number.NEGATIVE_INFINITY
  let number = 0
  for (const day of [...days, dayOf(at)]) {
    if (day - first > windowDays) {
      first = day
      number = 1
    } else {
      number++
    }
  }
  return Result.succeed(number)
}

/** The cap that applies to one citation, with where it comes from. */
export const FineCap = Schema.Struct({
  schedule: FineScheduleKind,
  /** 1 for the first violation within the window, 2 for the second, ... */
  violationNumber: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  capInDollars: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
  windowDays: Schema.Int.check(Schema.isGreaterThan(0)),
  /** The setting the cap was read from. */
  setting: Schema.String,
  /** The law the setting's default values come from. */
  law: Schema.String
})

/** The cap that applies to one citation; see {@link FineCap}. */
export type FineCap = typeof FineCap.Type

/**
 * The cap of a new violation under a schedule, given the dates of the
 * earlier violations of the same ordinance by the same responsible person
 * at the same property (from every case, not only this one), under Gov.
 * Code 53069.4(a)(1).
 *
 * Under the building and safety schedule, a violation stated as a
 * {@link CommercialBuildingViolation} is capped by the commercial tier
 * (`fineCaps.commercialBuilding`, default $2,500 within 730 days) when it is
 * the third or later within that window of its first and the owner had a
 * reasonable time to correct (`ownerHadTimeToCorrect`: the period to
 * correct of Gov. Code 53069.4(a)(2) ran out); the tier never lowers the
 * schedule's own cap.
 *
 * @example
 * ```ts
 * fineCapFor({ caps: sacramento.programs.justiceForNeighbors.fineCaps, schedule: "general",
 *   earlier: [firstCitation], at: secondCitation, timeZone: "America/Los_Angeles" })
 * // => Result.succeed({ violationNumber: 2, capInDollars: 200, windowDays: 365, ... })
 * ```
 */
export const fineCapFor = (request: {
  readonly caps: FineCaps
  readonly schedule: FineScheduleKind
  readonly earlier: ReadonlyArray<DateTime.DateTime>
  readonly at: DateTime.DateTime
  readonly timeZone: string
  readonly commercialBuilding?: CommercialBuildingViolation | undefined
  readonly ownerHadTimeToCorrect?: boolean | undefined
}): Result.Result<FineCap, UnknownTimeZone> => {
  const schedule = fineSchedule(request.caps, request.schedule)
  return Result.flatMap(
    violationNumberWithin(schedule.windowDays, request.earlier, request.at, request.timeZone),
    (violationNumber): Result.Result<FineCap, UnknownTimeZone> => {
      const ordinary: FineCap = {
        schedule: request.schedule,
        violationNumber,
        capInDollars: capForViolation(schedule, violationNumber),
        windowDays: schedule.windowDays,
        setting: fineScheduleSetting[request.schedule],
        law: fineScheduleLaw[request.schedule]
      }
      if (request.schedule !== "building-and-safety" || request.commercialBuilding === undefined || request.ownerHadTimeToCorrect !== true) {
        return Result.succeed(ordinary)
      }
      const tier = request.caps.commercialBuilding ?? defaultCommercialBuildingCap
      return Result.map(violationNumberWithin(tier.windowDays, request.earlier, request.at, request.timeZone), (withinTier) =>
        withinTier >= commercialBuildingFromViolation && tier.capInDollars > ordinary.capInDollars
          ? {
            schedule: request.schedule,
            violationNumber: withinTier,
            capInDollars: tier.capInDollars,
            windowDays: tier.windowDays,
            setting: commercialBuildingSetting,
            law: commercialBuildingLaw
          }
          : ordinary)
    }
  )
}

/**
 * A citation's amount is above the cap for its violation: names the cap,
 * which violation within the window it is, the window, the schedule and the
 * setting and law the cap comes from (Gov. Code 53069.4(a)(1); 36900; 25132).
 */
export class FineAboveCap extends Schema.TaggedError<FineAboveCap>()("FineAboveCap", {
  rule: Schema.Literal("fine-cap"),
  citationNumber: Schema.String,
  amountInDollars: Schema.Finite,
  cap: FineCap
}) {
  override get message(): string {
    return `Citation ${this.citationNumber}: $${this.amountInDollars} is above the $${this.cap.capInDollars} cap of ` +
      `violation ${this.cap.violationNumber} within ${this.cap.windowDays} days (${this.cap.setting}; ${this.cap.law})`
  }
}

/** Accepts an amount at or below the cap; refuses one above it with {@link FineAboveCap}. */
export const checkFine = (
  citationNumber: string,
  amountInDollars: number,
  cap: FineCap
): Result.Result<FineCap, FineAboveCap> =>
  amountInDollars <= cap.capInDollars
    ? Result.succeed(cap)
    : Result.fail(new FineAboveCap({ rule: "fine-cap", citationNumber, amountInDollars, cap }))
