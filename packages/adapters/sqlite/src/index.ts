/**
 * SQLite storage adapter for `@community-policing/core`: `EventStore`,
 * `ReadModelStore`, `Outbox`, `CallStore` and `CallAnalytics` over one
 * database file through better-sqlite3. The embedded default: one file, no
 * server.
 *
 * @module
 */
export {
  defaults,
  layer,
  layerConfig,
  make,
  SqliteStore,
  type SqlitePorts,
  type SqliteStoreOptions,
  type Synchronous
} from "./SqliteStore.ts"

export { latestSchemaVersion, migrate, type Migration, migrations, requireLatestSchema, schemaVersion } from "./Migrations.ts"

/** What `migrate` did; the same type from every adapter package. */
export type { MigrationReport } from "@community-policing/core"
