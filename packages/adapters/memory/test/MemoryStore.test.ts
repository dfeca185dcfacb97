/**
 * What the memory adapter does beyond the port contracts (which the
 * conformance kit checks): fresh state per build, a read-only inspector,
 * and the stricter validation that makes it a useful reference in tests.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { type AppendRequest, CallAnalytics, CallStore, EventStore, Outbox, ReadModelStore } from "@community-policing/core"
import { makeAppend, makeBatch, makeStoredCall } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"

const tenantId = "springfield"

const request = (streamId: string, options: Partial<AppendRequest> = {}) =>
  Effect.map(makeAppend({ tenantId, streamId }), (made) => ({ ...made, ...options }))

describe("MemoryStore.layer()", () => {
  it.effect("starts from an empty state each time it is built", () =>
    Effect.gen(function*() {
      const append = Effect.flatMap(EventStore, (store) => Effect.flatMap(request("case-1"), store.append))
      yield* Effect.provide(append, MemoryStore.layer(), { local: true })
      const afterRebuild = yield* Effect.provide(
        Effect.flatMap(EventStore, (store) => store.readStream(tenantId, "case-1")),
        MemoryStore.layer(),
        { local: true }
      )
      assert.deepStrictEqual(afterRebuild, [])
    }))
})

describe("MemoryStore.makeWithInspector()", () => {
  it.effect("shows what is stored, as a copy that cannot change the store", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.makeWithInspector()
      yield* store.eventStore.append(yield* request("case-1", {
        idempotencyKey: "cmd-1",
        outbox: [{ id: "msg-1", topic: "email", payload: { to: "clerk" }, maxAttempts: 3 }]
      }))
      const snapshot = yield* store.inspector.snapshot(tenantId)
      assert.strictEqual(snapshot.events.length, 1)
      assert.deepStrictEqual(Object.keys(snapshot.idempotencyKeys), ["cmd-1"])
      assert.deepStrictEqual(snapshot.outbox.map((row) => [row.id, row.status, row.lease]), [["msg-1", "pending", null]])
      ;(snapshot.events[0]!.data as { note: string }).note = "changed"
      const again = yield* store.inspector.snapshot(tenantId)
      assert.notStrictEqual((again.events[0]!.data as { note: string }).note, "changed")
      assert.deepStrictEqual(yield* store.inspector.tenants, [tenantId])
    }))

  it.effect("shows the lease a claim put on a message", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.makeWithInspector()
      yield* store.eventStore.append(yield* request("case-1", {
        outbox: [{ id: "msg-1", topic: "email", payload: null, maxAttempts: 3 }]
      }))
      const [claimed] = yield* store.outbox.claim({ tenantId, limit: 1, leaseMillis: 1_000 })
      const [row] = (yield* store.inspector.snapshot(tenantId)).outbox
      assert.strictEqual(row?.lease?.token, claimed?.lease.token)
    }))
})

describe("validation beyond the contract", () => {
  /** The tag of the error an effect fails with, or "succeeded". */
  const refused = <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E>) =>
    Effect.match(effect, { onSuccess: () => "succeeded", onFailure: (error) => error._tag })

  it.effect("refuses an event id or an outbox message id already stored in the tenant, and writes nothing", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.make()
      const first = yield* request("case-1", { outbox: [{ id: "msg-1", topic: "email", payload: null, maxAttempts: 1 }] })
      yield* store.eventStore.append(first)
      const reusedEvent = yield* request("case-2")
      assert.strictEqual(
        yield* refused(store.eventStore.append({
          ...reusedEvent,
          events: [{ ...reusedEvent.events[0]!, eventId: first.events[0]!.eventId }]
        })),
        "InvalidStoreRequest"
      )
      const reusedMessage = yield* request("case-3", { outbox: [{ id: "msg-1", topic: "email", payload: null, maxAttempts: 1 }] })
      assert.strictEqual(yield* refused(store.eventStore.append(reusedMessage)), "InvalidStoreRequest")
      assert.deepStrictEqual(yield* store.eventStore.readStream(tenantId, "case-2"), [])
      assert.deepStrictEqual(yield* store.eventStore.readStream(tenantId, "case-3"), [])
    }))

  it.effect("refuses an outbox message that may never be attempted", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.make()
      const zero = yield* request("case-1", { outbox: [{ id: "msg-1", topic: "email", payload: null, maxAttempts: 0 }] })
      assert.strictEqual(yield* refused(store.eventStore.append(zero)), "InvalidStoreRequest")
      assert.deepStrictEqual(yield* store.outbox.get(tenantId, "msg-1"), Option.none())
    }))

  it.effect("refuses quarantined rows outside the rows a batch covers, a row quarantined twice, and an empty import id", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.make()
      const row = (rowNumber: number) => ({ rowNumber, raw: "x", reason: "not a date" })
      yield* store.callStore.commitImportBatch(tenantId, makeBatch("import-1", 10, [], [row(4)]))
      for (const batch of [
        makeBatch("import-1", 20, [], [row(10)]),
        makeBatch("import-1", 20, [], [row(21)]),
        makeBatch("import-1", 20, [], [row(12), row(12)]),
        makeBatch("", 20, [], [])
      ]) {
        assert.strictEqual(yield* refused(store.callStore.commitImportBatch(tenantId, batch)), "InvalidStoreRequest")
      }
      const progress = yield* store.callStore.importProgress(tenantId, "import-1")
      assert.deepStrictEqual(Option.map(progress, (value) => [value.throughRow, value.quarantined]), Option.some([10, 1]))
    }))

  it.effect("refuses an upsert naming one address twice, and writes none of it", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.make()
      const place = { addressKey: "2300 10TH AVE", landUse: { _tag: "unknown" as const }, districts: {} }
      const other = { ...place, addressKey: "2400 10TH AVE" }
      assert.strictEqual(
        yield* refused(store.callStore.upsertPlaces(tenantId, [other, place, { ...place, districts: { beat: "3C" } }])),
        "InvalidStoreRequest"
      )
      assert.deepStrictEqual(yield* store.callStore.place(tenantId, other.addressKey), Option.none())
    }))

  it.effect("refuses a commit that touches one document twice, and a cursor from another order", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.make()
      const document = { collection: "open-cases", id: "c-1", data: null, indexed: { n: 1 } }
      assert.strictEqual(
        yield* refused(store.readModelStore.commit(tenantId, {
          projection: "p",
          expectedCheckpoint: 0,
          checkpoint: 1,
          upserts: [document],
          deletes: [{ collection: "open-cases", id: "c-1" }]
        })),
        "InvalidStoreRequest"
      )
      assert.strictEqual(yield* store.readModelStore.checkpoint(tenantId, "p"), 0)
      yield* store.readModelStore.commit(tenantId, {
        projection: "p",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [document, { ...document, id: "c-2" }],
        deletes: []
      })
      const page = yield* store.readModelStore.query(tenantId, {
        collection: "open-cases",
        orderBy: { field: "n", direction: "asc" },
        limit: 1
      })
      assert.isDefined(page.nextCursor)
      assert.strictEqual(
        yield* refused(store.readModelStore.query(tenantId, {
          collection: "open-cases",
          orderBy: { field: "n", direction: "desc" },
          limit: 1,
          cursor: page.nextCursor
        })),
        "InvalidStoreRequest"
      )
      assert.strictEqual(
        yield* refused(store.readModelStore.query(tenantId, { collection: "open-cases", limit: 1, cursor: "not a cursor" })),
        "InvalidStoreRequest"
      )
    }))
})

describe("the daily counts", () => {
  const beat = { beat: "3C", policeDistrict: "3" }
  const call = (dedupeKey: string, serviceDay: string, categories: ReadonlyArray<"disorder" | "nuisance"> = ["disorder"]) =>
    makeStoredCall({ dedupeKey, addressKey: "2300 10TH AVE", serviceDay, categories, districts: beat })

  it.effect("are updated by each batch: new calls add, duplicates and refused batches do not", () =>
    Effect.gen(function*() {
      const store = yield* MemoryStore.makeWithInspector()
      yield* store.callStore.commitImportBatch(tenantId, makeBatch("import-1", 3, [call("a", "2026-03-01"), call("b", "2026-03-01", ["disorder", "disorder", "nuisance"])]))
      yield* store.callStore.commitImportBatch(tenantId, makeBatch("import-1", 5, [call("a", "2026-03-01"), call("c", "2026-03-02", [])]))
      yield* Effect.flip(store.callStore.commitImportBatch(tenantId, makeBatch("import-1", 5, [call("d", "2026-03-02")])))
      const rows = (yield* store.inspector.snapshot(tenantId)).dailyCounts.map((row) => [row.serviceDay, row.category, row.count])
      assert.deepStrictEqual(rows, [
        ["2026-03-01", null, 2],
        ["2026-03-01", "disorder", 2],
        ["2026-03-01", "nuisance", 1],
        ["2026-03-02", null, 1]
      ])
      const [first] = (yield* store.inspector.snapshot(tenantId)).dailyCounts
      assert.deepStrictEqual(first, {
        serviceDay: "2026-03-01",
        addressKey: "2300 10TH AVE",
        channel: "911",
        category: null,
        areas: beat,
        count: 2
      })
    }))

  it.effect("answer windows from the days they cover, through the same state the call store writes", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const analytics = yield* CallAnalytics
      yield* store.commitImportBatch(tenantId, makeBatch("import-1", 4, [call("a", "2026-02-28"), call("b", "2026-03-01"), call("c", "2026-03-02")]))
      const window = { endDay: "2026-03-01", days: 2 }
      assert.deepStrictEqual(yield* analytics.repeatLocations(tenantId, { window, minCount: 1, limit: 10 }), [{ key: "2300 10TH AVE", count: 2 }])
      yield* store.commitImportBatch(tenantId, makeBatch("import-1", 5, [call("d", "2026-03-01")]))
      assert.deepStrictEqual(yield* analytics.countsByArea(tenantId, { window, area: "beat" }), [{ key: "3C", count: 3 }])
    }).pipe(Effect.provide(MemoryStore.layer())))
})

describe("the services share one state", () => {
  it.effect("an append's outbox messages are claimable through the same layer's Outbox", () =>
    Effect.gen(function*() {
      const events = yield* EventStore
      const outbox = yield* Outbox
      const readModels = yield* ReadModelStore
      yield* events.append(yield* request("case-1", { outbox: [{ id: "msg-1", topic: "email", payload: null, maxAttempts: 1 }] }))
      const claimed = yield* outbox.claim({ tenantId, limit: 10, leaseMillis: 1_000 })
      assert.deepStrictEqual(claimed.map((entry) => entry.message.id), ["msg-1"])
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "never"), 0)
    }).pipe(Effect.provide(MemoryStore.layer())))
})
