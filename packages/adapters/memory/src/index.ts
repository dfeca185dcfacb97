/**
 * In-memory storage adapter for `@community-policing/core`: every port
 * (`EventStore`, `ReadModelStore`, `Outbox`, `CallStore`, `CallAnalytics`)
 * over one shared state.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `MemoryStore` tag (`MemoryStore.layer()`), as with Effect's driver
 * packages; every adapter package has the same shape.
 *
 * @module
 */
export {
  type DailyCount,
  type InspectableMemoryStore,
  latestSchemaVersion,
  layer,
  layerConfig,
  layerWithInspector,
  make,
  makeWithInspector,
  MemoryInspector,
  migrate,
  type MemoryPorts,
  MemoryStore,
  type MemoryStoreOptions,
  type MemoryStoreServices,
  type StoredImport,
  type StoredOutboxMessage,
  type TenantSnapshot
} from "./MemoryStore.ts"

/** What `migrate` did; the same type from every adapter package. */
export type { MigrationReport } from "@community-policing/core"
