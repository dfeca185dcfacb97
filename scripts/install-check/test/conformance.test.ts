/**
 * A vendor's conformance run, as the testkit's README shows it: the memory
 * adapter against every check, with its inspector as the raw store.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { conformance, RawStore } from "@community-policing/testkit"
import { Effect, Layer, Option } from "effect"

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
        Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.outbox.map(({ lease: _lease, ...message }) => message)),
      calls: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.calls),
      places: (tenantId) => Effect.map(inspector.snapshot(tenantId), (snapshot) => snapshot.places)
    })
  })
)

conformance("adapter-memory", {
  layer: MemoryStore.layerWithInspector(),
  raw,
  capabilities: { concurrentWriters: true, calls: true }
})
