/**
 * The commission as one value (`commission(...)`): its aggregates follow
 * the open-meetings law it was built with, its policy grants the clerk the
 * commission's record and nobody else, and without notification settings it
 * has no reactor.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Actor, handleCommand, sacramento } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { DateTime, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { sacramentoCommission } from "../../src/commission/CommissionPresets.ts"
import type { MeetingCommand } from "../../src/commission/MeetingEvents.ts"
import { californiaBrownAct, washingtonOpenPublicMeetingsAct, type OpenMeetingsLaw } from "../../src/commission/OpenMeetingsLaw.ts"
import { commission } from "../../src/commission/Program.ts"
import { sacramentoRecommendationSettings } from "../../src/commission/RecommendationSettings.ts"
import { attendance, items, membership, places, regularAt } from "./MeetingFixtures.ts"

const tenantId = "sacramento"
const clerk: Actor = { _tag: "Staff", id: "clerk-07", roles: ["clerk"], districts: [] }
const sergeant: Actor = { _tag: "Staff", id: "sgt-01", roles: ["sergeant"], districts: [] }

const program = (law: OpenMeetingsLaw) =>
  commission(sacramento, {
    settings: sacramentoCommission,
    law,
    recommendations: sacramentoRecommendationSettings,
    clerkRoles: ["clerk"]
  })

let sequence = 0

/** Schedules a regular meeting, posts its agenda 30 hours before, and tries to open it at its time. */
const openWithAgendaPosted30HoursBefore = (law: OpenMeetingsLaw) => {
  const built = program(law)
  const meetingId = `meeting-${law.regularAgenda.hoursBefore}-${++sequence}`
  const send = (command: MeetingCommand, actor: Actor = clerk) =>
    handleCommand(built.aggregates.meeting, { tenantId, commandId: `cmd-${++sequence}`, actor, command })
  const postedAt = DateTime.subtract(regularAt, { hours: 30 })
  return Effect.gen(function*() {
    yield* TestClock.setTime(DateTime.toEpochMillis(postedAt))
    yield* send({ _tag: "ScheduleMeeting", meetingId, kind: "regular", scheduledFor: regularAt, places, items })
    yield* send({ _tag: "PostAgenda", meetingId, postedAt, places })
    yield* TestClock.setTime(DateTime.toEpochMillis(regularAt))
    return yield* Effect.result(send({ _tag: "OpenMeeting", meetingId, membership, attendance: attendance(), mediaOnRequestList: [] }))
  }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), built.policy)))
}

describe("commission(...)", () => {
  it.effect("the meetings follow the law the program was built with: an agenda posted 30 hours before opens under Washington's 24 hours, not under the Brown Act's 72", () =>
    Effect.gen(function*() {
      const california = yield* openWithAgendaPosted30HoursBefore(californiaBrownAct)
      assert.isTrue(
        california._tag === "Failure" && california.failure._tag === "NoticeRequirementNotMet" &&
          california.failure.requiredHours === 72 && california.failure.citation === "Gov. Code 54954.2(a)(1)",
        JSON.stringify(california)
      )
      const washington = yield* openWithAgendaPosted30HoursBefore(washingtonOpenPublicMeetingsAct)
      assert.strictEqual(washington._tag, "Success")
    }))

  it.effect("the policy grants the clerk the commission's record and refuses another role", () =>
    Effect.gen(function*() {
      const built = program(californiaBrownAct)
      const schedule: MeetingCommand = { _tag: "ScheduleMeeting", meetingId: "m-access", kind: "regular", scheduledFor: regularAt, places, items }
      yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.subtract(regularAt, { days: 10 })))
      const denied = yield* Effect.flip(handleCommand(built.aggregates.meeting, { tenantId, commandId: "access-1", actor: sergeant, command: schedule }))
      assert.strictEqual(denied._tag, "AccessDenied")
      const accepted = yield* handleCommand(built.aggregates.meeting, { tenantId, commandId: "access-2", actor: clerk, command: schedule })
      assert.deepStrictEqual(accepted.events.map((event) => event.eventType), ["MeetingScheduled"])
      assert.isTrue(built.accessRules.some((rule) => rule.actions.includes("commission-meeting.*") && rule.actions.includes("commission-seats.*")))
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), program(californiaBrownAct).policy))))

  it("with no clerk roles no rule grants the record; without notifications there is no reactor", () => {
    const built = commission(sacramento, {
      settings: sacramentoCommission,
      law: californiaBrownAct,
      recommendations: sacramentoRecommendationSettings,
      clerkRoles: []
    })
    assert.isFalse(built.accessRules.some((rule) => rule.actions.some((action) => action.startsWith("commission-meeting"))))
    assert.isUndefined(built.reactors.notifications)
    assert.strictEqual(built.events.meeting, built.aggregates.meeting.events)
  })
})
