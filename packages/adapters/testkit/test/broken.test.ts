/**
 * Every suite demonstrably fails on a broken adapter: each deliberately
 * broken adapter (see support/broken.ts) breaks one contract clause, and the
 * checks written for that clause must catch it with a ConformanceFailure.
 */
import { CallStore, EventStore } from "@community-policing/core"
import {
  callAnalyticsChecks,
  callStoreChecks,
  type ConformanceCheck,
  eventStoreChecks,
  outboxChecks,
  readModelStoreChecks
} from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { type BrokenAdapter, brokenEventStores, brokenOutboxes, brokenReadModelStores, cachingEventStore } from "./support/broken.ts"
import { brokenCallAnalytics, brokenCallStores, cachingCallStore } from "./support/brokenCalls.ts"
import type { Ports } from "./support/memory.ts"
import { checkNamed, failedChecks } from "./support/run.ts"

const catches = <R extends Ports>(suite: string, checks: ReadonlyArray<ConformanceCheck<R>>, adapters: ReadonlyArray<BrokenAdapter>) =>
  describe(`the ${suite} checks catch a broken adapter that`, () => {
    for (const adapter of adapters) {
      it.effect(adapter.name, () =>
        Effect.gen(function*() {
          const mustFail = adapter.mustFail.map((fragment) => checkNamed(checks, fragment))
          if (mustFail.length === 0) {
            // The control breaks nothing: it shows that the flawed variants fail for their flaw alone.
            assert.deepStrictEqual(yield* failedChecks(checks, adapter.layer, adapter.capabilities), [])
            return
          }
          const relevant = checks.filter((check) => mustFail.includes(check.name))
          assert.deepStrictEqual(
            yield* failedChecks(relevant, adapter.layer, adapter.capabilities),
            relevant.map((check) => check.name),
            "every check written for the broken clause must catch it"
          )
        }))
    }
  })

catches("EventStore", eventStoreChecks, brokenEventStores)
catches("ReadModelStore", readModelStoreChecks, brokenReadModelStores)
catches("Outbox", outboxChecks, brokenOutboxes)
catches("CallStore", callStoreChecks, brokenCallStores)
catches("CallAnalytics", callAnalyticsChecks, brokenCallAnalytics)

describe("the raw store", () => {
  it.effect("is what catches an adapter answering reads from a cache: without it, every other check passes", () =>
    Effect.gen(function*() {
      // Only the EventStore of the caching adapter: the RawStore it comes with is left out.
      const withoutRaw = Layer.effect(EventStore, Effect.gen(function*() {
        return yield* EventStore
      })).pipe(Layer.provide(cachingEventStore()))
      assert.deepStrictEqual(yield* failedChecks(eventStoreChecks, withoutRaw, {}, false), [])
    }))

  it.effect("is what catches a call store answering callsAt from a cache: without it, every other check passes", () =>
    Effect.gen(function*() {
      const withoutRaw = Layer.effect(CallStore, Effect.gen(function*() {
        return yield* CallStore
      })).pipe(Layer.provide(cachingCallStore()))
      assert.deepStrictEqual(yield* failedChecks(callStoreChecks, withoutRaw, {}, false), [])
    }))
})

describe("the broken adapters", () => {
  it("exercise every check: each check is shown to catch at least one of them", () => {
    const uncovered = <R>(checks: ReadonlyArray<ConformanceCheck<R>>, adapters: ReadonlyArray<BrokenAdapter>) => {
      const caught = new Set(adapters.flatMap((adapter) => adapter.mustFail.map((fragment) => checkNamed(checks, fragment))))
      return checks.map((check) => check.name).filter((name) => !caught.has(name))
    }
    assert.deepStrictEqual(uncovered(eventStoreChecks, brokenEventStores), [])
    assert.deepStrictEqual(uncovered(readModelStoreChecks, brokenReadModelStores), [])
    assert.deepStrictEqual(uncovered(outboxChecks, brokenOutboxes), [])
    assert.deepStrictEqual(uncovered(callStoreChecks, brokenCallStores), [])
    assert.deepStrictEqual(uncovered(callAnalyticsChecks, brokenCallAnalytics), [])
  })
})
