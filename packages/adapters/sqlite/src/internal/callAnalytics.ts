/**
 * The call analytics over SQLite, answered in SQL from the shaped daily
 * counts that import batches keep up to date (migration 5): place questions
 * from `place_counts` (one row per day, address and channel), area and
 * category questions from `area_counts` (one row per day, channel and areas),
 * each row with a `total` and one count column per category. No answer reads
 * the stored calls.
 *
 * The per-place questions (`repeatLocations`, `concentration`) read kept
 * window totals: the per-place totals of a (filter, days) window are kept in
 * `count_window_totals` by the first question asking, and a later question
 * for the same filter and length ending on another day moves them by
 * subtracting the days that left the window and adding the days that entered
 * it (work in proportion to the calls of the moved days, not of the whole
 * window), then reads one row per place. An import batch drops every kept
 * window holding a day it added calls to (`callStore.ts`), so kept totals
 * always equal a full aggregation; at most {@link keptWindowsPerTenant} are
 * kept per tenant, the least recently asked dropped first.
 *
 * @internal
 */
import {
  type AreaKind,
  CallAnalytics,
  type CallFilter,
  type Concentration,
  type KeyCount
} from "@community-policing/core"
import { Effect } from "effect"
import { categoryColumn, countColumnOf, countedCategories } from "./countColumns.ts"
import { addDays, daysBetween, windowStart } from "./serviceDays.ts"
import { type Connection, type Run, statementCache } from "./sql.ts"

/** The `area_counts` column each area kind reads: fixed text, chosen from this table, never from input. */
const areaColumn: Record<AreaKind, string> = {
  "beat": "beat",
  "police-district": "police_district",
  "council-district": "council_district",
  "neighborhood": "neighborhood"
}

/** How many windows' per-place totals are kept per tenant (each one row per place with calls in it). */
export const keptWindowsPerTenant = 16

/** SQL text and its parameters, in the order the `?` appear. */
interface Plan {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/**
 * The rows of a range of days (both included), narrowed to the filter's
 * channels as an `IN` list of one `?` per distinct channel (at most four:
 * the text is built from the count, never from the values).
 */
const rowsWhere = (tenantId: string, fromDay: string, toDay: string, channels: ReadonlyArray<string> | undefined): Plan => {
  let sql = "tenant_id = ? AND service_day BETWEEN ? AND ?"
  const params: Array<unknown> = [tenantId, fromDay, toDay]
  if (channels !== undefined) {
    const distinct = [...new Set(channels)]
    sql += ` AND channel IN (${distinct.map(() => "?").join(", ")})`
    params.push(...distinct)
  }
  return { sql, params }
}

/** A filter's window as its first and last day. */
const daysOf = (filter: Omit<CallFilter, "category">): { readonly fromDay: string; readonly toDay: string } => ({
  fromDay: windowStart(filter.window.endDay, filter.window.days),
  toDay: filter.window.endDay
})

/** The filter without its window: the category and the channels (distinct, sorted), `*` for any channel. */
const signatureOf = (filter: CallFilter): string =>
  `${filter.category ?? ""}|${filter.channels === undefined ? "*" : [...new Set(filter.channels)].sort().join(",")}`

/** Ranked counts busiest first, ties by key ascending (ASCII category names: UTF-16 order is code point order). */
const byCountThenKey = (a: KeyCount, b: KeyCount): number =>
  a.count !== b.count ? b.count - a.count : a.key < b.key ? -1 : a.key > b.key ? 1 : 0

interface KeptWindow {
  readonly start_day: string
  readonly end_day: string
}

/** The call analytics service over a connection whose schema is migrated. */
export const makeCallAnalytics = (db: Connection, attempt: Run): CallAnalytics["Service"] => {
  const statement = statementCache(db, 64)

  const keptWindow = db.prepare<[string, string, number], KeptWindow>(
    "SELECT start_day, end_day FROM count_windows WHERE tenant_id = ? AND signature = ? AND days = ?"
  )
  const keepWindow = db.prepare(
    "INSERT INTO count_windows (tenant_id, signature, days, start_day, end_day, used_at) " +
      "VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(used_at), 0) + 1 FROM count_windows WHERE tenant_id = ?)) " +
      "ON CONFLICT (tenant_id, signature, days) DO UPDATE SET start_day = excluded.start_day, end_day = excluded.end_day, " +
      "used_at = excluded.used_at"
  )
  const addToTotal = db.prepare(
    "INSERT INTO count_window_totals (tenant_id, signature, days, address_key, count) VALUES (?, ?, ?, ?, ?) " +
      "ON CONFLICT (tenant_id, signature, days, address_key) DO UPDATE SET count = count + excluded.count"
  )
  // A place's calls on days leaving the window are in its kept total: the row is there (CHECK refuses a negative insert).
  const subtractFromTotal = db.prepare(
    "UPDATE count_window_totals SET count = count - ? WHERE tenant_id = ? AND signature = ? AND days = ? AND address_key = ?"
  )
  const dropEmptyTotals = db.prepare("DELETE FROM count_window_totals WHERE tenant_id = ? AND signature = ? AND days = ? AND count = 0")
  const dropTotals = db.prepare("DELETE FROM count_window_totals WHERE tenant_id = ? AND signature = ? AND days = ?")
  const dropWindow = db.prepare("DELETE FROM count_windows WHERE tenant_id = ? AND signature = ? AND days = ?")
  const leastRecent = db.prepare<[string, number], { signature: string; days: number }>(
    "SELECT signature, days FROM count_windows WHERE tenant_id = ? ORDER BY used_at DESC LIMIT -1 OFFSET ?"
  )
  const ranking = db.prepare<[string, string, number, number, number], { key: string; total: number }>(
    "SELECT address_key AS key, count AS total FROM count_window_totals WHERE tenant_id = ? AND signature = ? AND days = ? " +
      "AND count >= ? ORDER BY count DESC, address_key LIMIT ?"
  )
  const totals = db.prepare<[string, string, number], number>(
    "SELECT count FROM count_window_totals WHERE tenant_id = ? AND signature = ? AND days = ? ORDER BY count DESC"
  ).pluck()

  /** The per-place totals of a range of days as SQL: address key and total, places with none left out. */
  const placeTotals = (tenantId: string, filter: CallFilter, fromDay: string, toDay: string): Plan => {
    const column = countColumnOf(filter.category)
    const where = rowsWhere(tenantId, fromDay, toDay, filter.channels)
    return {
      // Not "HAVING total > 0": total is also a column of place_counts.
      sql: `SELECT address_key, SUM(${column}) AS calls FROM place_counts WHERE ${where.sql} GROUP BY address_key HAVING calls > 0`,
      params: where.params
    }
  }

  /** Adds (`sign` 1) or subtracts (-1) the per-place totals of a range of days to a kept window's. */
  const moveTotals = (tenantId: string, signature: string, filter: CallFilter, fromDay: string, toDay: string, sign: number) => {
    const plan = placeTotals(tenantId, filter, fromDay, toDay)
    const rows = statement(plan.sql).raw().all(...plan.params) as Array<[string, number]>
    for (const [addressKey, total] of rows) {
      if (sign > 0) addToTotal.run(tenantId, signature, filter.window.days, addressKey, total)
      else subtractFromTotal.run(total, tenantId, signature, filter.window.days, addressKey)
    }
  }

  /**
   * Brings the kept totals of the filter's (signature, days) to its window:
   * kept already, moved from the window kept before when fewer days moved
   * than the window holds, or aggregated afresh. Runs inside the caller's
   * write transaction.
   */
  const keep = (tenantId: string, filter: CallFilter): string => {
    const signature = signatureOf(filter)
    const days = filter.window.days
    const { fromDay, toDay } = daysOf(filter)
    const kept = keptWindow.get(tenantId, signature, days)
    keepWindow.run(tenantId, signature, days, fromDay, toDay, tenantId)
    if (kept !== undefined && kept.start_day === fromDay && kept.end_day === toDay) return signature
    const overlaps = kept !== undefined && kept.start_day <= toDay && fromDay <= kept.end_day
    const moved = kept === undefined ? Infinity : Math.abs(daysBetween(kept.start_day, fromDay)) + Math.abs(daysBetween(kept.end_day, toDay))
    if (kept !== undefined && overlaps && moved < days) {
      // The days that left the window, then the days that entered it.
      if (kept.start_day < fromDay) moveTotals(tenantId, signature, filter, kept.start_day, addDays(fromDay, -1), -1)
      if (kept.end_day > toDay) moveTotals(tenantId, signature, filter, addDays(toDay, 1), kept.end_day, -1)
      if (fromDay < kept.start_day) moveTotals(tenantId, signature, filter, fromDay, addDays(kept.start_day, -1), 1)
      if (toDay > kept.end_day) moveTotals(tenantId, signature, filter, addDays(kept.end_day, 1), toDay, 1)
      dropEmptyTotals.run(tenantId, signature, days)
    } else {
      dropTotals.run(tenantId, signature, days)
      const plan = placeTotals(tenantId, filter, fromDay, toDay)
      statement(
        `INSERT INTO count_window_totals (tenant_id, signature, days, address_key, count) SELECT ?, ?, ?, address_key, calls FROM (${plan.sql})`
      ).run(tenantId, signature, days, ...plan.params)
    }
    for (const old of leastRecent.all(tenantId, keptWindowsPerTenant)) {
      dropTotals.run(tenantId, old.signature, old.days)
      dropWindow.run(tenantId, old.signature, old.days)
    }
    return signature
  }

  /**
   * Runs `read` on the filter's per-place totals: kept ones, in one write
   * transaction (so no import batch lands between keeping and reading), or,
   * on a read-only connection, aggregated for this question alone.
   */
  const withPlaceTotals = <A>(
    tenantId: string,
    filter: CallFilter,
    read: (signature: string) => A,
    readAggregated: (plan: Plan) => A
  ): A => {
    if (db.readonly) {
      const { fromDay, toDay } = daysOf(filter)
      return readAggregated(placeTotals(tenantId, filter, fromDay, toDay))
    }
    return db.transaction(() => read(keep(tenantId, filter))).immediate()
  }

  const repeatLocations = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly minCount: number; readonly limit: number }
  ) {
    const { minCount, limit } = filter
    return yield* attempt("CallAnalytics.repeatLocations", (): ReadonlyArray<KeyCount> =>
      withPlaceTotals(
        tenantId,
        filter,
        (signature) =>
          ranking.all(tenantId, signature, filter.window.days, minCount, limit).map((row) => ({ key: row.key, count: row.total })),
        (plan) =>
          (statement(`SELECT address_key AS key, calls AS total FROM (${plan.sql}) WHERE calls >= ? ORDER BY calls DESC, address_key LIMIT ?`)
            .all(...plan.params, minCount, limit) as Array<{ key: string; total: number }>).map((row) => ({ key: row.key, count: row.total }))
      ))
  })

  const countsByArea = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly area: AreaKind }
  ) {
    const key = areaColumn[filter.area]
    const column = countColumnOf(filter.category)
    const { fromDay, toDay } = daysOf(filter)
    const where = rowsWhere(tenantId, fromDay, toDay, filter.channels)
    // '' is "no such area" (area ids are never empty); a row may count none of the category's calls.
    const sql = `SELECT ${key} AS key, SUM(${column}) AS calls FROM area_counts WHERE ${where.sql} AND ${key} <> '' ` +
      `GROUP BY ${key} HAVING calls > 0 ORDER BY calls DESC, ${key}`
    return yield* attempt("CallAnalytics.countsByArea", (): ReadonlyArray<KeyCount> =>
      (statement(sql).all(...where.params) as Array<{ key: string; calls: number }>).map((row) => ({ key: row.key, count: row.calls })))
  })

  const countsByCategory = Effect.fnUntraced(function*(
    tenantId: string,
    filter: Omit<CallFilter, "category">
  ) {
    const { fromDay, toDay } = daysOf(filter)
    const where = rowsWhere(tenantId, fromDay, toDay, filter.channels)
    const sql = `SELECT ${countedCategories.map((category) => `SUM(${categoryColumn[category]})`).join(", ")} FROM area_counts ` +
      `WHERE ${where.sql}`
    return yield* attempt("CallAnalytics.countsByCategory", (): ReadonlyArray<KeyCount> => {
      const sums = statement(sql).raw().get(...where.params) as Array<number | null>
      const counts: Array<KeyCount> = []
      countedCategories.forEach((category, index) => {
        const count = sums[index] ?? 0
        if (count > 0) counts.push({ key: category, count })
      })
      return counts.sort(byCountThenKey)
    })
  })

  /** The concentration of per-place totals, busiest first. */
  const concentrationOf = (totalsDescending: ReadonlyArray<number>, topPercent: number): Concentration => {
    const places = totalsDescending.length
    const topPlaces = Math.ceil(places * topPercent / 100)
    let totalCalls = 0
    let callsAtTop = 0
    for (let index = 0; index < places; index++) {
      const total = totalsDescending[index]!
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
    return yield* attempt("CallAnalytics.concentration", () =>
      withPlaceTotals(
        tenantId,
        filter,
        (signature) => concentrationOf(totals.all(tenantId, signature, filter.window.days), topPercent),
        (plan) =>
          concentrationOf(
            statement(`SELECT calls FROM (${plan.sql}) ORDER BY calls DESC`).pluck().all(...plan.params) as Array<number>,
            topPercent
          )
      ))
  })

  return CallAnalytics.of({ repeatLocations, countsByArea, countsByCategory, concentration })
}
