/**
 * The program module value: an app gets Justice for Neighbors for its
 * jurisdiction from one call (`justiceForNeighbors`), provides a store and
 * the program's own policy, and runs commands, read models and documents
 * with nothing assembled by hand; on the memory adapter, the time from
 * `TestClock`.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { type Actor, EventStore, handleCommand, JusticeForNeighbors, Outbox, sacramento, type StaffMember } from "@community-policing/core"
import {
  caseSummary,
  deadlineReminderTopic,
  defaultNoticeTemplates,
  justiceForNeighbors,
  nuisanceCaseStreamId,
  sacramentoNoticeTemplates,
  servedNotices,
  teamRoster
} from "@community-policing/core/justice-for-neighbors"
import { MemoryStore } from "@community-policing/adapter-memory"
import { caseId, type Step, standardStoryline } from "./NuisanceCaseFixtures.ts"

const tenantId = "sacramento"
const programManager: Actor = { _tag: "Staff", id: "pm-1", roles: ["city-attorney"], districts: [] }
const sergeant: StaffMember = { id: "sgt-0412", name: "Dana Ruiz", roles: ["sergeant"], councilDistricts: ["3"], active: true }

const program = justiceForNeighbors(sacramento, {
  templates: sacramentoNoticeTemplates,
  teamStaffing: { roles: ["city-attorney"], scope: "own-district" },
  deadlineReminders: { leadDays: 2 }
})

/** The app's whole setup: a store and the program's policy. */
const AppLayer = Layer.merge(MemoryStore.layer(), program.policy)

const handleStep = (step: Step) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(DateTime.toEpochMillis(step.now))
    return yield* handleCommand(program.aggregates.nuisanceCase, {
      tenantId,
      commandId: `cmd-${step.name}`,
      actor: step.actor,
      command: step.command
    })
  })

describe("justiceForNeighbors: the program in one call", () => {
  it("is the same value from the root namespace and from the subpath", () => {
    assert.strictEqual(JusticeForNeighbors.justiceForNeighbors, justiceForNeighbors)
    assert.strictEqual(program.name, "justice-for-neighbors")
    assert.strictEqual(program.jurisdiction, sacramento)
  })

  it("holds the aggregates, their event catalogs, the templates and the access rules of one configuration", () => {
    assert.strictEqual(program.aggregates.nuisanceCase.name, "nuisance-case")
    assert.strictEqual(program.aggregates.districtTeam.name, "district-team")
    assert.strictEqual(program.events.nuisanceCase, program.aggregates.nuisanceCase.events)
    assert.strictEqual(program.events.districtTeam, program.aggregates.districtTeam.events)
    assert.strictEqual(program.templates, sacramentoNoticeTemplates)
    assert.strictEqual(justiceForNeighbors(sacramento).templates, defaultNoticeTemplates)
    assert.deepStrictEqual(
      program.accessRules.map((rule) => rule.id),
      [...JusticeForNeighbors.nuisanceCaseAccessRules(sacramento).map((rule) => rule.id), "district-team-staffing"]
    )
    assert.strictEqual(program.projections.caseBoard, JusticeForNeighbors.caseBoard)
    assert.strictEqual(program.projections.teamRosters, JusticeForNeighbors.districtTeamRosters)
    assert.strictEqual(program.reactors.deadlineReminders?.definition.name, "justice-for-neighbors.deadline-reminders")
    assert.deepStrictEqual(justiceForNeighbors(sacramento).reactors, {})
  })

  it.effect("staffs a team, works a case, serves a document from its templates, catches its read models up and reminds of a deadline", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.makeUnsafe("2026-03-01T16:00:00Z")))
      const appointed = yield* handleCommand(program.aggregates.districtTeam, {
        tenantId,
        commandId: "appoint-sergeant-3",
        actor: programManager,
        command: { _tag: "AppointTeamMember", district: "3", seat: { role: "sergeant", number: 1 }, staff: sergeant }
      })
      assert.strictEqual(appointed._tag, "Handled")

      const story = standardStoryline().slice(0, 4)
      for (const step of story) assert.strictEqual((yield* handleStep(step))._tag, "Handled")

      // The served notice of violation was made from the program's (Sacramento's) templates.
      const stored = yield* (yield* EventStore).readStream(tenantId, nuisanceCaseStreamId(caseId))
      const events = yield* Effect.forEach(stored, (event) => Effect.fromResult(program.events.nuisanceCase.decode(event)))
      assert.deepStrictEqual(servedNotices(events).map((notice) => notice.templateId), ["sacramento-notice-of-violation"])

      const board = yield* program.projections.caseBoard.catchUp(tenantId)
      const rosters = yield* program.projections.teamRosters.catchUp(tenantId)
      assert.strictEqual(board.eventsApplied, events.length)
      assert.isAbove(rosters.eventsApplied, 0)
      const summary = Option.getOrThrow(yield* caseSummary(tenantId, caseId))
      assert.strictEqual(summary.stage, "notice-of-violation-served")
      const roster = Option.getOrThrow(yield* teamRoster(tenantId, "3"))
      assert.deepStrictEqual(
        roster.seats.flatMap((seat) => (seat.occupant === null ? [] : [seat.occupant.staffId])),
        [sergeant.id]
      )

      // A year on, every running deadline came within two days of its due date: the reactor reminded the team.
      const reminders = program.reactors.deadlineReminders
      if (reminders === undefined) return assert.fail("configured with deadlineReminders")
      yield* TestClock.adjust("365 days")
      const run = yield* reminders.run(tenantId)
      assert.isAbove(run.timersFired, 0)
      const queued = yield* (yield* Outbox).claim({ tenantId, topic: deadlineReminderTopic, limit: 100, leaseMillis: 60_000 })
      assert.strictEqual(queued.length, run.timersFired)
    }).pipe(Effect.provide(AppLayer)))

  it.effect("without a staffing grant, its policy refuses every team action (the city chooses who staffs)", () =>
    Effect.gen(function*() {
      const unstaffed = justiceForNeighbors(sacramento)
      const denied = yield* Effect.flip(handleCommand(unstaffed.aggregates.districtTeam, {
        tenantId,
        commandId: "appoint-unstaffed",
        actor: programManager,
        command: { _tag: "AppointTeamMember", district: "3", seat: { role: "sergeant", number: 1 }, staff: sergeant }
      }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), unstaffed.policy))))
      assert.strictEqual(denied._tag, "AccessDenied")
      if (denied._tag === "AccessDenied") assert.strictEqual(denied.rule, "default-deny")
    }))
})
