/**
 * Staff: the city employees who run the programs.
 *
 * @module
 */
import { Schema } from "effect"
import { AreaId } from "./Area.ts"
import { Role } from "./Role.ts"
import { personal } from "./Sensitivity.ts"

/**
 * A city employee on a program's roster: a sergeant on a Justice for
 * Neighbors team, a POP officer, a clerk of the commission. Permissions come
 * from roles, never from the person, and a district assignment limits which
 * cases they work.
 */
export const StaffMember = Schema.Struct({
  /** A stable id from the city's directory; the name may change, this does not. */
  id: Schema.NonEmptyString,
  name: personal(Schema.NonEmptyString),
  roles: Schema.NonEmptyArray(Role),
  /** Ids of the council districts served; empty means citywide. */
  councilDistricts: Schema.Array(AreaId),
  /** False once the person has left the role; kept so past records still name who acted. */
  active: Schema.Boolean
})

/** A city employee on a program's roster; see {@link StaffMember}. */
export type StaffMember = typeof StaffMember.Type
