import { assert, describe, it } from "@effect/vitest"
import { type AccessRequest, type AccessRule, decideAccess } from "@community-policing/core"

const rules: ReadonlyArray<AccessRule> = [
  { id: "ceo-in-district", actions: ["complaint.*"], roles: ["code-enforcement-officer"], scope: "own-district" },
  { id: "attorney-citywide", actions: ["complaint.CloseComplaint"], roles: ["city-attorney"], scope: "citywide" },
  { id: "residents-open", actions: ["complaint.OpenComplaint"], actors: ["Public"], scope: "citywide" }
]

const request = (actor: AccessRequest["actor"], action: string, districts: ReadonlyArray<string>): AccessRequest => ({
  tenantId: "sacramento",
  actor,
  action,
  resource: { type: "complaint", id: "c1", districts }
})
const ceo3 = { _tag: "Staff", id: "ceo-3", roles: ["code-enforcement-officer"], districts: ["3"] } as const

describe("decideAccess", () => {
  it("allows a role in its own district, naming the rule", () => {
    assert.deepStrictEqual(decideAccess(rules, request(ceo3, "complaint.AcknowledgeComplaint", ["3"])), {
      allowed: true,
      rule: "ceo-in-district"
    })
  })

  it("denies outside the districts served, saying which", () => {
    const decision = decideAccess(rules, request(ceo3, "complaint.AcknowledgeComplaint", ["5"]))
    assert.isFalse(decision.allowed)
    assert.strictEqual(decision.rule, "ceo-in-district")
    if (!decision.allowed) assert.match(decision.reason, /district\(s\) 5/)
  })

  it("treats staff serving no district as citywide", () => {
    const citywide = { ...ceo3, districts: [] }
    assert.isTrue(decideAccess(rules, request(citywide, "complaint.AcknowledgeComplaint", ["5"])).allowed)
  })

  it("denies a role the rule does not name, and lets a later rule allow", () => {
    const attorney = { _tag: "Staff", id: "ca-1", roles: ["city-attorney"], districts: ["1"] } as const
    const ack = decideAccess(rules, request(attorney, "complaint.AcknowledgeComplaint", ["3"]))
    assert.isFalse(ack.allowed)
    if (!ack.allowed) assert.match(ack.reason, /code-enforcement-officer/)
    assert.deepStrictEqual(decideAccess(rules, request(attorney, "complaint.CloseComplaint", ["3"])), {
      allowed: true,
      rule: "attorney-citywide"
    })
  })

  it("grants the public only what a rule names for the public", () => {
    const resident = { _tag: "Public", id: "session-9" } as const
    assert.isTrue(decideAccess(rules, request(resident, "complaint.OpenComplaint", ["3"])).allowed)
    assert.isFalse(decideAccess(rules, request(resident, "complaint.CloseComplaint", ["3"])).allowed)
  })

  it("denies by default what no rule mentions", () => {
    const decision = decideAccess(rules, request(ceo3, "case.delete", ["3"]))
    assert.deepStrictEqual(decision, { allowed: false, rule: "default-deny", reason: "no rule grants case.delete" })
  })
})
