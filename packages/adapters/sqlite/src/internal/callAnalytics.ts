/**
 * The call analytics over SQLite, answered in SQL from the daily counts that
 * import batches keep up to date: a window is one range of the
 * `daily_counts` key (tenant, service day, category, ...), summed and ranked
 * by the database, so no answer reads the stored calls or loads them into
 * JavaScript.
 *
 * @internal
 */
import {
  type AreaKind,
  CallAnalytics,
  CallCategory,
  type CallFilter,
  type Concentration,
  type KeyCount
} from "@community-policing/core"
import { Effect } from "effect"
import { windowStart } from "./serviceDays.ts"
import { type Connection, type Run, statementCache } from "./sql.ts"


/** The `daily_counts` column each area kind reads: fixed text, chosen from this table, never from input. */
const areaColumn: Record<AreaKind, string> = {
  "beat": "beat",
  "police-district": "police_district",
  "council-district": "council_district",
  "neighborhood": "neighborhood"
}


/** SQL text and its parameters, in the order the `?` appear. */
interface Plan {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/** Every call category, the `IN` list that reads each category's cells of a window as one seek. */
const allCategories: ReadonlyArray<string> = CallCategory.literals

/**
 * The cells a filter selects: the window's days of one category (`''` is the
 * cell counting every call once; `null` selects every real category), and
 * the channels as an `IN` list of one `?` per distinct channel (at most four:
 * the text is built from the count, never from the values).
 */
const cellsWhere = (tenantId: string, filter: Omit<CallFilter, "category">, category: string | null): Plan => {
  const where: Array<string> = ["tenant_id = ?"]
  const params: Array<unknown> = [tenantId]
  if (category === null) {
    where.push(`category IN (${allCategories.map(() => "?").join(", ")})`)
    params.push(...allCategories)
  } else {
    where.push("category = ?")
    params.push(category)
  }
  where.push("service_day BETWEEN ? AND ?")
  params.push(windowStart(filter.window.endDay, filter.window.days), filter.window.endDay)
  if (filter.channels !== undefined) {
    const channels = [...new Set(filter.channels)]
    where.push(`channel IN (${channels.map(() => "?").join(", ")})`)
    params.push(...channels)
  }
  return { sql: where.join(" AND "), params }
}

/**
 * Counts by `keyColumn` (a fixed column name) over the selected cells,
 * busiest first, ties by key ascending: SQLite's BINARY collation compares
 * UTF-8 bytes, which is code point order.
 */
const rankedSql = (keyColumn: string, where: Plan, extra: { readonly minCount?: number; readonly limit?: number } = {}): Plan => {
  const params: Array<unknown> = [...where.params]
  // '' is "no such area" (area ids are never empty), and never a category or an address key.
  let sql = `SELECT ${keyColumn} AS key, SUM(count) AS total FROM daily_counts WHERE ${where.sql} AND ${keyColumn} <> '' ` +
    `GROUP BY ${keyColumn}`
  if (extra.minCount !== undefined) {
    sql += " HAVING SUM(count) >= ?"
    params.push(extra.minCount)
  }
  sql += ` ORDER BY total DESC, ${keyColumn}`
  if (extra.limit !== undefined) {
    sql += " LIMIT ?"
    params.push(extra.limit)
  }
  return { sql, params }
}

/** The call analytics service over a connection whose schema is migrated. */
export const makeCallAnalytics = (db: Connection, attempt: Run): CallAnalytics["Service"] => {
  const statement = statementCache(db, 64)

  const ranked = (operation: string, plan: Plan) =>
    attempt(`CallAnalytics.${operation}`, (): ReadonlyArray<KeyCount> =>
      (statement(plan.sql).all(...plan.params) as Array<{ key: string; total: number }>).map((row) => ({
        key: row.key,
        count: row.total
      })))

  const repeatLocations = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly minCount: number; readonly limit: number }
  ) {
    const where = cellsWhere(tenantId, filter, filter.category ?? "")
    return yield* ranked("repeatLocations", rankedSql("address_key", where, { minCount: filter.minCount, limit: filter.limit }))
  })

  const countsByArea = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly area: AreaKind }
  ) {
    const where = cellsWhere(tenantId, filter, filter.category ?? "")
    return yield* ranked("countsByArea", rankedSql(areaColumn[filter.area], where))
  })

  const countsByCategory = Effect.fnUntraced(function*(
    tenantId: string,
    filter: Omit<CallFilter, "category">
  ) {
    return yield* ranked("countsByCategory", rankedSql("category", cellsWhere(tenantId, filter, null)))
  })

  /**
   * The counts per address summed in SQL once, busiest first; JavaScript
   * then counts the places and calls and sums the top ones (at most one
   * number per place crosses over, against three aggregations of the
   * window's cells otherwise).
   */
  const concentrationRead = (where: Plan, topPercent: number): Concentration => {
    // '' is a call without an address: at no place, so not in the concentration of calls at places.
    const totals = statement(
      `SELECT SUM(count) AS total FROM daily_counts WHERE ${where.sql} AND address_key <> '' GROUP BY address_key ORDER BY total DESC`
    ).pluck().all(...where.params) as Array<number>
    const places = totals.length
    const topPlaces = Math.ceil(places * topPercent / 100)
    let totalCalls = 0
    let callsAtTop = 0
    for (let index = 0; index < places; index++) {
      const total = totals[index]!
      totalCalls += total
      // Places tied at the cut have the same total, so which of them are "top" does not change the sum.
      if (index < topPlaces) callsAtTop += total
    }
    return { places, topPlaces, callsAtTop, totalCalls, share: totalCalls === 0 ? 0 : callsAtTop / totalCalls }
  }

  const concentration = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly topPercent: number }
  ) {
    const topPercent = filter.topPercent
    const where = cellsWhere(tenantId, filter, filter.category ?? "")
    return yield* attempt("CallAnalytics.concentration", () => concentrationRead(where, topPercent))
  })

  return CallAnalytics.of({ repeatLocations, countsByArea, countsByCategory, concentration })
}
