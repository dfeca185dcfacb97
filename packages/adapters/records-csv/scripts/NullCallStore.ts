/**
 * A `CallStore` that accepts every batch and keeps nothing: the profiling
 * scripts measure the import without storage with it.
 */
import { CallStore } from "@community-policing/core"
import { Effect, Option } from "effect"

/** A store that accepts every batch and keeps nothing: the import without storage. */
export const nullStore = CallStore.of({
  commitImportBatch: (_tenantId, batch) => Effect.succeed({ imported: batch.calls.length, duplicates: 0 }),
  importProgress: () => Effect.succeed(Option.none()),
  quarantined: () => Effect.succeed([]),
  callsAt: () => Effect.succeed([]),
  upsertPlaces: () => Effect.void,
  place: () => Effect.succeed(Option.none()),
  beginBulkImport: () => Effect.void,
  finishBulkImport: () => Effect.void
})
