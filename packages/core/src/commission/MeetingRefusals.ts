/**
 * Why a meeting command was refused. Each refusal names its rule (the same
 * string the docs list) and, where the rule is law, the citation from the
 * configured `OpenMeetingsLaw`, so a Washington city's refusals cite
 * RCW 42.30 and a California city's the Brown Act.
 *
 * @module
 */
import { Schema } from "effect"
import type { ImplausibleInstant } from "../engine/Refusals.ts"
import { VoteTally } from "./MeetingEvents.ts"

const Instant = Schema.DateTimeUtcFromString

/** The command needs a scheduled meeting, and this id has none. */
export class MeetingNotScheduled extends Schema.TaggedError<MeetingNotScheduled>()("MeetingNotScheduled", {
  rule: Schema.tag("meeting-scheduled-first"),
  meetingId: Schema.String,
  command: Schema.String
}) {
  override get message(): string {
    return `${this.command}: meeting ${this.meetingId} has not been scheduled`
  }
}

/** The meeting was already scheduled: one stream per meeting, one agenda. */
export class MeetingAlreadyScheduled extends Schema.TaggedError<MeetingAlreadyScheduled>()("MeetingAlreadyScheduled", {
  rule: Schema.tag("one-schedule-per-meeting"),
  meetingId: Schema.String
}) {
  override get message(): string {
    return `meeting ${this.meetingId} is already scheduled`
  }
}

/** The command is not a step the meeting can take in its phase (e.g. a vote before it opens, a posting after it adjourns). */
export class WrongMeetingPhase extends Schema.TaggedError<WrongMeetingPhase>()("WrongMeetingPhase", {
  rule: Schema.tag("meeting-phase"),
  meetingId: Schema.String,
  command: Schema.String,
  phase: Schema.String,
  allowedPhases: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `${this.command} needs the meeting ${this.allowedPhases.join(" or ")}; meeting ${this.meetingId} is ${this.phase}`
  }
}

/** The agenda repeats an item id, or an added item reuses one. */
export class DuplicateAgendaItem extends Schema.TaggedError<DuplicateAgendaItem>()("DuplicateAgendaItem", {
  rule: Schema.tag("agenda-item-ids-unique"),
  meetingId: Schema.String,
  itemId: Schema.String
}) {
  override get message(): string {
    return `meeting ${this.meetingId} already has an item ${this.itemId}`
  }
}

/**
 * The meeting cannot open: its notice does not meet the law. `rule` says
 * which (the regular agenda's hours, the special notice's hours and
 * recipients, the emergency finding and media notice); `missing` lists the
 * recipients or steps not done in time.
 */
export class NoticeRequirementNotMet extends Schema.TaggedError<NoticeRequirementNotMet>()("NoticeRequirementNotMet", {
  rule: Schema.Literals(["regular-agenda-posted-in-time", "special-notice-delivered-in-time", "emergency-found-and-media-told"]),
  meetingId: Schema.String,
  citation: Schema.String,
  requiredHours: Schema.Number,
  opensAt: Instant,
  missing: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `meeting ${this.meetingId} cannot open: ${this.missing.join("; ")} ` +
      `(${this.requiredHours} hours before, ${this.citation})`
  }
}

/** The attendance given does not list every seated member exactly once, or lists someone not seated. */
export class AttendanceIncomplete extends Schema.TaggedError<AttendanceIncomplete>()("AttendanceIncomplete", {
  rule: Schema.tag("attendance-of-every-seated-member"),
  meetingId: Schema.String,
  missing: Schema.Array(Schema.String),
  notSeated: Schema.Array(Schema.String),
  repeated: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `attendance must list each seated member once (missing: ${this.missing.join(", ") || "none"}; ` +
      `not seated: ${this.notSeated.join(", ") || "none"}; repeated: ${this.repeated.join(", ") || "none"})`
  }
}

/**
 * Too few members present: no quorum at all (`quorum`), or, when anyone
 * attends remotely, not a quorum in the one physical place (`quorum-in-one-place`).
 */
export class QuorumNotPresent extends Schema.TaggedError<QuorumNotPresent>()("QuorumNotPresent", {
  rule: Schema.Literals(["quorum", "quorum-in-one-place"]),
  meetingId: Schema.String,
  required: Schema.Number,
  present: Schema.Number,
  citation: Schema.String
}) {
  override get message(): string {
    return `${this.present} member(s) present${this.rule === "quorum-in-one-place" ? " in the room" : ""}, ` +
      `a quorum is ${this.required} (${this.citation})`
  }
}

/**
 * An arrival or departure that does not fit the attendance: an arrival of a
 * member not seated or already present, or recorded as absent; a departure
 * of a member not present.
 */
export class AttendanceChangeRefused extends Schema.TaggedError<AttendanceChangeRefused>()("AttendanceChangeRefused", {
  rule: Schema.Literals(["arrive-when-absent", "leave-when-present"]),
  meetingId: Schema.String,
  member: Schema.String
}) {
  override get message(): string {
    return this.rule === "arrive-when-absent"
      ? `${this.member} can arrive only if seated and not present, in the room or remotely`
      : `${this.member} is not present at meeting ${this.meetingId}`
  }
}

/** A member asked to attend remotely beyond the yearly cap for the body's meeting frequency. */
export class RemoteAttendanceCapReached extends Schema.TaggedError<RemoteAttendanceCapReached>()("RemoteAttendanceCapReached", {
  rule: Schema.tag("remote-attendance-yearly-cap"),
  meetingId: Schema.String,
  member: Schema.String,
  cap: Schema.Number,
  earlierThisYear: Schema.Number,
  citation: Schema.String
}) {
  override get message(): string {
    return `${this.member} already attended ${this.earlierThisYear} meeting(s) remotely this year; the cap is ${this.cap} (${this.citation})`
  }
}

/**
 * A roll call does not match the meeting's attendance: a seated member is
 * missing or repeated, someone not seated voted, an absent member voted, or
 * a member present is recorded absent.
 */
export class RollCallMismatch extends Schema.TaggedError<RollCallMismatch>()("RollCallMismatch", {
  rule: Schema.tag("roll-call-matches-attendance"),
  meetingId: Schema.String,
  problems: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `the roll call does not match the attendance: ${this.problems.join("; ")}`
  }
}

/** A voice vote while someone attends remotely: every vote must be by roll call. */
export class RollCallRequired extends Schema.TaggedError<RollCallRequired>()("RollCallRequired", {
  rule: Schema.tag("roll-call-when-anyone-remote"),
  meetingId: Schema.String,
  remoteMembers: Schema.Array(Schema.String),
  citation: Schema.String
}) {
  override get message(): string {
    return `${this.remoteMembers.join(", ")} attend(s) remotely: every vote must be by roll call (${this.citation})`
  }
}

/** The item was neither on the noticed agenda nor added on a recorded basis: the body may not act on it. */
export class ItemNotNoticed extends Schema.TaggedError<ItemNotNoticed>()("ItemNotNoticed", {
  rule: Schema.tag("act-only-on-noticed-items"),
  meetingId: Schema.String,
  itemId: Schema.String,
  citation: Schema.String
}) {
  override get message(): string {
    return `item ${this.itemId} is not on meeting ${this.meetingId}'s agenda nor added on a recorded basis (${this.citation})`
  }
}

/**
 * An item not on the agenda was refused: the basis is not one the law
 * allows (`Other`, or a path this law does not have), a special meeting
 * takes up only its noticed business, the need was known before the
 * agenda was posted, the prior meeting was too long ago,
 * or the finding's vote fell short (`tally`).
 */
export class NonAgendaItemRefused extends Schema.TaggedError<NonAgendaItemRefused>()("NonAgendaItemRefused", {
  rule: Schema.Literals([
    "non-agenda-basis-allowed",
    "special-meeting-noticed-business-only",
    "need-arose-after-posting",
    "continued-within-days",
    "non-agenda-finding-vote"
  ]),
  meetingId: Schema.String,
  itemId: Schema.String,
  reason: Schema.String,
  citation: Schema.String,
  tally: Schema.optionalKey(VoteTally)
}) {
  override get message(): string {
    return `item ${this.itemId} may not be taken up: ${this.reason} (${this.citation})`
  }
}

/** The body tried to act on an item before calling for public comment on it. */
export class PublicCommentNotHeld extends Schema.TaggedError<PublicCommentNotHeld>()("PublicCommentNotHeld", {
  rule: Schema.tag("public-comment-before-action"),
  meetingId: Schema.String,
  itemId: Schema.String,
  citation: Schema.String
}) {
  override get message(): string {
    return `the public must be able to comment on item ${this.itemId} before the body acts on it (${this.citation})`
  }
}

/** A comment on an item whose comment period is not open (not yet called, or the item already decided or continued). */
export class PublicCommentNotOpen extends Schema.TaggedError<PublicCommentNotOpen>()("PublicCommentNotOpen", {
  rule: Schema.tag("public-comment-before-or-during-consideration"),
  meetingId: Schema.String,
  itemId: Schema.String,
  citation: Schema.String
}) {
  override get message(): string {
    return `public comment on item ${this.itemId} is not open (${this.citation})`
  }
}

/** A comment longer than the limit that applied to its speaker. */
export class CommentOverTimeLimit extends Schema.TaggedError<CommentOverTimeLimit>()("CommentOverTimeLimit", {
  rule: Schema.tag("public-comment-time-limit"),
  meetingId: Schema.String,
  itemId: Schema.String,
  minutes: Schema.Number,
  limitMinutes: Schema.Number,
  citation: Schema.String
}) {
  override get message(): string {
    return `${this.minutes} minutes is over the ${this.limitMinutes}-minute limit (${this.citation})`
  }
}

/** The item was already decided or continued at this meeting. */
export class ItemAlreadyDisposed extends Schema.TaggedError<ItemAlreadyDisposed>()("ItemAlreadyDisposed", {
  rule: Schema.tag("one-disposition-per-item"),
  meetingId: Schema.String,
  itemId: Schema.String,
  disposition: Schema.String
}) {
  override get message(): string {
    return `item ${this.itemId} was already ${this.disposition}`
  }
}

/** A closed session on a basis the configured list does not have. */
export class ClosedSessionBasisUnknown extends Schema.TaggedError<ClosedSessionBasisUnknown>()("ClosedSessionBasisUnknown", {
  rule: Schema.tag("closed-session-statutory-basis"),
  meetingId: Schema.String,
  basisId: Schema.String,
  bases: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `"${this.basisId}" is not a closed-session basis of this law (${this.bases.join(", ")})`
  }
}

/**
 * A closed-session step out of order: a report of a session never
 * announced, a second announcement of the same session, or adjourning
 * while a session's report is owed (`unreported`).
 */
export class ClosedSessionOutOfOrder extends Schema.TaggedError<ClosedSessionOutOfOrder>()("ClosedSessionOutOfOrder", {
  rule: Schema.Literals(["closed-session-announced-before", "closed-session-reported-after"]),
  meetingId: Schema.String,
  sessionIds: Schema.Array(Schema.String),
  citation: Schema.String
}) {
  override get message(): string {
    return this.rule === "closed-session-announced-before"
      ? `closed session ${this.sessionIds.join(", ")} must be announced (once) before it is reported (${this.citation})`
      : `closed session ${this.sessionIds.join(", ")} must be reported before the meeting adjourns (${this.citation})`
  }
}

/** The minutes cannot be approved at the meeting they record, nor at one held before it adjourned. */
export class MinutesApprovalNotLater extends Schema.TaggedError<MinutesApprovalNotLater>()("MinutesApprovalNotLater", {
  rule: Schema.tag("minutes-approved-at-a-later-meeting"),
  meetingId: Schema.String,
  approvedAtMeetingId: Schema.String
}) {
  override get message(): string {
    return `the minutes of ${this.meetingId} are approved at a later meeting, not ${this.approvedAtMeetingId}`
  }
}

/** Why a meeting command was refused. */
export type MeetingRefusal =
  | MeetingNotScheduled
  | MeetingAlreadyScheduled
  | WrongMeetingPhase
  | DuplicateAgendaItem
  | NoticeRequirementNotMet
  | AttendanceIncomplete
  | AttendanceChangeRefused
  | QuorumNotPresent
  | RemoteAttendanceCapReached
  | RollCallMismatch
  | RollCallRequired
  | ItemNotNoticed
  | NonAgendaItemRefused
  | PublicCommentNotHeld
  | PublicCommentNotOpen
  | CommentOverTimeLimit
  | ItemAlreadyDisposed
  | ClosedSessionBasisUnknown
  | ClosedSessionOutOfOrder
  | MinutesApprovalNotLater
  | ImplausibleInstant

