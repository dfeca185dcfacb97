/**
 * The evidence behind an analytics finding that a non-residential place is a
 * chronic (excessive) user of 911: the calls that counted, the calls the law
 * or the ordinance kept out and why, and the threshold that was met. The
 * finding is deterministic: the same calls, places and settings give the
 * same evidence.
 *
 * @module
 */
import { Schema } from "effect"
import { CallCategory, CategoryMatch } from "../calls/Category.ts"
import { CallChannel, CallType, ProtectedCallReasonCode } from "../kernel/CallForService.ts"
import { CalendarDate } from "../kernel/Holiday.ts"
import { AddressKey, Place } from "../kernel/Place.ts"
import { ChronicNuisanceRule, CountableCallCategory } from "../kernel/ProgramSettings.ts"
import { confidential, personal } from "../kernel/Sensitivity.ts"

/** A call that counted toward the designation. */
export const CountedCall = Schema.Struct({
  /** The call's dedupe key in the calls-for-service store. */
  callKey: Schema.NonEmptyString,
  receivedAt: Schema.DateTimeUtcFromString,
  /** The call's local day. */
  serviceDay: CalendarDate,
  channel: CallChannel,
  callType: CallType,
  /**
   * The counted categories the call carries: why the ordinance counts it.
   * Only countable categories: a protected one is refused by the schema
   * (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
   */
  countedAs: Schema.NonEmptyArray(CountableCallCategory),
  /**
   * Every category the call carries, counted or not, so that a command
   * given this evidence can see a protected category next to a counted one
   * and refuse it: evidence is re-checked, never trusted. Optional only so
   * that evidence recorded by earlier versions (in `CaseOpened` events)
   * still decodes; a command given evidence without it is refused.
   */
  categories: Schema.optionalKey(Schema.Array(CallCategory)),
  /**
   * The protections the call's own flags give; a call that counted has none
   * (re-checked on intake). Optional for the same reason as `categories`,
   * and refused when absent.
   */
  protectedReasons: Schema.optionalKey(Schema.Array(ProtectedCallReasonCode)),
  /** Whether the record shows the caller was not a victim nor calling for one; absent when it cannot say. */
  callerNotVictim: Schema.optionalKey(Schema.Boolean),
  /** How the call was cleared, when recorded (re-checked against `uncountedDispositions` on intake). */
  disposition: Schema.optionalKey(Schema.NonEmptyString)
})

/** A call that counted; see {@link CountedCall}. */
export type CountedCall = typeof CountedCall.Type

/**
 * Why a call at the place did not count:
 *
 * - `protected`: the law forbids counting it (Gov. Code 53165, 53165.1;
 *   34 U.S.C. 12495); `protectedReason` says which protection, and
 *   `category` the classification that showed it when a protected category
 *   (rather than the call's own flag) did.
 * - `channel-not-counted`: the ordinance counts only some channels.
 * - `category-not-counted`: the call is in none of the categories the ordinance targets.
 * - `same-day`: a rule counting calls on separate days already counted this day.
 * - `caller-may-be-victim`: the call is in a category where someone may be
 *   the victim (`victimPossibleCategories`) and its record does not show the
 *   caller was neither the victim nor calling for one: it does not count
 *   (Gov. Code 53165; the protection fails closed).
 * - `disposition-not-counted`: the call was cleared as unfounded, cancelled
 *   or a false alarm (the setting `uncountedDispositions`).
 */
export const ExclusionCode = Schema.Literals([
  "protected",
  "channel-not-counted",
  "category-not-counted",
  "same-day",
  "caller-may-be-victim",
  "disposition-not-counted"
])

/** Why a call did not count; see {@link ExclusionCode}. */
export type ExclusionCode = typeof ExclusionCode.Type

/** One reason a call did not count, with its source (the law, or the setting). */
export const ExclusionReason = Schema.Struct({
  code: ExclusionCode,
  protectedReason: Schema.optionalKey(ProtectedCallReasonCode),
  /** The code-table match that put the call in a protected category, when that is the reason. */
  category: Schema.optionalKey(CategoryMatch),
  /** The law or setting that excludes it, e.g. `Gov. Code 53165`. */
  source: Schema.NonEmptyString
})

/** One reason a call did not count; see {@link ExclusionReason}. */
export type ExclusionReason = typeof ExclusionReason.Type

/** A call at the place that did not count, with every reason. */
export const ExcludedCall = Schema.Struct({
  callKey: Schema.NonEmptyString,
  receivedAt: Schema.DateTimeUtcFromString,
  serviceDay: CalendarDate,
  reasons: Schema.NonEmptyArray(ExclusionReason)
})

/** A call that did not count; see {@link ExcludedCall}. */
export type ExcludedCall = typeof ExcludedCall.Type

/** The service days a rule looked at, both ends included, in the jurisdiction's time zone. */
export const RuleWindow = Schema.Struct({
  fromDay: CalendarDate,
  toDay: CalendarDate
})

/** The service days a rule looked at; see {@link RuleWindow}. */
export type RuleWindow = typeof RuleWindow.Type

/**
 * Why a threshold could not apply to the place at all:
 *
 * - `kind-not-covered`: a per-room rate applies only to the kinds of place it
 *   lists (e.g. motels), and this place is another kind.
 * - `rooms-unknown`: a per-room rate needs the place's room count, and the
 *   places registry does not have it; the rate cannot be met until it does.
 */
export const RuleInapplicability = Schema.Literals(["kind-not-covered", "rooms-unknown"])

/** Why a threshold could not apply; see {@link RuleInapplicability}. */
export type RuleInapplicability = typeof RuleInapplicability.Type

/**
 * How one threshold of the ordinance fared at the place: how many counted
 * calls its window held (distinct days, for a rule counting separate days),
 * how many it needs, and whether it was met.
 */
export const RuleCheck = Schema.Struct({
  rule: ChronicNuisanceRule,
  /** The rule in words, with its window, e.g. `3 or more counted calls on separate days within the 30 days 2026-03-02 to 2026-03-31`. */
  description: Schema.NonEmptyString,
  window: RuleWindow,
  /** Counted calls in the window (one per local day when the rule counts separate days). */
  counted: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The least count that meets the rule at this place; absent when the rule cannot apply. */
  needed: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  met: Schema.Boolean,
  inapplicable: Schema.optionalKey(RuleInapplicability)
})

/** How one threshold fared; see {@link RuleCheck}. */
export type RuleCheck = typeof RuleCheck.Type

/**
 * The evidence that a place met a chronic-nuisance threshold on `asOfDay`.
 * Counted calls are personal (who called a business is not public); the
 * excluded calls are confidential, because a protected call at an address
 * points at a victim. `counted` and `excluded` cover the window of the rule
 * that was met; `checks` shows every rule of the settings, met or not.
 */
export const ChronicCallerEvidence = Schema.Struct({
  addressKey: AddressKey,
  place: Place,
  /** The last day of the window the rule looked at, in the jurisdiction's time zone. */
  asOfDay: CalendarDate,
  /** The threshold that was met (the first one in the settings' order, when several are). */
  rule: ChronicNuisanceRule,
  /** The rule in words, e.g. `3 or more counted calls on separate days within the 30 days 2026-03-02 to 2026-03-31`. */
  ruleDescription: Schema.NonEmptyString,
  /** The days the met rule looked at. */
  window: RuleWindow,
  /** Every threshold of the settings, in their order, with its count. */
  checks: Schema.NonEmptyArray(RuleCheck),
  counted: personal(Schema.Array(CountedCall)),
  excluded: confidential(Schema.Array(ExcludedCall))
})

/** The evidence behind a chronic-caller finding; see {@link ChronicCallerEvidence}. */
export type ChronicCallerEvidence = typeof ChronicCallerEvidence.Type

/**
 * The rules a command re-checks chronic-caller evidence against before it
 * acts on it (evidence is never trusted: Gov. Code 53165, 53165.1;
 * 34 U.S.C. 12495):
 *
 * - `rule-in-settings`: the threshold met is one of the jurisdiction's.
 * - `rule-window`: the window is that rule's, ending on the evidence's day.
 * - `counted-once`: no call is counted twice.
 * - `counted-call-not-protected`: no counted call is protected by its own
 *   flags or by a protected category it carries, and none in a category
 *   where someone may be the victim lacks a record that the caller was not.
 * - `counted-channel`: every counted call came by a counted channel.
 * - `counted-category`: every counted call is counted as categories it
 *   carries and the ordinance counts.
 * - `counted-in-window`: every counted call is inside the window.
 * - `counted-disposition`: no counted call was cleared as unfounded,
 *   cancelled or a false alarm (`uncountedDispositions`).
 * - `threshold-met`: the counted calls (one a day, for a rule counting
 *   separate days) meet the rule at this place.
 */
export const EvidenceRule = Schema.Literals([
  "rule-in-settings",
  "rule-window",
  "counted-once",
  "counted-call-not-protected",
  "counted-channel",
  "counted-category",
  "counted-in-window",
  "counted-disposition",
  "threshold-met"
])

/** A rule evidence is re-checked against; see {@link EvidenceRule}. */
export type EvidenceRule = typeof EvidenceRule.Type
