/**
 * A fresh PostgreSQL database for one test file of another package (a
 * program's, the importer's). The run's global setup starts a server only
 * when the run includes the PostgreSQL adapter's own suites; a run of other
 * folders alone starts its own embedded server, stopped with the database
 * dropped after the file's tests.
 */
import { randomBytes } from "node:crypto"
import { afterAll, inject } from "vitest"
import { withConnection } from "./database.ts"
import { startEmbeddedServer } from "./embeddedServer.ts"

/** Creates a database named after `prefix` and returns its URL; call at the top level of a test file. */
export const freshPostgresDatabase = async (prefix: string): Promise<string> => {
  const injected: string | undefined = inject("postgresAdminUrl")
  const ownServer = injected === undefined ? await startEmbeddedServer({ durable: false }) : undefined
  const adminUrl = injected ?? ownServer!.adminUrl
  const databaseName = `${prefix}_${randomBytes(6).toString("hex")}`
  await withConnection(adminUrl, (sql) => sql.unsafe(`CREATE DATABASE "${databaseName}" TEMPLATE template0 ENCODING 'UTF8'`))
  afterAll(async () => {
    await withConnection(adminUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`))
    await ownServer?.stop()
  }, 120_000)
  const url = new URL(adminUrl)
  url.pathname = `/${databaseName}`
  return url.toString()
}
