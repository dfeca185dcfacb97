/**
 * Notice templates: the letters, notices, orders, invoices and lien notices
 * of a Justice for Neighbors case as data a city or an app can replace. A
 * template's texts carry `{{placeholder}}`s, filled from the case's data
 * when a document is made; a block, field or citation may be shown only
 * when a placeholder has one of some values (the case's category, whether
 * a building is substandard).
 *
 * Each kind of notice has a standard vocabulary of placeholders (see
 * {@link standardNoticePlaceholders}): the contract between the case workflow,
 * which supplies the values, and any template of that kind. A template may
 * declare placeholders of its own, which the app then supplies.
 *
 * @module
 */
import { Result, Schema, SchemaIssue } from "effect"
import { Slug } from "../kernel/Identifier.ts"
import { ConfigProblem, formatProblemPath } from "../kernel/Jurisdiction.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { NoticeKind } from "./NoticeKind.ts"
import { EVICTION_PRESSURE_LAW, type EvictionPressure, evictionPressure } from "./EvictionPressure.ts"

// ---------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------

/** A placeholder's name: camelCase letters and digits, e.g. `complianceDue`. */
export const NoticePlaceholderName = Schema.NonEmptyString.check(
  Schema.isPattern(/^[a-z][A-Za-z0-9]*$/, { expected: "a camelCase placeholder name, e.g. complianceDue" })
)

/**
 * What a placeholder holds: `text` (placed inside a text with
 * `{{name}}`), or a `list` of texts (shown as a list block, one item each).
 */
export const NoticePlaceholderType = Schema.Literals(["text", "list"])

/** What a placeholder holds; see {@link NoticePlaceholderType}. */
export type NoticePlaceholderType = typeof NoticePlaceholderType.Type

/**
 * A placeholder a template may use: its name, type and meaning, and for a
 * text that takes one of a few values (a category, `yes`/`no`), those values.
 */
export const NoticePlaceholder = Schema.Struct({
  name: NoticePlaceholderName,
  type: NoticePlaceholderType,
  description: Schema.NonEmptyString,
  oneOf: Schema.optionalKey(Schema.NonEmptyArray(Schema.NonEmptyString))
})

/** A placeholder a template may use; see {@link NoticePlaceholder}. */
export type NoticePlaceholder = typeof NoticePlaceholder.Type

const text = (name: string, description: string): NoticePlaceholder => ({ name, type: "text", description })
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
  text("addresseeName", "Who the document is addressed to: the owner, operator or other responsible party."),
  text("addresseeAddress", "The addressee's mailing address, one line per address line."),
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

/** Shows a block, field or citation only when a text placeholder's value is one of `oneOf`. */
export const NoticeTemplateCondition = Schema.Struct({
  placeholder: NoticePlaceholderName,
  oneOf: Schema.NonEmptyArray(Schema.NonEmptyString)
})

/** A condition on a part of a template; see {@link NoticeTemplateCondition}. */
export type NoticeTemplateCondition = typeof NoticeTemplateCondition.Type

const when = Schema.optionalKey(NoticeTemplateCondition)

/** A paragraph of text with placeholders. */
export const NoticeTextBlock = Schema.TaggedStruct("Text", { text: Schema.String, when })

/** A list of items from a `list` placeholder, one item each; introduce it with the text block before it. */
export const NoticeListBlock = Schema.TaggedStruct("List", { items: NoticePlaceholderName, when })

/** One block of a template's body; see {@link NoticeTextBlock} and {@link NoticeListBlock}. */
export const NoticeTemplateBlock = Schema.Union([NoticeTextBlock, NoticeListBlock])

/** One block of a template's body. */
export type NoticeTemplateBlock = typeof NoticeTemplateBlock.Type

/** A labelled value shown apart from the body (case number, amount due, dates). */
export const NoticeTemplateField = Schema.Struct({ label: Schema.NonEmptyString, value: Schema.String, when })

/** A labelled value of a template; see {@link NoticeTemplateField}. */
export type NoticeTemplateField = typeof NoticeTemplateField.Type

/** A legal citation: the source (e.g. `Gov. Code 53069.4(b)(1)`) and what it means for the addressee. */
export const NoticeTemplateCitation = Schema.Struct({ source: Schema.NonEmptyString, text: Schema.String, when })

/** A legal citation of a template; see {@link NoticeTemplateCitation}. */
export type NoticeTemplateCitation = typeof NoticeTemplateCitation.Type

/**
 * A template for one kind of notice: the texts of its title, addressee,
 * body, fields and legal citations, with `{{placeholder}}`s. `placeholders`
 * declares the ones the template adds to the kind's standard vocabulary.
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
  id: Slug,
  kind: NoticeKind,
  /** The language of the texts, as a BCP 47 tag, e.g. `en`, `es`. */
  language: Schema.NonEmptyString,
  title: Schema.String,
  addressee: Schema.Struct({
    name: Schema.String,
    /** The address; each line of the filled text becomes a line of the address. */
    address: Schema.String
  }),
  paragraphs: Schema.NonEmptyArray(NoticeTemplateBlock),
  fields: Schema.Array(NoticeTemplateField),
  /** The heading over the citations, in the template's language, e.g. `Legal basis`. */
  legalBasisHeading: Schema.NonEmptyString,
  citations: Schema.Array(NoticeTemplateCitation),
  placeholders: Schema.Array(NoticePlaceholder)
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

// ---------------------------------------------------------------------------
// Parsing and checking templates
// ---------------------------------------------------------------------------

/** A piece of a parsed template text: literal text, or a placeholder to fill. */
export type NoticeTextPiece = { readonly literal: string } | { readonly placeholder: string }

const namePattern = /^[a-z][A-Za-z0-9]*$/

/**
 * Splits a template text into literal pieces and placeholders. `{{ name }}`
 * may have spaces inside the braces. A `{{` without its `}}`, a `}}`
 * without its `{{`, or a name that is not camelCase is returned in
 * `malformed`, as written.
 */
export const parseNoticeText = (
  source: string
): { readonly pieces: ReadonlyArray<NoticeTextPiece>; readonly malformed: ReadonlyArray<string> } => {
  const pieces: Array<NoticeTextPiece> = []
  const malformed: Array<string> = []
  const literal = (value: string) => {
    if (value.includes("}}")) malformed.push(value.slice(value.indexOf("}}"), value.indexOf("}}") + 2))
    if (value.length > 0) pieces.push({ literal: value })
  }
  let rest = source
  for (;;) {
    const open = rest.indexOf("{{")
    if (open < 0) {
      literal(rest)
      break
    }
    literal(rest.slice(0, open))
    const close = rest.indexOf("}}", open + 2)
    if (close < 0) {
      malformed.push(rest.slice(open))
      break
    }
    const inner = rest.slice(open + 2, close)
    const name = inner.trim()
    if (namePattern.test(name) && !inner.includes("{")) pieces.push({ placeholder: name })
    else malformed.push(rest.slice(open, close + 2))
    rest = rest.slice(close + 2)
  }
  return { pieces, malformed }
}

/**
 * What is wrong with a placeholder, in a template or in the data a document
 * is made from:
 *
 * - `malformed` (template): broken braces or a name that is not camelCase.
 * - `unknown` (template): the kind's vocabulary has no such placeholder and the template does not declare it.
 * - `redeclared` (template): the template declares a placeholder the vocabulary already has.
 * - `wrong-type` (template or data): a list where text is needed, or text where a list is.
 * - `not-allowed` (template or data): a value outside the placeholder's `oneOf`.
 * - `missing` (data): the document needs the placeholder and the data has no value.
 * - `blank` (data): the value is empty or only spaces (a list: no items, or a blank item).
 * - `presses-eviction` (template or data): a sentence requires or presses a
 *   landlord to evict for contacts with law enforcement, which Gov. Code
 *   53165.1 forbids (a word check, see `evictionPressure`); `placeholder`
 *   is empty for the template's own words, the placeholder for a value.
 */
export const NoticePlaceholderProblemCode = Schema.Literals([
  "malformed",
  "unknown",
  "redeclared",
  "wrong-type",
  "not-allowed",
  "missing",
  "blank",
  "presses-eviction"
])

/** What is wrong with a placeholder; see {@link NoticePlaceholderProblemCode}. */
export type NoticePlaceholderProblemCode = typeof NoticePlaceholderProblemCode.Type

/** One problem with a placeholder: which, what, and where in the template it was met first. */
export const NoticePlaceholderProblem = Schema.Struct({
  placeholder: Schema.String,
  problem: NoticePlaceholderProblemCode,
  /** Where in the template, e.g. `paragraphs[2].text`, `citations[0].when`, or `placeholders[1]`. */
  where: Schema.String,
  detail: Schema.String
})

/** One problem with a placeholder; see {@link NoticePlaceholderProblem}. */
export type NoticePlaceholderProblem = typeof NoticePlaceholderProblem.Type

/** One part of a template that holds placeholders, with where it is and its condition. */
export interface NoticeTemplatePart {
  readonly where: string
  readonly when?: NoticeTemplateCondition | undefined
  readonly content: { readonly _tag: "Text"; readonly text: string } | { readonly _tag: "List"; readonly items: string }
}

/** Every part of a template that can hold placeholders, in document order. */
export const noticeTemplateParts = (template: NoticeTemplate): ReadonlyArray<NoticeTemplatePart> => [
  { where: "title", content: { _tag: "Text", text: template.title } },
  { where: "addressee.name", content: { _tag: "Text", text: template.addressee.name } },
  { where: "addressee.address", content: { _tag: "Text", text: template.addressee.address } },
  ...template.paragraphs.map((block, index): NoticeTemplatePart =>
    block._tag === "Text"
      ? { where: `paragraphs[${index}].text`, when: block.when, content: { _tag: "Text", text: block.text } }
      : { where: `paragraphs[${index}].items`, when: block.when, content: { _tag: "List", items: block.items } }
  ),
  ...template.fields.map((field, index): NoticeTemplatePart => ({
    where: `fields[${index}].value`,
    when: field.when,
    content: { _tag: "Text", text: field.value }
  })),
  ...template.citations.map((citation, index): NoticeTemplatePart => ({
    where: `citations[${index}].text`,
    when: citation.when,
    content: { _tag: "Text", text: citation.text }
  }))
]

/** The placeholders a template may use, by name: the kind's standard ones and the template's own. */
export const noticeVocabulary = (template: NoticeTemplate): ReadonlyMap<string, NoticePlaceholder> =>
  new Map([...standardNoticePlaceholders(template.kind), ...template.placeholders].map((placeholder) => [placeholder.name, placeholder]))

/**
 * The problem of a sentence that presses eviction for contacts with law
 * enforcement (Gov. Code 53165.1), at `where`; `placeholder` is empty for
 * the template's own text, the placeholder's name for a value.
 */
export const evictionProblem = (placeholder: string, where: string, pressure: EvictionPressure): NoticePlaceholderProblem => ({
  placeholder,
  problem: "presses-eviction",
  where,
  detail: `"${pressure.sentence}" requires or presses eviction ("${pressure.evictionWords}") for contacts with law enforcement ("${pressure.lawEnforcementWords}"), which ${EVICTION_PRESSURE_LAW} forbids`
})

const conditionWhere = (where: string): string => where.replace(/\.(text|items|value)$/, ".when")

/**
 * Every problem of a template on its own, before any data: malformed or
 * unknown placeholders, a list placed in a text or a text used as a list, a
 * condition on a list or on a value its placeholder never takes, and a
 * declared placeholder that redeclares a standard one, and text that
 * requires or presses eviction for contacts with law enforcement (Gov. Code
 * 53165.1; see {@link evictionPressure}). Parts shown only under a
 * condition are checked too, so a typo cannot hide until the condition
 * holds.
 */
export const noticeTemplateProblems = (template: NoticeTemplate): ReadonlyArray<NoticePlaceholderProblem> => {
  const problems: Array<NoticePlaceholderProblem> = []
  const standard = new Set(standardNoticePlaceholders(template.kind).map((placeholder) => placeholder.name))
  template.placeholders.forEach((placeholder, index) => {
    if (standard.has(placeholder.name)) {
      problems.push({
        placeholder: placeholder.name,
        problem: "redeclared",
        where: `placeholders[${index}]`,
        detail: `"${placeholder.name}" is a standard placeholder of ${template.kind}`
      })
    }
  })
  const vocabulary = noticeVocabulary(template)
  const lookUp = (name: string, where: string, type: NoticePlaceholderType): NoticePlaceholder | undefined => {
    const placeholder = vocabulary.get(name)
    if (placeholder === undefined) {
      problems.push({ placeholder: name, problem: "unknown", where, detail: `${template.kind} has no placeholder "${name}"` })
    } else if (placeholder.type !== type) {
      problems.push({
        placeholder: name,
        problem: "wrong-type",
        where,
        detail: `"${name}" is a ${placeholder.type}, used here as a ${type}`
      })
    }
    return placeholder
  }
  for (const part of noticeTemplateParts(template)) {
    if (part.when !== undefined) {
      const where = conditionWhere(part.where)
      const placeholder = lookUp(part.when.placeholder, where, "text")
      const allowed = placeholder?.oneOf
      for (const value of part.when.oneOf) {
        if (allowed !== undefined && !allowed.includes(value)) {
          problems.push({
            placeholder: part.when.placeholder,
            problem: "not-allowed",
            where,
            detail: `"${value}" is not one of ${allowed.join(", ")}`
          })
        }
      }
    }
    if (part.content._tag === "List") {
      lookUp(part.content.items, part.where, "list")
      continue
    }
    const pressure = evictionPressure(part.content.text)
    if (pressure !== undefined) problems.push(evictionProblem("", part.where, pressure))
    const parsed = parseNoticeText(part.content.text)
    for (const fragment of parsed.malformed) {
      problems.push({
        placeholder: fragment,
        problem: "malformed",
        where: part.where,
        detail: "placeholders are written {{camelCaseName}}"
      })
    }
    for (const piece of parsed.pieces) {
      if ("placeholder" in piece) lookUp(piece.placeholder, part.where, "text")
    }
  }
  return problems
}

/**
 * A template was rejected: its shape, or its placeholders. Lists every
 * problem so the template's author can fix it in one pass.
 */
export class InvalidNoticeTemplate extends Schema.TaggedError<InvalidNoticeTemplate>()("InvalidNoticeTemplate", {
  problems: Schema.NonEmptyArray(ConfigProblem)
}) {
  override get message(): string {
    return `Invalid notice template:\n${
      this.problems.map((problem) => `${formatProblemPath(problem.path) || "(root)"}: ${problem.message}`).join("\n")
    }`
  }
}

const decodeTemplate = Schema.decodeUnknownResult(NoticeTemplate, { errors: "all", onExcessProperty: "error" })
const decodeTemplateSet = Schema.decodeUnknownResult(NoticeTemplateSet, { errors: "all", onExcessProperty: "error" })
const toIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

const whereToPath = (where: string): ReadonlyArray<string | number> =>
  where.split(/[.[\]]/).filter((segment) => segment !== "").map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))

const placeholderIssues = (template: NoticeTemplate, prefix: ReadonlyArray<string | number>): Array<ConfigProblem> =>
  noticeTemplateProblems(template).map((problem) => ({
    path: [...prefix, ...whereToPath(problem.where)],
    message: problem.problem === "presses-eviction"
      ? `presses eviction: ${problem.detail}`
      : `${problem.problem} placeholder ${problem.placeholder}: ${problem.detail}`
  }))

const schemaIssues = (error: Schema.SchemaError): Array<ConfigProblem> =>
  toIssues(error.issue).issues.map((issue) => ({ path: (issue.path ?? []).map(pathKey), message: issue.message }))

const rejected = (problems: ReadonlyArray<ConfigProblem>) => {
  const [first, ...rest] = problems
  return first === undefined ? undefined : new InvalidNoticeTemplate({ problems: [first, ...rest] })
}

/**
 * Checks an untrusted template (a city's JSON file, a row an app stored)
 * and returns it typed, or one {@link InvalidNoticeTemplate} listing every
 * problem: wrong shapes, unknown keys, and every {@link noticeTemplateProblems}.
 */
export const validateNoticeTemplate = (input: unknown): Result.Result<NoticeTemplate, InvalidNoticeTemplate> => {
  const decoded = decodeTemplate(input)
  if (Result.isFailure(decoded)) return Result.fail(rejected(schemaIssues(decoded.failure))!)
  const error = rejected(placeholderIssues(decoded.success, []))
  return error === undefined ? Result.succeed(decoded.success) : Result.fail(error)
}

/** {@link validateNoticeTemplate} for a whole set: one template per kind, each under its kind. */
export const validateNoticeTemplateSet = (input: unknown): Result.Result<NoticeTemplateSet, InvalidNoticeTemplate> => {
  const decoded = decodeTemplateSet(input)
  if (Result.isFailure(decoded)) return Result.fail(rejected(schemaIssues(decoded.failure))!)
  const error = rejected(NoticeKind.literals.flatMap((kind) => placeholderIssues(decoded.success[kind], [kind])))
  return error === undefined ? Result.succeed(decoded.success) : Result.fail(error)
}
