/**
 * PostgreSQL storage adapter for `@community-policing/core`: `EventStore`,
 * `ReadModelStore`, `Outbox`, `CallStore` and `CallAnalytics` over
 * `@effect/sql-pg`, with versioned migrations, a global order that never
 * skips a late commit, call analytics aggregated in SQL from incrementally
 * kept daily counts, and tenant ids leading every key so a multi-city
 * deployment can shard by jurisdiction.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `PostgresStore` namespace (`PostgresStore.layer`), as with Effect's driver
 * packages.
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
  type PostgresStoreOptions,
  type PostgresStoreServices
} from "./PostgresStore.ts"

export { latestVersion, migrate, type Migration, type MigrationReport, migrations, schemaVersion } from "./Migrations.ts"

export {
  defaultSchema,
  InvalidPostgresConfig,
  type PostgresStoreConfig,
  validateSchemaName
} from "./PostgresStoreConfig.ts"

/** The PostgreSQL adapter as one namespace: `PostgresStore.make`, `PostgresStore.layer`, `PostgresStore.layerConfig`, ... */
export * as PostgresStore from "./PostgresStore.ts"
