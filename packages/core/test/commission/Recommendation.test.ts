/**
 * The recommendation workflow, given / when / then: every stage in order,
 * adoption only by a passing vote, configured recipients, the answer's due
 * time, declined recommendations, the actors, the instants; the overdue list.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"
import { AccessPolicy, handleCommand, loadStream, redact } from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { deciderSpec, type GivenCommand } from "@community-policing/testkit"
import {
  overdueAnswers,
  recommendation,
  recommendationAccessRules,
  type RecommendationCommand,
  recommendationDecider,
  type RecommendationState,
  RecommendationState as RecommendationStateSchema,
  recommendationStream
} from "../../src/commission/Recommendation.ts"
import { sacramentoRecommendationSettings } from "../../src/commission/RecommendationSettings.ts"
import { analyst, at, clerk, ctx, options, passingVote, wholePath } from "./RecommendationFixtures.ts"

const spec = deciderSpec(recommendationDecider(options))
const steps = (commands: ReadonlyArray<RecommendationCommand>): ReadonlyArray<GivenCommand<RecommendationCommand>> =>
  commands.map((command) => ({ name: command._tag, command, context: ctx() }))
const after = (count: number) => spec.givenCommands(steps(wholePath().slice(0, count)))
const [draft, adopt, transmit, answer, milestone, implemented] = wholePath() as unknown as [
  Extract<RecommendationCommand, { _tag: "DraftRecommendation" }>,
  Extract<RecommendationCommand, { _tag: "AdoptRecommendation" }>,
  Extract<RecommendationCommand, { _tag: "TransmitRecommendation" }>,
  Extract<RecommendationCommand, { _tag: "AnswerRecommendation" }>,
  Extract<RecommendationCommand, { _tag: "RecordImplementationMilestone" }>,
  Extract<RecommendationCommand, { _tag: "RecordRecommendationImplemented" }>
]
const id = draft.recommendationId

describe("recommendation: the path from draft to implementation", () => {
  it("given nothing, when a recommendation is drafted, then it is recorded", () => {
    spec.given([]).when(draft, ctx()).then([
      { _tag: "RecommendationDrafted", recommendationId: id, title: draft.title, text: draft.text, draftedAt: draft.draftedAt }
    ])
  })

  it("given a draft, when the commission adopts it by a passing vote, then the vote is recorded on the event", () => {
    after(1).when(adopt, ctx()).then([{ _tag: "RecommendationAdopted", recommendationId: id, vote: passingVote() }])
  })

  it("given an adopted recommendation, when it is transmitted, then its answer falls due after the configured 90 days", () => {
    const decision = after(2).when(transmit, ctx())
    decision.then([{
      _tag: "RecommendationTransmitted",
      recommendationId: id,
      recipient: sacramentoRecommendationSettings.recipients[0],
      transmittedAt: transmit.transmittedAt,
      // 90 calendar days after 20 Feb 2026 (Pacific time) is 21 May 2026, due by the end of that day.
      answerDue: at("2026-05-22T06:59:59.999Z"),
      answerPeriod: { amount: 90, unit: "calendar-days" }
    }])
    const state = decision.stateAfter()
    assert.strictEqual(state._tag === "Recommendation" ? state.stage : undefined, "transmitted")
  })

  it("given a transmitted recommendation, when the city answers with reasons, then the answer is recorded", () => {
    after(3).when(answer, ctx()).then([{
      _tag: "RecommendationAnswered",
      recommendationId: id,
      answer: "partly-accepted",
      reasons: answer.reasons,
      respondent: "law-and-legislation-committee",
      answeredAt: answer.answeredAt
    }])
  })

  it("given an answer, when milestones are reached and it is implemented, then it ends implemented", () => {
    const state = after(6).state
    assert.strictEqual(state._tag === "Recommendation" ? state.stage : undefined, "implemented")
    assert.strictEqual(state._tag === "Recommendation" ? state.milestones.length : 0, 1)
    after(5).when({ ...milestone, description: "Training done", reachedAt: at("2026-07-01T18:00:00Z") }, ctx()).thenAccepted()
  })

  it("given an answer, when it is closed with a reason, then it ends closed", () => {
    after(4).when({ _tag: "CloseRecommendation", recommendationId: id, reason: "Superseded by state law.", closedAt: at("2026-05-01T00:00:00Z") }, ctx())
      .then([{ _tag: "RecommendationClosed", recommendationId: id, reason: "Superseded by state law.", closedAt: at("2026-05-01T00:00:00Z") }])
  })
})

describe("recommendation: no stage is skipped", () => {
  const cases: ReadonlyArray<readonly [string, number, RecommendationCommand, ReadonlyArray<string>]> = [
    ["transmitting a draft", 1, transmit, ["adopted"]],
    ["answering an adopted recommendation", 2, answer, ["transmitted"]],
    ["a milestone before the answer", 3, milestone, ["answered", "implementing"]],
    ["implementing right after the answer", 4, implemented, ["implementing"]],
    ["adopting twice", 2, adopt, ["drafted"]],
    ["closing before the answer", 3, { _tag: "CloseRecommendation", recommendationId: id, reason: "x", closedAt: at("2026-03-01T00:00:00Z") }, ["answered", "implementing"]],
    ["a milestone after implementation", 6, { ...milestone, reachedAt: at("2026-09-01T00:00:00Z") }, ["answered", "implementing"]]
  ]
  for (const [name, done, command, allowed] of cases) {
    it(`refuses ${name} with stage-order, naming the stages it needs`, () => {
      const refusal = after(done).when(command, ctx()).thenRefused("WrongCaseStage")
      assert.strictEqual(refusal.rule, "stage-order")
      assert.deepStrictEqual(refusal.allowedStages, allowed)
      assert.strictEqual(refusal.caseId, id)
    })
  }

  it("refuses any step on a recommendation never drafted", () => {
    const refusal = spec.given([]).when(adopt, ctx()).thenRefused("RecommendationNotFound")
    assert.strictEqual(refusal.rule, "drafted-first")
  })

  it("refuses drafting an id twice", () => {
    assert.strictEqual(after(1).when(draft, ctx()).thenRefused("RecommendationAlreadyDrafted").rule, "one-recommendation-per-id")
  })
})

describe("recommendation: adopted only by a passing vote", () => {
  it("refuses a vote that failed", () => {
    const vote = { ...passingVote(), outcome: "failed" as const, tally: { aye: 4, no: 5, abstain: 1, recused: 0, absent: 1 } }
    const refusal = after(1).when({ ...adopt, vote }, ctx()).thenRefused("AdoptionVoteNotPassing")
    assert.strictEqual(refusal.rule, "adopted-only-by-passing-vote")
    assert.strictEqual(refusal.meetingId, vote.meetingId)
  })

  it("refuses a vote reported passed with fewer ayes than the motion needed", () => {
    const vote = { ...passingVote(), tally: { aye: 5, no: 0, abstain: 0, recused: 0, absent: 6 } }
    after(1).when({ ...adopt, vote }, ctx()).thenRefused("AdoptionVoteNotPassing")
  })

  it("refuses a vote reported passed with as many noes as ayes", () => {
    const vote = { ...passingVote(), ayesRequired: 1, tally: { aye: 3, no: 3, abstain: 0, recused: 0, absent: 5 } }
    after(1).when({ ...adopt, vote }, ctx()).thenRefused("AdoptionVoteNotPassing")
  })

  it("refuses a vote dated before the draft", () => {
    const refusal = after(1).when({ ...adopt, vote: passingVote(at("2026-01-01T00:00:00Z")) }, ctx()).thenRefused("ImplausibleInstant")
    assert.strictEqual(refusal.field, "vote.votedAt")
  })
})

describe("recommendation: recipients, answers and reasons", () => {
  it("refuses a recipient the city does not list, listing the ones it does", () => {
    const refusal = after(2).when({ ...transmit, recipient: "mayor" }, ctx()).thenRefused("UnknownRecommendationRecipient")
    assert.deepStrictEqual(refusal.recipients, ["law-and-legislation-committee", "city-council", "police-department"])
  })

  it("takes the answer period from the configuration", () => {
    const decider = recommendationDecider({ ...options, settings: { ...options.settings, answerPeriod: { amount: 30, unit: "calendar-days" } } })
    const events = deciderSpec(decider).givenCommands(steps(wholePath().slice(0, 2))).when(transmit, ctx()).thenAccepted()
    const event = events[0]
    assert.isTrue(event?._tag === "RecommendationTransmitted" && DateTime.Equivalence(event.answerDue, at("2026-03-23T06:59:59.999Z")))
  })

  it("refuses blank reasons", () => {
    const refusal = after(3).when({ ...answer, reasons: "  " }, ctx()).thenRefused("RecommendationReasonRequired")
    assert.strictEqual(refusal.field, "reasons")
  })

  it("a declined recommendation is never implemented, only closed", () => {
    const declined = spec.givenCommands(steps([...wholePath().slice(0, 3), { ...answer, answer: "declined" }]))
    assert.strictEqual(declined.when(milestone, ctx()).thenRefused("DeclinedNotImplemented").rule, "declined-not-implemented")
    declined.when({ _tag: "CloseRecommendation", recommendationId: id, reason: "Declined by council.", closedAt: at("2026-04-02T00:00:00Z") }, ctx())
      .thenAccepted()
  })
})

describe("recommendation: who and when", () => {
  it("refuses the commission's acts to a role without the duty, naming the setting", () => {
    const refusal = spec.given([]).when(draft, ctx(undefined, analyst)).thenRefused("DutyNotHeld")
    assert.strictEqual(refusal.setting, "commission.recommendations.duties.record-commission-action")
  })

  it("lets an analyst record the city's answer", () => {
    after(3).when(answer, ctx(undefined, analyst)).thenAccepted()
  })

  it("refuses a member of the public", () => {
    spec.given([]).when(draft, ctx(undefined, { _tag: "Public", id: "visitor" })).thenRefused("ActorKindNotAllowed")
  })

  it("refuses a step dated in the future", () => {
    const refusal = after(3).when(answer, ctx(at("2026-03-01T00:00:00Z"))).thenRefused("ImplausibleInstant")
    assert.strictEqual(refusal.rule, "act-instant-in-order")
  })
})

describe("overdueAnswers", () => {
  const transmitted = (rid: string, transmittedAt: string): RecommendationState => {
    const commands = wholePath(rid).slice(0, 3).map((command) =>
      command._tag === "TransmitRecommendation" ? { ...command, transmittedAt: at(transmittedAt) } : command
    )
    return spec.givenCommands(steps(commands)).state
  }

  it("lists the answers past due, oldest transmittal first, with their age", () => {
    const states = [transmitted("b", "2026-03-01T18:00:00Z"), transmitted("a", "2026-02-20T18:00:00Z"), transmitted("c", "2026-06-01T18:00:00Z")]
    const overdue = overdueAnswers(states, at("2026-07-01T00:00:00Z"))
    assert.deepStrictEqual(overdue.map((late) => late.recommendationId), ["a", "b"])
    assert.strictEqual(overdue[0]?.waitingDays, 130)
    assert.strictEqual(overdue[0]?.overdueDays, 39)
  })

  it("drops answered recommendations and those not yet due (the due instant itself is on time)", () => {
    const answered = after(4).state
    const due = transmitted("d", "2026-02-20T18:00:00Z")
    const dueAt = due._tag === "Recommendation" && due.transmittal !== undefined ? due.transmittal.answerDue : at("2000-01-01T00:00:00Z")
    assert.deepStrictEqual(overdueAnswers([answered, due], dueAt), [])
    assert.strictEqual(overdueAnswers([answered, due], DateTime.add(dueAt, { milliseconds: 1 })).length, 1)
  })
})

describe("recommendation aggregate through handleCommand", () => {
  const allowClerks = AccessPolicy.fromRules(recommendationAccessRules(sacramentoRecommendationSettings))

  it.effect("stores the path in its own stream and answers with a public-safe view", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2027, 0, 1))
      const aggregate = recommendation(options)
      for (const [index, command] of wholePath().entries()) {
        const outcome = yield* handleCommand(aggregate, { tenantId: "sacramento", commandId: `cmd-${index}`, actor: clerk, command })
        assert.strictEqual(outcome.streamId, recommendationStream(id))
      }
      const loaded = yield* loadStream(aggregate, "sacramento", recommendationStream(id))
      const state = loaded.state
      assert.strictEqual(state._tag === "Recommendation" ? state.stage : undefined, "implemented")
      // Nothing in a recommendation is personal or confidential: the public sees it whole.
      assert.deepStrictEqual(redact(RecommendationStateSchema, state, "public"), Schema.encodeSync(RecommendationStateSchema)(state))
    }).pipe(Effect.provide(Layer.mergeAll(MemoryStore.layer(), allowClerks))))

  it.effect("the access policy, from the same duties, refuses an analyst the commission's acts before reading the stream", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2027, 0, 1))
      const [first] = wholePath("rec-denied")
      if (first === undefined) return assert.fail("no command")
      const denied = yield* Effect.flip(
        handleCommand(recommendation(options), { tenantId: "sacramento", commandId: "cmd-denied", actor: analyst, command: first })
      )
      assert.strictEqual(denied._tag, "AccessDenied")
    }).pipe(Effect.provide(Layer.mergeAll(MemoryStore.layer(), allowClerks))))
})
