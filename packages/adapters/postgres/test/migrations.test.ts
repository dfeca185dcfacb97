/**
 * Migrations are versioned and forward-only: running them twice changes
 * nothing, migrators running at once are serialized by an advisory lock so
 * that every one of them succeeds and each migration is applied once, and a
 * schema an earlier release migrated is brought up to date with its data.
 */
import { EventStore, StorageFailure, StoredCall } from "@community-policing/core"
import { makeBatch, makeStoredCall } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Deferred, Effect, Fiber, Layer, Redacted, Schedule, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { InvalidPostgresConfig, latestSchemaVersion, migrate, migrations, PostgresStore, schemaVersion } from "../src/index.ts"
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
        assert.strictEqual(first.version, latestSchemaVersion)
        const before = yield* catalog("twice")
        assert.isAbove(before.relations.length, 10, "the migration created the tables and indexes")
        const second = yield* migrate({ schema: "twice" })
        assert.deepStrictEqual(second, { applied: [], version: latestSchemaVersion })
        assert.deepStrictEqual(yield* catalog("twice"), before, "the second run changed nothing, not even the log")
        assert.strictEqual(yield* schemaVersion("twice"), latestSchemaVersion)
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
        assert.strictEqual(reportB.version, latestSchemaVersion)
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
        assert.isTrue(reports.every((report) => report.version === latestSchemaVersion))
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
        assert.strictEqual(report.version, latestSchemaVersion)
        assert.strictEqual(yield* schemaVersion("springfield_policing_2"), latestSchemaVersion)
      }).pipe(Effect.scoped))
  })
})

/**
 * What an earlier release left in a schema: the migrations up to `version`
 * applied and logged, with the log table as `migrate` creates it.
 */
const atVersion = (schema: string, version: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(Effect.gen(function*() {
      yield* sql.unsafe(`CREATE SCHEMA "${schema}"`)
      yield* sql.unsafe(`CREATE TABLE "${schema}".schema_migrations (
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
      )`)
      for (const migration of migrations.filter((earlier) => earlier.version <= version)) {
        for (const statement of migration.statements(schema)) yield* sql.unsafe(statement)
        yield* sql.unsafe(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name])
      }
    }))
  })

describe("upgrading", () => {
  it.layer(clientLayer(database.url, 2), { excludeTestServices: true })((it) => {
    it.effect("a schema at version 1 gains the calls tables and keeps its data; until then the layer refuses it", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* atVersion("first_release", 1)
        yield* sql.unsafe(`INSERT INTO first_release.checkpoints (tenant_id, projection, position) VALUES ('springfield', 'cases', 7)`)
        const refused = yield* Effect.flip(PostgresStore.makeWithClient({ schema: "first_release" }))
        assert.instanceOf(refused, StorageFailure)
        assert.match(refused instanceof StorageFailure ? refused.message : "", new RegExp(`at version 1, this adapter needs ${latestSchemaVersion}`))
        const report = yield* migrate({ schema: "first_release" })
        assert.deepStrictEqual(report.applied, migrations.filter((migration) => migration.version > 1).map(({ version, name }) => ({ version, name })))
        assert.deepStrictEqual(report.applied[0], { version: 2, name: "calls for service" })
        assert.strictEqual(report.version, latestSchemaVersion)
        const store = yield* PostgresStore.makeWithClient({ schema: "first_release" })
        assert.strictEqual(yield* store.readModelStore.checkpoint("springfield", "cases"), 7, "data written before the upgrade is kept")
        const call = makeStoredCall({ dedupeKey: "id:cad:1", addressKey: "23XX 10TH AVE", serviceDay: "2026-03-02", categories: ["disorder"] })
        assert.deepStrictEqual(yield* store.callStore.commitImportBatch("springfield", makeBatch("cad", 2, [call])), { imported: 1, duplicates: 0 })
        assert.deepStrictEqual(
          yield* store.callAnalytics.countsByCategory("springfield", { window: { endDay: "2026-03-02", days: 1 } }),
          [{ key: "disorder", count: 1 }]
        )
      }))

    it.effect("a schema at version 3 keeps its calls when version 4 turns their jsonb documents into text", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* atVersion("third_release", 3)
        const call = makeStoredCall({
          dedupeKey: "id:cad:7",
          addressKey: "23XX 10TH AVE",
          serviceDay: "2026-03-02",
          categories: ["disorder", "nuisance"],
          districts: { beat: "3A" }
        })
        // As version 3 stored a call: its encoding as jsonb beside the columns the queries read.
        yield* sql.unsafe(
          `INSERT INTO third_release.calls (tenant_id, dedupe_key, service_day, address_key, received_at, data)
           VALUES ('springfield', $1, $2::date, $3, $4, $5::jsonb)`,
          [call.dedupeKey, call.serviceDay, "23XX 10TH AVE", DateTime.toEpochMillis(call.call.receivedAt), JSON.stringify(Schema.encodeSync(StoredCall)(call))]
        )
        const report = yield* migrate({ schema: "third_release" })
        assert.deepStrictEqual(report.applied, [{ version: 4, name: "calls stored as text, bulk imports" }])
        const [column] = yield* sql<{ data_type: string }>`
          SELECT data_type FROM information_schema.columns
          WHERE table_schema = 'third_release' AND table_name = 'calls' AND column_name = 'data'`
        assert.strictEqual(column?.data_type, "text")
        const store = yield* PostgresStore.makeWithClient({ schema: "third_release" })
        const window = { fromDay: "2026-03-01", toDay: "2026-03-31" }
        assert.deepStrictEqual(yield* store.callStore.callsAt("springfield", "23XX 10TH AVE", window), [call], "the converted call reads back as stored")
        // Stored again, it is a duplicate of the converted row.
        assert.deepStrictEqual(yield* store.callStore.commitImportBatch("springfield", makeBatch("cad", 2, [call])), { imported: 0, duplicates: 1 })
      }))
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
