import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Result, Schema } from "effect"
import { AccessPolicy, type Actor, type DecisionContext, EventStore, handleCommand, redact, sacramento } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { deciderSpec } from "@community-policing/testkit"
import { absenceReviewsDue, calendarYearOf, countedAbsences } from "../../src/commission/Attendance.ts"
import {
  attendanceReview,
  type AttendanceReviewCommand,
  attendanceReviewDecider,
  attendanceReviewEvents,
  AttendanceReviewEvent,
  attendanceReviewStream
} from "../../src/commission/AttendanceReview.ts"
import { AttendanceSettings } from "../../src/commission/AttendanceSettings.ts"
import { sacramentoCommissionAttendance } from "../../src/commission/CommissionPresets.ts"
import { commissionClerkAccessRule } from "../../src/commission/Seats.ts"
import type { AttendanceRecord, AttendanceStatus, MeetingKind } from "../../src/commission/Membership.ts"

const commission = "scprc"
const zone = "America/Los_Angeles"
const clerk: Actor = { _tag: "Staff", id: "clerk-01", roles: ["clerk"], districts: [] }
const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)
const context = (iso = "2026-11-20T17:00:00Z"): DecisionContext => ({ now: at(iso), actor: clerk })

const record = (
  meetingId: string,
  heldAt: string,
  status: AttendanceStatus = "absent",
  member = "m-07",
  meetingKind: MeetingKind = "regular"
): AttendanceRecord => ({ meetingId, meetingKind, heldAt: at(heldAt), member, status })

// Regular meetings on the second Thursday, 6 p.m. Pacific.
const jan = record("2026-01", "2026-01-09T02:00:00Z")
const apr = record("2026-04", "2026-04-10T01:00:00Z")
const sep = record("2026-09", "2026-09-11T01:00:00Z")
const oct = record("2026-10", "2026-10-09T01:00:00Z")

const spec = (settings = sacramentoCommissionAttendance) => deciderSpec(attendanceReviewDecider(sacramento, settings))
const key = { commission, member: "m-07", year: 2026 } as const
const open = (absences: ReadonlyArray<AttendanceRecord>): AttendanceReviewCommand => ({ _tag: "OpenAttendanceReview", ...key, absences: [...absences] })

describe("counting absences (Sacramento City Code 2.40.080)", () => {
  const s = sacramentoCommissionAttendance

  it("counts absences from regular meetings; city business (C)(1) and remote attendance do not count", () => {
    const records = [
      jan,
      record("2026-02", "2026-02-13T02:00:00Z", "excused-city-business"),
      record("2026-03", "2026-03-13T01:00:00Z", "present-remote"),
      apr,
      record("2026-05", "2026-05-08T01:00:00Z", "present")
    ]
    assert.deepStrictEqual(countedAbsences(s, zone, records, "m-07", 2026).map((r) => r.meetingId), ["2026-01", "2026-04"])
  })

  it("counts regular meetings only, unless the settings count other kinds", () => {
    const special = record("2026-s1", "2026-06-01T01:00:00Z", "absent", "m-07", "special")
    assert.strictEqual(countedAbsences(s, zone, [jan, special], "m-07", 2026).length, 1)
    assert.strictEqual(countedAbsences({ ...s, countedMeetingKinds: ["regular", "special"] }, zone, [jan, special], "m-07", 2026).length, 2)
  })

  it("reads the calendar year in the city's zone: a meeting at 18:00 on 31 December Pacific is in that year", () => {
    const newYearsEve = record("2026-12-31", "2027-01-01T02:00:00Z")
    assert.strictEqual(calendarYearOf(newYearsEve.heldAt, zone), 2026)
    assert.strictEqual(countedAbsences(s, zone, [newYearsEve], "m-07", 2026).length, 1)
    assert.strictEqual(countedAbsences(s, zone, [newYearsEve], "m-07", 2027).length, 0)
  })

  it("lists the reviews due: members at or over the threshold in a year, with their absences", () => {
    const other = record("2026-01", "2026-01-09T02:00:00Z", "absent", "m-02")
    const due = absenceReviewsDue(s, zone, [jan, apr, other, sep, record("2025-12", "2025-12-12T02:00:00Z")])
    assert.deepStrictEqual(due.map((d) => [d.member, d.year, d.absences.length]), [["m-07", 2026, 3]])
  })

  it("the settings refuse a zero threshold, an empty list of meeting kinds and a presence share outside [0, 1)", () => {
    const decode = Schema.decodeUnknownResult(AttendanceSettings)
    assert.isTrue(Result.isSuccess(decode(s)))
    assert.isTrue(Result.isFailure(decode({ ...s, absencesForReview: 0 })))
    assert.isTrue(Result.isFailure(decode({ ...s, countedMeetingKinds: [] })))
    assert.isTrue(Result.isFailure(decode({ ...s, presentAboveShare: 1 })))
    assert.isTrue(Result.isFailure(decode({ ...s, presentAboveShare: -0.1 })))
  })
})

describe("opening a removal review: evidence checked", () => {
  it("given nothing, when opened with three absences from regular meetings in 2026, then the review is opened with them as evidence", () => {
    spec().given([]).when(open([jan, apr, sep]), context()).then([{
      _tag: "AttendanceReviewOpened",
      ...key,
      absences: [jan, apr, sep],
      threshold: 3,
      at: at("2026-11-20T17:00:00Z")
    }])
  })

  it("two absences are too few (absence-threshold), naming the setting and its source", () => {
    const refused = spec().given([]).when(open([jan, apr]), context()).thenRefused("TooFewAbsences")
    assert.deepStrictEqual([refused.rule, refused.counted, refused.threshold], ["absence-threshold", 2, 3])
    assert.match(refused.message, /2\.40\.080/)
  })

  it("a city with a threshold of 4 needs four", () => {
    spec({ ...sacramentoCommissionAttendance, absencesForReview: 4 }).given([]).when(open([jan, apr, sep]), context()).thenRefused("TooFewAbsences")
    spec({ ...sacramentoCommissionAttendance, absencesForReview: 4 }).given([]).when(open([jan, apr, sep, oct]), context()).thenAccepted()
  })

  it("evidence that is not a counted absence of the member in the year is refused, each record named", () => {
    const cases: ReadonlyArray<readonly [AttendanceRecord, RegExp]> = [
      [record("2026-02", "2026-02-13T02:00:00Z", "excused-city-business"), /excused-city-business, not absent/],
      [record("2026-03", "2026-03-13T01:00:00Z", "present-remote"), /present-remote, not absent/],
      [record("2026-02", "2026-02-13T02:00:00Z", "absent", "m-02"), /m-02's/],
      [record("2025-12", "2025-12-12T02:00:00Z"), /held in 2025/],
      [record("2026-s", "2026-06-01T01:00:00Z", "absent", "m-07", "special"), /only regular meetings count/],
      [record("2026-12", "2026-12-11T02:00:00Z"), /held after now/],
      [apr, /given twice/]
    ]
    for (const [bad, problem] of cases) {
      const refused = spec().given([]).when(open([jan, apr, sep, bad]), context()).thenRefused("InvalidAbsenceEvidence")
      assert.strictEqual(refused.rule, "evidence-of-absences")
      assert.match(refused.message, problem)
    }
  })

  it("one review per member and year", () => {
    const opened = spec().givenCommands([{ command: open([jan, apr, sep]), context: context() }])
    const refused = opened.when(open([jan, apr, sep, oct]), context("2026-11-21T17:00:00Z")).thenRefused("AttendanceReviewExists")
    assert.strictEqual(refused.rule, "one-review-per-member-year")
  })
})

describe("the review's workflow: notice, consultation, hearing, decision — never a removal", () => {
  const opened = spec().givenCommands([{ command: open([jan, apr, sep]), context: context("2026-09-20T17:00:00Z") }])
  const notice: AttendanceReviewCommand = { _tag: "RecordAbsenceNotice", ...key }
  const consult: AttendanceReviewCommand = {
    _tag: "RecordAuthorityConsulted",
    ...key,
    authority: { _tag: "council-member", district: "7" },
    note: "supports a warning"
  }
  const reasons = { retain: "absences from a family emergency; attendance since restored", "recommend-removal": "no answer, no attendance since" }
  const decide = (outcome: "retain" | "recommend-removal"): AttendanceReviewCommand => ({
    _tag: "DecideAttendanceReview",
    ...key,
    outcome,
    reason: reasons[outcome]
  })

  it("a decision before the written notice is refused (notice-before-decision, 2.40.080(B))", () => {
    assert.strictEqual(opened.when(decide("retain"), context()).thenRefused("AttendanceReviewStepRefused").rule, "notice-before-decision")
  })

  it("a decision before the recommending authority is consulted is refused (consultation-before-decision)", () => {
    const notified = spec().given([...opened.events, ...opened.when(notice, context("2026-09-21T17:00:00Z")).thenAccepted()])
    assert.strictEqual(notified.when(decide("retain"), context()).thenRefused("AttendanceReviewStepRefused").rule, "consultation-before-decision")
    // A city that does not consult decides after the notice.
    deciderSpec(attendanceReviewDecider(sacramento, { ...sacramentoCommissionAttendance, consultRecommendingAuthority: false }))
      .given(notified.events).when(decide("retain"), context()).thenAccepted()
  })

  it("the member is heard and the consultation recorded only after the notice", () => {
    opened.when({ _tag: "RecordMemberHeard", ...key, statement: "I was ill" }, context()).thenRefused("AttendanceReviewStepRefused")
    opened.when(consult, context()).thenRefused("AttendanceReviewStepRefused")
  })

  it("notice, consultation, hearing, then a decision with its reason; the decision is the only event, no removal", () => {
    const full = spec().givenCommands([
      { command: open([jan, apr, sep]), context: context("2026-09-20T17:00:00Z") },
      { command: notice, context: context("2026-09-21T17:00:00Z") },
      { command: consult, context: context("2026-09-28T17:00:00Z") },
      { command: { _tag: "RecordMemberHeard", ...key, statement: "I was ill" }, context: context("2026-10-02T17:00:00Z") }
    ])
    for (const outcome of ["retain", "recommend-removal"] as const) {
      const events = full.when(decide(outcome), context()).then([{
        _tag: "AttendanceReviewDecided",
        ...key,
        outcome,
        reason: reasons[outcome],
        at: at("2026-11-20T17:00:00Z")
      }])
      assert.isTrue(events.every((event) => attendanceReviewEvents.eventTypes.has(event._tag) && event._tag === "AttendanceReviewDecided"))
    }
    const decided = spec().given([...full.events, ...full.when(decide("retain"), context()).thenAccepted()])
    assert.strictEqual(decided.state._tag, "Decided")
    decided.when(decide("recommend-removal"), context("2026-11-21T17:00:00Z")).thenRefused("AttendanceReviewStepRefused")
    decided.when(notice, context("2026-11-21T17:00:00Z")).thenRefused("AttendanceReviewStepRefused")
  })

  it("a notice recorded twice is refused (review-step-order)", () => {
    const notified = spec().given([...opened.events, ...opened.when(notice, context("2026-09-21T17:00:00Z")).thenAccepted()])
    assert.strictEqual(notified.when(notice, context()).thenRefused("AttendanceReviewStepRefused").rule, "review-step-order")
  })

  it("no step on a review never opened", () => {
    spec().given([]).when(notice, context()).thenRefused("AttendanceReviewStepRefused")
  })
})

describe("attendance review through handleCommand (memory store)", () => {
  const tenantId = "sacramento"
  const Reviews = attendanceReview(sacramento, sacramentoCommissionAttendance)
  const TestLayer = Layer.merge(MemoryStore.layer(), AccessPolicy.fromRules([commissionClerkAccessRule({ roles: ["clerk"] })]))

  it.effect("opened and decided in the member's stream; the public view of its events carries no statement or reason", () =>
    Effect.gen(function*() {
      // The test clock stands at 1970: evidence must not be later than now, so the meetings are in 1969.
      const old = (id: string, iso: string) => record(id, iso)
      const absences = [old("a", "1969-02-01T02:00:00Z"), old("b", "1969-03-01T02:00:00Z"), old("c", "1969-04-01T02:00:00Z")]
      const review = { commission, member: "m-07", year: 1969 }
      const send = (command: AttendanceReviewCommand, commandId: string) => handleCommand(Reviews, { tenantId, commandId, actor: clerk, command })
      yield* send({ _tag: "OpenAttendanceReview", ...review, absences }, "c1")
      yield* send({ _tag: "RecordAbsenceNotice", ...review }, "c2")
      yield* send({ _tag: "RecordAuthorityConsulted", ...review, authority: { _tag: "mayor" }, note: "consulted" }, "c3")
      yield* send({ _tag: "RecordMemberHeard", ...review, statement: "private medical matter" }, "c4")
      const outcome = yield* send({ _tag: "DecideAttendanceReview", ...review, outcome: "retain", reason: "medical leave" }, "c5")
      const stored = yield* (yield* EventStore).readStream(tenantId, attendanceReviewStream(review))
      assert.deepStrictEqual(stored.map((e) => e.eventType), [
        "AttendanceReviewOpened",
        "MemberNotifiedOfAbsences",
        "RecommendingAuthorityConsulted",
        "MemberHeard",
        "AttendanceReviewDecided"
      ])
      assert.strictEqual(outcome.streamId, "attendance-review/scprc/1969/m-07")
      const events = stored.map((e) => Result.getOrThrow(attendanceReviewEvents.decode(e)))
      assert.include(JSON.stringify(events.map((e) => redact(AttendanceReviewEvent, e, "staff"))), "private medical matter")
      const publicView = JSON.stringify(events.map((e) => redact(AttendanceReviewEvent, e, "public")))
      assert.notInclude(publicView, "private medical matter")
      assert.notInclude(publicView, "medical leave")
    }).pipe(Effect.provide(TestLayer)))
})
