/**
 * The call analytics over PostgreSQL, answered in SQL from the daily counts
 * that import batches keep up to date: a window is one range of the
 * `daily_counts` key (tenant, category, service day, ...), summed, ranked
 * and cut by the database, so no answer reads the stored calls or brings
 * more than its result rows into JavaScript.
 *
 * @internal
 */
import {
  type AreaKind,
  CallAnalytics,
  CallCategory,
  type CallFilter,
  type Concentration,
  type InvalidStoreRequest,
  type KeyCount,
  type StorageFailure
} from "@community-policing/core"
import { Effect } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import type { Fragment } from "effect/sql/Statement"
import type { StoreContext } from "./context.ts"
import { retryRead, toStorageFailure } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"
import { bigint, double, text, textArray, textProblem, toNumber } from "./values.ts"

/** The `daily_counts` column each area kind reads: fixed text, chosen from this table, never from input. */
const areaColumn: Record<AreaKind, string> = {
  "beat": "beat",
  "police-district": "police_district",
  "council-district": "council_district",
  "neighborhood": "neighborhood"
}

/** Every call category: the list that reads each category's cells of a window (and never the all-calls cell ''). */
const allCategories: ReadonlyArray<string> = CallCategory.literals

/** A result row: a key and its calls (`sum` of `bigint` is `numeric`, cast back to `bigint`). */
interface KeyTotal {
  readonly key: string
  readonly total: bigint
}

/** The call analytics service. */
export const makeCallAnalytics = ({ sql, tables }: StoreContext): CallAnalytics["Service"] => {
  const run = <A>(operation: string, effect: Effect.Effect<A, SqlError>): Effect.Effect<A, StorageFailure> =>
    effect.pipe(
      retryRead,
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure(`CallAnalytics.${operation}`)(error))),
      withSystemClock
    )

  /**
   * The cells a filter selects: the window's days of one category (`''` is
   * the cell counting every call once; `null` selects every real category)
   * and, when given, the channels. The window's first day is date arithmetic
   * on its last: a calendar day has no zone, so no day is 23 or 25 hours.
   */
  const cellsWhere = (tenantId: string, filter: Omit<CallFilter, "category">, category: string | null): Fragment => {
    const endDay = text(filter.window.endDay)
    const conditions: Array<Fragment> = [
      sql`tenant_id = ${text(tenantId)}`,
      category === null ? sql`category = ANY(${textArray(allCategories)})` : sql`category = ${text(category)}`,
      sql`service_day BETWEEN ${endDay}::date - ${filter.window.days - 1}::integer AND ${endDay}::date`
    ]
    if (filter.channels !== undefined) {
      // An empty list matches no call: = ANY('{}') is false.
      conditions.push(sql`channel = ANY(${textArray([...new Set(filter.channels)])})`)
    }
    return sql.and(conditions)
  }

  /**
   * Counts by `keyColumn` (a fixed column name) over the selected cells,
   * busiest first, ties by key in code point order (`COLLATE "C"` compares
   * UTF-8 bytes).
   */
  const ranked = (
    operation: string,
    keyColumn: string,
    where: Fragment,
    extra: { readonly minCount?: number; readonly limit?: number } = {}
  ): Effect.Effect<ReadonlyArray<KeyCount>, StorageFailure> => {
    const key = sql.literal(keyColumn)
    // '' is "no such area" (area ids are never empty), and never a category or an address key.
    return run(
      operation,
      Effect.map(
        sql<KeyTotal>`
          SELECT ${key} AS key, sum(count)::bigint AS total
          FROM ${tables.dailyCounts}
          WHERE ${where} AND ${key} <> ''
          GROUP BY ${key}
          ${extra.minCount === undefined ? sql.literal("") : sql`HAVING sum(count) >= ${bigint(extra.minCount)}`}
          ORDER BY total DESC, ${key} COLLATE "C"
          ${extra.limit === undefined ? sql.literal("") : sql`LIMIT ${extra.limit}::integer`}`,
        (rows) => rows.map((row) => ({ key: row.key, count: toNumber(row.total) }))
      )
    )
  }

  const repeatLocations = (
    tenantId: string,
    filter: CallFilter & { readonly minCount: number; readonly limit: number }
  ): Effect.Effect<ReadonlyArray<KeyCount>, InvalidStoreRequest | StorageFailure> => {
    // A tenant id no write could have stored has no calls.
    if (textProblem(tenantId) !== undefined) return Effect.succeed([])
    const where = cellsWhere(tenantId, filter, filter.category ?? "")
    return ranked("repeatLocations", "address_key", where, { minCount: filter.minCount, limit: filter.limit })
  }

  const countsByArea = (
    tenantId: string,
    filter: CallFilter & { readonly area: AreaKind }
  ): Effect.Effect<ReadonlyArray<KeyCount>, InvalidStoreRequest | StorageFailure> => {
    if (textProblem(tenantId) !== undefined) return Effect.succeed([])
    return ranked("countsByArea", areaColumn[filter.area], cellsWhere(tenantId, filter, filter.category ?? ""))
  }

  const countsByCategory = (
    tenantId: string,
    filter: Omit<CallFilter, "category">
  ): Effect.Effect<ReadonlyArray<KeyCount>, InvalidStoreRequest | StorageFailure> => {
    if (textProblem(tenantId) !== undefined) return Effect.succeed([])
    return ranked("countsByCategory", "category", cellsWhere(tenantId, filter, null))
  }

  const noCalls: Concentration = { places: 0, topPlaces: 0, callsAtTop: 0, totalCalls: 0, share: 0 }

  const concentration = (
    tenantId: string,
    filter: CallFilter & { readonly topPercent: number }
  ): Effect.Effect<Concentration, InvalidStoreRequest | StorageFailure> => {
    const topPercent = filter.topPercent
    if (textProblem(tenantId) !== undefined) return Effect.succeed(noCalls)
    const where = cellsWhere(tenantId, filter, filter.category ?? "")
    // One statement, so the counts come from one snapshot. The cut is
    // ceil(places * topPercent / 100) in float8, the same IEEE arithmetic as
    // the contract's JavaScript formula, so both agree on every input. Ties at
    // the cut have equal totals, so which of them is in makes no difference.
    return run(
      "concentration",
      Effect.map(
        sql<{ places: bigint; top_places: number; calls_at_top: bigint; total_calls: bigint }>`
          WITH per_address AS (
            -- '' is a call without an address: at no place, so not in the concentration of calls at places.
            SELECT sum(count) AS total FROM ${tables.dailyCounts} WHERE ${where} AND address_key <> '' GROUP BY address_key
          ),
          ranked AS (
            SELECT total, row_number() OVER (ORDER BY total DESC) AS rank, count(*) OVER () AS places
            FROM per_address
          ),
          cut AS (
            SELECT total, rank, ceil(places * ${double(topPercent)} / 100) AS top_places FROM ranked
          )
          SELECT count(*)::bigint AS places, coalesce(max(top_places), 0)::float8 AS top_places,
            coalesce(sum(total) FILTER (WHERE rank <= top_places), 0)::bigint AS calls_at_top,
            coalesce(sum(total), 0)::bigint AS total_calls
          FROM cut`,
        ([row]): Concentration => {
          const places = toNumber(row?.places ?? 0)
          const callsAtTop = toNumber(row?.calls_at_top ?? 0)
          const totalCalls = toNumber(row?.total_calls ?? 0)
          return {
            places,
            topPlaces: Number(row?.top_places ?? 0),
            callsAtTop,
            totalCalls,
            share: totalCalls === 0 ? 0 : callsAtTop / totalCalls
          }
        }
      )
    )
  }

  return CallAnalytics.of({ repeatLocations, countsByArea, countsByCategory, concentration })
}
