import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { type Actor, sacramento } from "@community-policing/core"
import { absenceReviewsDue, countedAbsences } from "../../src/commission/Attendance.ts"
import { attendanceReviewDecider } from "../../src/commission/AttendanceReview.ts"
import type { AttendanceSettings } from "../../src/commission/AttendanceSettings.ts"
import { type AttendanceRecord, AttendanceStatus, MeetingKind } from "../../src/commission/Membership.ts"

const clerk: Actor = { _tag: "Staff", id: "clerk-01", roles: ["clerk"], districts: [] }
const zone = "America/Los_Angeles"
const members = ["m-1", "m-2", "m-3"]
const from = DateTime.toEpochMillis(DateTime.makeUnsafe("2025-06-01T00:00:00Z"))
const to = DateTime.toEpochMillis(DateTime.makeUnsafe("2027-06-01T00:00:00Z"))
const now = DateTime.makeUnsafe("2027-07-01T00:00:00Z")

/** The local calendar year, computed independently of the code under test (Intl, not effect's DateTime). */
const localYear = (instant: DateTime.Utc): number =>
  Number(new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric" }).format(new Date(DateTime.toEpochMillis(instant))))

const settingsArb: fc.Arbitrary<AttendanceSettings> = fc.record({
  absencesForReview: fc.integer({ min: 1, max: 5 }),
  countedMeetingKinds: fc.subarray([...MeetingKind.literals], { minLength: 1 }),
  consultRecommendingAuthority: fc.boolean(),
  presentAboveShare: fc.constantFrom(0, 0.5, 0.75)
})

// Meetings, each with one record per member: the times cluster near New Year so the zone matters.
const meetingsArb = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 10_000 }).map((n) => `mtg-${n}`),
    kind: fc.constantFrom(...MeetingKind.literals),
    heldAt: fc.oneof(
      fc.integer({ min: from, max: to }),
      fc.constantFrom("2025-12-31T23:30:00-08:00", "2026-01-01T07:30:00Z", "2026-12-31T18:00:00-08:00", "2027-01-01T08:00:00Z")
        .map((iso) => new Date(iso).getTime())
    ).map((millis) => DateTime.makeUnsafe(millis)),
    statuses: fc.tuple(...members.map(() => fc.constantFrom(...AttendanceStatus.literals)))
  }),
  { selector: (m) => m.id, maxLength: 40 }
)

type Meeting = typeof meetingsArb extends fc.Arbitrary<ReadonlyArray<infer M>> ? M : never

const recordsOf = (meetings: ReadonlyArray<Meeting>): ReadonlyArray<AttendanceRecord> =>
  meetings.flatMap((m) => members.map((member, i) => ({ meetingId: m.id, meetingKind: m.kind, heldAt: m.heldAt, member, status: m.statuses[i]! })))

describe("attendance: properties on random attendance", () => {
  it("a review is due exactly when a member's absences from counted meetings in one local year reach the threshold", () => {
    fc.assert(
      fc.property(settingsArb, meetingsArb, (settings, meetings) => {
        const records = recordsOf(meetings)
        const due = absenceReviewsDue(settings, zone, records)
        for (const member of members) {
          for (const year of [2025, 2026, 2027]) {
            const expected = records.filter((r) =>
              r.member === member && r.status === "absent" && settings.countedMeetingKinds.includes(r.meetingKind) && localYear(r.heldAt) === year
            ).length
            const found = due.find((d) => d.member === member && d.year === year)
            assert.strictEqual(found !== undefined, expected >= settings.absencesForReview, `${member} ${year}: ${expected} absences`)
            assert.strictEqual(countedAbsences(settings, zone, records, member, year).length, expected)
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  it("a review opens on the counted absences exactly when they reach the threshold, and never on anything else", () => {
    fc.assert(
      fc.property(settingsArb, meetingsArb, fc.constantFrom(...members), fc.constantFrom(2025, 2026, 2027), (settings, meetings, member, year) => {
        const records = recordsOf(meetings)
        const decider = attendanceReviewDecider(sacramento, settings)
        const counted = countedAbsences(settings, zone, records, member, year)
        const result = decider.decide(
          { _tag: "OpenAttendanceReview", commission: "c", member, year, absences: [...counted] },
          decider.initialState,
          { now, actor: clerk }
        )
        assert.strictEqual(Result.isSuccess(result), counted.length >= settings.absencesForReview)
        // Any record that is not a counted absence spoils the evidence.
        const other = records.find((r) => !counted.includes(r))
        if (other !== undefined) {
          const spoiled = decider.decide(
            { _tag: "OpenAttendanceReview", commission: "c", member, year, absences: [...counted, other] },
            decider.initialState,
            { now, actor: clerk }
          )
          assert.isTrue(Result.isFailure(spoiled))
        }
      }),
      { numRuns: 300 }
    )
  })
})
