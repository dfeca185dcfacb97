/**
 * What the conformance kit does not cover: the adapter's own options and
 * settings, a `:memory:` database, lock waits and their timeout, a closed
 * store, and the read-model order checked property by property against the
 * port's reference comparison.
 */
import {
  compareCodePoints,
  EventStore,
  type IndexValue,
  keyProblem,
  Outbox,
  ReadModelStore,
  StorageFailure
} from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Config, ConfigProvider, Effect, Exit, Fiber, Layer, Scope } from "effect"
import * as fc from "fast-check"
import * as path from "node:path"
import { layer, make, SqliteStore, type SqliteStoreOptions } from "../src/index.ts"
import { eventsFor } from "./fixtures/common.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("store")

describe("SqliteStore", () => {
  it.effect("a :memory: database works through all three ports, and each build of the layer is a new database", () =>
    Effect.gen(function*() {
      const written = yield* Effect.gen(function*() {
        const store = yield* EventStore
        const readModels = yield* ReadModelStore
        const outbox = yield* Outbox
        const result = yield* store.append({
          tenantId: "springfield",
          streamId: "nuisance-case-2026-0001",
          expectedVersion: 0,
          idempotencyKey: "cmd-1",
          events: eventsFor("springfield", "nuisance-case-2026-0001", 0, 2, "cmd-1"),
          outbox: [{ id: "notice-1", topic: "email", payload: { to: "owner" }, maxAttempts: 3 }]
        })
        assert.strictEqual(result._tag, "Appended")
        assert.deepStrictEqual((yield* store.readAll({ tenantId: "springfield", after: 0, limit: 10 })).map((event) => event.globalPosition), [1, 2])
        yield* readModels.commit("springfield", {
          projection: "open-cases",
          expectedCheckpoint: 0,
          checkpoint: 2,
          upserts: [{ collection: "open-cases", id: "nuisance-case-2026-0001", data: { district: "3" }, indexed: { district: "3" } }],
          deletes: []
        })
        const page = yield* readModels.query("springfield", { collection: "open-cases", where: [{ field: "district", equals: "3" }], limit: 10 })
        assert.deepStrictEqual(page.documents.map((document) => document.id), ["nuisance-case-2026-0001"])
        const [claimed] = yield* outbox.claim({ topic: "email", limit: 1, leaseMillis: 1_000 })
        assert.strictEqual(claimed?.message.id, "notice-1")
        return (yield* store.readStream("springfield", "nuisance-case-2026-0001")).length
      }).pipe(Effect.provide(layer({ filename: ":memory:" })))
      assert.strictEqual(written, 2)
      const again = yield* Effect.provide(
        Effect.gen(function*() {
          const store = yield* EventStore
          return yield* store.readStream("springfield", "nuisance-case-2026-0001")
        }),
        layer({ filename: ":memory:" })
      )
      assert.deepStrictEqual(again, [])
    }))

  it.effect("opens files in WAL mode with foreign keys on and the chosen durability", () =>
    Effect.gen(function*() {
      for (const [synchronous, level] of [[undefined, 2], ["FULL", 2], ["NORMAL", 1]] as const) {
        const options: SqliteStoreOptions = { filename: database(`pragmas-${synchronous ?? "default"}`), synchronous }
        const store = yield* make(options)
        assert.strictEqual(store.connection.pragma("journal_mode", { simple: true }), "wal")
        assert.strictEqual(store.connection.pragma("synchronous", { simple: true }), level)
        assert.strictEqual(store.connection.pragma("foreign_keys", { simple: true }), 1)
        assert.strictEqual(store.filename, options.filename)
      }
    }).pipe(Effect.scoped))

  it.effect("layerConfig reads the options from configuration", () => {
    const filename = database("configured")
    return Effect.gen(function*() {
      const store = yield* SqliteStore
      assert.strictEqual(store.filename, filename)
      assert.strictEqual(store.connection.pragma("synchronous", { simple: true }), 1)
      const missing = yield* Effect.flip(Effect.scoped(Layer.build(SqliteStore.layerConfig({ filename: Config.String("NOT_SET") }))))
      assert.strictEqual(missing._tag, "ConfigError")
    }).pipe(
      Effect.provide(SqliteStore.layerConfig({
        filename: Config.String("POLICING_DB"),
        synchronous: Config.Literals(["FULL", "NORMAL"], "POLICING_DB_SYNCHRONOUS"),
        busyTimeoutMillis: Config.Int("POLICING_DB_BUSY_TIMEOUT").pipe(Config.withDefault(2_000))
      })),
      Effect.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ POLICING_DB: filename, POLICING_DB_SYNCHRONOUS: "NORMAL" })))
    )
  })

  it.effect("unusable options and unopenable files fail with StorageFailure", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [SqliteStoreOptions, string]> = [
        [{ filename: "" }, "filename"],
        [{ filename: database("negative-timeout"), busyTimeoutMillis: -1 }, "busyTimeoutMillis"],
        [{ filename: database("fraction-timeout"), busyTimeoutMillis: 1.5 }, "busyTimeoutMillis"],
        [{ filename: database("no-sync"), synchronous: "OFF" as "FULL" }, "synchronous"],
        [{ filename: path.join(path.dirname(database("missing")), "no-such-folder", "x.db") }, "directory does not exist"]
      ]
      for (const [options, mentions] of cases) {
        const failure = yield* Effect.flip(Effect.scoped(make(options)))
        assert.instanceOf(failure, StorageFailure)
        assert.strictEqual(failure.operation, "SqliteStore.make")
        assert.include(failure.message, mentions)
      }
    }))

  it.live("a write waits for another connection's lock without blocking the thread, then succeeds", () => {
    const filename = database("lock-released")
    return Effect.gen(function*() {
      const store = yield* EventStore
      const blocker = new Database(filename)
      blocker.exec("BEGIN IMMEDIATE")
      const append = yield* Effect.forkChild(store.append({
        tenantId: "t",
        streamId: "s",
        expectedVersion: 0,
        events: eventsFor("t", "s", 0, 1, "waited")
      }))
      // This fiber gets to run while the append waits: had SQLite's busy handler blocked the
      // thread, the blocker (on this same thread) could never let go and the append would fail.
      yield* Effect.sleep("100 millis")
      assert.isUndefined(append.pollUnsafe(), "the append is still waiting for the lock")
      blocker.exec("ROLLBACK")
      blocker.close()
      const result = yield* Fiber.join(append)
      assert.strictEqual(result._tag, "Appended")
      assert.deepStrictEqual((yield* store.readStream("t", "s")).map((event) => event.eventId), ["waited-0"])
    }).pipe(Effect.provide(layer({ filename, busyTimeoutMillis: 5_000 })))
  })

  it.live("a write that cannot get the lock within busyTimeoutMillis fails with StorageFailure and writes nothing", () => {
    const filename = database("lock-held")
    return Effect.gen(function*() {
      const store = yield* EventStore
      const readModels = yield* ReadModelStore
      const outbox = yield* Outbox
      const blocker = new Database(filename)
      blocker.exec("BEGIN IMMEDIATE")
      const started = performance.now()
      const failures = [
        yield* Effect.flip(store.append({ tenantId: "t", streamId: "s", expectedVersion: 0, events: eventsFor("t", "s", 0, 3, "refused") })),
        yield* Effect.flip(readModels.commit("t", { projection: "p", expectedCheckpoint: 0, checkpoint: 1, upserts: [], deletes: [] })),
        yield* Effect.flip(outbox.claim({ limit: 1, leaseMillis: 1_000 }))
      ]
      const elapsed = performance.now() - started
      blocker.exec("ROLLBACK")
      blocker.close()
      for (const [failure, operation] of [[failures[0], "EventStore.append"], [failures[1], "ReadModelStore.commit"], [failures[2], "Outbox.claim"]] as const) {
        assert.instanceOf(failure, StorageFailure)
        if (failure instanceof StorageFailure) {
          assert.strictEqual(failure.operation, operation)
          assert.match(failure.message, /^SQLITE_BUSY/)
        }
      }
      assert.isAtLeast(elapsed, 3 * 100)
      // Reads go on while another connection writes (WAL), and nothing of the refused append exists.
      assert.deepStrictEqual(yield* store.readStream("t", "s"), [])
      assert.strictEqual(yield* readModels.checkpoint("t", "p"), 0)
    }).pipe(Effect.provide(layer({ filename, busyTimeoutMillis: 100 })))
  })

  it.effect("a store whose scope has closed fails with StorageFailure", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const store = yield* Scope.provide(make({ filename: database("closed") }), scope)
      yield* Scope.close(scope, Exit.void)
      const failure = yield* Effect.flip(store.eventStore.readAll({ tenantId: "t", after: 0, limit: 1 }))
      assert.instanceOf(failure, StorageFailure)
      assert.strictEqual(failure.operation, "EventStore.readAll")
    }))

  it.effect("more than 32 where conditions are refused as InvalidStoreRequest, not a SQLite error", () =>
    Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      const where = Array.from({ length: 33 }, (_, index) => ({ field: `f${index}`, equals: index }))
      const failure = yield* Effect.flip(readModels.query("t", { collection: "c", where, limit: 1 }))
      assert.strictEqual(failure._tag, "InvalidStoreRequest")
      const page = yield* readModels.query("t", { collection: "c", where: where.slice(0, 32), limit: 1 })
      assert.deepStrictEqual(page.documents, [])
    }).pipe(Effect.provide(layer({ filename: database("conditions") }))))
})

/** The port's order of index values: null, booleans, numbers, strings by code point. */
const typeRank = (value: IndexValue) => (value === null ? 0 : typeof value === "boolean" ? 1 : typeof value === "number" ? 2 : 3)

const compareValues = (a: IndexValue, b: IndexValue): number => {
  const byType = typeRank(a) - typeRank(b)
  if (byType !== 0) return byType
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b)
  if (typeof a === "number" && typeof b === "number") return a - b
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b)
  return 0
}

interface Entry {
  readonly id: string
  readonly value: IndexValue | undefined
}

/** The order of a query on `v`: documents with the field by value (ties by id), then those lacking it by id. */
const referenceOrder = (entries: ReadonlyArray<Entry>, direction: "asc" | "desc"): ReadonlyArray<string> =>
  [...entries].sort((a, b) => {
    if ((a.value === undefined) !== (b.value === undefined)) return a.value === undefined ? 1 : -1
    const byValue = a.value === undefined || b.value === undefined ? 0 : compareValues(a.value, b.value)
    return (direction === "asc" ? byValue : -byValue) || compareCodePoints(a.id, b.id)
  }).map((entry) => entry.id)

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 5 }),
  // The characters on which code point and UTF-16 code unit order disagree.
  fc.constantFrom("\ufffd", "\uffff", "\ue000", "\u{1f600}", "\u{10ffff}", "\ud7ff", "")
).map((value) => value.replaceAll("\u0000", "\u2400"))

const indexValue: fc.Arbitrary<IndexValue> = fc.oneof(
  text,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constant(null)
)

const entries = fc.uniqueArray(
  // Document ids are keys: non-empty portable text (StoreLimits); indexed values are any text.
  fc.record({ id: text.filter((id) => keyProblem(id) === undefined), value: fc.option(indexValue, { nil: undefined, freq: 5 }) }),
  { selector: (entry) => entry.id, minLength: 1, maxLength: 30 }
)

describe("read-model order, checked against the port's reference comparison", () => {
  it.live("ordering, paging, equality and ranges agree with compareCodePoints and numeric order", () => {
    const filename = database("order-property")
    return Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      let run = 0
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(entries, indexValue, indexValue, async (generated, probe, other) => {
            const tenantId = `property-${run++}`
            const collection = "values"
            const documents = generated.map(({ id, value }) => ({
              collection,
              id,
              data: { id },
              indexed: value === undefined ? {} : { v: value }
            }))
            const ids = (query: Parameters<typeof readModels.query>[1]) =>
              Effect.runPromise(Effect.map(readModels.query(tenantId, query), (page) => page.documents.map((document) => document.id)))
            await Effect.runPromise(readModels.commit(tenantId, { projection: "p", expectedCheckpoint: 0, checkpoint: 1, upserts: documents, deletes: [] }))
            for (const direction of ["asc", "desc"] as const) {
              const expected = referenceOrder(generated, direction)
              assert.deepStrictEqual(await ids({ collection, orderBy: { field: "v", direction }, limit: 1_000 }), expected)
              const paged: Array<string> = []
              let cursor: string | undefined
              do {
                const page = await Effect.runPromise(readModels.query(tenantId, { collection, orderBy: { field: "v", direction }, limit: 4, cursor }))
                paged.push(...page.documents.map((document) => document.id))
                cursor = page.nextCursor
              } while (cursor !== undefined)
              assert.deepStrictEqual(paged, expected)
            }
            assert.deepStrictEqual(await ids({ collection, limit: 1_000 }), [...generated].map((entry) => entry.id).sort(compareCodePoints))
            const equal = generated.filter((entry) => entry.value !== undefined && compareValues(entry.value, probe) === 0)
            assert.deepStrictEqual(
              await ids({ collection, where: [{ field: "v", equals: probe }], limit: 1_000 }),
              equal.map((entry) => entry.id).sort(compareCodePoints)
            )
            if ((typeof probe === "string" || typeof probe === "number") && typeof other === typeof probe) {
              const bounds = [probe, other as typeof probe].sort(compareValues)
              const from = bounds[0]!
              const to = bounds[1]!
              const inRange = generated.filter((entry) =>
                typeof entry.value === typeof from && compareValues(entry.value!, from) >= 0 && compareValues(entry.value!, to) < 0
              )
              assert.deepStrictEqual(
                await ids({ collection, range: { field: "v", from, to }, limit: 1_000 }),
                inRange.map((entry) => entry.id).sort(compareCodePoints)
              )
            }
          }),
          { numRuns: 60 }
        )
      )
    }).pipe(Effect.provide(layer({ filename })))
  }, 60_000)
})
