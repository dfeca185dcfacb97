/**
 * The calls-import rows of `npm run bench` (issue 4), run by main.ts after
 * the storage rows: generate the workload once, then in each run and for
 * each contender (order rotating from run to run) an import child on a fresh
 * database and a refresh child on the database it left; then the table,
 * the targets, the cross-checks and every run's numbers.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { ChildBuild } from "../ChildBuild.ts"
import { runChild } from "../RunChild.ts"
import type { CallsContenderEntry } from "./CallsContenders.ts"
import {
  callsChecks,
  type CallsOutcome,
  callsRunDetails,
  callsTable,
  callsTargets,
  callsUnavailableNotes
} from "./CallsReport.ts"
import { type CallsPlan, type CallsTarget, WINDOW_DAYS } from "./CallsWorkload.ts"
import type { GeneratedCalls } from "./GenerateCalls.ts"
import { postgresCallsChecks, postgresCallsTargets } from "./PostgresCallsReport.ts"
import type { CallsMeasurement, CallsPhase } from "./measureCalls.ts"

/** What the calls section needs from main.ts. */
export interface CallsBenchOptions {
  readonly children: ChildBuild
  readonly runs: number
  readonly plan: CallsPlan
  readonly selected: ReadonlyArray<CallsContenderEntry>
  /** The least time a child may take before it is stopped (the import's limit grows with the calls). */
  readonly childTimeoutMillis: number
  readonly say: (line: string) => void
}

/**
 * How many times a contender's run is tried: a failure here is rarely
 * transient, and one attempt at 2,000,000 calls can take many minutes.
 */
const maxAttempts = 2

const thousands = (value: number) => Math.round(value).toLocaleString("en-US")

const measure = async (
  options: CallsBenchOptions,
  entry: CallsContenderEntry,
  phase: CallsPhase,
  target: CallsTarget,
  name: string
): Promise<CallsMeasurement> => {
  // An import below 1,000 rows/s is stopped: at 2,000,000 calls that is more than half an hour.
  const timeout = phase === "import" ? Math.max(options.childTimeoutMillis, options.plan.calls) : options.childTimeoutMillis
  const reply = await runChild(options.children, [entry.id, phase, JSON.stringify(target)], name, timeout)
  if (!reply.ok || !("calls" in reply)) throw new Error(`the ${phase} child sent no calls measurement`)
  return reply.calls
}

/** The generated workload, or why it could not be generated (every contender's cells then print n/a). */
const generate = async (plan: CallsPlan, folder: string): Promise<GeneratedCalls | string> => {
  try {
    // Loaded only here, so the storage rows run even while records-csv does not load.
    const { generateCalls } = await import("./GenerateCalls.ts")
    return await generateCalls(plan, folder)
  } catch (cause) {
    return `generating the calls failed: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}`
  }
}

/** Runs the calls section and prints its report. */
export const runCallsBench = async (options: CallsBenchOptions): Promise<void> => {
  const { plan, runs, say } = options
  const outcomes: Array<CallsOutcome> = options.selected.map((entry) => ({ entry, runs: [], failures: [] }))
  const folder = await mkdtemp(join(tmpdir(), "community-policing-bench-calls-"))
  try {
    say(
      `Calls workload (issue 4): ${thousands(plan.calls)} generated Sacramento calls over ${thousands(plan.days)} days ` +
        `(${plan.firstDay} to ${plan.lastDay}), then ${thousands(plan.refreshCalls)} more on ${plan.refreshDay} for the daily refresh; ` +
        `count per place over ${WINDOW_DAYS} days; ${runs} runs per contender, medians`
    )
    const generated = await generate(plan, folder)
    if (typeof generated === "string") {
      for (const outcome of outcomes) outcome.unavailable = generated
    } else {
      say(
        `Generated in ${(generated.millis / 1000).toFixed(1)} s (never timed): ${Math.round(generated.historyBytes / 1e6)} MB of CSV, ` +
          `${thousands(generated.places)} places in the registry, in ${folder}`
      )
    }
    say("")
    for (let run = 0; run < runs && typeof generated !== "string"; run++) {
      // Rotating the order spreads a shared machine's drift over both contenders.
      const order = outcomes.map((_, index) => outcomes[(index + run) % outcomes.length]!)
      for (const outcome of order) {
        if (outcome.unavailable !== undefined) continue
        const { entry } = outcome
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const name = `${entry.id}-run${run + 1}-${attempt}`.replaceAll("-", "_")
          const target: CallsTarget = { database: join(folder, `${name}.db`), files: generated.files, plan }
          try {
            const imported = await measure(options, entry, "import", target, `${entry.id}-import`)
            const refreshed = await measure(options, entry, "refresh", target, `${entry.id}-refresh`)
            outcome.runs.push({ run, import: imported, refresh: refreshed })
            say(
              `run ${run + 1}/${runs} ${entry.id}: import ${Math.round(imported.loadMillis)} ms + count ${Math.round(imported.queryMillis)} ms, ` +
                `refresh ${Math.round(refreshed.loadMillis)} ms + count ${Math.round(refreshed.queryMillis)} ms`
            )
            break
          } catch (cause) {
            const failure = `run ${run + 1} attempt ${attempt}: ${cause instanceof Error ? cause.message : String(cause)}`
            outcome.failures.push(failure)
            say(`${entry.id} FAILED ${failure}`)
            if (attempt === maxAttempts) outcome.unavailable = `failed ${maxAttempts} times in run ${run + 1}; last: ${failure}`
          } finally {
            for (const suffix of ["", "-wal", "-shm", "-journal", ".wal"]) await rm(`${target.database}${suffix}`, { force: true })
          }
        }
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }

  say("")
  say(
    `Calls import (issue 4), medians of ${runs} runs. "time vs DuckDB": our import + count (or refresh) time divided by ` +
      `DuckDB's in the same run, median; below 1 is faster:`
  )
  say("")
  say(callsTable(outcomes, plan))
  say("")
  for (const line of callsUnavailableNotes(outcomes)) say(line)
  for (const outcome of outcomes) {
    for (const failure of outcome.failures) say(`Failed and retried: ${outcome.entry.label} ${failure}`)
  }
  say("Targets:")
  for (const line of [...callsTargets(outcomes, plan), ...postgresCallsTargets(outcomes, plan)]) say(`  ${line}`)
  say("")
  say("Checks, ours against DuckDB (DuckDB counts places by the raw Location text: our address normalization has no SQL equivalent):")
  for (const line of [...callsChecks(outcomes, plan), ...postgresCallsChecks(outcomes, plan)]) say(`  ${line}`)
  say("")
  say("Every run:")
  for (const line of callsRunDetails(outcomes)) say(`  ${line}`)
}
