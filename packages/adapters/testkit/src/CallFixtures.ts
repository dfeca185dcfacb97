/**
 * The calls the call checks import: stored calls built from a few fields,
 * service-day arithmetic, and a plain-data view of a call for comparisons.
 *
 * @module
 */
import {
  type AddressedLocation,
  AddressKey,
  type AddressUnknownReason,
  type CallCategory,
  type CallChannel,
  type CallLocation,
  type Districts,
  type ImportBatch,
  locationAddressKey,
  Place,
  type QuarantinedRow,
  StoredCall
} from "@community-policing/core"
import { DateTime, Option, Schema } from "effect"

/** What to build a stored call from; everything but the key, the address and the day has a default. */
export interface CallSpec {
  readonly dedupeKey: string
  readonly addressKey: string
  /** The service day, `YYYY-MM-DD`. */
  readonly serviceDay: string
  /**
   * The local time of day the call was received, `HH:MM` in Pacific
   * standard time (UTC-8), default `12:00`. From 16:00 on, the UTC date of
   * `receivedAt` is the next day while the service day stays this one.
   */
  readonly localTime?: string | undefined
  /** Default `911`. */
  readonly channel?: CallChannel | undefined
  /**
   * The categories, one match each (default none). A category listed twice
   * makes two matches by different rules, as when two rules of a code table
   * put the call in the same category.
   */
  readonly categories?: ReadonlyArray<CallCategory> | undefined
  /** The districts of the place the call resolved to; without them the call has no place. */
  readonly districts?: Districts | undefined
}

/**
 * A well-formed stored call: `sourceRecordId` is the dedupe key, the call
 * type a disturbance, the place (when `districts` is given) of unknown land
 * use, every protection flag false.
 *
 * @example
 * ```ts
 * makeStoredCall({ dedupeKey: "id:cad:1", addressKey: "23XX 10TH AVE", serviceDay: "2026-03-02", categories: ["disorder"] })
 * ```
 */
export const makeStoredCall = (spec: CallSpec): AddressedStoredCall =>
  callAt(
    spec,
    spec.districts === undefined
      ? { addressKey: spec.addressKey }
      : { addressKey: spec.addressKey, place: { addressKey: spec.addressKey, landUse: { _tag: "unknown" }, districts: spec.districts } }
  )

/** A stored call at an address, as {@link makeStoredCall} builds it: its location reads without narrowing. */
export type AddressedStoredCall = StoredCall & { readonly call: { readonly location: AddressedLocation } }

/**
 * A well-formed stored call without an address, as an import makes from a
 * row whose address is blank or an export without an address column: in
 * `districts` (none when not given) and at no place.
 *
 * @example
 * ```ts
 * makeUnaddressedCall({ dedupeKey: "id:cad:2", addressUnknown: "blank", serviceDay: "2026-03-02", districts: { beat: "1A" } })
 * ```
 */
export const makeUnaddressedCall = (
  spec: Omit<CallSpec, "addressKey"> & { readonly addressUnknown: AddressUnknownReason }
): StoredCall => callAt(spec, { addressUnknown: spec.addressUnknown, districts: spec.districts ?? {} })

const callAt = <L extends CallLocation>(
  spec: Omit<CallSpec, "addressKey" | "districts">,
  location: L
): StoredCall & { readonly call: { readonly location: L } } => {
  const receivedAt = DateTime.makeUnsafe(Date.parse(`${spec.serviceDay}T${spec.localTime ?? "12:00"}:00.000-08:00`))
  return {
    call: {
      sourceRecordId: spec.dedupeKey,
      receivedAt,
      channel: spec.channel ?? "911",
      callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
      location,
      domesticViolenceOrVictimization: false,
      medical: false,
      fireOrEms: false,
      callerIsVictim: false
    },
    dedupeKey: spec.dedupeKey,
    serviceDay: spec.serviceDay,
    categories: (spec.categories ?? []).map((category, index) => ({
      category,
      table: "testkit-codes",
      tableVersion: "2026-01",
      rule: `${category}-${index}`
    })),
    source: "testkit-cad"
  }
}

/**
 * The address key of a call, for checks on calls built by
 * {@link makeStoredCall}; `""` for a call without an address, which no
 * store finds calls at (address keys are never empty).
 */
export const addressKeyOf = (call: StoredCall): string => locationAddressKey(call.call.location) ?? ""

/** An import batch; with `afterRow`, one that states the progress it continues from. */
export const makeBatch = (
  importId: string,
  throughRow: number,
  calls: ReadonlyArray<StoredCall>,
  quarantined: ReadonlyArray<QuarantinedRow> = [],
  afterRow?: number
): ImportBatch =>
  afterRow === undefined ? { importId, throughRow, calls, quarantined } : { importId, afterRow, throughRow, calls, quarantined }

const encodeCall = Schema.encodeUnknownOption(StoredCall)
const encodePlace = Schema.encodeUnknownOption(Place)

/**
 * A stored call as plain data for comparison: its JSON encoding (every
 * field, `receivedAt` as its ISO string, nothing an adapter added). A value
 * that is not a valid stored call shows as `{ notAStoredCall: value }`, so
 * the diff says what came back.
 */
export const storedCallView = (call: unknown): unknown =>
  Option.getOrElse(encodeCall(call), () => ({ notAStoredCall: call }))

/** A place as plain data for comparison; see {@link storedCallView}. */
export const placeView = (place: unknown): unknown =>
  Option.getOrElse(encodePlace(place), () => ({ notAPlace: place }))

/** Whether a string can be an address key (non-empty, no leading or trailing white space). */
export const isAddressKey: (text: string) => boolean = Schema.is(AddressKey)

const DAY_MILLIS = 86_400_000

/**
 * The service day `days` days after `day` (before it when negative), both
 * `YYYY-MM-DD`. Arithmetic on UTC midnights is exact: a calendar day has no
 * zone, so no day here is 23 or 25 hours long.
 *
 * @example
 * ```ts
 * addDays("2028-02-28", 2) // => "2028-03-01"
 * ```
 */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MILLIS).toISOString().slice(0, 10)
