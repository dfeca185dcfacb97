/**
 * The Community Policing SDK core: the shared kernel (jurisdictions, places,
 * calls for service, staff, deadlines), the event-sourced engine (deciders,
 * command handling, audit chain, access control, redaction) and the storage
 * ports that adapters implement.
 *
 * @module
 */
export * from "./calls/index.ts"
export * from "./engine/index.ts"
export * from "./justice-for-neighbors/index.ts"
export * from "./kernel/index.ts"
export * from "./ports/index.ts"
export * from "./PublishedSchemas.ts"
