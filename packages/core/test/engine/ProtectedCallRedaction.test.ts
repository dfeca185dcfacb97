/**
 * Issue 7: the public view of a protected call (domestic violence,
 * victimization, a medical or fire/EMS emergency, a caller who is the
 * victim) must not say what the call was about. Hiding the flags is not
 * enough when the call type reads "DOMESTIC VIOLENCE": a protected call's
 * type is confidential, in the call and in the stored call (whose protected
 * categories give it away too); an unprotected call's type stays public.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import { CallForService, type CallForService as Call, protectedCategories, redact, StoredCall } from "@community-policing/core"

const call = (overrides: Partial<Call> = {}): Call => ({
  sourceRecordId: "24-118003",
  receivedAt: DateTime.makeUnsafe(Date.UTC(2024, 2, 2, 5, 7)),
  channel: "911",
  callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
  location: { addressKey: "23XX 10TH AVE" },
  domesticViolenceOrVictimization: false,
  medical: false,
  fireOrEms: false,
  callerIsVictim: false,
  ...overrides
})

const domestic = call({ callType: { code: "273.5", description: "DOMESTIC VIOLENCE" }, domesticViolenceOrVictimization: true })

const protections: ReadonlyArray<readonly [string, Partial<Call>]> = [
  ["domestic violence or victimization", { domesticViolenceOrVictimization: true }],
  ["a medical emergency", { medical: true }],
  ["fire or EMS", { fireOrEms: true }],
  ["a caller who is the victim", { callerIsVictim: true }]
]

const json = (value: unknown) => JSON.stringify(value)

describe("the call type of a protected call", () => {
  for (const audience of ["public", "commission"] as const) {
    it(`is not in the ${audience} view of the call, whichever protection applies`, () => {
      const view = redact(CallForService, domestic, audience) as Record<string, unknown>
      assert.notProperty(view, "callType")
      assert.notInclude(json(view), "DOMESTIC")
      assert.notInclude(json(view), "273.5")
      for (const [what, flags] of protections) {
        const protectedCall = call({ ...flags, callType: { code: "900", description: "SECRET TYPE" } })
        assert.notInclude(json(redact(CallForService, protectedCall, audience)), "SECRET TYPE", what)
      }
    })

    it(`is not in the ${audience} view of a stored call, nor are its protected categories`, () => {
      const stored: StoredCall = {
        call: domestic,
        dedupeKey: "id:cad:24-118003",
        serviceDay: "2024-03-01",
        categories: [
          { category: "domestic-violence", table: "sacramento-cad", tableVersion: "2024-07", rule: "273.5" },
          { category: "disorder", table: "sacramento-cad", tableVersion: "2024-07", rule: "415" }
        ],
        source: "sacramento-cad"
      }
      const view = json(redact(StoredCall, stored, audience))
      assert.notInclude(view, "DOMESTIC")
      assert.notInclude(view, "domestic-violence")
      assert.include(view, "id:cad:24-118003", "the rest of the call stays in the view")
      // A call whose only sign of protection is a protected category (the flags were not set) is protected too.
      for (const category of protectedCategories) {
        const categorised: StoredCall = {
          ...stored,
          call: call({ callType: { code: "900", description: "SECRET TYPE" } }),
          categories: [{ category, table: "t", tableVersion: "1", rule: "r" }]
        }
        const categorisedView = json(redact(StoredCall, categorised, audience))
        assert.notInclude(categorisedView, "SECRET TYPE", category)
        assert.notInclude(categorisedView, category, category)
      }
    })
  }

  it("stays in the public view of an unprotected call, as do its categories", () => {
    const view = redact(CallForService, call(), "public") as Record<string, unknown>
    assert.deepStrictEqual(view["callType"], { code: "415", description: "DISTURBANCE-CLARIFY" })
    const stored = redact(StoredCall, {
      call: call(),
      dedupeKey: "id:cad:1",
      serviceDay: "2024-03-01",
      categories: [{ category: "disorder", table: "t", tableVersion: "1", rule: "415" }],
      source: "cad"
    }, "commission") as { readonly call: Record<string, unknown>; readonly categories: ReadonlyArray<unknown> }
    assert.deepStrictEqual(stored.call["callType"], { code: "415", description: "DISTURBANCE-CLARIFY" })
    assert.deepStrictEqual(stored.categories, [{ category: "disorder", table: "t", tableVersion: "1", rule: "415" }])
  })

  it("is in the prosecutor's view of a protected call; staff (no confidential clearance) do not see it", () => {
    const prosecutor = redact(CallForService, domestic, "prosecutor") as Record<string, unknown>
    assert.deepStrictEqual(prosecutor["callType"], { code: "273.5", description: "DOMESTIC VIOLENCE" })
    assert.notProperty(redact(CallForService, domestic, "staff") as Record<string, unknown>, "callType")
  })
})
