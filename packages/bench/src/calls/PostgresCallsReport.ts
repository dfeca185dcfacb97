/**
 * The PostgreSQL calls row's lines in the report (issue 12): its import
 * target as a PASS/MISS line, and its cross-checks against DuckDB, the same
 * as the SQLite row's (see CallsReport.ts).
 *
 * @module
 */
import { median } from "../Report.ts"
import { type CallsOutcome, checkLine } from "./CallsReport.ts"
import type { CallsPlan } from "./CallsWorkload.ts"

/** Issue 12's target: import rows per second into PostgreSQL, at least. */
export const POSTGRES_ROWS_PER_SECOND = 50_000

const thousands = (value: number) => Math.round(value).toLocaleString("en-US")

const postgresOf = (outcomes: ReadonlyArray<CallsOutcome>) => outcomes.find((outcome) => outcome.entry.role === "postgres")

/** The import target as a PASS/MISS line (a miss says by what factor), or nothing when the row was not selected. */
export const postgresCallsTargets = (outcomes: ReadonlyArray<CallsOutcome>, plan: CallsPlan): Array<string> => {
  const postgres = postgresOf(outcomes)
  if (postgres === undefined) return []
  const title = "PostgreSQL import at least 50,000 rows/s"
  if (postgres.runs.length === 0) return [`n/a   ${title} (not measured)`]
  const rowsPerSecond = plan.calls / (median(postgres.runs.map((run) => run.import.loadMillis)) / 1000)
  const pass = rowsPerSecond >= POSTGRES_ROWS_PER_SECOND
  return [
    `${pass ? "PASS" : "MISS"}  ${title}: ${thousands(rowsPerSecond)} rows/s` +
    (pass ? "" : ` (the target needs ${(POSTGRES_ROWS_PER_SECOND / rowsPerSecond).toFixed(2)}× the speed)`)
  ]
}

/** The PostgreSQL row against DuckDB, phase by phase and run by run, as the SQLite row is checked. */
export const postgresCallsChecks = (outcomes: ReadonlyArray<CallsOutcome>, plan: CallsPlan): Array<string> => {
  const postgres = postgresOf(outcomes)
  const duckdb = outcomes.find((outcome) => outcome.entry.role === "duckdb")
  if (postgres === undefined) return []
  if (duckdb === undefined) return ["n/a   cross-check of PostgreSQL against DuckDB (DuckDB was not measured)"]
  return (["import", "refresh"] as const).flatMap((phase) =>
    postgres.runs.flatMap((mine) => {
      const theirs = duckdb.runs.find((run) => run.run === mine.run)
      if (theirs === undefined) return []
      const line = checkLine(mine[phase], theirs[phase], phase === "import" ? plan.calls : plan.refreshCalls)
      return [`PostgreSQL ${phase}, run ${mine.run + 1}: ${line}`]
    })
  )
}
