/**
 * The commission's annual report to the mayor and council (Sacramento City
 * Code 2.100.030(C): the commission reports at least once a year), generated
 * from the record: the meetings held and the members' attendance, the
 * recommendations by status with the time the city took to answer and to
 * carry them out, and the complaint counts quarter over quarter. A pure
 * function of the read models' summaries; rendering it (HTML, PDF) is the
 * app's.
 *
 * @module
 */
import { DateTime, Option, Result } from "effect"
import { UnknownTimeZone } from "../kernel/Deadline.ts"
import { type ComplaintReportRow, compareQuarters, type QuarterComparison, quarterOf } from "./ComplaintReports.ts"
import type { AttendanceRecord, MeetingKind, MemberId } from "./Membership.ts"
import {
  type DraftedRecommendation,
  type OverdueAnswer,
  overdueAnswers,
  type RecommendationAnswer,
  RecommendationStage,
  type RecommendationState
} from "./Recommendation.ts"

/** A meeting the commission held, as the meetings' read model lists it. */
export interface HeldMeeting {
  readonly meetingId: string
  readonly kind: MeetingKind
  /** When it was called to order. */
  readonly heldAt: DateTime.Utc
}

/** What the annual report is generated from. */
export interface AnnualReportInput {
  /** The calendar year reported on. */
  readonly year: number
  /** The jurisdiction's IANA time zone: which instants fall in the year. */
  readonly timeZone: string
  /** The meetings held (any years; the year's are kept). */
  readonly meetings: ReadonlyArray<HeldMeeting>
  /** Every member's attendance at those meetings (any years; the year's are kept). */
  readonly attendance: ReadonlyArray<AttendanceRecord>
  /** Every recommendation's state. */
  readonly recommendations: ReadonlyArray<RecommendationState>
  /** Every imported complaint report row (any quarters). */
  readonly complaintReports: ReadonlyArray<ComplaintReportRow>
}

/** A member's attendance over the year. */
export interface MemberAttendance {
  readonly member: MemberId
  /** Meetings the member's attendance was recorded at. */
  readonly meetings: number
  readonly present: number
  /** Attended remotely (Gov. Code 54953(f)). */
  readonly presentRemote: number
  readonly absent: number
  /** Away on official city business (Sacramento City Code 2.40.080: excused). */
  readonly excused: number
  /** Absences from regular meetings, the count Sacramento City Code 2.40.080 reviews. */
  readonly absencesFromRegular: number
}

/** Durations of one kind, in days of real elapsed time. */
export interface DurationSummary {
  readonly count: number
  /** The median; `undefined` when there is none. */
  readonly medianDays: number | undefined
  /** The longest; `undefined` when there is none. */
  readonly maxDays: number | undefined
}

/** The recommendations part of the report. */
export interface RecommendationsSummary {
  /** Where every recommendation drafted by the year's end stood at the year's end. */
  readonly byStatus: { readonly [K in RecommendationStage]: number }
  /** Steps taken during the year. */
  readonly adopted: number
  readonly transmitted: number
  readonly answered: number
  /** The year's answers by kind. */
  readonly answers: { readonly [K in RecommendationAnswer]: number }
  readonly implemented: number
  readonly closed: number
  /** From transmittal to answer, for the answers given during the year. */
  readonly timeToAnswer: DurationSummary
  /** From adoption to implementation, for the recommendations implemented during the year. */
  readonly timeToImplement: DurationSummary
  /** The answers overdue at the year's end, oldest first. */
  readonly overdueAtYearEnd: ReadonlyArray<OverdueAnswer>
}

/** The annual report (Sacramento City Code 2.100.030(C)). */
export interface AnnualReport {
  readonly year: number
  /** The first instant of the next year: the report's "as of". */
  readonly asOf: DateTime.Utc
  readonly meetings: { readonly total: number } & { readonly [K in MeetingKind]: number }
  /** Each member's attendance, by member id. */
  readonly attendance: ReadonlyArray<MemberAttendance>
  readonly recommendations: RecommendationsSummary
  /** Each quarter of the year that has complaint counts, beside the quarter before. */
  readonly complaints: ReadonlyArray<QuarterComparison>
}

const DAY_MILLIS = 86_400_000
const millis = DateTime.toEpochMillis

/** The median of numbers (the mean of the two middle ones for an even count); `undefined` for none. */
export const median = (values: ReadonlyArray<number>): number | undefined => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const summarize = (days: ReadonlyArray<number>): DurationSummary => ({
  count: days.length,
  medianDays: median(days),
  maxDays: days.length === 0 ? undefined : Math.max(...days)
})

const daysBetween = (from: DateTime.Utc, to: DateTime.Utc): number => (millis(to) - millis(from)) / DAY_MILLIS

/** The stage a recommendation stood at on an instant (its last step at or before it), or `undefined` if not yet drafted. */
export const recommendationStageAt = (recommendation: DraftedRecommendation, at: DateTime.Utc): RecommendationStage | undefined => {
  const by = (instant: DateTime.Utc | undefined) => instant !== undefined && millis(instant) <= millis(at)
  if (!by(recommendation.draftedAt)) return undefined
  if (by(recommendation.closure?.closedAt)) return "closed"
  if (by(recommendation.implemented?.implementedAt)) return "implemented"
  if (recommendation.milestones.some((milestone) => by(milestone.reachedAt))) return "implementing"
  if (by(recommendation.answer?.answeredAt)) return "answered"
  if (by(recommendation.transmittal?.transmittedAt)) return "transmitted"
  if (by(recommendation.adoption?.votedAt)) return "adopted"
  return "drafted"
}

/**
 * The recommendation as it stood at an instant: its steps after it removed,
 * so the list of answers overdue then can be computed.
 */
const asOf = (recommendation: DraftedRecommendation, at: DateTime.Utc): DraftedRecommendation | undefined => {
  const stage = recommendationStageAt(recommendation, at)
  return stage === undefined ? undefined : { ...recommendation, stage }
}

/**
 * Generates the annual report for a year from the record. Instants are
 * placed in the year on the jurisdiction's calendar (`timeZone`); durations
 * are real elapsed time. Fails only for an unknown time zone.
 *
 * @example
 * ```ts
 * const report = annualReport({ year: 2026, timeZone: "America/Los_Angeles", meetings, attendance, recommendations, complaintReports })
 * ```
 */
export const annualReport = (input: AnnualReportInput): Result.Result<AnnualReport, UnknownTimeZone> => {
  const zone = DateTime.zoneMakeNamed(input.timeZone)
  const nextYear = DateTime.makeZoned({ year: input.year + 1, month: 1, day: 1 }, {
    timeZone: input.timeZone,
    adjustForTimeZone: true
  })
  if (Option.isNone(zone) || Option.isNone(nextYear)) {
    return Result.fail(new UnknownTimeZone({ timeZone: input.timeZone, rule: "annual report (Sacramento City Code 2.100.030(C))" }))
  }
  const end = DateTime.toUtc(nextYear.value)
  const inYear = (instant: DateTime.Utc | undefined): instant is DateTime.Utc =>
    instant !== undefined && DateTime.toParts(DateTime.setZone(instant, zone.value)).year === input.year

  const meetings = input.meetings.filter((meeting) => inYear(meeting.heldAt))
  const meetingCounts = {
    total: meetings.length,
    regular: meetings.filter((meeting) => meeting.kind === "regular").length,
    special: meetings.filter((meeting) => meeting.kind === "special").length,
    emergency: meetings.filter((meeting) => meeting.kind === "emergency").length
  }

  const byMember = new Map<MemberId, Array<AttendanceRecord>>()
  for (const record of input.attendance) {
    if (!inYear(record.heldAt)) continue
    byMember.set(record.member, [...(byMember.get(record.member) ?? []), record])
  }
  const attendance = [...byMember.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([member, records]): MemberAttendance => {
      const count = (status: AttendanceRecord["status"]) => records.filter((record) => record.status === status).length
      return {
        member,
        meetings: new Set(records.map((record) => record.meetingId)).size,
        present: count("present"),
        presentRemote: count("present-remote"),
        absent: count("absent"),
        excused: count("excused-city-business"),
        absencesFromRegular: records.filter((record) => record.status === "absent" && record.meetingKind === "regular").length
      }
    })

  const drafted = input.recommendations.filter((state): state is DraftedRecommendation => state._tag === "Recommendation")
  const byStatus = Object.fromEntries(RecommendationStage.literals.map((stage) => [stage, 0])) as Record<RecommendationStage, number>
  const standing: Array<DraftedRecommendation> = []
  for (const recommendation of drafted) {
    const then = asOf(recommendation, end)
    if (then === undefined) continue
    byStatus[then.stage] += 1
    standing.push(then)
  }
  const answeredInYear = drafted.filter((r) => inYear(r.answer?.answeredAt))
  const implementedInYear = drafted.filter((r) => inYear(r.implemented?.implementedAt))
  const answers: Record<RecommendationAnswer, number> = { accepted: 0, "partly-accepted": 0, declined: 0 }
  for (const r of answeredInYear) if (r.answer !== undefined) answers[r.answer.answer] += 1

  const recommendations: RecommendationsSummary = {
    byStatus,
    adopted: drafted.filter((r) => inYear(r.adoption?.votedAt)).length,
    transmitted: drafted.filter((r) => inYear(r.transmittal?.transmittedAt)).length,
    answered: answeredInYear.length,
    answers,
    implemented: implementedInYear.length,
    closed: drafted.filter((r) => inYear(r.closure?.closedAt)).length,
    timeToAnswer: summarize(answeredInYear.flatMap((r) =>
      r.transmittal === undefined || r.answer === undefined ? [] : [daysBetween(r.transmittal.transmittedAt, r.answer.answeredAt)]
    )),
    timeToImplement: summarize(implementedInYear.flatMap((r) =>
      r.adoption === undefined || r.implemented === undefined ? [] : [daysBetween(r.adoption.votedAt, r.implemented.implementedAt)]
    )),
    // Overdue as of the last instant of the year.
    overdueAtYearEnd: overdueAnswers(standing, DateTime.subtract(end, { milliseconds: 1 }))
  }

  const quarters = ([1, 2, 3, 4] as const).map((q) => quarterOf(input.year, q))
  const complaints = quarters
    .filter((quarter) => input.complaintReports.some((row) => row.quarter === quarter))
    .map((quarter) => compareQuarters(input.complaintReports, quarter))

  return Result.succeed({ year: input.year, asOf: end, meetings: meetingCounts, attendance, recommendations, complaints })
}
