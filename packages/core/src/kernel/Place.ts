/**
 * Places: the addresses and parcels calls, cases and designations are about,
 * with the land use the nuisance rules depend on.
 *
 * @module
 */
import { Schema } from "effect"
import { Coordinates } from "./Boundary.ts"
import { Districts } from "./Districts.ts"

/**
 * The normalized address that identifies a place across record systems,
 * e.g. `"3555 AUBURN BLVD"`. Normalizing (case, suffixes, unit numbers,
 * block masks such as `23XX`) is the importer's job; the kernel compares keys
 * exactly.
 */
export const AddressKey = Schema.NonEmptyString.check(Schema.isTrimmed())

/** The normalized address that identifies a place; see {@link AddressKey}. */
export type AddressKey = typeof AddressKey.Type

/** The county assessor's parcel number (APN), as the county writes it, e.g. `"001-0123-004-0000"`. */
export const ParcelNumber = Schema.NonEmptyString.check(Schema.isTrimmed())

/** What kind of business or property a non-residential place is. */
export const NonResidentialKind = Schema.Literals([
  "bar",
  "motel-hotel",
  "store",
  "restaurant",
  "vacant-lot",
  "office",
  "industrial",
  "other"
])

/** What kind of business or property a non-residential place is; see {@link NonResidentialKind}. */
export type NonResidentialKind = typeof NonResidentialKind.Type

/** A home: a house, an apartment building, a mobile home park. */
export const ResidentialUse = Schema.TaggedStruct("residential", {
  /** Number of dwelling units, when known. */
  units: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0)))
})

/**
 * What the registry knows of people living at a non-residential place: a
 * motel or hotel whose rooms are let as homes (weekly or monthly, to the
 * same occupants), a business with a caretaker's unit. `rooms` is how many
 * rooms or units are lived in, or `"unknown"` when the registry knows some
 * are but not how many. For the calls-for-service rules such a place is a
 * residence (Gov. Code 53165.1 protects tenancies from any penalty for
 * contacts with law enforcement; 34 U.S.C. 12495): see
 * {@link callsForServiceIneligibility}.
 */
export const LongTermTenancies = Schema.Struct({
  rooms: Schema.Union([Schema.Int.check(Schema.isGreaterThan(0)), Schema.Literal("unknown")])
})

/** What the registry knows of people living at a non-residential place; see {@link LongTermTenancies}. */
export type LongTermTenancies = typeof LongTermTenancies.Type

/**
 * A business or other property where nobody lives (a bar, a motel, a vacant
 * lot), or where the registry records who does (`longTermTenancies`).
 */
export const NonResidentialUse = Schema.TaggedStruct("non-residential", {
  kind: NonResidentialKind,
  /** Rooms or units (a motel's rooms), when known; per-room call-rate rules need it. */
  rooms: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  /** Rooms let as homes, when the registry knows of any; absent when it records none. */
  longTermTenancies: Schema.optionalKey(LongTermTenancies)
})

/** The records do not say what the place is used for. */
export const UnknownUse = Schema.TaggedStruct("unknown", {})

/** What a place is used for: `residential`, `non-residential` (with its kind) or `unknown`. */
export const LandUse = Schema.Union([ResidentialUse, NonResidentialUse, UnknownUse])

/** What a place is used for; see {@link LandUse}. */
export type LandUse = typeof LandUse.Type

/**
 * A place: an address, optionally resolved to a parcel and a point on the
 * map, with its land use and the districts it lies in. Property addresses,
 * parcels and land use are public record, so no field here is marked
 * sensitive; what makes an address sensitive is linking it to a person or a
 * call, and those records mark it themselves.
 */
export const Place = Schema.Struct({
  addressKey: AddressKey,
  parcelNumber: Schema.optionalKey(ParcelNumber),
  coordinates: Schema.optionalKey(Coordinates),
  landUse: LandUse,
  districts: Districts
})

/** A place; see {@link Place}. */
export type Place = typeof Place.Type

/**
 * Whether a place is known to be non-residential, the only kind of place the
 * excessive-calls rules may ever designate. An `unknown` land use is treated
 * as residential: calling for help from one's home may not lead to a nuisance
 * designation (Gov. Code 53165; 34 U.S.C. 12495), so a place is only eligible
 * once the records show nobody lives there.
 */
export const isNonResidential = (place: { readonly landUse: LandUse }): boolean =>
  place.landUse._tag === "non-residential"

/**
 * Why a place may never be the subject of a case based on calls for
 * service (or other contacts with law enforcement), or `undefined` when it
 * may:
 *
 * - `residential`: a home (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
 * - `unknown-land-use`: the records do not show nobody lives there; treated
 *   as a home.
 * - `long-term-tenancies`: a non-residential place (a motel) where the
 *   registry records rooms let as homes. It is a residence for those rooms,
 *   and a call for service records no room number, so no call can be shown
 *   to come from a room that is not a home: the whole place is treated as a
 *   residence (fail closed). Once calls carry the room and the registry
 *   which rooms are tenancies, this may narrow to those rooms.
 */
export type CallsForServiceIneligibility = "residential" | "unknown-land-use" | "long-term-tenancies"

/** See {@link CallsForServiceIneligibility}: the reason a place may not be designated for calls, if any. */
export const callsForServiceIneligibility = (place: { readonly landUse: LandUse }): CallsForServiceIneligibility | undefined => {
  const use = place.landUse
  if (use._tag === "residential") return "residential"
  if (use._tag === "unknown") return "unknown-land-use"
  return use.longTermTenancies === undefined ? undefined : "long-term-tenancies"
}

/**
 * Whether calls for service at a place may ever count toward a nuisance
 * designation: known non-residential, and no rooms let as homes (see
 * {@link callsForServiceIneligibility}).
 */
export const mayBeDesignatedForCalls = (place: { readonly landUse: LandUse }): boolean =>
  callsForServiceIneligibility(place) === undefined
