/**
 * Deadline reminders on a real case: the blight storyline through
 * `handleCommand` on the memory store, the reminders reactor run as the
 * `TestClock` moves; each running deadline is reminded once, a deadline
 * closed first never.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"
import { AccessPolicy, EventStore, handleCommand, Outbox, ReadModelStore, sacramento } from "@community-policing/core"
import {
  DeadlineReminder,
  deadlineReminders,
  deadlineReminderTopic,
  nuisanceCase,
  nuisanceCaseAccessRules,
  nuisanceCaseEvents,
  nuisanceCaseStreamId
} from "@community-policing/core/justice-for-neighbors"
import { MemoryStore } from "@community-policing/adapter-memory"
import { standardStoryline, upTo } from "./NuisanceCaseFixtures.ts"

const tenantId = "sacramento"
const cases = nuisanceCase(sacramento)
const Policy = AccessPolicy.fromRules(nuisanceCaseAccessRules(sacramento))
const caseId = "2026-000123"
const reminders = deadlineReminders({ leadDays: 2 })
const decodeReminder = Schema.decodeUnknownSync(DeadlineReminder)

/** The deadlines the case's events set and closed, by purpose, as stored. */
const deadlines = Effect.gen(function*() {
  const stored = yield* (yield* EventStore).readStream(tenantId, nuisanceCaseStreamId(caseId))
  const set = new Map<string, DateTime.Utc>()
  const closed = new Set<string>()
  for (const event of stored) {
    const decoded = yield* Effect.fromResult(nuisanceCaseEvents.decode(event))
    if (decoded._tag === "DeadlineSet") set.set(decoded.deadline.purpose, decoded.deadline.due)
    if (decoded._tag === "DeadlineClosed") closed.add(decoded.purpose)
  }
  return { set, closed }
})

const remindersQueued = Effect.gen(function*() {
  const claimed = yield* (yield* Outbox).claim({ tenantId, topic: deadlineReminderTopic, limit: 1_000, leaseMillis: 60_000 })
  return claimed.map((c) => decodeReminder(c.message.payload))
})

describe("deadline reminders", () => {
  it.effect("queue one reminder per running deadline when the Clock passes two days before it is due, and none for a closed one", () =>
    Effect.gen(function*() {
      // Opened, triaged (the inspection deadline runs) and inspected (it closes,
      // the next deadlines start as the notice is served).
      const steps = upTo(standardStoryline(caseId), "notice-of-violation")
      for (const [index, step] of steps.entries()) {
        yield* TestClock.setTime(DateTime.toEpochMillis(step.now))
        yield* handleCommand(cases, { tenantId, commandId: `step-${index}`, actor: step.actor, command: step.command })
      }
      const { set, closed } = yield* deadlines
      const running = [...set].filter(([purpose]) => !closed.has(purpose))
      assert.isAbove(running.length, 0)
      assert.isTrue(closed.size > 0, "the storyline closes a deadline before its reminder")
      assert.strictEqual((yield* reminders.run(tenantId)).timersFired, 0)

      const [purpose, due] = running.sort((a, b) => DateTime.toEpochMillis(a[1]) - DateTime.toEpochMillis(b[1]))[0]!
      const remindAt = DateTime.toEpochMillis(DateTime.subtract(due, { days: 2 }))
      yield* TestClock.setTime(remindAt - 1)
      assert.strictEqual((yield* reminders.run(tenantId)).timersFired, 0)
      yield* TestClock.setTime(remindAt)
      const fired = yield* reminders.run(tenantId)
      assert.isAtLeast(fired.timersFired, 1)
      assert.strictEqual(fired.done, fired.timersFired)
      assert.strictEqual((yield* reminders.run(tenantId)).done, 0)

      // Long after every deadline: each running one was reminded once, a closed one never.
      yield* TestClock.setTime(remindAt + 365 * 86_400_000)
      yield* reminders.run(tenantId)
      const readModels = yield* ReadModelStore
      const name = reminders.definition.name
      yield* readModels.commit(tenantId, { projection: name, expectedCheckpoint: yield* readModels.checkpoint(tenantId, name), checkpoint: 0, upserts: [], deletes: [] })
      assert.strictEqual((yield* reminders.run(tenantId)).done, 0)
      const queued = yield* remindersQueued
      assert.deepStrictEqual(queued.map((r) => r.purpose).sort(), running.map(([p]) => p).sort())
      const first = queued.find((r) => r.purpose === purpose)!
      assert.deepInclude(first, { caseId, councilDistrict: "3", category: "blight" })
      assert.isTrue(DateTime.Equivalence(first.due, due))
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))
})
