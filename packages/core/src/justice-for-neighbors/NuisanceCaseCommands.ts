/**
 * The commands of a nuisance case: what a Justice for Neighbors team (and
 * a resident, or the analytics) may ask of a case, as schemas that decode
 * untrusted input. Every command that can move the case to another stage
 * carries a comment saying why.
 *
 * @module
 */
import { Result, Schema, SchemaIssue } from "effect"
import { AreaId } from "../kernel/Area.ts"
import { CalendarDate } from "../kernel/Holiday.ts"
import { Period } from "../kernel/Period.ts"
import { AddressKey, Place } from "../kernel/Place.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { Role } from "../kernel/Role.ts"
import { confidential, personal } from "../kernel/Sensitivity.ts"
import { CommercialBuildingViolation, FineScheduleKind } from "./AdministrativeFine.ts"
import { ChronicCallerEvidence } from "./Evidence.ts"
import { OwnerNotFound } from "./CostRecovery.ts"
import { ServiceOfNotice } from "./ServiceOfNotice.ts"

/**
 * A case number, unique within the jurisdiction, e.g. `2026-000123`: letters,
 * digits and hyphens, so it is safe in stream ids and URLs.
 */
export const NuisanceCaseId = Schema.NonEmptyString.check(
  Schema.isPattern(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/, { expected: "a case number of letters, digits and hyphens, e.g. 2026-000123" }),
  Schema.isMaxLength(64)
)

/** A case number; see {@link NuisanceCaseId}. */
export type NuisanceCaseId = typeof NuisanceCaseId.Type

/** Why a step was taken, in the words of the person taking it; required on every change of stage. */
export const CaseComment = Schema.NonEmptyString.check(Schema.isTrimmed(), Schema.isMaxLength(4000))

// A short reference (a citation number, a court case number, a code section).
const Reference = Schema.NonEmptyString.check(Schema.isTrimmed(), Schema.isMaxLength(200))

/**
 * An amount of money in dollars: positive, in whole cents. Sums are kept in
 * cents so that repeated payments never drift.
 */
export const Dollars = Schema.Finite.check(
  Schema.isGreaterThan(0),
  Schema.isLessThanOrEqualTo(100_000_000),
  Schema.makeFilter((amount: number) =>
    Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6 ? undefined : "an amount in whole cents"
  )
)

/** Converts dollars to whole cents. */
export const toCents = (dollars: number): number => Math.round(dollars * 100)

/** Converts whole cents to dollars. */
export const toDollars = (cents: number): number => cents / 100

/**
 * A resident's complaint, by phone, on the web or through 311 (Open311
 * `service_request_id` when it came that way). The complainant, when named,
 * is confidential: a person who reports a violation of law is protected as
 * an informer (Evidence Code 1041), and staff views hide them by default.
 */
export const ResidentComplaint = Schema.TaggedStruct("ResidentComplaint", {
  channel: Schema.Literals(["311", "phone", "web", "email", "walk-in"]),
  serviceRequestId: Schema.optionalKey(Reference),
  complainant: Schema.optionalKey(confidential(Schema.Struct({
    name: Schema.NonEmptyString,
    contact: Schema.optionalKey(Schema.NonEmptyString)
  })))
})

/**
 * What a police referral is based on:
 *
 * - `calls-for-service`: repeated calls to the place. Never opens a case:
 *   only the excessive-calls analytics count calls, keeping homes and
 *   protected calls out (Gov. Code 53165, 53165.1; 34 U.S.C. 12495); a
 *   referral cannot show it did.
 * - `arrest`: an arrest or other police contact with people at the place.
 *   A contact with law enforcement: the referral must carry the place, from
 *   the places registry, shown non-residential with no long-term tenancies
 *   (Gov. Code 53165.1 forbids any penalty on a tenancy for such contacts).
 * - `observed-conditions`: conditions of the property an officer saw
 *   (dumping, an open vacant building, a dangerous structure): about the
 *   property, not people's contacts with the police; any place.
 * - `unrecorded`: only on cases opened before referrals said their basis
 *   (their stored `CaseOpened` reads back with it); a new referral giving
 *   it is refused.
 */
export const PoliceReferralBasis = Schema.Literals(["calls-for-service", "arrest", "observed-conditions", "unrecorded"])

/** What a police referral is based on; see {@link PoliceReferralBasis}. */
export type PoliceReferralBasis = typeof PoliceReferralBasis.Type

/**
 * A referral from the police department, saying what it is based on
 * (`basis`, see {@link PoliceReferralBasis}). `place` is the place as the
 * places registry records it (address, land use); a referral based on an
 * arrest needs it.
 */
export const PoliceReferral = Schema.TaggedStruct("PoliceReferral", {
  basis: PoliceReferralBasis,
  place: Schema.optionalKey(Place),
  reportNumber: Schema.optionalKey(Reference),
  referringUnit: Schema.optionalKey(Reference)
})

/** Something a code enforcement officer saw in the field. */
export const CodeEnforcementFinding = Schema.TaggedStruct("CodeEnforcementFinding", {})

/**
 * A finding of the excessive-calls analytics: the place met a threshold of
 * the chronic nuisance ordinance, with the evidence (counted calls, excluded
 * calls and why).
 */
export const AnalyticsFinding = Schema.TaggedStruct("AnalyticsFinding", {
  evidence: ChronicCallerEvidence
})

/** Where a case came from: a resident complaint, a police referral, a code enforcement finding or an analytics finding. */
export const NuisanceCaseSource = Schema.Union([ResidentComplaint, PoliceReferral, CodeEnforcementFinding, AnalyticsFinding])

/** Where a case came from; see {@link NuisanceCaseSource}. */
export type NuisanceCaseSource = typeof NuisanceCaseSource.Type

/**
 * Opens a case at intake. An `excessive-calls-for-service` case must come
 * from an analytics finding about the same, non-residential address (with
 * no long-term tenancies), and an analytics finding can open nothing else:
 * only the analytics applies the protections that keep victims' calls out
 * (Gov. Code 53165, 53165.1; 34 U.S.C. 12495). For the same reason a police
 * referral based on calls for service opens no case, and one based on an
 * arrest needs a non-residential place (see {@link PoliceReferralBasis}).
 * `receivedAt` (when the complaint or referral came in; the handling time
 * when absent) starts the inspection deadline.
 */
export const OpenCase = Schema.TaggedStruct("OpenCase", {
  caseId: NuisanceCaseId,
  category: NuisanceCategory,
  councilDistrict: AreaId,
  addressKey: AddressKey,
  source: NuisanceCaseSource,
  description: Schema.NonEmptyString.check(Schema.isMaxLength(4000)),
  /** An immediate hazard is inspected within `periods.hazardInspection` instead of `periods.inspection`. */
  immediateHazard: Schema.Boolean,
  receivedAt: Schema.optionalKey(Schema.DateTimeUtcFromString),
  comment: CaseComment
})

/**
 * When the act a command reports happened, for the commands that have no
 * instant of their own (a triage, an extension, a closing, a comment): an
 * act done on Monday may be entered on Tuesday, and the case dates it, and
 * counts every deadline from it, by when it happened. Never in the future,
 * never before the case's current stage began (refused with
 * `ImplausibleInstant`); absent, the act happened when the command is
 * handled. The other commands carry the instant of their act under its own
 * name (`service.servedAt`, `inspectedAt`, `decidedAt`...), checked the same way.
 */
export const OccurredAt = Schema.optionalKey(Schema.DateTimeUtcFromString)

/** Triages an open case: confirms or corrects whether it is an immediate hazard. */
export const TriageCase = Schema.TaggedStruct("TriageCase", {
  caseId: NuisanceCaseId,
  immediateHazard: Schema.Boolean,
  occurredAt: OccurredAt,
  comment: CaseComment
})

/** Records the first inspection: a violation found moves to a notice of violation; none closes the case. */
export const RecordInspection = Schema.TaggedStruct("RecordInspection", {
  caseId: NuisanceCaseId,
  inspectedAt: Schema.DateTimeUtcFromString,
  violationFound: Schema.Boolean,
  comment: CaseComment
})

/** Serves the letter to the owner of a high-volume non-residential user of 911, inviting a meeting. */
export const ServeOwnerLetter = Schema.TaggedStruct("ServeOwnerLetter", {
  caseId: NuisanceCaseId,
  service: ServiceOfNotice,
  comment: CaseComment
})

/**
 * How a meeting with the owner went: `cooperative` (the owner came and works
 * toward a plan), `owner-absent` or `owner-refused` (the case escalates).
 */
export const OwnerMeetingOutcome = Schema.Literals(["cooperative", "owner-absent", "owner-refused"])

/** Records a meeting with the owner (a follow-up meeting may be recorded before a plan is agreed). */
export const RecordOwnerMeeting = Schema.TaggedStruct("RecordOwnerMeeting", {
  caseId: NuisanceCaseId,
  heldAt: Schema.DateTimeUtcFromString,
  outcome: OwnerMeetingOutcome,
  comment: CaseComment
})

/**
 * Records the abatement plan the owner agreed (e.g. security guard on
 * weekend nights, lighting, trespass letters). Its term is the category's
 * compliance period, counted from the agreement.
 */
export const AgreeAbatementPlan = Schema.TaggedStruct("AgreeAbatementPlan", {
  caseId: NuisanceCaseId,
  agreedAt: Schema.DateTimeUtcFromString,
  terms: Schema.NonEmptyArray(Schema.NonEmptyString.check(Schema.isMaxLength(1000))),
  comment: CaseComment
})

/** Reviews the abatement plan once its term is over: kept closes the case, broken escalates it. */
export const ReviewAbatementPlan = Schema.TaggedStruct("ReviewAbatementPlan", {
  caseId: NuisanceCaseId,
  reviewedAt: Schema.DateTimeUtcFromString,
  kept: Schema.Boolean,
  comment: CaseComment
})

/**
 * Serves the notice of violation: the violations (code sections) and the
 * time to comply, which runs from service.
 *
 * For a dangerous building it is the notice and order of Sacramento City
 * Code 8.96.130(B)(3), the first order the owner receives, so it carries
 * the order's own dates: `orderedAt`, the date of the order (it may precede
 * service, never follow it), from which `periods.dangerousBuildingStart`
 * (30 days) to obtain permits and begin work is counted; and `completeBy`,
 * the reasonable date the order sets for completing the work (a local
 * `YYYY-MM-DD` date, after the start deadline), which is the compliance
 * deadline. Both are required for a dangerous building and refused for
 * any other category, whose compliance still runs from service.
 */
export const ServeNoticeOfViolation = Schema.TaggedStruct("ServeNoticeOfViolation", {
  caseId: NuisanceCaseId,
  violations: Schema.NonEmptyArray(Reference),
  service: ServiceOfNotice,
  orderedAt: Schema.optionalKey(Schema.DateTimeUtcFromString),
  completeBy: Schema.optionalKey(CalendarDate),
  comment: CaseComment
})

/**
 * Gives more time: moves the open compliance deadline (or the abatement
 * plan's term) by `period`, counted from the current due date, or from when
 * the extension was granted (`occurredAt`) when that has passed. The reason is recorded with the new deadline.
 */
export const GrantExtension = Schema.TaggedStruct("GrantExtension", {
  caseId: NuisanceCaseId,
  period: Period,
  occurredAt: OccurredAt,
  reason: CaseComment
})

/**
 * What a reinspection of a dangerous building found of the duties due by
 * the start deadline (Sacramento City Code 8.96.130(B)(3)): whether permits
 * were obtained, and whether work began.
 */
export const StartDuties = Schema.Struct({
  permitsObtained: Schema.Boolean,
  workBegun: Schema.Boolean
})

/** What a reinspection found of a dangerous building's start duties; see {@link StartDuties}. */
export type StartDuties = typeof StartDuties.Type

/**
 * Records a reinspection: compliant closes the case; not compliant, once
 * the compliance deadline has passed, moves it toward a notice of public
 * nuisance (and, later in the workflow, is kept on record).
 *
 * For a dangerous building, `startDuties` records whether permits were
 * obtained and work begun: both done meets the start deadline (the case
 * waits for the completion date); either not done, once the start deadline
 * has passed, is non-compliance found before the completion date.
 */
export const RecordReinspection = Schema.TaggedStruct("RecordReinspection", {
  caseId: NuisanceCaseId,
  inspectedAt: Schema.DateTimeUtcFromString,
  compliant: Schema.Boolean,
  startDuties: Schema.optionalKey(StartDuties),
  comment: CaseComment
})

/** Serves the notice of public nuisance, after a failed reinspection. */
export const ServeNoticeOfPublicNuisance = Schema.TaggedStruct("ServeNoticeOfPublicNuisance", {
  caseId: NuisanceCaseId,
  service: ServiceOfNotice,
  comment: CaseComment
})

/**
 * The person a citation is issued to, as the city identifies them (an
 * owner's or tenant's id in the city's records, never a name typed on the
 * spot): repeats of a violation are counted per property, responsible
 * person and ordinance. Personal data.
 */
export const ResponsiblePersonId = personal(Reference)

/**
 * An earlier citation of the same responsible person for the same code
 * section at the same property, on another case: its case, its number and
 * when it was issued. Read from the case board (`priorViolationsFor`), never
 * typed by hand.
 */
export const PriorViolation = Schema.Struct({
  caseId: NuisanceCaseId,
  citationNumber: Reference,
  issuedAt: Schema.DateTimeUtcFromString
})

/** An earlier citation on another case; see {@link PriorViolation}. */
export type PriorViolation = typeof PriorViolation.Type

/**
 * Issues an administrative citation to `responsiblePersonId` for a
 * violation of `codeSection`, under the general or the building-and-safety
 * schedule. Its amount may not exceed the cap of its violation number
 * within one year of the first violation (Gov. Code 53069.4(a)(1), at the
 * amounts of 36900; 25132); its date is the instant of service.
 *
 * Repeats count across cases. The decider sees only this case's events, so
 * the citations on OTHER cases come in `priorViolations`: the application
 * reads them from the case board with `issueCitationCommand` (or
 * `priorViolationsFor`) just before sending the command. This is a trust
 * boundary: the decider counts the priors as given, like the actor in the
 * context, and records them on the `CitationIssued` event, so that a
 * hearing officer (or an audit) can check every prior that raised a cap.
 * A prior left out can only lower the cap. `commercialBuilding` is the
 * officer's statement for the $2,500 tier (Gov. Code 36900(c)(3)(B)).
 */
export const IssueCitation = Schema.TaggedStruct("IssueCitation", {
  caseId: NuisanceCaseId,
  citationNumber: Reference,
  codeSection: Reference,
  schedule: FineScheduleKind,
  amountInDollars: Dollars,
  responsiblePersonId: ResponsiblePersonId,
  priorViolations: Schema.Array(PriorViolation),
  commercialBuilding: Schema.optionalKey(CommercialBuildingViolation),
  service: ServiceOfNotice,
  comment: CaseComment
})

/** An administrative citation to issue; see {@link IssueCitation}. */
export type IssueCitation = typeof IssueCitation.Type

/**
 * Records the owner's request for a hearing, as staff receive it (a letter,
 * a form at the counter): when it was made and, if the owner said, what it
 * contests (the notice of public nuisance, a citation). It must come within
 * `periods.hearingRequest` of service of the notice that gave the right to
 * a hearing; a request once made must be heard before an abatement order.
 */
export const RequestHearing = Schema.TaggedStruct("RequestHearing", {
  caseId: NuisanceCaseId,
  requestedAt: Schema.DateTimeUtcFromString,
  contests: Schema.optionalKey(Reference),
  comment: CaseComment
})

/**
 * Serves the notice of the administrative hearing (or appeal hearing), or of
 * its new date. The hearing may not be set sooner than `periods.hearingNotice`
 * after service.
 */
export const ServeHearingNotice = Schema.TaggedStruct("ServeHearingNotice", {
  caseId: NuisanceCaseId,
  hearingAt: Schema.DateTimeUtcFromString,
  service: ServiceOfNotice,
  comment: CaseComment
})

/** What a hearing officer or a court decided: the nuisance (or order) `upheld`, or `overturned`. */
export const Ruling = Schema.Literals(["upheld", "overturned"])

/**
 * Who heard the case and decided: an identifier (the staff id when the
 * officer is on staff, so it can be compared with who took the case's
 * steps), a name, and the roles the officer holds in the city's identity
 * system (none for an outside hearing officer). Whoever records the
 * decision vouches for the roles; the decider refuses an officer who took
 * part in the case or holds a seat of the district team.
 */
export const HearingOfficer = Schema.Struct({
  id: Reference,
  name: Schema.optionalKey(personal(Reference)),
  roles: Schema.Array(Role)
})

/** Who heard the case and decided; see {@link HearingOfficer}. */
export type HearingOfficer = typeof HearingOfficer.Type

/** A finding of a hearing officer: one fact found, in the officer's words. */
export const HearingFinding = Schema.NonEmptyString.check(Schema.isTrimmed(), Schema.isMaxLength(4000))

/**
 * Records the hearing officer's decision, with the officer and the findings:
 * upheld awaits the service of the decision and an abatement order;
 * overturned closes the case and cancels unpaid citations. The officer must
 * be impartial (not one who took part in the case, not a seat of the
 * district team: its city attorney is an advocate, not a judge).
 */
export const RecordHearingDecision = Schema.TaggedStruct("RecordHearingDecision", {
  caseId: NuisanceCaseId,
  decidedAt: Schema.DateTimeUtcFromString,
  outcome: Ruling,
  hearingOfficer: HearingOfficer,
  findings: Schema.NonEmptyArray(HearingFinding),
  comment: CaseComment
})

/**
 * Serves the hearing officer's decision on the owner. Its service starts
 * the court appeal (Gov. Code 53069.4(b)(1)): the decision is the final
 * administrative decision, and the abatement order that follows carries it
 * out.
 */
export const ServeHearingDecision = Schema.TaggedStruct("ServeHearingDecision", {
  caseId: NuisanceCaseId,
  service: ServiceOfNotice,
  comment: CaseComment
})

/**
 * Serves the abatement order. After the notice of public nuisance and the
 * opportunity for a hearing (the time to request one passed without a
 * request), no citation needed, it is the final administrative order and
 * the court appeal runs from its service. After a hearing it carries out
 * the served decision, whose appeal window keeps running.
 */
export const ServeAbatementOrder = Schema.TaggedStruct("ServeAbatementOrder", {
  caseId: NuisanceCaseId,
  service: ServiceOfNotice,
  comment: CaseComment
})

/** Records the owner's appeal of the abatement order to the superior court (Gov. Code 53069.4(b)). */
export const RecordCourtAppeal = Schema.TaggedStruct("RecordCourtAppeal", {
  caseId: NuisanceCaseId,
  filedAt: Schema.DateTimeUtcFromString,
  courtCaseNumber: Reference,
  comment: CaseComment
})

/** Records the court's decision on the appeal. */
export const RecordCourtDecision = Schema.TaggedStruct("RecordCourtDecision", {
  caseId: NuisanceCaseId,
  decidedAt: Schema.DateTimeUtcFromString,
  outcome: Ruling,
  comment: CaseComment
})

/** Records that the city abated the nuisance itself (cleanup, board-up, demolition) and what it cost. */
export const RecordCityAbatement = Schema.TaggedStruct("RecordCityAbatement", {
  caseId: NuisanceCaseId,
  completedAt: Schema.DateTimeUtcFromString,
  work: Schema.NonEmptyString.check(Schema.isMaxLength(4000)),
  costInDollars: Dollars,
  comment: CaseComment
})

/**
 * Records a summary abatement: the city abated an imminent hazard at once,
 * before any notice or hearing, for the reason given (the hazard that could
 * not wait), at a recorded cost. Only roles granted the `summary-abatement`
 * duty may; notice after the fact is due within `periods.postAbatementNotice`,
 * and the costs are invoiced only after it.
 */
export const RecordSummaryAbatement = Schema.TaggedStruct("RecordSummaryAbatement", {
  caseId: NuisanceCaseId,
  completedAt: Schema.DateTimeUtcFromString,
  reason: Schema.NonEmptyString.check(Schema.isTrimmed(), Schema.isMaxLength(4000)),
  work: Schema.NonEmptyString.check(Schema.isMaxLength(4000)),
  costInDollars: Dollars,
  comment: CaseComment
})

/** Serves the notice after the fact of a summary abatement: what was done, why, and what it cost. */
export const ServePostAbatementNotice = Schema.TaggedStruct("ServePostAbatementNotice", {
  caseId: NuisanceCaseId,
  service: ServiceOfNotice,
  comment: CaseComment
})

/** Serves the invoice of abatement costs (at most the recorded cost); the time to pay runs from service. */
export const InvoiceCosts = Schema.TaggedStruct("InvoiceCosts", {
  caseId: NuisanceCaseId,
  amountInDollars: Dollars,
  service: ServiceOfNotice,
  comment: CaseComment
})

/** A payment toward one citation. */
export const TowardCitation = Schema.TaggedStruct("Citation", { citationNumber: Reference })

/** A payment toward the invoiced abatement costs (or the lien securing them). */
export const TowardAbatementCosts = Schema.TaggedStruct("AbatementCosts", {})

/** Records a payment of a fine or of abatement costs; it may not exceed what is owed. */
export const RecordPayment = Schema.TaggedStruct("RecordPayment", {
  caseId: NuisanceCaseId,
  paidAt: Schema.DateTimeUtcFromString,
  amountInDollars: Dollars,
  toward: Schema.Union([TowardCitation, TowardAbatementCosts]),
  receiptNumber: Schema.optionalKey(Reference)
})

/**
 * Serves the notice of a nuisance abatement lien on the owner of record,
 * before the lien is recorded (Gov. Code 38773.1(a)), once the time to pay
 * has passed. The person served must be the owner of record (capacity
 * `owner`), served as a summons is (`summonsMethods`); or, when a diligent
 * search could not find the owner, `ownerNotFound` records the search and
 * the publication, and the `service` is the posting on the property (Gov.
 * Code 38773.1(b)). The lien may be recorded once `periods.lienNotice` has
 * passed since notice was complete: the date the notice gives.
 */
export const ServeLienNotice = Schema.TaggedStruct("ServeLienNotice", {
  caseId: NuisanceCaseId,
  service: ServiceOfNotice,
  ownerNotFound: Schema.optionalKey(OwnerNotFound),
  comment: CaseComment
})

/**
 * Records the unpaid abatement costs as a lien on the property with the
 * county recorder (Gov. Code 38773.1(c)), once the notice period of the
 * lien notice has passed. The lien's amount is the unpaid balance.
 */
export const RecordLien = Schema.TaggedStruct("RecordLien", {
  caseId: NuisanceCaseId,
  recordedAt: Schema.DateTimeUtcFromString,
  recorderDocumentNumber: Schema.optionalKey(Reference),
  comment: CaseComment
})

/**
 * Serves on the owner, by certified mail, the notice that the unpaid
 * abatement costs are proposed as a special assessment on the property
 * (Gov. Code 38773.5), with the date of the hearing before the legislative
 * body that will confirm it. The alternative to a lien, once the time to pay
 * has passed.
 */
export const ServeSpecialAssessmentNotice = Schema.TaggedStruct("ServeSpecialAssessmentNotice", {
  caseId: NuisanceCaseId,
  hearingAt: Schema.DateTimeUtcFromString,
  service: ServiceOfNotice,
  comment: CaseComment
})

/**
 * Records that the legislative body confirmed the special assessment after
 * its hearing (its resolution's number, when it has one): the unpaid
 * balance goes on the property tax roll and is collected with the ordinary
 * taxes (Gov. Code 38773.5).
 */
export const RecordSpecialAssessment = Schema.TaggedStruct("RecordSpecialAssessment", {
  caseId: NuisanceCaseId,
  confirmedAt: Schema.DateTimeUtcFromString,
  resolutionNumber: Schema.optionalKey(Reference),
  comment: CaseComment
})

/**
 * The civil actions a city attorney may bring:
 *
 * - `nuisance-abatement-suit`: a public nuisance action (Civil Code 3479,
 *   3491; Code Civ. Proc. 731).
 * - `receivership`: a receiver appointed over a substandard building
 *   (Health & Safety Code 17980.6, 17980.7).
 * - `drug-abatement`: an action under the Drug Abatement Act (Health &
 *   Safety Code 11570 ff.).
 */
export const CivilActionKind = Schema.Literals(["nuisance-abatement-suit", "receivership", "drug-abatement"])

/** A kind of civil action; see {@link CivilActionKind}. */
export type CivilActionKind = typeof CivilActionKind.Type

/** How a civil action ended. */
export const CivilActionOutcome = Schema.Literals(["judgment-for-city", "settled", "dismissed"])

/** Files a civil action (at most one of each kind pending at a time). */
export const FileCivilAction = Schema.TaggedStruct("FileCivilAction", {
  caseId: NuisanceCaseId,
  kind: CivilActionKind,
  courtCaseNumber: Reference,
  filedAt: Schema.DateTimeUtcFromString,
  comment: CaseComment
})

/** Records how a pending civil action ended. */
export const ConcludeCivilAction = Schema.TaggedStruct("ConcludeCivilAction", {
  caseId: NuisanceCaseId,
  kind: CivilActionKind,
  outcome: CivilActionOutcome,
  concludedAt: Schema.DateTimeUtcFromString,
  comment: CaseComment
})

/**
 * The closings a person decides (the others follow from a step: no
 * violation, compliance, a kept plan, an overturned order):
 * `costs-recovered` once nothing is owed, `lien-recorded` once the unpaid
 * costs are secured by a lien, `special-assessment-recorded` once they are
 * on the property tax roll, `civil-action-concluded` once no civil action
 * is pending.
 */
export const ManualClosureReason = Schema.Literals(["costs-recovered", "lien-recorded", "special-assessment-recorded", "civil-action-concluded"])

/** Closes a case at the end of cost recovery or civil action. */
export const CloseCase = Schema.TaggedStruct("CloseCase", {
  caseId: NuisanceCaseId,
  reason: ManualClosureReason,
  occurredAt: OccurredAt,
  comment: CaseComment
})

/** Attaches police evidence (a report, an arrest record, an officer's observation) to an open case. */
export const AttachPoliceEvidence = Schema.TaggedStruct("AttachPoliceEvidence", {
  caseId: NuisanceCaseId,
  reportNumber: Schema.optionalKey(Reference),
  description: Schema.NonEmptyString.check(Schema.isMaxLength(4000)),
  occurredAt: OccurredAt
})

/** Adds a comment to an open case without changing its stage. */
export const CommentOnCase = Schema.TaggedStruct("CommentOnCase", {
  caseId: NuisanceCaseId,
  occurredAt: OccurredAt,
  comment: CaseComment
})

/** Any command of a nuisance case. */
export const NuisanceCaseCommand = Schema.Union([
  OpenCase,
  TriageCase,
  RecordInspection,
  ServeOwnerLetter,
  RecordOwnerMeeting,
  AgreeAbatementPlan,
  ReviewAbatementPlan,
  ServeNoticeOfViolation,
  GrantExtension,
  RecordReinspection,
  ServeNoticeOfPublicNuisance,
  IssueCitation,
  RequestHearing,
  ServeHearingNotice,
  RecordHearingDecision,
  ServeHearingDecision,
  ServeAbatementOrder,
  RecordCourtAppeal,
  RecordCourtDecision,
  RecordCityAbatement,
  RecordSummaryAbatement,
  ServePostAbatementNotice,
  InvoiceCosts,
  RecordPayment,
  ServeLienNotice,
  RecordLien,
  ServeSpecialAssessmentNotice,
  RecordSpecialAssessment,
  FileCivilAction,
  ConcludeCivilAction,
  CloseCase,
  AttachPoliceEvidence,
  CommentOnCase
])

/** Any command of a nuisance case; see {@link NuisanceCaseCommand}. */
export type NuisanceCaseCommand = typeof NuisanceCaseCommand.Type

/** The name of a command, e.g. `ServeNoticeOfViolation`. */
export type NuisanceCaseCommandName = NuisanceCaseCommand["_tag"]

/** One problem in a command: where it is (keys and list indexes) and what is wrong. */
export const CommandProblem = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  message: Schema.String
})

/**
 * A command was malformed: not a known command, a missing or wrong field,
 * an unknown field, an empty comment, an amount in fractions of a cent.
 * Lists every problem; nothing was decided.
 */
export class InvalidCaseCommand extends Schema.TaggedError<InvalidCaseCommand>()("InvalidCaseCommand", {
  rule: Schema.Literal("command-schema"),
  problems: Schema.NonEmptyArray(CommandProblem)
}) {
  override get message(): string {
    return `Invalid nuisance case command: ${this.problems.map((p) => `${p.path.join(".") || "(root)"}: ${p.message}`).join("; ")}`
  }
}

const toProblems = SchemaIssue.makeFormatterStandardSchemaV1()
const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

const invalid = (issue: SchemaIssue.Issue, fallback: string): InvalidCaseCommand => {
  const [first, ...rest] = toProblems(issue).issues.map((problem) => ({
    path: (problem.path ?? []).map(pathKey),
    message: problem.message
  }))
  return new InvalidCaseCommand({
    rule: "command-schema",
    problems: first === undefined ? [{ path: [], message: fallback }] : [first, ...rest]
  })
}

// Unknown keys are refused, not dropped: in input from another system they
// are misspellings ("coment") that would otherwise lose what was meant.
const decodeCommand = Schema.decodeUnknownResult(NuisanceCaseCommand, { errors: "all", onExcessProperty: "error" })
const checkCommand = Schema.decodeUnknownResult(Schema.toType(NuisanceCaseCommand), { errors: "all" })

/**
 * Decodes a command from untrusted JSON (an HTTP body, a queue message):
 * the typed command, or {@link InvalidCaseCommand} listing every problem.
 *
 * @example
 * ```ts
 * decodeNuisanceCaseCommand({ _tag: "CommentOnCase", caseId: "2026-000123", comment: "owner called back" })
 * ```
 */
export const decodeNuisanceCaseCommand = (input: unknown): Result.Result<NuisanceCaseCommand, InvalidCaseCommand> =>
  Result.mapError(decodeCommand(input), (error) => invalid(error.issue, error.message))

/**
 * Checks a command built in code (already typed, so not decoded) against
 * its schema's rules: non-empty comments, whole cents, valid case numbers.
 * The decider runs it first, so a command that bypassed decoding is still
 * refused with {@link InvalidCaseCommand}.
 */
export const checkNuisanceCaseCommand = (
  command: NuisanceCaseCommand
): Result.Result<NuisanceCaseCommand, InvalidCaseCommand> =>
  Result.mapError(checkCommand(command), (error) => invalid(error.issue, error.message))
