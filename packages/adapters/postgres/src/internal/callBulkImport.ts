/**
 * Bulk imports over PostgreSQL (`CallStore.beginBulkImport` and
 * `finishBulkImport`). Nothing is deferred: every batch maintains the
 * indexes and daily counts as outside a bulk import, so the store is always
 * exactly what batch-by-batch commits leave. Finishing runs `ANALYZE` on the
 * calls tables (calls, daily counts, quarantined rows, progress), so that
 * the planner's statistics know the rows a large import added before
 * autovacuum's next pass does.
 *
 * @internal
 */
import type { CallStore, StorageFailure } from "@community-policing/core"
import { Effect } from "effect"
import type { StoreContext } from "./context.ts"
import { toStorageFailure } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"

/** The two bulk-import operations of the call store. */
export type CallBulkImport = Pick<CallStore["Service"], "beginBulkImport" | "finishBulkImport">

/** The bulk-import operations over the adapter's tables. */
export const makeCallBulkImport = ({ sql, tables }: Pick<StoreContext, "sql" | "tables">): CallBulkImport => {
  const analyze: Effect.Effect<void, StorageFailure> = sql`ANALYZE ${tables.calls}, ${tables.dailyCounts}, ${tables.quarantinedRows}, ${tables.importProgress}`
    .pipe(
      Effect.asVoid,
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("CallStore.finishBulkImport")(error))),
      withSystemClock
    )
  return {
    beginBulkImport: () => Effect.void,
    finishBulkImport: () => analyze
  }
}
