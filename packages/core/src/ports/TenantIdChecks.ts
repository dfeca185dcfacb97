/**
 * The tenant-id clause of every port contract, as one wrapper per port: an
 * adapter builds its services, wraps them here, and every operation then
 * refuses a tenant id that cannot be one (see `tenantIdRefusal` in
 * `StoreLimits`) before the adapter sees it. One implementation, so the
 * memory, SQLite and PostgreSQL adapters, and a vendor's, refuse the same
 * requests with the same words.
 *
 * @example
 * ```ts
 * const eventStore = TenantIdChecks.eventStore(makeMyEventStore(connection))
 * ```
 *
 * @module
 */
import { Effect } from "effect"
import type { CallAnalytics } from "./CallAnalytics.ts"
import type { CallStore } from "./CallStore.ts"
import type { EventStore } from "./EventStore.ts"
import type { Outbox } from "./Outbox.ts"
import type { ReadModelStore } from "./ReadModelStore.ts"
import { tenantIdProblem, tenantIdRefusal } from "./StoreLimits.ts"

/** `run()`, unless the tenant id is refused: then the refusal, before anything runs. */
const checked = <A, E, R>(operation: string, tenantId: unknown, run: () => Effect.Effect<A, E, R>) => {
  const refused = tenantIdRefusal(operation, tenantId)
  return refused === undefined ? run() : Effect.fail(refused)
}

const tenantOf = (value: unknown): unknown =>
  typeof value === "object" && value !== null && "tenantId" in value ? value.tenantId : undefined

/**
 * An event store whose operations refuse an invalid tenant id. `readStream`
 * (whose error channel is `StorageFailure` alone) answers such a tenant
 * with no events instead: nothing can have been stored under it.
 */
export const eventStore = (store: EventStore["Service"]): EventStore["Service"] => ({
  append: (request) => checked("EventStore.append", tenantOf(request), () => store.append(request)),
  readStream: (tenantId, streamId, fromVersion) =>
    typeof tenantId !== "string" || tenantIdProblem(tenantId) !== undefined
      ? Effect.succeed([])
      : store.readStream(tenantId, streamId, fromVersion),
  readAll: (options) => checked("EventStore.readAll", tenantOf(options), () => store.readAll(options)),
  findByIdempotencyKey: (tenantId, key) =>
    checked("EventStore.findByIdempotencyKey", tenantId, () => store.findByIdempotencyKey(tenantId, key))
})

/** A read model store whose operations refuse an invalid tenant id. */
export const readModelStore = (store: ReadModelStore["Service"]): ReadModelStore["Service"] => ({
  get: (tenantId, collection, id) => checked("ReadModelStore.get", tenantId, () => store.get(tenantId, collection, id)),
  query: (tenantId, query) => checked("ReadModelStore.query", tenantId, () => store.query(tenantId, query)),
  commit: (tenantId, commit) => checked("ReadModelStore.commit", tenantId, () => store.commit(tenantId, commit)),
  checkpoint: (tenantId, projection) => checked("ReadModelStore.checkpoint", tenantId, () => store.checkpoint(tenantId, projection))
})

/** An outbox whose operations refuse an invalid tenant id: a lease's, `claim`'s filter (when given), `get`'s, `deadLetters`'. */
export const outbox = (store: Outbox["Service"]): Outbox["Service"] => ({
  claim: (options) =>
    options === null || typeof options !== "object" || options.tenantId === undefined
      ? store.claim(options)
      : checked("Outbox.claim", options.tenantId, () => store.claim(options)),
  ack: (lease) => checked("Outbox.ack", tenantOf(lease), () => store.ack(lease)),
  fail: (lease, failure) => checked("Outbox.fail", tenantOf(lease), () => store.fail(lease, failure)),
  get: (tenantId, messageId) => checked("Outbox.get", tenantId, () => store.get(tenantId, messageId)),
  deadLetters: (tenantId, limit) => checked("Outbox.deadLetters", tenantId, () => store.deadLetters(tenantId, limit))
})

/** A call store whose operations refuse an invalid tenant id. */
export const callStore = (store: CallStore["Service"]): CallStore["Service"] => ({
  commitImportBatch: (tenantId, batch) =>
    checked("CallStore.commitImportBatch", tenantId, () => store.commitImportBatch(tenantId, batch)),
  importProgress: (tenantId, importId) => checked("CallStore.importProgress", tenantId, () => store.importProgress(tenantId, importId)),
  quarantined: (tenantId, importId, options) =>
    checked("CallStore.quarantined", tenantId, () => store.quarantined(tenantId, importId, options)),
  callsAt: (tenantId, addressKey, window) => checked("CallStore.callsAt", tenantId, () => store.callsAt(tenantId, addressKey, window)),
  upsertPlaces: (tenantId, places) => checked("CallStore.upsertPlaces", tenantId, () => store.upsertPlaces(tenantId, places)),
  place: (tenantId, addressKey) => checked("CallStore.place", tenantId, () => store.place(tenantId, addressKey))
})

/** Call analytics whose operations refuse an invalid tenant id. */
export const callAnalytics = (store: CallAnalytics["Service"]): CallAnalytics["Service"] => ({
  repeatLocations: (tenantId, filter) =>
    checked("CallAnalytics.repeatLocations", tenantId, () => store.repeatLocations(tenantId, filter)),
  countsByArea: (tenantId, filter) => checked("CallAnalytics.countsByArea", tenantId, () => store.countsByArea(tenantId, filter)),
  countsByCategory: (tenantId, filter) =>
    checked("CallAnalytics.countsByCategory", tenantId, () => store.countsByCategory(tenantId, filter)),
  concentration: (tenantId, filter) => checked("CallAnalytics.concentration", tenantId, () => store.concentration(tenantId, filter))
})
