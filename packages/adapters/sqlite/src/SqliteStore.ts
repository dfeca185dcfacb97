/**
 * The SQLite adapter: `EventStore`, `ReadModelStore`, `Outbox`, `CallStore`
 * and `CallAnalytics` over one better-sqlite3 connection to a database file, modelled on Effect's driver
 * packages (`make`, `layer`, `layerConfig`, a tag of its own).
 *
 * @example
 * ```ts
 * import { EventStore } from "@community-policing/core"
 * import { SqliteStore } from "@community-policing/adapter-sqlite"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const store = yield* EventStore
 *   return yield* store.readStream("springfield", "nuisance-case/2026-0001")
 * })
 * Effect.runPromise(Effect.provide(program, SqliteStore.layer({ filename: "policing.db" })))
 * ```
 *
 * @module
 */
import {
  CallAnalytics,
  CallStore,
  EventStore,
  Outbox,
  ReadModelStore,
  StorageFailure,
  storeContext,
  StoreLimitChecks,
  type StorePorts
} from "@community-policing/core"
import Database from "better-sqlite3"
import { Config, Context, Effect, Layer, type Scope } from "effect"
import { makeCallAnalytics } from "./internal/callAnalytics.ts"
import { makeCallStore } from "./internal/callStore.ts"
import { makeEventStore } from "./internal/eventStore.ts"
import { makeOutbox } from "./internal/outbox.ts"
import { makeReadModelStore } from "./internal/readModel.ts"
import { attempt, makeRunner } from "./internal/sql.ts"
import { openDatabase } from "./internal/open.ts"
import { latestSchemaVersion, migrate } from "./Migrations.ts"

/**
 * How SQLite makes a commit durable (`PRAGMA synchronous`, in WAL mode):
 *
 * - `"FULL"` (the default): the WAL is flushed to disk (fsync) at every
 *   commit. An append that returned `Appended` survives a power cut or an
 *   operating-system crash.
 * - `"NORMAL"`: the WAL is flushed only at checkpoints. A crash of the
 *   process never loses or damages a commit, but a power cut or an OS crash
 *   may roll back the last transactions committed before it (never part of
 *   one: each is still whole or absent). Faster on slow disks.
 */
export type Synchronous = "FULL" | "NORMAL"

/** How to open a SQLite store. */
export interface SqliteStoreOptions {
  /** A database file path (created if missing; its folder must exist), or `":memory:"` for a private in-memory database. */
  readonly filename: string
  /** Apply the migrations the file lacks when opening (default `true`); if `false`, opening fails unless the schema is current. */
  readonly migrate?: boolean | undefined
  /**
   * How long an operation waits for another process's write to finish
   * before failing with `StorageFailure` (SQLITE_BUSY), in milliseconds.
   * Default 5,000. Operations wait by sleeping their fiber and retrying, so
   * the rest of the process runs meanwhile; opening and migrating wait in
   * SQLite's busy handler instead, blocking the thread, once at start-up,
   * and start again (on a new connection) when SQLite answers SQLITE_BUSY
   * without waiting, until this much time has passed.
   */
  readonly busyTimeoutMillis?: number | undefined
  /** Durability of commits; see {@link Synchronous}. Default `"FULL"`. */
  readonly synchronous?: Synchronous | undefined
}

/** The defaults of {@link SqliteStoreOptions}. */
export const defaults = {
  migrate: true,
  busyTimeoutMillis: 5_000,
  synchronous: "FULL"
} as const satisfies Required<Omit<SqliteStoreOptions, "filename">>

/** Why the options cannot be used, or `undefined`. */
const optionsProblem = (options: SqliteStoreOptions): string | undefined => {
  if (typeof options.filename !== "string" || options.filename.length === 0) return "filename must be a non-empty string"
  const timeout = options.busyTimeoutMillis ?? defaults.busyTimeoutMillis
  if (!Number.isSafeInteger(timeout) || timeout < 0) return `busyTimeoutMillis must be a whole number >= 0, got ${timeout}`
  const synchronous = options.synchronous ?? defaults.synchronous
  if (synchronous !== "FULL" && synchronous !== "NORMAL") return `synchronous must be "FULL" or "NORMAL", got ${synchronous}`
  return undefined
}

/** Closes a connection, first letting SQLite refresh the statistics its query planner uses. */
const close = (db: Database.Database): void => {
  try {
    // Cheap (bounded by analysis_limit); recommended by SQLite before closing a connection.
    db.pragma("optimize")
  } catch {
    // A busy or read-only database skips the refresh; closing matters more.
  }
  db.close()
}

/**
 * Opens the database, applies the migrations it lacks (unless
 * `migrate: false`, in which case the schema must already be current), and
 * builds the five port services over one connection. The connection closes when
 * the scope ends.
 */
export const make = (options: SqliteStoreOptions): Effect.Effect<SqliteStore["Service"], StorageFailure, Scope.Scope> =>
  Effect.gen(function*() {
    const problem = optionsProblem(options)
    if (problem !== undefined) return yield* new StorageFailure({ operation: "SqliteStore.make", message: problem })
    const db = yield* Effect.acquireRelease(
      openDatabase({
        filename: options.filename,
        migrate: options.migrate ?? defaults.migrate,
        busyTimeoutMillis: options.busyTimeoutMillis ?? defaults.busyTimeoutMillis,
        synchronous: options.synchronous ?? defaults.synchronous
      }),
      (db) => Effect.sync(() => close(db))
    )
    const run = makeRunner(options.busyTimeoutMillis ?? defaults.busyTimeoutMillis)
    return yield* attempt("SqliteStore.make", () => {
      // From here on a busy database fails a call at once and the runner retries it
      // asynchronously, instead of SQLite's busy handler blocking the thread.
      db.pragma("busy_timeout = 0")
      return SqliteStore.of(StoreLimitChecks.store({
        filename: options.filename,
        connection: db,
        eventStore: makeEventStore(db, run),
        readModelStore: makeReadModelStore(db, run),
        outbox: makeOutbox(db, run),
        callStore: makeCallStore(db, run),
        callAnalytics: makeCallAnalytics(db, run)
      }))
    })
  })

/** The ports the store provides. */
export type SqlitePorts = StorePorts

/** The store's services as a context: its own tag and the five ports. */
const toContext = (store: SqliteStore["Service"]) => storeContext(store).pipe(Context.add(SqliteStore, store))

/**
 * Provides `EventStore`, `ReadModelStore`, `Outbox`, `CallStore` and
 * `CallAnalytics` (and {@link SqliteStore})
 * over a connection opened with {@link make}. Each build of the layer opens
 * its own connection; build it once per process and share it.
 */
export const layer = (options: SqliteStoreOptions): Layer.Layer<SqliteStore | SqlitePorts, StorageFailure> =>
  Layer.effectContext(Effect.map(make(options), toContext))

/**
 * {@link layer} with its options read from configuration.
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@community-policing/adapter-sqlite"
 * import { Config } from "effect"
 *
 * const StoreLive = SqliteStore.layerConfig({
 *   filename: Config.String("POLICING_DB"),
 *   busyTimeoutMillis: Config.Int("POLICING_DB_BUSY_TIMEOUT").pipe(Config.withDefault(5_000))
 * })
 * ```
 */
export const layerConfig = (
  config: Config.Wrap<SqliteStoreOptions>
): Layer.Layer<SqliteStore | SqlitePorts, StorageFailure | Config.ConfigError> =>
  Layer.effectContext(
    Config.unwrap(config).pipe(
      Effect.flatMap(make),
      Effect.map(toContext)
    )
  )

/**
 * An open SQLite store: the five port services over one connection, the
 * file they use, and the connection itself. The class also carries the
 * constructors and the schema's migrations, so `SqliteStore.layer({ filename })`
 * reads like Effect's driver packages (`PgClient.layer`), with the same
 * names as every adapter package (`PostgresStore`, `MemoryStore`): `make`,
 * `layer`, `layerConfig`, `migrate`, `latestSchemaVersion`.
 */
export class SqliteStore extends Context.Service<SqliteStore, {
  /** The database file (or `":memory:"`) the store opened. */
  readonly filename: string
  /**
   * The better-sqlite3 connection, for what the ports do not cover: an
   * online backup (`connection.backup(path)`), diagnostics, your own
   * read-only queries. Do not write the adapter's tables through it, and do
   * not leave a transaction open on it: the ports share this connection.
   * Its SQLite busy timeout is 0 (the ports retry busy calls themselves).
   */
  readonly connection: Database.Database
  /** The `EventStore` port over this connection (what `layer` provides as `EventStore`). */
  readonly eventStore: EventStore["Service"]
  /** The `ReadModelStore` port over this connection. */
  readonly readModelStore: ReadModelStore["Service"]
  /** The `Outbox` port over this connection. */
  readonly outbox: Outbox["Service"]
  /** The `CallStore` port over this connection. */
  readonly callStore: CallStore["Service"]
  /** The `CallAnalytics` port over this connection, answered in SQL from the daily counts `CallStore` keeps. */
  readonly callAnalytics: CallAnalytics["Service"]
}>()("@community-policing/adapter-sqlite/SqliteStore") {
  /** {@link make}, as `SqliteStore.make`. */
  static readonly make = make
  /** {@link layer}, as `SqliteStore.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `SqliteStore.layerConfig`. */
  static readonly layerConfig = layerConfig
  /** `migrate`, as `SqliteStore.migrate`: applies the migrations a connection's database lacks. */
  static readonly migrate = migrate
  /** `latestSchemaVersion`, as `SqliteStore.latestSchemaVersion`: the schema version this release reads and writes. */
  static readonly latestSchemaVersion = latestSchemaVersion
}
