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
import { confidential } from "../kernel/Sensitivity.ts"
import { FineScheduleKind } from "./AdministrativeFine.ts"
import { ChronicCallerEvidence } from "./Evidence.ts"
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

/** Triages an open case: confirms or corrects whether it is an immediate hazard. */
export const TriageCase = Schema.TaggedStruct("TriageCase", {
  caseId: NuisanceCaseId,
  immediateHazard: Schema.Boolean,
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
 * plan's term) by `period`, counted from the current due date, or from now
 * when that has passed. The reason is recorded with the new deadline.
 */
export const GrantExtension = Schema.TaggedStruct("GrantExtension", {
  caseId: NuisanceCaseId,
  period: Period,
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
 * Issues an administrative citation for a violation of `codeSection`, under
 * the general or the building-and-safety schedule. Its amount may not
 * exceed the cap of its violation number within the window (Gov. Code
 * 36900; 25132); its date is the instant of service.
 */
export const IssueCitation = Schema.TaggedStruct("IssueCitation", {
  caseId: NuisanceCaseId,
  citationNumber: Reference,
  codeSection: Reference,
  schedule: FineScheduleKind,
  amountInDollars: Dollars,
  service: ServiceOfNotice,
  comment: CaseComment
})

/** Serves the notice of the administrative hearing (or appeal hearing), or of its new date. */
export const ServeHearingNotice = Schema.TaggedStruct("ServeHearingNotice", {
  caseId: NuisanceCaseId,
  hearingAt: Schema.DateTimeUtcFromString,
  service: ServiceOfNotice,
  comment: CaseComment
})

/** What a hearing officer or a court decided: the nuisance (or order) `upheld`, or `overturned`. */
export const Ruling = Schema.Literals(["upheld", "overturned"])

/** Records the hearing officer's decision: upheld leads to an abatement order; overturned closes the case and cancels unpaid citations. */
export const RecordHearingDecision = Schema.TaggedStruct("RecordHearingDecision", {
  caseId: NuisanceCaseId,
  decidedAt: Schema.DateTimeUtcFromString,
  outcome: Ruling,
  comment: CaseComment
})

/** Serves the abatement order, the final administrative order; the court appeal window runs from its service. */
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
 * Records the unpaid abatement costs as a lien on the property, once the
 * time to pay has passed (Gov. Code 38773.1, 38773.5), and serves the lien
 * notice. The lien's amount is the unpaid balance.
 */
export const RecordLien = Schema.TaggedStruct("RecordLien", {
  caseId: NuisanceCaseId,
  recordedAt: Schema.DateTimeUtcFromString,
  recorderDocumentNumber: Schema.optionalKey(Reference),
  service: ServiceOfNotice,
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
 * costs are secured by a lien, `civil-action-concluded` once no civil action
 * is pending.
 */
export const ManualClosureReason = Schema.Literals(["costs-recovered", "lien-recorded", "civil-action-concluded"])

/** Closes a case at the end of cost recovery or civil action. */
export const CloseCase = Schema.TaggedStruct("CloseCase", {
  caseId: NuisanceCaseId,
  reason: ManualClosureReason,
  comment: CaseComment
})

/** Attaches police evidence (a report, an arrest record, an officer's observation) to an open case. */
export const AttachPoliceEvidence = Schema.TaggedStruct("AttachPoliceEvidence", {
  caseId: NuisanceCaseId,
  reportNumber: Schema.optionalKey(Reference),
  description: Schema.NonEmptyString.check(Schema.isMaxLength(4000))
})

/** Adds a comment to an open case without changing its stage. */
export const CommentOnCase = Schema.TaggedStruct("CommentOnCase", {
  caseId: NuisanceCaseId,
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
  ServeHearingNotice,
  RecordHearingDecision,
  ServeAbatementOrder,
  RecordCourtAppeal,
  RecordCourtDecision,
  RecordCityAbatement,
  InvoiceCosts,
  RecordPayment,
  RecordLien,
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
