/**
 * The memory adapter against the whole conformance kit, through the one-call
 * API a vendor uses, with the memory inspector as the raw store.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { conformance, RawStore } from "@community-policing/testkit"
import { Effect, Layer, Option } from "effect"

/** The raw store: reads the memory state through the inspector, not through the ports. */
const raw = Layer.effect(
  RawStore,
  Effect.gen(function*() {
    const inspector = yield* MemoryStore.MemoryInspector
    return RawStore.of({
      events: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.events),
      documents: (tenantId, collection) =>
        Effect.map(inspector.snapshot(tenantId), (snapshot) =>
          snapshot.documents.filter((document) => document.collection === collection)),
      checkpoint: (tenantId, projection) =>
        Effect.map(inspector.snapshot(tenantId), (snapshot) => Option.fromUndefinedOr(snapshot.checkpoints[projection])),
      outboxMessages: (tenantId) =>
        // The stored rows carry their lease too; the kit compares the port's fields only.
        Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.outbox.map(({ lease: _lease, ...message }) => message)),
      calls: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.calls),
      places: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.places)
    })
  })
)

conformance("adapter-memory", {
  layer: MemoryStore.layerWithInspector(),
  raw,
  capabilities: { concurrentWriters: true, persistent: false, calls: true }
})
