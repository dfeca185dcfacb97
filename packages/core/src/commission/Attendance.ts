/**
 * Counting absences under the attendance rule (Sacramento City Code
 * 2.40.080): which of a member's attendance records count, per calendar
 * year in the jurisdiction's time zone, and which members reached the
 * number that opens a removal review. Pure functions over the
 * `AttendanceRecord`s the meetings record.
 *
 * @module
 */
import { DateTime } from "effect"
import type { AttendanceSettings } from "./AttendanceSettings.ts"
import type { AttendanceRecord } from "./Membership.ts"

/** The calendar year an instant falls in, in a time zone (a meeting at 23:30 on 31 December in Sacramento is in that year). */
export const calendarYearOf = (instant: DateTime.DateTime, timeZone: string): number =>
  DateTime.toParts(DateTime.setZone(instant, DateTime.zoneMakeNamedUnsafe(timeZone))).year

/**
 * Whether one record is an absence that counts: `absent` (which includes
 * missing most of the meeting, 2.40.080(C)(2)) from a kind of meeting the
 * settings count. An absence on city business (2.40.080(C)(1)) and remote
 * attendance never count.
 */
export const isCountedAbsence = (settings: AttendanceSettings, record: AttendanceRecord): boolean =>
  record.status === "absent" && settings.countedMeetingKinds.includes(record.meetingKind)

/**
 * The absences of `member` in calendar `year` that count, one per meeting,
 * in the order of the meetings.
 */
export const countedAbsences = (
  settings: AttendanceSettings,
  timeZone: string,
  records: ReadonlyArray<AttendanceRecord>,
  member: string,
  year: number
): ReadonlyArray<AttendanceRecord> => {
  const byMeeting = new Map<string, AttendanceRecord>()
  for (const record of records) {
    if (record.member === member && isCountedAbsence(settings, record) && calendarYearOf(record.heldAt, timeZone) === year) {
      byMeeting.set(record.meetingId, record)
    }
  }
  return [...byMeeting.values()].sort((a, b) => DateTime.toEpochMillis(a.heldAt) - DateTime.toEpochMillis(b.heldAt))
}

/** A member who reached the number of absences that opens a removal review in a year. */
export interface AbsenceReviewDue {
  readonly member: string
  readonly year: number
  /** The counted absences, the review's evidence. */
  readonly absences: ReadonlyArray<AttendanceRecord>
}

/**
 * Every member and calendar year whose counted absences reached
 * `absencesForReview`, ordered by year then member: the reviews to open.
 * A review is never opened by this function; the clerk opens it with the
 * absences as evidence.
 *
 * @example
 * ```ts
 * absenceReviewsDue(sacramentoCommissionAttendance, "America/Los_Angeles", records)
 * // => [{ member: "m-07", year: 2026, absences: [jan, apr, sep] }]
 * ```
 */
export const absenceReviewsDue = (
  settings: AttendanceSettings,
  timeZone: string,
  records: ReadonlyArray<AttendanceRecord>
): ReadonlyArray<AbsenceReviewDue> => {
  const keys = new Map<string, { readonly member: string; readonly year: number }>()
  for (const record of records) {
    if (!isCountedAbsence(settings, record)) continue
    const year = calendarYearOf(record.heldAt, timeZone)
    keys.set(`${year}\u0000${record.member}`, { member: record.member, year })
  }
  return [...keys.values()]
    .map(({ member, year }) => ({ member, year, absences: countedAbsences(settings, timeZone, records, member, year) }))
    .filter((due) => due.absences.length >= settings.absencesForReview)
    .sort((a, b) => a.year - b.year || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0))
}
