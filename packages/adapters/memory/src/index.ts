/**
 * In-memory storage adapter for `@community-policing/core`: `EventStore`,
 * `ReadModelStore` and `Outbox` over one shared state.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `MemoryStore` namespace (`MemoryStore.layer`), as with Effect's driver
 * packages.
 *
 * @module
 */
export {
  type InspectableMemoryStore,
  layer,
  layerWithInspector,
  make,
  makeWithInspector,
  MemoryInspector,
  type MemoryStoreServices,
  type StoredOutboxMessage,
  type TenantSnapshot
} from "./MemoryStore.ts"

/** The in-memory adapter as one namespace: `MemoryStore.make`, `MemoryStore.layer`, and their inspectable variants. */
export * as MemoryStore from "./MemoryStore.ts"
