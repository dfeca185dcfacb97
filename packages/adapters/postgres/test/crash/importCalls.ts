/**
 * A crash-test child: imports the records file of `callsFile.ts` batch by
 * batch, as an importer does: it reads the import's committed progress,
 * resumes after it, and prints a line per committed batch. The parent kills
 * it with SIGKILL mid-run and starts it again; the import must then end
 * exactly as one clean run.
 *
 * With `bulk`, the import is a bulk import: `beginBulkImport` before its
 * first batch, `finishBulkImport` after its last, as records-csv runs a
 * large file.
 *
 * Usage: node --import tsx importCalls.ts <database-url> <tenant-id> <batches> [bulk]
 */
import { CallStore } from "@community-policing/core"
import { Effect, Option, Redacted } from "effect"
import { PostgresStore } from "../../src/index.ts"
import { callBatch, importId, nextBatch } from "./callsFile.ts"

const [url = "", tenantId = "", batchesText = "0", mode = ""] = process.argv.slice(2)
const bulk = mode === "bulk"
const batches = Number(batchesText)

const program = Effect.gen(function*() {
  const store = yield* CallStore
  const progress = yield* store.importProgress(tenantId, importId)
  if (bulk) yield* store.beginBulkImport(tenantId, importId)
  const first = nextBatch(Option.match(progress, { onNone: () => 0, onSome: (found) => found.throughRow }))
  for (let batch = first; batch < batches; batch++) {
    const result = yield* store.commitImportBatch(tenantId, callBatch(batch))
    process.stdout.write(`Committed ${batch} ${result.imported} ${result.duplicates}\n`)
  }
  if (bulk) yield* store.finishBulkImport(tenantId, importId)
})

await Effect.runPromise(program.pipe(Effect.provide(PostgresStore.layer({ url: Redacted.make(url), maxConnections: 1 }))))
