/**
 * Ours: records-csv's `importCalls` with the `sacramentoCadMapping` preset
 * and core's `sacramentoCad` code table, into `@community-policing/adapter-sqlite`
 * with its defaults (WAL, `synchronous = FULL`, batches of 5,000 rows each
 * committed with the import's progress; `bulk: "auto"`, so the history file
 * is a bulk import, its calls-by-day index built after the load, and
 * the refresh day's file is not; `BENCH_SQLITE_BULK=false` imports batch
 * by batch instead, for comparison); the places registry the generator
 * writes is imported first, untimed, as a city would have it before its
 * calls.
 *
 * The 90-day count per place goes through the `CallAnalytics` port, which
 * answers from the daily counts the import keeps up to date in the same
 * transactions: `repeatLocations` (minimum 1 call, the port's largest limit,
 * 10,000) for the ranked places, and `concentration` at 100 % for how many
 * places and calls the window has. So the daily refresh is an import of the
 * day's file and the same two queries; nothing is recomputed over history.
 *
 * @module
 */
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { Effect, ManagedRuntime } from "effect"
import type { CallsContender } from "./CallsContender.ts"
import { storeCallsSession } from "./StoreCallsSession.ts"

export const contender: CallsContender = {
  open: async (target) => {
    const runtime = ManagedRuntime.make(SqliteStore.layer({ filename: target.database }))
    // Opening (and migrating a fresh file) happens here, outside the timed calls.
    await runtime.runPromise(Effect.void)
    return storeCallsSession(runtime, target, { bulk: process.env["BENCH_SQLITE_BULK"] === "false" ? false : "auto" })
  }
}
