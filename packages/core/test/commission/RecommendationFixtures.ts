/**
 * Shared fixtures of the recommendation tests: actors, instants, a vote and
 * the commands of one recommendation's whole path.
 */
import { type Actor, type DecisionContext, sacramento } from "@community-policing/core"
import { DateTime } from "effect"
import type { AdoptionVote, RecommendationCommand, RecommendationOptions } from "../../src/commission/Recommendation.ts"
import { sacramentoRecommendationSettings } from "../../src/commission/RecommendationSettings.ts"

/** The commission's clerk, who records the commission's acts and the city's answer. */
export const clerk: Actor = { _tag: "Staff", id: "clerk-1", roles: ["clerk"], districts: [] }

/** An analyst: records the city's answer, not the commission's acts. */
export const analyst: Actor = { _tag: "Staff", id: "analyst-1", roles: ["analyst"], districts: [] }

/** Sacramento's settings and calendar. */
export const options: RecommendationOptions = { settings: sacramentoRecommendationSettings, calendar: sacramento }

/** An instant. */
export const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)

/** A decision context at an instant (far after every fixture step by default). */
export const ctx = (now: DateTime.Utc = at("2027-06-30T00:00:00Z"), actor: Actor = clerk): DecisionContext => ({ now, actor })

/** A passing vote at a meeting. */
export const passingVote = (votedAt: DateTime.Utc = at("2026-02-12T03:00:00Z")): AdoptionVote => ({
  meetingId: "2026-02-11-regular",
  itemId: "item-4",
  votedAt,
  tally: { aye: 7, no: 2, abstain: 1, recused: 0, absent: 1 },
  ayesRequired: 6,
  outcome: "passed"
})

/** The commands of one recommendation from drafting to implementation. */
export const wholePath = (id = "rec-2026-01"): ReadonlyArray<RecommendationCommand> => [
  { _tag: "DraftRecommendation", recommendationId: id, title: "Body-worn camera policy", text: "Publish footage within 45 days.", draftedAt: at("2026-01-20T18:00:00Z") },
  { _tag: "AdoptRecommendation", recommendationId: id, vote: passingVote() },
  { _tag: "TransmitRecommendation", recommendationId: id, recipient: "law-and-legislation-committee", transmittedAt: at("2026-02-20T18:00:00Z") },
  {
    _tag: "AnswerRecommendation",
    recommendationId: id,
    answer: "partly-accepted",
    reasons: "The department accepts a 60-day window.",
    respondent: "law-and-legislation-committee",
    answeredAt: at("2026-04-01T18:00:00Z")
  },
  { _tag: "RecordImplementationMilestone", recommendationId: id, description: "Policy revised", reachedAt: at("2026-06-01T18:00:00Z") },
  { _tag: "RecordRecommendationImplemented", recommendationId: id, note: "General order 525.02 in force.", implementedAt: at("2026-08-01T18:00:00Z") }
]
