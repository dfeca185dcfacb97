/**
 * The recommendation board on the three stores: real recommendations
 * through `handleCommand` with the time from `TestClock`, the board caught
 * up in two phases (the first in small batches), and the same answers to
 * every query from memory, a real SQLite file and a real PostgreSQL
 * database.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted, Schema } from "effect"
import { afterAll } from "vitest"
import { ReadModelStore } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { PostgresStore } from "@community-policing/adapter-postgres"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { freshPostgresDatabase } from "../../../adapters/postgres/test/support/freshDatabase.ts"
import {
  lateAnswers,
  recommendationBoardCollection,
  recommendationBoardProjection,
  RecommendationBoardRow,
  recommendationBoardRows,
  recommendationBoardView,
  updateRecommendationBoard
} from "../../src/commission/RecommendationBoard.ts"
import { asOfOne, asOfTwo, boardPolicy, ids, liaison, phaseOne, phaseTwo, runSteps } from "./RecommendationBoardFixtures.ts"

const tenantId = "sacramento"
const DAY = 86_400_000
const encodeRows = Schema.encodeSync(Schema.Array(RecommendationBoardRow))
const millis = DateTime.toEpochMillis

/** Every query's answer as of an instant, in plain JSON so stores can be compared exactly. */
const answers = (asOf: DateTime.Utc) =>
  Effect.gen(function*() {
    const rows = yield* recommendationBoardRows(tenantId, asOf)
    const late = yield* lateAnswers(tenantId, asOf)
    return {
      rows: encodeRows(rows),
      transmitted: (yield* recommendationBoardRows(tenantId, asOf, { stage: "transmitted" })).map((row) => row.recommendation.recommendationId),
      late: late.map((answer) => ({
        id: answer.recommendationId,
        recipient: answer.recipient.id,
        transmittedAt: DateTime.formatIso(answer.transmittedAt),
        answerDue: DateTime.formatIso(answer.answerDue),
        waitingDays: answer.waitingDays,
        overdueDays: answer.overdueDays,
        overdueMillis: answer.overdueMillis
      })),
      publicView: rows.map((row) => recommendationBoardView(row, "public")),
      staffView: rows.map((row) => recommendationBoardView(row, "staff")),
      checkpoint: yield* (yield* ReadModelStore).checkpoint(tenantId, recommendationBoardProjection)
    }
  })

/** Phase one, a catch-up in batches of 3, phase two, an incremental catch-up, and a rerun that finds nothing. */
const scenario = Effect.gen(function*() {
  const phaseOneEvents = yield* runSteps(tenantId, phaseOne, "one")
  const first = yield* updateRecommendationBoard(tenantId, { batchSize: 3 })
  const one = yield* answers(asOfOne)
  const phaseTwoEvents = yield* runSteps(tenantId, phaseTwo, "two")
  const second = yield* updateRecommendationBoard(tenantId)
  const two = yield* answers(asOfTwo)
  const again = yield* updateRecommendationBoard(tenantId, { batchSize: 2 })
  const twoAgain = yield* answers(asOfTwo)
  return { phaseOneEvents, phaseTwoEvents, first, second, again, one, two, twoAgain }
})

type Outcome = Effect.Success<typeof scenario>

const rowOf = (rows: ReadonlyArray<unknown>, id: string) =>
  rows.find((row) => (row as { recommendation: { recommendationId: string } }).recommendation.recommendationId === id) as
    | { recommendation: Record<string, unknown>; ageDays: number; awaitingAnswerDays: number | null; overdue: boolean; overdueDays: number | null }
    | undefined

/** Checks a scenario's outcome: every store must give exactly these answers. */
const checkOutcome = (outcome: Outcome) => {
  const { one, two } = outcome
  assert.strictEqual(outcome.first.eventsApplied, outcome.phaseOneEvents)
  assert.strictEqual(outcome.second.eventsApplied, outcome.phaseTwoEvents)
  assert.strictEqual(outcome.phaseTwoEvents, 2)
  assert.strictEqual(outcome.again.eventsApplied, 0)
  assert.strictEqual(outcome.again.checkpoint, outcome.second.checkpoint)
  assert.deepStrictEqual(outcome.twoAgain, two)

  // Every recommendation, oldest draft first, at its stage.
  assert.deepStrictEqual(
    one.rows.map((row) => [row.recommendation.recommendationId, row.recommendation.stage]),
    [
      [ids.implemented, "implementing"],
      [ids.lateThenAnswered, "transmitted"],
      [ids.declined, "closed"],
      [ids.late, "transmitted"],
      [ids.draftOnly, "drafted"],
      [ids.lateInPhaseTwo, "transmitted"]
    ]
  )
  assert.deepStrictEqual(one.transmitted, [ids.lateThenAnswered, ids.late, ids.lateInPhaseTwo])
  assert.deepStrictEqual(two.transmitted, [ids.late, ids.lateInPhaseTwo])

  // The first one: its dates, the body, the answer, the milestone; implemented in August.
  const implementing = rowOf(one.rows, ids.implemented)!
  assert.notProperty(implementing.recommendation, "implemented")
  const implemented = rowOf(two.rows, ids.implemented)!
  assert.deepInclude(implemented.recommendation, {
    draftedAt: "2026-01-20T18:00:00.000Z",
    answer: { answer: "partly-accepted", reasons: "The department accepts a 60-day window.", respondent: "law-and-legislation-committee", answeredAt: "2026-04-01T18:00:00.000Z" },
    milestones: [{ description: "Policy revised", reachedAt: "2026-06-01T18:00:00.000Z" }],
    implemented: { note: "General order 525.02 in force.", implementedAt: "2026-08-01T18:00:00.000Z" }
  })
  assert.deepInclude(implemented, { overdue: false, overdueDays: null, awaitingAnswerDays: null })
  assert.strictEqual(implementing.ageDays, Math.floor((millis(asOfOne) - millis(DateTime.makeUnsafe("2026-01-20T18:00:00Z"))) / DAY))

  // Late at the end of June: the two oldest transmittals still unanswered, oldest first, with their age.
  assert.deepStrictEqual(one.late.map((late) => [late.id, late.recipient]), [
    [ids.lateThenAnswered, "police-department"],
    [ids.late, "police-department"]
  ])
  const firstLate = one.late[0]!
  // 90 calendar days after 20 Feb 2026: due by the end of 21 May, Pacific time.
  assert.strictEqual(firstLate.answerDue, "2026-05-22T06:59:59.999Z")
  assert.strictEqual(firstLate.overdueMillis, millis(asOfOne) - millis(DateTime.makeUnsafe("2026-05-22T06:59:59.999Z")))
  assert.strictEqual(firstLate.overdueDays, Math.floor(firstLate.overdueMillis / DAY))
  assert.strictEqual(firstLate.waitingDays, Math.floor((millis(asOfOne) - millis(DateTime.makeUnsafe("2026-02-20T19:00:00Z"))) / DAY))
  // The board's rows agree with the late list.
  for (const late of one.late) {
    const row = rowOf(one.rows, late.id)!
    assert.deepInclude(row, { overdue: true, overdueDays: late.overdueDays, awaitingAnswerDays: late.waitingDays })
  }
  assert.deepInclude(rowOf(one.rows, ids.lateInPhaseTwo)!, { overdue: false, overdueDays: null })
  assert.isNumber(rowOf(one.rows, ids.lateInPhaseTwo)!.awaitingAnswerDays)

  // At the end of September the department has answered; the committee's answer is now late.
  assert.deepStrictEqual(two.late.map((late) => late.id), [ids.late, ids.lateInPhaseTwo])
  assert.deepInclude(rowOf(two.rows, ids.lateThenAnswered)!, { overdue: false, awaitingAnswerDays: null })

  // The liaison (personal) is on the staff view only.
  assert.include(JSON.stringify(one.staffView), liaison)
  assert.notInclude(JSON.stringify(one.publicView), liaison)
  assert.notInclude(JSON.stringify(two.publicView), liaison)
  assert.include(JSON.stringify(one.publicView), "Sacramento Police Department")
}

describe("recommendation board: memory store", () => {
  it.effect("answers every query, catches up incrementally and reruns to no effect", () =>
    scenario.pipe(Effect.map(checkOutcome), Effect.provide(Layer.merge(MemoryStore.layer(), boardPolicy))))

  it.effect("an unreadable stored recommendation is reported as a storage failure, not guessed at", () =>
    Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      yield* readModels.commit(tenantId, {
        projection: "vandal",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [{ collection: recommendationBoardCollection, id: ids.late, data: { recommendationId: ids.late, stage: "forgotten" }, indexed: { stage: "forgotten", draftedAt: "2026-01-01T00:00:00.000Z" } }],
        deletes: []
      })
      const failure = yield* Effect.flip(recommendationBoardRows(tenantId, asOfOne))
      assert.strictEqual(failure._tag, "StorageFailure")
      assert.match(failure.message, /the stored recommendation does not decode/)
    }).pipe(Effect.provide(MemoryStore.layer())))
})

describe("recommendation board: SQLite file", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "commission-board-"))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it.effect("gives the memory store's answers from a database file, also after reopening it", () =>
    Effect.gen(function*() {
      const filename = path.join(folder, "board.db")
      const reference = yield* scenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), boardPolicy)))
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename }), boardPolicy)))
      checkOutcome(outcome)
      assert.deepStrictEqual(outcome, reference)
      const reopened = yield* answers(asOfTwo).pipe(Effect.provide(SqliteStore.layer({ filename })))
      assert.deepStrictEqual(reopened, outcome.two)
    }))
})

const databaseUrl = await freshPostgresDatabase("cp_commission_board")

describe("recommendation board: PostgreSQL", () => {
  it.effect("gives the memory store's answers from a PostgreSQL database", () =>
    Effect.gen(function*() {
      const reference = yield* scenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), boardPolicy)))
      const Storage = PostgresStore.layer({ url: Redacted.make(databaseUrl), maxConnections: 4, migrate: true })
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(Storage, boardPolicy)))
      checkOutcome(outcome)
      assert.deepStrictEqual(outcome, reference)
    }))
})
