/**
 * Crashes: child processes writing to a real database file are killed with
 * SIGKILL at a random moment, mid-run and often mid-transaction. After each
 * kill, every batch of events is whole or absent, with its idempotency key
 * and outbox messages, and a read model always matches its checkpoint; a
 * restarted child finishes the work with nothing lost or duplicated.
 */
import { EventStore, ReadModelStore, type StoredEvent } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Option } from "effect"
import { layer } from "../src/index.ts"
import { eventsFor } from "./fixtures/common.ts"
import { type ChildExit, startFixture } from "./support/child.ts"
import { tempDatabases } from "./support/files.ts"
import { rawCheckpoint, rawDocuments, rawEvents, rawOutboxMessages } from "./support/raw.ts"

const database = tempDatabases("crash")

const tenantId = "los-angeles"

/** A random whole number from `low` to `high`, logged with the test so a failure can be replayed by hand. */
const randomBetween = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1))

/**
 * Opens a plain connection to a file a killed process left behind: its
 * first read recovers the WAL, exactly as the next real user's would.
 */
const reopen = (filename: string) => {
  const db = new Database(filename)
  assert.strictEqual(db.pragma("integrity_check", { simple: true }), "ok")
  assert.deepStrictEqual(db.pragma("foreign_key_check"), [])
  return db
}

/** Starts a fixture, kills it with SIGKILL once it has printed `lines` lines (plus a random moment), and returns what it printed. */
const killAfter = async (script: string, args: unknown, lines: number): Promise<ChildExit> => {
  const child = startFixture(script, args)
  await child.linesSeen(lines)
  await new Promise((resolve) => setTimeout(resolve, randomBetween(0, 4)))
  child.process.kill("SIGKILL")
  const exit = await child.exit
  // A child that finished before the kill would prove nothing about crashes.
  assert.strictEqual(exit.signal, "SIGKILL", `the child was to be killed mid-run, but it ended with ${exit.code}: ${exit.stderr}`)
  return exit
}

describe("crashes", () => {
  const batchSize = 100
  const batches = 90
  const streams = 3
  const writerArgs = (filename: string) => ({ filename, tenantId, streams, batches, batchSize })

  /**
   * Checks a writer's file after a crash: every batch whole or absent, with
   * its key and messages; the committed batches are 0..n-1 (the writer goes
   * in order); every batch the child reported is among them. Returns n.
   */
  const committedBatches = (filename: string, reported: ReadonlyArray<string>) => {
    const db = reopen(filename)
    try {
      const events = rawEvents(db, tenantId)
      const byBatch = new Map<string, Array<StoredEvent>>()
      for (const event of events) byBatch.set(event.commandId, [...(byBatch.get(event.commandId) ?? []), event])
      const committed = byBatch.size
      assert.sameMembers([...byBatch.keys()], Array.from({ length: committed }, (_, batch) => `batch-${batch}`))
      for (const [label, batch] of byBatch) {
        assert.strictEqual(batch.length, batchSize, `${label} is whole`)
        assert.deepStrictEqual(batch.map((event) => event.eventId), batch.map((_, index) => `${label}-${index}`))
        assert.isTrue(batch.every((event, index) => event.globalPosition === batch[0]!.globalPosition + index), `${label} positions`)
      }
      for (let stream = 0; stream < streams; stream++) {
        const versions = events.filter((event) => event.streamId === `stream-${stream}`).map((event) => event.streamVersion)
        assert.strictEqual(versions.length % batchSize, 0)
        assert.deepStrictEqual(versions, versions.map((_, index) => index + 1), `stream-${stream} has no gap`)
      }
      const keys = db.prepare<[string], { idempotency_key: string; first_version: number; last_version: number }>(
        "SELECT idempotency_key, first_version, last_version FROM idempotency_keys WHERE tenant_id = ?"
      ).all(tenantId)
      assert.sameMembers(keys.map((key) => key.idempotency_key), [...byBatch.keys()])
      for (const key of keys) {
        const batch = byBatch.get(key.idempotency_key)!
        assert.deepStrictEqual([key.first_version, key.last_version], [batch[0]!.streamVersion, batch.at(-1)!.streamVersion])
      }
      const messages = rawOutboxMessages(db, tenantId)
      assert.sameMembers(messages.map((message) => message.id), [...byBatch.keys()].flatMap((label) => [`${label}-message-0`, `${label}-message-1`]))
      for (const message of messages) {
        const label = message.id.replace(/-message-\d$/, "")
        assert.deepStrictEqual(message.payload, {
          batch: Number(label.slice("batch-".length)),
          firstEvent: `${label}-0`,
          lastEvent: `${label}-${batchSize - 1}`
        })
      }
      // What the child printed, it printed after the commit returned: it must have survived.
      for (const line of reported) {
        const batch = Number(line.split(" ")[0])
        if (Number.isInteger(batch)) assert.isBelow(batch, committed, `reported batch ${batch} survived`)
      }
      return committed
    } finally {
      db.close()
    }
  }

  it.live("a writer killed mid-run leaves whole batches only; restarted, it finishes without duplicates", () => {
    const filename = database("crash-writer")
    return Effect.gen(function*() {
      // Nothing else has the file open: reopening it after the kill recovers the WAL the dead writer left.
      const killed = yield* Effect.promise(() => killAfter("crash-writer.ts", writerArgs(filename), randomBetween(1, 40)))
      const committed = committedBatches(filename, killed.lines)
      assert.isBelow(committed, batches)
      // Restarted from batch 0: what the first run committed comes back Duplicate, the rest is appended.
      const finished = yield* Effect.promise(() => startFixture("crash-writer.ts", writerArgs(filename)).exit)
      assert.strictEqual(finished.code, 0, finished.stderr)
      assert.deepStrictEqual(
        finished.lines.slice(0, -1),
        Array.from({ length: batches }, (_, batch) => `${batch} ${batch < committed ? "Duplicate" : "Appended"}`)
      )
      assert.strictEqual(finished.lines.at(-1), `done ${batches - committed}`)
      assert.strictEqual(committedBatches(filename, finished.lines), batches)
      // Through the adapter as well: every stream complete, every key known.
      yield* Effect.gen(function*() {
        const store = yield* EventStore
        for (let stream = 0; stream < streams; stream++) {
          const events = yield* store.readStream(tenantId, `stream-${stream}`)
          assert.strictEqual(events.length, (batches / streams) * batchSize)
        }
        const last = yield* store.findByIdempotencyKey(tenantId, `batch-${batches - 1}`)
        assert.deepStrictEqual(Option.map(last, (events) => events.length), Option.some(batchSize))
      }).pipe(Effect.provide(layer({ filename })))
    })
  }, 60_000)

  it.live("a projection killed mid-run never leaves documents that disagree with its checkpoint", () => {
    const filename = database("crash-projector")
    const projection = "case-activity"
    const projectorArgs = { filename, tenantId, projection, pageSize: 9 }

    /** The documents a correct projection holds once it has applied every event up to `checkpoint`. */
    const expectConsistent = (checkpoint: number) => {
      const db = reopen(filename)
      try {
        assert.deepStrictEqual(rawCheckpoint(db, tenantId, projection), checkpoint === 0 ? Option.none() : Option.some(checkpoint))
        const applied = rawEvents(db, tenantId).filter((event) => event.globalPosition <= checkpoint)
        const log = rawDocuments(db, tenantId, "event-log")
        assert.sameMembers(log.map((document) => document.id), applied.map((event) => event.eventId))
        const streamIds = [...new Set(applied.map((event) => event.streamId))]
        const summaries = rawDocuments(db, tenantId, "stream-summaries")
        const heads = rawDocuments(db, tenantId, "stream-heads")
        assert.sameMembers(summaries.map((document) => document.id), streamIds)
        const expectedHeads: Array<string> = []
        for (const streamId of streamIds) {
          const ofStream = applied.filter((event) => event.streamId === streamId)
          const last = ofStream.at(-1)!
          assert.deepStrictEqual(summaries.find((document) => document.id === streamId)?.data, {
            count: ofStream.length,
            lastPosition: last.globalPosition,
            lastVersion: last.streamVersion
          })
          expectedHeads.push(`${streamId}@${last.streamVersion}`)
        }
        assert.sameMembers(heads.map((document) => document.id), expectedHeads)
      } finally {
        db.close()
      }
    }

    return Effect.gen(function*() {
      // 4 streams, interleaved batches of 20: 1,600 events for the projection to work through.
      // The store is closed again before the projector starts, so only the projector has the file open.
      yield* Effect.gen(function*() {
        const store = yield* EventStore
        for (let round = 0; round < 20; round++) {
          for (let stream = 0; stream < 4; stream++) {
            const streamId = `case-${stream}`
            yield* store.append({
              tenantId,
              streamId,
              expectedVersion: round * 20,
              events: eventsFor(tenantId, streamId, round * 20, 20, `case-${stream}-round-${round}`)
            })
          }
        }
      }).pipe(Effect.provide(layer({ filename })))
      const exit = yield* Effect.promise(() => killAfter("crash-projector.ts", projectorArgs, randomBetween(2, 60)))
      const db = reopen(filename)
      const checkpoint = Option.getOrElse(rawCheckpoint(db, tenantId, projection), () => 0)
      db.close()
      // Each line is a checkpoint the child saw committed; the last one must not be lost.
      assert.isAtLeast(checkpoint, Number(exit.lines.at(-1)))
      assert.isBelow(checkpoint, 1_600)
      expectConsistent(checkpoint)
      const finished = yield* Effect.promise(() => startFixture("crash-projector.ts", projectorArgs).exit)
      assert.strictEqual(finished.code, 0, finished.stderr)
      yield* Effect.gen(function*() {
        const store = yield* EventStore
        const readModels = yield* ReadModelStore
        const last = (yield* store.readAll({ tenantId, after: 0, limit: 10_000 })).at(-1)!.globalPosition
        assert.strictEqual(yield* readModels.checkpoint(tenantId, projection), last)
        expectConsistent(last)
        // Summaries count each event once, so an event applied twice across the crash would show here.
        const page = yield* readModels.query(tenantId, {
          collection: "stream-summaries",
          orderBy: { field: "count", direction: "desc" },
          limit: 10
        })
        assert.deepStrictEqual(page.documents.map((document) => document.indexed), [{ count: 400 }, { count: 400 }, { count: 400 }, { count: 400 }])
      }).pipe(Effect.provide(layer({ filename })))
    })
  }, 60_000)
})
