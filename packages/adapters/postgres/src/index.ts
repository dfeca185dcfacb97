/**
 * PostgreSQL storage adapter for `@community-policing/core`: `EventStore`,
 * `ReadModelStore`, `Outbox`, `CallStore` and `CallAnalytics` over
 * `@effect/sql-pg`, with versioned migrations, a global order that never
 * skips a late commit, call analytics aggregated in SQL from incrementally
 * kept daily counts, and tenant ids leading every key so a multi-city
 * deployment can shard by jurisdiction.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `PostgresStore` tag (`PostgresStore.layer`), as with Effect's driver
 * packages; every adapter package has the same shape.
 *
 * @module
 */
export {
  layer,
  layerConfig,
  layerWithClient,
  make,
  makeWithClient,
  type PostgresPorts,
  PostgresStore,
  type PostgresStoreOptions,
  type PostgresStoreServices
} from "./PostgresStore.ts"

export { latestSchemaVersion, migrate, type Migration, migrations, schemaVersion } from "./Migrations.ts"

/** What `migrate` did; the same type from every adapter package. */
export type { MigrationReport } from "@community-policing/core"

export {
  defaultCopyImportMinCalls,
  defaultSchema,
  InvalidPostgresConfig,
  type PostgresStoreConfig,
  validateCopyImportMinCalls,
  validateSchemaName
} from "./PostgresStoreConfig.ts"
