/**
 * A calls mapping compiled against one file's header: the columns found
 * once, the date-time format, zones, channel map and coordinate system
 * turned into closures, so that reading a row is plain loops and lookups:
 * no schema decoding, no `Effect`, and as few objects as the call itself
 * needs. What a row gives (the call, or every reason it is quarantined, in
 * order) is exactly what the import gave before it was made fast; the
 * tests compare the two on real, generated and hand-made rows.
 *
 * @internal
 */
import {
  type CallChannel,
  type CallForService,
  type CategoryMatch,
  classify,
  type CodeTable,
  type Coordinates,
  type Districts,
  type InvalidAddress,
  type Jurisdiction,
  keyProblem,
  MAX_KEY_BYTES,
  type NormalizedAddress,
  normalizeAddress,
  type ProtectedFlags,
  protectedFlags
} from "@community-policing/core"
import { hash } from "node:crypto"
import { DateTime, Result } from "effect"
import { type CsvMapping, InvalidMapping, receivedAtLayout } from "../CsvMapping.ts"
import { compileDateTimeFormat, type DateTimeFormat } from "../DateTimeFormat.ts"
import { HeaderMismatch } from "../ImportReport.ts"
import { makeZoneClock } from "../ZoneClock.ts"
import { cell, coordinateColumnNames, makeMappedColumnsText, makePointReader, ownCopy, resolveColumns } from "./Columns.ts"
import type { RowReader } from "./ImportRun.ts"
import { areaIdReason, labelColumns, mayBeUnportable, unportableCells, withinBytes } from "./PortableCells.ts"
import { contentDigest, RecordVersions } from "./RecordVersions.ts"
import { RowOccurrences } from "./RowOccurrences.ts"
import { scannerOf, wallClockFields } from "./WallClockScanner.ts"

/** A call as the import builds it: its location is set once the places registry has been read. */
export type CallInProgress = { -readonly [K in keyof CallForService]: CallForService[K] }

/** A call read from a row, before the places registry is consulted. */
export interface MappedCall {
  readonly call: CallInProgress
  /** The normalized address; `undefined` when the export has no address column or the row's address is blank. */
  readonly addressKey: string | undefined
  readonly rowDistricts: Districts
  readonly coordinates: Coordinates | undefined
  readonly dedupeKey: string
  readonly serviceDay: string
  readonly categories: ReadonlyArray<CategoryMatch>
}

// Each cache holds what one distinct text maps to: exports repeat a few
// hundred call types and a heavy tail of addresses millions of times.
// Cleared when full, so memory stays flat on any export.
const cacheLimit = 50_000

const sha256 = (text: string): Buffer => hash("sha256", text, "buffer")

const normalizeForHash = (value: string | undefined): string => (value === undefined ? "" : value.replace(/\s+/g, " "))

/**
 * Addresses longer than this are refused without being normalized: no
 * normalization shortens text this long under `MAX_KEY_BYTES`, and the
 * normalizer's time grows with the text.
 */
const maxAddressLength = 16 * MAX_KEY_BYTES

/**
 * How much of each text classification reads: its first 4,096 characters.
 * Code tables match codes and the words of a description near its start; a
 * 60 MB description took 34 s and 3 GB to classify whole. The call keeps
 * the whole text.
 */
export const maxClassifiedLength = 4_096

const classifiedPart = (text: string): string => (text.length > maxClassifiedLength ? text.slice(0, maxClassifiedLength) : text)

interface Classified {
  readonly categories: ReadonlyArray<CategoryMatch>
  readonly flags: ProtectedFlags
}

/** The rows of a calls export, read; and how many were conflicts (a record id again, with other content). */
export interface CallRowReader extends RowReader<MappedCall> {
  readonly conflicts: () => number
}

/** What the reader needs besides the header. */
export interface CallRowReaderSettings {
  readonly mapping: CsvMapping
  readonly jurisdiction: Jurisdiction
  readonly tables: ReadonlyArray<CodeTable>
  /** The mapping's columns in their fixed order (the content hash depends on it). */
  readonly columns: ReadonlyArray<string>
}

/**
 * Compiles the mapping against the header: the row reader, or why the file
 * does not fit (a column missing or named twice) or the mapping cannot be
 * used (a format, zone or projection that does not compile).
 */
export const makeCallRowReader = (
  settings: CallRowReaderSettings,
  header: ReadonlyArray<string>
): Result.Result<CallRowReader, HeaderMismatch | InvalidMapping> => {
  const { mapping, jurisdiction, tables, columns } = settings
  const fields = mapping.fields
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

  const received = receivedAtLayout(fields.receivedAt)
  const compiled = compileDateTimeFormat(received.format)
  if (Result.isFailure(compiled)) return Result.fail(invalid(["fields", "receivedAt", "format"], compiled.failure))
  const format: DateTimeFormat = compiled.success
  const sourceClock = makeZoneClock(fields.receivedAt.timeZone, fields.receivedAt.repeatedTime ?? "earlier")
  if (sourceClock === undefined) return Result.fail(invalid(["fields", "receivedAt", "timeZone"], "unknown time zone"))
  const localClock = fields.receivedAt.timeZone === jurisdiction.timeZone
    ? sourceClock
    : makeZoneClock(jurisdiction.timeZone, "earlier")
  if (localClock === undefined) return Result.fail(invalid(["jurisdiction", "timeZone"], "unknown time zone"))
  const points = makePointReader(fields.coordinates, positions)
  if (Result.isFailure(points)) return Result.fail(invalid(["fields", "coordinates"], points.failure))
  const readPoint = points.success

  const columnIndexes = columns.map((column) => positions.get(column))
  const labelled = labelColumns([
    ["sourceRecordId", fields.sourceRecordId],
    ...received.columns.map((column) => ["receivedAt", column] as const),
    ["channel", fields.channel.column],
    ["callTypeCode", fields.callTypeCode],
    ["description", fields.description],
    ["priority", fields.priority],
    ["disposition", fields.disposition],
    ["address", fields.address],
    ["beat", fields.beat],
    ["policeDistrict", fields.policeDistrict],
    ["councilDistrict", fields.councilDistrict],
    ["neighborhood", fields.neighborhood],
    ...coordinateColumnNames(fields.coordinates).map((column) => ["coordinates", column] as const),
    ["ucrNcic", fields.ucrNcic],
    ["nibrs", fields.nibrs],
    ["callerIsVictim", fields.callerIsVictim?.column]
  ], positions)
  const idIndex = at(fields.sourceRecordId)
  const receivedIndex = at(received.columns[0])
  // The time column, when the date and the time are in two.
  const receivedTimeIndex = at(received.columns[1])
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
  // With record ids: the first version of each id, to catch an id that comes again with other content.
  const versions = idIndex === undefined ? undefined : new RecordVersions()
  let conflicts = 0
  const source = mapping.source
  const idPrefix = `id:${source}:`
  // The record id's share of a dedupe key's bytes.
  const maxIdBytes = MAX_KEY_BYTES - Buffer.byteLength(idPrefix, "utf8")

  // The received time: scanned into one reused holder and placed in the
  // zone with the day's cached offset; anything unusual (a text the scanner
  // leaves alone, the hour of a clock change) takes the format's own path,
  // which gives the result, or the reason, as it always has.
  const scan = scannerOf(format)
  const scanned = wallClockFields()
  const receivedAtOf = (text: string): number | string => {
    if (scan !== undefined && scan(text, scanned) && scanned.year >= 100) {
      const wall = Date.UTC(
        scanned.year,
        scanned.month - 1,
        scanned.day,
        scanned.hour,
        scanned.minute,
        scanned.second,
        scanned.millisecond
      )
      const offset = sourceClock.offsetAtWallClock(wall)
      if (offset !== undefined) return wall - offset
    }
    const utc = Result.flatMap(format.parse(text), sourceClock.toUtcMillis)
    return Result.isSuccess(utc) ? utc.success : `receivedAt: ${utc.failure}`
  }

  // An address's key, or why the row is quarantined for it.
  const addressOfText = (text: string): Result.Result<NormalizedAddress, string> => {
    if (text.length > maxAddressLength) {
      return Result.fail(
        `address: ${fields.address} is ${text.length} characters long, too long for an address key of at most ${MAX_KEY_BYTES} bytes`
      )
    }
    const normalized: Result.Result<NormalizedAddress, InvalidAddress> = normalizeAddress(text)
    if (Result.isFailure(normalized)) return Result.fail(`address: ${normalized.failure.message}`)
    const key = normalized.success.key
    if (!withinBytes(key, MAX_KEY_BYTES)) {
      const tooLong = keyProblem(key)
      if (tooLong !== undefined) return Result.fail(`address: ${fields.address} normalizes to a key that ${tooLong}`)
    }
    return Result.succeed(normalized.success)
  }
  // Long texts are not cached: they are rare, and a cache of them would hold megabytes.
  const addresses = new Map<string, Result.Result<NormalizedAddress, string>>()
  const addressOf = (text: string): Result.Result<NormalizedAddress, string> => {
    if (text.length > 256) return addressOfText(text)
    const cached = addresses.get(text)
    if (cached !== undefined) return cached
    const key = ownCopy(text)
    const normalized = addressOfText(key)
    if (addresses.size >= cacheLimit) addresses.clear()
    addresses.set(key, normalized)
    return normalized
  }

  // Nested by field rather than keyed by one joined string: building that
  // string for every row costs more than the lookups.
  type Level<A> = Map<string | undefined, A>
  const classified: Level<Level<Level<Level<Classified>>>> = new Map()
  let classifiedSize = 0
  const level = <A>(parent: Level<Level<A>>, key: string | undefined): Level<A> => {
    const found = parent.get(key)
    if (found !== undefined) return found
    const created: Level<A> = new Map()
    parent.set(key === undefined ? undefined : ownCopy(key), created)
    return created
  }
  const classifyCached = (
    callTypeCode: string,
    description: string | undefined,
    ucrNcic: string | undefined,
    nibrs: string | undefined
  ): Classified => {
    if (classifiedSize >= cacheLimit) {
      classified.clear()
      classifiedSize = 0
    }
    callTypeCode = classifiedPart(callTypeCode)
    description = description === undefined ? undefined : classifiedPart(description)
    ucrNcic = ucrNcic === undefined ? undefined : classifiedPart(ucrNcic)
    nibrs = nibrs === undefined ? undefined : classifiedPart(nibrs)
    const leaf = level(level(level(classified, callTypeCode), description), ucrNcic)
    const cached = leaf.get(nibrs)
    if (cached !== undefined) return cached
    const categories = classify(tables, { callTypeCode, description, ucrNcic, nibrs })
    const found: Classified = { categories, flags: protectedFlags(categories) }
    leaf.set(nibrs === undefined ? undefined : ownCopy(nibrs), found)
    classifiedSize += 1
    return found
  }

  // A record id makes the key; without one, the content of the mapped
  // columns does, numbered when an identical row came earlier in the file.
  const dedupeKeyOf = (row: ReadonlyArray<string>): string | undefined => {
    if (idIndex !== undefined) {
      const id = cell(row, idIndex)
      return id === undefined ? undefined : idPrefix + id
    }
    const content = JSON.stringify([source, ...columnIndexes.map((index) => normalizeForHash(cell(row, index)))])
    const digest = sha256(content)
    const ordinal = occurrences.next(digest)
    return `hash:${(ordinal === 1 ? digest : sha256(`${content}\u0000${ordinal}`)).toString("hex")}`
  }

  // Every reason a row is quarantined, in the order the fields are read;
  // one array for all rows, emptied at the start of each.
  const problems: Array<string> = []
  const problem = (text: string) => {
    problems.push(text)
  }

  const areaIdProblem = (field: string, column: string | undefined, value: string | undefined) => {
    const why = areaIdReason(field, column, value)
    if (why !== undefined) problem(why)
  }

  const read = (row: ReadonlyArray<string>, rowNumber: number, raw: string): Result.Result<MappedCall, string> => {
    // Text a store cannot keep, in any mapped column: the row is quarantined
    // for that alone (its other checks would only repeat the text).
    if (mayBeUnportable(raw)) {
      const why = unportableCells(labelled, row)
      if (why !== undefined) return Result.fail(why)
    }
    problems.length = 0
    const key = dedupeKeyOf(row)
    if (key === undefined) problem(`sourceRecordId: ${fields.sourceRecordId} is blank`)
    else if (idIndex !== undefined && !withinBytes(key, MAX_KEY_BYTES)) {
      const tooLong = keyProblem(key.slice(idPrefix.length), maxIdBytes)
      if (tooLong !== undefined) {
        problem(`sourceRecordId: ${fields.sourceRecordId} ${tooLong} (the dedupe key ${idPrefix}<record id> holds at most ${MAX_KEY_BYTES} bytes)`)
      }
    }

    let receivedAt: number | undefined
    const receivedText = cell(row, receivedIndex)
    const timeColumn = received.columns[1]
    const timeText = timeColumn === undefined ? undefined : cell(row, receivedTimeIndex)
    if (receivedText === undefined) problem(`receivedAt: ${received.columns[0]} is blank`)
    if (timeColumn !== undefined && timeText === undefined) problem(`receivedAt: ${timeColumn} is blank`)
    if (receivedText !== undefined && (timeColumn === undefined || timeText !== undefined)) {
      // Two columns are read as one text, "<date> <time>", with the formats joined the same way.
      const utc = receivedAtOf(timeText === undefined ? receivedText : `${receivedText} ${timeText}`)
      if (typeof utc === "number") receivedAt = utc
      else problem(utc)
    }

    let channel: CallChannel | undefined
    const channelText = cell(row, channelIndex)
    if (channelText === undefined) {
      channel = channelDefault
      if (channel === undefined) problem(`channel: ${fields.channel.column} is blank and the mapping has no default`)
    } else {
      channel = channelValues.get(channelText) ?? channelDefault
      if (channel === undefined) problem(`channel: "${channelText}" is not in the mapping's value map and there is no default`)
    }

    const callTypeCode = cell(row, typeIndex)
    if (callTypeCode === undefined) problem(`callTypeCode: ${fields.callTypeCode} is blank`)

    // No address (no column, or a blank cell: often withheld to protect a
    // victim) is no reason to lose the call: it is imported at no place.
    let addressKey: string | undefined
    const addressText = cell(row, addressIndex)
    if (addressText !== undefined) {
      const address = addressOf(addressText)
      if (Result.isSuccess(address)) addressKey = address.success.key
      else problem(address.failure)
    }

    areaIdProblem("beat", fields.beat, cell(row, beatIndex))
    areaIdProblem("policeDistrict", fields.policeDistrict, cell(row, policeIndex))
    areaIdProblem("councilDistrict", fields.councilDistrict, cell(row, councilIndex))
    areaIdProblem("neighborhood", fields.neighborhood, cell(row, neighborhoodIndex))

    const point = readPoint(row)
    if (typeof point === "string") problem(point)

    let callerIsVictim = false
    // Only an explicit no shows the caller was not the victim; a blank cell,
    // or no victim column, cannot say (Gov. Code 53165: the call then never
    // counts where someone may be the victim).
    let callerNotVictim: boolean | undefined
    if (victimIndex !== undefined) {
      // A blank cell reads as "", so a mapping can list "" among its no values.
      const victimText = (cell(row, victimIndex) ?? "").toUpperCase()
      if (victimTrue.has(victimText)) {
        callerIsVictim = true
        callerNotVictim = false
      } else if (victimFalse !== undefined && !victimFalse.has(victimText)) {
        problem(`callerIsVictim: "${victimText}" is neither a yes nor a no value of the mapping`)
      } else if (victimText !== "" && (victimFalse === undefined || victimFalse.has(victimText))) {
        callerNotVictim = true
      }
    }

    if (
      problems.length > 0 || key === undefined || receivedAt === undefined || channel === undefined ||
      callTypeCode === undefined || typeof point === "string"
    ) {
      return Result.fail(problems.join("; "))
    }

    if (versions !== undefined) {
      // Only a row that would be stored is a version: a quarantined one leaves the id free.
      const id = key.slice(idPrefix.length)
      const first = versions.see(id, contentDigest(row, columnIndexes), rowNumber)
      if (first !== 0) {
        conflicts += 1
        return Result.fail(
          `conflict: record id ${JSON.stringify(id)} came first at row ${first} with other content in the mapped columns; ` +
            "this version is not stored"
        )
      }
    }

    const description = cell(row, descriptionIndex)
    const { categories, flags } = classifyCached(callTypeCode, description, cell(row, ucrIndex), cell(row, nibrsIndex))
    const call: CallInProgress = {
      // A source without record ids has nothing better to name a record by than its content key.
      sourceRecordId: cell(row, idIndex) ?? key,
      receivedAt: DateTime.makeUnsafe(receivedAt),
      channel,
      callType: { code: callTypeCode, description: description ?? "" },
      location: addressKey === undefined
        ? { addressUnknown: addressIndex === undefined ? "not-in-export" : "blank", districts: {} }
        : { addressKey },
      domesticViolenceOrVictimization: flags.domesticViolenceOrVictimization,
      medical: flags.medical,
      fireOrEms: flags.fireOrEms,
      callerIsVictim
    }
    if (callerNotVictim !== undefined) call.callerNotVictim = callerNotVictim
    const priority = cell(row, priorityIndex)
    if (priority !== undefined) call.priority = priority
    const disposition = cell(row, dispositionIndex)
    if (disposition !== undefined) call.disposition = disposition
    const rowDistricts: { -readonly [K in keyof Districts]: Districts[K] } = {}
    const councilDistrict = cell(row, councilIndex)
    if (councilDistrict !== undefined) rowDistricts.councilDistrict = councilDistrict
    const policeDistrict = cell(row, policeIndex)
    if (policeDistrict !== undefined) rowDistricts.policeDistrict = policeDistrict
    const beat = cell(row, beatIndex)
    if (beat !== undefined) rowDistricts.beat = beat
    const neighborhood = cell(row, neighborhoodIndex)
    if (neighborhood !== undefined) rowDistricts.neighborhood = neighborhood
    return Result.succeed({
      call,
      addressKey,
      rowDistricts,
      coordinates: point,
      dedupeKey: key,
      serviceDay: localClock.localDate(receivedAt),
      categories
    })
  }

  return Result.succeed({
    // A committed row is read again, its result dropped: the ordinals of
    // identical rows and the first versions of ids come out as in one run.
    replay: (row, rowNumber, raw) => {
      if (row !== undefined) read(row, rowNumber, raw)
    },
    read,
    kept: makeMappedColumnsText(columns, positions),
    conflicts: () => conflicts
  })
}
