/**
 * Shared fixtures of the meeting tests: a nine-seat commission with eight
 * members seated, Sacramento's rules, and helpers that build the commands
 * of a meeting's life.
 */
import type { Actor, DecisionContext } from "@community-policing/core"
import { deciderSpec } from "@community-policing/testkit"
import { DateTime } from "effect"
import { meetingDecider, type MeetingRules } from "../../src/commission/Meeting.ts"
import type {
  AgendaItem,
  AttendanceEntry,
  MeetingCommand,
  MeetingEvent,
  RollCallVote
} from "../../src/commission/MeetingEvents.ts"
import type { CommissionMembership } from "../../src/commission/Membership.ts"
import { californiaBrownAct } from "../../src/commission/OpenMeetingsLaw.ts"

export const clerk: Actor = { _tag: "Staff", id: "clerk-01", roles: ["city-attorney"], districts: [] }

export const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)

export const context = (now: DateTime.Utc): DecisionContext => ({ now, actor: clerk })

export const sacramentoRules: MeetingRules = { law: californiaBrownAct, timeZone: "America/Los_Angeles" }

export const spec = (rules: MeetingRules = sacramentoRules) => deciderSpec(meetingDecider(rules))

export const members = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"] as const

/** Nine seats, eight filled: a quorum is five (Code Civ. Proc. 15). */
export const membership: CommissionMembership = { fullMembership: 9, seated: members.map((member) => ({ member })) }

export const places = { physicalPlace: "City Hall, 915 I Street, Sacramento", website: "https://www.cityofsacramento.gov/cpc" }

export const items: ReadonlyArray<AgendaItem> = [
  { itemId: "1", description: "Approval of the minutes of the previous meeting" },
  { itemId: "2", description: "Recommendation on the department's use of force policy" }
]

/** Every seated member in the room, or as `overrides` say. */
export const attendance = (overrides: Partial<Record<string, AttendanceEntry>> = {}): ReadonlyArray<AttendanceEntry> =>
  members.map((member) => overrides[member] ?? { _tag: "InRoom", member })

/** A roll call matching `entries`: present members vote `vote` unless `votes` says otherwise; absent ones are absent. */
export const rollFor = (
  entries: ReadonlyArray<AttendanceEntry>,
  votes: Partial<Record<string, RollCallVote>> = {},
  vote: "Aye" | "No" | "Abstain" = "Aye"
): ReadonlyArray<RollCallVote> =>
  entries.map((entry) =>
    entry._tag === "InRoom" || entry._tag === "Remote"
      ? votes[entry.member] ?? { _tag: vote, member: entry.member }
      : { _tag: "Absent", member: entry.member }
  )

export const meetingId = "cpc-2026-03-12"

/** The regular meeting of Thursday 12 March 2026 at 18:00 Pacific (01:00 UTC the next day). */
export const regularAt = at("2026-03-13T01:00:00Z")

export const schedule = (
  kind: "regular" | "special" | "emergency" = "regular",
  scheduledFor: DateTime.Utc = regularAt,
  agenda: ReadonlyArray<AgendaItem> = items
): MeetingCommand => ({ _tag: "ScheduleMeeting", meetingId, kind, scheduledFor, places, items: agenda })

export const scheduledEvent = (
  kind: "regular" | "special" | "emergency" = "regular",
  scheduledFor: DateTime.Utc = regularAt,
  agenda: ReadonlyArray<AgendaItem> = items,
  atInstant: DateTime.Utc = at("2026-03-01T17:00:00Z")
): MeetingEvent => ({
  _tag: "MeetingScheduled",
  meetingId,
  kind,
  scheduledFor,
  places,
  items: agenda,
  longDescriptions: [],
  at: atInstant
})

export const posted = (postedAt: DateTime.Utc): MeetingEvent => ({
  _tag: "AgendaPosted",
  meetingId,
  postedAt,
  places,
  at: postedAt
})

export const open = (entries: ReadonlyArray<AttendanceEntry> = attendance(), media: ReadonlyArray<string> = []): MeetingCommand => ({
  _tag: "OpenMeeting",
  meetingId,
  membership,
  attendance: entries,
  mediaOnRequestList: media
})

export const opened = (entries: ReadonlyArray<AttendanceEntry> = attendance(), openedAt: DateTime.Utc = regularAt): MeetingEvent => ({
  _tag: "MeetingOpened",
  meetingId,
  kind: "regular",
  membership,
  attendance: entries,
  quorum: 5,
  notice: "agenda posted",
  at: openedAt
})

/** A regular meeting posted 80 hours ahead and opened with everyone in the room. */
export const openRegular = (entries: ReadonlyArray<AttendanceEntry> = attendance()): ReadonlyArray<MeetingEvent> => [
  scheduledEvent(),
  posted(DateTime.subtract(regularAt, { hours: 80 })),
  opened(entries)
]
