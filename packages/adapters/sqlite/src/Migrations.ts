/**
 * The adapter's database schema as versioned, forward-only migrations,
 * recorded in a `schema_migrations` table. `make` applies them when it opens
 * a database (unless told not to); an application that applies migrations
 * itself, at deploy time or from its own tooling, calls {@link migrate}.
 *
 * @module
 */
import type { MigrationReport, StorageFailure } from "@community-policing/core"
import type Database from "better-sqlite3"
import { Clock, DateTime, Effect } from "effect"
import { attempt } from "./internal/sql.ts"

/** One step of the schema. Once released, a migration is never changed; a change is a new migration. */
export interface Migration {
  /** Applied in increasing order; 1, 2, 3, ... without gaps. */
  readonly version: number
  /** A short name, recorded with the version; a database whose record disagrees is refused. */
  readonly name: string
  /** The statements, run in one transaction with the version's record. */
  readonly statements: ReadonlyArray<string>
}

/**
 * Version 1: events, idempotency keys, the outbox, read-model documents and
 * their indexed fields, projection checkpoints. The tenant id leads every key
 * and index, except the outbox's delivery-queue indexes: the `Outbox`
 * contract lets a consumer claim across all tenants, oldest first, so that
 * queue is global by design (and holds only pending messages).
 */
const initialSchema: Migration = {
  version: 1,
  name: "initial schema",
  statements: [
    // AUTOINCREMENT: a position is never handed out twice, even if the newest
    // events are ever deleted by hand, so a projection's checkpoint can never
    // point past an event written later.
    `CREATE TABLE events (
      global_position INTEGER PRIMARY KEY AUTOINCREMENT,
      tenant_id TEXT NOT NULL,
      stream_id TEXT NOT NULL,
      stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
      event_id TEXT NOT NULL,
      event_type TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      data TEXT NOT NULL,
      recorded_at INTEGER NOT NULL,
      actor TEXT NOT NULL,
      command_id TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      causation_id TEXT,
      previous_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT`,
    // Optimistic concurrency rests on this: two writers can never both store version n of a stream.
    "CREATE UNIQUE INDEX events_by_stream ON events (tenant_id, stream_id, stream_version)",
    "CREATE INDEX events_by_position ON events (tenant_id, global_position)",
    `CREATE TABLE idempotency_keys (
      tenant_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      stream_id TEXT NOT NULL,
      first_version INTEGER NOT NULL,
      last_version INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, idempotency_key),
      FOREIGN KEY (tenant_id, stream_id, first_version) REFERENCES events (tenant_id, stream_id, stream_version)
    ) STRICT, WITHOUT ROWID`,
    // sequence is the write order: SQLite has one writer at a time, so rowids grow in commit order.
    `CREATE TABLE outbox_messages (
      sequence INTEGER PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      id TEXT NOT NULL,
      topic TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts INTEGER NOT NULL,
      max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
      available_at INTEGER NOT NULL,
      last_error TEXT,
      lease_token TEXT,
      lease_until INTEGER,
      UNIQUE (tenant_id, id)
    ) STRICT`,
    // Partial indexes: delivered and dead messages drop out of the delivery queue's indexes.
    "CREATE INDEX outbox_pending ON outbox_messages (available_at, sequence) WHERE status = 'pending'",
    "CREATE INDEX outbox_pending_by_topic ON outbox_messages (topic, available_at, sequence) WHERE status = 'pending'",
    "CREATE INDEX outbox_pending_by_tenant ON outbox_messages (tenant_id, available_at, sequence) WHERE status = 'pending'",
    `CREATE INDEX outbox_pending_by_tenant_topic ON outbox_messages (tenant_id, topic, available_at, sequence)
      WHERE status = 'pending'`,
    `CREATE INDEX outbox_leases ON outbox_messages (lease_until)
      WHERE status = 'pending' AND lease_until IS NOT NULL`,
    "CREATE INDEX outbox_dead ON outbox_messages (tenant_id, sequence) WHERE status = 'dead'",
    `CREATE TABLE documents (
      tenant_id TEXT NOT NULL,
      collection TEXT NOT NULL,
      id TEXT NOT NULL,
      data TEXT NOT NULL,
      indexed TEXT NOT NULL,
      UNIQUE (tenant_id, collection, id)
    ) STRICT`,
    // One row per indexed field of a document: field names are data, never column names.
    // kind orders the types (0 null, 1 boolean, 2 number, 3 string) and keeps 3, "3" and true apart.
    // Strings are TEXT in the BINARY collation: UTF-8 byte order, which is code point order.
    `CREATE TABLE document_fields (
      tenant_id TEXT NOT NULL,
      collection TEXT NOT NULL,
      id TEXT NOT NULL,
      field TEXT NOT NULL,
      kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
      value ANY NOT NULL,
      PRIMARY KEY (tenant_id, collection, id, field),
      FOREIGN KEY (tenant_id, collection, id) REFERENCES documents (tenant_id, collection, id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID`,
    "CREATE INDEX document_fields_by_value ON document_fields (tenant_id, collection, field, kind, value, id)",
    `CREATE TABLE projection_checkpoints (
      tenant_id TEXT NOT NULL,
      projection TEXT NOT NULL,
      checkpoint INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, projection)
    ) STRICT, WITHOUT ROWID`
  ]
}

/** The index `callsAt` read from version 2 to version 5 (version 6 replaces it with `calls_by_day`). */
const callsByAddressIndex =
  "CREATE INDEX IF NOT EXISTS calls_by_address ON calls (tenant_id, address_key, service_day, received_at, dedupe_key)"

/**
 * The index `callsAt` reads since version 6, led by the service day: an
 * import's calls, a few days each, go to a few adjacent leaf pages instead of
 * one page per address all over the index. Dropped while a bulk import is
 * open and built again when the last one finishes (see
 * `CallStore.beginBulkImport`).
 *
 * @internal
 */
export const callsByDayIndex =
  "CREATE INDEX IF NOT EXISTS calls_by_day ON calls (tenant_id, service_day, address_key, received_at, dedupe_key)"

/**
 * Version 2: the calls-for-service ports. Calls (one row per dedupe key and
 * tenant, the `StoredCall` as JSON), imports' progress and quarantined rows,
 * the places registry, and the analytics' daily counts, which each import
 * batch updates in its own transaction. The tenant id leads every key and
 * index.
 */
const callsSchema: Migration = {
  version: 2,
  name: "calls for service",
  statements: [
    // received_at (epoch milliseconds) and dedupe_key order callsAt; the JSON is the StoredCall as encoded.
    `CREATE TABLE calls (
      tenant_id TEXT NOT NULL,
      dedupe_key TEXT NOT NULL,
      service_day TEXT NOT NULL,
      address_key TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      data TEXT NOT NULL,
      UNIQUE (tenant_id, dedupe_key)
    ) STRICT`,
    callsByAddressIndex,
    `CREATE TABLE import_progress (
      tenant_id TEXT NOT NULL,
      import_id TEXT NOT NULL,
      through_row INTEGER NOT NULL,
      imported INTEGER NOT NULL,
      duplicates INTEGER NOT NULL,
      quarantined INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, import_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE quarantined_rows (
      tenant_id TEXT NOT NULL,
      import_id TEXT NOT NULL,
      row_number INTEGER NOT NULL,
      raw TEXT NOT NULL,
      reason TEXT NOT NULL,
      PRIMARY KEY (tenant_id, import_id, row_number)
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE places (
      tenant_id TEXT NOT NULL,
      address_key TEXT NOT NULL,
      data TEXT NOT NULL,
      PRIMARY KEY (tenant_id, address_key)
    ) STRICT, WITHOUT ROWID`,
    // One cell per service day and combination of address, channel, category and areas. category is ''
    // in the cell counting every call once; an area a call has none of is '' (area ids are never empty).
    // The key leads with (tenant, category, day): every question fixes the category (or lists them) and
    // reads one range of days, so a window reads only its own cells.
    `CREATE TABLE daily_counts (
      tenant_id TEXT NOT NULL,
      service_day TEXT NOT NULL,
      address_key TEXT NOT NULL,
      channel TEXT NOT NULL,
      category TEXT NOT NULL,
      beat TEXT NOT NULL,
      police_district TEXT NOT NULL,
      council_district TEXT NOT NULL,
      neighborhood TEXT NOT NULL,
      count INTEGER NOT NULL CHECK (count >= 1),
      PRIMARY KEY (tenant_id, category, service_day, channel, address_key, beat, police_district, council_district, neighborhood)
    ) STRICT, WITHOUT ROWID`
  ]
}

/**
 * Version 3: the outbox's proof of delivery. `ack` records when the message
 * was delivered (epoch milliseconds from the effect `Clock`) and the
 * receiver's id for it, when it gave one; both stay `NULL` until then.
 */
const deliveryReceipts: Migration = {
  version: 3,
  name: "outbox delivery receipts",
  statements: [
    "ALTER TABLE outbox_messages ADD COLUMN delivered_at INTEGER",
    "ALTER TABLE outbox_messages ADD COLUMN receiver_id TEXT"
  ]
}

/**
 * Version 4: the bulk imports open (`CallStore.beginBulkImport`), one row
 * each until it is finished. While any row is here the calls-by-address
 * index is not maintained (it is dropped, and built again when the last one
 * finishes), so a bulk import killed midway leaves its row, and the index
 * stays deferred until the import is run again and finishes.
 */
const bulkImportsSchema: Migration = {
  version: 4,
  name: "bulk imports",
  statements: [
    `CREATE TABLE bulk_imports (
      tenant_id TEXT NOT NULL,
      import_id TEXT NOT NULL,
      PRIMARY KEY (tenant_id, import_id)
    ) STRICT, WITHOUT ROWID`
  ]
}

/**
 * The call categories as of version 5, each with a count column in
 * `place_counts` and `area_counts` (`c_` and the name with `_` for `-`).
 * Part of the released migration: a new category is a new migration adding
 * its column (and `countColumns.ts` names it).
 */
const version5Categories = [
  "domestic-violence",
  "victimization",
  "medical",
  "fire-ems",
  "gang-activity",
  "drug-trade",
  "human-trafficking",
  "prostitution",
  "disorder",
  "nuisance",
  "crime-against-premises"
] as const

const version5Column = (category: string): string => `c_${category.replaceAll("-", "_")}`

const version5CountColumns = version5Categories
  .map((category) => `${version5Column(category)} INTEGER NOT NULL CHECK (${version5Column(category)} >= 0)`)
  .join(",\n      ")

const version5ColumnList = version5Categories.map(version5Column).join(", ")

// The '' cells of daily_counts count every call once; the category cells, each category.
const version5CategorySums = version5Categories
  .map((category) => `SUM(CASE WHEN category = '${category}' THEN count ELSE 0 END)`)
  .join(",\n        ")

/**
 * Version 5: the daily counts shaped for the questions asked (issue 12),
 * replacing `daily_counts`, which held one cell per combination of address,
 * channel, category and areas (about two cells per call). Now a call adds to
 * one row per (day, address, channel) in `place_counts` (calls without an
 * address never: they are at no place) and one per (day, channel, areas) in
 * `area_counts` (every call), each row counting every call once (`total`)
 * and each category in a column of its own. The existing counts are carried
 * over and `daily_counts` dropped. `count_windows` and `count_window_totals`
 * keep the per-place totals of recently asked windows, so that a count moved
 * by a day reads the days that left and entered instead of the whole
 * window; an import batch drops every kept window holding a day it changed.
 */
const shapedCountsSchema: Migration = {
  version: 5,
  name: "shaped call counts",
  statements: [
    `CREATE TABLE place_counts (
      tenant_id TEXT NOT NULL,
      service_day TEXT NOT NULL,
      address_key TEXT NOT NULL CHECK (address_key <> ''),
      channel TEXT NOT NULL,
      total INTEGER NOT NULL CHECK (total >= 1),
      ${version5CountColumns},
      PRIMARY KEY (tenant_id, service_day, address_key, channel)
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE area_counts (
      tenant_id TEXT NOT NULL,
      service_day TEXT NOT NULL,
      channel TEXT NOT NULL,
      beat TEXT NOT NULL,
      police_district TEXT NOT NULL,
      council_district TEXT NOT NULL,
      neighborhood TEXT NOT NULL,
      total INTEGER NOT NULL CHECK (total >= 1),
      ${version5CountColumns},
      PRIMARY KEY (tenant_id, service_day, channel, beat, police_district, council_district, neighborhood)
    ) STRICT, WITHOUT ROWID`,
    `INSERT INTO place_counts (tenant_id, service_day, address_key, channel, total, ${version5ColumnList})
      SELECT tenant_id, service_day, address_key, channel,
        SUM(CASE WHEN category = '' THEN count ELSE 0 END),
        ${version5CategorySums}
      FROM daily_counts WHERE address_key <> ''
      GROUP BY tenant_id, service_day, address_key, channel`,
    `INSERT INTO area_counts (tenant_id, service_day, channel, beat, police_district, council_district, neighborhood, total, ${version5ColumnList})
      SELECT tenant_id, service_day, channel, beat, police_district, council_district, neighborhood,
        SUM(CASE WHEN category = '' THEN count ELSE 0 END),
        ${version5CategorySums}
      FROM daily_counts
      GROUP BY tenant_id, service_day, channel, beat, police_district, council_district, neighborhood`,
    "DROP TABLE daily_counts",
    // signature: the filter (category, channels); days and the window's first and last day.
    `CREATE TABLE count_windows (
      tenant_id TEXT NOT NULL,
      signature TEXT NOT NULL,
      days INTEGER NOT NULL CHECK (days >= 1),
      start_day TEXT NOT NULL,
      end_day TEXT NOT NULL,
      used_at INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, signature, days)
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE count_window_totals (
      tenant_id TEXT NOT NULL,
      signature TEXT NOT NULL,
      days INTEGER NOT NULL,
      address_key TEXT NOT NULL,
      -- 0 only inside the transaction moving a window, which deletes such rows before it ends.
      count INTEGER NOT NULL CHECK (count >= 0),
      PRIMARY KEY (tenant_id, signature, days, address_key),
      FOREIGN KEY (tenant_id, signature, days) REFERENCES count_windows (tenant_id, signature, days) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID`,
    "CREATE INDEX count_window_ranking ON count_window_totals (tenant_id, signature, days, count DESC, address_key)"
  ]
}

/**
 * Version 6: `callsAt`'s index led by the service day instead of the address
 * (issue 12). Kept up to date row by row, the address index took one leaf
 * page per distinct address of every batch, read and written all over the
 * file: most of the daily refresh's writes. By day, a batch's entries are
 * adjacent; `callsAt` seeks each day of its window in turn.
 */
const callsByDaySchema: Migration = {
  version: 6,
  name: "calls by day",
  statements: ["DROP INDEX IF EXISTS calls_by_address", callsByDayIndex]
}

/** Every migration of the adapter, in order. */
export const migrations: ReadonlyArray<Migration> = [
  initialSchema,
  callsSchema,
  deliveryReceipts,
  bulkImportsSchema,
  shapedCountsSchema,
  callsByDaySchema
]

/** The schema version this version of the adapter reads and writes. */
export const latestSchemaVersion: number = migrations.at(-1)?.version ?? 0

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`

interface AppliedMigration {
  readonly version: number
  readonly name: string
}

/** Thrown inside a migration transaction to roll it back with a readable reason. */
class MigrationRefused extends Error {
  override readonly name = "MigrationRefused"
}

const appliedMigrations = (db: Database.Database): ReadonlyArray<AppliedMigration> => {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get()
  if (exists === undefined) return []
  return db.prepare<[], AppliedMigration>("SELECT version, name FROM schema_migrations ORDER BY version").all()
}

/** Why the recorded migrations cannot be continued by this adapter, or `undefined`. */
const historyProblem = (applied: ReadonlyArray<AppliedMigration>): string | undefined => {
  for (const row of applied) {
    const known = migrations.find((migration) => migration.version === row.version)
    if (known === undefined) {
      return `the database has schema version ${row.version}, newer than this adapter knows (${latestSchemaVersion}); ` +
        "upgrade @community-policing/adapter-sqlite"
    }
    if (known.name !== row.name) {
      return `schema version ${row.version} was recorded as ${JSON.stringify(row.name)}, ` +
        `but this adapter's version ${row.version} is ${JSON.stringify(known.name)}`
    }
  }
  return undefined
}

/**
 * The schema version a database is at: the highest migration recorded in
 * it, 0 for a database never migrated.
 */
export const schemaVersion = (db: Database.Database): Effect.Effect<number, StorageFailure> =>
  attempt("SqliteStore.schemaVersion", () => appliedMigrations(db).at(-1)?.version ?? 0)

/**
 * Applies the migrations a database lacks, each in its own `BEGIN IMMEDIATE`
 * transaction together with its record in `schema_migrations`, and reports
 * the migrations this call applied (none when the database was up to date)
 * and the version the database is at.
 *
 * Safe to run again and from several processes at once: `BEGIN IMMEDIATE`
 * takes SQLite's write lock before the recorded versions are read, so two
 * migrators queue (for up to the connection's busy timeout) and the second
 * finds the work done. A database with a migration this adapter does not
 * know, or recorded under another name, is refused with a `StorageFailure`
 * and left unchanged.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3"
 * import { migrate } from "@community-policing/adapter-sqlite"
 * import { Effect } from "effect"
 *
 * const db = new Database("policing.db")
 * const report = Effect.runSync(migrate(db)) // report.applied: every migration on a new file, none afterwards
 * db.close()
 * ```
 */
export const migrate = (db: Database.Database): Effect.Effect<MigrationReport, StorageFailure> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => attempt("SqliteStore.migrate", () => applyMigrations(db, now)))

/**
 * {@link migrate}'s work, run synchronously; throws what SQLite throws
 * (SQLITE_BUSY included), so that opening can retry it.
 *
 * @internal
 */
export const applyMigrations = (db: Database.Database, nowMillis: number): MigrationReport => {
  const appliedAt = DateTime.formatIso(DateTime.makeUnsafe(nowMillis))
  const applied: Array<{ readonly version: number; readonly name: string }> = []
  for (const migration of migrations) {
    const step = db.transaction(() => {
      db.exec(createVersionTable)
      const history = appliedMigrations(db)
      const problem = historyProblem(history)
      if (problem !== undefined) throw new MigrationRefused(problem)
      if (history.some((row) => row.version === migration.version)) return false
      for (const statement of migration.statements) db.exec(statement)
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(migration.version, migration.name, appliedAt)
      return true
    })
    if (step.immediate()) applied.push({ version: migration.version, name: migration.name })
  }
  return { applied, version: latestSchemaVersion }
}

/**
 * Fails unless the database is exactly at {@link latestSchemaVersion}: what
 * `make` checks when told not to migrate, so that a forgotten migration shows
 * at start-up rather than as a missing table in the first request.
 */
export const requireLatestSchema = (db: Database.Database): Effect.Effect<void, StorageFailure> =>
  attempt("SqliteStore.make", () => assertLatestSchema(db))

/**
 * {@link requireLatestSchema}'s check, run synchronously; throws.
 *
 * @internal
 */
export const assertLatestSchema = (db: Database.Database): void => {
  const history = appliedMigrations(db)
  const problem = historyProblem(history)
  if (problem !== undefined) throw new MigrationRefused(problem)
  const version = history.at(-1)?.version ?? 0
  if (version !== latestSchemaVersion) {
    throw new MigrationRefused(
      `the database is at schema version ${version} and this adapter needs ${latestSchemaVersion}: ` +
        "apply the migrations (migrate, or make with migrate: true) first"
    )
  }
}
