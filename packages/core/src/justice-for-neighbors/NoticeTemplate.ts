/**
 * Notice templates: the letters, notices, orders, invoices and lien notices
 * of a Justice for Neighbors case as data a city or an app can replace. A
 * notice template is a document template of the engine (`engine/Documents`)
 * filed under one of the case's kinds ({@link NoticeKind}); this module
 * holds what is the program's own: the standard vocabulary of placeholders
 * of each kind (see {@link standardNoticePlaceholders}), the contract
 * between the case workflow, which supplies the values, and any template
 * of that kind, and the rule that no text presses eviction for contacts
 * with law enforcement (Gov. Code 53165.1). A template may declare
 * placeholders of its own, which the app then supplies.
 *
 * @module
 */
import { Result, Schema } from "effect"
import {
  type DocumentKind,
  DocumentAddresseeTemplate,
  DocumentPlaceholder,
  DocumentPlaceholderName,
  DocumentPlaceholderType,
  DocumentProblemCode,
  documentProblemSchema,
  DocumentTemplate,
  DocumentTemplateBlock,
  DocumentTemplateCitation,
  DocumentTemplateCondition,
  DocumentTemplateField,
  documentTemplateFields,
  type DocumentTemplatePart,
  documentTemplateParts,
  documentTemplateProblems,
  type DocumentTextPiece,
  type DocumentTextRule,
  DocumentTextBlock,
  DocumentListBlock,
  documentVocabulary,
  formatTemplateProblems,
  parseDocumentText,
  rejectTemplate,
  templatePlaceholderProblems,
  templateShapeProblems
} from "../engine/Documents.ts"
import { ConfigProblem } from "../kernel/Jurisdiction.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { NoticeKind } from "./NoticeKind.ts"
import { EVICTION_PRESSURE_LAW, type EvictionPressure, evictionPressure } from "./EvictionPressure.ts"

/** The program id Justice for Neighbors files its documents under in a document registry. */
export const JUSTICE_FOR_NEIGHBORS_PROGRAM = "justice-for-neighbors"

// ---------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------

/** A placeholder's name: camelCase letters and digits, e.g. `complianceDue` (the engine's `DocumentPlaceholderName`). */
export const NoticePlaceholderName = DocumentPlaceholderName

/** What a placeholder holds: `text` or a `list` of texts (the engine's `DocumentPlaceholderType`). */
export const NoticePlaceholderType = DocumentPlaceholderType

/** What a placeholder holds; see {@link NoticePlaceholderType}. */
export type NoticePlaceholderType = DocumentPlaceholderType

/** A placeholder a notice template may use (the engine's `DocumentPlaceholder`). */
export const NoticePlaceholder = DocumentPlaceholder

/** A placeholder a template may use; see {@link NoticePlaceholder}. */
export type NoticePlaceholder = DocumentPlaceholder

const text = (name: string, description: string): NoticePlaceholder => ({ name, type: "text", description })
const personalText = (name: string, description: string): NoticePlaceholder => ({ ...text(name, description), sensitivity: "personal" })
const list = (name: string, description: string): NoticePlaceholder => ({ name, type: "list", description })
const choice = (name: string, description: string, oneOf: readonly [string, ...Array<string>]): NoticePlaceholder => ({
  name,
  type: "text",
  description,
  oneOf
})

const yesNo = ["yes", "no"] as const

/** The placeholders every kind of notice has. */
export const commonNoticePlaceholders: ReadonlyArray<NoticePlaceholder> = [
  text("cityName", "The issuing city or county, e.g. City of Sacramento."),
  text("issuingOffice", "The office or team issuing the document, e.g. Justice for Neighbors, Council District 3."),
  text("documentDate", "The date the document bears, written out (formatNoticeDate)."),
  text("caseNumber", "The case's number."),
  personalText("addresseeName", "Who the document is addressed to: the owner, operator or other responsible party."),
  personalText("addresseeAddress", "The addressee's mailing address, one line per address line."),
  text("propertyAddress", "The address of the property the case is about."),
  text("contactPhone", "The office's telephone number for questions.")
]

const category = choice(
  "category",
  "The case's nuisance category, which selects the rules that apply.",
  NuisanceCategory.literals
)
const substandardBuilding = choice(
  "substandardBuilding",
  "Whether the building is substandard and endangers its occupants or the public (H&S 17980.6): yes or no.",
  yesNo
)
const drugActivity = choice(
  "drugActivity",
  "Whether the property is used for unlawful drug activity (H&S 11570): yes or no.",
  yesNo
)
const courtAppealPeriod = text(
  "courtAppealPeriod",
  "The time to appeal a final administrative order or decision to the superior court (describePeriod of courtAppeal)."
)

/**
 * The standard placeholders of each kind of notice, besides the
 * {@link commonNoticePlaceholders}: what the case workflow supplies for it.
 */
export const noticeKindPlaceholders: { readonly [K in NoticeKind]: ReadonlyArray<NoticePlaceholder> } = {
  "owner-letter": [
    text("businessName", "The name of the business at the property, e.g. the motel or bar."),
    text("callWindow", "The period the counted calls fall in, e.g. the 30 days ending March 1, 2026."),
    text("callsCounted", "How many calls counted toward the threshold."),
    text("thresholdDescription", "The threshold that was met, in words (the evidence's ruleDescription)."),
    text("respondBy", "The date by which the owner is asked to contact the team.")
  ],
  "notice-of-violation": [
    category,
    list("violations", "Each violation found, with the code section it breaks and what correcting it takes."),
    text("compliancePeriod", "The time to comply (describePeriod of the category's compliance period)."),
    text("complianceDue", "The date by which the violations must be corrected; for a dangerous building, the completion date the order sets."),
    text("orderDate", "For a dangerous building: the date of the notice and order, from which the time to obtain permits and begin work runs (Sacramento City Code 8.96.130(B)(3))."),
    text("startPeriod", "For a dangerous building: the time to obtain permits and begin work (describePeriod of periods.dangerousBuildingStart)."),
    text("startDue", "For a dangerous building: the date by which permits must be obtained and work begun.")
  ],
  "notice-of-public-nuisance": [
    category,
    list("findings", "What makes the property a public nuisance, one finding per item."),
    text("abateBy", "The date by which the nuisance must be abated."),
    substandardBuilding,
    drugActivity
  ],
  "administrative-citation": [
    text("citationNumber", "The citation's number."),
    text("violation", "The violation cited, with the code section."),
    text("violationDate", "The date the violation was observed."),
    text("violationOrdinal", "Which violation within the fine window this is: first, second, ... (violationOrdinal)."),
    choice("fineSchedule", "The fine schedule that applies: general or building-and-safety (Gov. Code 36900(b), (c)).", [
      "general",
      "building-and-safety"
    ]),
    text("fineAmount", "The fine (formatDollars)."),
    text("fineCap", "The most the fine may be for this violation under the schedule (formatDollars)."),
    text("payBy", "The date by which the fine must be paid."),
    text("hearingRequestBy", "The date by which a hearing to contest the citation must be requested."),
    courtAppealPeriod
  ],
  "hearing-notice": [
    text("hearingSubject", "What the hearing decides, e.g. the appeal of citation 2026-0112."),
    text("hearingDateTime", "When the hearing starts (formatNoticeDateTime)."),
    text("hearingPlace", "Where the hearing is held, or how to join it."),
    courtAppealPeriod
  ],
  "hearing-decision": [
    text("hearingSubject", "What the hearing decided, e.g. the notice of public nuisance of March 23, 2026."),
    text("hearingDate", "The date the hearing was held (formatNoticeDate)."),
    text("hearingOfficerName", "The hearing officer who decided."),
    choice("outcome", "What the hearing officer decided: upheld or overturned.", ["upheld", "overturned"]),
    list("findings", "The hearing officer's findings, one item each."),
    courtAppealPeriod
  ],
  "abatement-order": [
    list("workRequired", "The work the owner must do to abate the nuisance, one item each."),
    text("abateBy", "The date by which the work must be done."),
    choice(
      "afterHearing",
      "Whether the order carries out a hearing officer's served decision, whose service started the court appeal (yes), or follows the notice of public nuisance with no hearing and is itself the final order (no).",
      yesNo
    ),
    substandardBuilding,
    drugActivity,
    courtAppealPeriod
  ],
  "post-abatement-notice": [
    text("abatedOn", "The date the city abated the hazard (formatNoticeDate)."),
    text("hazardReason", "The imminent hazard that could not wait for notice and a hearing."),
    list("workDone", "The work the city did, one item each."),
    text("abatementCost", "What the abatement cost (formatDollars)."),
    text("hearingRequestBy", "The date by which the owner may request a hearing on the abatement and its cost.")
  ],
  "cost-invoice": [
    text("invoiceNumber", "The invoice's number."),
    list("costItems", "Each cost of the abatement with its amount."),
    text("totalCost", "The total due (formatDollars)."),
    text("payBy", "The date by which the costs must be paid before they may become a lien.")
  ],
  "lien-notice": [
    text("lienAmount", "The amount of the lien (formatDollars)."),
    text("abatementOrderDate", "The date of the abatement order whose costs are unpaid."),
    text("parcelNumber", "The assessor's parcel number."),
    text("legalDescription", "The legal description of the parcel."),
    text("recordingOn", "The earliest date the lien will be recorded with the county recorder: the date the case enforces (lienRecordingOn, or lienRecordingDeadline before service).")
  ],
  "special-assessment-notice": [
    text("assessmentAmount", "The unpaid costs proposed as a special assessment (formatDollars)."),
    text("abatementOrderDate", "The date of the abatement order whose costs are unpaid."),
    text("parcelNumber", "The assessor's parcel number."),
    text("hearingDateTime", "When the legislative body hears objections and may confirm the assessment (formatNoticeDateTime)."),
    text("hearingPlace", "Where the hearing is held, or how to join it.")
  ]
}

/** Every standard placeholder of a kind: the common ones, then the kind's own. */
export const standardNoticePlaceholders = (kind: NoticeKind): ReadonlyArray<NoticePlaceholder> => [
  ...commonNoticePlaceholders,
  ...noticeKindPlaceholders[kind]
]


// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

/** Shows a block, field or citation only when a text placeholder's value is one of `oneOf` (the engine's `DocumentTemplateCondition`). */
export const NoticeTemplateCondition = DocumentTemplateCondition

/** A condition on a part of a template; see {@link NoticeTemplateCondition}. */
export type NoticeTemplateCondition = DocumentTemplateCondition

/** A paragraph of text with placeholders (the engine's `DocumentTextBlock`). */
export const NoticeTextBlock = DocumentTextBlock

/** A list of items from a `list` placeholder (the engine's `DocumentListBlock`). */
export const NoticeListBlock = DocumentListBlock

/** One block of a template's body (the engine's `DocumentTemplateBlock`). */
export const NoticeTemplateBlock = DocumentTemplateBlock

/** One block of a template's body. */
export type NoticeTemplateBlock = DocumentTemplateBlock

/** A labelled value shown apart from the body (the engine's `DocumentTemplateField`). */
export const NoticeTemplateField = DocumentTemplateField

/** A labelled value of a template; see {@link NoticeTemplateField}. */
export type NoticeTemplateField = DocumentTemplateField

/** A legal citation: the source and what it means for the addressee (the engine's `DocumentTemplateCitation`). */
export const NoticeTemplateCitation = DocumentTemplateCitation

/** A legal citation of a template; see {@link NoticeTemplateCitation}. */
export type NoticeTemplateCitation = DocumentTemplateCitation

/**
 * A template for one kind of notice: a document template (the engine's
 * fields) filed by its kind only, always with an addressee. `language` is
 * any non-empty text here, as before the engine; a notice template filed in
 * a document registry needs a BCP 47 tag.
 *
 * @example
 * ```ts
 * const reminder: NoticeTemplate = {
 *   ...defaultNoticeTemplates["notice-of-violation"],
 *   id: "springfield-notice-of-violation",
 *   paragraphs: [{ _tag: "Text", text: "Inspector {{inspectorName}} found these violations:" }, { _tag: "List", items: "violations" }],
 *   placeholders: [{ name: "inspectorName", type: "text", description: "Who inspected." }]
 * }
 * ```
 */
export const NoticeTemplate = Schema.Struct({
  ...documentTemplateFields,
  kind: NoticeKind,
  /** The language of the texts, e.g. `en`, `es`. */
  language: Schema.NonEmptyString,
  addressee: DocumentAddresseeTemplate
})

/** A template for one kind of notice; see {@link NoticeTemplate}. */
export type NoticeTemplate = typeof NoticeTemplate.Type

/** A template of one given kind; see {@link noticeTemplateOfKind}. */
export type NoticeTemplateOf<K extends NoticeKind> = NoticeTemplate & { readonly kind: K }

/** The schema of a template that must be of one kind, e.g. the one a set keeps under `"lien-notice"`. */
export const noticeTemplateOfKind = <K extends NoticeKind>(kind: K) =>
  Schema.Struct({ ...NoticeTemplate.fields, kind: Schema.Literal(kind) })

/**
 * One template per kind of notice, each under its own kind: a template
 * filed under another kind is refused by its `kind` field.
 */
export const NoticeTemplateSet = Schema.Struct({
  "owner-letter": noticeTemplateOfKind("owner-letter"),
  "notice-of-violation": noticeTemplateOfKind("notice-of-violation"),
  "notice-of-public-nuisance": noticeTemplateOfKind("notice-of-public-nuisance"),
  "administrative-citation": noticeTemplateOfKind("administrative-citation"),
  "hearing-notice": noticeTemplateOfKind("hearing-notice"),
  "hearing-decision": noticeTemplateOfKind("hearing-decision"),
  "abatement-order": noticeTemplateOfKind("abatement-order"),
  "post-abatement-notice": noticeTemplateOfKind("post-abatement-notice"),
  "cost-invoice": noticeTemplateOfKind("cost-invoice"),
  "lien-notice": noticeTemplateOfKind("lien-notice"),
  "special-assessment-notice": noticeTemplateOfKind("special-assessment-notice")
})

/** One template per kind of notice; see {@link NoticeTemplateSet}. */
export type NoticeTemplateSet = typeof NoticeTemplateSet.Type

/**
 * A notice template as a document template of the program, to file in a
 * document registry beside other programs' templates (see
 * {@link noticeDocumentKinds}).
 */
export const noticeDocumentTemplate = (template: NoticeTemplate): DocumentTemplate => ({
  program: JUSTICE_FOR_NEIGHBORS_PROGRAM,
  ...template
})

// ---------------------------------------------------------------------------
// Parsing and checking templates
// ---------------------------------------------------------------------------

/** A piece of a parsed template text: literal text, or a placeholder to fill. */
export type NoticeTextPiece = DocumentTextPiece

/**
 * Splits a template text into literal pieces and placeholders (the
 * engine's `parseDocumentText`): `{{ name }}` may have spaces inside the
 * braces; broken braces and names that are not camelCase are `malformed`.
 */
export const parseNoticeText = parseDocumentText

/**
 * What is wrong with a placeholder, in a template or in the data a document
 * is made from: the engine's codes (`DocumentProblemCode`: `malformed`,
 * `unknown`, `redeclared`, `wrong-type`, `not-allowed`, `missing`, `blank`,
 * `unused`, `too-sensitive`) and the program's own:
 *
 * - `presses-eviction` (template or data): a sentence requires or presses a
 *   landlord to evict for contacts with law enforcement, which Gov. Code
 *   53165.1 forbids (a word check, see `evictionPressure`); `placeholder`
 *   is empty.
 */
export const NoticePlaceholderProblemCode = Schema.Literals([...DocumentProblemCode.literals, "presses-eviction"])

/** What is wrong with a placeholder; see {@link NoticePlaceholderProblemCode}. */
export type NoticePlaceholderProblemCode = typeof NoticePlaceholderProblemCode.Type

/** One problem with a placeholder: which, what, and where in the template it was met first. */
export const NoticePlaceholderProblem = documentProblemSchema(NoticePlaceholderProblemCode)

/** One problem with a placeholder; see {@link NoticePlaceholderProblem}. */
export type NoticePlaceholderProblem = typeof NoticePlaceholderProblem.Type

/** One part of a template that holds placeholders, with where it is and its condition. */
export type NoticeTemplatePart = DocumentTemplatePart

/** Every part of a template that can hold placeholders, in document order. */
export const noticeTemplateParts = (template: NoticeTemplate): ReadonlyArray<NoticeTemplatePart> => documentTemplateParts(template)

const evictionDetail = (pressure: EvictionPressure): string =>
  `"${pressure.sentence}" requires or presses eviction ("${pressure.evictionWords}") for contacts with law enforcement ("${pressure.lawEnforcementWords}"), which ${EVICTION_PRESSURE_LAW} forbids`

/**
 * The problem of a sentence that presses eviction for contacts with law
 * enforcement (Gov. Code 53165.1), at `where`; `placeholder` is empty for
 * the template's own text, the placeholder's name for a value.
 */
export const evictionProblem = (placeholder: string, where: string, pressure: EvictionPressure): NoticePlaceholderProblem => ({
  placeholder,
  problem: "presses-eviction",
  where,
  detail: evictionDetail(pressure)
})

/**
 * No text of a notice, the template's or a value, may require or press
 * eviction for contacts with law enforcement (Gov. Code 53165.1; see
 * {@link evictionPressure}).
 */
export const noEvictionPressure: DocumentTextRule<"presses-eviction"> = {
  code: "presses-eviction",
  label: "presses eviction",
  check: (text) => {
    const pressure = evictionPressure(text)
    return pressure === undefined ? undefined : evictionDetail(pressure)
  }
}

/**
 * A kind of notice as the engine reads it: the program, the kind, its
 * standard placeholders and the rule against eviction pressure.
 */
export const noticeDocumentKind = (kind: NoticeKind): DocumentKind<"presses-eviction"> => ({
  program: JUSTICE_FOR_NEIGHBORS_PROGRAM,
  kind,
  placeholders: standardNoticePlaceholders(kind),
  textRules: [noEvictionPressure]
})

/** Every kind of notice as the engine reads it, to state in a document registry. */
export const noticeDocumentKinds: ReadonlyArray<DocumentKind<"presses-eviction">> = NoticeKind.literals.map(noticeDocumentKind)

/** The placeholders a template may use, by name: the kind's standard ones and the template's own. */
export const noticeVocabulary = (template: NoticeTemplate): ReadonlyMap<string, NoticePlaceholder> =>
  documentVocabulary(noticeDocumentKind(template.kind), template)

/**
 * Every problem of a template on its own, before any data (the engine's
 * `documentTemplateProblems` for its kind): malformed or unknown
 * placeholders, a list placed in a text or a text used as a list, a
 * condition on a list or on a value its placeholder never takes, a
 * declared placeholder that redeclares a standard one, and text that
 * requires or presses eviction for contacts with law enforcement (Gov. Code
 * 53165.1; see {@link evictionPressure}). Parts shown only under a
 * condition are checked too, so a typo cannot hide until the condition
 * holds.
 */
export const noticeTemplateProblems = (template: NoticeTemplate): ReadonlyArray<NoticePlaceholderProblem> =>
  documentTemplateProblems(noticeDocumentKind(template.kind), template)

/**
 * A template was rejected: its shape, or its placeholders. Lists every
 * problem so the template's author can fix it in one pass.
 */
export class InvalidNoticeTemplate extends Schema.TaggedError<InvalidNoticeTemplate>()("InvalidNoticeTemplate", {
  problems: Schema.NonEmptyArray(ConfigProblem)
}) {
  override get message(): string {
    return `Invalid notice template:\n${formatTemplateProblems(this.problems)}`
  }
}

const invalid = (problems: readonly [ConfigProblem, ...Array<ConfigProblem>]) => new InvalidNoticeTemplate({ problems })
const decodeTemplate = Schema.decodeUnknownResult(NoticeTemplate, { errors: "all", onExcessProperty: "error" })
const decodeTemplateSet = Schema.decodeUnknownResult(NoticeTemplateSet, { errors: "all", onExcessProperty: "error" })

const placeholderIssues = (template: NoticeTemplate, prefix: ReadonlyArray<string | number>) =>
  templatePlaceholderProblems(noticeDocumentKind(template.kind), template, prefix)

/**
 * Checks an untrusted template (a city's JSON file, a row an app stored)
 * and returns it typed, or one {@link InvalidNoticeTemplate} listing every
 * problem: wrong shapes, unknown keys, and every {@link noticeTemplateProblems}.
 */
export const validateNoticeTemplate = (input: unknown): Result.Result<NoticeTemplate, InvalidNoticeTemplate> => {
  const decoded = decodeTemplate(input)
  if (Result.isFailure(decoded)) return Result.fail(rejectTemplate(templateShapeProblems(decoded.failure), invalid)!)
  const error = rejectTemplate(placeholderIssues(decoded.success, []), invalid)
  return error === undefined ? Result.succeed(decoded.success) : Result.fail(error)
}

/** {@link validateNoticeTemplate} for a whole set: one template per kind, each under its kind. */
export const validateNoticeTemplateSet = (input: unknown): Result.Result<NoticeTemplateSet, InvalidNoticeTemplate> => {
  const decoded = decodeTemplateSet(input)
  if (Result.isFailure(decoded)) return Result.fail(rejectTemplate(templateShapeProblems(decoded.failure), invalid)!)
  const error = rejectTemplate(NoticeKind.literals.flatMap((kind) => placeholderIssues(decoded.success[kind], [kind])), invalid)
  return error === undefined ? Result.succeed(decoded.success) : Result.fail(error)
}
