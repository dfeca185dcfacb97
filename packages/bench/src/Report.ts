/**
 * The benchmark's report: medians over the runs, the side-by-side table, and
 * the issue's targets as PASS/MISS lines.
 *
 * @module
 */
import type { ContenderEntry } from "./Contenders.ts"
import type { Measurement, Phase } from "./measure.ts"

/** A measurement and the run it belongs to. */
export interface RunMeasurement extends Measurement {
  readonly run: number
}

/** Every run's measurements of one contender, or why it could not be measured. */
export interface Outcome {
  readonly entry: ContenderEntry
  readonly append: Array<RunMeasurement>
  readonly read: Array<RunMeasurement>
  /** Every failed attempt, retried on a fresh target. */
  readonly failures: Array<string>
  /** Set when the contender could not run, or stopped failing: no further runs; cells without a measurement print "n/a". */
  unavailable?: string
}

/** The median of some numbers (the mean of the middle two for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Median time, events per second at that time, and median peak RSS of one phase, if measured. */
export interface PhaseSummary {
  readonly millis: number
  readonly eventsPerSecond: number
  readonly peakRssBytes: number
  readonly runs: number
}

export const summarize = (outcome: Outcome, phase: Phase): PhaseSummary | undefined => {
  const measurements = outcome[phase]
  if (measurements.length === 0) return undefined
  const millis = median(measurements.map((m) => m.millis))
  return {
    millis,
    eventsPerSecond: measurements[0]!.events / (millis / 1000),
    peakRssBytes: median(measurements.map((m) => m.peakRssBytes)),
    runs: measurements.length
  }
}

const thousands = (value: number) => Math.round(value).toLocaleString("en-US")
const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`
const ratio = (value: number) => `${value.toFixed(2)}×`

const find = (outcomes: ReadonlyArray<Outcome>, engine: string, role: string) =>
  outcomes.find((outcome) => outcome.entry.engine === engine && outcome.entry.role === role)

/**
 * The median over runs of `outcome`'s time divided by the time of the same
 * engine's `role` contender in the same run. Pairing within a run (the two
 * ran minutes apart at most) keeps a shared machine's drift out of the ratio.
 */
const timeRatio = (outcomes: ReadonlyArray<Outcome>, outcome: Outcome, role: string, phase: Phase) => {
  const baseline = find(outcomes, outcome.entry.engine, role)
  if (baseline === undefined) return undefined
  const ratios = outcome[phase].flatMap((mine) => {
    const theirs = baseline[phase].find((measurement) => measurement.run === mine.run)
    return theirs === undefined ? [] : [mine.millis / theirs.millis]
  })
  return ratios.length === 0 ? undefined : median(ratios)
}

const cell = (value: string | undefined) => value ?? "n/a"

/** The table, one row per contender, in Markdown (readable as plain text too). */
export const table = (outcomes: ReadonlyArray<Outcome>): string => {
  const header = [
    "engine",
    "contender",
    "append ev/s",
    "append time vs raw",
    "append time vs Emmett",
    "append peak RSS",
    "read ev/s",
    "read time vs raw",
    "read time vs Emmett",
    "read peak RSS"
  ]
  const rows = outcomes.map((outcome) => {
    const phaseCells = (phase: Phase) => {
      const summary = summarize(outcome, phase)
      const vsRaw = timeRatio(outcomes, outcome, "raw", phase)
      const vsEmmett = timeRatio(outcomes, outcome, "emmett", phase)
      return [
        cell(summary && thousands(summary.eventsPerSecond)),
        cell(vsRaw === undefined ? undefined : ratio(vsRaw)),
        cell(vsEmmett === undefined ? undefined : ratio(vsEmmett)),
        cell(summary && mebibytes(summary.peakRssBytes))
      ]
    }
    return [outcome.entry.engine, outcome.entry.label, ...phaseCells("append"), ...phaseCells("read")]
  })
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((text, column) => column < 2 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!)).join(" | ")} |`
  const rule = `|${widths.map((width, column) => column < 2 ? `${"-".repeat(width + 1)}-` : `${"-".repeat(width + 1)}:`).join("|")}|`
  return [line(header), rule, ...rows.map(line)].join("\n")
}

/** Why a contender's cells are n/a, or why it has fewer runs than the others, one line each. */
export const unavailableNotes = (outcomes: ReadonlyArray<Outcome>): Array<string> =>
  outcomes.flatMap((outcome) => {
    if (outcome.unavailable === undefined) return []
    const { label, engine } = outcome.entry
    return outcome.append.length === 0
      ? [`n/a: ${label} (${engine}): ${outcome.unavailable}`]
      : [`${label} (${engine}) stopped after ${outcome.read.length} complete runs: ${outcome.unavailable}`]
  })

/** Every run's events per second, so the spread behind each median is visible. */
export const runDetails = (outcomes: ReadonlyArray<Outcome>): Array<string> =>
  outcomes.flatMap((outcome) =>
    (["append", "read"] as const).flatMap((phase) => {
      const measurements = outcome[phase]
      if (measurements.length === 0) return []
      const perRun = measurements.map((m) => thousands(m.events / (m.millis / 1000))).join(", ")
      const rss = measurements.map((m) => mebibytes(m.peakRssBytes)).join(", ")
      return [`${outcome.entry.engine} ${outcome.entry.label} ${phase}: ${perRun} ev/s; peak RSS ${rss}`]
    })
  )

/** The issue's targets, as PASS/MISS lines (or n/a when a side was not measured). */
export const targets = (outcomes: ReadonlyArray<Outcome>): Array<string> => {
  const lines: Array<string> = []
  const verdict = (pass: boolean) => (pass ? "PASS" : "MISS")
  for (const engine of ["sqlite", "postgres"] as const) {
    const ours = find(outcomes, engine, "ours")
    const name = engine === "sqlite" ? "SQLite" : "PostgreSQL"
    const vsRaw = ours && timeRatio(outcomes, ours, "raw", "append")
    lines.push(
      vsRaw === undefined
        ? `n/a   ${name}: append within 1.5× of the raw driver's time (a side was not measured)`
        : `${verdict(vsRaw <= 1.5)}  ${name}: append within 1.5× of the raw driver's time: ${ratio(vsRaw)}`
    )
    for (const phase of ["append", "read"] as const) {
      const vsEmmett = ours && timeRatio(outcomes, ours, "emmett", phase)
      lines.push(
        vsEmmett === undefined
          ? `n/a   ${name}: ${phase} faster than Emmett (a side was not measured)`
          : `${verdict(vsEmmett < 1)}  ${name}: ${phase} faster than Emmett: ${ratio(vsEmmett)} Emmett's time ` +
            `(${ratio(1 / vsEmmett)} as fast)`
      )
    }
  }
  const sqliteRead = find(outcomes, "sqlite", "ours")
  const read = sqliteRead && summarize(sqliteRead, "read")
  lines.push(
    read === undefined
      ? "n/a   SQLite: read at least 200,000 events/s (not measured)"
      : `${verdict(read.eventsPerSecond >= 200_000)}  SQLite: read at least 200,000 events/s: ${
        thousands(read.eventsPerSecond)
      } events/s`
  )
  return lines
}
