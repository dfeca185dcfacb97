/**
 * The session both of our calls contenders run (`calls-sqlite`,
 * `calls-postgres`): the places registry imported untimed, the calls
 * imported with records-csv's `importCalls` (`sacramentoCadMapping`, core's
 * `sacramentoCad` code table), and the 90-day count per place through the
 * `CallAnalytics` port: `repeatLocations` (minimum 1 call, the port's
 * largest limit) for the ranked places and `concentration` at 100 % for how
 * many places and calls the window has. The contenders differ only in the
 * store behind the runtime and the import's batch options.
 *
 * @module
 */
import { CallAnalytics, type CallStore, sacramento, sacramentoCad } from "@community-policing/core"
import {
  generatedPlacesMapping,
  importCalls,
  type ImportCallsSettings,
  importPlaces,
  sacramentoCadMapping
} from "@community-policing/records-csv"
import { Effect, type ManagedRuntime } from "effect"
import type { CallsSession, Loaded, PlaceCounts } from "./CallsContender.ts"
import { CALLS_TENANT_ID, type CallsTarget, TOP_PLACES, WINDOW_DAYS } from "./CallsWorkload.ts"

/** A session over `runtime` (already opened: connecting and migrating are not timed); `close` runs after the runtime is disposed. */
export const storeCallsSession = (
  runtime: ManagedRuntime.ManagedRuntime<CallStore | CallAnalytics, unknown>,
  target: CallsTarget,
  importOptions: Pick<ImportCallsSettings, "batchSize" | "bulk">,
  close: () => Promise<void> = async () => {}
): CallsSession => ({
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
      ...importOptions
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
  close: async () => {
    await runtime.dispose()
    await close()
  }
})
