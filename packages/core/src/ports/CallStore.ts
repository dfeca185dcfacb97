/**
 * The calls-for-service store port: calls imported from records systems,
 * deduplicated, classified, with their import's progress and quarantined
 * rows, and the places registry the 911 rules read land use from.
 *
 * @module
 */
import { Context, type Effect, type Option, Schema } from "effect"
import { CategoryMatch } from "../calls/Category.ts"
import { CallForService } from "../kernel/CallForService.ts"
import { CalendarDate } from "../kernel/Holiday.ts"
import { AddressKey, Place } from "../kernel/Place.ts"
import { confidential } from "../kernel/Sensitivity.ts"
import type { InvalidStoreRequest, StorageFailure } from "./StoreErrors.ts"

/**
 * A call as stored: the call, the key that makes importing it twice a no-op,
 * the local day it belongs to, and how it was classified.
 */
export const StoredCall = Schema.Struct({
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
})

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
  /** Identifies the import (e.g. the source name and the file's hash), so a rerun resumes it. */
  readonly importId: string
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
 * - **Idempotent.** A call whose `dedupeKey` is already stored is counted as
 *   a duplicate and changes nothing; so importing a file twice, or an
 *   overlapping export, adds nothing twice, and an import killed midway and
 *   run again ends exactly as one clean run. A key repeated within one batch
 *   is stored once, from its first call; the later ones are duplicates. A
 *   batch whose `throughRow` is not beyond the import's progress fails with
 *   `InvalidStoreRequest`.
 * - **Places** are upserted by address key; a place not in the registry has
 *   unknown land use.
 * - Faithful storage and tenant isolation, as for the event store.
 */
export class CallStore extends Context.Service<CallStore, {
  /** Stores one import batch with the import's progress; returns what was new and what was a duplicate. */
  readonly commitImportBatch: (
    tenantId: string,
    batch: ImportBatch
  ) => Effect.Effect<{ readonly imported: number; readonly duplicates: number }, InvalidStoreRequest | StorageFailure>
  /** An import's committed progress, if it has started. */
  readonly importProgress: (
    tenantId: string,
    importId: string
  ) => Effect.Effect<Option.Option<ImportProgress>, StorageFailure>
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
  /** A place by address key, if the registry has it. */
  readonly place: (
    tenantId: string,
    addressKey: typeof AddressKey.Type
  ) => Effect.Effect<Option.Option<Place>, StorageFailure>
}>()("@community-policing/core/CallStore") {}
