/**
 * The events of a nuisance case: what happened to it, in a versioned
 * catalog. Every event names its case, council district and category, so a
 * read model (cases by district and stage, overdue deadlines, fines and
 * costs by district) can file any event without reading another. Instants
 * are UTC; deadlines keep the rule that set them.
 *
 * @module
 */
import { Schema } from "effect"
import { AreaId } from "../kernel/Area.ts"
import { CalendarDate } from "../kernel/Holiday.ts"
import { Period } from "../kernel/Period.ts"
import { AddressKey } from "../kernel/Place.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import { CommercialBuildingViolation, FineScheduleKind } from "./AdministrativeFine.ts"
import { CaseStage, CaseVariant, ClosureReason } from "./CaseStage.ts"
import {
  CaseComment,
  CivilActionKind,
  CivilActionOutcome,
  Dollars,
  HearingFinding,
  HearingOfficer,
  NuisanceCaseId,
  NuisanceCaseSource,
  OwnerMeetingOutcome,
  PriorViolation,
  ResponsiblePersonId,
  Ruling,
  StartDuties,
  TowardAbatementCosts,
  TowardCitation
} from "./NuisanceCaseCommands.ts"
import { NoticeDocument } from "./NoticeDocument.ts"
import { OwnerNotFound } from "./CostRecovery.ts"
import { ServedDocument } from "./ServiceOfNotice.ts"

const Instant = Schema.DateTimeUtcFromString
const Reference = Schema.NonEmptyString
const Money = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))

/** The fields every event of a case carries. */
export const caseEventFields = {
  caseId: NuisanceCaseId,
  councilDistrict: AreaId,
  category: NuisanceCategory
}

/**
 * What a deadline of a case is for:
 *
 * - `inspection`: the first inspection, from intake.
 * - `compliance`: correcting the violation, from service of the notice of
 *   violation; for a dangerous building, completing the work by the date
 *   set in the notice and order.
 * - `permits-and-work-start`: obtaining permits and beginning work on a
 *   dangerous building, from the date of the notice and order (Sacramento
 *   City Code 8.96.130(B)(3)).
 * - `abatement-plan`: the term of an excessive-calls abatement plan, from its agreement.
 * - `court-appeal`: appealing the final administrative decision or order to
 *   court, from service of the hearing decision (or of the abatement order
 *   when no hearing was held).
 * - `cost-payment`: paying the invoiced abatement costs, from service of the invoice.
 * - `lien-recording`: the notice period before a lien may be recorded, from
 *   completed notice to the owner of record (Gov. Code 38773.1); the lien is
 *   recorded once it has passed, on or after the date the notice gives.
 * - `hearing-request`: the owner's request for a hearing, from service of
 *   the notice of public nuisance or of a citation.
 * - `post-abatement-notice`: notice to the owner after a summary abatement, from the abatement.
 */
export const DeadlinePurpose = Schema.Literals([
  "inspection",
  "compliance",
  "permits-and-work-start",
  "abatement-plan",
  "court-appeal",
  "cost-payment",
  "lien-recording",
  "hearing-request",
  "post-abatement-notice"
])

/** What a deadline is for; see {@link DeadlinePurpose}. */
export type DeadlinePurpose = typeof DeadlinePurpose.Type

/**
 * A deadline of a case: what it is for, the rule that set it (with the
 * setting it read, e.g. `periods.compliance.blight`), the instant it counts
 * from, when it is due (on time at or before `due`) and the period.
 */
export const CaseDeadline = Schema.Struct({
  purpose: DeadlinePurpose,
  rule: Schema.NonEmptyString,
  start: Instant,
  due: Instant,
  period: Period
})

/** A deadline of a case; see {@link CaseDeadline}. */
export type CaseDeadline = typeof CaseDeadline.Type

/**
 * How a deadline stopped running: `satisfied` (the act it waited for was
 * done: the inspection, compliance, the appeal, the payment), `expired` (it
 * passed and the case moved on without the act), `cancelled` (the case
 * closed or took another path first).
 */
export const DeadlineOutcome = Schema.Literals(["satisfied", "expired", "cancelled"])

/** How a deadline stopped running; see {@link DeadlineOutcome}. */
export type DeadlineOutcome = typeof DeadlineOutcome.Type

/** A case was opened at intake. */
export const CaseOpened = Schema.TaggedStruct("CaseOpened", {
  ...caseEventFields,
  addressKey: AddressKey,
  source: NuisanceCaseSource,
  description: personal(Schema.NonEmptyString),
  immediateHazard: Schema.Boolean,
  /** When the complaint, referral or finding came in. */
  receivedAt: Instant,
  variant: CaseVariant
})

/**
 * A case moved from one stage to another (`from` is null when it was
 * opened), at the instant of the step that moved it, with the comment of the
 * person who moved it. Time in a stage is the gap between two of these.
 */
export const CaseStageChanged = Schema.TaggedStruct("CaseStageChanged", {
  ...caseEventFields,
  from: Schema.NullOr(CaseStage),
  to: CaseStage,
  at: Instant,
  comment: personal(CaseComment),
  /** Who moved it, as `actorKey(actor)`. */
  by: personal(Schema.String)
})

/** The case was triaged. */
export const CaseTriaged = Schema.TaggedStruct("CaseTriaged", {
  ...caseEventFields,
  immediateHazard: Schema.Boolean,
  at: Instant
})

/** A deadline started to run, or moved (a later one of the same purpose replaces it). */
export const DeadlineSet = Schema.TaggedStruct("DeadlineSet", {
  ...caseEventFields,
  deadline: CaseDeadline
})

/** A deadline stopped running. */
export const DeadlineClosed = Schema.TaggedStruct("DeadlineClosed", {
  ...caseEventFields,
  purpose: DeadlinePurpose,
  at: Instant,
  outcome: DeadlineOutcome
})

/** An inspection or reinspection took place. For a reinspection, no violation found means compliance. */
export const InspectionRecorded = Schema.TaggedStruct("InspectionRecorded", {
  ...caseEventFields,
  kind: Schema.Literals(["inspection", "reinspection"]),
  inspectedAt: Instant,
  violationFound: Schema.Boolean,
  /** For a dangerous building: whether permits were obtained and work begun (Sacramento City Code 8.96.130(B)(3)). */
  startDuties: Schema.optionalKey(StartDuties)
})

/**
 * A document was served: what, on whom, when and how, and the document
 * itself as the case produced it (its `id` is `document.documentId`). The
 * document names its addressee and the property: personal data, for the
 * case file, never a public view. Events recorded before the case made its
 * own documents carry no `notice`.
 */
export const DocumentServed = Schema.TaggedStruct("DocumentServed", {
  ...caseEventFields,
  document: ServedDocument,
  notice: Schema.optionalKey(personal(NoticeDocument))
})

/** The notice of violation named these violations. */
export const ViolationsNoticed = Schema.TaggedStruct("ViolationsNoticed", {
  ...caseEventFields,
  violations: Schema.NonEmptyArray(Reference),
  /** For a dangerous building's notice and order: the date of the order (Sacramento City Code 8.96.130(B)(3)). */
  orderedAt: Schema.optionalKey(Instant),
  /** For a dangerous building's notice and order: the date it sets for completing the work. */
  completeBy: Schema.optionalKey(CalendarDate)
})

/** A meeting with the owner took place (or the owner did not come). */
export const OwnerMeetingRecorded = Schema.TaggedStruct("OwnerMeetingRecorded", {
  ...caseEventFields,
  heldAt: Instant,
  outcome: OwnerMeetingOutcome
})

/** The owner agreed an abatement plan. */
export const AbatementPlanAgreed = Schema.TaggedStruct("AbatementPlanAgreed", {
  ...caseEventFields,
  agreedAt: Instant,
  terms: Schema.NonEmptyArray(Schema.NonEmptyString)
})

/** The abatement plan was reviewed at the end of its term. */
export const AbatementPlanReviewed = Schema.TaggedStruct("AbatementPlanReviewed", {
  ...caseEventFields,
  reviewedAt: Instant,
  kept: Schema.Boolean
})

/** More time was given, and why; the matching `DeadlineSet` carries the new deadline. */
export const ExtensionGranted = Schema.TaggedStruct("ExtensionGranted", {
  ...caseEventFields,
  purpose: DeadlinePurpose,
  grantedAt: Instant,
  period: Period,
  reason: personal(CaseComment),
  previousDue: Instant,
  newDue: Instant
})

/**
 * An administrative citation was issued: its amount, which violation of
 * its code section within the window it is, and the cap that applied; to
 * whom, and the citations on other cases the command gave as earlier
 * violations (each once, none after this one; those before the window
 * are listed but do not count). Events stored before repeats were
 * counted across cases carry none of these three fields.
 */
export const CitationIssued = Schema.TaggedStruct("CitationIssued", {
  ...caseEventFields,
  citationNumber: Reference,
  codeSection: Reference,
  schedule: FineScheduleKind,
  amountInDollars: Dollars,
  violationNumber: Schema.Int,
  capInDollars: Money,
  windowDays: Schema.Int,
  issuedAt: Instant,
  documentId: Reference,
  responsiblePersonId: Schema.optionalKey(ResponsiblePersonId),
  priorViolations: Schema.optionalKey(Schema.Array(PriorViolation)),
  commercialBuilding: Schema.optionalKey(CommercialBuildingViolation)
})

/** The owner requested a hearing, contesting what the request names. */
export const HearingRequested = Schema.TaggedStruct("HearingRequested", {
  ...caseEventFields,
  requestedAt: Instant,
  contests: Schema.optionalKey(Reference)
})

/** A hearing was set (or reset) for this instant. */
export const HearingScheduled = Schema.TaggedStruct("HearingScheduled", {
  ...caseEventFields,
  hearingAt: Instant
})

/**
 * The hearing officer decided; overturning cancels the unpaid citations
 * listed. Who decided and the findings are on every decision recorded
 * since they became required; optional only so that earlier events still
 * read.
 */
export const HearingDecided = Schema.TaggedStruct("HearingDecided", {
  ...caseEventFields,
  decidedAt: Instant,
  outcome: Ruling,
  cancelledCitations: Schema.Array(Reference),
  hearingOfficer: Schema.optionalKey(HearingOfficer),
  findings: Schema.optionalKey(Schema.NonEmptyArray(HearingFinding))
})

/** The owner appealed the abatement order to court. */
export const CourtAppealFiled = Schema.TaggedStruct("CourtAppealFiled", {
  ...caseEventFields,
  filedAt: Instant,
  courtCaseNumber: Reference
})

/** The court decided the appeal. */
export const CourtAppealDecided = Schema.TaggedStruct("CourtAppealDecided", {
  ...caseEventFields,
  decidedAt: Instant,
  outcome: Ruling
})

/** The city abated the nuisance, at this cost. */
export const CityAbatementRecorded = Schema.TaggedStruct("CityAbatementRecorded", {
  ...caseEventFields,
  completedAt: Instant,
  work: Schema.NonEmptyString,
  costInDollars: Dollars
})

/**
 * The city summarily abated an imminent hazard, for this reason, by this
 * actor (`actorKey`); a `CityAbatementRecorded` with the work and cost
 * follows it, so cost read models need no second case.
 */
export const SummaryAbatementRecorded = Schema.TaggedStruct("SummaryAbatementRecorded", {
  ...caseEventFields,
  completedAt: Instant,
  reason: personal(Schema.NonEmptyString),
  by: personal(Schema.String)
})

/** The abatement costs were invoiced. */
export const CostsInvoiced = Schema.TaggedStruct("CostsInvoiced", {
  ...caseEventFields,
  invoicedAt: Instant,
  amountInDollars: Dollars,
  documentId: Reference
})

/** A payment was received toward a citation or the abatement costs. */
export const PaymentRecorded = Schema.TaggedStruct("PaymentRecorded", {
  ...caseEventFields,
  paidAt: Instant,
  amountInDollars: Dollars,
  toward: Schema.Union([TowardCitation, TowardAbatementCosts]),
  receiptNumber: Schema.optionalKey(Reference)
})

/**
 * The owner of record was given notice of a nuisance abatement lien for
 * the unpaid balance (Gov. Code 38773.1): served when, complete when (the
 * service, or the end of the posting and publication), and, when the owner
 * could not be found, the diligent search and the publication.
 */
export const LienNoticeServed = Schema.TaggedStruct("LienNoticeServed", {
  ...caseEventFields,
  servedAt: Instant,
  completedAt: Instant,
  amountInDollars: Dollars,
  documentId: Reference,
  ownerNotFound: Schema.optionalKey(OwnerNotFound)
})

/** The owner was given notice of the special assessment proposed for the unpaid balance, and of the hearing (Gov. Code 38773.5). */
export const SpecialAssessmentNoticed = Schema.TaggedStruct("SpecialAssessmentNoticed", {
  ...caseEventFields,
  servedAt: Instant,
  hearingAt: Instant,
  amountInDollars: Dollars,
  documentId: Reference
})

/** The legislative body confirmed the special assessment: the unpaid balance goes on the property tax roll (Gov. Code 38773.5). */
export const SpecialAssessmentRecorded = Schema.TaggedStruct("SpecialAssessmentRecorded", {
  ...caseEventFields,
  confirmedAt: Instant,
  amountInDollars: Dollars,
  resolutionNumber: Schema.optionalKey(Reference)
})

/** The unpaid abatement costs were recorded as a lien on the property. */
export const LienRecorded = Schema.TaggedStruct("LienRecorded", {
  ...caseEventFields,
  recordedAt: Instant,
  amountInDollars: Dollars,
  recorderDocumentNumber: Schema.optionalKey(Reference)
})

/** A civil action was filed. */
export const CivilActionFiled = Schema.TaggedStruct("CivilActionFiled", {
  ...caseEventFields,
  kind: CivilActionKind,
  courtCaseNumber: Reference,
  filedAt: Instant
})

/** A civil action ended. */
export const CivilActionConcluded = Schema.TaggedStruct("CivilActionConcluded", {
  ...caseEventFields,
  kind: CivilActionKind,
  outcome: CivilActionOutcome,
  concludedAt: Instant
})

/** Police evidence was attached. Its description may name people, so it is personal. */
export const PoliceEvidenceAttached = Schema.TaggedStruct("PoliceEvidenceAttached", {
  ...caseEventFields,
  attachedAt: Instant,
  reportNumber: Schema.optionalKey(Reference),
  description: personal(Schema.NonEmptyString),
  by: personal(Schema.String)
})

/** A comment that did not come with a change of stage. */
export const CaseCommented = Schema.TaggedStruct("CaseCommented", {
  ...caseEventFields,
  at: Instant,
  stage: CaseStage,
  comment: personal(CaseComment),
  by: personal(Schema.String)
})

/** The case was closed, and why. Nothing is accepted on it afterwards. */
export const CaseClosed = Schema.TaggedStruct("CaseClosed", {
  ...caseEventFields,
  reason: ClosureReason,
  at: Instant
})

/** Any event of a nuisance case. */
export const NuisanceCaseEvent = Schema.Union([
  CaseOpened,
  CaseStageChanged,
  CaseTriaged,
  DeadlineSet,
  DeadlineClosed,
  InspectionRecorded,
  DocumentServed,
  ViolationsNoticed,
  OwnerMeetingRecorded,
  AbatementPlanAgreed,
  AbatementPlanReviewed,
  ExtensionGranted,
  CitationIssued,
  HearingRequested,
  HearingScheduled,
  HearingDecided,
  CourtAppealFiled,
  CourtAppealDecided,
  CityAbatementRecorded,
  SummaryAbatementRecorded,
  CostsInvoiced,
  PaymentRecorded,
  LienNoticeServed,
  LienRecorded,
  SpecialAssessmentNoticed,
  SpecialAssessmentRecorded,
  CivilActionFiled,
  CivilActionConcluded,
  PoliceEvidenceAttached,
  CaseCommented,
  CaseClosed
])

/** Any event of a nuisance case; see {@link NuisanceCaseEvent}. */
export type NuisanceCaseEvent = typeof NuisanceCaseEvent.Type

/**
 * The catalog of nuisance case events. A change to an event's shape adds a
 * version and an upcaster here, so stored events are never rewritten.
 * Every type is at schema version 1 but `CaseOpened`, at 2: a police
 * referral now says its basis, and one opened before that reads back as
 * `unrecorded`, which no new referral may give.
 */
export const nuisanceCaseEvents = makeEventCatalog(NuisanceCaseEvent, {
  CaseOpened: {
    current: 2,
    upcasters: {
      1: (data) => {
        const opened = data as Schema.JsonObject
        const source = opened["source"] as Schema.JsonObject | undefined
        return source?.["_tag"] === "PoliceReferral" && source["basis"] === undefined
          ? { ...opened, source: { ...source, basis: "unrecorded" } }
          : data
      }
    }
  }
})
