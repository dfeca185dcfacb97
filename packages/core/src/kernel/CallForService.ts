/**
 * Calls for service: the records of a computer-aided dispatch (CAD) system,
 * one per call or officer-initiated event, as an importer maps them from a
 * city's export.
 *
 * @module
 */
import { Schema } from "effect"
import { Districts } from "./Districts.ts"
import { AddressKey, Place } from "./Place.ts"
import { confidential, personal, sensitiveWhen } from "./Sensitivity.ts"

/**
 * How a call reached the police:
 *
 * - `911`: an emergency call.
 * - `non-emergency`: the non-emergency line, 311 forwarding, online reports.
 * - `officer-initiated`: an officer's own stop or observation ("on view").
 * - `other`: anything else the export records (alarms, other agencies).
 */
export const CallChannel = Schema.Literals(["911", "non-emergency", "officer-initiated", "other"])

/** How a call reached the police; see {@link CallChannel}. */
export type CallChannel = typeof CallChannel.Type

/** The call type as the city's CAD codes it, e.g. `{ code: "415", description: "DISTURBANCE-CLARIFY" }`. */
export const CallType = Schema.Struct({
  code: Schema.NonEmptyString,
  description: Schema.String
})

/** The call type as the city's CAD codes it; see {@link CallType}. */
export type CallType = typeof CallType.Type

/**
 * Where a call was for, when the record gives its address: the address as
 * the import normalized it and, when the import could match it, the place it
 * resolved to (same address key).
 */
export const AddressedLocation = Schema.Struct({
  addressKey: AddressKey,
  place: Schema.optionalKey(Place)
}).check(
  Schema.makeFilter((location) =>
    location.place === undefined || location.place.addressKey === location.addressKey
      ? undefined
      : { path: ["place", "addressKey"], issue: `must equal the call's address key "${location.addressKey}"` }
  )
)

/** Where a call was for, by address; see {@link AddressedLocation}. */
export type AddressedLocation = typeof AddressedLocation.Type

/**
 * Why a call has no address:
 *
 * - `not-in-export`: the export has no address column at all (Seattle's
 *   public Call Data gives only precinct, sector, beat and blurred
 *   coordinates).
 * - `blank`: the row's address is blank: withheld (cities blank victims'
 *   addresses, Gov. Code 6205 ff.) or never recorded; the record cannot say
 *   which, so neither is assumed.
 */
export const AddressUnknownReason = Schema.Literals(["not-in-export", "blank"])

/** Why a call has no address; see {@link AddressUnknownReason}. */
export type AddressUnknownReason = typeof AddressUnknownReason.Type

/**
 * Where a call was for when the record gives no address: only the areas it
 * lies in (beat, districts, neighborhood), as the row gives them or as the
 * jurisdiction's boundaries place its coordinates. No coordinates are kept:
 * where an address was withheld, a point would give it away.
 *
 * Such a call counts in every total and in area, category and channel
 * counts, but it is at no place: never in calls by address, repeat
 * locations or concentration, and never toward a place's nuisance count.
 */
export const UnaddressedLocation = Schema.Struct({
  addressUnknown: AddressUnknownReason,
  districts: Districts
})

/** Where a call without an address was for; see {@link UnaddressedLocation}. */
export type UnaddressedLocation = typeof UnaddressedLocation.Type

/**
 * Where a call was for: at an address ({@link AddressedLocation}), or, when
 * the record gives none, only in its areas ({@link UnaddressedLocation}).
 * Read it with {@link locationAddressKey} and {@link locationDistricts}.
 */
export const CallLocation = Schema.Union([AddressedLocation, UnaddressedLocation])

/** Where a call was for; see {@link CallLocation}. */
export type CallLocation = typeof CallLocation.Type

/** The address key of a call's location, or `undefined` when the call has no address (it is then at no place). */
export const locationAddressKey = (location: CallLocation): AddressKey | undefined =>
  "addressKey" in location ? location.addressKey : undefined

/** The place a call's location resolved to, or `undefined` (no address, or an address the import could not place). */
export const locationPlace = (location: CallLocation): Place | undefined =>
  "addressKey" in location ? location.place : undefined

/** The districts a call counts in: its place's, or an unaddressed call's own; `undefined` when unknown. */
export const locationDistricts = (location: CallLocation): Districts | undefined =>
  "addressKey" in location ? location.place?.districts : location.districts

const protectionFlags = ["domesticViolenceOrVictimization", "medical", "fireOrEms", "callerIsVictim"] as const

/**
 * Whether a call's JSON encoding (a `CallForService`'s) sets any of the
 * four protection flags: what {@link protectedCallReasons} reads, for
 * redaction, which works on encoded values.
 */
export const isProtectedCallEncoding = (encoded: unknown): boolean =>
  typeof encoded === "object" && encoded !== null &&
  protectionFlags.some((flag) => (encoded as Readonly<Record<string, unknown>>)[flag] === true)

/**
 * One call for service. The four protection flags carry what the law's
 * exclusions need to know; an importer sets them from call types and
 * dispositions as the city configures.
 *
 * Sensitivity: the location is personal because it is where someone called
 * from or about (often a home); the victimization and caller-is-victim flags
 * are confidential because, with the location, they point at a victim; the
 * medical and fire/EMS flags are personal health information. The call type
 * of a protected call (any flag set) is confidential too: "DOMESTIC
 * VIOLENCE" says what the hidden flag hides (Gov. Code 53165; Safe at Home,
 * Gov. Code 6205 ff.). An unprotected call's type is public.
 */
export const CallForService = sensitiveWhen(Schema.Struct({
  /** The record's id in the source system, e.g. Sacramento's `Record_ID`. */
  sourceRecordId: Schema.NonEmptyString,
  /** When the call was received, stored in UTC and written as an ISO 8601 string. */
  receivedAt: Schema.DateTimeUtcFromString,
  channel: CallChannel,
  callType: CallType,
  /** The dispatch priority as the city writes it (`"1"`, `"P2"`), when recorded. */
  priority: Schema.optionalKey(Schema.NonEmptyString),
  location: personal(CallLocation),
  /** How the call was cleared, e.g. `"REPORT TAKEN"`, when recorded. */
  disposition: Schema.optionalKey(Schema.NonEmptyString),
  /** The call reported domestic violence, elder abuse, trafficking, sexual assault, stalking or another crime against someone. */
  domesticViolenceOrVictimization: confidential(Schema.Boolean),
  /** The call was for a medical emergency. */
  medical: personal(Schema.Boolean),
  /** Fire or emergency medical services were summoned. */
  fireOrEms: personal(Schema.Boolean),
  /** The caller was the victim of the reported crime or abuse. */
  callerIsVictim: confidential(Schema.Boolean),
  /**
   * The record shows the caller was neither a victim of the reported crime
   * nor calling for one (a victim column, or a disposition that says so);
   * absent when the export cannot say. A call where someone may be the
   * victim counts toward a nuisance designation only when this is `true`
   * (Gov. Code 53165; see `victimPossibleCategories`).
   */
  callerNotVictim: Schema.optionalKey(confidential(Schema.Boolean))
}), (encoded) => (isProtectedCallEncoding(encoded) ? [{ path: ["callType"], sensitivity: "confidential" }] : []))

/** One call for service; see {@link CallForService}. */
export type CallForService = typeof CallForService.Type

/** Why a call is protected from counting toward a nuisance designation. */
export const ProtectedCallReasonCode = Schema.Literals([
  "domestic-violence-or-victimization",
  "medical-emergency",
  "fire-or-ems",
  "caller-is-victim",
  "crime-against-premises"
])

/** Why a call is protected; see {@link ProtectedCallReasonCode}. */
export type ProtectedCallReasonCode = typeof ProtectedCallReasonCode.Type

/**
 * One reason a call must never count toward a nuisance designation, with the
 * law that makes it so. Analytics log these for every call they exclude.
 */
export const ProtectedCallReason = Schema.Struct({
  reason: ProtectedCallReasonCode,
  source: Schema.NonEmptyString
})

/** One reason a call must never count; see {@link ProtectedCallReason}. */
export type ProtectedCallReason = typeof ProtectedCallReason.Type

/**
 * Every reason why a call must never count toward a nuisance designation or
 * any other penalty; empty when none applies. These are hard exclusions of
 * law, not configuration:
 *
 * - Gov. Code 53165 and 53165.1 forbid penalizing anyone, including by
 *   designating a nuisance property, because police or emergency help was
 *   summoned by or for a victim of abuse or crime or a person in an emergency.
 * - 34 U.S.C. 12495 (VAWA 2022) protects the right to seek police or
 *   emergency help, for oneself or another, without penalty.
 */
export const protectedCallReasons = (
  call: Pick<CallForService, "domesticViolenceOrVictimization" | "medical" | "fireOrEms" | "callerIsVictim">
): ReadonlyArray<ProtectedCallReason> => {
  const reasons: Array<ProtectedCallReason> = []
  if (call.domesticViolenceOrVictimization) {
    reasons.push({
      reason: "domestic-violence-or-victimization",
      source: "Gov. Code 53165, 53165.1 (help summoned for a victim of abuse or crime); 34 U.S.C. 12495"
    })
  }
  if (call.medical) {
    reasons.push({
      reason: "medical-emergency",
      source: "Gov. Code 53165 (help summoned for a person in an emergency); 34 U.S.C. 12495"
    })
  }
  if (call.fireOrEms) {
    reasons.push({
      reason: "fire-or-ems",
      source: "Gov. Code 53165 (emergency assistance summoned); 34 U.S.C. 12495"
    })
  }
  if (call.callerIsVictim) {
    reasons.push({
      reason: "caller-is-victim",
      source: "Gov. Code 53165, 53165.1 (call by a victim); 34 U.S.C. 12495"
    })
  }
  return reasons
}
