/**
 * Bulk imports over PostgreSQL (`CallStore.beginBulkImport` and
 * `finishBulkImport`), as the SQLite adapter does them. While any bulk
 * import is open (a row in `bulk_imports`), the `calls_by_address` index is
 * not there: kept up to date row by row, its leaf pages are touched all over
 * the index by every batch, a large share of an import's server time and
 * WAL. The batches themselves are unchanged (the primary key still makes a
 * repeated dedupe key a duplicate; the daily counts are kept up to date with
 * each batch), so every answer is the same, and `callsAt` only reads the
 * calls table without the index, more slowly. When the last open bulk import
 * finishes, the index is built again in one sort and `ANALYZE` runs on the
 * calls tables, so that the planner's statistics know the rows the import
 * added. A killed import leaves its row: beginning it again is a no-op, and
 * finishing it builds the index.
 *
 * Beginning and finishing are serialized by a transaction advisory lock of
 * the schema, so a bulk import beginning while the last one finishes either
 * drops the index after it was built or finds its own row counted.
 *
 * @internal
 */
import type { CallStore, StorageFailure } from "@community-policing/core"
import { Effect } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { quoteIdentifier } from "../PostgresStoreConfig.ts"
import type { StoreContext } from "./context.ts"
import { toStorageFailure } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"
import { text } from "./values.ts"

/** The two bulk-import operations of the call store. */
export type CallBulkImport = Pick<CallStore["Service"], "beginBulkImport" | "finishBulkImport">

/**
 * `maintenance_work_mem` while the index is built: the sort of a few million
 * keys stays in memory (the default, 64 MB, spills to disk). Set for that
 * transaction only.
 */
const indexBuildMemory = "256MB"

/** The bulk-import operations over the adapter's tables. */
export const makeCallBulkImport = ({ schema, sql, tables }: Pick<StoreContext, "schema" | "sql" | "tables">): CallBulkImport => {
  // The index as migration 2 creates it, in the calls table's schema.
  const callsByAddress = sql.literal(`${quoteIdentifier(schema)}.calls_by_address`)
  const lock = sql`SELECT pg_advisory_xact_lock(hashtext(${`${schema}.bulk_imports`}))`
  const failing = (operation: string) => (effect: Effect.Effect<unknown, SqlError>): Effect.Effect<void, StorageFailure> =>
    effect.pipe(
      Effect.asVoid,
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure(operation)(error))),
      withSystemClock
    )

  const beginBulkImport: CallBulkImport["beginBulkImport"] = (tenantId, importId) =>
    sql.withTransaction(Effect.gen(function*() {
      yield* lock
      yield* sql`
        INSERT INTO ${tables.bulkImports} (tenant_id, import_id) VALUES (${text(tenantId)}, ${text(importId)})
        ON CONFLICT DO NOTHING`
      yield* sql`DROP INDEX IF EXISTS ${callsByAddress}`
    })).pipe(failing("CallStore.beginBulkImport"))

  const finishBulkImport: CallBulkImport["finishBulkImport"] = (tenantId, importId) =>
    Effect.gen(function*() {
      const built = yield* sql.withTransaction(Effect.gen(function*() {
        yield* lock
        yield* sql`DELETE FROM ${tables.bulkImports} WHERE tenant_id = ${text(tenantId)} AND import_id = ${text(importId)}`
        const [open] = yield* sql<{ open: boolean }>`SELECT EXISTS (SELECT 1 FROM ${tables.bulkImports}) AS open`
        if (open?.open === true) return false
        yield* sql`SELECT set_config('maintenance_work_mem', ${indexBuildMemory}, true)`
        yield* sql`
          CREATE INDEX IF NOT EXISTS calls_by_address
          ON ${tables.calls} (tenant_id, address_key, service_day, received_at, dedupe_key)`
        return true
      }))
      // ANALYZE outside the transaction: it takes no lock that batches wait on.
      if (built) yield* sql`ANALYZE ${tables.calls}, ${tables.dailyCounts}, ${tables.quarantinedRows}, ${tables.importProgress}`
    }).pipe(failing("CallStore.finishBulkImport"))

  return { beginBulkImport, finishBulkImport }
}
