/**
 * Deliberately broken adapters: each wraps the memory adapter and breaks one
 * clause of a port's contract, the way real storage code gets it wrong. The
 * kit's tests run the checks against them and expect the named checks to fail.
 */
import { type InspectableMemoryStore, MemoryStore } from "@community-policing/adapter-memory"
import {
  ReadModelCursor,
  type AppendRequest,
  type AppendResult,
  CheckpointConflict,
  type ClaimedMessage,
  compareCodePoints,
  EventStore,
  type IndexValue,
  InvalidStoreRequest,
  LeaseLost,
  Outbox,
  type OutboxMessage,
  type ReadModelDocument,
  type ReadModelQuery,
  ReadModelStore,
  type StoredEvent,
  StoreLimitChecks,
  tenantIdProblem,
  VersionConflict
} from "@community-policing/core"
import type { Capabilities, RawStore } from "@community-policing/testkit"
import { Clock, DateTime, Effect, Layer, Option, Result, type Schema } from "effect"
import { type Ports, servicesOf } from "./memory.ts"

/** A broken adapter and the checks (by a fragment of their names) that must catch it. */
export interface BrokenAdapter {
  readonly name: string
  readonly layer: Layer.Layer<Ports | RawStore>
  readonly mustFail: ReadonlyArray<string>
  readonly capabilities?: Partial<Capabilities>
}

type Replacements = Parameters<typeof servicesOf>[1]

/** Whether a tenant id is one the store limits refuse. */
export const isRefusedTenant = (tenantId: string): boolean => tenantIdProblem(tenantId) !== undefined

/** A layer over a fresh memory store with some services replaced by `breakIt`. */
export const broken = (breakIt: (store: InspectableMemoryStore) => Replacements): Layer.Layer<Ports | RawStore> =>
  Layer.effectContext(Effect.map(MemoryStore.makeWithInspector(), (store) => servicesOf(store, breakIt(store))))

/** An event store that rewrites each event of an append before storing it. */
const rewritingEvents = (rewrite: (event: AppendRequest["events"][number]) => AppendRequest["events"][number]) =>
  broken((store) => ({
    eventStore: {
      ...store.eventStore,
      append: (request) => store.eventStore.append({ ...request, events: request.events.map(rewrite) })
    }
  }))

/** Renumbers a batch onto the stream's current version, which is how an adapter "ignores" the expected version. */
const renumbered = (request: AppendRequest, version: number): AppendRequest => ({
  ...request,
  expectedVersion: version,
  events: request.events.map((event, index) => ({ ...event, streamVersion: version + index + 1 }))
})

/** Maps every string in a JSON value (keys too). */
export const mapStrings = (value: Schema.Json, f: (text: string) => string): Schema.Json => {
  if (typeof value === "string") return f(value)
  if (value === null || typeof value !== "object") return value
  if (Array.isArray(value)) return value.map((item: Schema.Json) => mapStrings(item, f))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [f(key), mapStrings(item, f)]))
}

const mapRequestStrings = (request: AppendRequest, f: (text: string) => string): AppendRequest => ({
  ...request,
  tenantId: f(request.tenantId),
  streamId: f(request.streamId),
  idempotencyKey: request.idempotencyKey === undefined ? undefined : f(request.idempotencyKey),
  events: request.events.map((event) => ({
    ...event,
    tenantId: f(event.tenantId),
    streamId: f(event.streamId),
    eventId: f(event.eventId),
    eventType: f(event.eventType),
    actor: f(event.actor),
    commandId: f(event.commandId),
    correlationId: f(event.correlationId),
    causationId: event.causationId === null ? null : f(event.causationId),
    data: mapStrings(event.data, f)
  }))
})

const likePattern = (pattern: string) =>
  new RegExp(`^${Array.from(pattern, (char) => (char === "%" ? ".*" : char === "_" ? "." : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`, "s")

// ----------------------------------------------------------------------------
// EventStore
// ----------------------------------------------------------------------------

/** Broken event stores. */
export const brokenEventStores: ReadonlyArray<BrokenAdapter> = [
  {
    name: "keeps stream ids in a VARCHAR(255) column (refuses a 1,024-byte key the limits allow)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) =>
          Buffer.byteLength(request.streamId, "utf8") > 255
            ? Effect.fail(new InvalidStoreRequest({ operation: "EventStore.append", reason: "value too long for type character varying(255)" }))
            : store.eventStore.append(request)
      }
    })),
    mustFail: ["keys beyond the store limits"]
  },
  {
    name: "refuses an invalid tenant id only on appends, and reads it as an empty tenant (as before issue 12)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        readAll: (options) => (isRefusedTenant(options.tenantId) ? Effect.succeed([]) : store.eventStore.readAll(options)),
        findByIdempotencyKey: (tenantId, key) =>
          isRefusedTenant(tenantId) ? Effect.succeed(Option.none()) : store.eventStore.findByIdempotencyKey(tenantId, key)
      }
    })),
    mustFail: ["every operation refuses an empty"]
  },
  {
    name: "ignores the expected version (appends at whatever the stream's version is)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) =>
          Effect.flatMap(store.eventStore.readStream(request.tenantId, request.streamId), (events) =>
            store.eventStore.append(renumbered(request, events.length)))
      }
    })),
    mustFail: ["expecting version 0 on an existing stream", "a stale or future expected version", "of concurrent appends with the same expected version"]
  },
  {
    name: "checks the version, then writes in a separate step (a check-then-act race)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) =>
          Effect.gen(function*() {
            const current = (yield* store.eventStore.readStream(request.tenantId, request.streamId)).length
            if (current !== request.expectedVersion) {
              return yield* new VersionConflict({
                tenantId: request.tenantId,
                streamId: request.streamId,
                expectedVersion: request.expectedVersion,
                actualVersion: current
              })
            }
            yield* Effect.yieldNow
            const now = (yield* store.eventStore.readStream(request.tenantId, request.streamId)).length
            return yield* store.eventStore.append(renumbered(request, now))
          })
      }
    })),
    mustFail: ["of concurrent appends with the same expected version"]
  },
  {
    name: "drops idempotency keys",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) => store.eventStore.append({ ...request, idempotencyKey: undefined }),
        findByIdempotencyKey: () => Effect.succeed(Option.none())
      }
    })),
    mustFail: ["a repeated idempotency key returns Duplicate", "racing appends under one idempotency key", "an idempotency key belongs to its tenant"]
  },
  {
    name: "looks the idempotency key up, then appends in a separate step (a lookup-then-act race)",
    layer: broken((store) => {
      const keys = new Map<string, ReadonlyArray<StoredEvent>>()
      const keyOf = (tenantId: string, key: string) => JSON.stringify([tenantId, key])
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) =>
            Effect.gen(function*() {
              const key = request.idempotencyKey
              const first = key === undefined ? undefined : keys.get(keyOf(request.tenantId, key))
              if (first !== undefined) return { _tag: "Duplicate", events: first } satisfies AppendResult
              yield* Effect.yieldNow
              const result = yield* store.eventStore.append({ ...request, idempotencyKey: undefined })
              if (key !== undefined && !keys.has(keyOf(request.tenantId, key))) keys.set(keyOf(request.tenantId, key), result.events)
              return result
            }),
          findByIdempotencyKey: (tenantId, key) => Effect.succeed(Option.fromUndefinedOr(keys.get(keyOf(tenantId, key))))
        }
      }
    }),
    mustFail: ["racing appends under one idempotency key"]
  },
  {
    name: "keeps idempotency keys in one namespace for all tenants",
    layer: broken((store) => {
      const keys = new Map<string, ReadonlyArray<StoredEvent>>()
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) =>
            Effect.gen(function*() {
              const key = request.idempotencyKey
              const first = key === undefined ? undefined : keys.get(key)
              if (first !== undefined) return { _tag: "Duplicate", events: first } satisfies AppendResult
              const result = yield* store.eventStore.append({ ...request, idempotencyKey: undefined })
              if (key !== undefined) keys.set(key, result.events)
              return result
            }),
          findByIdempotencyKey: (_tenantId, key) => Effect.succeed(Option.fromUndefinedOr(keys.get(key)))
        }
      }
    }),
    mustFail: ["an idempotency key belongs to its tenant"]
  },
  {
    name: "fills in an empty eventType instead of refusing it",
    layer: rewritingEvents((event) => event.eventType === "" ? { ...event, eventType: "Unknown" } : event),
    mustFail: ["events with malformed envelope fields or data that is not JSON are refused"]
  },
  {
    name: "writes a malformed batch event by event until it finds the problem (a partial batch)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) =>
          Effect.gen(function*() {
            const bad = request.events.findIndex((event, index) =>
              event.tenantId !== request.tenantId || event.streamId !== request.streamId ||
              event.streamVersion !== request.expectedVersion + index + 1)
            if (bad === -1 && request.events.length > 0) return yield* store.eventStore.append(request)
            const prefix = request.events.slice(0, Math.max(bad, 0))
            if (prefix.length > 0) {
              yield* store.eventStore.append({ ...request, idempotencyKey: undefined, outbox: undefined, events: prefix }).pipe(Effect.ignore)
            }
            return yield* new InvalidStoreRequest({ operation: "EventStore.append", reason: `event ${bad} is malformed` })
          })
      }
    })),
    mustFail: ["malformed batches fail with InvalidStoreRequest and write nothing"]
  },
  {
    name: "passes any readAll limit to the database (no bounds check)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        readAll: (options) =>
          Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= 10_000
            ? store.eventStore.readAll(options)
            : options.limit < 1 ? Effect.succeed([]) : store.eventStore.readAll({ ...options, limit: 10_000 })
      }
    })),
    mustFail: ["readAll returns at most limit events and rejects limits outside 1 to 10,000"]
  },
  {
    name: "treats `after` as inclusive in readAll",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        readAll: (options) => store.eventStore.readAll({ ...options, after: options.after - 1 })
      }
    })),
    mustFail: ["readAll returns only the events after", "paging through readAll while appending", "a reader paging during concurrent appends"]
  },
  {
    name: "returns readAll pages ordered by stream instead of global position",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        readAll: (options) =>
          Effect.map(store.eventStore.readAll(options), (events) =>
            [...events].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion)))
      }
    })),
    mustFail: ["readAll returns the tenant's events across streams in commit order", "paging through readAll while appending"]
  },
  {
    name: "loses every seventh event from readAll",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        readAll: (options) =>
          Effect.map(store.eventStore.readAll(options), (events) => events.filter((event) => event.globalPosition % 7 !== 0))
      }
    })),
    mustFail: ["readAll returns the tenant's events across streams in commit order", "paging through readAll while appending", "a reader paging during concurrent appends"]
  },
  {
    name: "lets readAll see a later commit before an earlier one (the sequence-gap problem)",
    layer: broken((store) => {
      // Every other append is "slow": while a later event exists, the next readAll does not see it,
      // as a reader does not see a transaction that took its position first but commits last.
      const appends = new Map<string, number>()
      const slow = new Map<string, Array<ReadonlyArray<number>>>()
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) =>
            Effect.tap(store.eventStore.append(request), (result) =>
              Effect.sync(() => {
                if (result._tag !== "Appended") return
                const count = (appends.get(request.tenantId) ?? 0) + 1
                appends.set(request.tenantId, count)
                if (count % 2 === 1) {
                  slow.set(request.tenantId, [...(slow.get(request.tenantId) ?? []), result.events.map((event) => event.globalPosition)])
                }
              })),
          readAll: (options) =>
            // The first read only validates the request as the memory adapter would.
            Effect.andThen(store.eventStore.readAll(options), (_) =>
              Effect.map(store.eventStore.readAll({ ...options, limit: 10_000 }), (events) => {
                const last = events.at(-1)?.globalPosition ?? 0
                const hidden = new Set((slow.get(options.tenantId) ?? []).filter((positions) => Math.max(...positions) < last).flat())
                slow.set(options.tenantId, [])
                return events.filter((event) => !hidden.has(event.globalPosition)).slice(0, options.limit)
              }))
        }
      }
    }),
    mustFail: ["paging through readAll while appending", "a reader paging during concurrent appends"]
  },
  {
    name: "normalises strings to NFC and replaces characters outside the BMP (the utf8mb3 trap)",
    layer: broken((store) => {
      const mangle = (text: string) => text.normalize("NFC").replace(/[\ud800-\udbff][\udc00-\udfff]/g, "\ufffd")
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) => store.eventStore.append(mapRequestStrings(request, mangle)),
          readStream: (tenantId, streamId, fromVersion) => store.eventStore.readStream(mangle(tenantId), mangle(streamId), fromVersion),
          readAll: (options) => store.eventStore.readAll({ ...options, tenantId: mangle(options.tenantId) }),
          findByIdempotencyKey: (tenantId, key) => store.eventStore.findByIdempotencyKey(mangle(tenantId), mangle(key))
        }
      }
    }),
    mustFail: ["unicode in every string field"]
  },
  {
    name: "stores JSON numbers in single precision (a float4 column)",
    layer: broken((store) => {
      const single = (value: Schema.Json): Schema.Json =>
        typeof value === "number" ? Math.fround(value)
        : value === null || typeof value !== "object" ? value
        : Array.isArray(value) ? value.map(single)
        : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, single(item)]))
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) => store.eventStore.append({ ...request, events: request.events.map((event) => ({ ...event, data: single(event.data) })) })
        }
      }
    }),
    mustFail: ["JSON data of every shape"]
  },
  {
    name: "truncates strings longer than 65,535 characters (a TEXT column)",
    layer: rewritingEvents((event) => ({ ...event, data: mapStrings(event.data, (text) => text.slice(0, 65_535)) })),
    mustFail: ["large payloads read back whole"]
  },
  {
    name: "ignores fromVersion in readStream",
    layer: broken((store) => ({
      eventStore: { ...store.eventStore, readStream: (tenantId, streamId) => store.eventStore.readStream(tenantId, streamId) }
    })),
    mustFail: ["readStream returns a stream's events in version order from fromVersion"]
  },
  {
    name: "keeps and hands out the caller's own objects (no copies)",
    layer: broken((store) => {
      const kept = new Map<string, StoredEvent>()
      const keyOf = (event: StoredEvent) => JSON.stringify([event.tenantId, event.eventId])
      const same = (events: ReadonlyArray<StoredEvent>) => events.map((event) => kept.get(keyOf(event)) ?? event)
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) =>
            Effect.map(store.eventStore.append(request), (result) => {
              result.events.forEach((stored, index) => {
                const given = request.events[index]
                if (result._tag === "Appended" && given !== undefined) {
                  kept.set(keyOf(stored), Object.assign(given, { globalPosition: stored.globalPosition }))
                }
              })
              return { ...result, events: same(result.events) }
            }),
          readStream: (tenantId, streamId, fromVersion) => Effect.map(store.eventStore.readStream(tenantId, streamId, fromVersion), same)
        }
      }
    }),
    mustFail: ["stored events are copies"]
  },
  {
    name: "ignores the tenant (one shared keyspace)",
    layer: broken((store) => {
      const shared = "shared"
      const own = (tenantId: string) => (event: StoredEvent): StoredEvent => ({ ...event, tenantId })
      return {
        eventStore: {
          append: (request) =>
            Effect.map(
              store.eventStore.append({ ...request, tenantId: shared, events: request.events.map((event) => ({ ...event, tenantId: shared })) }),
              (result) => ({ ...result, events: result.events.map(own(request.tenantId)) })
            ),
          readStream: (tenantId, streamId, fromVersion) =>
            Effect.map(store.eventStore.readStream(shared, streamId, fromVersion), (events) => events.map(own(tenantId))),
          readAll: (options) =>
            Effect.map(store.eventStore.readAll({ ...options, tenantId: shared }), (events) => events.map(own(options.tenantId))),
          findByIdempotencyKey: (tenantId, key) =>
            Effect.map(store.eventStore.findByIdempotencyKey(shared, key), Option.map((events) => events.map(own(tenantId))))
        }
      }
    }),
    mustFail: ["tenants are isolated: the same stream and event ids", "an idempotency key belongs to its tenant"]
  },
  {
    name: "matches stream ids as LIKE patterns (`%` and `_` are wildcards)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        readStream: (tenantId, streamId, fromVersion) =>
          Effect.map(
            Effect.orDie(store.eventStore.readAll({ tenantId, after: 0, limit: 10_000 })),
            (events) => events.filter((event) => likePattern(streamId).test(event.streamId) && event.streamVersion >= (fromVersion ?? 1))
          )
      }
    })),
    mustFail: ["hostile strings in ids, keys and data"]
  },
  {
    name: "answers reads from a cache while storage holds truncated data (a write-behind cache)",
    layer: cachingEventStore(),
    mustFail: [
      "what readStream and readAll return is what the raw store holds",
      "append stores every envelope field",
      "expecting version 0 on an existing stream"
    ]
  },
  {
    name: "claims to persist but forgets everything when the layer is built again",
    layer: broken(() => ({})),
    capabilities: { persistent: true },
    mustFail: ["events and idempotency keys survive a new instance"]
  }
]

/**
 * An event store that writes truncated data to storage but remembers what
 * it was given and answers every read from that memory. Through its own
 * port it looks perfect; only the raw store shows the damage.
 */
export function cachingEventStore(): Layer.Layer<Ports | RawStore> {
  return broken((store) => {
    const cache = new Map<string, StoredEvent>()
    const keyOf = (event: StoredEvent) => JSON.stringify([event.tenantId, event.eventId])
    const fromCache = (events: ReadonlyArray<StoredEvent>) =>
      events.map((event) => {
        const cached = cache.get(keyOf(event))
        return cached === undefined ? event : { ...cached, data: structuredClone(cached.data) }
      })
    return {
      eventStore: {
        append: (request) =>
          Effect.map(
            store.eventStore.append({
              ...request,
              events: request.events.map((event) => ({ ...event, data: JSON.stringify(event.data)?.slice(0, 16) }))
            }),
            (result) => {
              if (result._tag === "Appended") {
                result.events.forEach((stored, index) => {
                  const given = request.events[index]
                  if (given !== undefined) cache.set(keyOf(stored), { ...given, data: structuredClone(given.data), globalPosition: stored.globalPosition })
                })
              }
              return { ...result, events: fromCache(result.events) }
            }
          ),
        readStream: (tenantId, streamId, fromVersion) => Effect.map(store.eventStore.readStream(tenantId, streamId, fromVersion), fromCache),
        readAll: (options) => Effect.map(store.eventStore.readAll(options), fromCache),
        findByIdempotencyKey: (tenantId, key) => Effect.map(store.eventStore.findByIdempotencyKey(tenantId, key), Option.map(fromCache))
      }
    }
  })
}

// ----------------------------------------------------------------------------
// ReadModelStore
// ----------------------------------------------------------------------------

/** How a naive query implementation goes wrong; each flag is one classic bug. */
interface QueryFlaws {
  /** A missing field reads as null: it matches `equals: null` and sorts like null. */
  readonly missingAsNull?: boolean
  /** Strings compare with `localeCompare` (a linguistic collation) instead of by code point. */
  readonly localeCollation?: boolean
  /** Strings compare by UTF-16 code unit (JavaScript's `<`), which misplaces characters beyond U+FFFF. */
  readonly utf16Order?: boolean
  /** `desc` reverses the whole `asc` order, so ties go by id descending and missing fields come first. */
  readonly reverseForDesc?: boolean
  /** The cursor remembers only the last id and pages on by id, whatever the order. */
  readonly idCursor?: boolean
  /** Out-of-range limits are clamped instead of refused. */
  readonly clampLimit?: boolean
}

/** Every document of a collection, read through the memory adapter page by page. */
const everyDocument = Effect.fnUntraced(function*(store: InspectableMemoryStore, tenantId: string, collection: string) {
  const documents: Array<ReadModelDocument> = []
  let cursor: string | undefined
  do {
    const page = yield* Effect.orDie(store.readModelStore.query(tenantId, { collection, limit: 1_000, cursor }))
    documents.push(...page.documents)
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return documents
})

/**
 * A query evaluated in JavaScript over every document, correct except for
 * the given flaws: pages by offset (right when nothing changes in between).
 */
const naiveQuery = (store: InspectableMemoryStore, flaws: QueryFlaws): ReadModelStore["Service"]["query"] =>
  Effect.fnUntraced(function*(tenantId: string, query: ReadModelQuery) {
    let limit = query.limit
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      if (flaws.clampLimit !== true) {
        return yield* new InvalidStoreRequest({ operation: "ReadModelStore.query", reason: "limit out of range" })
      }
      limit = Math.min(1_000, Math.max(1, Math.floor(Number.isNaN(limit) ? 1 : limit)))
    }
    const has = (document: ReadModelDocument, field: string) => flaws.missingAsNull === true || Object.hasOwn(document.indexed, field)
    const value = (document: ReadModelDocument, field: string): IndexValue =>
      Object.hasOwn(document.indexed, field) ? document.indexed[field] ?? null : null
    const compareText = (a: string, b: string) =>
      flaws.localeCollation === true ? a.localeCompare(b)
      : flaws.utf16Order === true ? (a < b ? -1 : a > b ? 1 : 0)
      : compareCodePoints(a, b)
    const compareValues = (a: IndexValue, b: IndexValue): number => {
      if (typeof a === "string" && typeof b === "string") return compareText(a, b)
      if (typeof a === "number" && typeof b === "number") return a - b
      const rank = (v: IndexValue) => (v === null ? 0 : typeof v === "boolean" ? 1 + Number(v) : typeof v === "number" ? 3 : 4)
      return rank(a) - rank(b)
    }
    const inRange = (v: IndexValue, bound: string | number, below: boolean) =>
      typeof v === typeof bound && (below ? compareValues(v, bound) < 0 : compareValues(v, bound) >= 0)
    const matches = (document: ReadModelDocument) =>
      (query.where ?? []).every((condition) => has(document, condition.field) && value(document, condition.field) === condition.equals) &&
      (query.range === undefined || (Object.hasOwn(document.indexed, query.range.field) &&
        (query.range.from === undefined || inRange(value(document, query.range.field), query.range.from, false)) &&
        (query.range.to === undefined || inRange(value(document, query.range.field), query.range.to, true))))
    const byId = (a: ReadModelDocument, b: ReadModelDocument) => compareCodePoints(a.id, b.id)
    const order = query.orderBy
    const ascending = (a: ReadModelDocument, b: ReadModelDocument) => {
      if (order === undefined) return byId(a, b)
      const aHas = has(a, order.field)
      const bHas = has(b, order.field)
      if (aHas !== bHas) return aHas ? -1 : 1
      return (aHas ? compareValues(value(a, order.field), value(b, order.field)) : 0) || byId(a, b)
    }
    const sorted = (yield* everyDocument(store, tenantId, query.collection)).filter(matches).sort((a, b) => {
      if (order?.direction !== "desc") return ascending(a, b)
      if (flaws.reverseForDesc === true) return ascending(b, a)
      const aHas = has(a, order.field)
      const bHas = has(b, order.field)
      if (aHas !== bHas) return aHas ? -1 : 1
      return (aHas ? compareValues(value(b, order.field), value(a, order.field)) : 0) || byId(a, b)
    })
    // Cursors are written with core's ReadModelCursor (the order check refuses any other);
    // this engine keeps its offset, or with idCursor the last id, in the position's id.
    const after = query.cursor === undefined ? undefined : ReadModelCursor.position(query)?.id
    const start = after === undefined
      ? 0
      : flaws.idCursor === true
      ? sorted.filter((document) => document.id <= after).length
      : Number(after)
    const page = sorted.slice(start, start + limit)
    const more = start + limit < sorted.length
    const id = flaws.idCursor === true ? page.at(-1)!.id : String(start + limit)
    return {
      documents: page,
      ...(more ? { nextCursor: ReadModelCursor.next(query, { present: true, value: null, id }) } : {})
    }
  })

/**
 * The read model store with a flawed query. A limit clamped rather than
 * refused is a vendor's adapter that skips `StoreLimitChecks` (whose
 * `readModelQueryProblem` would refuse it first), so that flaw goes unwrapped.
 */
const flawedQuery = (flaws: QueryFlaws) =>
  broken((store) => {
    const query = naiveQuery(store, flaws)
    const checked = StoreLimitChecks.readModelStore({ ...store.readModelStore, query })
    return { readModelStore: flaws.clampLimit === true ? { ...checked, query } : checked }
  })

const normalised = (document: ReadModelDocument): ReadModelDocument => ({
  collection: document.collection.normalize("NFC"),
  id: document.id.normalize("NFC"),
  data: mapStrings(document.data, (text) => text.normalize("NFC")),
  indexed: Object.fromEntries(
    Object.entries(document.indexed).map(([field, v]) => [field.normalize("NFC"), typeof v === "string" ? v.normalize("NFC") : v])
  )
})

/** Broken read model stores. */
export const brokenReadModelStores: ReadonlyArray<BrokenAdapter> = [
  {
    name: "keeps collections in a VARCHAR(255) column (refuses a 1,024-byte key the limits allow)",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) =>
          commit.upserts.some((document) => Buffer.byteLength(document.collection, "utf8") > 255)
            ? Effect.fail(new InvalidStoreRequest({ operation: "ReadModelStore.commit", reason: "value too long for type character varying(255)" }))
            : store.readModelStore.commit(tenantId, commit)
      }
    })),
    mustFail: ["keys beyond the store limits"]
  },
  {
    name: "reads an invalid tenant id as an empty tenant",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        get: (tenantId, collection, id) =>
          isRefusedTenant(tenantId) ? Effect.succeed(Option.none()) : store.readModelStore.get(tenantId, collection, id),
        checkpoint: (tenantId, projection) =>
          isRefusedTenant(tenantId) ? Effect.succeed(0) : store.readModelStore.checkpoint(tenantId, projection)
      }
    })),
    mustFail: ["every operation refuses an empty"]
  },
  {
    name: "a JavaScript query engine that pages by offset (a control: breaks nothing)",
    layer: flawedQuery({}),
    mustFail: []
  },
  {
    name: "writes the documents before checking the checkpoint (a non-atomic commit)",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) =>
          Effect.gen(function*() {
            const current = yield* store.readModelStore.checkpoint(tenantId, commit.projection)
            yield* store.readModelStore.commit(tenantId, { ...commit, expectedCheckpoint: current, checkpoint: current })
            if (current !== commit.expectedCheckpoint) {
              return yield* new CheckpointConflict({
                tenantId,
                projection: commit.projection,
                expectedCheckpoint: commit.expectedCheckpoint,
                actualCheckpoint: current
              })
            }
            yield* store.readModelStore.commit(tenantId, {
              projection: commit.projection,
              expectedCheckpoint: current,
              checkpoint: commit.checkpoint,
              upserts: [],
              deletes: []
            })
          })
      }
    })),
    mustFail: ["a commit from a stale checkpoint fails with CheckpointConflict and writes nothing"]
  },
  {
    name: "forgets the checkpoint conflict (commits over whatever checkpoint is current)",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) =>
          Effect.flatMap(store.readModelStore.checkpoint(tenantId, commit.projection), (current) =>
            store.readModelStore.commit(tenantId, { ...commit, expectedCheckpoint: current }))
      }
    })),
    mustFail: ["a commit from a stale checkpoint", "of concurrent commits from the same checkpoint"]
  },
  {
    name: "checks the checkpoint, then commits in a separate step (a check-then-act race)",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) =>
          Effect.gen(function*() {
            const current = yield* store.readModelStore.checkpoint(tenantId, commit.projection)
            if (current !== commit.expectedCheckpoint) {
              return yield* new CheckpointConflict({
                tenantId,
                projection: commit.projection,
                expectedCheckpoint: commit.expectedCheckpoint,
                actualCheckpoint: current
              })
            }
            yield* Effect.yieldNow
            const now = yield* store.readModelStore.checkpoint(tenantId, commit.projection)
            return yield* store.readModelStore.commit(tenantId, { ...commit, expectedCheckpoint: now })
          })
      }
    })),
    mustFail: ["of concurrent commits from the same checkpoint"]
  },
  {
    name: "merges an upsert into the existing document instead of replacing it",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) =>
          Effect.gen(function*() {
            const upserts: Array<ReadModelDocument> = []
            for (const document of commit.upserts) {
              const existing = yield* store.readModelStore.get(tenantId, document.collection, document.id)
              upserts.push(
                Option.match(existing, {
                  onNone: () => document,
                  onSome: (old) => ({ ...document, indexed: { ...old.indexed, ...document.indexed } })
                })
              )
            }
            return yield* store.readModelStore.commit(tenantId, { ...commit, upserts })
          })
      }
    })),
    mustFail: ["an upsert replaces the whole document"]
  },
  {
    name: "keeps and hands out the caller's own documents (no copies)",
    layer: broken((store) => {
      const kept = new Map<string, ReadModelDocument>()
      const keyOf = (tenantId: string, collection: string, id: string) => JSON.stringify([tenantId, collection, id])
      return {
        readModelStore: {
          ...store.readModelStore,
          commit: (tenantId, commit) =>
            Effect.tap(store.readModelStore.commit(tenantId, commit), () =>
              Effect.sync(() => {
                for (const document of commit.upserts) kept.set(keyOf(tenantId, document.collection, document.id), document)
                for (const key of commit.deletes) kept.delete(keyOf(tenantId, key.collection, key.id))
              })),
          get: (tenantId, collection, id) =>
            Effect.map(store.readModelStore.get(tenantId, collection, id), (found) =>
              Option.isSome(found) ? Option.fromUndefinedOr(kept.get(keyOf(tenantId, collection, id))).pipe(Option.orElse(() => found)) : found)
        }
      }
    }),
    mustFail: ["stored documents are copies"]
  },
  {
    name: "keys documents by id alone, so get finds a document of another collection",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        get: (tenantId, collection, id) =>
          Effect.flatMap(store.readModelStore.get(tenantId, collection, id), (found) =>
            Option.isSome(found)
              ? Effect.succeed(found)
              : Effect.map(store.inspector.snapshot(tenantId), (snapshot) =>
                Option.fromUndefinedOr(snapshot.documents.find((document) => document.id === id))))
      }
    })),
    mustFail: ["a new projection's checkpoint is 0; commit stores documents"]
  },
  {
    name: "refuses to delete a document that does not exist",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) =>
          Effect.gen(function*() {
            for (const key of commit.deletes) {
              if (Option.isNone(yield* store.readModelStore.get(tenantId, key.collection, key.id))) {
                return yield* new InvalidStoreRequest({ operation: "ReadModelStore.commit", reason: `no document ${key.id}` })
              }
            }
            return yield* store.readModelStore.commit(tenantId, commit)
          })
      }
    })),
    mustFail: ["a delete removes a document; deleting a missing document is not an error"]
  },
  {
    name: "answers reads from a cache while storage holds no data (a write-behind cache)",
    layer: broken((store) => {
      const cache = new Map<string, Schema.Json>()
      const keyOf = (tenantId: string, document: { readonly collection: string; readonly id: string }) =>
        JSON.stringify([tenantId, document.collection, document.id])
      const fromCache = (tenantId: string) => (document: ReadModelDocument): ReadModelDocument => {
        const data = cache.get(keyOf(tenantId, document))
        return data === undefined ? document : { ...document, data: structuredClone(data) }
      }
      return {
        readModelStore: {
          ...store.readModelStore,
          commit: (tenantId, commit) =>
            Effect.tap(
              store.readModelStore.commit(tenantId, { ...commit, upserts: commit.upserts.map((document) => ({ ...document, data: null })) }),
              () =>
                Effect.sync(() => {
                  for (const document of commit.upserts) cache.set(keyOf(tenantId, document), structuredClone(document.data))
                })
            ),
          get: (tenantId, collection, id) => Effect.map(store.readModelStore.get(tenantId, collection, id), Option.map(fromCache(tenantId))),
          query: (tenantId, query) =>
            Effect.map(store.readModelStore.query(tenantId, query), (page) => ({ ...page, documents: page.documents.map(fromCache(tenantId)) }))
        }
      }
    }),
    mustFail: ["what get, query and checkpoint return is what the raw store holds", "a new projection's checkpoint is 0"]
  },
  {
    name: "reads a missing field as null",
    layer: flawedQuery({ missingAsNull: true }),
    mustFail: ["where matches exact indexed values only", "orderBy sorts asc and desc"]
  },
  {
    name: "compares strings with a linguistic collation",
    layer: flawedQuery({ localeCollation: true }),
    mustFail: ["a range includes from", "orderBy sorts asc and desc"]
  },
  {
    name: "compares strings by UTF-16 code unit",
    layer: flawedQuery({ utf16Order: true }),
    mustFail: ["a range includes from"]
  },
  {
    name: "sorts desc by reversing the asc order",
    layer: flawedQuery({ reverseForDesc: true }),
    mustFail: ["orderBy sorts asc and desc"]
  },
  {
    name: "pages on by the last id whatever the order (an id-only keyset cursor)",
    layer: flawedQuery({ idCursor: true }),
    mustFail: ["following nextCursor visits every matching document exactly once"]
  },
  {
    name: "clamps out-of-range limits instead of refusing them",
    layer: flawedQuery({ clampLimit: true }),
    mustFail: ["limit caps a page and limits outside 1 to 1,000"]
  },
  {
    name: "normalises document strings to NFC",
    layer: broken((store) => ({
      readModelStore: {
        ...store.readModelStore,
        commit: (tenantId, commit) => store.readModelStore.commit(tenantId, { ...commit, upserts: commit.upserts.map(normalised) }),
        get: (tenantId, collection, id) => store.readModelStore.get(tenantId, collection.normalize("NFC"), id.normalize("NFC"))
      }
    })),
    mustFail: ["unicode, hostile strings and large data read back exactly and match only themselves"]
  },
  {
    name: "ignores the tenant (one shared keyspace)",
    layer: broken((store) => ({
      readModelStore: {
        get: (_tenantId, collection, id) => store.readModelStore.get("shared", collection, id),
        query: (_tenantId, query) => store.readModelStore.query("shared", query),
        commit: (tenantId, commit) => store.readModelStore.commit("shared", commit),
        checkpoint: (_tenantId, projection) => store.readModelStore.checkpoint("shared", projection)
      }
    })),
    mustFail: ["tenants are isolated: the same collection, ids and projection"]
  },
  {
    name: "claims to persist but forgets everything when the layer is built again",
    layer: broken(() => ({})),
    capabilities: { persistent: true },
    mustFail: ["documents and checkpoints survive a new instance"]
  }
]

// ----------------------------------------------------------------------------
// Outbox
// ----------------------------------------------------------------------------

/** Broken outboxes. */
export const brokenOutboxes: ReadonlyArray<BrokenAdapter> = [
  {
    name: "reads an invalid tenant id as an empty tenant",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        get: (tenantId, messageId) => (isRefusedTenant(tenantId) ? Effect.succeed(Option.none()) : store.outbox.get(tenantId, messageId)),
        deadLetters: (tenantId, limit) => (isRefusedTenant(tenantId) ? Effect.succeed([]) : store.outbox.deadLetters(tenantId, limit))
      }
    })),
    mustFail: ["every operation refuses an empty"]
  },
  {
    name: "writes outbox messages before, and apart from, the events (no transactional outbox)",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) =>
          Effect.gen(function*() {
            if (request.outbox !== undefined && request.outbox.length > 0 && request.events[0] !== undefined) {
              // The messages ride on an event of a staging stream, committed before the real append is tried.
              const staging = `outbox-staging-${globalThis.crypto.randomUUID()}`
              yield* store.eventStore.append({
                tenantId: request.tenantId,
                streamId: staging,
                expectedVersion: 0,
                events: [{ ...request.events[0], tenantId: request.tenantId, streamId: staging, streamVersion: 1, eventId: staging }],
                outbox: request.outbox
              }).pipe(Effect.ignore)
            }
            return yield* store.eventStore.append({ ...request, outbox: undefined })
          })
      }
    })),
    mustFail: ["messages of an append that is refused or a duplicate are never written"]
  },
  {
    name: "reads the time from the system clock instead of the effect Clock",
    layer: broken((store) => {
      const system = Clock.Clock.defaultValue()
      const onSystemClock = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, Clock.Clock, system)
      return {
        eventStore: { ...store.eventStore, append: (request) => onSystemClock(store.eventStore.append(request)) },
        outbox: {
          claim: (options) => onSystemClock(store.outbox.claim(options)),
          ack: (lease, details) => onSystemClock(store.outbox.ack(lease, details)),
          fail: (lease, failure) => onSystemClock(store.outbox.fail(lease, failure)),
          settle: (settlements) => onSystemClock(store.outbox.settle(settlements)),
          get: (tenantId, id) => onSystemClock(store.outbox.get(tenantId, id)),
          deadLetters: (tenantId, limit) => onSystemClock(store.outbox.deadLetters(tenantId, limit)),
          requeue: (tenantId, id) => onSystemClock(store.outbox.requeue(tenantId, id))
        }
      }
    }),
    mustFail: ["an append's outbox messages are stored pending", "claim leases messages in write order"]
  },
  {
    name: "returns claimed messages as they were before the claim (the attempt not yet counted)",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        claim: (options) =>
          Effect.map(store.outbox.claim(options), (entries) =>
            entries.map((entry) => ({ ...entry, message: { ...entry.message, attempts: entry.message.attempts - 1 } })))
      }
    })),
    mustFail: ["claim leases messages in write order"]
  },
  {
    name: "only releases the lease on ack (the message stays pending)",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        ack: (lease) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.asVoid(store.outbox.fail(lease, { error: "acknowledged", retryAt: DateTime.makeUnsafe(now + 60_000) })))
      }
    })),
    mustFail: ["ack marks a message delivered and it is never claimed again"]
  },
  {
    name: "claims messages whatever their lease (no lock)",
    layer: broken((store) => {
      const claimed = new Map<string, ClaimedMessage>()
      return {
        outbox: {
          ...store.outbox,
          claim: (options) =>
            Effect.gen(function*() {
              const now = yield* Clock.currentTimeMillis
              const fresh = yield* store.outbox.claim(options)
              for (const entry of fresh) claimed.set(JSON.stringify([entry.message.tenantId, entry.message.id]), entry)
              const again = [...claimed.values()].filter((entry) =>
                DateTime.toEpochMillis(entry.leaseUntil) > now && !fresh.includes(entry) &&
                (options.tenantId === undefined || entry.message.tenantId === options.tenantId) &&
                (options.topic === undefined || entry.message.topic === options.topic))
              return [...fresh, ...again].slice(0, options.limit)
            })
        }
      }
    }),
    mustFail: ["a live lease hides a message from every other claim", "concurrent claims never return the same message"]
  },
  {
    name: "keeps maxAttempts but never dead-letters",
    layer: broken((store) => {
      const maxAttempts = new Map<string, number>()
      const keyOf = (tenantId: string, id: string) => JSON.stringify([tenantId, id])
      const reported = (message: OutboxMessage): OutboxMessage => ({
        ...message,
        maxAttempts: maxAttempts.get(keyOf(message.tenantId, message.id)) ?? message.maxAttempts
      })
      return {
        eventStore: {
          ...store.eventStore,
          append: (request) =>
            Effect.tap(
              store.eventStore.append({
                ...request,
                outbox: request.outbox?.map((message) => ({ ...message, maxAttempts: 1_000_000 }))
              }),
              (result) =>
                Effect.sync(() => {
                  if (result._tag !== "Appended") return
                  for (const message of request.outbox ?? []) maxAttempts.set(keyOf(request.tenantId, message.id), message.maxAttempts)
                })
            )
        },
        outbox: {
          ...store.outbox,
          claim: (options) => Effect.map(store.outbox.claim(options), (entries) => entries.map((entry) => ({ ...entry, message: reported(entry.message) }))),
          get: (tenantId, id) => Effect.map(store.outbox.get(tenantId, id), Option.map(reported))
        }
      }
    }),
    mustFail: [
      "fail on the last attempt dead-letters",
      "a lease ending on the last attempt dead-letters",
      "deadLetters lists only the tenant's dead letters",
      "what get returns is what the raw store holds"
    ]
  },
  {
    name: "retries a failed message at once, ignoring retryAt",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        fail: (lease, failure) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => store.outbox.fail(lease, { ...failure, retryAt: DateTime.makeUnsafe(now) }))
      }
    })),
    mustFail: ["fail with attempts left records the error"]
  },
  {
    name: "accepts any lease on a leased message (checks the message, not the token)",
    layer: broken((store) => {
      const current = (tenantId: string, messageId: string) =>
        Effect.map(store.inspector.snapshot(tenantId), (snapshot) =>
          snapshot.outbox.find((row) => row.id === messageId)?.lease?.token)
      return {
        outbox: {
          ...store.outbox,
          ack: (lease) =>
            Effect.flatMap(current(lease.tenantId, lease.messageId), (token) =>
              token === undefined
                ? Effect.fail(new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId }))
                : store.outbox.ack({ ...lease, token })),
          fail: (lease, failure) =>
            Effect.flatMap(current(lease.tenantId, lease.messageId), (token) =>
              token === undefined
                ? Effect.fail(new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId }))
                : store.outbox.fail({ ...lease, token }, failure))
        }
      }
    }),
    mustFail: ["a stale, settled or forged lease fails with LeaseLost"]
  },
  {
    name: "never lets a lease expire",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        claim: (options) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.map(store.outbox.claim({ ...options, leaseMillis: 1e12 }), (entries) =>
              entries.map((entry) => ({ ...entry, leaseUntil: DateTime.makeUnsafe(now + options.leaseMillis) }))))
      }
    })),
    mustFail: ["when a lease ends unacknowledged the message can be claimed again", "a lease ending on the last attempt dead-letters"]
  },
  {
    name: "stores a batch's messages in reverse order",
    layer: broken((store) => ({
      eventStore: {
        ...store.eventStore,
        append: (request) => store.eventStore.append({ ...request, outbox: request.outbox === undefined ? undefined : [...request.outbox].reverse() })
      }
    })),
    mustFail: ["claims take the oldest availableAt first, ties in write order", "claim leases messages in write order"]
  },
  {
    name: "clamps a claim's limit and lease instead of refusing them",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        claim: (options) =>
          store.outbox.claim({
            ...options,
            limit: Math.min(1_000, Math.max(1, Math.floor(options.limit))),
            leaseMillis: Math.max(1, Math.floor(options.leaseMillis))
          })
      }
    })),
    mustFail: ["claim returns at most limit messages"]
  },
  {
    name: "ignores the topic filter of a claim",
    layer: broken((store) => ({
      outbox: { ...store.outbox, claim: ({ topic: _topic, ...options }) => store.outbox.claim(options) }
    })),
    mustFail: ["claim takes only the requested topic and tenant", "topics match only themselves"]
  },
  {
    name: "ignores the tenant filter of a claim",
    layer: broken((store) => ({
      outbox: { ...store.outbox, claim: ({ tenantId: _tenantId, ...options }) => store.outbox.claim(options) }
    })),
    mustFail: ["claim takes only the requested topic and tenant", "tenants are isolated: the same message ids"]
  },
  {
    name: "records a receipt without the receiver's id",
    layer: broken((store) => ({ outbox: { ...store.outbox, ack: (lease) => store.outbox.ack(lease) } })),
    mustFail: ["ack records the receipt"]
  },
  {
    name: "settles a batch one message at a time and fails the whole batch at the first stale lease (the ones before it stay recorded)",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        settle: (settlements) =>
          Effect.forEach(settlements, (settlement) =>
            Effect.map(
              settlement._tag === "Ack"
                ? Effect.as(store.outbox.ack(settlement.lease, settlement.details), "delivered" as const)
                : store.outbox.fail(settlement.lease, settlement.failure),
              (status) => Result.succeed(status)
            )).pipe(Effect.catchTag("LeaseLost", () => Effect.succeed([])))
      }
    })),
    mustFail: ["settle records a batch as ack and fail would"]
  },
  {
    name: "settles a batch's acknowledgements without the receivers' ids",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        settle: (settlements) =>
          store.outbox.settle(settlements.map((settlement) => (settlement._tag === "Ack" ? { _tag: "Ack", lease: settlement.lease } : settlement)))
      }
    })),
    mustFail: ["settle records a batch as ack and fail would"]
  },
  {
    name: "answers a settlement under an invalid tenant id with LeaseLost instead of refusing the batch",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        settle: (settlements) =>
          settlements.some((settlement) => isRefusedTenant(settlement.lease.tenantId))
            ? Effect.succeed(settlements.map((settlement) =>
              Result.fail(new LeaseLost({ tenantId: settlement.lease.tenantId, messageId: settlement.lease.messageId }))
            ))
            : store.outbox.settle(settlements)
      }
    })),
    mustFail: ["every operation refuses an empty", "settle records a batch as ack and fail would"]
  },
  {
    name: "retries a permanent failure like any other",
    layer: broken((store) => ({
      outbox: { ...store.outbox, fail: (lease, failure) => store.outbox.fail(lease, { error: failure.error, retryAt: failure.retryAt }) }
    })),
    mustFail: ["a permanent failure dead-letters the message at once"]
  },
  {
    name: "re-queues any message, not only dead letters (a pending or delivered one is answered as re-queued)",
    layer: broken((store) => ({
      outbox: {
        ...store.outbox,
        requeue: (tenantId, messageId) =>
          Effect.flatMap(store.outbox.get(tenantId, messageId), (found) =>
            Option.isSome(found) && found.value.status !== "dead" ? Effect.succeed(found.value) : store.outbox.requeue(tenantId, messageId))
      }
    })),
    mustFail: ["requeue makes a dead letter pending"]
  },
  {
    name: "claims to persist but forgets everything when the layer is built again",
    layer: broken(() => ({})),
    capabilities: { persistent: true },
    mustFail: ["messages and their delivery state survive a new instance"]
  }
]
