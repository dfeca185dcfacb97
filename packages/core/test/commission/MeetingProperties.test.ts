/**
 * Properties of the meeting decider (fast-check), with oracles written
 * here independently of the decider:
 *
 * - notice: any posting or delivery time, daylight-saving changes in
 *   America/Los_Angeles included, against the 72/24/1-hour rules, judged
 *   on real elapsed milliseconds;
 * - the two-thirds rule of 54954.2(b)(2) for every combination of
 *   membership, attendance and ayes up to 25 members (exhaustive), and no
 *   finding at all without a quorum;
 * - random command sequences never produce a vote on an item that was
 *   neither noticed nor added on a recorded 54954.2(b) basis, nor a vote
 *   without a quorum, nor an opening without its notice.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { meetingDecider, type MeetingState } from "../../src/commission/Meeting.ts"
import type { AttendanceEntry, MeetingCommand, MeetingEvent, RollCallVote } from "../../src/commission/MeetingEvents.ts"
import type { CommissionMembership } from "../../src/commission/Membership.ts"
import { at, context, meetingId, places, sacramentoRules, spec } from "./MeetingFixtures.ts"

const HOUR = 3_600_000
const ms = (instant: DateTime.DateTime): number => DateTime.toEpochMillis(instant)

/** Instants within a week of each 2026 daylight-saving change in Los Angeles (8 March, 1 November), and anywhere in 2026. */
const scheduledInstant = fc.oneof(
  fc.integer({ min: ms(at("2026-03-05T00:00:00Z")), max: ms(at("2026-03-12T00:00:00Z")) }),
  fc.integer({ min: ms(at("2026-10-29T00:00:00Z")), max: ms(at("2026-11-05T00:00:00Z")) }),
  fc.integer({ min: ms(at("2026-01-01T00:00:00Z")), max: ms(at("2026-12-31T00:00:00Z")) })
).map((millis) => DateTime.makeUnsafe(millis))

/** How long before the meeting the notice went out: around each threshold to the millisecond, or anywhere in 100 hours. */
const leadMillis = (hours: number) =>
  fc.oneof(
    fc.integer({ min: hours * HOUR - 2, max: hours * HOUR + 2 }),
    fc.integer({ min: hours * HOUR - 90 * 60_000, max: hours * HOUR + 90 * 60_000 }),
    fc.integer({ min: 0, max: 100 * HOUR })
  )

const seats = ["m1", "m2", "m3", "m4", "m5"] as const
const membership: CommissionMembership = { fullMembership: 5, seated: seats.map((member) => ({ member })) }
const everyoneInRoom: ReadonlyArray<AttendanceEntry> = seats.map((member) => ({ _tag: "InRoom", member }))

const scheduled = (kind: "regular" | "special" | "emergency", scheduledFor: DateTime.Utc): MeetingEvent => ({
  _tag: "MeetingScheduled",
  meetingId,
  kind,
  scheduledFor,
  places,
  items: [{ itemId: "1", description: "Business" }],
  longDescriptions: [],
  at: DateTime.subtract(scheduledFor, { days: 30 })
})

const openCommand = (media: ReadonlyArray<string>): MeetingCommand => ({
  _tag: "OpenMeeting",
  meetingId,
  membership,
  attendance: everyoneInRoom.slice(0, 4).concat([{ _tag: "Absent", member: "m5" }]),
  mediaOnRequestList: media
})

describe("meeting properties: notice by real elapsed time", () => {
  it("a regular meeting opens iff its agenda was posted at least 72 real hours before (54954.2(a)(1))", () => {
    fc.assert(
      fc.property(scheduledInstant, leadMillis(72), (scheduledFor, lead) => {
        const postedAt = DateTime.makeUnsafe(ms(scheduledFor) - lead)
        const result = spec().given([scheduled("regular", scheduledFor), { _tag: "AgendaPosted", meetingId, postedAt, places, at: postedAt }])
          .when(openCommand([]), context(scheduledFor)).result
        assert.strictEqual(Result.isSuccess(result), lead >= 72 * HOUR)
      }),
      { numRuns: 400 }
    )
  })

  it("a special meeting opens iff its call was posted and the absent member and the medium reached at least 24 real hours before (54956(a))", () => {
    fc.assert(
      fc.property(scheduledInstant, leadMillis(24), leadMillis(24), leadMillis(24), (scheduledFor, memberLead, mediaLead, postingLead) => {
        const postedAt = DateTime.makeUnsafe(ms(scheduledFor) - postingLead)
        const posting: MeetingEvent = { _tag: "AgendaPosted", meetingId, postedAt, places, at: postedAt }
        const delivery = (kind: "member" | "media", id: string, lead: number): MeetingEvent => {
          const deliveredAt = DateTime.makeUnsafe(ms(scheduledFor) - lead)
          return { _tag: "MeetingNoticeDelivered", meetingId, recipient: { kind, id }, deliveredAt, at: deliveredAt }
        }
        const result = spec()
          .given([scheduled("special", scheduledFor), posting, delivery("member", "m5", memberLead), delivery("media", "kcra", mediaLead)])
          .when(openCommand(["kcra"]), context(scheduledFor)).result
        assert.strictEqual(Result.isSuccess(result), memberLead >= 24 * HOUR && mediaLead >= 24 * HOUR && postingLead >= 24 * HOUR)
      }),
      { numRuns: 400 }
    )
  })

  it("an emergency meeting opens iff the emergency was found and the medium told at least 1 real hour before (54956.5)", () => {
    fc.assert(
      fc.property(scheduledInstant, leadMillis(1), fc.boolean(), (scheduledFor, lead, found) => {
        const toldAt = DateTime.makeUnsafe(ms(scheduledFor) - lead)
        const finding: ReadonlyArray<MeetingEvent> = found ? [{ _tag: "EmergencyFound", meetingId, finding: "flood", at: toldAt }] : []
        const result = spec()
          .given([scheduled("emergency", scheduledFor), ...finding, { _tag: "MeetingNoticeDelivered", meetingId, recipient: { kind: "media", id: "kcra" }, deliveredAt: toldAt, at: toldAt }])
          .when(openCommand(["kcra"]), context(scheduledFor)).result
        assert.strictEqual(Result.isSuccess(result), found && lead >= HOUR)
      }),
      { numRuns: 400 }
    )
  })

  it("across the spring-forward night, 72 calendar hours of wall clock are only 71 real hours: refused", () => {
    // Posted Thursday 5 March 2026 19:00 PST; the meeting Sunday 8 March 19:00 PDT, 71 real hours later.
    const postedAt = at("2026-03-06T03:00:00Z")
    const scheduledFor = at("2026-03-09T02:00:00Z")
    spec().given([scheduled("regular", scheduledFor), { _tag: "AgendaPosted", meetingId, postedAt, places, at: postedAt }])
      .when(openCommand([]), context(scheduledFor)).thenRefused("NoticeRequirementNotMet")
  })
})

/** The two-thirds rule of Gov. Code 54954.2(b)(2), written from the statute's words. */
const twoThirdsOracle = (fullMembership: number, present: number, ayes: number): boolean =>
  present > 0 && (3 * present < 2 * fullMembership ? ayes === present : 3 * ayes >= 2 * present)

describe("meeting properties: the two-thirds rule", () => {
  it("for every membership up to 25 seats, every attendance and every count of ayes, the finding carries as the statute says", () => {
    const decider = meetingDecider(sacramentoRules)
    let checked = 0
    for (let full = 1; full <= 25; full++) {
      const ids = Array.from({ length: full }, (_, i) => `m${i + 1}`)
      for (let present = 0; present <= full; present++) {
        const attendance: ReadonlyArray<AttendanceEntry> = ids.map((member, i) => i < present ? { _tag: "InRoom", member } : { _tag: "Absent", member })
        const state = spec().given([
          scheduled("regular", at("2026-03-13T01:00:00Z")),
          {
            _tag: "MeetingOpened",
            meetingId,
            kind: "regular",
            membership: { fullMembership: full, seated: ids.map((member) => ({ member })) },
            attendance,
            quorum: Math.floor(full / 2) + 1,
            notice: "agenda posted",
            at: at("2026-03-13T01:00:00Z")
          }
        ]).state
        for (let ayes = 0; ayes <= present; ayes++) {
          const roll: ReadonlyArray<RollCallVote> = attendance.map((entry, i) =>
            entry._tag === "Absent" ? { _tag: "Absent", member: entry.member } : i < ayes ? { _tag: "Aye", member: entry.member } : { _tag: "No", member: entry.member }
          )
          const result = decider.decide({
            _tag: "AddNonAgendaItem",
            meetingId,
            item: { itemId: "9", description: "Late grant deadline" },
            basis: { _tag: "NeedAroseAfterPosting", finding: "the grant notice came after posting", cameToAttentionAt: at("2026-03-13T00:00:00Z") },
            roll
          }, state, context(at("2026-03-13T01:30:00Z")))
          // Without a quorum (a majority of the seats, Code Civ. Proc. 15) the body cannot act at all.
          const quorum = Math.floor(full / 2) + 1
          assert.strictEqual(Result.isSuccess(result), present >= quorum && twoThirdsOracle(full, present, ayes), `full ${full}, present ${present}, ayes ${ayes}`)
          checked++
        }
      }
    }
    assert.strictEqual(checked, 3275)
  })
})

// ---------------------------------------------------------------------------
// Random command sequences
// ---------------------------------------------------------------------------

const itemIds = ["1", "2", "9", "x"] as const

const attendanceArb = fc.array(fc.constantFrom<"in" | "remote" | "absent">("in", "in", "in", "remote", "absent"), { minLength: 5, maxLength: 5 })
  .map((states) => seats.map((member, i): AttendanceEntry =>
    states[i] === "in" ? { _tag: "InRoom", member } : states[i] === "remote" ? { _tag: "Remote", member, basis: "just-cause", remoteMeetingsEarlierThisYear: 0 } : { _tag: "Absent", member }
  ))

/** Each seat's intended vote; a roll is built from them against the meeting's attendance, or used raw to hit mismatches. */
const intentArb = fc.record({
  votes: fc.array(fc.constantFrom<"Aye" | "No" | "Abstain" | "Recused">("Aye", "Aye", "Aye", "No", "Abstain", "Recused"), { minLength: 5, maxLength: 5 }),
  rawRatio: fc.integer({ min: 0, max: 9 })
})

const rollOf = (intent: typeof intentArb extends fc.Arbitrary<infer I> ? I : never, state: MeetingState): ReadonlyArray<RollCallVote> => {
  const attendance = state._tag === "Meeting" ? state.attendance : []
  const vote = (member: string, i: number): RollCallVote => {
    const tag = intent.votes[i]!
    return tag === "Recused" ? { _tag: "Recused", member, reason: "conflict of interest" } : { _tag: tag, member }
  }
  if (intent.rawRatio === 0 || attendance.length === 0) return seats.map(vote)
  return attendance.map((entry, i) => entry._tag === "InRoom" || entry._tag === "Remote" ? vote(entry.member, i) : { _tag: "Absent", member: entry.member })
}

type Step = { readonly hours: number; readonly command: (state: MeetingState) => MeetingCommand }

const fixed = (arb: fc.Arbitrary<MeetingCommand>): fc.Arbitrary<(state: MeetingState) => MeetingCommand> => arb.map((command) => () => command)

/** A command (built against the state when it depends on the attendance) and how many hours pass before it. */
const stepArb: fc.Arbitrary<Step> = fc.record({
  hours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
  command: fc.oneof(
    fixed(fc.constantFrom<"regular" | "special" | "emergency">("regular", "special", "emergency")
      .map((kind): MeetingCommand => ({ _tag: "ScheduleMeeting", meetingId, kind, scheduledFor: at("2026-03-13T01:00:00Z"), places, items: [{ itemId: "1", description: "Business" }, { itemId: "2", description: "More business" }] }))),
    fixed(fc.integer({ min: 0, max: 100 }).map((hoursAgo): MeetingCommand => ({ _tag: "PostAgenda", meetingId, postedAt: DateTime.makeUnsafe(ms(at("2026-03-13T01:00:00Z")) - hoursAgo * HOUR), places }))),
    fixed(fc.constantFrom<MeetingCommand>({ _tag: "FindEmergency", meetingId, finding: "flood" })),
    fixed(fc.record({ kind: fc.constantFrom<"member" | "media">("member", "media"), id: fc.constantFrom("m1", "m5", "kcra") }).map(({ kind, id }): MeetingCommand => ({
      _tag: "RecordNoticeDelivery",
      meetingId,
      recipient: { kind, id },
      deliveredAt: at("2026-03-11T00:00:00Z")
    }))),
    fixed(attendanceArb.map((attendance): MeetingCommand => ({ _tag: "OpenMeeting", meetingId, membership, attendance, mediaOnRequestList: ["kcra"] }))),
    { arbitrary: fc.record({
      itemId: fc.constantFrom(...itemIds),
      basis: fc.constantFrom<Extract<MeetingCommand, { _tag: "AddNonAgendaItem" }>["basis"]>(
        { _tag: "Emergency", finding: "flood" },
        { _tag: "NeedAroseAfterPosting", finding: "deadline", cameToAttentionAt: at("2026-03-12T20:00:00Z") },
        { _tag: "NeedAroseAfterPosting", finding: "known before", cameToAttentionAt: at("2026-03-08T20:00:00Z") },
        { _tag: "ContinuedFromPriorMeeting", priorMeetingId: "prior", priorMeetingHeldAt: at("2026-03-09T01:00:00Z") },
        { _tag: "ContinuedFromPriorMeeting", priorMeetingId: "older", priorMeetingHeldAt: at("2026-02-12T01:00:00Z") },
        { _tag: "AmendedRegularAgenda" },
        { _tag: "Other", reason: "chair's wish" }
      ),
      intent: intentArb
    }).map(({ itemId, basis, intent }) => (state: MeetingState): MeetingCommand => ({ _tag: "AddNonAgendaItem", meetingId, item: { itemId, description: "Added" }, basis, roll: rollOf(intent, state) })), weight: 4 },
    { arbitrary: fixed(fc.constantFrom(...itemIds).map((itemId): MeetingCommand => ({ _tag: "OpenPublicComment", meetingId, itemId }))), weight: 4 },
    {
      arbitrary: fc.record({ itemId: fc.constantFrom(...itemIds), intent: intentArb, form: fc.constantFrom<"roll-call" | "voice">("roll-call", "voice") })
        .map(({ itemId, intent, form }) => (state: MeetingState): MeetingCommand => ({ _tag: "RecordVote", meetingId, itemId, motion: "move", form, roll: rollOf(intent, state) })),
      weight: 6
    },
    fixed(fc.constantFrom(...itemIds).map((itemId): MeetingCommand => ({ _tag: "ContinueItem", meetingId, itemId }))),
    fixed(fc.constantFrom(...seats).map((member): MeetingCommand => ({ _tag: "RecordDeparture", meetingId, member }))),
    fixed(fc.constantFrom(...seats).map((member): MeetingCommand => ({ _tag: "RecordArrival", meetingId, entry: { _tag: "InRoom", member } }))),
    fixed(fc.constantFrom<MeetingCommand>({ _tag: "AdjournMeeting", meetingId }))
  )
})

/**
 * The start of a sequence, biased toward a meeting that can open: a call of
 * any kind, a posting around the 72-hour line, some deliveries, perhaps an
 * emergency finding, then the meeting's time.
 */
const prefixArb: fc.Arbitrary<ReadonlyArray<Step>> = fc.tuple(
  fc.constantFrom<"regular" | "special" | "emergency">("regular", "regular", "special", "emergency"),
  fc.integer({ min: 60, max: 90 }),
  fc.subarray<MeetingCommand>([
    { _tag: "RecordNoticeDelivery", meetingId, recipient: { kind: "member", id: "m5" }, deliveredAt: at("2026-03-11T00:00:00Z") },
    { _tag: "RecordNoticeDelivery", meetingId, recipient: { kind: "media", id: "kcra" }, deliveredAt: at("2026-03-11T00:00:00Z") },
    { _tag: "FindEmergency", meetingId, finding: "flood" }
  ]),
  attendanceArb
).map(([kind, hoursAgo, notices, attendance]) => [
  { hours: 0, command: () => ({ _tag: "ScheduleMeeting", meetingId, kind, scheduledFor: at("2026-03-13T01:00:00Z"), places, items: [{ itemId: "1", description: "Business" }, { itemId: "2", description: "More business" }] }) },
  { hours: 0, command: () => ({ _tag: "PostAgenda", meetingId, postedAt: DateTime.makeUnsafe(ms(at("2026-03-13T01:00:00Z")) - hoursAgo * HOUR), places }) },
  ...notices.map((command): Step => ({ hours: 0, command: () => command })),
  { hours: 12, command: () => ({ _tag: "OpenMeeting", meetingId, membership, attendance, mediaOnRequestList: ["kcra"] }) }
])

/** What a history shows, read from its events alone: the oracle of the sequence property. */
const violations = (events: ReadonlyArray<MeetingEvent>): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const noticed = new Set<string>()
  let kind: string | undefined
  let scheduledFor: DateTime.Utc | undefined
  let postedAt: DateTime.Utc | undefined
  let opened = false
  const present = new Set<string>()
  for (const event of events) {
    switch (event._tag) {
      case "MeetingScheduled":
        kind = event.kind
        scheduledFor = event.scheduledFor
        event.items.forEach((item) => noticed.add(item.itemId))
        break
      case "AgendaPosted":
        postedAt = event.postedAt
        break
      case "MemberArrived":
        present.add(event.entry.member)
        break
      case "MemberLeft":
        present.delete(event.member)
        break
      case "MeetingOpened":
        opened = true
        event.attendance.forEach((entry) => entry._tag === "InRoom" || entry._tag === "Remote" ? present.add(entry.member) : undefined)
        if (kind === "regular" && (postedAt === undefined || scheduledFor === undefined || ms(scheduledFor) - ms(postedAt) < 72 * HOUR)) {
          problems.push("a regular meeting opened without its 72-hour agenda")
        }
        break
      case "NonAgendaItemAdded": {
        const found = event.basis._tag === "ContinuedFromPriorMeeting" || (event.vote?.tally.carried ?? false)
        const knownBeforePosting = event.basis._tag === "NeedAroseAfterPosting" && postedAt !== undefined &&
          ms(event.basis.cameToAttentionAt) <= ms(postedAt)
        if (event.basis._tag === "Other" || !found || kind === "special" || knownBeforePosting) problems.push(`item ${event.item.itemId} added without a basis`)
        else noticed.add(event.item.itemId)
        break
      }
      case "VoteRecorded":
        if (!opened) problems.push("a vote before the meeting opened")
        if (present.size < 3) problems.push(`a vote with ${present.size} of 5 members present, no quorum`)
        if (!noticed.has(event.itemId)) problems.push(`a vote on item ${event.itemId}, neither noticed nor added on a basis`)
        break
      default:
        break
    }
  }
  return problems
}

describe("meeting properties: random command sequences", () => {
  it("never act on an item without a notice or a recorded 54954.2(b) basis", () => {
    const decider = meetingDecider(sacramentoRules)
    let votes = 0
    fc.assert(
      fc.property(prefixArb, fc.array(stepArb, { minLength: 1, maxLength: 60, size: "medium" }), (prefix, rest) => {
        const steps = [...prefix, ...rest]
        let state = decider.initialState
        let now = at("2026-03-12T13:00:00Z")
        const history: Array<MeetingEvent> = []
        for (const step of steps) {
          now = DateTime.add(now, { hours: step.hours })
          const result = decider.decide(step.command(state), state, context(now))
          if (Result.isSuccess(result)) {
            for (const event of result.success) {
              history.push(event)
              state = decider.evolve(state, event)
            }
          }
        }
        votes += history.filter((event) => event._tag === "VoteRecorded").length
        assert.deepStrictEqual(violations(history), [])
      }),
      { numRuns: 500 }
    )
    // The sequences reach votes often enough for the property to mean something.
    assert.isAbove(votes, 25)
  })
})
