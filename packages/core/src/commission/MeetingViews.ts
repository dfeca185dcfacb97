/**
 * What the public may see of a meeting: the agenda with its posting time
 * and items, each item's disposition, the roll-call votes by member, the
 * public comment (a speaker's name only with their consent), and the
 * documents whose public time has come (54957.5(b): a late writing is
 * public from the moment it was given to the members). The record is a
 * schema with its personal fields marked, so `redact(..., "public")` gives
 * the public view and staff see more.
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import { redact } from "../engine/Redaction.ts"
import { sensitiveWhen } from "../kernel/Sensitivity.ts"
import type { MeetingState } from "./Meeting.ts"
import { AgendaItem, RollCallVote, VoteTally } from "./MeetingEvents.ts"
import { MeetingKind } from "./Membership.ts"

const Instant = Schema.DateTimeUtcFromString

/**
 * One speaker's comment on an item. The speaker's name is personal data
 * unless the speaker consented to its publication; redaction removes it
 * from public views otherwise.
 */
export const MeetingComment = sensitiveWhen(
  Schema.Struct({
    itemId: Schema.String,
    /** Personal unless `nameConsent` (marked by the value, below). */
    speaker: Schema.String,
    nameConsent: Schema.Boolean,
    minutes: Schema.Number
  }),
  (encoded) =>
    typeof encoded === "object" && encoded !== null && "nameConsent" in encoded && encoded.nameConsent === true
      ? []
      : [{ path: ["speaker"], sensitivity: "personal" }]
)

/** The record of a meeting, its personal fields marked; see the module documentation. */
export const MeetingRecord = Schema.Struct({
  meetingId: Schema.String,
  kind: MeetingKind,
  scheduledFor: Instant,
  agendaPostedAt: Schema.optionalKey(Instant),
  phase: Schema.String,
  items: Schema.Array(Schema.Struct({
    item: AgendaItem,
    source: Schema.Literals(["agenda", "non-agenda"]),
    disposition: Schema.optionalKey(Schema.String)
  })),
  votes: Schema.Array(Schema.Struct({ itemId: Schema.String, motion: Schema.String, roll: Schema.Array(RollCallVote), tally: VoteTally })),
  comments: Schema.Array(MeetingComment),
  documents: Schema.Array(Schema.Struct({ documentId: Schema.String, title: Schema.String, publicAt: Instant, late: Schema.Boolean }))
})

/** The record of a meeting; see {@link MeetingRecord}. */
export type MeetingRecord = typeof MeetingRecord.Type

/**
 * The record of a meeting at `now`: documents appear once their public
 * time has come. Undefined before the meeting is scheduled. Names are
 * still in it: pass it through {@link publicMeetingRecord} for the public.
 */
export const meetingRecordOf = (state: MeetingState, now: DateTime.DateTime): MeetingRecord | undefined =>
  state._tag === "Meeting"
    ? {
      meetingId: state.meetingId,
      kind: state.kind,
      scheduledFor: state.scheduledFor,
      ...(state.postedAt === undefined ? {} : { agendaPostedAt: state.postedAt }),
      phase: state.phase,
      items: state.items.map((item) => ({
        item: item.item,
        source: item.source,
        ...(item.disposition === undefined ? {} : { disposition: item.disposition })
      })),
      votes: state.votes,
      comments: state.comments,
      documents: state.documents.filter((document) => DateTime.isLessThanOrEqualTo(document.publicAt, now))
    }
    : undefined

/** The public view of a meeting's record at `now`: no speaker's name without consent, nothing personal. */
export const publicMeetingRecord = (state: MeetingState, now: DateTime.DateTime): Schema.Json | undefined => {
  const record = meetingRecordOf(state, now)
  return record === undefined ? undefined : redact(MeetingRecord, record, "public")
}
