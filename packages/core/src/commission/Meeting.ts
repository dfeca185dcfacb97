/**
 * One commission meeting, from its call to the approval of its minutes, as
 * an aggregate whose every open-meetings rule is a guard of its decider:
 *
 * - it opens only with the notice its kind needs, judged on real elapsed
 *   hours (Gov. Code 54954.2(a)(1), 54956(a), 54956.5);
 * - with every seated member's attendance recorded, a quorum present
 *   (Code Civ. Proc. 15), a quorum in the room when anyone is remote and
 *   each remote member within the yearly cap (Gov. Code 54953(f));
 * - the body acts only on items noticed or added on a recorded
 *   54954.2(b) basis with its vote, and only after the public could comment
 *   (54954.3(a));
 * - votes are roll calls matched to the attendance (never voice votes when
 *   anyone is remote, 54953(b)(2)(A)), carried by the configured threshold;
 * - closed sessions only on a listed basis, announced before and reported
 *   after (54957.7, 54957.1); it adjourns only with every report given;
 * - late documents are public when given (54957.5(b));
 * - the minutes are approved at a later meeting.
 *
 * Every number and citation comes from the {@link OpenMeetingsLaw} given to
 * {@link meetingDecider}.
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import type { Aggregate, Decider, DecisionContext } from "../engine/Decider.ts"
import { plausibleInstant, strictlyAfter } from "../engine/Guards.ts"
import { ImplausibleInstant } from "../engine/Refusals.ts"
import { streamId, streamIdPrefix } from "../engine/StreamId.ts"
import { personal } from "../kernel/Sensitivity.ts"
import type { AttendanceSettings } from "./AttendanceSettings.ts"
import {
  type AttendanceRecord,
  type AttendanceStatus,
  CommissionMembership,
  MeetingKind,
  quorumOf
} from "./Membership.ts"
import {
  type AddNonAgendaItem,
  AgendaItem,
  AttendanceEntry,
  type MeetingCommand,
  MeetingCommand as MeetingCommandSchema,
  type MeetingEvent,
  meetingEvents,
  NonAgendaBasis,
  NoticeRecipient,
  type OpenMeeting,
  PostingPlaces,
  RollCallVote,
  VoteTally
} from "./MeetingEvents.ts"
import {
  AttendanceChangeRefused,
  AttendanceIncomplete,
  ClosedSessionBasisUnknown,
  ClosedSessionOutOfOrder,
  CommentOverTimeLimit,
  DuplicateAgendaItem,
  ItemAlreadyDisposed,
  ItemNotNoticed,
  MeetingAlreadyScheduled,
  MeetingNotScheduled,
  type MeetingRefusal,
  MinutesApprovalNotLater,
  NonAgendaItemRefused,
  NoticeRequirementNotMet,
  PublicCommentNotHeld,
  PublicCommentNotOpen,
  QuorumNotPresent,
  RemoteAttendanceCapReached,
  RollCallMismatch,
  RollCallRequired,
  WrongMeetingPhase
} from "./MeetingRefusals.ts"
import {
  atLeastHoursBefore,
  calendarDaysBetween,
  type OpenMeetingsLaw,
  remoteAttendanceCap,
  type VoteThreshold,
  wordCount
} from "./OpenMeetingsLaw.ts"

const Instant = Schema.DateTimeUtcFromString

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/** Where a meeting is: called (its notice under way), open, or adjourned. */
export const MeetingPhase = Schema.Literals(["scheduled", "open", "adjourned"])

/** Where a meeting is; see {@link MeetingPhase}. */
export type MeetingPhase = typeof MeetingPhase.Type

/** One item of the meeting's business and what happened to it. */
export const MeetingItemState = Schema.Struct({
  item: AgendaItem,
  /** On the noticed agenda, or added at the meeting on a recorded basis. */
  source: Schema.Literals(["agenda", "non-agenda"]),
  basis: Schema.optionalKey(NonAgendaBasis),
  publicCommentOpened: Schema.Boolean,
  /** `decided` once a motion on it carried; `continued` when put over to a later meeting. */
  disposition: Schema.optionalKey(Schema.Literals(["decided", "continued"]))
})

/** One item of the meeting's business; see {@link MeetingItemState}. */
export type MeetingItemState = typeof MeetingItemState.Type

/** A meeting's state; `NotScheduled` before its call. Speakers' names are personal data. */
export const MeetingState = Schema.Union([
  Schema.TaggedStruct("NotScheduled", {}),
  Schema.TaggedStruct("Meeting", {
    meetingId: Schema.String,
    kind: MeetingKind,
    phase: MeetingPhase,
    scheduledFor: Instant,
    places: PostingPlaces,
    items: Schema.Array(MeetingItemState),
    postedAt: Schema.optionalKey(Instant),
    deliveries: Schema.Array(Schema.Struct({ recipient: NoticeRecipient, deliveredAt: Instant })),
    emergencyFoundAt: Schema.optionalKey(Instant),
    openedAt: Schema.optionalKey(Instant),
    membership: Schema.optionalKey(CommissionMembership),
    attendance: Schema.Array(AttendanceEntry),
    /** When each member was there: from the opening or their arrival, to their departure (open while still there). */
    presence: Schema.Array(Schema.Struct({ member: Schema.String, from: Instant, to: Schema.optionalKey(Instant), remote: Schema.Boolean })),
    comments: Schema.Array(Schema.Struct({
      itemId: Schema.String,
      speaker: personal(Schema.String),
      nameConsent: Schema.Boolean,
      minutes: Schema.Number
    })),
    votes: Schema.Array(Schema.Struct({ itemId: Schema.String, motion: Schema.String, roll: Schema.Array(RollCallVote), tally: VoteTally })),
    closedSessions: Schema.Array(Schema.Struct({ sessionId: Schema.String, basisId: Schema.String, reported: Schema.Boolean })),
    documents: Schema.Array(Schema.Struct({ documentId: Schema.String, title: Schema.String, publicAt: Instant, late: Schema.Boolean })),
    adjournedAt: Schema.optionalKey(Instant),
    minutesDraft: Schema.optionalKey(Schema.String),
    minutesApprovedAt: Schema.optionalKey(Schema.Struct({ meetingId: Schema.String, heldAt: Instant }))
  })
])

/** A meeting's state; see {@link MeetingState}. */
export type MeetingState = typeof MeetingState.Type

/** A scheduled meeting's state. */
export type ScheduledMeeting = Extract<MeetingState, { readonly _tag: "Meeting" }>

const notScheduled: MeetingState = { _tag: "NotScheduled" }

const mapItem = (state: ScheduledMeeting, itemId: string, update: (item: MeetingItemState) => MeetingItemState): ScheduledMeeting => ({
  ...state,
  items: state.items.map((current) => current.item.itemId === itemId ? update(current) : current)
})

const evolveMeeting = (state: ScheduledMeeting, event: MeetingEvent): ScheduledMeeting => {
  switch (event._tag) {
    case "MeetingScheduled":
      return state
    case "AgendaPosted":
      return { ...state, postedAt: event.postedAt, places: event.places }
    case "MeetingNoticeDelivered":
      return { ...state, deliveries: [...state.deliveries, { recipient: event.recipient, deliveredAt: event.deliveredAt }] }
    case "EmergencyFound":
      return { ...state, emergencyFoundAt: event.at }
    case "MeetingOpened":
      return {
        ...state,
        phase: "open",
        openedAt: event.at,
        membership: event.membership,
        attendance: event.attendance,
        presence: event.attendance.filter(isPresent).map((entry) => ({ member: entry.member, from: event.at, remote: entry._tag === "Remote" }))
      }
    case "MemberArrived":
      return {
        ...state,
        attendance: state.attendance.map((entry) => entry.member === event.entry.member ? event.entry : entry),
        presence: [...state.presence, { member: event.entry.member, from: event.at, remote: event.entry._tag === "Remote" }]
      }
    case "MemberLeft":
      return {
        ...state,
        attendance: state.attendance.map((entry) => entry.member === event.member ? { _tag: "Absent", member: event.member } : entry),
        presence: state.presence.map((interval) => interval.member === event.member && interval.to === undefined ? { ...interval, to: event.at } : interval)
      }
    case "NonAgendaItemAdded":
      return {
        ...state,
        items: [...state.items, { item: event.item, source: "non-agenda", basis: event.basis, publicCommentOpened: false }]
      }
    case "PublicCommentOpened":
      return mapItem(state, event.itemId, (item) => ({ ...item, publicCommentOpened: true }))
    case "PublicCommentHeard":
      return {
        ...state,
        comments: [...state.comments, { itemId: event.itemId, speaker: event.speaker, nameConsent: event.nameConsent, minutes: event.minutes }]
      }
    case "VoteRecorded": {
      const voted = { ...state, votes: [...state.votes, { itemId: event.itemId, motion: event.motion, roll: event.roll, tally: event.tally }] }
      return event.tally.carried ? mapItem(voted, event.itemId, (item) => ({ ...item, disposition: "decided" })) : voted
    }
    case "ItemContinued":
      return mapItem(state, event.itemId, (item) => ({ ...item, disposition: "continued" }))
    case "ClosedSessionAnnounced":
      return { ...state, closedSessions: [...state.closedSessions, { sessionId: event.sessionId, basisId: event.basisId, reported: false }] }
    case "ClosedSessionReported":
      return {
        ...state,
        closedSessions: state.closedSessions.map((session) => session.sessionId === event.sessionId ? { ...session, reported: true } : session)
      }
    case "MeetingDocumentDistributed":
      return {
        ...state,
        documents: [...state.documents, { documentId: event.documentId, title: event.title, publicAt: event.publicAt, late: event.late }]
      }
    case "MeetingAdjourned":
      return { ...state, phase: "adjourned", adjournedAt: event.at }
    case "MinutesDrafted":
      return { ...state, minutesDraft: event.text }
    case "MinutesApproved":
      return { ...state, minutesApprovedAt: { meetingId: event.approvedAtMeetingId, heldAt: event.approvedAtMeetingHeldAt } }
  }
}

/** Folds one event into a meeting's state. */
export const evolve = (state: MeetingState, event: MeetingEvent): MeetingState => {
  if (event._tag === "MeetingScheduled") {
    return {
      _tag: "Meeting",
      meetingId: event.meetingId,
      kind: event.kind,
      phase: "scheduled",
      scheduledFor: event.scheduledFor,
      places: event.places,
      items: event.items.map((item) => ({ item, source: "agenda", publicCommentOpened: false })),
      deliveries: [],
      attendance: [],
      presence: [],
      comments: [],
      votes: [],
      closedSessions: [],
      documents: []
    }
  }
  return state._tag === "Meeting" ? evolveMeeting(state, event) : state
}

// ---------------------------------------------------------------------------
// Votes
// ---------------------------------------------------------------------------

/**
 * The ayes a threshold needs, given the body's full membership, the
 * members present and those of them recused:
 *
 * - majority of those present and not recused: `floor(eligible / 2) + 1`;
 * - majority of the full membership: `floor(seats / 2) + 1`;
 * - two thirds of those present and not recused, rounded up; when fewer
 *   than two thirds of the seats are filled by members present, every
 *   eligible member present (Gov. Code 54954.2(b)(2)).
 *
 * Never less than one aye.
 */
export const ayesNeeded = (
  threshold: VoteThreshold,
  counts: { readonly fullMembership: number; readonly present: number; readonly recused: number }
): number => {
  const eligible = counts.present - counts.recused
  switch (threshold) {
    case "majority-of-present":
      return Math.floor(eligible / 2) + 1
    case "majority-of-full-membership":
      return Math.floor(counts.fullMembership / 2) + 1
    case "two-thirds-of-present-or-unanimous":
      return Math.max(1, counts.present * 3 < counts.fullMembership * 2 ? eligible : Math.ceil((eligible * 2) / 3))
  }
}

/** The counts of a roll call and whether it carried under `threshold`. */
export const tallyRollCall = (
  roll: ReadonlyArray<RollCallVote>,
  threshold: VoteThreshold,
  fullMembership: number
): VoteTally => {
  const count = (tag: RollCallVote["_tag"]) => roll.filter((vote) => vote._tag === tag).length
  const ayes = count("Aye")
  const absent = count("Absent")
  const recusals = count("Recused")
  const needed = ayesNeeded(threshold, { fullMembership, present: roll.length - absent, recused: recusals })
  return {
    ayes,
    noes: count("No"),
    abstentions: count("Abstain"),
    recusals,
    absent,
    threshold,
    needed,
    carried: ayes >= needed
  }
}

const isPresent = (entry: AttendanceEntry): boolean => entry._tag === "InRoom" || entry._tag === "Remote"

/** The members attending remotely. */
export const remoteMembers = (state: ScheduledMeeting): ReadonlyArray<string> =>
  state.attendance.flatMap((entry) => entry._tag === "Remote" ? [entry.member] : [])

/** What is wrong with a roll call against the meeting's attendance; empty when it matches. */
export const rollCallProblems = (
  roll: ReadonlyArray<RollCallVote>,
  attendance: ReadonlyArray<AttendanceEntry>
): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const byMember = new Map(attendance.map((entry) => [entry.member, entry]))
  const seen = new Set<string>()
  for (const vote of roll) {
    const entry = byMember.get(vote.member)
    if (seen.has(vote.member)) problems.push(`${vote.member} is called twice`)
    seen.add(vote.member)
    if (entry === undefined) problems.push(`${vote.member} is not seated`)
    else if (isPresent(entry) && vote._tag === "Absent") problems.push(`${vote.member} is present but recorded absent`)
    else if (!isPresent(entry) && vote._tag !== "Absent") problems.push(`${vote.member} is absent but recorded as voting`)
  }
  for (const entry of attendance) if (!seen.has(entry.member)) problems.push(`${entry.member} is not called`)
  return problems
}

// ---------------------------------------------------------------------------
// Attendance records
// ---------------------------------------------------------------------------

const statusOf: Record<AttendanceEntry["_tag"], AttendanceStatus> = {
  InRoom: "present",
  Remote: "present-remote",
  Absent: "absent",
  ExcusedCityBusiness: "excused-city-business"
}

/**
 * The shared attendance records of an opened meeting, one per seated
 * member, for the seats' removal review (Sacramento City Code 2.40.080).
 * Until it adjourns, each member's status at the opening; once adjourned, a
 * member there for more than `rule.presentAboveShare` of the meeting's real
 * duration is present (remote when most of that time was remote), anyone
 * else absent (Sacramento: 0.5, missing most of a meeting counts as an
 * absence), or excused when the opening recorded official city business.
 * Empty before it opens.
 */
export const attendanceRecordsOf = (
  state: MeetingState,
  rule: Pick<AttendanceSettings, "presentAboveShare">
): ReadonlyArray<AttendanceRecord> => {
  if (state._tag !== "Meeting" || state.openedAt === undefined) return []
  const heldAt = state.openedAt
  const end = state.adjournedAt
  const record = (member: string, status: AttendanceStatus): AttendanceRecord =>
    ({ meetingId: state.meetingId, meetingKind: state.kind, heldAt, member, status })
  if (end === undefined || DateTime.toEpochMillis(end) <= DateTime.toEpochMillis(heldAt)) {
    return state.attendance.map((entry) => record(entry.member, statusOf[entry._tag]))
  }
  const duration = DateTime.toEpochMillis(end) - DateTime.toEpochMillis(heldAt)
  return state.attendance.map((entry) => {
    const intervals = state.presence.filter((interval) => interval.member === entry.member)
    const length = (remote: boolean) =>
      intervals.filter((interval) => interval.remote === remote)
        .reduce((sum, interval) => sum + DateTime.toEpochMillis(interval.to ?? end) - DateTime.toEpochMillis(interval.from), 0)
    const inRoom = length(false)
    const remote = length(true)
    if (inRoom + remote > duration * rule.presentAboveShare) return record(entry.member, remote > inRoom ? "present-remote" : "present")
    const atOpening = state.presence.some((interval) => interval.member === entry.member) ? undefined : entry
    return record(entry.member, atOpening?._tag === "ExcusedCityBusiness" ? "excused-city-business" : "absent")
  })
}

// ---------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------

/** What a meeting's rules read: the open-meetings law and the zone calendar days are counted in. */
export interface MeetingRules {
  readonly law: OpenMeetingsLaw
  /** The jurisdiction's IANA time zone, for rules counted in calendar days. */
  readonly timeZone: string
}

type Decision = Result.Result<ReadonlyArray<MeetingEvent>, MeetingRefusal>

const accept = (...events: ReadonlyArray<MeetingEvent>): Decision => Result.succeed(events)

const inPhase = (
  state: ScheduledMeeting,
  command: string,
  allowed: ReadonlyArray<MeetingPhase>
): Result.Result<ScheduledMeeting, WrongMeetingPhase> =>
  allowed.includes(state.phase)
    ? Result.succeed(state)
    : Result.fail(new WrongMeetingPhase({ meetingId: state.meetingId, command, phase: state.phase, allowedPhases: [...allowed] }))

const iso = (instant: DateTime.DateTime): string => DateTime.formatIso(instant)

/**
 * The meeting's decider under an open-meetings law: every rule of the
 * module documentation is a guard here, with its numbers and citations from
 * `rules.law`.
 */
export const meetingDecider = (rules: MeetingRules): Decider<MeetingCommand, MeetingEvent, MeetingState, MeetingRefusal> => {
  const { law, timeZone } = rules
  const quorumCitation = law.quorum._tag === "fixed" ? "the body's ordinance or bylaws" : "Code Civ. Proc. 15"

  /** The notice rule of the meeting's kind, judged on real elapsed hours before the scheduled time. */
  const noticeProblems = (
    state: ScheduledMeeting,
    command: typeof OpenMeeting.Type
  ): Result.Result<string, NoticeRequirementNotMet> => {
    const opensAt = state.scheduledFor
    const reachedInTime = (recipient: { kind: "member" | "media"; id: string }, hours: number) =>
      state.deliveries.some((delivery) =>
        delivery.recipient.kind === recipient.kind && delivery.recipient.id === recipient.id &&
        atLeastHoursBefore(delivery.deliveredAt, opensAt, hours)
      )
    const refuse = (rule: NoticeRequirementNotMet["rule"], citation: string, requiredHours: number, missing: Array<string>) =>
      Result.fail(new NoticeRequirementNotMet({ rule, meetingId: state.meetingId, citation, requiredHours, opensAt, missing }))
    switch (state.kind) {
      case "regular": {
        const { hoursBefore, citation } = law.regularAgenda
        if (state.postedAt === undefined) return refuse("regular-agenda-posted-in-time", citation, hoursBefore, ["agenda not posted"])
        if (!atLeastHoursBefore(state.postedAt, opensAt, hoursBefore)) {
          return refuse("regular-agenda-posted-in-time", citation, hoursBefore, [`agenda posted ${iso(state.postedAt)}`])
        }
        return Result.succeed(`agenda posted ${iso(state.postedAt)} (${citation})`)
      }
      case "special": {
        const { hoursBefore, citation } = law.specialNotice
        // A member present when the meeting convenes waives the written notice
        // (Gov. Code 54956(a); RCW 42.30.080(1)(b)).
        const attending = new Set(command.attendance.filter(isPresent).map((entry) => entry.member))
        const missing = [
          // The call and notice are also posted where the public can see them (Gov. Code 54956(a); RCW 42.30.080(2)(b), (c)).
          ...(state.postedAt === undefined
            ? ["notice not posted"]
            : atLeastHoursBefore(state.postedAt, opensAt, hoursBefore)
            ? []
            : [`notice posted ${iso(state.postedAt)}`]),
          ...command.membership.seated
            .filter(({ member }) => !attending.has(member) && !reachedInTime({ kind: "member", id: member }, hoursBefore))
            .map(({ member }) => `member ${member} not reached in time`),
          ...command.mediaOnRequestList
            .filter((id) => !reachedInTime({ kind: "media", id }, hoursBefore))
            .map((id) => `media ${id} not reached in time`)
        ]
        if (missing.length > 0) return refuse("special-notice-delivered-in-time", citation, hoursBefore, missing)
        return Result.succeed(`special notice delivered to members and ${command.mediaOnRequestList.length} media (${citation})`)
      }
      case "emergency": {
        const { citation, mediaHoursBefore } = law.emergencyNotice
        const hours = mediaHoursBefore ?? 0
        const missing = [
          ...(state.emergencyFoundAt === undefined ? ["no emergency found"] : []),
          ...(mediaHoursBefore === undefined
            ? []
            : command.mediaOnRequestList
              .filter((id) => !reachedInTime({ kind: "media", id }, mediaHoursBefore))
              .map((id) => `media ${id} not told in time`))
        ]
        if (state.emergencyFoundAt === undefined || missing.length > 0) {
          return refuse("emergency-found-and-media-told", citation, hours, missing)
        }
        return Result.succeed(`emergency found ${iso(state.emergencyFoundAt)} (${citation})`)
      }
    }
  }

  const open = (state: ScheduledMeeting, command: typeof OpenMeeting.Type, now: DateTime.Utc): Decision => {
    const { meetingId, membership, attendance } = command
    if (DateTime.isLessThan(now, state.scheduledFor)) {
      return Result.fail(new ImplausibleInstant({
        rule: "opens-at-its-noticed-time",
        command: command._tag,
        field: "now",
        instant: now,
        notBefore: state.scheduledFor
      }))
    }
    const seated = new Set(membership.seated.map(({ member }) => member))
    const listed = attendance.map((entry) => entry.member)
    const repeated = listed.filter((member, index) => listed.indexOf(member) !== index)
    const missing = [...seated].filter((member) => !listed.includes(member))
    const notSeated = listed.filter((member) => !seated.has(member))
    if (repeated.length + missing.length + notSeated.length > 0) {
      return Result.fail(new AttendanceIncomplete({ meetingId, missing, notSeated, repeated: [...new Set(repeated)] }))
    }
    const notice = noticeProblems(state, command)
    if (Result.isFailure(notice)) return Result.fail(notice.failure)
    for (const entry of attendance) {
      const exceeded = capExceeded(meetingId, entry)
      if (exceeded !== undefined) return Result.fail(exceeded)
    }
    const quorum = quorumOf(law.quorum, membership)
    const short = quorumShortfall(meetingId, attendance, quorum)
    if (short !== undefined) return Result.fail(short)
    return accept({
      _tag: "MeetingOpened",
      meetingId,
      kind: state.kind,
      membership,
      attendance,
      quorum,
      notice: notice.success,
      at: now
    })
  }

  /** A quorum present, and in the room when anyone is remote; the refusal otherwise. */
  const quorumShortfall = (
    meetingId: string,
    attendance: ReadonlyArray<AttendanceEntry>,
    quorum: number
  ): QuorumNotPresent | undefined => {
    const present = attendance.filter(isPresent).length
    if (present < quorum) return new QuorumNotPresent({ rule: "quorum", meetingId, required: quorum, present, citation: quorumCitation })
    const inRoom = attendance.filter((entry) => entry._tag === "InRoom").length
    return present > inRoom && inRoom < quorum
      ? new QuorumNotPresent({ rule: "quorum-in-one-place", meetingId, required: quorum, present: inRoom, citation: law.remoteAttendance.citation })
      : undefined
  }

  const quorumNow = (state: ScheduledMeeting, attendance: ReadonlyArray<AttendanceEntry> = state.attendance): QuorumNotPresent | undefined =>
    state.membership === undefined ? undefined : quorumShortfall(state.meetingId, attendance, quorumOf(law.quorum, state.membership))

  const capExceeded = (meetingId: string, entry: AttendanceEntry): RemoteAttendanceCapReached | undefined => {
    const cap = remoteAttendanceCap(law)
    return entry._tag === "Remote" && entry.remoteMeetingsEarlierThisYear + 1 > cap
      ? new RemoteAttendanceCapReached({
        meetingId,
        member: entry.member,
        cap,
        earlierThisYear: entry.remoteMeetingsEarlierThisYear,
        citation: law.remoteAttendance.citation
      })
      : undefined
  }

  /** A roll call checked against the attendance, and its tally. */
  const checkedRoll = (
    state: ScheduledMeeting,
    roll: ReadonlyArray<RollCallVote>,
    threshold: VoteThreshold
  ): Result.Result<VoteTally, RollCallMismatch> => {
    const problems = rollCallProblems(roll, state.attendance)
    return problems.length > 0
      ? Result.fail(new RollCallMismatch({ meetingId: state.meetingId, problems: [...problems] }))
      : Result.succeed(tallyRollCall(roll, threshold, state.membership?.fullMembership ?? roll.length))
  }

  const addNonAgenda = (state: ScheduledMeeting, command: typeof AddNonAgendaItem.Type, now: DateTime.Utc): Decision => {
    const { meetingId, item, basis, roll } = command
    const refuse = (rule: NonAgendaItemRefused["rule"], reason: string, citation: string, tally?: VoteTally) =>
      Result.fail(new NonAgendaItemRefused({ rule, meetingId, itemId: item.itemId, reason, citation, ...(tally === undefined ? {} : { tally }) }))
    if (state.items.some((current) => current.item.itemId === item.itemId)) {
      return Result.fail(new DuplicateAgendaItem({ meetingId, itemId: item.itemId }))
    }
    if (state.kind === "special") {
      return refuse("special-meeting-noticed-business-only", "a special meeting takes up only the business in its notice", law.specialNotice.citation)
    }
    const added = (citation: string, vote?: { roll: ReadonlyArray<RollCallVote>; tally: VoteTally }) =>
      accept({
        _tag: "NonAgendaItemAdded",
        meetingId,
        item,
        basis,
        citation,
        ...(vote === undefined ? {} : { vote: { roll: [...vote.roll], tally: vote.tally } }),
        at: now
      })
    const byVote = (path: { threshold: VoteThreshold; citation: string } | undefined, name: string) => {
      if (path === undefined) return refuse("non-agenda-basis-allowed", `${law.name} has no ${name} path`, law.regularAgenda.citation)
      const short = quorumNow(state)
      if (short !== undefined) return Result.fail(short)
      const tally = checkedRoll(state, roll, path.threshold)
      if (Result.isFailure(tally)) return Result.fail(tally.failure)
      if (!tally.success.carried) {
        return refuse("non-agenda-finding-vote", `the ${name} finding had ${tally.success.ayes} aye(s), ${tally.success.needed} needed`, path.citation, tally.success)
      }
      return added(path.citation, { roll, tally: tally.success })
    }
    switch (basis._tag) {
      case "Emergency":
        return byVote(law.nonAgenda.emergency, "emergency")
      case "NeedAroseAfterPosting": {
        const noticed = plausibleInstant({ command: command._tag, field: "basis.cameToAttentionAt", instant: basis.cameToAttentionAt, notAfter: now })
        if (Result.isFailure(noticed)) return Result.fail(noticed.failure)
        if (state.postedAt !== undefined && DateTime.isLessThanOrEqualTo(basis.cameToAttentionAt, state.postedAt)) {
          return refuse(
            "need-arose-after-posting",
            `the need came to the body's attention at ${iso(basis.cameToAttentionAt)}, before the agenda was posted at ${iso(state.postedAt)}`,
            law.nonAgenda.needAroseAfterPosting?.citation ?? law.regularAgenda.citation
          )
        }
        return byVote(law.nonAgenda.needAroseAfterPosting, "need-arose-after-posting")
      }
      case "AmendedRegularAgenda":
        return state.kind === "regular"
          ? byVote(law.nonAgenda.amendRegularAgenda, "agenda amendment")
          : refuse("non-agenda-basis-allowed", "only a regular meeting's agenda may be amended", law.regularAgenda.citation)
      case "ContinuedFromPriorMeeting": {
        const path = law.nonAgenda.continuedFromPriorMeeting
        if (path === undefined) return refuse("non-agenda-basis-allowed", `${law.name} has no continued-item path`, law.regularAgenda.citation)
        const held = strictlyAfter("prior-meeting-before-this-one", command._tag, "basis.priorMeetingHeldAt", now, basis.priorMeetingHeldAt)
        if (Result.isFailure(held)) return Result.fail(held.failure)
        const days = calendarDaysBetween(basis.priorMeetingHeldAt, now, timeZone)
        if (days > path.withinDays) {
          return refuse("continued-within-days", `meeting ${basis.priorMeetingId} was held ${days} days earlier, more than ${path.withinDays}`, path.citation)
        }
        return added(path.citation)
      }
      case "Other":
        return refuse(
          "non-agenda-basis-allowed",
          `"${basis.reason}" is not a basis the law allows for an item not on the agenda`,
          law.nonAgenda.emergency?.citation ?? law.regularAgenda.citation
        )
    }
  }

  const itemOf = (state: ScheduledMeeting, itemId: string): Result.Result<MeetingItemState, ItemNotNoticed> => {
    const found = state.items.find((current) => current.item.itemId === itemId)
    return found === undefined
      ? Result.fail(new ItemNotNoticed({ meetingId: state.meetingId, itemId, citation: law.regularAgenda.citation }))
      : Result.succeed(found)
  }

  const undisposed = (state: ScheduledMeeting, item: MeetingItemState): Result.Result<MeetingItemState, ItemAlreadyDisposed> =>
    item.disposition === undefined
      ? Result.succeed(item)
      : Result.fail(new ItemAlreadyDisposed({ meetingId: state.meetingId, itemId: item.item.itemId, disposition: item.disposition }))

  const decideOn = (state: ScheduledMeeting, command: MeetingCommand, { now }: DecisionContext): Decision => {
    const { meetingId } = state
    switch (command._tag) {
      case "ScheduleMeeting":
        return Result.fail(new MeetingAlreadyScheduled({ meetingId }))
      case "PostAgenda":
        return Result.flatMap(inPhase(state, command._tag, ["scheduled"]), () =>
          Result.flatMap(plausibleInstant({ command: command._tag, field: "postedAt", instant: command.postedAt, notAfter: now }), () =>
            accept({ _tag: "AgendaPosted", meetingId, postedAt: command.postedAt, places: command.places, at: now })))
      case "RecordNoticeDelivery":
        return Result.flatMap(inPhase(state, command._tag, ["scheduled"]), () =>
          Result.flatMap(plausibleInstant({ command: command._tag, field: "deliveredAt", instant: command.deliveredAt, notAfter: now }), () =>
            accept({
              _tag: "MeetingNoticeDelivered",
              meetingId,
              recipient: command.recipient,
              deliveredAt: command.deliveredAt,
              ...(command.receipt === undefined ? {} : { receipt: command.receipt }),
              at: now
            })))
      case "FindEmergency":
        return Result.flatMap(inPhase(state, command._tag, ["scheduled"]), () =>
          state.kind === "emergency"
            ? accept({ _tag: "EmergencyFound", meetingId, finding: command.finding, at: now })
            : Result.fail(new WrongMeetingPhase({ meetingId, command: command._tag, phase: `${state.kind} meeting`, allowedPhases: ["emergency meeting"] })))
      case "OpenMeeting":
        return Result.flatMap(inPhase(state, command._tag, ["scheduled"]), () => open(state, command, now))
      case "RecordArrival":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () => {
          const { entry } = command
          const current = state.attendance.find((candidate) => candidate.member === entry.member)
          if (current === undefined || isPresent(current) || !isPresent(entry)) {
            return Result.fail(new AttendanceChangeRefused({ rule: "arrive-when-absent", meetingId, member: entry.member }))
          }
          const exceeded = capExceeded(meetingId, entry)
          if (exceeded !== undefined) return Result.fail(exceeded)
          const short = quorumNow(state, state.attendance.map((candidate) => candidate.member === entry.member ? entry : candidate))
          if (short !== undefined) return Result.fail(short)
          return accept({ _tag: "MemberArrived", meetingId, entry, at: now })
        })
      case "RecordDeparture":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () => {
          const current = state.attendance.find((candidate) => candidate.member === command.member)
          return current !== undefined && isPresent(current)
            ? accept({ _tag: "MemberLeft", meetingId, member: command.member, at: now })
            : Result.fail(new AttendanceChangeRefused({ rule: "leave-when-present", meetingId, member: command.member }))
        })
      case "AddNonAgendaItem":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () => addNonAgenda(state, command, now))
      case "OpenPublicComment":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () =>
          Result.flatMap(itemOf(state, command.itemId), (item) =>
            Result.flatMap(undisposed(state, item), () =>
              accept({ _tag: "PublicCommentOpened", meetingId, itemId: command.itemId, at: now }))))
      case "RecordPublicComment":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () =>
          Result.flatMap(itemOf(state, command.itemId), (item) => {
            const { citation, minutesPerSpeaker, translatorMultiple } = law.publicComment
            if (!item.publicCommentOpened || item.disposition !== undefined) {
              return Result.fail(new PublicCommentNotOpen({ meetingId, itemId: command.itemId, citation }))
            }
            const doubled = command.usedTranslator && !command.simultaneousInterpretation
            const limitMinutes = minutesPerSpeaker * (doubled ? translatorMultiple : 1)
            if (command.minutes > limitMinutes) {
              return Result.fail(new CommentOverTimeLimit({ meetingId, itemId: command.itemId, minutes: command.minutes, limitMinutes, citation }))
            }
            return accept({
              _tag: "PublicCommentHeard",
              meetingId,
              itemId: command.itemId,
              speaker: command.speaker,
              nameConsent: command.nameConsent,
              minutes: command.minutes,
              limitMinutes,
              usedTranslator: command.usedTranslator,
              at: now
            })
          }))
      case "RecordVote":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () =>
          Result.flatMap(itemOf(state, command.itemId), (item) =>
            Result.flatMap(undisposed(state, item), () => {
              if (!item.publicCommentOpened) {
                return Result.fail(new PublicCommentNotHeld({ meetingId, itemId: command.itemId, citation: law.publicComment.citation }))
              }
              const short = quorumNow(state)
              if (short !== undefined) return Result.fail(short)
              const remote = remoteMembers(state)
              if (command.form === "voice" && remote.length > 0) {
                return Result.fail(new RollCallRequired({ meetingId, remoteMembers: [...remote], citation: law.remoteAttendance.rollCallCitation }))
              }
              return Result.flatMap(checkedRoll(state, command.roll, command.threshold ?? law.defaultThreshold), (tally) =>
                accept({
                  _tag: "VoteRecorded",
                  meetingId,
                  itemId: command.itemId,
                  motion: command.motion,
                  form: command.form,
                  roll: [...command.roll],
                  tally,
                  at: now
                }))
            })))
      case "ContinueItem":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () =>
          Result.flatMap(itemOf(state, command.itemId), (item) =>
            Result.flatMap(undisposed(state, item), () =>
              accept({
                _tag: "ItemContinued",
                meetingId,
                itemId: command.itemId,
                ...(command.toMeetingId === undefined ? {} : { toMeetingId: command.toMeetingId }),
                at: now
              }))))
      case "AnnounceClosedSession":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () => {
          const basis = law.closedSession.bases.find((candidate) => candidate.id === command.basisId)
          if (basis === undefined) {
            return Result.fail(new ClosedSessionBasisUnknown({ meetingId, basisId: command.basisId, bases: law.closedSession.bases.map((b) => b.id) }))
          }
          if (state.closedSessions.some((session) => session.sessionId === command.sessionId)) {
            return Result.fail(new ClosedSessionOutOfOrder({
              rule: "closed-session-announced-before",
              meetingId,
              sessionIds: [command.sessionId],
              citation: law.closedSession.announceCitation
            }))
          }
          const item = itemOf(state, command.itemId)
          if (Result.isFailure(item)) return Result.fail(item.failure)
          return accept({
            _tag: "ClosedSessionAnnounced",
            meetingId,
            sessionId: command.sessionId,
            itemId: command.itemId,
            basisId: basis.id,
            citation: basis.citation,
            description: command.description,
            at: now
          })
        })
      case "ReportClosedSession":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () => {
          const session = state.closedSessions.find((candidate) => candidate.sessionId === command.sessionId)
          if (session === undefined || session.reported) {
            return Result.fail(new ClosedSessionOutOfOrder({
              rule: "closed-session-announced-before",
              meetingId,
              sessionIds: [command.sessionId],
              citation: law.closedSession.announceCitation
            }))
          }
          for (const action of command.actions) {
            const checked = checkedRoll(state, action.roll, law.defaultThreshold)
            if (Result.isFailure(checked)) return Result.fail(checked.failure)
          }
          return accept({
            _tag: "ClosedSessionReported",
            meetingId,
            sessionId: command.sessionId,
            actions: command.actions.map((action) => ({ description: action.description, roll: [...action.roll] })),
            citation: law.closedSession.reportCitation,
            at: now
          })
        })
      case "DistributeDocument":
        return Result.flatMap(inPhase(state, command._tag, ["scheduled", "open"]), () =>
          Result.flatMap(plausibleInstant({ command: command._tag, field: "distributedAt", instant: command.distributedAt, notAfter: now }), () => {
            const rule = law.lateDocuments
            const late = rule !== undefined && state.kind === "regular" && command.toMajority &&
              !atLeastHoursBefore(command.distributedAt, state.scheduledFor, rule.hoursBefore)
            return accept({
              _tag: "MeetingDocumentDistributed",
              meetingId,
              documentId: command.documentId,
              title: command.title,
              distributedAt: command.distributedAt,
              toMajority: command.toMajority,
              late,
              publicAt: command.distributedAt,
              ...(late && rule !== undefined ? { citation: rule.citation } : {}),
              at: now
            })
          }))
      case "AdjournMeeting":
        return Result.flatMap(inPhase(state, command._tag, ["open"]), () => {
          const unreported = state.closedSessions.filter((session) => !session.reported).map((session) => session.sessionId)
          return unreported.length > 0
            ? Result.fail(new ClosedSessionOutOfOrder({
              rule: "closed-session-reported-after",
              meetingId,
              sessionIds: unreported,
              citation: law.closedSession.reportCitation
            }))
            : accept({ _tag: "MeetingAdjourned", meetingId, at: now })
        })
      case "DraftMinutes":
        return Result.flatMap(inPhase(state, command._tag, ["adjourned"]), () =>
          state.minutesApprovedAt === undefined
            ? accept({ _tag: "MinutesDrafted", meetingId, text: command.text, at: now })
            : Result.fail(new WrongMeetingPhase({ meetingId, command: command._tag, phase: "minutes approved", allowedPhases: ["adjourned"] })))
      case "ApproveMinutes":
        return Result.flatMap(inPhase(state, command._tag, ["adjourned"]), () => {
          if (state.minutesDraft === undefined || state.minutesApprovedAt !== undefined) {
            return Result.fail(new WrongMeetingPhase({
              meetingId,
              command: command._tag,
              phase: state.minutesDraft === undefined ? "adjourned without draft minutes" : "minutes approved",
              allowedPhases: ["adjourned with draft minutes"]
            }))
          }
          const adjournedAt = state.adjournedAt ?? state.scheduledFor
          if (command.approvedAtMeetingId === meetingId || DateTime.isLessThanOrEqualTo(command.approvedAtMeetingHeldAt, adjournedAt)) {
            return Result.fail(new MinutesApprovalNotLater({ meetingId, approvedAtMeetingId: command.approvedAtMeetingId }))
          }
          return Result.flatMap(
            plausibleInstant({ command: command._tag, field: "approvedAtMeetingHeldAt", instant: command.approvedAtMeetingHeldAt, notAfter: now }),
            () =>
              accept({
                _tag: "MinutesApproved",
                meetingId,
                approvedAtMeetingId: command.approvedAtMeetingId,
                approvedAtMeetingHeldAt: command.approvedAtMeetingHeldAt,
                at: now
              })
          )
        })
    }
  }

  return {
    initialState: notScheduled,
    decide: (command, state, context) => {
      if (state._tag === "Meeting") return decideOn(state, command, context)
      if (command._tag !== "ScheduleMeeting") {
        return Result.fail(new MeetingNotScheduled({ meetingId: command.meetingId, command: command._tag }))
      }
      const ids = command.items.map((item) => item.itemId)
      const repeated = ids.find((id, index) => ids.indexOf(id) !== index)
      if (repeated !== undefined) return Result.fail(new DuplicateAgendaItem({ meetingId: command.meetingId, itemId: repeated }))
      const limit = law.agendaDescription
      return accept({
        _tag: "MeetingScheduled",
        meetingId: command.meetingId,
        kind: command.kind,
        scheduledFor: command.scheduledFor,
        places: command.places,
        items: [...command.items],
        longDescriptions: limit === undefined
          ? []
          : command.items
            .map((item) => ({ itemId: item.itemId, words: wordCount(item.description), maxWords: limit.maxWords }))
            .filter((flag) => flag.words > flag.maxWords),
        at: context.now
      })
    },
    evolve
  }
}


// ---------------------------------------------------------------------------
// Aggregate
// ---------------------------------------------------------------------------

/** The aggregate type of meetings, in stream ids and access requests. */
export const MEETING_RESOURCE = "commission-meeting"

/** The prefix of every meeting stream. */
export const meetingStreamPrefix = streamIdPrefix(MEETING_RESOURCE)

/** The stream of one meeting, `commission-meeting/<meetingId>`. */
export const meetingStream = (meetingId: string): string => streamId(MEETING_RESOURCE, meetingId)

/** The access action of each meeting command, as access rules name them (`commission-meeting.*`). */
export const meetingActions = {
  ScheduleMeeting: "commission-meeting.schedule",
  PostAgenda: "commission-meeting.post-agenda",
  RecordNoticeDelivery: "commission-meeting.record-notice-delivery",
  FindEmergency: "commission-meeting.find-emergency",
  OpenMeeting: "commission-meeting.open",
  RecordArrival: "commission-meeting.record-arrival",
  RecordDeparture: "commission-meeting.record-departure",
  AddNonAgendaItem: "commission-meeting.add-non-agenda-item",
  OpenPublicComment: "commission-meeting.open-public-comment",
  RecordPublicComment: "commission-meeting.record-public-comment",
  RecordVote: "commission-meeting.record-vote",
  ContinueItem: "commission-meeting.continue-item",
  AnnounceClosedSession: "commission-meeting.announce-closed-session",
  ReportClosedSession: "commission-meeting.report-closed-session",
  DistributeDocument: "commission-meeting.distribute-document",
  AdjournMeeting: "commission-meeting.adjourn",
  DraftMinutes: "commission-meeting.draft-minutes",
  ApproveMinutes: "commission-meeting.approve-minutes"
} as const satisfies Record<MeetingCommand["_tag"], string>

/**
 * The commission meeting aggregate: one stream per meeting, the rules of
 * `rules.law`, access asked as `commission-meeting.<action>` on the
 * citywide resource `commission-meeting`.
 *
 * @example
 * ```ts
 * const Meetings = commissionMeeting({ law: californiaBrownAct, timeZone: "America/Los_Angeles" })
 * ```
 */
export const commissionMeeting = (
  rules: MeetingRules
): Aggregate<MeetingCommand, MeetingEvent, MeetingState, MeetingRefusal> => ({
  name: MEETING_RESOURCE,
  commands: MeetingCommandSchema,
  events: meetingEvents,
  decider: meetingDecider(rules),
  state: MeetingState,
  streamId: (command) => meetingStream(command.meetingId),
  access: (command) => ({
    action: meetingActions[command._tag],
    resource: { type: MEETING_RESOURCE, id: command.meetingId }
  })
})
