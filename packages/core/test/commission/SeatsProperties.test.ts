import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { type Actor, sacramento } from "@community-policing/core"
import { quorumOf } from "../../src/commission/Membership.ts"
import { type CommissionSeatsCommand, type CommissionSeatsEvent, commissionSeatsDecider } from "../../src/commission/Seats.ts"
import { type Appointer, type CommissionSeatSettings, seatTermAt } from "../../src/commission/SeatsSettings.ts"
import { type CommissionSeatsState, membershipAt, type SeatAppointment, seatsAt } from "../../src/commission/SeatsStatus.ts"

const commission = "scprc"
const clerk: Actor = { _tag: "Staff", id: "clerk-01", roles: ["clerk"], districts: [] }
const ms = DateTime.toEpochMillis
const start = ms(DateTime.makeUnsafe("2026-01-01T00:00:00Z"))

const appointers: ReadonlyArray<Appointer> = [{ _tag: "council" }, { _tag: "mayor" }, { _tag: "council-member", district: "1" }]
const members = ["m-1", "m-2", "m-3", "m-4"]

const settingsArb: fc.Arbitrary<CommissionSeatSettings> = fc.record({
  termYears: fc.integer({ min: 1, max: 3 }),
  maxConsecutiveTerms: fc.integer({ min: 1, max: 3 }),
  confirmationRequired: fc.boolean(),
  oathRequired: fc.boolean(),
  ends: fc.tuple(fc.constantFrom("2026-06-30", "2026-12-31", "2027-03-15"), fc.constantFrom("2026-06-30", "2027-06-30"))
}).map(({ ends, ...rules }) => ({
  ...rules,
  seats: [
    { id: "at-large", appointer: appointers[0]!, firstTermEnds: ends[0] },
    { id: "mayoral", appointer: appointers[1]!, firstTermEnds: ends[1] },
    { id: "district-1", appointer: appointers[2]!, firstTermEnds: ends[0] }
  ]
}))

const commandArb: fc.Arbitrary<CommissionSeatsCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      seat: fc.constantFrom("at-large", "mayoral", "district-1", "nowhere"),
      member: fc.constantFrom(...members),
      appointer: fc.constantFrom(...appointers)
    }).map(({ seat, member, appointer }): CommissionSeatsCommand => ({ _tag: "AppointMember", commission, seat, member, name: `Name ${member}`, appointer }))
  },
  {
    weight: 3,
    arbitrary: fc.record({ member: fc.constantFrom(...members), outcome: fc.constantFrom("confirmed", "confirmed", "not-confirmed") as fc.Arbitrary<"confirmed" | "not-confirmed"> })
      .map(({ member, outcome }): CommissionSeatsCommand => ({ _tag: "RecordConfirmation", commission, member, outcome, decision: "Resolution" }))
  },
  { weight: 3, arbitrary: fc.constantFrom(...members).map((member): CommissionSeatsCommand => ({ _tag: "RecordOath", commission, member })) },
  { weight: 1, arbitrary: fc.constantFrom(...members).map((member): CommissionSeatsCommand => ({ _tag: "RecordResignation", commission, member })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...members).map((member): CommissionSeatsCommand => ({ _tag: "RemoveMember", commission, member, reason: "r", decision: "d" }))
  }
)

/** Runs random commands at increasing random instants over several years; returns the final record and the step instants. */
const run = (settings: CommissionSeatSettings, steps: ReadonlyArray<readonly [CommissionSeatsCommand, number]>) => {
  const decider = commissionSeatsDecider(sacramento, settings)
  let state: CommissionSeatsState = decider.initialState
  let now = start
  const instants: Array<DateTime.Utc> = []
  const events: Array<CommissionSeatsEvent> = []
  for (const [command, gapHours] of steps) {
    now += gapHours * 3_600_000
    const at = DateTime.makeUnsafe(now)
    instants.push(at)
    const result = decider.decide(command, state, { now: at, actor: clerk })
    if (Result.isSuccess(result)) {
      for (const event of result.success) {
        events.push(event)
        state = decider.evolve(state, event)
      }
    }
  }
  return { state, instants, events }
}

/** When an appointment stopped holding its seat: its end, or its term's end, whichever came first. */
const heldUntil = (appointment: SeatAppointment): number =>
  Math.min(ms(appointment.termEnds), appointment.endedAt === undefined ? Infinity : ms(appointment.endedAt))

const stepsArb = fc.array(fc.tuple(commandArb, fc.integer({ min: 0, max: 200 * 24 })), { minLength: 1, maxLength: 60 })

describe("seats: properties over random sequences of commands", () => {
  it("never two members in one seat, nor one member in two seats, at any instant", () => {
    fc.assert(
      fc.property(settingsArb, stepsArb, (settings, steps) => {
        const { state, instants } = run(settings, steps)
        for (const seat of settings.seats) {
          const held = state.appointments.filter((a) => a.seat === seat.id)
          for (let i = 1; i < held.length; i++) {
            assert.isAtLeast(ms(held[i]!.appointedAt), heldUntil(held[i - 1]!), `seat ${seat.id}: appointment ${i} overlaps the one before`)
          }
        }
        for (const member of members) {
          const own = state.appointments.filter((a) => a.member === member)
          for (let i = 1; i < own.length; i++) {
            assert.isAtLeast(ms(own[i]!.appointedAt), heldUntil(own[i - 1]!), `${member} held two seats at once`)
          }
        }
        for (const at of instants) {
          const holders = seatsAt(settings, state, at).flatMap((s) => s._tag === "vacant" ? [] : [s.appointment.member])
          assert.strictEqual(new Set(holders).size, holders.length)
          const membership = membershipAt(settings, state, at)
          assert.strictEqual(membership.fullMembership, settings.seats.length)
          assert.isAtMost(membership.seated.length, membership.fullMembership)
          assert.strictEqual(quorumOf({ _tag: "majority-of-full-membership" }, membership), 2, "vacancies never lower the quorum")
        }
      }),
      { numRuns: 200 }
    )
  })

  it("never exceeds the term limit: no member's run of back-to-back terms is longer than maxConsecutiveTerms", () => {
    fc.assert(
      fc.property(settingsArb, stepsArb, (settings, steps) => {
        const { state } = run(settings, steps)
        for (const member of members) {
          // The member's distinct terms, in order, each with its window.
          const terms: Array<{ begins: number; ends: number }> = []
          for (const a of state.appointments.filter((x) => x.member === member)) {
            const last = terms.at(-1)
            if (last === undefined || last.begins !== ms(a.termBegins) || last.ends !== ms(a.termEnds)) {
              terms.push({ begins: ms(a.termBegins), ends: ms(a.termEnds) })
            }
          }
          let run = 0
          terms.forEach((term, i) => {
            run = i > 0 && terms[i - 1]!.ends >= term.begins ? run + 1 : 1
            assert.isAtMost(run, settings.maxConsecutiveTerms!, `${member} served ${run} consecutive terms`)
          })
        }
      }),
      { numRuns: 200 }
    )
  })

  it("only the seat's appointer ever appoints to it, and only to a seat the settings create", () => {
    fc.assert(
      fc.property(settingsArb, stepsArb, (settings, steps) => {
        const { events } = run(settings, steps)
        for (const event of events) {
          if (event._tag !== "MemberAppointed") continue
          const seat = settings.seats.find((s) => s.id === event.seat)
          assert.isDefined(seat)
          assert.deepStrictEqual(event.appointer, seat!.appointer)
        }
      }),
      { numRuns: 200 }
    )
  })
})

describe("seat terms: properties", () => {
  const zones = ["America/Los_Angeles", "America/New_York", "Pacific/Honolulu", "Australia/Lord_Howe", "UTC"]
  const localDate = (millis: number, zone: string): string =>
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(millis))

  it("the term running at any instant contains it, lasts termYears years, and ends at local midnight after its last day", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: start - 40 * 365 * 86_400_000, max: start + 40 * 365 * 86_400_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(...zones),
        fc.constantFrom("2026-06-30", "2026-12-31", "2027-03-08", "2026-11-01", "2027-01-01"),
        (millis, termYears, zone, firstTermEnds) => {
          const term = seatTermAt({ id: "s", appointer: { _tag: "mayor" }, firstTermEnds }, termYears, zone, DateTime.makeUnsafe(millis))
          assert.isAtMost(ms(term.begins), millis)
          assert.isAbove(ms(term.ends), millis)
          // The last day is the local date just before the end, and the end is its next local day's first instant.
          assert.strictEqual(localDate(ms(term.ends) - 1, zone), term.lastDay)
          assert.notStrictEqual(localDate(ms(term.ends), zone), term.lastDay)
          assert.strictEqual(term.lastDay.slice(5), firstTermEnds.slice(5))
          const years = Number(term.lastDay.slice(0, 4)) - Number(firstTermEnds.slice(0, 4))
          assert.strictEqual(((years % termYears) + termYears) % termYears, 0)
          // The term before ends where this one begins.
          const before = seatTermAt({ id: "s", appointer: { _tag: "mayor" }, firstTermEnds }, termYears, zone, DateTime.makeUnsafe(ms(term.begins) - 1))
          assert.strictEqual(ms(before.ends), ms(term.begins))
        }
      ),
      { numRuns: 300 }
    )
  })
})
