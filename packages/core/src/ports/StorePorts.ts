/**
 * The five storage ports as one store: what an adapter provides
 * ({@link StorePorts}), its services side by side ({@link StoreServices}),
 * and the context that provides them ({@link storeContext}). Every adapter
 * builds its layer from these, so a sixth port is added in one place.
 *
 * @example
 * ```ts
 * const layer: Layer.Layer<StorePorts> = Layer.effectContext(
 *   Effect.map(makeMyServices, (services) => storeContext(StoreLimitChecks.store(services)))
 * )
 * ```
 *
 * @module
 */
import { Context } from "effect"
import { CallAnalytics } from "./CallAnalytics.ts"
import { CallStore } from "./CallStore.ts"
import { EventStore } from "./EventStore.ts"
import { Outbox } from "./Outbox.ts"
import { ReadModelStore } from "./ReadModelStore.ts"

/** Every port a store provides: `EventStore`, `ReadModelStore`, `Outbox`, `CallStore`, `CallAnalytics`. */
export type StorePorts = EventStore | ReadModelStore | Outbox | CallStore | CallAnalytics

/** The port services of one store, side by side (sharing its state, connection or pool). */
export interface StoreServices {
  /** The `EventStore` port. */
  readonly eventStore: EventStore["Service"]
  /** The `ReadModelStore` port. */
  readonly readModelStore: ReadModelStore["Service"]
  /** The `Outbox` port. */
  readonly outbox: Outbox["Service"]
  /** The `CallStore` port: import batches with their progress and quarantined rows, calls by address, the places registry. */
  readonly callStore: CallStore["Service"]
  /** The `CallAnalytics` port: counts of calls in rolling windows, over the daily counts `callStore` keeps. */
  readonly callAnalytics: CallAnalytics["Service"]
}

/** The context providing each of a store's services as its port. */
export const storeContext = (services: StoreServices): Context.Context<StorePorts> =>
  Context.make(EventStore, services.eventStore).pipe(
    Context.add(ReadModelStore, services.readModelStore),
    Context.add(Outbox, services.outbox),
    Context.add(CallStore, services.callStore),
    Context.add(CallAnalytics, services.callAnalytics)
  )

/**
 * What an adapter's `migrate` did: the migrations this run applied (empty
 * when the store was already current) and the schema version the store is
 * at afterwards. Every adapter package exports `migrate`, returning this,
 * and `latestSchemaVersion`, the version its release reads and writes, so
 * a deployment script migrates any of them the same way.
 */
export interface MigrationReport {
  /** The migrations this run applied, oldest first. */
  readonly applied: ReadonlyArray<{ readonly version: number; readonly name: string }>
  /** The store's schema version after the run. */
  readonly version: number
}
