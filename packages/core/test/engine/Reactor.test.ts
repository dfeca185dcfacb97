/**
 * The reactor: commands through `handleCommand` and outbox messages, each
 * with an id derived from the triggering event, so that a replay (a reset
 * checkpoint) or a crash mid-batch followed by a resume issues nothing
 * twice; and timers that fire once when the `Clock` passes their instant.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Layer } from "effect"
import { TestClock } from "effect/testing"
import { afterAll } from "vitest"
import {
  AccessPolicy,
  type Actor,
  cancelTimer,
  EventStore,
  handleCommand,
  issueCommand,
  makeReactor,
  Outbox,
  queueMessage,
  reactionId,
  ReadModelStore,
  scheduleTimer
} from "@community-policing/core"
import { layer as memoryLayer } from "@community-policing/adapter-memory"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { Complaint, complaintEvents, type ComplaintCommand } from "./fixtures/Complaint.ts"
import { crashing } from "./fixtures/Crashes.ts"

const tenantId = "sacramento"
const ceo3: Actor = { _tag: "Staff", id: "ceo-3", roles: ["code-enforcement-officer"], districts: ["3"] }
const Policy = AccessPolicy.fromRules([
  { id: "ceo-in-district", actions: ["complaint.*"], roles: ["code-enforcement-officer"], scope: "own-district" },
  { id: "reactors", actions: ["complaint.*"], actors: ["System"], scope: "citywide" }
])
const start = Date.UTC(2026, 2, 2, 17, 0)
const days = (n: number) => n * 86_400_000

/**
 * Acknowledges each new complaint, tells the district by email, and
 * schedules a follow-up three days after it was opened, cancelled when the
 * complaint closes first. A closed complaint is acknowledged again, which
 * the decider refuses.
 */
const followUps = makeReactor({
  name: "test.complaint-follow-ups",
  events: [complaintEvents],
  react: (event, stored) => {
    switch (event._tag) {
      case "ComplaintOpened":
        return [
          issueCommand("acknowledge", Complaint, { _tag: "AcknowledgeComplaint", complaintId: event.complaintId }),
          queueMessage("tell-district", { topic: "email", payload: { complaintId: event.complaintId, district: event.district } }),
          scheduleTimer(`follow-up/${event.complaintId}`, DateTime.add(stored.recordedAt, { days: 3 }), { complaintId: event.complaintId })
        ]
      case "ComplaintAcknowledged":
        return []
      case "ComplaintClosed":
        return [
          cancelTimer(`follow-up/${event.complaintId}`),
          issueCommand("acknowledge-closed", Complaint, { _tag: "AcknowledgeComplaint", complaintId: event.complaintId })
        ]
    }
  },
  fire: (timer) => [queueMessage("follow-up", { topic: "follow-up", payload: timer.payload })]
})

const open = (complaintId: string): ComplaintCommand => ({
  _tag: "OpenComplaint",
  complaintId,
  district: "3",
  description: "mattresses dumped in the alley",
  complainant: "A. Resident"
})

const send = (command: ComplaintCommand, commandId: string) =>
  handleCommand(Complaint, { tenantId, commandId, actor: ceo3, command })

/** Every message in the outbox, by id (claimed once, so the count is exact). */
const outboxIds = Effect.gen(function*() {
  const claimed = yield* (yield* Outbox).claim({ tenantId, limit: 1_000, leaseMillis: 60_000 })
  return claimed.map((c) => c.message.id).sort()
})

/** How many events each complaint's stream holds. */
const streamLengths = (ids: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    return yield* Effect.forEach(ids, (id) => Effect.map(store.readStream(tenantId, `complaint-${id}`), (events) => events.length))
  })

/** Moves the reactor's checkpoint back to the start of the log: the next run replays everything. */
const resetCheckpoint = Effect.gen(function*() {
  const readModels = yield* ReadModelStore
  const current = yield* readModels.checkpoint(tenantId, followUps.definition.name)
  yield* readModels.commit(tenantId, { projection: followUps.definition.name, expectedCheckpoint: current, checkpoint: 0, upserts: [], deletes: [] })
})

/** Faults to inject: an append to one stream, or one checkpoint commit, fails once as a crash would. */
interface Faults {
  appendFailsOnceTo?: string | undefined
  commitFailsOnce?: boolean | undefined
}

/** The store with the writes {@link Faults} names failing once, and the access policy. */
const withFaults = <E>(faults: Faults, storage: Layer.Layer<EventStore | ReadModelStore | Outbox, E>) =>
  crashing({
    append: (request) => {
      if (request.streamId !== faults.appendFailsOnceTo) return false
      faults.appendFailsOnceTo = undefined
      return true
    },
    commit: (commit) => {
      if (faults.commitFailsOnce !== true || commit.projection !== followUps.definition.name) return false
      faults.commitFailsOnce = false
      return true
    }
  }, storage).pipe(Layer.merge(Policy))

const complaints = ["c1", "c2", "c3"]

/** The ids the reactor's messages must carry, derived from the events that opened the complaints. */
const expectedMessageIds = Effect.gen(function*() {
  const store = yield* EventStore
  const ids: Array<string> = []
  for (const id of complaints) {
    const [opened] = yield* store.readStream(tenantId, `complaint-${id}`)
    ids.push(reactionId(followUps.definition.name, "tell-district", opened!.eventId))
  }
  return ids.sort()
})

/** Opens the complaints, runs the reactor, resets its checkpoint and runs it again. */
const replayScenario = Effect.gen(function*() {
  yield* TestClock.setTime(start)
  for (const id of complaints) yield* send(open(id), `open-${id}`)
  const first = yield* followUps.run(tenantId, { batchSize: 2 })
  yield* resetCheckpoint
  const replay = yield* followUps.run(tenantId, { batchSize: 2 })
  return {
    first,
    replay,
    streams: yield* streamLengths(complaints),
    messages: yield* outboxIds,
    expected: yield* expectedMessageIds
  }
})

const checkReplay = (outcome: Effect.Success<typeof replayScenario>) => {
  assert.strictEqual(outcome.first.done, 6)
  assert.strictEqual(outcome.first.alreadyDone, 0)
  assert.strictEqual(outcome.replay.done, 0)
  assert.strictEqual(outcome.replay.alreadyDone, 6)
  assert.strictEqual(outcome.replay.checkpoint, outcome.first.checkpoint)
  // Opened, then acknowledged once.
  assert.deepStrictEqual(outcome.streams, [2, 2, 2])
  assert.deepStrictEqual(outcome.messages, outcome.expected)
}

describe("reactor: memory store", () => {
  it.effect("a replay of the same events (reset checkpoint, run again) issues no command twice and no outbox message twice", () =>
    replayScenario.pipe(Effect.map(checkReplay), Effect.provide(withFaults({}, memoryLayer))))

  it.effect("a crash mid-batch (a reaction's write fails) then a resume issues nothing twice", () => {
    const faults: Faults = {}
    return Effect.gen(function*() {
      yield* TestClock.setTime(start)
      for (const id of complaints) yield* send(open(id), `open-${id}`)
      const [opened] = yield* (yield* EventStore).readStream(tenantId, "complaint-c2")
      // The second complaint's email fails after its acknowledgement went through.
      faults.appendFailsOnceTo = `reactions/${reactionId(followUps.definition.name, "tell-district", opened!.eventId)}`
      const crashed = yield* Effect.exit(followUps.run(tenantId, { batchSize: 10 }))
      assert.isTrue(Exit.isFailure(crashed))
      assert.strictEqual(yield* (yield* ReadModelStore).checkpoint(tenantId, followUps.definition.name), 0)
      const resumed = yield* followUps.run(tenantId, { batchSize: 10 })
      // c1's two reactions and c2's acknowledgement were done before the crash.
      assert.strictEqual(resumed.alreadyDone, 3)
      assert.strictEqual(resumed.done, 3)
      assert.deepStrictEqual(yield* streamLengths(complaints), [2, 2, 2])
      assert.deepStrictEqual(yield* outboxIds, yield* expectedMessageIds)
    }).pipe(Effect.provide(withFaults(faults, memoryLayer)))
  })

  it.effect("a crash before the checkpoint commit then a resume issues nothing twice", () => {
    const faults: Faults = { commitFailsOnce: true }
    return Effect.gen(function*() {
      yield* TestClock.setTime(start)
      for (const id of complaints) yield* send(open(id), `open-${id}`)
      assert.isTrue(Exit.isFailure(yield* Effect.exit(followUps.run(tenantId))))
      const resumed = yield* followUps.run(tenantId)
      assert.strictEqual(resumed.done, 0)
      assert.strictEqual(resumed.alreadyDone, 6)
      assert.deepStrictEqual(yield* streamLengths(complaints), [2, 2, 2])
      assert.deepStrictEqual(yield* outboxIds, yield* expectedMessageIds)
    }).pipe(Effect.provide(withFaults(faults, memoryLayer)))
  })

  it.effect("a timer fires once when the Clock passes its instant, also across a replay; a cancelled one never fires", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(start)
      yield* send(open("c1"), "open-c1")
      yield* send(open("c2"), "open-c2")
      yield* send({ _tag: "CloseComplaint", complaintId: "c2", comment: "cleared the same day" }, "close-c2")
      const early = yield* followUps.run(tenantId)
      assert.strictEqual(early.timersFired, 0)
      // c2 closed before the reactor ran, so it cannot be acknowledged: the refusals are reported, the run goes on.
      assert.deepStrictEqual(early.refused.map((r) => [r.reaction, r.refusal]), [["acknowledge", "ComplaintRefused"], ["acknowledge-closed", "ComplaintRefused"]])
      assert.strictEqual(early.done, 3)
      yield* TestClock.adjust(days(3) - 1)
      assert.strictEqual((yield* followUps.run(tenantId)).timersFired, 0)
      yield* TestClock.adjust(1)
      const due = yield* followUps.run(tenantId)
      assert.strictEqual(due.timersFired, 1)
      assert.strictEqual(due.done, 1)
      assert.strictEqual((yield* followUps.run(tenantId)).timersFired, 0)
      // A replay schedules the timer again, already due: it fires to no effect.
      yield* resetCheckpoint
      const replay = yield* followUps.run(tenantId)
      assert.strictEqual(replay.timersFired, 1)
      assert.strictEqual(replay.done, 0)
      const claimed = yield* (yield* Outbox).claim({ tenantId, topic: "follow-up", limit: 1_000, leaseMillis: 60_000 })
      assert.deepStrictEqual(claimed.map((c) => c.message.payload), [{ complaintId: "c1" }])
    }).pipe(Effect.provide(withFaults({}, memoryLayer))))
})

describe("reactor: SQLite file", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "reactor-"))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it.effect("a replay issues no command twice and no outbox message twice on a database file", () =>
    replayScenario.pipe(
      Effect.map(checkReplay),
      Effect.provide(withFaults({}, SqliteStore.layer({ filename: path.join(folder, "reactor.db") })))
    ))
})
