/**
 * The call analytics port: counts of calls by place, area and category in
 * rolling windows, repeat-location rankings and concentration, computed where
 * the calls are stored (in SQL for the database adapters) and kept up to date
 * incrementally as calls are imported.
 *
 * @module
 */
import { Context, type Effect, Schema } from "effect"
import { CallCategory } from "../calls/Category.ts"
import { CallChannel } from "../kernel/CallForService.ts"
import { isCalendarDate } from "../kernel/Holiday.ts"
import type { InvalidStoreRequest, StorageFailure } from "./StoreErrors.ts"

/**
 * A rolling window: the `days` service days ending with `endDay` (a local
 * `YYYY-MM-DD` date), both ends included. `{ endDay: "2026-03-31", days: 90 }`
 * is 1 January to 31 March 2026.
 */
export interface DayWindow {
  readonly endDay: string
  readonly days: number
}

/**
 * Which calls a count includes; every condition must hold. A call's address
 * is `call.location.addressKey`; its areas are the districts of the place
 * stored with it (`call.location.place?.districts`), as imported: upserting
 * places later does not move calls already counted.
 */
export interface CallFilter {
  readonly window: DayWindow
  /**
   * Only calls carrying this category (a call with several counts in each; a
   * call counts once in a category however many of its matches name it).
   */
  readonly category?: CallCategory | undefined
  /** Only calls that came in by these channels; an empty list matches no call. */
  readonly channels?: ReadonlyArray<CallChannel> | undefined
}

/** An area kind a call can be counted by. */
export type AreaKind = "beat" | "police-district" | "council-district" | "neighborhood"

/** A count for one key (an address, an area, a category). */
export interface KeyCount {
  readonly key: string
  readonly count: number
}

/** The share of calls at the busiest places. */
export interface Concentration {
  /** Places with at least one call in the window. */
  readonly places: number
  /** How many places the top share is (`ceil(places * topPercent / 100)`). */
  readonly topPlaces: number
  readonly callsAtTop: number
  readonly totalCalls: number
  /** `callsAtTop / totalCalls`, 0 when there are no calls. */
  readonly share: number
}

/**
 * The analytics port. Results are deterministic: counts sort descending, ties
 * by key in code point order; only keys with at least one call appear.
 *
 * Contract:
 * - **Windows** are whole service days (the call's local date); `days` is a
 *   whole number from 1 to 3,660 and `endDay` a calendar date, else
 *   `InvalidStoreRequest`.
 * - **Incremental.** Counts reflect every committed import batch; adding a
 *   day of calls does not rescan history (the database adapters keep daily
 *   counts, updated in the import's transaction).
 * - **Pushdown.** Database adapters aggregate in the database; they never
 *   load all calls into JavaScript.
 * - Every adapter answers the same for the same calls (the conformance kit
 *   checks every adapter against a reference computation on generated data).
 */
export class CallAnalytics extends Context.Service<CallAnalytics, {
  /**
   * Calls per address, busiest first; only places with at least `minCount`
   * (a whole number, 0 or more) calls, at most `limit` (1 to 10,000).
   */
  readonly repeatLocations: (
    tenantId: string,
    filter: CallFilter & { readonly minCount: number; readonly limit: number }
  ) => Effect.Effect<ReadonlyArray<KeyCount>, InvalidStoreRequest | StorageFailure>
  /** Calls per area of a kind (calls with no such area are left out). */
  readonly countsByArea: (
    tenantId: string,
    filter: CallFilter & { readonly area: AreaKind }
  ) => Effect.Effect<ReadonlyArray<KeyCount>, InvalidStoreRequest | StorageFailure>
  /** Calls per category (a call with several counts in each; uncategorized calls are left out). */
  readonly countsByCategory: (
    tenantId: string,
    filter: Omit<CallFilter, "category">
  ) => Effect.Effect<ReadonlyArray<KeyCount>, InvalidStoreRequest | StorageFailure>
  /** The share of calls at the top `topPercent` (0 to 100] of places. */
  readonly concentration: (
    tenantId: string,
    filter: CallFilter & { readonly topPercent: number }
  ) => Effect.Effect<Concentration, InvalidStoreRequest | StorageFailure>
}>()("@community-policing/core/CallAnalytics") {}

/**
 * Why `day` is not a service day (a `YYYY-MM-DD` calendar date), or
 * `undefined`. The request check every adapter applies to days it is given.
 */
export const serviceDayProblem = (name: string, day: unknown): string | undefined =>
  typeof day === "string" && isCalendarDate(day)
    ? undefined
    : `${name} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(day)}`

const isCategory = Schema.is(CallCategory)
const isChannel = Schema.is(CallChannel)

/**
 * Why a call filter breaks the contract (a missing window, a bad end day,
 * `days` outside 1 to 3,660, an unknown category or channel), or `undefined`.
 * Adapters refuse such a filter with `InvalidStoreRequest` and this reason,
 * so every adapter refuses the same requests with the same words.
 */
export const callFilterProblem = (filter: Partial<CallFilter>): string | undefined => {
  const window = filter.window
  if (window === undefined || window === null) return "a window is required"
  const endDay = serviceDayProblem("window.endDay", window.endDay)
  if (endDay !== undefined) return endDay
  if (typeof window.days !== "number" || !Number.isSafeInteger(window.days) || window.days < 1 || window.days > 3_660) {
    return `window.days must be a whole number from 1 to 3660, got ${window.days}`
  }
  if (filter.category !== undefined && !isCategory(filter.category)) {
    return `category must be a call category, got ${JSON.stringify(filter.category)}`
  }
  if (filter.channels !== undefined) {
    if (!Array.isArray(filter.channels)) return "channels must be an array"
    for (const channel of filter.channels) {
      if (!isChannel(channel)) return `channels must be call channels, got ${JSON.stringify(channel)}`
    }
  }
  return undefined
}
