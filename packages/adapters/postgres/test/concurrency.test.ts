/**
 * Concurrent writers and readers against a real server: optimistic
 * concurrency on one stream, a projection following readAll while eight
 * writers append, and the sequence-gap problem (a transaction that holds a
 * position open while later ones commit).
 */
import {
  type AppendRequest,
  EventStore,
  InvalidStoreRequest,
  ReadModelStore,
  type ReadModelDocument,
  type StoredEvent
} from "@community-policing/core"
import { eventView, freshId, freshTenant, makeAppend } from "@community-policing/testkit"
import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Ref, Result } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { clientLayer, createTestDatabase, withConnection } from "./support/database.ts"

const database = await createTestDatabase("concurrency")
afterAll(() => database.drop())

// One pool shared by the store and the tests, so a test can open a
// transaction that the store's append joins (the slow writer below).
const Storage = PostgresStore.layerWithClient({ migrate: true }).pipe(Layer.provideMerge(clientLayer(database.url, 24)))

const range = (count: number) => Array.from({ length: count }, (_, index) => index)

/** Reads readAll pages from `after` until one comes back empty; positions must only increase. */
const drain = Effect.fnUntraced(function*(tenantId: string, after: number) {
  const store = yield* EventStore
  const read: Array<StoredEvent> = []
  let last = after
  for (;;) {
    const page = yield* store.readAll({ tenantId, after: last, limit: 7 })
    if (page.length === 0) return { read, after: last }
    for (const event of page) {
      assert.isAbove(event.globalPosition, last, "readAll went backwards or repeated a position")
      last = event.globalPosition
    }
    read.push(...page)
  }
})

/** Rows committed for a tenant, counted over a connection of its own (not the adapter). */
const committedRows = (tenantId: string, abovePosition: number) =>
  Effect.promise(() =>
    withConnection(database.url, (sql) =>
      sql<{ count: bigint }>`
        SELECT count(*) AS count FROM community_policing.events
        WHERE tenant_id = ${tenantId} AND global_position > ${abovePosition}`)
  ).pipe(Effect.map(([row]) => Number(row?.count ?? 0)))

const appended = Effect.fnUntraced(function*(request: AppendRequest) {
  const store = yield* EventStore
  const result = yield* store.append(request)
  assert.strictEqual(result._tag, "Appended")
  return result.events
})

layer(Storage, { excludeTestServices: true, timeout: 120_000 })("concurrency", (it) => {
  it.effect("8 writers on one stream: each version is won by exactly one, the rest get VersionConflict", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const tenantId = yield* freshTenant
      const streamId = yield* freshId("nuisance-case")
      const winners: Array<StoredEvent> = []
      let version = 0
      for (let round = 0; round < 25; round++) {
        const requests = yield* Effect.forEach(range(8), (writer) =>
          makeAppend({ tenantId, streamId, expectedVersion: version, count: 3, fields: () => ({ actor: `Staff:writer-${writer}` }) }))
        // Eight statements at once on a pool of 24: eight connections.
        const results = yield* Effect.all(requests.map((request) => Effect.result(store.append(request))), {
          concurrency: "unbounded"
        })
        const won = results.flatMap((result) => (Result.isSuccess(result) ? [result.success] : []))
        assert.strictEqual(won.length, 1, `round ${round}: exactly one writer wins`)
        for (const result of results) {
          if (Result.isSuccess(result)) continue
          assert.strictEqual(result.failure._tag, "VersionConflict")
          if (result.failure._tag === "VersionConflict") {
            assert.deepStrictEqual(
              [result.failure.expectedVersion, result.failure.actualVersion],
              [version, version + 3],
              "a loser learns the version the winner left"
            )
          }
        }
        winners.push(...(won[0]?.events ?? []))
        version += 3
      }
      const stream = yield* store.readStream(tenantId, streamId)
      assert.deepStrictEqual(stream.map(eventView), winners.map(eventView), "the stream is exactly the winners' batches")
      assert.deepStrictEqual(stream.map((event) => event.streamVersion), range(75).map((index) => index + 1))
      assert.deepStrictEqual(
        (yield* store.readAll({ tenantId, after: 0, limit: 10_000 })).map(eventView),
        winners.map(eventView)
      )
      assert.strictEqual(yield* committedRows(tenantId, 0), 75, "no loser left a row behind")
    }))

  it.effect("a projection following readAll while 8 writers append sees every event once, in position order", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const readModels = yield* ReadModelStore
      const tenantId = yield* freshTenant
      const projection = "stream-versions"
      const written: Array<StoredEvent> = []
      const done = yield* Ref.make(false)
      const writers = Effect.all(
        range(8).map((writer) =>
          Effect.gen(function*() {
            const streamId = `patrol-area-${writer}`
            let version = 0
            for (let batch = 0; batch < 15; batch++) {
              const count = 1 + (batch % 3)
              written.push(...(yield* appended(yield* makeAppend({ tenantId, streamId, expectedVersion: version, count }))))
              version += count
            }
          })
        ),
        { concurrency: "unbounded", discard: true }
      ).pipe(Effect.andThen(Ref.set(done, true)))
      const seen: Array<StoredEvent> = []
      const versions = new Map<string, Array<number>>()
      const follower = Effect.gen(function*() {
        for (;;) {
          // Read the flag before the page: an empty page after the writers finished means the end.
          const finished = yield* Ref.get(done)
          const checkpoint = yield* readModels.checkpoint(tenantId, projection)
          const page = yield* store.readAll({ tenantId, after: checkpoint, limit: 20 })
          if (page.length === 0) {
            if (finished) return
            yield* Effect.sleep("2 millis")
            continue
          }
          let last = checkpoint
          const changed = new Set<string>()
          for (const event of page) {
            assert.isAbove(event.globalPosition, last, "the projection saw positions go backwards")
            last = event.globalPosition
            versions.set(event.streamId, [...(versions.get(event.streamId) ?? []), event.streamVersion])
            changed.add(event.streamId)
          }
          seen.push(...page)
          yield* readModels.commit(tenantId, {
            projection,
            expectedCheckpoint: checkpoint,
            checkpoint: last,
            upserts: [...changed].map((streamId): ReadModelDocument => {
              const list = versions.get(streamId) ?? []
              return { collection: "streams", id: streamId, data: { versions: list }, indexed: { length: list.length } }
            }),
            deletes: []
          })
        }
      })
      yield* Effect.all([writers, follower], { concurrency: "unbounded", discard: true })
      const byPosition = [...written].sort((a, b) => a.globalPosition - b.globalPosition)
      assert.deepStrictEqual(seen.map(eventView), byPosition.map(eventView), "every event once, in position order")
      assert.strictEqual(yield* readModels.checkpoint(tenantId, projection), byPosition.at(-1)?.globalPosition)
      const page = yield* readModels.query(tenantId, { collection: "streams", orderBy: { field: "length", direction: "desc" }, limit: 100 })
      assert.strictEqual(page.documents.length, 8)
      for (const document of page.documents) {
        // A skipped or repeated event would leave a gap or a repeat in the stream's versions.
        const list = (document.data as { versions: Array<number> }).versions
        assert.deepStrictEqual(list, range(list.length).map((index) => index + 1), `versions of ${document.id}`)
        assert.strictEqual(document.indexed["length"], 30)
      }
    }))

  it.effect("a transaction holding an early position holds readers back, and is read when it commits: never skipped", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      const tenantId = yield* freshTenant
      const early = yield* appended(yield* makeAppend({ tenantId, streamId: "case-early" }))
      let reader = yield* drain(tenantId, 0)
      assert.deepStrictEqual(reader.read.map(eventView), early.map(eventView))
      const seen = [...reader.read]

      const slowAppended = yield* Deferred.make<ReadonlyArray<StoredEvent>>()
      const release = yield* Deferred.make<void>()
      // The slow writer takes its positions, then sleeps in the database with
      // its transaction open until the test has watched the others commit.
      const slow = yield* sql.withTransaction(Effect.gen(function*() {
        const result = yield* store.append(yield* makeAppend({ tenantId, streamId: "case-slow", count: 2 }))
        yield* Deferred.succeed(slowAppended, result.events)
        while (!(yield* Deferred.isDone(release))) yield* sql`SELECT pg_sleep(0.02)`
        return result.events
      })).pipe(Effect.forkChild)
      const slowEvents = yield* Deferred.await(slowAppended)
      const slowFirst = slowEvents[0]?.globalPosition ?? 0

      const later: Array<StoredEvent> = []
      for (const [index, streamId] of ["case-later-a", "case-later-b", "case-later-a", "case-later-b"].entries()) {
        later.push(...(yield* appended(yield* makeAppend({ tenantId, streamId, expectedVersion: index < 2 ? 0 : 1 }))))
      }
      assert.isTrue(later.every((event) => event.globalPosition > slowFirst), "later writers drew later positions")
      assert.strictEqual(yield* committedRows(tenantId, slowFirst), later.length, "the later events are committed")
      for (let look = 0; look < 5; look++) {
        reader = yield* drain(tenantId, reader.after)
        assert.deepStrictEqual(reader.read.map(eventView), [], "while the slow writer is open, nothing after it may be read")
        yield* Effect.sleep("10 millis")
      }

      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(slow)
      reader = yield* drain(tenantId, reader.after)
      seen.push(...reader.read)
      assert.deepStrictEqual(
        reader.read.map(eventView),
        [...slowEvents, ...later].map(eventView),
        "after the commit the reader gets the slow events, then the later ones"
      )
      assert.deepStrictEqual(
        seen.map(eventView),
        (yield* store.readAll({ tenantId, after: 0, limit: 100 })).map(eventView),
        "the reader saw every event exactly once"
      )
    }))

  it.effect("a slow append in one tenant does not hold back readers of another", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      const slowTenant = yield* freshTenant
      const otherTenant = yield* freshTenant
      const slowAppended = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const slow = yield* sql.withTransaction(Effect.gen(function*() {
        yield* store.append(yield* makeAppend({ tenantId: slowTenant, streamId: "case-slow" }))
        yield* Deferred.succeed(slowAppended, undefined)
        while (!(yield* Deferred.isDone(release))) yield* sql`SELECT pg_sleep(0.02)`
      })).pipe(Effect.forkChild)
      yield* Deferred.await(slowAppended)
      const other = yield* appended(yield* makeAppend({ tenantId: otherTenant, streamId: "case-1", count: 3 }))
      assert.deepStrictEqual(
        (yield* store.readAll({ tenantId: otherTenant, after: 0, limit: 100 })).map(eventView),
        other.map(eventView),
        "the other tenant's committed events are readable at once"
      )
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(slow)
    }))

  // docs/adapters.md, "Scaling out by tenant (Citus)": rows moved from another
  // server (a shard or schema move, a dump and restore) keep that server's
  // transaction ids, which mean nothing against this server's horizon.
  it.effect("events carrying another server's transaction ids are skipped while an append is in flight, until their ids are reset to 0", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      const tenantId = yield* freshTenant
      const moved = yield* appended(yield* makeAppend({ tenantId, streamId: "case-moved", count: 2 }))
      const setMovedIds = (xid: string) =>
        Effect.promise(() =>
          withConnection(database.url, (raw) =>
            raw.unsafe(
              `UPDATE community_policing.events SET transaction_id = ${xid}
               WHERE tenant_id = $1 AND stream_id = 'case-moved'`,
              [tenantId]
            ))
        )
      yield* setMovedIds(`((pg_current_xact_id()::text)::numeric + 1000000000)::text::xid8`)
      const later = yield* appended(yield* makeAppend({ tenantId, streamId: "case-new" }))

      const slowAppended = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const slow = yield* sql.withTransaction(Effect.gen(function*() {
        yield* store.append(yield* makeAppend({ tenantId, streamId: "case-slow" }))
        yield* Deferred.succeed(slowAppended, undefined)
        while (!(yield* Deferred.isDone(release))) yield* sql`SELECT pg_sleep(0.02)`
      })).pipe(Effect.forkChild)
      yield* Deferred.await(slowAppended)
      // Other suites' transactions on the shared server can hold the horizon back for a moment.
      const readUntil = (enough: (page: ReadonlyArray<StoredEvent>) => boolean) =>
        Effect.gen(function*() {
          for (;;) {
            const page = yield* store.readAll({ tenantId, after: 0, limit: 100 })
            if (enough(page)) return page
            yield* Effect.sleep("20 millis")
          }
        }).pipe(Effect.timeout("20 seconds"))

      const skipping = yield* readUntil((page) => page.length > 0)
      assert.deepStrictEqual(skipping.map(eventView), later.map(eventView), "the moved events, at smaller positions, were skipped")
      assert.isTrue(moved.every((event) => event.globalPosition < (later[0]?.globalPosition ?? 0)))

      yield* setMovedIds(`'0'::xid8`)
      const whole = yield* readUntil((page) => page.length >= moved.length + later.length)
      assert.deepStrictEqual(whole.map(eventView), [...moved, ...later].map(eventView), "reset to 0, they are read in order")
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(slow)
    }))

  it.effect("within a tenant, transaction order and position order agree, under 8 concurrent writers", () =>
    Effect.gen(function*() {
      const tenantId = yield* freshTenant
      yield* Effect.all(
        range(8).map((writer) =>
          Effect.gen(function*() {
            let version = 0
            for (let batch = 0; batch < 12; batch++) {
              yield* appended(yield* makeAppend({ tenantId, streamId: `stream-${writer}`, expectedVersion: version, count: 2 }))
              version += 2
            }
          })
        ),
        { concurrency: "unbounded", discard: true }
      )
      // The property readAll's horizon rests on: a later position never has an earlier transaction.
      const rows = yield* Effect.promise(() =>
        withConnection(database.url, (sql) =>
          sql<{ xid: string; position: bigint }>`
            SELECT transaction_id::text AS xid, global_position AS position FROM community_policing.events
            WHERE tenant_id = ${tenantId} ORDER BY global_position`)
      )
      assert.strictEqual(rows.length, 8 * 12 * 2)
      for (let index = 1; index < rows.length; index++) {
        assert.isTrue(
          BigInt(rows[index - 1]!.xid) <= BigInt(rows[index]!.xid),
          `position ${rows[index]!.position} belongs to an older transaction than position ${rows[index - 1]!.position}`
        )
      }
    }))

  it.effect("an append inside a transaction that has already written is refused, and writes nothing", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      const tenantId = yield* freshTenant
      const request = yield* makeAppend({ tenantId, streamId: "case-1" })
      const refused = yield* Effect.flip(sql.withTransaction(Effect.gen(function*() {
        // Gives the transaction its id before the append takes positions.
        yield* sql`SELECT pg_current_xact_id()::text`
        return yield* store.append(request)
      })))
      assert.instanceOf(refused, InvalidStoreRequest)
      assert.deepStrictEqual(yield* store.readStream(tenantId, "case-1"), [])
      assert.strictEqual(yield* committedRows(tenantId, 0), 0)
      yield* appended(request)
    }))
})
