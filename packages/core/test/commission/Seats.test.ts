import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Result, Schema } from "effect"
import {
  AccessPolicy,
  type Actor,
  type DecisionContext,
  EventStore,
  handleCommand,
  loadStream,
  redact,
  sacramento
} from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { deciderSpec } from "@community-policing/testkit"
import { sacramentoCommission, sacramentoCommissionSeats } from "../../src/commission/CommissionPresets.ts"
import { validateCommissionSettings } from "../../src/commission/CommissionSettings.ts"
import {
  type CommissionSeatsCommand,
  commissionSeats,
  commissionClerkAccessRule,
  commissionSeatsDecider,
  commissionSeatsStream
} from "../../src/commission/Seats.ts"
import {
  type Appointer,
  type CommissionSeatSettings,
  CommissionSeatSettings as SeatSettingsSchema,
  seatSettingsProblems,
  seatTermAt
} from "../../src/commission/SeatsSettings.ts"
import { CommissionSeatsState, seatStatusAt } from "../../src/commission/SeatsStatus.ts"

const commission = "scprc"
const clerk: Actor = { _tag: "Staff", id: "clerk-01", roles: ["clerk"], districts: [] }
const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)
const context = (iso: string): DecisionContext => ({ now: at(iso), actor: clerk })

const spec = (settings: CommissionSeatSettings = sacramentoCommissionSeats) => deciderSpec(commissionSeatsDecider(sacramento, settings))

const appoint = (seat: string, member: string, appointer: Appointer): CommissionSeatsCommand => ({
  _tag: "AppointMember",
  commission,
  seat,
  member,
  name: `Name of ${member}`,
  appointer
})
const district = (d: string) => ({ _tag: "council-member", district: d }) as const
const mayor = { _tag: "mayor" } as const

/** Appointed, confirmed and sworn in at the given instants. */
const seatedSteps = (seat: string, member: string, appointer: Appointer, day: string) => [
  { command: appoint(seat, member, appointer), context: context(`${day}T17:00:00Z`) },
  { command: { _tag: "RecordConfirmation", commission, member, outcome: "confirmed", decision: "Resolution 2026-0101" } as const, context: context(`${day}T19:00:00Z`) },
  { command: { _tag: "RecordOath", commission, member } as const, context: context(`${day}T20:00:00Z`) }
]

describe("seat terms (configuration: termYears, firstTermEnds)", () => {
  const seat = sacramentoCommissionSeats.seats[0]!
  it("a term ends at the end of its last day in Sacramento's zone, staggered from the seat's first term end", () => {
    const term = seatTermAt(seat, 3, "America/Los_Angeles", at("2026-03-01T12:00:00Z"))
    assert.strictEqual(term.lastDay, "2026-06-30")
    assert.strictEqual(DateTime.formatIso(term.ends), "2026-07-01T07:00:00.000Z")
    assert.strictEqual(DateTime.formatIso(term.begins), "2023-07-01T07:00:00.000Z")
  })

  it("the last instant of the last day is still in the term; midnight local time starts the next one", () => {
    assert.strictEqual(seatTermAt(seat, 3, "America/Los_Angeles", at("2026-07-01T06:59:59.999Z")).lastDay, "2026-06-30")
    assert.strictEqual(seatTermAt(seat, 3, "America/Los_Angeles", at("2026-07-01T07:00:00Z")).lastDay, "2029-06-30")
  })

  it("a winter last day ends at local midnight in standard time", () => {
    const term = seatTermAt({ ...seat, firstTermEnds: "2026-12-31" }, 2, "America/Los_Angeles", at("2027-05-01T00:00:00Z"))
    assert.strictEqual(term.lastDay, "2028-12-31")
    assert.strictEqual(DateTime.formatIso(term.ends), "2029-01-01T08:00:00.000Z")
  })

  it("settings refuse duplicate seats, a first term ending on 29 February and an impossible date", () => {
    const decode = Schema.decodeUnknownResult(SeatSettingsSchema)
    assert.isTrue(Result.isSuccess(decode(sacramentoCommissionSeats)))
    const dup = { ...sacramentoCommissionSeats, seats: [seat, seat] }
    assert.isTrue(Result.isFailure(decode(dup)))
    assert.isTrue(Result.isFailure(decode({ ...sacramentoCommissionSeats, seats: [{ ...seat, firstTermEnds: "2028-02-29" }] })))
    assert.isTrue(Result.isFailure(decode({ ...sacramentoCommissionSeats, seats: [{ ...seat, firstTermEnds: "2026-04-31" }] })))
    assert.isTrue(Result.isFailure(decode({ ...sacramentoCommissionSeats, seats: [] })))
  })

  it("the program's settings refuse unknown keys, so a typo never drops a setting", () => {
    assert.isTrue(Result.isSuccess(validateCommissionSettings(sacramentoCommission)))
    const refused = validateCommissionSettings({ ...sacramentoCommission, seats: { ...sacramentoCommissionSeats, termYear: 4 } })
    assert.isTrue(Result.isFailure(refused))
    if (Result.isFailure(refused)) {
      assert.strictEqual(refused.failure._tag, "InvalidCommissionSettings")
      assert.deepStrictEqual(refused.failure.problems.map((p) => p.path), [["seats", "termYear"]])
    }
  })

  it("a seat appointed by a district's council member must name a council district of the jurisdiction", () => {
    assert.deepStrictEqual(seatSettingsProblems(sacramento, sacramentoCommissionSeats), [])
    const problems = seatSettingsProblems(sacramento, { ...sacramentoCommissionSeats, seats: [{ ...seat, appointer: { _tag: "council-member", district: "9" } }] })
    assert.deepStrictEqual(problems.map((p) => p.path), [["seats", 0, "appointer", "district"]])
    assert.match(problems[0]!.message, /district 9, which is not a council district/)
  })
})

describe("appointment (by the seat's appointer, to a vacant seat)", () => {
  it("given nothing, when district 3's council member appoints to seat district-3, then the member is appointed for the running term", () => {
    spec().given([]).when(appoint("district-3", "m-01", district("3")), context("2026-02-10T17:00:00Z")).then([{
      _tag: "MemberAppointed",
      commission,
      seat: "district-3",
      member: "m-01",
      name: "Name of m-01",
      appointer: district("3"),
      termBegins: at("2025-07-01T07:00:00Z"),
      termEnds: at("2028-07-01T07:00:00Z"),
      consecutiveTerm: 1,
      confirmationRequired: true,
      oathRequired: true,
      at: at("2026-02-10T17:00:00Z")
    }])
  })

  it("refuses the mayor, or another district's council member, appointing to a district seat (seat-appointer)", () => {
    const byMayor = spec().given([]).when(appoint("district-3", "m-01", mayor), context("2026-02-10T17:00:00Z")).thenRefused("WrongAppointer")
    assert.strictEqual(byMayor.rule, "seat-appointer")
    assert.match(byMayor.message, /appointed by the council member of district 3, not the mayor/)
    spec().given([]).when(appoint("district-3", "m-01", district("4")), context("2026-02-10T17:00:00Z")).thenRefused("WrongAppointer")
    spec().given([]).when(appoint("mayor-1", "m-01", district("4")), context("2026-02-10T17:00:00Z")).thenRefused("WrongAppointer")
  })

  it("refuses a seat the ordinance does not create, listing the seats", () => {
    const refused = spec().given([]).when(appoint("district-9", "m-01", district("9")), context("2026-02-10T17:00:00Z")).thenRefused("UnknownSeat")
    assert.strictEqual(refused.rule, "configured-seats-only")
    assert.strictEqual(refused.seats.length, 11)
  })

  it("refuses a held seat, even while its appointee awaits confirmation (one-member-per-seat)", () => {
    const history = spec().givenCommands([{ command: appoint("district-3", "m-01", district("3")), context: context("2026-02-10T17:00:00Z") }])
    const refused = history.when(appoint("district-3", "m-02", district("3")), context("2026-03-10T17:00:00Z")).thenRefused("SeatNotVacant")
    assert.strictEqual(refused.holder, "m-01")
  })

  it("refuses a member who already holds another seat (one-seat-per-member)", () => {
    const history = spec().givenCommands(seatedSteps("district-3", "m-01", district("3"), "2026-02-10"))
    const refused = history.when(appoint("mayor-1", "m-01", mayor), context("2026-03-10T17:00:00Z")).thenRefused("MemberHoldsSeat")
    assert.strictEqual(refused.seat, "district-3")
  })
})

describe("confirmation and oath", () => {
  const appointed = spec().givenCommands([{ command: appoint("mayor-2", "m-05", mayor), context: context("2026-02-10T17:00:00Z") }])

  it("the council confirms; then the oath; then the member is seated", () => {
    const confirmed = appointed.when(
      { _tag: "RecordConfirmation", commission, member: "m-05", outcome: "confirmed", decision: "Resolution 2026-0101" },
      context("2026-02-17T19:00:00Z")
    ).then([{ _tag: "AppointmentConfirmed", commission, seat: "mayor-2", member: "m-05", decision: "Resolution 2026-0101", at: at("2026-02-17T19:00:00Z") }])
    const history = spec().given([...appointed.events, ...confirmed])
    assert.strictEqual(seatStatusAt(history.state, "mayor-2", at("2026-02-18T00:00:00Z"))._tag, "awaiting-oath")
    const sworn = history.when({ _tag: "RecordOath", commission, member: "m-05" }, context("2026-03-01T17:00:00Z")).stateAfter()
    assert.strictEqual(seatStatusAt(sworn, "mayor-2", at("2026-03-01T17:00:00Z"))._tag, "seated")
    assert.strictEqual(seatStatusAt(sworn, "mayor-2", at("2026-02-20T00:00:00Z"))._tag, "awaiting-oath", "the past is not rewritten")
  })

  it("an oath before the confirmation, or a second confirmation, is refused with the rule", () => {
    const oath = appointed.when({ _tag: "RecordOath", commission, member: "m-05" }, context("2026-02-11T17:00:00Z")).thenRefused("WrongAppointmentStatus")
    assert.strictEqual(oath.rule, "oath-pending")
    const twice = spec().givenCommands(seatedSteps("mayor-2", "m-05", mayor, "2026-02-10")).when(
      { _tag: "RecordConfirmation", commission, member: "m-05", outcome: "confirmed", decision: "again" },
      context("2026-02-12T17:00:00Z")
    ).thenRefused("WrongAppointmentStatus")
    assert.strictEqual(twice.rule, "confirmation-pending")
  })

  it("a council that declines to confirm leaves the seat vacant, and it can be filled again", () => {
    const declined = appointed.when(
      { _tag: "RecordConfirmation", commission, member: "m-05", outcome: "not-confirmed", decision: "Motion failed 4-5" },
      context("2026-02-17T19:00:00Z")
    ).stateAfter()
    const status = seatStatusAt(declined, "mayor-2", at("2026-02-18T00:00:00Z"))
    assert.deepStrictEqual(status._tag === "vacant" ? status.cause : status._tag, "not-confirmed")
    const again = spec().given([...appointed.events, {
      _tag: "AppointmentNotConfirmed",
      commission,
      seat: "mayor-2",
      member: "m-05",
      decision: "Motion failed 4-5",
      at: at("2026-02-17T19:00:00Z")
    }]).when(appoint("mayor-2", "m-06", mayor), context("2026-02-20T17:00:00Z")).thenAccepted()
    assert.strictEqual(again[0]?._tag, "MemberAppointed")
  })

  it("without confirmation or oath in the settings, the appointee sits at once", () => {
    const settings = { ...sacramentoCommissionSeats, confirmationRequired: false, oathRequired: false }
    const state = spec(settings).given([]).when(appoint("mayor-2", "m-05", mayor), context("2026-02-10T17:00:00Z")).stateAfter()
    assert.strictEqual(seatStatusAt(state, "mayor-2", at("2026-02-10T17:00:00Z"))._tag, "seated")
    const confirm = spec(settings).decider.decide(
      { _tag: "RecordConfirmation", commission, member: "m-05", outcome: "confirmed", decision: "x" },
      state,
      context("2026-02-11T17:00:00Z")
    )
    assert.isTrue(Result.isFailure(confirm))
  })
})

describe("a term ends on its date whether or not anyone acts", () => {
  const seated = spec().givenCommands(seatedSteps("district-1", "m-01", district("1"), "2026-02-10"))

  it("the seat is vacant (term-expired) from the end of the term's last day, with no event", () => {
    assert.strictEqual(seatStatusAt(seated.state, "district-1", at("2026-07-01T06:59:59Z"))._tag, "seated")
    const after = seatStatusAt(seated.state, "district-1", at("2026-07-01T07:00:00Z"))
    assert.deepStrictEqual(after._tag === "vacant" ? [after.cause, after.since && DateTime.formatIso(after.since)] : after._tag, [
      "term-expired",
      "2026-07-01T07:00:00.000Z"
    ])
  })

  it("after the term, the former member cannot resign or be removed (members-only), and the seat is appointed to directly", () => {
    const refused = seated.when({ _tag: "RecordResignation", commission, member: "m-01" }, context("2026-07-02T17:00:00Z")).thenRefused("NotAMember")
    assert.strictEqual(refused.rule, "members-only")
    const next = seated.when(appoint("district-1", "m-02", district("1")), context("2026-07-02T17:00:00Z")).thenAccepted()
    assert.strictEqual(next[0]?._tag === "MemberAppointed" ? next[0].consecutiveTerm : 0, 1)
  })
})

describe("term limits (maxConsecutiveTerms), enforced at appointment", () => {
  // One seat, 1-year terms ending 30 June, at most 2 consecutive terms.
  const settings: CommissionSeatSettings = {
    seats: [{ id: "at-large", appointer: { _tag: "council" }, firstTermEnds: "2026-06-30" }, {
      id: "mayoral",
      appointer: { _tag: "mayor" },
      firstTermEnds: "2026-12-31"
    }],
    termYears: 1,
    maxConsecutiveTerms: 2,
    confirmationRequired: false,
    oathRequired: false
  }
  const council = { _tag: "council" } as const
  const twoTerms = spec(settings).givenCommands([
    { command: appoint("at-large", "m-01", council), context: context("2026-03-01T17:00:00Z") },
    { command: appoint("at-large", "m-01", council), context: context("2026-07-02T17:00:00Z") }
  ])

  it("a reappointment to the next term is the second consecutive term", () => {
    const last = twoTerms.events.at(-1)
    assert.strictEqual(last?._tag === "MemberAppointed" ? last.consecutiveTerm : 0, 2)
  })

  it("a third consecutive term is refused, on any seat", () => {
    const refused = twoTerms.when(appoint("at-large", "m-01", council), context("2027-07-02T17:00:00Z")).thenRefused("TermLimitReached")
    assert.deepStrictEqual([refused.rule, refused.consecutiveTerm, refused.maxConsecutiveTerms], ["term-limit", 3, 2])
    // Moving to the mayoral seat while the second term runs is still consecutive service.
    const history = spec(settings).given([
      ...twoTerms.events,
      { _tag: "MemberResigned", commission, seat: "at-large", member: "m-01", at: at("2027-01-10T17:00:00Z") }
    ])
    history.when(appoint("mayoral", "m-01", mayor), context("2027-01-11T17:00:00Z")).thenRefused("TermLimitReached")
  })

  it("after a term's gap the count starts again", () => {
    const events = twoTerms.when(appoint("at-large", "m-01", council), context("2028-07-02T17:00:00Z")).thenAccepted()
    assert.strictEqual(events[0]?._tag === "MemberAppointed" ? events[0].consecutiveTerm : 0, 1)
  })

  it("a member resigning and reappointed within the same term keeps the term's number", () => {
    const history = spec(settings).given([
      ...twoTerms.events,
      { _tag: "MemberResigned", commission, seat: "at-large", member: "m-01", at: at("2027-01-10T17:00:00Z") }
    ])
    const events = history.when(appoint("at-large", "m-01", council), context("2027-02-10T17:00:00Z")).thenAccepted()
    assert.strictEqual(events[0]?._tag === "MemberAppointed" ? events[0].consecutiveTerm : 0, 2)
  })
})

describe("resignation, removal, vacancy", () => {
  const seated = spec().givenCommands(seatedSteps("district-5", "m-09", district("5"), "2026-02-10"))

  it("a resignation leaves the seat vacant from that instant", () => {
    const state = seated.when({ _tag: "RecordResignation", commission, member: "m-09" }, context("2026-05-01T17:00:00Z")).stateAfter()
    const status = seatStatusAt(state, "district-5", at("2026-05-01T17:00:00Z"))
    assert.strictEqual(status._tag === "vacant" ? status.cause : status._tag, "resigned")
    assert.strictEqual(seatStatusAt(state, "district-5", at("2026-04-30T17:00:00Z"))._tag, "seated")
  })

  it("a removal carries its reason (personal) and the decision that removed the member", () => {
    const [removed] = seated.when(
      { _tag: "RemoveMember", commission, member: "m-09", reason: "four absences in 2026", decision: "Resolution 2026-0301 (Charter 232)" },
      context("2026-10-01T17:00:00Z")
    ).thenAccepted()
    assert.deepStrictEqual(removed, {
      _tag: "MemberRemoved",
      commission,
      seat: "district-5",
      member: "m-09",
      reason: "four absences in 2026",
      decision: "Resolution 2026-0301 (Charter 232)",
      at: at("2026-10-01T17:00:00Z")
    })
  })

  it("a seat declared vacant for another cause is vacant, the cause recorded", () => {
    const state = seated.when({ _tag: "DeclareSeatVacant", commission, member: "m-09", cause: "moved out of district 5" }, context("2026-06-01T17:00:00Z"))
      .stateAfter()
    const status = seatStatusAt(state, "district-5", at("2026-06-02T00:00:00Z"))
    assert.strictEqual(status._tag === "vacant" ? status.cause : status._tag, "declared-vacant")
  })

  it("acts on someone who holds no seat are refused", () => {
    seated.when({ _tag: "RemoveMember", commission, member: "m-99", reason: "r", decision: "d" }, context("2026-06-01T17:00:00Z")).thenRefused("NotAMember")
  })
})

describe("commission seats through handleCommand (memory store)", () => {
  const tenantId = "sacramento"
  const Seats = commissionSeats(sacramento, sacramentoCommissionSeats)
  const TestLayer = Layer.merge(MemoryStore.layer(), AccessPolicy.fromRules([commissionClerkAccessRule({ roles: ["clerk"] })]))
  const envelope = (command: CommissionSeatsCommand, commandId: string, actor: Actor = clerk) => ({ tenantId, commandId, actor, command })

  it.effect("the clerk appoints; the commission's stream holds the event; the public view hides the name", () =>
    Effect.gen(function*() {
      const outcome = yield* handleCommand(Seats, envelope(appoint("district-3", "m-01", district("3")), "cmd-1"))
      assert.strictEqual(outcome.streamId, commissionSeatsStream(commission))
      const stored = yield* (yield* EventStore).readStream(tenantId, commissionSeatsStream(commission))
      assert.deepStrictEqual(stored.map((e) => e.eventType), ["MemberAppointed"])
      const { state } = yield* loadStream(Seats, tenantId, commissionSeatsStream(commission))
      assert.include(JSON.stringify(redact(CommissionSeatsState, state, "staff")), "Name of m-01")
      assert.notInclude(JSON.stringify(redact(CommissionSeatsState, state, "public")), "Name of m-01")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a commissioner may not appoint; a refusal changes nothing", () =>
    Effect.gen(function*() {
      const commissioner: Actor = { _tag: "Staff", id: "m-01", roles: ["commissioner"], districts: [] }
      const denied = yield* Effect.flip(handleCommand(Seats, envelope(appoint("district-3", "m-01", district("3")), "cmd-1", commissioner)))
      assert.strictEqual(denied._tag, "AccessDenied")
      const refused = yield* Effect.flip(handleCommand(Seats, envelope(appoint("district-3", "m-01", mayor), "cmd-2")))
      assert.strictEqual(refused._tag, "WrongAppointer")
      assert.strictEqual((yield* (yield* EventStore).readStream(tenantId, commissionSeatsStream(commission))).length, 0)
    }).pipe(Effect.provide(TestLayer)))
})
