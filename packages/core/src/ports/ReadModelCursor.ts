/**
 * The cursors of `ReadModelStore.query`, written and read the same way by
 * every adapter. A cursor names the last document of a page by its place in
 * the query's order (the sort field's value, or that the document lacks the
 * field, and its id) together with the order itself, so that a cursor of
 * one order is refused under another instead of being misread. The order
 * check is part of `readModelQueryProblem`, so an adapter wrapped by
 * `StoreLimitChecks` only turns a page's last document into a cursor
 * ({@link next}) and a checked cursor back into where to continue
 * ({@link position}).
 *
 * @example
 * ```ts
 * const after = ReadModelCursor.position(query) // undefined on the first page
 * // ... read `query.limit + 1` documents after `after` ...
 * const nextCursor = ReadModelCursor.next(query, { present: true, value: last.indexed["openedAt"] ?? null, id: last.id })
 * ```
 *
 * @module
 */
import { Option, Schema } from "effect"
import type { IndexValue, ReadModelQuery } from "./ReadModelStore.ts"

/**
 * Where a page ended in its query's order: the last document's sort value
 * (`present` when it has the sort field; `value` is then its value, else
 * `null`) and its id. A query without `orderBy` reads in id order: `present`
 * is `true` and `value` `null`.
 */
export interface Position {
  readonly present: boolean
  readonly value: IndexValue
  readonly id: string
}

const Cursor = Schema.StringFromBase64Url.pipe(Schema.decodeTo(Schema.fromJsonString(Schema.Struct({
  field: Schema.NullOr(Schema.String),
  direction: Schema.Literals(["asc", "desc"]),
  present: Schema.Boolean,
  value: Schema.NullOr(Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])),
  id: Schema.String
}))))

const decodeCursor = Schema.decodeUnknownOption(Cursor)
const encodeCursor = Schema.encodeSync(Cursor)

const orderOf = (query: ReadModelQuery) => ({
  field: query.orderBy?.field ?? null,
  direction: query.orderBy?.direction ?? "asc"
})

/** The `nextCursor` of a page of `query` whose last document is at `position`. */
export const next = (query: ReadModelQuery, position: Position): string =>
  encodeCursor({ ...orderOf(query), present: position.present, value: position.value, id: position.id })

/**
 * Why `query.cursor` cannot be continued, or `undefined` (also when the
 * query has no cursor): it is not a cursor this module wrote, or it was
 * taken under another order.
 */
export const problem = (query: ReadModelQuery): string | undefined => {
  if (query.cursor === undefined) return undefined
  const decoded = decodeCursor(query.cursor)
  const order = orderOf(query)
  return Option.isNone(decoded) || decoded.value.field !== order.field || decoded.value.direction !== order.direction
    ? "the cursor is not a nextCursor of this query's order"
    : undefined
}

/**
 * Where the page asked for starts: after this position, or from the start
 * when the query has no cursor. The query must have passed {@link problem}
 * (every wrapped adapter's queries have); a cursor that has not is a defect
 * of the adapter, so it throws.
 */
export const position = (query: ReadModelQuery): Position | undefined => {
  if (query.cursor === undefined) return undefined
  const reason = problem(query)
  const decoded = decodeCursor(query.cursor)
  if (reason !== undefined || Option.isNone(decoded)) {
    throw new Error(`ReadModelCursor.position: ${reason ?? "unreadable cursor"}; check queries with readModelQueryProblem first`)
  }
  return { present: decoded.value.present, value: decoded.value.value, id: decoded.value.id }
}
