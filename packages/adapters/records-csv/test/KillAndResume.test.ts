/**
 * An import killed midway (SIGKILL, in a child process, into a durable
 * store) and started again ends exactly as one clean run: same calls in the
 * same order, same dedupe keys (the ordinals of the 2006 file's identical
 * rows included), same progress, quarantine and daily counts. The first
 * 3,000 of the real 2006 reports keep the run short. The same holds for a
 * bulk import (`bulk: true`), begun again by the resumed run and finished by
 * it; the SQLite adapter's own kill test checks its deferred index.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openJournaledStore } from "./support/JournaledCallStore.ts"
import { firstReports, projectRoot, tenantId } from "./support/paths.ts"
import { freshStore, importInto, sacramentoReports, snapshot } from "./support/stores.ts"

const child = new URL("./support/importChild.ts", import.meta.url).pathname

// The second batch ends at row 1,125, inside a run of six identical reports
// (rows 1,120 to 1,127): the resumed run must number the copies after it
// from where the killed run stopped, or their keys would collide.
const batchSize = 562

interface ChildRun {
  readonly committed: ReadonlyArray<number>
  readonly report: unknown
  readonly signal: NodeJS.Signals | null
  readonly code: number | null
  readonly stderr: string
}

/** Runs the import in a child process; with `killAfter`, SIGKILLs it once that many batches are committed. */
const runChild = (journal: string, pauseMillis: number, bulk: boolean, killAfter?: number): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const proc = spawn("node", ["--import", "tsx", child, journal, String(batchSize), String(pauseMillis), bulk ? "bulk" : "rows"], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const committed: Array<number> = []
    let report: unknown = undefined
    let stderr = ""
    let buffered = ""
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    proc.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split("\n")
      buffered = lines.pop() ?? ""
      for (const line of lines) {
        if (line.startsWith("committed ")) committed.push(Number(line.slice("committed ".length)))
        if (line.startsWith("report ")) report = JSON.parse(line.slice("report ".length))
        if (killAfter !== undefined && committed.length === killAfter && line.startsWith("committed ")) {
          proc.kill("SIGKILL")
        }
      }
    })
    proc.on("error", reject)
    proc.on("close", (code, signal) => resolve({ committed, report, signal, code, stderr }))
  })

for (const bulk of [false, true]) {
  describe(`an import killed midway and run again${bulk ? ", in a bulk import" : ""}`, () => {
    it("ends exactly as one clean run", async () => {
      const journal = join(mkdtempSync(join(tmpdir(), "records-csv-resume-")), "store.journal")
      // The clean run goes on in this process while the children run in theirs.
      const clean = await freshStore()
      const cleanRun = importInto(clean, sacramentoReports(firstReports(3_000), { importId: "first-3000-reports", batchSize, bulk: false }))

      const killed = await runChild(journal, 1_000, bulk, 2)
      assert.strictEqual(killed.signal, "SIGKILL", killed.stderr)
      assert.deepStrictEqual(killed.committed, [563, 1_125])
      assert.isUndefined(killed.report)

      const resumed = await runChild(journal, 0, bulk)
      assert.strictEqual(resumed.code, 0, resumed.stderr)
      assert.deepStrictEqual(resumed.committed, [1_687, 2_249, 2_811, 3_001])

      const cleanReport = await cleanRun
      assert.deepStrictEqual(resumed.report, { ...cleanReport, resumedAfterRow: 1_125 })

      const durable = await Effect.runPromise(openJournaledStore(journal))
      const [after, expected] = [await Effect.runPromise(durable.inspector.snapshot(tenantId)), await snapshot(clean)]
      assert.strictEqual(after.calls.length, 3_000)
      assert.deepStrictEqual(after.calls, expected.calls)
      assert.deepStrictEqual(after.imports, expected.imports)
      assert.deepStrictEqual(after.dailyCounts, expected.dailyCounts)
    }, 180_000)
  })
}
