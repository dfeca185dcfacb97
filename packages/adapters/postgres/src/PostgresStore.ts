/**
 * The PostgreSQL adapter: `EventStore`, `ReadModelStore`, `Outbox`,
 * `CallStore` and `CallAnalytics` over one database, modelled on
 * `@effect/sql-pg`'s `PgClient` (`make`, `layer`, `layerConfig`). An append's
 * events, idempotency key and outbox messages commit in one transaction; a
 * projection's documents commit with its checkpoint; `readAll` never skips an
 * event that commits late; an import batch's calls, quarantined rows, progress
 * and daily counts commit together, and the analytics are answered in SQL.
 *
 * @example
 * ```ts
 * import { EventStore } from "@community-policing/core"
 * import { PostgresStore } from "@community-policing/adapter-postgres"
 * import { Effect, Redacted } from "effect"
 *
 * const Storage = PostgresStore.layer({
 *   url: Redacted.make("postgres://app:secret@127.0.0.1:5432/policing"),
 *   migrate: true
 * })
 * const program = Effect.gen(function*() {
 *   const store = yield* EventStore
 *   return yield* store.readAll({ tenantId: "springfield", after: 0, limit: 100 })
 * })
 * Effect.runPromise(Effect.provide(program, Storage))
 * ```
 *
 * @module
 */
import { StorageFailure, storeContext, StoreLimitChecks, type StorePorts, type StoreServices } from "@community-policing/core"
import { PgClient } from "@effect/sql-pg"
import { Config, Context, Effect, Layer, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { makeCallAnalytics } from "./internal/callAnalytics.ts"
import { makeCopyImport } from "./internal/callCopyImport.ts"
import { type CopyImport, makeCallStore } from "./internal/callStore.ts"
import { tablesIn } from "./internal/context.ts"
import { toStorageFailure } from "./internal/errors.ts"
import { makeEventStore } from "./internal/eventStore.ts"
import { makeOutbox } from "./internal/outbox.ts"
import { makeReadModelStore } from "./internal/readModelStore.ts"
import { withSystemClock } from "./internal/systemClock.ts"
import { latestSchemaVersion, migrate, schemaVersion } from "./Migrations.ts"
import { defaultSchema, InvalidPostgresConfig, type PostgresStoreConfig, validateSchemaName } from "./PostgresStoreConfig.ts"
import { validateCopyImportMinCalls } from "./PostgresStoreConfig.ts"

/** The port services of one PostgreSQL store, sharing its connection pool, and where they keep their tables. */
export interface PostgresStoreServices extends StoreServices {
  /** The PostgreSQL schema holding the adapter's tables. */
  readonly schema: string
  /**
   * The `SqlClient` the ports use (without name transforms), for what they
   * do not cover: diagnostics, your own read-only queries. Do not write the
   * adapter's tables through it.
   */
  readonly client: SqlClient.SqlClient
}

/** Options for a store over a `SqlClient` the application already has. */
export interface PostgresStoreOptions {
  /** The schema holding the adapter's tables (default `community_policing`); see {@link PostgresStoreConfig.schema}. */
  readonly schema?: string | undefined
  /** Apply pending migrations first (default `false`: fail unless the schema is up to date). */
  readonly migrate?: boolean | undefined
}

/**
 * Builds the port services over the `SqlClient` in context (an
 * `@effect/sql-pg` client). Appends must not run inside a transaction of that
 * client that has already written: the adapter owns its transactions, and
 * refuses rather than mis-order global positions. Import batches all go
 * through statements: without the connection settings the adapter cannot
 * open the `COPY` connections of {@link PostgresStoreConfig.copyImportMinCalls}.
 */
export const makeWithClient = (
  options: PostgresStoreOptions = {}
): Effect.Effect<PostgresStoreServices, StorageFailure | InvalidPostgresConfig, SqlClient.SqlClient> =>
  makeServices(options, undefined)

const makeServices = (
  options: PostgresStoreOptions,
  copyImport: CopyImport | undefined
): Effect.Effect<PostgresStoreServices, StorageFailure | InvalidPostgresConfig, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const schema = yield* validateSchemaName(options.schema ?? defaultSchema)
    // An application's client may rename columns (e.g. to camelCase); the
    // adapter reads its own rows by their column names.
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    // The dialect, not `driver`: @effect/sql-pg 4.0.5 leaves `driver` unset.
    if (!sql.onDialectOrElse({ pg: () => true, orElse: () => false })) {
      return yield* new InvalidPostgresConfig({
        field: "SqlClient",
        reason: "the PostgreSQL adapter needs a PostgreSQL SqlClient (@effect/sql-pg)"
      })
    }
    if (options.migrate === true) {
      yield* migrate({ schema }).pipe(Effect.provideService(SqlClient.SqlClient, sql))
    } else {
      const version = yield* schemaVersion(schema).pipe(Effect.provideService(SqlClient.SqlClient, sql))
      if (version < latestSchemaVersion) {
        return yield* new StorageFailure({
          operation: "connect",
          message: `schema "${schema}" is at version ${version}, this adapter needs ${latestSchemaVersion}: ` +
            "run migrate, or build the layer with migrate: true"
        })
      }
    }
    const context = { sql, schema, tables: tablesIn(schema) }
    return StoreLimitChecks.store({
      schema,
      client: sql,
      eventStore: makeEventStore(context),
      readModelStore: makeReadModelStore(context),
      outbox: makeOutbox(context),
      callStore: makeCallStore(context, copyImport),
      callAnalytics: makeCallAnalytics(context)
    })
  })

const clientConfig = (config: PostgresStoreConfig): PgClient.PgPoolConfig => ({
  url: config.url,
  host: config.host,
  port: config.port,
  database: config.database,
  username: config.username,
  password: config.password,
  ssl: config.ssl,
  maxConnections: config.maxConnections,
  minConnections: config.minConnections,
  connectTimeout: config.connectTimeout,
  idleTimeout: config.idleTimeout,
  applicationName: config.applicationName ?? "community-policing"
})

/**
 * Opens a connection pool and builds the port services over it; the pool
 * closes with the scope.
 */
export const make = (
  config: PostgresStoreConfig
): Effect.Effect<PostgresStoreServices, StorageFailure | InvalidPostgresConfig, Scope.Scope> =>
  Effect.gen(function*() {
    // Checked before connecting: a bad schema name is a deployment mistake, not a network one.
    const schema = yield* validateSchemaName(config.schema ?? defaultSchema)
    const copyImportMinCalls = yield* validateCopyImportMinCalls(config.copyImportMinCalls)
    const client = yield* PgClient.make(clientConfig(config)).pipe(
      Effect.provideServiceEffect(Reactivity.Reactivity, Reactivity.make),
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("connect")(error))),
      // The pool's idle timer and the driver's connect timeout run on the wall
      // clock even when the application's Clock is a TestClock.
      withSystemClock
    )
    const copyImport = copyImportMinCalls === Number.POSITIVE_INFINITY
      ? undefined
      : yield* makeCopyImport(config, schema, copyImportMinCalls)
    return yield* makeServices({ schema: config.schema, migrate: config.migrate }, copyImport).pipe(
      Effect.provideService(SqlClient.SqlClient, client)
    )
  })

/** The ports the store provides. */
export type PostgresPorts = StorePorts

/** The store's services as a context: its own tag and the five ports. */
const toContext = (store: PostgresStoreServices) => storeContext(store).pipe(Context.add(PostgresStore, store))

/**
 * Provides `EventStore`, `ReadModelStore`, `Outbox`, `CallStore` and
 * `CallAnalytics` (and {@link PostgresStore}) over a new connection pool.
 */
export const layer = (
  config: PostgresStoreConfig
): Layer.Layer<PostgresStore | PostgresPorts, StorageFailure | InvalidPostgresConfig> =>
  Layer.effectContext(Effect.map(make(config), toContext))

/**
 * {@link layer} with its configuration read from effect `Config`, e.g. from
 * environment variables.
 *
 * @example
 * ```ts
 * const Storage = PostgresStore.layerConfig({
 *   url: Config.Redacted("DATABASE_URL"),
 *   maxConnections: Config.Int("DATABASE_POOL_SIZE").pipe(Config.withDefault(10)),
 *   schema: Config.String("POLICING_SCHEMA").pipe(Config.withDefault("community_policing"))
 * })
 * ```
 */
export const layerConfig = (
  config: Config.Wrap<PostgresStoreConfig>
): Layer.Layer<PostgresStore | PostgresPorts, Config.ConfigError | StorageFailure | InvalidPostgresConfig> =>
  Layer.effectContext(Effect.map(Effect.flatMap(Config.unwrap(config), make), toContext))

/** Provides every port (and {@link PostgresStore}) over the `SqlClient` the application already has; see {@link makeWithClient}. */
export const layerWithClient = (
  options: PostgresStoreOptions = {}
): Layer.Layer<PostgresStore | PostgresPorts, StorageFailure | InvalidPostgresConfig, SqlClient.SqlClient> =>
  Layer.effectContext(Effect.map(makeWithClient(options), toContext))

/**
 * An open PostgreSQL store: the five port services over one connection
 * pool, the schema they use and the client. The class also carries the
 * adapter's constructors and its schema's migrations, the same names as
 * every adapter package (`SqliteStore`, `MemoryStore`): `make`, `layer`,
 * `layerConfig`, `migrate`, `latestSchemaVersion`.
 */
export class PostgresStore extends Context.Service<PostgresStore, PostgresStoreServices>()(
  "@community-policing/adapter-postgres/PostgresStore"
) {
  /** {@link make}, as `PostgresStore.make`. */
  static readonly make = make
  /** {@link layer}, as `PostgresStore.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `PostgresStore.layerConfig`. */
  static readonly layerConfig = layerConfig
  /** {@link makeWithClient}, as `PostgresStore.makeWithClient`. */
  static readonly makeWithClient = makeWithClient
  /** {@link layerWithClient}, as `PostgresStore.layerWithClient`. */
  static readonly layerWithClient = layerWithClient
  /** `migrate`, as `PostgresStore.migrate`: applies the pending migrations with the `SqlClient` in context. */
  static readonly migrate = migrate
  /** `latestSchemaVersion`, as `PostgresStore.latestSchemaVersion`: the schema version this release needs. */
  static readonly latestSchemaVersion = latestSchemaVersion
}
