/**
 * The storage ports of the SDK. Adapters (memory, SQLite, PostgreSQL, a
 * vendor's records system) provide Layers for these services; the
 * conformance kit in `@community-policing/testkit` checks their contracts.
 *
 * @module
 */
export * from "./EventStore.ts"
export * from "./Outbox.ts"
export * from "./ReadModelStore.ts"
export * from "./StoreErrors.ts"
export * from "./CallAnalytics.ts"
export * from "./CallStore.ts"
export * from "./StoreLimits.ts"
export * from "./RequestChecks.ts"
export * from "./StorePorts.ts"
export * from "./Notifier.ts"
export * as StoreLimitChecks from "./StoreLimitChecks.ts"
export * as ReadModelCursor from "./ReadModelCursor.ts"
