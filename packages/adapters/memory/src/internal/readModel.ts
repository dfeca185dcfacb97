/**
 * The read model store over the shared memory state: documents, queries with
 * keyset cursors, and checkpoints committed with the documents. Malformed
 * queries and commits are refused before they get here, by
 * `StoreLimitChecks.readModelStore`.
 *
 * @internal
 */
import {
  CheckpointConflict,
  compareCodePoints,
  type IndexValue,
  InvalidStoreRequest,
  type ProjectionCommit,
  type ReadModelDocument,
  type ReadModelPage,
  ReadModelCursor,
  type ReadModelQuery,
  ReadModelStore
} from "@community-policing/core"
import { Effect, Option } from "effect"
import { copyIn, copyOut } from "./json.ts"
import { type State, tenantForWrite } from "./state.ts"

/** Where a document sits in a query's order: its sort value (if it has the field) and its id. */
interface SortKey {
  readonly present: boolean
  readonly value: IndexValue
  readonly id: string
}

type Direction = "asc" | "desc"

/** A total order over index values of mixed types: null, then booleans, numbers, strings. */
const typeRank = (value: IndexValue): number =>
  value === null ? 0 : typeof value === "boolean" ? 1 : typeof value === "number" ? 2 : 3

const compareValues = (a: IndexValue, b: IndexValue): number => {
  const byType = typeRank(a) - typeRank(b)
  if (byType !== 0) return byType
  if (a === b) return 0
  if (typeof a === "string") return compareCodePoints(a, b as string)
  return (a as number | boolean) < (b as number | boolean) ? -1 : 1
}

const compareIds = compareCodePoints

/** Documents lacking the field sort last whatever the direction; ties by id ascending. */
const compareKeys = (a: SortKey, b: SortKey, direction: Direction): number => {
  if (a.present !== b.present) return a.present ? -1 : 1
  if (a.present) {
    const byValue = compareValues(a.value, b.value)
    if (byValue !== 0) return direction === "asc" ? byValue : -byValue
  }
  return compareIds(a.id, b.id)
}

const sortKey = (document: ReadModelDocument, field: string | null): SortKey =>
  field === null
    ? { present: true, value: null, id: document.id }
    : Object.hasOwn(document.indexed, field)
    ? { present: true, value: document.indexed[field] ?? null, id: document.id }
    : { present: false, value: null, id: document.id }

const matches = (document: ReadModelDocument, query: ReadModelQuery): boolean => {
  for (const condition of query.where ?? []) {
    if (!Object.hasOwn(document.indexed, condition.field)) return false
    if (document.indexed[condition.field] !== condition.equals) return false
  }
  const range = query.range
  if (range !== undefined) {
    if (!Object.hasOwn(document.indexed, range.field)) return false
    const value = document.indexed[range.field]
    // A bound only compares with a value of its own type: a string never falls in a numeric range.
    if (typeof value !== "string" && typeof value !== "number") return false
    if (range.from !== undefined && (typeof value !== typeof range.from || compareValues(value, range.from) < 0)) return false
    if (range.to !== undefined && (typeof value !== typeof range.to || compareValues(value, range.to) >= 0)) return false
  }
  return true
}

const documentOut = (document: ReadModelDocument): ReadModelDocument => ({
  collection: document.collection,
  id: document.id,
  data: copyOut(document.data),
  indexed: { ...document.indexed }
})

/** The read model store service over `state`. */
export const makeReadModelStore = (state: State): ReadModelStore["Service"] => {
  const get = Effect.fnUntraced(function*(tenantId: string, collection: string, id: string) {
    const document = state.tenants.get(tenantId)?.documents.get(collection)?.get(id)
    return document === undefined ? Option.none() : Option.some(documentOut(document))
  })

  const query = Effect.fnUntraced(function*(
    tenantId: string,
    query: ReadModelQuery
  ): Effect.fn.Return<ReadModelPage> {
    const field = query.orderBy?.field ?? null
    const direction: Direction = query.orderBy?.direction ?? "asc"
    // A cursor of another order was refused by `StoreLimitChecks.readModelStore`.
    // Keyset paging over the same order visits every document once when nothing changes.
    const after: SortKey | undefined = ReadModelCursor.position(query)
    const collection = state.tenants.get(tenantId)?.documents.get(query.collection)
    const keyed: Array<readonly [SortKey, ReadModelDocument]> = []
    for (const document of collection?.values() ?? []) {
      if (!matches(document, query)) continue
      const key = sortKey(document, field)
      if (after !== undefined && compareKeys(key, after, direction) <= 0) continue
      keyed.push([key, document])
    }
    keyed.sort(([a], [b]) => compareKeys(a, b, direction))
    const page = keyed.slice(0, query.limit)
    const documents = page.map(([, document]) => documentOut(document))
    const last = page.at(-1)
    if (keyed.length <= query.limit || last === undefined) return { documents }
    const [key] = last
    return { documents, nextCursor: ReadModelCursor.next(query, key) }
  })

  const commit = Effect.fnUntraced(function*(
    tenantId: string,
    commit: ProjectionCommit
  ): Effect.fn.Return<void, CheckpointConflict | InvalidStoreRequest> {
    // Everything below runs without yielding: the commit is one atomic step.
    const existing = state.tenants.get(tenantId)
    const actualCheckpoint = existing?.checkpoints.get(commit.projection) ?? 0
    if (actualCheckpoint !== commit.expectedCheckpoint) {
      return yield* new CheckpointConflict({
        tenantId,
        projection: commit.projection,
        expectedCheckpoint: commit.expectedCheckpoint,
        actualCheckpoint
      })
    }
    const upserts: Array<ReadModelDocument> = []
    for (const document of commit.upserts) {
      const data = copyIn(document.data)
      if (data === undefined) {
        return yield* new InvalidStoreRequest({
          operation: "ReadModelStore.commit",
          reason: `document ${JSON.stringify(document.id)} has no JSON data`
        })
      }
      // Object.fromEntries defines own properties, so even a field named `__proto__` is kept as data.
      upserts.push({
        collection: document.collection,
        id: document.id,
        data,
        indexed: Object.fromEntries(Object.entries(document.indexed))
      })
    }
    const tenant = existing ?? tenantForWrite(state, tenantId)
    for (const key of commit.deletes) tenant.documents.get(key.collection)?.delete(key.id)
    for (const document of upserts) {
      const collection = tenant.documents.get(document.collection) ?? new Map<string, ReadModelDocument>()
      tenant.documents.set(document.collection, collection)
      collection.set(document.id, document)
    }
    tenant.checkpoints.set(commit.projection, commit.checkpoint)
  })

  const checkpoint = Effect.fnUntraced(function*(tenantId: string, projection: string) {
    return state.tenants.get(tenantId)?.checkpoints.get(projection) ?? 0
  })

  return ReadModelStore.of({ get, query, commit, checkpoint })
}
