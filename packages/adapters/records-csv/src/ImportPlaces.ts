/**
 * Importing the places registry (parcels, business licenses) from CSV: each
 * row's address, land use, units or rooms, rooms let as homes (long-term
 * tenancies), parcel number, coordinates and
 * districts become a `Place` upserted by address key. Bad rows are
 * quarantined as for calls; an address the registry never receives keeps an
 * unknown land use, which the nuisance rules treat as residential.
 *
 * @module
 */
import {
  CallStore,
  type Coordinates,
  type Districts,
  districtsAt,
  type ImportAlreadyRunning,
  type InvalidStoreRequest,
  type Jurisdiction,
  keyProblem,
  type LandUse,
  type LongTermTenancies,
  MAX_KEY_BYTES,
  normalizeAddress,
  type Place,
  type StorageFailure
} from "@community-policing/core"
import type { Readable } from "node:stream"
import { Effect, Option, Result } from "effect"
import type { CsvSourceError, UnsupportedEncoding } from "./CsvReader.ts"
import { InvalidMapping, type LandUseValue, type PlacesMapping, validatePlacesMapping } from "./CsvMapping.ts"
import { checkIdentifiers, importIdOf } from "./ImportCalls.ts"
import { HeaderMismatch, type ImportProgressUpdate, type PlacesImportReport } from "./ImportReport.ts"
import { cell, coordinateColumnNames, makeCoordinateReader, makeMappedColumnsText, resolveColumns } from "./internal/Columns.ts"
import { fileFacts } from "./internal/FileFacts.ts"
import { type Committed, type RowReader, runImport } from "./internal/ImportRun.ts"
import { areaIdReason, labelColumns, mayBeUnportable, unportableCells, withinBytes } from "./internal/PortableCells.ts"

/** What to import; as for calls, a stream needs an `importId`. */
export type ImportPlacesOptions =
  & {
    readonly tenantId: string
    readonly mapping: PlacesMapping
    /** When given, districts a row lacks are filled from its boundaries and the row's coordinates. */
    readonly jurisdiction?: Jurisdiction | undefined
    /** Rows per batch; 2,000 by default. */
    readonly batchSize?: number | undefined
    readonly onProgress?: ((progress: ImportProgressUpdate) => void) | undefined
    readonly progressIntervalMillis?: number | undefined
    /** Whether a quarantined row keeps its whole line rather than its mapped columns; see `ImportCallsSettings.keepRawLines`. */
    readonly keepRawLines?: boolean | undefined
    /** The longest record read, in characters (4 MiB by default); see `ImportCallsSettings.maxRecordLength`. */
    readonly maxRecordLength?: number | undefined
  }
  & (
    | { readonly file: string; readonly importId?: string | undefined }
    | { readonly file: Readable; readonly importId: string }
  )

const nonResidentialKinds = new Set<LandUseValue>([
  "bar",
  "motel-hotel",
  "store",
  "restaurant",
  "vacant-lot",
  "office",
  "industrial",
  "other"
])

const landUseOf = (value: LandUseValue, units: number | undefined, tenancies: LongTermTenancies | undefined): LandUse => {
  if (value === "residential") return units === undefined ? { _tag: "residential" } : { _tag: "residential", units }
  if (value === "unknown") return { _tag: "unknown" }
  const kind = (nonResidentialKinds.has(value) ? value : "other") as Exclude<LandUseValue, "residential" | "unknown">
  return {
    _tag: "non-residential",
    kind,
    ...(units === undefined ? {} : { rooms: units }),
    ...(tenancies === undefined ? {} : { longTermTenancies: tenancies })
  }
}

const wholeNumber = /^\d+$/

const prepareReader = (
  mapping: PlacesMapping,
  jurisdiction: Jurisdiction | undefined,
  header: ReadonlyArray<string>,
  replayed: { count: number }
): Result.Result<RowReader<Place>, HeaderMismatch | InvalidMapping> => {
  const fields = mapping.fields
  const columns = [
    fields.address,
    fields.parcelNumber,
    fields.landUse.column,
    fields.units,
    fields.longTermTenancies,
    ...coordinateColumnNames(fields.coordinates),
    fields.beat,
    fields.policeDistrict,
    fields.councilDistrict,
    fields.neighborhood
  ].filter((column): column is string => column !== undefined)
  const resolved = resolveColumns(header, columns)
  if (Result.isFailure(resolved)) {
    return Result.fail(new HeaderMismatch({ source: mapping.source, ...resolved.failure, header: header.map((name) => name.trim()) }))
  }
  const positions = resolved.success
  const at = (column: string | undefined) => (column === undefined ? undefined : positions.get(column))
  const coordinates = makeCoordinateReader(fields.coordinates, positions)
  if (Result.isFailure(coordinates)) {
    return Result.fail(
      new InvalidMapping({ source: mapping.source, problems: [{ path: ["fields", "coordinates"], message: coordinates.failure }] })
    )
  }
  const readCoordinates = coordinates.success
  const landUseValues = new Map(Object.entries(fields.landUse.values ?? {}))
  const indexes = {
    address: at(fields.address),
    parcel: at(fields.parcelNumber),
    landUse: at(fields.landUse.column),
    units: at(fields.units),
    tenancies: at(fields.longTermTenancies),
    beat: at(fields.beat),
    police: at(fields.policeDistrict),
    council: at(fields.councilDistrict),
    neighborhood: at(fields.neighborhood)
  }

  const labelled = labelColumns([
    ["address", fields.address],
    ["parcelNumber", fields.parcelNumber],
    ["landUse", fields.landUse.column],
    ["units", fields.units],
    ["longTermTenancies", fields.longTermTenancies],
    ...coordinateColumnNames(fields.coordinates).map((column) => ["coordinates", column] as const),
    ["beat", fields.beat],
    ["policeDistrict", fields.policeDistrict],
    ["councilDistrict", fields.councilDistrict],
    ["neighborhood", fields.neighborhood]
  ], positions)

  const read = (row: ReadonlyArray<string>, _rowNumber: number, raw: string): Result.Result<Place, string> => {
    // As for calls: text no store can keep quarantines the row for that alone.
    if (mayBeUnportable(raw)) {
      const why = unportableCells(labelled, row)
      if (why !== undefined) return Result.fail(why)
    }
    const problems: Array<string> = []
    let addressKey: string | undefined
    const addressText = cell(row, indexes.address)
    if (addressText === undefined) {
      problems.push(`address: ${fields.address} is blank`)
    } else if (addressText.length > 16 * MAX_KEY_BYTES) {
      problems.push(
        `address: ${fields.address} is ${addressText.length} characters long, too long for an address key of at most ${MAX_KEY_BYTES} bytes`
      )
    } else {
      const address = normalizeAddress(addressText)
      const tooLong = Result.isSuccess(address) && !withinBytes(address.success.key, MAX_KEY_BYTES) ? keyProblem(address.success.key) : undefined
      if (tooLong !== undefined) problems.push(`address: ${fields.address} normalizes to a key that ${tooLong}`)
      else if (Result.isSuccess(address)) addressKey = address.success.key
      else problems.push(`address: ${address.failure.message}`)
    }

    let landUse: LandUseValue | undefined
    const landUseText = cell(row, indexes.landUse)
    if (landUseText === undefined) {
      landUse = fields.landUse.default
      if (landUse === undefined) problems.push(`landUse: ${fields.landUse.column} is blank and the mapping has no default`)
    } else {
      landUse = landUseValues.get(landUseText) ?? fields.landUse.default
      if (landUse === undefined) problems.push(`landUse: "${landUseText}" is not in the mapping's value map and there is no default`)
    }

    let units: number | undefined
    const unitsText = cell(row, indexes.units)
    if (unitsText !== undefined) {
      if (!wholeNumber.test(unitsText)) problems.push(`units: "${unitsText}" is not a whole number`)
      // Zero units or rooms is a place with none to count per: the same as not knowing.
      else if (Number(unitsText) > 0) units = Number(unitsText)
    }

    // Rooms let as homes make a motel a residence for the calls-for-service rules (Gov. Code 53165.1).
    let tenancies: LongTermTenancies | undefined
    const tenanciesText = cell(row, indexes.tenancies)
    if (tenanciesText !== undefined) {
      if (tenanciesText.toLowerCase() === "unknown") tenancies = { rooms: "unknown" }
      else if (!wholeNumber.test(tenanciesText)) problems.push(`longTermTenancies: "${tenanciesText}" is not a whole number or unknown`)
      else if (Number(tenanciesText) > 0) tenancies = { rooms: Number(tenanciesText) }
    }

    const point = readCoordinates(row)
    if (Result.isFailure(point)) problems.push(point.failure)

    for (
      const [field, column, index] of [
        ["beat", fields.beat, indexes.beat],
        ["policeDistrict", fields.policeDistrict, indexes.police],
        ["councilDistrict", fields.councilDistrict, indexes.council],
        ["neighborhood", fields.neighborhood, indexes.neighborhood]
      ] as const
    ) {
      const why = areaIdReason(field, column, cell(row, index))
      if (why !== undefined) problems.push(why)
    }

    if (problems.length > 0 || addressKey === undefined || landUse === undefined || Result.isFailure(point)) {
      return Result.fail(problems.join("; "))
    }
    const parcelNumber = cell(row, indexes.parcel)
    const councilDistrict = cell(row, indexes.council)
    const policeDistrict = cell(row, indexes.police)
    const beat = cell(row, indexes.beat)
    const neighborhood = cell(row, indexes.neighborhood)
    const known: Districts = {
      ...(councilDistrict === undefined ? {} : { councilDistrict }),
      ...(policeDistrict === undefined ? {} : { policeDistrict }),
      ...(beat === undefined ? {} : { beat }),
      ...(neighborhood === undefined ? {} : { neighborhood })
    }
    const located: Coordinates | undefined = point.success
    const districts: Districts = jurisdiction === undefined || located === undefined
      ? known
      : { ...districtsAt(jurisdiction, located), ...known }
    return Result.succeed({
      addressKey,
      ...(parcelNumber === undefined ? {} : { parcelNumber }),
      ...(located === undefined ? {} : { coordinates: located }),
      landUse: landUseOf(landUse, units, tenancies),
      districts
    })
  }

  return Result.succeed({
    replay: () => {
      replayed.count += 1
    },
    read,
    kept: makeMappedColumnsText(columns, positions)
  })
}

/**
 * Imports a parcel or business-license CSV into the places registry
 * (`CallStore.upsertPlaces`), mapped by a {@link PlacesMapping}.
 *
 * - A row with a blank or invalid address, a land use value the mapping does
 *   not know, units that are not a whole number, bad coordinates, the wrong
 *   number of fields, or a value no store can keep (a NUL or lone surrogate
 *   in a mapped column, an address key over `MAX_KEY_BYTES`, an area id
 *   over 256 bytes: as for calls) is quarantined (listed by `CallStore.quarantined` under
 *   the import id), and the import goes on.
 * - Places are upserted by address key: a later row, or a later import, for
 *   the same address replaces the place. Calls imported earlier keep the
 *   place they were stored with.
 * - Resumable like a calls import: progress and quarantined rows are
 *   committed with `commitImportBatch` (with no calls) after each batch's
 *   upsert, which is idempotent, so a batch repeated after a crash writes the
 *   same places again. Each batch states the progress it continues from:
 *   a second process importing the same file at once fails with
 *   `ImportAlreadyRunning` (its places upserts, the same as the winner's,
 *   are harmless); run it again once the other is done.
 */
export const importPlaces = (
  options: ImportPlacesOptions
): Effect.Effect<
  PlacesImportReport,
  CsvSourceError | UnsupportedEncoding | HeaderMismatch | InvalidMapping | ImportAlreadyRunning | InvalidStoreRequest | StorageFailure,
  CallStore
> =>
  Effect.gen(function*() {
    const mapping = yield* Effect.fromResult(validatePlacesMapping(options.mapping))
    const store = yield* CallStore
    const facts = yield* fileFacts(options.file, options.importId === undefined)
    const importId = options.importId ?? importIdOf(mapping.source, facts.sha256 ?? "")
    yield* checkIdentifiers("importPlaces", options.tenantId, importId)
    const previous = yield* store.importProgress(options.tenantId, importId)
    const start: Committed = Option.match(previous, {
      onNone: () => ({ throughRow: 0, imported: 0, duplicates: 0, quarantined: 0 }),
      onSome: (progress) => progress
    })
    // The store counts no places, so rows an earlier run committed are
    // counted while they are skipped: the report covers the whole file.
    const replayed = { count: 0 }
    // As for calls: each batch states the progress it continues from.
    let committedThrough = start.throughRow
    const totals = yield* runImport({
      source: options.file,
      importId,
      delimiter: mapping.delimiter,
      batchSize: Math.max(1, Math.floor(options.batchSize ?? 2_000)),
      start,
      totalBytes: facts.size,
      onProgress: options.onProgress,
      progressIntervalMillis: options.progressIntervalMillis ?? 250,
      keepRawLines: options.keepRawLines ?? false,
      maxRecordLength: options.maxRecordLength,
      prepare: (header) => prepareReader(mapping, options.jurisdiction, header, replayed),
      commit: (batch) =>
        Effect.gen(function*() {
          // The port takes each address once per request; the file's later row wins, as a later batch's would.
          const latest = new Map<string, Place>()
          for (const place of batch.values) {
            latest.delete(place.addressKey)
            latest.set(place.addressKey, place)
          }
          yield* store.upsertPlaces(options.tenantId, Array.from(latest.values()))
          yield* store.commitImportBatch(options.tenantId, {
            importId,
            afterRow: committedThrough,
            throughRow: batch.throughRow,
            calls: [],
            quarantined: batch.quarantined
          })
          committedThrough = batch.throughRow
          return { imported: batch.values.length, duplicates: 0 }
        })
    })
    const upserted = totals.imported + replayed.count - start.quarantined
    return {
      importId,
      read: upserted + totals.quarantined,
      upserted,
      quarantined: totals.quarantined,
      resumedAfterRow: start.throughRow
    }
  })
