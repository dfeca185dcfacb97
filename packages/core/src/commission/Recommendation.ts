/**
 * A recommendation of the commission, tracked until the city answers and
 * acts: one aggregate, one stream per recommendation.
 *
 * drafted -> adopted (by a passing vote at a meeting, recorded) ->
 * transmitted (to a council committee, the council or a department, from the
 * configured list; the answer falls due after the configured period) ->
 * answered (accepted, partly accepted or declined, with reasons) ->
 * implementing (milestones) -> implemented; or closed after the answer.
 * No stage can be skipped. The law sets no deadline for the city's answer
 * (DOMAIN.md section 2): the city configures one
 * (`RecommendationSettings.answerPeriod`), and {@link overdueAnswers} lists
 * the answers past it, oldest first.
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import type { Aggregate, Decider } from "../engine/Decider.ts"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import type { AccessRule } from "../engine/AccessPolicy.ts"
import {
  actorKindAllowed,
  commandAction,
  type DutyTable,
  dutyAccessRules,
  holdsDuty,
  inStage,
  plausibleInstant,
  stageMove
} from "../engine/Guards.ts"
import type { ActorKindNotAllowed, DutyNotHeld, ImplausibleInstant, WrongCaseStage } from "../engine/Refusals.ts"
import { streamId } from "../engine/StreamId.ts"
import { type BusinessCalendar, computeDeadline, type UnknownTimeZone } from "../kernel/Deadline.ts"
import { type InvalidPeriod, Period } from "../kernel/Period.ts"
import { MemberId } from "./Membership.ts"
import {
  AdoptionVoteNotPassing,
  DeclinedNotImplemented,
  RecommendationAlreadyDrafted,
  RecommendationNotFound,
  RecommendationReasonRequired,
  UnknownRecommendationRecipient
} from "./RecommendationRefusals.ts"
import { type RecommendationDuty, RecommendationRecipient, type RecommendationSettings } from "./RecommendationSettings.ts"

const Instant = Schema.DateTimeUtcFromString
const Id = Schema.NonEmptyString.check(Schema.isTrimmed())
const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

/**
 * Where a recommendation stands: the last step it took.
 *
 * - `drafted`: written, not yet voted on.
 * - `adopted`: the commission passed it by a vote at a meeting.
 * - `transmitted`: sent to the body that must answer; its answer is due.
 * - `answered`: the body answered (accepted, partly accepted, declined).
 * - `implementing`: at least one implementation milestone was reached.
 * - `implemented`: the city reports it carried out.
 * - `closed`: closed after the answer (declined, or abandoned), with a reason.
 */
export const RecommendationStage = Schema.Literals([
  "drafted",
  "adopted",
  "transmitted",
  "answered",
  "implementing",
  "implemented",
  "closed"
])

/** Where a recommendation stands; see {@link RecommendationStage}. */
export type RecommendationStage = typeof RecommendationStage.Type

/** The moves between stages; every stage follows the one before it, none is skipped. */
export const recommendationStageGraph: { readonly [K in RecommendationStage]: ReadonlyArray<RecommendationStage> } = {
  drafted: ["adopted"],
  adopted: ["transmitted"],
  transmitted: ["answered"],
  answered: ["implementing", "closed"],
  implementing: ["implementing", "implemented", "closed"],
  implemented: [],
  closed: []
}

/** The order of the stages, for comparisons (`closed` ranks with `implemented`, as an end). */
export const recommendationStageRank: { readonly [K in RecommendationStage]: number } = {
  drafted: 0,
  adopted: 1,
  transmitted: 2,
  answered: 3,
  implementing: 4,
  implemented: 5,
  closed: 5
}

/**
 * The vote that adopted a recommendation, as the meeting recorded it: the
 * meeting, the agenda item, when the vote was taken, the roll call's tally,
 * the ayes the motion needed under the meeting's majority rule, and the
 * outcome. The meeting's own aggregate decides these; the recommendation
 * keeps them on its event, so a later change to the meeting's record never
 * rewrites how the recommendation was adopted.
 */
export const AdoptionVote = Schema.Struct({
  meetingId: Id,
  itemId: Id,
  votedAt: Instant,
  tally: Schema.Struct({ aye: Count, no: Count, abstain: Count, recused: Count, absent: Count }),
  ayesRequired: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  outcome: Schema.Literals(["passed", "failed"]),
  /** Who moved it, when the minutes say. */
  movedBy: Schema.optionalKey(MemberId)
})

/** The vote that adopted a recommendation; see {@link AdoptionVote}. */
export type AdoptionVote = typeof AdoptionVote.Type

/** The city's answer: accepted, partly accepted or declined. */
export const RecommendationAnswer = Schema.Literals(["accepted", "partly-accepted", "declined"])

/** The city's answer; see {@link RecommendationAnswer}. */
export type RecommendationAnswer = typeof RecommendationAnswer.Type

const Transmittal = Schema.Struct({
  recipient: RecommendationRecipient,
  transmittedAt: Instant,
  /** When the answer falls due: `answerPeriod` after the transmittal, on the jurisdiction's calendar. */
  answerDue: Instant,
  answerPeriod: Period
})

const Answer = Schema.Struct({
  answer: RecommendationAnswer,
  reasons: Schema.NonEmptyString,
  /** The recipient that answered (its id). */
  respondent: Id,
  answeredAt: Instant
})

const Milestone = Schema.Struct({ description: Schema.NonEmptyString, reachedAt: Instant })

/**
 * The data of the steps whose command and event carry the same fields: the
 * event records what the command said, nothing added.
 */
const stepFields = {
  draft: { recommendationId: Id, title: Schema.NonEmptyString, text: Schema.NonEmptyString, draftedAt: Instant },
  adoption: { recommendationId: Id, vote: AdoptionVote },
  answer: { recommendationId: Id, ...Answer.fields },
  milestone: { recommendationId: Id, ...Milestone.fields },
  implemented: { recommendationId: Id, note: Schema.NonEmptyString, implementedAt: Instant },
  closed: { recommendationId: Id, reason: Schema.NonEmptyString, closedAt: Instant }
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/** A recommendation was drafted. Its text is the commission's public business. */
export const RecommendationDrafted = Schema.TaggedStruct("RecommendationDrafted", stepFields.draft)

/** The commission adopted it by the recorded vote. */
export const RecommendationAdopted = Schema.TaggedStruct("RecommendationAdopted", stepFields.adoption)

/** It was transmitted to a body, whose answer falls due at `answerDue`. */
export const RecommendationTransmitted = Schema.TaggedStruct("RecommendationTransmitted", {
  recommendationId: Id,
  ...Transmittal.fields
})

/** The body answered, with its reasons. */
export const RecommendationAnswered = Schema.TaggedStruct("RecommendationAnswered", stepFields.answer)

/** A step of carrying it out was reached. */
export const ImplementationMilestoneReached = Schema.TaggedStruct("ImplementationMilestoneReached", stepFields.milestone)

/** The city reports it carried out. */
export const RecommendationImplemented = Schema.TaggedStruct("RecommendationImplemented", stepFields.implemented)

/** It was closed after the answer, with the reason. */
export const RecommendationClosed = Schema.TaggedStruct("RecommendationClosed", stepFields.closed)

/** Every event of a recommendation's stream. */
export const RecommendationEvent = Schema.Union([
  RecommendationDrafted,
  RecommendationAdopted,
  RecommendationTransmitted,
  RecommendationAnswered,
  ImplementationMilestoneReached,
  RecommendationImplemented,
  RecommendationClosed
])

/** An event of a recommendation's stream; see {@link RecommendationEvent}. */
export type RecommendationEvent = typeof RecommendationEvent.Type

/** The recommendation's events and their schema versions (all at version 1). */
export const recommendationEvents = makeEventCatalog(RecommendationEvent)

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** Draft a recommendation. */
export const DraftRecommendation = Schema.TaggedStruct("DraftRecommendation", stepFields.draft)

/**
 * Record that the commission adopted the recommendation, with the vote as
 * the meeting recorded it (read from the meeting's record by the app).
 * Refused unless the vote passed.
 */
export const AdoptRecommendation = Schema.TaggedStruct("AdoptRecommendation", stepFields.adoption)

/** Transmit the adopted recommendation to a configured recipient (its id). */
export const TransmitRecommendation = Schema.TaggedStruct("TransmitRecommendation", {
  recommendationId: Id,
  recipient: Id,
  transmittedAt: Instant
})

/** Record the body's answer and its reasons. */
export const AnswerRecommendation = Schema.TaggedStruct("AnswerRecommendation", stepFields.answer)

/** Record a milestone of carrying out an accepted or partly accepted recommendation. */
export const RecordImplementationMilestone = Schema.TaggedStruct("RecordImplementationMilestone", stepFields.milestone)

/** Record that the city carried the recommendation out (after at least one milestone). */
export const RecordRecommendationImplemented = Schema.TaggedStruct("RecordRecommendationImplemented", stepFields.implemented)

/** Close the recommendation after its answer, with the reason. */
export const CloseRecommendation = Schema.TaggedStruct("CloseRecommendation", stepFields.closed)

/** Every command of a recommendation. */
export const RecommendationCommand = Schema.Union([
  DraftRecommendation,
  AdoptRecommendation,
  TransmitRecommendation,
  AnswerRecommendation,
  RecordImplementationMilestone,
  RecordRecommendationImplemented,
  CloseRecommendation
])

/** A command of a recommendation; see {@link RecommendationCommand}. */
export type RecommendationCommand = typeof RecommendationCommand.Type

/** Why a recommendation command was refused; each refusal names its rule. */
export type RecommendationRefusal =
  | ActorKindNotAllowed
  | DutyNotHeld
  | WrongCaseStage
  | ImplausibleInstant
  | RecommendationAlreadyDrafted
  | RecommendationNotFound
  | AdoptionVoteNotPassing
  | UnknownRecommendationRecipient
  | DeclinedNotImplemented
  | RecommendationReasonRequired
  | InvalidPeriod
  | UnknownTimeZone

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/** A drafted recommendation and every step it took. Nothing in it is personal: it is the commission's public record. */
export const DraftedRecommendation = Schema.TaggedStruct("Recommendation", {
  recommendationId: Id,
  title: Schema.NonEmptyString,
  text: Schema.NonEmptyString,
  stage: RecommendationStage,
  draftedAt: Instant,
  /** When its last step happened: no later step may be dated before it. */
  lastStepAt: Instant,
  adoption: Schema.optionalKey(AdoptionVote),
  transmittal: Schema.optionalKey(Transmittal),
  answer: Schema.optionalKey(Answer),
  milestones: Schema.Array(Milestone),
  implemented: Schema.optionalKey(Schema.Struct({ note: Schema.NonEmptyString, implementedAt: Instant })),
  closure: Schema.optionalKey(Schema.Struct({ reason: Schema.NonEmptyString, closedAt: Instant }))
})

/** A drafted recommendation; see {@link DraftedRecommendation}. */
export type DraftedRecommendation = typeof DraftedRecommendation.Type

/** A recommendation's state: none yet, or drafted with its steps. */
export const RecommendationState = Schema.Union([Schema.TaggedStruct("NoRecommendation", {}), DraftedRecommendation])

/** A recommendation's state; see {@link RecommendationState}. */
export type RecommendationState = typeof RecommendationState.Type

const none: RecommendationState = { _tag: "NoRecommendation" }

/** Folds one event into a recommendation's state. */
export const evolveRecommendation = (state: RecommendationState, event: RecommendationEvent): RecommendationState => {
  if (event._tag === "RecommendationDrafted") {
    return {
      _tag: "Recommendation",
      recommendationId: event.recommendationId,
      title: event.title,
      text: event.text,
      stage: "drafted",
      draftedAt: event.draftedAt,
      lastStepAt: event.draftedAt,
      milestones: []
    }
  }
  if (state._tag === "NoRecommendation") return state
  switch (event._tag) {
    case "RecommendationAdopted":
      return { ...state, stage: "adopted", adoption: event.vote, lastStepAt: event.vote.votedAt }
    case "RecommendationTransmitted": {
      const { recipient, transmittedAt, answerDue, answerPeriod } = event
      return { ...state, stage: "transmitted", transmittal: { recipient, transmittedAt, answerDue, answerPeriod }, lastStepAt: transmittedAt }
    }
    case "RecommendationAnswered": {
      const { answer, reasons, respondent, answeredAt } = event
      return { ...state, stage: "answered", answer: { answer, reasons, respondent, answeredAt }, lastStepAt: answeredAt }
    }
    case "ImplementationMilestoneReached":
      return {
        ...state,
        stage: "implementing",
        milestones: [...state.milestones, { description: event.description, reachedAt: event.reachedAt }],
        lastStepAt: event.reachedAt
      }
    case "RecommendationImplemented":
      return {
        ...state,
        stage: "implemented",
        implemented: { note: event.note, implementedAt: event.implementedAt },
        lastStepAt: event.implementedAt
      }
    case "RecommendationClosed":
      return { ...state, stage: "closed", closure: { reason: event.reason, closedAt: event.closedAt }, lastStepAt: event.closedAt }
  }
}

// ---------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------

/** The name of a recommendation command, e.g. `AnswerRecommendation`. */
export type RecommendationCommandTag = RecommendationCommand["_tag"]

/** The stages each command (but drafting) may be given in, and the stage it moves to. */
export const recommendationCommandStages: {
  readonly [K in Exclude<RecommendationCommandTag, "DraftRecommendation">]: { readonly from: ReadonlyArray<RecommendationStage>; readonly to: RecommendationStage }
} = {
  AdoptRecommendation: { from: ["drafted"], to: "adopted" },
  TransmitRecommendation: { from: ["adopted"], to: "transmitted" },
  AnswerRecommendation: { from: ["transmitted"], to: "answered" },
  RecordImplementationMilestone: { from: ["answered", "implementing"], to: "implementing" },
  RecordRecommendationImplemented: { from: ["implementing"], to: "implemented" },
  CloseRecommendation: { from: ["answered", "implementing"], to: "closed" }
}

/** Which duty each command needs: the commission's acts, or the city's. */
export const recommendationCommandDuty = {
  DraftRecommendation: "record-commission-action",
  AdoptRecommendation: "record-commission-action",
  TransmitRecommendation: "record-commission-action",
  AnswerRecommendation: "record-city-answer",
  RecordImplementationMilestone: "record-city-answer",
  RecordRecommendationImplemented: "record-city-answer",
  CloseRecommendation: "record-city-answer"
} as const satisfies Record<RecommendationCommandTag, RecommendationDuty>

/** The recommendation workflow's duty table: command -> duty -> the roles the settings grant it. */
export const recommendationDuties = (settings: RecommendationSettings): DutyTable<RecommendationCommandTag, RecommendationDuty> => ({
  commandDuty: recommendationCommandDuty,
  dutyRoles: settings.duties,
  setting: (duty) => `commission.recommendations.duties.${duty}`
})

/**
 * The access rules of the recommendation workflow, from the same duty table
 * the decider checks (`dutyAccessRules`), so the access policy refuses, and
 * audits, before the stream is read.
 */
export const recommendationAccessRules = (settings: RecommendationSettings): ReadonlyArray<AccessRule> =>
  dutyAccessRules(RECOMMENDATION_RESOURCE, recommendationDuties(settings))

/** The instant each command reports, and the name of its field. */
const reportedInstant = (command: RecommendationCommand): { readonly field: string; readonly instant: DateTime.Utc } => {
  switch (command._tag) {
    case "DraftRecommendation":
      return { field: "draftedAt", instant: command.draftedAt }
    case "AdoptRecommendation":
      return { field: "vote.votedAt", instant: command.vote.votedAt }
    case "TransmitRecommendation":
      return { field: "transmittedAt", instant: command.transmittedAt }
    case "AnswerRecommendation":
      return { field: "answeredAt", instant: command.answeredAt }
    case "RecordImplementationMilestone":
      return { field: "reachedAt", instant: command.reachedAt }
    case "RecordRecommendationImplemented":
      return { field: "implementedAt", instant: command.implementedAt }
    case "CloseRecommendation":
      return { field: "closedAt", instant: command.closedAt }
  }
}

/** The text a command must not leave blank, by field. */
const requiredTexts = (command: RecommendationCommand): ReadonlyArray<readonly [string, string]> => {
  switch (command._tag) {
    case "DraftRecommendation":
      return [["title", command.title], ["text", command.text]]
    case "AnswerRecommendation":
      return [["reasons", command.reasons]]
    case "RecordImplementationMilestone":
      return [["description", command.description]]
    case "RecordRecommendationImplemented":
      return [["note", command.note]]
    case "CloseRecommendation":
      return [["reason", command.reason]]
    default:
      return []
  }
}

/** A passing vote: passed, with at least the ayes the motion needed, and more ayes than noes. */
const passingVote = (vote: AdoptionVote): boolean =>
  vote.outcome === "passed" && vote.tally.aye >= vote.ayesRequired && vote.tally.aye > vote.tally.no

/** What a recommendation decider is built from. */
export interface RecommendationOptions {
  readonly settings: RecommendationSettings
  /** The jurisdiction's calendar (a validated `Jurisdiction` is one): the answer period is counted on it. */
  readonly calendar: BusinessCalendar
}

/**
 * The recommendation decider. Checks, in order: a staff actor holding the
 * command's duty (`settings.duties`), blank text (`reason-required`), a
 * drafted recommendation (or none, for drafting), the stage
 * (`stage-order`: no stage is skipped), the reported instant (not in the
 * future, not before the last step), then the step's own rule.
 */
export const recommendationDecider = (
  options: RecommendationOptions
): Decider<RecommendationCommand, RecommendationEvent, RecommendationState, RecommendationRefusal> => {
  const { settings, calendar } = options
  const duties = recommendationDuties(settings)

  const step = (
    command: Exclude<RecommendationCommand, { readonly _tag: "DraftRecommendation" }>,
    state: DraftedRecommendation
  ): Result.Result<ReadonlyArray<RecommendationEvent>, RecommendationRefusal> => {
    const recommendationId = state.recommendationId
    switch (command._tag) {
      case "AdoptRecommendation": {
        const { vote } = command
        if (!passingVote(vote)) {
          return Result.fail(
            new AdoptionVoteNotPassing({
              recommendationId,
              meetingId: vote.meetingId,
              outcome: vote.outcome,
              aye: vote.tally.aye,
              no: vote.tally.no,
              ayesRequired: vote.ayesRequired
            })
          )
        }
        return Result.succeed([{ _tag: "RecommendationAdopted", recommendationId, vote }])
      }
      case "TransmitRecommendation": {
        const recipient = settings.recipients.find((known) => known.id === command.recipient)
        if (recipient === undefined) {
          return Result.fail(
            new UnknownRecommendationRecipient({
              recommendationId,
              recipient: command.recipient,
              recipients: settings.recipients.map((known) => known.id)
            })
          )
        }
        return Result.map(
          computeDeadline(
            { start: command.transmittedAt, period: settings.answerPeriod, rule: "answer to a commission recommendation" },
            calendar
          ),
          (deadline): ReadonlyArray<RecommendationEvent> => [{
            _tag: "RecommendationTransmitted",
            recommendationId,
            recipient,
            transmittedAt: command.transmittedAt,
            answerDue: DateTime.toUtc(deadline.due),
            answerPeriod: settings.answerPeriod
          }]
        )
      }
      case "AnswerRecommendation": {
        const { answer, reasons, respondent, answeredAt } = command
        if (!settings.recipients.some((known) => known.id === respondent)) {
          return Result.fail(
            new UnknownRecommendationRecipient({ recommendationId, recipient: respondent, recipients: settings.recipients.map((known) => known.id) })
          )
        }
        return Result.succeed([{ _tag: "RecommendationAnswered", recommendationId, answer, reasons, respondent, answeredAt }])
      }
      case "RecordImplementationMilestone":
        if (state.answer?.answer === "declined") return Result.fail(new DeclinedNotImplemented({ recommendationId, command: command._tag }))
        return Result.succeed([
          { _tag: "ImplementationMilestoneReached", recommendationId, description: command.description, reachedAt: command.reachedAt }
        ])
      case "RecordRecommendationImplemented":
        return Result.succeed([
          { _tag: "RecommendationImplemented", recommendationId, note: command.note, implementedAt: command.implementedAt }
        ])
      case "CloseRecommendation":
        return Result.succeed([{ _tag: "RecommendationClosed", recommendationId, reason: command.reason, closedAt: command.closedAt }])
    }
  }

  return {
    initialState: none,
    evolve: evolveRecommendation,
    decide: (command, state, { now, actor }) =>
      Result.gen(function*() {
        const staff = yield* actorKindAllowed(command._tag, actor, ["Staff"])
        yield* holdsDuty(duties, command._tag, staff)
        const blank = requiredTexts(command).find(([, text]) => text.trim() === "")
        if (blank !== undefined) {
          return yield* Result.fail(
            new RecommendationReasonRequired({ recommendationId: command.recommendationId, command: command._tag, field: blank[0] })
          )
        }
        const reported = reportedInstant(command)
        if (command._tag === "DraftRecommendation") {
          if (state._tag === "Recommendation") {
            return yield* Result.fail(new RecommendationAlreadyDrafted({ recommendationId: command.recommendationId }))
          }
          yield* plausibleInstant({ command: command._tag, ...reported, notAfter: now })
          const { recommendationId, title, text, draftedAt } = command
          return [{ _tag: "RecommendationDrafted", recommendationId, title, text, draftedAt }] as ReadonlyArray<RecommendationEvent>
        }
        if (state._tag === "NoRecommendation") {
          return yield* Result.fail(new RecommendationNotFound({ recommendationId: command.recommendationId, command: command._tag }))
        }
        const stages = recommendationCommandStages[command._tag]
        const subject = { caseId: state.recommendationId, stage: state.stage }
        yield* inStage(subject, command._tag, stages.from)
        yield* stageMove(recommendationStageGraph, subject, command._tag, stages.to)
        yield* plausibleInstant({ command: command._tag, ...reported, notBefore: state.lastStepAt, notAfter: now })
        return yield* step(command, state)
      })
  }
}

// ---------------------------------------------------------------------------
// Aggregate
// ---------------------------------------------------------------------------

/** The aggregate type of recommendations, in stream ids and access requests. */
export const RECOMMENDATION_RESOURCE = "commission-recommendation"

/** The stream of one recommendation, `commission-recommendation/<id>`. */
export const recommendationStream = (recommendationId: string): string => streamId(RECOMMENDATION_RESOURCE, recommendationId)

/**
 * The recommendation aggregate: one stream per recommendation, access asked
 * as `commission-recommendation.<command>` (e.g.
 * `commission-recommendation.answer-recommendation`) on the citywide
 * resource `commission-recommendation`.
 *
 * @example
 * ```ts
 * const Recommendations = recommendation({ settings: sacramentoRecommendationSettings, calendar: sacramento })
 * handleCommand(Recommendations, { tenantId: "sacramento", commandId, actor: clerk, command: draft })
 * ```
 */
export const recommendation = (
  options: RecommendationOptions
): Aggregate<RecommendationCommand, RecommendationEvent, RecommendationState, RecommendationRefusal> => ({
  name: RECOMMENDATION_RESOURCE,
  commands: RecommendationCommand,
  events: recommendationEvents,
  decider: recommendationDecider(options),
  state: RecommendationState,
  streamId: (command) => recommendationStream(command.recommendationId),
  access: (command) => ({
    action: commandAction(RECOMMENDATION_RESOURCE, command._tag),
    resource: { type: RECOMMENDATION_RESOURCE, id: command.recommendationId }
  })
})

// ---------------------------------------------------------------------------
// Overdue answers
// ---------------------------------------------------------------------------

const DAY_MILLIS = 86_400_000

/**
 * A transmitted recommendation whose answer is past due: how long it has
 * waited since its transmittal and how long past its due time, in real
 * elapsed time (milliseconds, and whole days for display).
 */
export interface OverdueAnswer {
  readonly recommendationId: string
  readonly title: string
  readonly recipient: RecommendationRecipient
  readonly transmittedAt: DateTime.Utc
  readonly answerDue: DateTime.Utc
  /** Since the transmittal. */
  readonly waitingMillis: number
  /** Whole days since the transmittal. */
  readonly waitingDays: number
  /** Since the answer fell due. */
  readonly overdueMillis: number
  /** Whole days since the answer fell due. */
  readonly overdueDays: number
}

/**
 * The recommendations still awaiting their answer after it fell due
 * (strictly after `answerDue`) at `at`, oldest transmittal first (ties by
 * due time, then by id), each with its age. The due time is the one
 * recorded at transmittal, so a later change to the configured period does
 * not move past deadlines.
 */
export const overdueAnswers = (recommendations: Iterable<RecommendationState>, at: DateTime.Utc): ReadonlyArray<OverdueAnswer> => {
  const now = DateTime.toEpochMillis(at)
  const overdue: Array<OverdueAnswer> = []
  for (const state of recommendations) {
    if (state._tag !== "Recommendation" || state.stage !== "transmitted" || state.transmittal === undefined) continue
    const { recipient, transmittedAt, answerDue } = state.transmittal
    const overdueMillis = now - DateTime.toEpochMillis(answerDue)
    if (overdueMillis <= 0) continue
    const waitingMillis = now - DateTime.toEpochMillis(transmittedAt)
    overdue.push({
      recommendationId: state.recommendationId,
      title: state.title,
      recipient,
      transmittedAt,
      answerDue,
      waitingMillis,
      waitingDays: Math.floor(waitingMillis / DAY_MILLIS),
      overdueMillis,
      overdueDays: Math.floor(overdueMillis / DAY_MILLIS)
    })
  }
  return overdue.sort((a, b) =>
    DateTime.toEpochMillis(a.transmittedAt) - DateTime.toEpochMillis(b.transmittedAt) ||
    DateTime.toEpochMillis(a.answerDue) - DateTime.toEpochMillis(b.answerDue) ||
    (a.recommendationId < b.recommendationId ? -1 : a.recommendationId > b.recommendationId ? 1 : 0)
  )
}
