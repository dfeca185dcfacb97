/**
 * The memory adapter as the kit's tests use it: with its inspector as the
 * raw store, and as a stand-in for a database that outlives the layer.
 */
import { type InspectableMemoryStore, MemoryStore } from "@community-policing/adapter-memory"
import { CallAnalytics, CallStore, EventStore, Outbox, ReadModelStore } from "@community-policing/core"
import { RawStore } from "@community-policing/testkit"
import { Context, Effect, Layer, Option } from "effect"

/** Every port. */
export type Ports = EventStore | ReadModelStore | Outbox | CallStore | CallAnalytics

/** The raw store over a memory inspector: what the memory state really holds. */
export const rawFromInspector = (inspector: InspectableMemoryStore["inspector"]): RawStore["Service"] =>
  RawStore.of({
    events: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.events),
    documents: (tenantId, collection) =>
      Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.documents.filter((document) => document.collection === collection)),
    checkpoint: (tenantId, projection) =>
      Effect.map(inspector.snapshot(tenantId), (snapshot) => Option.fromUndefinedOr(snapshot.checkpoints[projection])),
    outboxMessages: (tenantId) =>
      Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.outbox.map(({ lease: _lease, ...message }) => message)),
    calls: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.calls),
    places: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.places)
  })

/** The services a store provides, with some of them replaced. */
export const servicesOf = (
  store: InspectableMemoryStore,
  replaced: Partial<{
    readonly eventStore: EventStore["Service"]
    readonly readModelStore: ReadModelStore["Service"]
    readonly outbox: Outbox["Service"]
    readonly callStore: CallStore["Service"]
    readonly callAnalytics: CallAnalytics["Service"]
  }> = {}
): Context.Context<Ports | RawStore> =>
  Context.make(EventStore, replaced.eventStore ?? store.eventStore).pipe(
    Context.add(ReadModelStore, replaced.readModelStore ?? store.readModelStore),
    Context.add(Outbox, replaced.outbox ?? store.outbox),
    Context.add(CallStore, replaced.callStore ?? store.callStore),
    Context.add(CallAnalytics, replaced.callAnalytics ?? store.callAnalytics),
    Context.add(RawStore, rawFromInspector(store.inspector))
  )

/** The memory adapter, fresh state per build, with its raw store. */
export const memoryWithRaw: Layer.Layer<Ports | RawStore> = Layer.effectContext(
  Effect.map(MemoryStore.makeWithInspector(), (store) => servicesOf(store))
)

/**
 * A memory store whose state outlives every build of the layer, as a
 * database outlives its connections: what one instance writes, the next
 * reads. Each call makes a new "database".
 */
export const persistentMemory = (): Layer.Layer<Ports | RawStore> => {
  const store = Effect.runSync(MemoryStore.makeWithInspector())
  return Layer.effectContext(Effect.sync(() => servicesOf(store)))
}
