/**
 * The calls-for-service store over SQLite: one `BEGIN IMMEDIATE` transaction
 * per import batch holding the progress check, the calls (a dedupe key
 * already stored is skipped by the unique index), the analytics' daily
 * counts of the calls actually inserted, the quarantined rows and the new
 * progress. Answers match the memory adapter's, validation included.
 *
 * @internal
 */
import {
  CallCategory,
  AddressUnknownReason,
  CallChannel,
  CallStore,
  compareCodePoints,
  ImportAlreadyRunning,
  type ImportBatch,
  type ImportProgress,
  InvalidStoreRequest,
  locationAddressKey,
  locationDistricts,
  keyProblem,
  progressProblem,
  quarantinedRowsProblem,
  storedCallProblem,
  isCalendarDate,
  NonResidentialKind,
  Place,
  QuarantinedRow,
  StoredCall
} from "@community-policing/core"
import { DateTime, Effect, Option, Schema } from "effect"
import { callsByDayIndex } from "../Migrations.ts"
import { countColumns, countedCategories } from "./countColumns.ts"
import { addDays, daysBetween } from "./serviceDays.ts"
import { type Connection, jsonText, type Run } from "./sql.ts"

// Encoding checks the value against the schema's type first, so it is the validation too.
const encodeCall = Schema.encodeUnknownOption(StoredCall)
const decodeCall = Schema.decodeUnknownOption(StoredCall)
const encodePlace = Schema.encodeSync(Place)
// Stored values were validated on the way in: failing to read one back is a defect of the store itself.
// The decoders are built once: a fresh process (the daily refresh) reads a place per distinct address.
const decodeStoredCall = Schema.decodeUnknownSync(StoredCall)
const decodePlace = Schema.decodeUnknownSync(Place)
const readCall = (text: string): StoredCall => decodeStoredCall(JSON.parse(text))
const readPlace = (text: string): Place => decodePlace(JSON.parse(text))

const invalid = (operation: string, reason: string) => new InvalidStoreRequest({ operation: `CallStore.${operation}`, reason })

const isRefusal = (cause: unknown): cause is InvalidStoreRequest | ImportAlreadyRunning =>
  cause instanceof InvalidStoreRequest || cause instanceof ImportAlreadyRunning

/**
 * Whether a key could have been stored. better-sqlite3 writes a lone
 * surrogate as U+FFFD, so a lookup by one would find the key holding U+FFFD;
 * a key no write takes finds nothing instead.
 */
const storableKey = (key: string): boolean => typeof key === "string" && keyProblem(key) === undefined

/** A call checked and written out as JSON, with the columns it is stored and counted under. */
interface PreparedCall {
  readonly dedupeKey: string
  readonly serviceDay: string
  readonly addressKey: string
  readonly receivedAt: number
  readonly text: string
  readonly channel: string
  readonly beat: string
  readonly policeDistrict: string
  readonly councilDistrict: string
  readonly neighborhood: string
  /** The count columns the call adds 1 to (`countColumns` positions): 0 (`total`) and each distinct category's. */
  readonly cells: ReadonlyArray<number>
}

/** Each category's position in `countColumns` (after `total`, at 0). */
const categoryCell: ReadonlyMap<unknown, number> = new Map(countedCategories.map((category, index) => [category, index + 1]))

/** The stored form of a call: checked, encoded, and read back through its JSON text; `undefined` when it is not a `StoredCall`. */
const callInBySchema = (call: unknown): PreparedCall | undefined => {
  const encoded = encodeCall(call)
  if (Option.isNone(encoded)) return undefined
  const text = jsonText(encoded.value)
  if (text === undefined) return undefined
  const decoded = decodeCall(JSON.parse(text))
  if (Option.isNone(decoded)) return undefined
  const stored = decoded.value
  const districts = locationDistricts(stored.call.location)
  const cells = new Set<number>([0])
  for (const match of stored.categories) cells.add(categoryCell.get(match.category)!)
  return {
    dedupeKey: stored.dedupeKey,
    serviceDay: stored.serviceDay,
    // Address keys are never empty, so '' stands for "no address" (a call at no place) unambiguously.
    addressKey: locationAddressKey(stored.call.location) ?? "",
    receivedAt: DateTime.toEpochMillis(stored.call.receivedAt),
    text,
    channel: stored.call.channel,
    // Area ids are never empty, so '' stands for "none" unambiguously.
    beat: districts?.beat ?? "",
    policeDistrict: districts?.policeDistrict ?? "",
    councilDistrict: districts?.councilDistrict ?? "",
    neighborhood: districts?.neighborhood ?? "",
    cells: [...cells]
  }
}

// The fast path. Checking a call against the StoredCall schema, encoding
// it, writing it out and reading it back cost several times more than
// storing it (issue 4: millions of calls per import). For a call made of
// plain objects, as importers build them, one pass here checks what the
// schema checks and builds what it encodes (the schema's keys only, in its
// order), written out with one JSON.stringify. Whenever this pass is not
// sure (an unusual object, a value it does not check as the schema does,
// anything invalid), it answers `undefined` and the schema decides, so it
// can only ever be faster, never more lenient; the tests compare the two on
// generated and broken calls.

type Fields = Readonly<Record<string, unknown>>

type Json = Record<string, unknown>

const isPlain = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype

const isNonEmpty = (value: unknown): value is string => typeof value === "string" && value.length > 0

/** An `AddressKey`, `AreaId` or `ParcelNumber`: non-empty and trimmed. */
const isTrimmedId = (value: unknown): value is string => isNonEmpty(value) && value.trim() === value

const channels: ReadonlySet<unknown> = new Set(CallChannel.literals)
const categoryNames: ReadonlySet<unknown> = new Set(CallCategory.literals)
const nonResidentialKinds: ReadonlySet<unknown> = new Set(NonResidentialKind.literals)

/** The range of a JavaScript `Date`, hence of a `DateTime`'s ISO text. */
const dateRangeMillis = 8.64e15

// The sentinel for "not sure": the schema path decides.
const unsure = undefined

// An optional key that is not there.
const absent = Symbol("absent")

/**
 * An optional key's value, `absent`, or `unsure` when the key is there
 * holding `undefined` (the schema refuses that; the fast path leaves it to it).
 */
const optional = (fields: Fields, key: string): unknown => {
  const value = fields[key]
  return value !== undefined ? value : Object.hasOwn(fields, key) ? unsure : absent
}

const wholeAbove0 = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value > 0

const isLatitude = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= -90 && value <= 90

const isLongitude = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= -180 && value <= 180

const encodeLandUse = (value: unknown): Json | undefined => {
  if (!isPlain(value)) return unsure
  switch (value["_tag"]) {
    case "unknown":
      return { _tag: "unknown" }
    case "residential": {
      const units = optional(value, "units")
      if (units === absent) return { _tag: "residential" }
      return wholeAbove0(units) ? { _tag: "residential", units } : unsure
    }
    case "non-residential": {
      const kind = value["kind"]
      if (!nonResidentialKinds.has(kind)) return unsure
      const rooms = optional(value, "rooms")
      if (rooms === absent) return { _tag: "non-residential", kind }
      return wholeAbove0(rooms) ? { _tag: "non-residential", kind, rooms } : unsure
    }
    default:
      return unsure
  }
}

interface DistrictColumns {
  beat: string
  policeDistrict: string
  councilDistrict: string
  neighborhood: string
}

const districtKeys = ["councilDistrict", "policeDistrict", "beat", "neighborhood"] as const

/** Districts, encoded (the schema's keys, in its order); each id also goes to `columns`. */
const encodeDistricts = (districts: unknown, columns: DistrictColumns): Json | undefined => {
  if (!isPlain(districts)) return unsure
  const encoded: Json = {}
  for (const key of districtKeys) {
    const id = optional(districts, key)
    if (id === absent) continue
    if (!isTrimmedId(id)) return unsure
    encoded[key] = id
    columns[key] = id
  }
  return encoded
}

const addressUnknownReasons: ReadonlySet<unknown> = new Set(AddressUnknownReason.literals)

/**
 * A call's location, encoded, with its address key ('' for a call without
 * an address: at no place); its districts go to `columns`.
 */
const encodeLocation = (location: unknown, columns: DistrictColumns): { readonly addressKey: string; readonly encoded: Json } | undefined => {
  if (!isPlain(location)) return unsure
  if (optional(location, "addressKey") === absent) {
    const reason = location["addressUnknown"]
    if (!addressUnknownReasons.has(reason)) return unsure
    const districts = encodeDistricts(location["districts"], columns)
    if (districts === unsure) return unsure
    return { addressKey: "", encoded: { addressUnknown: reason, districts } }
  }
  const addressKey = location["addressKey"]
  if (!isTrimmedId(addressKey)) return unsure
  const encoded: Json = { addressKey }
  const place = optional(location, "place")
  if (place !== absent) {
    const encodedPlace = encodeCallPlace(place, addressKey, columns)
    if (encodedPlace === unsure) return unsure
    encoded["place"] = encodedPlace
  }
  return { addressKey, encoded }
}

/** A call's place (whose address key must be the call's), encoded; its districts also go to `columns`. */
const encodeCallPlace = (value: unknown, addressKey: string, columns: DistrictColumns): Json | undefined => {
  if (!isPlain(value) || value["addressKey"] !== addressKey) return unsure
  const place: Json = { addressKey }
  const parcel = optional(value, "parcelNumber")
  if (parcel !== absent) {
    if (!isTrimmedId(parcel)) return unsure
    place["parcelNumber"] = parcel
  }
  const coordinates = optional(value, "coordinates")
  if (coordinates !== absent) {
    if (!isPlain(coordinates)) return unsure
    const latitude = coordinates["latitude"]
    const longitude = coordinates["longitude"]
    if (!isLatitude(latitude) || !isLongitude(longitude)) return unsure
    place["coordinates"] = { latitude, longitude }
  }
  const landUse = encodeLandUse(value["landUse"])
  if (landUse === unsure) return unsure
  place["landUse"] = landUse
  const districts = encodeDistricts(value["districts"], columns)
  if (districts === unsure) return unsure
  place["districts"] = districts
  return place
}

// Service days already found to be calendar dates: a batch holds a few
// days, so checking each call's day again costs more than looking it up.
const calendarDates = new Set<string>()
const isKnownCalendarDate = (day: string): boolean => {
  if (calendarDates.has(day)) return true
  if (!isCalendarDate(day)) return false
  if (calendarDates.size >= 10_000) calendarDates.clear()
  calendarDates.add(day)
  return true
}

/** A call checked and written out in one pass, or `unsure`; see above. */
const callInFast = (value: unknown): PreparedCall | undefined => {
  if (!isPlain(value)) return unsure
  const call = value["call"]
  const dedupeKey = value["dedupeKey"]
  const serviceDay = value["serviceDay"]
  const categories = value["categories"]
  const source = value["source"]
  if (
    !isPlain(call) || !isNonEmpty(dedupeKey) || typeof serviceDay !== "string" || !isKnownCalendarDate(serviceDay) ||
    !Array.isArray(categories) || !isNonEmpty(source)
  ) {
    return unsure
  }
  const sourceRecordId = call["sourceRecordId"]
  const receivedAt = call["receivedAt"]
  const channel = call["channel"]
  const callType = call["callType"]
  const location = call["location"]
  const domesticViolenceOrVictimization = call["domesticViolenceOrVictimization"]
  const medical = call["medical"]
  const fireOrEms = call["fireOrEms"]
  const callerIsVictim = call["callerIsVictim"]
  if (
    !isNonEmpty(sourceRecordId) || !DateTime.isDateTime(receivedAt) || !DateTime.isUtc(receivedAt) || !channels.has(channel) ||
    !isPlain(callType) || !isNonEmpty(callType["code"]) || typeof callType["description"] !== "string" ||
    typeof domesticViolenceOrVictimization !== "boolean" ||
    typeof medical !== "boolean" || typeof fireOrEms !== "boolean" || typeof callerIsVictim !== "boolean"
  ) {
    return unsure
  }
  const receivedMillis = receivedAt.epochMilliseconds
  if (!Number.isSafeInteger(receivedMillis) || Math.abs(receivedMillis) > dateRangeMillis) return unsure
  const columns: DistrictColumns = { beat: "", policeDistrict: "", councilDistrict: "", neighborhood: "" }
  const located = encodeLocation(location, columns)
  if (located === unsure) return unsure
  const addressKey = located.addressKey
  const encodedLocation = located.encoded
  const encodedCall: Json = {
    sourceRecordId,
    receivedAt: new Date(receivedMillis).toISOString(),
    channel,
    callType: { code: callType["code"], description: callType["description"] }
  }
  const priority = optional(call, "priority")
  if (priority !== absent) {
    if (!isNonEmpty(priority)) return unsure
    encodedCall["priority"] = priority
  }
  encodedCall["location"] = encodedLocation
  const disposition = optional(call, "disposition")
  if (disposition !== absent) {
    if (!isNonEmpty(disposition)) return unsure
    encodedCall["disposition"] = disposition
  }
  encodedCall["domesticViolenceOrVictimization"] = domesticViolenceOrVictimization
  encodedCall["medical"] = medical
  encodedCall["fireOrEms"] = fireOrEms
  encodedCall["callerIsVictim"] = callerIsVictim
  // Optional, and what lets a call where someone may be the victim count at
  // all (Gov. Code 53165): dropping it would silently change the counts.
  const callerNotVictim = optional(call, "callerNotVictim")
  if (callerNotVictim !== absent) {
    if (typeof callerNotVictim !== "boolean") return unsure
    encodedCall["callerNotVictim"] = callerNotVictim
  }
  const cells: Array<number> = [0]
  const matches: Array<Json> = []
  for (let index = 0; index < categories.length; index++) {
    const match: unknown = categories[index]
    if (!isPlain(match)) return unsure
    const category = match["category"]
    const table = match["table"]
    const tableVersion = match["tableVersion"]
    const rule = match["rule"]
    if (!categoryNames.has(category) || !isNonEmpty(table) || !isNonEmpty(tableVersion) || !isNonEmpty(rule)) return unsure
    const cell = categoryCell.get(category)!
    if (!cells.includes(cell)) cells.push(cell)
    matches.push({ category, table, tableVersion, rule })
  }
  const text = JSON.stringify({ call: encodedCall, dedupeKey, serviceDay, categories: matches, source })
  return {
    dedupeKey,
    serviceDay,
    addressKey,
    receivedAt: receivedMillis,
    text,
    channel: channel as string,
    ...columns,
    cells
  }
}

/**
 * The stored form of a call, or why it cannot be stored: not a `StoredCall`
 * (the fast path, else the schema's), or beyond the store limits. The fast
 * path built exactly the schema's encoding, so the limits are checked on
 * the text's parsed form only when the text could hold something to refuse.
 */
const callIn = (call: unknown, index: number): PreparedCall | string => {
  const prepared = callInFast(call) ?? callInBySchema(call)
  if (prepared === undefined) return `call ${index} is not a valid StoredCall`
  const problem = limitsProblem(prepared)
  return problem === undefined ? prepared : `call ${index}: ${problem}`
}

/**
 * JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX, and
 * every other character below U+0020 as a \u00XX escape too; a text
 * without those escapes holds only portable strings, which saves walking
 * every call of a large import.
 */
const mayHoldUnportable = /\\u(?:0000|d[89a-f])/i

/** The store limits of a prepared call. */
const limitsProblem = (prepared: PreparedCall): string | undefined => {
  const longest = Math.max(prepared.dedupeKey.length, prepared.addressKey.length) * 3
  const areas = Math.max(prepared.beat.length, prepared.policeDistrict.length, prepared.councilDistrict.length, prepared.neighborhood.length) * 3
  // A UTF-16 unit is at most 3 UTF-8 bytes: short keys and portable text need no closer look.
  if (longest <= 1_024 && areas <= 256 && !mayHoldUnportable.test(prepared.text)) return undefined
  // The call's JSON encoding has the fields the limits name, at the same paths, with every string as stored.
  return storedCallProblem(JSON.parse(prepared.text) as StoredCall)
}

/** Both paths, for the tests that hold the fast one to the schema's. */
export const storedCallForms = { fast: callInFast, bySchema: callInBySchema } as const

/** One row of the shaped daily counts and what a batch's new calls add to each of its count columns. */
interface CountCell {
  readonly call: PreparedCall
  readonly counts: Array<number>
}

/** Adds a call to the row `key` of a batch's counts. */
const addTo = (rows: Map<string, CountCell>, key: string, call: PreparedCall): void => {
  let row = rows.get(key)
  if (row === undefined) {
    row = { call, counts: countColumns.map(() => 0) }
    rows.set(key, row)
  }
  for (const cell of call.cells) row.counts[cell]! += 1
}

/** An upsert adding a row's counts to the stored ones (`countColumns`, after the key columns). */
const countsUpsert = (table: string, keyColumns: ReadonlyArray<string>): string =>
  `INSERT INTO ${table} (tenant_id, ${keyColumns.join(", ")}, ${countColumns.join(", ")}) ` +
  `VALUES (?, ${keyColumns.map(() => "?").join(", ")}, ${countColumns.map(() => "?").join(", ")}) ` +
  `ON CONFLICT (tenant_id, ${keyColumns.join(", ")}) DO UPDATE SET ` +
  countColumns.map((column) => `${column} = ${column} + excluded.${column}`).join(", ")

/**
 * Close to the order of the `calls_by_day` index: day, address, time, key.
 * Strings compare by UTF-16 code unit, SQLite's by UTF-8 byte; they differ
 * only past the Basic Multilingual Plane, and only how fast the writes go
 * depends on this order.
 */
const byDayIndex = (a: PreparedCall, b: PreparedCall): number =>
  a.serviceDay !== b.serviceDay
    ? (a.serviceDay < b.serviceDay ? -1 : 1)
    : a.addressKey !== b.addressKey
    ? (a.addressKey < b.addressKey ? -1 : 1)
    : a.receivedAt !== b.receivedAt
    ? a.receivedAt - b.receivedAt
    : a.dedupeKey < b.dedupeKey
    ? -1
    : a.dedupeKey > b.dedupeKey
    ? 1
    : 0

/** A stored call's row as `callsAt` reads it. */
interface StoredRow {
  readonly received_at: number
  readonly dedupe_key: string
  readonly data: string
}

/** Windows of up to this many days are read one day at a time (a few microseconds a seek): ten years. */
const seekDaysUpTo = 3_660

/** Oldest first, ties by dedupe key in code point order (SQLite's BINARY order, which `callsAt` promises). */
const byTimeThenKey = (a: StoredRow, b: StoredRow): number =>
  a.received_at !== b.received_at ? a.received_at - b.received_at : compareCodePoints(a.dedupe_key, b.dedupe_key)

/** An import batch checked as far as it can be before the transaction reads the import's progress. */
interface PreparedBatch {
  readonly importId: string
  readonly afterRow: number | undefined
  readonly throughRow: number
  /** The calls, or why one of them is not a `StoredCall` (reported after the progress check, as the memory adapter does). */
  readonly calls: ReadonlyArray<PreparedCall> | string
  readonly quarantined: ReadonlyArray<unknown>
}

interface ProgressRecord {
  readonly through_row: number
  readonly imported: number
  readonly duplicates: number
  readonly quarantined: number
}

/** The call store service over a connection whose schema is migrated. */
export const makeCallStore = (db: Connection, attempt: Run): CallStore["Service"] => {
  const progressOf = db.prepare<[string, string], ProgressRecord>(
    "SELECT through_row, imported, duplicates, quarantined FROM import_progress WHERE tenant_id = ? AND import_id = ?"
  )
  const insertCall = db.prepare(
    "INSERT INTO calls (tenant_id, dedupe_key, service_day, address_key, received_at, data) VALUES (?, ?, ?, ?, ?, ?) " +
      "ON CONFLICT (tenant_id, dedupe_key) DO NOTHING"
  )
  const countPlace = db.prepare(countsUpsert("place_counts", ["service_day", "address_key", "channel"]))
  const countArea = db.prepare(
    countsUpsert("area_counts", ["service_day", "channel", "beat", "police_district", "council_district", "neighborhood"])
  )
  // A kept window holding a day a batch added calls to no longer matches the counts: dropped (analytics keeps it again when asked).
  const windowsHolding = db.prepare<[string, string, string], number>(
    "SELECT count(*) FROM count_windows WHERE tenant_id = ? AND start_day <= ? AND end_day >= ?"
  ).pluck()
  const dropWindowTotals = db.prepare(
    "DELETE FROM count_window_totals WHERE tenant_id = ? AND (signature, days) IN " +
      "(SELECT signature, days FROM count_windows WHERE tenant_id = ? AND start_day <= ? AND end_day >= ?)"
  )
  const dropWindows = db.prepare("DELETE FROM count_windows WHERE tenant_id = ? AND start_day <= ? AND end_day >= ?")
  const insertQuarantined = db.prepare(
    "INSERT INTO quarantined_rows (tenant_id, import_id, row_number, raw, reason) VALUES (?, ?, ?, ?, ?)"
  )
  const upsertProgress = db.prepare(
    "INSERT INTO import_progress (tenant_id, import_id, through_row, imported, duplicates, quarantined) VALUES (?, ?, ?, ?, ?, ?) " +
      "ON CONFLICT (tenant_id, import_id) DO UPDATE SET through_row = excluded.through_row, " +
      "imported = imported + excluded.imported, duplicates = duplicates + excluded.duplicates, " +
      "quarantined = quarantined + excluded.quarantined"
  )
  const quarantinedAfter = db.prepare<[string, string, number, number], { row_number: number; raw: string; reason: string }>(
    "SELECT row_number, raw, reason FROM quarantined_rows WHERE tenant_id = ? AND import_id = ? AND row_number > ? " +
      "ORDER BY row_number LIMIT ?"
  )
  // callsAt seeks (tenant, day, address) in calls_by_day once per day of a window of up to
  // `seekDaysUpTo` days; a longer window reads the index's range of days instead.
  const callsOn = db.prepare<[string, string, string], StoredRow>(
    "SELECT received_at, dedupe_key, data FROM calls WHERE tenant_id = ? AND service_day = ? AND address_key = ?"
  )
  const callsBetween = db.prepare<[string, string, string, string], StoredRow>(
    "SELECT received_at, dedupe_key, data FROM calls WHERE tenant_id = ? AND service_day BETWEEN ? AND ? AND address_key = ?"
  )
  const upsertPlace = db.prepare(
    "INSERT INTO places (tenant_id, address_key, data) VALUES (?, ?, ?) ON CONFLICT (tenant_id, address_key) DO UPDATE SET data = excluded.data"
  )
  const placeAt = db.prepare<[string, string], string>("SELECT data FROM places WHERE tenant_id = ? AND address_key = ?").pluck()

  // The bulk imports this connection has open: while there are any, the
  // WAL is checkpointed less often, and batches skip ordering their calls
  // for an index that is not there.
  const bulkOpen = new Set<string>()
  const openBulk = db.prepare("INSERT INTO bulk_imports (tenant_id, import_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
  const closeBulk = db.prepare("DELETE FROM bulk_imports WHERE tenant_id = ? AND import_id = ?")
  const bulkImportsOpen = db.prepare<[], number>("SELECT count(*) FROM bulk_imports").pluck()

  const begin = db.transaction((tenantId: string, importId: string): void => {
    openBulk.run(tenantId, importId)
    // Kept up to date row by row, the address index is most of an import's
    // writes: its pages are touched all over the file by every batch.
    db.exec("DROP INDEX IF EXISTS calls_by_day")
  })

  const finish = db.transaction((tenantId: string, importId: string): void => {
    closeBulk.run(tenantId, importId)
    if (bulkImportsOpen.get() !== 0) return
    // The last bulk import finished: the index built in one sort, and the
    // planner's statistics (a sample: analysis_limit) taken again.
    db.exec(callsByDayIndex)
    db.exec("ANALYZE")
  })

  /** How many WAL pages make SQLite checkpoint: 16,384 (64 MB) while this connection has a bulk import open, else SQLite's default 1,000. */
  const checkpointEvery = (pages: number) => db.pragma(`wal_autocheckpoint = ${pages}`)

  const bulkKey = (tenantId: string, importId: string) => `${tenantId}\u0000${importId}`

  const beginBulkImport = (tenantId: string, importId: string) =>
    attempt("CallStore.beginBulkImport", () => {
      begin.immediate(tenantId, importId)
      if (bulkOpen.size === 0) checkpointEvery(16_384)
      bulkOpen.add(bulkKey(tenantId, importId))
    })

  const finishBulkImport = (tenantId: string, importId: string) =>
    attempt("CallStore.finishBulkImport", () => {
      db.pragma("analysis_limit = 1000")
      finish.immediate(tenantId, importId)
      if (bulkOpen.delete(bulkKey(tenantId, importId)) && bulkOpen.size === 0) checkpointEvery(1_000)
    })

  const write = db.transaction((tenantId: string, batch: PreparedBatch): { readonly imported: number; readonly duplicates: number } => {
    // Read under the write lock BEGIN IMMEDIATE took: no other batch can move the progress until COMMIT.
    const previous = progressOf.get(tenantId, batch.importId)
    const after = previous?.through_row ?? 0
    const stale = progressProblem(
      { importId: batch.importId, afterRow: batch.afterRow, throughRow: batch.throughRow, calls: [], quarantined: [] },
      after
    )
    if (stale?._tag === "ImportAlreadyRunning") {
      throw new ImportAlreadyRunning({
        tenantId,
        importId: batch.importId,
        expectedAfterRow: stale.expectedAfterRow,
        progress: {
          throughRow: after,
          imported: previous?.imported ?? 0,
          duplicates: previous?.duplicates ?? 0,
          quarantined: previous?.quarantined ?? 0
        }
      })
    }
    if (stale !== undefined) throw invalid("commitImportBatch", stale.reason)
    if (typeof batch.calls === "string") throw invalid("commitImportBatch", batch.calls)
    const problem = quarantinedRowsProblem(batch.quarantined, after, batch.throughRow)
    if (problem !== undefined) throw invalid("commitImportBatch", problem)
    // A key met earlier in this batch makes a call a duplicate that changes
    // nothing (the first one is stored); the rest are written in the order
    // of the calls-by-address index, so that a batch fills each index page
    // it touches in one visit instead of hopping across the whole index.
    const seen = new Set<string>()
    const fresh: Array<PreparedCall> = []
    for (const call of batch.calls) {
      if (seen.has(call.dedupeKey)) continue
      seen.add(call.dedupeKey)
      fresh.push(call)
    }
    // While a bulk import is open the index is not there to be kept in order.
    if (bulkOpen.size === 0) fresh.sort(byDayIndex)
    // The daily counts grow by row: the calls a batch adds to one row are
    // added to it in one upsert.
    const places = new Map<string, CountCell>()
    const areas = new Map<string, CountCell>()
    let firstDay: string | undefined
    let lastDay: string | undefined
    let imported = 0
    for (const call of fresh) {
      // A key stored by an earlier batch makes the call a duplicate too.
      const { changes } = insertCall.run(tenantId, call.dedupeKey, call.serviceDay, call.addressKey, call.receivedAt, call.text)
      if (changes === 0) continue
      imported += 1
      const day = call.serviceDay
      if (firstDay === undefined || day < firstDay) firstDay = day
      if (lastDay === undefined || day > lastDay) lastDay = day
      // '' is a call without an address: at no place, counted by its areas only.
      if (call.addressKey !== "") addTo(places, `${day}\u0000${call.addressKey}\u0000${call.channel}`, call)
      addTo(
        areas,
        `${day}\u0000${call.channel}\u0000${call.beat}\u0000${call.policeDistrict}\u0000${call.councilDistrict}\u0000${call.neighborhood}`,
        call
      )
    }
    for (const { call, counts } of places.values()) {
      countPlace.run(tenantId, call.serviceDay, call.addressKey, call.channel, ...counts)
    }
    for (const { call, counts } of areas.values()) {
      countArea.run(
        tenantId,
        call.serviceDay,
        call.channel,
        call.beat,
        call.policeDistrict,
        call.councilDistrict,
        call.neighborhood,
        ...counts
      )
    }
    if (firstDay !== undefined && lastDay !== undefined && windowsHolding.get(tenantId, lastDay, firstDay) !== 0) {
      dropWindowTotals.run(tenantId, tenantId, lastDay, firstDay)
      dropWindows.run(tenantId, lastDay, firstDay)
    }
    const duplicates = batch.calls.length - imported
    // Checked above: every row is a QuarantinedRow with a distinct number in this batch's rows.
    const rows = batch.quarantined as ReadonlyArray<QuarantinedRow>
    for (const row of rows) insertQuarantined.run(tenantId, batch.importId, row.rowNumber, row.raw, row.reason)
    upsertProgress.run(tenantId, batch.importId, batch.throughRow, imported, duplicates, rows.length)
    return { imported, duplicates }
  })

  const commitImportBatch = Effect.fnUntraced(function*(
    tenantId: string,
    batch: ImportBatch
  ) {
    // The batch's own fields were checked by `StoreLimitChecks.callStore`. Calls are checked and written out as JSON before the transaction, so the lock is held only for the writes.
    let calls: Array<PreparedCall> | string = []
    for (const [index, call] of batch.calls.entries()) {
      const prepared = callIn(call, index)
      if (typeof prepared === "string") {
        calls = prepared
        break
      }
      calls.push(prepared)
    }
    const prepared: PreparedBatch = {
      importId: batch.importId,
      afterRow: batch.afterRow,
      throughRow: batch.throughRow,
      calls,
      quarantined: batch.quarantined
    }
    return yield* attempt("CallStore.commitImportBatch", () => write.immediate(tenantId, prepared), isRefusal)
  })

  const importProgress = (tenantId: string, importId: string) =>
    attempt("CallStore.importProgress", (): Option.Option<ImportProgress> => {
      if (!storableKey(importId)) return Option.none()
      const row = progressOf.get(tenantId, importId)
      return row === undefined ? Option.none() : Option.some({
        importId,
        throughRow: row.through_row,
        imported: row.imported,
        duplicates: row.duplicates,
        quarantined: row.quarantined
      })
    })

  const quarantined = Effect.fnUntraced(function*(
    tenantId: string,
    importId: string,
    options: { readonly afterRow: number; readonly limit: number }
  ) {
    const afterRow = options.afterRow
    if (!storableKey(importId)) return []
    return yield* attempt("CallStore.quarantined", (): ReadonlyArray<QuarantinedRow> =>
      quarantinedAfter.all(tenantId, importId, afterRow, options.limit).map((row) => ({
        rowNumber: row.row_number,
        raw: row.raw,
        reason: row.reason
      })))
  })

  const callsAt = Effect.fnUntraced(function*(
    tenantId: string,
    addressKey: string,
    window: { readonly fromDay: string; readonly toDay: string }
  ) {
    if (!storableKey(addressKey)) return []
    const { fromDay, toDay } = window
    return yield* attempt("CallStore.callsAt", (): ReadonlyArray<StoredCall> => {
      // YYYY-MM-DD strings compare as the days they name.
      if (fromDay > toDay) return []
      let rows: Array<StoredRow>
      if (daysBetween(fromDay, toDay) < seekDaysUpTo) {
        rows = []
        // One read transaction: the days' answers are of one snapshot.
        db.transaction(() => {
          for (let day = fromDay; day <= toDay; day = addDays(day, 1)) {
            for (const row of callsOn.all(tenantId, day, addressKey)) rows.push(row)
          }
        })()
      } else {
        rows = callsBetween.all(tenantId, fromDay, toDay, addressKey)
      }
      return rows.sort(byTimeThenKey).map((row) => readCall(row.data))
    })
  })

  const writePlaces = db.transaction((tenantId: string, places: ReadonlyMap<string, string>) => {
    for (const [addressKey, text] of places) upsertPlace.run(tenantId, addressKey, text)
  })

  const upsertPlaces = Effect.fnUntraced(function*(tenantId: string, places: ReadonlyArray<Place>) {
    // `StoreLimitChecks.callStore` refused anything but distinct, valid places, so each encodes.
    const stored = new Map<string, string>()
    for (const place of places) stored.set(place.addressKey, JSON.stringify(encodePlace(place)))
    if (stored.size === 0) return
    yield* attempt("CallStore.upsertPlaces", () => writePlaces.immediate(tenantId, stored))
  })

  const place = (tenantId: string, addressKey: string) =>
    attempt("CallStore.place", (): Option.Option<Place> => {
      if (!storableKey(addressKey)) return Option.none()
      const text = placeAt.get(tenantId, addressKey)
      return text === undefined ? Option.none() : Option.some(readPlace(text))
    })

  return CallStore.of({ commitImportBatch, importProgress, quarantined, callsAt, upsertPlaces, place, beginBulkImport, finishBulkImport })
}
