/**
 * The removal review after too many absences (Sacramento City Code
 * 2.40.080), one aggregate per member and calendar year. It is a workflow
 * with a decision and its reason, never an automatic removal:
 *
 * 1. opened with the absences as evidence, checked: the member's, in that
 *    year, counted absences, at least `absencesForReview` of them (3 in
 *    Sacramento, 2.40.080(A));
 * 2. the member notified in writing of the absences (2.40.080(B): the city
 *    clerk writes after the third absence);
 * 3. the member's recommending authority consulted (2.40.080(B), when
 *    `consultRecommendingAuthority`), and the member heard if they answer;
 * 4. decided: `retain` or `recommend-removal`, with a reason. A
 *    recommendation to remove starts the removal process of Charter sec.
 *    232; the removal itself is the council's, recorded on the seats
 *    (`RemoveMember`) with its own decision.
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import type { Aggregate, Decider } from "../engine/Decider.ts"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import { commandAction } from "../engine/Guards.ts"
import { streamId, streamIdPrefix } from "../engine/StreamId.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { calendarYearOf, isCountedAbsence } from "./Attendance.ts"
import type { AttendanceSettings } from "./AttendanceSettings.ts"
import { AttendanceRecord, MemberId } from "./Membership.ts"
import { Appointer } from "./SeatsSettings.ts"

const Instant = Schema.DateTimeUtcFromString
const CommissionId = Schema.NonEmptyString.check(Schema.isTrimmed())
const Text = Schema.NonEmptyString.check(Schema.isTrimmed())
const Year = Schema.Int.check(Schema.isBetween({ minimum: 1900, maximum: 9999 }))

/** What identifies a review: the commission, the member and the calendar year. */
const ReviewKey = { commission: CommissionId, member: MemberId, year: Year }

/** What the review decided: keep the member, or recommend their removal (Charter sec. 232). */
export const AttendanceReviewOutcome = Schema.Literals(["retain", "recommend-removal"])

/** What the review decided; see {@link AttendanceReviewOutcome}. */
export type AttendanceReviewOutcome = typeof AttendanceReviewOutcome.Type

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/** A review was opened on these absences, at least `threshold` of them. */
export const AttendanceReviewOpened = Schema.TaggedStruct("AttendanceReviewOpened", {
  ...ReviewKey,
  absences: Schema.Array(AttendanceRecord),
  threshold: Schema.Int,
  at: Instant
})

/** The member was told in writing of the absences (Sacramento City Code 2.40.080(B)). */
export const MemberNotifiedOfAbsences = Schema.TaggedStruct("MemberNotifiedOfAbsences", {
  ...ReviewKey,
  at: Instant
})

/** The member's recommending authority was consulted (2.40.080(B)); `note` is what it said. */
export const RecommendingAuthorityConsulted = Schema.TaggedStruct("RecommendingAuthorityConsulted", {
  ...ReviewKey,
  authority: Appointer,
  note: personal(Text),
  at: Instant
})

/** The member answered; what they said (illness, family) is personal data. */
export const MemberHeard = Schema.TaggedStruct("MemberHeard", {
  ...ReviewKey,
  statement: personal(Text),
  at: Instant
})

/** The review was decided, with its reason. It removes nobody. */
export const AttendanceReviewDecided = Schema.TaggedStruct("AttendanceReviewDecided", {
  ...ReviewKey,
  outcome: AttendanceReviewOutcome,
  reason: personal(Text),
  at: Instant
})

/** Every event of an attendance review. */
export const AttendanceReviewEvent = Schema.Union([
  AttendanceReviewOpened,
  MemberNotifiedOfAbsences,
  RecommendingAuthorityConsulted,
  MemberHeard,
  AttendanceReviewDecided
])

/** An event of an attendance review; see {@link AttendanceReviewEvent}. */
export type AttendanceReviewEvent = typeof AttendanceReviewEvent.Type

/** The review's events and their schema versions (all at version 1). */
export const attendanceReviewEvents = makeEventCatalog(AttendanceReviewEvent)

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** Open the review, with the member's counted absences of that year as evidence. */
export const OpenAttendanceReview = Schema.TaggedStruct("OpenAttendanceReview", {
  ...ReviewKey,
  absences: Schema.Array(AttendanceRecord)
})

/** Record that the written notice of the absences was sent to the member. */
export const RecordAbsenceNotice = Schema.TaggedStruct("RecordAbsenceNotice", ReviewKey)

/** Record the consultation of the member's recommending authority. */
export const RecordAuthorityConsulted = Schema.TaggedStruct("RecordAuthorityConsulted", {
  ...ReviewKey,
  authority: Appointer,
  note: personal(Text)
})

/** Record the member's answer. */
export const RecordMemberHeard = Schema.TaggedStruct("RecordMemberHeard", {
  ...ReviewKey,
  statement: personal(Text)
})

/** Decide the review, with a reason. */
export const DecideAttendanceReview = Schema.TaggedStruct("DecideAttendanceReview", {
  ...ReviewKey,
  outcome: AttendanceReviewOutcome,
  reason: personal(Text)
})

/** Every command of an attendance review. */
export const AttendanceReviewCommand = Schema.Union([
  OpenAttendanceReview,
  RecordAbsenceNotice,
  RecordAuthorityConsulted,
  RecordMemberHeard,
  DecideAttendanceReview
])

/** A command of an attendance review; see {@link AttendanceReviewCommand}. */
export type AttendanceReviewCommand = typeof AttendanceReviewCommand.Type

// ---------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------

/**
 * A record given as evidence is not a counted absence of the member in the
 * year: another member, another year, not `absent`, a kind of meeting not
 * counted, a meeting given twice, or a meeting later than now.
 */
export class InvalidAbsenceEvidence extends Schema.TaggedError<InvalidAbsenceEvidence>()("InvalidAbsenceEvidence", {
  rule: Schema.tag("evidence-of-absences"),
  member: Schema.String,
  year: Schema.Int,
  problems: Schema.Array(Schema.Struct({ meetingId: Schema.String, problem: Schema.String }))
}) {
  override get message(): string {
    return `the absences given for ${this.member} in ${this.year} are not all counted absences: ` +
      this.problems.map((p) => `${p.meetingId}: ${p.problem}`).join("; ")
  }
}

/**
 * Fewer counted absences than open a review (`absencesForReview`; 3 in
 * Sacramento, City Code 2.40.080(A)).
 */
export class TooFewAbsences extends Schema.TaggedError<TooFewAbsences>()("TooFewAbsences", {
  rule: Schema.tag("absence-threshold"),
  member: Schema.String,
  year: Schema.Int,
  counted: Schema.Int,
  threshold: Schema.Int
}) {
  override get message(): string {
    return `${this.member} has ${this.counted} counted absence(s) in ${this.year}; a review needs ${this.threshold} ` +
      "(absencesForReview, Sacramento City Code 2.40.080(A))"
  }
}

/** A review of this member and year is already open or decided: one per member and year. */
export class AttendanceReviewExists extends Schema.TaggedError<AttendanceReviewExists>()("AttendanceReviewExists", {
  rule: Schema.tag("one-review-per-member-year"),
  member: Schema.String,
  year: Schema.Int,
  openedAt: Instant
}) {
  override get message(): string {
    return `a review of ${this.member}'s ${this.year} attendance was opened at ${DateTime.formatIso(this.openedAt)}`
  }
}

/**
 * The step does not fit where the review is: no review open, decided
 * already, a step repeated, or a step before the written notice
 * (`review-step-order`); a decision before the notice or the consultation
 * (`notice-before-decision`, `consultation-before-decision`, Sacramento
 * City Code 2.40.080(B)).
 */
export class AttendanceReviewStepRefused extends Schema.TaggedError<AttendanceReviewStepRefused>()("AttendanceReviewStepRefused", {
  rule: Schema.Literals(["review-step-order", "notice-before-decision", "consultation-before-decision"]),
  command: Schema.String,
  member: Schema.String,
  year: Schema.Int,
  status: Schema.String
}) {
  override get message(): string {
    return `${this.command} on the review of ${this.member}'s ${this.year} attendance (${this.status}) is refused (${this.rule})`
  }
}

/** Why an attendance review command was refused; each refusal names its rule. */
export type AttendanceReviewRefusal =
  | InvalidAbsenceEvidence
  | TooFewAbsences
  | AttendanceReviewExists
  | AttendanceReviewStepRefused

// ---------------------------------------------------------------------------
// State and decider
// ---------------------------------------------------------------------------

const OpenFields = {
  ...ReviewKey,
  absences: Schema.Array(AttendanceRecord),
  openedAt: Instant,
  notifiedAt: Schema.optionalKey(Instant),
  consultedAt: Schema.optionalKey(Instant),
  heardAt: Schema.optionalKey(Instant)
}

/**
 * A review's state: not opened, open (with the steps taken), or decided.
 * The statements and reasons stay in the events; the state keeps only what
 * the decider needs.
 */
export const AttendanceReviewState = Schema.Union([
  Schema.TaggedStruct("NotOpened", {}),
  Schema.TaggedStruct("Open", OpenFields),
  Schema.TaggedStruct("Decided", { ...OpenFields, outcome: AttendanceReviewOutcome, decidedAt: Instant })
])

/** A review's state; see {@link AttendanceReviewState}. */
export type AttendanceReviewState = typeof AttendanceReviewState.Type

type OpenState = Extract<AttendanceReviewState, { readonly _tag: "Open" }>

/** Folds one event into a review's state. */
export const evolveAttendanceReview = (state: AttendanceReviewState, event: AttendanceReviewEvent): AttendanceReviewState => {
  switch (event._tag) {
    case "AttendanceReviewOpened":
      return {
        _tag: "Open",
        commission: event.commission,
        member: event.member,
        year: event.year,
        absences: event.absences,
        openedAt: event.at
      }
    case "MemberNotifiedOfAbsences":
      return state._tag === "Open" ? { ...state, notifiedAt: event.at } : state
    case "RecommendingAuthorityConsulted":
      return state._tag === "Open" ? { ...state, consultedAt: event.at } : state
    case "MemberHeard":
      return state._tag === "Open" ? { ...state, heardAt: event.at } : state
    case "AttendanceReviewDecided":
      return state._tag === "Open" ? { ...state, _tag: "Decided", outcome: event.outcome, decidedAt: event.at } : state
  }
}

/** Where a review stands, in words, for refusals. */
const statusOf = (state: AttendanceReviewState): string =>
  state._tag === "NotOpened"
    ? "not opened"
    : state._tag === "Decided"
    ? `decided: ${state.outcome}`
    : state.notifiedAt === undefined
    ? "open, member not notified"
    : "open, member notified"

/**
 * What is wrong with each record given as evidence of `member`'s absences
 * in `year`; empty when every record is a counted absence.
 */
export const absenceEvidenceProblems = (
  settings: AttendanceSettings,
  timeZone: string,
  member: string,
  year: number,
  records: ReadonlyArray<AttendanceRecord>,
  now: DateTime.Utc
): ReadonlyArray<{ readonly meetingId: string; readonly problem: string }> => {
  const seen = new Set<string>()
  return records.flatMap((record) => {
    const problems: Array<string> = []
    if (record.member !== member) problems.push(`the record is ${record.member}'s`)
    if (record.status !== "absent") problems.push(`recorded as ${record.status}, not absent`)
    if (!isCountedAbsence(settings, record) && record.status === "absent") {
      problems.push(`a ${record.meetingKind} meeting; only ${settings.countedMeetingKinds.join(", ")} meetings count (countedMeetingKinds)`)
    }
    const recordYear = calendarYearOf(record.heldAt, timeZone)
    if (recordYear !== year) problems.push(`held in ${recordYear}`)
    if (DateTime.toEpochMillis(record.heldAt) > DateTime.toEpochMillis(now)) problems.push("held after now")
    if (seen.has(record.meetingId)) problems.push("the meeting is given twice")
    seen.add(record.meetingId)
    return problems.map((problem) => ({ meetingId: record.meetingId, problem }))
  })
}

/**
 * The attendance review's decider for a jurisdiction (the time zone the
 * calendar year is read in) and the attendance settings.
 */
export const attendanceReviewDecider = (
  jurisdiction: Pick<Jurisdiction, "timeZone">,
  settings: AttendanceSettings
): Decider<AttendanceReviewCommand, AttendanceReviewEvent, AttendanceReviewState, AttendanceReviewRefusal> => {
  const refuse = (
    rule: AttendanceReviewStepRefused["rule"],
    command: AttendanceReviewCommand,
    state: AttendanceReviewState
  ): Result.Result<never, AttendanceReviewRefusal> =>
    Result.fail(new AttendanceReviewStepRefused({ rule, command: command._tag, member: command.member, year: command.year, status: statusOf(state) }))

  const open = (
    command: typeof OpenAttendanceReview.Type,
    state: AttendanceReviewState,
    now: DateTime.Utc
  ): Result.Result<ReadonlyArray<AttendanceReviewEvent>, AttendanceReviewRefusal> => {
    const { commission, member, year, absences } = command
    if (state._tag !== "NotOpened") return Result.fail(new AttendanceReviewExists({ member, year, openedAt: state.openedAt }))
    const problems = absenceEvidenceProblems(settings, jurisdiction.timeZone, member, year, absences, now)
    if (problems.length > 0) return Result.fail(new InvalidAbsenceEvidence({ member, year, problems: [...problems] }))
    if (absences.length < settings.absencesForReview) {
      return Result.fail(new TooFewAbsences({ member, year, counted: absences.length, threshold: settings.absencesForReview }))
    }
    return Result.succeed([{
      _tag: "AttendanceReviewOpened",
      commission,
      member,
      year,
      absences: [...absences],
      threshold: settings.absencesForReview,
      at: now
    }])
  }

  const step = (
    command: Exclude<AttendanceReviewCommand, typeof OpenAttendanceReview.Type>,
    state: OpenState,
    now: DateTime.Utc
  ): Result.Result<ReadonlyArray<AttendanceReviewEvent>, AttendanceReviewRefusal> => {
    const key = { commission: command.commission, member: command.member, year: command.year }
    switch (command._tag) {
      case "RecordAbsenceNotice":
        return state.notifiedAt !== undefined
          ? refuse("review-step-order", command, state)
          : Result.succeed([{ _tag: "MemberNotifiedOfAbsences", ...key, at: now }])
      case "RecordAuthorityConsulted":
        return state.notifiedAt === undefined || state.consultedAt !== undefined
          ? refuse("review-step-order", command, state)
          : Result.succeed([{ _tag: "RecommendingAuthorityConsulted", ...key, authority: command.authority, note: command.note, at: now }])
      case "RecordMemberHeard":
        return state.notifiedAt === undefined
          ? refuse("review-step-order", command, state)
          : Result.succeed([{ _tag: "MemberHeard", ...key, statement: command.statement, at: now }])
      case "DecideAttendanceReview":
        if (state.notifiedAt === undefined) return refuse("notice-before-decision", command, state)
        if (settings.consultRecommendingAuthority && state.consultedAt === undefined) {
          return refuse("consultation-before-decision", command, state)
        }
        return Result.succeed([{ _tag: "AttendanceReviewDecided", ...key, outcome: command.outcome, reason: command.reason, at: now }])
    }
  }

  return {
    initialState: { _tag: "NotOpened" },
    decide: (command, state, { now }) => {
      if (command._tag === "OpenAttendanceReview") return open(command, state, now)
      return state._tag === "Open" ? step(command, state, now) : refuse("review-step-order", command, state)
    },
    evolve: evolveAttendanceReview
  }
}

// ---------------------------------------------------------------------------
// Aggregate
// ---------------------------------------------------------------------------

/** The aggregate type of attendance reviews, in stream ids and access requests. */
export const ATTENDANCE_REVIEW_RESOURCE = "attendance-review"

/** The prefix of every attendance review stream (`streamIdPrefix`). */
export const attendanceReviewStreamPrefix = streamIdPrefix(ATTENDANCE_REVIEW_RESOURCE)

/** The stream of one review, `attendance-review/<commission>/<year>/<member>`: one per member and year. */
export const attendanceReviewStream = (review: { readonly commission: string; readonly member: string; readonly year: number }): string =>
  streamId(ATTENDANCE_REVIEW_RESOURCE, `${review.commission}/${review.year}/${review.member}`)

/**
 * The attendance review aggregate: one stream per member and calendar
 * year, access asked as `attendance-review.<action>` (e.g.
 * `attendance-review.decide-attendance-review`) on the resource
 * `attendance-review`.
 *
 * @example
 * ```ts
 * const Reviews = attendanceReview(sacramento, sacramentoCommissionAttendance)
 * ```
 */
export const attendanceReview = (
  jurisdiction: Pick<Jurisdiction, "timeZone">,
  settings: AttendanceSettings
): Aggregate<AttendanceReviewCommand, AttendanceReviewEvent, AttendanceReviewState, AttendanceReviewRefusal> => ({
  name: ATTENDANCE_REVIEW_RESOURCE,
  commands: AttendanceReviewCommand,
  events: attendanceReviewEvents,
  decider: attendanceReviewDecider(jurisdiction, settings),
  state: AttendanceReviewState,
  streamId: attendanceReviewStream,
  access: (command) => ({
    action: commandAction(ATTENDANCE_REVIEW_RESOURCE, command._tag),
    resource: { type: ATTENDANCE_REVIEW_RESOURCE, id: `${command.commission}/${command.year}/${command.member}` }
  })
})
