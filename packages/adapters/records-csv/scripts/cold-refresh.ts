/**
 * Times the daily refresh's records-csv side in a fresh process: one day's
 * generated Sacramento calls (1,095 by default) imported twice into a store
 * that keeps nothing, the first time with everything the first run compiles
 * (schemas, zones, the projection, code tables), the second time warm. The
 * difference is the first run's cost, which the bench's refresh pays.
 *
 * ```text
 * node --import tsx packages/adapters/records-csv/scripts/cold-refresh.ts [--calls 1095] [--cpu-prof-dir <dir>]
 * ```
 */
import { CallStore, sacramento, sacramentoCad } from "@community-policing/core"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { nullStore } from "./NullCallStore.ts"
import { generateSacramentoCad, importCalls, sacramentoCadMapping } from "../src/index.ts"

const flag = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? undefined : process.argv[index + 1]
}

const importOnce = async (file: string, importId: string): Promise<number> => {
  const start = performance.now()
  await Effect.runPromise(
    importCalls({
      tenantId: "sacramento",
      jurisdiction: sacramento,
      mapping: sacramentoCadMapping,
      codeTables: [sacramentoCad],
      file,
      importId
    }).pipe(Effect.provideService(CallStore, nullStore))
  )
  return performance.now() - start
}

const childFile = flag("file")
if (childFile !== undefined) {
  const cold = await importOnce(childFile, "cold")
  const warm = await importOnce(childFile, "warm")
  process.stdout.write(`${JSON.stringify({ cold, warm })}\n`)
} else {
  const calls = Number(flag("calls") ?? "1095")
  const profileDir = flag("cpu-prof-dir")
  const directory = mkdtempSync(join(tmpdir(), "cold-refresh-"))
  const file = join(directory, "day.csv")
  try {
    await Effect.runPromise(generateSacramentoCad({ seed: 4, calls, from: "2024-01-01", to: "2024-01-01", callsFile: file }))
    const script = fileURLToPath(import.meta.url)
    const runs: Array<{ cold: number; warm: number }> = []
    for (let run = 0; run < 5; run++) {
      const output = execFileSync(
        process.execPath,
        [
          ...(script.endsWith(".ts") ? ["--import", "tsx"] : []),
          ...(profileDir === undefined || run > 0 ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDir]),
          script,
          "--file",
          file
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
      )
      runs.push(JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as { cold: number; warm: number })
    }
    const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    const cold = median(runs.map((run) => run.cold))
    const warm = median(runs.map((run) => run.warm))
    process.stdout.write(
      `${calls.toLocaleString("en-US")} calls in a fresh process, medians of ${runs.length}: first import ${cold.toFixed(0)} ms, ` +
        `second ${warm.toFixed(0)} ms (first-run cost ${(cold - warm).toFixed(0)} ms)\n`
    )
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
