/**
 * The refusals of the recommendation workflow that are its own; the shared
 * guards' refusals (`WrongCaseStage` for a skipped stage,
 * `ImplausibleInstant`, `DutyNotHeld`, `ActorKindNotAllowed`) are the
 * engine's. Each names its rule.
 *
 * @module
 */
import { Schema } from "effect"

/** A recommendation with this id was already drafted: one recommendation per id (rule `one-recommendation-per-id`). */
export class RecommendationAlreadyDrafted
  extends Schema.TaggedError<RecommendationAlreadyDrafted>()("RecommendationAlreadyDrafted", {
    rule: Schema.tag("one-recommendation-per-id"),
    recommendationId: Schema.String
  })
{
  override get message(): string {
    return `recommendation ${this.recommendationId} already exists`
  }
}

/** No recommendation with this id was drafted; every later step needs one (rule `drafted-first`). */
export class RecommendationNotFound extends Schema.TaggedError<RecommendationNotFound>()("RecommendationNotFound", {
  rule: Schema.tag("drafted-first"),
  recommendationId: Schema.String,
  command: Schema.String
}) {
  override get message(): string {
    return `${this.command}: no recommendation ${this.recommendationId} was drafted`
  }
}

/**
 * The vote the command reports did not pass, or its tally contradicts its
 * outcome (fewer ayes than the motion needed, or no more ayes than noes): a
 * recommendation is the commission's only by a passing vote taken at a
 * meeting (rule `adopted-only-by-passing-vote`; the commission acts by
 * motion, Sacramento City Code 2.100.030, at a meeting open to the public,
 * Gov. Code 54953).
 */
export class AdoptionVoteNotPassing extends Schema.TaggedError<AdoptionVoteNotPassing>()("AdoptionVoteNotPassing", {
  rule: Schema.tag("adopted-only-by-passing-vote"),
  recommendationId: Schema.String,
  meetingId: Schema.String,
  outcome: Schema.String,
  aye: Schema.Number,
  no: Schema.Number,
  ayesRequired: Schema.Number
}) {
  override get message(): string {
    return `recommendation ${this.recommendationId}: the vote at meeting ${this.meetingId} ` +
      `(${this.outcome}, ${this.aye} aye, ${this.no} no, ${this.ayesRequired} ayes required) is not a passing vote`
  }
}

/** The body named is not one the city lists (`recipients`; rule `configured-recipients`). */
export class UnknownRecommendationRecipient
  extends Schema.TaggedError<UnknownRecommendationRecipient>()("UnknownRecommendationRecipient", {
    rule: Schema.tag("configured-recipients"),
    recommendationId: Schema.String,
    recipient: Schema.String,
    recipients: Schema.Array(Schema.String)
  })
{
  override get message(): string {
    return `recommendation ${this.recommendationId}: "${this.recipient}" is not a configured recipient ` +
      `(${this.recipients.join(", ")})`
  }
}

/**
 * A declined recommendation has nothing to implement: it can only be closed
 * (rule `declined-not-implemented`).
 */
export class DeclinedNotImplemented extends Schema.TaggedError<DeclinedNotImplemented>()("DeclinedNotImplemented", {
  rule: Schema.tag("declined-not-implemented"),
  recommendationId: Schema.String,
  command: Schema.String
}) {
  override get message(): string {
    return `${this.command}: recommendation ${this.recommendationId} was declined; it can only be closed`
  }
}

/** A step that must say why (an answer, a closing, a milestone) came with blank text (rule `reason-required`). */
export class RecommendationReasonRequired
  extends Schema.TaggedError<RecommendationReasonRequired>()("RecommendationReasonRequired", {
    rule: Schema.tag("reason-required"),
    recommendationId: Schema.String,
    command: Schema.String,
    field: Schema.String
  })
{
  override get message(): string {
    return `${this.command}: recommendation ${this.recommendationId} needs ${this.field}`
  }
}
