/**
 * A meeting through the engine (`handleCommand`) on the memory store: the
 * events are encoded through the meeting's catalog and read back, access is
 * asked as `commission-meeting.*`, a refusal changes nothing, and the
 * sender's view of the state never shows speakers' names to the public.
 */
import { assert, describe, it } from "@effect/vitest"
import { AccessPolicy, type Actor, EventStore, handleCommand, loadStream, redact } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { DateTime, Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import { sacramentoCommissionAttendance } from "../../src/commission/CommissionPresets.ts"
import { attendanceRecordsOf, commissionMeeting, meetingStream, MeetingState } from "../../src/commission/Meeting.ts"
import type { MeetingCommand } from "../../src/commission/MeetingEvents.ts"
import { attendance, items, meetingId, membership, places, regularAt, rollFor, sacramentoRules } from "./MeetingFixtures.ts"

const tenantId = "sacramento"
const clerk: Actor = { _tag: "Staff", id: "clerk-07", roles: ["clerk"], districts: [] }
const analyst: Actor = { _tag: "Staff", id: "an-01", roles: ["analyst"], districts: [] }
const Meetings = commissionMeeting(sacramentoRules)
const TestLayer = Layer.merge(
  MemoryStore.layer(),
  AccessPolicy.fromRules([{ id: "clerk-runs-meetings", actions: ["commission-meeting.*"], roles: ["clerk"], scope: "citywide" }])
)

let sequence = 0
const send = (command: MeetingCommand, actor: Actor = clerk) =>
  handleCommand(Meetings, { tenantId, commandId: `cmd-${++sequence}`, actor, command })

const setNow = (instant: DateTime.Utc) => TestClock.setTime(DateTime.toEpochMillis(instant))

describe("meeting through handleCommand", () => {
  it.effect("a regular meeting from its call to its adjournment; events read back through the catalog", () =>
    Effect.gen(function*() {
      yield* setNow(DateTime.subtract(regularAt, { days: 10 }))
      yield* send({ _tag: "ScheduleMeeting", meetingId, kind: "regular", scheduledFor: regularAt, places, items })
      yield* send({ _tag: "PostAgenda", meetingId, postedAt: DateTime.subtract(regularAt, { days: 10 }), places })
      const denied = yield* Effect.flip(send({ _tag: "AdjournMeeting", meetingId }, analyst))
      assert.strictEqual(denied._tag, "AccessDenied")
      yield* setNow(DateTime.subtract(regularAt, { minutes: 5 }))
      const early = yield* Effect.flip(send({ _tag: "OpenMeeting", meetingId, membership, attendance: attendance(), mediaOnRequestList: [] }))
      assert.strictEqual(early._tag, "ImplausibleInstant")
      yield* setNow(regularAt)
      yield* send({ _tag: "OpenMeeting", meetingId, membership, attendance: attendance(), mediaOnRequestList: [] })
      yield* send({ _tag: "OpenPublicComment", meetingId, itemId: "2" })
      yield* send({
        _tag: "RecordPublicComment",
        meetingId,
        itemId: "2",
        speaker: "Ana Reyes",
        nameConsent: false,
        minutes: 2,
        usedTranslator: false,
        simultaneousInterpretation: false
      })
      yield* send({ _tag: "RecordVote", meetingId, itemId: "2", motion: "Adopt", form: "roll-call", roll: rollFor(attendance()) })
      yield* setNow(DateTime.add(regularAt, { hours: 2 }))
      const outcome = yield* send({ _tag: "AdjournMeeting", meetingId })
      const stored = yield* (yield* EventStore).readStream(tenantId, meetingStream(meetingId))
      assert.deepStrictEqual(stored.map((event) => event.eventType), [
        "MeetingScheduled",
        "AgendaPosted",
        "MeetingOpened",
        "PublicCommentOpened",
        "PublicCommentHeard",
        "VoteRecorded",
        "MeetingAdjourned"
      ])
      const { state } = yield* loadStream(Meetings, tenantId, meetingStream(meetingId))
      assert.isTrue(state._tag === "Meeting" && state.phase === "adjourned" && state.items[1]?.disposition === "decided")
      assert.deepStrictEqual(attendanceRecordsOf(state, sacramentoCommissionAttendance).map((record) => record.status), Array.from({ length: 8 }, () => "present"))
      assert.include(JSON.stringify(outcome.view), "Ana Reyes")
      assert.notInclude(JSON.stringify(redact(MeetingState, state, "public")), "Ana Reyes")
    }).pipe(Effect.provide(TestLayer)))

  it("untrusted input is decoded by the aggregate's command schema: bad values are refused before any decision", () => {
    const decode = Schema.decodeUnknownResult(Meetings.commands)
    const comment = { _tag: "RecordPublicComment", meetingId, itemId: "2", speaker: "Ana Reyes", nameConsent: true, minutes: 2, usedTranslator: false, simultaneousInterpretation: false }
    assert.isTrue(Result.isSuccess(decode(comment)))
    assert.isTrue(Result.isFailure(decode({ ...comment, minutes: 0 })))
    assert.isTrue(Result.isFailure(decode({ ...comment, speaker: " " })))
    assert.isTrue(Result.isFailure(decode({ _tag: "OpenMeeting", meetingId, membership: { fullMembership: 1, seated: [{ member: "a" }, { member: "b" }] }, attendance: [], mediaOnRequestList: [] })))
    assert.isTrue(Result.isFailure(decode({ _tag: "ScheduleMeeting", meetingId, kind: "study-session", scheduledFor: "2026-03-13T01:00:00Z", places, items })))
  })
})
