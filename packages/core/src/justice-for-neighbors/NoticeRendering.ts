/**
 * Rendering notice documents with the engine's renderers (`engine/Documents`):
 * to plain text (for email bodies, printing on plain paper, archives) and
 * to an HTML fragment an app styles and wraps. Every value is escaped in
 * HTML: a document's data comes from people (owners' and businesses'
 * names, inspectors' notes) and is never markup.
 *
 * @module
 */
import { renderDocumentHtml, renderDocumentText } from "../engine/Documents.ts"
import type { NoticeDocument } from "./NoticeDocument.ts"

/**
 * A document as plain text: the title underlined, the addressee, the
 * paragraphs (list items as `- item`), the fields as `Label: value`, then the
 * legal citations under their heading. Lines end with `\n`.
 */
export const renderNoticeText = (document: NoticeDocument): string => renderDocumentText(document)

/**
 * A document as an HTML fragment: an `<article class="notice">` with the
 * kind in `data-kind` and the language in `lang`, an `<h1>` title, the
 * addressee in `<address>`, `<p>` and `<ul>` paragraphs, the fields in a
 * `<dl>` and the citations in a `<section class="legal-basis">`. No styles,
 * no scripts.
 */
export const renderNoticeHtml = (document: NoticeDocument): string => renderDocumentHtml(document, { articleClass: "notice" })
