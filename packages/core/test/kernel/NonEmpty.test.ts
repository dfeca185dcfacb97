import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { EmptyList, nonEmpty, type Role, sacramento, type StaffMember, validateJurisdiction } from "../../src/kernel/index.ts"

describe("nonEmpty", () => {
  it("types an ordinary array with entries as non-empty, so it fits a non-empty setting without a cast", () => {
    const seats: Array<Role> = ["city-attorney", "sergeant"]
    const result = nonEmpty(seats, "teamSeats")
    if (Result.isFailure(result)) return assert.fail(result.failure.message)
    const teamSeats: readonly [Role, ...Array<Role>] = result.success
    assert.deepStrictEqual(teamSeats, ["city-attorney", "sergeant"])
    const jfn = { ...sacramento.programs.justiceForNeighbors, teamSeats }
    const configured = { ...sacramento, programs: { ...sacramento.programs, justiceForNeighbors: jfn } }
    assert.isTrue(Result.isSuccess(validateJurisdiction(configured)))
  })

  it("refuses an empty list with an EmptyList naming it", () => {
    const result = nonEmpty<Role>([], "roles of staff member 4471")
    if (Result.isSuccess(result)) return assert.fail("an empty list was accepted")
    assert.instanceOf(result.failure, EmptyList)
    assert.strictEqual(result.failure._tag, "EmptyList")
    assert.strictEqual(result.failure.what, "roles of staff member 4471")
    assert.strictEqual(result.failure.message, "roles of staff member 4471 must hold at least one entry")
  })

  it("keeps a list whose only entry is undefined: emptiness is about length, not values", () => {
    const result = nonEmpty([undefined])
    if (Result.isFailure(result)) return assert.fail(result.failure.message)
    assert.deepStrictEqual(result.success, [undefined])
  })

  it("copies its input, so emptying the caller's array later leaves the result whole", () => {
    const roles: Array<Role> = ["sergeant"]
    const result = nonEmpty(roles)
    roles.length = 0
    if (Result.isFailure(result)) return assert.fail(result.failure.message)
    assert.deepStrictEqual(result.success, ["sergeant"])
  })

  it("takes any iterable, e.g. a Set of roles", () => {
    const result = nonEmpty(new Set<Role>(["officer", "pop-officer"]))
    if (Result.isFailure(result)) return assert.fail(result.failure.message)
    const member: StaffMember = { id: "4471", name: "Pat Doe", roles: result.success, councilDistricts: [], active: true }
    assert.deepStrictEqual(member.roles, ["officer", "pop-officer"])
  })

  it("names the list \"the list\" when the caller does not", () => {
    const result = nonEmpty([])
    if (Result.isSuccess(result)) return assert.fail("an empty list was accepted")
    assert.strictEqual(result.failure.message, "the list must hold at least one entry")
  })
})
