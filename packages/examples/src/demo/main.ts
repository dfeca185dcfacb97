/**
 * The Justice for Neighbors demo, the README's main command (`npm run demo`
 * at the repository root). On an embedded SQLite file it imports a
 * generated Sacramento-like year of calls, finds the chronic non-residential
 * 911 users, staffs the district teams, opens and works cases with the clock
 * moved forward, and prints a report (also written as an HTML page).
 *
 * Options:
 * - `--reuse`: keep the SQLite file of an earlier run; every step is
 *   idempotent (imports skip what is stored, commands are deduplicated by
 *   id), so the run ends in the same state.
 * - `--calls N`: how many calls to generate (default 400,000, a Sacramento year).
 * - `--out DIR`: where the SQLite file, the CSV files and the HTML report go
 *   (default `demo-output` in the working directory).
 *
 * @module
 */
import { Effect, Result } from "effect"
import { sacramento, validateJurisdiction } from "@community-policing/core"
import { layer as sqliteLayer } from "@community-policing/adapter-sqlite"
import { mkdirSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { importYear } from "./ImportStep.ts"

/** The demo's command-line options. */
export interface DemoOptions {
  readonly reuse: boolean
  readonly calls: number
  readonly out: string
}

/** Reads the options from the command line, or explains what is wrong. */
export const parseArguments = (args: ReadonlyArray<string>): Result.Result<DemoOptions, string> => {
  let reuse = false
  let calls = 400_000
  let out = "demo-output"
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]
    if (arg === "--reuse") reuse = true
    else if (arg === "--calls" || arg === "--out") {
      const value = args[index + 1]
      if (value === undefined) return Result.fail(`${arg} needs a value`)
      index += 1
      if (arg === "--out") out = value
      else {
        const parsed = Number(value.replace(/_/g, ""))
        if (!Number.isInteger(parsed) || parsed < 1_000) return Result.fail(`--calls must be a whole number of at least 1000, not ${value}`)
        calls = parsed
      }
    } else return Result.fail(`unknown option ${arg} (options: --reuse, --calls N, --out DIR)`)
  }
  return Result.succeed({ reuse, calls, out: resolve(out) })
}

const tenantId = "sacramento"

/** Runs the demo, writing to `write`. */
export const runDemo = (options: DemoOptions, write: (text: string) => void, isTerminal: boolean) =>
  Effect.gen(function*() {
    const checked = validateJurisdiction(sacramento)
    if (Result.isFailure(checked)) return yield* Effect.fail(checked.failure)
    const jurisdiction = checked.success
    const output = { write, isTerminal }
    const database = join(options.out, "justice-for-neighbors.sqlite")
    mkdirSync(options.out, { recursive: true })
    if (!options.reuse) {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true })
    }
    write(`Justice for Neighbors demo: ${jurisdiction.name}, SQLite file ${database}${options.reuse ? " (reused)" : ""}\n\n`)

    write("1. A year of calls for service and the places registry\n")
    yield* importYear({
      tenantId,
      jurisdiction,
      seed: 2026,
      calls: options.calls,
      from: "2025-01-01",
      to: "2025-12-31",
      folder: options.out,
      output
    }).pipe(Effect.provide(sqliteLayer({ filename: database })))
  })

const main = () => {
  const parsed = parseArguments(process.argv.slice(2))
  if (Result.isFailure(parsed)) {
    process.stderr.write(`${parsed.failure}\n`)
    process.exitCode = 2
    return
  }
  const started = Date.now()
  Effect.runPromise(runDemo(parsed.success, (text) => process.stdout.write(text), process.stdout.isTTY === true)).then(
    () => process.stdout.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s\n`),
    (error: unknown) => {
      process.stderr.write(`the demo failed: ${String(error)}\n`)
      process.exitCode = 1
    }
  )
}

if (import.meta.url === `file://${process.argv[1]}`) main()
