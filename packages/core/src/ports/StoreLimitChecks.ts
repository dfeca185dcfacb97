/**
 * The store-limit clauses of the port contracts that do not depend on the
 * database, as one wrapper per port: an adapter builds its services, wraps
 * them here, and every operation then refuses a tenant id that cannot be
 * one (see `tenantIdRefusal` in `StoreLimits`), and the event store and
 * read model store refuse writes whose keys break the limits, before the
 * adapter sees them; a read by such a key finds nothing. One
 * implementation, so the memory, SQLite and PostgreSQL adapters, and a
 * vendor's, refuse the same requests with the same words. The wrappers also
 * run the request checks of `RequestChecks` (malformed appends, queries and
 * commits, reads' limits, cursors, call filters, places), so an adapter
 * wrapped here checks none of those itself. (The call store checks a
 * batch's calls and quarantined rows itself, after it has read the import's
 * progress, with `storedCallProblem` and `quarantinedRowsProblem`.)
 *
 * @example
 * ```ts
 * const eventStore = StoreLimitChecks.eventStore(makeMyEventStore(connection))
 * const services = StoreLimitChecks.store(makeMyServices(connection)) // all five ports
 * ```
 *
 * @module
 */
import { Effect, Option } from "effect"
import type { CallAnalytics } from "./CallAnalytics.ts"
import type { CallStore } from "./CallStore.ts"
import type { EventStore } from "./EventStore.ts"
import { maxSettlements, type Outbox } from "./Outbox.ts"
import type { ReadModelStore } from "./ReadModelStore.ts"
import type { AppendRequest } from "./EventStore.ts"
import type { ProjectionCommit } from "./ReadModelStore.ts"
import { importBatchProblem } from "./CallStore.ts"
import {
  appendRequestProblem,
  callsAtWindowProblem,
  claimProblem,
  concentrationProblem,
  countsByAreaProblem,
  deadLettersProblem,
  projectionCommitProblem,
  quarantinedPageProblem,
  readAllProblem,
  readModelQueryProblem,
  repeatLocationsProblem,
  upsertPlacesProblem
} from "./RequestChecks.ts"
import { callFilterProblem } from "./CallAnalytics.ts"
import { InvalidStoreRequest } from "./StoreErrors.ts"
import type { StoreServices } from "./StorePorts.ts"
import { namedKeyProblem, tenantIdRefusal } from "./StoreLimits.ts"

/** `run()`, unless the tenant id is refused: then the refusal, before anything runs. */
const checked = <A, E, R>(operation: string, tenantId: unknown, run: () => Effect.Effect<A, E, R>) => {
  const refused = tenantIdRefusal(operation, tenantId)
  return refused === undefined ? run() : Effect.fail(refused)
}

/** Whether a value is a key a write could have stored (a string within the limits). */
const isStorableKey = (value: unknown): boolean => namedKeyProblem("key", value) === undefined

const isArray = (value: unknown): value is ReadonlyArray<unknown> => Array.isArray(value)

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Readonly<Record<string, unknown>>)[name] : undefined

/**
 * Why an append's keys break the store limits, naming them, or `undefined`:
 * the stream id, the idempotency key (when given), each event's id, each
 * outbox message's id and topic. Other malformations are the adapter's to
 * report (an empty batch, a mismatched stream).
 */
export const appendKeysProblem = (request: AppendRequest): string | undefined => {
  const stream = namedKeyProblem("streamId", request.streamId)
  if (stream !== undefined) return stream
  if (request.idempotencyKey !== undefined) {
    const key = namedKeyProblem("idempotencyKey", request.idempotencyKey)
    if (key !== undefined) return key
  }
  for (const [index, event] of (isArray(request.events) ? request.events : []).entries()) {
    const problem = namedKeyProblem("eventId", field(event, "eventId"))
    if (problem !== undefined) return `event ${index}: ${problem}`
  }
  for (const [index, message] of (isArray(request.outbox) ? request.outbox : []).entries()) {
    const problem = namedKeyProblem("id", field(message, "id")) ?? namedKeyProblem("topic", field(message, "topic"))
    if (problem !== undefined) return `outbox message ${index}: ${problem}`
  }
  return undefined
}

/**
 * Why a projection commit's keys break the store limits, naming them, or
 * `undefined`: the projection, each upserted or deleted document's
 * collection and id, and the names of indexed fields.
 */
export const commitKeysProblem = (commit: ProjectionCommit): string | undefined => {
  const projection = namedKeyProblem("projection", commit.projection)
  if (projection !== undefined) return projection
  for (const [index, document] of (isArray(commit.upserts) ? commit.upserts : []).entries()) {
    const problem = namedKeyProblem("collection", field(document, "collection")) ?? namedKeyProblem("id", field(document, "id"))
    if (problem !== undefined) return `upsert ${index}: ${problem}`
    const indexed = field(document, "indexed")
    if (typeof indexed === "object" && indexed !== null) {
      for (const name of Object.keys(indexed)) {
        const fieldProblem = namedKeyProblem("an indexed field name", name)
        if (fieldProblem !== undefined) return `upsert ${index}: ${fieldProblem}`
      }
    }
  }
  for (const [index, key] of (isArray(commit.deletes) ? commit.deletes : []).entries()) {
    const problem = namedKeyProblem("collection", field(key, "collection")) ?? namedKeyProblem("id", field(key, "id"))
    if (problem !== undefined) return `delete ${index}: ${problem}`
  }
  return undefined
}

/** `run()`, unless `problem` says the request breaks the limits: then an `InvalidStoreRequest`. */
const withinLimits = <A, E, R>(operation: string, problem: string | undefined, run: () => Effect.Effect<A, E, R>) =>
  problem === undefined ? run() : Effect.fail(new InvalidStoreRequest({ operation, reason: problem }))

const tenantOf = (value: unknown): unknown =>
  typeof value === "object" && value !== null && "tenantId" in value ? value.tenantId : undefined

/**
 * An event store whose operations refuse an invalid tenant id, whose
 * appends refuse keys beyond the limits ({@link appendKeysProblem}) and
 * malformed batches (`appendRequestProblem`), and whose `readAll` refuses
 * a malformed page (`readAllProblem`); a read by such a key finds nothing.
 */
export const eventStore = (store: EventStore["Service"]): EventStore["Service"] => ({
  append: (request) =>
    checked("EventStore.append", tenantOf(request), () =>
      withinLimits("EventStore.append", appendKeysProblem(request) ?? appendRequestProblem(request), () => store.append(request))),
  readStream: (tenantId, streamId, fromVersion) =>
    checked("EventStore.readStream", tenantId, () =>
      isStorableKey(streamId) ? store.readStream(tenantId, streamId, fromVersion) : Effect.succeed([])),
  readAll: (options) =>
    checked("EventStore.readAll", tenantOf(options), () =>
      withinLimits("EventStore.readAll", readAllProblem(options), () => store.readAll(options))),
  findByIdempotencyKey: (tenantId, key) =>
    checked("EventStore.findByIdempotencyKey", tenantId, () =>
      isStorableKey(key) ? store.findByIdempotencyKey(tenantId, key) : Effect.succeed(Option.none()))
})

/**
 * A read model store whose operations refuse an invalid tenant id, whose
 * queries refuse malformed requests (`readModelQueryProblem`), and whose
 * commits refuse keys beyond the limits ({@link commitKeysProblem}) and
 * malformed commits (`projectionCommitProblem`); a read by such a key finds
 * nothing.
 */
export const readModelStore = (store: ReadModelStore["Service"]): ReadModelStore["Service"] => ({
  get: (tenantId, collection, id) =>
    checked("ReadModelStore.get", tenantId, () =>
      isStorableKey(collection) && isStorableKey(id) ? store.get(tenantId, collection, id) : Effect.succeed(Option.none())),
  query: (tenantId, query) =>
    checked("ReadModelStore.query", tenantId, () =>
      withinLimits("ReadModelStore.query", readModelQueryProblem(query), () => store.query(tenantId, query))),
  commit: (tenantId, commit) =>
    checked("ReadModelStore.commit", tenantId, () =>
      withinLimits(
        "ReadModelStore.commit",
        commitKeysProblem(commit) ?? projectionCommitProblem(commit),
        () => store.commit(tenantId, commit)
      )),
  checkpoint: (tenantId, projection) =>
    checked("ReadModelStore.checkpoint", tenantId, () =>
      isStorableKey(projection) ? store.checkpoint(tenantId, projection) : Effect.succeed(0))
})

/**
 * An outbox whose operations refuse an invalid tenant id (a lease's,
 * `claim`'s filter when given, any of `settle`'s, `get`'s, `deadLetters`', `requeue`'s), and whose `claim`
 * and `deadLetters` refuse malformed requests (`claimProblem`,
 * `deadLettersProblem`).
 */
export const outbox = (store: Outbox["Service"]): Outbox["Service"] => ({
  claim: (options) => {
    const claim = () => withinLimits("Outbox.claim", claimProblem(options), () => store.claim(options))
    return options === null || typeof options !== "object" || options.tenantId === undefined
      ? claim()
      : checked("Outbox.claim", options.tenantId, claim)
  },
  ack: (lease, details) => checked("Outbox.ack", tenantOf(lease), () => store.ack(lease, details)),
  fail: (lease, failure) => checked("Outbox.fail", tenantOf(lease), () => store.fail(lease, failure)),
  settle: (settlements) => {
    if (!Array.isArray(settlements) || settlements.length > maxSettlements) {
      return Effect.fail(
        new InvalidStoreRequest({ operation: "Outbox.settle", reason: `settlements must be an array of at most ${maxSettlements}` })
      )
    }
    for (const settlement of settlements) {
      const refused = tenantIdRefusal("Outbox.settle", tenantOf(typeof settlement === "object" && settlement !== null ? settlement.lease : undefined))
      if (refused !== undefined) return Effect.fail(refused)
    }
    return store.settle(settlements)
  },
  get: (tenantId, messageId) => checked("Outbox.get", tenantId, () => store.get(tenantId, messageId)),
  deadLetters: (tenantId, limit) =>
    checked("Outbox.deadLetters", tenantId, () =>
      withinLimits("Outbox.deadLetters", deadLettersProblem(limit), () => store.deadLetters(tenantId, limit))),
  requeue: (tenantId, messageId) => checked("Outbox.requeue", tenantId, () => store.requeue(tenantId, messageId))
})

/**
 * A call store whose operations refuse an invalid tenant id, and refuse
 * malformed requests before the adapter sees them: a batch's import id,
 * rows and arrays (`importBatchProblem`; its calls and quarantined rows
 * are checked by the adapter after it has read the import's progress), a
 * quarantined page (`quarantinedPageProblem`), a `callsAt` window
 * (`callsAtWindowProblem`), places (`upsertPlacesProblem`).
 */
export const callStore = (store: CallStore["Service"]): CallStore["Service"] => ({
  commitImportBatch: (tenantId, batch) =>
    checked("CallStore.commitImportBatch", tenantId, () =>
      withinLimits("CallStore.commitImportBatch", importBatchProblem(batch), () => store.commitImportBatch(tenantId, batch))),
  importProgress: (tenantId, importId) => checked("CallStore.importProgress", tenantId, () => store.importProgress(tenantId, importId)),
  quarantined: (tenantId, importId, options) =>
    checked("CallStore.quarantined", tenantId, () =>
      withinLimits("CallStore.quarantined", quarantinedPageProblem(options), () => store.quarantined(tenantId, importId, options))),
  callsAt: (tenantId, addressKey, window) =>
    checked("CallStore.callsAt", tenantId, () =>
      withinLimits("CallStore.callsAt", callsAtWindowProblem(window), () => store.callsAt(tenantId, addressKey, window))),
  upsertPlaces: (tenantId, places) =>
    checked("CallStore.upsertPlaces", tenantId, () =>
      withinLimits("CallStore.upsertPlaces", upsertPlacesProblem(places), () => store.upsertPlaces(tenantId, places))),
  place: (tenantId, addressKey) => checked("CallStore.place", tenantId, () => store.place(tenantId, addressKey)),
  beginBulkImport: (tenantId, importId) =>
    checked("CallStore.beginBulkImport", tenantId, () =>
      withinLimits("CallStore.beginBulkImport", namedKeyProblem("importId", importId), () => store.beginBulkImport(tenantId, importId))),
  finishBulkImport: (tenantId, importId) =>
    checked("CallStore.finishBulkImport", tenantId, () =>
      withinLimits("CallStore.finishBulkImport", namedKeyProblem("importId", importId), () => store.finishBulkImport(tenantId, importId)))
})

/**
 * Call analytics whose operations refuse an invalid tenant id and a
 * malformed filter (`callFilterProblem`, and `repeatLocationsProblem`,
 * `countsByAreaProblem`, `concentrationProblem` for their own fields).
 */
export const callAnalytics = (store: CallAnalytics["Service"]): CallAnalytics["Service"] => ({
  repeatLocations: (tenantId, filter) =>
    checked("CallAnalytics.repeatLocations", tenantId, () =>
      withinLimits("CallAnalytics.repeatLocations", repeatLocationsProblem(filter), () => store.repeatLocations(tenantId, filter))),
  countsByArea: (tenantId, filter) =>
    checked("CallAnalytics.countsByArea", tenantId, () =>
      withinLimits("CallAnalytics.countsByArea", countsByAreaProblem(filter), () => store.countsByArea(tenantId, filter))),
  countsByCategory: (tenantId, filter) =>
    checked("CallAnalytics.countsByCategory", tenantId, () =>
      withinLimits("CallAnalytics.countsByCategory", callFilterProblem(filter), () => store.countsByCategory(tenantId, filter))),
  concentration: (tenantId, filter) =>
    checked("CallAnalytics.concentration", tenantId, () =>
      withinLimits("CallAnalytics.concentration", concentrationProblem(filter), () => store.concentration(tenantId, filter)))
})

/**
 * Every service of a store wrapped by its port's checks above: what an
 * adapter (memory, SQLite, PostgreSQL, a vendor's) provides, so each
 * refuses the same requests in the same words without checking them itself.
 */
export const store = <S extends StoreServices>(services: S): S => ({
  ...services,
  eventStore: eventStore(services.eventStore),
  readModelStore: readModelStore(services.readModelStore),
  outbox: outbox(services.outbox),
  callStore: callStore(services.callStore),
  callAnalytics: callAnalytics(services.callAnalytics)
})
