/**
 * The import the kill-and-resume test runs in a child process:
 * `node --import tsx importChild.ts <journal> <batchSize> <pauseMillis> [bulk]`
 * (`bulk`: as a bulk import).
 * It imports the first 3,000 of the real 2006 Sacramento reports (read in
 * place) into a journaled store, prints `committed <row>` after each batch
 * (pausing, so the parent can kill it midway), then `report <json>`.
 */
import { CallStore, sacramento, sacramentoCrimeReports2006 } from "@community-policing/core"
import { Effect } from "effect"
import { importCalls, sacramentoCrimeReports2006Mapping } from "../../src/index.ts"
import { openJournaledStore } from "./JournaledCallStore.ts"
import { firstReports, tenantId } from "./paths.ts"

const [journal = "", batchSize = "500", pauseMillis = "0", mode = ""] = process.argv.slice(2)

const program = Effect.gen(function*() {
  const { store } = yield* openJournaledStore(journal, {
    afterCommit: (throughRow) =>
      Effect.andThen(
        Effect.sync(() => process.stdout.write(`committed ${throughRow}\n`)),
        Effect.sleep(Number(pauseMillis))
      )
  })
  const report = yield* importCalls({
    tenantId,
    jurisdiction: sacramento,
    mapping: sacramentoCrimeReports2006Mapping,
    codeTables: [sacramentoCrimeReports2006],
    file: firstReports(3_000),
    importId: "first-3000-reports",
    batchSize: Number(batchSize),
    bulk: mode === "bulk"
  }).pipe(Effect.provideService(CallStore, store))
  process.stdout.write(`report ${JSON.stringify(report)}\n`)
})

Effect.runPromise(program).catch((error) => {
  process.stderr.write(`${String(error)}\n`)
  process.exitCode = 1
})
