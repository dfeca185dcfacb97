/**
 * In-memory storage adapter for `@community-policing/core`: every port
 * (`EventStore`, `ReadModelStore`, `Outbox`, `CallStore`, `CallAnalytics`)
 * over one shared state.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `MemoryStore` namespace (`MemoryStore.layer`), as with Effect's driver
 * packages.
 *
 * @module
 */
export {
  type DailyCount,
  type InspectableMemoryStore,
  layer,
  layerWithInspector,
  make,
  makeWithInspector,
  MemoryInspector,
  type MemoryPorts,
  type MemoryStoreServices,
  type StoredImport,
  type StoredOutboxMessage,
  type TenantSnapshot
} from "./MemoryStore.ts"

/** The in-memory adapter as one namespace: `MemoryStore.make`, `MemoryStore.layer`, and their inspectable variants. */
export * as MemoryStore from "./MemoryStore.ts"
