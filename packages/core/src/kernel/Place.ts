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

/** A business or other property where nobody lives (a bar, a motel, a vacant lot). */
export const NonResidentialUse = Schema.TaggedStruct("non-residential", {
  kind: NonResidentialKind,
  /** Rooms or units (a motel's rooms), when known; per-room call-rate rules need it. */
  rooms: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0)))
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
