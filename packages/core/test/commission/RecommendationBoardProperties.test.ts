/**
 * Properties of the recommendation board over generated histories: up to
 * five recommendations, each cut at any stage along a random path (any
 * answer, any recipient, random gaps), every receiving body with a
 * generated liaison (personal data), the board read at any instant. The
 * public and commission views never carry the liaison, or any field the
 * row's schema marks personal or confidential; the staff view carries it;
 * and a row is overdue exactly when the late-answer list holds it.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result, SchemaAST } from "effect"
import * as fc from "fast-check"
import { sacramento } from "@community-policing/core"
import {
  overdueAnswers,
  type RecommendationAnswer,
  type RecommendationCommand,
  recommendationDecider,
  type RecommendationEvent,
  type RecommendationState
} from "../../src/commission/Recommendation.ts"
import {
  applyToBoard,
  boardRowAsOf,
  RecommendationBoardRow,
  recommendationBoardView
} from "../../src/commission/RecommendationBoard.ts"
import { type RecommendationSettings, sacramentoRecommendationSettings } from "../../src/commission/RecommendationSettings.ts"
import { ctx, passingVote } from "./RecommendationFixtures.ts"

const DAY = 86_400_000
const start = Date.UTC(2026, 0, 5, 17)
const marked = fc.stringMatching(/^[A-Za-z0-9 .,@'-]{1,24}$/).map((text) => `pii<${text}>`)

const History = fc.record({
  liaisons: fc.array(marked, { minLength: 3, maxLength: 3 }),
  recommendations: fc.array(
    fc.record({
      steps: fc.integer({ min: 1, max: 7 }),
      recipient: fc.integer({ min: 0, max: 2 }),
      answer: fc.constantFrom<RecommendationAnswer>("accepted", "partly-accepted", "declined"),
      closeEarly: fc.boolean(),
      gapsInDays: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 7, maxLength: 7 })
    }),
    { minLength: 1, maxLength: 5 }
  ),
  askedAfterDays: fc.integer({ min: 0, max: 900 })
})
type History = typeof History extends fc.Arbitrary<infer A> ? A : never

/** The commands of one recommendation along its path, each dated after the one before. */
const pathOf = (id: string, spec: History["recommendations"][number], recipientId: string): ReadonlyArray<RecommendationCommand> => {
  let t = start
  const next = (i: number) => DateTime.makeUnsafe((t += (spec.gapsInDays[i] ?? 1) * DAY + 3_600_000))
  const declined = spec.answer === "declined"
  const all: Array<RecommendationCommand> = [
    { _tag: "DraftRecommendation", recommendationId: id, title: `Title ${id}`, text: `Text of ${id}`, draftedAt: next(0) },
    { _tag: "AdoptRecommendation", recommendationId: id, vote: passingVote(next(1)) },
    { _tag: "TransmitRecommendation", recommendationId: id, recipient: recipientId, transmittedAt: next(2) },
    { _tag: "AnswerRecommendation", recommendationId: id, answer: spec.answer, reasons: "Reasons given.", respondent: recipientId, answeredAt: next(3) },
    declined || spec.closeEarly
      ? { _tag: "CloseRecommendation", recommendationId: id, reason: "Closed.", closedAt: next(4) }
      : { _tag: "RecordImplementationMilestone", recommendationId: id, description: "A step.", reachedAt: next(4) },
    { _tag: "RecordImplementationMilestone", recommendationId: id, description: "Another step.", reachedAt: next(5) },
    { _tag: "RecordRecommendationImplemented", recommendationId: id, note: "Done.", implementedAt: next(6) }
  ]
  return all.slice(0, spec.steps)
}

/** Runs a generated history through the decider (refused steps, e.g. after a closing, are dropped) and folds the board. */
const boardOf = (history: History) => {
  const [first, ...rest] = sacramentoRecommendationSettings.recipients.map((recipient, i) => ({ ...recipient, liaison: history.liaisons[i]! }))
  const settings: RecommendationSettings = { ...sacramentoRecommendationSettings, recipients: [first!, ...rest] }
  const decider = recommendationDecider({ settings, calendar: sacramento })
  const now = DateTime.makeUnsafe(start + 2_000 * DAY)
  return history.recommendations.map((spec, index) => {
    const id = `rec-${index}`
    let state: RecommendationState = decider.initialState
    let entry: ReturnType<typeof applyToBoard>
    for (const command of pathOf(id, spec, settings.recipients[spec.recipient]!.id)) {
      const decided = decider.decide(command, state, ctx(now))
      if (Result.isFailure(decided)) continue
      for (const event of decided.success as ReadonlyArray<RecommendationEvent>) {
        state = decider.evolve(state, event)
        entry = applyToBoard(entry, event)
      }
    }
    assert.deepStrictEqual(entry, state._tag === "Recommendation" ? state : undefined, "the board folds to the decider's state")
    return entry!
  })
}

/** The property names the row's schema marks personal or confidential, anywhere in it. */
const sensitiveNames = (() => {
  const names = new Set<string>()
  const seen = new Set<SchemaAST.AST>()
  const walk = (ast: SchemaAST.AST): void => {
    if (seen.has(ast)) return
    seen.add(ast)
    const node = ast
    if (SchemaAST.isObjects(node)) {
      for (const property of node.propertySignatures) {
        if (SchemaAST.resolve(property.type)?.["sensitivity"] !== undefined) names.add(String(property.name))
        walk(property.type)
      }
    } else if (SchemaAST.isUnion(node)) {
      node.types.forEach(walk)
    } else if (SchemaAST.isArrays(node)) {
      node.elements.forEach(walk)
      node.rest.forEach(walk)
    }
  }
  walk(RecommendationBoardRow.ast)
  return names
})()

const keysOf = (json: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(json)) json.forEach((item) => keysOf(item, into))
  else if (typeof json === "object" && json !== null) {
    for (const [key, value] of Object.entries(json)) {
      into.add(key)
      keysOf(value, into)
    }
  }
  return into
}

describe("recommendation board: properties", () => {
  it("the schema marks the liaison as its personal field", () => {
    assert.deepStrictEqual([...sensitiveNames], ["liaison"])
  })

  it("public and commission views carry no personal or confidential field; staff see the liaison; overdue rows are exactly the late answers", () => {
    fc.assert(
      fc.property(History, (history) => {
        const board = boardOf(history)
        const asOf = DateTime.makeUnsafe(start + history.askedAfterDays * DAY)
        const rows = board.map((entry) => boardRowAsOf(entry, asOf))
        for (const row of rows) {
          for (const audience of ["public", "commission"] as const) {
            const view = recommendationBoardView(row, audience)
            const text = JSON.stringify(view)
            for (const liaison of history.liaisons) assert.notInclude(text, liaison)
            assert.notInclude(text, "pii<")
            for (const key of keysOf(view)) assert.isFalse(sensitiveNames.has(key), `${audience} view has ${key}`)
          }
          const staff = JSON.stringify(recommendationBoardView(row, "staff"))
          const liaison = row.recommendation.transmittal?.recipient.liaison
          if (liaison !== undefined) assert.include(staff, liaison)
          // Everything but the liaison is public: the public view is the staff view without it.
          const publicView = recommendationBoardView(row, "public") as { recommendation: { transmittal?: { recipient: object } } }
          const staffView = JSON.parse(staff) as { recommendation: { transmittal?: { recipient: { liaison?: string } } } }
          if (staffView.recommendation.transmittal !== undefined) delete staffView.recommendation.transmittal.recipient.liaison
          assert.deepStrictEqual(publicView, staffView)
        }
        const late = overdueAnswers(board, asOf)
        assert.deepStrictEqual(
          rows.filter((row) => row.overdue).map((row) => row.recommendation.recommendationId).sort(),
          late.map((answer) => answer.recommendationId).sort()
        )
        for (const answer of late) {
          const row = rows.find((r) => r.recommendation.recommendationId === answer.recommendationId)!
          assert.strictEqual(row.overdueDays, answer.overdueDays)
          assert.strictEqual(row.awaitingAnswerDays, answer.waitingDays)
        }
      }),
      { numRuns: 200 }
    )
  })
})
