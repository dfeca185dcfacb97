/**
 * A vendor's adapter that checks nothing gets the contracts' request checks
 * by wrapping its services with `StoreLimitChecks.store`: every malformed
 * request below is refused with `InvalidStoreRequest` before the adapter is
 * reached (its services die if called). Also: the read model cursors every
 * adapter writes with `ReadModelCursor`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import {
  type CallAnalytics,
  type CallStore,
  type EventStore,
  InvalidStoreRequest,
  type Outbox,
  ReadModelCursor,
  type ReadModelQuery,
  type ReadModelStore,
  StoreLimitChecks,
  type StoreServices
} from "../../src/index.ts"

const reached = () => Effect.die("the adapter was reached")

/** An adapter with no checks of its own: every operation dies if the wrapper lets it through. */
const bare: StoreServices = {
  eventStore: { append: reached, readStream: reached, readAll: reached, findByIdempotencyKey: reached } as EventStore["Service"],
  readModelStore: { get: reached, query: reached, commit: reached, checkpoint: reached } as ReadModelStore["Service"],
  outbox: { claim: reached, ack: reached, fail: reached, settle: reached, get: reached, deadLetters: reached, requeue: reached } as Outbox["Service"],
  callStore: {
    commitImportBatch: reached,
    importProgress: reached,
    quarantined: reached,
    callsAt: reached,
    upsertPlaces: reached,
    place: reached,
    beginBulkImport: reached,
    finishBulkImport: reached
  } as CallStore["Service"],
  callAnalytics: {
    repeatLocations: reached,
    countsByArea: reached,
    countsByCategory: reached,
    concentration: reached
  } as CallAnalytics["Service"]
}

const store = StoreLimitChecks.store(bare)
const window = { endDay: "2026-03-31", days: 30 }

/** Requests the wrapper refuses: the operation, the request, and a fragment of the reason. */
const refused: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown>, string]> = [
  ["EventStore.readAll", store.eventStore.readAll({ tenantId: "t", after: 0, limit: 0 }), "limit must be a whole number from 1 to 10000"],
  ["EventStore.readAll", store.eventStore.readAll({ tenantId: "t", after: Number.NaN, limit: 10 }), "after must be a number"],
  ["Outbox.claim", store.outbox.claim({ limit: 1001, leaseMillis: 1_000 }), "limit must be a whole number from 1 to 1000"],
  ["Outbox.claim", store.outbox.claim({ tenantId: "t", limit: 1, leaseMillis: 0 }), "leaseMillis must be a whole number >= 1"],
  ["Outbox.deadLetters", store.outbox.deadLetters("t", 1.5), "limit must be a whole number from 1 to 1000"],
  ["CallStore.quarantined", store.callStore.quarantined("t", "i", { afterRow: 0, limit: 10_001 }), "limit must be a whole number"],
  ["CallStore.quarantined", store.callStore.quarantined("t", "i", { afterRow: Number.NaN, limit: 1 }), "afterRow must be a number"],
  ["CallStore.callsAt", store.callStore.callsAt("t", "a", { fromDay: "2026-02-30", toDay: "2026-03-01" }), "fromDay must be a calendar date"],
  ["CallStore.upsertPlaces", store.callStore.upsertPlaces("t", [{ addressKey: "" } as never]), "place 0"],
  [
    "CallStore.commitImportBatch",
    store.callStore.commitImportBatch("t", { importId: "i", throughRow: 0, calls: [], quarantined: [] }),
    "throughRow must be a whole number >= 1"
  ],
  [
    "CallAnalytics.repeatLocations",
    store.callAnalytics.repeatLocations("t", { window, minCount: -1, limit: 10 }),
    "minCount must be a whole number >= 0"
  ],
  [
    "CallAnalytics.countsByArea",
    store.callAnalytics.countsByArea("t", { window, area: "ward" as never }),
    "area must be an area kind"
  ],
  ["CallAnalytics.countsByCategory", store.callAnalytics.countsByCategory("t", { window: { endDay: "2026-03-31", days: 0 } }), "window.days"],
  ["CallAnalytics.concentration", store.callAnalytics.concentration("t", { window, topPercent: 0 }), "topPercent must be a number in (0, 100]"],
  [
    "ReadModelStore.query",
    store.readModelStore.query("t", { collection: "c", limit: 10, cursor: "not-a-cursor" }),
    "the cursor is not a nextCursor of this query's order"
  ]
]

describe("StoreLimitChecks.store", () => {
  it.effect("refuses every malformed request before the adapter sees it, naming the operation and the reason", () =>
    Effect.gen(function*() {
      for (const [operation, request, reason] of refused) {
        const failure = yield* Effect.flip(request)
        assert.instanceOf(failure, InvalidStoreRequest, `${operation}: ${String(failure)}`)
        if (failure instanceof InvalidStoreRequest) {
          assert.strictEqual(failure.operation, operation)
          assert.include(failure.reason, reason)
        }
      }
    }))

  it.effect("lets a well-formed request through to the adapter", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(store.eventStore.readAll({ tenantId: "t", after: 0, limit: 10 }))
      assert.isTrue(Exit.hasDies(exit), "the bare adapter was reached")
    }))
})

describe("ReadModelCursor", () => {
  const query: ReadModelQuery = { collection: "cases", limit: 10, orderBy: { field: "openedAt", direction: "desc" } }

  it("reads back the position it wrote, under the same order", () => {
    for (const position of [
      { present: true, value: "2026-03-02", id: "case-1" },
      { present: true, value: 42, id: "case-2" },
      { present: true, value: false, id: "case-3" },
      { present: false, value: null, id: "case-4" }
    ]) {
      const cursor = ReadModelCursor.next(query, position)
      assert.isUndefined(ReadModelCursor.problem({ ...query, cursor }))
      assert.deepStrictEqual(ReadModelCursor.position({ ...query, cursor }), position)
    }
    assert.isUndefined(ReadModelCursor.position(query), "no cursor: the first page")
  })

  it("refuses a cursor of another order or one it did not write", () => {
    const cursor = ReadModelCursor.next(query, { present: true, value: 1, id: "a" })
    for (const other of [
      { ...query, orderBy: { field: "openedAt", direction: "asc" as const }, cursor },
      { ...query, orderBy: { field: "district", direction: "desc" as const }, cursor },
      { collection: "cases", limit: 10, cursor },
      { ...query, cursor: "bm90IGEgY3Vyc29y" }
    ]) {
      assert.strictEqual(ReadModelCursor.problem(other), "the cursor is not a nextCursor of this query's order")
      assert.throws(() => ReadModelCursor.position(other))
    }
  })
})
