/**
 * Writing the calls workload, in the parent, once per bench run: one file
 * from records-csv's `generateSacramentoCad` (seeded, so every run and every
 * machine gets the same bytes) with `calls` + one day's calls over `days` + 1
 * days, cut at the last day boundary into the history every contender
 * imports and the day file of the daily refresh. The generator spreads calls
 * evenly over the days with the remainder going to the first days, so with
 * `floor(calls / days)` calls on the extra day the first `days` days hold
 * exactly `calls`; the cut is checked by the received dates on both sides.
 *
 * @module
 */
import { generateSacramentoCad } from "@community-policing/records-csv"
import { Effect } from "effect"
import { closeSync, openSync, readSync, statSync } from "node:fs"
import { open, rename, truncate, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { type CallsFiles, type CallsPlan, SEED } from "./CallsWorkload.ts"

/** The local day of a `M/d/yyyy h:mm:ss a` date-time, as `YYYY-MM-DD`. */
const dayOf = (dateTime: string): string => {
  const [month = "", day = "", year = ""] = (dateTime.split(" ")[0] ?? "").split("/")
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`
}

/** The Received_Date column of the layout (0-based); the generator writes no commas inside fields. */
const RECEIVED_COLUMN = 11

const receivedDayOf = (line: string): string => dayOf(line.split(",")[RECEIVED_COLUMN] ?? "")

/**
 * The byte offset just after the `lineCount`-th newline of a file, and how
 * many newlines the file has in all (read in chunks: the file can be 500 MB).
 */
const newlineOffsets = (file: string, lineCount: number): { readonly offset: number; readonly lines: number } => {
  const fd = openSync(file, "r")
  const chunk = Buffer.alloc(1 << 20)
  let position = 0
  let lines = 0
  let offset = -1
  try {
    while (true) {
      const read = readSync(fd, chunk, 0, chunk.length, position)
      if (read === 0) break
      let at = chunk.indexOf(10)
      while (at !== -1 && at < read) {
        lines += 1
        if (lines === lineCount) offset = position + at + 1
        at = chunk.indexOf(10, at + 1)
      }
      position += read
    }
  } finally {
    closeSync(fd)
  }
  if (offset === -1) throw new Error(`${file} has ${lines} lines, fewer than ${lineCount}`)
  return { offset, lines }
}

/** The text of bytes [start, end) of a file. */
const readRange = async (file: string, start: number, end: number): Promise<string> => {
  const handle = await open(file, "r")
  try {
    const buffer = Buffer.alloc(end - start)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start)
    return buffer.subarray(0, bytesRead).toString("utf8")
  } finally {
    await handle.close()
  }
}

/** What generating the workload produced, for the report. */
export interface GeneratedCalls {
  readonly files: CallsFiles
  readonly places: number
  readonly historyBytes: number
  /** Generating and splitting, in milliseconds: never part of a measurement. */
  readonly millis: number
}

/**
 * Writes the workload of `plan` into `folder`: the generator's one file cut
 * into the history and the refresh day (the cut is a truncation plus a copy
 * of the last day's rows, so the 500 MB history is never copied). Checks
 * the row counts and that the cut falls between the last history day and
 * the refresh day.
 */
export const generateCalls = async (plan: CallsPlan, folder: string): Promise<GeneratedCalls> => {
  const started = performance.now()
  // The generator's file becomes the history once the last day is cut off it.
  const generatedFile = join(folder, "calls-generated.csv")
  const historyFile = join(folder, "calls-history.csv")
  const refreshFile = join(folder, "calls-refresh-day.csv")
  const placesFile = join(folder, "places.csv")
  const total = plan.calls + plan.refreshCalls
  const generated = await Effect.runPromise(generateSacramentoCad({
    seed: SEED,
    calls: total,
    from: plan.firstDay,
    to: plan.refreshDay,
    callsFile: generatedFile,
    placesFile
  }))
  if (generated.calls !== total) throw new Error(`the generator wrote ${generated.calls} calls, expected ${total}`)

  // The header and the history's rows end at the (1 + calls)-th newline.
  const { offset, lines } = newlineOffsets(generatedFile, 1 + plan.calls)
  if (lines !== 1 + total) throw new Error(`${generatedFile} has ${lines} lines, expected ${1 + total}: a field holds a line break?`)
  const size = statSync(generatedFile).size
  const head = await readRange(generatedFile, 0, Math.min(size, 4_096))
  const header = head.slice(0, head.indexOf("\n") + 1)
  const refreshRows = await readRange(generatedFile, offset, size)
  const before = (await readRange(generatedFile, Math.max(0, offset - 4_096), offset)).split("\n").filter((line) => line !== "")
  const lastHistoryDay = receivedDayOf(before.at(-1) ?? "")
  const refreshDays = new Set(refreshRows.split("\n").filter((line) => line !== "").map(receivedDayOf))
  if (lastHistoryDay !== plan.lastDay || refreshDays.size !== 1 || !refreshDays.has(plan.refreshDay)) {
    throw new Error(
      `the cut after ${plan.calls} rows is not at the end of ${plan.lastDay}: the last history row is on ${lastHistoryDay}, ` +
        `the refresh rows on ${[...refreshDays].join(", ")} (expected ${plan.refreshDay})`
    )
  }
  await writeFile(refreshFile, header + refreshRows)
  await truncate(generatedFile, offset)
  await rename(generatedFile, historyFile)
  return {
    files: { historyFile, refreshFile, placesFile },
    places: generated.places,
    historyBytes: offset,
    millis: performance.now() - started
  }
}
