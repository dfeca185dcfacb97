/**
 * The main queries use indexes: every statement the ports run, captured as
 * SQLite executed it, is explained with EXPLAIN QUERY PLAN, and none scans a
 * whole table. Run on a file without planner statistics (no ANALYZE yet),
 * the worst case for the planner.
 */
import { makeBatch, makeStoredCall } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { DateTime, Effect } from "effect"
import { migrate } from "../src/index.ts"
import { makeCallAnalytics } from "../src/internal/callAnalytics.ts"
import { makeCallStore } from "../src/internal/callStore.ts"
import { makeEventStore } from "../src/internal/eventStore.ts"
import { makeOutbox } from "../src/internal/outbox.ts"
import { makeReadModelStore } from "../src/internal/readModel.ts"
import { makeRunner } from "../src/internal/sql.ts"
import { eventsFor } from "./fixtures/common.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("plans")

describe("query plans", () => {
  it.live("no statement of the ports scans a table; each main query uses its index", () => {
    const filename = database("plans")
    const executed = new Set<string>()
    // verbose receives each statement as executed, with its parameters expanded in place.
    const db = new Database(filename, { verbose: (sql) => executed.add(String(sql)) })
    return Effect.gen(function*() {
      yield* migrate(db)
      executed.clear()
      const run = makeRunner(1_000)
      const events = makeEventStore(db, run)
      const readModels = makeReadModelStore(db, run)
      const outbox = makeOutbox(db, run)
      const tenantId = "plans"
      for (const [index, streamId] of ["a", "b"].entries()) {
        yield* events.append({
          tenantId,
          streamId,
          expectedVersion: 0,
          idempotencyKey: `key-${streamId}`,
          events: eventsFor(tenantId, streamId, 0, 3, streamId),
          outbox: [{ id: `m-${index}`, topic: "email", payload: {}, maxAttempts: 3 }]
        })
      }
      yield* events.append({ tenantId, streamId: "b", expectedVersion: 3, idempotencyKey: "key-a", events: eventsFor(tenantId, "b", 3, 1, "dup") })
      yield* events.readStream(tenantId, "a", 2)
      yield* events.readAll({ tenantId, after: 1, limit: 10 })
      yield* events.findByIdempotencyKey(tenantId, "key-b")
      const collection = "open-cases"
      yield* readModels.commit(tenantId, {
        projection: "p",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: Array.from({ length: 12 }, (_, index) => ({
          collection,
          id: `case-${index}`,
          data: { index },
          indexed: index % 4 === 0 ? { district: "3" } : { district: String(index % 3), deadline: `2026-11-${10 + index}`, fine: index * 10 }
        })),
        deletes: []
      })
      yield* readModels.commit(tenantId, {
        projection: "p",
        expectedCheckpoint: 1,
        checkpoint: 2,
        upserts: [{ collection, id: "case-1", data: {}, indexed: { district: "1" } }],
        deletes: [{ collection, id: "case-2" }]
      })
      yield* readModels.get(tenantId, collection, "case-3")
      yield* readModels.checkpoint(tenantId, "p")
      const queries = [
        { collection },
        { collection, where: [{ field: "district", equals: "1" }] },
        { collection, where: [{ field: "district", equals: "1" }, { field: "fine", equals: 70 }] },
        { collection, range: { field: "deadline", from: "2026-11-12" } },
        { collection, orderBy: { field: "deadline", direction: "asc" as const } },
        { collection, orderBy: { field: "deadline", direction: "desc" as const }, where: [{ field: "district", equals: "1" }] },
        { collection, orderBy: { field: "deadline", direction: "asc" as const }, range: { field: "deadline", to: "2026-11-20" } },
        { collection, orderBy: { field: "fine", direction: "desc" as const }, range: { field: "deadline", from: "2026-11-11" } }
      ]
      for (const query of queries) {
        // Pages of 2 run each shape with a cursor too, through both halves of an ordered query.
        let cursor: string | undefined
        do {
          const page = yield* readModels.query(tenantId, { ...query, limit: 2, cursor })
          cursor = page.nextCursor
        } while (cursor !== undefined)
      }
      const now = DateTime.makeUnsafe(Date.now())
      for (const options of [{}, { topic: "email" }, { tenantId }, { tenantId, topic: "email" }]) {
        yield* outbox.claim({ ...options, limit: 1, leaseMillis: 1 })
      }
      // The 1 ms leases above have ended by now, with attempts left: claimable again.
      yield* Effect.sleep("5 millis")
      const [claimed] = yield* outbox.claim({ limit: 1, leaseMillis: 60_000 })
      assert.isDefined(claimed)
      if (claimed !== undefined) yield* outbox.fail(claimed.lease, { error: "later", retryAt: now })
      yield* outbox.get(tenantId, "m-1")
      yield* outbox.deadLetters(tenantId, 10)

      const calls = makeCallStore(db, run)
      const analytics = makeCallAnalytics(db, run)
      const stored = Array.from({ length: 12 }, (_, index) =>
        makeStoredCall({
          dedupeKey: `call-${index}`,
          addressKey: `${100 + (index % 4)} MAIN ST`,
          serviceDay: `2026-03-${String(1 + (index % 6)).padStart(2, "0")}`,
          channel: index % 2 === 0 ? "911" : "non-emergency",
          categories: index % 3 === 0 ? ["disorder", "nuisance"] : ["disorder"],
          districts: { beat: `${index % 3}A`, policeDistrict: `${index % 2}`, councilDistrict: "4", neighborhood: "Oak Park" }
        }))
      yield* calls.commitImportBatch(tenantId, makeBatch("import-1", 20, stored, [{ rowNumber: 13, raw: "x", reason: "bad" }]))
      yield* calls.commitImportBatch(tenantId, makeBatch("import-1", 30, stored.slice(0, 2)))
      yield* calls.importProgress(tenantId, "import-1")
      yield* calls.quarantined(tenantId, "import-1", { afterRow: 0, limit: 10 })
      yield* calls.callsAt(tenantId, "100 MAIN ST", { fromDay: "2026-03-01", toDay: "2026-03-31" })
      yield* calls.upsertPlaces(tenantId, [{ addressKey: "100 MAIN ST", landUse: { _tag: "unknown" }, districts: {} }])
      yield* calls.place(tenantId, "100 MAIN ST")
      const window = { endDay: "2026-03-31", days: 90 }
      const narrowings: ReadonlyArray<{ readonly category?: "nuisance"; readonly channels?: ReadonlyArray<"911"> }> = [
        {},
        { category: "nuisance" },
        { channels: ["911"] }
      ]
      for (const narrowing of narrowings) {
        yield* analytics.repeatLocations(tenantId, { window, ...narrowing, minCount: 1, limit: 10 })
        yield* analytics.countsByArea(tenantId, { window, ...narrowing, area: "beat" })
        yield* analytics.countsByArea(tenantId, { window, ...narrowing, area: "neighborhood" })
        yield* analytics.countsByCategory(tenantId, { window, channels: narrowing.channels })
        yield* analytics.concentration(tenantId, { window, ...narrowing, topPercent: 20 })
      }

      const explain = new Database(filename, { readonly: true })
      const indexes = new Set<string>()
      const statements = [...executed].filter((sql) => /^\s*(SELECT|UPDATE|DELETE)/i.test(sql))
      for (const sql of statements) {
        const plan = explain.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>
        for (const { detail } of plan) {
          // Reading a subquery's own result (concentration's per-address totals of the window) is no table scan.
          assert.notMatch(detail, /^SCAN (?!CONSTANT ROW|\(subquery-\d+\))/, `a full scan in:\n${sql}\n${plan.map((step) => step.detail).join("\n")}`)
          const index = /USING (?:COVERING )?INDEX (\w+)|USING (PRIMARY KEY)|USING (INTEGER PRIMARY KEY)/.exec(detail)
          if (index !== null) indexes.add(index[1] ?? index[2] ?? index[3] ?? "")
        }
      }
      explain.close()
      assert.isAtLeast(statements.length, 25)
      for (const index of [
        "events_by_stream",
        "events_by_position",
        "document_fields_by_value",
        "outbox_pending",
        "outbox_pending_by_topic",
        "outbox_pending_by_tenant",
        "outbox_pending_by_tenant_topic",
        "outbox_leases",
        "outbox_dead",
        "calls_by_day",
        "PRIMARY KEY"
      ]) {
        assert.isTrue(indexes.has(index), `a main query uses ${index}; used: ${[...indexes].join(", ")}`)
      }
    }).pipe(Effect.ensuring(Effect.sync(() => db.close())))
  })
})
