/**
 * The catch-up loop every projection and reactor runs: read the tenant's
 * events after a checkpoint, one page at a time, keep those whose event type
 * a catalog knows, hand them to the caller, and commit what the caller
 * writes together with the new checkpoint in one `ReadModelStore` commit.
 * Written once here; `Projection` and `Reactor` are built on it.
 *
 * @module
 */
import { Effect, Result } from "effect"
import { EventStore, type StoredEvent } from "../ports/EventStore.ts"
import { type DocumentKey, type ReadModelDocument, ReadModelStore } from "../ports/ReadModelStore.ts"
import type { CheckpointConflict, InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import type { EventCatalog, TaggedEvent, UnreadableEvent } from "./EventCatalog.ts"

/**
 * What a runner needs of an event catalog to select and read events: the
 * types it knows and how to decode them. Any `EventCatalog` is one; a list
 * of catalogs of different aggregates selects the union of their events.
 */
export type EventSelection<E extends TaggedEvent> = Pick<EventCatalog<E>, "eventTypes" | "decode">

/** A selected event: as stored (its id, stream and position) and decoded. */
export interface SelectedEvent<E> {
  readonly stored: StoredEvent
  readonly event: E
}

/** What one catch-up run did. */
export interface CatchUp {
  /** The global position the runner has now handled up to. */
  readonly checkpoint: number
  /** How many selected events it handled in this run (events of other types only move the checkpoint). */
  readonly eventsApplied: number
}

/** What a runner writes with a page's checkpoint. */
export interface PageWrites {
  readonly upserts: ReadonlyArray<ReadModelDocument>
  readonly deletes: ReadonlyArray<DocumentKey>
}

/** Why a catch-up stopped: an event it cannot read, another runner moved the checkpoint, or the stores failed. */
export type CatchUpError = UnreadableEvent | CheckpointConflict | InvalidStoreRequest | StorageFailure

/** How a catch-up runs. */
export interface CatchUpOptions<E extends TaggedEvent, Err, R> {
  readonly tenantId: string
  /** The name the checkpoint is kept under in the `ReadModelStore`. */
  readonly checkpointName: string
  /** The catalogs whose event types are selected; every other event only moves the checkpoint. */
  readonly events: ReadonlyArray<EventSelection<E>>
  /** Events read per page (default 500, at most 10,000). */
  readonly batchSize?: number | undefined
  /**
   * Handles one page's selected events (possibly none) and returns the
   * documents to write with the page's checkpoint. If it fails, nothing of
   * the page is committed and the next run starts from the page again.
   */
  readonly page: (events: ReadonlyArray<SelectedEvent<E>>) => Effect.Effect<PageWrites, Err, R>
}

/**
 * Picks a stored event's decoder by its event type: `undefined` when no
 * catalog knows the type (the event is not selected), else the decoded event
 * or why it does not read.
 */
export const selectEvent = <E extends TaggedEvent>(
  events: ReadonlyArray<EventSelection<E>>,
  stored: StoredEvent
): Result.Result<E, UnreadableEvent> | undefined => events.find((catalog) => catalog.eventTypes.has(stored.eventType))?.decode(stored)

/**
 * Runs the loop until no event is left after the checkpoint. Each page is
 * committed with its checkpoint atomically (`ReadModelStore.commit` with the
 * checkpoint the page started from), so a crash leaves the documents and
 * the checkpoint in agreement and the next run resumes at the first page not
 * committed; two runners at once make one fail with `CheckpointConflict`.
 */
export const catchUp = Effect.fnUntraced(function*<E extends TaggedEvent, Err, R>(
  options: CatchUpOptions<E, Err, R>
): Effect.fn.Return<CatchUp, Err | CatchUpError, R | EventStore | ReadModelStore> {
  const store = yield* EventStore
  const readModels = yield* ReadModelStore
  const { tenantId, checkpointName } = options
  const limit = options.batchSize ?? 500
  let checkpoint = yield* readModels.checkpoint(tenantId, checkpointName)
  let eventsApplied = 0
  for (;;) {
    const page = yield* store.readAll({ tenantId, after: checkpoint, limit })
    const last = page[page.length - 1]
    if (last === undefined) return { checkpoint, eventsApplied }
    const selected: Array<SelectedEvent<E>> = []
    for (const stored of page) {
      const decoded = selectEvent(options.events, stored)
      if (decoded !== undefined) selected.push({ stored, event: yield* Effect.fromResult(decoded) })
    }
    const writes = yield* options.page(selected)
    yield* readModels.commit(tenantId, {
      projection: checkpointName,
      expectedCheckpoint: checkpoint,
      checkpoint: last.globalPosition,
      upserts: writes.upserts,
      deletes: writes.deletes
    })
    checkpoint = last.globalPosition
    eventsApplied += selected.length
  }
})
