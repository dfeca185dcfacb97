/**
 * Projections: read models folded from events and kept in the
 * `ReadModelStore` port. A program defines a projection by the events it
 * handles (event catalogs: events are selected by their type, never by the
 * name of their stream), the key of the document an event changes, a pure
 * `apply` and the indexed fields; one runner catches every projection up
 * from its checkpoint, page by page, and answers `get`, `all` and queries.
 *
 * @module
 */
import { Effect, Option, Result, Schema } from "effect"
import type { EventStore } from "../ports/EventStore.ts"
import { type IndexValue, type ReadModelDocument, type ReadModelQuery, ReadModelStore } from "../ports/ReadModelStore.ts"
import { type InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import { type CatchUp, type CatchUpError, catchUp, type EventSelection } from "./CatchUp.ts"
import type { TaggedEvent } from "./EventCatalog.ts"

/**
 * A projection: one document per key, folded from the events of its
 * catalogs.
 *
 * @example
 * ```ts
 * const rosters = makeProjection({
 *   name: "justice-for-neighbors.team-rosters",
 *   collection: "justice-for-neighbors.district-team-rosters",
 *   documentName: "roster",
 *   events: [districtTeamEvents],
 *   schema: DistrictTeamRoster,
 *   key: (event) => event.district,
 *   apply: applyToRoster,
 *   indexes: (roster) => ({ understaffed: roster.understaffedSince !== null })
 * })
 * ```
 */
export interface ProjectionDefinition<E extends TaggedEvent, V> {
  /** The projection's name, under which the `ReadModelStore` keeps its checkpoint. */
  readonly name: string
  /** The read-model collection of its documents. */
  readonly collection: string
  /** What one document is, in words, for error messages (e.g. `roster`). */
  readonly documentName: string
  /** The catalogs whose events it handles; an event of any other type only moves the checkpoint. */
  readonly events: ReadonlyArray<EventSelection<E>>
  /** The document's schema: its JSON encoding is the stored data. */
  readonly schema: Schema.Codec<V, unknown>
  /** The id of the document an event changes. */
  readonly key: (event: E) => string
  /**
   * The document after one more event; `undefined` while there is none
   * (an event before the one that creates it) or to delete it. Pure.
   */
  readonly apply: (view: V | undefined, event: E) => V | undefined
  /** The fields queries filter and sort on; leave a field out rather than `null` when it has no value. */
  readonly indexes: (view: V) => Readonly<Record<string, IndexValue>>
}

/** A query on a projection's indexed fields: every matching document is read, page after page. */
export type ProjectionQuery = Omit<ReadModelQuery, "collection" | "limit" | "cursor">

/** A projection's runner and its reads; see {@link makeProjection}. */
export interface Projection<E extends TaggedEvent, V> {
  /** What the projection was built from. */
  readonly definition: ProjectionDefinition<E, V>
  /**
   * Brings the projection up to date: reads the tenant's events after its
   * checkpoint, `batchSize` at a time (default 500), applies the selected
   * ones and commits the changed documents with the new checkpoint in one
   * transaction, until no event is left. Idempotent and resumable: it
   * applies only what is after the checkpoint, a run that fails leaves the
   * last committed page in place, and two runners at once make one fail
   * with `CheckpointConflict`.
   */
  readonly catchUp: (
    tenantId: string,
    options?: { readonly batchSize?: number | undefined }
  ) => Effect.Effect<CatchUp, CatchUpError, EventStore | ReadModelStore>
  /** One document by key, as far as the projection has caught up. */
  readonly get: (tenantId: string, key: string) => Effect.Effect<Option.Option<V>, InvalidStoreRequest | StorageFailure, ReadModelStore>
  /**
   * Every document matching a query on the indexed fields (all of them
   * without one), ordered as the query asks, ties and unordered queries by
   * key in code-point order.
   */
  readonly all: (
    tenantId: string,
    query?: ProjectionQuery
  ) => Effect.Effect<ReadonlyArray<V>, InvalidStoreRequest | StorageFailure, ReadModelStore>
}

/**
 * Reads stored documents back with their schema: a document that does not
 * decode is a `StorageFailure` naming it (`the stored <documentName> does
 * not decode: ...`), never a guess.
 */
export const documentDecoder = <V>(
  schema: Schema.Codec<V, unknown>,
  documentName: string
): (document: ReadModelDocument) => Effect.Effect<V, StorageFailure> => {
  const decode = Schema.decodeUnknownResult(schema)
  return (document) =>
    Result.match(decode(document.data), {
      onSuccess: Effect.succeed,
      onFailure: (error) =>
        Effect.fail(
          new StorageFailure({
            operation: `read ${document.collection}/${document.id}`,
            message: `the stored ${documentName} does not decode: ${error.message}`
          })
        )
    })
}

/**
 * Every document matching a query, decoded, following the store's pages
 * (1,000 at a time) to the end, in the query's order.
 */
export const queryDocuments = Effect.fnUntraced(function*<V>(
  tenantId: string,
  query: Omit<ReadModelQuery, "limit" | "cursor">,
  decode: (document: ReadModelDocument) => Effect.Effect<V, StorageFailure>
): Effect.fn.Return<ReadonlyArray<V>, InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const readModels = yield* ReadModelStore
  const values: Array<V> = []
  let cursor: string | undefined
  do {
    const page = yield* readModels.query(tenantId, { ...query, limit: 1_000, cursor })
    for (const document of page.documents) values.push(yield* decode(document))
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return values
})

/** Builds a projection's runner and reads from its definition. */
export const makeProjection = <E extends TaggedEvent, V>(definition: ProjectionDefinition<E, V>): Projection<E, V> => {
  const { collection, documentName } = definition
  const encode = Schema.encodeSync(definition.schema)

  const toDocument = (key: string, view: V): ReadModelDocument => ({
    collection,
    id: key,
    data: encode(view) as Schema.Json,
    indexed: definition.indexes(view)
  })

  const fromDocument = documentDecoder(definition.schema, documentName)

  const get = Effect.fnUntraced(function*(
    tenantId: string,
    key: string
  ): Effect.fn.Return<Option.Option<V>, InvalidStoreRequest | StorageFailure, ReadModelStore> {
    const readModels = yield* ReadModelStore
    const document = yield* readModels.get(tenantId, collection, key)
    return Option.isSome(document) ? Option.some(yield* fromDocument(document.value)) : Option.none()
  })

  const all = (tenantId: string, query: ProjectionQuery = {}) => queryDocuments(tenantId, { ...query, collection }, fromDocument)

  const catchUpProjection = (tenantId: string, options: { readonly batchSize?: number | undefined } = {}) =>
    catchUp({
      tenantId,
      checkpointName: definition.name,
      events: definition.events,
      batchSize: options.batchSize,
      page: Effect.fnUntraced(function*(events) {
        // Each document is read once per page, then folded in memory.
        const before = new Map<string, V | undefined>()
        const after = new Map<string, V | undefined>()
        for (const { event } of events) {
          const key = definition.key(event)
          if (!after.has(key)) {
            const stored = Option.getOrUndefined(yield* get(tenantId, key))
            before.set(key, stored)
            after.set(key, stored)
          }
          after.set(key, definition.apply(after.get(key), event))
        }
        const changed = [...after].filter(([key, view]) => view !== undefined || before.get(key) !== undefined)
        return {
          upserts: changed.flatMap(([key, view]) => (view === undefined ? [] : [toDocument(key, view)])),
          deletes: changed.flatMap(([key, view]) => (view === undefined ? [{ collection, id: key }] : []))
        }
      })
    })

  return { definition, catchUp: catchUpProjection, get, all }
}
