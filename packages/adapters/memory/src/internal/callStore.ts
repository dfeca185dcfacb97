/**
 * The calls-for-service store over the shared memory state: import batches
 * with their progress, quarantined rows and daily counts written in one
 * step, calls by address, and the places registry.
 *
 * @internal
 */
import {
  CallStore,
  compareCodePoints,
  ImportAlreadyRunning,
  type ImportBatch,
  type ImportProgress,
  InvalidStoreRequest,
  locationAddressKey,
  progressProblem,
  quarantinedRowsProblem,
  storedCallProblem,
  Place,
  QuarantinedRow,
  StoredCall
} from "@community-policing/core"
import { DateTime, Effect, Option, Schema } from "effect"
import { countCall } from "./dailyCounts.ts"
import { copyIn, copyOut } from "./json.ts"
import { type CallRow, type State, tenantForWrite } from "./state.ts"

// Encoding checks the value against the schema's type first, so it is the validation too.
const encodeCall = Schema.encodeUnknownOption(StoredCall)
const decodeCall = Schema.decodeUnknownOption(StoredCall)
const encodePlace = Schema.encodeSync(Place)
// Stored values were validated on the way in: failing to read one back is a defect of the store itself.
const readCall = (stored: Schema.Json): StoredCall => Schema.decodeUnknownSync(StoredCall)(copyOut(stored))
const readPlace = (stored: Schema.Json): Place => Schema.decodeUnknownSync(Place)(copyOut(stored))
// A valid place's encoding is JSON, so its text always parses back.
const placeIn = (place: Place): Schema.Json => JSON.parse(JSON.stringify(encodePlace(place))) as Schema.Json

const invalid = (operation: string, reason: string) => new InvalidStoreRequest({ operation: `CallStore.${operation}`, reason })

/**
 * The stored form of a call, checked, encoded and copied through its JSON
 * text; or why it cannot be stored (not a `StoredCall`, or beyond the store
 * limits).
 */
const callIn = (call: unknown, index: number): { readonly row: CallRow; readonly call: StoredCall } | string => {
  const notAStoredCall = `call ${index} is not a valid StoredCall`
  const encoded = encodeCall(call)
  if (Option.isNone(encoded)) return notAStoredCall
  const json = copyIn(encoded.value)
  if (json === undefined) return notAStoredCall
  const decoded = decodeCall(copyOut(json))
  if (Option.isNone(decoded)) return notAStoredCall
  const stored = decoded.value
  const problem = storedCallProblem(stored)
  if (problem !== undefined) return `call ${index}: ${problem}`
  return {
    call: stored,
    row: {
      dedupeKey: stored.dedupeKey,
      addressKey: locationAddressKey(stored.call.location),
      serviceDay: stored.serviceDay,
      receivedAt: DateTime.toEpochMillis(stored.call.receivedAt),
      encoded: json
    }
  }
}

/** `callsAt` order: oldest first, ties by dedupe key in code point order. */
const compareRows = (a: CallRow, b: CallRow): number =>
  a.receivedAt !== b.receivedAt ? a.receivedAt - b.receivedAt : compareCodePoints(a.dedupeKey, b.dedupeKey)

/** Inserts a row after every row that sorts before or equal to it; imports mostly arrive in time order, so this is usually the end. */
const insertSorted = (rows: Array<CallRow>, row: CallRow): void => {
  let low = 0
  let high = rows.length
  while (low < high) {
    const middle = (low + high) >>> 1
    // The index is inside [0, rows.length), so the element exists.
    if (compareRows(rows[middle]!, row) <= 0) low = middle + 1
    else high = middle
  }
  rows.splice(low, 0, row)
}

/** Index of the first row numbered strictly after `afterRow`. */
const firstRowAfter = (rows: ReadonlyArray<QuarantinedRow>, afterRow: number): number => {
  let low = 0
  let high = rows.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (rows[middle]!.rowNumber <= afterRow) low = middle + 1
    else high = middle
  }
  return low
}

const progressOut = (progress: ImportProgress): ImportProgress => ({ ...progress })

const rowOut = (row: QuarantinedRow): QuarantinedRow => ({ rowNumber: row.rowNumber, raw: row.raw, reason: row.reason })

/** The call store service over `state`. */
export const makeCallStore = (state: State): CallStore["Service"] => {
  const commitImportBatch = Effect.fnUntraced(function*(
    tenantId: string,
    batch: ImportBatch
  ): Effect.fn.Return<{ readonly imported: number; readonly duplicates: number }, ImportAlreadyRunning | InvalidStoreRequest> {
    // Everything below runs without yielding: the batch is one atomic step.
    // The batch's own fields were checked by `StoreLimitChecks.callStore`.
    const existing = state.tenants.get(tenantId)
    const previous = existing?.imports.get(batch.importId)
    const after = previous?.progress.throughRow ?? 0
    const stale = progressProblem(batch, after)
    if (stale?._tag === "ImportAlreadyRunning") {
      const found = previous?.progress ?? { throughRow: 0, imported: 0, duplicates: 0, quarantined: 0 }
      return yield* new ImportAlreadyRunning({
        tenantId,
        importId: batch.importId,
        expectedAfterRow: stale.expectedAfterRow,
        progress: { throughRow: found.throughRow, imported: found.imported, duplicates: found.duplicates, quarantined: found.quarantined }
      })
    }
    if (stale !== undefined) return yield* invalid("commitImportBatch", stale.reason)
    const incoming: Array<{ readonly row: CallRow; readonly call: StoredCall }> = []
    for (const [index, call] of batch.calls.entries()) {
      const stored = callIn(call, index)
      if (typeof stored === "string") return yield* invalid("commitImportBatch", stored)
      incoming.push(stored)
    }
    const problem = quarantinedRowsProblem(batch.quarantined, after, batch.throughRow)
    if (problem !== undefined) return yield* invalid("commitImportBatch", problem)

    const tenant = existing ?? tenantForWrite(state, tenantId)
    let imported = 0
    for (const { call, row } of incoming) {
      // A key stored earlier, or earlier in this batch, makes the call a duplicate that changes nothing.
      if (tenant.calls.has(row.dedupeKey)) continue
      tenant.calls.set(row.dedupeKey, row)
      if (row.addressKey !== undefined) {
        const atAddress = tenant.callsByAddress.get(row.addressKey) ?? []
        tenant.callsByAddress.set(row.addressKey, atAddress)
        insertSorted(atAddress, row)
      }
      countCall(tenant, call)
      imported += 1
    }
    const duplicates = incoming.length - imported
    const rows = batch.quarantined.map(rowOut).sort((a, b) => a.rowNumber - b.rowNumber)
    const record = previous ?? { progress: { importId: batch.importId, throughRow: 0, imported: 0, duplicates: 0, quarantined: 0 }, quarantined: [] }
    record.progress = {
      importId: batch.importId,
      throughRow: batch.throughRow,
      imported: record.progress.imported + imported,
      duplicates: record.progress.duplicates + duplicates,
      quarantined: record.progress.quarantined + rows.length
    }
    record.quarantined.push(...rows)
    tenant.imports.set(batch.importId, record)
    return { imported, duplicates }
  })

  const importProgress = Effect.fnUntraced(function*(tenantId: string, importId: string) {
    const record = state.tenants.get(tenantId)?.imports.get(importId)
    return record === undefined ? Option.none() : Option.some(progressOut(record.progress))
  })

  const quarantined = Effect.fnUntraced(function*(
    tenantId: string,
    importId: string,
    options: { readonly afterRow: number; readonly limit: number }
  ): Effect.fn.Return<ReadonlyArray<QuarantinedRow>> {
    const rows = state.tenants.get(tenantId)?.imports.get(importId)?.quarantined ?? []
    const start = firstRowAfter(rows, options.afterRow)
    return rows.slice(start, start + options.limit).map(rowOut)
  })

  const callsAt = Effect.fnUntraced(function*(
    tenantId: string,
    addressKey: string,
    window: { readonly fromDay: string; readonly toDay: string }
  ): Effect.fn.Return<ReadonlyArray<StoredCall>> {
    const rows = state.tenants.get(tenantId)?.callsByAddress.get(addressKey) ?? []
    // YYYY-MM-DD strings compare as the days they name.
    return rows
      .filter((row) => row.serviceDay >= window.fromDay && row.serviceDay <= window.toDay)
      .map((row) => readCall(row.encoded))
  })

  const upsertPlaces = Effect.fnUntraced(function*(
    tenantId: string,
    places: ReadonlyArray<Place>
  ): Effect.fn.Return<void> {
    // `StoreLimitChecks.callStore` refused anything but distinct, valid places, so each encodes.
    if (places.length === 0) return
    const tenant = tenantForWrite(state, tenantId)
    for (const place of places) tenant.places.set(place.addressKey, placeIn(place))
  })

  const place = Effect.fnUntraced(function*(tenantId: string, addressKey: string) {
    const stored = state.tenants.get(tenantId)?.places.get(addressKey)
    return stored === undefined ? Option.none() : Option.some(readPlace(stored))
  })

  // Nothing to defer in memory: a bulk import stores each batch as any other (see the port's contract).
  const beginBulkImport = (_tenantId: string, _importId: string) => Effect.void
  const finishBulkImport = (_tenantId: string, _importId: string) => Effect.void

  return CallStore.of({ commitImportBatch, importProgress, quarantined, callsAt, upsertPlaces, place, beginBulkImport, finishBulkImport })
}

/** A caller's copy of every call stored for a tenant, in import order (for the inspector). */
export const storedCallsOut = (rows: Iterable<CallRow>): Array<StoredCall> =>
  Array.from(rows, (row) => readCall(row.encoded))

/** A caller's copy of a stored place (for the inspector). */
export const storedPlaceOut = (stored: Schema.Json): Place => readPlace(stored)

/** A caller's copy of an import's progress and quarantined rows (for the inspector). */
export const importOut = (record: { readonly progress: ImportProgress; readonly quarantined: ReadonlyArray<QuarantinedRow> }) => ({
  progress: progressOut(record.progress),
  quarantined: record.quarantined.map(rowOut)
})
