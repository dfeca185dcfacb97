/**
 * Who issues a command: a staff member, a member of the public, or the system
 * itself (an analytics scan, a scheduler).
 *
 * @module
 */
import { Schema } from "effect"
import { type Audience, Role } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"

/** A signed-in city employee, with the roles and districts they serve. */
export const StaffActor = Schema.TaggedStruct("Staff", {
  id: Schema.NonEmptyString,
  roles: Schema.Array(Role),
  /** Ids of the districts (council or police) this person serves; empty means citywide. */
  districts: Schema.Array(Schema.String)
})

/** A member of the public, e.g. a resident filing a complaint through 311. */
export const PublicActor = Schema.TaggedStruct("Public", {
  /** An opaque session or account id, never shown publicly. */
  id: personal(Schema.NonEmptyString)
})

/** The software itself acting on a rule: an analytics finding, a deadline scheduler. */
export const SystemActor = Schema.TaggedStruct("System", {
  id: Schema.NonEmptyString
})

/** Who issues a command. */
export const Actor = Schema.Union([StaffActor, PublicActor, SystemActor])

/** Who issues a command; see {@link Actor}. */
export type Actor = typeof Actor.Type

/** A stable string naming an actor in stored events, e.g. `Staff:jdoe`. */
export const actorKey = (actor: Actor): string => `${actor._tag}:${actor.id}`

const prosecutingRoles: ReadonlyArray<Role> = ["neighborhood-prosecutor", "city-attorney"]

/**
 * The audience whose view of the data an actor receives in answers
 * (command outcomes): `public` for a member of the public; for staff,
 * `prosecutor` with a prosecuting role (neighborhood prosecutor, city
 * attorney), `staff` with any other working role, and `commission` for a
 * commissioner only or a staff member with no role (least privilege); `staff`
 * for the system itself. A city that maps its people otherwise passes its own
 * function to `handleCommand`.
 */
export const actorAudience = (actor: Actor): Audience => {
  switch (actor._tag) {
    case "Public":
      return "public"
    case "System":
      return "staff"
    case "Staff":
      if (actor.roles.some((role) => prosecutingRoles.includes(role))) return "prosecutor"
      return actor.roles.some((role) => role !== "commissioner") ? "staff" : "commission"
  }
}
