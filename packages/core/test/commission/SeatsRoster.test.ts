/**
 * The seats' roster on every store: the same script of commands through
 * `handleCommand` on the memory store, a SQLite file and PostgreSQL gives
 * the same rosters and the same membership at every instant asked.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { afterAll } from "vitest"
import { AccessPolicy, type Actor, EventStore, handleCommand, loadStream, ReadModelStore, redact, sacramento } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { PostgresStore } from "@community-policing/adapter-postgres"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { freshPostgresDatabase } from "../../../adapters/postgres/test/support/freshDatabase.ts"
import { sacramentoCommissionSeats } from "../../src/commission/CommissionPresets.ts"
import { quorumOf } from "../../src/commission/Membership.ts"
import { type CommissionSeatsCommand, commissionSeats, commissionClerkAccessRule, commissionSeatsStream } from "../../src/commission/Seats.ts"
import {
  CommissionRoster,
  commissionRoster,
  commissionRosterProjection,
  rosterMembershipAt,
  rosterSeatsAt,
  updateCommissionRosters
} from "../../src/commission/SeatsRoster.ts"
import { membershipAt } from "../../src/commission/SeatsStatus.ts"

const tenantId = "sacramento"
const commission = "scprc"
const clerk: Actor = { _tag: "Staff", id: "clerk-01", roles: ["clerk"], districts: [] }
const Seats = commissionSeats(sacramento, sacramentoCommissionSeats)
const Policy = AccessPolicy.fromRules([commissionClerkAccessRule({ roles: ["clerk"] })])
const at = (iso: string) => DateTime.makeUnsafe(iso)

const appoint = (seat: string, member: string, appointer: CommissionSeatsCommand & { readonly _tag: "AppointMember" }): CommissionSeatsCommand => ({
  ...appointer,
  seat,
  member,
  name: `Commissioner ${member}`
})
const byDistrict = (district: string) =>
  ({ _tag: "AppointMember", commission, seat: "", member: "", name: "", appointer: { _tag: "council-member", district } }) as const
const byMayor = { _tag: "AppointMember", commission, seat: "", member: "", name: "", appointer: { _tag: "mayor" } } as const
const confirm = (member: string): CommissionSeatsCommand => ({ _tag: "RecordConfirmation", commission, member, outcome: "confirmed", decision: "Resolution 2026-0101" })
const oath = (member: string): CommissionSeatsCommand => ({ _tag: "RecordOath", commission, member })

/** A commission year: appointments, confirmations, oaths, a resignation, a removal, a term running out. */
const script: ReadonlyArray<readonly [string, CommissionSeatsCommand]> = [
  ["2026-01-05T17:00:00Z", appoint("district-1", "m-01", byDistrict("1"))],
  ["2026-01-05T17:05:00Z", appoint("district-2", "m-02", byDistrict("2"))],
  ["2026-01-05T17:10:00Z", appoint("mayor-1", "m-03", byMayor)],
  ["2026-01-05T17:15:00Z", appoint("mayor-2", "m-04", byMayor)],
  ["2026-01-13T02:00:00Z", confirm("m-01")],
  ["2026-01-13T02:01:00Z", confirm("m-02")],
  ["2026-01-13T02:02:00Z", confirm("m-03")],
  ["2026-01-13T02:03:00Z", confirm("m-04")],
  ["2026-01-15T17:00:00Z", oath("m-01")],
  ["2026-01-15T17:01:00Z", oath("m-02")],
  ["2026-01-15T17:02:00Z", oath("m-03")],
  ["2026-01-15T17:03:00Z", oath("m-04")],
  ["2026-03-02T17:00:00Z", { _tag: "RecordResignation", commission, member: "m-04" }],
  ["2026-10-01T17:00:00Z", { _tag: "RemoveMember", commission, member: "m-02", reason: "absences", decision: "Resolution 2026-0301" }]
]

/** Instants the membership is asked at: appointees awaiting confirmation (held, not seated), after the oaths, after the resignation, after district-1's and mayor-1's terms ran out on 30 June, after the removal. */
const askedAt = ["2026-01-10T00:00:00Z", "2026-02-12T03:00:00Z", "2026-04-09T02:00:00Z", "2026-07-09T02:00:00Z", "2026-11-12T03:00:00Z"]

const answers = Effect.gen(function*() {
  const roster = yield* commissionRoster(tenantId, commission)
  const value = Option.getOrUndefined(roster)
  return {
    rosterStaff: value === undefined ? null : redact(CommissionRoster, value, "staff"),
    rosterPublic: value === undefined ? null : redact(CommissionRoster, value, "public"),
    membership: askedAt.map((iso) => {
      const membership = rosterMembershipAt(sacramentoCommissionSeats, value, at(iso))
      return { at: iso, seated: membership.seated.map((s) => s.member), full: membership.fullMembership, quorum: quorumOf({ _tag: "majority-of-full-membership" }, membership) }
    }),
    vacancies: askedAt.map((iso) => rosterSeatsAt(sacramentoCommissionSeats, value, at(iso)).filter((s) => s._tag === "vacant").length),
    checkpoint: yield* (yield* ReadModelStore).checkpoint(tenantId, commissionRosterProjection)
  }
})

const scenario = Effect.gen(function*() {
  yield* Effect.forEach(script, ([time, command], index) =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(at(time)))
      yield* handleCommand(Seats, { tenantId, commandId: `cmd-${index}`, actor: clerk, command })
      if (index === 6) yield* updateCommissionRosters(tenantId, { batchSize: 2 })
    }))
  const refused = yield* Effect.flip(
    handleCommand(Seats, { tenantId, commandId: "cmd-refused", actor: clerk, command: appoint("district-1", "m-09", byMayor) })
  )
  const last = yield* updateCommissionRosters(tenantId, { batchSize: 3 })
  const again = yield* updateCommissionRosters(tenantId)
  // The roster agrees with the decider's own state, at every instant asked.
  const { state } = yield* loadStream(Seats, tenantId, commissionSeatsStream(commission))
  const result = yield* answers
  for (const iso of askedAt) {
    assert.deepStrictEqual(
      result.membership.find((m) => m.at === iso)?.seated,
      membershipAt(sacramentoCommissionSeats, state, at(iso)).seated.map((s) => s.member)
    )
  }
  const stored = yield* (yield* EventStore).readStream(tenantId, commissionSeatsStream(commission))
  return { refused: refused._tag, events: stored.length, applied: last.eventsApplied, againApplied: again.eventsApplied, answers: result }
})

const check = (outcome: Effect.Success<typeof scenario>) => {
  assert.strictEqual(outcome.refused, "WrongAppointer")
  assert.strictEqual(outcome.events, script.length)
  assert.strictEqual(outcome.againApplied, 0)
  assert.deepStrictEqual(outcome.answers.membership, [
    { at: askedAt[0], seated: [], full: 11, quorum: 6 },
    { at: askedAt[1], seated: ["m-01", "m-02", "m-03", "m-04"], full: 11, quorum: 6 },
    { at: askedAt[2], seated: ["m-01", "m-02", "m-03"], full: 11, quorum: 6 },
    // district-1 and mayor-1 both have terms ending 30 June 2026.
    { at: askedAt[3], seated: ["m-02"], full: 11, quorum: 6 },
    { at: askedAt[4], seated: [], full: 11, quorum: 6 }
  ])
  assert.deepStrictEqual(outcome.answers.vacancies, [7, 7, 8, 10, 11])
  assert.strictEqual(outcome.answers.checkpoint, script.length)
  const publicText = JSON.stringify(outcome.answers.rosterPublic)
  assert.notInclude(publicText, "Commissioner m-0")
  assert.include(JSON.stringify(outcome.answers.rosterStaff), "Commissioner m-01")
}

describe("commission roster: memory store", () => {
  it.effect("answers the membership at each instant, as the decider's state does", () =>
    scenario.pipe(Effect.map(check), Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))
})

describe("commission roster: SQLite file", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "commission-roster-"))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it.effect("gives the same answers as the memory store, also after reopening the file", () =>
    Effect.gen(function*() {
      const memoryAnswers = (yield* scenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy)))).answers
      const filename = path.join(folder, "roster.db")
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename }), Policy)))
      check(outcome)
      assert.deepStrictEqual(outcome.answers, memoryAnswers)
      const reopened = yield* answers.pipe(Effect.provide(SqliteStore.layer({ filename })))
      assert.deepStrictEqual(reopened, memoryAnswers)
    }))
})

const databaseUrl = await freshPostgresDatabase("cp_commission_roster")

describe("commission roster: PostgreSQL", () => {
  it.effect("gives the same answers as the memory store", () =>
    Effect.gen(function*() {
      const memory = (yield* scenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy)))).answers
      const Storage = PostgresStore.layer({ url: Redacted.make(databaseUrl), maxConnections: 4, migrate: true })
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(Storage, Policy)))
      check(outcome)
      assert.deepStrictEqual(outcome.answers, memory)
    }))
})
