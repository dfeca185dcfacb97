/**
 * The nuisance case: the code enforcement workflow of a Justice for
 * Neighbors team as a pure decider, from intake to closure, through notice
 * of violation, reinspection, extension, notice of public nuisance,
 * administrative citations, the owner's hearing request, hearing before an
 * impartial officer and the served decision, court appeal, abatement order,
 * city abatement (or summary abatement of an imminent hazard, with notice
 * after the fact), cost recovery (invoice, then lien) and civil action;
 * with the owner-engagement path (letter, meeting, abatement plan) for a
 * high-volume non-residential user of 911.
 *
 * Every move is guarded by role (the duties the jurisdiction grants), by
 * district, by stage (the {@link stageGraph}) and by time (deadlines counted
 * by the kernel's deadline calculator from the jurisdiction's periods; the
 * court appeal, a statutory period, always ends on a court day, Code Civ.
 * Proc. 12a).
 *
 * @module
 */
import { DateTime, Option, Result } from "effect"
import type { UnknownTimeZone } from "../kernel/Deadline.ts"
import type { AccessRule } from "../engine/AccessPolicy.ts"
import { type Actor, actorKey } from "../engine/Actor.ts"
import type { Aggregate, DecisionContext, Decider } from "../engine/Decider.ts"
import { caseAddressKey } from "../kernel/Address.ts"
import { computeDeadline } from "../kernel/Deadline.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import { type Period, statutoryPeriod } from "../kernel/Period.ts"
import { callsForServiceIneligibility, type CallsForServiceIneligibility } from "../kernel/Place.ts"
import { type CaseDuty, defaultDangerousBuildingStart } from "../kernel/ProgramSettings.ts"
import type { Role } from "../kernel/Role.ts"
import { checkFine, fineCapFor } from "./AdministrativeFine.ts"
import { defaultNoticeTemplates } from "./DefaultNoticeTemplates.ts"
import {
  firstRecordingInstant,
  LIEN_NOTICE_CAPACITY,
  LIEN_NOTICE_LAW,
  LIEN_SERVICE_LAW,
  lienNoticePeriod,
  lienRecordingDeadline,
  PUBLICATION_LAW,
  publicationProblem,
  SPECIAL_ASSESSMENT_LAW,
  summonsMethods
} from "./CostRecovery.ts"
import { recheckEvidence } from "./ChronicCallers.ts"
import { evictionPressure } from "./EvictionPressure.ts"
import { canMove, type CaseStage, CaseStage as CaseStageSchema, type ClosureReason, variantOf } from "./CaseStage.ts"
import { makeDocument, type NoticeData, type NoticeDocument } from "./NoticeDocument.ts"
import type { NoticeKind } from "./NoticeKind.ts"
import type { NoticeTemplateSet } from "./NoticeTemplate.ts"
import { describePeriod, formatDollars, formatNoticeDate, formatNoticeDateTime, violationOrdinal } from "./NoticeValues.ts"
import {
  checkNuisanceCaseCommand,
  NuisanceCaseCommand,
  type NuisanceCaseCommandName,
  type PriorViolation,
  toCents
} from "./NuisanceCaseCommands.ts"
import { type CaseDeadline, type DeadlineOutcome, type DeadlinePurpose, type NuisanceCaseEvent, nuisanceCaseEvents } from "./NuisanceCaseEvents.ts"
import {
  ActionOnClosedCase,
  ActorKindNotAllowed,
  AmountRefused,
  CaseAlreadyOpen,
  CaseDistrictUnknown,
  CaseNotFound,
  CitationRefused,
  CivilActionRefused,
  ClosureRefused,
  DeadlineNotComputable,
  DueProcessRefused,
  DangerousBuildingOrderRefused,
  DutyNotHeld,
  EvictionPressureRefused,
  ExcessiveCallsIntakeRefused,
  HearingNoticeTooShort,
  HearingOfficerNotImpartial,
  ImplausibleInstant,
  NoticeRefused,
  LienNoticeRefused,
  NothingOwed,
  type NuisanceCaseRefusal,
  OutsideCaseDistrict,
  SpecialAssessmentRefused,
  PoliceReferralRefused,
  TooEarly,
  TooLate,
  WrongCaseStage
} from "./NuisanceCaseRefusals.ts"
import {
  citationBalance,
  costBalance,
  currentDeadline,
  evolveNuisanceCase,
  initialNuisanceCaseState,
  lastServed,
  type NuisanceCaseState,
  NuisanceCaseState as NuisanceCaseStateSchema,
  type OpenedCase
} from "./NuisanceCaseState.ts"
import type { ServiceOfNotice } from "./ServiceOfNotice.ts"

type Command<K extends NuisanceCaseCommandName> = Extract<NuisanceCaseCommand, { readonly _tag: K }>
type Decision = Result.Result<ReadonlyArray<NuisanceCaseEvent>, NuisanceCaseRefusal>

/** The resource type of a nuisance case in access requests. */
export const NUISANCE_CASE_RESOURCE = "nuisance-case"

/** The event stream of one case, e.g. `nuisance-case-2026-000123`. */
export const nuisanceCaseStreamId = (caseId: string): string => `nuisance-case-${caseId}`

/** The access action of a command, e.g. `nuisance-case.serve-notice-of-violation` for `ServeNoticeOfViolation`. */
export const nuisanceCaseAction = (command: NuisanceCaseCommandName): string =>
  `${NUISANCE_CASE_RESOURCE}.${command.replace(/[A-Z]/g, (letter, index: number) => `${index === 0 ? "" : "-"}${letter.toLowerCase()}`)}`

/** The duty each command needs; the jurisdiction grants each duty to roles (`caseDuties`). */
export const nuisanceCaseCommandDuty: { readonly [K in NuisanceCaseCommandName]: CaseDuty } = {
  OpenCase: "take-intake",
  TriageCase: "take-intake",
  RecordInspection: "inspect",
  ServeOwnerLetter: "serve-notice",
  RecordOwnerMeeting: "work-with-owner",
  AgreeAbatementPlan: "work-with-owner",
  ReviewAbatementPlan: "work-with-owner",
  ServeNoticeOfViolation: "serve-notice",
  GrantExtension: "grant-extension",
  RecordReinspection: "inspect",
  ServeNoticeOfPublicNuisance: "serve-notice",
  IssueCitation: "issue-citation",
  RequestHearing: "record-hearing",
  ServeHearingNotice: "serve-notice",
  RecordHearingDecision: "record-hearing",
  ServeHearingDecision: "serve-notice",
  ServeAbatementOrder: "serve-notice",
  RecordCourtAppeal: "record-hearing",
  RecordCourtDecision: "record-hearing",
  RecordCityAbatement: "abate",
  RecordSummaryAbatement: "summary-abatement",
  ServePostAbatementNotice: "serve-notice",
  InvoiceCosts: "serve-notice",
  RecordPayment: "record-payment",
  ServeLienNotice: "serve-notice",
  RecordLien: "serve-notice",
  ServeSpecialAssessmentNotice: "serve-notice",
  RecordSpecialAssessment: "record-hearing",
  FileCivilAction: "file-civil-action",
  ConcludeCivilAction: "file-civil-action",
  CloseCase: "close-case",
  AttachPoliceEvidence: "attach-police-evidence",
  CommentOnCase: "comment"
}

const openStages: ReadonlyArray<CaseStage> = CaseStageSchema.literals.filter((stage) => stage !== "closed")

// Late compliance is on record at every step from the failed reinspection to
// the city's own abatement.
const reinspectionStages: ReadonlyArray<CaseStage> = [
  "notice-of-violation-served",
  "reinspection-failed",
  "public-nuisance-declared",
  "cited",
  "hearing-scheduled",
  "hearing-decided",
  "abatement-ordered",
  "court-appeal",
  "order-upheld"
]

// A summary abatement skips ahead from any stage of the code enforcement
// path before the city's own abatement: an imminent hazard cannot wait.
const summaryAbatementStages: ReadonlyArray<CaseStage> = [
  "triaged",
  "violation-found",
  "notice-of-violation-served",
  ...reinspectionStages.filter((stage) => stage !== "notice-of-violation-served")
]

/**
 * The stages in which each command (but `OpenCase`, which needs no case) may
 * be given. With the {@link stageGraph} this is the workflow; a command in
 * any other stage is refused with `WrongCaseStage`.
 */
export const nuisanceCaseCommandStages: { readonly [K in Exclude<NuisanceCaseCommandName, "OpenCase">]: ReadonlyArray<CaseStage> } = {
  TriageCase: ["intake"],
  RecordInspection: ["triaged"],
  ServeOwnerLetter: ["triaged"],
  RecordOwnerMeeting: ["owner-letter-sent", "owner-met"],
  AgreeAbatementPlan: ["owner-met"],
  ReviewAbatementPlan: ["abatement-plan-agreed"],
  ServeNoticeOfViolation: ["violation-found", "owner-engagement-failed"],
  GrantExtension: ["notice-of-violation-served", "reinspection-failed", "abatement-plan-agreed"],
  RecordReinspection: reinspectionStages,
  ServeNoticeOfPublicNuisance: ["reinspection-failed"],
  IssueCitation: ["public-nuisance-declared", "cited"],
  RequestHearing: ["public-nuisance-declared", "cited"],
  ServeHearingNotice: ["public-nuisance-declared", "cited", "hearing-scheduled"],
  RecordHearingDecision: ["hearing-scheduled"],
  ServeHearingDecision: ["hearing-decided"],
  // After the notice of public nuisance and the opportunity for a hearing,
  // no citation needed; after a served decision; after the court upheld it.
  ServeAbatementOrder: ["public-nuisance-declared", "cited", "hearing-decided", "order-upheld"],
  RecordCourtAppeal: ["hearing-decided", "abatement-ordered"],
  RecordCourtDecision: ["court-appeal"],
  RecordCityAbatement: ["abatement-ordered", "order-upheld"],
  RecordSummaryAbatement: summaryAbatementStages,
  ServePostAbatementNotice: ["city-abated"],
  InvoiceCosts: ["city-abated"],
  RecordPayment: openStages,
  // A new notice (after a failed service, or to correct it) replaces the last one.
  ServeLienNotice: ["costs-invoiced", "lien-noticed"],
  RecordLien: ["lien-noticed"],
  ServeSpecialAssessmentNotice: ["costs-invoiced", "special-assessment-noticed"],
  RecordSpecialAssessment: ["special-assessment-noticed"],
  FileCivilAction: ["costs-invoiced", "lien-recorded", "civil-action"],
  ConcludeCivilAction: ["civil-action"],
  CloseCase: ["costs-invoiced", "lien-noticed", "lien-recorded", "special-assessment-noticed", "special-assessment-recorded", "civil-action"],
  AttachPoliceEvidence: openStages,
  CommentOnCase: openStages
}

/** The stages in which each closing reason a person decides may be used. */
export const manualClosureStages: {
  readonly [R in "costs-recovered" | "lien-recorded" | "special-assessment-recorded" | "civil-action-concluded"]: ReadonlyArray<CaseStage>
} = {
  "costs-recovered": ["costs-invoiced", "lien-noticed", "lien-recorded", "special-assessment-noticed", "special-assessment-recorded"],
  "lien-recorded": ["lien-recorded"],
  "special-assessment-recorded": ["special-assessment-recorded"],
  "civil-action-concluded": ["civil-action"]
}

/**
 * The access rules that match a jurisdiction's case duties: each duty's
 * commands granted to its roles in their own council districts, and intake
 * open to the public (complaints) and the system (311 and analytics). The
 * decider applies the same duties itself; these rules let the engine's
 * access policy refuse, and audit, before the case is even read whatever no
 * district could allow (a member of the public, or a role without the
 * duty); the district check follows once the case's district is read.
 */
export const nuisanceCaseAccessRules = (jurisdiction: Jurisdiction): ReadonlyArray<AccessRule> => {
  const duties = jurisdiction.programs.justiceForNeighbors.caseDuties
  const names = Object.keys(nuisanceCaseCommandDuty) as ReadonlyArray<NuisanceCaseCommandName>
  const staffRules = (Object.keys(duties) as ReadonlyArray<CaseDuty>).flatMap((duty): ReadonlyArray<AccessRule> => {
    const actions = names.filter((name) => nuisanceCaseCommandDuty[name] === duty).map(nuisanceCaseAction)
    return actions.length === 0 ? [] : [{
      id: `nuisance-case.duty.${duty}`,
      actions,
      roles: [...duties[duty]],
      scope: "own-district"
    }]
  })
  return [
    ...staffRules,
    { id: "nuisance-case.intake-from-public-and-system", actions: [nuisanceCaseAction("OpenCase")], actors: ["Public", "System"], scope: "citywide" }
  ]
}

const ok: Result.Result<void> = Result.succeed(undefined)
// A calendar day (YYYY-MM-DD) written out, e.g. March 1, 2026: noon of that day read in UTC.
const dayInWords = (day: string) => formatNoticeDate(DateTime.makeUnsafe(`${day}T12:00:00Z`), "UTC")

// The rule of a dangerous building's notice and order.
const DANGEROUS_BUILDING_ORDER = "Sacramento City Code 8.96.130(B)(3)"

// The law that keeps calls for service, and any contact with law enforcement at a tenancy, from reaching a home.
const CALLS_LAW = "Gov. Code 53165, 53165.1; 34 U.S.C. 12495"

const homeReason = (reason: CallsForServiceIneligibility): string =>
  reason === "residential"
    ? "the place is residential"
    : reason === "unknown-land-use"
    ? "the place's land use is unknown, so it is treated as a home"
    : "the places registry records long-term tenancies at the place (rooms let as homes), so it is a residence for this rule"

/**
 * Refuses text a command would put in a case (one text, or each item of a
 * list, named by its path) that requires or presses eviction for contacts
 * with law enforcement (Gov. Code 53165.1); the first one found is named.
 */
const noEvictionPressure = (
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
  return ok
}

const millis = DateTime.toEpochMillis
const isAfter = (a: DateTime.DateTime, b: DateTime.DateTime): boolean => millis(a) > millis(b)
const later = (a: DateTime.Utc, b: DateTime.Utc): DateTime.Utc => isAfter(a, b) ? a : b

/**
 * The events of one decision, with the case as they leave it, so that each
 * step sees what the previous ones changed (an open deadline satisfied
 * before the case closes is not cancelled too).
 */
interface Draft {
  readonly events: Array<NuisanceCaseEvent>
  state: OpenedCase
}

const emit = (draft: Draft, ...events: ReadonlyArray<NuisanceCaseEvent>): void => {
  for (const event of events) {
    draft.events.push(event)
    const next = evolveNuisanceCase(draft.state, event)
    if (next._tag === "OpenedCase") draft.state = next
  }
}

/**
 * The prior violations of a citation command that are on other cases and
 * not after the citation, each once: this case's own citations come from
 * its events, and a prior named twice counts once.
 */
const priorViolationsOutside = (
  caseId: string,
  priors: ReadonlyArray<PriorViolation>,
  at: DateTime.Utc
): ReadonlyArray<PriorViolation> => {
  const seen = new Set<string>()
  return priors.filter((prior) => {
    const key = `${prior.caseId}\u0000${prior.citationNumber}`
    if (prior.caseId === caseId || seen.has(key) || isAfter(prior.issuedAt, at)) return false
    seen.add(key)
    return true
  })
}

/**
 * Whether the owner had a reasonable time to correct before this fine (Gov.
 * Code 53069.4(a)(2); a condition of the commercial tier, 36900(c)(3)(B)):
 * the case's period to comply after the notice of violation ran out.
 */
const ownerHadTimeToCorrect = (state: OpenedCase): boolean =>
  state.deadlines.some((deadline) => deadline.purpose === "compliance" && deadline.status === "expired")

const caseFields = (state: OpenedCase) => ({
  caseId: state.caseId,
  councilDistrict: state.councilDistrict,
  category: state.category
})

/** How a jurisdiction's nuisance cases are built, besides its configuration. */
export interface NuisanceCaseOptions {
  /**
   * The templates the case makes the documents it serves from (validated
   * with `validateNoticeTemplateSet`); {@link defaultNoticeTemplates} when absent.
   */
  readonly templates?: NoticeTemplateSet | undefined
}

/**
 * Builds the decider of nuisance cases for a jurisdiction: periods, caps,
 * duties and districts all come from its configuration, and the documents
 * it serves from `options.templates`.
 *
 * The decider reads the actor's roles and districts from the
 * {@link DecisionContext} (what the identity system vouched for when the
 * command came in), never the team roster: a decision must depend only on
 * the command, the case's own events and the context, so that it is pure,
 * testable and the same when replayed; the roster is another aggregate,
 * and keeping a person's roles and districts current is the identity
 * system's job (and the access policy's, which can be built from the roster).
 */
export const nuisanceCaseDecider = (
  jurisdiction: Jurisdiction,
  options: NuisanceCaseOptions = {}
): Decider<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal> => {
  const settings = jurisdiction.programs.justiceForNeighbors
  const knownDistricts = jurisdiction.councilDistricts.map((district) => district.id)
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

  // --- guards ---------------------------------------------------------------

  const holdsDuty = (command: NuisanceCaseCommandName, actor: Actor & { readonly _tag: "Staff" }): Result.Result<void, DutyNotHeld> => {
    const duty = nuisanceCaseCommandDuty[command]
    const required: ReadonlyArray<Role> = settings.caseDuties[duty]
    return actor.roles.some((role) => required.includes(role))
      ? ok
      : Result.fail(new DutyNotHeld({
        rule: "role-by-duty",
        command,
        duty,
        requiredRoles: [...required],
        actorRoles: [...actor.roles],
        setting: `programs.justiceForNeighbors.caseDuties.${duty}`
      }))
  }

  const servesDistrict = (
    command: NuisanceCaseCommandName,
    actor: Actor & { readonly _tag: "Staff" },
    councilDistrict: string
  ): Result.Result<void, OutsideCaseDistrict> =>
    actor.districts.length === 0 || actor.districts.includes(councilDistrict)
      ? ok
      : Result.fail(new OutsideCaseDistrict({ rule: "own-district", command, councilDistrict, actorDistricts: [...actor.districts] }))

  const staffOnDuty = (command: NuisanceCaseCommandName, actor: Actor, councilDistrict: string): Result.Result<void, NuisanceCaseRefusal> => {
    if (actor._tag !== "Staff") {
      return Result.fail(new ActorKindNotAllowed({ rule: "staff-only", command, actorKind: actor._tag }))
    }
    return Result.flatMap(holdsDuty(command, actor), () => servesDistrict(command, actor, councilDistrict))
  }

  const inStage = (state: OpenedCase, command: NuisanceCaseCommandName, allowed: ReadonlyArray<CaseStage>, rule: WrongCaseStage["rule"] = "stage-order") =>
    allowed.includes(state.stage)
      ? ok
      : Result.fail(new WrongCaseStage({ rule, caseId: state.caseId, command, stage: state.stage, allowedStages: [...allowed] }))

  // An act cannot be dated in the future, nor before the step the case last took.
  const actInstant = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    field: string,
    instant: DateTime.Utc,
    now: DateTime.Utc,
    notBefore: DateTime.Utc = state.stageSince
  ): Result.Result<DateTime.Utc, ImplausibleInstant> =>
    isAfter(instant, now) || isAfter(notBefore, instant)
      ? Result.fail(new ImplausibleInstant({ rule: "act-instant-in-order", command, field, instant, notBefore, notAfter: now }))
      : Result.succeed(instant)

  // The instant of an act that has no instant of its own: `occurredAt`, or when the command is handled.
  const occurred = (
    state: OpenedCase,
    command: { readonly _tag: NuisanceCaseCommandName; readonly occurredAt?: DateTime.Utc },
    now: DateTime.Utc
  ): Result.Result<DateTime.Utc, ImplausibleInstant> =>
    command.occurredAt === undefined ? Result.succeed(now) : actInstant(state, command._tag, "occurredAt", command.occurredAt, now)

  const passed = (
    state: OpenedCase,
    command: NuisanceCaseCommandName,
    purpose: DeadlinePurpose,
    at: DateTime.Utc,
    rule: TooEarly["rule"]
  ): Result.Result<void, TooEarly> => {
    const deadline = currentDeadline(state, purpose)
    return deadline === undefined || isAfter(at, deadline.due)
      ? ok
      : Result.fail(new TooEarly({ rule, command, waitsFor: purpose, setBy: deadline.rule, due: deadline.due, at }))
  }

  // Gov. Code 38773.1: notice to the owner of record, served as a summons
  // is or, after a diligent search fails, posted 10 days and published.
  const lienNoticeServedRight = (state: OpenedCase, command: Command<"ServeLienNotice">, now: DateTime.Utc): Result.Result<void, LienNoticeRefused | ImplausibleInstant> => {
    const { service, ownerNotFound } = command
    const refuse = (rule: LienNoticeRefused["rule"], law: string, detail: string) => Result.fail(new LienNoticeRefused({ rule, law, detail }))
    if (service.personServed.capacity !== LIEN_NOTICE_CAPACITY) {
      return refuse("lien-notice-to-owner-of-record", LIEN_NOTICE_LAW, `the notice goes to the owner of record, not to the ${service.personServed.capacity}`)
    }
    if (ownerNotFound === undefined) {
      if (service.method === "posting-on-property") {
        return refuse("posting-after-diligent-search", LIEN_SERVICE_LAW, "posting serves the notice only after a diligent search failed to find the owner; none is recorded")
      }
      return summonsMethods.includes(service.method)
        ? ok
        : refuse("lien-notice-served-as-summons", LIEN_SERVICE_LAW, `${service.method} does not serve a summons; use ${summonsMethods.join(", ")}`)
    }
    if (service.method !== "posting-on-property") {
      return refuse("posting-after-diligent-search", LIEN_SERVICE_LAW, `after a diligent search the notice is posted on the property, not served by ${service.method}`)
    }
    const search = ownerNotFound.diligentSearch.completedAt
    if (isAfter(search, service.servedAt)) {
      return refuse("posting-after-diligent-search", LIEN_SERVICE_LAW, "the diligent search must end before the notice is posted")
    }
    return Result.gen(function*() {
      if (isAfter(search, now)) {
        return yield* Result.fail(new ImplausibleInstant({ rule: "act-instant-in-order", command: "ServeLienNotice", field: "ownerNotFound.diligentSearch.completedAt", instant: search, notAfter: now }))
      }
      for (const published of ownerNotFound.publication.publishedAt) {
        yield* actInstant(state, "ServeLienNotice", "ownerNotFound.publication.publishedAt", published, now, search)
      }
      const problem = yield* Result.mapError(publicationProblem(ownerNotFound.publication, jurisdiction.timeZone), (error) =>
        new LienNoticeRefused({ rule: "publication-per-gov-code-6062", law: PUBLICATION_LAW, detail: error.message }))
      if (problem !== undefined) return yield* refuse("publication-per-gov-code-6062", PUBLICATION_LAW, problem)
    })
  }

  // --- building blocks of decisions ----------------------------------------

  const moveTo = (draft: Draft, command: NuisanceCaseCommandName, to: CaseStage, at: DateTime.Utc, comment: string, actor: Actor) => {
    const from = draft.state.stage
    if (!canMove(from, to)) {
      // Unreachable while the stage tables agree with the graph; kept so a
      // wrong table can never produce a move the graph forbids.
      return Result.fail(new WrongCaseStage({ rule: "stage-order", caseId: draft.state.caseId, command, stage: from, allowedStages: [] }))
    }
    emit(draft, { _tag: "CaseStageChanged", ...caseFields(draft.state), from, to, at, comment, by: actorKey(actor) })
    return ok
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

  /**
   * The least notice of a hearing (`periods.hearingNotice`): counted from
   * service like any period; with days, the hearing may be at any time on
   * the last day counted, with hours at or after the instant.
   */
  const minimumHearingNotice = (
    command: NuisanceCaseCommandName,
    servedAt: DateTime.Utc,
    hearingAt: DateTime.Utc
  ): Result.Result<void, HearingNoticeTooShort | DeadlineNotComputable> => {
    const period = settings.periods.hearingNotice
    return Result.flatMap(
      Result.mapError(
        computeDeadline({ start: servedAt, period, rule: "least notice of a hearing (periods.hearingNotice)" }, jurisdiction),
        (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "hearing-request", setBy: "periods.hearingNotice", reason: error.message })
      ),
      (notice) => {
        const earliest = DateTime.toUtc(period.unit === "hours" ? notice.due : DateTime.startOf(notice.due, "day"))
        return isAfter(earliest, hearingAt)
          ? Result.fail(new HearingNoticeTooShort({
            rule: "minimum-hearing-notice",
            command,
            servedAt,
            hearingAt,
            earliest,
            setting: "programs.justiceForNeighbors.periods.hearingNotice"
          }))
          : ok
      }
    )
  }

  /**
   * The hearing officer must be impartial: not an actor who took a step on
   * the case (each step records who took it), and holding no seat of the
   * district team that brought it (`teamSeats`), by the roles the command
   * states and, when the recording actor names itself, by its own roles.
   */
  const impartialOfficer = (
    state: OpenedCase,
    officer: Command<"RecordHearingDecision">["hearingOfficer"],
    actor: Actor
  ): Result.Result<void, HearingOfficerNotImpartial> => {
    const source = "due process: an impartial hearing officer, apart from the advocate (Haas v. County of San Bernardino (2002) 27 Cal.4th 1017; " +
      "Nightlife Partners v. City of Beverly Hills (2003) 108 Cal.App.4th 81; compare Gov. Code 11425.30)"
    const officerKey = actorKey({ _tag: "Staff", id: officer.id, roles: [], districts: [] })
    const tookPart = [
      ...state.comments.map((note) => note.by),
      ...state.policeEvidence.map((evidence) => evidence.by),
      ...(state.summaryAbatement === undefined ? [] : [state.summaryAbatement.by])
    ].includes(officerKey)
    const fields = { rule: "impartial-hearing-officer", officerId: officer.id, setting: "programs.justiceForNeighbors.teamSeats", source } as const
    if (tookPart) return Result.fail(new HearingOfficerNotImpartial({ ...fields, reason: "took-part-in-case", teamRoles: [] }))
    const roles = [...officer.roles, ...(actor._tag === "Staff" && actor.id === officer.id ? actor.roles : [])]
    const teamRoles = settings.teamSeats.filter((seat, index) => roles.includes(seat) && settings.teamSeats.indexOf(seat) === index)
    return teamRoles.length > 0
      ? Result.fail(new HearingOfficerNotImpartial({ ...fields, reason: "holds-team-seat", teamRoles }))
      : ok
  }

  // --- intake ----------------------------------------------------------------

  const openCase = (command: Command<"OpenCase">, state: NuisanceCaseState, context: DecisionContext): Decision =>
    Result.gen(function*() {
      if (state._tag === "OpenedCase") {
        return yield* Result.fail(new CaseAlreadyOpen({ rule: "case-opens-once", caseId: state.caseId, stage: state.stage }))
      }
      const { actor, now } = context
      const source = command.source._tag
      if (actor._tag === "Staff") {
        yield* holdsDuty("OpenCase", actor)
        yield* servesDistrict("OpenCase", actor, command.councilDistrict)
      } else if (actor._tag === "Public" ? source !== "ResidentComplaint" : source !== "ResidentComplaint" && source !== "AnalyticsFinding") {
        // The public reports complaints; the system relays 311 complaints and analytics findings.
        return yield* Result.fail(new ActorKindNotAllowed({ rule: "source-by-actor-kind", command: "OpenCase", actorKind: actor._tag }))
      }
      if (!knownDistricts.includes(command.councilDistrict)) {
        return yield* Result.fail(new CaseDistrictUnknown({ rule: "known-council-district", councilDistrict: command.councilDistrict, known: knownDistricts }))
      }
      yield* policeReferralIntake(command)
      yield* excessiveCallsIntake(command)
      const receivedAt = command.receivedAt ?? now
      if (isAfter(receivedAt, now)) {
        return yield* Result.fail(new ImplausibleInstant({ rule: "act-instant-in-order", command: "OpenCase", field: "receivedAt", instant: receivedAt, notAfter: now }))
      }
      const fields = { caseId: command.caseId, councilDistrict: command.councilDistrict, category: command.category }
      const variant = variantOf(command.category)
      const events: Array<NuisanceCaseEvent> = [
        {
          _tag: "CaseOpened",
          ...fields,
          // Filed under the normalized key, the one a status lookup searches for.
          addressKey: caseAddressKey(command.addressKey),
          source: command.source,
          description: command.description,
          immediateHazard: command.immediateHazard,
          receivedAt,
          variant
        },
        { _tag: "CaseStageChanged", ...fields, from: null, to: "intake", at: receivedAt, comment: command.comment, by: actorKey(actor) }
      ]
      // The owner-engagement path has no inspection: the analytics evidence is the finding.
      if (variant === "standard") {
        const deadline = yield* inspectionDeadline({ receivedAt }, command.immediateHazard)
        events.push({ _tag: "DeadlineSet", ...fields, deadline })
      }
      return events
    })

  // A police referral is checked by what it is based on (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
  const policeReferralIntake = (command: Command<"OpenCase">): Result.Result<void, PoliceReferralRefused> => {
    const source = command.source
    if (source._tag !== "PoliceReferral" || source.basis === "observed-conditions") return ok
    const refuse = (rule: PoliceReferralRefused["rule"], reason: string) =>
      Result.fail(new PoliceReferralRefused({ rule, basis: source.basis, reason, law: CALLS_LAW }))
    if (source.basis === "unrecorded") {
      return refuse(
        "referral-basis-required",
        "a police referral must say what it is based on (calls-for-service, arrest or observed-conditions); unrecorded is only read back from cases opened before it was asked"
      )
    }
    if (source.basis === "calls-for-service") {
      return refuse(
        "calls-for-service-through-analytics",
        "a case based on calls for service opens only from an analytics finding, whose evidence shows the place non-residential and protected calls kept out, re-checked on intake; a referral cannot show that"
      )
    }
    if (source.place === undefined) {
      return refuse(
        "law-enforcement-contact-needs-place",
        "a referral based on an arrest is based on contacts with law enforcement: it must carry the place from the places registry, to show nobody lives there"
      )
    }
    const ineligible = callsForServiceIneligibility(source.place)
    if (ineligible !== undefined) {
      return refuse(
        "law-enforcement-contact-non-residential-only",
        `${homeReason(ineligible)}: no case may be based on contacts with law enforcement at a residence`
      )
    }
    if (caseAddressKey(source.place.addressKey) !== caseAddressKey(command.addressKey)) {
      return refuse("referral-place-matches-case", `the referral's place is ${source.place.addressKey}, the case's ${command.addressKey}`)
    }
    return ok
  }

  const excessiveCallsIntake = (command: Command<"OpenCase">): Result.Result<void, ExcessiveCallsIntakeRefused> => {
    const refuse = (rule: ExcessiveCallsIntakeRefused["rule"], reason: string, law?: string) =>
      Result.fail(new ExcessiveCallsIntakeRefused({ rule, category: command.category, reason, ...(law === undefined ? {} : { law }) }))
    const source = command.source
    const excessive = command.category === "excessive-calls-for-service"
    if (source._tag !== "AnalyticsFinding") {
      return excessive
        ? refuse(
          "excessive-calls-from-analytics",
          "an excessive-calls case opens only from an analytics finding, whose evidence shows the protected calls kept out",
          "Gov. Code 53165; 34 U.S.C. 12495"
        )
        : ok
    }
    if (!excessive) {
      return refuse("analytics-finding-is-excessive-calls", `an analytics finding is about calls for service, not ${command.category}`)
    }
    const evidence = source.evidence
    const ineligible = callsForServiceIneligibility(evidence.place)
    if (ineligible !== undefined) {
      return refuse("non-residential-only", `${homeReason(ineligible)}: only non-residential places may be designated for calls for service`, CALLS_LAW)
    }
    if (caseAddressKey(evidence.addressKey) !== caseAddressKey(command.addressKey)) {
      return refuse("evidence-matches-case", `the evidence is about ${evidence.addressKey}, the case about ${command.addressKey}`)
    }
    const evidenceDistrict = evidence.place.districts.councilDistrict
    if (evidenceDistrict !== undefined && evidenceDistrict !== command.councilDistrict) {
      return refuse("evidence-matches-case", `the place is in council district ${evidenceDistrict}, the case in ${command.councilDistrict}`)
    }
    // Evidence is re-checked, never trusted (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
    const problem = recheckEvidence(evidence, settings.chronicNuisance)
    if (problem !== undefined) {
      return Result.fail(
        new ExcessiveCallsIntakeRefused({
          rule: problem.rule,
          category: command.category,
          reason: problem.reason,
          law: problem.source,
          callKeys: [...problem.callKeys]
        })
      )
    }
    return ok
  }

  // --- the notice and order of a dangerous building ---------------------------

  /**
   * The two deadlines of a dangerous building's notice and order (Sacramento
   * City Code 8.96.130(B)(3)): permits and the start of work within
   * `periods.dangerousBuildingStart` of the date of the order, and
   * completion by the date the order sets, which must come after it.
   */
  const dangerousBuildingOrder = (state: OpenedCase, command: Command<"ServeNoticeOfViolation">, servedAt: DateTime.Utc) =>
    Result.gen(function*() {
      const name = command._tag
      const refuse = (rule: DangerousBuildingOrderRefused["rule"], reason: string) =>
        Result.fail(new DangerousBuildingOrderRefused({ rule, command: name, reason, source: DANGEROUS_BUILDING_ORDER }))
      if (command.orderedAt === undefined || command.completeBy === undefined) {
        return yield* refuse(
          "order-dates-required",
          "a dangerous building's notice and order states the date of the order (orderedAt), from which the time to obtain permits and begin work runs, and the date set for completion (completeBy)"
        )
      }
      // The order is dated after the inspection that found the building dangerous, and at or before its service.
      const orderedAt = yield* actInstant(state, name, "orderedAt", command.orderedAt, servedAt)
      const start = yield* countDeadline(
        "permits-and-work-start",
        `obtain permits and begin work within periods.dangerousBuildingStart of the date of the order (${DANGEROUS_BUILDING_ORDER})`,
        orderedAt,
        settings.periods.dangerousBuildingStart ?? defaultDangerousBuildingStart
      )
      if (!isAfter(start.due, servedAt)) {
        return yield* refuse(
          "start-deadline-after-service",
          `the time to obtain permits and begin work, counted from the order's date, ended at ${DateTime.formatIso(start.due)}, before the notice was served; date a new order`
        )
      }
      const orderDay = yield* localDay(orderedAt, "permits-and-work-start")
      const days = Math.round((Date.parse(`${command.completeBy}T00:00:00Z`) - Date.parse(`${orderDay}T00:00:00Z`)) / 86_400_000)
      const completion = days < 0 ? undefined : yield* countDeadline(
        "compliance",
        `completion by the date set in the order, ${command.completeBy} (${DANGEROUS_BUILDING_ORDER})`,
        orderedAt,
        { amount: days, unit: "calendar-days" }
      )
      if (completion === undefined || !isAfter(completion.due, start.due)) {
        return yield* refuse(
          "completion-after-start-deadline",
          `the order sets completion by ${command.completeBy}, which must come after the deadline to obtain permits and begin work, ${DateTime.formatIso(start.due)}`
        )
      }
      return { orderedAt, completeBy: command.completeBy, start, completion }
    })

  const localDay = (instant: DateTime.Utc, purpose: DeadlinePurpose): Result.Result<string, DeadlineNotComputable> => {
    const zone = DateTime.zoneMakeNamed(jurisdiction.timeZone)
    return Option.isNone(zone)
      ? Result.fail(new DeadlineNotComputable({ rule: "deadline-computable", purpose, setBy: DANGEROUS_BUILDING_ORDER, reason: `unknown time zone ${jurisdiction.timeZone}` }))
      : Result.succeed(DateTime.formatIsoDate(DateTime.setZone(instant, zone.value)))
  }

  // --- the workflow ----------------------------------------------------------

  const step = (command: Exclude<NuisanceCaseCommand, Command<"OpenCase">>, state: OpenedCase, context: DecisionContext): Decision => {
    const { actor, now } = context
    const draft: Draft = { events: [], state }
    const name = command._tag
    return Result.gen(function*() {
      yield* staffOnDuty(name, actor, state.councilDistrict)
      yield* inStage(state, name, nuisanceCaseCommandStages[name])
      switch (command._tag) {
        case "TriageCase": {
          const at = yield* occurred(state, command, now)
          emit(draft, { _tag: "CaseTriaged", ...caseFields(state), immediateHazard: command.immediateHazard, at })
          if (state.variant === "standard" && command.immediateHazard !== state.immediateHazard) {
            const deadline = yield* inspectionDeadline(state, command.immediateHazard)
            emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline })
          }
          yield* moveTo(draft, name, "triaged", at, command.comment, actor)
          return draft.events
        }
        case "RecordInspection": {
          if (state.variant !== "standard") {
            return yield* Result.fail(new WrongCaseStage({ rule: "case-variant", caseId: state.caseId, command: name, stage: state.stage, allowedStages: [] }))
          }
          const at = yield* actInstant(state, name, "inspectedAt", command.inspectedAt, now)
          emit(draft, { _tag: "InspectionRecorded", ...caseFields(state), kind: "inspection", inspectedAt: at, violationFound: command.violationFound })
          closeDeadline(draft, "inspection", at, "satisfied")
          yield* command.violationFound
            ? moveTo(draft, name, "violation-found", at, command.comment, actor)
            : close(draft, name, "no-violation", at, command.comment, actor)
          return draft.events
        }
        case "ServeOwnerLetter": {
          if (state.variant !== "excessive-calls") {
            return yield* Result.fail(new WrongCaseStage({ rule: "case-variant", caseId: state.caseId, command: name, stage: state.stage, allowedStages: [] }))
          }
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          const source = state.source
          const notice = yield* noticeFor(
            state,
            name,
            "owner-letter",
            command.service,
            source._tag !== "AnalyticsFinding" ? Result.succeed({}) : Result.map(
              Result.all([dayInWords(source.evidence.window.fromDay), dayInWords(source.evidence.window.toDay)]),
              ([from, to]) => ({
                callWindow: `${from} to ${to}`,
                callsCounted: String(source.evidence.counted.length),
                thresholdDescription: source.evidence.ruleDescription
              })
            )
          )
          served(draft, command.service, notice)
          yield* moveTo(draft, name, "owner-letter-sent", at, command.comment, actor)
          return draft.events
        }
        case "RecordOwnerMeeting": {
          const at = yield* actInstant(state, name, "heldAt", command.heldAt, now)
          emit(draft, { _tag: "OwnerMeetingRecorded", ...caseFields(state), heldAt: at, outcome: command.outcome })
          if (command.outcome !== "cooperative") {
            yield* moveTo(draft, name, "owner-engagement-failed", at, command.comment, actor)
          } else if (state.stage === "owner-letter-sent") {
            yield* moveTo(draft, name, "owner-met", at, command.comment, actor)
          } else {
            note(draft, at, command.comment, actor)
          }
          return draft.events
        }
        case "AgreeAbatementPlan": {
          const at = yield* actInstant(state, name, "agreedAt", command.agreedAt, now)
          yield* noEvictionPressure(name, "terms", command.terms)
          const deadline = yield* countDeadline(
            "abatement-plan",
            `abatement plan term of periods.compliance.${state.category} from its agreement`,
            at,
            settings.periods.compliance[state.category]
          )
          emit(
            draft,
            { _tag: "AbatementPlanAgreed", ...caseFields(state), agreedAt: at, terms: command.terms },
            { _tag: "DeadlineSet", ...caseFields(state), deadline }
          )
          yield* moveTo(draft, name, "abatement-plan-agreed", at, command.comment, actor)
          return draft.events
        }
        case "ReviewAbatementPlan": {
          const at = yield* actInstant(state, name, "reviewedAt", command.reviewedAt, now)
          yield* passed(state, name, "abatement-plan", at, "no-plan-review-before-term")
          emit(draft, { _tag: "AbatementPlanReviewed", ...caseFields(state), reviewedAt: at, kept: command.kept })
          closeDeadline(draft, "abatement-plan", at, command.kept ? "satisfied" : "expired")
          yield* command.kept
            ? close(draft, name, "abatement-plan-kept", at, command.comment, actor)
            : moveTo(draft, name, "owner-engagement-failed", at, command.comment, actor)
          return draft.events
        }
        case "ServeNoticeOfViolation": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          yield* noEvictionPressure(name, "violations", command.violations)
          if (state.category === "dangerous-building") {
            const order = yield* dangerousBuildingOrder(state, command, at)
            const notice = yield* noticeFor(
              state,
              name,
              "notice-of-violation",
              command.service,
              Result.map(
                Result.all([localDate(order.orderedAt), localDate(order.start.due), localDate(order.completion.due)]),
                ([orderDate, startDue, complianceDue]) => ({
                  violations: [...command.violations],
                  orderDate,
                  startPeriod: describePeriod(order.start.period),
                  startDue,
                  complianceDue
                })
              )
            )
            served(draft, command.service, notice)
            emit(
              draft,
              { _tag: "ViolationsNoticed", ...caseFields(state), violations: command.violations, orderedAt: order.orderedAt, completeBy: order.completeBy },
              { _tag: "DeadlineSet", ...caseFields(state), deadline: order.start },
              { _tag: "DeadlineSet", ...caseFields(state), deadline: order.completion }
            )
            yield* moveTo(draft, name, "notice-of-violation-served", at, command.comment, actor)
            return draft.events
          }
          if (command.orderedAt !== undefined || command.completeBy !== undefined) {
            return yield* Result.fail(new DangerousBuildingOrderRefused({
              rule: "order-dates-dangerous-building-only",
              command: name,
              reason: `a ${state.category} notice's time to comply runs from service; orderedAt and completeBy belong to a dangerous building's notice and order`,
              source: DANGEROUS_BUILDING_ORDER
            }))
          }
          // The time to comply runs from service, not from when the notice was written.
          const deadline = yield* countDeadline(
            "compliance",
            `compliance within periods.compliance.${state.category} of service of the notice of violation`,
            at,
            settings.periods.compliance[state.category]
          )
          const notice = yield* noticeFor(
            state,
            name,
            "notice-of-violation",
            command.service,
            Result.map(localDate(deadline.due), (complianceDue) => ({
              violations: [...command.violations],
              compliancePeriod: describePeriod(settings.periods.compliance[state.category]),
              complianceDue
            }))
          )
          served(draft, command.service, notice)
          emit(
            draft,
            { _tag: "ViolationsNoticed", ...caseFields(state), violations: command.violations },
            { _tag: "DeadlineSet", ...caseFields(state), deadline }
          )
          yield* moveTo(draft, name, "notice-of-violation-served", at, command.comment, actor)
          return draft.events
        }
        case "GrantExtension": {
          const purpose: DeadlinePurpose = state.stage === "abatement-plan-agreed" ? "abatement-plan" : "compliance"
          const previous = currentDeadline(state, purpose)
          // Each stage that allows an extension set its deadline on the way in.
          if (previous === undefined) {
            return yield* Result.fail(new WrongCaseStage({ rule: "stage-order", caseId: state.caseId, command: name, stage: state.stage, allowedStages: [] }))
          }
          const at = yield* occurred(state, command, now)
          // The new deadline counts from the old one while it still runs,
          // and from the grant once it has passed (after a failed reinspection).
          const deadline = yield* countDeadline(
            purpose,
            `extension of the ${purpose} deadline by ${command.period.amount} ${command.period.unit}`,
            later(previous.due, at),
            command.period
          )
          emit(
            draft,
            {
              _tag: "ExtensionGranted",
              ...caseFields(state),
              purpose,
              grantedAt: at,
              period: command.period,
              reason: command.reason,
              previousDue: previous.due,
              newDue: deadline.due
            },
            { _tag: "DeadlineSet", ...caseFields(state), deadline }
          )
          if (state.stage === "reinspection-failed") {
            yield* moveTo(draft, name, "notice-of-violation-served", at, command.reason, actor)
          }
          return draft.events
        }
        case "RecordReinspection": {
          const at = yield* actInstant(state, name, "inspectedAt", command.inspectedAt, now)
          const duties = command.startDuties
          const start = currentDeadline(state, "permits-and-work-start")
          if (duties !== undefined && start === undefined) {
            return yield* Result.fail(new DangerousBuildingOrderRefused({
              rule: "start-duties-dangerous-building-only",
              command: name,
              reason: "no notice and order of a dangerous building set a deadline to obtain permits and begin work on this case",
              source: DANGEROUS_BUILDING_ORDER
            }))
          }
          const startDone = duties !== undefined && duties.permitsObtained && duties.workBegun
          // Once the start deadline has closed (missed, then extended), the completion date governs.
          const startMissed = duties !== undefined && !startDone && start?.status === "open"
          emit(draft, {
            _tag: "InspectionRecorded",
            ...caseFields(state),
            kind: "reinspection",
            inspectedAt: at,
            violationFound: !command.compliant,
            ...(duties === undefined ? {} : { startDuties: duties })
          })
          if (command.compliant) {
            closeDeadline(draft, "permits-and-work-start", at, "satisfied")
            closeDeadline(draft, "compliance", at, "satisfied")
            yield* close(draft, name, "complied", at, command.comment, actor)
          } else if (state.stage === "notice-of-violation-served" && startMissed) {
            // Sacramento City Code 8.96.130(B)(3): permits not obtained or
            // work not begun is non-compliance once the start deadline has
            // passed, before the completion date.
            yield* passed(state, name, "permits-and-work-start", at, "non-compliance-after-start-deadline")
            closeDeadline(draft, "permits-and-work-start", at, "expired")
            closeDeadline(draft, "compliance", at, "cancelled")
            yield* moveTo(draft, name, "reinspection-failed", at, command.comment, actor)
          } else if (state.stage === "notice-of-violation-served" && startDone && !isAfter(at, currentDeadline(state, "compliance")?.due ?? at)) {
            // Permits obtained and work begun: the start deadline is met; the work has until the completion date.
            closeDeadline(draft, "permits-and-work-start", at, "satisfied")
            note(draft, at, command.comment, actor)
          } else if (state.stage === "notice-of-violation-served") {
            // Non-compliance can only be found once the time to comply is over.
            yield* passed(state, name, "compliance", at, "non-compliance-after-compliance-deadline")
            closeDeadline(draft, "permits-and-work-start", at, startDone ? "satisfied" : "expired")
            closeDeadline(draft, "compliance", at, "expired")
            yield* moveTo(draft, name, "reinspection-failed", at, command.comment, actor)
          } else {
            note(draft, at, command.comment, actor)
          }
          return draft.events
        }
        case "ServeNoticeOfPublicNuisance": {
          // No escalation before the compliance deadline: the failed
          // reinspection this stage needs was only accepted after it, and
          // service cannot predate that reinspection.
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          served(draft, command.service, yield* noticeFor(state, name, "notice-of-public-nuisance", command.service))
          yield* hearingRequestDeadline(draft, "notice of public nuisance", at)
          yield* moveTo(draft, name, "public-nuisance-declared", at, command.comment, actor)
          return draft.events
        }
        case "IssueCitation": {
          // The reasonable period to correct that comes before any fine (Gov.
          // Code 53069.4(a)(2)) is the compliance period, over since the failed reinspection.
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          if (state.citations.some((citation) => citation.citationNumber === command.citationNumber)) {
            return yield* Result.fail(new CitationRefused({ rule: "citation-number-unique", citationNumber: command.citationNumber, reason: "the number is already on this case" }))
          }
          // Repeats count per property, responsible person and ordinance,
          // across cases (Gov. Code 36900(b), through 53069.4(a)(1)): this
          // case's own citations of the person and section that stand, and
          // the other cases' from the command (see IssueCitation: the trust
          // boundary). A citation recorded without a person counts for nobody.
          const priors = priorViolationsOutside(state.caseId, command.priorViolations, at)
          const earlier = [
            ...state.citations
              .filter((citation) =>
                citation.codeSection === command.codeSection &&
                citation.responsiblePersonId === command.responsiblePersonId &&
                citation.status !== "cancelled"
              )
              .map((citation) => citation.issuedAt),
            ...priors.map((prior) => prior.issuedAt)
          ]
          const cap = yield* Result.mapError(
            fineCapFor({
              caps: settings.fineCaps,
              schedule: command.schedule,
              earlier,
              at,
              timeZone: jurisdiction.timeZone,
              commercialBuilding: command.commercialBuilding,
              ownerHadTimeToCorrect: ownerHadTimeToCorrect(state)
            }),
            (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "compliance", setBy: "administrative fine window", reason: error.message })
          )
          yield* checkFine(command.citationNumber, command.amountInDollars, cap)
          const requestWindow = yield* hearingRequestWindow("administrative citation", at)
          const notice = yield* noticeFor(
            state,
            name,
            "administrative-citation",
            command.service,
            Result.map(localDate(requestWindow.due), (hearingRequestBy) => ({
              citationNumber: command.citationNumber,
              violationOrdinal: violationOrdinal(cap.violationNumber),
              fineSchedule: command.schedule,
              fineAmount: formatDollars(command.amountInDollars),
              fineCap: formatDollars(cap.capInDollars),
              hearingRequestBy,
              courtAppealPeriod
            }))
          )
          emit(draft, {
            _tag: "CitationIssued",
            ...caseFields(state),
            citationNumber: command.citationNumber,
            codeSection: command.codeSection,
            schedule: command.schedule,
            amountInDollars: command.amountInDollars,
            violationNumber: cap.violationNumber,
            capInDollars: cap.capInDollars,
            windowDays: cap.windowDays,
            issuedAt: at,
            documentId: notice.id,
            responsiblePersonId: command.responsiblePersonId,
            priorViolations: priors,
            ...(command.commercialBuilding === undefined ? {} : { commercialBuilding: command.commercialBuilding })
          })
          served(draft, command.service, notice)
          emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline: requestWindow })
          if (state.stage === "cited") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "cited", at, command.comment, actor)
          return draft.events
        }
        case "ServeHearingNotice": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          if (!isAfter(command.hearingAt, at)) {
            return yield* Result.fail(new ImplausibleInstant({ rule: "hearing-after-notice", command: name, field: "hearingAt", instant: command.hearingAt, notBefore: at }))
          }
          yield* minimumHearingNotice(name, at, command.hearingAt)
          const notice = yield* noticeFor(
            state,
            name,
            "hearing-notice",
            command.service,
            Result.map(formatNoticeDateTime(command.hearingAt, jurisdiction.timeZone), (hearingDateTime) => ({ hearingDateTime, courtAppealPeriod }))
          )
          served(draft, command.service, notice)
          emit(draft, { _tag: "HearingScheduled", ...caseFields(state), hearingAt: command.hearingAt })
          // Once a hearing is set, the time to ask for one no longer matters.
          closeDeadline(draft, "hearing-request", at, "cancelled")
          if (state.stage === "hearing-scheduled") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "hearing-scheduled", at, command.comment, actor)
          return draft.events
        }
        case "RequestHearing": {
          const at = yield* actInstant(state, name, "requestedAt", command.requestedAt, now)
          const window = currentDeadline(state, "hearing-request")
          if (window !== undefined && isAfter(at, window.due)) {
            return yield* Result.fail(new TooLate({ rule: "hearing-request-window", command: name, waitsFor: "hearing-request", setBy: window.rule, due: window.due, at }))
          }
          emit(draft, { _tag: "HearingRequested", ...caseFields(state), requestedAt: at, ...(command.contests === undefined ? {} : { contests: command.contests }) })
          closeDeadline(draft, "hearing-request", at, "satisfied")
          note(draft, at, command.comment, actor)
          return draft.events
        }
        case "RecordHearingDecision": {
          const at = yield* actInstant(state, name, "decidedAt", command.decidedAt, now)
          yield* impartialOfficer(state, command.hearingOfficer, actor)
          const hearingAt = state.hearing?.hearingAt
          if (hearingAt !== undefined && isAfter(hearingAt, at)) {
            return yield* Result.fail(new TooEarly({ rule: "no-decision-before-hearing", command: name, waitsFor: "hearing", setBy: "the hearing notice", due: hearingAt, at }))
          }
          const cancelledCitations = command.outcome === "overturned"
            ? state.citations.filter((citation) => citation.status === "unpaid").map((citation) => citation.citationNumber)
            : []
          emit(draft, {
            _tag: "HearingDecided",
            ...caseFields(state),
            decidedAt: at,
            outcome: command.outcome,
            cancelledCitations,
            hearingOfficer: command.hearingOfficer,
            findings: command.findings
          })
          yield* command.outcome === "upheld"
            ? moveTo(draft, name, "hearing-decided", at, command.comment, actor)
            : close(draft, name, "overturned-at-hearing", at, command.comment, actor)
          return draft.events
        }
        case "ServeHearingDecision": {
          // The decision is the final administrative decision: its service,
          // not the order that carries it out, starts the court appeal.
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          const hearing = state.hearing
          const notice = yield* noticeFor(
            state,
            name,
            "hearing-decision",
            command.service,
            hearing === undefined ? Result.succeed({ courtAppealPeriod }) : Result.map(localDate(hearing.hearingAt), (hearingDate): NoticeData => ({
              hearingDate,
              courtAppealPeriod,
              ...(hearing.outcome === undefined ? {} : { outcome: hearing.outcome }),
              ...(hearing.findings === undefined ? {} : { findings: [...hearing.findings] }),
              ...(hearing.hearingOfficer?.name === undefined ? {} : { hearingOfficerName: hearing.hearingOfficer.name })
            }))
          )
          served(draft, command.service, notice)
          yield* courtAppealDeadline(draft, "hearing decision", at)
          note(draft, at, command.comment, actor)
          return draft.events
        }
        case "ServeAbatementOrder": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          const refuse = (rule: DueProcessRefused["rule"], reason: string, source: string) =>
            Result.fail(new DueProcessRefused({ rule, command: name, reason, source }))
          if (state.stage === "public-nuisance-declared" || state.stage === "cited") {
            // Without a hearing: after notice and the opportunity for one.
            if (state.hearingRequest !== undefined) {
              return yield* refuse(
                "requested-hearing-before-abatement-order",
                "the owner requested a hearing; it must be held and decided first",
                "due process: notice and an opportunity to be heard before the order"
              )
            }
            yield* passed(state, name, "hearing-request", at, "no-abatement-order-before-hearing-request-deadline")
            closeDeadline(draft, "hearing-request", at, "expired")
            served(draft, command.service, yield* noticeFor(state, name, "abatement-order", command.service, Result.succeed({ afterHearing: "no", courtAppealPeriod })))
            // With no hearing, the order is the final administrative order.
            yield* courtAppealDeadline(draft, "abatement order", at)
          } else {
            if (state.stage === "hearing-decided" && lastServed(state, "hearing-decision") === undefined) {
              return yield* refuse(
                "decision-served-before-abatement-order",
                "the hearing decision has not been served; its service starts the court appeal",
                "Gov. Code 53069.4(b)(1)"
              )
            }
            // After a hearing the order carries out the served decision, whose
            // appeal window keeps running; after the court upheld it, there is
            // nothing left to appeal administratively.
            served(draft, command.service, yield* noticeFor(state, name, "abatement-order", command.service, Result.succeed({ afterHearing: "yes", courtAppealPeriod })))
          }
          yield* moveTo(draft, name, "abatement-ordered", at, command.comment, actor)
          return draft.events
        }
        case "RecordCourtAppeal": {
          const at = yield* actInstant(state, name, "filedAt", command.filedAt, now)
          const window = currentDeadline(state, "court-appeal")
          if (window !== undefined && isAfter(at, window.due)) {
            return yield* Result.fail(new TooLate({ rule: "court-appeal-window", command: name, waitsFor: "court-appeal", setBy: window.rule, due: window.due, at }))
          }
          emit(draft, { _tag: "CourtAppealFiled", ...caseFields(state), filedAt: at, courtCaseNumber: command.courtCaseNumber })
          closeDeadline(draft, "court-appeal", at, "satisfied")
          yield* moveTo(draft, name, "court-appeal", at, command.comment, actor)
          return draft.events
        }
        case "RecordCourtDecision": {
          const at = yield* actInstant(state, name, "decidedAt", command.decidedAt, now)
          emit(draft, { _tag: "CourtAppealDecided", ...caseFields(state), decidedAt: at, outcome: command.outcome })
          yield* command.outcome === "upheld"
            ? moveTo(draft, name, "order-upheld", at, command.comment, actor)
            : close(draft, name, "overturned-in-court", at, command.comment, actor)
          return draft.events
        }
        case "RecordCityAbatement": {
          const at = yield* actInstant(state, name, "completedAt", command.completedAt, now)
          yield* noEvictionPressure(name, "work", command.work)
          if (lastServed(state, "abatement-order") === undefined) {
            return yield* Result.fail(new DueProcessRefused({
              rule: "abatement-order-before-city-abatement",
              command: name,
              reason: "no abatement order was served on the owner; serve it first (or record a summary abatement of an imminent hazard)",
              source: "Gov. Code 38773"
            }))
          }
          if (state.stage === "abatement-ordered" && state.courtAppeal === undefined) {
            // The order is final only once the owner can no longer appeal it
            // (or, once appealed, when the court upheld it).
            yield* passed(state, name, "court-appeal", at, "no-city-abatement-during-court-appeal-window")
            closeDeadline(draft, "court-appeal", at, "expired")
          }
          emit(draft, { _tag: "CityAbatementRecorded", ...caseFields(state), completedAt: at, work: command.work, costInDollars: command.costInDollars })
          yield* moveTo(draft, name, "city-abated", at, command.comment, actor)
          return draft.events
        }
        case "RecordSummaryAbatement": {
          if (state.variant !== "standard") {
            return yield* Result.fail(new WrongCaseStage({ rule: "case-variant", caseId: state.caseId, command: name, stage: state.stage, allowedStages: [] }))
          }
          const at = yield* actInstant(state, name, "completedAt", command.completedAt, now)
          const deadline = yield* countDeadline(
            "post-abatement-notice",
            "notice to the owner within periods.postAbatementNotice of a summary abatement (the city's summary abatement ordinance)",
            at,
            settings.periods.postAbatementNotice
          )
          // The case leaves the stages whose deadlines waited for the owner.
          for (const open of draft.state.deadlines) {
            if (open.status === "open") closeDeadline(draft, open.purpose, at, "cancelled")
          }
          emit(
            draft,
            { _tag: "SummaryAbatementRecorded", ...caseFields(state), completedAt: at, reason: command.reason, by: actorKey(actor) },
            { _tag: "CityAbatementRecorded", ...caseFields(state), completedAt: at, work: command.work, costInDollars: command.costInDollars },
            { _tag: "DeadlineSet", ...caseFields(state), deadline }
          )
          yield* moveTo(draft, name, "city-abated", at, command.comment, actor)
          return draft.events
        }
        case "ServePostAbatementNotice": {
          if (state.summaryAbatement === undefined || lastServed(state, "post-abatement-notice") !== undefined) {
            return yield* Result.fail(new DueProcessRefused({
              rule: "post-abatement-notice-after-summary-abatement",
              command: name,
              reason: state.summaryAbatement === undefined ? "no summary abatement is on record" : "the notice after the fact was already served",
              source: "the city's summary abatement ordinance"
            }))
          }
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          const due = currentDeadline(state, "post-abatement-notice")?.due
          const summary = state.summaryAbatement
          const abatement = state.abatement
          const notice = yield* noticeFor(
            state,
            name,
            "post-abatement-notice",
            command.service,
            Result.map(localDate(summary.completedAt), (abatedOn): NoticeData => ({
              abatedOn,
              hazardReason: summary.reason,
              ...(abatement === undefined ? {} : { workDone: [abatement.work], abatementCost: formatDollars(abatement.costInDollars) })
            }))
          )
          served(draft, command.service, notice)
          // Late notice is still notice: it is served, and the deadline is on record as missed.
          closeDeadline(draft, "post-abatement-notice", at, due !== undefined && isAfter(at, due) ? "expired" : "satisfied")
          note(draft, at, command.comment, actor)
          return draft.events
        }
        case "InvoiceCosts": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          if (state.summaryAbatement !== undefined && lastServed(state, "post-abatement-notice") === undefined) {
            return yield* Result.fail(new DueProcessRefused({
              rule: "notice-after-summary-abatement-before-invoice",
              command: name,
              reason: "the notice after the fact of the summary abatement has not been served",
              source: "due process: notice before any charge; the city's summary abatement ordinance"
            }))
          }
          const cost = state.abatement?.costInDollars ?? 0
          if (toCents(command.amountInDollars) > toCents(cost)) {
            return yield* Result.fail(new AmountRefused({ rule: "invoice-within-costs", command: name, amountInDollars: command.amountInDollars, limitInDollars: cost }))
          }
          const deadline = yield* countDeadline(
            "cost-payment",
            "payment within periods.costPayment of service of the cost invoice",
            at,
            settings.periods.costPayment
          )
          const notice = yield* noticeFor(
            state,
            name,
            "cost-invoice",
            command.service,
            Result.map(localDate(deadline.due), (payBy) => ({ totalCost: formatDollars(command.amountInDollars), payBy }))
          )
          emit(draft, { _tag: "CostsInvoiced", ...caseFields(state), invoicedAt: at, amountInDollars: command.amountInDollars, documentId: notice.id })
          served(draft, command.service, notice)
          emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline })
          yield* moveTo(draft, name, "costs-invoiced", at, command.comment, actor)
          return draft.events
        }
        case "RecordPayment": {
          const toward = command.toward
          if (toward._tag === "Citation") {
            const citation = state.citations.find((c) => c.citationNumber === toward.citationNumber)
            if (citation === undefined) {
              return yield* Result.fail(new CitationRefused({ rule: "citation-must-exist", citationNumber: toward.citationNumber, reason: "no such citation on this case" }))
            }
            if (citation.status !== "unpaid") {
              return yield* Result.fail(new CitationRefused({ rule: "citation-payable", citationNumber: toward.citationNumber, reason: `the citation is ${citation.status}` }))
            }
            const at = yield* actInstant(state, name, "paidAt", command.paidAt, now, citation.issuedAt)
            const balance = citationBalance(citation)
            if (toCents(command.amountInDollars) > toCents(balance)) {
              return yield* Result.fail(new AmountRefused({ rule: "payment-within-balance", command: name, amountInDollars: command.amountInDollars, limitInDollars: balance }))
            }
            emit(draft, { _tag: "PaymentRecorded", ...caseFields(state), paidAt: at, amountInDollars: command.amountInDollars, toward, ...(command.receiptNumber === undefined ? {} : { receiptNumber: command.receiptNumber }) })
            return draft.events
          }
          const balance = costBalance(state)
          if (toCents(command.amountInDollars) > toCents(balance)) {
            return yield* Result.fail(new AmountRefused({ rule: "payment-within-balance", command: name, amountInDollars: command.amountInDollars, limitInDollars: balance }))
          }
          const invoiced = lastServed(state, "cost-invoice")?.servedAt ?? state.stageSince
          const at = yield* actInstant(state, name, "paidAt", command.paidAt, now, invoiced)
          emit(draft, { _tag: "PaymentRecorded", ...caseFields(state), paidAt: at, amountInDollars: command.amountInDollars, toward, ...(command.receiptNumber === undefined ? {} : { receiptNumber: command.receiptNumber }) })
          if (costBalance(draft.state) === 0) closeDeadline(draft, "cost-payment", at, "satisfied")
          return draft.events
        }
        case "ServeLienNotice": {
          const service = command.service
          const at = yield* actInstant(state, name, "service.servedAt", service.servedAt, now)
          if (state.stage === "costs-invoiced") {
            yield* passed(state, name, "cost-payment", at, "no-lien-before-payment-deadline")
          }
          const balance = costBalance(state)
          if (balance <= 0) {
            return yield* Result.fail(new NothingOwed({ rule: "lien-needs-unpaid-balance", command: name, invoicedInDollars: state.costs.invoicedInDollars, paidInDollars: state.costs.paidInDollars }))
          }
          yield* lienNoticeServedRight(state, command, now)
          const recording = yield* Result.mapError(
            lienRecordingDeadline(jurisdiction, lienNoticePeriod(settings.periods), { servedAt: at, ownerNotFound: command.ownerNotFound }),
            (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "lien-recording", setBy: "lien notice", reason: error.message })
          )
          const deadline: CaseDeadline = {
            purpose: "lien-recording",
            rule: recording.deadline.rule,
            start: DateTime.toUtc(recording.deadline.start),
            due: DateTime.toUtc(recording.deadline.due),
            period: recording.deadline.period
          }
          // The notice's "on or after" date is the first day of recording the case itself enforces.
          const notice = yield* noticeFor(
            state,
            name,
            "lien-notice",
            service,
            Result.map(localDate(firstRecordingInstant(recording.deadline.due)), (recordingOn) => ({ lienAmount: formatDollars(balance), recordingOn }))
          )
          closeDeadline(draft, "cost-payment", at, "expired")
          served(draft, service, notice)
          emit(
            draft,
            {
              _tag: "LienNoticeServed",
              ...caseFields(state),
              servedAt: at,
              completedAt: recording.completedAt,
              amountInDollars: balance,
              documentId: notice.id,
              ...(command.ownerNotFound === undefined ? {} : { ownerNotFound: command.ownerNotFound })
            },
            { _tag: "DeadlineSet", ...caseFields(state), deadline }
          )
          if (state.stage === "lien-noticed") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "lien-noticed", at, command.comment, actor)
          return draft.events
        }
        case "RecordLien": {
          const at = yield* actInstant(state, name, "recordedAt", command.recordedAt, now)
          yield* passed(state, name, "lien-recording", at, "no-lien-before-notice-period")
          const balance = costBalance(state)
          if (balance <= 0) {
            return yield* Result.fail(new NothingOwed({ rule: "lien-needs-unpaid-balance", command: name, invoicedInDollars: state.costs.invoicedInDollars, paidInDollars: state.costs.paidInDollars }))
          }
          emit(draft, {
            _tag: "LienRecorded",
            ...caseFields(state),
            recordedAt: at,
            amountInDollars: balance,
            ...(command.recorderDocumentNumber === undefined ? {} : { recorderDocumentNumber: command.recorderDocumentNumber })
          })
          closeDeadline(draft, "lien-recording", at, "satisfied")
          yield* moveTo(draft, name, "lien-recorded", at, command.comment, actor)
          return draft.events
        }
        case "ServeSpecialAssessmentNotice": {
          const service = command.service
          const at = yield* actInstant(state, name, "service.servedAt", service.servedAt, now)
          if (state.stage === "costs-invoiced") {
            yield* passed(state, name, "cost-payment", at, "no-special-assessment-before-payment-deadline")
          }
          const balance = costBalance(state)
          if (balance <= 0) {
            return yield* Result.fail(new NothingOwed({ rule: "lien-needs-unpaid-balance", command: name, invoicedInDollars: state.costs.invoicedInDollars, paidInDollars: state.costs.paidInDollars }))
          }
          if (service.personServed.capacity !== "owner") {
            return yield* Result.fail(new SpecialAssessmentRefused({
              rule: "special-assessment-notice-to-owner",
              law: SPECIAL_ASSESSMENT_LAW,
              detail: `the notice goes to the owner of the property, not to the ${service.personServed.capacity}`
            }))
          }
          if (service.method !== "certified-mail") {
            return yield* Result.fail(new SpecialAssessmentRefused({
              rule: "special-assessment-notice-by-certified-mail",
              law: SPECIAL_ASSESSMENT_LAW,
              detail: `the notice is sent by certified mail, not by ${service.method}`
            }))
          }
          if (!isAfter(command.hearingAt, at)) {
            return yield* Result.fail(new ImplausibleInstant({ rule: "hearing-after-notice", command: name, field: "hearingAt", instant: command.hearingAt, notBefore: at }))
          }
          const notice = yield* noticeFor(
            state,
            name,
            "special-assessment-notice",
            service,
            Result.map(formatNoticeDateTime(command.hearingAt, jurisdiction.timeZone), (hearingDateTime) => ({ assessmentAmount: formatDollars(balance), hearingDateTime }))
          )
          closeDeadline(draft, "cost-payment", at, "expired")
          served(draft, service, notice)
          emit(draft, { _tag: "SpecialAssessmentNoticed", ...caseFields(state), servedAt: at, hearingAt: command.hearingAt, amountInDollars: balance, documentId: notice.id })
          if (state.stage === "special-assessment-noticed") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "special-assessment-noticed", at, command.comment, actor)
          return draft.events
        }
        case "RecordSpecialAssessment": {
          const at = yield* actInstant(state, name, "confirmedAt", command.confirmedAt, now)
          const hearingAt = state.specialAssessment?.hearingAt
          if (hearingAt !== undefined && isAfter(hearingAt, at)) {
            return yield* Result.fail(new TooEarly({ rule: "no-special-assessment-before-hearing", command: name, waitsFor: "hearing", setBy: "the special assessment notice (Gov. Code 38773.5)", due: hearingAt, at }))
          }
          const balance = costBalance(state)
          if (balance <= 0) {
            return yield* Result.fail(new NothingOwed({ rule: "lien-needs-unpaid-balance", command: name, invoicedInDollars: state.costs.invoicedInDollars, paidInDollars: state.costs.paidInDollars }))
          }
          emit(draft, {
            _tag: "SpecialAssessmentRecorded",
            ...caseFields(state),
            confirmedAt: at,
            amountInDollars: balance,
            ...(command.resolutionNumber === undefined ? {} : { resolutionNumber: command.resolutionNumber })
          })
          yield* moveTo(draft, name, "special-assessment-recorded", at, command.comment, actor)
          return draft.events
        }
        case "FileCivilAction": {
          const at = yield* actInstant(state, name, "filedAt", command.filedAt, now)
          if (state.stage === "costs-invoiced") {
            yield* passed(state, name, "cost-payment", at, "no-civil-action-before-payment-deadline")
            closeDeadline(draft, "cost-payment", at, "expired")
          }
          if (state.civilActions.some((action) => action.kind === command.kind && action.outcome === undefined)) {
            return yield* Result.fail(new CivilActionRefused({ rule: "civil-action-once-per-kind", kind: command.kind, reason: "one of this kind is already pending" }))
          }
          emit(draft, { _tag: "CivilActionFiled", ...caseFields(state), kind: command.kind, courtCaseNumber: command.courtCaseNumber, filedAt: at })
          if (state.stage === "civil-action") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "civil-action", at, command.comment, actor)
          return draft.events
        }
        case "ConcludeCivilAction": {
          const at = yield* actInstant(state, name, "concludedAt", command.concludedAt, now)
          if (!state.civilActions.some((action) => action.kind === command.kind && action.outcome === undefined)) {
            return yield* Result.fail(new CivilActionRefused({ rule: "civil-action-must-be-pending", kind: command.kind, reason: "none of this kind is pending" }))
          }
          emit(draft, { _tag: "CivilActionConcluded", ...caseFields(state), kind: command.kind, outcome: command.outcome, concludedAt: at })
          note(draft, at, command.comment, actor)
          return draft.events
        }
        case "CloseCase": {
          yield* inStage(state, name, manualClosureStages[command.reason], "closure-by-stage")
          if (command.reason === "costs-recovered" && costBalance(state) > 0) {
            return yield* Result.fail(new ClosureRefused({ rule: "close-when-nothing-owed", reason: command.reason, detail: `$${costBalance(state)} of abatement costs is unpaid` }))
          }
          const pending = state.civilActions.filter((action) => action.outcome === undefined)
          if (command.reason === "civil-action-concluded" && pending.length > 0) {
            return yield* Result.fail(new ClosureRefused({ rule: "close-when-civil-actions-concluded", reason: command.reason, detail: `pending: ${pending.map((action) => action.kind).join(", ")}` }))
          }
          yield* close(draft, name, command.reason, yield* occurred(state, command, now), command.comment, actor)
          return draft.events
        }
        case "AttachPoliceEvidence": {
          emit(draft, {
            _tag: "PoliceEvidenceAttached",
            ...caseFields(state),
            attachedAt: yield* occurred(state, command, now),
            description: command.description,
            by: actorKey(actor),
            ...(command.reportNumber === undefined ? {} : { reportNumber: command.reportNumber })
          })
          return draft.events
        }
        case "CommentOnCase": {
          note(draft, yield* occurred(state, command, now), command.comment, actor)
          return draft.events
        }
      }
    })
  }

  return {
    initialState: initialNuisanceCaseState,
    decide: (command, state, context) =>
      Result.gen(function*() {
        const checked = yield* checkNuisanceCaseCommand(command)
        if (checked._tag === "OpenCase") return yield* openCase(checked, state, context)
        if (state._tag === "NoCase") {
          return yield* Result.fail(new CaseNotFound({ rule: "case-must-exist", caseId: checked.caseId, command: checked._tag }))
        }
        if (state.stage === "closed") {
          return yield* Result.fail(new ActionOnClosedCase({
            rule: "closed-case-is-final",
            caseId: state.caseId,
            command: checked._tag,
            closedAt: state.stageSince,
            ...(state.closure === undefined ? {} : { reason: state.closure.reason })
          }))
        }
        return yield* step(checked, state, context)
      }),
    evolve: evolveNuisanceCase
  }
}

/**
 * The nuisance case aggregate for a jurisdiction: its decider, command
 * schema, event catalog, one stream per case (`nuisance-case-<caseId>`),
 * and the access each command asks for (action `nuisance-case.<command>`,
 * resource `nuisance-case` in the case's council district).
 *
 * @example
 * ```ts
 * const cases = nuisanceCase(sacramento, { templates: sacramentoNoticeTemplates })
 * yield* handleCommand(cases, { tenantId: "sacramento", commandId, actor, command })
 * ```
 */
export const nuisanceCase = (
  jurisdiction: Jurisdiction,
  options: NuisanceCaseOptions = {}
): Aggregate<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal> => ({
  name: NUISANCE_CASE_RESOURCE,
  commands: NuisanceCaseCommand,
  events: nuisanceCaseEvents,
  decider: nuisanceCaseDecider(jurisdiction, options),
  state: NuisanceCaseStateSchema,
  streamId: (command) => nuisanceCaseStreamId(command.caseId),
  access: (command, state) => ({
    action: nuisanceCaseAction(command._tag),
    resource: {
      type: NUISANCE_CASE_RESOURCE,
      id: command.caseId,
      districts: command._tag === "OpenCase"
        ? [command.councilDistrict]
        : state._tag === "OpenedCase"
        ? [state.councilDistrict]
        : []
    }
  })
})

/** The documents among a case's events, as the case produced and served them, oldest first. */
export const servedNotices = (events: ReadonlyArray<NuisanceCaseEvent>): ReadonlyArray<NoticeDocument> =>
  events.flatMap((event) => event._tag === "DocumentServed" && event.notice !== undefined ? [event.notice] : [])

/**
 * The documents a command would serve on a case, made by the case exactly
 * as it will make them when the command is handled, without changing
 * anything: for an app that prints a notice before serving it. Give the
 * command with the instant of service it will carry; once served, report
 * it with `service.documentId` set to the document's id, and the case
 * refuses it if what it would produce then differs from what was printed.
 * Empty for a command that serves no document; the refusal when the case
 * would refuse the command.
 *
 * @example
 * ```ts
 * const { state } = yield* loadStream(cases, "sacramento", nuisanceCaseStreamId("2026-000123"))
 * const [notice] = yield* Effect.fromResult(previewNuisanceCaseNotices(cases.decider, state, command, { now, actor }))
 * ```
 */
export const previewNuisanceCaseNotices = (
  decider: Decider<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal>,
  state: NuisanceCaseState,
  command: NuisanceCaseCommand,
  context: DecisionContext
): Result.Result<ReadonlyArray<NoticeDocument>, NuisanceCaseRefusal> =>
  Result.map(decider.decide(command, state, context), servedNotices)
