/**
 * The calls-for-service store port: calls imported from records systems,
 * deduplicated, classified, with their import's progress and quarantined
 * rows, and the places registry the 911 rules read land use from.
 *
 * @module
 */
import { Context, type Effect, type Option, Schema } from "effect"
import { type CallCategory, CategoryMatch, protectedCategories } from "../calls/Category.ts"
import {
  CallForService,
  type CallLocation,
  isProtectedCallEncoding,
  locationAddressKey,
  locationDistricts
} from "../kernel/CallForService.ts"
import { confidential, sensitiveWhen } from "../kernel/Sensitivity.ts"
import { CalendarDate } from "../kernel/Holiday.ts"
import { AddressKey, Place } from "../kernel/Place.ts"
import type { ImportAlreadyRunning, InvalidStoreRequest, StorageFailure } from "./StoreErrors.ts"
import { areaIdProblem, namedKeyProblem, portableValueProblem } from "./StoreLimits.ts"

/**
 * A call as stored: the call, the key that makes importing it twice a no-op,
 * the local day it belongs to, and how it was classified.
 */
export const StoredCall = sensitiveWhen(Schema.Struct({
  call: CallForService,
  /**
   * Unique per tenant: `id:<source>:<sourceRecordId>` when the export has
   * record ids, else `hash:<sha256 of the normalized row>`.
   */
  dedupeKey: Schema.NonEmptyString,
  /**
   * The call's received date in the jurisdiction's time zone: the bucket of
   * daily counts. The importer computes it; adapters store and count by it as
   * given and never derive it from `receivedAt` (whose UTC date differs for
   * evening calls west of Greenwich).
   */
  serviceDay: CalendarDate,
  categories: Schema.Array(CategoryMatch),
  /** The import source, e.g. `sacramento-cad`. */
  source: Schema.NonEmptyString
}), (encoded) => (isProtectedStoredCallEncoding(encoded)
  ? [{ path: ["call", "callType"], sensitivity: "confidential" }, { path: ["categories"], sensitivity: "confidential" }]
  : []))

/**
 * Whether a stored call's JSON encoding is of a protected call: a protection
 * flag is set, or a category says so (`protectedCategories`), as when a code
 * table classifies a call as domestic violence that the export did not flag.
 * Its call type and categories are then confidential: they say what the
 * protection hides.
 */
const isProtectedStoredCallEncoding = (encoded: unknown): boolean => {
  if (typeof encoded !== "object" || encoded === null) return false
  const { call, categories } = encoded as { readonly call?: unknown; readonly categories?: unknown }
  return isProtectedCallEncoding(call) ||
    (Array.isArray(categories) &&
      categories.some((match: unknown) =>
        typeof match === "object" && match !== null &&
        protectedCategories.includes((match as { readonly category?: unknown }).category as CallCategory)))
}

/** A call as stored; see {@link StoredCall}. */
export type StoredCall = typeof StoredCall.Type

/** A row an import could not use, kept with its reason: nothing is dropped silently. */
export const QuarantinedRow = Schema.Struct({
  /** 1-based row number in the source, the header being row 1 when there is one. */
  rowNumber: Schema.Int,
  /**
   * What the import kept of the row's text: by default only the columns its
   * mapping reads (an export's other columns hold callers' and victims'
   * names and phone numbers), the whole line when the city chose to keep raw
   * lines. Confidential: a redacted view for the public, the commission or
   * staff never shows it.
   */
  raw: confidential(Schema.String),
  /** Why it was set aside, e.g. `receivedAt: "13/45/2024 9:00" is not a date (M/d/yyyy H:mm)`. */
  reason: Schema.NonEmptyString
})

/** A row an import could not use; see {@link QuarantinedRow}. */
export type QuarantinedRow = typeof QuarantinedRow.Type

/** One batch of an import, committed atomically with the import's progress. */
export interface ImportBatch {
  /** Identifies the import (e.g. the source name and the file's hash), so a rerun resumes it. A key: at most 1,024 bytes. */
  readonly importId: string
  /**
   * The import's progress this batch continues from, as the importer read it
   * (0 for an import that has not committed yet), like an append's expected
   * version. When the committed progress is another row, another process is
   * importing the same file: the batch fails with `ImportAlreadyRunning` and
   * writes nothing. Leave it out only if nothing else can run the import
   * (then a batch not beyond the progress is `InvalidStoreRequest`).
   */
  readonly afterRow?: number | undefined
  /** The last source row this batch covers; the import's progress after the commit. */
  readonly throughRow: number
  readonly calls: ReadonlyArray<StoredCall>
  readonly quarantined: ReadonlyArray<QuarantinedRow>
}

/** What an import has done so far, as committed; the counts are totals over all its committed batches. */
export interface ImportProgress {
  readonly importId: string
  /** The last source row committed; a resumed import starts after it. */
  readonly throughRow: number
  readonly imported: number
  readonly duplicates: number
  readonly quarantined: number
}

const addressKeyProblem = (location: CallLocation): string | undefined => {
  const addressKey = locationAddressKey(location)
  return addressKey === undefined ? undefined : namedKeyProblem("call.location.addressKey", addressKey)
}

/**
 * Why a stored call breaks the store limits (see `StoreLimits`), naming
 * the field, e.g. `dedupeKey is 3032 bytes long, over the limit of 1024
 * bytes` or `call.callType.description contains a NUL character ...`; or
 * `undefined`. The dedupe key and address key are keys (1,024 bytes), the
 * place's area ids 256 bytes each, and every string portable text. Every
 * adapter refuses such a call with `InvalidStoreRequest` (the reason
 * prefixed with `call <index>: `), so a batch one adapter takes is taken by
 * all. `call` must already be a valid {@link StoredCall}.
 */
export const storedCallProblem = (call: StoredCall): string | undefined =>
  namedKeyProblem("dedupeKey", call.dedupeKey) ??
    addressKeyProblem(call.call.location) ??
    districtsProblem(
      locationDistricts(call.call.location),
      "addressKey" in call.call.location ? "call.location.place.districts" : "call.location.districts"
    ) ??
    portableValueProblem(call, "")

/**
 * Why a place breaks the store limits, naming the field, or `undefined`:
 * the address key is a key, area ids are at most 256 bytes, every string is
 * portable text. `place` must already be a valid `Place`.
 */
export const placeProblem = (place: Place): string | undefined =>
  namedKeyProblem("addressKey", place.addressKey) ??
    districtsProblem(place.districts, "districts") ??
    portableValueProblem(place, "")

/** Why a quarantined row's text is not portable, naming the field, or `undefined`. */
export const quarantinedRowProblem = (row: QuarantinedRow): string | undefined =>
  portableValueProblem(row.raw, "raw") ?? portableValueProblem(row.reason, "reason")

const isWhole = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value)

/**
 * Why a batch breaks the contract in what can be checked before the
 * import's progress is read (the import id, `afterRow`, `throughRow`, the
 * two arrays), or `undefined`. Every adapter checks this first, after the
 * tenant id, so they refuse the same batches with the same words.
 */
export const importBatchProblem = (batch: ImportBatch): string | undefined => {
  const importId = namedKeyProblem("importId", batch.importId)
  if (importId !== undefined) return importId
  if (!isWhole(batch.throughRow) || batch.throughRow < 1) {
    return `throughRow must be a whole number >= 1, got ${batch.throughRow}`
  }
  if (batch.afterRow !== undefined) {
    if (!isWhole(batch.afterRow) || batch.afterRow < 0) return `afterRow must be a whole number >= 0, got ${batch.afterRow}`
    if (batch.throughRow <= batch.afterRow) {
      return `throughRow ${batch.throughRow} is not beyond the batch's afterRow ${batch.afterRow}`
    }
  }
  if (!Array.isArray(batch.calls) || !Array.isArray(batch.quarantined)) return "calls and quarantined must be arrays"
  return undefined
}

/**
 * Why a batch cannot continue from the import's committed progress `after`
 * (0 when the import has none), as `ImportAlreadyRunning` when the batch
 * stated another `afterRow`, else as the reason of an `InvalidStoreRequest`
 * when its `throughRow` is not beyond it; `undefined` when it can. Adapters
 * check it with the progress read in the batch's transaction.
 */
export const progressProblem = (
  batch: ImportBatch,
  after: number
): { readonly _tag: "ImportAlreadyRunning"; readonly expectedAfterRow: number } | { readonly _tag: "Invalid"; readonly reason: string } | undefined => {
  if (batch.afterRow !== undefined && batch.afterRow !== after) return { _tag: "ImportAlreadyRunning", expectedAfterRow: batch.afterRow }
  if (batch.throughRow <= after) {
    return { _tag: "Invalid", reason: `throughRow ${batch.throughRow} is not beyond the import's progress (row ${after} is committed)` }
  }
  return undefined
}

const districtsProblem = (
  districts: Readonly<Record<string, string | undefined>> | undefined,
  path: string
): string | undefined => {
  if (districts === undefined) return undefined
  for (const [name, id] of Object.entries(districts)) {
    if (id === undefined) continue
    const problem = areaIdProblem(id)
    if (problem !== undefined) return `${path}.${name} ${problem}`
  }
  return undefined
}

/**
 * The calls-for-service store port.
 *
 * Contract:
 * - **Atomic batches.** `commitImportBatch` stores its calls (skipping those
 *   whose `dedupeKey` the tenant already has), its quarantined rows and the
 *   import's progress together or not at all, and keeps the analytics'
 *   daily counts up to date in the same transaction (see `CallAnalytics`).
 *   A batch holding a call that is not a valid `StoredCall`, or a row that
 *   is not a valid `QuarantinedRow`, fails with `InvalidStoreRequest` and
 *   writes nothing.
 * - **Store limits** (`StoreLimits`), checked the same by every adapter
 *   before anything is written: the tenant id (at most 256 bytes), the
 *   import id, dedupe keys and address keys (at most 1,024 bytes) must be
 *   non-empty portable text, area ids at most 256 bytes, and every other
 *   string portable text (no U+0000, no lone surrogate). A batch or a place
 *   breaking one fails with `InvalidStoreRequest` naming the call or row,
 *   the field and the reason (see {@link storedCallProblem},
 *   {@link placeProblem}, {@link quarantinedRowProblem}) and writes
 *   nothing; a 1,024-byte key is stored. Every operation refuses a tenant
 *   id that breaks them (`tenantIdRefusal`), reads included. A read by an
 *   import id or address key that breaks them finds nothing: no such key
 *   can have been stored.
 * - **One importer at a time.** A batch stating `afterRow` commits only if
 *   the import's committed progress is exactly `afterRow`; otherwise it
 *   fails with `ImportAlreadyRunning` (carrying the progress found) and
 *   writes nothing, so of two processes importing one file at once, the
 *   loser is told so. A `throughRow` not beyond `afterRow` is the caller's
 *   bug (`InvalidStoreRequest`). Quarantined rows must lie in the rows the
 *   batch covers.
 * - **Idempotent.** A call whose `dedupeKey` is already stored is counted as
 *   a duplicate and changes nothing; so importing a file twice, or an
 *   overlapping export, adds nothing twice, and an import killed midway and
 *   run again ends exactly as one clean run. A key repeated within one batch
 *   is stored once, from its first call; the later ones are duplicates. A
 *   batch without `afterRow` whose `throughRow` is not beyond the import's
 *   progress fails with `InvalidStoreRequest`.
 * - **Places** are upserted by address key; a place not in the registry has
 *   unknown land use.
 * - **Bulk imports** (`beginBulkImport` ... `finishBulkImport`). An importer
 *   loading a large file may open a bulk import first and finish it after
 *   its last batch. While any is open the adapter may work differently
 *   (SQLite defers the calls-by-address index and checkpoints its WAL less
 *   often), but never in what it answers: every batch is as atomic and as
 *   idempotent as outside a bulk import (a repeated dedupe key is a
 *   duplicate; the progress, imported, duplicates and quarantined counts
 *   are the same), and every read answers exactly as it would without one,
 *   only perhaps more slowly. After `finishBulkImport` the store holds
 *   exactly what the same batches committed one by one would have left
 *   (calls, daily counts, progress, quarantined rows), with every index
 *   built and the planner's statistics up to date. Both are idempotent:
 *   beginning an import already open, or finishing one not open, is a
 *   no-op, so a killed bulk import resumes by beginning again, committing
 *   after its progress and finishing, and ends as one clean run. Until it
 *   is finished (the process killed and never run again), reads stay
 *   correct but may be slower. Bulk imports of other imports or tenants
 *   may be open at the same time; deferred work is done when the last one
 *   finishes. A tenant id or import id that breaks the store limits is
 *   `InvalidStoreRequest`.
 * - Faithful storage and tenant isolation, as for the event store.
 */
export class CallStore extends Context.Service<CallStore, {
  /**
   * Stores one import batch with the import's progress; returns what was new
   * and what was a duplicate; `ImportAlreadyRunning` when the batch's
   * `afterRow` is not the committed progress.
   */
  readonly commitImportBatch: (
    tenantId: string,
    batch: ImportBatch
  ) => Effect.Effect<
    { readonly imported: number; readonly duplicates: number },
    ImportAlreadyRunning | InvalidStoreRequest | StorageFailure
  >
  /** An import's committed progress, if it has started. */
  readonly importProgress: (
    tenantId: string,
    importId: string
  ) => Effect.Effect<Option.Option<ImportProgress>, InvalidStoreRequest | StorageFailure>
  /**
   * The rows an import quarantined, in row order: those after `afterRow`
   * (exclusive), at most `limit` (1 to 10,000, else `InvalidStoreRequest`).
   */
  readonly quarantined: (
    tenantId: string,
    importId: string,
    options: { readonly afterRow: number; readonly limit: number }
  ) => Effect.Effect<ReadonlyArray<QuarantinedRow>, InvalidStoreRequest | StorageFailure>
  /**
   * The calls whose address key is exactly `addressKey` and whose service day
   * lies in `[fromDay, toDay]`, oldest first (by `receivedAt`, ties by
   * `dedupeKey` in code point order). A day that is not a `YYYY-MM-DD`
   * calendar date fails with `InvalidStoreRequest`.
   */
  readonly callsAt: (
    tenantId: string,
    addressKey: string,
    window: { readonly fromDay: string; readonly toDay: string }
  ) => Effect.Effect<ReadonlyArray<StoredCall>, InvalidStoreRequest | StorageFailure>
  /** Adds or replaces places in the registry, by address key. */
  readonly upsertPlaces: (
    tenantId: string,
    places: ReadonlyArray<Place>
  ) => Effect.Effect<void, InvalidStoreRequest | StorageFailure>
  /**
   * Opens a bulk import of `importId` (see the contract above): the batches
   * that follow may be stored faster, deferring work until
   * `finishBulkImport`. Beginning an import already open is a no-op.
   */
  readonly beginBulkImport: (
    tenantId: string,
    importId: string
  ) => Effect.Effect<void, InvalidStoreRequest | StorageFailure>
  /**
   * Finishes a bulk import: whatever was deferred is done (indexes built,
   * statistics gathered) once no other bulk import is open, leaving the
   * store exactly as batch-by-batch commits would have. Finishing an import
   * that is not open is a no-op.
   */
  readonly finishBulkImport: (
    tenantId: string,
    importId: string
  ) => Effect.Effect<void, InvalidStoreRequest | StorageFailure>
  /** A place by address key, if the registry has it. */
  readonly place: (
    tenantId: string,
    addressKey: typeof AddressKey.Type
  ) => Effect.Effect<Option.Option<Place>, InvalidStoreRequest | StorageFailure>
}>()("@community-policing/core/CallStore") {}
