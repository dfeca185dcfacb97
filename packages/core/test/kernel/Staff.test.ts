import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { sensitivityOf, StaffMember } from "../../src/kernel/index.ts"

const decode = Schema.decodeUnknownResult(StaffMember)

describe("StaffMember", () => {
  it("accepts a sergeant serving two council districts, and a citywide clerk", () => {
    assert.isTrue(Result.isSuccess(decode({
      id: "sgt-0412",
      name: "Dana Ruiz",
      roles: ["sergeant"],
      councilDistricts: ["3", "6"],
      active: true
    })))
    assert.isTrue(Result.isSuccess(decode({ id: "clerk-1", name: "Lee Park", roles: ["clerk"], councilDistricts: [], active: false })))
  })

  it("rejects a member with no role or an unknown role", () => {
    const base = { id: "x", name: "X", councilDistricts: [], active: true }
    assert.isTrue(Result.isFailure(decode({ ...base, roles: [] })))
    assert.isTrue(Result.isFailure(decode({ ...base, roles: ["mayor"] })))
  })

  it("marks the name as personal", () => {
    assert.strictEqual(sensitivityOf(StaffMember.fields.name), "personal")
    assert.strictEqual(sensitivityOf(StaffMember.fields.id), undefined)
  })
})
