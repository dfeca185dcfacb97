/**
 * The nuisance case: the code enforcement workflow of a Justice for
 * Neighbors team as a pure decider, from intake to closure, through notice
 * of violation, reinspection, extension, notice of public nuisance,
 * administrative citations, hearing and appeal, abatement order, city
 * abatement, cost recovery (invoice, then lien) and civil action; with the
 * owner-engagement path (letter, meeting, abatement plan) for a
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
import { recheckEvidence } from "./ChronicCallers.ts"
import { evictionPressure } from "./EvictionPressure.ts"
import { canMove, type CaseStage, CaseStage as CaseStageSchema, type ClosureReason, variantOf } from "./CaseStage.ts"
import type { NoticeKind } from "./NoticeKind.ts"
import {
  checkNuisanceCaseCommand,
  NuisanceCaseCommand,
  type NuisanceCaseCommandName,
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
  DangerousBuildingOrderRefused,
  DutyNotHeld,
  EvictionPressureRefused,
  ExcessiveCallsIntakeRefused,
  ImplausibleInstant,
  NothingOwed,
  type NuisanceCaseRefusal,
  OutsideCaseDistrict,
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
  ServeHearingNotice: "serve-notice",
  RecordHearingDecision: "record-hearing",
  ServeAbatementOrder: "serve-notice",
  RecordCourtAppeal: "record-hearing",
  RecordCourtDecision: "record-hearing",
  RecordCityAbatement: "abate",
  InvoiceCosts: "serve-notice",
  RecordPayment: "record-payment",
  RecordLien: "serve-notice",
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
  ServeHearingNotice: ["cited", "hearing-scheduled"],
  RecordHearingDecision: ["hearing-scheduled"],
  ServeAbatementOrder: ["hearing-decided"],
  RecordCourtAppeal: ["abatement-ordered"],
  RecordCourtDecision: ["court-appeal"],
  RecordCityAbatement: ["abatement-ordered", "order-upheld"],
  InvoiceCosts: ["city-abated"],
  RecordPayment: openStages,
  RecordLien: ["costs-invoiced"],
  FileCivilAction: ["costs-invoiced", "lien-recorded", "civil-action"],
  ConcludeCivilAction: ["civil-action"],
  CloseCase: ["costs-invoiced", "lien-recorded", "civil-action"],
  AttachPoliceEvidence: openStages,
  CommentOnCase: openStages
}

/** The stages in which each closing reason a person decides may be used. */
export const manualClosureStages: { readonly [R in "costs-recovered" | "lien-recorded" | "civil-action-concluded"]: ReadonlyArray<CaseStage> } = {
  "costs-recovered": ["costs-invoiced", "lien-recorded"],
  "lien-recorded": ["lien-recorded"],
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

const caseFields = (state: OpenedCase) => ({
  caseId: state.caseId,
  councilDistrict: state.councilDistrict,
  category: state.category
})

/**
 * Builds the decider of nuisance cases for a jurisdiction: periods, caps,
 * duties and districts all come from its configuration.
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
  jurisdiction: Jurisdiction
): Decider<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal> => {
  const settings = jurisdiction.programs.justiceForNeighbors
  const knownDistricts = jurisdiction.councilDistricts.map((district) => district.id)

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

  const served = (draft: Draft, kind: NoticeKind, service: ServiceOfNotice) =>
    emit(draft, { _tag: "DocumentServed", ...caseFields(draft.state), document: { kind, ...service } })

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
          emit(draft, { _tag: "CaseTriaged", ...caseFields(state), immediateHazard: command.immediateHazard, at: now })
          if (state.variant === "standard" && command.immediateHazard !== state.immediateHazard) {
            const deadline = yield* inspectionDeadline(state, command.immediateHazard)
            emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline })
          }
          yield* moveTo(draft, name, "triaged", now, command.comment, actor)
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
          served(draft, "owner-letter", command.service)
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
            served(draft, "notice-of-violation", command.service)
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
          served(draft, "notice-of-violation", command.service)
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
          // The new deadline counts from the old one while it still runs,
          // and from now once it has passed (after a failed reinspection).
          const deadline = yield* countDeadline(
            purpose,
            `extension of the ${purpose} deadline by ${command.period.amount} ${command.period.unit}`,
            later(previous.due, now),
            command.period
          )
          emit(
            draft,
            {
              _tag: "ExtensionGranted",
              ...caseFields(state),
              purpose,
              grantedAt: now,
              period: command.period,
              reason: command.reason,
              previousDue: previous.due,
              newDue: deadline.due
            },
            { _tag: "DeadlineSet", ...caseFields(state), deadline }
          )
          if (state.stage === "reinspection-failed") {
            yield* moveTo(draft, name, "notice-of-violation-served", now, command.reason, actor)
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
          served(draft, "notice-of-public-nuisance", command.service)
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
          const earlier = state.citations
            .filter((citation) => citation.codeSection === command.codeSection && citation.status !== "cancelled")
            .map((citation) => citation.issuedAt)
          const cap = yield* Result.mapError(
            fineCapFor({ caps: settings.fineCaps, schedule: command.schedule, earlier, at, timeZone: jurisdiction.timeZone }),
            (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "compliance", setBy: "administrative fine window", reason: error.message })
          )
          yield* checkFine(command.citationNumber, command.amountInDollars, cap)
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
            documentId: command.service.documentId
          })
          served(draft, "administrative-citation", command.service)
          if (state.stage === "cited") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "cited", at, command.comment, actor)
          return draft.events
        }
        case "ServeHearingNotice": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          if (!isAfter(command.hearingAt, at)) {
            return yield* Result.fail(new ImplausibleInstant({ rule: "hearing-after-notice", command: name, field: "hearingAt", instant: command.hearingAt, notBefore: at }))
          }
          served(draft, "hearing-notice", command.service)
          emit(draft, { _tag: "HearingScheduled", ...caseFields(state), hearingAt: command.hearingAt })
          if (state.stage === "hearing-scheduled") note(draft, at, command.comment, actor)
          else yield* moveTo(draft, name, "hearing-scheduled", at, command.comment, actor)
          return draft.events
        }
        case "RecordHearingDecision": {
          const at = yield* actInstant(state, name, "decidedAt", command.decidedAt, now)
          const hearingAt = state.hearing?.hearingAt
          if (hearingAt !== undefined && isAfter(hearingAt, at)) {
            return yield* Result.fail(new TooEarly({ rule: "no-decision-before-hearing", command: name, waitsFor: "hearing", setBy: "the hearing notice", due: hearingAt, at }))
          }
          const cancelledCitations = command.outcome === "overturned"
            ? state.citations.filter((citation) => citation.status === "unpaid").map((citation) => citation.citationNumber)
            : []
          emit(draft, { _tag: "HearingDecided", ...caseFields(state), decidedAt: at, outcome: command.outcome, cancelledCitations })
          yield* command.outcome === "upheld"
            ? moveTo(draft, name, "hearing-decided", at, command.comment, actor)
            : close(draft, name, "overturned-at-hearing", at, command.comment, actor)
          return draft.events
        }
        case "ServeAbatementOrder": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          const deadline = yield* countDeadline(
            "court-appeal",
            "court appeal within periods.courtAppeal of service of the abatement order (Gov. Code 53069.4(b)(1)), ending on a court day (Code Civ. Proc. 12a)",
            at,
            // A statutory period: Code Civ. Proc. 12a applies whatever the setting says.
            statutoryPeriod(settings.periods.courtAppeal)
          )
          served(draft, "abatement-order", command.service)
          emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline })
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
          if (state.stage === "abatement-ordered") {
            // The order is final only once the owner can no longer appeal it.
            yield* passed(state, name, "court-appeal", at, "no-city-abatement-during-court-appeal-window")
            closeDeadline(draft, "court-appeal", at, "expired")
          }
          emit(draft, { _tag: "CityAbatementRecorded", ...caseFields(state), completedAt: at, work: command.work, costInDollars: command.costInDollars })
          yield* moveTo(draft, name, "city-abated", at, command.comment, actor)
          return draft.events
        }
        case "InvoiceCosts": {
          const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
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
          emit(draft, { _tag: "CostsInvoiced", ...caseFields(state), invoicedAt: at, amountInDollars: command.amountInDollars, documentId: command.service.documentId })
          served(draft, "cost-invoice", command.service)
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
        case "RecordLien": {
          const at = yield* actInstant(state, name, "recordedAt", command.recordedAt, now)
          yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
          yield* passed(state, name, "cost-payment", at, "no-lien-before-payment-deadline")
          const balance = costBalance(state)
          if (balance <= 0) {
            return yield* Result.fail(new NothingOwed({ rule: "lien-needs-unpaid-balance", command: name, invoicedInDollars: state.costs.invoicedInDollars, paidInDollars: state.costs.paidInDollars }))
          }
          served(draft, "lien-notice", command.service)
          emit(draft, {
            _tag: "LienRecorded",
            ...caseFields(state),
            recordedAt: at,
            amountInDollars: balance,
            ...(command.recorderDocumentNumber === undefined ? {} : { recorderDocumentNumber: command.recorderDocumentNumber })
          })
          closeDeadline(draft, "cost-payment", at, "expired")
          yield* moveTo(draft, name, "lien-recorded", at, command.comment, actor)
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
          yield* close(draft, name, command.reason, now, command.comment, actor)
          return draft.events
        }
        case "AttachPoliceEvidence": {
          emit(draft, {
            _tag: "PoliceEvidenceAttached",
            ...caseFields(state),
            attachedAt: now,
            description: command.description,
            by: actorKey(actor),
            ...(command.reportNumber === undefined ? {} : { reportNumber: command.reportNumber })
          })
          return draft.events
        }
        case "CommentOnCase": {
          note(draft, now, command.comment, actor)
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
 * const cases = nuisanceCase(sacramento)
 * yield* handleCommand(cases, { tenantId: "sacramento", commandId, actor, command })
 * ```
 */
export const nuisanceCase = (
  jurisdiction: Jurisdiction
): Aggregate<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal> => ({
  name: NUISANCE_CASE_RESOURCE,
  commands: NuisanceCaseCommand,
  events: nuisanceCaseEvents,
  decider: nuisanceCaseDecider(jurisdiction),
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
