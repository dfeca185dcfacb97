import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as fc from "fast-check"
import { sacramento } from "@community-policing/core"
import { sacramentoCommissionSeats } from "../../src/commission/CommissionPresets.ts"
import { type CommissionMembership, quorumOf } from "../../src/commission/Membership.ts"
import { type CommissionSeatsEvent, commissionSeatsDecider } from "../../src/commission/Seats.ts"
import { membershipAt } from "../../src/commission/SeatsStatus.ts"
import { deciderSpec } from "@community-policing/testkit"

const at = (iso: string) => DateTime.makeUnsafe(iso)
const commission = "scprc"

/** Seated members on Sacramento's 11 seats: appointed, confirmed, sworn in. */
const seated = (seats: ReadonlyArray<string>, day: string): ReadonlyArray<CommissionSeatsEvent> =>
  seats.flatMap((seat, i): ReadonlyArray<CommissionSeatsEvent> => {
    const definition = sacramentoCommissionSeats.seats.find((s) => s.id === seat)!
    const member = `m-${i + 1}`
    return [
      {
        _tag: "MemberAppointed",
        commission,
        seat,
        member,
        name: member,
        appointer: definition.appointer,
        termBegins: at("2025-07-01T07:00:00Z"),
        termEnds: at("2028-07-01T07:00:00Z"),
        consecutiveTerm: 1,
        confirmationRequired: true,
        oathRequired: true,
        at: at(`${day}T17:00:00Z`)
      },
      { _tag: "AppointmentConfirmed", commission, seat, member, decision: "Resolution", at: at(`${day}T18:00:00Z`) },
      { _tag: "OathTaken", commission, seat, member, at: at(`${day}T19:00:00Z`) }
    ]
  })

describe("quorum from the seats (Code Civ. Proc. 15): a majority of the full membership, vacancies included", () => {
  const spec = deciderSpec(commissionSeatsDecider(sacramento, sacramentoCommissionSeats))

  it("11 seats with 5 vacant: 6 seated, and the quorum is still 6", () => {
    const state = spec.given(seated(["district-1", "district-2", "district-3", "district-4", "mayor-1", "mayor-2"], "2026-02-10")).state
    const membership = membershipAt(sacramentoCommissionSeats, state, at("2026-03-12T02:00:00Z"))
    assert.strictEqual(membership.fullMembership, 11)
    assert.deepStrictEqual(membership.seated.map((s) => s.member), ["m-1", "m-2", "m-3", "m-4", "m-5", "m-6"])
    assert.strictEqual(quorumOf({ _tag: "majority-of-full-membership" }, membership), 6)
  })

  it("an appointee awaiting confirmation or the oath is not seated; a member whose term ran out is not either", () => {
    const events = seated(["district-1"], "2026-02-10")
    const state = spec.given(events.slice(0, 2)).state
    assert.strictEqual(membershipAt(sacramentoCommissionSeats, state, at("2026-03-01T00:00:00Z")).seated.length, 0)
    const full = spec.given(events).state
    assert.strictEqual(membershipAt(sacramentoCommissionSeats, full, at("2026-03-01T00:00:00Z")).seated.length, 1)
    assert.strictEqual(membershipAt(sacramentoCommissionSeats, full, at("2028-07-01T07:00:00Z")).seated.length, 0)
  })

  it("a city's fixed quorum replaces the majority", () => {
    const membership: CommissionMembership = { fullMembership: 11, seated: [] }
    assert.strictEqual(quorumOf({ _tag: "fixed", members: 5 }, membership), 5)
  })

  it("for any body of 1 to 25 seats and any number seated, the quorum is more than half the seats, whatever the vacancies", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }).chain((seats) => fc.tuple(fc.constant(seats), fc.integer({ min: 0, max: seats }))), ([seats, filled]) => {
        const membership: CommissionMembership = {
          fullMembership: seats,
          seated: Array.from({ length: filled }, (_, i) => ({ member: `m-${i}` }))
        }
        const quorum = quorumOf({ _tag: "majority-of-full-membership" }, membership)
        assert.isAbove(quorum * 2, seats)
        assert.isAtMost((quorum - 1) * 2, seats)
      })
    )
  })
})
