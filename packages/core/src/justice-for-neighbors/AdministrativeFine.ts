/**
 * Administrative fines: the most a city may fine for a violation, which
 * grows with each repeat of the same violation within the window, and the
 * check that refuses a citation above it.
 *
 * @module
 */
import { DateTime, Option, Result, Schema } from "effect"
import { UnknownTimeZone } from "../kernel/Deadline.ts"
import type { FineCaps, FineSchedule } from "../kernel/ProgramSettings.ts"

/**
 * Which cap schedule a citation falls under: `general` (most ordinance
 * violations, Gov. Code 36900(b); 25132(b) for counties) or
 * `building-and-safety` (building and safety code violations, Gov. Code
 * 36900(c); 25132(c)). The officer states it on the citation.
 */
export const FineScheduleKind = Schema.Literals(["general", "building-and-safety"])

/** Which cap schedule a citation falls under; see {@link FineScheduleKind}. */
export type FineScheduleKind = typeof FineScheduleKind.Type

/** The law whose caps each schedule's setting carries by default. */
export const fineScheduleLaw: { readonly [K in FineScheduleKind]: string } = {
  "general": "Gov. Code 36900(b); 25132(b) for counties",
  "building-and-safety": "Gov. Code 36900(c); 25132(c) for counties"
}

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
 * Which violation within the window a violation on `at` is: 1 plus the
 * number of earlier violations whose local date is at most `windowDays` days
 * before `at`'s local date, in the jurisdiction's time zone. With a 365-day
 * window, a violation on 1 March 2027 still repeats one on 1 March 2026; one
 * on 2 March 2027 starts again at 1. Violations after `at` are ignored.
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
  const day = localDayNumber(DateTime.setZone(at, zone.value))
  const repeats = earlier.filter((previous) => {
    if (DateTime.toEpochMillis(previous) > DateTime.toEpochMillis(at)) return false
    const gap = day - localDayNumber(DateTime.setZone(previous, zone.value))
    return gap <= windowDays
  }).length
  return Result.succeed(repeats + 1)
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
 * earlier violations of the same ordinance.
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
}): Result.Result<FineCap, UnknownTimeZone> => {
  const schedule = fineSchedule(request.caps, request.schedule)
  return Result.map(
    violationNumberWithin(schedule.windowDays, request.earlier, request.at, request.timeZone),
    (violationNumber) => ({
      schedule: request.schedule,
      violationNumber,
      capInDollars: capForViolation(schedule, violationNumber),
      windowDays: schedule.windowDays,
      setting: fineScheduleSetting[request.schedule],
      law: fineScheduleLaw[request.schedule]
    })
  )
}

/**
 * A citation's amount is above the cap for its violation: names the cap,
 * which violation within the window it is, the window, the schedule and the
 * setting and law the cap comes from (Gov. Code 36900; 25132).
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
