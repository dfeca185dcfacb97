/**
 * A city's small app, installed from the packed tarballs into a fresh
 * project, type-checked (strict, NodeNext, library declarations checked too)
 * and run by scripts/check-install.sh. It configures a jurisdiction from
 * ordinary arrays with `nonEmpty`, generates Sacramento-like calls with
 * records-csv and imports them into a SQLite file, appends to and reads back
 * an event stream on SQLite and in memory, reads SQLite's version through
 * the adapter's typed better-sqlite3 connection, and runs Justice for
 * Neighbors from its program module (the root's `JusticeForNeighbors`
 * namespace and the `@community-policing/core/justice-for-neighbors`
 * subpath): a resident's complaint opens a case in memory, and the case
 * board shows it.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import {
  type EmptyList,
  EventStore,
  type EventToAppend,
  RecipientDirectory,
  handleCommand,
  type Jurisdiction,
  JusticeForNeighbors,
  nonEmpty,
  type Role,
  sacramento,
  sacramentoCad,
  validateJurisdiction
} from "@community-policing/core"
import { caseSummary, justiceForNeighbors } from "@community-policing/core/justice-for-neighbors"
import { sacramentoCad as sacramentoCadFromCalls } from "@community-policing/core/calls"
import { handleCommand as handleCommandFromEngine } from "@community-policing/core/engine"
import { sacramento as sacramentoFromKernel } from "@community-policing/core/kernel"
import { EventStore as EventStoreFromPorts } from "@community-policing/core/ports"
import { RecipientDirectory as RecipientDirectoryFromNotifications } from "@community-policing/core/notifications"
import { generateSacramentoCad, importCalls, sacramentoCadMapping } from "@community-policing/records-csv"
import { DateTime, Effect, Layer, Option, Result } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** The seats of each district team, as a city's HR system hands them over: an ordinary array. */
const seatsFromDirectory: Array<Role> = ["city-attorney", "sergeant", "code-enforcement-officer"]

/** Sacramento's preset with the city's own team seats: no cast, and an empty list would be an EmptyList. */
const configure = (seats: ReadonlyArray<Role>): Result.Result<Jurisdiction, EmptyList> =>
  Result.map(nonEmpty(seats, "teamSeats"), (teamSeats) => ({
    ...sacramento,
    programs: {
      ...sacramento.programs,
      justiceForNeighbors: { ...sacramento.programs.justiceForNeighbors, teamSeats }
    }
  }))

const opened = (tenantId: string, streamId: string): EventToAppend => ({
  tenantId,
  streamId,
  streamVersion: 1,
  eventId: "evt-1",
  eventType: "NuisanceCaseOpened",
  schemaVersion: 1,
  data: { address: "4079 L ST", district: "3" },
  recordedAt: DateTime.makeUnsafe("2026-03-02T09:30:00.000Z"),
  actor: "Staff:ceo-3",
  commandId: "cmd-1",
  correlationId: "cmd-1",
  causationId: null,
  previousHash: "0".repeat(64),
  hash: "f".repeat(64)
})

/** Appends one event and reads the stream back, through whichever EventStore is provided. */
const appendAndRead = Effect.gen(function*() {
  const store = yield* EventStore
  const event = opened("sacramento", "nuisance-case-2026-0001")
  yield* store.append({ tenantId: event.tenantId, streamId: event.streamId, expectedVersion: 0, events: [event] })
  return yield* store.readStream(event.tenantId, event.streamId)
})

/**
 * One copy of everything whichever path imports it: a port's tag, the
 * presets and the program module are the same objects from the root and
 * from the subpaths (shared chunks, not one bundle per entry).
 */
const sameFromEveryPath = (): ReadonlyArray<string> => [
  ...(EventStoreFromPorts === EventStore ? [] : ["EventStore"]),
  ...(handleCommandFromEngine === handleCommand ? [] : ["handleCommand"]),
  ...(sacramentoFromKernel === sacramento ? [] : ["sacramento"]),
  ...(sacramentoCadFromCalls === sacramentoCad ? [] : ["sacramentoCad"]),
  ...(RecipientDirectoryFromNotifications === RecipientDirectory ? [] : ["RecipientDirectory"]),
  ...(JusticeForNeighbors.justiceForNeighbors === justiceForNeighbors ? [] : ["justiceForNeighbors"])
]

/** A resident's complaint through the program built in one call, on the memory store; the case board's summary of it. */
const complaintInMemory = (jurisdiction: Jurisdiction) => {
  const program = JusticeForNeighbors.justiceForNeighbors(jurisdiction)
  return Effect.gen(function*() {
    const receivedAt = yield* DateTime.now
    const outcome = yield* handleCommand(program.aggregates.nuisanceCase, {
      tenantId: jurisdiction.id,
      commandId: "complaint-1",
      actor: { _tag: "Public", id: "web-session-1" },
      command: {
        _tag: "OpenCase",
        caseId: "2026-000001",
        category: "illegal-dumping",
        councilDistrict: "3",
        addressKey: "4079 L ST",
        source: { _tag: "ResidentComplaint", channel: "web" },
        description: "Mattresses dumped on the sidewalk",
        immediateHazard: false,
        receivedAt,
        comment: "web form"
      }
    })
    yield* program.projections.caseBoard.catchUp(jurisdiction.id)
    const summary = yield* caseSummary(jurisdiction.id, "2026-000001")
    return { outcome, summary }
  }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), program.policy)))
}

const main = Effect.gen(function*() {
  const twice = sameFromEveryPath()
  if (twice.length > 0) return yield* Effect.die(new Error(`two copies of ${twice.join(", ")}: the subpaths must share the root's modules`))
  const configured = configure(seatsFromDirectory)
  if (Result.isFailure(configured)) return yield* Effect.die(configured.failure)
  const checked = validateJurisdiction(configured.success)
  if (Result.isFailure(checked)) return yield* Effect.die(checked.failure)
  const jurisdiction = checked.success
  const refused = configure([])
  if (Result.isSuccess(refused) || refused.failure._tag !== "EmptyList") {
    return yield* Effect.die(new Error("an empty seat list must be refused with EmptyList"))
  }

  const folder = mkdtempSync(join(tmpdir(), "city-app-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(folder, { recursive: true, force: true })))
  const callsFile = join(folder, "cad.csv")
  const generated = yield* generateSacramentoCad({ seed: 7, calls: 500, from: "2024-03-01", to: "2024-03-07", callsFile })

  const sqlite = SqliteStore.layer({ filename: join(folder, "city.db") })
  const { report, version, sqliteEvents } = yield* Effect.provide(
    Effect.gen(function*() {
      const report = yield* importCalls({
        tenantId: jurisdiction.id,
        jurisdiction,
        mapping: sacramentoCadMapping,
        codeTables: [sacramentoCad],
        file: callsFile
      })
      const store = yield* SqliteStore
      // Typed by @types/better-sqlite3, which the adapter brings: type arguments on an untyped call would not compile.
      const row = store.connection.prepare<[], { version: string }>("SELECT sqlite_version() AS version").get()
      const sqliteEvents = yield* appendAndRead
      return { report, version: row?.version ?? "unknown", sqliteEvents }
    }),
    sqlite
  )
  const memoryEvents = yield* Effect.provide(appendAndRead, MemoryStore.layer())
  const complaint = yield* complaintInMemory(jurisdiction)

  if (report.imported + report.quarantined !== generated.calls) {
    return yield* Effect.die(new Error(`imported ${report.imported} + quarantined ${report.quarantined} != ${generated.calls} generated`))
  }
  if (sqliteEvents.length !== 1 || memoryEvents.length !== 1) {
    return yield* Effect.die(new Error("each store must read back the one appended event"))
  }
  if (complaint.outcome._tag !== "Handled" || Option.isNone(complaint.summary)) {
    return yield* Effect.die(new Error("the program must open the resident's case and its board must show it"))
  }
  console.log(
    `${jurisdiction.name}: team seats ${jurisdiction.programs.justiceForNeighbors.teamSeats.join(", ")}; ` +
      `${report.imported} calls imported into SQLite ${version} (${report.quarantined} quarantined); ` +
      `event read back at global position ${sqliteEvents[0]?.globalPosition} (SQLite) and ${memoryEvents[0]?.globalPosition} (memory); ` +
      `Justice for Neighbors case ${complaint.summary.value.caseId} opened by a resident, on the board at stage ${complaint.summary.value.stage}`
  )
})

await Effect.runPromise(Effect.scoped(main))
