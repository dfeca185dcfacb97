/**
 * The tenant key rule of the PostgreSQL adapter (issue 12), read from a
 * migrated SQLite file's own catalog (`sqlite_schema`, `pragma table_info`,
 * `index_list`, `index_info`, `foreign_key_list`): every primary key and
 * unique key leads with `tenant_id`, and every foreign key pairs `tenant_id`
 * with `tenant_id`. A SQLite file is never distributed, so here the rule is
 * about each key meaning "in this city"; the two keys that are the file's own
 * order are the named exceptions. The check is shown to fail on a file of
 * tables built to break it.
 */
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { migrate } from "../src/index.ts"

/** Whole tables that hold no tenant data. */
const exemptTables: Readonly<Record<string, string>> = {
  schema_migrations: "the migration log: one row per schema version, no tenant data",
  sqlite_sequence: "SQLite's own table of AUTOINCREMENT counters (the one for events.global_position)"
}

/** Keys that are the file's order rather than a tenant's key, by "table.kind". */
const exemptKeys: Readonly<Record<string, string>> = {
  "events.primary key":
    "global_position, the AUTOINCREMENT rowid handed out under SQLite's single write lock: the global order, " +
    "positions unique and increasing within every tenant because they are within the file",
  "outbox_messages.primary key":
    "sequence, the rowid: the write order claims follow; (tenant_id, id) is the message's unique key"
}

interface Key {
  readonly table: string
  readonly kind: "primary key" | "unique constraint" | "unique index"
  readonly name: string
  readonly columns: ReadonlyArray<string | null>
}

interface ForeignKey {
  readonly table: string
  readonly referencedTable: string
  readonly columns: ReadonlyArray<string>
  readonly referencedColumns: ReadonlyArray<string>
}

const listColumns = (columns: ReadonlyArray<string | null>): string =>
  `(${columns.map((column) => column ?? "<expression>").join(", ")})`

/** Every key and foreign key of every table of `db`, from SQLite's catalog. */
const readCatalog = (db: Database.Database) => {
  const tables = db.prepare<[], { name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
  ).all().map((row) => row.name)
  const keys: Array<Key> = []
  const foreignKeys: Array<ForeignKey> = []
  const columnsOf: Record<string, ReadonlyArray<string>> = {}
  for (const table of tables) {
    const info = db.prepare<[string], { name: string; pk: number }>("SELECT name, pk FROM pragma_table_info(?)").all(table)
    columnsOf[table] = info.map((column) => column.name)
    const primary = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name)
    if (primary.length > 0) keys.push({ table, kind: "primary key", name: `${table} primary key`, columns: primary })
    const indexes = db.prepare<[string], { name: string; unique: number; origin: string }>(
      "SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name"
    ).all(table)
    for (const index of indexes) {
      // A WITHOUT ROWID table's primary key is also an index (origin 'pk'): counted above.
      if (index.unique !== 1 || index.origin === "pk") continue
      const columns = db.prepare<[string], { name: string | null }>(
        "SELECT name FROM pragma_index_info(?) ORDER BY seqno"
      ).all(index.name).map((column) => column.name)
      keys.push({ table, kind: index.origin === "u" ? "unique constraint" : "unique index", name: index.name, columns })
    }
    const references = db.prepare<[string], { id: number; seq: number; table: string; from: string; to: string | null }>(
      "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq"
    ).all(table)
    for (const id of new Set(references.map((reference) => reference.id))) {
      const pairs = references.filter((reference) => reference.id === id)
      foreignKeys.push({
        table,
        referencedTable: pairs[0]?.table ?? "",
        columns: pairs.map((pair) => pair.from),
        referencedColumns: pairs.map((pair) => pair.to ?? "<primary key>")
      })
    }
  }
  return { tables, columnsOf, keys, foreignKeys }
}

/** Every way the file breaks the rule, one line each, naming the table and key. */
const violations = (db: Database.Database): ReadonlyArray<string> => {
  const catalog = readCatalog(db)
  const found: Array<string> = []
  for (const table of catalog.tables) {
    if (Object.hasOwn(exemptTables, table)) continue
    if (!(catalog.columnsOf[table] ?? []).includes("tenant_id")) found.push(`table ${table}: has no tenant_id column`)
  }
  for (const key of catalog.keys) {
    if (Object.hasOwn(exemptTables, key.table) || Object.hasOwn(exemptKeys, `${key.table}.${key.kind}`)) continue
    if (key.columns[0] !== "tenant_id") {
      found.push(`table ${key.table}: ${key.kind} ${key.name} ${listColumns(key.columns)} does not lead with tenant_id`)
    }
  }
  for (const key of catalog.foreignKeys) {
    if (Object.hasOwn(exemptTables, key.table)) continue
    const at = key.columns.indexOf("tenant_id")
    if (at === -1 || key.referencedColumns[at] !== "tenant_id") {
      found.push(
        `table ${key.table}: foreign key ${listColumns(key.columns)} -> ${key.referencedTable} ` +
          `${listColumns(key.referencedColumns)} does not pair tenant_id with tenant_id`
      )
    }
  }
  return found
}

const withDatabase = <A>(f: (db: Database.Database) => A): A => {
  const db = new Database(":memory:")
  try {
    return f(db)
  } finally {
    db.close()
  }
}

describe("the tenant key rule on a migrated SQLite file", () => {
  it.effect("every key but the file's own order leads with tenant_id, and every foreign key pairs it", () =>
    Effect.gen(function*() {
      const db = new Database(":memory:")
      yield* Effect.addFinalizer(() => Effect.sync(() => db.close()))
      yield* migrate(db)
      assert.deepStrictEqual(violations(db), [])
      const catalog = readCatalog(db)
      assert.includeMembers(catalog.tables, ["events", "calls", "place_counts", "area_counts", "count_window_totals", "document_fields", "outbox_messages"])
      assert.deepStrictEqual(
        catalog.foreignKeys.map((key) => `${key.table} -> ${key.referencedTable}`),
        ["count_window_totals -> count_windows", "document_fields -> documents", "idempotency_keys -> events"]
      )
      // Every exemption is used: without them these are the keys the check would report.
      for (const name of Object.keys(exemptKeys)) {
        const [table] = name.split(".")
        assert.isTrue(catalog.keys.some((key) => key.table === table && key.kind === "primary key" && key.columns[0] !== "tenant_id"), name)
      }
    }).pipe(Effect.scoped))

  it("reports, by table and key, tables built to break it", () => {
    const found = withDatabase((db) => {
      db.exec(`
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE parents (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL, dedupe_key TEXT NOT NULL,
          PRIMARY KEY (tenant_id, id), UNIQUE (id, tenant_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX parents_by_dedupe_key ON parents (dedupe_key);
        CREATE UNIQUE INDEX parents_by_lower_tenant ON parents (lower(tenant_id), id);
        CREATE TABLE children (
          tenant_id TEXT NOT NULL, id TEXT NOT NULL, parent_id TEXT NOT NULL, parent_tenant TEXT NOT NULL,
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (parent_id, tenant_id) REFERENCES parents (id, tenant_id),
          FOREIGN KEY (parent_tenant, parent_id) REFERENCES parents (tenant_id, id)
        );
      `)
      return violations(db)
    })
    assert.deepStrictEqual(found, [
      "table counters: has no tenant_id column",
      "table counters: primary key counters primary key (name) does not lead with tenant_id",
      "table parents: unique index parents_by_dedupe_key (dedupe_key) does not lead with tenant_id",
      "table parents: unique index parents_by_lower_tenant (<expression>, id) does not lead with tenant_id",
      "table parents: unique constraint sqlite_autoindex_parents_2 (id, tenant_id) does not lead with tenant_id",
      "table children: foreign key (parent_tenant, parent_id) -> parents (tenant_id, id) does not pair tenant_id with tenant_id"
    ])
  })
})
