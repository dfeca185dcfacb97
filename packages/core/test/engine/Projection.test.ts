/**
 * The projection runner: events selected by type (never by stream name),
 * paged catch-up from a checkpoint, idempotent reruns, and resumption after
 * a crash with nothing applied twice; on the memory adapter and a real
 * SQLite file.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Layer, Option, Schema } from "effect"
import * as fc from "fast-check"
import { afterAll } from "vitest"
import {
  caseSummary,
  districtTeamEvents,
  EventStore,
  type EventToAppend,
  makeEventCatalog,
  makeProjection,
  nuisanceCaseEvents,
  ReadModelStore,
  updateCaseBoard
} from "@community-policing/core"
import { layer as memoryLayer } from "@community-policing/adapter-memory"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { crashing } from "./fixtures/Crashes.ts"

const tenantId = "sacramento"

const TallyCounted = Schema.TaggedStruct("TallyCounted", { tally: Schema.String, n: Schema.Int })
const TallyRetired = Schema.TaggedStruct("TallyRetired", { tally: Schema.String, n: Schema.Int })
const TallyEvent = Schema.Union([TallyCounted, TallyRetired])
type TallyEvent = typeof TallyEvent.Type
const tallyEvents = makeEventCatalog(TallyEvent)

/** A tally remembers every event number it applied, so an event applied twice shows. */
const Tally = Schema.Struct({ tally: Schema.String, total: Schema.Int, applied: Schema.Array(Schema.Int) })
type Tally = typeof Tally.Type

const applyToTally = (tally: Tally | undefined, event: TallyEvent): Tally | undefined => {
  if (event._tag === "TallyRetired") return undefined
  return tally === undefined
    ? { tally: event.tally, total: event.n, applied: [event.n] }
    : { ...tally, total: tally.total + event.n, applied: [...tally.applied, event.n] }
}

const tallies = makeProjection({
  name: "test.tallies",
  collection: "test.tallies",
  documentName: "tally",
  events: [tallyEvents],
  schema: Tally,
  key: (event) => event.tally,
  apply: applyToTally,
  indexes: (tally) => ({ total: tally.total })
})

/** An event to write: its stream, type and data. */
interface Written {
  readonly streamId: string
  readonly eventType: string
  readonly data: Schema.Json
}

const counted = (tally: string, n: number): Written => ({ streamId: `tally-${tally}`, eventType: "TallyCounted", data: { _tag: "TallyCounted", tally, n } })

/** Appends events one per batch, each stream's versions in order. */
const write = Effect.fnUntraced(function*(events: ReadonlyArray<Written>) {
  const store = yield* EventStore
  for (const written of events) {
    const version = (yield* store.readStream(tenantId, written.streamId)).length
    const event: EventToAppend = {
      tenantId,
      streamId: written.streamId,
      streamVersion: version + 1,
      eventId: `${written.streamId}/${version + 1}`,
      eventType: written.eventType,
      schemaVersion: 1,
      data: written.data,
      recordedAt: DateTime.makeUnsafe("2026-03-02T17:00:00Z"),
      actor: "System:test",
      commandId: `${written.streamId}/${version + 1}`,
      correlationId: "test",
      causationId: null,
      previousHash: "0".repeat(64),
      hash: "f".repeat(64)
    }
    yield* store.append({ tenantId, streamId: written.streamId, expectedVersion: version, events: [event] })
  }
})

/** The reference: the events folded in memory, by tally. */
const folded = (events: ReadonlyArray<Written>): ReadonlyArray<Tally> => {
  const byKey = new Map<string, Tally | undefined>()
  for (const written of events) {
    if (written.eventType !== "TallyCounted" && written.eventType !== "TallyRetired") continue
    const event = Schema.decodeUnknownSync(TallyEvent)(written.data)
    byKey.set(event.tally, applyToTally(byKey.get(event.tally), event))
  }
  return [...byKey.values()].filter((t) => t !== undefined).sort((a, b) => (a.tally < b.tally ? -1 : 1))
}

/** What the store under test saw: how many commits, and whether the next one fails. */
interface Faults {
  commits: number
  /** The commit (1-based) that fails once with a storage failure, as a crash would. */
  failCommit?: number | undefined
}

/** The store, counting commits and failing the one {@link Faults} names, once. */
const withFaults = <Out, E>(faults: Faults, storage: Layer.Layer<Out | EventStore | ReadModelStore, E>) =>
  crashing({
    commit: () => {
      faults.commits++
      return faults.commits === faults.failCommit
    }
  }, storage)

const ten: ReadonlyArray<Written> = Array.from({ length: 10 }, (_, i) => counted(i % 2 === 0 ? "a" : "b", i + 1))

describe("projection runner: selection by event type", () => {
  it("a catalog's event types are the tags of its union's members", () => {
    assert.deepStrictEqual([...tallyEvents.eventTypes], ["TallyCounted", "TallyRetired"])
    assert.deepStrictEqual([...districtTeamEvents.eventTypes].sort(), [
      "DistrictTeamFormed",
      "TeamMemberAppointed",
      "TeamMemberDeparted",
      "TeamSeatAdded",
      "TeamSeatRemoved",
      "TeamVacancyOpened"
    ])
    assert.isTrue(nuisanceCaseEvents.eventTypes.has("DeadlineSet"))
    assert.isFalse(nuisanceCaseEvents.eventTypes.has("AccessDenied"))
  })

  it.effect("ignores an event of another type on a stream whose name starts like the program's", () =>
    Effect.gen(function*() {
      yield* write([
        counted("a", 1),
        // A future program's stream named like a tally's, with its own event type and data.
        { streamId: "tally-a-other", eventType: "TallyAudited", data: { auditor: "x", verdict: "fine" } },
        counted("a", 2)
      ])
      const run = yield* tallies.catchUp(tenantId)
      assert.deepStrictEqual(run, { checkpoint: 3, eventsApplied: 2 })
      assert.deepStrictEqual(yield* tallies.all(tenantId), [{ tally: "a", total: 3, applied: [1, 2] }])
      assert.isTrue(Option.isNone(yield* tallies.get(tenantId, "a-other")))
    }).pipe(Effect.provide(memoryLayer)))

  it.effect("the case board passes over a foreign event type on a stream named nuisance-case-x-other", () =>
    Effect.gen(function*() {
      yield* write([{
        streamId: "nuisance-case-x-other",
        eventType: "OtherProgramCaseOpened",
        data: { caseId: "x-other", councilDistrict: "3" }
      }])
      const run = yield* updateCaseBoard(tenantId)
      assert.deepStrictEqual(run, { checkpoint: 1, eventsApplied: 0 })
      assert.isTrue(Option.isNone(yield* caseSummary(tenantId, "x-other")))
    }).pipe(Effect.provide(memoryLayer)))

  it.effect("an event of a selected type that does not read stops the run with UnreadableEvent, committing nothing of its page", () =>
    Effect.gen(function*() {
      yield* write([counted("a", 1), { streamId: "tally-a", eventType: "TallyCounted", data: { tally: "a" } }])
      const failure = yield* Effect.flip(tallies.catchUp(tenantId, { batchSize: 1 }))
      assert.strictEqual(failure._tag, "UnreadableEvent")
      assert.strictEqual(yield* (yield* ReadModelStore).checkpoint(tenantId, "test.tallies"), 1)
    }).pipe(Effect.provide(memoryLayer)))
})

describe("projection runner: paging, idempotence, resumption (memory store)", () => {
  it.effect("reads the log in pages of batchSize, committing each page with its checkpoint", () => {
    const faults: Faults = { commits: 0 }
    return Effect.gen(function*() {
      yield* write(ten)
      const run = yield* tallies.catchUp(tenantId, { batchSize: 3 })
      assert.deepStrictEqual(run, { checkpoint: 10, eventsApplied: 10 })
      assert.strictEqual(faults.commits, 4)
      assert.deepStrictEqual(yield* tallies.all(tenantId), folded(ten))
    }).pipe(Effect.provide(withFaults(faults, memoryLayer)))
  })

  it.effect("is idempotent: a second run applies nothing and writes nothing; new events are applied once", () => {
    const faults: Faults = { commits: 0 }
    return Effect.gen(function*() {
      yield* write(ten)
      yield* tallies.catchUp(tenantId, { batchSize: 4 })
      const commits = faults.commits
      assert.deepStrictEqual(yield* tallies.catchUp(tenantId), { checkpoint: 10, eventsApplied: 0 })
      assert.strictEqual(faults.commits, commits)
      yield* write([counted("c", 11)])
      assert.deepStrictEqual(yield* tallies.catchUp(tenantId), { checkpoint: 11, eventsApplied: 1 })
      assert.deepStrictEqual(yield* tallies.all(tenantId), folded([...ten, counted("c", 11)]))
    }).pipe(Effect.provide(withFaults(faults, memoryLayer)))
  })

  it.effect("resumes from its checkpoint after a crash mid-catch-up, applying nothing twice", () => {
    const faults: Faults = { commits: 0, failCommit: 3 }
    return Effect.gen(function*() {
      yield* write(ten)
      const crashed = yield* Effect.exit(tallies.catchUp(tenantId, { batchSize: 3 }))
      assert.isTrue(Exit.isFailure(crashed))
      // Pages one and two were committed; the third was not.
      assert.strictEqual(yield* (yield* ReadModelStore).checkpoint(tenantId, "test.tallies"), 6)
      const resumed = yield* tallies.catchUp(tenantId, { batchSize: 3 })
      assert.deepStrictEqual(resumed, { checkpoint: 10, eventsApplied: 4 })
      const result = yield* tallies.all(tenantId)
      assert.deepStrictEqual(result, folded(ten))
      assert.deepStrictEqual(result.flatMap((t) => t.applied).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    }).pipe(Effect.provide(withFaults(faults, memoryLayer)))
  })

  it.effect("deletes a document when apply returns undefined, and answers queries on the indexed fields", () =>
    Effect.gen(function*() {
      yield* write([counted("a", 5), counted("b", 1), counted("c", 3), { streamId: "tally-b", eventType: "TallyRetired", data: { _tag: "TallyRetired", tally: "b", n: 0 } }])
      yield* tallies.catchUp(tenantId)
      assert.isTrue(Option.isNone(yield* tallies.get(tenantId, "b")))
      const ordered = yield* tallies.all(tenantId, { orderBy: { field: "total", direction: "desc" } })
      assert.deepStrictEqual(ordered.map((t) => t.tally), ["a", "c"])
      const small = yield* tallies.all(tenantId, { range: { field: "total", to: 4 } })
      assert.deepStrictEqual(small.map((t) => t.tally), ["c"])
    }).pipe(Effect.provide(memoryLayer)))

  it("whatever the page size and wherever it crashes once, the documents are the events folded once", async () => {
    const writtenArb = fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 1, max: 9 })).map(([t, n]) => counted(t, n)) },
        { weight: 1, arbitrary: fc.constantFrom("a", "b").map((t): Written => ({ streamId: `tally-${t}`, eventType: "TallyRetired", data: { _tag: "TallyRetired", tally: t, n: 0 } })) },
        { weight: 1, arbitrary: fc.constant<Written>({ streamId: "tally-a-x", eventType: "SomethingElse", data: { n: "x" } }) }
      ),
      { minLength: 1, maxLength: 30 }
    )
    await fc.assert(
      fc.asyncProperty(writtenArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 6 }), async (events, batchSize, failCommit) => {
        const faults: Faults = { commits: 0, failCommit }
        const outcome = await Effect.runPromise(Effect.gen(function*() {
          yield* write(events)
          yield* Effect.exit(tallies.catchUp(tenantId, { batchSize }))
          const resumed = yield* tallies.catchUp(tenantId, { batchSize })
          return { resumed, documents: yield* tallies.all(tenantId) }
        }).pipe(Effect.provide(withFaults(faults, memoryLayer))))
        assert.strictEqual(outcome.resumed.checkpoint, events.length)
        assert.deepStrictEqual(outcome.documents, folded(events))
      }),
      { numRuns: 100 }
    )
  })
})

describe("projection runner: SQLite file", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "projection-runner-"))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it.effect("resumes after a crash with nothing applied twice, and reads back the same after reopening the file", () => {
    const filename = path.join(folder, "tallies.db")
    const faults: Faults = { commits: 0, failCommit: 2 }
    return Effect.gen(function*() {
      const documents = yield* Effect.gen(function*() {
        yield* write([...ten, { streamId: "tally-a-other", eventType: "TallyAudited", data: { auditor: "x" } }])
        assert.isTrue(Exit.isFailure(yield* Effect.exit(tallies.catchUp(tenantId, { batchSize: 4 }))))
        assert.strictEqual(yield* (yield* ReadModelStore).checkpoint(tenantId, "test.tallies"), 4)
        assert.deepStrictEqual(yield* tallies.catchUp(tenantId, { batchSize: 4 }), { checkpoint: 11, eventsApplied: 6 })
        assert.deepStrictEqual(yield* tallies.catchUp(tenantId, { batchSize: 4 }), { checkpoint: 11, eventsApplied: 0 })
        return yield* tallies.all(tenantId)
      }).pipe(Effect.provide(withFaults(faults, SqliteStore.layer({ filename }))))
      assert.deepStrictEqual(documents, folded(ten))
      const reopened = yield* tallies.all(tenantId).pipe(Effect.provide(SqliteStore.layer({ filename })))
      assert.deepStrictEqual(reopened, documents)
    })
  })
})
