/**
 * The memory adapter passes every check of the kit, the persistence checks
 * included (against a memory store standing in for a database that outlives
 * the layer), and each port's suite runs alone with a layer providing just
 * the services it needs.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { CallAnalytics, CallStore, EventStore, Outbox, ReadModelStore } from "@community-policing/core"
import {
  callAnalyticsChecks,
  callAnalyticsSuite,
  callStoreChecks,
  callStoreSuite,
  eventStoreChecks,
  eventStoreSuite,
  outboxChecks,
  outboxSuite,
  readModelStoreChecks,
  readModelStoreSuite,
  runCheck
} from "@community-policing/testkit"
import { describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { memoryWithRaw, persistentMemory } from "./support/memory.ts"

const everyCheck = [...eventStoreChecks, ...readModelStoreChecks, ...outboxChecks, ...callStoreChecks, ...callAnalyticsChecks]

describe("the memory adapter passes every check", () => {
  const database = persistentMemory()
  for (const check of everyCheck) {
    it.effect(`${check.port}: ${check.name}`, () => runCheck(check, { layer: database, capabilities: { persistent: true } }))
  }
})

describe("the memory adapter, fresh for every check, passes every check but persistence", () => {
  for (const check of everyCheck) {
    if (check.requires.includes("persistent")) continue
    it.effect(`${check.port}: ${check.name}`, () => runCheck(check, { layer: memoryWithRaw }))
  }
})

eventStoreSuite("EventStore alone", {
  layer: Layer.effect(EventStore, Effect.map(MemoryStore.make(), (store) => store.eventStore))
})

readModelStoreSuite("ReadModelStore alone", {
  layer: Layer.effect(ReadModelStore, Effect.map(MemoryStore.make(), (store) => store.readModelStore))
})

outboxSuite("Outbox with the EventStore that writes its messages", {
  layer: Layer.effectContext(
    Effect.map(MemoryStore.make(), (store) => Context.make(EventStore, store.eventStore).pipe(Context.add(Outbox, store.outbox)))
  )
})

callStoreSuite("CallStore alone", {
  layer: Layer.effect(CallStore, Effect.map(MemoryStore.make(), (store) => store.callStore))
})

callAnalyticsSuite("CallAnalytics with the CallStore that feeds it", {
  layer: Layer.effectContext(
    Effect.map(MemoryStore.make(), (store) =>
      Context.make(CallStore, store.callStore).pipe(Context.add(CallAnalytics, store.callAnalytics)))
  )
})
