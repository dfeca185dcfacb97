/**
 * The read model port: keyed JSON documents that projections build from
 * events, with a small typed query and a checkpoint per projection updated in
 * the same transaction as the documents.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Schema } from "effect"
import type { CheckpointConflict, InvalidStoreRequest, StorageFailure } from "./StoreErrors.ts"

/**
 * A value of an indexed field. Dates are indexed as ISO-8601 UTC strings with
 * milliseconds (`DateTime.formatIso`), so that string order is time order.
 */
export type IndexValue = string | number | boolean | null

/**
 * The order of strings in read-model queries: by Unicode code point, which is
 * also UTF-8 byte order (PostgreSQL's `COLLATE "C"`, SQLite's `BINARY`).
 * JavaScript's `<` compares UTF-16 code units instead, which puts characters
 * beyond U+FFFF before U+E000 to U+FFFF; this function is the reference.
 */
export const compareCodePoints = (a: string, b: string): number => {
  if (a === b) return 0
  const left = a[Symbol.iterator]()
  const right = b[Symbol.iterator]()
  for (;;) {
    const x = left.next()
    const y = right.next()
    if (x.done === true) return y.done === true ? 0 : -1
    if (y.done === true) return 1
    if (x.value !== y.value) return x.value.codePointAt(0)! - y.value.codePointAt(0)!
  }
}

/** One read-model document. */
export interface ReadModelDocument {
  /** The kind of document, e.g. `open-cases`. */
  readonly collection: string
  /** The document's key within its collection. */
  readonly id: string
  /** The document itself, as JSON. */
  readonly data: Schema.Json
  /** The fields queries filter and sort on, with their values. */
  readonly indexed: Readonly<Record<string, IndexValue>>
}

/** A document to delete. */
export interface DocumentKey {
  readonly collection: string
  readonly id: string
}

/**
 * A query over one collection. All conditions must hold.
 *
 * @example
 * ```ts
 * const overdue: ReadModelQuery = {
 *   collection: "open-cases",
 *   where: [{ field: "district", equals: "3" }],
 *   range: { field: "deadline", to: "2026-11-26T00:00:00.000Z" },
 *   orderBy: { field: "deadline", direction: "asc" },
 *   limit: 50
 * }
 * ```
 */
export interface ReadModelQuery {
  readonly collection: string
  /** Equality on indexed fields. */
  readonly where?: ReadonlyArray<{ readonly field: string; readonly equals: IndexValue }> | undefined
  /** A range on one indexed field: `from` inclusive, `to` exclusive; either may be left open. */
  readonly range?: {
    readonly field: string
    readonly from?: string | number | undefined
    readonly to?: string | number | undefined
  } | undefined
  /** Sort order; ties, and queries without `orderBy`, are ordered by `id` ascending. */
  readonly orderBy?: { readonly field: string; readonly direction: "asc" | "desc" } | undefined
  /** Page size, 1 to 1,000. */
  readonly limit: number
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined
}

/** One page of query results. */
export interface ReadModelPage {
  readonly documents: ReadonlyArray<ReadModelDocument>
  /** Pass it as `cursor` to get the next page; absent on the last page. */
  readonly nextCursor?: string | undefined
}

/** What a projection writes for a batch of events, with its new checkpoint. */
export interface ProjectionCommit {
  /** The projection's name. */
  readonly projection: string
  /** The checkpoint the projection started the batch from; the commit fails if it moved. */
  readonly expectedCheckpoint: number
  /** The global position of the last event the batch covers. */
  readonly checkpoint: number
  readonly upserts: ReadonlyArray<ReadModelDocument>
  readonly deletes: ReadonlyArray<DocumentKey>
}

/**
 * The read model port.
 *
 * Contract (checked by `@community-policing/testkit`):
 * - **Atomic commits.** `commit` writes its upserts, deletes and the new
 *   checkpoint together or not at all, so a read model and its checkpoint
 *   never disagree, even after a crash. If the projection's checkpoint is no
 *   longer `expectedCheckpoint`, it fails with `CheckpointConflict` and
 *   writes nothing. A new projection's checkpoint is 0.
 * - **Upsert replaces.** An upsert replaces the whole document, indexed
 *   fields included; deleting a missing document is not an error.
 * - **Queries.** Equality (`where`) on indexed fields; one range, `from`
 *   inclusive and `to` exclusive; ordering on one indexed field, ties by
 *   `id`; strings compare by code point ({@link compareCodePoints}), numbers
 *   numerically; a document lacking a field never matches a condition on it,
 *   and sorts after every document that has it, whatever the direction.
 * - **Paging.** `limit` is 1 to 1,000, else `InvalidStoreRequest`. Following
 *   `nextCursor` from the first page visits every matching document exactly
 *   once when nothing is written meanwhile.
 * - **Faithful storage, tenant isolation and tenant ids**, as for the event
 *   store: an invalid tenant id fails every operation with `InvalidStoreRequest`.
 * - **Keys** (`StoreLimits`): projections, collections, document ids and
 *   indexed field names are non-empty portable text of at most 1,024 UTF-8
 *   bytes; a commit breaking that fails with `InvalidStoreRequest` naming
 *   the key (`commitKeysProblem`) and writes nothing, and a read by such a
 *   key finds nothing. (Indexed string values are not limited here: one
 *   PostgreSQL cannot index is refused by the server, with its words.)
 */
export class ReadModelStore extends Context.Service<ReadModelStore, {
  /** One document by collection and id. */
  readonly get: (
    tenantId: string,
    collection: string,
    id: string
  ) => Effect.Effect<Option.Option<ReadModelDocument>, InvalidStoreRequest | StorageFailure>
  /** Documents matching a query, one page at a time. */
  readonly query: (
    tenantId: string,
    query: ReadModelQuery
  ) => Effect.Effect<ReadModelPage, InvalidStoreRequest | StorageFailure>
  /** Writes a projection's batch and its checkpoint atomically. */
  readonly commit: (
    tenantId: string,
    commit: ProjectionCommit
  ) => Effect.Effect<void, CheckpointConflict | InvalidStoreRequest | StorageFailure>
  /** A projection's checkpoint (0 if it never committed). */
  readonly checkpoint: (
    tenantId: string,
    projection: string
  ) => Effect.Effect<number, InvalidStoreRequest | StorageFailure>
}>()("@community-policing/core/ReadModelStore") {}
