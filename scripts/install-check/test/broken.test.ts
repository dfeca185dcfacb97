/**
 * The kit must fail an adapter that breaks a clause, and vitest must exit
 * non-zero: an EventStore that reads every stream one event short.
 */
import { EventStore } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { eventStoreSuite } from "@community-policing/testkit"
import { Effect, Layer } from "effect"

const oneEventShort = Layer.effect(
  EventStore,
  Effect.map(MemoryStore.make(), ({ eventStore }) =>
    EventStore.of({
      ...eventStore,
      readStream: (tenantId, streamId, fromVersion) =>
        Effect.map(eventStore.readStream(tenantId, streamId, fromVersion), (events) => events.slice(0, -1))
    }))
)

eventStoreSuite("an EventStore that reads one event short", { layer: oneEventShort })
