/**
 * The in-memory adapter: one implementation of every storage port
 * (`EventStore`, `ReadModelStore`, `Outbox`, `CallStore`, `CallAnalytics`)
 * over one shared state, so that an append's outbox messages are committed
 * with its events, and an import batch's calls with the daily counts the
 * analytics read. Nothing survives the process; use it for tests, demos and
 * as the reference behaviour of the port contracts.
 *
 * @example
 * ```ts
 * import { EventStore } from "@community-policing/core"
 * import { MemoryStore } from "@community-policing/adapter-memory"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const store = yield* EventStore
 *   return yield* store.readStream("springfield", "nuisance-case/2026-0001")
 * })
 * Effect.runPromise(Effect.provide(program, MemoryStore.layer()))
 * ```
 *
 * @module
 */
import {
  type MigrationReport,
  storeContext,
  StoreLimitChecks,
  type StorePorts,
  type StoreServices
} from "@community-policing/core"
import { Config, Context, DateTime, Effect, Layer } from "effect"
import { makeCallAnalytics } from "./internal/callAnalytics.ts"
import { importOut, makeCallStore, storedCallsOut, storedPlaceOut } from "./internal/callStore.ts"
import { makeEventStore } from "./internal/eventStore.ts"
import { copyOut } from "./internal/json.ts"
import { makeOutbox, messageOut } from "./internal/outbox.ts"
import { makeReadModelStore } from "./internal/readModel.ts"
import { emptyState, type State } from "./internal/state.ts"
import { MemoryInspector, type TenantSnapshot } from "./MemoryInspector.ts"

/** The inspector of a memory store's state; see {@link makeWithInspector}. */
export {
  type DailyCount,
  MemoryInspector,
  type StoredImport,
  type StoredOutboxMessage,
  type TenantSnapshot
} from "./MemoryInspector.ts"

/** The port services of one memory store, sharing its state. */
export type MemoryStoreServices = StoreServices

/**
 * How to make a memory store: nothing to choose today (a memory store keeps
 * no file and no connection). The parameter keeps the one shape of every
 * adapter package (`make(options)`, `layer(options)`,
 * `layerConfig(config)`), so an application switches adapters by changing
 * one layer.
 */
export interface MemoryStoreOptions {}

/** Every port the memory layer provides. */
export type MemoryPorts = StorePorts

/** A memory store together with the inspector that reads its state directly. */
export interface InspectableMemoryStore extends MemoryStoreServices {
  readonly inspector: MemoryInspector["Service"]
}


const makeInspector = (state: State): MemoryInspector["Service"] =>
  MemoryInspector.of({
    snapshot: (tenantId) =>
      Effect.sync(() => {
        const tenant = state.tenants.get(tenantId)
        if (tenant === undefined) {
          return {
            events: [],
            idempotencyKeys: {},
            outbox: [],
            documents: [],
            checkpoints: {},
            calls: [],
            imports: {},
            places: [],
            dailyCounts: []
          } satisfies TenantSnapshot
        }
        return {
          events: tenant.log.map((event) => ({ ...event, data: copyOut(event.data) })),
          idempotencyKeys: Object.fromEntries(
            Array.from(tenant.idempotency, ([key, events]) => [key, events.map((event) => event.eventId)])
          ),
          outbox: Array.from(tenant.outbox.values(), (row) => ({
            ...messageOut(row),
            lease: row.lease === null ? null : { token: row.lease.token, until: DateTime.makeUnsafe(row.lease.until) }
          })),
          documents: Array.from(tenant.documents.values()).flatMap((collection) =>
            Array.from(collection.values(), (document) => ({
              collection: document.collection,
              id: document.id,
              data: copyOut(document.data),
              indexed: { ...document.indexed }
            }))
          ),
          checkpoints: Object.fromEntries(tenant.checkpoints),
          calls: storedCallsOut(tenant.calls.values()),
          imports: Object.fromEntries(Array.from(tenant.imports, ([importId, record]) => [importId, importOut(record)])),
          places: Array.from(tenant.places.values(), storedPlaceOut),
          dailyCounts: Array.from(tenant.dailyCounts, ([serviceDay, cells]) =>
            Array.from(cells.values(), (cell) => ({
              serviceDay,
              ...(cell.addressKey === undefined ? {} : { addressKey: cell.addressKey }),
              channel: cell.channel,
              category: cell.category,
              areas: {
                ...(cell.councilDistrict === undefined ? {} : { councilDistrict: cell.councilDistrict }),
                ...(cell.policeDistrict === undefined ? {} : { policeDistrict: cell.policeDistrict }),
                ...(cell.beat === undefined ? {} : { beat: cell.beat }),
                ...(cell.neighborhood === undefined ? {} : { neighborhood: cell.neighborhood })
              },
              count: cell.count
            }))).flat()
        }
      }),
    tenants: Effect.sync(() => Array.from(state.tenants.keys()))
  })

const storeOver = (state: State): MemoryStoreServices =>
  StoreLimitChecks.store({
    eventStore: makeEventStore(state),
    readModelStore: makeReadModelStore(state),
    outbox: makeOutbox(state),
    callStore: makeCallStore(state),
    callAnalytics: makeCallAnalytics(state)
  })

/** Builds every port's service over a fresh, empty state. */
export const make = (_options: MemoryStoreOptions = {}): Effect.Effect<MemoryStoreServices> =>
  Effect.sync(() => storeOver(emptyState()))

/** Builds every port's service over a fresh state, plus a read-only inspector of that state. */
export const makeWithInspector = (_options: MemoryStoreOptions = {}): Effect.Effect<InspectableMemoryStore> =>
  Effect.sync(() => {
    const state = emptyState()
    return { ...storeOver(state), inspector: makeInspector(state) }
  })

/** The store's services as a context: its own tag and the five ports. */
const toContext = (store: MemoryStoreServices) => storeContext(store).pipe(Context.add(MemoryStore, store))

/**
 * Provides every port (`EventStore`, `ReadModelStore`, `Outbox`,
 * `CallStore`, `CallAnalytics`, and {@link MemoryStore}) over a fresh state
 * each time the layer is built.
 */
export const layer = (options: MemoryStoreOptions = {}): Layer.Layer<MemoryStore | MemoryPorts> =>
  Layer.effectContext(Effect.map(make(options), toContext))

/**
 * {@link layer} with its options read from configuration, as the other
 * adapters' `layerConfig`; a memory store has none to read yet.
 */
export const layerConfig = (config: Config.Wrap<MemoryStoreOptions>): Layer.Layer<MemoryStore | MemoryPorts, Config.ConfigError> =>
  Layer.effectContext(Config.unwrap(config).pipe(Effect.flatMap(make), Effect.map(toContext)))

/** {@link layer}, plus the {@link MemoryInspector} of the same state. */
export const layerWithInspector = (options: MemoryStoreOptions = {}): Layer.Layer<MemoryStore | MemoryPorts | MemoryInspector> =>
  Layer.effectContext(
    Effect.map(makeWithInspector(options), (store) => toContext(store).pipe(Context.add(MemoryInspector, store.inspector)))
  )

/**
 * The memory store's schema version: 0, always. A memory store has no
 * schema to migrate (its state is the process's objects and starts empty
 * with every build), so there is nothing to version.
 */
export const latestSchemaVersion: number = 0

/**
 * A no-op, for the one shape of every adapter package: a memory store is
 * created current, so there is never a migration to apply. Reports none
 * applied and {@link latestSchemaVersion}.
 */
export const migrate = (): Effect.Effect<MigrationReport> => Effect.succeed({ applied: [], version: latestSchemaVersion })

/**
 * A memory store: the five port services over one shared state. The class
 * also carries the adapter's constructors, the same names as every adapter
 * package (`SqliteStore`, `PostgresStore`): `make`, `layer`, `layerConfig`,
 * `migrate`, `latestSchemaVersion`.
 */
export class MemoryStore extends Context.Service<MemoryStore, MemoryStoreServices>()(
  "@community-policing/adapter-memory/MemoryStore"
) {
  /** {@link make}, as `MemoryStore.make`. */
  static readonly make = make
  /** {@link layer}, as `MemoryStore.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `MemoryStore.layerConfig`. */
  static readonly layerConfig = layerConfig
  /** {@link makeWithInspector}, as `MemoryStore.makeWithInspector`. */
  static readonly makeWithInspector = makeWithInspector
  /** {@link layerWithInspector}, as `MemoryStore.layerWithInspector`. */
  static readonly layerWithInspector = layerWithInspector
  /** {@link migrate}, as `MemoryStore.migrate`. */
  static readonly migrate = migrate
  /** {@link latestSchemaVersion}, as `MemoryStore.latestSchemaVersion`. */
  static readonly latestSchemaVersion = latestSchemaVersion
  /** The inspector of a memory store's state, as `MemoryStore.MemoryInspector`. */
  static readonly MemoryInspector = MemoryInspector
}
