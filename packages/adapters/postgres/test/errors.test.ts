/**
 * Driver errors reach callers as the ports' typed errors: a write whose
 * connection is killed is a StorageFailure that wrote nothing (a read is
 * repeated on a new connection), data PostgreSQL cannot store is an
 * InvalidStoreRequest that writes nothing. Also: the layer configured from
 * effect Config.
 */
import { randomBytes } from "node:crypto"
import { EventStore, InvalidStoreRequest, Outbox, type ReadModelDocument, ReadModelStore, StorageFailure } from "@community-policing/core"
import { eventView, freshTenant, makeAppend } from "@community-policing/testkit"
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
          // Random text: PostgreSQL compresses index keys, so a repetitive one would fit.
          { collection: "cases", id: "huge", data: {}, indexed: { title: randomBytes(30_000).toString("base64") } }
        ],
        deletes: []
      }))
      assert.instanceOf(refused, InvalidStoreRequest)
      assert.strictEqual(yield* readModels.checkpoint(tenantId, "case-titles"), 0)
      assert.deepStrictEqual((yield* readModels.query(tenantId, { collection: "cases", limit: 10 })).documents, [])
    }))
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
        return {
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
