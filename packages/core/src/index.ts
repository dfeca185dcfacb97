/**
 * The Community Policing SDK core.
 *
 * The root holds the shared layers flat, one of each, so their names never
 * collide: the kernel (jurisdictions, places, calls for service, staff,
 * deadlines), calls (categories and code tables), the event-sourced engine
 * (deciders, command handling, audit chain, access control, redaction) and
 * the storage ports that adapters implement, and notifications (rules as
 * data, the recipient directory, templates, the rules reactor and the
 * renderer). Each program is a namespace,
 * so two programs may both have a `CaseOpened`:
 *
 * ```ts
 * import { handleCommand, sacramento, JusticeForNeighbors } from "@community-policing/core"
 *
 * const program = JusticeForNeighbors.justiceForNeighbors(sacramento)
 * ```
 *
 * Every layer and program is also its own subpath, for a narrow import:
 * `@community-policing/core/kernel`, `/calls`, `/engine`, `/ports`,
 * `/notifications`, `/justice-for-neighbors` and `/commission`.
 *
 * @module
 */
export * from "./calls/index.ts"
export * from "./engine/index.ts"
export * from "./kernel/index.ts"
export * from "./notifications/index.ts"
export * from "./ports/index.ts"
export * from "./PublishedSchemas.ts"
export * as JusticeForNeighbors from "./justice-for-neighbors/index.ts"
export * as Commission from "./commission/index.ts"
