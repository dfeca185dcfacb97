/**
 * The event store over the shared memory state.
 *
 * @internal
 */
import {
  type AppendRequest,
  type AppendResult,
  EventStore,
  InvalidStoreRequest,
  type ReadAllOptions,
  type StoredEvent,
  VersionConflict
} from "@community-policing/core"
import { Clock, DateTime, Effect, Option } from "effect"
import { copyIn, copyOut } from "./json.ts"
import { type OutboxRow, type State, tenantForWrite } from "./state.ts"

const invalid = (reason: string) => new InvalidStoreRequest({ operation: "EventStore.append", reason })

/** A private copy of a stored event for a caller; the DateTime is immutable and shared. */
const eventOut = (event: StoredEvent): StoredEvent => ({ ...event, data: copyOut(event.data) })

/**
 * The stored form of an event: only the envelope's fields (extra properties a
 * caller attached are not stored, as no database column would hold them) and
 * the data as its JSON text would read back; `undefined` when the data is
 * not JSON. The batch is well-formed: `StoreLimitChecks.eventStore` refused
 * it otherwise.
 */
const eventIn = (
  event: AppendRequest["events"][number],
  globalPosition: number
): StoredEvent | undefined => {
  const data = copyIn(event.data)
  if (data === undefined) return undefined
  return {
    tenantId: event.tenantId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition,
    eventId: event.eventId,
    eventType: event.eventType,
    schemaVersion: event.schemaVersion,
    data,
    recordedAt: DateTime.toUtc(event.recordedAt),
    actor: event.actor,
    commandId: event.commandId,
    correlationId: event.correlationId,
    causationId: event.causationId,
    previousHash: event.previousHash,
    hash: event.hash
  }
}

/** Index of the first event with a global position strictly greater than `after`. */
const firstAfter = (log: ReadonlyArray<StoredEvent>, after: number): number => {
  let low = 0
  let high = log.length
  while (low < high) {
    const middle = (low + high) >>> 1
    // The index is inside [0, log.length), so the element exists.
    if (log[middle]!.globalPosition <= after) low = middle + 1
    else high = middle
  }
  return low
}

/** The event store service over `state`. */
export const makeEventStore = (state: State): EventStore["Service"] => {
  const append = Effect.fnUntraced(function*(
    request: AppendRequest
  ): Effect.fn.Return<AppendResult, VersionConflict | InvalidStoreRequest> {
    const now = yield* Clock.currentTimeMillis
    // From here on nothing yields until the batch is written or refused, so
    // no other fiber sees or changes the state in between: the transaction.
    const existing = state.tenants.get(request.tenantId)
    if (request.idempotencyKey !== undefined) {
      const first = existing?.idempotency.get(request.idempotencyKey)
      if (first !== undefined) {
        return { _tag: "Duplicate", events: first.map(eventOut) }
      }
    }
    const actualVersion = existing?.streams.get(request.streamId)?.length ?? 0
    if (actualVersion !== request.expectedVersion) {
      return yield* new VersionConflict({
        tenantId: request.tenantId,
        streamId: request.streamId,
        expectedVersion: request.expectedVersion,
        actualVersion
      })
    }
    const lastPosition = existing?.lastPosition ?? 0
    const stored: Array<StoredEvent> = []
    for (const [index, event] of request.events.entries()) {
      const candidate = eventIn(event, lastPosition + index + 1)
      if (candidate === undefined) {
        return yield* invalid(`event ${index} has no JSON data`)
      }
      if (existing?.eventIds.has(candidate.eventId) === true) {
        return yield* invalid(`event id ${JSON.stringify(candidate.eventId)} is already stored in this tenant`)
      }
      stored.push(candidate)
    }
    const rows: Array<OutboxRow> = []
    for (const message of request.outbox ?? []) {
      const payload = copyIn(message.payload)
      if (payload === undefined) return yield* invalid(`outbox message ${JSON.stringify(message.id)} has no JSON payload`)
      if (existing?.outbox.has(message.id) === true) {
        return yield* invalid(`outbox message id ${JSON.stringify(message.id)} is already stored in this tenant`)
      }
      rows.push({
        tenantId: request.tenantId,
        id: message.id,
        topic: message.topic,
        payload,
        maxAttempts: message.maxAttempts,
        sequence: state.outboxSequence + rows.length + 1,
        status: "pending",
        attempts: 0,
        availableAt: now,
        lastError: null,
        lease: null,
        receipt: null
      })
    }

    const tenant = existing ?? tenantForWrite(state, request.tenantId)
    const stream = tenant.streams.get(request.streamId) ?? []
    tenant.streams.set(request.streamId, stream)
    for (const event of stored) {
      tenant.log.push(event)
      stream.push(event)
      tenant.eventIds.add(event.eventId)
    }
    tenant.lastPosition = lastPosition + stored.length
    if (request.idempotencyKey !== undefined) tenant.idempotency.set(request.idempotencyKey, stored)
    for (const row of rows) {
      tenant.outbox.set(row.id, row)
      tenant.pending.add(row)
    }
    state.outboxSequence += rows.length
    return { _tag: "Appended", events: stored.map(eventOut) }
  })

  const readStream = Effect.fnUntraced(function*(tenantId: string, streamId: string, fromVersion?: number) {
    const stream = state.tenants.get(tenantId)?.streams.get(streamId) ?? []
    const from = fromVersion ?? 1
    // Version v sits at index v - 1; a fromVersion of 0 or less means the whole stream.
    const start = from > 1 ? Math.ceil(from) - 1 : 0
    return stream.slice(start).map(eventOut)
  })

  const readAll = Effect.fnUntraced(function*(options: ReadAllOptions) {
    const log = state.tenants.get(options.tenantId)?.log ?? []
    const start = firstAfter(log, options.after)
    return log.slice(start, start + options.limit).map(eventOut)
  })

  const findByIdempotencyKey = Effect.fnUntraced(function*(tenantId: string, idempotencyKey: string) {
    const events = state.tenants.get(tenantId)?.idempotency.get(idempotencyKey)
    return events === undefined ? Option.none() : Option.some(events.map(eventOut))
  })

  return EventStore.of({ append, readStream, readAll, findByIdempotencyKey })
}
