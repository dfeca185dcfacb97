/**
 * Deliberately broken calls-for-service adapters: each wraps the memory
 * adapter and breaks one clause of the `CallStore` or `CallAnalytics`
 * contract, the way real import and aggregation code gets it wrong.
 */
import { type InspectableMemoryStore, MemoryStore } from "@community-policing/adapter-memory"
import {
  type CallAnalytics,
  type CallFilter,
  compareCodePoints,
  type Districts,
  type ImportBatch,
  InvalidStoreRequest,
  type KeyCount,
  locationAddressKey,
  locationDistricts,
  type Place,
  portableTextProblem,
  QuarantinedRow,
  StoredCall,
  tenantIdProblem
} from "@community-policing/core"
import { DateTime, Effect, Exit, Option, Schema } from "effect"
import { broken, type BrokenAdapter, isRefusedTenant, mapStrings } from "./broken.ts"

const isStoredCall = Schema.is(StoredCall)
const isQuarantinedRow = Schema.is(QuarantinedRow)
const encodeCall = Schema.encodeSync(StoredCall)
const decodeCall = Schema.decodeUnknownSync(StoredCall)

const uniqueSuffix = () => globalThis.crypto.randomUUID()

/** The UTC date of a call's `receivedAt`, which is not its service day for evening calls in the Pacific zone. */
const utcDay = (call: StoredCall) => DateTime.formatIso(call.call.receivedAt).slice(0, 10)

const dayAfter = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10)

// ----------------------------------------------------------------------------
// CallStore
// ----------------------------------------------------------------------------

/**
 * A store that deduplicates in its own code instead of by a unique key in
 * storage: it remembers the keys it has seen in `scope` (none: it never
 * deduplicates), optionally yields between the lookup and the write (a
 * lookup-then-insert race), and stores every call it thinks new under a
 * unique storage key, restoring the caller's key on the way out.
 */
const selfDeduplicating = (options: {
  readonly scope: (tenantId: string) => string | undefined
  readonly yieldBetween: boolean
}) =>
  broken((store) => {
    const seen = new Map<string, Set<string>>()
    const original = new Map<string, string>()
    const restore = (calls: ReadonlyArray<StoredCall>) =>
      calls.map((call) => ({ ...call, dedupeKey: original.get(call.dedupeKey) ?? call.dedupeKey }))
    return {
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          Effect.gen(function*() {
            const scope = options.scope(tenantId)
            const known = scope === undefined ? new Set<string>() : seen.get(scope) ?? new Set<string>()
            const inBatch = new Set<string>()
            const fresh = batch.calls.filter((call) => {
              if (scope !== undefined && (known.has(call.dedupeKey) || inBatch.has(call.dedupeKey))) return false
              inBatch.add(call.dedupeKey)
              return true
            })
            if (options.yieldBetween) yield* Effect.yieldNow
            const renamed = fresh.map((call) => {
              const key = `${call.dedupeKey}#${uniqueSuffix()}`
              original.set(key, call.dedupeKey)
              return { ...call, dedupeKey: key }
            })
            const result = yield* store.callStore.commitImportBatch(tenantId, { ...batch, calls: renamed })
            if (scope !== undefined) {
              for (const call of fresh) known.add(call.dedupeKey)
              seen.set(scope, known)
            }
            return { imported: result.imported, duplicates: batch.calls.length - result.imported }
          }),
        callsAt: (tenantId, addressKey, window) => Effect.map(store.callStore.callsAt(tenantId, addressKey, window), restore)
      }
    }
  })

/** Every string in a stored call, NFC-normalised (through its JSON encoding, so no field is missed). */
const normalisedCall = (call: StoredCall): StoredCall =>
  decodeCall(mapStrings(encodeCall(call) as Schema.Json, (text) => text.normalize("NFC")))

/** Broken call stores. */
/**
 * A call store that remembers which bulk imports it has open (begun and
 * not finished, by tenant and import id) and replaces some operations with
 * `breakIt`'s, which can ask.
 */
const trackingBulkImports = (
  breakIt: (
    store: InspectableMemoryStore,
    isOpen: (tenantId: string, importId: string) => boolean
  ) => Partial<InspectableMemoryStore["callStore"]>
) =>
  broken((store) => {
    const open = new Set<string>()
    const key = (tenantId: string, importId: string) => `${tenantId}\u0000${importId}`
    const replaced = breakIt(store, (tenantId, importId) => open.has(key(tenantId, importId)))
    const begin = replaced.beginBulkImport ?? store.callStore.beginBulkImport
    return {
      callStore: {
        ...store.callStore,
        ...replaced,
        beginBulkImport: (tenantId, importId) => Effect.tap(begin(tenantId, importId), () => Effect.sync(() => open.add(key(tenantId, importId)))),
        finishBulkImport: (tenantId, importId) =>
          Effect.tap(store.callStore.finishBulkImport(tenantId, importId), () => Effect.sync(() => open.delete(key(tenantId, importId))))
      }
    }
  })

export const brokenCallStores: ReadonlyArray<BrokenAdapter> = [
  {
    name: "drops a batch's quarantined rows while a bulk import is open (\"deferred\" and never written)",
    layer: trackingBulkImports((store, isOpen) => ({
      commitImportBatch: (tenantId, batch) =>
        store.callStore.commitImportBatch(tenantId, isOpen(tenantId, batch.importId) ? { ...batch, quarantined: [] } : batch)
    })),
    mustFail: ["a bulk import stores, counts and answers exactly as"]
  },
  {
    name: "refuses to begin a bulk import already open (a resumed import cannot begin again)",
    layer: trackingBulkImports((store, isOpen) => ({
      beginBulkImport: (tenantId, importId) =>
        isOpen(tenantId, importId)
          ? Effect.fail(new InvalidStoreRequest({ operation: "CallStore.beginBulkImport", reason: "a bulk import of this import is already open" }))
          : store.callStore.beginBulkImport(tenantId, importId)
    })),
    mustFail: ["beginning and finishing a bulk import are idempotent"]
  },
  {
    name: "reads an invalid tenant id as an empty tenant",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        importProgress: (tenantId, importId) =>
          isRefusedTenant(tenantId) ? Effect.succeed(Option.none()) : store.callStore.importProgress(tenantId, importId),
        place: (tenantId, addressKey) => (isRefusedTenant(tenantId) ? Effect.succeed(Option.none()) : store.callStore.place(tenantId, addressKey))
      }
    })),
    mustFail: ["every operation refuses an empty"]
  },
  {
    name: "refuses a batch in the database's words, not the contract's (\"PgConnection: Query failed\")",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          Effect.mapError(store.callStore.commitImportBatch(tenantId, batch), (error) =>
            error._tag === "InvalidStoreRequest"
              ? new InvalidStoreRequest({ operation: error.operation, reason: "PgConnection: Query failed" })
              : error)
      }
    })),
    mustFail: ["keys beyond the store limits"]
  },
  {
    name: "stores over-long keys and non-portable text it is given (no store limits)",
    layer: broken((store) => {
      // The memory adapter refuses them, so this one hides them from it and puts them back on the way out.
      const hidden = new Map<string, string>()
      const hide = (text: string) => {
        if (tenantIdProblem(text) === undefined && text.length < 200) return text
        const key = `hidden-${uniqueSuffix()}`
        hidden.set(key, text)
        return key
      }
      const reveal = (text: string) => hidden.get(text) ?? text
      return {
        callStore: {
          ...store.callStore,
          commitImportBatch: (tenantId, batch) =>
            store.callStore.commitImportBatch(tenantId, {
              ...batch,
              calls: batch.calls.map((call) => ({ ...call, dedupeKey: hide(call.dedupeKey) }))
            }),
          callsAt: (tenantId, addressKey, window) =>
            Effect.map(store.callStore.callsAt(tenantId, addressKey, window), (calls) =>
              calls.map((call) => ({ ...call, dedupeKey: reveal(call.dedupeKey) })))
        }
      }
    }),
    mustFail: ["keys beyond the store limits"]
  },
  {
    name: "ignores the progress a batch states it continues from (afterRow)",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, { afterRow: _ignored, ...batch }) => store.callStore.commitImportBatch(tenantId, batch)
      }
    })),
    mustFail: ["a batch stating afterRow commits only", "of concurrent batches of one import"]
  },
  {
    name: "ignores dedupeKey (no unique key: every call is new)",
    layer: selfDeduplicating({ scope: () => undefined, yieldBetween: false }),
    mustFail: [
      "a call whose dedupeKey is stored counts as a duplicate",
      "the progress totals add up over batches",
      "of concurrent imports of overlapping exports"
    ]
  },
  {
    name: "keeps dedupe keys in one namespace for all tenants",
    layer: selfDeduplicating({ scope: () => "every tenant", yieldBetween: false }),
    mustFail: ["a dedupeKey belongs to its tenant"]
  },
  {
    name: "looks dedupe keys up, then inserts in a separate step (a lookup-then-insert race)",
    layer: selfDeduplicating({ scope: (tenantId) => tenantId, yieldBetween: true }),
    mustFail: ["of concurrent imports of overlapping exports"]
  },
  {
    name: "accepts a batch whose throughRow is not beyond the progress (and stores it)",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          Effect.flatMap(store.callStore.importProgress(tenantId, batch.importId), (progress) =>
            Option.isSome(progress) && batch.throughRow <= progress.value.throughRow
              ? store.callStore.commitImportBatch(tenantId, { ...batch, importId: `${batch.importId}~stale-${uniqueSuffix()}` })
              : store.callStore.commitImportBatch(tenantId, batch))
      }
    })),
    mustFail: ["a batch whose throughRow is not beyond the import's progress", "of concurrent batches of one import"]
  },
  {
    name: "checks the progress, then commits in a separate step (a check-then-act race)",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          Effect.gen(function*() {
            const throughRow = (progress: Option.Option<{ readonly throughRow: number }>) =>
              Option.match(progress, { onNone: () => 0, onSome: (value) => value.throughRow })
            const before = throughRow(yield* store.callStore.importProgress(tenantId, batch.importId))
            if (batch.throughRow <= before) {
              return yield* new InvalidStoreRequest({ operation: "CallStore.commitImportBatch", reason: "throughRow is not beyond the progress" })
            }
            yield* Effect.yieldNow
            // The check passed a moment ago, so the batch is written whatever happened since, beside the import if need be.
            const now = throughRow(yield* store.callStore.importProgress(tenantId, batch.importId))
            return yield* store.callStore.commitImportBatch(
              tenantId,
              batch.throughRow <= now ? { ...batch, importId: `${batch.importId}~raced-${uniqueSuffix()}` } : batch
            )
          })
      }
    })),
    mustFail: ["of concurrent batches of one import"]
  },
  {
    name: "writes a batch call by call until it meets a malformed call or row (a partial batch)",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          Effect.gen(function*() {
            const badCall = batch.calls.findIndex((call) => !isStoredCall(call))
            const badRow = batch.quarantined.some((row) => !isQuarantinedRow(row) || row.reason.length === 0)
            if (badCall === -1 && !badRow) return yield* store.callStore.commitImportBatch(tenantId, batch)
            const written = badCall === -1 ? batch.calls : batch.calls.slice(0, badCall)
            yield* Effect.ignore(store.callStore.commitImportBatch(tenantId, {
              importId: `${batch.importId}~partial-${uniqueSuffix()}`,
              throughRow: 1,
              calls: written,
              quarantined: []
            }))
            return yield* new InvalidStoreRequest({ operation: "CallStore.commitImportBatch", reason: "a malformed call or row" })
          })
      }
    })),
    mustFail: ["a batch with a malformed call or quarantined row"]
  },
  {
    name: "reports the counts of the last batch as the import's progress (overwrites the totals)",
    layer: broken((store) => {
      const last = new Map<string, { readonly throughRow: number; readonly imported: number; readonly duplicates: number; readonly quarantined: number }>()
      const keyOf = (tenantId: string, importId: string) => JSON.stringify([tenantId, importId])
      return {
        callStore: {
          ...store.callStore,
          commitImportBatch: (tenantId, batch) =>
            Effect.tap(store.callStore.commitImportBatch(tenantId, batch), (result) =>
              Effect.sync(() => last.set(keyOf(tenantId, batch.importId), { throughRow: batch.throughRow, ...result, quarantined: batch.quarantined.length }))),
          importProgress: (tenantId, importId) =>
            Effect.map(store.callStore.importProgress(tenantId, importId), (progress) =>
              Option.map(progress, (value) => ({ ...value, ...last.get(keyOf(tenantId, importId)) })))
        }
      }
    }),
    mustFail: ["the progress totals add up over batches", "a batch whose throughRow is not beyond", "quarantined rows come back in row order"]
  },
  {
    name: "sorts and pages quarantined rows by row number as text (a TEXT column)",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        quarantined: (tenantId, importId, options) =>
          // The first call only validates the request as the memory adapter would.
          Effect.andThen(store.callStore.quarantined(tenantId, importId, options), () =>
            Effect.map(store.callStore.quarantined(tenantId, importId, { afterRow: 0, limit: 10_000 }), (rows) =>
              [...rows]
                .sort((a, b) => compareCodePoints(String(a.rowNumber), String(b.rowNumber)))
                .filter((row) => compareCodePoints(String(row.rowNumber), String(options.afterRow)) > 0)
                .slice(0, options.limit)))
      }
    })),
    mustFail: ["quarantined rows come back in row order"]
  },
  {
    name: "trims the raw text of quarantined rows",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          store.callStore.commitImportBatch(tenantId, { ...batch, quarantined: batch.quarantined.map((row) => ({ ...row, raw: row.raw.trim() })) })
      }
    })),
    mustFail: ["quarantined rows come back in row order"]
  },
  {
    name: "callsAt leaves out the window's last day (a half-open range)",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        callsAt: (tenantId, addressKey, window) =>
          Effect.map(store.callStore.callsAt(tenantId, addressKey, window), (calls) => calls.filter((call) => call.serviceDay !== window.toDay))
      }
    })),
    mustFail: ["callsAt returns the calls at exactly one address"]
  },
  {
    name: "callsAt orders by dedupeKey instead of receivedAt",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        callsAt: (tenantId, addressKey, window) =>
          Effect.map(store.callStore.callsAt(tenantId, addressKey, window), (calls) =>
            [...calls].sort((a, b) => compareCodePoints(a.dedupeKey, b.dedupeKey)))
      }
    })),
    mustFail: ["callsAt returns the calls at exactly one address", "a call whose dedupeKey is stored counts as a duplicate"]
  },
  {
    name: "callsAt selects by the UTC date of receivedAt instead of the service day",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        callsAt: (tenantId, addressKey, window) =>
          // The first call only validates the request as the memory adapter would.
          Effect.andThen(store.callStore.callsAt(tenantId, addressKey, window), () =>
            Effect.map(
              store.callStore.callsAt(tenantId, addressKey, { fromDay: dayAfter(window.fromDay, -1), toDay: dayAfter(window.toDay, 1) }),
              (calls) => calls.filter((call) => utcDay(call) >= window.fromDay && utcDay(call) <= window.toDay)
            ))
      }
    })),
    mustFail: ["callsAt returns the calls at exactly one address"]
  },
  {
    name: "normalises every string of calls and places to NFC",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          store.callStore.commitImportBatch(tenantId, {
            ...batch,
            calls: batch.calls.map((call) => (isStoredCall(call) ? normalisedCall(call) : call))
          }),
        callsAt: (tenantId, addressKey, window) => store.callStore.callsAt(tenantId, addressKey.normalize("NFC"), window),
        upsertPlaces: (tenantId, places) =>
          store.callStore.upsertPlaces(tenantId, places.map((place) => ({ ...place, addressKey: place.addressKey.normalize("NFC") }))),
        place: (tenantId, addressKey) => store.callStore.place(tenantId, addressKey.normalize("NFC"))
      }
    })),
    mustFail: ["calls read back exactly", "places are added, replaced whole"]
  },
  {
    name: "keeps and hands out the caller's own call objects (no copies)",
    layer: broken((store) => {
      const kept = new Map<string, StoredCall>()
      const keyOf = (tenantId: string, call: StoredCall) => JSON.stringify([tenantId, call.dedupeKey])
      return {
        callStore: {
          ...store.callStore,
          commitImportBatch: (tenantId, batch) =>
            Effect.tap(store.callStore.commitImportBatch(tenantId, batch), () =>
              Effect.sync(() => {
                for (const call of batch.calls) if (!kept.has(keyOf(tenantId, call))) kept.set(keyOf(tenantId, call), call)
              })),
          callsAt: (tenantId, addressKey, window) =>
            Effect.map(store.callStore.callsAt(tenantId, addressKey, window), (calls) => calls.map((call) => kept.get(keyOf(tenantId, call)) ?? call))
        }
      }
    }),
    mustFail: ["stored calls are copies"]
  },
  {
    name: "merges an upserted place into the one it replaces",
    layer: broken((store) => ({
      callStore: {
        ...store.callStore,
        upsertPlaces: (tenantId, places) =>
          Effect.flatMap(
            Effect.forEach(places, (place) =>
              Effect.map(store.callStore.place(tenantId, place.addressKey), (existing) =>
                Option.match(existing, {
                  onNone: () => place,
                  onSome: (old): Place => ({ ...old, ...place, districts: { ...old.districts, ...place.districts } })
                }))),
            (merged) => store.callStore.upsertPlaces(tenantId, merged)
          )
      }
    })),
    mustFail: ["places are added, replaced whole"]
  },
  {
    name: "ignores the tenant (one shared keyspace)",
    layer: broken((store) => {
      const shared = "shared"
      return {
        callStore: {
          commitImportBatch: (_tenantId, batch) => store.callStore.commitImportBatch(shared, batch),
          importProgress: (_tenantId, importId) => store.callStore.importProgress(shared, importId),
          quarantined: (_tenantId, importId, options) => store.callStore.quarantined(shared, importId, options),
          callsAt: (_tenantId, addressKey, window) => store.callStore.callsAt(shared, addressKey, window),
          upsertPlaces: (_tenantId, places) => store.callStore.upsertPlaces(shared, places),
          place: (_tenantId, addressKey) => store.callStore.place(shared, addressKey),
          beginBulkImport: (_tenantId, importId) => store.callStore.beginBulkImport(shared, importId),
          finishBulkImport: (_tenantId, importId) => store.callStore.finishBulkImport(shared, importId)
        }
      }
    }),
    mustFail: ["tenants are isolated: the same import ids", "a dedupeKey belongs to its tenant"]
  },
  {
    name: "answers callsAt from a cache while storage holds truncated calls (a write-behind cache)",
    layer: cachingCallStore(),
    mustFail: [
      "what callsAt returns is what the raw store holds",
      "the progress totals add up over batches",
      "a batch whose throughRow is not beyond",
      "a call whose dedupeKey is stored counts as a duplicate",
      "calls read back exactly"
    ]
  },
  {
    name: "claims to persist but forgets everything when the layer is built again",
    layer: broken(() => ({})),
    capabilities: { persistent: true },
    mustFail: ["calls, progress, quarantined rows and places survive a new instance"]
  }
]

/**
 * A call store that writes truncated call types to storage but remembers
 * what it was given and answers `callsAt` from that memory. Through its own
 * port it looks perfect; only the raw store shows the damage.
 */
export function cachingCallStore(): ReturnType<typeof broken> {
  return broken((store) => {
    const cache = new Map<string, StoredCall>()
    const keyOf = (tenantId: string, dedupeKey: string) => JSON.stringify([tenantId, dedupeKey])
    // By code point, and not text the store must refuse: the damage must pass every check but the raw store's.
    const truncated = (call: StoredCall): StoredCall =>
      isStoredCall(call) && portableTextProblem(call.call.callType.description) === undefined
        ? { ...call, call: { ...call.call, callType: { ...call.call.callType, description: Array.from(call.call.callType.description).slice(0, 4).join("") } } }
        : call
    return {
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId, batch) =>
          Effect.tap(store.callStore.commitImportBatch(tenantId, { ...batch, calls: batch.calls.map(truncated) }), () =>
            Effect.sync(() => {
              for (const call of batch.calls) {
                if (!cache.has(keyOf(tenantId, call.dedupeKey))) cache.set(keyOf(tenantId, call.dedupeKey), decodeCall(encodeCall(call)))
              }
            })),
        callsAt: (tenantId, addressKey, window) =>
          Effect.map(store.callStore.callsAt(tenantId, addressKey, window), (calls) =>
            calls.map((call) => {
              const cached = cache.get(keyOf(tenantId, call.dedupeKey))
              return cached === undefined ? call : decodeCall(encodeCall(cached))
            }))
      }
    }
  })
}

// ----------------------------------------------------------------------------
// CallAnalytics
// ----------------------------------------------------------------------------

/** An import batch as a broken adapter's daily counts saw it. */
interface SeenBatch {
  readonly tenantId: string
  readonly calls: ReadonlyArray<StoredCall>
  /** Per call: whether the store kept it as new (false for duplicates, and for every call of a refused batch). */
  readonly kept: ReadonlyArray<boolean>
  readonly committed: boolean
}

/** What a broken adapter's daily counts were written from. */
interface Seen {
  readonly batches: ReadonlyArray<SeenBatch>
  /** The places registry, by tenant and address. */
  readonly places: ReadonlyMap<string, ReadonlyMap<string, Place>>
}

/** The calls a correct adapter counts for a tenant. */
const keptCalls = (batches: ReadonlyArray<SeenBatch>, tenantId: string): Array<StoredCall> =>
  batches.filter((batch) => batch.tenantId === tenantId).flatMap((batch) => batch.calls.filter((_, index) => batch.kept[index] === true))

/**
 * Analytics whose daily counts are written wrong: a separate memory store,
 * rebuilt after every write, is given the calls `flaw` says the counts hold
 * and answers for them. The calls go in under unique keys, so a flaw that
 * keeps duplicates really counts them.
 */
const flawedCounts = (flaw: (tenantId: string, seen: Seen) => ReadonlyArray<StoredCall>) =>
  broken((store) => {
    const batches: Array<SeenBatch> = []
    const places = new Map<string, Map<string, Place>>()
    const keys = new Map<string, Set<string>>()
    // Each tenant's counts, with the number of writes they were built after.
    const built = new Map<string, { readonly writes: number; readonly analytics: CallAnalytics["Service"] }>()
    let writes = 0
    const countsOf = (tenantId: string) =>
      Effect.gen(function*() {
        const cached = built.get(tenantId)
        if (cached !== undefined && cached.writes === writes) return cached.analytics
        const counts = yield* MemoryStore.make()
        const calls = flaw(tenantId, { batches, places }).map((call, index) => ({ ...call, dedupeKey: `counted-${index}` }))
        yield* Effect.orDie(counts.callStore.commitImportBatch("counts", { importId: "counts", throughRow: calls.length + 1, calls, quarantined: [] }))
        built.set(tenantId, { writes, analytics: counts.callAnalytics })
        return counts.callAnalytics
      })
    const answer = <A, E>(tenantId: string, question: (analytics: CallAnalytics["Service"]) => Effect.Effect<A, E>) =>
      Effect.flatMap(countsOf(tenantId), question)
    return {
      callStore: {
        ...store.callStore,
        commitImportBatch: (tenantId: string, batch: ImportBatch) =>
          Effect.flatMap(Effect.exit(store.callStore.commitImportBatch(tenantId, batch)), (exit) => {
            const known = keys.get(tenantId) ?? new Set<string>()
            keys.set(tenantId, known)
            const committed = Exit.isSuccess(exit)
            const kept = batch.calls.map((call) => {
              if (!committed || known.has(call.dedupeKey)) return false
              known.add(call.dedupeKey)
              return true
            })
            batches.push({ tenantId, calls: batch.calls, kept, committed })
            writes += 1
            return exit
          }),
        upsertPlaces: (tenantId: string, upserted: ReadonlyArray<Place>) =>
          Effect.tap(store.callStore.upsertPlaces(tenantId, upserted), () =>
            Effect.sync(() => {
              const registry = places.get(tenantId) ?? new Map<string, Place>()
              places.set(tenantId, registry)
              for (const place of upserted) registry.set(place.addressKey, place)
              writes += 1
            }))
      },
      callAnalytics: {
        repeatLocations: (tenantId, filter) => answer(tenantId, (counts) => counts.repeatLocations("counts", filter)),
        countsByArea: (tenantId, filter) => answer(tenantId, (counts) => counts.countsByArea("counts", filter)),
        countsByCategory: (tenantId, filter) => answer(tenantId, (counts) => counts.countsByCategory("counts", filter)),
        concentration: (tenantId, filter) => answer(tenantId, (counts) => counts.concentration("counts", filter))
      }
    }
  })

/** A call with its place's districts replaced (a place of unknown land use when it had none). */
const withDistricts = (call: StoredCall, districts: Districts): StoredCall => {
  const location = call.call.location
  return {
    ...call,
    call: {
      ...call.call,
      location: "addressKey" in location
        ? {
          addressKey: location.addressKey,
          place: { ...(location.place ?? { addressKey: location.addressKey, landUse: { _tag: "unknown" } }), districts }
        }
        : { ...location, districts }
    }
  }
}

/** Analytics over the real memory adapter with the filter or the answers changed on the way. */
const flawedQueries = (
  change: (analytics: CallAnalytics["Service"]) => Partial<CallAnalytics["Service"]>
) => broken((store) => ({ callAnalytics: { ...store.callAnalytics, ...change(store.callAnalytics) } }))

const reranked = (compare: (a: string, b: string) => number) => (counts: ReadonlyArray<KeyCount>) =>
  [...counts].sort((a, b) => b.count - a.count || compare(a.key, b.key))

/** A window shifted or widened, as off-by-one code computes it. */
const shifted = <F extends CallFilter>(filter: F, window: (endDay: string, days: number) => CallFilter["window"]): F => ({
  ...filter,
  window: window(filter.window.endDay, filter.window.days)
})

const withoutChannels = <F extends CallFilter>(filter: F, when: (channels: ReadonlyArray<string>) => boolean): F => {
  if (filter.channels === undefined || !when(filter.channels)) return filter
  const { channels: _channels, ...rest } = filter
  return rest as F
}

/** Broken call analytics. */
export const brokenCallAnalytics: ReadonlyArray<BrokenAdapter> = [
  {
    name: "reads an invalid tenant id as an empty tenant",
    layer: broken((store) => ({
      callAnalytics: {
        ...store.callAnalytics,
        repeatLocations: (tenantId, filter) =>
          isRefusedTenant(tenantId) ? Effect.succeed([]) : store.callAnalytics.repeatLocations(tenantId, filter)
      }
    })),
    mustFail: ["every operation refuses an empty"]
  },
  {
    name: "counts a call with several categories in its first category only",
    layer: flawedCounts((tenantId, seen) =>
      keptCalls(seen.batches, tenantId).map((call) => ({ ...call, categories: call.categories.slice(0, 1) }))),
    mustFail: ["a category filter counts each call carrying the category once", "on generated calls"]
  },
  {
    name: "counts a call once per category match (a LEFT JOIN of categories without DISTINCT)",
    layer: flawedCounts((tenantId, seen) =>
      keptCalls(seen.batches, tenantId).flatMap((call) =>
        call.categories.length === 0 ? [call] : call.categories.map((match) => ({ ...call, categories: [match] })))),
    mustFail: ["a category filter counts each call carrying the category once", "on generated calls"]
  },
  {
    name: "counts calls with no area under a placeholder area",
    layer: flawedCounts((tenantId, seen) =>
      keptCalls(seen.batches, tenantId).map((call) => {
        const districts = locationDistricts(call.call.location) ?? {}
        return withDistricts(call, {
          councilDistrict: districts.councilDistrict ?? "UNKNOWN",
          policeDistrict: districts.policeDistrict ?? "UNKNOWN",
          beat: districts.beat ?? "UNKNOWN",
          neighborhood: districts.neighborhood ?? "UNKNOWN"
        })
      })),
    mustFail: ["countsByArea counts calls per area of each kind"]
  },
  {
    name: "counts the calls without an address at a placeholder address (as a NOT NULL address column tempts)",
    layer: flawedCounts((tenantId, seen) =>
      keptCalls(seen.batches, tenantId).map((call) => {
        const location = call.call.location
        return "addressKey" in location ? call : {
          ...call,
          call: {
            ...call.call,
            location: { addressKey: "UNKNOWN", place: { addressKey: "UNKNOWN", landUse: { _tag: "unknown" }, districts: location.districts } }
          }
        }
      })),
    mustFail: ["calls without an address count by area, category and channel, never per address"]
  },
  {
    name: "takes a call's areas from the places registry at query time (a JOIN on places)",
    layer: flawedCounts((tenantId, seen) =>
      keptCalls(seen.batches, tenantId).map((call) => {
        const addressKey = locationAddressKey(call.call.location)
        const registered = addressKey === undefined ? undefined : seen.places.get(tenantId)?.get(addressKey)
        return registered === undefined ? call : withDistricts(call, registered.districts)
      })),
    mustFail: ["countsByArea counts calls per area of each kind"]
  },
  {
    name: "counts duplicates (the daily counts are bumped before the dedupe check)",
    layer: flawedCounts((tenantId, seen) =>
      seen.batches.filter((batch) => batch.tenantId === tenantId && batch.committed).flatMap((batch) => batch.calls)),
    mustFail: ["duplicates and calls of refused batches are never counted", "on generated calls"]
  },
  {
    name: "counts the calls of refused batches (the daily counts are bumped before the batch is validated)",
    layer: flawedCounts((tenantId, seen) => {
      const counted = new Set<string>()
      return seen.batches
        .filter((batch) => batch.tenantId === tenantId)
        .flatMap((batch) => batch.calls)
        .filter((call) => {
          if (!isStoredCall(call) || counted.has(call.dedupeKey)) return false
          counted.add(call.dedupeKey)
          return true
        })
    }),
    mustFail: ["duplicates and calls of refused batches are never counted"]
  },
  {
    name: "buckets calls by the UTC date of receivedAt instead of the service day",
    layer: flawedCounts((tenantId, seen) => keptCalls(seen.batches, tenantId).map((call) => ({ ...call, serviceDay: utcDay(call) }))),
    mustFail: ["repeatLocations counts calls per address over whole service days", "on generated calls"]
  },
  {
    name: "overwrites a day's counts with the latest batch's instead of adding to them",
    layer: flawedCounts((tenantId, seen) => {
      const latest = new Map<string, Array<StoredCall>>()
      for (const batch of seen.batches) {
        if (batch.tenantId !== tenantId) continue
        const byDay = new Map<string, Array<StoredCall>>()
        batch.calls.forEach((call, index) => {
          if (batch.kept[index] === true) byDay.set(call.serviceDay, [...(byDay.get(call.serviceDay) ?? []), call])
        })
        for (const [day, calls] of byDay) latest.set(day, calls)
      }
      return [...latest.values()].flat()
    }),
    mustFail: ["counts after importing another day"]
  },
  {
    name: "ignores the tenant in the daily counts",
    layer: flawedCounts((_tenantId, seen) =>
      seen.batches.flatMap((batch) => batch.calls.filter((_, index) => batch.kept[index] === true))),
    mustFail: ["tenants are isolated: each tenant's counts", "on generated calls"]
  },
  {
    name: "counts back `days` days before the end (a window one day too long)",
    layer: flawedQueries((analytics) => {
      const longer = <F extends CallFilter>(filter: F) => shifted(filter, (endDay, days) => ({ endDay, days: days + 1 }))
      return {
        repeatLocations: (tenantId, filter) => analytics.repeatLocations(tenantId, longer(filter)),
        countsByArea: (tenantId, filter) => analytics.countsByArea(tenantId, longer(filter)),
        countsByCategory: (tenantId, filter) => analytics.countsByCategory(tenantId, longer(filter)),
        concentration: (tenantId, filter) => analytics.concentration(tenantId, longer(filter))
      }
    }),
    mustFail: ["repeatLocations counts calls per address over whole service days", "on generated calls"]
  },
  {
    name: "leaves the window's end day out (a half-open range)",
    layer: flawedQueries((analytics) => {
      const earlier = <F extends CallFilter>(filter: F) => shifted(filter, (endDay, days) => ({ endDay: dayAfter(endDay, -1), days }))
      return {
        repeatLocations: (tenantId, filter) => analytics.repeatLocations(tenantId, earlier(filter)),
        countsByArea: (tenantId, filter) => analytics.countsByArea(tenantId, earlier(filter)),
        countsByCategory: (tenantId, filter) => analytics.countsByCategory(tenantId, earlier(filter)),
        concentration: (tenantId, filter) => analytics.concentration(tenantId, earlier(filter))
      }
    }),
    mustFail: ["repeatLocations counts calls per address over whole service days", "on generated calls"]
  },
  {
    name: "breaks ties by UTF-16 code unit (JavaScript's <)",
    layer: flawedQueries((analytics) => ({
      repeatLocations: (tenantId, filter) =>
        Effect.map(analytics.repeatLocations(tenantId, filter), reranked((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    })),
    mustFail: ["repeatLocations counts calls per address over whole service days"]
  },
  {
    name: "breaks ties with a linguistic collation (localeCompare)",
    layer: flawedQueries((analytics) => ({
      repeatLocations: (tenantId, filter) => Effect.map(analytics.repeatLocations(tenantId, filter), reranked((a, b) => a.localeCompare(b)))
    })),
    mustFail: ["repeatLocations counts calls per address over whole service days"]
  },
  {
    name: "ignores the channel filter",
    layer: flawedQueries((analytics) => {
      const all = <F extends CallFilter>(filter: F) => withoutChannels(filter, () => true)
      return {
        repeatLocations: (tenantId, filter) => analytics.repeatLocations(tenantId, all(filter)),
        countsByArea: (tenantId, filter) => analytics.countsByArea(tenantId, all(filter)),
        countsByCategory: (tenantId, filter) => analytics.countsByCategory(tenantId, all(filter)),
        concentration: (tenantId, filter) => analytics.concentration(tenantId, all(filter))
      }
    }),
    mustFail: ["a channel filter keeps only calls", "on generated calls"]
  },
  {
    name: "treats an empty channel list as no filter",
    layer: flawedQueries((analytics) => {
      const emptyIsAll = <F extends CallFilter>(filter: F) => withoutChannels(filter, (channels) => channels.length === 0)
      return {
        repeatLocations: (tenantId, filter) => analytics.repeatLocations(tenantId, emptyIsAll(filter)),
        countsByArea: (tenantId, filter) => analytics.countsByArea(tenantId, emptyIsAll(filter)),
        countsByCategory: (tenantId, filter) => analytics.countsByCategory(tenantId, emptyIsAll(filter)),
        concentration: (tenantId, filter) => analytics.concentration(tenantId, emptyIsAll(filter))
      }
    }),
    mustFail: ["a channel filter keeps only calls"]
  },
  {
    name: "treats minCount as exclusive (more than, not at least)",
    layer: flawedQueries((analytics) => ({
      repeatLocations: (tenantId, filter) =>
        Effect.map(analytics.repeatLocations(tenantId, filter), (counts) => counts.filter((entry) => entry.count > filter.minCount))
    })),
    mustFail: ["repeatLocations keeps only places with at least minCount calls"]
  },
  {
    name: "rounds the number of top places instead of rounding it up",
    layer: flawedQueries((analytics) => ({
      concentration: (tenantId, filter) =>
        Effect.andThen(analytics.concentration(tenantId, filter), (correct) =>
          Effect.map(analytics.repeatLocations(tenantId, { ...filter, minCount: 1, limit: 10_000 }), (counts) => {
            const topPlaces = Math.round(counts.length * filter.topPercent / 100)
            const callsAtTop = counts.slice(0, topPlaces).reduce((sum, entry) => sum + entry.count, 0)
            return { ...correct, topPlaces, callsAtTop, share: correct.totalCalls === 0 ? 0 : callsAtTop / correct.totalCalls }
          }))
    })),
    mustFail: ["concentration: the places with calls"]
  },
  {
    name: "clamps days, limits, minCount and topPercent into range instead of refusing them",
    layer: flawedQueries((analytics) => {
      const clampDays = <F extends CallFilter>(filter: F) =>
        shifted(filter, (endDay, days) => ({ endDay, days: Number.isNaN(days) ? 1 : Math.min(3_660, Math.max(1, Math.round(days))) }))
      const clamp = (value: number, low: number, high: number) => Number.isNaN(value) ? low : Math.min(high, Math.max(low, value))
      return {
        repeatLocations: (tenantId, filter) =>
          analytics.repeatLocations(tenantId, {
            ...clampDays(filter),
            minCount: Math.max(0, Math.round(filter.minCount)),
            limit: Math.round(clamp(filter.limit, 1, 10_000))
          }),
        countsByArea: (tenantId, filter) => analytics.countsByArea(tenantId, clampDays(filter)),
        countsByCategory: (tenantId, filter) => analytics.countsByCategory(tenantId, clampDays(filter)),
        concentration: (tenantId, filter) =>
          analytics.concentration(tenantId, { ...clampDays(filter), topPercent: clamp(filter.topPercent, 1, 100) })
      }
    }),
    mustFail: ["windows outside 1 to 3,660 days"]
  },
  {
    name: "claims to persist but forgets everything when the layer is built again",
    layer: broken(() => ({})),
    capabilities: { persistent: true },
    mustFail: ["counts survive a new instance"]
  }
]
