/**
 * Properties of the recommendation workflow: random sequences of commands
 * (right and wrong kinds, votes that pass or fail, known and unknown
 * recipients, instants in and out of order) never produce a recommendation
 * that skipped a stage; and the overdue list is always sorted oldest first,
 * complete, and holds only answers past due.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import {
  type DraftedRecommendation,
  overdueAnswers,
  type RecommendationCommand,
  recommendationDecider,
  recommendationStageGraph,
  type RecommendationState
} from "../../src/commission/Recommendation.ts"
import { sacramentoRecommendationSettings } from "../../src/commission/RecommendationSettings.ts"
import { at, ctx, options, passingVote } from "./RecommendationFixtures.ts"

const decider = recommendationDecider(options)
const start = DateTime.toEpochMillis(at("2026-01-05T17:00:00Z"))
const HOUR = 3_600_000

const Move = fc.record({
  kind: fc.integer({ min: 0, max: 6 }),
  advanceHours: fc.integer({ min: -48, max: 24 * 60 }),
  passing: fc.boolean(),
  recipient: fc.integer({ min: 0, max: 3 }),
  answer: fc.constantFrom("accepted", "partly-accepted", "declined") as fc.Arbitrary<"accepted" | "partly-accepted" | "declined">
})
type Move = typeof Move extends fc.Arbitrary<infer A> ? A : never

const recipients = [...sacramentoRecommendationSettings.recipients.map((known) => known.id), "mayor"]

const commandOf = (move: Move, instant: DateTime.Utc): RecommendationCommand => {
  const recommendationId = "rec-p"
  switch (move.kind) {
    case 0:
      return { _tag: "DraftRecommendation", recommendationId, title: "t", text: "x", draftedAt: instant }
    case 1: {
      const vote = passingVote(instant)
      return {
        _tag: "AdoptRecommendation",
        recommendationId,
        vote: move.passing ? vote : { ...vote, outcome: "failed", tally: { ...vote.tally, aye: 3, no: 6 } }
      }
    }
    case 2:
      return { _tag: "TransmitRecommendation", recommendationId, recipient: recipients[move.recipient] ?? "mayor", transmittedAt: instant }
    case 3:
      return { _tag: "AnswerRecommendation", recommendationId, answer: move.answer, reasons: "r", respondent: "city-council", answeredAt: instant }
    case 4:
      return { _tag: "RecordImplementationMilestone", recommendationId, description: "m", reachedAt: instant }
    case 5:
      return { _tag: "RecordRecommendationImplemented", recommendationId, note: "n", implementedAt: instant }
    default:
      return { _tag: "CloseRecommendation", recommendationId, reason: "c", closedAt: instant }
  }
}

/** Runs the moves; checks every accepted step against the stage graph and the state's invariants. */
const run = (moves: ReadonlyArray<Move>): RecommendationState => {
  let state = decider.initialState
  let clock = start
  for (const move of moves) {
    clock += move.advanceHours * HOUR
    const instant = DateTime.makeUnsafe(clock)
    const now = DateTime.makeUnsafe(clock + 24 * HOUR)
    const result = decider.decide(commandOf(move, instant), state, ctx(now))
    if (Result.isFailure(result)) continue
    const before = state
    state = result.success.reduce(decider.evolve, state)
    assert.strictEqual(state._tag, "Recommendation")
    if (state._tag !== "Recommendation") continue
    if (before._tag === "NoRecommendation") assert.strictEqual(state.stage, "drafted")
    else assert.include(recommendationStageGraph[before.stage], state.stage, `${before.stage} -> ${state.stage}`)
    checkInvariants(state)
  }
  return state
}

const checkInvariants = (state: DraftedRecommendation): void => {
  const reached = (stage: DraftedRecommendation["stage"]) => state.stage === stage
  if (!reached("drafted")) {
    assert.isDefined(state.adoption)
    assert.strictEqual(state.adoption?.outcome, "passed")
  }
  if (!reached("drafted") && !reached("adopted")) {
    assert.isDefined(state.transmittal)
    assert.include(recipients.slice(0, 3), state.transmittal?.recipient.id)
  }
  if (reached("answered") || reached("implementing") || reached("implemented") || reached("closed")) assert.isDefined(state.answer)
  if (reached("implementing") || reached("implemented")) {
    assert.isAbove(state.milestones.length, 0)
    assert.notStrictEqual(state.answer?.answer, "declined")
  }
  // Every recorded step is in time order.
  const times = [
    state.draftedAt,
    state.adoption?.votedAt,
    state.transmittal?.transmittedAt,
    state.answer?.answeredAt,
    ...state.milestones.map((milestone) => milestone.reachedAt),
    state.implemented?.implementedAt ?? state.closure?.closedAt
  ].flatMap((instant) => (instant === undefined ? [] : [DateTime.toEpochMillis(instant)]))
  assert.deepStrictEqual(times, [...times].sort((a, b) => a - b))
}

describe("recommendation properties", () => {
  it("random command sequences never skip a stage", () => {
    fc.assert(fc.property(fc.array(Move, { minLength: 1, maxLength: 40 }), (moves) => {
      run(moves)
    }), { numRuns: 300 })
  })

  it("sequences that follow the path reach its end", () => {
    // Guards the property above against passing only because everything is refused.
    const path: ReadonlyArray<Move> = [0, 1, 2, 3, 4, 5].map((kind) => ({ kind, advanceHours: 24 * 10, passing: true, recipient: 0, answer: "accepted" }))
    const state = run(path)
    assert.strictEqual(state._tag === "Recommendation" ? state.stage : undefined, "implemented")
  })

  it("overdue answers are listed oldest first, and only and all those past due", () => {
    const Transmitted = fc.record({
      transmittedHours: fc.integer({ min: 0, max: 24 * 400 }),
      answered: fc.boolean(),
      periodDays: fc.integer({ min: 0, max: 120 })
    })
    fc.assert(fc.property(fc.array(Transmitted, { maxLength: 25 }), fc.integer({ min: 0, max: 24 * 600 }), (recs, atHours) => {
      const states: Array<RecommendationState> = recs.map((rec, index) => {
        const decide = recommendationDecider({
          ...options,
          settings: { ...options.settings, answerPeriod: { amount: rec.periodDays, unit: "calendar-days" } }
        })
        const sentAt = DateTime.makeUnsafe(start + rec.transmittedHours * HOUR)
        const commands: Array<RecommendationCommand> = [
          { _tag: "DraftRecommendation", recommendationId: `r${index}`, title: "t", text: "x", draftedAt: DateTime.makeUnsafe(start - 48 * HOUR) },
          { _tag: "AdoptRecommendation", recommendationId: `r${index}`, vote: passingVote(DateTime.makeUnsafe(start - 24 * HOUR)) },
          { _tag: "TransmitRecommendation", recommendationId: `r${index}`, recipient: "city-council", transmittedAt: sentAt },
          ...(rec.answered
            ? [{ _tag: "AnswerRecommendation", recommendationId: `r${index}`, answer: "accepted", reasons: "r", respondent: "city-council", answeredAt: sentAt } as const]
            : [])
        ]
        let state = decide.initialState
        for (const command of commands) {
          const result = decide.decide(command, state, ctx(DateTime.makeUnsafe(start + 500 * 24 * HOUR)))
          assert.isTrue(Result.isSuccess(result))
          if (Result.isSuccess(result)) state = result.success.reduce(decide.evolve, state)
        }
        return state
      })
      const when = DateTime.makeUnsafe(start + atHours * HOUR)
      const overdue = overdueAnswers(states, when)
      const sent = overdue.map((late) => DateTime.toEpochMillis(late.transmittedAt))
      assert.deepStrictEqual(sent, [...sent].sort((a, b) => a - b))
      for (const late of overdue) {
        assert.isAbove(late.overdueMillis, 0)
        assert.isAtLeast(late.waitingMillis, late.overdueMillis)
      }
      const expected = states.filter((state) =>
        state._tag === "Recommendation" && state.stage === "transmitted" && state.transmittal !== undefined &&
        DateTime.toEpochMillis(state.transmittal.answerDue) < DateTime.toEpochMillis(when)
      ).length
      assert.strictEqual(overdue.length, expected)
    }), { numRuns: 200 })
  })
})
