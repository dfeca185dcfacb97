/**
 * Step 1 of the demo: a Sacramento-like year of calls and a places registry
 * from the seeded generator, imported into the calls-for-service store with
 * a progress bar. Places go first, so every call is stored with the land use
 * its address has.
 *
 * @module
 */
import { Effect } from "effect"
import { type CallStore, type Jurisdiction, sacramentoCad } from "@community-policing/core"
import {
  type GeneratedSacramentoCad,
  generatedPlacesMapping,
  generateSacramentoCad,
  type ImportProgressUpdate,
  type ImportReport,
  importCalls,
  importPlaces,
  type PlacesImportReport,
  sacramentoCadMappingWithVictimColumn
} from "@community-policing/records-csv"
import { join } from "node:path"
import { type ProgressOutput, progressBar } from "./ProgressBar.ts"

/** What the import step produces. */
export interface ImportedYear {
  /** The generated calls file (the city's CAD export layout). */
  readonly callsFile: string
  /** The generated places registry file. */
  readonly placesFile: string
  readonly generated: GeneratedSacramentoCad
  readonly places: PlacesImportReport
  readonly calls: ImportReport
}

/** The generated year: the seed and size are the demo's, the days a calendar year. */
export interface YearOptions {
  readonly tenantId: string
  readonly jurisdiction: Jurisdiction
  readonly seed: number
  readonly calls: number
  readonly from: string
  readonly to: string
  /** Where the CSV files are written. */
  readonly folder: string
  readonly output: ProgressOutput
}

const thousands = (value: number) => Math.round(value).toLocaleString("en-US")

const onProgress = (label: string, output: ProgressOutput) => {
  const bar = progressBar(label, output)
  return {
    report: (progress: ImportProgressUpdate) =>
      bar.update(progress.bytes, progress.totalBytes ?? progress.bytes, `${thousands(progress.rowsPerSecond)} rows/s`),
    finish: bar.finish
  }
}

/** Generates the year's calls and places, then imports both. */
export const importYear = (options: YearOptions): Effect.Effect<ImportedYear, unknown, CallStore> =>
  Effect.gen(function*() {
    const callsFile = join(options.folder, `calls-${options.from}-${options.to}-seed${options.seed}-victim-column.csv`)
    const placesFile = join(options.folder, `places-seed${options.seed}.csv`)
    const started = Date.now()
    const generated = yield* generateSacramentoCad({
      seed: options.seed,
      calls: options.calls,
      from: options.from,
      to: options.to,
      callsFile,
      placesFile,
      // Sacramento's layout has no victim column; without one, no disorder
      // call could count (Gov. Code 53165: where the record cannot show the
      // caller was not the victim, the call does not count). The demo's
      // export records it, as a city's must for its ordinance to apply.
      victimColumn: true
    })
    options.output.write(
      `generated ${thousands(generated.calls)} calls for ${options.from} to ${options.to} and ${thousands(generated.places)} places ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
    )

    const placesProgress = onProgress("importing places", options.output)
    const places = yield* importPlaces({
      tenantId: options.tenantId,
      mapping: generatedPlacesMapping,
      jurisdiction: options.jurisdiction,
      file: placesFile,
      onProgress: placesProgress.report
    })
    placesProgress.finish(
      `${thousands(places.upserted)} places, ${places.quarantined} quarantined${places.resumedAfterRow > 0 ? " (imported by an earlier run)" : ""}`
    )

    const callsProgress = onProgress("importing calls ", options.output)
    const calls = yield* importCalls({
      tenantId: options.tenantId,
      jurisdiction: options.jurisdiction,
      mapping: sacramentoCadMappingWithVictimColumn,
      codeTables: [sacramentoCad],
      file: callsFile,
      batchSize: 10_000,
      onProgress: callsProgress.report
    })
    // A file an earlier run imported resumes after its last committed row: the totals are that run's.
    const resumed = calls.resumedAfterRow > 0 ? ` (resumed after row ${thousands(calls.resumedAfterRow)}: imported by an earlier run)` : ""
    callsProgress.finish(
      `${thousands(calls.imported)} imported${resumed}, ${thousands(calls.duplicates)} already there, ${thousands(calls.quarantined)} quarantined; ` +
        `${thousands(generated.blankedAddresses)} written with a blank victim address, imported at no place (counted in their beats, never for a place)`
    )
    return { callsFile, placesFile, generated, places, calls }
  })
