/**
 * The read model store over PostgreSQL: documents with their indexed fields
 * in a side table (one row per field, typed sort-key columns), queries run as
 * keyset scans of that table's indexes, and a checkpoint per projection
 * committed in the same transaction as the documents.
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
  ReadModelStore,
  type StorageFailure
} from "@community-policing/core"
import { Effect, Option } from "effect"
import type { Fragment } from "effect/sql/Statement"
import type { StoreContext } from "./context.ts"
import { asPortFailure, retryRead, toStorageFailure } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"
import { bigint, double, doubleArray, jsonText, smallintArray, text, textArray, textProblem, toNumber } from "./values.ts"

/**
 * Where a value sits in a field's order, as the three sort-key columns of
 * `document_fields`: null < false < true < numbers < strings.
 */
interface SortKey {
  readonly valueType: number
  readonly numberKey: number
  readonly stringKey: string
}

const sortKeyOf = (value: IndexValue): SortKey =>
  value === null
    ? { valueType: 0, numberKey: 0, stringKey: "" }
    : typeof value === "boolean"
    ? { valueType: 1, numberKey: value ? 1 : 0, stringKey: "" }
    : typeof value === "number"
    ? { valueType: 2, numberKey: value, stringKey: "" }
    : { valueType: 3, numberKey: 0, stringKey: value }


/**
 * Where a page ends, as the keyset scans read it: the last document's sort
 * key (or that it lacks the field) and its id. Cursors are core's
 * `ReadModelCursor`, which also carries the order, so a cursor is never
 * misread under another order.
 */
interface CursorValue extends SortKey {
  readonly present: boolean
  readonly id: string
}

const cursorValue = (position: ReadModelCursor.Position): CursorValue => ({
  ...sortKeyOf(position.value),
  present: position.present,
  id: position.id
})

/**
 * Whether every string of the query could be stored at all. A string with
 * NUL or a lone surrogate is refused on write, so a condition on one matches
 * nothing; sending it would instead fail (NUL) or be rewritten to U+FFFD by
 * the UTF-8 encoder and match the wrong value.
 */
const queryIsStorable = (tenantId: string, query: ReadModelQuery): boolean => {
  const strings: Array<unknown> = [tenantId, query.collection, query.orderBy?.field, query.range?.field]
  for (const condition of query.where ?? []) strings.push(condition.field, condition.equals)
  if (typeof query.range?.from === "string") strings.push(query.range.from)
  if (typeof query.range?.to === "string") strings.push(query.range.to)
  return strings.every((value) => typeof value !== "string" || textProblem(value) === undefined)
}

/**
 * Why a well-formed commit (see `projectionCommitProblem`, checked before it
 * gets here) holds an indexed string PostgreSQL's text cannot keep (NUL, a
 * lone surrogate), or `undefined`.
 */
const indexedTextProblem = (commit: ProjectionCommit): string | undefined => {
  for (const document of commit.upserts) {
    for (const [field, value] of Object.entries(document.indexed)) {
      if (typeof value === "string" && textProblem(value) !== undefined) {
        return `indexed field ${JSON.stringify(field)} of ${JSON.stringify(document.id)} is not an index value`
      }
    }
  }
  return undefined
}

/** A page row: the document, its sort key in the query's order, and which part of the order it came from. */
interface PageRow {
  readonly id: string
  readonly data: ReadModelDocument["data"]
  readonly indexed: ReadModelDocument["indexed"]
  readonly value_type: number | null
  readonly number_key: number | null
  readonly string_key: string | null
  readonly segment: number
}

/** The parts of an ordered query, in order: ties of the cursor's key, the rest of the documents with the field, those without. */
const segments = { ties: 0, present: 1, missing: 2 } as const

/** The read model store service. */
export const makeReadModelStore = ({ sql, tables }: StoreContext): ReadModelStore["Service"] => {
  /**
   * The query's conditions on document `d`, each a semi-join on the field
   * table, which its indexes answer (by field and value, or by document).
   */
  const conditions = (query: ReadModelQuery): ReadonlyArray<Fragment> => {
    const fieldOf = (field: string) => sql`
      SELECT 1 FROM ${tables.documentFields} w
      WHERE w.tenant_id = d.tenant_id AND w.collection = d.collection AND w.id = d.id AND w.field = ${text(field)}`
    const fragments: Array<Fragment> = []
    for (const condition of query.where ?? []) {
      const key = sortKeyOf(condition.equals)
      fragments.push(sql`EXISTS (${fieldOf(condition.field)}
        AND w.value_type = ${key.valueType}::smallint AND w.number_key = ${double(key.numberKey)}
        AND w.string_key = ${text(key.stringKey)})`)
    }
    const range = query.range
    if (range !== undefined) {
      const bounds: Array<Fragment> = []
      const kind = typeof range.from === "string" || typeof range.to === "string"
        ? "string"
        : typeof range.from === "number" || typeof range.to === "number"
        ? "number"
        : "either"
      const column = kind === "string" ? sql.literal("w.string_key") : sql.literal("w.number_key")
      const param = (bound: string | number) => (typeof bound === "string" ? text(bound) : double(bound))
      if (range.from !== undefined) bounds.push(sql`${column} >= ${param(range.from)}`)
      if (range.to !== undefined) bounds.push(sql`${column} < ${param(range.to)}`)
      const typed = kind === "string"
        ? sql`w.value_type = 3 AND w.number_key = 0`
        : kind === "number"
        ? sql`w.value_type = 2`
        : sql`w.value_type IN (2, 3)`
      fragments.push(sql`EXISTS (${fieldOf(range.field)} AND ${typed}${bounds.length === 0 ? sql.literal("") : sql` AND ${sql.and(bounds)}`})`)
    }
    return fragments
  }

  const withConditions = (query: ReadModelQuery) => {
    const fragments = conditions(query)
    return fragments.length === 0 ? sql.literal("") : sql` AND ${sql.and(fragments)}`
  }

  /** A query without orderBy: by id, from the documents' primary key. */
  const byId = (tenantId: string, query: ReadModelQuery, after: string | undefined) =>
    sql<PageRow>`
      SELECT d.id, d.data, d.indexed, NULL::smallint AS value_type, NULL::float8 AS number_key,
        NULL::text AS string_key, ${segments.present}::integer AS segment
      FROM ${tables.documents} d
      WHERE d.tenant_id = ${text(tenantId)} AND d.collection = ${text(query.collection)}
        ${after === undefined ? sql.literal("") : sql`AND d.id > ${text(after)}`}
        ${withConditions(query)}
      ORDER BY d.id
      LIMIT ${query.limit + 1}::integer`

  /**
   * A query with orderBy: keyset scans, each ordered by an index and limited
   * to one page. First the documents that have the field: those tied with
   * the cursor's key (by id), then those after it (by key, then id). Only if
   * they do not fill the page, the documents lacking the field (by id), which
   * sort last whatever the direction; finding those is an anti-join over the
   * collection, so it is not paid on every page.
   */
  const byField = (
    tenantId: string,
    query: ReadModelQuery,
    orderBy: NonNullable<ReadModelQuery["orderBy"]>,
    cursor: CursorValue | undefined
  ) => {
    const limit = query.limit + 1
    const tenant = text(tenantId)
    const collection = text(query.collection)
    const field = text(orderBy.field)
    const descending = orderBy.direction === "desc"
    const keyOrder = descending
      ? sql.literal("o.value_type DESC, o.number_key DESC, o.string_key DESC, o.id")
      : sql.literal("o.value_type, o.number_key, o.string_key, o.id")
    const present = (segment: number, keyset: Fragment, order: Fragment) =>
      sql`(
        SELECT d.id, d.data, d.indexed, o.value_type, o.number_key, o.string_key, ${segment}::integer AS segment
        FROM ${tables.documentFields} o
        JOIN ${tables.documents} d ON d.tenant_id = o.tenant_id AND d.collection = o.collection AND d.id = o.id
        WHERE o.tenant_id = ${tenant} AND o.collection = ${collection} AND o.field = ${field}
          ${keyset}${withConditions(query)}
        ORDER BY ${order}
        LIMIT ${limit}::integer
      )`
    const missing = (after: string | undefined, rows: number) =>
      sql<PageRow>`
        SELECT d.id, d.data, d.indexed, NULL::smallint AS value_type, NULL::float8 AS number_key,
          NULL::text AS string_key, ${segments.missing}::integer AS segment
        FROM ${tables.documents} d
        WHERE d.tenant_id = ${tenant} AND d.collection = ${collection}
          AND NOT EXISTS (
            SELECT 1 FROM ${tables.documentFields} o
            WHERE o.tenant_id = d.tenant_id AND o.collection = d.collection AND o.id = d.id AND o.field = ${field}
          )
          ${after === undefined ? sql.literal("") : sql`AND d.id > ${text(after)}`}${withConditions(query)}
        ORDER BY d.id
        LIMIT ${rows}::integer`
    if (cursor !== undefined && !cursor.present) return missing(cursor.id, limit)
    const parts: Array<Fragment> = []
    if (cursor === undefined) {
      parts.push(present(segments.present, sql.literal(""), keyOrder))
    } else {
      const key = sql`(${cursor.valueType}::smallint, ${double(cursor.numberKey)}, ${text(cursor.stringKey)})`
      parts.push(
        present(
          segments.ties,
          sql`AND (o.value_type, o.number_key, o.string_key) = ${key} AND o.id > ${text(cursor.id)}`,
          sql.literal("o.id")
        ),
        present(
          segments.present,
          descending
            ? sql`AND (o.value_type, o.number_key, o.string_key) < ${key}`
            : sql`AND (o.value_type, o.number_key, o.string_key) > ${key}`,
          keyOrder
        )
      )
    }
    const outerOrder = descending
      ? sql.literal(`segment, value_type DESC, number_key DESC, string_key COLLATE "C" DESC, id COLLATE "C"`)
      : sql.literal(`segment, value_type, number_key, string_key COLLATE "C", id COLLATE "C"`)
    return Effect.flatMap(
      sql<PageRow>`
        SELECT * FROM (${sql.join(" UNION ALL ", false)(parts)}) page
        ORDER BY ${outerOrder}
        LIMIT ${limit}::integer`,
      (rows) =>
        rows.length >= limit
          ? Effect.succeed(rows)
          : Effect.map(missing(undefined, limit - rows.length), (rest) => [...rows, ...rest])
    )
  }

  const documentOut = (collection: string, row: Pick<PageRow, "id" | "data" | "indexed">): ReadModelDocument => ({
    collection,
    id: row.id,
    data: row.data,
    indexed: row.indexed
  })

  const get = (tenantId: string, collection: string, id: string) => {
    if ([tenantId, collection, id].some((value) => textProblem(value) !== undefined)) {
      return Effect.succeed(Option.none<ReadModelDocument>())
    }
    return sql<Pick<PageRow, "id" | "data" | "indexed">>`
      SELECT id, data, indexed FROM ${tables.documents}
      WHERE tenant_id = ${text(tenantId)} AND collection = ${text(collection)} AND id = ${text(id)}`.pipe(
      retryRead,
      Effect.map(([row]) => (row === undefined ? Option.none() : Option.some(documentOut(collection, row)))),
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("ReadModelStore.get")(error))),
      withSystemClock
    )
  }

  const query = (tenantId: string, query: ReadModelQuery): Effect.Effect<ReadModelPage, InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      // A cursor of another order was refused by `StoreLimitChecks.readModelStore`.
      const position = ReadModelCursor.position(query)
      const cursor = position === undefined ? undefined : cursorValue(position)
      const cursorIsStorable = cursor === undefined ||
        (textProblem(cursor.stringKey) === undefined && textProblem(cursor.id) === undefined)
      if (!queryIsStorable(tenantId, query) || !cursorIsStorable) {
        return { documents: [] }
      }
      const rows = yield* (query.orderBy === undefined
        ? byId(tenantId, query, cursor?.id)
        : byField(tenantId, query, query.orderBy, cursor)).pipe(
          retryRead,
          Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("ReadModelStore.query")(error))),
          withSystemClock
        )
      const page = rows.slice(0, query.limit)
      const documents = page.map((row) => documentOut(query.collection, row))
      const last = page.at(-1)
      if (rows.length <= query.limit || last === undefined) return { documents }
      const field = query.orderBy?.field ?? null
      const present = last.segment !== segments.missing
      const value = field !== null && present ? last.indexed[field] ?? null : null
      return { documents, nextCursor: ReadModelCursor.next(query, { present, value, id: last.id }) }
    })

  const commit = (tenantId: string, commit: ProjectionCommit) =>
    Effect.gen(function*() {
      const problem = indexedTextProblem(commit)
      if (problem !== undefined) return yield* new InvalidStoreRequest({ operation: "ReadModelStore.commit", reason: problem })
      const upserts: Array<{ readonly document: ReadModelDocument; readonly data: string; readonly indexed: string }> = []
      for (const document of commit.upserts) {
        const data = jsonText(document.data)
        if (data === undefined) {
          return yield* new InvalidStoreRequest({
            operation: "ReadModelStore.commit",
            reason: `document ${JSON.stringify(document.id)} has no JSON data`
          })
        }
        // Object.entries and JSON.stringify both take own properties, so a field named __proto__ stays data.
        upserts.push({ document, data, indexed: JSON.stringify(Object.fromEntries(Object.entries(document.indexed))) })
      }
      const fields = upserts.flatMap(({ document }) =>
        Object.entries(document.indexed).map(([field, value]) => ({ document, field, key: sortKeyOf(value) }))
      )
      const tenant = text(tenantId)
      const projection = text(commit.projection)
      const next = bigint(commit.checkpoint)
      const expected = bigint(commit.expectedCheckpoint)
      const transaction = Effect.gen(function*() {
        // The checkpoint moves first, as a compare-and-set; it also locks the
        // projection's row, so racing commits queue here and all but the
        // first find the checkpoint moved and write nothing.
        const moved = commit.expectedCheckpoint === 0
          ? yield* sql`
            INSERT INTO ${tables.checkpoints} AS c (tenant_id, projection, position)
            VALUES (${tenant}, ${projection}, ${next})
            ON CONFLICT (tenant_id, projection) DO UPDATE SET position = EXCLUDED.position
            WHERE c.position = ${expected}
            RETURNING 1 AS moved`
          : yield* sql`
            UPDATE ${tables.checkpoints} SET position = ${next}
            WHERE tenant_id = ${tenant} AND projection = ${projection} AND position = ${expected}
            RETURNING 1 AS moved`
        if (moved.length === 0) {
          const [row] = yield* sql<{ position: bigint }>`
            SELECT position FROM ${tables.checkpoints} WHERE tenant_id = ${tenant} AND projection = ${projection}`
          return yield* new CheckpointConflict({
            tenantId,
            projection: commit.projection,
            expectedCheckpoint: commit.expectedCheckpoint,
            actualCheckpoint: toNumber(row?.position ?? 0)
          })
        }
        const replaced = [...commit.deletes, ...commit.upserts]
        if (replaced.length > 0) {
          // An upsert replaces the whole document: delete, then insert. The
          // field rows go with their document (ON DELETE CASCADE).
          yield* sql`
            DELETE FROM ${tables.documents} d
            USING unnest(${textArray(replaced.map((key) => key.collection))}, ${textArray(replaced.map((key) => key.id))})
              AS k(collection, id)
            WHERE d.tenant_id = ${tenant} AND d.collection = k.collection AND d.id = k.id`
        }
        if (upserts.length > 0) {
          yield* sql`
            INSERT INTO ${tables.documents} (tenant_id, collection, id, data, indexed)
            SELECT ${tenant}, u.collection, u.id, u.data::jsonb, u.indexed::jsonb
            FROM unnest(
              ${textArray(upserts.map(({ document }) => document.collection))},
              ${textArray(upserts.map(({ document }) => document.id))},
              ${textArray(upserts.map(({ data }) => data))},
              ${textArray(upserts.map(({ indexed }) => indexed))}
            ) AS u(collection, id, data, indexed)`
        }
        if (fields.length > 0) {
          yield* sql`
            INSERT INTO ${tables.documentFields} (tenant_id, collection, id, field, value_type, number_key, string_key)
            SELECT ${tenant}, f.collection, f.id, f.field, f.value_type, f.number_key, f.string_key
            FROM unnest(
              ${textArray(fields.map(({ document }) => document.collection))},
              ${textArray(fields.map(({ document }) => document.id))},
              ${textArray(fields.map(({ field }) => field))},
              ${smallintArray(fields.map(({ key }) => key.valueType))},
              ${doubleArray(fields.map(({ key }) => key.numberKey))},
              ${textArray(fields.map(({ key }) => key.stringKey))}
            ) AS f(collection, id, field, value_type, number_key, string_key)`
        }
      })
      return yield* sql.withTransaction(transaction).pipe(asPortFailure("ReadModelStore.commit"), withSystemClock)
    })

  const checkpoint = (tenantId: string, projection: string) => {
    if (textProblem(tenantId) !== undefined || textProblem(projection) !== undefined) return Effect.succeed(0)
    return sql<{ position: bigint }>`
      SELECT position FROM ${tables.checkpoints} WHERE tenant_id = ${text(tenantId)} AND projection = ${text(projection)}`.pipe(
      retryRead,
      Effect.map(([row]) => toNumber(row?.position ?? 0)),
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("ReadModelStore.checkpoint")(error))),
      withSystemClock
    )
  }

  return ReadModelStore.of({ get, query, commit, checkpoint })
}
