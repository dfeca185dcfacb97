/**
 * A commission year of recommendations for the board and notice tests: six
 * recommendations through every stage, two answers left late, one liaison
 * (personal data) on the police department, run through `handleCommand`
 * with the time from `TestClock`.
 */
import { AccessPolicy, handleCommand, sacramento } from "@community-policing/core"
import { DateTime, Effect } from "effect"
import { TestClock } from "effect/testing"
import {
  recommendation,
  recommendationAccessRules,
  type RecommendationCommand,
  type RecommendationOptions
} from "../../src/commission/Recommendation.ts"
import { type RecommendationSettings, sacramentoRecommendationSettings } from "../../src/commission/RecommendationSettings.ts"
import { at, clerk, passingVote, wholePath } from "./RecommendationFixtures.ts"

/** The police department's liaison: personal data, for staff only. */
export const liaison = "Lt. Dana Reyes, dreyes@pd.example"

/** Sacramento's settings with a liaison named at the police department. */
export const boardSettings: RecommendationSettings = {
  ...sacramentoRecommendationSettings,
  recipients: [
    sacramentoRecommendationSettings.recipients[0],
    ...sacramentoRecommendationSettings.recipients.slice(1).map((recipient) =>
      recipient.id === "police-department" ? { ...recipient, liaison } : recipient
    )
  ]
}

/** The options of the board scenario's recommendations. */
export const boardOptions: RecommendationOptions = { settings: boardSettings, calendar: sacramento }

/** The recommendation aggregate of the scenario. */
export const recommendations = recommendation(boardOptions)

/** The access policy of the scenario: the duty table's rules. */
export const boardPolicy = AccessPolicy.fromRules(recommendationAccessRules(boardSettings))

/** One command, recorded an hour after the instant it reports. */
export interface BoardStep {
  readonly name: string
  readonly command: RecommendationCommand
  readonly now: DateTime.Utc
}

const instantOf = (command: RecommendationCommand): DateTime.Utc => {
  switch (command._tag) {
    case "DraftRecommendation":
      return command.draftedAt
    case "AdoptRecommendation":
      return command.vote.votedAt
    case "TransmitRecommendation":
      return command.transmittedAt
    case "AnswerRecommendation":
      return command.answeredAt
    case "RecordImplementationMilestone":
      return command.reachedAt
    case "RecordRecommendationImplemented":
      return command.implementedAt
    case "CloseRecommendation":
      return command.closedAt
  }
}

const stepOf = (command: RecommendationCommand): BoardStep => ({
  name: `${command.recommendationId}-${command._tag}`,
  command,
  now: DateTime.add(instantOf(command), { hours: 1 })
})

const draft = (recommendationId: string, title: string, draftedAt: string): RecommendationCommand => ({
  _tag: "DraftRecommendation",
  recommendationId,
  title,
  text: `${title}: the commission's recommendation.`,
  draftedAt: at(draftedAt)
})
const adopt = (recommendationId: string, votedAt: string): RecommendationCommand => ({
  _tag: "AdoptRecommendation",
  recommendationId,
  vote: passingVote(at(votedAt))
})
const transmit = (recommendationId: string, recipient: string, transmittedAt: string): RecommendationCommand => ({
  _tag: "TransmitRecommendation",
  recommendationId,
  recipient,
  transmittedAt: at(transmittedAt)
})

/** The ids of the scenario's recommendations. */
export const ids = {
  implemented: "rec-2026-01",
  lateThenAnswered: "rec-2026-02",
  declined: "rec-2026-03",
  draftOnly: "rec-2026-04",
  late: "rec-2026-05",
  lateInPhaseTwo: "rec-2026-06"
} as const

const byTime = (steps: ReadonlyArray<BoardStep>) => [...steps].sort((a, b) => DateTime.toEpochMillis(a.now) - DateTime.toEpochMillis(b.now))

/**
 * January to June: one recommendation being implemented, one declined and
 * closed, one only drafted, three transmitted and unanswered (two of them
 * to the police department); two of those are late at the end of June.
 */
export const phaseOne: ReadonlyArray<BoardStep> = byTime(([
  ...wholePath(ids.implemented).slice(0, 5),
  draft(ids.lateThenAnswered, "Stop data dashboard", "2026-02-01T18:00:00Z"),
  adopt(ids.lateThenAnswered, "2026-02-12T03:30:00Z"),
  transmit(ids.lateThenAnswered, "police-department", "2026-02-20T19:00:00Z"),
  draft(ids.declined, "Civilian review of use-of-force training", "2026-03-01T18:00:00Z"),
  adopt(ids.declined, "2026-03-12T03:00:00Z"),
  transmit(ids.declined, "city-council", "2026-03-20T18:00:00Z"),
  {
    _tag: "AnswerRecommendation",
    recommendationId: ids.declined,
    answer: "declined",
    reasons: "The council keeps training review with the department.",
    respondent: "city-council",
    answeredAt: at("2026-04-15T18:00:00Z")
  },
  { _tag: "CloseRecommendation", recommendationId: ids.declined, reason: "Declined by the council.", closedAt: at("2026-04-20T18:00:00Z") },
  draft(ids.draftOnly, "Language access at the front desk", "2026-04-05T18:00:00Z"),
  draft(ids.late, "Crisis response pilot", "2026-03-02T18:00:00Z"),
  adopt(ids.late, "2026-03-12T03:30:00Z"),
  transmit(ids.late, "police-department", "2026-03-15T18:00:00Z"),
  draft(ids.lateInPhaseTwo, "Annual complaint audit", "2026-05-01T18:00:00Z"),
  adopt(ids.lateInPhaseTwo, "2026-05-14T03:00:00Z"),
  transmit(ids.lateInPhaseTwo, "law-and-legislation-committee", "2026-05-20T18:00:00Z")
] satisfies ReadonlyArray<RecommendationCommand>).map(stepOf))

/** July to September: the department answers the oldest late recommendation; the first is implemented. */
export const phaseTwo: ReadonlyArray<BoardStep> = byTime([
  stepOf({
    _tag: "AnswerRecommendation",
    recommendationId: ids.lateThenAnswered,
    answer: "accepted",
    reasons: "The department will publish the dashboard.",
    respondent: "police-department",
    answeredAt: at("2026-07-10T18:00:00Z")
  }),
  stepOf(wholePath(ids.implemented)[5]!)
])

/** The end of phase one, and of phase two. */
export const asOfOne = at("2026-06-30T17:00:00Z")
/** The end of phase two. */
export const asOfTwo = at("2026-09-30T17:00:00Z")

/** Runs steps through `handleCommand`, the clock set to each step's instant; the number of events recorded. */
export const runSteps = (tenantId: string, steps: ReadonlyArray<BoardStep>, prefix: string) =>
  Effect.forEach(steps, (step, index) =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(step.now))
      const outcome = yield* handleCommand(recommendations, { tenantId, commandId: `${prefix}-${index}-${step.name}`, actor: clerk, command: step.command })
      return outcome.events.length
    })).pipe(Effect.map((counts) => counts.reduce((a, b) => a + b, 0)))
