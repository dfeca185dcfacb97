/**
 * Given / when / then for the commission meeting: every Brown Act rule the
 * decider guards, with Sacramento's settings.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import { sacramentoCommissionAttendance } from "../../src/commission/CommissionPresets.ts"
import { attendanceRecordsOf } from "../../src/commission/Meeting.ts"
import type { MeetingEvent } from "../../src/commission/MeetingEvents.ts"
import {
  at,
  attendance,
  context,
  items,
  meetingId,
  open,
  opened,
  openRegular,
  places,
  posted,
  regularAt,
  rollFor,
  schedule,
  scheduledEvent,
  spec
} from "./MeetingFixtures.ts"

const before = (hours: number, minutes = 0) => DateTime.subtract(regularAt, { hours, minutes })
const during = DateTime.add(regularAt, { minutes: 30 })
const later = DateTime.add(regularAt, { hours: 2 })
/** After the agenda went up (80 hours before the meeting). */
const aroseAt = DateTime.subtract(regularAt, { hours: 10 })

const commentOpened = (itemId: string): MeetingEvent => ({ _tag: "PublicCommentOpened", meetingId, itemId, at: during })

describe("meeting: the call and the agenda", () => {
  it("given nothing, when a meeting is scheduled, then its agenda is recorded and long descriptions are flagged (54954.2(a)(1))", () => {
    const long = { itemId: "3", description: Array.from({ length: 21 }, (_, i) => `word${i}`).join(" ") }
    const now = at("2026-03-01T17:00:00Z")
    spec().given([]).when(schedule("regular", regularAt, [...items, long]), context(now)).then([{
      _tag: "MeetingScheduled",
      meetingId,
      kind: "regular",
      scheduledFor: regularAt,
      places,
      items: [...items, long],
      longDescriptions: [{ itemId: "3", words: 21, maxWords: 20 }],
      at: now
    }])
  })

  it("a description of exactly 20 words is not flagged", () => {
    const twenty = { itemId: "3", description: Array.from({ length: 20 }, () => "word").join(" ") }
    const [event] = spec().given([]).when(schedule("regular", regularAt, [twenty]), context(at("2026-03-01T17:00:00Z"))).thenAccepted()
    assert.deepStrictEqual(event?._tag === "MeetingScheduled" ? event.longDescriptions : undefined, [])
  })

  it("refuses an agenda that repeats an item id", () => {
    spec().given([]).when(schedule("regular", regularAt, [items[0]!, items[0]!]), context(regularAt)).thenRefused("DuplicateAgendaItem")
  })

  it("refuses any other command before the meeting is scheduled", () => {
    spec().given([]).when(open(), context(regularAt)).thenRefused("MeetingNotScheduled")
  })

  it("refuses a posting dated in the future", () => {
    const now = before(100)
    spec().given([scheduledEvent()]).when({ _tag: "PostAgenda", meetingId, postedAt: before(90), places }, context(now))
      .thenRefused("ImplausibleInstant")
  })
})

describe("meeting: notice before opening", () => {
  it("given a regular agenda posted exactly 72 hours before, the meeting opens (54954.2(a)(1))", () => {
    const events = spec().given([scheduledEvent(), posted(before(72))]).when(open(), context(regularAt)).thenAccepted()
    assert.strictEqual(events[0]?._tag, "MeetingOpened")
  })

  it("given a regular agenda posted 71 h 59 min before, opening is refused naming the rule", () => {
    const refusal = spec().given([scheduledEvent(), posted(before(71, 59))]).when(open(), context(regularAt))
      .thenRefused("NoticeRequirementNotMet")
    assert.strictEqual(refusal.rule, "regular-agenda-posted-in-time")
    assert.strictEqual(refusal.citation, "Gov. Code 54954.2(a)(1)")
  })

  it("given no posting, a regular meeting cannot open", () => {
    spec().given([scheduledEvent()]).when(open(), context(regularAt)).thenRefused("NoticeRequirementNotMet")
  })

  it("refuses to open before the noticed time", () => {
    spec().given([scheduledEvent(), posted(before(80))]).when(open(), context(before(1))).thenRefused("ImplausibleInstant")
  })

  const delivered = (kind: "member" | "media", id: string, deliveredAt: DateTime.Utc): MeetingEvent => ({
    _tag: "MeetingNoticeDelivered",
    meetingId,
    recipient: { kind, id },
    deliveredAt,
    at: deliveredAt
  })

  it("given special notice delivered to every absent member and every medium 24 hours before, the meeting opens (54956(a))", () => {
    const entries = attendance({ m8: { _tag: "Absent", member: "m8" } })
    spec()
      .given([scheduledEvent("special"), posted(before(30)), delivered("member", "m8", before(24)), delivered("media", "sac-bee", before(30))])
      .when(open(entries, ["sac-bee"]), context(regularAt))
      .thenAccepted()
  })

  it("a member present at the opening waives the written notice; a medium reached 23 hours before does not count", () => {
    const entries = attendance({ m8: { _tag: "Absent", member: "m8" } })
    const refusal = spec()
      .given([scheduledEvent("special"), posted(before(30)), delivered("media", "sac-bee", before(23))])
      .when(open(entries, ["sac-bee"]), context(regularAt))
      .thenRefused("NoticeRequirementNotMet")
    assert.strictEqual(refusal.rule, "special-notice-delivered-in-time")
    assert.deepStrictEqual(refusal.missing, ["member m8 not reached in time", "media sac-bee not reached in time"])
  })

  it("a special meeting's call is also posted 24 hours before", () => {
    const refusal = spec()
      .given([scheduledEvent("special"), posted(before(20)), delivered("media", "sac-bee", before(30))])
      .when(open(attendance(), ["sac-bee"]), context(regularAt))
      .thenRefused("NoticeRequirementNotMet")
    assert.deepStrictEqual(refusal.missing, [`notice posted ${DateTime.formatIso(before(20))}`])
  })

  it("an emergency meeting needs the emergency found and the media told an hour before (54956.5)", () => {
    const found: MeetingEvent = { _tag: "EmergencyFound", meetingId, finding: "crippling disaster", at: before(2) }
    spec().given([scheduledEvent("emergency"), found, delivered("media", "kcra", before(1))])
      .when(open(attendance(), ["kcra"]), context(regularAt)).thenAccepted()
    const late = spec().given([scheduledEvent("emergency"), found, delivered("media", "kcra", before(0, 59))])
      .when(open(attendance(), ["kcra"]), context(regularAt)).thenRefused("NoticeRequirementNotMet")
    assert.deepStrictEqual(late.missing, ["media kcra not told in time"])
    const unfound = spec().given([scheduledEvent("emergency"), delivered("media", "kcra", before(3))])
      .when(open(attendance(), ["kcra"]), context(regularAt)).thenRefused("NoticeRequirementNotMet")
    assert.deepStrictEqual(unfound.missing, ["no emergency found"])
  })

  it("only an emergency meeting takes an emergency finding", () => {
    spec().given([scheduledEvent()]).when({ _tag: "FindEmergency", meetingId, finding: "flood" }, context(before(2)))
      .thenRefused("WrongMeetingPhase")
  })
})

describe("meeting: attendance, quorum and remote attendance", () => {
  const base = [scheduledEvent(), posted(before(80))]

  it("records the membership, the attendance and the quorum, and gives the shared attendance records", () => {
    const given = spec().given(base).when(open(), context(regularAt))
    const [event] = given.thenAccepted()
    assert.strictEqual(event?._tag === "MeetingOpened" ? event.quorum : undefined, 5)
    const records = attendanceRecordsOf(given.stateAfter(), sacramentoCommissionAttendance)
    assert.strictEqual(records.length, 8)
    assert.deepStrictEqual(records[0], { meetingId, meetingKind: "regular", heldAt: regularAt, member: "m1", status: "present" })
  })

  it("refuses an attendance that leaves out a seated member or lists someone not seated", () => {
    const refusal = spec().given(base).when(open([...attendance().slice(1), { _tag: "InRoom", member: "x9" }]), context(regularAt))
      .thenRefused("AttendanceIncomplete")
    assert.deepStrictEqual([refusal.missing, refusal.notSeated], [["m1"], ["x9"]])
  })

  it("refuses to open without a quorum of the full membership, vacancies included (Code Civ. Proc. 15)", () => {
    const absent = Object.fromEntries(["m1", "m2", "m3", "m4"].map((member) => [member, { _tag: "Absent" as const, member }]))
    const refusal = spec().given(base).when(open(attendance(absent)), context(regularAt)).thenRefused("QuorumNotPresent")
    assert.deepStrictEqual([refusal.rule, refusal.required, refusal.present], ["quorum", 5, 4])
  })

  it("with a member remote, a quorum must still be in the room (54953(f))", () => {
    const remote = (member: string) => ({ _tag: "Remote" as const, member, basis: "just-cause" as const, remoteMeetingsEarlierThisYear: 0 })
    const absent = (member: string) => ({ _tag: "Absent" as const, member })
    const entries = attendance({ m1: remote("m1"), m2: absent("m2"), m3: absent("m3"), m4: absent("m4") })
    const refusal = spec().given(base).when(open(entries), context(regularAt)).thenRefused("QuorumNotPresent")
    assert.deepStrictEqual([refusal.rule, refusal.present], ["quorum-in-one-place", 4])
  })

  it("refuses a remote attendance beyond the yearly cap for a body meeting monthly (2)", () => {
    const entries = attendance({ m1: { _tag: "Remote", member: "m1", basis: "emergency-circumstances", remoteMeetingsEarlierThisYear: 2 } })
    const refusal = spec().given(base).when(open(entries), context(regularAt)).thenRefused("RemoteAttendanceCapReached")
    assert.deepStrictEqual([refusal.cap, refusal.earlierThisYear], [2, 2])
    const second = attendance({ m1: { _tag: "Remote", member: "m1", basis: "just-cause", remoteMeetingsEarlierThisYear: 1 } })
    spec().given(base).when(open(second), context(regularAt)).thenAccepted()
  })
})

describe("meeting: arrivals and departures", () => {
  const arrive = (entry: import("../../src/commission/MeetingEvents.ts").AttendanceEntry) => ({ _tag: "RecordArrival" as const, meetingId, entry })
  const leave = (member: string) => ({ _tag: "RecordDeparture" as const, meetingId, member })
  const withM8Absent = attendance({ m8: { _tag: "Absent", member: "m8" } })

  it("a member absent at the opening arrives; a member present cannot arrive again, one absent cannot leave", () => {
    spec().given(openRegular(withM8Absent)).when(arrive({ _tag: "InRoom", member: "m8" }), context(during))
      .then([{ _tag: "MemberArrived", meetingId, entry: { _tag: "InRoom", member: "m8" }, at: during }])
    spec().given(openRegular()).when(arrive({ _tag: "InRoom", member: "m8" }), context(during)).thenRefused("AttendanceChangeRefused")
    spec().given(openRegular(withM8Absent)).when(leave("m8"), context(during)).thenRefused("AttendanceChangeRefused")
  })

  it("a remote arrival keeps to the yearly cap", () => {
    spec().given(openRegular(withM8Absent))
      .when(arrive({ _tag: "Remote", member: "m8", basis: "just-cause", remoteMeetingsEarlierThisYear: 2 }), context(during))
      .thenRefused("RemoteAttendanceCapReached")
  })

  it("after departures leave no quorum, the body can no longer vote", () => {
    const left = (member: string): MeetingEvent => ({ _tag: "MemberLeft", meetingId, member, at: during })
    const history = [...openRegular(), commentOpened("2"), left("m1"), left("m2"), left("m3"), left("m4")]
    const roll = rollFor(attendance(Object.fromEntries(["m1", "m2", "m3", "m4"].map((m) => [m, { _tag: "Absent" as const, member: m }]))))
    const refusal = spec().given(history).when({ _tag: "RecordVote", meetingId, itemId: "2", motion: "m", form: "roll-call", roll }, context(during))
      .thenRefused("QuorumNotPresent")
    assert.deepStrictEqual([refusal.required, refusal.present], [5, 4])
  })

  it("once adjourned, a member there for most of the meeting is present, one who missed most of it absent", () => {
    // Opened at 18:00, adjourned at 20:00 Pacific: m1 leaves at 18:50 (absent), m2 at 19:10 (present),
    // m8 absent at the opening arrives remotely at 18:30 (present-remote).
    const remote = { _tag: "Remote" as const, member: "m8", basis: "just-cause" as const, remoteMeetingsEarlierThisYear: 0 }
    const state = spec().given([
      ...openRegular(withM8Absent),
      { _tag: "MemberArrived", meetingId, entry: remote, at: DateTime.add(regularAt, { minutes: 30 }) },
      { _tag: "MemberLeft", meetingId, member: "m1", at: DateTime.add(regularAt, { minutes: 50 }) },
      { _tag: "MemberLeft", meetingId, member: "m2", at: DateTime.add(regularAt, { minutes: 70 }) },
      { _tag: "MeetingAdjourned", meetingId, at: later }
    ]).state
    const statusUnder = (presentAboveShare: number) =>
      Object.fromEntries(attendanceRecordsOf(state, { presentAboveShare }).map((record) => [record.member, record.status]))
    const status = statusUnder(sacramentoCommissionAttendance.presentAboveShare)
    assert.deepStrictEqual([status.m1, status.m2, status.m3, status.m8], ["absent", "present", "present", "present-remote"])
    // The share is the city's rule: any presence counts at 0; at three quarters m2's 70 minutes are an absence too.
    assert.deepStrictEqual([statusUnder(0).m1, statusUnder(0).m2], ["present", "present"])
    assert.deepStrictEqual([statusUnder(0.75).m1, statusUnder(0.75).m2], ["absent", "absent"])
  })

  it("a member away on city business at the opening stays excused", () => {
    const entries = attendance({ m7: { _tag: "ExcusedCityBusiness", member: "m7" } })
    const state = spec().given([...openRegular(entries), { _tag: "MeetingAdjourned", meetingId, at: later }]).state
    assert.strictEqual(attendanceRecordsOf(state, sacramentoCommissionAttendance).find((record) => record.member === "m7")?.status, "excused-city-business")
  })
})

describe("meeting: items not on the agenda (54954.2(b))", () => {
  const add = (basis: Extract<import("../../src/commission/MeetingEvents.ts").MeetingCommand, { _tag: "AddNonAgendaItem" }>["basis"], roll = rollFor(attendance())) => ({
    _tag: "AddNonAgendaItem" as const,
    meetingId,
    item: { itemId: "9", description: "Response to the overnight flooding of the district station" },
    basis,
    roll
  })

  it("an emergency found by a majority of the full membership is taken up, with its vote recorded", () => {
    const [event] = spec().given(openRegular()).when(add({ _tag: "Emergency", finding: "station flooded" }), context(during)).thenAccepted()
    assert.strictEqual(event?._tag, "NonAgendaItemAdded")
    if (event?._tag === "NonAgendaItemAdded") {
      assert.strictEqual(event.citation, "Gov. Code 54954.2(b)(1)")
      assert.deepStrictEqual([event.vote?.tally.ayes, event.vote?.tally.needed, event.vote?.tally.carried], [8, 5, true])
    }
  })

  it("an emergency with 4 ayes of 9 seats is refused with the tally", () => {
    const roll = rollFor(attendance(), { m5: { _tag: "No", member: "m5" }, m6: { _tag: "No", member: "m6" }, m7: { _tag: "No", member: "m7" }, m8: { _tag: "No", member: "m8" } })
    const refusal = spec().given(openRegular()).when(add({ _tag: "Emergency", finding: "x" }, roll), context(during)).thenRefused("NonAgendaItemRefused")
    assert.strictEqual(refusal.rule, "non-agenda-finding-vote")
    assert.deepStrictEqual([refusal.tally?.ayes, refusal.tally?.needed], [4, 5])
  })

  it("a need that arose after posting needs two thirds of those present: 6 of 8 carries, 5 of 8 does not", () => {
    const no = (member: string) => ({ _tag: "No" as const, member })
    spec().given(openRegular()).when(add({ _tag: "NeedAroseAfterPosting", finding: "grant deadline", cameToAttentionAt: aroseAt }, rollFor(attendance(), { m7: no("m7"), m8: no("m8") })), context(during)).thenAccepted()
    spec().given(openRegular()).when(add({ _tag: "NeedAroseAfterPosting", finding: "grant deadline", cameToAttentionAt: aroseAt }, rollFor(attendance(), { m6: no("m6"), m7: no("m7"), m8: no("m8") })), context(during)).thenRefused("NonAgendaItemRefused")
  })

  it("the need must have come to the body's attention after the agenda was posted", () => {
    const known = DateTime.subtract(regularAt, { hours: 81 })
    const refusal = spec().given(openRegular()).when(add({ _tag: "NeedAroseAfterPosting", finding: "known all along", cameToAttentionAt: known }), context(during)).thenRefused("NonAgendaItemRefused")
    assert.strictEqual(refusal.rule, "need-arose-after-posting")
  })

  it("with fewer than two thirds of the members present, it needs every member present", () => {
    const absent = (member: string) => ({ _tag: "Absent" as const, member })
    const entries = attendance({ m1: absent("m1"), m2: absent("m2"), m3: absent("m3") })
    const one = rollFor(entries, { m8: { _tag: "No", member: "m8" } })
    const refusal = spec().given(openRegular(entries)).when(add({ _tag: "NeedAroseAfterPosting", finding: "x", cameToAttentionAt: aroseAt }, one), context(during)).thenRefused("NonAgendaItemRefused")
    assert.deepStrictEqual([refusal.tally?.ayes, refusal.tally?.needed], [4, 5])
    spec().given(openRegular(entries)).when(add({ _tag: "NeedAroseAfterPosting", finding: "x", cameToAttentionAt: aroseAt }, rollFor(entries)), context(during)).thenAccepted()
  })

  it("an item continued from a meeting held 5 days earlier is taken up; 6 days earlier is refused", () => {
    const fiveDays = DateTime.subtract(regularAt, { days: 5 })
    const [event] = spec().given(openRegular()).when(add({ _tag: "ContinuedFromPriorMeeting", priorMeetingId: "cpc-2026-03-07", priorMeetingHeldAt: fiveDays }, []), context(during)).thenAccepted()
    assert.isTrue(event?._tag === "NonAgendaItemAdded" && event.vote === undefined)
    const refusal = spec().given(openRegular()).when(add({ _tag: "ContinuedFromPriorMeeting", priorMeetingId: "cpc-2026-03-06", priorMeetingHeldAt: DateTime.subtract(regularAt, { days: 6 }) }, []), context(during)).thenRefused("NonAgendaItemRefused")
    assert.strictEqual(refusal.rule, "continued-within-days")
  })

  it("anything else is refused, naming the rule", () => {
    const refusal = spec().given(openRegular()).when(add({ _tag: "Other", reason: "the chair would like to discuss it" }), context(during)).thenRefused("NonAgendaItemRefused")
    assert.strictEqual(refusal.rule, "non-agenda-basis-allowed")
    assert.strictEqual(refusal.citation, "Gov. Code 54954.2(b)(1)")
  })

  it("California has no agenda amendment path", () => {
    spec().given(openRegular()).when(add({ _tag: "AmendedRegularAgenda" }), context(during)).thenRefused("NonAgendaItemRefused")
  })

  it("a special meeting takes up only its noticed business, even in an emergency (54956(a))", () => {
    const special = [scheduledEvent("special"), { ...(opened() as Extract<MeetingEvent, { _tag: "MeetingOpened" }>), kind: "special" as const }]
    const refusal = spec().given(special).when(add({ _tag: "Emergency", finding: "x" }), context(during)).thenRefused("NonAgendaItemRefused")
    assert.strictEqual(refusal.rule, "special-meeting-noticed-business-only")
  })
})

describe("meeting: public comment and votes", () => {
  const vote = (roll = rollFor(attendance()), form: "roll-call" | "voice" = "roll-call", itemId = "2") => ({
    _tag: "RecordVote" as const,
    meetingId,
    itemId,
    motion: "Adopt the recommendation",
    form,
    roll
  })
  const comment = (minutes: number, usedTranslator = false, simultaneousInterpretation = false) => ({
    _tag: "RecordPublicComment" as const,
    meetingId,
    itemId: "2",
    speaker: "Ana Reyes",
    nameConsent: false,
    minutes,
    usedTranslator,
    simultaneousInterpretation
  })

  it("refuses a vote on an item before the public could comment on it (54954.3(a))", () => {
    spec().given(openRegular()).when(vote(), context(during)).thenRefused("PublicCommentNotHeld")
  })

  it("refuses a vote on an item that is not on the agenda nor added", () => {
    const refusal = spec().given([...openRegular(), commentOpened("2")]).when(vote(rollFor(attendance()), "roll-call", "7"), context(during)).thenRefused("ItemNotNoticed")
    assert.strictEqual(refusal.rule, "act-only-on-noticed-items")
  })

  it("records a roll call vote with its tally; a carried motion decides the item", () => {
    const roll = rollFor(attendance(), {
      m2: { _tag: "No", member: "m2" },
      m3: { _tag: "Abstain", member: "m3" },
      m4: { _tag: "Recused", member: "m4", reason: "owns property on the affected block" }
    })
    const given = spec().given([...openRegular(), commentOpened("2")]).when(vote(roll), context(during))
    given.then([{
      _tag: "VoteRecorded",
      meetingId,
      itemId: "2",
      motion: "Adopt the recommendation",
      form: "roll-call",
      roll,
      tally: { ayes: 5, noes: 1, abstentions: 1, recusals: 1, absent: 0, threshold: "majority-of-present", needed: 4, carried: true },
      at: during
    }])
    const state = given.stateAfter()
    assert.strictEqual(state._tag === "Meeting" ? state.items[1]?.disposition : undefined, "decided")
  })

  it("an action requiring a majority of the full membership fails with 4 ayes of 9 seats", () => {
    const no = (member: string) => ({ _tag: "No" as const, member })
    const [event] = spec().given([...openRegular(), commentOpened("2")])
      .when({ ...vote(rollFor(attendance(), { m5: no("m5"), m6: no("m6"), m7: no("m7"), m8: no("m8") })), threshold: "majority-of-full-membership" }, context(during))
      .thenAccepted()
    assert.isTrue(event?._tag === "VoteRecorded" && !event.tally.carried && event.tally.needed === 5)
  })

  it("refuses a roll call that records a present member absent, or an absent member voting", () => {
    const entries = attendance({ m8: { _tag: "Absent", member: "m8" } })
    const roll = rollFor(attendance())
    const refusal = spec().given([...openRegular(entries), commentOpened("2")]).when(vote(roll), context(during)).thenRefused("RollCallMismatch")
    assert.deepStrictEqual(refusal.problems, ["m8 is absent but recorded as voting"])
  })

  it("refuses a voice vote when anyone attends remotely (54953(b)(2)(A)); takes it otherwise", () => {
    const entries = attendance({ m1: { _tag: "Remote", member: "m1", basis: "just-cause", remoteMeetingsEarlierThisYear: 0 } })
    spec().given([...openRegular(entries), commentOpened("2")]).when(vote(rollFor(entries), "voice"), context(during)).thenRefused("RollCallRequired")
    spec().given([...openRegular(), commentOpened("2")]).when(vote(rollFor(attendance()), "voice"), context(during)).thenAccepted()
  })

  it("public comment: within the limit, double for a translator's user, not double with simultaneous interpretation", () => {
    const given = spec().given([...openRegular(), commentOpened("2")])
    given.when(comment(3), context(during)).thenAccepted()
    given.when(comment(4), context(during)).thenRefused("CommentOverTimeLimit")
    const [doubled] = given.when(comment(6, true), context(during)).thenAccepted()
    assert.isTrue(doubled?._tag === "PublicCommentHeard" && doubled.limitMinutes === 6)
    given.when(comment(6, true, true), context(during)).thenRefused("CommentOverTimeLimit")
  })

  it("public comment only while the item is open for it: not before the call, not after the decision", () => {
    spec().given(openRegular()).when(comment(1), context(during)).thenRefused("PublicCommentNotOpen")
    const decided: MeetingEvent = {
      _tag: "VoteRecorded",
      meetingId,
      itemId: "2",
      motion: "m",
      form: "roll-call",
      roll: rollFor(attendance()),
      tally: { ayes: 8, noes: 0, abstentions: 0, recusals: 0, absent: 0, threshold: "majority-of-present", needed: 5, carried: true },
      at: during
    }
    spec().given([...openRegular(), commentOpened("2"), decided]).when(comment(1), context(during)).thenRefused("PublicCommentNotOpen")
    spec().given([...openRegular(), commentOpened("2"), decided]).when(vote(), context(during)).thenRefused("ItemAlreadyDisposed")
  })

  it("a continued item is put over and cannot then be voted on", () => {
    const given = spec().given([...openRegular(), commentOpened("2")])
    const state = given.when({ _tag: "ContinueItem", meetingId, itemId: "2", toMeetingId: "cpc-2026-04-09" }, context(during)).stateAfter()
    spec().given([...openRegular(), commentOpened("2"), { _tag: "ItemContinued", meetingId, itemId: "2", toMeetingId: "cpc-2026-04-09", at: during }])
      .when(vote(), context(during)).thenRefused("ItemAlreadyDisposed")
    assert.strictEqual(state._tag === "Meeting" ? state.items[1]?.disposition : undefined, "continued")
  })
})

describe("meeting: closed session, documents, adjournment and minutes", () => {
  it("refuses a closed session on a basis not in the list", () => {
    const refusal = spec().given(openRegular()).when({ _tag: "AnnounceClosedSession", meetingId, sessionId: "cs1", itemId: "2", basisId: "budget", description: "x" }, context(during))
      .thenRefused("ClosedSessionBasisUnknown")
    assert.include(refusal.bases, "personnel")
  })

  it("a closed session is business on the agenda: one for an item not noticed is refused", () => {
    spec().given(openRegular()).when({ _tag: "AnnounceClosedSession", meetingId, sessionId: "cs1", itemId: "7", basisId: "personnel", description: "x" }, context(during))
      .thenRefused("ItemNotNoticed")
  })

  it("announced with its citation before, reported after; adjourning is refused while a report is owed (54957.7, 54957.1)", () => {
    const announce = spec().given(openRegular()).when({ _tag: "AnnounceClosedSession", meetingId, sessionId: "cs1", itemId: "2", basisId: "personnel", description: "evaluation of the inspector general" }, context(during))
    const [announced] = announce.thenAccepted()
    assert.isTrue(announced?._tag === "ClosedSessionAnnounced" && announced.citation === "Gov. Code 54957(b)(1)")
    const history = [...openRegular(), announced!]
    const owed = spec().given(history).when({ _tag: "AdjournMeeting", meetingId }, context(later)).thenRefused("ClosedSessionOutOfOrder")
    assert.strictEqual(owed.rule, "closed-session-reported-after")
    const [report] = spec().given(history).when({
      _tag: "ReportClosedSession",
      meetingId,
      sessionId: "cs1",
      actions: [{ description: "evaluation accepted", roll: rollFor(attendance()) }]
    }, context(later)).thenAccepted()
    spec().given([...history, report!]).when({ _tag: "AdjournMeeting", meetingId }, context(later)).thenAccepted()
    spec().given(openRegular()).when({ _tag: "ReportClosedSession", meetingId, sessionId: "cs9", actions: [] }, context(later)).thenRefused("ClosedSessionOutOfOrder")
  })

  it("a writing given to a majority less than 72 hours before a regular meeting is public from that moment (54957.5(b))", () => {
    const given = spec().given([scheduledEvent(), posted(before(80))])
    const [late] = given.when({ _tag: "DistributeDocument", meetingId, documentId: "d1", title: "Staff report", distributedAt: before(30), toMajority: true }, context(before(29)))
      .thenAccepted()
    assert.isTrue(late?._tag === "MeetingDocumentDistributed" && late.late && DateTime.Equivalence(late.publicAt, before(30)) && late.citation === "Gov. Code 54957.5(b)")
    const [early] = given.when({ _tag: "DistributeDocument", meetingId, documentId: "d2", title: "Agenda packet", distributedAt: before(73), toMajority: true }, context(before(29)))
      .thenAccepted()
    assert.isTrue(early?._tag === "MeetingDocumentDistributed" && !early.late)
  })

  it("minutes are drafted after adjournment and approved only at a later meeting", () => {
    const adjourned: MeetingEvent = { _tag: "MeetingAdjourned", meetingId, at: later }
    const drafted: MeetingEvent = { _tag: "MinutesDrafted", meetingId, text: "Minutes of 12 March", at: DateTime.add(later, { days: 3 }) }
    spec().given(openRegular()).when({ _tag: "DraftMinutes", meetingId, text: "x" }, context(during)).thenRefused("WrongMeetingPhase")
    spec().given([...openRegular(), adjourned]).when({ _tag: "ApproveMinutes", meetingId, approvedAtMeetingId: "cpc-2026-04-09", approvedAtMeetingHeldAt: at("2026-04-10T01:00:00Z") }, context(at("2026-04-10T02:00:00Z")))
      .thenRefused("WrongMeetingPhase")
    spec().given([...openRegular(), adjourned, drafted]).when({ _tag: "ApproveMinutes", meetingId, approvedAtMeetingId: meetingId, approvedAtMeetingHeldAt: at("2026-04-10T01:00:00Z") }, context(at("2026-04-10T02:00:00Z")))
      .thenRefused("MinutesApprovalNotLater")
    spec().given([...openRegular(), adjourned, drafted]).when({ _tag: "ApproveMinutes", meetingId, approvedAtMeetingId: "cpc-2026-04-09", approvedAtMeetingHeldAt: at("2026-04-10T01:00:00Z") }, context(at("2026-04-10T02:00:00Z")))
      .thenAccepted()
  })

  it("no vote after adjournment", () => {
    spec().given([...openRegular(), commentOpened("2"), { _tag: "MeetingAdjourned", meetingId, at: later }])
      .when({ _tag: "RecordVote", meetingId, itemId: "2", motion: "m", form: "roll-call", roll: rollFor(attendance()) }, context(later))
      .thenRefused("WrongMeetingPhase")
  })
})
