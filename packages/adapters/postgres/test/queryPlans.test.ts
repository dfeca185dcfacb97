/**
 * The call ports' statements at a realistic size: a 10,000-call batch is two
 * statements, and every statement the call ports run, captured as the driver
 * sent it and explained by the server, reads through an index. The 90-day
 * per-place count reads exactly the window's daily-count cells through the
 * primary key of `daily_counts`, never the calls table and never the rest of
 * the history. Two years of calls for one city beside another city's, with
 * planner statistics (ANALYZE), as a production database would have them.
 */
import {
  CallAnalytics,
  type CallCategory,
  type CallChannel,
  CallStore,
  type Districts,
  type StoredCall
} from "@community-policing/core"
import { addDays, makeBatch, makeStoredCall } from "@community-policing/testkit"
import { assert, layer } from "@effect/vitest"
import { PgTypes } from "@effect/sql-pg"
import { Effect, Layer, Result } from "effect"
import { SqlClient, Statement } from "effect/sql"
import { afterAll } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { clientLayer, createTestDatabase } from "./support/database.ts"

const database = await createTestDatabase("plans")
afterAll(() => database.drop())

const Storage = PostgresStore.layerWithClient({ migrate: true }).pipe(Layer.provideMerge(clientLayer(database.url, 4)))

/** A statement as the driver sent it: SQL text and parameters. */
type Sent = readonly [sql: string, params: ReadonlyArray<unknown>]

/** Runs `effect`, capturing every statement it sends (transaction control is not a statement and is not captured). */
const capturing = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const sent: Array<Sent> = []
    const capture: Statement.Transformer = (statement) =>
      Effect.sync(() => {
        sent.push(statement.compile())
        return statement
      })
    const result = yield* Effect.provideService(effect, Statement.CurrentTransformer, capture)
    return { result, sent }
  })

/** One node of an EXPLAIN (FORMAT JSON) plan, as far as these checks read it. */
interface PlanNode {
  readonly "Node Type": string
  readonly "Relation Name"?: string
  readonly "Index Name"?: string
  readonly "Actual Rows"?: number
  readonly "Plans"?: ReadonlyArray<PlanNode>
}

const nodesOf = (node: PlanNode): Array<PlanNode> => [node, ...(node.Plans ?? []).flatMap(nodesOf)]

/**
 * The server's plan for a captured statement. `analyze` runs it too (only
 * for reads); `indexesOnly` turns sequential scans off for the statement's
 * transaction, so a sequential scan left in the plan is one no index can
 * replace: on tables of a few rows the planner rightly prefers one.
 */
const explain = (statement: Sent, options: { readonly analyze: boolean; readonly indexesOnly: boolean }) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(Effect.gen(function*() {
      if (options.indexesOnly) yield* sql`SET LOCAL enable_seqscan = off`
      const [row] = yield* sql.unsafe<{ "QUERY PLAN": ReadonlyArray<{ readonly Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON${options.analyze ? ", ANALYZE" : ""}) ${statement[0]}`,
        statement[1]
      )
      const plan = row?.["QUERY PLAN"][0]?.Plan
      assert.isDefined(plan, `no plan for:\n${statement[0]}`)
      return nodesOf(plan!)
    }))
  })

/** The OID a parameter is bound with, as the driver infers it (the adapter passes typed parameters and int4 numbers). */
const parameterOid = (value: unknown): number => {
  if (PgTypes.isParameter(value)) return value.oid
  assert.isTrue(typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 2 ** 31, `an untyped parameter ${String(value)}`)
  return PgTypes.OID.int4
}

/**
 * The generic plan of a captured statement: the plan PostgreSQL may switch a
 * prepared statement to after five runs, made without the parameters'
 * values. PREPARE with the parameters' types, then EXPLAIN EXECUTE under
 * `plan_cache_mode = force_generic_plan` (EXPLAIN (GENERIC_PLAN) would do it
 * from PostgreSQL 16, but not on 15).
 */
const genericPlan = (statement: Sent) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(Effect.gen(function*() {
      const oids = statement[1].map(parameterOid)
      const [types] = yield* sql<{ names: ReadonlyArray<string> }>`
        SELECT coalesce(array_agg(format_type(t.oid, NULL) ORDER BY t.position), '{}') AS names
        FROM unnest(${PgTypes.array(oids, PgTypes.OID.oid).pipe(Result.getOrThrow)}) WITH ORDINALITY AS t(oid, position)`
      yield* sql`SET LOCAL plan_cache_mode = force_generic_plan`
      yield* sql.unsafe(`PREPARE community_policing_plan (${types!.names.join(", ")}) AS ${statement[0]}`)
      // A generic plan ignores the values, and EXECUTE cannot take the outer statement's parameters: NULLs.
      const values = statement[1].map(() => "NULL").join(", ")
      const [row] = yield* sql.unsafe<{ "QUERY PLAN": ReadonlyArray<{ readonly Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) EXECUTE community_policing_plan (${values})`
      ).pipe(Effect.ensuring(Effect.ignore(sql`DEALLOCATE community_policing_plan`)))
      return nodesOf(row!["QUERY PLAN"][0]!.Plan)
    }))
  })

const describePlan = (nodes: ReadonlyArray<PlanNode>) =>
  nodes.map((node) => [node["Node Type"], node["Relation Name"], node["Index Name"]].filter(Boolean).join(" ")).join("\n")

/** The call ports' tables: no statement may need a sequential scan of one. */
const tables = new Set(["calls", "places", "import_progress", "quarantined_rows", "daily_counts"])

const categories: ReadonlyArray<CallCategory> = ["disorder", "nuisance", "drug-trade", "domestic-violence"]
const channels: ReadonlyArray<CallChannel> = ["911", "non-emergency", "officer-initiated", "other"]

/** Calls spread over 730 days from 2024-07-01, 400 addresses, every channel, several categories and beats. */
const history = (prefix: string, count: number): Array<StoredCall> =>
  Array.from({ length: count }, (_, index) => {
    const districts: Districts = { beat: `${index % 9}A`, policeDistrict: `${index % 6}`, councilDistrict: `${index % 8}` }
    return makeStoredCall({
      dedupeKey: `${prefix}-${index}`,
      addressKey: `${(index * 37) % 400} MAIN ST`,
      serviceDay: addDays("2024-07-01", (index * 7) % 730),
      localTime: `${String(index % 24).padStart(2, "0")}:${String(index % 60).padStart(2, "0")}`,
      channel: channels[index % channels.length]!,
      categories: categories.filter((_, category) => (index + category) % 3 === 0),
      districts
    })
  })

layer(Storage, { excludeTestServices: true, timeout: 180_000 })("call queries", (it) => {
  it.effect("a 10,000-call batch is two statements, and every call statement reads through an index", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const analytics = yield* CallAnalytics
      const sql = yield* SqlClient.SqlClient
      const city = "plans-city"
      const calls = history("call", 20_000)
      const first = yield* capturing(store.commitImportBatch(city, makeBatch("cad-2026", 10_001, calls.slice(0, 10_000))))
      assert.deepStrictEqual(first.result, { imported: 10_000, duplicates: 0 })
      assert.strictEqual(first.sent.length, 2, "the progress row, then every write in one statement")
      const second = yield* capturing(
        store.commitImportBatch(city, makeBatch("cad-2026", 20_001, calls.slice(10_000), [{ rowNumber: 20_001, raw: "x", reason: "bad" }]))
      )
      assert.deepStrictEqual(second.result, { imported: 10_000, duplicates: 0 })
      assert.strictEqual(second.sent.length, 2)
      const again = yield* capturing(store.commitImportBatch(city, makeBatch("cad-2026-again", 10_001, calls.slice(0, 10_000))))
      assert.deepStrictEqual(again.result, { imported: 0, duplicates: 10_000 }, "the same export again adds nothing")
      assert.strictEqual(again.sent.length, 2)
      // Another city with as many calls, so that the tenant is part of what the indexes narrow.
      yield* store.commitImportBatch("plans-other", makeBatch("cad-2026", 20_001, history("other", 20_000)))
      yield* store.upsertPlaces(city, [{ addressKey: "7 MAIN ST", landUse: { _tag: "unknown" }, districts: {} }])
      yield* sql`ANALYZE`

      const endDay = "2026-06-30"
      const window = { endDay, days: 90 }
      const analyticsReads: Array<readonly [string, Effect.Effect<unknown, unknown>]> = [
        ["repeatLocations", analytics.repeatLocations(city, { window, minCount: 2, limit: 100 })],
        ["repeatLocations by category", analytics.repeatLocations(city, { window, category: "nuisance", minCount: 1, limit: 100 })],
        ["repeatLocations by channel", analytics.repeatLocations(city, { window, channels: ["911", "other"], minCount: 1, limit: 100 })],
        ["countsByArea", analytics.countsByArea(city, { window, area: "beat" })],
        ["countsByCategory", analytics.countsByCategory(city, { window, channels: ["911"] })],
        ["concentration", analytics.concentration(city, { window, topPercent: 10 })]
      ]
      const storeReads: Array<readonly [string, Effect.Effect<unknown, unknown>]> = [
        ["callsAt", store.callsAt(city, "7 MAIN ST", { fromDay: addDays(endDay, -89), toDay: endDay })],
        ["importProgress", store.importProgress(city, "cad-2026")],
        ["quarantined", store.quarantined(city, "cad-2026", { afterRow: 0, limit: 10 })],
        ["place", store.place(city, "7 MAIN ST")]
      ]
      const statements: Array<readonly [string, Sent]> = [
        ...first.sent.map((statement) => ["commitImportBatch", statement] as const),
        ...second.sent.map((statement) => ["commitImportBatch with a quarantined row", statement] as const)
      ]
      for (const [what, read] of [...analyticsReads, ...storeReads]) {
        const { sent } = yield* capturing(read)
        assert.strictEqual(sent.length, 1, `${what} is one statement`)
        statements.push(...sent.map((statement) => [what, statement] as const))
        // As the planner chooses with statistics: the two large tables are never read whole.
        const nodes = yield* explain(sent[0]!, { analyze: true, indexesOnly: false })
        const scanned = nodes.filter((node) => node["Relation Name"] !== undefined)
        assert.isFalse(
          scanned.some((node) => node["Node Type"] === "Seq Scan" && ["calls", "daily_counts"].includes(node["Relation Name"]!)),
          `${what} reads a large table whole:\n${describePlan(nodes)}`
        )
        if (analyticsReads.some(([name]) => name === what)) {
          assert.deepStrictEqual(
            [...new Set(scanned.map((node) => node["Relation Name"]))],
            ["daily_counts"],
            `${what} reads the daily counts and nothing else:\n${describePlan(nodes)}`
          )
        }
      }
      // The driver keeps prepared statements, and after five runs PostgreSQL
      // may switch one to a generic plan, made without the parameters' values.
      for (const [what, statement] of statements.filter(([what]) => analyticsReads.some(([name]) => name === what))) {
        const nodes = yield* genericPlan(statement)
        assert.isFalse(
          nodes.some((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "daily_counts"),
          `the generic plan of ${what} reads the daily counts whole:\n${describePlan(nodes)}`
        )
        assert.isTrue(nodes.some((node) => node["Index Name"] === "daily_counts_pkey"), `the generic plan of ${what}:\n${describePlan(nodes)}`)
      }
      const usedIndexes = new Set<string>()
      for (const [what, statement] of statements) {
        const nodes = yield* explain(statement, { analyze: false, indexesOnly: true })
        assert.isFalse(
          nodes.some((node) => node["Node Type"] === "Seq Scan" && tables.has(node["Relation Name"] ?? "")),
          `no index serves ${what}:\n${describePlan(nodes)}`
        )
        for (const node of nodes) if (node["Index Name"] !== undefined) usedIndexes.add(node["Index Name"])
      }
      for (const index of ["daily_counts_pkey", "calls_by_address", "import_progress_pkey", "quarantined_rows_pkey", "places_pkey"]) {
        assert.isTrue(usedIndexes.has(index), `a call statement uses ${index}; used: ${[...usedIndexes].join(", ")}`)
      }

      // The 90-day per-place count reads the window's all-calls cells and no others.
      const { sent: [perPlace] } = yield* capturing(analytics.repeatLocations(city, { window, minCount: 1, limit: 10_000 }))
      const nodes = yield* explain(perPlace!, { analyze: true, indexesOnly: false })
      const [cells] = yield* sql<{ cells: bigint }>`
        SELECT count(*) AS cells FROM community_policing.daily_counts
        WHERE tenant_id = ${city} AND category = '' AND service_day BETWEEN ${endDay}::date - 89 AND ${endDay}::date`
      const [all] = yield* sql<{ cells: bigint }>`SELECT count(*) AS cells FROM community_policing.daily_counts`
      const read = nodes.filter((node) => node["Relation Name"] === "daily_counts")
      assert.lengthOf(read, 1, describePlan(nodes))
      assert.strictEqual(read[0]?.["Actual Rows"], Number(cells?.cells), "the scan returns exactly the window's cells")
      assert.isAbove(Number(all?.cells), 10 * Number(cells?.cells), "the window is a small part of the history")
      assert.include([read[0]?.["Index Name"], ...nodes.map((node) => node["Index Name"])], "daily_counts_pkey")
    }))
})
