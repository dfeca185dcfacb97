/**
 * Cure and correct (Gov. Code 54960.1): before anyone may sue to void an
 * action taken in violation of the open-meetings rules, they make a written
 * demand on the body, within 90 days of the action (30 days when the action
 * was taken in open session in violation of the agenda rules of 54954.2);
 * the body answers in writing within 30 days of receipt, by curing or
 * correcting the action, by an unconditional commitment not to repeat the
 * practice (54960.2), or by declining. Silence for 30 days is a decision
 * not to cure (54960.1(c)(3)).
 *
 * One aggregate per demand; the periods come from the law's `cureAndCorrect`
 * settings and are counted in calendar days in the jurisdiction's zone.
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import type { Aggregate, Decider } from "../engine/Decider.ts"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import { plausibleInstant } from "../engine/Guards.ts"
import type { ImplausibleInstant } from "../engine/Refusals.ts"
import { streamId } from "../engine/StreamId.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { calendarDaysBetween, type OpenMeetingsLaw } from "./OpenMeetingsLaw.ts"

const Instant = Schema.DateTimeUtcFromString
const Id = Schema.NonEmptyString.check(Schema.isTrimmed())
const Text = Schema.NonEmptyString.check(Schema.isTrimmed())

/**
 * What the demand alleges: an action taken in open session in violation of
 * the agenda rules (`agenda`, Gov. Code 54954.2: the 30-day window), or any
 * other violation 54960.1(a) lists (`other`: the 90-day window).
 */
export const AllegedViolation = Schema.Literals(["agenda", "other"])

/** What the demand alleges; see {@link AllegedViolation}. */
export type AllegedViolation = typeof AllegedViolation.Type

/** The body's written answer: cured or corrected, an unconditional commitment (54960.2), or declined. */
export const CureAnswer = Schema.Literals(["cured", "unconditional-commitment", "declined"])

/** The body's answer; see {@link CureAnswer}. */
export type CureAnswer = typeof CureAnswer.Type

/** What a written demand says, as received. */
const DemandFields = {
  demandId: Id,
  meetingId: Id,
  itemId: Id,
  /** When the challenged action was taken (from the meeting's stream). */
  actionTakenAt: Instant,
  violation: AllegedViolation,
  /** The demanding party: a person's name is personal data. */
  demandedBy: personal(Text),
  description: Text,
  receivedAt: Instant
}

/** A written demand to cure or correct was received; `answerDue` is the last day of the body's 30 days. */
export const CureDemandReceived = Schema.TaggedStruct("CureDemandReceived", {
  ...DemandFields,
  answerDue: Instant,
  citation: Text,
  at: Instant
})

/** The body answered in writing. `withinPeriod` is false when the 30 days had already passed. */
export const CureDemandAnswered = Schema.TaggedStruct("CureDemandAnswered", {
  demandId: Id,
  answer: CureAnswer,
  text: Text,
  answeredAt: Instant,
  withinPeriod: Schema.Boolean,
  at: Instant
})

/** Every event of a cure-and-correct demand. */
export const CureAndCorrectEvent = Schema.Union([CureDemandReceived, CureDemandAnswered])

/** An event of a cure-and-correct demand; see {@link CureAndCorrectEvent}. */
export type CureAndCorrectEvent = typeof CureAndCorrectEvent.Type

/** Record a written demand to cure or correct an action. */
export const ReceiveCureDemand = Schema.TaggedStruct("ReceiveCureDemand", DemandFields)

/** Record the body's written answer to a demand. */
export const AnswerCureDemand = Schema.TaggedStruct("AnswerCureDemand", {
  demandId: Id,
  answer: CureAnswer,
  text: Text,
  answeredAt: Instant
})

/** Every command of a cure-and-correct demand. */
export const CureAndCorrectCommand = Schema.Union([ReceiveCureDemand, AnswerCureDemand])

/** A command of a cure-and-correct demand; see {@link CureAndCorrectCommand}. */
export type CureAndCorrectCommand = typeof CureAndCorrectCommand.Type

/** A demand's state. */
export const CureAndCorrectState = Schema.Union([
  Schema.TaggedStruct("NoDemand", {}),
  Schema.TaggedStruct("Demand", {
    demandId: Schema.String,
    meetingId: Schema.String,
    itemId: Schema.String,
    violation: AllegedViolation,
    receivedAt: Instant,
    answerDue: Instant,
    answer: Schema.optionalKey(Schema.Struct({ answer: CureAnswer, answeredAt: Instant, withinPeriod: Schema.Boolean }))
  })
])

/** A demand's state; see {@link CureAndCorrectState}. */
export type CureAndCorrectState = typeof CureAndCorrectState.Type

/** The law configured has no cure-and-correct procedure (Washington's RCW 42.30 has none). */
export class CureAndCorrectNotConfigured extends Schema.TaggedError<CureAndCorrectNotConfigured>()("CureAndCorrectNotConfigured", {
  rule: Schema.tag("cure-and-correct-configured"),
  law: Schema.String
}) {
  override get message(): string {
    return `${this.law} has no cure-and-correct procedure`
  }
}

/** The demand came after its window: 90 days after the action, 30 for an agenda violation (Gov. Code 54960.1(c)(1)). */
export class CureDemandTooLate extends Schema.TaggedError<CureDemandTooLate>()("CureDemandTooLate", {
  rule: Schema.tag("demand-within-days-of-action"),
  demandId: Schema.String,
  days: Schema.Number,
  withinDays: Schema.Number,
  citation: Schema.String
}) {
  override get message(): string {
    return `the demand came ${this.days} days after the action; it must come within ${this.withinDays} (${this.citation})`
  }
}

/** The command needs a demand (or none yet): recorded once, answered once. */
export class CureDemandOutOfOrder extends Schema.TaggedError<CureDemandOutOfOrder>()("CureDemandOutOfOrder", {
  rule: Schema.Literals(["demand-recorded-once", "answer-needs-a-demand", "answered-once"]),
  demandId: Schema.String
}) {
  override get message(): string {
    return `demand ${this.demandId}: ${this.rule}`
  }
}

/** Why a cure-and-correct command was refused. */
export type CureAndCorrectRefusal = CureAndCorrectNotConfigured | CureDemandTooLate | CureDemandOutOfOrder | ImplausibleInstant

const evolve = (state: CureAndCorrectState, event: CureAndCorrectEvent): CureAndCorrectState => {
  switch (event._tag) {
    case "CureDemandReceived":
      return {
        _tag: "Demand",
        demandId: event.demandId,
        meetingId: event.meetingId,
        itemId: event.itemId,
        violation: event.violation,
        receivedAt: event.receivedAt,
        answerDue: event.answerDue
      }
    case "CureDemandAnswered":
      return state._tag === "Demand"
        ? { ...state, answer: { answer: event.answer, answeredAt: event.answeredAt, withinPeriod: event.withinPeriod } }
        : state
  }
}

/**
 * Whether the body's 30 days passed with no answer at `now`: silence is then
 * a decision not to cure (Gov. Code 54960.1(c)(3)), and the demanding party's
 * 15 days to sue begin.
 */
export const deemedDeclined = (state: CureAndCorrectState, now: DateTime.DateTime): boolean =>
  state._tag === "Demand" && state.answer === undefined && DateTime.isGreaterThan(now, state.answerDue)

/** A demand still awaiting the body's answer, for the staff's list. */
export interface DemandAwaitingAnswer {
  readonly demandId: string
  readonly meetingId: string
  readonly itemId: string
  readonly answerDue: DateTime.Utc
  /** The 30 days passed: silence is now a decision not to cure (Gov. Code 54960.1(c)(3)). */
  readonly overdue: boolean
}

/** The demands not yet answered, the nearest answer date first, each marked overdue once its date passed at `now`. */
export const demandsAwaitingAnswer = (
  states: Iterable<CureAndCorrectState>,
  now: DateTime.DateTime
): ReadonlyArray<DemandAwaitingAnswer> =>
  [...states]
    .flatMap((state) =>
      state._tag === "Demand" && state.answer === undefined
        ? [{ demandId: state.demandId, meetingId: state.meetingId, itemId: state.itemId, answerDue: state.answerDue, overdue: deemedDeclined(state, now) }]
        : []
    )
    .sort((a, b) => DateTime.toEpochMillis(a.answerDue) - DateTime.toEpochMillis(b.answerDue))

/**
 * The decider of a cure-and-correct demand under `law.cureAndCorrect`; days
 * are calendar days in `timeZone`. The answer is due at the end of the
 * 30th day after receipt, local time.
 */
export const cureAndCorrectDecider = (rules: { readonly law: OpenMeetingsLaw; readonly timeZone: string }): Decider<
  CureAndCorrectCommand,
  CureAndCorrectEvent,
  CureAndCorrectState,
  CureAndCorrectRefusal
> => ({
  initialState: { _tag: "NoDemand" },
  decide: (command, state, { now }) => {
    const settings = rules.law.cureAndCorrect
    if (settings === undefined) return Result.fail(new CureAndCorrectNotConfigured({ law: rules.law.name }))
    switch (command._tag) {
      case "ReceiveCureDemand": {
        if (state._tag === "Demand") return Result.fail(new CureDemandOutOfOrder({ rule: "demand-recorded-once", demandId: command.demandId }))
        const received = plausibleInstant({
          command: command._tag,
          field: "receivedAt",
          instant: command.receivedAt,
          notBefore: command.actionTakenAt,
          notAfter: now
        })
        if (Result.isFailure(received)) return Result.fail(received.failure)
        const withinDays = command.violation === "agenda" ? settings.agendaViolationDemandWithinDays : settings.demandWithinDays
        const days = calendarDaysBetween(command.actionTakenAt, command.receivedAt, rules.timeZone)
        if (days > withinDays) {
          return Result.fail(new CureDemandTooLate({ demandId: command.demandId, days, withinDays, citation: `${settings.citation}(1)` }))
        }
        const dueDay = DateTime.add(DateTime.setZoneNamedUnsafe(command.receivedAt, rules.timeZone), { days: settings.answerWithinDays })
        const answerDue = DateTime.toUtc(DateTime.endOf(dueDay, "day"))
        return Result.succeed([{
          _tag: "CureDemandReceived",
          demandId: command.demandId,
          meetingId: command.meetingId,
          itemId: command.itemId,
          actionTakenAt: command.actionTakenAt,
          violation: command.violation,
          demandedBy: command.demandedBy,
          description: command.description,
          receivedAt: command.receivedAt,
          answerDue,
          citation: settings.citation,
          at: now
        }])
      }
      case "AnswerCureDemand": {
        if (state._tag !== "Demand") return Result.fail(new CureDemandOutOfOrder({ rule: "answer-needs-a-demand", demandId: command.demandId }))
        if (state.answer !== undefined) return Result.fail(new CureDemandOutOfOrder({ rule: "answered-once", demandId: command.demandId }))
        const answered = plausibleInstant({
          command: command._tag,
          field: "answeredAt",
          instant: command.answeredAt,
          notBefore: state.receivedAt,
          notAfter: now
        })
        if (Result.isFailure(answered)) return Result.fail(answered.failure)
        return Result.succeed([{
          _tag: "CureDemandAnswered",
          demandId: command.demandId,
          answer: command.answer,
          text: command.text,
          answeredAt: command.answeredAt,
          withinPeriod: DateTime.isLessThanOrEqualTo(command.answeredAt, state.answerDue),
          at: now
        }])
      }
    }
  },
  evolve
})

/** The aggregate type of cure-and-correct demands. */
export const CURE_DEMAND_RESOURCE = "cure-and-correct-demand"

/** The access action of each cure-and-correct command. */
export const cureAndCorrectActions = {
  ReceiveCureDemand: "cure-and-correct-demand.receive",
  AnswerCureDemand: "cure-and-correct-demand.answer"
} as const satisfies Record<CureAndCorrectCommand["_tag"], string>

/** The cure-and-correct aggregate: one stream per demand, `cure-and-correct-demand/<demandId>`. */
export const cureAndCorrect = (rules: { readonly law: OpenMeetingsLaw; readonly timeZone: string }): Aggregate<
  CureAndCorrectCommand,
  CureAndCorrectEvent,
  CureAndCorrectState,
  CureAndCorrectRefusal
> => ({
  name: CURE_DEMAND_RESOURCE,
  commands: CureAndCorrectCommand,
  events: makeEventCatalog(CureAndCorrectEvent),
  decider: cureAndCorrectDecider(rules),
  state: CureAndCorrectState,
  streamId: (command) => streamId(CURE_DEMAND_RESOURCE, command.demandId),
  access: (command) => ({ action: cureAndCorrectActions[command._tag], resource: { type: CURE_DEMAND_RESOURCE, id: command.demandId } })
})
