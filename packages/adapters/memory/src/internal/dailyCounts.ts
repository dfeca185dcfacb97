/**
 * The analytics' daily counts: written by each import batch, in the same
 * step as its calls, and read by the analytics one window day at a time, so
 * no answer ever rescans the stored calls.
 *
 * @internal
 */
import { type CallCategory, locationAddressKey, locationDistricts, type StoredCall } from "@community-policing/core"
import type { DailyCell, TenantState } from "./state.ts"

/**
 * Adds one newly stored call to its day's cells: the all-calls cell, and the
 * cell of each distinct category it carries (two rules matching the same
 * category still make one call in it).
 */
export const countCall = (tenant: TenantState, call: StoredCall): void => {
  const districts = locationDistricts(call.call.location)
  const base = {
    addressKey: locationAddressKey(call.call.location),
    channel: call.call.channel,
    beat: districts?.beat,
    policeDistrict: districts?.policeDistrict,
    councilDistrict: districts?.councilDistrict,
    neighborhood: districts?.neighborhood
  }
  const day = tenant.dailyCounts.get(call.serviceDay) ?? new Map<string, DailyCell>()
  tenant.dailyCounts.set(call.serviceDay, day)
  const categories = new Set<CallCategory | null>([null])
  for (const match of call.categories) categories.add(match.category)
  for (const category of categories) {
    // A JSON array of the dimensions is an unambiguous key whatever characters the ids hold.
    const key = JSON.stringify([
      base.addressKey ?? null,
      base.channel,
      category,
      base.beat ?? null,
      base.policeDistrict ?? null,
      base.councilDistrict ?? null,
      base.neighborhood ?? null
    ])
    const cell = day.get(key)
    if (cell === undefined) day.set(key, { ...base, category, count: 1 })
    else cell.count += 1
  }
}

/**
 * Sums the cells of the given days that `include` accepts, by the key
 * `keyOf` gives them; a cell without a key (a call with no such area) is
 * left out.
 */
export const sumCells = (
  tenant: TenantState | undefined,
  days: ReadonlyArray<string>,
  include: (cell: DailyCell) => boolean,
  keyOf: (cell: DailyCell) => string | undefined
): Map<string, number> => {
  const totals = new Map<string, number>()
  if (tenant === undefined) return totals
  for (const day of days) {
    const cells = tenant.dailyCounts.get(day)
    if (cells === undefined) continue
    for (const cell of cells.values()) {
      if (!include(cell)) continue
      const key = keyOf(cell)
      if (key === undefined) continue
      totals.set(key, (totals.get(key) ?? 0) + cell.count)
    }
  }
  return totals
}
