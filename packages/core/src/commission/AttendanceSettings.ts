/**
 * The attendance rule as configuration: how many absences in a calendar
 * year open a removal review, from which kinds of meeting, and whether the
 * member's recommending authority is consulted before a decision.
 * Sacramento's values are `sacramentoCommissionAttendance`.
 *
 * @module
 */
import { Schema } from "effect"
import { MeetingKind } from "./Membership.ts"

/**
 * The attendance settings.
 *
 * - `absencesForReview`: absences in one calendar year (in the
 *   jurisdiction's time zone) that open a removal review. Sacramento: 3,
 *   "good cause for removal" (Sacramento City Code 2.40.080(A)).
 * - `countedMeetingKinds`: the kinds of meeting whose absences count.
 *   Sacramento: regular meetings only (2.40.080(A)).
 * - `consultRecommendingAuthority`: the clerk consults the member's
 *   recommending authority (the mayor, the council member, or the chair of
 *   the council committee that recommended the member) before the removal
 *   process starts (2.40.080(B)); the review cannot be decided before.
 * - `presentAboveShare`: a member is present at a meeting when there (in
 *   the room or remotely) for more than this share of its real duration;
 *   less is an absence. Sacramento: 0.5, "missing most of a meeting"
 *   counts as an absence (2.40.080(C)(2)). 0 counts any presence.
 *
 * Which status counts is not a setting: only `absent` counts. An absence on
 * official city business is `excused-city-business` and never counts
 * (2.40.080(C)(1)); attending remotely (Gov. Code 54953) is attendance.
 */
export const AttendanceSettings = Schema.Struct({
  absencesForReview: Schema.Int.check(Schema.isGreaterThan(0)),
  countedMeetingKinds: Schema.Array(MeetingKind).check(Schema.isMinLength(1)),
  consultRecommendingAuthority: Schema.Boolean,
  presentAboveShare: Schema.Number.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThan(1))
})

/** The attendance settings; see {@link AttendanceSettings}. */
export type AttendanceSettings = typeof AttendanceSettings.Type
