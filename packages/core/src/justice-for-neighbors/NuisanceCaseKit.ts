/**
 * What every phase of the nuisance case decides with: the jurisdiction's
 * settings, the shared guards (engine `Guards`) bound to the case's duties,
 * stage graph and timing rules, and the building blocks of a decision
 * (moving the stage, noting, closing deadlines, closing the case, making
 * and serving the documents the case produces, counting deadlines). Built
 * once per jurisdiction by {@link makeNuisanceCaseKit}; each phase module
 * (`NuisanceCaseIntake`, `NuisanceCaseInspection`, ...) turns it into the
 * handlers of its commands, and `NuisanceCase` dispatches to them.
 *
 * @module
 */
import { DateTime, Result } from "effect"
import type { UnknownTimeZone } from "../kernel/Deadline.ts"
import { type Actor, actorKey } from "../engine/Actor.ts"
import type { DecisionContext } from "../engine/Decider.ts"
import {
  type Draft as EngineDraft,
  emitter,
  guardPassed,
  hasCome,
  hasPassed,
  inStage as inStageGuard,
  plausibleInstant,
  staffOnDuty as staffOnDutyGuard,
  stageMove,
  strictlyAfter,
  withinWindow
} from "../engine/Guards.ts"
import { type ImplausibleInstant, type TooEarly, type TooLate, WrongCaseStage } from "../engine/Refusals.ts"
import { computeDeadline } from "../kernel/Deadline.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import { type Period, statutoryPeriod } from "../kernel/Period.ts"
import { defaultNoticeTemplates } from "./DefaultNoticeTemplates.ts"
import { evictionPressure } from "./EvictionPressure.ts"
import { type CaseStage, type ClosureReason, stageGraph } from "./CaseStage.ts"
import { makeDocument, type NoticeData, type NoticeDocument } from "./NoticeDocument.ts"
import type { NoticeKind } from "./NoticeKind.ts"
import type { NoticeTemplateSet } from "./NoticeTemplate.ts"
import { describePeriod, formatNoticeDate } from "./NoticeValues.ts"
import type { NuisanceCaseCommand, NuisanceCaseCommandName } from "./NuisanceCaseCommands.ts"
import type { CaseDeadline, DeadlineOutcome, DeadlinePurpose, NuisanceCaseEvent } from "./NuisanceCaseEvents.ts"
import {
  type CaseStageRule,
  DeadlineNotComputable,
  EvictionPressureRefused,
  type ImplausibleInstantRule,
  NoticeRefused,
  type NuisanceCaseRefusal,
  type TooEarlyRule,
  type TooLateRule
} from "./NuisanceCaseRefusals.ts"
import { currentDeadline, evolveNuisanceCase, type NuisanceCaseState, type OpenedCase } from "./NuisanceCaseState.ts"
import { nuisanceCaseDuties } from "./NuisanceCaseWorkflow.ts"
import type { ServiceOfNotice } from "./ServiceOfNotice.ts"

/** A nuisance case command of one kind. */
export type Command<K extends NuisanceCaseCommandName> = Extract<NuisanceCaseCommand, { readonly _tag: K }>

/** What deciding a nuisance case command gives: its events, or the refusal. */
export type Decision = Result.Result<ReadonlyArray<NuisanceCaseEvent>, NuisanceCaseRefusal>

/** The draft of a decision on an open case (the engine's `Draft`). */
export type Draft = EngineDraft<NuisanceCaseEvent, OpenedCase>

/**
 * Records events on a draft, each folded into the case the next step sees;
 * an event that leaves no open case (none does) keeps the last one.
 */
export const emit = emitter(evolveNuisanceCase, (state: NuisanceCaseState): state is OpenedCase => state._tag === "OpenedCase")

/** The handler of one command on an open case, after the shared guards passed. */
export type StepHandler<K extends NuisanceCaseCommandName> = (
  command: Command<K>,
  state: OpenedCase,
  context: DecisionContext,
  draft: Draft
) => Decision

/** The handlers of a phase's commands. */
export type StepHandlers<K extends NuisanceCaseCommandName> = { readonly [P in K]: StepHandler<P> }

/** The fields every case event repeats. */
export const caseFields = (state: OpenedCase) => ({
  caseId: state.caseId,
  councilDistrict: state.councilDistrict,
  category: state.category
})

/** A calendar day (YYYY-MM-DD) written out, e.g. March 1, 2026: noon of that day read in UTC. */
export const dayInWords = (day: string) => formatNoticeDate(DateTime.makeUnsafe(`${day}T12:00:00Z`), "UTC")

/**
 * Refuses text a command would put in a case (one text, or each item of a
 * list, named by its path) that requires or presses eviction for contacts
 * with law enforcement (Gov. Code 53165.1); the first one found is named.
 */
export const noEvictionPressure = (
  command: NuisanceCaseCommandName,
  field: string,
  texts: string | ReadonlyArray<string>
): Result.Result<void, EvictionPressureRefused> => {
  const entries = typeof texts === "string" ? [{ path: [field], text: texts }] : texts.map((text, index) => ({ path: [field, index], text }))
  for (const { path, text } of entries) {
    const pressure = evictionPressure(text)
    if (pressure !== undefined) {
      return Result.fail(new EvictionPressureRefused({
        rule: "no-eviction-for-law-enforcement-contacts",
        law: "Gov. Code 53165.1",
        command,
        field: path,
        text: pressure.sentence
      }))
    }
  }
  return guardPassed
}

/** How a jurisdiction's nuisance cases are built, besides its configuration. */
export interface NuisanceCaseOptions {
  /**
   * The templates the case makes the documents it serves from (validated
   * with `validateNoticeTemplateSet`); {@link defaultNoticeTemplates} when absent.
   */
  readonly templates?: NoticeTemplateSet | undefined
}

/** The kit of a jurisdiction's nuisance cases; see {@link makeNuisanceCaseKit}. */
export type NuisanceCaseKit = ReturnType<typeof makeNuisanceCaseKit>

/**
 * The settings, guards and building blocks of a jurisdiction's nuisance
 * cases: periods, caps, duties and districts all come from its
 * configuration, and the documents it serves from `options.templates`.
 */
export const makeNuisanceCaseKit = (jurisdiction: Jurisdiction, options: NuisanceCaseOptions = {}) => {
  const settings = jurisdiction.programs.justiceForNeighbors
  const duties = nuisanceCaseDuties(settings)
  const templates = options.templates ?? defaultNoticeTemplates
  const courtAppealPeriod = describePeriod(settings.periods.courtAppeal)
  const localDate = (instant: DateTime.DateTime) => formatNoticeDate(instant, jurisdiction.timeZone)

  const countDeadline = (
    purpose: DeadlinePurpose,
    rule: string,
    start: DateTime.DateTime,
    period: Period
  ): Result.Result<CaseDeadline, DeadlineNotComputable> =>
    Result.mapBoth(computeDeadline({ start, period, rule }, jurisdiction), {
      onFailure: (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose, setBy: rule, reason: error.message }),
      onSuccess: (deadline) => ({
        purpose,
        rule,
        start: DateTime.toUtc(deadline.start),
        due: DateTime.toUtc(deadline.due),
        period
      })
    })

  const inspectionDeadline = (state: { readonly receivedAt: DateTime.Utc }, hazard: boolean) =>
    hazard
      ? countDeadline("inspection", "inspection of an immediate hazard within periods.hazardInspection of intake", state.receivedAt, settings.periods.hazardInspection)
      : countDeadline("inspection", "inspection within periods.inspection of intake", state.receivedAt, settings.periods.inspection)

  // --- guards (the engine's, with the case's tables and rules) --------------

  /** Staff only, holding the command's duty (`caseDuties`), serving the case's district. */
  const staffOnDuty = (command: NuisanceCaseCommandName, actor: Actor, councilDistrict: string) =>
    staffOnDutyGuard(duties, command, actor, councilDistrict)

  const inStage = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    allowed: ReadonlyArray<CaseStage>,
    rule: CaseStageRule = "stage-order"
  ): Result.Result<void, WrongCaseStage> => inStageGuard(state, command, allowed, rule)

  /** A step not on the case's path (`case-variant`), or with no stage it could be taken from. */
  const stageRefused = (state: OpenedCase, command: NuisanceCaseCommandName, rule: CaseStageRule): Result.Result<never, WrongCaseStage> =>
    Result.fail(new WrongCaseStage({ rule, caseId: state.caseId, command, stage: state.stage, allowedStages: [] }))

  // An act cannot be dated in the future, nor before the step the case last took.
  const actInstant = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    field: string,
    instant: DateTime.Utc,
    now: DateTime.Utc,
    notBefore: DateTime.Utc = state.stageSince
  ): Result.Result<DateTime.Utc, ImplausibleInstant> => plausibleInstant({ command, field, instant, notBefore, notAfter: now })

  // The instant of an act that has no instant of its own: `occurredAt`, or when the command is handled.
  const occurred = (
    state: OpenedCase,
    command: { readonly _tag: NuisanceCaseCommandName; readonly occurredAt?: DateTime.Utc },
    now: DateTime.Utc
  ): Result.Result<DateTime.Utc, ImplausibleInstant> =>
    command.occurredAt === undefined ? Result.succeed(now) : actInstant(state, command._tag, "occurredAt", command.occurredAt, now)

  // The case's open or last deadline of `purpose`, as the time a step waits for or must keep to.
  const awaitedDeadline = (state: OpenedCase, command: NuisanceCaseCommandName, purpose: DeadlinePurpose, at: DateTime.Utc, rule: string) => {
    const deadline = currentDeadline(state, purpose)
    return deadline === undefined ? undefined : { rule, command, waitsFor: purpose, setBy: deadline.rule, due: deadline.due, at }
  }

  /** The step comes after the case's deadline of `purpose` passed, if one was set. */
  const passed = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    purpose: DeadlinePurpose,
    at: DateTime.Utc,
    rule: TooEarlyRule
  ): Result.Result<void, TooEarly> => {
    const awaited = awaitedDeadline(state, command, purpose, at, rule)
    return awaited === undefined ? guardPassed : hasPassed(awaited)
  }

  /** The step comes at or after the hearing set (`setBy` the notice that set it), if one was set. */
  const hearingCome = (
    command: NuisanceCaseCommandName,
    rule: TooEarlyRule,
    setBy: string,
    hearingAt: DateTime.Utc | undefined,
    at: DateTime.Utc
  ): Result.Result<void, TooEarly> => hearingAt === undefined ? guardPassed : hasCome({ rule, command, waitsFor: "hearing", setBy, due: hearingAt, at })

  /** The step comes by the end of the case's window of `purpose`, if one was set. */
  const withinCaseWindow = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    purpose: DeadlinePurpose,
    at: DateTime.Utc,
    rule: TooLateRule
  ): Result.Result<void, TooLate> => {
    const window = awaitedDeadline(state, command, purpose, at, rule)
    return window === undefined ? guardPassed : withinWindow(window)
  }

  /** An instant the command sets (`field`) comes strictly after the act that sets it. */
  const setAfter = (rule: ImplausibleInstantRule, command: NuisanceCaseCommandName, field: string, instant: DateTime.Utc, after: DateTime.Utc) =>
    strictlyAfter(rule, command, field, instant, after)

  // --- building blocks of decisions ----------------------------------------

  const moveTo = (draft: Draft, command: NuisanceCaseCommandName, to: CaseStage, at: DateTime.Utc, comment: string, actor: Actor) => {
    const from = draft.state.stage
    // The stage graph refuses only while a stage table disagrees with it:
    // a wrong table can never produce a move the graph forbids.
    return Result.map(stageMove(stageGraph, draft.state, command, to), () =>
      emit(draft, { _tag: "CaseStageChanged", ...caseFields(draft.state), from, to, at, comment, by: actorKey(actor) }))
  }

  const note = (draft: Draft, at: DateTime.Utc, comment: string, actor: Actor) =>
    emit(draft, { _tag: "CaseCommented", ...caseFields(draft.state), at, stage: draft.state.stage, comment, by: actorKey(actor) })

  const closeDeadline = (draft: Draft, purpose: DeadlinePurpose, at: DateTime.Utc, outcome: DeadlineOutcome) => {
    if (currentDeadline(draft.state, purpose)?.status === "open") {
      emit(draft, { _tag: "DeadlineClosed", ...caseFields(draft.state), purpose, at, outcome })
    }
  }

  const close = (draft: Draft, command: NuisanceCaseCommandName, reason: ClosureReason, at: DateTime.Utc, comment: string, actor: Actor) => {
    for (const deadline of draft.state.deadlines) {
      if (deadline.status === "open") closeDeadline(draft, deadline.purpose, at, "cancelled")
    }
    return Result.map(moveTo(draft, command, "closed", at, comment, actor), () => {
      emit(draft, { _tag: "CaseClosed", ...caseFields(draft.state), reason, at })
    })
  }

  /**
   * Makes the document a command serves, from the template of its kind, the
   * values the case writes (its own, and `own`: the dates of the deadlines
   * it computed, amounts) and the values only the app knows
   * (`service.values`); refuses when the app gave a value the case writes,
   * when placeholders stay unfilled, or when `service.documentId` names
   * another document.
   */
  const noticeFor = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    kind: NoticeKind,
    service: ServiceOfNotice,
    own: Result.Result<NoticeData, UnknownTimeZone> = Result.succeed({})
  ): Result.Result<NoticeDocument, NoticeRefused> =>
    Result.gen(function*() {
      const incomplete = (error: UnknownTimeZone) => new NoticeRefused({ rule: "document-complete", command, kind, detail: error.message })
      const documentDate = yield* Result.mapError(localDate(service.servedAt), incomplete)
      const written: NoticeData = {
        cityName: jurisdiction.name,
        caseNumber: state.caseId,
        category: state.category,
        documentDate,
        addresseeName: service.personServed.name,
        ...(service.personServed.mailingAddress === undefined ? {} : { addresseeAddress: service.personServed.mailingAddress }),
        ...yield* Result.mapError(own, incomplete)
      }
      const given = service.values ?? {}
      const overlap = Object.keys(given).filter((key) => Object.hasOwn(written, key))
      if (overlap.length > 0) {
        return yield* Result.fail(new NoticeRefused({ rule: "values-written-by-the-case", command, kind, keys: overlap }))
      }
      const document = yield* Result.mapError(
        makeDocument(templates[kind], { ...given, ...written }),
        (error) => new NoticeRefused({ rule: "document-complete", command, kind, problems: [...error.problems] })
      )
      if (service.documentId !== undefined && service.documentId !== document.id) {
        return yield* Result.fail(
          new NoticeRefused({ rule: "document-produced-by-the-case", command, kind, documentId: service.documentId, producedId: document.id })
        )
      }
      return document
    })

  /** Records the service of a document the case made (see `noticeFor`). */
  const served = (draft: Draft, service: ServiceOfNotice, notice: NoticeDocument) =>
    emit(draft, {
      _tag: "DocumentServed",
      ...caseFields(draft.state),
      document: { kind: notice.kind, documentId: notice.id, personServed: service.personServed, servedAt: service.servedAt, method: service.method },
      notice
    })

  // --- due process -----------------------------------------------------------

  // The right to a hearing runs from service of each notice that gives it
  // (the notice of public nuisance, a citation); the latest one counts.
  const hearingRequestWindow = (notice: string, servedAt: DateTime.Utc) =>
    countDeadline(
      "hearing-request",
      `hearing request within periods.hearingRequest of service of the ${notice} (the city's hearing procedure, Gov. Code 53069.4(a))`,
      servedAt,
      settings.periods.hearingRequest
    )

  const hearingRequestDeadline = (draft: Draft, notice: string, servedAt: DateTime.Utc) =>
    Result.map(hearingRequestWindow(notice, servedAt), (deadline) => emit(draft, { _tag: "DeadlineSet", ...caseFields(draft.state), deadline }))

  // The court appeal of a final administrative decision or order runs from
  // its service: a statutory period, so Code Civ. Proc. 12a applies whatever
  // the setting says.
  const courtAppealDeadline = (draft: Draft, what: string, servedAt: DateTime.Utc) =>
    Result.map(
      countDeadline(
        "court-appeal",
        `court appeal within periods.courtAppeal of service of the ${what} (Gov. Code 53069.4(b)(1)), ending on a court day (Code Civ. Proc. 12a)`,
        servedAt,
        statutoryPeriod(settings.periods.courtAppeal)
      ),
      (deadline) => emit(draft, { _tag: "DeadlineSet", ...caseFields(draft.state), deadline })
    )

  return {
    jurisdiction,
    settings,
    duties,
    courtAppealPeriod,
    localDate,
    countDeadline,
    inspectionDeadline,
    staffOnDuty,
    inStage,
    stageRefused,
    actInstant,
    occurred,
    passed,
    hearingCome,
    withinCaseWindow,
    setAfter,
    moveTo,
    note,
    closeDeadline,
    close,
    noticeFor,
    served,
    hearingRequestWindow,
    hearingRequestDeadline,
    courtAppealDeadline
  }
}
