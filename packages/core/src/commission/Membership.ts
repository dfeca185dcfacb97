/**
 * Who sits on the commission, as the meeting rules need it: the full
 * membership a quorum is counted from, the members seated on a given day,
 * and the attendance each meeting records for each of them. The seats
 * (who appoints them, terms) and the meetings (the Brown Act's rules) are
 * separate aggregates; this module is the vocabulary they share.
 *
 * @module
 */
import { Schema } from "effect"
import { distinctBy } from "../kernel/Identifier.ts"

/** A commissioner's stable id, from the city's records of appointments; never a name. */
export const MemberId = Schema.NonEmptyString.check(Schema.isTrimmed())

/** A commissioner's stable id; see {@link MemberId}. */
export type MemberId = typeof MemberId.Type

/** The three kinds of meeting the open-meetings law tells apart (Gov. Code 54954, 54956, 54956.5). */
export const MeetingKind = Schema.Literals(["regular", "special", "emergency"])

/** The three kinds of meeting; see {@link MeetingKind}. */
export type MeetingKind = typeof MeetingKind.Type

const wholeAbove0 = Schema.Int.check(Schema.isGreaterThan(0))

/**
 * The membership of the body at one instant, as a meeting records it when it
 * opens: how many seats the body has (its full membership, vacancies
 * included) and which members are seated. The app takes it from the seats'
 * read model; the meeting keeps it on its events, so a later change to the
 * seats never rewrites what a past meeting's quorum was.
 */
export const CommissionMembership = Schema.Struct({
  /** Every seat the ordinance creates, filled or vacant. */
  fullMembership: wholeAbove0,
  /** The members seated at that instant, each once; never more than the seats. */
  seated: Schema.Array(Schema.Struct({ member: MemberId })).check(distinctBy("member", "seated member"))
}).check(
  Schema.makeFilter((membership) =>
    membership.seated.length <= membership.fullMembership
      ? undefined
      : `${membership.seated.length} members seated in ${membership.fullMembership} seats`
  )
)

/** The membership at one instant; see {@link CommissionMembership}. */
export type CommissionMembership = typeof CommissionMembership.Type

/**
 * How many members make a quorum.
 *
 * - `majority-of-full-membership`: more than half of every seat, vacancies
 *   included. California's rule when the ordinance is silent (Code Civ.
 *   Proc. 15: a majority of the body, not of the members in office).
 * - `fixed`: a number the city's ordinance or bylaws set.
 */
export const QuorumRule = Schema.Union([
  Schema.TaggedStruct("majority-of-full-membership", {}),
  Schema.TaggedStruct("fixed", { members: wholeAbove0 })
])

/** How many members make a quorum; see {@link QuorumRule}. */
export type QuorumRule = typeof QuorumRule.Type

/**
 * The number of members present that makes a quorum under `rule` for this
 * membership: for a majority of the full membership, `floor(seats / 2) + 1`
 * (Code Civ. Proc. 15), whatever the number of vacancies.
 *
 * @example
 * ```ts
 * quorumOf({ _tag: "majority-of-full-membership" }, { fullMembership: 11, seated: [] }) // 6
 * ```
 */
export const quorumOf = (rule: QuorumRule, membership: CommissionMembership): number =>
  rule._tag === "fixed" ? rule.members : Math.floor(membership.fullMembership / 2) + 1

/**
 * A member's attendance at one meeting, as the meeting records it.
 *
 * - `present`: in the room for most of the meeting.
 * - `present-remote`: attending remotely for just cause or emergency
 *   circumstances (Gov. Code 54953(f)); counts toward the member's yearly cap.
 * - `absent`: not there, or there for less than most of the meeting
 *   (Sacramento City Code 2.40.080 counts missing most of a meeting as an
 *   absence).
 * - `excused-city-business`: away on official city business; excused
 *   (Sacramento City Code 2.40.080).
 */
export const AttendanceStatus = Schema.Literals(["present", "present-remote", "absent", "excused-city-business"])

/** A member's attendance at one meeting; see {@link AttendanceStatus}. */
export type AttendanceStatus = typeof AttendanceStatus.Type

/**
 * One member's attendance at one meeting, the fact both the meeting (its
 * quorum and roll calls) and the seats (the removal review after too many
 * absences) are built on.
 */
export const AttendanceRecord = Schema.Struct({
  meetingId: Schema.NonEmptyString,
  meetingKind: MeetingKind,
  /** When the meeting was called to order. */
  heldAt: Schema.DateTimeUtcFromString,
  member: MemberId,
  status: AttendanceStatus
})

/** One member's attendance at one meeting; see {@link AttendanceRecord}. */
export type AttendanceRecord = typeof AttendanceRecord.Type
