/**
 * Migrations are versioned and forward-only: running them twice changes
 * nothing, and migrators running at once are serialized by an advisory lock
 * so that every one of them succeeds and each migration is applied once.
 */
import { EventStore, StorageFailure } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Redacted, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { InvalidPostgresConfig, latestVersion, migrate, migrations, PostgresStore, schemaVersion } from "../src/index.ts"
import { clientLayer, createTestDatabase, pool } from "./support/database.ts"

const database = await createTestDatabase("migrations")
afterAll(() => database.drop())

/** Everything a migration creates in a schema, and the migration log with its timestamps. */
const catalog = (schema: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const relations = yield* sql`
      SELECT c.relname, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema} ORDER BY c.relname`
    const functions = yield* sql`
      SELECT p.proname, md5(p.prosrc) AS source FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ${schema} ORDER BY p.proname`
    const log = yield* sql.unsafe(`SELECT version, name, applied_at FROM "${schema}".schema_migrations ORDER BY version`)
    return { relations, functions, log }
  })

const waitingForAdvisoryLock = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ waiting: bigint }>`
    SELECT count(*) AS waiting FROM pg_locks
    WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
  return Number(row?.waiting ?? 0)
})

describe("migrate", () => {
  // Live services: these tests wait on real time while the server does its work.
  it.layer(clientLayer(database.url, 4), { excludeTestServices: true })((it) => {
    it.effect("applies every migration once; running it again is a no-op", () =>
      Effect.gen(function*() {
        const first = yield* migrate({ schema: "twice" })
        assert.deepStrictEqual(
          first.applied.map((migration) => migration.version),
          migrations.map((migration) => migration.version)
        )
        assert.strictEqual(first.version, latestVersion)
        const before = yield* catalog("twice")
        assert.isAbove(before.relations.length, 10, "the migration created the tables and indexes")
        const second = yield* migrate({ schema: "twice" })
        assert.deepStrictEqual(second, { schema: "twice", applied: [], version: latestVersion })
        assert.deepStrictEqual(yield* catalog("twice"), before, "the second run changed nothing, not even the log")
        assert.strictEqual(yield* schemaVersion("twice"), latestVersion)
      }))

    it.effect("a second migrator waits for the first one's transaction, then finds nothing to do", () =>
      Effect.scoped(Effect.gen(function*() {
        const sqlA = yield* pool(database.url, 2)
        const sqlB = yield* pool(database.url, 2)
        const migrated = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        // Migrator A runs inside a transaction we hold open, so it has applied
        // everything but not committed when B starts.
        const a = yield* sqlA.withTransaction(Effect.gen(function*() {
          const report = yield* migrate({ schema: "racing" })
          yield* Deferred.succeed(migrated, undefined)
          yield* Deferred.await(release)
          return report
        })).pipe(Effect.provideService(SqlClient.SqlClient, sqlA), Effect.forkScoped)
        yield* Deferred.await(migrated)
        const b = yield* migrate({ schema: "racing" }).pipe(Effect.provideService(SqlClient.SqlClient, sqlB), Effect.forkScoped)
        // B must be queued on the migration lock before A commits.
        yield* waitingForAdvisoryLock.pipe(
          Effect.repeat({ until: (waiting) => waiting > 0, schedule: Schedule.spaced("20 millis") }),
          Effect.timeout("10 seconds")
        )
        yield* Deferred.succeed(release, undefined)
        const reportA = yield* Fiber.join(a)
        const reportB = yield* Fiber.join(b)
        assert.deepStrictEqual(reportA.applied.map((migration) => migration.version), migrations.map((migration) => migration.version))
        assert.deepStrictEqual(reportB.applied, [], "B saw A's committed work and applied nothing")
        assert.strictEqual(reportB.version, latestVersion)
        const { log } = yield* catalog("racing")
        assert.strictEqual(log.length, migrations.length, "each migration is logged once")
      })))

    it.effect("migrators started together on their own connections all succeed, and one of them does the work", () =>
      Effect.scoped(Effect.gen(function*() {
        const clients = yield* Effect.forEach(
          Array.from({ length: 4 }),
          () => pool(database.url, 1)
        )
        const reports = yield* Effect.all(
          clients.map((sql) => migrate({ schema: "stampede" }).pipe(Effect.provideService(SqlClient.SqlClient, sql))),
          { concurrency: "unbounded" }
        )
        assert.deepStrictEqual(
          reports.map((report) => report.applied.length).sort(),
          [0, 0, 0, migrations.length],
          "exactly one migrator applied the migrations"
        )
        assert.isTrue(reports.every((report) => report.version === latestVersion))
        const { log } = yield* catalog("stampede")
        assert.strictEqual(log.length, migrations.length)
      })))

    it.effect("schema names must be plain lowercase identifiers; they are refused before any connection", () =>
      Effect.gen(function*() {
        for (const schema of ["Public", "pg_catalog_copy", "a;drop schema public", "1st", "a\"b", "", "x".repeat(64), "café"]) {
          const refused = yield* Effect.flip(migrate({ schema }))
          assert.instanceOf(refused, InvalidPostgresConfig, `migrate must refuse ${JSON.stringify(schema)}`)
          // Port 1 has no server: only a refusal before connecting gives InvalidPostgresConfig.
          const layerRefused = yield* Effect.flip(
            Layer.build(PostgresStore.layer({ url: Redacted.make("postgres://127.0.0.1:1/none"), schema }))
          )
          assert.instanceOf(layerRefused, InvalidPostgresConfig, `the layer must refuse ${JSON.stringify(schema)}`)
        }
        const report = yield* migrate({ schema: "springfield_policing_2" })
        assert.strictEqual(report.schema, "springfield_policing_2")
      }).pipe(Effect.scoped))
  })
})

describe("the layer", () => {
  it.effect("refuses an unmigrated schema with a StorageFailure that says to migrate, and migrates when asked", () =>
    Effect.gen(function*() {
      const url = Redacted.make(database.url)
      const refused = yield* Effect.flip(Layer.build(PostgresStore.layer({ url, schema: "not_yet" }))).pipe(Effect.scoped)
      assert.instanceOf(refused, StorageFailure)
      assert.match(refused instanceof StorageFailure ? refused.message : "", /run migrate/)
      const events = yield* Effect.gen(function*() {
        const store = yield* EventStore
        return yield* store.readAll({ tenantId: "springfield", after: 0, limit: 10 })
      }).pipe(Effect.provide(PostgresStore.layer({ url, schema: "not_yet", migrate: true })))
      assert.deepStrictEqual(events, [])
    }))

  it.effect("reports an unreachable server as a StorageFailure", () =>
    Effect.gen(function*() {
      const failure = yield* Effect.flip(
        Layer.build(PostgresStore.layer({ url: Redacted.make("postgres://nobody@127.0.0.1:1/none"), connectTimeout: "2 seconds" }))
      ).pipe(Effect.scoped)
      assert.instanceOf(failure, StorageFailure)
    }))
})
