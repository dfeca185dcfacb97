/**
 * One calls measurement, in the measuring child process (see measure.ts):
 *
 * - `import`: open a fresh database, prepare it (untimed), load the history
 *   file (timed), then the 90-day count per place ending with its last day
 *   (timed);
 * - `refresh`: open the database the import child left, load the refresh
 *   day's file (timed), then the count ending with that day (timed).
 *
 * Opening the database is never timed; peak RSS is read right after the
 * timed part.
 *
 * @module
 */
import type { PlaceCount, PlaceCounts } from "./CallsContender.ts"
import { callsContenders } from "./CallsContenders.ts"
import type { CallsTarget } from "./CallsWorkload.ts"

/** The two calls phases: the first import of the history, and the daily refresh. */
export type CallsPhase = "import" | "refresh"

/** What a count per place found, kept small for the report's cross-checks. */
export interface CountsSummary {
  readonly endDay: string
  readonly places: number
  readonly totalCalls: number
  /** The busiest place, if any. */
  readonly busiest: PlaceCount | undefined
  /** How many places the ranked list held (at most `TOP_PLACES`). */
  readonly listed: number
}

/** What one calls measurement found. */
export interface CallsMeasurement {
  /** Milliseconds loading the CSV. */
  readonly loadMillis: number
  /** Milliseconds answering the count per place. */
  readonly queryMillis: number
  readonly rows: number
  readonly stored: number
  readonly setAside: number
  readonly duplicates: number
  /** The process's peak resident set size (getrusage maxRSS) right after the timed part. */
  readonly peakRssBytes: number
  readonly counts: CountsSummary
}

const peakRssBytes = () => process.resourceUsage().maxRSS * 1024

const summary = (endDay: string, counts: PlaceCounts): CountsSummary => ({
  endDay,
  places: counts.places,
  totalCalls: counts.totalCalls,
  busiest: counts.top[0],
  listed: counts.top.length
})

/** Runs one phase of one calls contender on `target`. */
export const measureCalls = async (id: string, phase: CallsPhase, target: CallsTarget): Promise<CallsMeasurement> => {
  const entry = callsContenders.find((contender) => contender.id === id)
  if (entry === undefined) throw new Error(`no calls contender ${JSON.stringify(id)}`)
  const session = await (await entry.load()).open(target)
  try {
    if (phase === "import") await session.prepare()
    const file = phase === "import" ? target.files.historyFile : target.files.refreshFile
    const endDay = phase === "import" ? target.plan.lastDay : target.plan.refreshDay
    const started = performance.now()
    const loaded = await session.load(file, phase === "import" ? "create" : "append")
    const loadedAt = performance.now()
    const counts = await session.countPerPlace(endDay)
    const queryMillis = performance.now() - loadedAt
    return {
      loadMillis: loadedAt - started,
      queryMillis,
      ...loaded,
      peakRssBytes: peakRssBytes(),
      counts: summary(endDay, counts)
    }
  } finally {
    await session.close()
  }
}
