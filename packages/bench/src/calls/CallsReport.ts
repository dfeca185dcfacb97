/**
 * The calls-import rows' report: medians over the runs, the side-by-side
 * table, issue 4's targets as PASS/MISS lines (a miss says by how much),
 * and the cross-checks of ours against DuckDB, where a mismatch prints as
 * MISMATCH.
 *
 * @module
 */
import { median } from "../Report.ts"
import type { CallsContenderEntry, CallsRole } from "./CallsContenders.ts"
import type { CallsPlan } from "./CallsWorkload.ts"
import { WINDOW_DAYS, windowStartDay } from "./CallsWorkload.ts"
import type { CallsMeasurement, CallsPhase } from "./measureCalls.ts"

/** One run of one contender: its import child and its refresh child. */
export interface CallsRun {
  readonly run: number
  readonly import: CallsMeasurement
  readonly refresh: CallsMeasurement
}

/** Every run of one contender, or why it could not be measured. */
export interface CallsOutcome {
  readonly entry: CallsContenderEntry
  readonly runs: Array<CallsRun>
  /** Every failed attempt, retried on a fresh database. */
  readonly failures: Array<string>
  /** Set when the contender stopped failing: no further runs; its cells print "n/a". */
  unavailable?: string
}

/** The issue's targets (issue 4). */
export const CALLS_TARGETS = {
  /** Import rows per second into SQLite, at least. */
  rowsPerSecond: 100_000,
  /** Peak RSS of the import, at most, in bytes (300 MB, read as 10^6 bytes: the stricter reading). */
  peakRssBytes: 300_000_000,
  /** Our import plus the count, as a multiple of DuckDB's read_csv plus the count, at most. */
  importVsDuckdb: 3,
  /** Our daily refresh as a fraction of DuckDB's append plus full recompute, at most (10× faster). */
  refreshVsDuckdb: 0.1
} as const

const total = (measurement: CallsMeasurement) => measurement.loadMillis + measurement.queryMillis

const thousands = (value: number) => Math.round(value).toLocaleString("en-US")
const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`
const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`
const ratio = (value: number) => `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`
const duration = (millis: number) => (millis < 1_000 ? `${Math.round(millis)} ms` : `${(millis / 1000).toFixed(millis < 10_000 ? 2 : 1)} s`)
const cell = (value: string | undefined) => value ?? "n/a"

const find = (outcomes: ReadonlyArray<CallsOutcome>, role: CallsRole) => outcomes.find((outcome) => outcome.entry.role === role)

/** The median of a number taken from each run, if there are runs. */
const medianOf = (outcome: CallsOutcome | undefined, value: (run: CallsRun) => number): number | undefined =>
  outcome === undefined || outcome.runs.length === 0 ? undefined : median(outcome.runs.map(value))

/**
 * The median over runs of our phase time (load plus count) divided by
 * DuckDB's in the same run; pairing within a run keeps a shared machine's
 * drift out of the ratio.
 */
const timeVsDuckdb = (outcomes: ReadonlyArray<CallsOutcome>, outcome: CallsOutcome, phase: CallsPhase): number | undefined => {
  const duckdb = find(outcomes, "duckdb")
  if (duckdb === undefined) return undefined
  const ratios = outcome.runs.flatMap((mine) => {
    const theirs = duckdb.runs.find((run) => run.run === mine.run)
    return theirs === undefined ? [] : [total(mine[phase]) / total(theirs[phase])]
  })
  return ratios.length === 0 ? undefined : median(ratios)
}

/** The table, one row per contender, in Markdown (readable as plain text too). */
export const callsTable = (outcomes: ReadonlyArray<CallsOutcome>, plan: CallsPlan): string => {
  const header = [
    "contender",
    "import rows/s",
    "import",
    "90-day count",
    "import + count",
    "time vs DuckDB",
    "import peak RSS",
    `refresh (${thousands(plan.refreshCalls)} rows + count)`,
    "refresh time vs DuckDB",
    "refresh peak RSS"
  ]
  const rows = outcomes.map((outcome) => {
    const loadMillis = medianOf(outcome, (run) => run.import.loadMillis)
    const rows = outcome.runs[0]?.import.rows
    const vsImport = timeVsDuckdb(outcomes, outcome, "import")
    const vsRefresh = timeVsDuckdb(outcomes, outcome, "refresh")
    const timed = (value: number | undefined) => cell(value === undefined ? undefined : duration(value))
    const memory = (value: number | undefined) => cell(value === undefined ? undefined : mebibytes(value))
    return [
      outcome.entry.label,
      cell(loadMillis === undefined || rows === undefined ? undefined : thousands(rows / (loadMillis / 1000))),
      timed(loadMillis),
      timed(medianOf(outcome, (run) => run.import.queryMillis)),
      timed(medianOf(outcome, (run) => total(run.import))),
      cell(vsImport === undefined ? undefined : ratio(vsImport)),
      memory(medianOf(outcome, (run) => run.import.peakRssBytes)),
      timed(medianOf(outcome, (run) => total(run.refresh))),
      cell(vsRefresh === undefined ? undefined : ratio(vsRefresh)),
      memory(medianOf(outcome, (run) => run.refresh.peakRssBytes))
    ]
  })
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((text, column) => column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!)).join(" | ")} |`
  const rule = `|${widths.map((width, column) => column === 0 ? `${"-".repeat(width + 1)}-` : `${"-".repeat(width + 1)}:`).join("|")}|`
  return [line(header), rule, ...rows.map(line)].join("\n")
}

/** Why a contender's cells are n/a, or why it has fewer runs than asked, one line each. */
export const callsUnavailableNotes = (outcomes: ReadonlyArray<CallsOutcome>): Array<string> =>
  outcomes.flatMap((outcome) => {
    if (outcome.unavailable === undefined) return []
    return outcome.runs.length === 0
      ? [`n/a: ${outcome.entry.label}: ${outcome.unavailable}`]
      : [`${outcome.entry.label} stopped after ${outcome.runs.length} complete runs: ${outcome.unavailable}`]
  })

const verdict = (pass: boolean) => (pass ? "PASS" : "MISS")

/** Issue 4's targets as PASS/MISS lines; a miss says by what factor, n/a when a side was not measured. */
export const callsTargets = (outcomes: ReadonlyArray<CallsOutcome>, plan: CallsPlan): Array<string> => {
  const ours = find(outcomes, "ours")
  const lines: Array<string> = []
  const loadMillis = medianOf(ours, (run) => run.import.loadMillis)
  const rowsPerSecond = loadMillis === undefined ? undefined : plan.calls / (loadMillis / 1000)
  lines.push(
    rowsPerSecond === undefined
      ? "n/a   SQLite import at least 100,000 rows/s (not measured)"
      : `${verdict(rowsPerSecond >= CALLS_TARGETS.rowsPerSecond)}  SQLite import at least 100,000 rows/s: ` +
        `${thousands(rowsPerSecond)} rows/s` +
        (rowsPerSecond >= CALLS_TARGETS.rowsPerSecond ? "" : ` (the target needs ${ratio(CALLS_TARGETS.rowsPerSecond / rowsPerSecond)} the speed)`)
  )
  const highestRss = ours === undefined || ours.runs.length === 0
    ? undefined
    : Math.max(...ours.runs.map((run) => run.import.peakRssBytes))
  lines.push(
    highestRss === undefined
      ? "n/a   SQLite import peak RSS at most 300 MB (not measured)"
      : `${verdict(highestRss <= CALLS_TARGETS.peakRssBytes)}  SQLite import peak RSS at most 300 MB: ` +
        `${megabytes(highestRss)} (${mebibytes(highestRss)}), the highest of ${ours!.runs.length} runs` +
        (highestRss <= CALLS_TARGETS.peakRssBytes ? "" : ` (${ratio(highestRss / CALLS_TARGETS.peakRssBytes)} the limit)`)
  )
  const vsImport = ours && timeVsDuckdb(outcomes, ours, "import")
  lines.push(
    vsImport === undefined
      ? "n/a   import + 90-day count within 3× DuckDB's time (a side was not measured)"
      : `${verdict(vsImport <= CALLS_TARGETS.importVsDuckdb)}  import + 90-day count within 3× DuckDB's time: ` +
        `${ratio(vsImport)} DuckDB's time` +
        (vsImport <= CALLS_TARGETS.importVsDuckdb ? "" : ` (the target needs ${ratio(vsImport / CALLS_TARGETS.importVsDuckdb)} less time)`)
  )
  const vsRefresh = ours && timeVsDuckdb(outcomes, ours, "refresh")
  lines.push(
    vsRefresh === undefined
      ? "n/a   daily refresh at least 10× faster than DuckDB's full recompute (a side was not measured)"
      : `${verdict(vsRefresh <= CALLS_TARGETS.refreshVsDuckdb)}  daily refresh at least 10× faster than DuckDB's full recompute: ` +
        `${ratio(vsRefresh)} DuckDB's time, so ${ratio(1 / vsRefresh)} as fast` +
        (vsRefresh <= CALLS_TARGETS.refreshVsDuckdb ? "" : ` (the target needs ${ratio(vsRefresh / CALLS_TARGETS.refreshVsDuckdb)} less time)`)
  )
  if (plan.calls !== 2_000_000) {
    lines.push(`(measured with ${thousands(plan.calls)} calls, BENCH_CALLS; the issue's targets are for 2,000,000)`)
  }
  return lines
}

const describeRows = (measurement: CallsMeasurement, expected: number): string => {
  const accounted = measurement.stored + measurement.setAside + measurement.duplicates === measurement.rows
  const parts = [`${thousands(measurement.rows)} rows`]
  if (measurement.setAside > 0 || measurement.duplicates > 0) {
    parts.push(`(${thousands(measurement.stored)} stored, ${thousands(measurement.setAside)} quarantined, ${thousands(measurement.duplicates)} duplicates)`)
  }
  if (measurement.rows !== expected) parts.push(`MISMATCH: the file has ${thousands(expected)}`)
  if (!accounted) parts.push("MISMATCH: stored + quarantined + duplicates is not the rows read")
  return parts.join(" ")
}

/** One phase of one run, ours against DuckDB, in words; MISMATCH wherever the two should agree and do not. */
export const checkLine = (ours: CallsMeasurement, duckdb: CallsMeasurement, expectedRows: number): string => {
  const a = ours.counts
  const b = duckdb.counts
  const same = (equal: boolean) => (equal ? "OK" : "MISMATCH")
  const place = (count: typeof a.busiest) => (count === undefined ? "none" : `${count.place} (${thousands(count.calls)})`)
  const busiestAgree = a.busiest?.place === b.busiest?.place && a.busiest?.calls === b.busiest?.calls
  return [
    `${WINDOW_DAYS} days ${windowStartDay(a.endDay)} to ${a.endDay}:`,
    `calls in the window ours ${thousands(a.totalCalls)}, DuckDB ${thousands(b.totalCalls)} ${same(a.totalCalls === b.totalCalls)};`,
    `busiest place ours ${place(a.busiest)}, DuckDB ${place(b.busiest)} ${same(busiestAgree)};`,
    `places ours ${thousands(a.places)} (address keys), DuckDB ${thousands(b.places)} (raw Location text)` +
    (a.places <= b.places ? ";" : " MISMATCH: normalization can only merge places;"),
    `rows read ours ${describeRows(ours, expectedRows)}, DuckDB ${describeRows(duckdb, expectedRows)}`
  ].join(" ")
}

/**
 * The cross-checks, per phase: identical lines from several runs print once
 * with their run numbers (the data is the same every run, so they should).
 */
export const callsChecks = (outcomes: ReadonlyArray<CallsOutcome>, plan: CallsPlan): Array<string> => {
  const ours = find(outcomes, "ours")
  const duckdb = find(outcomes, "duckdb")
  if (ours === undefined || duckdb === undefined) return ["n/a   cross-check of ours against DuckDB (a side was not measured)"]
  const lines: Array<string> = []
  for (const phase of ["import", "refresh"] as const) {
    const byText = new Map<string, Array<number>>()
    for (const mine of ours.runs) {
      const theirs = duckdb.runs.find((run) => run.run === mine.run)
      if (theirs === undefined) continue
      const text = checkLine(mine[phase], theirs[phase], phase === "import" ? plan.calls : plan.refreshCalls)
      byText.set(text, [...(byText.get(text) ?? []), mine.run + 1])
    }
    for (const [text, runs] of byText) lines.push(`${phase}, run${runs.length > 1 ? "s" : ""} ${runs.join(", ")}: ${text}`)
  }
  if (lines.length === 0) lines.push("n/a   cross-check of ours against DuckDB (no run measured both)")
  return lines
}

/** Every run's times and peak RSS, so the spread behind each median is visible. */
export const callsRunDetails = (outcomes: ReadonlyArray<CallsOutcome>): Array<string> =>
  outcomes.flatMap((outcome) =>
    outcome.runs.map((run) => {
      const phase = (m: CallsMeasurement) =>
        `${duration(m.loadMillis)} load (${thousands(m.rows / (m.loadMillis / 1000))} rows/s) + ${duration(m.queryMillis)} count, ` +
        `peak RSS ${mebibytes(m.peakRssBytes)}`
      return `run ${run.run + 1} ${outcome.entry.label}: import ${phase(run.import)}; refresh ${phase(run.refresh)}`
    })
  )
