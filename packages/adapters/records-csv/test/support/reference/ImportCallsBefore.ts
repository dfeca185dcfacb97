/**
 * `importCalls` as it was before issue 4 (csv-parse, per-row mapping with
 * results, one registry read per address per batch), unchanged but for its
 * name and imports and, since issue 12, for calls without an address (a
 * blank address, or no address column, imports the call at no place): the
 * oracle the fast import is held to, call for call and reason for reason.
 * It reads the received time from one column only: the equivalence tests
 * map no export with separate date and time columns.
 */
import {
  type AddressUnknownReason,
  type CallChannel,
  type CallForService,
  CallStore,
  type CategoryMatch,
  classify,
  type ClassifiedFields,
  type CodeTable,
  type Coordinates,
  type Districts,
  districtsAt,
  type ImportAlreadyRunning,
  type InvalidStoreRequest,
  type Jurisdiction,
  normalizeAddress,
  type Place,
  protectedFlags,
  type StorageFailure,
  type StoredCall
} from "@community-policing/core"
import { hash } from "node:crypto"
import { DateTime, Effect, Option, Result } from "effect"
import type { CsvSourceError } from "../../../src/CsvReader.ts"
import { type CsvMapping, InvalidMapping, receivedAtLayout, validateCsvMapping } from "../../../src/CsvMapping.ts"
import { compileDateTimeFormat } from "../../../src/DateTimeFormat.ts"
import { HeaderMismatch, type ImportProgressUpdate, type ImportReport } from "../../../src/ImportReport.ts"

/** The report as it was before issue 9 (no counts from the file, no conflicts). */
type ReportBefore = Omit<ImportReport, "skipped" | "conflicts" | "unaccounted">
import { cell, coordinateColumnNames, makeCoordinateReader, resolveColumns } from "./ColumnsBefore.ts"
import { fileFacts } from "../../../src/internal/FileFacts.ts"
import { type Committed, type RowReader, runImport } from "./ImportRunBefore.ts"
import { RowOccurrences } from "../../../src/internal/RowOccurrences.ts"
import { makeZoneClock } from "../../../src/ZoneClock.ts"
import type { ImportCallsOptions, ImportCallsSettings } from "../../../src/ImportCalls.ts"

/** A call read from a row, before the places registry is consulted. */
interface MappedCall {
  readonly call: Omit<CallForService, "location">
  readonly addressKey: string | undefined
  readonly addressUnknown: AddressUnknownReason
  readonly rowDistricts: Districts
  readonly coordinates: Coordinates | undefined
  readonly dedupeKey: string
  readonly serviceDay: string
  readonly categories: ReadonlyArray<CategoryMatch>
}

// Each cache holds what one distinct text maps to: exports repeat a few
// hundred call types and a heavy tail of addresses millions of times.
const cacheLimit = 50_000

const memo = <A>(compute: (key: string) => A): (key: string) => A => {
  const cache = new Map<string, A>()
  return (key) => {
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const value = compute(key)
    if (cache.size >= cacheLimit) cache.clear()
    cache.set(key, value)
    return value
  }
}

const sha256 = (text: string): Buffer => hash("sha256", text, "buffer")

const normalizeForHash = (value: string | undefined): string => (value === undefined ? "" : value.replace(/\s+/g, " "))

/** The columns a calls mapping reads, each once, in a fixed order (the content hash depends on it). */
const mappedColumns = (mapping: CsvMapping): ReadonlyArray<string> => {
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

const prepareReader = (
  options: ImportCallsSettings,
  tables: ReadonlyArray<CodeTable>,
  header: ReadonlyArray<string>
): Result.Result<RowReader<MappedCall>, HeaderMismatch | InvalidMapping> => {
  const { mapping, jurisdiction } = options
  const fields = mapping.fields
  const columns = mappedColumns(mapping)
  const resolved = resolveColumns(header, columns)
  if (Result.isFailure(resolved)) {
    return Result.fail(
      new HeaderMismatch({ source: mapping.source, ...resolved.failure, header: header.map((name) => name.trim()) })
    )
  }
  const positions = resolved.success
  const at = (column: string | undefined) => (column === undefined ? undefined : positions.get(column))
  const invalid = (path: ReadonlyArray<string>, message: string) =>
    new InvalidMapping({ source: mapping.source, problems: [{ path, message }] })

  const format = compileDateTimeFormat(receivedAtLayout(fields.receivedAt).format)
  if (Result.isFailure(format)) return Result.fail(invalid(["fields", "receivedAt", "format"], format.failure))
  const sourceClock = makeZoneClock(fields.receivedAt.timeZone, fields.receivedAt.repeatedTime ?? "earlier")
  if (sourceClock === undefined) return Result.fail(invalid(["fields", "receivedAt", "timeZone"], "unknown time zone"))
  const localClock = fields.receivedAt.timeZone === jurisdiction.timeZone
    ? sourceClock
    : makeZoneClock(jurisdiction.timeZone, "earlier")
  if (localClock === undefined) return Result.fail(invalid(["jurisdiction", "timeZone"], "unknown time zone"))
  const coordinates = makeCoordinateReader(fields.coordinates, positions)
  if (Result.isFailure(coordinates)) return Result.fail(invalid(["fields", "coordinates"], coordinates.failure))
  const readCoordinates = coordinates.success

  const columnIndexes = columns.map((column) => positions.get(column))
  const idIndex = at(fields.sourceRecordId)
  const receivedIndex = at(receivedAtLayout(fields.receivedAt).columns[0])
  const channelIndex = at(fields.channel.column)
  const typeIndex = at(fields.callTypeCode)
  const descriptionIndex = at(fields.description)
  const priorityIndex = at(fields.priority)
  const dispositionIndex = at(fields.disposition)
  const addressIndex = at(fields.address)
  const beatIndex = at(fields.beat)
  const policeIndex = at(fields.policeDistrict)
  const councilIndex = at(fields.councilDistrict)
  const neighborhoodIndex = at(fields.neighborhood)
  const ucrIndex = at(fields.ucrNcic)
  const nibrsIndex = at(fields.nibrs)
  const victim = fields.callerIsVictim
  const victimIndex = at(victim?.column)
  const victimTrue = new Set((victim?.trueValues ?? []).map((value) => value.trim().toUpperCase()))
  const victimFalse = victim?.falseValues === undefined
    ? undefined
    : new Set(victim.falseValues.map((value) => value.trim().toUpperCase()))

  const channelValues = new Map<string, CallChannel>(Object.entries(fields.channel.values ?? {}))
  const channelDefault = fields.channel.default
  const occurrences = new RowOccurrences()
  const source = mapping.source

  const addressOf = memo((raw: string) => normalizeAddress(raw))
  // Nested by field rather than keyed by one joined string: building that
  // string for every row costs more than the lookups.
  type Level<A> = Map<string | undefined, A>
  const classified: Level<Level<Level<Level<ReadonlyArray<CategoryMatch>>>>> = new Map()
  let classifiedSize = 0
  const level = <A>(parent: Level<Level<A>>, key: string | undefined): Level<A> => {
    const found = parent.get(key)
    if (found !== undefined) return found
    const created: Level<A> = new Map()
    parent.set(key, created)
    return created
  }
  const classifyCached = (fields: ClassifiedFields): ReadonlyArray<CategoryMatch> => {
    if (classifiedSize >= cacheLimit) {
      classified.clear()
      classifiedSize = 0
    }
    const leaf = level(level(level(classified, fields.callTypeCode), fields.description), fields.ucrNcic)
    const cached = leaf.get(fields.nibrs)
    if (cached !== undefined) return cached
    const matches = classify(tables, fields)
    leaf.set(fields.nibrs, matches)
    classifiedSize += 1
    return matches
  }

  // A record id makes the key; without one, the content of the mapped
  // columns does, numbered when an identical row came earlier in the file.
  const dedupeKeyOf = (row: ReadonlyArray<string>): Result.Result<string, string> => {
    if (idIndex !== undefined) {
      const id = cell(row, idIndex)
      return id === undefined ? Result.fail(`sourceRecordId: ${fields.sourceRecordId} is blank`) : Result.succeed(`id:${source}:${id}`)
    }
    const content = JSON.stringify([source, ...columnIndexes.map((index) => normalizeForHash(cell(row, index)))])
    const digest = sha256(content)
    const ordinal = occurrences.next(digest)
    return Result.succeed(`hash:${(ordinal === 1 ? digest : sha256(`${content}\u0000${ordinal}`)).toString("hex")}`)
  }

  const versions = new Map<string, { readonly content: string; readonly rowNumber: number }>()
  const read = (row: ReadonlyArray<string>, rowNumber: number): Result.Result<MappedCall, string> => {
    const problems: Array<string> = []
    const key = dedupeKeyOf(row)
    if (Result.isFailure(key)) problems.push(key.failure)

    let receivedAt: number | undefined
    const receivedText = cell(row, receivedIndex)
    if (receivedText === undefined) {
      problems.push(`receivedAt: ${receivedAtLayout(fields.receivedAt).columns[0]} is blank`)
    } else {
      const utc = Result.flatMap(format.success.parse(receivedText), sourceClock.toUtcMillis)
      if (Result.isSuccess(utc)) receivedAt = utc.success
      else problems.push(`receivedAt: ${utc.failure}`)
    }

    let channel: CallChannel | undefined
    const channelText = cell(row, channelIndex)
    if (channelText === undefined) {
      channel = channelDefault
      if (channel === undefined) problems.push(`channel: ${fields.channel.column} is blank and the mapping has no default`)
    } else {
      channel = channelValues.get(channelText) ?? channelDefault
      if (channel === undefined) problems.push(`channel: "${channelText}" is not in the mapping's value map and there is no default`)
    }

    const callTypeCode = cell(row, typeIndex)
    if (callTypeCode === undefined) problems.push(`callTypeCode: ${fields.callTypeCode} is blank`)

    let addressKey: string | undefined
    const addressText = cell(row, addressIndex)
    if (addressText !== undefined) {
      const address = addressOf(addressText)
      if (Result.isSuccess(address)) addressKey = address.success.key
      else problems.push(`address: ${address.failure.message}`)
    }

    const point = readCoordinates(row)
    if (Result.isFailure(point)) problems.push(point.failure)

    let callerIsVictim = false
    // Issue 10: only an explicit no in the victim column shows the caller was not the victim.
    let callerNotVictim: boolean | undefined
    if (victimIndex !== undefined) {
      // A blank cell reads as "", so a mapping can list "" among its no values.
      const victimText = (cell(row, victimIndex) ?? "").toUpperCase()
      if (victimTrue.has(victimText)) {
        callerIsVictim = true
        callerNotVictim = false
      } else if (victimFalse !== undefined && !victimFalse.has(victimText)) {
        problems.push(`callerIsVictim: "${victimText}" is neither a yes nor a no value of the mapping`)
      } else if (victimText !== "") {
        callerNotVictim = true
      }
    }

    if (
      problems.length > 0 || Result.isFailure(key) || receivedAt === undefined || channel === undefined ||
      callTypeCode === undefined || Result.isFailure(point)
    ) {
      return Result.fail(problems.join("; "))
    }

    // Issue 9: a record id that came earlier with other content in the
    // mapped columns is a conflict, quarantined; only a stored row counts.
    if (idIndex !== undefined) {
      const id = key.success.slice(`id:${source}:`.length)
      const content = JSON.stringify(columnIndexes.map((index) => (index === undefined ? "" : (row[index] ?? "").trim())))
      const first = versions.get(id)
      if (first === undefined) versions.set(id, { content, rowNumber })
      else if (first.content !== content) {
        return Result.fail(
          `conflict: record id ${JSON.stringify(id)} came first at row ${first.rowNumber} with other content in the mapped columns; ` +
            "this version is not stored"
        )
      }
    }

    const description = cell(row, descriptionIndex)
    const ucrNcic = cell(row, ucrIndex)
    const nibrs = cell(row, nibrsIndex)
    const categories = classifyCached({ callTypeCode, description, ucrNcic, nibrs })
    const flags = protectedFlags(categories)
    const priority = cell(row, priorityIndex)
    const disposition = cell(row, dispositionIndex)
    const beat = cell(row, beatIndex)
    const policeDistrict = cell(row, policeIndex)
    const councilDistrict = cell(row, councilIndex)
    const neighborhood = cell(row, neighborhoodIndex)
    const id = cell(row, idIndex)
    return Result.succeed({
      call: {
        // A source without record ids has nothing better to name a record by than its content key.
        sourceRecordId: id ?? key.success,
        receivedAt: DateTime.makeUnsafe(receivedAt),
        channel,
        callType: { code: callTypeCode, description: description ?? "" },
        ...(priority === undefined ? {} : { priority }),
        ...(disposition === undefined ? {} : { disposition }),
        ...flags,
        callerIsVictim,
        ...(callerNotVictim === undefined ? {} : { callerNotVictim })
      },
      addressKey,
      addressUnknown: addressIndex === undefined ? "not-in-export" : "blank",
      rowDistricts: {
        ...(councilDistrict === undefined ? {} : { councilDistrict }),
        ...(policeDistrict === undefined ? {} : { policeDistrict }),
        ...(beat === undefined ? {} : { beat }),
        ...(neighborhood === undefined ? {} : { neighborhood })
      },
      coordinates: point.success,
      dedupeKey: key.success,
      serviceDay: localClock.localDate(receivedAt),
      categories
    })
  }

  return Result.succeed({
    // Issue 9: a committed row is read again, so the first versions of ids are known after a resume.
    replay: (row, rowNumber) => {
      if (row !== undefined) read(row, rowNumber)
    },
    read
  })
}

const hasAreas = (districts: Districts): boolean => Object.keys(districts).length > 0

/**
 * The place a call is at: the registry's entry (its land use, parcel) with
 * the row's districts and coordinates over it, districts the row lacks filled
 * from the jurisdiction's boundaries. No place when neither the registry nor
 * the row says anything about the address.
 */
const placeOf = (
  mapped: MappedCall & { readonly addressKey: string },
  registered: Place | undefined,
  jurisdiction: Jurisdiction
): Place | undefined => {
  const coordinates = mapped.coordinates ?? registered?.coordinates
  const known = { ...registered?.districts, ...mapped.rowDistricts }
  const complete = known.beat !== undefined && known.policeDistrict !== undefined && known.councilDistrict !== undefined &&
    known.neighborhood !== undefined
  const districts: Districts = coordinates === undefined || complete
    ? known
    : { ...districtsAt(jurisdiction, coordinates), ...known }
  if (registered === undefined && coordinates === undefined && !hasAreas(districts)) return undefined
  return {
    addressKey: mapped.addressKey,
    ...(registered?.parcelNumber === undefined ? {} : { parcelNumber: registered.parcelNumber }),
    ...(coordinates === undefined ? {} : { coordinates }),
    landUse: registered?.landUse ?? { _tag: "unknown" },
    districts
  }
}

/**
 * The import id of a file for a source: `<source>:<sha256 of the file>`. The
 * same file gives the same id, so importing it again resumes (or, when it
 * finished, adds nothing); a new export, even overlapping, is a new import.
 */
const importIdOf = (source: string, sha256Hex: string): string => `${source}:${sha256Hex}`

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
 *   (received time, call type, address), an address that does not normalize,
 *   a channel value the mapping does not know, or bad coordinates is
 *   quarantined with its row number, its text and every reason; the import
 *   goes on. Values are trimmed, never repaired.
 * - **Deduplicated.** Each call's key is `id:<source>:<record id>`, or,
 *   without a record id column, `hash:<sha256>` of the mapped columns
 *   (identical rows in one file are numbered, so they stay distinct calls).
 *   A key already stored counts as a duplicate: importing a file twice, or an
 *   export overlapping an earlier one, adds nothing twice.
 * - **Resumable.** Batches of `batchSize` rows are committed with the
 *   import's progress; run again, an import starts after the last committed
 *   row, and a run killed midway then resumed ends as one clean run.
 * - **Classified.** Each call's categories come from the mapping's code
 *   tables; the protected flags follow from them (and from a victim column).
 *   Its service day is its local date in the jurisdiction's zone.
 *
 * Fails only when nothing can be imported correctly: the file cannot be read
 * ({@link CsvSourceError}), the header lacks the mapping's columns
 * ({@link HeaderMismatch}), the mapping is invalid or names a code table not
 * given ({@link InvalidMapping}), or the store fails.
 *
 * @example
 * ```ts
 * const report = yield* importCalls({
 *   tenantId: "sacramento",
 *   jurisdiction: sacramento,
 *   mapping: sacramentoCad,
 *   codeTables: [sacramentoCadCodes],
 *   file: "/data/calls-2024.csv",
 *   onProgress: (p) => bar.update(p.bytes / (p.totalBytes ?? p.bytes))
 * })
 * // report: { importId, read: 412_000, imported: 411_950, duplicates: 0, quarantined: 50, resumedAfterRow: 0 }
 * ```
 */
export const importCallsBefore = (
  options: ImportCallsOptions
): Effect.Effect<
  ReportBefore,
  CsvSourceError | HeaderMismatch | InvalidMapping | ImportAlreadyRunning | InvalidStoreRequest | StorageFailure,
  CallStore
> =>
  Effect.gen(function*() {
    const mapping = yield* Effect.fromResult(validateCsvMapping(options.mapping))
    const tables = yield* Effect.fromResult(pickTables(mapping, options.codeTables))
    const store = yield* CallStore
    const facts = yield* fileFacts(options.file, options.importId === undefined)
    const importId = options.importId ?? importIdOf(mapping.source, facts.sha256 ?? "")
    const previous = yield* store.importProgress(options.tenantId, importId)
    const start: Committed = Option.match(previous, {
      onNone: () => ({ throughRow: 0, imported: 0, duplicates: 0, quarantined: 0 }),
      onSome: (progress) => progress
    })
    const settings = { ...options, mapping }
    const totals = yield* runImport({
      source: options.file,
      importId,
      delimiter: mapping.delimiter,
      batchSize: Math.max(1, Math.floor(options.batchSize ?? 2_000)),
      start,
      totalBytes: facts.size,
      onProgress: options.onProgress,
      progressIntervalMillis: options.progressIntervalMillis ?? 250,
      prepare: (header) => prepareReader(settings, tables, header),
      commit: (batch) =>
        Effect.gen(function*() {
          const registry = new Map<string, Place | undefined>()
          for (const mapped of batch.values) {
            if (mapped.addressKey === undefined || registry.has(mapped.addressKey)) continue
            registry.set(mapped.addressKey, Option.getOrUndefined(yield* store.place(options.tenantId, mapped.addressKey)))
          }
          const calls = batch.values.map((mapped): StoredCall => {
            const addressKey = mapped.addressKey
            const place = addressKey === undefined
              ? undefined
              : placeOf({ ...mapped, addressKey }, registry.get(addressKey), options.jurisdiction)
            const districts = mapped.coordinates === undefined
              ? mapped.rowDistricts
              : { ...districtsAt(options.jurisdiction, mapped.coordinates), ...mapped.rowDistricts }
            return {
              call: {
                ...mapped.call,
                location: addressKey === undefined
                  ? { addressUnknown: mapped.addressUnknown, districts }
                  : { addressKey, ...(place === undefined ? {} : { place }) }
              },
              dedupeKey: mapped.dedupeKey,
              serviceDay: mapped.serviceDay,
              categories: mapped.categories,
              source: mapping.source
            }
          })
          return yield* store.commitImportBatch(options.tenantId, {
            importId,
            throughRow: batch.throughRow,
            calls,
            quarantined: batch.quarantined
          })
        })
    })
    return {
      importId,
      read: totals.imported + totals.duplicates + totals.quarantined,
      imported: totals.imported,
      duplicates: totals.duplicates,
      quarantined: totals.quarantined,
      resumedAfterRow: start.throughRow
    }
  })
