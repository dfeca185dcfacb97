/**
 * What the port implementations share: the SQL client and the references to
 * the adapter's tables in its configured schema.
 *
 * @internal
 */
import type { SqlClient } from "effect/sql"
import { type Fragment, fragment, identifier, literal } from "effect/sql/Statement"

/** The adapter's tables and functions, qualified by its schema. */
export interface Tables {
  readonly events: Fragment
  readonly idempotencyKeys: Fragment
  readonly outbox: Fragment
  readonly documents: Fragment
  readonly documentFields: Fragment
  readonly checkpoints: Fragment
  readonly takePositions: Fragment
  readonly readAll: Fragment
  readonly calls: Fragment
  readonly places: Fragment
  readonly importProgress: Fragment
  readonly quarantinedRows: Fragment
  readonly dailyCounts: Fragment
  readonly bulkImports: Fragment
}

/** The SQL client and table references one adapter instance works with. */
export interface StoreContext {
  readonly sql: SqlClient.SqlClient
  readonly schema: string
  readonly tables: Tables
}

/**
 * `"schema".name`. The schema is escaped by the statement compiler as an
 * identifier; the names are this module's constants.
 */
const qualified = (schema: string, name: string): Fragment => fragment([identifier(schema), literal(`.${name}`)])

/** The table references for a (validated) schema. */
export const tablesIn = (schema: string): Tables => ({
  events: qualified(schema, "events"),
  idempotencyKeys: qualified(schema, "idempotency_keys"),
  outbox: qualified(schema, "outbox"),
  documents: qualified(schema, "documents"),
  documentFields: qualified(schema, "document_fields"),
  checkpoints: qualified(schema, "checkpoints"),
  takePositions: qualified(schema, "take_positions"),
  readAll: qualified(schema, "read_all"),
  calls: qualified(schema, "calls"),
  places: qualified(schema, "places"),
  importProgress: qualified(schema, "import_progress"),
  quarantinedRows: qualified(schema, "quarantined_rows"),
  dailyCounts: qualified(schema, "daily_counts"),
  bulkImports: qualified(schema, "bulk_imports")
})
