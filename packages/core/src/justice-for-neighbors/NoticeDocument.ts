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
import { Result, Schema } from "effect"
import {
  DocumentAddressee,
  DocumentData,
  documentContentId,
  DocumentParagraph,
  fillDocumentTemplate,
  ProgramDocument,
  programDocumentContent
} from "../engine/Documents.ts"
import { NoticeKind } from "./NoticeKind.ts"
import { type NoticeTemplate, noticeDocumentKind, NoticePlaceholderProblem } from "./NoticeTemplate.ts"

/**
 * The values a document is made from, by placeholder name (the engine's
 * `DocumentData`): a text, or a list of texts for a `list` placeholder.
 * Values are placed as written, never read as template text, so a value
 * containing `{{x}}` stays as is. Values no part of the template uses are
 * ignored.
 */
export const NoticeData = DocumentData

/** The values a document is made from; see {@link NoticeData}. */
export type NoticeData = DocumentData

/** A paragraph of a document: text, or a list of items (the engine's `DocumentParagraph`). */
export const NoticeParagraph = DocumentParagraph

/** A paragraph of a document; see {@link NoticeParagraph}. */
export type NoticeParagraph = DocumentParagraph

// A notice is filed by its kind only: the engine's document without its program.
const { program: _program, ...programDocumentFields } = ProgramDocument.fields

/**
 * A document ready to render and send: the engine's document of one of the
 * case's kinds, always addressed. The addressee is personal data.
 * The body names the addressee and the property too: a document goes to
 * its addressee and stays in the case file; it is never a public view.
 */
export const NoticeDocument = Schema.Struct({ ...programDocumentFields, kind: NoticeKind, addressee: DocumentAddressee })

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
  return documentContentId({ kind, templateId, language, title, addressee, paragraphs, fields, legalBasisHeading, citations })
}

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
  const kind = noticeDocumentKind(template.kind)
  return Result.match(fillDocumentTemplate(kind, template, data), {
    onFailure: (problems) => Result.fail(new IncompleteNoticeDocument({ kind: template.kind, templateId: template.id, problems })),
    onSuccess: (filled) => {
      const { program: _, ...content } = programDocumentContent(kind, template, filled)
      // A notice template always has an addressee, so the filled document has one.
      const notice = { ...content, kind: template.kind, addressee: filled.addressee ?? { name: "", addressLines: [] } }
      return Result.succeed({ id: noticeDocumentId(notice), ...notice })
    }
  })
}
