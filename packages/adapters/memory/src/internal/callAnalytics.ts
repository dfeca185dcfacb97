/**
 * The call analytics over the shared memory state, answered from the daily
 * counts that import batches keep up to date: a window reads its days'
 * cells, never the stored calls.
 *
 * @internal
 */
import {
  type AreaKind,
  CallAnalytics,
  type CallCategory,
  type CallFilter,
  compareCodePoints,
  type Concentration,
  type KeyCount
} from "@community-policing/core"
import { Effect } from "effect"
import { sumCells } from "./dailyCounts.ts"
import { windowDays } from "./serviceDays.ts"
import type { DailyCell, State } from "./state.ts"


/** Which district of a cell each area kind reads. */
const areaOf: Record<AreaKind, (cell: DailyCell) => string | undefined> = {
  "beat": (cell) => cell.beat,
  "police-district": (cell) => cell.policeDistrict,
  "council-district": (cell) => cell.councilDistrict,
  "neighborhood": (cell) => cell.neighborhood
}


/** Whether a cell's calls pass the filter's channels and category; `null` selects the cell counting every call once. */
const accepts = (filter: Omit<CallFilter, "window">, category: CallCategory | null) => {
  const channels = filter.channels === undefined ? undefined : new Set(filter.channels)
  return (cell: DailyCell): boolean =>
    cell.category === category && (channels === undefined || channels.has(cell.channel))
}

/** Counts busiest first, ties by key in code point order. */
const ranked = (totals: ReadonlyMap<string, number>): Array<KeyCount> =>
  Array.from(totals, ([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || compareCodePoints(a.key, b.key))

/** The call analytics service over `state`. */
export const makeCallAnalytics = (state: State): CallAnalytics["Service"] => {
  /** Calls per address under the filter, in no particular order; calls without an address are at no place and left out. */
  const perAddress = (tenantId: string, filter: CallFilter) =>
    sumCells(
      state.tenants.get(tenantId),
      windowDays(filter.window.endDay, filter.window.days),
      accepts(filter, filter.category ?? null),
      (cell) => cell.addressKey
    )

  const repeatLocations = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly minCount: number; readonly limit: number }
  ): Effect.fn.Return<ReadonlyArray<KeyCount>> {
    return ranked(perAddress(tenantId, filter)).filter((entry) => entry.count >= filter.minCount).slice(0, filter.limit)
  })

  const countsByArea = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly area: AreaKind }
  ): Effect.fn.Return<ReadonlyArray<KeyCount>> {
    return ranked(sumCells(
      state.tenants.get(tenantId),
      windowDays(filter.window.endDay, filter.window.days),
      accepts(filter, filter.category ?? null),
      areaOf[filter.area]
    ))
  })

  const countsByCategory = Effect.fnUntraced(function*(
    tenantId: string,
    filter: Omit<CallFilter, "category">
  ): Effect.fn.Return<ReadonlyArray<KeyCount>> {
    const channels = filter.channels === undefined ? undefined : new Set(filter.channels)
    return ranked(sumCells(
      state.tenants.get(tenantId),
      windowDays(filter.window.endDay, filter.window.days),
      (cell) => cell.category !== null && (channels === undefined || channels.has(cell.channel)),
      (cell) => cell.category ?? undefined
    ))
  })

  const concentration = Effect.fnUntraced(function*(
    tenantId: string,
    filter: CallFilter & { readonly topPercent: number }
  ): Effect.fn.Return<Concentration> {
    const topPercent = filter.topPercent
    const counts = ranked(perAddress(tenantId, filter))
    const places = counts.length
    const topPlaces = Math.ceil(places * topPercent / 100)
    let totalCalls = 0
    let callsAtTop = 0
    for (const [index, entry] of counts.entries()) {
      totalCalls += entry.count
      if (index < topPlaces) callsAtTop += entry.count
    }
    return { places, topPlaces, callsAtTop, totalCalls, share: totalCalls === 0 ? 0 : callsAtTop / totalCalls }
  })

  return CallAnalytics.of({ repeatLocations, countsByArea, countsByCategory, concentration })
}
