/**
 * The district team rosters on the three stores: the same commands, the same
 * projection, the same answers from memory, a real SQLite file and a real
 * PostgreSQL database.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted, Result } from "effect"
import * as fc from "fast-check"
import { TestClock } from "effect/testing"
import { afterAll } from "vitest"
import {
  AccessPolicy,
  type Actor,
  EventStore,
  handleCommand,
  ReadModelStore,
  sacramento,
  type StaffMember
} from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { PostgresStore } from "@community-policing/adapter-postgres"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { freshPostgresDatabase } from "../../../adapters/postgres/test/support/freshDatabase.ts"
import {
  type DistrictTeamCommand,
  type DistrictTeamEvent,
  districtTeam,
  districtTeamDecider,
  districtTeamStaffingRule,
  type TeamSeat,
  teamSeatsFor
} from "../../src/justice-for-neighbors/DistrictTeam.ts"
import {
  applyToRoster,
  type DistrictTeamRoster,
  rosterView,
  teamRoster,
  teamRosterCollection,
  teamRosterProjection,
  teamRosters,
  understaffedDistricts,
  updateTeamRosters
} from "../../src/justice-for-neighbors/TeamRoster.ts"

const tenantId = "sacramento"
const Teams = districtTeam(sacramento)
const manager: Actor = { _tag: "Staff", id: "ca-lead", roles: ["city-attorney"], districts: [] }
const Policy = AccessPolicy.fromRules([districtTeamStaffingRule({ roles: ["city-attorney"], scope: "own-district" })])

const member = (id: string, name: string, roles: StaffMember["roles"], councilDistricts: ReadonlyArray<string>): StaffMember => ({
  id,
  name,
  roles,
  councilDistricts: [...councilDistricts],
  active: true
})
const attorney = member("ca-0107", "Alex Moreno", ["city-attorney"], [])
const sergeant3 = member("sgt-0412", "Dana Ruiz", ["sergeant"], ["3"])
const officer3 = member("ceo-0033", "Sam Okafor", ["code-enforcement-officer"], ["3"])
const officer5 = member("ceo-0050", "Lee Park", ["code-enforcement-officer"], ["5"])
const sergeant5 = member("sgt-0501", "Chris Vang", ["sergeant"], ["5"])
const seat = (role: TeamSeat["role"], number = 1): TeamSeat => ({ role, number })

const at = (iso: string) => DateTime.makeUnsafe(iso)
const day = (d: number) => `2026-01-${String(d).padStart(2, "0")}T17:00:00.000Z`

/** The commands of the scenario, each at its own time. */
const script: ReadonlyArray<readonly [string, DistrictTeamCommand]> = [
  [day(5), { _tag: "AppointTeamMember", district: "3", seat: seat("city-attorney"), staff: attorney }],
  [day(6), { _tag: "AppointTeamMember", district: "3", seat: seat("sergeant"), staff: sergeant3 }],
  [day(7), { _tag: "AppointTeamMember", district: "3", seat: seat("code-enforcement-officer"), staff: officer3 }],
  [day(8), { _tag: "FormDistrictTeam", district: "5" }],
  [day(12), { _tag: "RecordTeamMemberDeparture", district: "3", staffId: "sgt-0412", reason: "promoted to lieutenant" }],
  [day(13), { _tag: "AppointTeamMember", district: "5", seat: seat("code-enforcement-officer"), staff: officer5 }],
  // One person may sit on two districts' teams: each team is its own stream.
  [day(14), { _tag: "AppointTeamMember", district: "5", seat: seat("city-attorney"), staff: attorney }],
  [day(15), { _tag: "AppointTeamMember", district: "5", seat: seat("sergeant"), staff: sergeant5 }]
]

/** An event of another program in the same store: the projection must pass over it. */
const foreignEvent = {
  tenantId,
  streamId: "nuisance-case/2026-0001",
  streamVersion: 1,
  eventId: "foreign-1",
  eventType: "NuisanceCaseOpened",
  schemaVersion: 1,
  data: { district: "3" },
  recordedAt: at(day(9)),
  actor: "Staff:ceo-0033",
  commandId: "foreign-cmd-1",
  correlationId: "foreign-cmd-1",
  causationId: null,
  previousHash: "0".repeat(64),
  hash: "f".repeat(64)
}

/** What the queries answer, in plain JSON so stores can be compared exactly. */
const answers = Effect.gen(function*() {
  const roster3 = yield* teamRoster(tenantId, "3")
  const rosters = yield* teamRosters(tenantId)
  const understaffed = yield* understaffedDistricts(tenantId, sacramento)
  return {
    roster3: Option.isSome(roster3) ? rosterView(roster3.value, "staff") : null,
    roster3Public: Option.isSome(roster3) ? rosterView(roster3.value, "public") : null,
    rosterDistricts: rosters.map((roster) => roster.district),
    understaffed: understaffed.map((u) => ({
      district: u.district,
      teamFormed: u.teamFormed,
      since: u.since === null ? null : DateTime.formatIso(u.since),
      vacantSeats: u.vacantSeats
    })),
    checkpoint: yield* (yield* ReadModelStore).checkpoint(tenantId, teamRosterProjection)
  }
})

/**
 * Runs the script through `handleCommand` on the store in context, catching
 * the projection up halfway and at the end in small batches (so one
 * command's events are split across commits), then asks the queries.
 */
const scenario = Effect.gen(function*() {
  const store = yield* EventStore
  const midway = yield* Effect.forEach(script, ([time, command], index) =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(at(time)))
      yield* handleCommand(Teams, { tenantId, commandId: `cmd-${index}`, actor: manager, command })
      if (index === 3) {
        yield* store.append({ tenantId, streamId: foreignEvent.streamId, expectedVersion: 0, events: [foreignEvent] })
        return Option.some(yield* updateTeamRosters(tenantId, { batchSize: 2 }))
      }
      return Option.none()
    })).pipe(Effect.map((runs) => runs.flatMap(Option.toArray)))
  const refused = yield* Effect.flip(
    handleCommand(Teams, {
      tenantId,
      commandId: "cmd-refused",
      actor: manager,
      command: { _tag: "AppointTeamMember", district: "3", seat: seat("sergeant"), staff: officer5 }
    })
  )
  const last = yield* updateTeamRosters(tenantId, { batchSize: 3 })
  const again = yield* updateTeamRosters(tenantId)
  return { midway, last, again, refused: refused._tag, answers: yield* answers }
})

const expectedRoster3 = {
  district: "3",
  formedAt: day(5),
  seats: [
    { seat: seat("city-attorney"), occupant: { staffId: "ca-0107", name: "Alex Moreno", since: day(5) }, vacantSince: null },
    { seat: seat("sergeant"), occupant: null, vacantSince: day(12) },
    { seat: seat("code-enforcement-officer"), occupant: { staffId: "ceo-0033", name: "Sam Okafor", since: day(7) }, vacantSince: null }
  ],
  understaffedSince: day(12)
}
const allSeats = teamSeatsFor(sacramento.programs.justiceForNeighbors.teamSeats)

/** Checks a scenario's outcome: every store must give exactly these answers. */
const checkOutcome = (outcome: Effect.Success<typeof scenario>) => {
  assert.strictEqual(outcome.refused, "WrongRoleForSeat")
  // Before the midway run: team 3 formed with its first appointment (5 events), two more appointments, team 5 formed (4).
  assert.deepStrictEqual(outcome.midway.map((run) => run.eventsApplied), [11])
  // Departure (2), then three appointments; the foreign event and the refusal add none.
  assert.strictEqual(outcome.last.eventsApplied, 5)
  assert.strictEqual(outcome.again.eventsApplied, 0)
  assert.strictEqual(outcome.again.checkpoint, outcome.last.checkpoint)
  const { answers } = outcome
  assert.strictEqual(answers.checkpoint, outcome.last.checkpoint)
  assert.deepStrictEqual(answers.roster3, expectedRoster3)
  assert.deepStrictEqual(answers.roster3Public, {
    district: "3",
    formedAt: day(5),
    seats: [
      { seat: seat("city-attorney"), occupant: { since: day(5) }, vacantSince: null },
      { seat: seat("sergeant"), occupant: null, vacantSince: day(12) },
      { seat: seat("code-enforcement-officer"), occupant: { since: day(7) }, vacantSince: null }
    ],
    understaffedSince: day(12)
  })
  assert.deepStrictEqual(answers.rosterDistricts, ["3", "5"])
  assert.deepStrictEqual(answers.understaffed, [
    ...["1", "2", "4", "6", "7", "8"].map((district) => ({ district, teamFormed: false, since: null, vacantSeats: allSeats })),
    { district: "3", teamFormed: true, since: day(12), vacantSeats: [seat("sergeant")] }
  ])
}

describe("team rosters: memory store", () => {
  it.effect("answers who sits where and which districts are understaffed since when", () =>
    scenario.pipe(Effect.map(checkOutcome), Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("the public view of every roster carries no name or staff id", () =>
    Effect.gen(function*() {
      yield* scenario
      for (const roster of yield* teamRosters(tenantId)) {
        for (const audience of ["public", "commission"] as const) {
          const text = JSON.stringify(rosterView(roster, audience))
          for (const person of [attorney, sergeant3, officer3, officer5, sergeant5]) {
            assert.notInclude(text, person.id)
            assert.notInclude(text, person.name)
          }
        }
      }
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("an unreadable stored roster is reported as a storage failure, not guessed at", () =>
    Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      yield* readModels.commit(tenantId, {
        projection: "vandal",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [{ collection: teamRosterCollection, id: "3", data: { district: "3", seats: "none" }, indexed: {} }],
        deletes: []
      })
      const failure = yield* Effect.flip(teamRoster(tenantId, "3"))
      assert.strictEqual(failure._tag, "StorageFailure")
      assert.match(failure.message, /does not decode/)
    }).pipe(Effect.provide(MemoryStore.layer())))

  it.effect("with no teams, every council district is understaffed with no instant", () =>
    Effect.gen(function*() {
      const understaffed = yield* understaffedDistricts(tenantId, sacramento)
      assert.deepStrictEqual(understaffed.map((u) => [u.district, u.teamFormed, u.since]), sacramento.councilDistricts.map((d) => [d.id, false, null]))
    }).pipe(Effect.provide(MemoryStore.layer())))
})

describe("team rosters: SQLite file", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "jfn-rosters-"))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it.effect("gives the same answers from a database file, also after reopening it", () =>
    Effect.gen(function*() {
      const filename = path.join(folder, "rosters.db")
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename }), Policy)))
      checkOutcome(outcome)
      assert.isTrue(fs.statSync(filename).size > 0)
      const reopened = yield* answers.pipe(Effect.provide(SqliteStore.layer({ filename })))
      assert.deepStrictEqual(reopened, outcome.answers)
    }))
})

const databaseUrl = await freshPostgresDatabase("cp_jfn_rosters")

describe("team rosters: PostgreSQL", () => {
  it.effect("gives the same answers from a PostgreSQL database", () =>
    Effect.gen(function*() {
      const Storage = PostgresStore.layer({ url: Redacted.make(databaseUrl), maxConnections: 4, migrate: true })
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(Storage, Policy)))
      checkOutcome(outcome)
    }))
})

// ---------------------------------------------------------------------------
// Property: the projection agrees with the decider, whatever the order of events
// ---------------------------------------------------------------------------

describe("applyToRoster (property)", () => {
  const people: ReadonlyArray<StaffMember> = [attorney, sergeant3, officer3, member("ceo-0034", "Rae Kim", ["code-enforcement-officer"], [])]
  const commandArb: fc.Arbitrary<DistrictTeamCommand> = fc.oneof(
    fc.record({
      _tag: fc.constant("AppointTeamMember" as const),
      district: fc.constant("3"),
      seat: fc.constantFrom(...allSeats),
      staff: fc.constantFrom(...people)
    }),
    fc.record({
      _tag: fc.constant("RecordTeamMemberDeparture" as const),
      district: fc.constant("3"),
      staffId: fc.constantFrom(...people.map((p) => p.id)),
      reason: fc.constant("reassigned")
    })
  )

  it("holds the decider's occupants, and the team is understaffed since the last instant it lost its last full staffing", () => {
    const decider = districtTeamDecider(sacramento)
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 40 }), (commands) => {
        let state = decider.initialState
        let roster: DistrictTeamRoster | undefined
        let expectedSince: DateTime.Utc | null = null
        commands.forEach((command, index) => {
          const now = DateTime.makeUnsafe(Date.UTC(2026, 0, 1) + index * 86_400_000)
          const decided = decider.decide(command, state, { now, actor: manager })
          if (Result.isFailure(decided)) return
          for (const event of decided.success as ReadonlyArray<DistrictTeamEvent>) {
            state = decider.evolve(state, event)
            roster = applyToRoster(roster, event)
          }
          // The reference, from the decider's state after each whole command.
          const vacant = state._tag === "Formed" && state.seats.some((s) => s.occupant === undefined)
          expectedSince = vacant ? expectedSince ?? now : null
        })
        if (state._tag === "NotFormed") return roster === undefined
        if (roster === undefined) return false
        const occupants = (seats: ReadonlyArray<{ readonly occupant?: { readonly staffId: string } | null | undefined }>) =>
          seats.map((s) => s.occupant?.staffId ?? null)
        return JSON.stringify(occupants(roster.seats)) === JSON.stringify(occupants(state.seats)) &&
          (roster.understaffedSince === null
            ? expectedSince === null
            : expectedSince !== null && DateTime.Equivalence(roster.understaffedSince, expectedSince))
      }),
      { numRuns: 300 }
    )
  })
})
