/**
 * Lists that must not be empty. Several settings and records hold at least
 * one entry by their nature (a staff member's roles, a district team's seats,
 * the call channels and categories a chronic-caller rule counts, a fine
 * schedule's caps), and their types say so: `readonly [A, ...Array<A>]`
 * (effect's `Array.NonEmptyReadonlyArray`), which an ordinary array does not
 * satisfy. {@link nonEmpty} is the checked way from one to the other, so a
 * city's code never needs a cast.
 *
 * Configuration read from a file needs none of this: `validateJurisdiction`
 * takes plain JSON and reports an empty list as one of its problems.
 *
 * @module
 */
import { Array as Arr, Result, Schema } from "effect"

/**
 * A list that must hold at least one entry was empty. `what` names the list
 * as the caller described it (e.g. `"teamSeats"`, `"roles of sergeant 4471"`),
 * so the message says which one.
 */
export class EmptyList extends Schema.TaggedError<EmptyList>()("EmptyList", {
  what: Schema.String
}) {
  override get message(): string {
    return `${this.what} must hold at least one entry`
  }
}

/**
 * Checks that `values` holds at least one entry and returns a copy typed as
 * non-empty, or an {@link EmptyList} naming `what`. The copy keeps the result
 * non-empty even if the caller later empties its own array. Takes any
 * iterable (an array, a `Set` of roles).
 *
 * @example
 * ```ts
 * import { type EmptyList, nonEmpty, type Role, type StaffMember } from "@community-policing/core"
 * import { Result } from "effect"
 *
 * const roles: Array<Role> = directoryEntry.roles // an ordinary array
 * const member: Result.Result<StaffMember, EmptyList> = Result.map(
 *   nonEmpty(roles, `roles of ${directoryEntry.id}`),
 *   (roles) => ({ id: directoryEntry.id, name: directoryEntry.name, roles, councilDistricts: [], active: true })
 * )
 * ```
 */
export const nonEmpty = <A>(values: Iterable<A>, what = "the list"): Result.Result<Arr.NonEmptyReadonlyArray<A>, EmptyList> => {
  const copy: ReadonlyArray<A> = Array.from(values)
  return Arr.isReadonlyArrayNonEmpty(copy) ? Result.succeed(copy) : Result.fail(new EmptyList({ what }))
}
