/**
 * The read model store over SQLite: documents as JSON text, their indexed
 * fields as rows of `document_fields` (never as columns, so no identifier is
 * built from input), queries as joins over that table's value index, and
 * keyset cursors.
 *
 * @internal
 */
import {
  CheckpointConflict,
  type IndexValue,
  InvalidStoreRequest,
  type ProjectionCommit,
  type ReadModelDocument,
  ReadModelCursor,
  type ReadModelPage,
  type ReadModelQuery,
  ReadModelStore
} from "@community-policing/core"
import { Effect, Option } from "effect"
import { type Connection, jsonText, type Run, statementCache } from "./sql.ts"

/**
 * The type order of index values: null, booleans, numbers, strings (as in
 * the memory adapter). Stored in `document_fields.kind`, it also keeps a
 * number apart from a string or boolean that SQLite would compare equal.
 */
const kindOf = (value: IndexValue): 0 | 1 | 2 | 3 =>
  value === null ? 0 : typeof value === "boolean" ? 1 : typeof value === "number" ? 2 : 3

/**
 * An index value as stored in `document_fields.value`, a column of type ANY
 * (NOT NULL: null is kind 0 with value 0). Strings are TEXT under SQLite's
 * default BINARY collation, which compares UTF-8 bytes: Unicode code point
 * order, the order the port contract asks for.
 */
export const storedValue = (value: IndexValue): number | string =>
  value === null ? 0 : typeof value === "boolean" ? (value ? 1 : 0) : value

/**
 * Where a page ends: the last document's place in the order (the sort
 * field's value, when the document has the field, and its id). Cursors are
 * core's `ReadModelCursor`, which also carries the order, so a cursor is
 * never misread under another order.
 */
type Cursor = ReadModelCursor.Position

/** More than this many joined tables and SQLite refuses the query (its limit is 64). */
const maxConditions = 32

/** One condition on an indexed field, as SQL over an alias of `document_fields`. */
interface Condition {
  readonly field: string
  /** An equality pins the field's value, so its index entries run in id order. */
  readonly equality: boolean
  readonly sql: (alias: string) => string
  readonly params: ReadonlyArray<unknown>
}

const equalityCondition = (field: string, equals: IndexValue): Condition => ({
  field,
  equality: true,
  sql: (alias) => `${alias}.kind = ? AND ${alias}.value = ?`,
  params: [kindOf(equals), storedValue(equals)]
})

const rangeCondition = (range: NonNullable<ReadModelQuery["range"]>): Condition => {
  const { from, to } = range
  const bound = from ?? to
  const parts: Array<(alias: string) => string> = []
  const params: Array<unknown> = []
  if (bound === undefined) {
    // An open range still needs the field, with a value a bound could compare with.
    parts.push((alias) => `${alias}.kind IN (2, 3)`)
  } else {
    // A bound compares only with values of its own type: a string never falls in a numeric range.
    parts.push((alias) => `${alias}.kind = ?`)
    params.push(kindOf(bound))
  }
  if (from !== undefined) {
    parts.push((alias) => `${alias}.value >= ?`)
    params.push(storedValue(from))
  }
  if (to !== undefined) {
    parts.push((alias) => `${alias}.value < ?`)
    params.push(storedValue(to))
  }
  return { field: range.field, equality: false, sql: (alias) => parts.map((part) => part(alias)).join(" AND "), params }
}

/** SQL text and its parameters, in the order the `?` appear. */
interface Plan {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/** Inner joins requiring each condition, each on its own alias of `document_fields`, keyed to `anchor`'s document. */
const conditionJoins = (conditions: ReadonlyArray<Condition>, anchor: string): Plan => {
  const sql: Array<string> = []
  const params: Array<unknown> = []
  conditions.forEach((condition, index) => {
    const alias = `f${index}`
    sql.push(
      `JOIN document_fields AS ${alias} ON ${alias}.tenant_id = ${anchor}.tenant_id AND ${alias}.collection = ${anchor}.collection ` +
        `AND ${alias}.id = ${anchor}.id AND ${alias}.field = ? AND ${condition.sql(alias)}`
    )
    params.push(condition.field, ...condition.params)
  })
  return { sql: sql.join("\n"), params }
}

/**
 * The documents that have the sort field, in its order (ties by id
 * ascending), after the cursor. Driven by the `(tenant, collection, field,
 * kind, value, id)` index, so a page reads about `limit` index entries.
 */
const presentPart = (
  tenantId: string,
  query: ReadModelQuery,
  field: string,
  direction: "asc" | "desc",
  conditions: ReadonlyArray<Condition>,
  after: Cursor | undefined,
  limit: number
): Plan => {
  const onField = conditions.filter((condition) => condition.field === field)
  const joins = conditionJoins(conditions.filter((condition) => condition.field !== field), "o")
  const where: Array<string> = ["o.tenant_id = ?", "o.collection = ?", "o.field = ?"]
  const params: Array<unknown> = [...joins.params, tenantId, query.collection, field]
  for (const condition of onField) {
    where.push(condition.sql("o"))
    params.push(...condition.params)
  }
  if (after !== undefined) {
    const kind = kindOf(after.value)
    const value = storedValue(after.value)
    if (direction === "asc") {
      where.push("(o.kind, o.value, o.id) > (?, ?, ?)")
      params.push(kind, value, after.id)
    } else {
      // Descending by value but ascending by id within a value: a bound on (kind, value), then
      // within the cursor's own value only the ids after it.
      where.push("(o.kind, o.value) <= (?, ?)", "NOT (o.kind = ? AND o.value = ? AND o.id <= ?)")
      params.push(kind, value, kind, value, after.id)
    }
  }
  const order = direction === "asc" ? "o.kind, o.value, o.id" : "o.kind DESC, o.value DESC, o.id"
  params.push(limit)
  return {
    sql: `SELECT d.id, d.data, d.indexed FROM document_fields AS o
JOIN documents AS d ON d.tenant_id = o.tenant_id AND d.collection = o.collection AND d.id = o.id
${joins.sql}
WHERE ${where.join(" AND ")}
ORDER BY ${order}
LIMIT ?`,
    params
  }
}

/**
 * Documents in id order after the cursor's id: a whole query without
 * `orderBy`, or the documents lacking the sort field, which follow all the
 * others whatever the direction. With an equality condition, its index
 * entries (one field, one value) are already in id order and drive the
 * query, so a page reads only matching entries; otherwise the documents'
 * own `(tenant, collection, id)` key does.
 */
const idOrderPart = (
  tenantId: string,
  query: ReadModelQuery,
  lacking: string | undefined,
  conditions: ReadonlyArray<Condition>,
  afterId: string | undefined,
  limit: number
): Plan => {
  const driver = conditions.find((condition) => condition.equality)
  const anchor = driver === undefined ? "d" : "a"
  const joins = conditionJoins(conditions.filter((condition) => condition !== driver), anchor)
  const where: Array<string> = [`${anchor}.tenant_id = ?`, `${anchor}.collection = ?`]
  const params: Array<unknown> = [...joins.params, tenantId, query.collection]
  if (driver !== undefined) {
    where.push("a.field = ?", driver.sql("a"))
    params.push(driver.field, ...driver.params)
  }
  if (lacking !== undefined) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM document_fields AS o WHERE o.tenant_id = ${anchor}.tenant_id ` +
        `AND o.collection = ${anchor}.collection AND o.id = ${anchor}.id AND o.field = ?)`
    )
    params.push(lacking)
  }
  if (afterId !== undefined) {
    where.push(`${anchor}.id > ?`)
    params.push(afterId)
  }
  params.push(limit)
  const from = driver === undefined
    ? "documents AS d"
    : "document_fields AS a\nJOIN documents AS d ON d.tenant_id = a.tenant_id AND d.collection = a.collection AND d.id = a.id"
  return {
    sql: `SELECT d.id, d.data, d.indexed FROM ${from}
${joins.sql}
WHERE ${where.join(" AND ")}
ORDER BY ${anchor}.id
LIMIT ?`,
    params
  }
}

/**
 * Why a well-formed query (see `readModelQueryProblem`, checked before it
 * gets here) is beyond what SQLite can run, or `undefined`.
 */
const sqliteQueryProblem = (query: ReadModelQuery): string | undefined => {
  const where = query.where ?? []
  return where.length > maxConditions ? `at most ${maxConditions} where conditions are supported, got ${where.length}` : undefined
}

/** A commit ready for its transaction: validated, with every JSON text written out. */
interface PreparedCommit {
  readonly commit: ProjectionCommit
  readonly upserts: ReadonlyArray<{
    readonly document: ReadModelDocument
    readonly dataText: string
    readonly indexedText: string
    readonly fields: ReadonlyArray<readonly [string, IndexValue]>
  }>
}

/** The commit's JSON written out; the commit is well-formed (`projectionCommitProblem` refused it otherwise). */
const prepareCommit = (commit: ProjectionCommit): PreparedCommit | string => {
  const upserts: Array<PreparedCommit["upserts"][number]> = []
  for (const document of commit.upserts) {
    // Object.entries keeps only own fields, so an inherited property is never stored as one.
    const fields: ReadonlyArray<readonly [string, IndexValue]> = Object.entries(document.indexed)
    const dataText = jsonText(document.data)
    if (dataText === undefined) return `document ${JSON.stringify(document.id)} has no JSON data`
    const indexedText = JSON.stringify(Object.fromEntries(fields))
    upserts.push({ document, dataText, indexedText, fields })
  }
  return { commit, upserts }
}

type DocumentRow = readonly [id: string, data: string, indexed: string]

const documentFromRow = (collection: string, row: DocumentRow): ReadModelDocument => ({
  collection,
  id: row[0],
  data: JSON.parse(row[1]),
  indexed: JSON.parse(row[2])
})

/** The read model store service over a connection whose schema is migrated. */
export const makeReadModelStore = (db: Connection, attempt: Run): ReadModelStore["Service"] => {
  const statement = statementCache(db)
  const selectDocument = db.prepare<[string, string, string], DocumentRow>(
    "SELECT id, data, indexed FROM documents WHERE tenant_id = ? AND collection = ? AND id = ?"
  ).raw()
  const selectCheckpoint = db.prepare<[string, string], number>(
    "SELECT checkpoint FROM projection_checkpoints WHERE tenant_id = ? AND projection = ?"
  ).pluck()
  const deleteFields = db.prepare("DELETE FROM document_fields WHERE tenant_id = ? AND collection = ? AND id = ?")
  const deleteDocument = db.prepare("DELETE FROM documents WHERE tenant_id = ? AND collection = ? AND id = ?")
  const upsertDocument = db.prepare(
    "INSERT INTO documents (tenant_id, collection, id, data, indexed) VALUES (?, ?, ?, ?, ?) " +
      "ON CONFLICT (tenant_id, collection, id) DO UPDATE SET data = excluded.data, indexed = excluded.indexed"
  )
  const insertField = db.prepare(
    "INSERT INTO document_fields (tenant_id, collection, id, field, kind, value) VALUES (?, ?, ?, ?, ?, ?)"
  )
  const upsertCheckpoint = db.prepare(
    "INSERT INTO projection_checkpoints (tenant_id, projection, checkpoint) VALUES (?, ?, ?) " +
      "ON CONFLICT (tenant_id, projection) DO UPDATE SET checkpoint = excluded.checkpoint"
  )

  const run = (plan: Plan): ReadonlyArray<DocumentRow> =>
    statement(plan.sql).raw().all(...plan.params) as ReadonlyArray<DocumentRow>

  /** Both halves of an ordered page come from one snapshot, even with writers in other processes. */
  const readPage = db.transaction((tenantId: string, query: ReadModelQuery, after: Cursor | undefined): ReadModelPage => {
    const conditions: Array<Condition> = (query.where ?? []).map((condition) => equalityCondition(condition.field, condition.equals))
    if (query.range !== undefined) conditions.push(rangeCondition(query.range))
    // One row more than the page tells whether another page follows.
    const wanted = query.limit + 1
    const rows: Array<{ readonly row: DocumentRow; readonly present: boolean }> = []
    const orderBy = query.orderBy
    if (orderBy === undefined) {
      for (const row of run(idOrderPart(tenantId, query, undefined, conditions, after?.id, wanted))) rows.push({ row, present: false })
    } else {
      if (after === undefined || after.present) {
        const plan = presentPart(tenantId, query, orderBy.field, orderBy.direction, conditions, after, wanted)
        for (const row of run(plan)) rows.push({ row, present: true })
      }
      // A condition on the sort field excludes every document lacking it.
      const lackingCanMatch = conditions.every((condition) => condition.field !== orderBy.field)
      if (rows.length < wanted && lackingCanMatch) {
        const afterId = after !== undefined && !after.present ? after.id : undefined
        const plan = idOrderPart(tenantId, query, orderBy.field, conditions, afterId, wanted - rows.length)
        for (const row of run(plan)) rows.push({ row, present: false })
      }
    }
    const page = rows.slice(0, query.limit)
    const documents = page.map(({ row }) => documentFromRow(query.collection, row))
    const last = page.at(-1)
    const lastDocument = documents.at(-1)
    if (rows.length <= query.limit || last === undefined || lastDocument === undefined) return { documents }
    const field = orderBy?.field ?? null
    const value = field !== null && last.present ? lastDocument.indexed[field] ?? null : null
    return { documents, nextCursor: ReadModelCursor.next(query, { present: last.present, value, id: lastDocument.id }) }
  })

  const get = (tenantId: string, collection: string, id: string) =>
    attempt("ReadModelStore.get", () => {
      const row = selectDocument.get(tenantId, collection, id)
      return row === undefined ? Option.none() : Option.some(documentFromRow(collection, row))
    })

  const query = (tenantId: string, query: ReadModelQuery) => {
    const problem = sqliteQueryProblem(query)
    if (problem !== undefined) return Effect.fail(new InvalidStoreRequest({ operation: "ReadModelStore.query", reason: problem }))
    // A cursor of another order was refused by `StoreLimitChecks.readModelStore`.
    const after = ReadModelCursor.position(query)
    return attempt("ReadModelStore.query", () => readPage.deferred(tenantId, query, after))
  }

  const write = db.transaction((tenantId: string, prepared: PreparedCommit): void => {
    const { commit } = prepared
    const actualCheckpoint = selectCheckpoint.get(tenantId, commit.projection) ?? 0
    if (actualCheckpoint !== commit.expectedCheckpoint) {
      throw new CheckpointConflict({
        tenantId,
        projection: commit.projection,
        expectedCheckpoint: commit.expectedCheckpoint,
        actualCheckpoint
      })
    }
    // Fields are deleted explicitly rather than through ON DELETE CASCADE, so that a
    // connection opened elsewhere with foreign_keys off cannot leave stale index rows.
    for (const key of commit.deletes) {
      deleteFields.run(tenantId, key.collection, key.id)
      deleteDocument.run(tenantId, key.collection, key.id)
    }
    for (const { document, dataText, indexedText, fields } of prepared.upserts) {
      deleteFields.run(tenantId, document.collection, document.id)
      upsertDocument.run(tenantId, document.collection, document.id, dataText, indexedText)
      for (const [field, value] of fields) {
        insertField.run(tenantId, document.collection, document.id, field, kindOf(value), storedValue(value))
      }
    }
    upsertCheckpoint.run(tenantId, commit.projection, commit.checkpoint)
  })

  const commit = (tenantId: string, commit: ProjectionCommit) => {
    const prepared = prepareCommit(commit)
    if (typeof prepared === "string") {
      return Effect.fail(new InvalidStoreRequest({ operation: "ReadModelStore.commit", reason: prepared }))
    }
    return attempt(
      "ReadModelStore.commit",
      () => write.immediate(tenantId, prepared),
      (cause): cause is CheckpointConflict => cause instanceof CheckpointConflict
    )
  }

  const checkpoint = (tenantId: string, projection: string) =>
    attempt("ReadModelStore.checkpoint", () => selectCheckpoint.get(tenantId, projection) ?? 0)

  return ReadModelStore.of({ get, query, commit, checkpoint })
}
