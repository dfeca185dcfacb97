/**
 * The nuisance case's workflow as tables: the duty each command needs, the
 * stages each command may be given in (with the {@link stageGraph} of
 * `CaseStage`, the workflow), the stages of each closing reason, and what
 * the engine derives from them: the access action of each command and the
 * access rules of the jurisdiction's duties. One table drives the guards,
 * the access rules and the docs at once.
 *
 * @module
 */
import type { AccessRule } from "../engine/AccessPolicy.ts"
import { commandAction, dutyAccessRules, type DutyTable } from "../engine/Guards.ts"
import { streamId } from "../engine/StreamId.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import type { CaseDuty, JusticeForNeighborsSettings } from "../kernel/ProgramSettings.ts"
import { type CaseStage, CaseStage as CaseStageSchema } from "./CaseStage.ts"
import type { NuisanceCaseCommandName } from "./NuisanceCaseCommands.ts"

/** The resource type of a nuisance case in access requests, and its aggregate type in stream ids. */
export const NUISANCE_CASE_RESOURCE = "nuisance-case"

/** The event stream of one case, `nuisance-case/<caseId>` (`streamId`), e.g. `nuisance-case/2026-000123`. */
export const nuisanceCaseStreamId = (caseId: string): string => streamId(NUISANCE_CASE_RESOURCE, caseId)

/** The access action of a command, e.g. `nuisance-case.serve-notice-of-violation` for `ServeNoticeOfViolation`. */
export const nuisanceCaseAction = (command: NuisanceCaseCommandName): string => commandAction(NUISANCE_CASE_RESOURCE, command)

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

/**
 * The duties of a jurisdiction's nuisance cases: each command's duty
 * ({@link nuisanceCaseCommandDuty}) and the roles the jurisdiction grants
 * each duty (`programs.justiceForNeighbors.caseDuties`), for the shared
 * duty guard and the access rules.
 */
export const nuisanceCaseDuties = (
  settings: Pick<JusticeForNeighborsSettings, "caseDuties">
): DutyTable<NuisanceCaseCommandName, CaseDuty> => ({
  commandDuty: nuisanceCaseCommandDuty,
  dutyRoles: settings.caseDuties,
  setting: (duty) => `programs.justiceForNeighbors.caseDuties.${duty}`
})

/**
 * The access rules that match a jurisdiction's case duties: each duty's
 * commands granted to its roles in their own council districts (the
 * engine's `dutyAccessRules`), and intake open to the public (complaints)
 * and the system (311 and analytics). The decider applies the same duties
 * itself; these rules let the engine's access policy refuse, and audit,
 * before the case is even read whatever no district could allow (a member
 * of the public, or a role without the duty); the district check follows
 * once the case's district is read.
 */
export const nuisanceCaseAccessRules = (jurisdiction: Jurisdiction): ReadonlyArray<AccessRule> => [
  ...dutyAccessRules(NUISANCE_CASE_RESOURCE, nuisanceCaseDuties(jurisdiction.programs.justiceForNeighbors)),
  { id: "nuisance-case.intake-from-public-and-system", actions: [nuisanceCaseAction("OpenCase")], actors: ["Public", "System"], scope: "citywide" }
]
