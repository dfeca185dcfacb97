/**
 * Two processes importing the same file into one SQLite database at once
 * (issue 12): each batch states the progress it continues from, so the one
 * whose first batch comes second is told the import is already running,
 * with the progress it found, and writes nothing; the other imports the
 * whole file, and a later run has nothing left to do.
 */
import { CallStore, sacramento, sacramentoCad } from "@community-policing/core"
import { generateSacramentoCad, importCalls, sacramentoCadMapping } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Option } from "effect"
import { SqliteStore } from "../src/index.ts"
import { startFixture } from "./support/child.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("concurrent-imports")

describe("two processes importing one file at once", () => {
  it("the second to commit fails with ImportAlreadyRunning carrying the progress it found; the first imports everything", async () => {
    const filename = database("imports")
    const folder = path.dirname(filename)
    const file = path.join(folder, "cad.csv")
    const gate = path.join(folder, "imports-gate")
    const tenantId = "sacramento"
    await Effect.runPromise(generateSacramentoCad({ seed: 7, calls: 400, from: "2024-03-01", to: "2024-03-31", callsFile: file }))
    // Migrated here first, so that the children only import.
    await Effect.runPromise(Effect.scoped(SqliteStore.make({ filename })))
    const children = [
      startFixture("importer.ts", { filename, file, tenantId, gate }),
      startFixture("importer.ts", { filename, file, tenantId, gate })
    ]
    // Both have read the import's progress (none) before either commits a batch.
    await Promise.all(children.map((child) => child.linesSeen(1)))
    fs.writeFileSync(gate, "go")
    const exits = await Promise.all(children.map((child) => child.exit))
    for (const exit of exits) assert.strictEqual(exit.code, 0, exit.stderr)
    const outcomes = exits.map((exit) => JSON.parse(exit.lines.at(-1) ?? "null") as Record<string, unknown>)
    const imported = outcomes.filter((outcome) => outcome["_tag"] === "Imported")
    const refused = outcomes.filter((outcome) => outcome["_tag"] === "ImportAlreadyRunning")
    assert.strictEqual(imported.length, 1, JSON.stringify(outcomes))
    assert.strictEqual(refused.length, 1, JSON.stringify(outcomes))
    const winner = imported[0]!
    const loser = refused[0]!
    assert.strictEqual(loser["importId"], winner["importId"])
    assert.strictEqual(loser["tenantId"], tenantId)
    assert.strictEqual(loser["expectedAfterRow"], 0, "the loser's first batch continued from no progress")
    const found = loser["progress"] as { readonly throughRow: number; readonly imported: number }
    assert.isAbove(found.throughRow, 0, "the progress found is the winner's first batch")

    const after = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const store = yield* SqliteStore.make({ filename })
      const progress = yield* store.callStore.importProgress(tenantId, String(winner["importId"]))
      const again = yield* importCalls({
        tenantId,
        jurisdiction: sacramento,
        mapping: sacramentoCadMapping,
        codeTables: [sacramentoCad],
        file
      }).pipe(Effect.provideService(CallStore, store.callStore))
      return { progress, again }
    })))
    const progress = Option.getOrThrow(after.progress)
    assert.deepStrictEqual(
      { imported: progress.imported, duplicates: progress.duplicates, quarantined: progress.quarantined },
      { imported: winner["imported"], duplicates: winner["duplicates"], quarantined: winner["quarantined"] },
      "the stored progress is the winner's alone: the loser wrote nothing"
    )
    // A report's counts are the import's totals, so a run with nothing left to do reports the winner's.
    assert.deepStrictEqual(
      { ...after.again },
      {
        importId: winner["importId"],
        read: winner["read"],
        skipped: 0,
        imported: winner["imported"],
        duplicates: winner["duplicates"],
        quarantined: winner["quarantined"],
        conflicts: 0,
        unaccounted: 0,
        resumedAfterRow: progress.throughRow
      },
      "a later run resumes after the end and adds nothing"
    )
  }, 60_000)
})
