/**
 * The request checks of the port contracts that do not depend on the
 * database: whether an append, a read model query or a projection commit is
 * well-formed. `StoreLimitChecks.eventStore` and
 * `StoreLimitChecks.readModelStore` run them before the adapter sees the
 * request, so every adapter (memory, SQLite, PostgreSQL, a vendor's) refuses
 * the same malformed requests with the same `InvalidStoreRequest` reasons,
 * and an adapter wrapped there need not check them again. What stays with
 * an adapter is what its storage alone decides: whether data is JSON it can
 * hold, whether an id is already stored, its own query-size limits.
 *
 * @example
 * ```ts
 * const problem = readModelQueryProblem({ collection: "open-cases", limit: 0 })
 * // => "limit must be a whole number from 1 to 1000, got 0"
 * ```
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import type { AreaKind, CallFilter } from "./CallAnalytics.ts"
import { callFilterProblem, serviceDayProblem } from "./CallAnalytics.ts"
import { Place } from "../kernel/Place.ts"
import { placeProblem, QuarantinedRow, quarantinedRowProblem } from "./CallStore.ts"
import type { AppendRequest, ReadAllOptions } from "./EventStore.ts"
import type { ClaimOptions } from "./Outbox.ts"
import * as ReadModelCursor from "./ReadModelCursor.ts"
import type { DocumentKey, IndexValue, ProjectionCommit, ReadModelQuery } from "./ReadModelStore.ts"

const isWholeNumber = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value)

const isNonEmptyString = (value: unknown): value is string => typeof value === "string" && value.length > 0

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null

/** Whether a value is an {@link IndexValue}: null, a boolean, a string or a finite number. */
export const isIndexValue = (value: unknown): value is IndexValue =>
  value === null || typeof value === "string" || typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value))

/** Why an event's envelope is malformed (a field of the wrong type, an empty type tag), or `undefined`. */
const envelopeProblem = (event: Readonly<Record<string, unknown>>, index: number): string | undefined => {
  if (!isNonEmptyString(event["eventId"])) return `event ${index} needs a non-empty eventId`
  if (!isNonEmptyString(event["eventType"])) return `event ${index} needs a non-empty eventType`
  if (!isWholeNumber(event["schemaVersion"])) return `event ${index} needs a whole-number schemaVersion`
  if (!DateTime.isDateTime(event["recordedAt"])) return `event ${index} needs recordedAt as a DateTime`
  if (typeof event["actor"] !== "string" || typeof event["commandId"] !== "string" || typeof event["correlationId"] !== "string") {
    return `event ${index} needs string actor, commandId and correlationId`
  }
  if (event["causationId"] !== null && typeof event["causationId"] !== "string") {
    return `event ${index} needs causationId as a string or null`
  }
  if (typeof event["previousHash"] !== "string" || typeof event["hash"] !== "string") return `event ${index} needs string hashes`
  return undefined
}

/**
 * Why an append is malformed, or `undefined` when it is well-formed: the
 * "well-formed batches" clause of the `EventStore` contract. It refuses a
 * non-whole or negative `expectedVersion`, an idempotency key that is not a
 * string, an empty batch, an event of another tenant or stream, stream
 * versions other than `expectedVersion + 1, + 2, ...`, an envelope field of
 * the wrong type (`eventType` empty, `schemaVersion` not whole, `recordedAt`
 * not a `DateTime`, ...), an event id twice in the batch, and outbox
 * messages without an id or topic, with `maxAttempts` below 1, or with an id
 * twice. `StoreLimitChecks.eventStore` turns the reason into an
 * `InvalidStoreRequest` for `EventStore.append`. The keys' limits are
 * `appendKeysProblem`'s; whether the data is JSON is the adapter's.
 */
export const appendRequestProblem = (request: AppendRequest): string | undefined => {
  if (!isWholeNumber(request.expectedVersion) || request.expectedVersion < 0) {
    return `expectedVersion must be a whole number >= 0, got ${request.expectedVersion}`
  }
  if (request.idempotencyKey !== undefined && typeof request.idempotencyKey !== "string") {
    return "idempotencyKey must be a string when given"
  }
  if (!Array.isArray(request.events) || request.events.length === 0) return "a batch needs at least one event"
  const ids = new Set<unknown>()
  for (const [index, event] of (request.events as ReadonlyArray<unknown>).entries()) {
    if (!isRecord(event)) return `event ${index} is not an event`
    if (event["tenantId"] !== request.tenantId) return `event ${index} belongs to another tenant`
    if (event["streamId"] !== request.streamId) return `event ${index} belongs to another stream`
    const expected = request.expectedVersion + index + 1
    if (event["streamVersion"] !== expected) {
      return `event ${index} has streamVersion ${event["streamVersion"]}, expected ${expected}`
    }
    const problem = envelopeProblem(event, index)
    if (problem !== undefined) return problem
    if (ids.has(event["eventId"])) return `event id ${JSON.stringify(event["eventId"])} appears twice in the batch`
    ids.add(event["eventId"])
  }
  const messages: unknown = request.outbox ?? []
  if (!Array.isArray(messages)) return "outbox must be an array"
  const messageIds = new Set<unknown>()
  for (const message of messages as ReadonlyArray<unknown>) {
    if (!isRecord(message) || !isNonEmptyString(message["id"])) return "an outbox message needs a non-empty id"
    const id = JSON.stringify(message["id"])
    if (typeof message["topic"] !== "string") return `outbox message ${id} needs a topic`
    if (!isWholeNumber(message["maxAttempts"]) || message["maxAttempts"] < 1) return `outbox message ${id} needs maxAttempts >= 1`
    if (messageIds.has(message["id"])) return `outbox message id ${id} appears twice in the batch`
    messageIds.add(message["id"])
  }
  return undefined
}

/**
 * Why a read model query is malformed, or `undefined` when it is
 * well-formed: the query clauses of the `ReadModelStore` contract. It
 * refuses a `limit` that is not a whole number from 1 to 1,000, a
 * collection that is not a string, `where` conditions without a field name
 * or an {@link IndexValue}, a range without a field name or with bounds
 * that are not strings or finite numbers or differ in type, and an
 * `orderBy` without a field name or with a direction other than `"asc"` or
 * `"desc"`. `StoreLimitChecks.readModelStore` turns the reason into an
 * `InvalidStoreRequest` for `ReadModelStore.query`. A cursor must be a
 * `nextCursor` of the same order (`ReadModelCursor.problem`): every adapter
 * writes its cursors with `ReadModelCursor.next`.
 */
export const readModelQueryProblem = (query: ReadModelQuery): string | undefined => {
  if (!isWholeNumber(query.limit) || query.limit < 1 || query.limit > 1000) {
    return `limit must be a whole number from 1 to 1000, got ${query.limit}`
  }
  if (typeof query.collection !== "string") return "collection must be a string"
  const where: unknown = query.where ?? []
  if (!Array.isArray(where)) return "where must be an array"
  for (const condition of where as ReadonlyArray<unknown>) {
    if (!isRecord(condition) || typeof condition["field"] !== "string") return "a where condition needs a field name"
    if (!isIndexValue(condition["equals"])) return `where ${JSON.stringify(condition["field"])} needs an index value`
  }
  const range = query.range
  if (range !== undefined) {
    if (!isRecord(range) || typeof range.field !== "string") return "range needs a field name"
    for (const bound of [range.from, range.to]) {
      if (bound !== undefined && typeof bound !== "string" && !(typeof bound === "number" && Number.isFinite(bound))) {
        return "range bounds must be strings or finite numbers"
      }
    }
    if (range.from !== undefined && range.to !== undefined && typeof range.from !== typeof range.to) {
      return "range bounds must have the same type"
    }
  }
  if (query.orderBy !== undefined) {
    if (!isRecord(query.orderBy) || typeof query.orderBy.field !== "string") return "orderBy needs a field name"
    if (query.orderBy.direction !== "asc" && query.orderBy.direction !== "desc") {
      return `orderBy.direction must be "asc" or "desc"`
    }
  }
  return ReadModelCursor.problem(query)
}

/**
 * Why a projection commit is malformed, or `undefined` when it is
 * well-formed: the commit clauses of the `ReadModelStore` contract. It
 * refuses checkpoints that are not whole numbers >= 0, a projection that is
 * not a string, upserts or deletes that are not arrays, a document without
 * a string collection and id or without an `indexed` record, an indexed
 * value that is not an {@link IndexValue}, and a document touched twice in
 * one commit (the order of upserts against deletes is not part of the
 * contract, so that would be ambiguous). `StoreLimitChecks.readModelStore`
 * turns the reason into an `InvalidStoreRequest` for
 * `ReadModelStore.commit`. The keys' limits are `commitKeysProblem`'s;
 * whether the data is JSON is the adapter's.
 */
export const projectionCommitProblem = (commit: ProjectionCommit): string | undefined => {
  if (typeof commit.projection !== "string") return "projection must be a string"
  if (!isWholeNumber(commit.expectedCheckpoint) || commit.expectedCheckpoint < 0) {
    return `expectedCheckpoint must be a whole number >= 0, got ${commit.expectedCheckpoint}`
  }
  if (!isWholeNumber(commit.checkpoint) || commit.checkpoint < 0) {
    return `checkpoint must be a whole number >= 0, got ${commit.checkpoint}`
  }
  if (!Array.isArray(commit.upserts) || !Array.isArray(commit.deletes)) return "upserts and deletes must be arrays"
  const keys = new Set<string>()
  const touch = (key: DocumentKey): string | undefined => {
    if (!isRecord(key) || typeof key.collection !== "string" || typeof key.id !== "string") {
      return "a document needs a string collection and id"
    }
    const joined = JSON.stringify([key.collection, key.id])
    if (keys.has(joined)) return `document ${joined} appears more than once in the commit`
    keys.add(joined)
    return undefined
  }
  for (const document of commit.upserts) {
    const problem = touch(document)
    if (problem !== undefined) return problem
    if (!isRecord(document.indexed)) return `document ${JSON.stringify(document.id)} needs an indexed record`
    for (const [field, value] of Object.entries(document.indexed)) {
      if (!isIndexValue(value)) return `indexed field ${JSON.stringify(field)} of ${JSON.stringify(document.id)} is not an index value`
    }
  }
  for (const key of commit.deletes) {
    const problem = touch(key)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Why `value` is not a whole number from `min` to `max`, naming it, or `undefined`. */
const wholeBetween = (name: string, value: unknown, min: number, max: number): string | undefined =>
  isWholeNumber(value) && value >= min && value <= max ? undefined : `${name} must be a whole number from ${min} to ${max}, got ${value}`

/** Why `value` is not a whole number of at least `min`, naming it, or `undefined`. */
const wholeAtLeast = (name: string, value: unknown, min: number): string | undefined =>
  isWholeNumber(value) && value >= min ? undefined : `${name} must be a whole number >= ${min}, got ${value}`

const numberProblem = (name: string, value: unknown): string | undefined =>
  typeof value === "number" && !Number.isNaN(value) ? undefined : `${name} must be a number, got ${value}`

/**
 * Why an `EventStore.readAll` request is malformed, or `undefined`: a
 * `limit` that is not a whole number from 1 to 10,000, an `after` that is
 * not a number.
 */
export const readAllProblem = (options: ReadAllOptions): string | undefined =>
  wholeBetween("limit", options.limit, 1, 10_000) ?? numberProblem("after", options.after)

/**
 * Why an `Outbox.claim` request is malformed, or `undefined`: a `limit`
 * that is not a whole number from 1 to 1,000, a `leaseMillis` below 1.
 */
export const claimProblem = (options: ClaimOptions): string | undefined =>
  wholeBetween("limit", options.limit, 1, 1000) ?? wholeAtLeast("leaseMillis", options.leaseMillis, 1)

/** Why an `Outbox.deadLetters` limit is not a whole number from 1 to 1,000, or `undefined`. */
export const deadLettersProblem = (limit: number): string | undefined => wholeBetween("limit", limit, 1, 1000)

/**
 * Why a `CallStore.quarantined` page request is malformed, or `undefined`:
 * a `limit` that is not a whole number from 1 to 10,000, an `afterRow` that
 * is not a number.
 */
export const quarantinedPageProblem = (options: { readonly afterRow: number; readonly limit: number }): string | undefined =>
  wholeBetween("limit", options.limit, 1, 10_000) ?? numberProblem("afterRow", options.afterRow)

/** Why a `CallStore.callsAt` window does not name two service days, or `undefined`. */
export const callsAtWindowProblem = (window: { readonly fromDay: string; readonly toDay: string }): string | undefined =>
  serviceDayProblem("fromDay", window.fromDay) ?? serviceDayProblem("toDay", window.toDay)

const isPlace = Schema.is(Place)

/**
 * Why a `CallStore.upsertPlaces` request is malformed, or `undefined`: not
 * an array, an entry that is not a `Place` or breaks the store limits
 * (`placeProblem`), or an address key twice (which entry wins is not part
 * of the contract, so the request would be ambiguous).
 */
export const upsertPlacesProblem = (places: ReadonlyArray<Place>): string | undefined => {
  if (!Array.isArray(places)) return "places must be an array"
  const keys = new Set<string>()
  for (const [index, place] of (places as ReadonlyArray<unknown>).entries()) {
    if (!isPlace(place)) return `place ${index} is not a valid Place`
    const problem = placeProblem(place)
    if (problem !== undefined) return `place ${index}: ${problem}`
    if (keys.has(place.addressKey)) return `address key ${JSON.stringify(place.addressKey)} appears more than once`
    keys.add(place.addressKey)
  }
  return undefined
}

const isQuarantinedRow = Schema.is(QuarantinedRow)

/**
 * Why an import batch's quarantined rows are malformed, or `undefined`:
 * a row that is not a `QuarantinedRow`, numbered outside the rows the batch
 * covers (after `after`, the import's committed progress, through
 * `throughRow`), quarantined twice, or with text that is not portable. The
 * adapter checks it in the batch's transaction, once it has read the
 * progress.
 */
export const quarantinedRowsProblem = (rows: ReadonlyArray<unknown>, after: number, throughRow: number): string | undefined => {
  const numbers = new Set<number>()
  for (const [index, row] of rows.entries()) {
    if (!isQuarantinedRow(row)) return `quarantined row ${index} is not a valid QuarantinedRow`
    if (row.rowNumber <= after || row.rowNumber > throughRow) {
      return `quarantined row ${index} has rowNumber ${row.rowNumber}, outside the rows this batch covers (${after + 1} to ${throughRow})`
    }
    if (numbers.has(row.rowNumber)) return `row ${row.rowNumber} is quarantined twice in the batch`
    numbers.add(row.rowNumber)
    const problem = quarantinedRowProblem(row)
    if (problem !== undefined) return `quarantined row ${index}: ${problem}`
  }
  return undefined
}

/** The area kinds `CallAnalytics.countsByArea` counts by. */
const areaKinds: ReadonlySet<unknown> = new Set<AreaKind>(["beat", "police-district", "council-district", "neighborhood"])

/**
 * Why a `CallAnalytics.repeatLocations` filter is malformed, or `undefined`:
 * `callFilterProblem`, a `minCount` below 0, a `limit` that is not a whole
 * number from 1 to 10,000.
 */
export const repeatLocationsProblem = (
  filter: CallFilter & { readonly minCount: number; readonly limit: number }
): string | undefined =>
  callFilterProblem(filter) ?? wholeAtLeast("minCount", filter.minCount, 0) ?? wholeBetween("limit", filter.limit, 1, 10_000)

/** Why a `CallAnalytics.countsByArea` filter is malformed (`callFilterProblem`, an unknown area kind), or `undefined`. */
export const countsByAreaProblem = (filter: CallFilter & { readonly area: AreaKind }): string | undefined =>
  callFilterProblem(filter) ??
    (areaKinds.has(filter.area) ? undefined : `area must be an area kind, got ${JSON.stringify(filter.area)}`)

/** Why a `CallAnalytics.concentration` filter is malformed (`callFilterProblem`, `topPercent` outside (0, 100]), or `undefined`. */
export const concentrationProblem = (filter: CallFilter & { readonly topPercent: number }): string | undefined => {
  const problem = callFilterProblem(filter)
  if (problem !== undefined) return problem
  const topPercent: unknown = filter.topPercent
  return typeof topPercent === "number" && topPercent > 0 && topPercent <= 100
    ? undefined
    : `topPercent must be a number in (0, 100], got ${topPercent}`
}
