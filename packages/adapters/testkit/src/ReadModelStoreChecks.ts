/**
 * The checks of the `ReadModelStore` contract. Each works in fresh tenants
 * and fresh collection and projection names.
 *
 * @module
 */
import {
  type IndexValue,
  keyProblem,
  MAX_KEY_BYTES,
  type ProjectionCommit,
  type ReadModelDocument,
  type ReadModelQuery,
  ReadModelStore
} from "@community-policing/core"
import { Effect, Option, Result, type Schema } from "effect"
import { type ConformanceCheck, inNewInstance } from "./ConformanceCheck.ts"
import { ConformanceFailure, expectEqual, expectFailure, expectSuccess, expectTrue } from "./ConformanceFailure.ts"
import { freshId, freshTenant, hostileStrings, unicodeStrings } from "./Fixtures.ts"
import { RawStore } from "./RawStore.ts"
import { expectRefusal, expectTenantRefused, incompressibleText, invalidKeys, invalidTenantIds, longestTenant, longestWideKey } from "./Limits.ts"

const check = (
  name: string,
  run: ConformanceCheck<ReadModelStore>["run"],
  requires: ConformanceCheck<ReadModelStore>["requires"] = []
): ConformanceCheck<ReadModelStore> => ({ port: "ReadModelStore", name, requires, run })

/** A document as plain data for comparison: exactly the port's fields. */
const documentView = (document: ReadModelDocument) => ({
  collection: document.collection,
  id: document.id,
  data: document.data,
  indexed: { ...document.indexed }
})

const document = (
  collection: string,
  id: string,
  indexed: Readonly<Record<string, IndexValue>>,
  data: Schema.Json = { id, indexed }
): ReadModelDocument => ({ collection, id, data, indexed })

/** Commits a batch that must succeed. */
const commitOk = Effect.fnUntraced(function*(tenantId: string, commit: ProjectionCommit, what: string) {
  const store = yield* ReadModelStore
  yield* expectSuccess(store.commit(tenantId, commit), what)
})

/** Seeds a fresh collection with `documents` in one commit of a fresh projection. */
const seed = Effect.fnUntraced(function*(tenantId: string, documents: (collection: string) => ReadonlyArray<ReadModelDocument>) {
  const collection = yield* freshId("collection")
  const projection = yield* freshId("projection")
  yield* commitOk(
    tenantId,
    { projection, expectedCheckpoint: 0, checkpoint: 1, upserts: documents(collection), deletes: [] },
    "seed the collection"
  )
  return collection
})

/** The ids of the first page of a query (limit 1,000 unless the query sets one). */
const ids = Effect.fnUntraced(function*(
  tenantId: string,
  query: Omit<ReadModelQuery, "limit"> & { readonly limit?: number },
  what: string
) {
  const store = yield* ReadModelStore
  const page = yield* expectSuccess(store.query(tenantId, { limit: 1_000, ...query }), what)
  return page.documents.map((found) => found.id)
})

/**
 * Follows `nextCursor` from the first page; fails if a page other than the
 * last is empty, overflows its limit, or the last page carries a cursor.
 */
const pageThrough = Effect.fnUntraced(function*(tenantId: string, query: ReadModelQuery, what: string) {
  const store = yield* ReadModelStore
  const visited: Array<string> = []
  let cursor: string | undefined
  for (let pages = 0; ; pages++) {
    yield* expectTrue(pages <= 1_000, `${what}: paging never ended`)
    const page = yield* expectSuccess(store.query(tenantId, { ...query, cursor }), `${what}: page ${pages + 1}`)
    yield* expectTrue(page.documents.length <= query.limit, `${what}: a page must not exceed its limit`, {
      expected: query.limit,
      actual: page.documents.length
    })
    visited.push(...page.documents.map((found) => found.id))
    if (page.nextCursor === undefined) return visited
    yield* expectTrue(page.documents.length > 0, `${what}: a page with a nextCursor must not be empty`)
    cursor = page.nextCursor
  }
})

const rawReaders = Effect.map(Effect.serviceOption(RawStore), Option.getOrUndefined)

/** When raw readers are supplied, the stored documents and checkpoint must be these. */
const expectStored = Effect.fnUntraced(function*(
  tenantId: string,
  collection: string,
  projection: string,
  expected: { readonly documents: ReadonlyArray<ReadModelDocument>; readonly checkpoint: number },
  what: string
) {
  const raw = yield* rawReaders
  if (raw?.documents !== undefined) {
    const stored = yield* expectSuccess(raw.documents(tenantId, collection), "RawStore.documents")
    yield* expectEqual(
      sortById(stored).map(documentView),
      sortById(expected.documents).map(documentView),
      `${what} (documents read from the raw store)`
    )
  }
  if (raw?.checkpoint !== undefined) {
    const stored = yield* expectSuccess(raw.checkpoint(tenantId, projection), "RawStore.checkpoint")
    yield* expectEqual(Option.getOrElse(stored, () => 0), expected.checkpoint, `${what} (checkpoint read from the raw store)`)
  }
})

const sortById = (documents: ReadonlyArray<ReadModelDocument>) =>
  [...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

const commitAndGet = check(
  "a new projection's checkpoint is 0; commit stores documents and the new checkpoint",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("open-cases")
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 0, "a new projection's checkpoint")
    const documents = [
      document(collection, "case-1", { district: "3", deadline: "2026-11-26T00:00:00.000Z", fine: 250, open: true, owner: null }, {
        case: "case-1",
        parcels: ["APN 001"],
        nested: { a: [1, { b: null }] }
      }),
      document(collection, "case-2", {}, [1, "two", false, null])
    ]
    yield* commitOk(tenantId, { projection, expectedCheckpoint: 0, checkpoint: 7, upserts: documents, deletes: [] }, "commit")
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 7, "the checkpoint after the commit")
    for (const expected of documents) {
      yield* expectEqual(
        Option.map(yield* store.get(tenantId, collection, expected.id), documentView),
        Option.some(documentView(expected)),
        `get ${expected.id}`
      )
    }
    yield* expectEqual(yield* store.get(tenantId, collection, "case-3"), Option.none(), "get of a missing document")
    yield* expectEqual(yield* store.get(tenantId, `${collection}-other`, "case-1"), Option.none(), "get in another collection")
    yield* expectStored(tenantId, collection, projection, { documents, checkpoint: 7 }, "the stored documents")
  })
)

const callerCopies = check(
  "stored documents are copies: changing what was passed in or returned changes nothing stored",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const data = { list: [1, 2], nested: { value: "original" } }
    const indexed: Record<string, IndexValue> = { district: "3" }
    const collection = yield* seed(tenantId, (collection) => [{ collection, id: "d1", data, indexed }])
    const expected = structuredClone(documentView({ collection, id: "d1", data, indexed }))
    data.list.push(3)
    indexed.district = "4"
    const got = yield* store.get(tenantId, collection, "d1")
    // The port hands out readonly types; these casts are the caller misbehaving on purpose.
    if (Option.isSome(got)) {
      ;(got.value.data as { list: Array<number> }).list.push(4)
      ;(got.value.indexed as Record<string, IndexValue>).district = "5"
    }
    const page = yield* store.query(tenantId, { collection, limit: 10 })
    ;(page.documents[0]?.data as { list: Array<number> } | undefined)?.list.push(5)
    yield* expectEqual(
      Option.map(yield* store.get(tenantId, collection, "d1"), documentView),
      Option.some(expected),
      "the stored document must not change when the caller changes objects it passed or received"
    )
  })
)

const upsertReplaces = check(
  "an upsert replaces the whole document, indexed fields included",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    yield* commitOk(
      tenantId,
      {
        projection,
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [document(collection, "d1", { district: "3", status: "open" }, { a: 1, b: 2 })],
        deletes: []
      },
      "first upsert"
    )
    const replacement = document(collection, "d1", { district: "4" }, { a: 9 })
    yield* commitOk(
      tenantId,
      { projection, expectedCheckpoint: 1, checkpoint: 2, upserts: [replacement], deletes: [] },
      "second upsert"
    )
    yield* expectEqual(
      Option.map(yield* store.get(tenantId, collection, "d1"), documentView),
      Option.some(documentView(replacement)),
      "get must return the replacement exactly, with no field of the first version left"
    )
    yield* expectEqual(
      yield* ids(tenantId, { collection, where: [{ field: "status", equals: "open" }] }, "query"),
      [],
      "a dropped indexed field must not match"
    )
    yield* expectEqual(
      yield* ids(tenantId, { collection, where: [{ field: "district", equals: "3" }] }, "query"),
      [],
      "an old indexed value must not match"
    )
    yield* expectEqual(
      yield* ids(tenantId, { collection, where: [{ field: "district", equals: "4" }] }, "query"),
      ["d1"],
      "the new indexed value must match"
    )
  })
)

const deletes = check(
  "a delete removes a document; deleting a missing document is not an error",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    const kept = document(collection, "kept", { n: 1 })
    yield* commitOk(
      tenantId,
      { projection, expectedCheckpoint: 0, checkpoint: 1, upserts: [kept, document(collection, "gone", { n: 2 })], deletes: [] },
      "seed"
    )
    yield* commitOk(
      tenantId,
      {
        projection,
        expectedCheckpoint: 1,
        checkpoint: 2,
        upserts: [],
        deletes: [{ collection, id: "gone" }, { collection, id: "never-existed" }, { collection: `${collection}-x`, id: "kept" }]
      },
      "delete an existing and two missing documents"
    )
    yield* expectEqual(yield* store.get(tenantId, collection, "gone"), Option.none(), "the deleted document")
    yield* expectEqual(yield* ids(tenantId, { collection }, "query"), ["kept"], "the collection after the delete")
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 2, "the checkpoint after a commit of deletes")
    yield* expectStored(tenantId, collection, projection, { documents: [kept], checkpoint: 2 }, "after the delete")
  })
)

const checkpointConflict = check(
  "a commit from a stale checkpoint fails with CheckpointConflict and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    const original = document(collection, "d1", { n: 1 })
    yield* commitOk(tenantId, { projection, expectedCheckpoint: 0, checkpoint: 5, upserts: [original], deletes: [] }, "seed")
    for (const expectedCheckpoint of [0, 3, 6]) {
      const conflict = yield* expectFailure(
        store.commit(tenantId, {
          projection,
          expectedCheckpoint,
          checkpoint: 9,
          upserts: [document(collection, "d2", { n: 2 }), document(collection, "d1", { n: 99 })],
          deletes: []
        }),
        "CheckpointConflict",
        `a commit expecting checkpoint ${expectedCheckpoint} when it is 5`
      )
      yield* expectEqual(
        { tenantId: conflict.tenantId, projection: conflict.projection, expectedCheckpoint: conflict.expectedCheckpoint, actualCheckpoint: conflict.actualCheckpoint },
        { tenantId, projection, expectedCheckpoint, actualCheckpoint: 5 },
        "CheckpointConflict must name the projection and both checkpoints"
      )
      yield* expectFailure(
        store.commit(tenantId, { projection, expectedCheckpoint, checkpoint: 9, upserts: [], deletes: [{ collection, id: "d1" }] }),
        "CheckpointConflict",
        `a delete expecting checkpoint ${expectedCheckpoint} when it is 5`
      )
    }
    const fresh = yield* freshId("projection")
    yield* expectFailure(
      store.commit(tenantId, { projection: fresh, expectedCheckpoint: 4, checkpoint: 9, upserts: [document(collection, "d3", {})], deletes: [] }),
      "CheckpointConflict",
      "a commit of a new projection expecting checkpoint 4"
    )
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 5, "the checkpoint after refused commits")
    yield* expectEqual(yield* store.checkpoint(tenantId, fresh), 0, "the new projection's checkpoint after a refused commit")
    yield* expectEqual(
      Option.map(yield* store.get(tenantId, collection, "d1"), documentView),
      Option.some(documentView(original)),
      "a refused commit must not change or delete a document"
    )
    yield* expectEqual(yield* ids(tenantId, { collection }, "query"), ["d1"], "a refused commit must not add documents")
    yield* expectStored(tenantId, collection, projection, { documents: [original], checkpoint: 5 }, "after refused commits")
  })
)

const concurrentCommits = check(
  "of concurrent commits from the same checkpoint exactly one succeeds",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    const commits = Array.from({ length: 8 }, (_, index): ProjectionCommit => ({
      projection,
      expectedCheckpoint: 0,
      checkpoint: 10 + index,
      upserts: [document(collection, `writer-${index}`, { writer: index })],
      deletes: []
    }))
    const results = yield* Effect.all(commits.map((commit) => Effect.result(store.commit(tenantId, commit))), {
      concurrency: "unbounded"
    })
    const winners = results.flatMap((result, index) => (Result.isSuccess(result) ? [index] : []))
    yield* expectEqual(winners.length, 1, "exactly one of 8 racing commits must succeed")
    for (const result of results) {
      if (Result.isSuccess(result)) continue
      yield* expectEqual(result.failure._tag, "CheckpointConflict", "the losers of the race must fail with CheckpointConflict")
    }
    const winner = winners[0] ?? 0
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 10 + winner, "the checkpoint must be the winner's")
    yield* expectEqual(
      yield* ids(tenantId, { collection }, "query"),
      [`writer-${winner}`],
      "only the winner's document may be written"
    )
  }),
  ["concurrentWriters"]
)

const equality = check(
  "where matches exact indexed values only: type-strict, null is not missing, conditions combine",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const collection = yield* seed(tenantId, (collection) => [
      document(collection, "a", { district: "3" }),
      document(collection, "b", { district: 3 }),
      document(collection, "c", { district: null }),
      document(collection, "d", {}),
      document(collection, "e", { district: "03" }),
      document(collection, "f", { district: true }),
      document(collection, "g", { district: "3", status: "open" }),
      document(collection, "h", { district: "3 " }),
      document(collection, "i", { constructor: "x", toString: "y" })
    ])
    const cases: ReadonlyArray<readonly [ReadonlyArray<{ field: string; equals: IndexValue }>, ReadonlyArray<string>]> = [
      [[{ field: "district", equals: "3" }], ["a", "g"]],
      [[{ field: "district", equals: 3 }], ["b"]],
      [[{ field: "district", equals: null }], ["c"]],
      [[{ field: "district", equals: true }], ["f"]],
      [[{ field: "district", equals: "03" }], ["e"]],
      [[{ field: "district", equals: "3" }, { field: "status", equals: "open" }], ["g"]],
      [[{ field: "status", equals: null }], []],
      [[{ field: "constructor", equals: "x" }], ["i"]],
      [[{ field: "hasOwnProperty", equals: null }], []],
      [[], ["a", "b", "c", "d", "e", "f", "g", "h", "i"]]
    ]
    for (const [where, expected] of cases) {
      yield* expectEqual(yield* ids(tenantId, { collection, where }, "query"), expected, `where ${JSON.stringify(where)}`)
    }
  })
)

const ranges = check(
  "a range includes from, excludes to, may be open on either side, and compares strings by code point",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const collection = yield* seed(tenantId, (collection) => [
      ...Array.from({ length: 10 }, (_, score) => document(collection, `n${score}`, { score, kind: "number" })),
      document(collection, "no-score", { kind: "number" }),
      document(collection, "t1", { deadline: "2026-11-25T23:59:59.999Z", district: "3" }),
      document(collection, "t2", { deadline: "2026-11-26T00:00:00.000Z", district: "3" }),
      document(collection, "t3", { deadline: "2026-11-26T00:00:00.001Z", district: "4" }),
      document(collection, "s1", { name: "Apple" }),
      document(collection, "s2", { name: "Zebra" }),
      document(collection, "s3", { name: "apple" }),
      document(collection, "s4", { name: "\u00c4pfel" }),
      document(collection, "s5", { name: "B" }),
      // U+E000 (private use) and U+1F600 (an emoji, a surrogate pair in UTF-16):
      // code point and UTF-8 byte order put the emoji last; UTF-16 code units would not.
      document(collection, "s6", { name: "\ue000" }),
      document(collection, "s7", { name: "\u{1F600}" })
    ])
    const cases: ReadonlyArray<readonly [NonNullable<ReadModelQuery["range"]>, ReadonlyArray<string>, ReadModelQuery["where"]?]> = [
      [{ field: "score", from: 3, to: 7 }, ["n3", "n4", "n5", "n6"]],
      [{ field: "score", from: 7 }, ["n7", "n8", "n9"]],
      [{ field: "score", to: 2 }, ["n0", "n1"]],
      [{ field: "score", from: 2.5, to: 3.5 }, ["n3"]],
      [{ field: "score", from: -100, to: 100 }, ["n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"]],
      [{ field: "score", from: 5, to: 5 }, []],
      [{ field: "deadline", to: "2026-11-26T00:00:00.000Z" }, ["t1"]],
      [{ field: "deadline", from: "2026-11-26T00:00:00.000Z" }, ["t2", "t3"]],
      [{ field: "deadline", from: "2026-11-26T00:00:00.000Z" }, ["t2"], [{ field: "district", equals: "3" }]],
      // Code point order: "B" < "Zebra" < "a..." < "Ä..." < U+E000 < U+1F600; a locale
      // collation would put "apple" before "B".
      [{ field: "name", from: "B", to: "a" }, ["s2", "s5"]],
      [{ field: "name", from: "a", to: "\ue000" }, ["s3", "s4"]],
      [{ field: "name", from: "\ue001" }, ["s7"]],
      [{ field: "name", to: "B" }, ["s1"]]
    ]
    for (const [range, expected, where] of cases) {
      yield* expectEqual(
        yield* ids(tenantId, { collection, range, where }, "query"),
        expected,
        `range ${JSON.stringify(range)}${where === undefined ? "" : ` where ${JSON.stringify(where)}`}`
      )
    }
  })
)

const ordering = check(
  "orderBy sorts asc and desc with ties by id ascending and documents lacking the field last",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const collection = yield* seed(tenantId, (collection) => [
      document(collection, "a", { score: 2, name: "apple", amount: 10 }),
      document(collection, "b", { score: 1, name: "Zebra", amount: 9 }),
      document(collection, "c", { score: 2, name: "\u00c4pfel", amount: -1.5 }),
      document(collection, "d", { name: "B", amount: 0.25 }),
      document(collection, "e", { score: 3, amount: -1 }),
      document(collection, "f", { name: "Apple" }),
      document(collection, "g", { score: 1, name: "zebra", amount: 0 })
    ])
    const cases: ReadonlyArray<readonly [NonNullable<ReadModelQuery["orderBy"]> | undefined, ReadonlyArray<string>]> = [
      [undefined, ["a", "b", "c", "d", "e", "f", "g"]],
      [{ field: "score", direction: "asc" }, ["b", "g", "a", "c", "e", "d", "f"]],
      [{ field: "score", direction: "desc" }, ["e", "a", "c", "b", "g", "d", "f"]],
      [{ field: "name", direction: "asc" }, ["f", "d", "b", "a", "g", "c", "e"]],
      [{ field: "name", direction: "desc" }, ["c", "g", "a", "b", "d", "f", "e"]],
      [{ field: "amount", direction: "asc" }, ["c", "e", "g", "d", "b", "a", "f"]],
      [{ field: "amount", direction: "desc" }, ["a", "b", "d", "g", "e", "c", "f"]]
    ]
    for (const [orderBy, expected] of cases) {
      yield* expectEqual(yield* ids(tenantId, { collection, orderBy }, "query"), expected, `orderBy ${JSON.stringify(orderBy)}`)
    }
  })
)

const limits = check(
  "limit caps a page and limits outside 1 to 1,000 fail with InvalidStoreRequest",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const collection = yield* seed(tenantId, (collection) => Array.from({ length: 5 }, (_, index) => document(collection, `d${index}`, {})))
    for (const limit of [1, 2, 5, 1_000]) {
      yield* expectEqual(
        yield* ids(tenantId, { collection, limit }, "query"),
        ["d0", "d1", "d2", "d3", "d4"].slice(0, limit),
        `limit ${limit}`
      )
    }
    const partial = yield* store.query(tenantId, { collection, limit: 2 })
    yield* expectTrue(partial.nextCursor !== undefined, "a page with more documents after it must carry a nextCursor")
    const whole = yield* store.query(tenantId, { collection, limit: 1_000 })
    yield* expectEqual(whole.nextCursor, undefined, "a page holding every match must not carry a nextCursor")
    for (const limit of [0, -1, 1_001, 1.5, Number.NaN]) {
      yield* expectFailure(store.query(tenantId, { collection, limit }), "InvalidStoreRequest", `a query with limit ${limit}`)
    }
  })
)

const cursorPaging = check(
  "following nextCursor visits every matching document exactly once, in order",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const collection = yield* seed(tenantId, (collection) =>
      Array.from({ length: 23 }, (_, index) =>
        document(
          collection,
          `doc-${String(index).padStart(2, "0")}`,
          index % 5 === 4 ? { district: String(index % 3) } : { score: index % 4, district: String(index % 3), name: `n${index % 6}` }
        )))
    const queries: ReadonlyArray<Omit<ReadModelQuery, "limit">> = [
      { collection },
      { collection, orderBy: { field: "score", direction: "asc" } },
      { collection, orderBy: { field: "score", direction: "desc" } },
      { collection, orderBy: { field: "name", direction: "desc" }, where: [{ field: "district", equals: "1" }] },
      { collection, orderBy: { field: "score", direction: "asc" }, range: { field: "score", from: 1, to: 3 } }
    ]
    for (const query of queries) {
      const expected = yield* ids(tenantId, query, "the whole result in one page")
      for (const limit of [1, 3, 4, 5, 23]) {
        yield* expectEqual(
          yield* pageThrough(tenantId, { ...query, limit }, `paging ${JSON.stringify(query)}`),
          expected,
          `pages of ${limit} following nextCursor for ${JSON.stringify({ ...query, collection: undefined })}`
        )
      }
    }
  })
)

const tenantIsolation = check(
  "tenants are isolated: the same collection, ids and projection in two tenants never meet",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    const inA = document(collection, "d1", { district: "3" }, { tenant: "A" })
    const inB = document(collection, "d1", { district: "3" }, { tenant: "B" })
    yield* commitOk(
      tenantA,
      { projection, expectedCheckpoint: 0, checkpoint: 5, upserts: [inA, document(collection, "d2", {})], deletes: [] },
      "commit in A"
    )
    yield* commitOk(
      tenantB,
      { projection, expectedCheckpoint: 0, checkpoint: 2, upserts: [inB], deletes: [] },
      "commit in B from its own checkpoint 0"
    )
    yield* expectEqual(yield* store.checkpoint(tenantA, projection), 5, "tenant A's checkpoint")
    yield* expectEqual(yield* store.checkpoint(tenantB, projection), 2, "tenant B's checkpoint")
    yield* expectEqual(
      Option.map(yield* store.get(tenantA, collection, "d1"), documentView),
      Option.some(documentView(inA)),
      "get in A"
    )
    yield* expectEqual(
      Option.map(yield* store.get(tenantB, collection, "d1"), documentView),
      Option.some(documentView(inB)),
      "get in B"
    )
    yield* expectEqual(yield* ids(tenantB, { collection }, "query in B"), ["d1"], "a query in B sees only B's documents")
    yield* commitOk(
      tenantB,
      { projection, expectedCheckpoint: 2, checkpoint: 3, upserts: [], deletes: [{ collection, id: "d2" }] },
      "delete in B"
    )
    yield* expectEqual(yield* ids(tenantA, { collection }, "query in A"), ["d1", "d2"], "a delete in B must not touch A")
  })
)

const faithfulDocuments = check(
  "unicode, hostile strings and large data read back exactly and match only themselves",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = `'; DROP TABLE documents; --${yield* freshTenant}-ñ`
    const projection = `%${yield* freshId("projection")}`
    const collection = `'; --${yield* freshId("collection")}-👮`
    const texts = [...hostileStrings, ...unicodeStrings]
    const documents = texts.map((text, index) =>
      document(collection, `${text}#${index}`, { name: text, [`field ${text}`]: index }, { text, [text]: [text, { text }] })
    )
    const large = document(collection, "large", { name: "large" }, {
      text: "0123456789abcdef".repeat(64 * 1024),
      wide: Array.from({ length: 5_000 }, (_, index) => index)
    })
    yield* commitOk(
      tenantId,
      { projection, expectedCheckpoint: 0, checkpoint: 1, upserts: [...documents, large], deletes: [] },
      "commit"
    )
    for (const expected of [...documents, large]) {
      yield* expectEqual(
        Option.map(yield* store.get(tenantId, collection, expected.id), documentView),
        Option.some(documentView(expected)),
        `get ${JSON.stringify(expected.id)}`
      )
    }
    for (const [index, text] of texts.entries()) {
      yield* expectEqual(
        yield* ids(tenantId, { collection, where: [{ field: "name", equals: text }] }, "query"),
        // The two forms of "é" (composed and decomposed) are different strings and must not match each other.
        texts.flatMap((other, otherIndex) => (other === text ? [`${other}#${otherIndex}`] : [])).sort(),
        `where name = ${JSON.stringify(text)} (document ${index})`
      )
      yield* expectEqual(
        yield* ids(tenantId, { collection, where: [{ field: `field ${text}`, equals: index }] }, "query"),
        [`${text}#${index}`],
        `where on the field named ${JSON.stringify(`field ${text}`)}`
      )
    }
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 1, "the checkpoint of a hostile projection name")
  })
)

const rawAgreement = check(
  "what get, query and checkpoint return is what the raw store holds",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const raw = yield* rawReaders
    if (raw?.documents === undefined || raw.checkpoint === undefined) {
      return yield* new ConformanceFailure({
        message: "this check needs RawStore.documents and RawStore.checkpoint; supply them with the raw option"
      })
    }
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    const documents = Array.from({ length: 6 }, (_, index) => document(collection, `d${index}`, { n: index }, { n: index, text: "é" }))
    yield* commitOk(tenantId, { projection, expectedCheckpoint: 0, checkpoint: 4, upserts: documents, deletes: [] }, "commit")
    yield* commitOk(
      tenantId,
      { projection, expectedCheckpoint: 4, checkpoint: 9, upserts: [document(collection, "d1", { n: 10 })], deletes: [{ collection, id: "d2" }] },
      "second commit"
    )
    const stored = sortById(yield* expectSuccess(raw.documents(tenantId, collection), "RawStore.documents")).map(documentView)
    const page = yield* store.query(tenantId, { collection, limit: 1_000 })
    yield* expectEqual(page.documents.map(documentView), stored, "query must agree with the raw store")
    for (const expected of stored) {
      yield* expectEqual(
        Option.map(yield* store.get(tenantId, collection, expected.id), documentView),
        Option.some(expected),
        "get must agree with the raw store"
      )
    }
    yield* expectEqual(
      Option.getOrElse(yield* expectSuccess(raw.checkpoint(tenantId, projection), "RawStore.checkpoint"), () => 0),
      yield* store.checkpoint(tenantId, projection),
      "checkpoint must agree with the raw store"
    )
  }),
  ["raw"]
)

const persistence = check(
  "documents and checkpoints survive a new instance of the adapter",
  Effect.fnUntraced(function*(context) {
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const collection = yield* freshId("collection")
    const documents = [document(collection, "d1", { n: 1 }), document(collection, "d2", { n: 2 })]
    yield* inNewInstance(
      context,
      commitOk(
        tenantId,
        { projection, expectedCheckpoint: 0, checkpoint: 3, upserts: documents, deletes: [] },
        "commit in the first instance"
      )
    )
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        const store = yield* ReadModelStore
        yield* expectEqual(yield* store.checkpoint(tenantId, projection), 3, "the checkpoint in a new instance")
        const page = yield* store.query(tenantId, { collection, limit: 10 })
        yield* expectEqual(page.documents.map(documentView), documents.map(documentView), "the documents in a new instance")
      })
    )
  }),
  ["persistent"]
)

const tenantIds = check(
  "every operation refuses an empty, over-long (3 KB, 257 bytes) or non-portable tenant id with InvalidStoreRequest, and takes a 256-byte one",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const projection = yield* freshId("projection")
    const document: ReadModelDocument = { collection: "open-cases", id: "case-1", data: { open: true }, indexed: { district: "3" } }
    const commit: ProjectionCommit = { projection, expectedCheckpoint: 0, checkpoint: 1, upserts: [document], deletes: [] }
    const query: ReadModelQuery = { collection: "open-cases", where: [{ field: "district", equals: "3" }], limit: 10 }
    for (const { tenantId, what } of invalidTenantIds()) {
      yield* expectTenantRefused(store.commit(tenantId, commit), "ReadModelStore.commit", tenantId, what)
      yield* expectTenantRefused(store.get(tenantId, "open-cases", "case-1"), "ReadModelStore.get", tenantId, what)
      yield* expectTenantRefused(store.query(tenantId, query), "ReadModelStore.query", tenantId, what)
      yield* expectTenantRefused(store.checkpoint(tenantId, projection), "ReadModelStore.checkpoint", tenantId, what)
    }
    const longest = yield* longestTenant
    yield* expectSuccess(store.commit(longest, commit), "a commit in a tenant of 256 bytes")
    yield* expectEqual(
      Option.map(yield* store.get(longest, "open-cases", "case-1"), (found) => found.data),
      Option.some(document.data),
      "get in a tenant of 256 bytes"
    )
    yield* expectEqual((yield* store.query(longest, query)).documents.map((found) => found.id), ["case-1"], "query in a tenant of 256 bytes")
    yield* expectEqual(yield* store.checkpoint(longest, projection), 1, "checkpoint in a tenant of 256 bytes")
  })
)

const keyLimits = check(
  "keys beyond the store limits (a projection, collection, document id or indexed field name: empty, 3 KB, NUL, lone surrogates) are refused with the reason every adapter gives, writing nothing; 1,024-byte keys are stored",
  Effect.fnUntraced(function*() {
    const store = yield* ReadModelStore
    const tenantId = yield* freshTenant
    const projection = yield* freshId("projection")
    const document: ReadModelDocument = { collection: "open-cases", id: "case-1", data: { open: true }, indexed: { district: "3" } }
    const commitOf = (changes: Partial<ProjectionCommit>): ProjectionCommit =>
      ({ projection, expectedCheckpoint: 0, checkpoint: 1, upserts: [document], deletes: [], ...changes })
    for (const { key, what } of invalidKeys()) {
      const problem = keyProblem(key)!
      const cases: ReadonlyArray<readonly [string, ProjectionCommit]> = [
        [`projection ${problem}`, commitOf({ projection: key })],
        [`upsert 1: collection ${problem}`, commitOf({ upserts: [document, { ...document, collection: key }] })],
        [`upsert 1: id ${problem}`, commitOf({ upserts: [document, { ...document, id: key }] })],
        [`upsert 0: an indexed field name ${problem}`, commitOf({ upserts: [{ ...document, indexed: { [key]: "3" } }] })],
        [`delete 0: id ${problem}`, commitOf({ deletes: [{ collection: "open-cases", id: key }] })]
      ]
      for (const [reason, commit] of cases) {
        yield* expectRefusal(store.commit(tenantId, commit), "ReadModelStore.commit", reason, `a commit with ${what} (${reason})`)
      }
      yield* expectEqual(yield* expectSuccess(store.get(tenantId, key, "case-1"), `get ${what}`), Option.none(), `get by ${what}`)
      yield* expectEqual(yield* expectSuccess(store.checkpoint(tenantId, key), `checkpoint ${what}`), 0, `checkpoint of ${what}`)
    }
    yield* expectEqual(yield* store.checkpoint(tenantId, projection), 0, "refused commits leave the checkpoint")
    yield* expectEqual(yield* store.get(tenantId, "open-cases", "case-1"), Option.none(), "refused commits write no document")
    const longest: ReadModelDocument = {
      collection: incompressibleText(MAX_KEY_BYTES, "collection-"),
      id: longestWideKey(),
      data: { open: true },
      indexed: { [incompressibleText(MAX_KEY_BYTES, "field-")]: "3" }
    }
    const longProjection = incompressibleText(MAX_KEY_BYTES, "projection-")
    yield* expectSuccess(store.commit(tenantId, { ...commitOf({ upserts: [longest] }), projection: longProjection }), "a commit with 1,024-byte keys")
    yield* expectEqual(
      Option.map(yield* store.get(tenantId, longest.collection, longest.id), (found) => found.indexed),
      Option.some(longest.indexed),
      "the document under 1,024-byte keys"
    )
    yield* expectEqual(yield* store.checkpoint(tenantId, longProjection), 1, "the checkpoint of a 1,024-byte projection")
  })
)

/** Every check of the `ReadModelStore` contract, in the order they are registered. */
export const readModelStoreChecks: ReadonlyArray<ConformanceCheck<ReadModelStore>> = [
  keyLimits,
  tenantIds,
  commitAndGet,
  callerCopies,
  upsertReplaces,
  deletes,
  checkpointConflict,
  concurrentCommits,
  equality,
  ranges,
  ordering,
  limits,
  cursorPaging,
  tenantIsolation,
  faithfulDocuments,
  rawAgreement,
  persistence
]
