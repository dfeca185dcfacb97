/**
 * The settings of the four programs a jurisdiction runs. Every number,
 * window and threshold the programs apply lives here, as data a city can
 * change; the doc comment of each setting names where its usual value comes
 * from. There are no defaults: a configuration states every value, so none
 * can pass for law unseen (an unverified one belongs in the jurisdiction's
 * `assumptions`).
 *
 * @module
 */
import { Schema } from "effect"
import { CallCategory, protectedCategories } from "../calls/Category.ts"
import { CallChannel } from "./CallForService.ts"
import { distinctBy, Slug } from "./Identifier.ts"
import { Period } from "./Period.ts"
import { NonResidentialKind } from "./Place.ts"
import { Role } from "./Role.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))
const Percent = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 100 }))
const Dollars = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))

// ---------------------------------------------------------------------------
// Justice for Neighbors
// ---------------------------------------------------------------------------

/**
 * The kinds of cases a Justice for Neighbors team works (Sacramento's program
 * since 2006): illegal dumping, squatters, absent landlords, dangerous
 * buildings, irresponsible business owners, high-volume non-residential users
 * of 911 (a problem bar, a motel), and other blight.
 */
export const NuisanceCategory = Schema.Literals([
  "illegal-dumping",
  "squatters",
  "absent-landlord",
  "dangerous-building",
  "irresponsible-business-owner",
  "excessive-calls-for-service",
  "blight"
])

/** A kind of case a Justice for Neighbors team works; see {@link NuisanceCategory}. */
export type NuisanceCategory = typeof NuisanceCategory.Type

/**
 * The time to obtain permits and begin work on a dangerous building when a
 * jurisdiction sets none: 30 calendar days from the date of the order
 * (Sacramento City Code 8.96.130(B)(3)).
 */
export const defaultDangerousBuildingStart: Period = { amount: 30, unit: "calendar-days" }

/** The periods of the code enforcement workflow, each counted by the deadline calculator. */
export const CodeEnforcementPeriods = Schema.Struct({
  /** From intake to the first inspection. Typical: 48 hours. */
  inspection: Period,
  /** From intake to the inspection of an immediate hazard. Typical: the same day (0 calendar days). */
  hazardInspection: Period,
  /**
   * Time to comply after a notice of violation, counted from its service,
   * for every category. Typical: 14 days. A dangerous building's notice and
   * order sets its own completion date instead (`completeBy`, Sacramento
   * City Code 8.96.130(B)(3)), so its entry here is not read for the notice.
   */
  compliance: Schema.Record(NuisanceCategory, Period),
  /**
   * Time to obtain permits AND begin work on a dangerous building, counted
   * from the date of the notice and order (not its service): 30 calendar
   * days in Sacramento (City Code 8.96.130(B)(3)), the default
   * ({@link defaultDangerousBuildingStart}) when absent. A city sets its own
   * ordinance's period; it cannot move the start from the order's date.
   */
  dangerousBuildingStart: Schema.optionalKey(Period),
  /**
   * Time to appeal a final administrative order or decision to the superior
   * court: 20 days after service (Gov. Code 53069.4(b)(1)). A statutory
   * period, so a last day on a Saturday, Sunday or court holiday always
   * moves to the next court day (Code Civ. Proc. 12a): the case applies the
   * rule whether or not the setting states it, and a setting that says
   * `lastDay: "as-counted"` is rejected.
   */
  courtAppeal: Period.check(Schema.makeFilter(
    (period) =>
      !("lastDay" in period) || period.lastDay !== "as-counted" ||
      "the court appeal is a statutory period: its last day moves to the next court day (Code Civ. Proc. 12a), so lastDay cannot be \"as-counted\"",
    { expected: "a period whose last day moves to the next court day (Code Civ. Proc. 12a)" }
  )),
  /**
   * Time to pay an invoice of the city's abatement costs before the unpaid
   * balance may be recorded as a lien on the property. Set by local
   * ordinance (Gov. Code 38773.1 and 38773.5 let a city make abatement costs
   * a lien or a special assessment); 30 days is a common choice.
   */
  costPayment: Period,
  /**
   * The least time between notice of a nuisance abatement lien to the owner
   * of record and the lien's recording: the notice says the lien will be
   * recorded on or after the day after this period ends, and the case
   * refuses to record it before. Gov. Code 38773.1 requires notice before
   * recording but sets no period, so the period is the city's choice; when
   * absent, {@link DEFAULT_LIEN_NOTICE_PERIOD} (10 calendar days). Counted
   * in days (calendar or business), never hours, because the notice gives
   * a date. It runs from service, or, when the owner could not be found,
   * from the end of the 10 days of posting and of the publication.
   */
  lienNotice: Schema.optionalKey(Period.check(Schema.makeFilter(
    (period) => period.unit !== "hours" || "the lien notice gives a date, so its period is counted in days, not hours",
    { expected: "a period in calendar or business days" }
  ))),
  /**
   * Time for the owner to request a hearing, counted from service of the
   * notice that gives the right to one (the notice of public nuisance, or
   * an administrative citation). Set by local ordinance: Gov. Code
   * 53069.4(a) leaves the administrative hearing procedure to the city;
   * 10 to 15 days is common. A request after it is refused.
   */
  hearingRequest: Period,
  /**
   * The least notice of a hearing date: the hearing may not be set sooner
   * than this after service of the hearing notice. Due process requires
   * notice reasonably in advance of the hearing (Mullane v. Central Hanover
   * Bank & Trust Co. (1950) 339 U.S. 306); the number is the city's
   * ordinance or practice, 10 days being typical.
   */
  hearingNotice: Period,
  /**
   * Time to serve notice of a summary abatement on the owner after the
   * city abated an imminent hazard without notice first. Set by local
   * ordinance (the city's summary abatement provision); the costs are not
   * invoiced before that notice.
   */
  postAbatementNotice: Period
})

/**
 * The notice period before a lien is recorded when a city sets none: 10
 * calendar days. The library's choice, not the law's (Gov. Code 38773.1
 * sets no period); see `CodeEnforcementPeriods.lienNotice`.
 */
export const DEFAULT_LIEN_NOTICE_PERIOD: Period = { amount: 10, unit: "calendar-days" }

/** The periods of the code enforcement workflow; see {@link CodeEnforcementPeriods}. */
export type CodeEnforcementPeriods = typeof CodeEnforcementPeriods.Type

/**
 * The most an administrative fine may be for repeated violations: the cap
 * for the first, second, third... violation within the window; the last cap
 * applies to every further violation. Caps never decrease.
 */
export const FineSchedule = Schema.Struct({
  capsInDollars: Schema.NonEmptyArray(Dollars).check(
    Schema.makeFilter(
      (caps) =>
        caps.flatMap((cap, index) => {
          const previous = index === 0 ? undefined : caps[index - 1]
          return previous !== undefined && cap < previous
            ? [{ path: [index], issue: `a cap must not be lower than the one before it (${previous})` }]
            : []
        }),
      // Short generated schedules are often in order; long random ones almost never.
      { arbitraryConstraint: { maxLength: 2 } }
    )
  ),
  /** The window in which violations count as repeats: one year (365 days) under Gov. Code 36900. */
  windowDays: PositiveInt
})

/** The caps of an administrative fine for repeated violations; see {@link FineSchedule}. */
export type FineSchedule = typeof FineSchedule.Type

/**
 * The higher cap of a further building and safety violation on commercial
 * property: up to $2,500 for each additional violation (the third and
 * later) of the same ordinance within two years of the first, when the
 * property is commercial with an existing building and the violation is
 * due to the owner's failure to remove visible refuse or to prohibit
 * unauthorized use of the property (Gov. Code 36900(c)(3)(B); 25132(c)(3)(B)
 * for counties).
 */
export const CommercialBuildingCap = Schema.Struct({
  /** The cap: $2,500 under the statute; a city's ordinance may set less. */
  capInDollars: Dollars,
  /** How long after the first violation a violation still counts: two years (730 days). */
  windowDays: PositiveInt
})

/** The commercial building tier; see {@link CommercialBuildingCap}. */
export type CommercialBuildingCap = typeof CommercialBuildingCap.Type

/**
 * The commercial building tier when a city sets none: the statute's $2,500
 * within two years (730 days) of the first violation (Gov. Code
 * 36900(c)(3)(B)).
 */
export const defaultCommercialBuildingCap: CommercialBuildingCap = { capInDollars: 2500, windowDays: 730 }

/**
 * The administrative fine caps, general and for building and safety codes.
 * Gov. Code 53069.4(a)(1) caps a city's administrative fines for what would
 * otherwise be an infraction at the infraction's fines of 36900 (25132 for
 * counties); these are those amounts.
 */
export const FineCaps = Schema.Struct({
  /** Most violations: $100, $200, $500 within one year of the first (Gov. Code 36900(b); 25132(b) for counties). */
  general: FineSchedule,
  /** Building and safety code violations: $130, $700, $1,300 within one year of the first (Gov. Code 36900(c); 25132(c)). */
  buildingAndSafety: FineSchedule,
  /**
   * A further building and safety violation on commercial property: $2,500
   * within two years of the first (Gov. Code 36900(c)(3)(B)). Absent:
   * {@link defaultCommercialBuildingCap}.
   */
  commercialBuilding: Schema.optionalKey(CommercialBuildingCap)
})

/** The administrative fine caps; see {@link FineCaps}. */
export type FineCaps = typeof FineCaps.Type

/**
 * A place is a chronic nuisance once `count` counted calls fall within
 * `windowDays` days; with `separateDays`, calls on the same local day count
 * once. Examples: Milwaukee, 3 in 30 days on separate days; Portland 14B.60,
 * 3 in 30 days; Forest Grove, OR, tiers 2 in 30, 3 in 90, 4 in 365 (three
 * rules).
 */
export const CountInWindowRule = Schema.TaggedStruct("count-in-window", {
  count: PositiveInt,
  windowDays: PositiveInt,
  separateDays: Schema.Boolean
})

/** A count-in-window threshold; see {@link CountInWindowRule}. */
export type CountInWindowRule = typeof CountInWindowRule.Type

/**
 * A place with rooms (a motel) is a chronic nuisance once its counted calls
 * per room over the period are above `callsPerRoom`. Example: Chula Vista,
 * at most 0.50 calls per room per year (Chula Vista Municipal Code ch. 5.39).
 * An annual rate applied month by month, as Costa Mesa's, is a
 * {@link PerRoomMonthlyAllotmentRule}, not this rule with `per: "month"`.
 */
export const PerRoomRateRule = Schema.TaggedStruct("per-room-rate", {
  callsPerRoom: Schema.Finite.check(Schema.isGreaterThan(0)),
  per: Schema.Literals(["month", "year"]),
  /** The kinds of place the rate applies to, e.g. `["motel-hotel"]`. */
  appliesTo: Schema.NonEmptyArray(NonResidentialKind).check(
    Schema.isUnique(),
    Schema.isMaxLength(NonResidentialKind.literals.length)
  )
})

/** A per-room call-rate threshold; see {@link PerRoomRateRule}. */
export type PerRoomRateRule = typeof PerRoomRateRule.Type

/**
 * A place with rooms (a motel) is a chronic nuisance once its counted calls
 * in a calendar month exceed its monthly allotment: `rooms ×
 * callsPerRoomPerYear / 12`, the annual rate per room spread over twelve
 * months. The allotment is exact, never rounded: 232 rooms at 0.4 a year
 * get 7.73 calls a month ("about 8"), so 8 calls exceed it. The month is the
 * calendar month of the day of the scan, from its first day to that day, so
 * a month's excess is found by any scan from the day it happens to the
 * month's last day; calls of earlier months never count.
 *
 * Example: Costa Mesa Municipal Code Title 14, Chapter VI (Ord. 14-01,
 * 2014), an allotment of 0.4 calls per room per year applied as a monthly
 * allotment (some press reports say "per month"; the arithmetic of the
 * adopted allotments says per year).
 */
export const PerRoomMonthlyAllotmentRule = Schema.TaggedStruct("per-room-monthly-allotment", {
  /** The annual rate per room; a month's allotment is rooms × this / 12. */
  callsPerRoomPerYear: Schema.Finite.check(Schema.isGreaterThan(0)),
  /** The kinds of place the allotment applies to, e.g. `["motel-hotel"]`. */
  appliesTo: Schema.NonEmptyArray(NonResidentialKind).check(
    Schema.isUnique(),
    Schema.isMaxLength(NonResidentialKind.literals.length)
  )
})

/** A per-room annual rate applied as a monthly allotment; see {@link PerRoomMonthlyAllotmentRule}. */
export type PerRoomMonthlyAllotmentRule = typeof PerRoomMonthlyAllotmentRule.Type

/** One threshold of the chronic nuisance ordinance; meeting any one of them is enough. */
export const ChronicNuisanceRule = Schema.Union([CountInWindowRule, PerRoomRateRule, PerRoomMonthlyAllotmentRule])

/** One threshold of the chronic nuisance ordinance; see {@link ChronicNuisanceRule}. */
export type ChronicNuisanceRule = typeof ChronicNuisanceRule.Type

/**
 * A call category an excessive-calls ordinance may count: any category but
 * the protected ones (`domestic-violence`, `victimization`, `medical`,
 * `fire-ems`), whose calls the law forbids counting toward a nuisance
 * designation (Gov. Code 53165, 53165.1; 34 U.S.C. 12495). A configuration
 * naming a protected category is refused, not silently corrected.
 */
export const CountableCallCategory = CallCategory.check(
  Schema.makeFilter(
    (category: CallCategory) =>
      protectedCategories.includes(category)
        ? `"${category}" is a protected category: calls in it never count toward a nuisance designation (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)`
        : undefined,
    { toJsonSchema: () => ({ not: { enum: [...protectedCategories] } }) }
  )
).pipe(
  // The check above names the refused category in its message; decoding into
  // the countable literals lets generated test data hold only those, instead
  // of discarding four values in ten.
  Schema.decodeTo(Schema.Literals(CallCategory.literals.filter((category) => !protectedCategories.includes(category))))
)

/** A call category an ordinance may count; see {@link CountableCallCategory}. */
export type CountableCallCategory = typeof CountableCallCategory.Type

/**
 * The dispositions whose calls never count when a city sets no
 * `uncountedDispositions`: a call the police cleared as unfounded, cancelled
 * (either spelling) or a false alarm showed no nuisance activity, so it is
 * no evidence of one. Source: the program's rule (issue 10, "protections
 * fail closed"), not a statute, hence a setting; the list is the city's to
 * extend with its CAD's own codes. Matched on whole words at the start of the disposition,
 * ignoring case and punctuation: `CANCELED BY CALLER` and
 * `FALSE ALARM-NO REPORT` match, `ARREST MADE` does not.
 */
export const defaultUncountedDispositions: ReadonlyArray<string> = ["UNFOUNDED", "CANCELLED", "CANCELED", "FALSE ALARM"]

/**
 * The excessive-calls (chronic nuisance) ordinance. Whatever it says, only
 * non-residential places are ever designated and protected calls never
 * count (Gov. Code 53165; 34 U.S.C. 12495): those are law, not settings.
 */
export const ChronicNuisanceSettings = Schema.Struct({
  /** The thresholds; a place meeting any one is a chronic nuisance. Empty: the city designates none. */
  rules: Schema.Array(ChronicNuisanceRule),
  /** The channels whose calls count, e.g. `["911", "non-emergency"]`. */
  countedChannels: Schema.NonEmptyArray(CallChannel).check(
    Schema.isUnique(),
    Schema.isMaxLength(CallChannel.literals.length)
  ),
  /**
   * The categories whose calls count: the "nuisance activities" the
   * ordinance lists, e.g. `["disorder", "nuisance", "drug-trade"]`. A call
   * counts when it carries at least one of them and is not protected; a
   * call with no category never counts. Protected categories are refused
   * (see {@link CountableCallCategory}).
   */
  countedCategories: Schema.NonEmptyArray(CountableCallCategory).check(
    Schema.isUnique(),
    Schema.isMaxLength(CallCategory.literals.length - protectedCategories.length)
  ),
  /**
   * Dispositions whose calls never count, matched on whole words at the
   * start of the call's disposition, ignoring case and punctuation. Absent:
   * {@link defaultUncountedDispositions} (unfounded, cancelled, false alarm).
   * A city whose CAD writes these otherwise (`UNF`, `CXL`) lists its own
   * codes; a call with no disposition recorded is not excluded by this list.
   */
  uncountedDispositions: Schema.optionalKey(Schema.Array(Schema.NonEmptyString))
})

/** The excessive-calls ordinance; see {@link ChronicNuisanceSettings}. */
export type ChronicNuisanceSettings = typeof ChronicNuisanceSettings.Type

/**
 * The duties of the nuisance case workflow, each granted to roles by
 * {@link CaseDuties}; every command of a case needs one of them:
 *
 * - `take-intake`: open a case for a complaint, a referral or a finding, and triage it.
 * - `inspect`: inspect and reinspect the property.
 * - `serve-notice`: serve the case's documents (owner letter, notices,
 *   hearing notice, abatement order, cost invoice, lien notice).
 * - `grant-extension`: give more time to comply, with the reason.
 * - `work-with-owner`: meet the owner and agree or review an abatement plan.
 * - `issue-citation`: issue an administrative citation (a fine).
 * - `attach-police-evidence`: attach police reports and other police evidence.
 * - `record-hearing`: record hearing decisions, court appeals and court decisions.
 * - `abate`: record the city's abatement of the nuisance and its cost.
 * - `summary-abatement`: abate an imminent hazard at once, before any notice
 *   or hearing (notice follows after the fact). A power to grant narrowly:
 *   the officials the city's ordinance names (its building official or code
 *   enforcement officers, its fire marshal).
 * - `record-payment`: record payments of fines and costs.
 * - `file-civil-action`: file a civil action and record its outcome.
 * - `close-case`: close a case at the end of cost recovery or civil action.
 * - `comment`: add a comment to a case.
 */
export const CaseDuty = Schema.Literals([
  "take-intake",
  "inspect",
  "serve-notice",
  "grant-extension",
  "work-with-owner",
  "issue-citation",
  "attach-police-evidence",
  "record-hearing",
  "abate",
  "summary-abatement",
  "record-payment",
  "file-civil-action",
  "close-case",
  "comment"
])

/** A duty of the nuisance case workflow; see {@link CaseDuty}. */
export type CaseDuty = typeof CaseDuty.Type

/**
 * Which roles carry out each duty of a nuisance case. The 2016 platform's
 * team: the code enforcement officer inspects and serves notices, the
 * police sergeant brings police evidence, the city attorney files civil
 * actions; a city whose team differs (a neighborhood prosecutor instead of
 * the city attorney) grants the duties to its own roles. A role listed
 * twice for a duty is harmless, so the lists are not checked for repeats.
 */
export const CaseDuties = Schema.Record(CaseDuty, Schema.NonEmptyArray(Role))

/** Which roles carry out each duty of a nuisance case; see {@link CaseDuties}. */
export type CaseDuties = typeof CaseDuties.Type

/** Justice for Neighbors: one multi-agency team per council district working nuisance cases. */
export const JusticeForNeighborsSettings = Schema.Struct({
  /**
   * The seats of each district team, by role; a role may repeat. The 2016
   * platform: a city attorney, a police sergeant, a code enforcement officer.
   */
  teamSeats: Schema.NonEmptyArray(Role),
  /** Which roles carry out each duty of a nuisance case. */
  caseDuties: CaseDuties,
  periods: CodeEnforcementPeriods,
  fineCaps: FineCaps,
  chronicNuisance: ChronicNuisanceSettings
})

/** Justice for Neighbors settings; see {@link JusticeForNeighborsSettings}. */
export type JusticeForNeighborsSettings = typeof JusticeForNeighborsSettings.Type

// ---------------------------------------------------------------------------
// Problem-Oriented Policing
// ---------------------------------------------------------------------------

/**
 * How patrol time must be split for officers to have time to solve problems
 * (ICMA's "rule of 60"): calls for service take at most 60% of patrol time;
 * below 40% discretionary time, problem solving breaks down.
 */
export const PopSettings = Schema.Struct({
  /** Most of patrol time that calls for service may take, in percent: 60. */
  patrolWorkloadCeilingPercent: Percent,
  /** Least discretionary patrol time, in percent: 40. */
  discretionaryTimeFloorPercent: Percent
}).check(
  Schema.makeFilter((pop) =>
    pop.patrolWorkloadCeilingPercent + pop.discretionaryTimeFloorPercent <= 100
      ? undefined
      : {
        path: ["discretionaryTimeFloorPercent"],
        issue: `a workload ceiling of ${pop.patrolWorkloadCeilingPercent}% leaves less than ${pop.discretionaryTimeFloorPercent}% discretionary time`
      }
  )
)

/** Problem-Oriented Policing settings; see {@link PopSettings}. */
export type PopSettings = typeof PopSettings.Type

// ---------------------------------------------------------------------------
// Neighborhood Prosecutor
// ---------------------------------------------------------------------------

/** A named item of a configured list, e.g. a focus area or an evaluation dimension. */
export const NamedItem = Schema.Struct({
  id: Slug,
  name: Schema.NonEmptyString
})

/** A named item of a configured list; see {@link NamedItem}. */
export type NamedItem = typeof NamedItem.Type

/**
 * The area each neighborhood prosecutor is assigned to. Los Angeles (2002):
 * one deputy city attorney per LAPD division, i.e. per police district.
 */
export const ProsecutorAssignment = Schema.Literals(["police-district", "council-district", "neighborhood"])

/** The area each neighborhood prosecutor is assigned to; see {@link ProsecutorAssignment}. */
export type ProsecutorAssignment = typeof ProsecutorAssignment.Type

/** The Neighborhood Prosecutor pilot: prosecutors based in the community, following problems until solved. */
export const NeighborhoodProsecutorSettings = Schema.Struct({
  assignment: ProsecutorAssignment,
  /** The problems the pilot targets; Sacramento's: gang activity, drug trade, human trafficking, domestic violence. */
  focusAreas: Schema.NonEmptyArray(NamedItem).check(distinctBy("id", "focus area")),
  /**
   * The evaluation framework the dimensions come from, e.g. "BJA, NCJ 192826"
   * (7 dimensions) or "APA/CCI, NCJ 237038" (5 goals).
   */
  evaluationFramework: Schema.NonEmptyString,
  evaluationDimensions: Schema.NonEmptyArray(NamedItem).check(distinctBy("id", "evaluation dimension"))
})

/** Neighborhood Prosecutor settings; see {@link NeighborhoodProsecutorSettings}. */
export type NeighborhoodProsecutorSettings = typeof NeighborhoodProsecutorSettings.Type

// ---------------------------------------------------------------------------

/** The settings of every program the jurisdiction runs. */
export const ProgramSettings = Schema.Struct({
  justiceForNeighbors: JusticeForNeighborsSettings,
  pop: PopSettings,
  neighborhoodProsecutor: NeighborhoodProsecutorSettings
})

/** The settings of every program; see {@link ProgramSettings}. */
export type ProgramSettings = typeof ProgramSettings.Type
