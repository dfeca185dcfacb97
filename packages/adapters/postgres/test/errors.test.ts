/**
 * Driver errors reach callers as the ports' typed errors: a write whose
 * connection is killed is a StorageFailure that wrote nothing (a read is
 * repeated on a new connection), data PostgreSQL cannot store is an
 * InvalidStoreRequest that writes nothing; both for events and read models
 * and for import batches of calls. Also: the layer configured from
 * effect Config.
 */
import { randomBytes } from "node:crypto"
import {
  CallAnalytics,
  CallStore,
  EventStore,
  type ImportBatch,
  InvalidStoreRequest,
  Outbox,
  type ReadModelDocument,
  ReadModelStore,
  StorageFailure
} from "@community-policing/core"
import { eventView, freshTenant, makeAppend, makeBatch, makeStoredCall } from "@community-policing/testkit"
import { assert, layer } from "@effect/vitest"
import { PgClient } from "@effect/sql-pg"
import { Config, ConfigProvider, Deferred, Effect, Fiber, Layer, Option, Redacted, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { clientLayer, connect, createTestDatabase, pool, withConnection } from "./support/database.ts"

const database = await createTestDatabase("errors")
afterAll(() => database.drop())

const Storage = PostgresStore.layerWithClient({ migrate: true }).pipe(Layer.provideMerge(clientLayer(database.url, 4)))

/** The adapter over a pool of its own whose sessions are named, so a test can find and kill them. */
const victimLayer = (applicationName: string) =>
  PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 2, applicationName })

/** Waits until a session of `applicationName` is waiting on a lock, then terminates it from outside. */
const killWhenWaiting = (applicationName: string) =>
  Effect.promise(() =>
    withConnection(database.url, (sql) =>
      sql<{ killed: boolean }>`
        SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE application_name = ${applicationName} AND wait_event_type = 'Lock'`.pipe(
        Effect.repeat({ until: (rows) => rows.length > 0, schedule: Schedule.spaced("10 millis") }),
        Effect.timeout("20 seconds")
      ))
  ).pipe(Effect.map((rows) => assert.deepStrictEqual(rows.map((row) => row.killed), [true])))

layer(Storage, { excludeTestServices: true, timeout: 60_000 })("errors", (it) => {
  it.effect("an append whose connection is killed while it waits fails with StorageFailure and writes nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const tenantId = yield* freshTenant
      const request = yield* makeAppend({ tenantId, streamId: "case-1", idempotencyKey: "command-1", count: 2 })
      // Another session holds the tenant's position lock, so the append waits inside take_positions.
      const holder = yield* connect(database.url)
      yield* holder`SELECT pg_advisory_lock(hashtext('community_policing.positions'), hashtext(${tenantId}))`
      const victim = "victim-append"
      const append = yield* Effect.gen(function*() {
        const store = yield* EventStore
        return yield* store.append(request)
      }).pipe(Effect.provide(victimLayer(victim)), Effect.forkChild)
      yield* killWhenWaiting(victim)
      const failure = yield* Effect.flip(Fiber.join(append))
      assert.instanceOf(failure, StorageFailure)
      assert.isTrue(failure instanceof StorageFailure && failure.retryable, "a terminated backend is worth another try")
      yield* holder`SELECT pg_advisory_unlock(hashtext('community_policing.positions'), hashtext(${tenantId}))`
      const store = yield* EventStore
      assert.deepStrictEqual(yield* store.readStream(tenantId, "case-1"), [], "the killed append wrote nothing")
      assert.strictEqual((yield* store.append(request))._tag, "Appended", "the caller's retry under the same key appends")
    })))

  it.effect("a projection commit whose connection is killed mid-transaction fails with StorageFailure, not a defect", () =>
    Effect.scoped(Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      const tenantId = yield* freshTenant
      const document = (id: string): ReadModelDocument => ({ collection: "cases", id, data: { id }, indexed: { district: "3" } })
      yield* readModels.commit(tenantId, { projection: "cases", expectedCheckpoint: 0, checkpoint: 1, upserts: [document("a")], deletes: [] })
      // Another session locks the checkpoint row, so the commit waits inside its transaction.
      const holder = yield* connect(database.url)
      const locked = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const holding = yield* holder.withTransaction(Effect.gen(function*() {
        yield* holder`SELECT 1 FROM community_policing.checkpoints WHERE tenant_id = ${tenantId} FOR UPDATE`
        yield* Deferred.succeed(locked, undefined)
        yield* Deferred.await(release)
      })).pipe(Effect.forkChild)
      yield* Deferred.await(locked)
      const victim = "victim-commit"
      const commit = yield* Effect.gen(function*() {
        const store = yield* ReadModelStore
        return yield* store.commit(tenantId, {
          projection: "cases",
          expectedCheckpoint: 1,
          checkpoint: 2,
          upserts: [document("b")],
          deletes: [{ collection: "cases", id: "a" }]
        })
      }).pipe(Effect.provide(victimLayer(victim)), Effect.forkChild)
      yield* killWhenWaiting(victim)
      // A defect here would fail the test before the assertion: only a typed failure is flipped.
      const failure = yield* Effect.flip(Fiber.join(commit))
      assert.instanceOf(failure, StorageFailure)
      assert.isTrue(failure instanceof StorageFailure && failure.retryable, "a terminated backend is worth another try")
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holding)
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "cases"), 1)
      assert.deepStrictEqual(
        (yield* readModels.query(tenantId, { collection: "cases", limit: 10 })).documents.map((found) => found.id),
        ["a"],
        "the killed commit changed no document"
      )
    })))

  it.effect("a read whose connection is killed is repeated on a new connection", () =>
    Effect.scoped(Effect.gen(function*() {
      const store = yield* EventStore
      const tenantId = yield* freshTenant
      const written = yield* store.append(yield* makeAppend({ tenantId, streamId: "case-1" }))
      // An exclusive table lock makes the read wait, so it can be killed mid-statement.
      const holder = yield* connect(database.url)
      const locked = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const holding = yield* holder.withTransaction(Effect.gen(function*() {
        yield* holder`LOCK TABLE community_policing.events IN ACCESS EXCLUSIVE MODE`
        yield* Deferred.succeed(locked, undefined)
        yield* Deferred.await(release)
      })).pipe(Effect.forkChild)
      yield* Deferred.await(locked)
      const victim = "victim-read"
      const read = yield* Effect.gen(function*() {
        const victimStore = yield* EventStore
        return yield* victimStore.readAll({ tenantId, after: 0, limit: 10 })
      }).pipe(Effect.provide(victimLayer(victim)), Effect.forkChild)
      yield* killWhenWaiting(victim)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holding)
      assert.deepStrictEqual((yield* Fiber.join(read)).map((event) => event.eventId), written.events.map((event) => event.eventId))
    })))

  it.effect("event data PostgreSQL cannot store is an InvalidStoreRequest, and nothing of the batch is written", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const tenantId = yield* freshTenant
      const cases = [
        ["a NUL character in the JSON data", yield* makeAppend({ tenantId, streamId: "case-nul", data: () => ({ note: "a\u0000b" }) })],
        ["a lone surrogate in a stream id", yield* makeAppend({ tenantId, streamId: "case-\ud800" })],
        [
          "a NUL character in an outbox payload",
          yield* makeAppend({
            tenantId,
            streamId: "case-outbox",
            outbox: [{ id: "m1", topic: "email", payload: { body: "\u0000" }, maxAttempts: 1 }]
          })
        ]
      ] as const
      for (const [what, request] of cases) {
        const refused = yield* Effect.flip(store.append({ ...request, idempotencyKey: `key-${what}` }))
        assert.instanceOf(refused, InvalidStoreRequest, what)
        assert.isTrue(Option.isNone(yield* store.findByIdempotencyKey(tenantId, `key-${what}`)), `${what}: no key recorded`)
      }
      assert.deepStrictEqual(yield* store.readAll({ tenantId, after: 0, limit: 100 }), [])
    }))

  it.effect("a lookup by a string that cannot be stored finds nothing, not the U+FFFD its encoding would become", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const readModels = yield* ReadModelStore
      const tenantId = yield* freshTenant
      const replaced = "case-\ufffd"
      const lone = "case-\ud800"
      yield* store.append(yield* makeAppend({ tenantId, streamId: replaced, idempotencyKey: replaced }))
      yield* readModels.commit(tenantId, {
        projection: "cases",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [{ collection: "cases", id: replaced, data: {}, indexed: { title: replaced } }],
        deletes: []
      })
      assert.strictEqual((yield* store.readStream(tenantId, replaced)).length, 1)
      assert.deepStrictEqual(yield* store.readStream(tenantId, lone), [])
      assert.isTrue(Option.isNone(yield* store.findByIdempotencyKey(tenantId, lone)))
      assert.isTrue(Option.isNone(yield* readModels.get(tenantId, "cases", lone)))
      assert.deepStrictEqual(
        (yield* readModels.query(tenantId, { collection: "cases", where: [{ field: "title", equals: lone }], limit: 10 })).documents,
        []
      )
    }))

  it.effect("an error while drawing positions is a StorageFailure and releases the tenant's position lock", () =>
    Effect.scoped(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const tenantId = yield* freshTenant
      const first = yield* PostgresStore.makeWithClient({ schema: "exhausted", migrate: true })
      yield* first.eventStore.append(yield* makeAppend({ tenantId, streamId: "case-1" }))
      // The sequence runs out inside take_positions' exclusive section.
      yield* sql`SELECT setval('exhausted.event_position', 1000)`
      yield* sql`ALTER SEQUENCE exhausted.event_position MAXVALUE 1000`
      const failure = yield* Effect.flip(first.eventStore.append(yield* makeAppend({ tenantId, streamId: "case-2" })))
      assert.instanceOf(failure, StorageFailure)
      // The server's own words and SQLSTATE, not only the driver's "Query failed".
      assert.match(failure instanceof StorageFailure ? failure.message : "", /reached maximum value of sequence "event_position".*\(SQLSTATE 2200H\)/)
      yield* sql`ALTER SEQUENCE exhausted.event_position NO MAXVALUE`
      const [held] = yield* sql<{ count: number }>`
        SELECT count(*)::integer AS count FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
      assert.strictEqual(held?.count, 0, "no session kept the position lock")
      // A session lock is re-entrant for its own session, so try from another pool too.
      const other = yield* PostgresStore.makeWithClient({ schema: "exhausted" }).pipe(
        Effect.provideServiceEffect(SqlClient.SqlClient, pool(database.url, 1))
      )
      const appended = yield* other.eventStore.append(yield* makeAppend({ tenantId, streamId: "case-2" })).pipe(
        Effect.timeout("10 seconds")
      )
      assert.strictEqual(appended._tag, "Appended")
    })))

  it.effect("an indexed value too large for an index key is an InvalidStoreRequest, and the commit writes nothing", () =>
    Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      const tenantId = yield* freshTenant
      const refused = yield* Effect.flip(readModels.commit(tenantId, {
        projection: "case-titles",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [
          { collection: "cases", id: "small", data: {}, indexed: { title: "ok" } },
          // About 3 KB of random text: PostgreSQL compresses index keys, so a repetitive one would fit.
          { collection: "cases", id: "huge", data: {}, indexed: { title: randomBytes(2_300).toString("base64") } }
        ],
        deletes: []
      }))
      assert.instanceOf(refused, InvalidStoreRequest)
      assert.match(
        refused instanceof InvalidStoreRequest ? refused.reason : "",
        /^the database refused the data: PgConnection: Query failed: index row size \d+ exceeds btree (version \d+ )?maximum 2704 .*\(SQLSTATE 54000\)$/s
      )
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "case-titles"), 0)
      assert.deepStrictEqual((yield* readModels.query(tenantId, { collection: "cases", limit: 10 })).documents, [])
    }))

  it.effect("calls, rows and places PostgreSQL cannot store are an InvalidStoreRequest saying where, and nothing is written", () =>
    Effect.gen(function*() {
      const calls = yield* CallStore
      const sql = yield* SqlClient.SqlClient
      const tenantId = yield* freshTenant
      const good = [1, 2, 3].map((index) => makeStoredCall({ dedupeKey: `k-${index}`, addressKey: "2300 10TH AVE", serviceDay: "2026-03-02" }))
      const bad = good[2]!
      const cases: ReadonlyArray<readonly [string, string, ImportBatch, RegExp]> = [
        [
          "a NUL in a call's description",
          tenantId,
          makeBatch("import", 5, [...good.slice(0, 2), { ...bad, call: { ...bad.call, callType: { code: "415", description: "a\u0000b" } } }]),
          /^call 2: call\.callType\.description contains a NUL character/
        ],
        ["a lone surrogate in a dedupe key", tenantId, makeBatch("import", 5, [...good.slice(0, 2), { ...bad, dedupeKey: "k-\ud800" }]), /^call 2: dedupeKey contains a lone surrogate/],
        ["a NUL in a quarantined row", tenantId, makeBatch("import", 5, good, [{ rowNumber: 4, raw: "x\u0000y", reason: "bad" }]), /^quarantined row 0: raw contains a NUL character/],
        ["a lone surrogate in the tenant id", `${tenantId}-\udc00`, makeBatch("import", 5, good), /^tenantId contains a lone surrogate/],
        ["a lone surrogate in the import id", tenantId, makeBatch("import-\udc00", 5, good), /^importId contains a lone surrogate/],
        [
          // Random text: PostgreSQL compresses index keys, so a repetitive one would fit; the store limits refuse it first.
          "an address key too large for an index key",
          tenantId,
          makeBatch("import", 5, [...good.slice(0, 2), makeStoredCall({ dedupeKey: "k-3", addressKey: randomBytes(30_000).toString("base64"), serviceDay: "2026-03-02" })]),
          /^call 2: call\.location\.addressKey is 40000 bytes long, over the limit of 1024 bytes$/
        ]
      ]
      for (const [what, tenant, batch, reason] of cases) {
        const refused = yield* Effect.flip(calls.commitImportBatch(tenant, batch))
        assert.instanceOf(refused, InvalidStoreRequest, what)
        assert.match(refused instanceof InvalidStoreRequest ? refused.reason : "", reason, what)
      }
      const placeRefused = yield* Effect.flip(calls.upsertPlaces(tenantId, [
        { addressKey: "1 A ST", landUse: { _tag: "unknown" }, districts: {} },
        { addressKey: "2 B ST", landUse: { _tag: "unknown" }, districts: { neighborhood: "Oak\u0000Park" } }
      ]))
      assert.instanceOf(placeRefused, InvalidStoreRequest)
      const [written] = yield* sql<{ calls: number; progress: number; rows: number; places: number; cells: number }>`
        SELECT
          (SELECT count(*)::integer FROM community_policing.calls WHERE tenant_id LIKE ${`${tenantId}%`}) AS calls,
          (SELECT count(*)::integer FROM community_policing.import_progress WHERE tenant_id LIKE ${`${tenantId}%`}) AS progress,
          (SELECT count(*)::integer FROM community_policing.quarantined_rows WHERE tenant_id LIKE ${`${tenantId}%`}) AS rows,
          (SELECT count(*)::integer FROM community_policing.places WHERE tenant_id LIKE ${`${tenantId}%`}) AS places,
          (SELECT count(*)::integer FROM community_policing.daily_counts WHERE tenant_id LIKE ${`${tenantId}%`}) AS cells`
      assert.deepStrictEqual(written, { calls: 0, progress: 0, rows: 0, places: 0, cells: 0 }, "the refused writes left nothing behind")
      assert.deepStrictEqual(yield* calls.commitImportBatch(tenantId, makeBatch("import", 5, good)), { imported: 3, duplicates: 0 })
      assert.deepStrictEqual(yield* calls.callsAt(tenantId, "2300 10TH AVE", { fromDay: "2026-03-02", toDay: "2026-03-02" }).pipe(
        Effect.map((stored) => stored.map((call) => call.dedupeKey))
      ), ["k-1", "k-2", "k-3"])
    }))

  it.effect("an import batch whose connection is killed mid-write fails with StorageFailure and writes nothing; the retry commits it", () =>
    Effect.scoped(Effect.gen(function*() {
      const calls = yield* CallStore
      const analytics = yield* CallAnalytics
      const tenantId = yield* freshTenant
      const addressKey = "3555 AUBURN BLVD"
      const batch = makeBatch(
        "cad-2026",
        11,
        Array.from({ length: 9 }, (_, index) => makeStoredCall({ dedupeKey: `k-${index + 1}`, addressKey, serviceDay: "2026-03-02" })),
        [{ rowNumber: 11, raw: "x", reason: "bad" }]
      )
      // Another session inserts k-5 and keeps its transaction open: the batch,
      // inserting in key order, stores k-1 to k-4 and then waits for it.
      const holder = yield* connect(database.url)
      const inserted = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const holding = yield* holder.withTransaction(Effect.gen(function*() {
        yield* holder`
          INSERT INTO community_policing.calls (tenant_id, dedupe_key, service_day, address_key, received_at, data)
          VALUES (${tenantId}, 'k-5', '2026-03-02', ${addressKey}, 0, '{}')`
        yield* Deferred.succeed(inserted, undefined)
        yield* Deferred.await(release)
        // Rolled back: the row was only there to make the batch wait.
        return yield* Effect.fail("roll back" as const)
      })).pipe(Effect.flip, Effect.forkChild)
      yield* Deferred.await(inserted)
      const victim = "victim-import"
      const commit = yield* Effect.gen(function*() {
        const store = yield* CallStore
        return yield* store.commitImportBatch(tenantId, batch)
      }).pipe(Effect.provide(victimLayer(victim)), Effect.forkChild)
      yield* killWhenWaiting(victim)
      const failure = yield* Effect.flip(Fiber.join(commit))
      assert.instanceOf(failure, StorageFailure)
      yield* Deferred.succeed(release, undefined)
      assert.strictEqual(yield* Fiber.join(holding), "roll back")
      assert.isTrue(Option.isNone(yield* calls.importProgress(tenantId, "cad-2026")), "no progress was recorded")
      assert.deepStrictEqual(yield* calls.callsAt(tenantId, addressKey, { fromDay: "2026-03-01", toDay: "2026-03-31" }), [])
      assert.deepStrictEqual(yield* calls.quarantined(tenantId, "cad-2026", { afterRow: 0, limit: 10 }), [])
      const window = { endDay: "2026-03-31", days: 31 }
      assert.deepStrictEqual(yield* analytics.repeatLocations(tenantId, { window, minCount: 0, limit: 10 }), [], "nothing was counted")
      assert.deepStrictEqual(yield* calls.commitImportBatch(tenantId, batch), { imported: 9, duplicates: 0 }, "the retry commits the batch")
      assert.deepStrictEqual(yield* analytics.repeatLocations(tenantId, { window, minCount: 0, limit: 10 }), [{ key: addressKey, count: 9 }])
    })))
})

layer(Layer.empty, { excludeTestServices: true, timeout: 60_000 })("configuration", (it) => {
  it.effect("layerConfig reads the URL (redacted), pool size, schema and migrate flag from effect Config", () =>
    Effect.gen(function*() {
      const Configured = PostgresStore.layerConfig({
        url: Config.Redacted("DATABASE_URL"),
        maxConnections: Config.Int("DATABASE_POOL_SIZE"),
        schema: Config.String("POLICING_SCHEMA"),
        migrate: Config.Boolean("POLICING_MIGRATE")
      }).pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({
          DATABASE_URL: database.url,
          DATABASE_POOL_SIZE: "3",
          POLICING_SCHEMA: "from_config",
          POLICING_MIGRATE: "true"
        })))
      )
      const tenantId = yield* freshTenant
      yield* Effect.gen(function*() {
        const store = yield* EventStore
        yield* store.append(yield* makeAppend({ tenantId, streamId: "case-1" }))
      }).pipe(Effect.provide(Configured))
      const rows = yield* Effect.promise(() =>
        withConnection(database.url, (sql) => sql`SELECT count(*)::integer AS count FROM from_config.events WHERE tenant_id = ${tenantId}`)
      )
      assert.deepStrictEqual(rows, [{ count: 1 }], "the event went to the configured schema")
    }))

  it.effect("layerWithClient works over an application's client that renames columns", () =>
    Effect.gen(function*() {
      const AppClient = PgClient.layer({
        url: Redacted.make(database.url),
        transformResultNames: (name) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
        transformQueryNames: (name) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
      })
      const tenantId = yield* freshTenant
      const written = yield* Effect.gen(function*() {
        const store = yield* EventStore
        const outbox = yield* Outbox
        const readModels = yield* ReadModelStore
        const result = yield* store.append(yield* makeAppend({
          tenantId,
          streamId: "case-1",
          count: 2,
          outbox: [{ id: "m1", topic: "email", payload: {}, maxAttempts: 2 }]
        }))
        yield* readModels.commit(tenantId, {
          projection: "cases",
          expectedCheckpoint: 0,
          checkpoint: 2,
          upserts: [{ collection: "cases", id: "case-1", data: {}, indexed: { events: 2 } }],
          deletes: []
        })
        const calls = yield* CallStore
        const analytics = yield* CallAnalytics
        const call = makeStoredCall({ dedupeKey: "k-1", addressKey: "2300 10TH AVE", serviceDay: "2026-03-02" })
        yield* calls.commitImportBatch(tenantId, makeBatch("cad", 3, [call], [{ rowNumber: 3, raw: "x", reason: "bad" }]))
        return {
          imported: {
            progress: yield* calls.importProgress(tenantId, "cad"),
            rows: yield* calls.quarantined(tenantId, "cad", { afterRow: 0, limit: 10 }),
            calls: (yield* calls.callsAt(tenantId, "2300 10TH AVE", { fromDay: "2026-03-02", toDay: "2026-03-02" })).map((found) => found.dedupeKey),
            counts: yield* analytics.repeatLocations(tenantId, { window: { endDay: "2026-03-02", days: 1 }, minCount: 0, limit: 10 })
          },
          appended: result.events,
          read: yield* store.readAll({ tenantId, after: 0, limit: 10 }),
          claimed: yield* outbox.claim({ tenantId, limit: 10, leaseMillis: 1_000 }),
          page: yield* readModels.query(tenantId, { collection: "cases", orderBy: { field: "events", direction: "desc" }, limit: 10 })
        }
      }).pipe(Effect.provide(PostgresStore.layerWithClient({ migrate: true }).pipe(Layer.provide(AppClient))))
      assert.deepStrictEqual(written.read.map(eventView), written.appended.map(eventView))
      assert.isTrue(written.read.every((event) => Number.isSafeInteger(event.globalPosition) && event.globalPosition > 0))
      assert.deepStrictEqual(written.claimed.map((claim) => [claim.message.id, claim.message.attempts]), [["m1", 1]])
      assert.deepStrictEqual(written.page.documents.map((document) => document.id), ["case-1"])
      assert.deepStrictEqual(written.imported, {
        progress: Option.some({ importId: "cad", throughRow: 3, imported: 1, duplicates: 0, quarantined: 1 }),
        rows: [{ rowNumber: 3, raw: "x", reason: "bad" }],
        calls: ["k-1"],
        counts: [{ key: "2300 10TH AVE", count: 1 }]
      })
    }))

  it.effect("a missing setting fails the layer with a ConfigError", () =>
    Effect.gen(function*() {
      const failure = yield* Effect.flip(Layer.build(
        PostgresStore.layerConfig({ url: Config.Redacted("DATABASE_URL") }).pipe(
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({})))
        )
      )).pipe(Effect.scoped)
      assert.strictEqual(failure._tag, "ConfigError")
    }))
})
