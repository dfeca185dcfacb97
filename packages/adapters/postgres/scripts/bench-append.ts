/**
 * An informal benchmark: appending 100,000 events in batches of 100 through
 * the adapter, side by side with the same rows inserted by raw @effect/sql-pg
 * statements (one `INSERT ... SELECT FROM unnest(...)` per batch, into a table
 * with the same keys) on the same server, in the same run. One writer, then
 * four writers at once. Prints a table; it is not a test.
 *
 * Usage (from the repository root):
 *   node --import tsx packages/adapters/postgres/scripts/bench-append.ts
 * With DATABASE_URL (an admin URL) it uses that server; otherwise it starts an
 * embedded PostgreSQL 18 with default durability (fsync on).
 */
import { randomBytes } from "node:crypto"
import { type AppendRequest, EventStore, type EventToAppend } from "@community-policing/core"
import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlClient } from "effect/sql"
import { PostgresStore } from "../src/index.ts"
import { startEmbeddedServer } from "../test/support/embeddedServer.ts"

const totalEvents = 100_000
const batchSize = 100
const batches = totalEvents / batchSize

const event = (tenantId: string, streamId: string, streamVersion: number): EventToAppend => ({
  tenantId,
  streamId,
  streamVersion,
  eventId: `evt-${streamId}-${streamVersion}`,
  eventType: "CallForServiceImported",
  schemaVersion: 1,
  data: { incident: `${streamId}/${streamVersion}`, district: String(streamVersion % 12), priority: 2, narrative: "loud music after 10pm, caller requests patrol check" },
  recordedAt: DateTime.makeUnsafe(Date.UTC(2026, 2, 1) + streamVersion),
  actor: "System:cad-import",
  commandId: `import-${streamId}-${streamVersion}`,
  correlationId: `import-${streamId}`,
  causationId: null,
  previousHash: "0".repeat(64),
  hash: "f".repeat(64)
})

/** The batches one writer appends: `count` batches over 100 streams of its own, versions in order. */
const plan = (tenantId: string, writer: number, count: number): ReadonlyArray<AppendRequest> =>
  Array.from({ length: count }, (_, index) => {
    const streamId = `w${writer}-s${index % 100}`
    const expectedVersion = Math.floor(index / 100) * batchSize
    return {
      tenantId,
      streamId,
      expectedVersion,
      events: Array.from({ length: batchSize }, (_, offset) => event(tenantId, streamId, expectedVersion + offset + 1))
    }
  })

const rawTable = `CREATE TABLE raw_events (
  tenant_id text COLLATE "C" NOT NULL, global_position bigint GENERATED ALWAYS AS IDENTITY,
  stream_id text COLLATE "C" NOT NULL, stream_version bigint NOT NULL, event_id text COLLATE "C" NOT NULL,
  event_type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL,
  actor text NOT NULL, command_id text NOT NULL, correlation_id text NOT NULL, causation_id text,
  previous_hash text NOT NULL, hash text NOT NULL,
  PRIMARY KEY (tenant_id, global_position), UNIQUE (tenant_id, stream_id, stream_version), UNIQUE (tenant_id, event_id))`

const rawInsert = (sql: SqlClient.SqlClient, request: AppendRequest) => {
  const column = <A>(pick: (event: EventToAppend) => A) => request.events.map(pick)
  return sql`
    INSERT INTO raw_events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, recorded_at,
      actor, command_id, correlation_id, causation_id, previous_hash, hash)
    SELECT ${request.tenantId}, ${request.streamId}, u.* FROM unnest(
      ${column((e) => e.streamVersion)}::bigint[], ${column((e) => e.eventId)}::text[], ${column((e) => e.eventType)}::text[],
      ${column((e) => e.schemaVersion)}::integer[], ${column((e) => JSON.stringify(e.data))}::jsonb[],
      ${column((e) => new Date(DateTime.toEpochMillis(e.recordedAt)))}::timestamptz[], ${column((e) => e.actor)}::text[],
      ${column((e) => e.commandId)}::text[], ${column((e) => e.correlationId)}::text[],
      ${column((e) => e.causationId ?? "")}::text[], ${column((e) => e.previousHash)}::text[], ${column((e) => e.hash)}::text[]
    ) AS u`
}

interface Row {
  readonly contender: string
  readonly writers: number
  readonly seconds: number
}

const timed = <E, R>(effect: Effect.Effect<unknown, E, R>) =>
  Effect.gen(function*() {
    const started = performance.now()
    yield* effect
    return (performance.now() - started) / 1000
  })

const runWriters = <E, R>(writers: number, write: (request: AppendRequest) => Effect.Effect<unknown, E, R>, tenantId: string) =>
  Effect.all(
    Array.from({ length: writers }, (_, writer) =>
      Effect.forEach(plan(tenantId, writer, batches / writers), write, { discard: true })),
    { concurrency: "unbounded", discard: true }
  )

const main = async () => {
  const server = process.env.DATABASE_URL === undefined ? await startEmbeddedServer({ durable: true }) : undefined
  const adminUrl = process.env.DATABASE_URL ?? server?.adminUrl ?? ""
  const name = `bench_${randomBytes(4).toString("hex")}`
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const admin = (statement: string) =>
    Effect.runPromise(Effect.scoped(Effect.flatMap(
      PgClient.makeClient({ url: Redacted.make(adminUrl) }).pipe(Effect.provideServiceEffect(Reactivity.Reactivity, Reactivity.make)),
      (sql) => sql.unsafe(statement)
    )))
  await admin(`CREATE DATABASE "${name}"`)
  const rows: Array<Row> = []
  try {
    const databaseUrl = Redacted.make(url.toString())
    for (const writers of [1, 4]) {
      const ours = await Effect.runPromise(Effect.gen(function*() {
        const store = yield* EventStore
        return yield* timed(runWriters(writers, store.append, `ours-${writers}`))
      }).pipe(Effect.provide(PostgresStore.layer({ url: databaseUrl, maxConnections: writers, migrate: true }))))
      rows.push({ contender: "adapter-postgres append", writers, seconds: ours })
      const raw = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const sql = yield* PgClient.make({ url: databaseUrl, maxConnections: writers })
        yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ${rawTable.slice("CREATE TABLE ".length)}`)
        return yield* timed(runWriters(writers, (request) => rawInsert(sql, request), `raw-${writers}`))
      })).pipe(Effect.provideServiceEffect(Reactivity.Reactivity, Reactivity.make)))
      rows.push({ contender: "raw @effect/sql-pg unnest insert", writers, seconds: raw })
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await server?.stop()
  }
  console.log(`${totalEvents} events in batches of ${batchSize} (${batches} appends), ${server === undefined ? "DATABASE_URL server" : "embedded PostgreSQL 18, fsync on"}`)
  console.log("contender                          writers  seconds   events/s  ms/batch")
  for (const row of rows) {
    console.log(
      `${row.contender.padEnd(34)} ${String(row.writers).padStart(7)} ${row.seconds.toFixed(2).padStart(8)} ${
        Math.round(totalEvents / row.seconds).toString().padStart(10)
      } ${((row.seconds * 1000) / batches * row.writers).toFixed(2).padStart(9)}`
    )
  }
}

await main()
