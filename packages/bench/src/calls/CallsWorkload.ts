/**
 * The calls-import workload of issue 4: synthetic Sacramento calls for
 * service written by records-csv's `generateSacramentoCad` in the city's
 * open-data CAD layout, about five years of them at Sacramento's rate, plus
 * one more day for the daily refresh, and the matching places registry.
 *
 * The parent writes the files once per bench run (see GenerateCalls.ts);
 * this module is the plan and the names both sides of the measurement share,
 * and loads nothing else, so no contender's child pays for the generator.
 *
 * @module
 */

/** The tenant every imported call belongs to. */
export const CALLS_TENANT_ID = "sacramento"

/** The size: about five years of Sacramento's calls. */
export const FULL_CALLS = 2_000_000

/** Sacramento's open CAD data starts in January 2019. */
export const FIRST_DAY = "2019-01-01"

/** Calls per day: 2,000,000 over the 1,826 days of 2019 to 2023 (about 400,000 a year, as DOMAIN.md section 5 reports). */
export const DAILY_CALLS = FULL_CALLS / 1_826

/** The rolling window of the count per place. */
export const WINDOW_DAYS = 90

/** How many places the ranked list returns: the `CallAnalytics.repeatLocations` maximum. */
export const TOP_PLACES = 10_000

/** The generator's seed: fixed, so every run imports the same bytes. */
export const SEED = 2_019

/** What one bench run imports. */
export interface CallsPlan {
  /** Calls in the history file. */
  readonly calls: number
  /** Days the history spans, from {@link FIRST_DAY}. */
  readonly days: number
  readonly firstDay: string
  /** The last day of the history: the end of the import's 90-day window. */
  readonly lastDay: string
  /** The extra day of the refresh: the end of the refresh's 90-day window. */
  readonly refreshDay: string
  /** Calls in the refresh file. */
  readonly refreshCalls: number
}

/** The files of a generated workload. */
export interface CallsFiles {
  /** The history: header plus `plan.calls` rows. */
  readonly historyFile: string
  /** The refresh day: header plus `plan.refreshCalls` rows. */
  readonly refreshFile: string
  /** The places registry (`generatedPlacesMapping` layout). */
  readonly placesFile: string
}

/** What a calls child works on: its database (a fresh one for the import, the import's for the refresh) and the workload. */
export interface CallsTarget {
  readonly database: string
  readonly files: CallsFiles
  readonly plan: CallsPlan
}

const dayMillis = 86_400_000

/** The calendar day `count` days after `day` (both `YYYY-MM-DD`). */
export const addDays = (day: string, count: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + count * dayMillis).toISOString().slice(0, 10)

/** The first day of the {@link WINDOW_DAYS}-day window ending with `endDay`, both ends included. */
export const windowStartDay = (endDay: string): string => addDays(endDay, -(WINDOW_DAYS - 1))

/**
 * The plan for `calls` history calls: as many days as Sacramento needs for
 * them (1,826 for 2,000,000), at least the window's 90, and one more day
 * at the same rate.
 */
export const callsPlan = (calls: number): CallsPlan => {
  if (!Number.isSafeInteger(calls) || calls < 1_000) throw new Error(`BENCH_CALLS must be a whole number >= 1000, got ${calls}`)
  const days = Math.max(WINDOW_DAYS, Math.round(calls / DAILY_CALLS))
  const lastDay = addDays(FIRST_DAY, days - 1)
  return { calls, days, firstDay: FIRST_DAY, lastDay, refreshDay: addDays(lastDay, 1), refreshCalls: Math.floor(calls / days) }
}
