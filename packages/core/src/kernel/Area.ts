/**
 * The areas a jurisdiction is divided into: council districts, police
 * districts and their beats, neighborhoods. Each may carry its boundary so a
 * coordinate can be placed in it.
 *
 * @module
 */
import { Schema } from "effect"
import { Boundary } from "./Boundary.ts"

/**
 * The id of an area as the city's own records write it, e.g. `"3"` for a
 * council district, `"3C"` for a Sacramento beat, `"1822"` for an LAPD
 * reporting district. Compared exactly, so importers must trim padding
 * (Sacramento's beat column is space-padded).
 */
export const AreaId = Schema.NonEmptyString.check(Schema.isTrimmed())

/** The id of an area; see {@link AreaId}. */
export type AreaId = typeof AreaId.Type

const areaFields = {
  id: AreaId,
  name: Schema.NonEmptyString,
  /** Omitted when the city has not supplied GIS data; the area then never matches a coordinate. */
  boundary: Schema.optionalKey(Boundary)
}

/**
 * A council district: the area a council member represents. Justice for
 * Neighbors puts one team in each.
 */
export const CouncilDistrict = Schema.Struct(areaFields)

/** A council district; see {@link CouncilDistrict}. */
export type CouncilDistrict = typeof CouncilDistrict.Type

/** A police beat: the smallest patrol area, inside one police district. */
export const Beat = Schema.Struct(areaFields)

/** A police beat; see {@link Beat}. */
export type Beat = typeof Beat.Type

/**
 * A police district (a "division" or "precinct" elsewhere) and the beats it is
 * divided into. Beats are listed inside their district, so a beat can never
 * name a district that does not exist.
 */
export const PoliceDistrict = Schema.Struct({
  ...areaFields,
  beats: Schema.Array(Beat)
})

/** A police district and its beats; see {@link PoliceDistrict}. */
export type PoliceDistrict = typeof PoliceDistrict.Type

/** A neighborhood as residents and the city name it (e.g. Oak Park, Del Paso Heights). */
export const Neighborhood = Schema.Struct(areaFields)

/** A neighborhood; see {@link Neighborhood}. */
export type Neighborhood = typeof Neighborhood.Type
