/**
 * Ours: records-csv's `importCalls` with the `sacramentoCadMapping` preset
 * and core's `sacramentoCad` code table, into `@community-policing/adapter-sqlite`
 * with its defaults (WAL, `synchronous = FULL`, batches of 5,000 rows each
 * committed with the import's progress; `bulk: "auto"`, so the history file
 * is a bulk import, its calls-by-address index built after the load, and
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
import { CallAnalytics, sacramento, sacramentoCad } from "@community-policing/core"
import { generatedPlacesMapping, importCalls, importPlaces, sacramentoCadMapping } from "@community-policing/records-csv"
import { Effect, ManagedRuntime } from "effect"
import type { CallsContender, Loaded, PlaceCounts } from "./CallsContender.ts"
import { CALLS_TENANT_ID, TOP_PLACES, WINDOW_DAYS } from "./CallsWorkload.ts"

export const contender: CallsContender = {
  open: async (target) => {
    const runtime = ManagedRuntime.make(SqliteStore.layer({ filename: target.database }))
    // Opening (and migrating a fresh file) happens here, outside the timed calls.
    await runtime.runPromise(Effect.void)
    return {
      prepare: async () => {
        const report = await runtime.runPromise(importPlaces({
          tenantId: CALLS_TENANT_ID,
          jurisdiction: sacramento,
          mapping: generatedPlacesMapping,
          file: target.files.placesFile
        }))
        if (report.quarantined > 0) throw new Error(`${report.quarantined} of the generated places were quarantined`)
      },
      load: async (file): Promise<Loaded> => {
        const report = await runtime.runPromise(importCalls({
          tenantId: CALLS_TENANT_ID,
          jurisdiction: sacramento,
          mapping: sacramentoCadMapping,
          codeTables: [sacramentoCad],
          file,
          bulk: process.env["BENCH_SQLITE_BULK"] === "false" ? false : "auto"
        }))
        return { rows: report.read, stored: report.imported, setAside: report.quarantined, duplicates: report.duplicates }
      },
      countPerPlace: (endDay) =>
        runtime.runPromise(Effect.gen(function*() {
          const analytics = yield* CallAnalytics
          const window = { endDay, days: WINDOW_DAYS }
          const top = yield* analytics.repeatLocations(CALLS_TENANT_ID, { window, minCount: 1, limit: TOP_PLACES })
          const totals = yield* analytics.concentration(CALLS_TENANT_ID, { window, topPercent: 100 })
          return {
            top: top.map(({ key, count }) => ({ place: key, calls: count })),
            places: totals.places,
            totalCalls: totals.totalCalls
          } satisfies PlaceCounts
        })),
      close: () => runtime.dispose()
    }
  }
}
