/**
 * Concurrency on real database files: racing appends to one stream, from
 * fibers sharing a connection, from separate connections and from separate
 * processes, where exactly one append wins each version and nothing is lost
 * or duplicated; and a projection following the global position while
 * writers are busy, which sees every event exactly once, in position order.
 */
import { EventStore, type EventToAppend, ReadModelStore, type StoredEvent } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { layer, make } from "../src/index.ts"
import { startFixture } from "./support/child.ts"
import { tempDatabases } from "./support/files.ts"
import { counterCollection, followEvents } from "./support/projection.ts"
import { openRaw, rawDocuments, rawEvents } from "./support/raw.ts"
import { eventsFor } from "./fixtures/common.ts"

const database = tempDatabases("concurrency")

const tenantId = "sacramento"

/** A stream's stored events must be exactly `expected`, in version order, as the adapter and the raw file both say. */
const expectStream = Effect.fnUntraced(function*(filename: string, streamId: string, expected: ReadonlyArray<EventToAppend>) {
  const store = yield* EventStore
  const view = (event: StoredEvent | EventToAppend) => [event.streamVersion, event.eventId]
  assert.deepStrictEqual((yield* store.readStream(tenantId, streamId)).map(view), expected.map(view))
  const raw = openRaw(filename)
  try {
    assert.deepStrictEqual(rawEvents(raw, tenantId).filter((event) => event.streamId === streamId).map(view), expected.map(view))
  } finally {
    raw.close()
  }
})

/**
 * Rounds of 8 racing appends of `batchSize` events, each round at the
 * current version; `appenders[i]` is racer i's store. Returns the winners' events in order.
 */
const raceRounds = Effect.fnUntraced(function*(appenders: ReadonlyArray<EventStore["Service"]>, streamId: string, rounds: number) {
  const batchSize = 3
  const winners: Array<EventToAppend> = []
  for (let round = 0; round < rounds; round++) {
    const version = round * batchSize
    const requests = appenders.map((_, racer) => ({
      tenantId,
      streamId,
      expectedVersion: version,
      events: eventsFor(tenantId, streamId, version, batchSize, `${streamId}-round-${round}-racer-${racer}`)
    }))
    const results = yield* Effect.all(
      appenders.map((store, racer) => Effect.result(store.append(requests[racer]!))),
      { concurrency: "unbounded" }
    )
    const won = results.flatMap((result, racer) => (Result.isSuccess(result) ? [racer] : []))
    assert.strictEqual(won.length, 1, `round ${round}: exactly one racer wins`)
    for (const result of results) {
      if (Result.isSuccess(result)) continue
      assert.strictEqual(result.failure._tag, "VersionConflict")
      if (result.failure._tag === "VersionConflict") {
        assert.deepStrictEqual([result.failure.expectedVersion, result.failure.actualVersion], [version, version + batchSize])
      }
    }
    winners.push(...requests[won[0]!]!.events)
  }
  return winners
})

describe("concurrency", () => {
  it.effect("8 fibers racing on one connection: one append wins each version, the others get VersionConflict", () => {
    const filename = database("fibers")
    return Effect.gen(function*() {
      const store = yield* EventStore
      const winners = yield* raceRounds(Array.from({ length: 8 }, () => store), "one-connection", 10)
      yield* expectStream(filename, "one-connection", winners)
    }).pipe(Effect.provide(layer({ filename })))
  })

  it.effect("8 connections to one file racing: one append wins each version, the others get VersionConflict", () => {
    const filename = database("connections")
    return Effect.gen(function*() {
      const stores = yield* Effect.all(Array.from({ length: 8 }, () => make({ filename })))
      const winners = yield* raceRounds(stores.map((store) => store.eventStore), "eight-connections", 10)
      yield* expectStream(filename, "eight-connections", winners)
    }).pipe(Effect.scoped, Effect.provide(layer({ filename })))
  })

  it.live("a projection following the global position sees every event once, in order, while 8 writers append", () => {
    const filename = database("follow-fibers")
    return Effect.gen(function*() {
      let running = 8
      const writers = Array.from({ length: 8 }, (_, writer) =>
        Effect.gen(function*() {
          // Each writer has a connection of its own, as separate request handlers would.
          const { eventStore } = yield* make({ filename })
          const streamId = `writer-${writer}`
          let version = 0
          for (let batch = 0; batch < 15; batch++) {
            const count = 1 + ((writer + batch) % 4)
            yield* eventStore.append({
              tenantId,
              streamId,
              expectedVersion: version,
              events: eventsFor(tenantId, streamId, version, count, `${streamId}-${batch}`)
            })
            version += count
            yield* Effect.yieldNow
          }
        }).pipe(Effect.ensuring(Effect.sync(() => running--))))
      const [run] = yield* Effect.all([
        followEvents({ tenantId, projection: "follower", pageSize: 7, finished: () => running === 0 }),
        Effect.all(writers, { concurrency: "unbounded", discard: true })
      ], { concurrency: "unbounded" })
      const raw = openRaw(filename)
      const stored = rawEvents(raw, tenantId)
      const counters = rawDocuments(raw, tenantId, counterCollection)
      raw.close()
      assert.deepStrictEqual(run.seen.map((event) => event.globalPosition), stored.map((event) => event.globalPosition))
      assert.deepStrictEqual(run.seen.map((event) => event.eventId), stored.map((event) => event.eventId))
      assert.isAbove(run.commits, 1)
      const readModels = yield* ReadModelStore
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "follower"), stored.at(-1)?.globalPosition)
      for (const counter of counters) {
        assert.strictEqual((counter.data as { count: number }).count, stored.filter((event) => event.streamId === counter.id).length)
      }
      assert.strictEqual(counters.length, 8)
    }).pipe(Effect.scoped, Effect.provide(layer({ filename })))
  }, 30_000)

  it.live("4 processes: racing on one stream and writing their own, with a projection following in this process", () => {
    const filename = database("processes")
    const gate = path.join(path.dirname(filename), "processes-gate")
    // Writes from separate processes really overlap, unlike calls on one JavaScript thread.
    // Each process costs about 2 CPU-seconds to start (tsx and effect), so 4 keep the suite quick.
    const processes = 4
    const batchSize = 4
    const sharedWins = 8
    const ownBatches = 16
    return Effect.gen(function*() {
      // The layer migrates the file before any child opens it.
      const readModels = yield* ReadModelStore
      const children = Array.from({ length: processes }, (_, writer) =>
        startFixture("writer.ts", {
          filename,
          gate,
          tenantId,
          writer,
          ownStream: `own-${writer}`,
          sharedStream: "shared",
          ownBatches,
          sharedWins,
          batchSize
        }))
      yield* Effect.promise(() => Promise.all(children.map((child) => child.linesSeen(1))))
      fs.writeFileSync(gate, "go")
      let running = children.length
      const exits = Promise.all(children.map((child) => child.exit.finally(() => running--)))
      const run = yield* followEvents({ tenantId, projection: "cross-process", pageSize: 25, finished: () => running === 0 })
      const outcomes = yield* Effect.promise(() => exits)
      for (const exit of outcomes) assert.strictEqual(exit.code, 0, exit.stderr)
      const summaries = outcomes.map((exit) => JSON.parse(exit.lines.at(-1) ?? "null") as { wins: number; own: number; conflicts: number })
      for (const summary of summaries) assert.deepStrictEqual([summary.wins, summary.own], [sharedWins, ownBatches])

      const raw = openRaw(filename)
      const stored = rawEvents(raw, tenantId)
      const counters = rawDocuments(raw, tenantId, counterCollection)
      raw.close()
      // The shared stream: versions 1..n without gaps, and every block of batchSize versions
      // is one whole batch of one racer, at consecutive positions.
      const shared = stored.filter((event) => event.streamId === "shared")
      assert.strictEqual(shared.length, processes * sharedWins * batchSize)
      assert.deepStrictEqual(shared.map((event) => event.streamVersion), shared.map((_, index) => index + 1))
      const batches = new Set<string>()
      for (let start = 0; start < shared.length; start += batchSize) {
        const block = shared.slice(start, start + batchSize)
        const label = block[0]!.commandId
        assert.isTrue(block.every((event, index) => event.commandId === label && event.globalPosition === block[0]!.globalPosition + index))
        batches.add(label)
      }
      const expectedLabels = Array.from({ length: processes }, (_, writer) => Array.from({ length: sharedWins }, (_, win) => `w${writer}-shared-${win}`)).flat()
      assert.sameMembers([...batches], expectedLabels)
      for (let writer = 0; writer < processes; writer++) {
        assert.strictEqual(stored.filter((event) => event.streamId === `own-${writer}`).length, ownBatches * batchSize)
      }
      assert.strictEqual(new Set(stored.map((event) => event.eventId)).size, stored.length)
      // The follower saw exactly the stored events, in position order.
      assert.deepStrictEqual(run.seen.map((event) => event.eventId), stored.map((event) => event.eventId))
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "cross-process"), stored.at(-1)?.globalPosition)
      for (const counter of counters) {
        assert.strictEqual((counter.data as { count: number }).count, stored.filter((event) => event.streamId === counter.id).length)
      }
      assert.strictEqual(counters.length, processes + 1)
      yield* Effect.log(`VersionConflicts met by the racing processes: ${summaries.map((summary) => summary.conflicts).join(", ")}`)
    }).pipe(Effect.provide(layer({ filename })))
  }, 60_000)
})
