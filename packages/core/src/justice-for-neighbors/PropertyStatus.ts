/**
 * The public status of a property: what a resident sees when looking up an
 * address (as BlightStatus let New Orleans residents do): each nuisance case
 * about the property, its category and stage in plain words, when it opened
 * and closed, and the next step with its date. It is built from the case
 * board and passed through `redact` for the `public` audience, so no
 * personal or confidential field (names, people served, comments,
 * complainants, evidence) can appear in it.
 *
 * @module
 */
import { DateTime, Effect, Result, Schema } from "effect"
import { redact } from "../engine/Redaction.ts"
import { caseAddressKey } from "../kernel/Address.ts"
import { AddressKey } from "../kernel/Place.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { compareCodePoints, type ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import { type CaseSummary, caseSummaries } from "./CaseBoard.ts"
import { InvalidCaseQuery } from "./CaseQueries.ts"
import { CaseStage, ClosureReason } from "./CaseStage.ts"
import { NuisanceCaseId } from "./NuisanceCaseCommands.ts"
import { DeadlinePurpose } from "./NuisanceCaseEvents.ts"

const Instant = Schema.DateTimeUtcFromString
const Words = Schema.NonEmptyString

/**
 * How one stage reads on the public page: its status, the next step (none
 * for `closed`), and what the next step's date is: a deadline of the case
 * (its due instant, while it runs), the hearing (its date), or none.
 */
export const PublicStageWording = Schema.Struct({
  status: Words,
  nextStep: Schema.NullOr(Words),
  waitsFor: Schema.NullOr(Schema.Literals([...DeadlinePurpose.literals, "hearing"]))
})

/** How one stage reads on the public page; see {@link PublicStageWording}. */
export type PublicStageWording = typeof PublicStageWording.Type

/**
 * The words of the public page, per category, stage and closing reason: a
 * city writes its own (its language, its ordinance's terms) and passes them
 * to {@link propertyStatus}; {@link plainEnglishCaseWording} is the default.
 */
export const PublicCaseWording = Schema.Struct({
  categories: Schema.Record(NuisanceCategory, Words),
  stages: Schema.Record(CaseStage, PublicStageWording),
  outcomes: Schema.Record(ClosureReason, Words)
})

/** The words of the public page; see {@link PublicCaseWording}. */
export type PublicCaseWording = typeof PublicCaseWording.Type

const stage = (status: string, nextStep: string | null, waitsFor: PublicStageWording["waitsFor"] = null): PublicStageWording => ({
  status,
  nextStep,
  waitsFor
})

/** The default words of the public page, in plain English. */
export const plainEnglishCaseWording: PublicCaseWording = {
  categories: {
    "illegal-dumping": "Illegal dumping",
    "squatters": "Unlawful occupancy (squatters)",
    "absent-landlord": "Absent landlord",
    "dangerous-building": "Dangerous building",
    "irresponsible-business-owner": "Irresponsible business owner",
    "excessive-calls-for-service": "Excessive calls for police service at a business",
    "blight": "Blight"
  },
  stages: {
    "intake": stage("Complaint received", "Review by the district team and inspection of the property", "inspection"),
    "triaged": stage("Reviewed by the district team", "Inspection of the property, or a letter to its owner", "inspection"),
    "violation-found": stage("Violation found at inspection", "Notice of violation to the owner"),
    "owner-letter-sent": stage("Letter sent to the owner", "Meeting with the owner"),
    "owner-met": stage("The owner met the district team", "A plan to end the problem, agreed with the owner"),
    "abatement-plan-agreed": stage("The owner agreed a plan to end the problem", "Review of the plan at the end of its term", "abatement-plan"),
    "owner-engagement-failed": stage("The owner did not take part in ending the problem", "Notice of violation to the owner"),
    "notice-of-violation-served": stage("Notice of violation served", "The owner corrects the violations; reinspection after the deadline", "compliance"),
    "reinspection-failed": stage("Violations still present at reinspection", "Further notice to the owner", "compliance"),
    "public-nuisance-declared": stage("Notice of public nuisance served", "The owner may request a hearing until the deadline; then a hearing, citations or an order to abate", "hearing-request"),
    "cited": stage("Administrative citation issued", "The owner may request a hearing until the deadline; then a hearing, or further enforcement", "hearing-request"),
    "hearing-scheduled": stage("Hearing scheduled", "Administrative hearing", "hearing"),
    "hearing-decided": stage("The hearing officer upheld the nuisance", "The decision is served; it may be appealed to court until the deadline; then an order to abate", "court-appeal"),
    "abatement-ordered": stage("Order to abate the nuisance served", "The owner abates the nuisance; the order may be appealed to court until the deadline", "court-appeal"),
    "court-appeal": stage("The order was appealed to court", "The court's decision"),
    "order-upheld": stage("The court upheld the order", "Abatement by the city if the owner does not abate"),
    "city-abated": stage("The city abated the nuisance", "Invoice of the city's costs to the owner"),
    "costs-invoiced": stage("The city's costs were invoiced to the owner", "Payment of the costs", "cost-payment"),
    "lien-noticed": stage("The owner was notified that a lien will be recorded for unpaid costs", "Payment of the costs by this date; after it, the lien may be recorded", "lien-recording"),
    "lien-recorded": stage("Lien recorded on the property for unpaid costs", "Collection of the costs"),
    "special-assessment-noticed": stage("The owner was notified of a special assessment for unpaid costs", "Hearing before the city council, which may confirm the assessment"),
    "special-assessment-recorded": stage("Unpaid costs added to the property tax bill as a special assessment", "Collection with the property taxes"),
    "civil-action": stage("Civil action filed in court", "Court proceedings"),
    "closed": stage("Closed", null)
  },
  outcomes: {
    "no-violation": "No violation was found",
    "complied": "The violations were corrected",
    "abatement-plan-kept": "The owner kept the plan to its term",
    "overturned-at-hearing": "The hearing officer found no nuisance",
    "overturned-in-court": "The court set the order aside",
    "costs-recovered": "The city's costs were paid",
    "lien-recorded": "Unpaid costs are secured by a lien on the property",
    "special-assessment-recorded": "Unpaid costs are collected with the property taxes",
    "civil-action-concluded": "The civil action has ended"
  }
}

/** The next step of a case on the public page, and its date when one is set. */
export const PublicNextStep = Schema.Struct({
  inWords: Words,
  due: Schema.NullOr(Instant)
})

/** The next step of a case on the public page; see {@link PublicNextStep}. */
export type PublicNextStep = typeof PublicNextStep.Type

/**
 * One case as the public sees it: its number, category and stage (as codes
 * and in plain words), when it opened and closed, how it ended, and the
 * next step. It has no field for a person, a comment or the evidence.
 */
export const PublicCaseStatus = Schema.Struct({
  caseId: NuisanceCaseId,
  category: NuisanceCategory,
  categoryInWords: Words,
  stage: CaseStage,
  stageInWords: Words,
  openedAt: Instant,
  closedAt: Schema.NullOr(Instant),
  outcomeInWords: Schema.NullOr(Words),
  nextStep: Schema.NullOr(PublicNextStep)
})

/** One case as the public sees it; see {@link PublicCaseStatus}. */
export type PublicCaseStatus = typeof PublicCaseStatus.Type

/** The public status of a property: its cases, the newest first. */
export const PropertyStatus = Schema.Struct({
  addressKey: AddressKey,
  cases: Schema.Array(PublicCaseStatus)
})

/** The public status of a property; see {@link PropertyStatus}. */
export type PropertyStatus = typeof PropertyStatus.Type

/** One case summary in the public's words. */
export const publicCaseStatus = (summary: CaseSummary, wording: PublicCaseWording = plainEnglishCaseWording): PublicCaseStatus => {
  const words = wording.stages[summary.stage]
  const waitsFor = words.waitsFor
  const due = waitsFor === null
    ? null
    : waitsFor === "hearing"
    ? summary.hearingAt
    : summary.openDeadlines.find((deadline) => deadline.purpose === waitsFor)?.due ?? null
  return {
    caseId: summary.caseId,
    category: summary.category,
    categoryInWords: wording.categories[summary.category],
    stage: summary.stage,
    stageInWords: words.status,
    openedAt: summary.openedAt,
    closedAt: summary.closedAt,
    outcomeInWords: summary.closureReason === null ? null : wording.outcomes[summary.closureReason],
    nextStep: words.nextStep === null ? null : { inWords: words.nextStep, due }
  }
}

/**
 * The public status of a property from the summaries of its cases, the
 * newest first (ties by case number). The address is normalized as case
 * intake normalizes it ({@link caseAddressKey}), on both sides, so any
 * spelling of it finds its cases. Pure; {@link propertyStatus} reads the
 * summaries from the board.
 */
export const propertyStatusOf = (
  address: string,
  summaries: ReadonlyArray<CaseSummary>,
  wording: PublicCaseWording = plainEnglishCaseWording
): PropertyStatus => {
  const addressKey = caseAddressKey(address)
  return {
    addressKey,
    cases: summaries
      .filter((summary) => caseAddressKey(summary.addressKey) === addressKey)
    .sort((a, b) =>
      DateTime.toEpochMillis(b.openedAt) - DateTime.toEpochMillis(a.openedAt) || compareCodePoints(a.caseId, b.caseId)
    )
      .map((summary) => publicCaseStatus(summary, wording))
  }
}

/**
 * The public status page of a property: every case about the address, as
 * JSON redacted for the `public` audience. What a resident types is
 * normalized the way case intake normalizes the case's address
 * ({@link caseAddressKey}), so `3555 Auburn Boulevard` finds a case opened
 * at `3555 AUBURN BLVD` and the page names the normalized key. A property
 * with no case has an empty list. An address that is neither normalizable
 * nor a valid key (blank, say) fails with {@link InvalidCaseQuery} and
 * reads nothing.
 *
 * @example
 * ```ts
 * const page = yield* propertyStatus("sacramento", "2315 10th Avenue")
 * // { addressKey: "2315 10TH AVE", cases: [{ caseId: "2026-000123", stageInWords: "Hearing scheduled", ... }] }
 * ```
 */
export const propertyStatus = Effect.fnUntraced(function*(
  tenantId: string,
  addressKey: string,
  options: { readonly wording?: PublicCaseWording | undefined } = {}
): Effect.fn.Return<Schema.Json, InvalidCaseQuery | InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const checked = yield* Result.match(Schema.decodeUnknownResult(AddressKey)(caseAddressKey(addressKey)), {
    onSuccess: (key) => Effect.succeed(key),
    onFailure: (error) =>
      Effect.fail(new InvalidCaseQuery({ rule: "address-key-format", field: "addressKey", value: addressKey, problem: error.message }))
  })
  const summaries = yield* caseSummaries(tenantId, { where: [{ field: "addressKey", equals: checked }] })
  return redact(PropertyStatus, propertyStatusOf(checked, summaries, options.wording), "public")
})
