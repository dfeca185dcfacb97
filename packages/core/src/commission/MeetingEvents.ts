/**
 * What a commission meeting records and what can be asked of it: the agenda
 * and its posting, the notices delivered, the opening with the membership
 * and attendance, items not on the agenda with the vote that let them in,
 * public comment, roll-call votes, continued items, closed sessions, late
 * documents, adjournment and minutes. The rules live in `Meeting.ts`.
 *
 * @module
 */
import { Schema } from "effect"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { CommissionMembership, MeetingKind, MemberId } from "./Membership.ts"
import { VoteThreshold } from "./OpenMeetingsLaw.ts"

const Instant = Schema.DateTimeUtcFromString
const Id = Schema.NonEmptyString.check(Schema.isTrimmed())
const Text = Schema.NonEmptyString.check(Schema.isTrimmed())
const wholeAtLeast0 = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** A meeting's id, e.g. `cpc-2026-03-regular`. */
export const MeetingId = Id

/** An agenda item's id within its meeting, e.g. `5`. */
export const AgendaItemId = Id

/** One item of business, with the description the agenda gives it (Gov. Code 54954.2(a)(1)). */
export const AgendaItem = Schema.Struct({
  itemId: AgendaItemId,
  description: Text
})

/** One item of business; see {@link AgendaItem}. */
export type AgendaItem = typeof AgendaItem.Type

/** Where the agenda or notice was posted: a physical place freely accessible to the public and the body's website. */
export const PostingPlaces = Schema.Struct({
  physicalPlace: Text,
  website: Text
})

/** Who a notice was delivered to: a member of the body or a medium that asked for notice. */
export const NoticeRecipient = Schema.Struct({
  kind: Schema.Literals(["member", "media"]),
  /** The member's id, or the medium's id on the city's request list. */
  id: Id
})

/** Who a notice was delivered to; see {@link NoticeRecipient}. */
export type NoticeRecipient = typeof NoticeRecipient.Type

/**
 * Why a member attends remotely under Gov. Code 54953(f): just cause
 * (childcare or caregiving, illness, disability, travel on official business)
 * or emergency circumstances (a physical or family medical emergency).
 */
export const RemoteBasis = Schema.Literals(["just-cause", "emergency-circumstances"])

/** Why a member attends remotely; see {@link RemoteBasis}. */
export type RemoteBasis = typeof RemoteBasis.Type

/**
 * One member's attendance as recorded at the opening. A remote attendee
 * gives the basis and how many meetings they already attended remotely in
 * this calendar year (from the attendance read model: a cross-aggregate
 * fact, checked and kept on the event).
 */
export const AttendanceEntry = Schema.Union([
  Schema.TaggedStruct("InRoom", { member: MemberId }),
  Schema.TaggedStruct("Remote", { member: MemberId, basis: RemoteBasis, remoteMeetingsEarlierThisYear: wholeAtLeast0 }),
  Schema.TaggedStruct("Absent", { member: MemberId }),
  Schema.TaggedStruct("ExcusedCityBusiness", { member: MemberId })
])

/** One member's attendance; see {@link AttendanceEntry}. */
export type AttendanceEntry = typeof AttendanceEntry.Type

/** How one member voted on a roll call. A recusal carries its reason. */
export const RollCallVote = Schema.Union([
  Schema.TaggedStruct("Aye", { member: MemberId }),
  Schema.TaggedStruct("No", { member: MemberId }),
  Schema.TaggedStruct("Abstain", { member: MemberId }),
  Schema.TaggedStruct("Recused", { member: MemberId, reason: Text }),
  Schema.TaggedStruct("Absent", { member: MemberId })
])

/** How one member voted; see {@link RollCallVote}. */
export type RollCallVote = typeof RollCallVote.Type

/** The counts of a vote and its outcome under its threshold. */
export const VoteTally = Schema.Struct({
  ayes: wholeAtLeast0,
  noes: wholeAtLeast0,
  abstentions: wholeAtLeast0,
  recusals: wholeAtLeast0,
  absent: wholeAtLeast0,
  threshold: VoteThreshold,
  /** The ayes the threshold needed. */
  needed: wholeAtLeast0,
  carried: Schema.Boolean
})

/** The counts of a vote; see {@link VoteTally}. */
export type VoteTally = typeof VoteTally.Type

/** How a vote was taken: a roll call, or by voice (never when anyone attends remotely, Gov. Code 54953(b)(2)(A)). */
export const VoteForm = Schema.Literals(["roll-call", "voice"])

/** How a vote was taken; see {@link VoteForm}. */
export type VoteForm = typeof VoteForm.Type

/**
 * The path by which an item not on the posted agenda was taken up
 * (Gov. Code 54954.2(b); RCW 42.30.077 for an amended regular agenda).
 */
export const NonAgendaBasis = Schema.Union([
  Schema.TaggedStruct("Emergency", { finding: Text }),
  Schema.TaggedStruct("NeedAroseAfterPosting", {
    finding: Text,
    /** When the need came to the body's attention: after the agenda was posted, or the path is closed. */
    cameToAttentionAt: Instant
  }),
  Schema.TaggedStruct("ContinuedFromPriorMeeting", {
    priorMeetingId: MeetingId,
    /** When the prior meeting, where the item was posted, was held (from its stream). */
    priorMeetingHeldAt: Instant
  }),
  Schema.TaggedStruct("AmendedRegularAgenda", {}),
  /** Any other reason: always refused, named so the refusal can say which rule it lacks. */
  Schema.TaggedStruct("Other", { reason: Text })
])

/** The path for an item not on the agenda; see {@link NonAgendaBasis}. */
export type NonAgendaBasis = typeof NonAgendaBasis.Type

/** One action a closed session took, reported after it with its vote (Gov. Code 54957.1). */
export const ClosedSessionAction = Schema.Struct({
  description: Text,
  roll: Schema.Array(RollCallVote)
})

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/**
 * A meeting was called, with its agenda. Descriptions longer than the law's
 * limit are listed in `longDescriptions` (Gov. Code 54954.2(a)(1)).
 */
export const MeetingScheduled = Schema.TaggedStruct("MeetingScheduled", {
  meetingId: MeetingId,
  kind: MeetingKind,
  scheduledFor: Instant,
  places: PostingPlaces,
  items: Schema.Array(AgendaItem),
  longDescriptions: Schema.Array(Schema.Struct({ itemId: AgendaItemId, words: wholeAtLeast0, maxWords: wholeAtLeast0 })),
  at: Instant
})

/** The agenda was posted, at `postedAt`, at the physical place and on the website. */
export const AgendaPosted = Schema.TaggedStruct("AgendaPosted", {
  meetingId: MeetingId,
  postedAt: Instant,
  places: PostingPlaces,
  at: Instant
})

/**
 * A notice of the meeting reached a member or a medium at `deliveredAt`:
 * the proof of the special (Gov. Code 54956) or emergency (54956.5) notice,
 * from the notification port's delivery receipt.
 */
export const MeetingNoticeDelivered = Schema.TaggedStruct("MeetingNoticeDelivered", {
  meetingId: MeetingId,
  recipient: NoticeRecipient,
  deliveredAt: Instant,
  /** The delivery receipt's id in the notification outbox, when it came from there. */
  receipt: Schema.optionalKey(Id),
  at: Instant
})

/** The presiding officer found an emergency (Gov. Code 54956.5(a)): what it is, and when it was found. */
export const EmergencyFound = Schema.TaggedStruct("EmergencyFound", {
  meetingId: MeetingId,
  finding: Text,
  at: Instant
})

/**
 * The meeting was called to order with this membership and attendance and
 * the quorum that rule gave; the notice it relied on is summarised in `notice`.
 */
export const MeetingOpened = Schema.TaggedStruct("MeetingOpened", {
  meetingId: MeetingId,
  kind: MeetingKind,
  membership: CommissionMembership,
  attendance: Schema.Array(AttendanceEntry),
  quorum: wholeAtLeast0,
  /** The rule and instants the opening relied on, e.g. `agenda posted 2026-03-06T17:00:00Z (Gov. Code 54954.2(a)(1))`. */
  notice: Text,
  at: Instant
})

/** A member absent at the opening arrived, in the room or remotely. */
export const MemberArrived = Schema.TaggedStruct("MemberArrived", {
  meetingId: MeetingId,
  entry: AttendanceEntry,
  at: Instant
})

/** A member present left before the meeting adjourned. */
export const MemberLeft = Schema.TaggedStruct("MemberLeft", {
  meetingId: MeetingId,
  member: MemberId,
  at: Instant
})

/** An item not on the agenda was taken up on a basis of Gov. Code 54954.2(b), with the vote that found it. */
export const NonAgendaItemAdded = Schema.TaggedStruct("NonAgendaItemAdded", {
  meetingId: MeetingId,
  item: AgendaItem,
  basis: NonAgendaBasis,
  citation: Text,
  /** The finding's vote; absent for a continued item, which needs none. */
  vote: Schema.optionalKey(Schema.Struct({ roll: Schema.Array(RollCallVote), tally: VoteTally })),
  at: Instant
})

/** The chair called for public comment on an item (Gov. Code 54954.3(a)). */
export const PublicCommentOpened = Schema.TaggedStruct("PublicCommentOpened", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  at: Instant
})

/**
 * A member of the public spoke on an item. The name is personal data:
 * public views show it only when `nameConsent` is true.
 */
export const PublicCommentHeard = Schema.TaggedStruct("PublicCommentHeard", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  speaker: personal(Text),
  nameConsent: Schema.Boolean,
  minutes: Schema.Number.check(Schema.isGreaterThan(0)),
  /** The limit that applied: doubled (or the configured multiple) for a speaker using a translator. */
  limitMinutes: Schema.Number,
  usedTranslator: Schema.Boolean,
  at: Instant
})

/** The body voted on an item. */
export const VoteRecorded = Schema.TaggedStruct("VoteRecorded", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  motion: Text,
  form: VoteForm,
  roll: Schema.Array(RollCallVote),
  tally: VoteTally,
  at: Instant
})

/** An item was continued to a later meeting, without action. */
export const ItemContinued = Schema.TaggedStruct("ItemContinued", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  toMeetingId: Schema.optionalKey(MeetingId),
  at: Instant
})

/** A closed session was announced in open session before it began, with its basis and citation (Gov. Code 54957.7(a)). */
export const ClosedSessionAnnounced = Schema.TaggedStruct("ClosedSessionAnnounced", {
  meetingId: MeetingId,
  sessionId: Id,
  /** The agenda item that describes the closed session: it is business like any other (Gov. Code 54954.2(a)(1), 54954.5). */
  itemId: AgendaItemId,
  basisId: Id,
  citation: Text,
  description: Text,
  at: Instant
})

/** After a closed session, its actions and votes were reported in open session (Gov. Code 54957.1); none is a valid report. */
export const ClosedSessionReported = Schema.TaggedStruct("ClosedSessionReported", {
  meetingId: MeetingId,
  sessionId: Id,
  actions: Schema.Array(ClosedSessionAction),
  citation: Text,
  at: Instant
})

/**
 * A writing about an open-session item was given to members. When a
 * majority received it less than the law's hours before a regular meeting,
 * it is public from that moment (Gov. Code 54957.5(b)): `publicAt` is when
 * the public document list shows it.
 */
export const MeetingDocumentDistributed = Schema.TaggedStruct("MeetingDocumentDistributed", {
  meetingId: MeetingId,
  documentId: Id,
  title: Text,
  distributedAt: Instant,
  toMajority: Schema.Boolean,
  late: Schema.Boolean,
  publicAt: Instant,
  citation: Schema.optionalKey(Text),
  at: Instant
})

/** The meeting was adjourned. */
export const MeetingAdjourned = Schema.TaggedStruct("MeetingAdjourned", {
  meetingId: MeetingId,
  at: Instant
})

/** Draft minutes of the meeting were prepared. */
export const MinutesDrafted = Schema.TaggedStruct("MinutesDrafted", {
  meetingId: MeetingId,
  text: Text,
  at: Instant
})

/** The minutes were approved at a later meeting, by its vote. */
export const MinutesApproved = Schema.TaggedStruct("MinutesApproved", {
  meetingId: MeetingId,
  approvedAtMeetingId: MeetingId,
  approvedAtMeetingHeldAt: Instant,
  at: Instant
})

/** Every event of a meeting. */
export const MeetingEvent = Schema.Union([
  MeetingScheduled,
  AgendaPosted,
  MeetingNoticeDelivered,
  EmergencyFound,
  MeetingOpened,
  MemberArrived,
  MemberLeft,
  NonAgendaItemAdded,
  PublicCommentOpened,
  PublicCommentHeard,
  VoteRecorded,
  ItemContinued,
  ClosedSessionAnnounced,
  ClosedSessionReported,
  MeetingDocumentDistributed,
  MeetingAdjourned,
  MinutesDrafted,
  MinutesApproved
])

/** An event of a meeting; see {@link MeetingEvent}. */
export type MeetingEvent = typeof MeetingEvent.Type

/** The meeting's events and their versions. */
export const meetingEvents = makeEventCatalog(MeetingEvent)

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** Call a meeting with its agenda: the items are the business noticed. */
export const ScheduleMeeting = Schema.TaggedStruct("ScheduleMeeting", {
  meetingId: MeetingId,
  kind: MeetingKind,
  scheduledFor: Instant,
  places: PostingPlaces,
  items: Schema.Array(AgendaItem)
})

/** Record the agenda's posting: when it went up, where. */
export const PostAgenda = Schema.TaggedStruct("PostAgenda", {
  meetingId: MeetingId,
  postedAt: Instant,
  places: PostingPlaces
})

/** Record a notice delivered to a member or a medium, from its delivery receipt. */
export const RecordNoticeDelivery = Schema.TaggedStruct("RecordNoticeDelivery", {
  meetingId: MeetingId,
  recipient: NoticeRecipient,
  deliveredAt: Instant,
  receipt: Schema.optionalKey(Id)
})

/** Record the presiding officer's finding of an emergency (Gov. Code 54956.5(a)). */
export const FindEmergency = Schema.TaggedStruct("FindEmergency", {
  meetingId: MeetingId,
  finding: Text
})

/**
 * Call the meeting to order. The membership and the media on the request
 * list come from their read models at this instant (cross-aggregate facts,
 * checked and recorded).
 */
export const OpenMeeting = Schema.TaggedStruct("OpenMeeting", {
  meetingId: MeetingId,
  membership: CommissionMembership,
  attendance: Schema.Array(AttendanceEntry),
  /** The media that asked for notice of special meetings (Gov. Code 54956(a)); each must have been reached. */
  mediaOnRequestList: Schema.Array(Id)
})

/** Record that a member absent so far arrived: `entry` is `InRoom` or `Remote` (with its basis and yearly count). */
export const RecordArrival = Schema.TaggedStruct("RecordArrival", {
  meetingId: MeetingId,
  entry: AttendanceEntry
})

/** Record that a member present left. */
export const RecordDeparture = Schema.TaggedStruct("RecordDeparture", {
  meetingId: MeetingId,
  member: MemberId
})

/** Take up an item not on the agenda, on a basis, with the vote that found it. */
export const AddNonAgendaItem = Schema.TaggedStruct("AddNonAgendaItem", {
  meetingId: MeetingId,
  item: AgendaItem,
  basis: NonAgendaBasis,
  roll: Schema.Array(RollCallVote)
})

/** Open public comment on an item. */
export const OpenPublicComment = Schema.TaggedStruct("OpenPublicComment", {
  meetingId: MeetingId,
  itemId: AgendaItemId
})

/** Record one speaker's public comment on an item. */
export const RecordPublicComment = Schema.TaggedStruct("RecordPublicComment", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  speaker: personal(Text),
  nameConsent: Schema.Boolean,
  minutes: Schema.Number.check(Schema.isGreaterThan(0)),
  usedTranslator: Schema.Boolean,
  simultaneousInterpretation: Schema.Boolean
})

/** Record a vote on an item; the threshold defaults to the law's `defaultThreshold`. */
export const RecordVote = Schema.TaggedStruct("RecordVote", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  motion: Text,
  form: VoteForm,
  roll: Schema.Array(RollCallVote),
  threshold: Schema.optionalKey(VoteThreshold)
})

/** Continue an item to a later meeting. */
export const ContinueItem = Schema.TaggedStruct("ContinueItem", {
  meetingId: MeetingId,
  itemId: AgendaItemId,
  toMeetingId: Schema.optionalKey(MeetingId)
})

/** Announce a closed session on one of the law's bases, before it begins, for an item on the agenda. */
export const AnnounceClosedSession = Schema.TaggedStruct("AnnounceClosedSession", {
  meetingId: MeetingId,
  sessionId: Id,
  itemId: AgendaItemId,
  basisId: Id,
  description: Text
})

/** Report a closed session's actions and their votes, after it. */
export const ReportClosedSession = Schema.TaggedStruct("ReportClosedSession", {
  meetingId: MeetingId,
  sessionId: Id,
  actions: Schema.Array(ClosedSessionAction)
})

/** Record a writing given to members about an open-session item. */
export const DistributeDocument = Schema.TaggedStruct("DistributeDocument", {
  meetingId: MeetingId,
  documentId: Id,
  title: Text,
  distributedAt: Instant,
  toMajority: Schema.Boolean
})

/** Adjourn the meeting. */
export const AdjournMeeting = Schema.TaggedStruct("AdjournMeeting", { meetingId: MeetingId })

/** Record the draft minutes. */
export const DraftMinutes = Schema.TaggedStruct("DraftMinutes", { meetingId: MeetingId, text: Text })

/** Record that a later meeting approved the minutes. */
export const ApproveMinutes = Schema.TaggedStruct("ApproveMinutes", {
  meetingId: MeetingId,
  approvedAtMeetingId: MeetingId,
  approvedAtMeetingHeldAt: Instant
})

/** Every command of a meeting. */
export const MeetingCommand = Schema.Union([
  ScheduleMeeting,
  PostAgenda,
  RecordNoticeDelivery,
  FindEmergency,
  OpenMeeting,
  RecordArrival,
  RecordDeparture,
  AddNonAgendaItem,
  OpenPublicComment,
  RecordPublicComment,
  RecordVote,
  ContinueItem,
  AnnounceClosedSession,
  ReportClosedSession,
  DistributeDocument,
  AdjournMeeting,
  DraftMinutes,
  ApproveMinutes
])

/** A command of a meeting; see {@link MeetingCommand}. */
export type MeetingCommand = typeof MeetingCommand.Type
