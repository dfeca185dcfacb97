/** Running imports against fresh memory stores, and reading back what they hold. */
import { type InspectableMemoryStore, MemoryStore } from "@community-policing/adapter-memory"
import { CallAnalytics, CallStore, sacramento, sacramentoCrimeReports2006 } from "@community-policing/core"
import { importCalls, type ImportCallsOptions, importPlaces, type ImportPlacesOptions, sacramentoCrimeReports2006Mapping } from "@community-policing/records-csv"
import { Effect } from "effect"
import type { Readable } from "node:stream"
import { sacramentoReportsFile, tenantId } from "./paths.ts"

/** A fresh memory store with its inspector. */
export const freshStore = (): Promise<InspectableMemoryStore> => Effect.runPromise(MemoryStore.makeWithInspector())

/** Runs an effect needing the store's ports. */
export const withStore = <A, E>(store: InspectableMemoryStore, effect: Effect.Effect<A, E, CallStore | CallAnalytics>) =>
  Effect.runPromise(
    effect.pipe(Effect.provideService(CallStore, store.callStore), Effect.provideService(CallAnalytics, store.callAnalytics))
  )

/** Imports calls into the store. */
export const importInto = (store: InspectableMemoryStore, options: ImportCallsOptions) => withStore(store, importCalls(options))

/** Imports places into the store. */
export const importPlacesInto = (store: InspectableMemoryStore, options: ImportPlacesOptions) =>
  withStore(store, importPlaces(options))

/** The options that import the real 2006 reports (from the file in place, or from a stream made of it). */
export const sacramentoReports = (
  file: string | Readable = sacramentoReportsFile,
  extra: Partial<ImportCallsOptions> = {}
): ImportCallsOptions =>
  ({
    tenantId,
    jurisdiction: sacramento,
    mapping: sacramentoCrimeReports2006Mapping,
    codeTables: [sacramentoCrimeReports2006],
    file,
    ...extra
  }) as ImportCallsOptions

/** Everything the store holds for the tenant. */
export const snapshot = (store: InspectableMemoryStore) => Effect.runPromise(store.inspector.snapshot(tenantId))
