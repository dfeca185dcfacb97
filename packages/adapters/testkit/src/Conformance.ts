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
import type { CallAnalytics, CallStore, EventStore, Outbox, ReadModelStore } from "@community-policing/core"
import { Cause, type Context, Effect, Exit, Layer, Scope } from "effect"
import { TestClock } from "effect/testing"
import { afterAll, beforeAll, describe, it } from "vitest"
import { callAnalyticsChecks } from "./CallAnalyticsChecks.ts"
import { callStoreChecks } from "./CallStoreChecks.ts"
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

/**
 * Runs an effect for vitest: resolves on success, rejects with the error the
 * effect failed with (a {@link ConformanceFailure}, whose `expected` and
 * `actual` vitest prints as a diff) or, for a defect that is not an `Error`,
 * with the pretty-printed cause. Aborting `signal` (vitest's timeout)
 * interrupts the effect.
 */
const runForVitest = async <A, E>(effect: Effect.Effect<A, E>, signal?: AbortSignal): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect, signal === undefined ? undefined : { signal })
  if (Exit.isSuccess(exit)) return exit.value
  const error = Cause.squash(exit.cause)
  throw error instanceof Error ? error : new Error(Cause.pretty(exit.cause))
}

// Registered with vitest's own describe/it/beforeAll/afterAll, not
// @effect/vitest: every @effect/vitest 4.x peers on vitest 5, so a kit that
// needed it could not be installed next to vitest 4 with plain `npm install`.
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
  describe(name, () => {
    // One instance of the adapter, and one TestClock (the outbox checks move
    // time), built before the suite's first check and shared by all of them;
    // the adapter reads the TestClock too, since it is built on top of it.
    const scope = Effect.runSync(Scope.make())
    let services: Context.Context<ROut | R | TestClock.TestClock> | undefined
    beforeAll(async () => {
      services = await runForVitest(Layer.buildWithScope(Layer.provideMerge(adapter, TestClock.layer()), scope))
    }, timeout)
    afterAll(() => runForVitest(Scope.close(scope, Exit.void)), timeout)
    for (const check of applicable) {
      it(check.name, { timeout }, (test) => {
        if (services === undefined) throw new Error(`${name}: the adapter's layer was not built`)
        return runForVitest(Effect.provide(checkProgram(check, context), services), test.signal)
      })
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

/** Registers the `CallStore` checks as a vitest suite named `name`; `layer` must provide `CallStore`. */
export const callStoreSuite = <ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | CallStore, E, E2>
): void => registerSuite(name, callStoreChecks, options)

/**
 * Registers the `CallAnalytics` checks as a vitest suite named `name`.
 * `layer` must provide `CallStore` as well as `CallAnalytics`: the checks
 * import their calls through it, and the analytics count what it stored.
 */
export const callAnalyticsSuite = <ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | CallStore | CallAnalytics, E, E2>
): void => registerSuite(name, callAnalyticsChecks, options)

/** The ports every adapter's conformance run checks; `capabilities.calls` adds `CallStore` and `CallAnalytics`. */
export type CorePorts = EventStore | ReadModelStore | Outbox

/** Options of a conformance run that leaves the calls ports out: `capabilities.calls` is absent or `false`. */
export interface WithoutCalls {
  readonly capabilities?: (Partial<Capabilities> & { readonly calls?: false | undefined }) | undefined
}

/**
 * Registers every port's suite under one vitest `describe` named `name`: the
 * whole conformance run. The `CallStore` and `CallAnalytics` suites run only
 * when `capabilities.calls` is `true`, and then `layer` must provide those
 * ports too.
 *
 * @example
 * ```ts
 * conformance("my-adapter", { layer: MyAdapter.layer, capabilities: { persistent: true, calls: true } })
 * ```
 */
export function conformance<ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | CorePorts, E, E2> & WithoutCalls
): void
export function conformance<ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | CorePorts | CallStore | CallAnalytics, E, E2>
): void
export function conformance<ROut, E = never, E2 = never>(
  name: string,
  options: SuiteOptions<ROut | CorePorts | CallStore | CallAnalytics, E, E2>
): void {
  describe(name, () => {
    eventStoreSuite("EventStore", options)
    readModelStoreSuite("ReadModelStore", options)
    outboxSuite("Outbox", options)
    if (options.capabilities?.calls === true) {
      callStoreSuite("CallStore", options)
      callAnalyticsSuite("CallAnalytics", options)
    }
  })
}
