/**
 * Importing calls for service from a CSV export into the `CallStore`: read
 * as a stream, mapped by a {@link CsvMapping}, classified by code tables,
 * deduplicated, committed in batches that make a rerun resume where the last
 * run stopped. A bad row never stops an import: it is quarantined with its
 * row number, text and reason.
 *
 * @module
 */
import {
  CallStore,
  type CodeTable,
  type Coordinates,
  type Districts,
  districtsAt,
  type ImportAlreadyRunning,
  InvalidStoreRequest,
  type Jurisdiction,
  namedKeyProblem,
  type Place,
  type StorageFailure,
  type StoredCall,
  tenantIdRefusal
} from "@community-policing/core"
import type { Readable } from "node:stream"
import { Effect, Option, Result } from "effect"
import type { CsvSourceError, UnsupportedEncoding } from "./CsvReader.ts"
import { type CsvMapping, InvalidMapping, receivedAtLayout, validateCsvMapping } from "./CsvMapping.ts"
import type { HeaderMismatch, ImportProgressUpdate, ImportReport } from "./ImportReport.ts"
import { type CallRowReader, makeCallRowReader, type MappedCall } from "./internal/CallRowReader.ts"
import { coordinateColumnNames } from "./internal/Columns.ts"
import { fileFacts } from "./internal/FileFacts.ts"
import { type Committed, runImport } from "./internal/ImportRun.ts"

/** What every calls import needs besides its source; see {@link ImportCallsOptions}. */
export interface ImportCallsSettings {
  /** The tenant (city or agency) the calls belong to. */
  readonly tenantId: string
  /** The city's configuration: its time zone gives each call's service day; its boundaries fill districts from coordinates. */
  readonly jurisdiction: Jurisdiction
  readonly mapping: CsvMapping
  /** The code tables available; the mapping's `codeTables` ids pick which classify the calls, in that order. */
  readonly codeTables: ReadonlyArray<CodeTable>
  /**
   * Rows per committed batch; 5,000 by default. A killed import loses at
   * most one batch of work. Larger batches commit less often but hold more
   * rows in memory (roughly 15 KB per row of a batch, garbage included).
   */
  readonly batchSize?: number | undefined
  /**
   * Whether the import runs as a bulk import (`CallStore.beginBulkImport`
   * before the first batch, `finishBulkImport` after the last): the store
   * may defer work until the end (SQLite builds its calls-by-address index
   * once, after the load, instead of row by row) and ends exactly as a
   * batch-by-batch import would. Worth it for a large file, a loss for a
   * small one into a large database (SQLite rebuilds the index over every
   * stored call at the end). `"auto"` (the default) runs a file of at least
   * {@link bulkImportMinBytes} (32 MiB, about 140,000 calls in Sacramento's
   * layout: years of history) as a bulk import, and a smaller file (a daily
   * or monthly export) or a stream batch by batch. If the import fails, the
   * bulk import is still finished; if the process is killed, running the
   * import again resumes it and finishes it.
   */
  readonly bulk?: boolean | "auto" | undefined
  /** Called with the import's progress; see {@link ImportProgressUpdate}. */
  readonly onProgress?: ((progress: ImportProgressUpdate) => void) | undefined
  /** The least time between two progress reports; 250 ms by default. */
  readonly progressIntervalMillis?: number | undefined
  /**
   * Whether a quarantined row keeps its whole line. By default (`false`) it
   * keeps only the columns the mapping reads, as `column: "value"` pairs:
   * exports carry callers' and victims' names and phone numbers in columns
   * the import never reads, and a quarantine should not become a second
   * copy of them. A row that does not split into the header's columns (an
   * unreadable record, the wrong number of fields) then keeps no text: find
   * it in the file by its row number. Either way the text is confidential
   * (`QuarantinedRow.raw`): redacted views never show it.
   */
  readonly keepRawLines?: boolean | undefined
  /**
   * The longest record read, in characters: 4 MiB by default. A longer
   * record (a stray quote runs a field on over the following lines until the
   * next quote, or the end of the file) is quarantined with its row number,
   * and reading resumes on the line after the record's first line, so the
   * rows it swallowed are imported. Memory stays within this limit.
   */
  readonly maxRecordLength?: number | undefined
}

/**
 * What to import and where from. A file is identified by its content (the
 * import id is `<source>:<sha256>`), so rerunning it resumes; a stream
 * cannot be read twice or hashed up front, so it needs an `importId`.
 */
export type ImportCallsOptions =
  & ImportCallsSettings
  & (
    | { readonly file: string; readonly importId?: string | undefined }
    | { readonly file: Readable; readonly importId: string }
  )

/** The columns a calls mapping reads, each once, in a fixed order (the content hash depends on it). */
export const mappedColumns = (mapping: CsvMapping): ReadonlyArray<string> => {
  const fields = mapping.fields
  const columns = [
    fields.sourceRecordId,
    ...receivedAtLayout(fields.receivedAt).columns,
    fields.channel.column,
    fields.callTypeCode,
    fields.description,
    fields.priority,
    fields.disposition,
    fields.address,
    fields.beat,
    fields.policeDistrict,
    fields.councilDistrict,
    fields.neighborhood,
    ...coordinateColumnNames(fields.coordinates),
    fields.ucrNcic,
    fields.nibrs,
    fields.callerIsVictim?.column
  ]
  return Array.from(new Set(columns.filter((column): column is string => column !== undefined)))
}

/**
 * The districts a call lies in: the row's, over the registry's, over those
 * of the jurisdiction's boundaries that contain its coordinates.
 */
const districtsOf = (
  mapped: MappedCall,
  registered: Place | undefined,
  coordinates: Coordinates | undefined,
  jurisdiction: Jurisdiction
): Districts => {
  const row = mapped.rowDistricts
  const listed = registered?.districts
  const known: { -readonly [K in keyof Districts]: Districts[K] } = {}
  // The row's districts win over the registry's; both over the boundaries'.
  const councilDistrict = row.councilDistrict ?? listed?.councilDistrict
  const policeDistrict = row.policeDistrict ?? listed?.policeDistrict
  const beat = row.beat ?? listed?.beat
  const neighborhood = row.neighborhood ?? listed?.neighborhood
  const found = coordinates === undefined ||
      (councilDistrict !== undefined && policeDistrict !== undefined && beat !== undefined && neighborhood !== undefined)
    ? undefined
    : districtsAt(jurisdiction, coordinates)
  const council = councilDistrict ?? found?.councilDistrict
  if (council !== undefined) known.councilDistrict = council
  const police = policeDistrict ?? found?.policeDistrict
  if (police !== undefined) known.policeDistrict = police
  const beatId = beat ?? found?.beat
  if (beatId !== undefined) known.beat = beatId
  const area = neighborhood ?? found?.neighborhood
  if (area !== undefined) known.neighborhood = area
  return known
}

/**
 * The place a call is at: the registry's entry (its land use, parcel) with
 * the row's districts and coordinates over it, districts the row lacks filled
 * from the jurisdiction's boundaries. No place when neither the registry nor
 * the row says anything about the address.
 */
const placeOf = (
  mapped: MappedCall,
  addressKey: string,
  registered: Place | undefined,
  jurisdiction: Jurisdiction
): Place | undefined => {
  const coordinates = mapped.coordinates ?? registered?.coordinates
  const known = districtsOf(mapped, registered, coordinates, jurisdiction)
  if (
    registered === undefined && coordinates === undefined && known.councilDistrict === undefined &&
    known.policeDistrict === undefined && known.beat === undefined && known.neighborhood === undefined
  ) return undefined
  const place: { -readonly [K in keyof Place]: Place[K] } = {
    addressKey,
    landUse: registered?.landUse ?? { _tag: "unknown" },
    districts: known
  }
  if (registered?.parcelNumber !== undefined) place.parcelNumber = registered.parcelNumber
  if (coordinates !== undefined) place.coordinates = coordinates
  return place
}

// Measured with scripts/profile-import.ts at 500,000 calls into SQLite:
// 10,000-row batches were up to a fifth faster than 5,000 but needed about
// 80 MB more resident memory (300 MB against 220 MB).
const defaultBatchSize = 5_000

// Addresses whose registry entry this run has read, and what it was. Cleared
// when full, so memory stays flat on exports with millions of addresses.
const registryCacheLimit = 100_000

/**
 * The smallest file `importCalls` runs as a bulk import when its `bulk`
 * option is `"auto"` (the default): 32 MiB.
 */
export const bulkImportMinBytes = 32 * 1024 * 1024

/**
 * The import id of a file for a source: `<source>:<sha256 of the file>`. The
 * same file gives the same id, so importing it again resumes (or, when it
 * finished, adds nothing); a new export, even overlapping, is a new import.
 */
export const importIdOf = (source: string, sha256Hex: string): string => `${source}:${sha256Hex}`

/**
 * Refuses, before anything is read or written, a tenant id or import id that
 * no store can key by (core's `StoreLimits`): every batch would fail.
 */
export const checkIdentifiers = (operation: string, tenantId: string, importId: string): Effect.Effect<void, InvalidStoreRequest> => {
  const refused = tenantIdRefusal(operation, tenantId)
  if (refused !== undefined) return Effect.fail(refused)
  const id = namedKeyProblem("importId", importId)
  return id === undefined ? Effect.void : Effect.fail(new InvalidStoreRequest({ operation, reason: id }))
}

const pickTables = (mapping: CsvMapping, available: ReadonlyArray<CodeTable>): Result.Result<ReadonlyArray<CodeTable>, InvalidMapping> => {
  const picked: Array<CodeTable> = []
  const problems: Array<{ path: Array<string | number>; message: string }> = []
  mapping.codeTables.forEach((id, index) => {
    const table = available.find((candidate) => candidate.id === id)
    if (table === undefined) {
      problems.push({
        path: ["codeTables", index],
        message: `code table "${id}" was not given to the import (given: ${available.map((t) => t.id).join(", ") || "none"})`
      })
    } else {
      picked.push(table)
    }
  })
  const [first, ...rest] = problems
  return first === undefined ? Result.succeed(picked) : Result.fail(new InvalidMapping({ source: mapping.source, problems: [first, ...rest] }))
}

/**
 * Imports calls for service from a CSV export into the `CallStore`.
 *
 * - **Nothing lost, nothing invented.** A row with the wrong number of
 *   fields, an unreadable or impossible date, a blank required field
 *   (received time, call type), an address that does not normalize,
 *   a channel value the mapping does not know, or bad coordinates is
 *   quarantined with its row number, its text and every reason; the import
 *   goes on. Values are trimmed, never repaired.
 * - **Calls without an address kept.** A blank address (often withheld to
 *   protect a victim), or an export without an address column, is no reason
 *   to lose a call: it is imported at no place (`UnaddressedLocation`, with
 *   the districts of its row or of its coordinates, which are not kept),
 *   counted in every total and by area, category and channel, never by
 *   address or toward a place's nuisance count.
 * - **Deduplicated.** Each call's key is `id:<source>:<record id>`, or,
 *   without a record id column, `hash:<sha256>` of the mapped columns
 *   (identical rows in one file are numbered, so they stay distinct calls).
 *   A key already stored counts as a duplicate: importing a file twice, or an
 *   export overlapping an earlier one, adds nothing twice.
 * - **Conflicts kept.** A record id that comes again in the file with other
 *   content in its mapped columns is quarantined as a conflict (reason
 *   `conflict: record id "…" came first at row N …`), not counted as a
 *   duplicate: the first version is the one stored, and the later one is
 *   kept for review. (Against calls stored by an earlier import a repeated
 *   id is still a duplicate: the store cannot be asked for a call by key.)
 * - **Counts that can show a loss.** `read` and `skipped` are counted from
 *   the file; `unaccounted` is what the committed totals miss of them.
 * - **Safe values.** Values no store can keep (NUL, lone surrogates, keys
 *   over `MAX_KEY_BYTES`) are quarantined the same for every store; a
 *   record longer than `maxRecordLength` (4 MiB) is quarantined and reading
 *   resumes on its next line.
 * - **Resumable.** Batches of `batchSize` rows are committed with the
 *   import's progress; run again, an import starts after the last committed
 *   row, and a run killed midway then resumed ends as one clean run.
 * - **Classified.** Each call's categories come from the mapping's code
 *   tables; the protected flags follow from them (and from a victim column).
 *   Its service day is its local date in the jurisdiction's zone.
 * - **Placed.** Each call's place takes the registry's land use and parcel
 *   (`CallStore.place`), read once per address per run: import the places
 *   registry first.
 * - **Fast, in constant memory.** Rows are read by a hand-written parser
 *   and mapped in plain loops with bounded caches; 5,000-row batches keep
 *   the memory flat whatever the file's size (scripts/profile-import.ts
 *   measures it). A large file runs as a bulk import (the `bulk` option).
 *
 * Fails only when nothing can be imported correctly: the file cannot be read
 * ({@link CsvSourceError}) or is in an encoding the reader does not read
 * ({@link UnsupportedEncoding}), the header lacks the mapping's columns
 * ({@link HeaderMismatch}), the mapping is invalid or names a code table not
 * given ({@link InvalidMapping}), the tenant id or import id cannot be a key
 * (`InvalidStoreRequest`), another process is importing the same file into
 * the same tenant (`ImportAlreadyRunning`, with the progress it found; run
 * again once it is done to resume), or the store fails.
 *
 * @example
 * ```ts
 * import { sacramento, sacramentoCad } from "@community-policing/core"
 * import { importCalls, sacramentoCadMapping } from "@community-policing/records-csv"
 *
 * const report = yield* importCalls({
 *   tenantId: "sacramento",
 *   jurisdiction: sacramento,
 *   mapping: sacramentoCadMapping,
 *   codeTables: [sacramentoCad],
 *   file: "/data/calls-2024.csv",
 *   onProgress: (p) => bar.update(p.bytes / (p.totalBytes ?? p.bytes))
 * })
 * // report: { importId, read: 412_000, skipped: 0, imported: 411_940, duplicates: 0, quarantined: 60,
 * //           conflicts: 10, unaccounted: 0, resumedAfterRow: 0 }
 * ```
 */
export const importCalls = (
  options: ImportCallsOptions
): Effect.Effect<
  ImportReport,
  CsvSourceError | UnsupportedEncoding | HeaderMismatch | InvalidMapping | ImportAlreadyRunning | InvalidStoreRequest | StorageFailure,
  CallStore
> =>
  Effect.gen(function*() {
    const mapping = yield* Effect.fromResult(validateCsvMapping(options.mapping))
    const tables = yield* Effect.fromResult(pickTables(mapping, options.codeTables))
    const store = yield* CallStore
    const facts = yield* fileFacts(options.file, options.importId === undefined)
    const importId = options.importId ?? importIdOf(mapping.source, facts.sha256 ?? "")
    yield* checkIdentifiers("importCalls", options.tenantId, importId)
    const previous = yield* store.importProgress(options.tenantId, importId)
    const start: Committed = Option.match(previous, {
      onNone: () => ({ throughRow: 0, imported: 0, duplicates: 0, quarantined: 0 }),
      onSome: (progress) => progress
    })
    const columns = mappedColumns(mapping)
    // Read once per address per run: a registry imported before the calls
    // (as it should be) is seen whole; a place added while this import runs
    // reaches only the addresses this run has not met yet.
    const registry = new Map<string, Place | null>()
    let reader: CallRowReader | undefined
    // Each batch states the progress it continues from, so a second process importing the file meanwhile is an ImportAlreadyRunning.
    let committedThrough = start.throughRow
    const bulkOption = options.bulk ?? "auto"
    const bulk = bulkOption === "auto"
      ? typeof options.file === "string" && facts.size !== undefined && facts.size >= bulkImportMinBytes
      : bulkOption
    if (bulk) yield* store.beginBulkImport(options.tenantId, importId)
    const run = runImport({
      source: options.file,
      importId,
      delimiter: mapping.delimiter,
      batchSize: Math.max(1, Math.floor(options.batchSize ?? defaultBatchSize)),
      start,
      totalBytes: facts.size,
      onProgress: options.onProgress,
      progressIntervalMillis: options.progressIntervalMillis ?? 250,
      keepRawLines: options.keepRawLines ?? false,
      maxRecordLength: options.maxRecordLength,
      prepare: (header) => {
        const prepared = makeCallRowReader({ mapping, jurisdiction: options.jurisdiction, tables, columns }, header)
        if (Result.isSuccess(prepared)) reader = prepared.success
        return prepared
      },
      commit: (batch) =>
        Effect.gen(function*() {
          if (registry.size >= registryCacheLimit) registry.clear()
          // One lookup per call: `undefined` is an address not read yet, `null` one the registry lacks.
          for (const mapped of batch.values) {
            if (mapped.addressKey === undefined || registry.get(mapped.addressKey) !== undefined) continue
            const registered = yield* store.place(options.tenantId, mapped.addressKey)
            registry.set(mapped.addressKey, Option.isSome(registered) ? registered.value : null)
          }
          const calls = new Array<StoredCall>(batch.values.length)
          for (let index = 0; index < batch.values.length; index++) {
            const mapped = batch.values[index]!
            const addressKey = mapped.addressKey
            if (addressKey === undefined) {
              // At no place: only its areas, from the row or its coordinates (which are not kept).
              const location = mapped.call.location
              if (!("addressKey" in location)) {
                mapped.call.location = {
                  addressUnknown: location.addressUnknown,
                  districts: districtsOf(mapped, undefined, mapped.coordinates, options.jurisdiction)
                }
              }
            } else {
              const place = placeOf(mapped, addressKey, registry.get(addressKey) ?? undefined, options.jurisdiction)
              if (place !== undefined) mapped.call.location = { addressKey, place }
            }
            calls[index] = {
              call: mapped.call,
              dedupeKey: mapped.dedupeKey,
              serviceDay: mapped.serviceDay,
              categories: mapped.categories,
              source: mapping.source
            }
          }
          const result = yield* store.commitImportBatch(options.tenantId, {
            importId,
            afterRow: committedThrough,
            throughRow: batch.throughRow,
            calls,
            quarantined: batch.quarantined
          })
          committedThrough = batch.throughRow
          return result
        })
    })
    // A failed bulk import is finished all the same, so the store is left as fast to read as ever.
    const totals = yield* (bulk ? Effect.onError(run, () => Effect.ignore(store.finishBulkImport(options.tenantId, importId))) : run)
    if (bulk) yield* store.finishBulkImport(options.tenantId, importId)
    return {
      importId,
      read: totals.read,
      skipped: totals.skipped,
      imported: totals.imported,
      duplicates: totals.duplicates,
      quarantined: totals.quarantined,
      conflicts: reader?.conflicts() ?? 0,
      unaccounted: totals.read - (totals.imported + totals.duplicates + totals.quarantined),
      resumedAfterRow: start.throughRow
    }
  })
