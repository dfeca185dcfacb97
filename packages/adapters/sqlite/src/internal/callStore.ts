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
  type CallCategory,
  CallStore,
  type ImportBatch,
  type ImportProgress,
  InvalidStoreRequest,
  serviceDayProblem,
  Place,
  QuarantinedRow,
  StoredCall
} from "@community-policing/core"
import { DateTime, Effect, Option, Schema } from "effect"
import { type Connection, isWholeNumber, jsonText, type Run } from "./sql.ts"

// Encoding checks the value against the schema's type first, so it is the validation too.
const encodeCall = Schema.encodeUnknownOption(StoredCall)
const decodeCall = Schema.decodeUnknownOption(StoredCall)
const encodePlace = Schema.encodeUnknownOption(Place)
// Stored values were validated on the way in: failing to read one back is a defect of the store itself.
const readCall = (text: string): StoredCall => Schema.decodeUnknownSync(StoredCall)(JSON.parse(text))
const readPlace = (text: string): Place => Schema.decodeUnknownSync(Place)(JSON.parse(text))
const isQuarantinedRow = Schema.is(QuarantinedRow)

const invalid = (operation: string, reason: string) => new InvalidStoreRequest({ operation: `CallStore.${operation}`, reason })

const isInvalid = (cause: unknown): cause is InvalidStoreRequest => cause instanceof InvalidStoreRequest

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
  /** '' (the all-calls cell) and each distinct category the call carries. */
  readonly cells: ReadonlyArray<string>
}

/** The stored form of a call: checked, encoded, and read back through its JSON text; `undefined` when it is not a `StoredCall`. */
const callIn = (call: unknown): PreparedCall | undefined => {
  const encoded = encodeCall(call)
  if (Option.isNone(encoded)) return undefined
  const text = jsonText(encoded.value)
  if (text === undefined) return undefined
  const decoded = decodeCall(JSON.parse(text))
  if (Option.isNone(decoded)) return undefined
  const stored = decoded.value
  const districts = stored.call.location.place?.districts
  const categories = new Set<CallCategory | "">([""])
  for (const match of stored.categories) categories.add(match.category)
  return {
    dedupeKey: stored.dedupeKey,
    serviceDay: stored.serviceDay,
    addressKey: stored.call.location.addressKey,
    receivedAt: DateTime.toEpochMillis(stored.call.receivedAt),
    text,
    channel: stored.call.channel,
    // Area ids are never empty, so '' stands for "none" unambiguously.
    beat: districts?.beat ?? "",
    policeDistrict: districts?.policeDistrict ?? "",
    councilDistrict: districts?.councilDistrict ?? "",
    neighborhood: districts?.neighborhood ?? "",
    cells: [...categories]
  }
}

/** Why the batch's quarantined rows are malformed, or `undefined`. Rows must lie in the rows this batch covers. */
const quarantineProblem = (rows: ReadonlyArray<unknown>, after: number, throughRow: number): string | undefined => {
  const numbers = new Set<number>()
  for (const [index, row] of rows.entries()) {
    if (!isQuarantinedRow(row)) return `quarantined row ${index} is not a valid QuarantinedRow`
    if (row.rowNumber <= after || row.rowNumber > throughRow) {
      return `quarantined row ${index} has rowNumber ${row.rowNumber}, outside the rows this batch covers (${after + 1} to ${throughRow})`
    }
    if (numbers.has(row.rowNumber)) return `row ${row.rowNumber} is quarantined twice in the batch`
    numbers.add(row.rowNumber)
  }
  return undefined
}

/** An import batch checked as far as it can be before the transaction reads the import's progress. */
interface PreparedBatch {
  readonly importId: string
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
  const countCall = db.prepare(
    "INSERT INTO daily_counts (tenant_id, service_day, category, channel, address_key, beat, police_district, council_district, " +
      "neighborhood, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) " +
      "ON CONFLICT (tenant_id, category, service_day, channel, address_key, beat, police_district, council_district, neighborhood) " +
      "DO UPDATE SET count = count + 1"
  )
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
  const callsBetween = db.prepare<[string, string, string, string], string>(
    "SELECT data FROM calls WHERE tenant_id = ? AND address_key = ? AND service_day BETWEEN ? AND ? " +
      "ORDER BY received_at, dedupe_key"
  ).pluck()
  const upsertPlace = db.prepare(
    "INSERT INTO places (tenant_id, address_key, data) VALUES (?, ?, ?) ON CONFLICT (tenant_id, address_key) DO UPDATE SET data = excluded.data"
  )
  const placeAt = db.prepare<[string, string], string>("SELECT data FROM places WHERE tenant_id = ? AND address_key = ?").pluck()

  const write = db.transaction((tenantId: string, batch: PreparedBatch): { readonly imported: number; readonly duplicates: number } => {
    // Read under the write lock BEGIN IMMEDIATE took: no other batch can move the progress until COMMIT.
    const previous = progressOf.get(tenantId, batch.importId)
    const after = previous?.through_row ?? 0
    if (batch.throughRow <= after) {
      throw invalid(
        "commitImportBatch",
        `throughRow ${batch.throughRow} is not beyond the import's progress (row ${after} is committed)`
      )
    }
    if (typeof batch.calls === "string") throw invalid("commitImportBatch", batch.calls)
    const problem = quarantineProblem(batch.quarantined, after, batch.throughRow)
    if (problem !== undefined) throw invalid("commitImportBatch", problem)
    let imported = 0
    for (const call of batch.calls) {
      // A key stored earlier, or earlier in this batch, makes the call a duplicate that changes nothing.
      const { changes } = insertCall.run(tenantId, call.dedupeKey, call.serviceDay, call.addressKey, call.receivedAt, call.text)
      if (changes === 0) continue
      imported += 1
      for (const category of call.cells) {
        countCall.run(
          tenantId,
          call.serviceDay,
          category,
          call.channel,
          call.addressKey,
          call.beat,
          call.policeDistrict,
          call.councilDistrict,
          call.neighborhood
        )
      }
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
    if (typeof batch.importId !== "string" || batch.importId.length === 0) {
      return yield* invalid("commitImportBatch", "importId must be a non-empty string")
    }
    if (!isWholeNumber(batch.throughRow) || batch.throughRow < 1) {
      return yield* invalid("commitImportBatch", `throughRow must be a whole number >= 1, got ${batch.throughRow}`)
    }
    if (!Array.isArray(batch.calls) || !Array.isArray(batch.quarantined)) {
      return yield* invalid("commitImportBatch", "calls and quarantined must be arrays")
    }
    // Calls are checked and written out as JSON before the transaction, so the lock is held only for the writes.
    let calls: Array<PreparedCall> | string = []
    for (const [index, call] of batch.calls.entries()) {
      const prepared = callIn(call)
      if (prepared === undefined) {
        calls = `call ${index} is not a valid StoredCall`
        break
      }
      calls.push(prepared)
    }
    const prepared: PreparedBatch = { importId: batch.importId, throughRow: batch.throughRow, calls, quarantined: batch.quarantined }
    return yield* attempt("CallStore.commitImportBatch", () => write.immediate(tenantId, prepared), isInvalid)
  })

  const importProgress = (tenantId: string, importId: string) =>
    attempt("CallStore.importProgress", (): Option.Option<ImportProgress> => {
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
    if (!isWholeNumber(options.limit) || options.limit < 1 || options.limit > 10_000) {
      return yield* invalid("quarantined", `limit must be a whole number from 1 to 10000, got ${options.limit}`)
    }
    if (typeof options.afterRow !== "number" || Number.isNaN(options.afterRow)) {
      return yield* invalid("quarantined", `afterRow must be a number, got ${options.afterRow}`)
    }
    const afterRow = options.afterRow
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
    const problem = serviceDayProblem("fromDay", window.fromDay) ?? serviceDayProblem("toDay", window.toDay)
    if (problem !== undefined) return yield* invalid("callsAt", problem)
    // YYYY-MM-DD strings compare as the days they name.
    return yield* attempt("CallStore.callsAt", (): ReadonlyArray<StoredCall> =>
      callsBetween.all(tenantId, addressKey, window.fromDay, window.toDay).map(readCall))
  })

  const writePlaces = db.transaction((tenantId: string, places: ReadonlyMap<string, string>) => {
    for (const [addressKey, text] of places) upsertPlace.run(tenantId, addressKey, text)
  })

  const upsertPlaces = Effect.fnUntraced(function*(tenantId: string, places: ReadonlyArray<Place>) {
    if (!Array.isArray(places)) return yield* invalid("upsertPlaces", "places must be an array")
    const stored = new Map<string, string>()
    for (const [index, place] of places.entries()) {
      const encoded = encodePlace(place)
      const text = Option.isSome(encoded) ? jsonText(encoded.value) : undefined
      if (text === undefined) return yield* invalid("upsertPlaces", `place ${index} is not a valid Place`)
      // Which of two entries for one address wins is not part of the contract, so the request is ambiguous.
      if (stored.has(place.addressKey)) {
        return yield* invalid("upsertPlaces", `address key ${JSON.stringify(place.addressKey)} appears more than once`)
      }
      stored.set(place.addressKey, text)
    }
    if (stored.size === 0) return
    yield* attempt("CallStore.upsertPlaces", () => writePlaces.immediate(tenantId, stored))
  })

  const place = (tenantId: string, addressKey: string) =>
    attempt("CallStore.place", (): Option.Option<Place> => {
      const text = placeAt.get(tenantId, addressKey)
      return text === undefined ? Option.none() : Option.some(readPlace(text))
    })

  return CallStore.of({ commitImportBatch, importProgress, quarantined, callsAt, upsertPlaces, place })
}
