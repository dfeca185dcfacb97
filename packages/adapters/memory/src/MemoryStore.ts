/**
 * The in-memory adapter: one implementation of `EventStore`, `ReadModelStore`
 * and `Outbox` over one shared state, so that an append's outbox messages are
 * committed with its events. Nothing survives the process; use it for tests,
 * demos and as the reference behaviour of the port contracts.
 *
 * @example
 * ```ts
 * import { EventStore } from "@community-policing/core"
 * import { MemoryStore } from "@community-policing/adapter-memory"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const store = yield* EventStore
 *   return yield* store.readStream("springfield", "nuisance-case-2026-0001")
 * })
 * Effect.runPromise(Effect.provide(program, MemoryStore.layer))
 * ```
 *
 * @module
 */
import { EventStore, Outbox, ReadModelStore } from "@community-policing/core"
import { Context, DateTime, Effect, Layer } from "effect"
import { makeEventStore } from "./internal/eventStore.ts"
import { copyOut } from "./internal/json.ts"
import { makeOutbox, messageOut } from "./internal/outbox.ts"
import { makeReadModelStore } from "./internal/readModel.ts"
import { emptyState, type State } from "./internal/state.ts"
import { MemoryInspector, type TenantSnapshot } from "./MemoryInspector.ts"

/** The inspector of a memory store's state; see {@link makeWithInspector}. */
export { MemoryInspector, type StoredOutboxMessage, type TenantSnapshot } from "./MemoryInspector.ts"

/** The three port services of one memory store, sharing its state. */
export interface MemoryStoreServices {
  readonly eventStore: EventStore["Service"]
  readonly readModelStore: ReadModelStore["Service"]
  readonly outbox: Outbox["Service"]
}

/** A memory store together with the inspector that reads its state directly. */
export interface InspectableMemoryStore extends MemoryStoreServices {
  readonly inspector: MemoryInspector["Service"]
}


const makeInspector = (state: State): MemoryInspector["Service"] =>
  MemoryInspector.of({
    snapshot: (tenantId) =>
      Effect.sync(() => {
        const tenant = state.tenants.get(tenantId)
        if (tenant === undefined) {
          return { events: [], idempotencyKeys: {}, outbox: [], documents: [], checkpoints: {} } satisfies TenantSnapshot
        }
        return {
          events: tenant.log.map((event) => ({ ...event, data: copyOut(event.data) })),
          idempotencyKeys: Object.fromEntries(
            Array.from(tenant.idempotency, ([key, events]) => [key, events.map((event) => event.eventId)])
          ),
          outbox: Array.from(tenant.outbox.values(), (row) => ({
            ...messageOut(row),
            lease: row.lease === null ? null : { token: row.lease.token, until: DateTime.makeUnsafe(row.lease.until) }
          })),
          documents: Array.from(tenant.documents.values()).flatMap((collection) =>
            Array.from(collection.values(), (document) => ({
              collection: document.collection,
              id: document.id,
              data: copyOut(document.data),
              indexed: { ...document.indexed }
            }))
          ),
          checkpoints: Object.fromEntries(tenant.checkpoints)
        }
      }),
    tenants: Effect.sync(() => Array.from(state.tenants.keys()))
  })

const storeOver = (state: State): MemoryStoreServices => ({
  eventStore: makeEventStore(state),
  readModelStore: makeReadModelStore(state),
  outbox: makeOutbox(state)
})

/** Builds the three services over a fresh, empty state. */
export const make: Effect.Effect<MemoryStoreServices> = Effect.sync(() => storeOver(emptyState()))

/** Builds the three services over a fresh state, plus a read-only inspector of that state. */
export const makeWithInspector: Effect.Effect<InspectableMemoryStore> = Effect.sync(() => {
  const state = emptyState()
  return { ...storeOver(state), inspector: makeInspector(state) }
})

const toContext = (store: MemoryStoreServices) =>
  Context.make(EventStore, store.eventStore).pipe(
    Context.add(ReadModelStore, store.readModelStore),
    Context.add(Outbox, store.outbox)
  )

/** Provides `EventStore`, `ReadModelStore` and `Outbox` over a fresh state each time the layer is built. */
export const layer: Layer.Layer<EventStore | ReadModelStore | Outbox> = Layer.effectContext(Effect.map(make, toContext))

/** {@link layer}, plus the {@link MemoryInspector} of the same state. */
export const layerWithInspector: Layer.Layer<EventStore | ReadModelStore | Outbox | MemoryInspector> = Layer
  .effectContext(
    Effect.map(makeWithInspector, (store) => toContext(store).pipe(Context.add(MemoryInspector, store.inspector)))
  )
