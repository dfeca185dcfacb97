/**
 * The vitest registration of the conformance kit: one call in a vendor's
 * test file registers every applicable check of every port as a test.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts in your adapter package
 * import { conformance } from "@community-policing/testkit"
 * import { MyAdapter } from "../src/index.ts"
 *
 * conformance("my-adapter", {
 *   layer: MyAdapter.layer,
 *   capabilities: { concurrentWriters: true, persistent: true }
 * })
 * ```
 *
 * @module
 */
import type { EventStore, Outbox, ReadModelStore } from "@community-policing/core"
import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { type Capabilities, defaultCapabilities } from "./Capabilities.ts"
import { type CheckContext, checkProgram, type ConformanceCheck, isApplicable } from "./ConformanceCheck.ts"
import { eventStoreChecks } from "./EventStoreChecks.ts"
import { outboxChecks } from "./OutboxChecks.ts"
import type { RawStore } from "./RawStore.ts"
import { readModelStoreChecks } from "./ReadModelStoreChecks.ts"

/** How to run a suite against an adapter. */
export interface SuiteOptions<ROut, E = never, E2 = never> {
  /**
   * The adapter's layer. Each suite builds it once and shares it between its
   * checks, which keep apart by using fresh tenant ids; a persistent store
   * that keeps data between runs is fine.
   */
  readonly layer: Layer.Layer<ROut, E>
  /** What the adapter can do; anything left out takes its value from `defaultCapabilities`. */
  readonly capabilities?: Partial<Capabilities> | undefined
  /**
   * A layer providing the {@link RawStore} inspector that reads stored rows
   * without the adapter. It is built on top of `layer`, so it may use any
   * service `layer` provides (a second connection, the memory inspector).
   * When given, the raw checks run and other checks also verify what was
   * really stored.
   */
  readonly raw?: Layer.Layer<RawStore, E2, NoInfer<ROut>> | undefined
  /** Milliseconds each check (and building the layer) may take; default 30,000. */
  readonly timeout?: number | undefined
}

const registerSuite = <R, ROut, E, E2>(
  name: string,
  checks: ReadonlyArray<ConformanceCheck<R>>,
  options: SuiteOptions<ROut | R, E, E2>
): void => {
  const capabilities: Capabilities = { ...defaultCapabilities, ...options.capabilities }
  const adapter: Layer.Layer<ROut | R, unknown> = options.raw === undefined
    ? options.layer
    : Layer.provideMerge(options.raw, options.layer)
  const context: CheckContext<R> = { capabilities, layer: adapter }
  const timeout = options.timeout ?? 30_000
  const applicable = checks.filter((check) => isApplicable(check, capabilities, options.raw !== undefined))
  layer(adapter, { timeout })(name, (it) => {
    for (const check of applicable) {
      it.effect(check.name, () => checkProgram(check, context), timeout)
    }
  })
}

/** Registers the `EventStore` checks as a vitest suite named `name`; `layer` must provide `EventStore`. */
export const eventStoreSuite = <ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | EventStore, E, E2>
): void => registerSuite(name, eventStoreChecks, options)

/** Registers the `ReadModelStore` checks as a vitest suite named `name`; `layer` must provide `ReadModelStore`. */
export const readModelStoreSuite = <ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | ReadModelStore, E, E2>
): void => registerSuite(name, readModelStoreChecks, options)

/**
 * Registers the `Outbox` checks as a vitest suite named `name`. `layer` must
 * provide `EventStore` as well as `Outbox`: messages are only ever written by
 * `EventStore.append`, in the same transaction as their events.
 */
export const outboxSuite = <ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | EventStore | Outbox, E, E2>
): void => registerSuite(name, outboxChecks, options)

/**
 * Registers every port's suite under one vitest `describe` named `name`:
 * the whole conformance run for an adapter providing all three ports.
 */
export const conformance = <ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | EventStore | ReadModelStore | Outbox, E, E2>
): void => {
  describe(name, () => {
    eventStoreSuite("EventStore", options)
    readModelStoreSuite("ReadModelStore", options)
    outboxSuite("Outbox", options)
  })
}
