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
import { CallChannel, CallType, ProtectedCallReasonCode } from "../kernel/CallForService.ts"
import { CalendarDate } from "../kernel/Holiday.ts"
import { AddressKey, Place } from "../kernel/Place.ts"
import { ChronicNuisanceRule } from "../kernel/ProgramSettings.ts"
import { confidential, personal } from "../kernel/Sensitivity.ts"

/** A call that counted toward the designation. */
export const CountedCall = Schema.Struct({
  /** The call's dedupe key in the calls-for-service store. */
  callKey: Schema.NonEmptyString,
  receivedAt: Schema.DateTimeUtcFromString,
  /** The call's local day. */
  serviceDay: CalendarDate,
  channel: CallChannel,
  callType: CallType
})

/** A call that counted; see {@link CountedCall}. */
export type CountedCall = typeof CountedCall.Type

/**
 * Why a call at the place did not count:
 *
 * - `protected`: the law forbids counting it (Gov. Code 53165, 53165.1;
 *   34 U.S.C. 12495); `protectedReason` says which protection.
 * - `channel-not-counted`: the ordinance counts only some channels.
 * - `category-not-counted`: the call is in none of the categories the ordinance targets.
 * - `same-day`: a rule counting calls on separate days already counted this day.
 */
export const ExclusionCode = Schema.Literals(["protected", "channel-not-counted", "category-not-counted", "same-day"])

/** Why a call did not count; see {@link ExclusionCode}. */
export type ExclusionCode = typeof ExclusionCode.Type

/** One reason a call did not count, with its source (the law, or the setting). */
export const ExclusionReason = Schema.Struct({
  code: ExclusionCode,
  protectedReason: Schema.optionalKey(ProtectedCallReasonCode),
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

/**
 * The evidence that a place met a chronic-nuisance threshold on `asOfDay`.
 * Counted calls are personal (who called a business is not public); the
 * excluded calls are confidential, because a protected call at an address
 * points at a victim.
 */
export const ChronicCallerEvidence = Schema.Struct({
  addressKey: AddressKey,
  place: Place,
  /** The last day of the window the rule looked at, in the jurisdiction's time zone. */
  asOfDay: CalendarDate,
  /** The threshold that was met (the first one in the settings' order, when several are). */
  rule: ChronicNuisanceRule,
  /** The rule in words, e.g. `3 calls within 30 days, on separate days`. */
  ruleDescription: Schema.NonEmptyString,
  counted: personal(Schema.Array(CountedCall)),
  excluded: confidential(Schema.Array(ExcludedCall))
})

/** The evidence behind a chronic-caller finding; see {@link ChronicCallerEvidence}. */
export type ChronicCallerEvidence = typeof ChronicCallerEvidence.Type
