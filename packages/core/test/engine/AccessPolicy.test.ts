import { assert, describe, it } from "@effect/vitest"
import { type AccessRequest, type AccessRule, actorAudience, decideAccess, preauthorizeAccess } from "@community-policing/core"

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

describe("preauthorizeAccess (the first pass, before the resource is read)", () => {
  const resident = { _tag: "Public", id: "session-1" } as const
  const clerk = { _tag: "Staff", id: "clerk-1", roles: ["clerk"], districts: ["3"] } as const

  it("denies what no rule could allow this actor whatever the districts, with the rule that came closest", () => {
    const publicAck = preauthorizeAccess(rules, request(resident, "complaint.AcknowledgeComplaint", []))
    assert.deepStrictEqual(publicAck, { allowed: false, rule: "ceo-in-district", reason: "Public actors may not complaint.AcknowledgeComplaint" })
    assert.isFalse(preauthorizeAccess(rules, request(clerk, "complaint.AcknowledgeComplaint", [])).allowed)
    assert.strictEqual(preauthorizeAccess(rules, request(ceo3, "permit.Issue", [])).rule, "default-deny")
  })

  it("allows what a district could allow, ignoring the districts given; the full decision still checks them", () => {
    assert.isTrue(preauthorizeAccess(rules, request(ceo3, "complaint.AcknowledgeComplaint", ["5"])).allowed)
    assert.isFalse(decideAccess(rules, request(ceo3, "complaint.AcknowledgeComplaint", ["5"])).allowed)
    assert.isTrue(preauthorizeAccess(rules, request(resident, "complaint.OpenComplaint", [])).allowed)
  })

  it("never allows what the full decision would deny for every district (property)", () => {
    const actors = [resident, clerk, ceo3, { _tag: "System", id: "scan" } as const]
    const actions = ["complaint.AcknowledgeComplaint", "complaint.OpenComplaint", "complaint.CloseComplaint", "other.Thing"]
    for (const actor of actors) {
      for (const action of actions) {
        const anywhere = ["1", "3", "5"].some((d) => decideAccess(rules, request(actor, action, [d])).allowed)
        assert.strictEqual(preauthorizeAccess(rules, request(actor, action, [])).allowed, anywhere, `${actor.id} ${action}`)
      }
    }
  })
})

describe("actorAudience", () => {
  it("answers the public as the public, prosecutors as prosecutors, a commissioner as the commission", () => {
    assert.strictEqual(actorAudience({ _tag: "Public", id: "s" }), "public")
    assert.strictEqual(actorAudience(ceo3), "staff")
    assert.strictEqual(actorAudience({ _tag: "Staff", id: "np", roles: ["neighborhood-prosecutor"], districts: [] }), "prosecutor")
    assert.strictEqual(actorAudience({ _tag: "Staff", id: "cm", roles: ["commissioner"], districts: [] }), "commission")
    assert.strictEqual(actorAudience({ _tag: "Staff", id: "none", roles: [], districts: [] }), "commission")
    assert.strictEqual(actorAudience({ _tag: "System", id: "scan" }), "staff")
  })
})
