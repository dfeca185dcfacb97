/**
 * Notice documents: a letter, notice, order, invoice or lien notice made
 * from a template and a case's data, as structured content (title,
 * addressee, paragraphs, fields, legal citations) that an app renders as it
 * likes, or with the plain-text and HTML renderers (`NoticeRendering`).
 *
 * A document is made whole or not at all: {@link makeDocument} refuses,
 * listing every missing, blank or unknown placeholder, rather than leave a
 * hole in a letter sent to a property owner. Its `id` is derived from its
 * content, so a case records exactly which document it served (see
 * `ServiceOfNotice.documentId`).
 *
 * @module
 */
import { createHash } from "node:crypto"
import { Result, Schema } from "effect"
import { canonicalJson } from "../engine/AuditChain.ts"
import { Slug } from "../kernel/Identifier.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { evictionPressure } from "./EvictionPressure.ts"
import { NoticeKind } from "./NoticeKind.ts"
import {
  type NoticeTemplate,
  parseNoticeText,
  type NoticePlaceholder,
  NoticePlaceholderProblem,
  type NoticeTemplateCondition,
  noticeTemplateParts,
  evictionProblem,
  noticeTemplateProblems,
  noticeVocabulary
} from "./NoticeTemplate.ts"

/**
 * The values a document is made from, by placeholder name: a text, or a
 * list of texts for a `list` placeholder. Values are placed as written,
 * never read as template text, so a value containing `{{x}}` stays as is.
 * Values no part of the template uses are ignored.
 */
export const NoticeData = Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Array(Schema.String)]))

/** The values a document is made from; see {@link NoticeData}. */
export type NoticeData = typeof NoticeData.Type

/** A paragraph of a document: text, or a list of items. */
export const NoticeParagraph = Schema.Union([
  Schema.TaggedStruct("Text", { text: Schema.String }),
  Schema.TaggedStruct("List", { items: Schema.Array(Schema.String) })
])

/** A paragraph of a document; see {@link NoticeParagraph}. */
export type NoticeParagraph = typeof NoticeParagraph.Type

/**
 * A document ready to render and send. The addressee is personal data.
 * The body names the addressee and the property too: a document goes to
 * its addressee and stays in the case file; it is never a public view.
 */
export const NoticeDocument = Schema.Struct({
  /** `sha256:` and the SHA-256 of the document's other fields in canonical JSON. */
  id: Schema.NonEmptyString,
  kind: NoticeKind,
  templateId: Slug,
  language: Schema.NonEmptyString,
  title: Schema.String,
  addressee: personal(Schema.Struct({ name: Schema.String, addressLines: Schema.Array(Schema.String) })),
  paragraphs: Schema.Array(NoticeParagraph),
  fields: Schema.Array(Schema.Struct({ label: Schema.String, value: Schema.String })),
  legalBasisHeading: Schema.String,
  citations: Schema.Array(Schema.Struct({ source: Schema.String, text: Schema.String }))
})

/** A document ready to render and send; see {@link NoticeDocument}. */
export type NoticeDocument = typeof NoticeDocument.Type

/**
 * A document could not be made: the template is faulty or the data leaves
 * placeholders unfilled. `problems` lists every one, each placeholder once
 * per kind of problem, with where the template first needs it.
 */
export class IncompleteNoticeDocument extends Schema.TaggedError<IncompleteNoticeDocument>()("IncompleteNoticeDocument", {
  kind: NoticeKind,
  templateId: Schema.String,
  problems: Schema.NonEmptyArray(NoticePlaceholderProblem)
}) {
  override get message(): string {
    return `The ${this.kind} document (template ${this.templateId}) cannot be made:\n${
      this.problems.map((p) => `${p.where}: ${p.problem} {{${p.placeholder}}}: ${p.detail}`).join("\n")
    }`
  }
}

/**
 * The content id of a document: `sha256:` and the SHA-256 of its fields
 * other than `id` in canonical JSON. Equal content gives the same id; any
 * change to a word, a field or the addressee gives another.
 */
export const noticeDocumentId = (document: Omit<NoticeDocument, "id">): string => {
  // Only the content fields: a document passed in with its id must hash as without it.
  const { kind, templateId, language, title, addressee, paragraphs, fields, legalBasisHeading, citations } = document
  const content = { kind, templateId, language, title, addressee, paragraphs, fields, legalBasisHeading, citations }
  return `sha256:${createHash("sha256").update(canonicalJson(content)).digest("hex")}`
}

const isBlank = (value: string): boolean => value.trim() === ""

/**
 * Makes a document from a template and data. Parts under a condition
 * (`when`) are included when the condition's placeholder has one of the
 * listed values; their placeholders are needed only then. Fails with
 * {@link IncompleteNoticeDocument} listing every problem: the template's own
 * (malformed, unknown, mistyped placeholders, including in parts not
 * shown) and the data's (missing, blank, a list for a text or a text for a
 * list, a value outside the placeholder's `oneOf`). When a condition's
 * value is missing, the part's own placeholders are not asked for: whether
 * they are needed is not known yet.
 *
 * @example
 * ```ts
 * const made = makeDocument(defaultNoticeTemplates["notice-of-violation"], {
 *   cityName: "City of Sacramento",
 *   caseNumber: "JFN-2026-0042",
 *   category: "illegal-dumping",
 *   violations: ["Sacramento City Code 8.04.100: refuse stored in the side yard"],
 *   // ... every other placeholder the template uses
 * })
 * if (Result.isSuccess(made)) console.log(renderNoticeText(made.success))
 * ```
 */
export const makeDocument = (
  template: NoticeTemplate,
  data: NoticeData
): Result.Result<NoticeDocument, IncompleteNoticeDocument> => {
  const problems: Array<NoticePlaceholderProblem> = [...noticeTemplateProblems(template)]
  const vocabulary = noticeVocabulary(template)
  const has = (key: string) => Object.hasOwn(data, key)

  /** The text value of a placeholder, or undefined after recording why there is none. */
  const textValue = (placeholder: NoticePlaceholder | undefined, name: string, where: string): string | undefined => {
    if (placeholder === undefined || placeholder.type !== "text") return undefined
    const value = has(name) ? data[name] : undefined
    if (value === undefined) {
      problems.push({ placeholder: name, problem: "missing", where, detail: placeholder.description })
      return undefined
    }
    if (typeof value !== "string") {
      problems.push({ placeholder: name, problem: "wrong-type", where, detail: `"${name}" is a text; the data gives a list` })
      return undefined
    }
    if (isBlank(value)) {
      problems.push({ placeholder: name, problem: "blank", where, detail: placeholder.description })
      return undefined
    }
    if (placeholder.oneOf !== undefined && !placeholder.oneOf.includes(value)) {
      problems.push({ placeholder: name, problem: "not-allowed", where, detail: `"${value}" is not one of ${placeholder.oneOf.join(", ")}` })
      return undefined
    }
    return value
  }

  const listValue = (name: string, where: string): ReadonlyArray<string> | undefined => {
    const placeholder = vocabulary.get(name)
    if (placeholder === undefined || placeholder.type !== "list") return undefined
    const value = has(name) ? data[name] : undefined
    if (value === undefined) {
      problems.push({ placeholder: name, problem: "missing", where, detail: placeholder.description })
      return undefined
    }
    if (typeof value === "string") {
      problems.push({ placeholder: name, problem: "wrong-type", where, detail: `"${name}" is a list; the data gives a text` })
      return undefined
    }
    if (value.length === 0 || value.some(isBlank)) {
      problems.push({ placeholder: name, problem: "blank", where, detail: "a list needs at least one item and no blank item" })
      return undefined
    }
    return value
  }

  /** Whether a part is shown: true, false, or undefined when its condition cannot be read. */
  const shown = (condition: NoticeTemplateCondition | undefined, where: string): boolean | undefined => {
    if (condition === undefined) return true
    const value = textValue(vocabulary.get(condition.placeholder), condition.placeholder, where.replace(/\.(text|items|value)$/, ".when"))
    return value === undefined ? undefined : condition.oneOf.includes(value)
  }

  const fill = (source: string, where: string): string => {
    const parsed = parseNoticeText(source)
    return parsed.pieces
      .map((piece) => "literal" in piece ? piece.literal : textValue(vocabulary.get(piece.placeholder), piece.placeholder, where) ?? "")
      .join("")
  }

  const filled = new Map<string, string | ReadonlyArray<string>>()
  for (const part of noticeTemplateParts(template)) {
    if (shown(part.when, part.where) !== true) continue
    filled.set(part.where, part.content._tag === "Text" ? fill(part.content.text, part.where) : listValue(part.content.items, part.where) ?? [])
  }

  // Values are checked as the template's words are: data may not press eviction either (Gov. Code 53165.1).
  for (const [where, value] of filled) {
    for (const text of typeof value === "string" ? [value] : value) {
      const pressure = evictionPressure(text)
      if (pressure !== undefined) problems.push(evictionProblem("", where, pressure))
    }
  }

  const seen = new Set<string>()
  const distinct = problems.filter((problem) => {
    const key = `${problem.problem}\u0000${problem.placeholder}\u0000${problem.problem === "presses-eviction" ? problem.where : ""}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  const [first, ...rest] = distinct
  if (first !== undefined) {
    return Result.fail(new IncompleteNoticeDocument({ kind: template.kind, templateId: template.id, problems: [first, ...rest] }))
  }

  const textAt = (where: string): string => {
    const value = filled.get(where)
    return typeof value === "string" ? value : ""
  }
  const content: Omit<NoticeDocument, "id"> = {
    kind: template.kind,
    templateId: template.id,
    language: template.language,
    title: textAt("title"),
    addressee: {
      name: textAt("addressee.name"),
      addressLines: textAt("addressee.address").split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "")
    },
    paragraphs: template.paragraphs.flatMap((block, index): Array<NoticeParagraph> => {
      const value = filled.get(`paragraphs[${index}].${block._tag === "Text" ? "text" : "items"}`)
      if (value === undefined) return []
      return typeof value === "string" ? [{ _tag: "Text", text: value }] : [{ _tag: "List", items: [...value] }]
    }),
    fields: template.fields.flatMap((field, index) =>
      filled.has(`fields[${index}].value`) ? [{ label: field.label, value: textAt(`fields[${index}].value`) }] : []
    ),
    legalBasisHeading: template.legalBasisHeading,
    citations: template.citations.flatMap((citation, index) =>
      filled.has(`citations[${index}].text`) ? [{ source: citation.source, text: textAt(`citations[${index}].text`) }] : []
    )
  }
  return Result.succeed({ id: noticeDocumentId(content), ...content })
}
