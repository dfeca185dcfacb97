/**
 * The tenant key rule, read from PostgreSQL's catalog: every table of a
 * schema holds a `tenant_id` column, and every primary key, unique
 * constraint, unique index, exclusion constraint and index leads with it;
 * every foreign key pairs `tenant_id` with the referenced table's
 * `tenant_id`. That is what lets a deployment distribute every table by
 * tenant with Citus (`create_distributed_table(table, 'tenant_id')`), which
 * refuses a unique key or a foreign key without the distribution column.
 *
 * The catalog is read into plain rows (`readTenantCatalog`) and checked by a
 * pure function (`tenantKeyViolations`), so the check itself can be tested on
 * hand-made rows as well as on a real schema.
 */
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"

/** The column every key must lead with. */
export const tenantColumn = "tenant_id"

/** A table (ordinary or partitioned) of the schema, with its columns in order. */
export interface CatalogTable {
  readonly table: string
  readonly columns: ReadonlyArray<string>
}

/** What enforces or serves an index, as the check names it in a violation. */
export type IndexKind = "primary key" | "unique constraint" | "exclusion constraint" | "unique index" | "index"

/** An index of a table: its key columns in order, `null` where the key is an expression. */
export interface CatalogIndex {
  readonly table: string
  readonly index: string
  readonly kind: IndexKind
  readonly columns: ReadonlyArray<string | null>
}

/** A foreign key: its columns and the referenced table's columns, pair by pair. */
export interface CatalogForeignKey {
  readonly table: string
  readonly constraint: string
  readonly columns: ReadonlyArray<string>
  readonly referencedTable: string
  readonly referencedColumns: ReadonlyArray<string>
}

/** Everything the rule looks at in one schema. */
export interface TenantCatalog {
  readonly tables: ReadonlyArray<CatalogTable>
  readonly indexes: ReadonlyArray<CatalogIndex>
  readonly foreignKeys: ReadonlyArray<CatalogForeignKey>
}

/**
 * What the rule lets through, each with its reason: whole tables that hold no
 * tenant data, and indexes that are neither keys nor constraints.
 */
export interface TenantKeyExemptions {
  readonly tables: Readonly<Record<string, string>>
  readonly indexes: Readonly<Record<string, string>>
}

const isKey = (kind: IndexKind): boolean => kind !== "index"

const listColumns = (columns: ReadonlyArray<string | null>): string =>
  `(${columns.map((column) => column ?? "<expression>").join(", ")})`

/**
 * Every way `catalog` breaks the rule, one readable line each, naming the
 * table and the index or constraint; empty when the schema follows it.
 * An exempt table is skipped whole (its keys, and foreign keys from it); a
 * foreign key to an exempt table is still checked. An index exemption covers
 * only a non-unique index: a key is never exempt by its name alone.
 */
export const tenantKeyViolations = (catalog: TenantCatalog, exemptions: TenantKeyExemptions): ReadonlyArray<string> => {
  const exemptTable = (table: string) => Object.hasOwn(exemptions.tables, table)
  const violations: Array<string> = []
  for (const table of catalog.tables) {
    if (exemptTable(table.table)) continue
    if (!table.columns.includes(tenantColumn)) {
      violations.push(`table ${table.table}: has no ${tenantColumn} column`)
    }
  }
  for (const index of catalog.indexes) {
    if (exemptTable(index.table)) continue
    if (index.columns[0] === tenantColumn) continue
    if (!isKey(index.kind) && Object.hasOwn(exemptions.indexes, index.index)) continue
    violations.push(
      `table ${index.table}: ${index.kind} ${index.index} ${listColumns(index.columns)} does not lead with ${tenantColumn}`
    )
  }
  for (const key of catalog.foreignKeys) {
    if (exemptTable(key.table)) continue
    const at = key.columns.indexOf(tenantColumn)
    if (at === -1 || key.referencedColumns[at] !== tenantColumn) {
      violations.push(
        `table ${key.table}: foreign key ${key.constraint} ${listColumns(key.columns)} -> ` +
          `${key.referencedTable} ${listColumns(key.referencedColumns)} does not pair ${tenantColumn} with ${tenantColumn}`
      )
    }
  }
  return violations
}

const indexKind = (row: { readonly constraint_type: string | null; readonly is_unique: boolean }): IndexKind => {
  switch (row.constraint_type) {
    case "p":
      return "primary key"
    case "u":
      return "unique constraint"
    case "x":
      return "exclusion constraint"
    default:
      return row.is_unique ? "unique index" : "index"
  }
}

/**
 * Reads the tables, indexes and foreign keys of `schema` from `pg_class`,
 * `pg_attribute`, `pg_index` and `pg_constraint`. Index columns are the key
 * columns only (`indnkeyatts`), not those an `INCLUDE` adds.
 */
export const readTenantCatalog = (sql: SqlClient.SqlClient, schema: string): Effect.Effect<TenantCatalog, SqlError> =>
  Effect.gen(function*() {
    const tables = yield* sql<{ table_name: string; columns: ReadonlyArray<string> }>`
      SELECT t.relname::text AS table_name,
        ARRAY(
          SELECT a.attname::text FROM pg_attribute a
          WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
        ) AS columns
      FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ${schema} AND t.relkind IN ('r', 'p')
      ORDER BY t.relname`
    const indexes = yield* sql<{
      table_name: string
      index_name: string
      is_unique: boolean
      constraint_type: string | null
      columns: ReadonlyArray<string | null>
    }>`
      SELECT t.relname::text AS table_name, ic.relname::text AS index_name, i.indisunique AS is_unique,
        (SELECT c.contype::text FROM pg_constraint c
          WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) AS constraint_type,
        ARRAY(
          SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
          LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
          WHERE k.position <= i.indnkeyatts ORDER BY k.position
        ) AS columns
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ${schema} AND t.relkind IN ('r', 'p')
      ORDER BY t.relname, ic.relname`
    const foreignKeys = yield* sql<{
      table_name: string
      constraint_name: string
      referenced_table: string
      columns: ReadonlyArray<string>
      referenced_columns: ReadonlyArray<string>
    }>`
      SELECT t.relname::text AS table_name, c.conname::text AS constraint_name,
        (SELECT r.relname::text FROM pg_class r WHERE r.oid = c.confrelid) AS referenced_table,
        ARRAY(
          SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.position
        ) AS columns,
        ARRAY(
          SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, position)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.position
        ) AS referenced_columns
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ${schema} AND c.contype = 'f'
      ORDER BY t.relname, c.conname`
    return {
      tables: tables.map((row) => ({ table: row.table_name, columns: row.columns })),
      indexes: indexes.map((row) => ({
        table: row.table_name,
        index: row.index_name,
        kind: indexKind(row),
        columns: row.columns
      })),
      foreignKeys: foreignKeys.map((row) => ({
        table: row.table_name,
        constraint: row.constraint_name,
        columns: row.columns,
        referencedTable: row.referenced_table,
        referencedColumns: row.referenced_columns
      }))
    }
  })

/** The sequences of `schema`, by name, with the table column that owns each (`null` for a free-standing one). */
export const readSequences = (
  sql: SqlClient.SqlClient,
  schema: string
): Effect.Effect<ReadonlyArray<{ readonly sequence: string; readonly ownedBy: string | null }>, SqlError> =>
  Effect.map(
    sql<{ sequence_name: string; owned_by: string | null }>`
      SELECT s.relname::text AS sequence_name,
        (SELECT t.relname::text || '.' || a.attname::text FROM pg_depend d
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
          WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')) AS owned_by
      FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE n.nspname = ${schema} AND s.relkind = 'S'
      ORDER BY s.relname`,
    (rows) => rows.map((row) => ({ sequence: row.sequence_name, ownedBy: row.owned_by }))
  )
