/**
 * `callsAt` over the `calls_by_day` index (migration 6): a window of up to
 * ten years is read one day at a time, a longer one as one range of days;
 * both give the calls at exactly that address, oldest first, ties by dedupe
 * key in code point order (past the Basic Multilingual Plane, where UTF-16
 * order differs), and each reads the index.
 */
import { compareCodePoints } from "@community-policing/core"
import { makeStoredCall } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { DateTime, Effect } from "effect"
import { make } from "../src/index.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("calls-at")
const tenantId = "springfield"

describe("callsAt by day", () => {
  it.effect("a short and a long window give the same calls in the same order, each through calls_by_day", () =>
    Effect.scoped(Effect.gen(function*() {
      const filename = database("windows")
      const store = yield* make({ filename })
      const here = "1 A ST"
      const calls = [
        makeStoredCall({ dedupeKey: "id:cad:\u{1F600}", addressKey: here, serviceDay: "2026-03-02", localTime: "09:00" }),
        makeStoredCall({ dedupeKey: "id:cad:\uFF21", addressKey: here, serviceDay: "2026-03-02", localTime: "09:00" }),
        makeStoredCall({ dedupeKey: "id:cad:b", addressKey: here, serviceDay: "2026-03-01", localTime: "23:00" }),
        makeStoredCall({ dedupeKey: "id:cad:a", addressKey: here, serviceDay: "2026-02-27", localTime: "08:00" }),
        makeStoredCall({ dedupeKey: "id:cad:other", addressKey: "1 A STREET", serviceDay: "2026-03-01" }),
        makeStoredCall({ dedupeKey: "id:cad:later", addressKey: here, serviceDay: "2026-04-01" })
      ]
      yield* store.callStore.commitImportBatch(tenantId, { importId: "cad", throughRow: calls.length, calls, quarantined: [] })
      const expected = calls
        .filter((call) => call.dedupeKey !== "id:cad:other" && call.serviceDay <= "2026-03-31")
        .sort((a, b) =>
          DateTime.toEpochMillis(a.call.receivedAt) - DateTime.toEpochMillis(b.call.receivedAt) ||
          compareCodePoints(a.dedupeKey, b.dedupeKey)
        )
      // U+FF21 sorts before U+1F600 by code point, after it by UTF-16 code unit.
      assert.deepStrictEqual(expected.map((call) => call.dedupeKey), ["id:cad:a", "id:cad:b", "id:cad:\uFF21", "id:cad:\u{1F600}"])
      const short = yield* store.callStore.callsAt(tenantId, here, { fromDay: "2026-02-27", toDay: "2026-03-31" })
      const long = yield* store.callStore.callsAt(tenantId, here, { fromDay: "1990-01-01", toDay: "2026-03-31" })
      assert.deepStrictEqual(short, expected)
      assert.deepStrictEqual(long, expected)
      assert.deepStrictEqual(yield* store.callStore.callsAt(tenantId, here, { fromDay: "2026-03-31", toDay: "2026-03-01" }), [])
      const db = new Database(filename, { readonly: true })
      const explain = (sql: string, ...params: Array<string>) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((step) => step.detail).join("; ")
      const perDay = explain(
        "SELECT received_at, dedupe_key, data FROM calls WHERE tenant_id = ? AND service_day = ? AND address_key = ?",
        tenantId,
        "2026-03-01",
        here
      )
      const range = explain(
        "SELECT received_at, dedupe_key, data FROM calls WHERE tenant_id = ? AND service_day BETWEEN ? AND ? AND address_key = ?",
        tenantId,
        "1990-01-01",
        "2026-03-31",
        here
      )
      db.close()
      assert.match(perDay, /USING INDEX calls_by_day \(tenant_id=\? AND service_day=\? AND address_key=\?\)/)
      assert.match(range, /USING INDEX calls_by_day \(tenant_id=\? AND service_day>\? AND service_day<\?\)/)
    })))
})
