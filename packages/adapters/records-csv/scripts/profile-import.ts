/**
 * Profiles importing generated Sacramento CAD calls from CSV into SQLite
 * (issue 4: 2,000,000 calls at >= 100,000 rows/s, peak RSS <= 300 MB).
 *
 * Generates N calls to a temporary CSV, then measures three stages, each in a
 * child process of its own so that each peak RSS (getrusage maxRSS) is that
 * stage's alone:
 *
 * - `parse`: the CSV reader only (the parser behind the Effect stream);
 * - `map`: the whole import with a store that keeps nothing, so reading,
 *   mapping, classifying, normalizing addresses and building the batches,
 *   without storage;
 * - `sqlite`: the whole import into a temporary SQLite file through
 *   `SqliteStore.layer`, then the stored totals read back as a check.
 *
 * Run from the project root (its tsconfig maps the package names to sources):
 *
 * ```text
 * node --import tsx packages/adapters/records-csv/scripts/profile-import.ts [--calls 200000] [--batch 5000]
 *   [--synchronous FULL|NORMAL] [--bulk auto|true|false] [--stages parse,map,sqlite] [--keep]
 * ```
 *
 * Add `--cpu-prof-dir <dir>` to write a V8 CPU profile of each stage (open it
 * in Chrome DevTools or speedscope).
 *
 * Under tsx each stage's process also carries tsx's loader and the
 * TypeScript it compiled (about 80 MB of the peak RSS, and profiles without
 * function names). To measure the library as an application runs it, bundle
 * the script first (dist/ is not committed) and run the bundle the same way:
 *
 * ```text
 * npx esbuild packages/adapters/records-csv/scripts/profile-import.ts --bundle --platform=node --format=esm \
 *   --external:better-sqlite3 --outfile=packages/adapters/records-csv/dist/profile-import.mjs \
 *   --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);"
 * node packages/adapters/records-csv/dist/profile-import.mjs --calls 2000000
 * ```
 */
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { CallStore, sacramento, sacramentoCad } from "@community-policing/core"
import { Effect, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { availableParallelism, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { nullStore } from "./NullCallStore.ts"
import { generateSacramentoCad, importCalls, type ImportCallsOptions, readCsv, sacramentoCadMapping } from "../src/index.ts"

type Stage = "parse" | "map" | "sqlite"

/** What a stage child prints as its last line. */
interface StageResult {
  readonly stage: Stage
  readonly rows: number
  readonly millis: number
  /** Processor time (user and system) of the stage: on a shared machine it varies far less than the wall clock. */
  readonly cpuMillis: number
  readonly peakRssBytes: number
  readonly detail: string
}

const flag = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? undefined : process.argv[index + 1]
}

/** `importCalls`' `bulk` option (`--bulk`): `auto` by default, as an application gets it. */
const bulkFlag = flag("bulk") ?? "auto"
const bulkMode: boolean | "auto" = bulkFlag === "auto" ? "auto" : bulkFlag === "true"

const peakRssBytes = (): number => process.resourceUsage().maxRSS * 1024

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`

// The most the JavaScript heap held at a progress report: with the peak RSS, where the memory goes.
let peakHeapBytes = 0
const sampleHeap = () => {
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed)
}

const options = (file: string, batchSize: number | undefined): ImportCallsOptions => ({
  tenantId: "sacramento",
  jurisdiction: sacramento,
  mapping: sacramentoCadMapping,
  codeTables: [sacramentoCad],
  file,
  batchSize,
  bulk: bulkMode,
  onProgress: sampleHeap,
  progressIntervalMillis: 100
})

const cpuMillisSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

const runStage = async (
  stage: Stage,
  file: string,
  batchSize: number | undefined,
  synchronous: "FULL" | "NORMAL"
): Promise<StageResult> => {
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  switch (stage) {
    case "parse": {
      const rows = await Effect.runPromise(Stream.runFold(readCsv(file), () => 0, (count) => count + 1))
      return {
        stage,
        rows: rows - 1,
        millis: performance.now() - start,
        cpuMillis: cpuMillisSince(cpuStart),
        peakRssBytes: peakRssBytes(),
        detail: ""
      }
    }
    case "map": {
      const report = await Effect.runPromise(importCalls(options(file, batchSize)).pipe(Effect.provideService(CallStore, nullStore)))
      return {
        stage,
        rows: report.read,
        millis: performance.now() - start,
        cpuMillis: cpuMillisSince(cpuStart),
        peakRssBytes: peakRssBytes(),
        detail: `quarantined ${report.quarantined}, peak heap ${mb(peakHeapBytes)}`
      }
    }
    case "sqlite": {
      const directory = mkdtempSync(join(tmpdir(), "profile-import-db-"))
      const filename = join(directory, "calls.db")
      try {
        const report = await Effect.runPromise(
          importCalls(options(file, batchSize)).pipe(Effect.provide(SqliteStore.layer({ filename, synchronous })))
        )
        const millis = performance.now() - start
        const cpuMillis = cpuMillisSince(cpuStart)
        const peak = peakRssBytes()
        const stored = await Effect.runPromise(
          Effect.gen(function*() {
            const store = yield* SqliteStore
            return store.connection.prepare("SELECT COUNT(*) AS calls FROM calls").get() as { calls: number }
          }).pipe(Effect.provide(SqliteStore.layer({ filename })))
        )
        return {
          stage,
          rows: report.read,
          millis,
          cpuMillis,
          peakRssBytes: peak,
          detail: `imported ${report.imported}, duplicates ${report.duplicates}, quarantined ${report.quarantined}, ` +
            `rows in calls ${stored.calls}, database ${mb(statSync(filename).size)} (synchronous=${synchronous}), ` +
            `peak heap ${mb(peakHeapBytes)}`
        }
      } finally {
        rmSync(directory, { recursive: true, force: true })
      }
    }
  }
}

const child = flag("child") as Stage | undefined
// Without --batch, the import's own default.
const batchFlag = flag("batch")
const batchSize = batchFlag === undefined ? undefined : Number(batchFlag)
const synchronous = flag("synchronous") === "NORMAL" ? "NORMAL" : "FULL"

if (child !== undefined) {
  const result = await runStage(child, flag("file") ?? "", batchSize, synchronous)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} else {
  const calls = Number(flag("calls") ?? "200000")
  const stages = (flag("stages") ?? "parse,map,sqlite").split(",") as Array<Stage>
  const profileDir = flag("cpu-prof-dir")
  const directory = mkdtempSync(join(tmpdir(), "profile-import-"))
  const file = join(directory, "calls.csv")
  try {
    const generatedAt = performance.now()
    // About 400,000 calls a year, as Sacramento's CAD data has.
    const years = Math.max(1, Math.ceil(calls / 400_000))
    await Effect.runPromise(
      generateSacramentoCad({ seed: 4, calls, from: `${2024 - years}-01-01`, to: "2023-12-31", callsFile: file })
    )
    process.stdout.write(
      `generated ${calls.toLocaleString("en-US")} calls over ${years} year(s) in ${
        ((performance.now() - generatedAt) / 1000).toFixed(1)
      } s: ${mb(statSync(file).size)} of CSV; batches of ${batchSize?.toLocaleString("en-US") ?? "the default size"}\n`
    )
    const script = fileURLToPath(import.meta.url)
    for (const stage of stages) {
      // A busy machine stretches the wall clock; the load says how busy it was.
      process.stdout.write(`(load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)\n`)
      // The script itself, or a JavaScript bundle of it (which profiles with function names and lines).
      const nodeFlags = [
        ...(script.endsWith(".ts") ? ["--import", "tsx"] : []),
        ...(profileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDir])
      ]
      const output = execFileSync(
        process.execPath,
        [
          ...nodeFlags,
          script,
          "--child",
          stage,
          "--file",
          file,
          ...(batchSize === undefined ? [] : ["--batch", String(batchSize)]),
          "--synchronous",
          synchronous,
          "--bulk",
          bulkFlag
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 }
      )
      const result = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as StageResult
      const perSecond = (millis: number) => Math.round(result.rows / (millis / 1000)).toLocaleString("en-US").padStart(8)
      process.stdout.write(
        `${stage.padEnd(7)} ${result.rows.toLocaleString("en-US").padStart(10)} rows in ${
          (result.millis / 1000).toFixed(2).padStart(7)
        } s = ${perSecond(result.millis)} rows/s (per CPU second: ${perSecond(result.cpuMillis)}), peak RSS ${
          mb(result.peakRssBytes).padStart(7)
        }${result.detail === "" ? "" : `  (${result.detail})`}\n`
      )
    }
  } finally {
    if (process.argv.includes("--keep")) process.stdout.write(`kept ${file}\n`)
    else rmSync(directory, { recursive: true, force: true })
  }
}
