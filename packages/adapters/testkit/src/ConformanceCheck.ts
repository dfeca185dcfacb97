/**
 * A conformance check: one named clause of a port's contract, as an Effect
 * that fails with a {@link ConformanceFailure} when the adapter breaks it.
 * Checks are plain values, so they can run under vitest (see `Conformance`)
 * or anywhere else with {@link runCheck}.
 *
 * @module
 */
import { Effect, type Layer } from "effect"
import { TestClock } from "effect/testing"
import { type Capabilities, defaultCapabilities, type Requirement } from "./Capabilities.ts"
import { ConformanceFailure } from "./ConformanceFailure.ts"

/** The port a check is about. */
export type Port = "EventStore" | "ReadModelStore" | "Outbox" | "CallStore" | "CallAnalytics"

/** What a check is given besides the services. */
export interface CheckContext<R> {
  /** The adapter's declared capabilities. */
  readonly capabilities: Capabilities
  /** The adapter's layer, for checks that build a new instance of it (persistence). */
  readonly layer: Layer.Layer<R, unknown>
}

/** One clause of a port's contract, checked against the services `R`. */
export interface ConformanceCheck<R> {
  readonly port: Port
  /** Says the clause, e.g. "a stale expected version fails with VersionConflict and writes nothing". */
  readonly name: string
  /** What the check needs to run; it is left out when the adapter lacks one. */
  readonly requires: ReadonlyArray<Requirement>
  /** Fails (with any error) when the adapter breaks the clause. */
  readonly run: (context: CheckContext<R>) => Effect.Effect<void, unknown, R>
}

/** Whether a check can run for an adapter with these capabilities, with or without a raw store inspector. */
export const isApplicable = <R>(
  check: ConformanceCheck<R>,
  capabilities: Capabilities,
  hasRaw: boolean
): boolean => check.requires.every((requirement) => (requirement === "raw" ? hasRaw : capabilities[requirement]))

/**
 * A check's program, with every way it can fail turned into a
 * {@link ConformanceFailure}: an error the adapter returned where the
 * contract promised success is a broken clause too. Defects (a thrown
 * exception in the adapter) and interruptions pass through unchanged.
 */
export const checkProgram = <R>(
  check: ConformanceCheck<R>,
  context: CheckContext<R>
): Effect.Effect<void, ConformanceFailure, R> =>
  Effect.mapError(check.run(context), (error) =>
    error instanceof ConformanceFailure
      ? error
      : new ConformanceFailure({
        message: `${check.port}: "${check.name}" failed with an unexpected error`,
        actual: error
      }))

/** How to run checks outside the vitest registration. */
export interface RunOptions<R> {
  /** Provides the port services the check needs (and a `RawStore`, for checks that require one). */
  readonly layer: Layer.Layer<R, unknown>
  readonly capabilities?: Partial<Capabilities> | undefined
}

/**
 * Runs one check against a fresh instance of `layer`, with a `TestClock` of
 * its own (the outbox checks move time). Building the layer failing is
 * reported as a {@link ConformanceFailure} too.
 *
 * @example
 * ```ts
 * const exit = yield* Effect.exit(runCheck(check, { layer: MyAdapter.layer }))
 * ```
 */
export const runCheck = <R>(check: ConformanceCheck<R>, options: RunOptions<R>): Effect.Effect<void, ConformanceFailure> => {
  const context: CheckContext<R> = {
    capabilities: { ...defaultCapabilities, ...options.capabilities },
    layer: options.layer
  }
  return checkProgram(check, context).pipe(
    Effect.provide(options.layer, { local: true }),
    Effect.mapError((error) =>
      error instanceof ConformanceFailure
        ? error
        : new ConformanceFailure({ message: "building the adapter's layer failed", actual: error })),
    Effect.provide(TestClock.layer())
  )
}

/**
 * Runs `effect` against a new instance of the adapter, built from its layer
 * and released afterwards. `local` matters: without it, `Effect.provide`
 * reuses the instance an enclosing `provide` already built.
 */
export const inNewInstance = <A, E, R>(
  context: CheckContext<R>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, ConformanceFailure> =>
  Effect.provide(effect, context.layer, { local: true }).pipe(
    Effect.mapError((error) =>
      error instanceof ConformanceFailure
        ? error
        : new ConformanceFailure({ message: "a new instance of the adapter failed", actual: error }))
  )
