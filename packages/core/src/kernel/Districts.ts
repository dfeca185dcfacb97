/**
 * Which districts a point lies in: the council district, police district and
 * beat, and neighborhood whose boundaries contain it.
 *
 * @module
 */
import { Schema } from "effect"
import { AreaId, type Beat, type CouncilDistrict, type Neighborhood, type PoliceDistrict } from "./Area.ts"
import { boundaryContains, type Coordinates } from "./Boundary.ts"

/**
 * The districts a place lies in, by id. Each is omitted when unknown: the
 * record did not say and no configured boundary contains the place.
 */
export const Districts = Schema.Struct({
  councilDistrict: Schema.optionalKey(AreaId),
  policeDistrict: Schema.optionalKey(AreaId),
  beat: Schema.optionalKey(AreaId),
  neighborhood: Schema.optionalKey(AreaId)
})

/** The districts a place lies in; see {@link Districts}. */
export type Districts = typeof Districts.Type

/** The areas a lookup searches; a `Jurisdiction` is one. */
export interface DistrictMap {
  readonly councilDistricts: ReadonlyArray<CouncilDistrict>
  readonly policeDistricts: ReadonlyArray<PoliceDistrict>
  readonly neighborhoods: ReadonlyArray<Neighborhood>
}

const firstContaining = <A extends { readonly boundary?: CouncilDistrict["boundary"] }>(
  areas: ReadonlyArray<A>,
  point: Coordinates
): A | undefined => areas.find((area) => area.boundary !== undefined && boundaryContains(area.boundary, point))

const beatContaining = (
  districts: ReadonlyArray<PoliceDistrict>,
  point: Coordinates
): { readonly district: PoliceDistrict; readonly beat: Beat } | undefined => {
  for (const district of districts) {
    const beat = firstContaining(district.beats, point)
    if (beat !== undefined) return { district, beat }
  }
  return undefined
}

/**
 * Finds the districts whose boundaries contain a point. Areas without a
 * boundary are never matched. Where boundaries overlap or share an edge the
 * point is on, the first area in configuration order wins. A beat whose
 * boundary contains the point also gives its police district, even when the
 * district itself has no boundary.
 *
 * @example
 * ```ts
 * districtsAt(jurisdiction, { latitude: 38.5504, longitude: -121.3914 })
 * // => { policeDistrict: "3", beat: "3C" } once beat 3C's boundary is configured
 * ```
 */
export const districtsAt = (map: DistrictMap, point: Coordinates): Districts => {
  const council = firstContaining(map.councilDistricts, point)
  const neighborhood = firstContaining(map.neighborhoods, point)
  const beatHit = beatContaining(map.policeDistricts, point)
  const beat = beatHit?.beat
  const policeDistrict = beatHit?.district ?? firstContaining(map.policeDistricts, point)
  return {
    ...(council === undefined ? {} : { councilDistrict: council.id }),
    ...(policeDistrict === undefined ? {} : { policeDistrict: policeDistrict.id }),
    ...(beat === undefined ? {} : { beat: beat.id }),
    ...(neighborhood === undefined ? {} : { neighborhood: neighborhood.id })
  }
}
