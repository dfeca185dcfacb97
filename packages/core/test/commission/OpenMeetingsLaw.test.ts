/**
 * The open-meetings law as configuration: both presets are valid settings,
 * and the same meeting decided under Washington's Open Public Meetings Act
 * follows its rules (24-hour regular agenda, emergency notices dispensed
 * with, an amendable regular agenda, no 20-word rule) where the Brown Act
 * would refuse, and the reverse.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import { withClosedSessionBases } from "../../src/commission/ClosedSession.ts"
import type { MeetingCommand, MeetingEvent } from "../../src/commission/MeetingEvents.ts"
import {
  atLeastHoursBefore,
  calendarDaysBetween,
  californiaBrownAct,
  OpenMeetingsLaw,
  remoteAttendanceCap,
  washingtonOpenPublicMeetingsAct,
  wordCount
} from "../../src/commission/OpenMeetingsLaw.ts"
import {
  at,
  attendance,
  context,
  meetingId,
  open,
  openRegular,
  posted,
  regularAt,
  rollFor,
  schedule,
  scheduledEvent,
  spec
} from "./MeetingFixtures.ts"

const washington = { law: washingtonOpenPublicMeetingsAct, timeZone: "America/Los_Angeles" }
const during = DateTime.add(regularAt, { minutes: 30 })

describe("open-meetings law: presets", () => {
  it("both presets are valid settings", () => {
    const decode = Schema.decodeUnknownSync(OpenMeetingsLaw)
    assert.deepStrictEqual(decode(Schema.encodeSync(OpenMeetingsLaw)(californiaBrownAct)), californiaBrownAct)
    assert.deepStrictEqual(decode(Schema.encodeSync(OpenMeetingsLaw)(washingtonOpenPublicMeetingsAct)), washingtonOpenPublicMeetingsAct)
  })

  it("refuses settings with a negative period", () => {
    const bad = { ...Schema.encodeSync(OpenMeetingsLaw)(californiaBrownAct), regularAgenda: { hoursBefore: -1, citation: "x" } }
    assert.throws(() => Schema.decodeUnknownSync(OpenMeetingsLaw)(bad))
  })

  it("the remote-attendance cap follows the body's meeting frequency: 2, 5, 7", () => {
    const at = (frequency: "monthly-or-less" | "twice-monthly" | "more-than-twice-monthly") =>
      remoteAttendanceCap({ ...californiaBrownAct, remoteAttendance: { ...californiaBrownAct.remoteAttendance, frequency } })
    assert.deepStrictEqual([at("monthly-or-less"), at("twice-monthly"), at("more-than-twice-monthly")], [2, 5, 7])
  })

  it("a city adds its own closed-session basis with its source", () => {
    const law = withClosedSessionBases(californiaBrownAct, [
      { id: "complaint-review", description: "review of an individual complaint file", citation: "Sacramento City Code 2.100 (city's own)" }
    ])
    const [event] = spec({ law, timeZone: "America/Los_Angeles" }).given(openRegular())
      .when({ _tag: "AnnounceClosedSession", meetingId, sessionId: "cs1", itemId: "2", basisId: "complaint-review", description: "complaint 2026-14" }, context(during))
      .thenAccepted()
    assert.isTrue(event?._tag === "ClosedSessionAnnounced" && event.citation === "Sacramento City Code 2.100 (city's own)")
  })
})

describe("open-meetings law: helpers", () => {
  it("hours are real elapsed hours; days are calendar days in the zone", () => {
    // 7 March 12:00 PST to 8 March 12:00 PDT: one calendar day, 23 real hours.
    const from = at("2026-03-07T20:00:00Z")
    const to = at("2026-03-08T19:00:00Z")
    assert.isFalse(atLeastHoursBefore(from, to, 24))
    assert.strictEqual(calendarDaysBetween(from, to, "America/Los_Angeles"), 1)
    // 23:30 Pacific on 12 March is already the 13th in UTC: still 0 days in Sacramento.
    assert.strictEqual(calendarDaysBetween(at("2026-03-12T17:00:00Z"), at("2026-03-13T06:30:00Z"), "America/Los_Angeles"), 0)
  })

  it("counts words as runs of non-space characters", () => {
    assert.strictEqual(wordCount("  Review of the   use-of-force policy "), 5)
  })
})

describe("open-meetings law: the same meeting under Washington's Open Public Meetings Act", () => {
  it("a regular agenda posted 24 hours before suffices (RCW 42.30.077); the Brown Act refuses it", () => {
    const history = [scheduledEvent(), posted(DateTime.subtract(regularAt, { hours: 24 }))]
    spec(washington).given(history).when(open(), context(regularAt)).thenAccepted()
    spec().given(history).when(open(), context(regularAt)).thenRefused("NoticeRequirementNotMet")
  })

  it("a special meeting needs 24 hours' notice too, cited to RCW 42.30.080", () => {
    const refusal = spec(washington).given([scheduledEvent("special")]).when(open(attendance({ m8: { _tag: "Absent", member: "m8" } })), context(regularAt))
      .thenRefused("NoticeRequirementNotMet")
    assert.deepStrictEqual([refusal.requiredHours, refusal.citation], [24, "RCW 42.30.080(2)"])
  })

  it("an emergency meeting's notices are dispensed with (RCW 42.30.080(4)): the finding suffices", () => {
    const found: MeetingEvent = { _tag: "EmergencyFound", meetingId, finding: "levee breach", at: DateTime.subtract(regularAt, { minutes: 10 }) }
    spec(washington).given([scheduledEvent("emergency"), found]).when(open(attendance(), ["kcra"]), context(regularAt)).thenAccepted()
    spec().given([scheduledEvent("emergency"), found]).when(open(attendance(), ["kcra"]), context(regularAt)).thenRefused("NoticeRequirementNotMet")
  })

  it("business may be added to a regular agenda by majority; the Brown Act's 54954.2(b) paths do not exist there", () => {
    const add = (basis: Extract<MeetingCommand, { _tag: "AddNonAgendaItem" }>["basis"]): MeetingCommand => ({
      _tag: "AddNonAgendaItem",
      meetingId,
      item: { itemId: "9", description: "Added business" },
      basis,
      roll: rollFor(attendance())
    })
    const [event] = spec(washington).given(openRegular()).when(add({ _tag: "AmendedRegularAgenda" }), context(during)).thenAccepted()
    assert.isTrue(event?._tag === "NonAgendaItemAdded" && event.citation === "RCW 42.30.077")
    spec(washington).given(openRegular()).when(add({ _tag: "Emergency", finding: "x" }), context(during)).thenRefused("NonAgendaItemRefused")
  })

  it("no description is flagged for length under RCW 42.30", () => {
    const long = { itemId: "3", description: Array.from({ length: 30 }, () => "word").join(" ") }
    const [event] = spec(washington).given([]).when(schedule("regular", regularAt, [long]), context(at("2026-03-01T17:00:00Z"))).thenAccepted()
    assert.deepStrictEqual(event?._tag === "MeetingScheduled" ? event.longDescriptions : undefined, [])
  })

  it("the closed-session list is Washington's: a Brown Act basis it lacks is refused", () => {
    spec(washington).given(openRegular())
      .when({ _tag: "AnnounceClosedSession", meetingId, sessionId: "cs1", itemId: "2", basisId: "labor-negotiations", description: "x" }, context(during))
      .thenRefused("ClosedSessionBasisUnknown")
  })
})
