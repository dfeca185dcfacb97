/**
 * The annual report (Sacramento City Code 2.100.030(C)) from a small record:
 * meetings and attendance of the year only (placed in the year on the
 * jurisdiction's calendar), recommendations by status at the year's end,
 * time to answer and to implement, overdue answers, complaint trends.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import { deciderSpec } from "@community-policing/testkit"
import { annualReport, type HeldMeeting, median } from "../../src/commission/AnnualReport.ts"
import type { ComplaintReportRow } from "../../src/commission/ComplaintReports.ts"
import type { AttendanceRecord } from "../../src/commission/Membership.ts"
import { type RecommendationCommand, recommendationDecider, type RecommendationState } from "../../src/commission/Recommendation.ts"
import { at, ctx, options, wholePath } from "./RecommendationFixtures.ts"

const spec = deciderSpec(recommendationDecider(options))
const stateOf = (commands: ReadonlyArray<RecommendationCommand>): RecommendationState =>
  spec.givenCommands(commands.map((command) => ({ command, context: ctx() }))).state

const meetings: ReadonlyArray<HeldMeeting> = [
  // 31 Dec 2025 at 18:00 Pacific is 1 Jan 2026 in UTC: still 2025 for Sacramento.
  { meetingId: "m0", kind: "regular", heldAt: at("2026-01-01T02:00:00Z") },
  { meetingId: "m1", kind: "regular", heldAt: at("2026-01-09T02:00:00Z") },
  { meetingId: "m2", kind: "special", heldAt: at("2026-03-03T02:00:00Z") },
  { meetingId: "m3", kind: "regular", heldAt: at("2026-12-11T02:00:00Z") },
  { meetingId: "m4", kind: "emergency", heldAt: at("2026-07-04T20:00:00Z") }
]

const attendance: ReadonlyArray<AttendanceRecord> = meetings.flatMap((meeting): ReadonlyArray<AttendanceRecord> => [
  { meetingId: meeting.meetingId, meetingKind: meeting.kind, heldAt: meeting.heldAt, member: "m-a", status: "present" },
  {
    meetingId: meeting.meetingId,
    meetingKind: meeting.kind,
    heldAt: meeting.heldAt,
    member: "m-b",
    status: meeting.meetingId === "m2" ? "excused-city-business" : meeting.kind === "regular" ? "absent" : "present-remote"
  }
])

const complaints: ReadonlyArray<ComplaintReportRow> = [
  { quarter: "2025-Q4", kind: "force", status: "pending", district: "1", count: 4 },
  { quarter: "2026-Q1", kind: "force", status: "pending", district: "1", count: 6 },
  { quarter: "2026-Q3", kind: "force", status: "sustained", district: "2", count: 1 },
  { quarter: "2027-Q1", kind: "force", status: "pending", district: "1", count: 99 }
]

const path = wholePath("implemented")
const recommendations: ReadonlyArray<RecommendationState> = [
  // Transmitted 20 Feb, answered 1 Apr (40 days), implemented 1 Aug, 170.625 days after the vote.
  stateOf(path),
  // Transmitted 20 Feb, never answered: overdue at the year's end.
  stateOf(wholePath("waiting").slice(0, 3)),
  // Answered 19 days after transmittal, then declined and closed.
  stateOf([
    ...wholePath("declined").slice(0, 3),
    {
      _tag: "AnswerRecommendation",
      recommendationId: "declined",
      answer: "declined",
      reasons: "No budget.",
      respondent: "city-council",
      answeredAt: at("2026-03-11T18:00:00Z")
    },
    { _tag: "CloseRecommendation", recommendationId: "declined", reason: "Declined.", closedAt: at("2026-03-12T18:00:00Z") }
  ]),
  // Drafted after the year: not in it.
  stateOf([{ _tag: "DraftRecommendation", recommendationId: "next-year", title: "t", text: "x", draftedAt: at("2027-01-15T00:00:00Z") }]),
  { _tag: "NoRecommendation" }
]

const report = () => {
  const result = annualReport({ year: 2026, timeZone: "America/Los_Angeles", meetings, attendance, recommendations, complaintReports: complaints })
  if (Result.isFailure(result)) return assert.fail(result.failure.message)
  return result.success
}

describe("annualReport", () => {
  it("counts the year's meetings by kind, on the jurisdiction's calendar", () => {
    assert.deepStrictEqual(report().meetings, { total: 4, regular: 2, special: 1, emergency: 1 })
    assert.isTrue(DateTime.Equivalence(report().asOf, at("2027-01-01T08:00:00Z")))
  })

  it("sums each member's attendance, absences from regular meetings apart", () => {
    assert.deepStrictEqual(report().attendance, [
      { member: "m-a", meetings: 4, present: 4, presentRemote: 0, absent: 0, excused: 0, absencesFromRegular: 0 },
      { member: "m-b", meetings: 4, present: 0, presentRemote: 1, absent: 2, excused: 1, absencesFromRegular: 2 }
    ])
  })

  it("gives the recommendations by status at the year's end, the year's steps and answers", () => {
    const summary = report().recommendations
    assert.deepStrictEqual(summary.byStatus, {
      drafted: 0,
      adopted: 0,
      transmitted: 1,
      answered: 0,
      implementing: 0,
      implemented: 1,
      closed: 1
    })
    assert.deepStrictEqual(
      [summary.adopted, summary.transmitted, summary.answered, summary.implemented, summary.closed],
      [3, 3, 2, 1, 1]
    )
    assert.deepStrictEqual(summary.answers, { accepted: 0, "partly-accepted": 1, declined: 1 })
  })

  it("measures time to answer and to implement in real elapsed days", () => {
    const summary = report().recommendations
    assert.deepStrictEqual(summary.timeToAnswer, { count: 2, medianDays: 29.5, maxDays: 40 })
    assert.deepStrictEqual(summary.timeToImplement, { count: 1, medianDays: 170.625, maxDays: 170.625 })
  })

  it("lists the answers overdue at the year's end", () => {
    const overdue = report().recommendations.overdueAtYearEnd
    assert.deepStrictEqual(overdue.map((late) => [late.recommendationId, late.waitingDays]), [["waiting", 314]])
  })

  it("compares each reported quarter of the year with the one before", () => {
    const trends = report().complaints
    assert.deepStrictEqual(trends.map((q) => [q.quarter, q.total.count, q.total.previous, q.previousReported]), [
      ["2026-Q1", 6, 4, true],
      ["2026-Q3", 1, 0, false]
    ])
  })

  it("judges the status as it stood at the year's end, not now", () => {
    const later = annualReport({
      year: 2026,
      timeZone: "America/Los_Angeles",
      meetings: [],
      attendance: [],
      recommendations: [stateOf([...wholePath("late").slice(0, 3), { _tag: "AnswerRecommendation", recommendationId: "late", answer: "accepted", reasons: "Late but yes.", respondent: "city-council", answeredAt: at("2027-02-01T00:00:00Z") }])],
      complaintReports: []
    })
    assert.isTrue(Result.isSuccess(later))
    if (Result.isSuccess(later)) {
      assert.strictEqual(later.success.recommendations.byStatus.transmitted, 1)
      assert.strictEqual(later.success.recommendations.overdueAtYearEnd.length, 1)
      assert.strictEqual(later.success.recommendations.answered, 0)
    }
  })

  it("refuses an unknown time zone", () => {
    const result = annualReport({ year: 2026, timeZone: "Mars/Olympus", meetings, attendance, recommendations, complaintReports: complaints })
    assert.isTrue(Result.isFailure(result) && result.failure._tag === "UnknownTimeZone")
  })

  it("median of an even count is the mean of the middle two", () => {
    assert.strictEqual(median([4, 1, 3, 2]), 2.5)
    assert.isUndefined(median([]))
  })
})
