/**
 * Rendering notice documents: to plain text (for email bodies, printing on
 * plain paper, archives) and to an HTML fragment an app styles and wraps.
 * Every value is escaped in HTML: a document's data comes from people
 * (owners' and businesses' names, inspectors' notes) and is never markup.
 *
 * @module
 */
import type { NoticeDocument } from "./NoticeDocument.ts"

/**
 * A document as plain text: the title underlined, the addressee, the
 * paragraphs (list items as `- item`), the fields as `Label: value`, then the
 * legal citations under their heading. Lines end with `\n`.
 */
export const renderNoticeText = (document: NoticeDocument): string => {
  const sections: Array<string> = [
    `${document.title}\n${"=".repeat(Math.max(3, [...document.title].length))}`,
    [document.addressee.name, ...document.addressee.addressLines].join("\n"),
    ...document.paragraphs.map((paragraph) =>
      paragraph._tag === "Text" ? paragraph.text : paragraph.items.map((item) => `- ${item}`).join("\n")
    )
  ]
  if (document.fields.length > 0) sections.push(document.fields.map((field) => `${field.label}: ${field.value}`).join("\n"))
  if (document.citations.length > 0) {
    sections.push(
      [document.legalBasisHeading, ...document.citations.map((citation) => `- ${citation.source}: ${citation.text}`)].join("\n")
    )
  }
  return `${sections.join("\n\n")}\n`
}

const entities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }

// For element content and attribute values alike.
const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (character) => entities[character] ?? character)

// Line breaks in a value (a multi-line address, a note) stay line breaks.
const inline = (value: string): string => escapeHtml(value).replace(/\r?\n/g, "<br>")

/**
 * A document as an HTML fragment: an `<article>` with the kind in
 * `data-kind` and the language in `lang`, an `<h1>` title, the addressee in
 * `<address>`, `<p>` and `<ul>` paragraphs, the fields in a `<dl>` and the
 * citations in a `<section class="legal-basis">`. No styles, no scripts.
 */
export const renderNoticeHtml = (document: NoticeDocument): string => {
  const lines: Array<string> = [
    `<article class="notice" data-kind="${escapeHtml(document.kind)}" lang="${escapeHtml(document.language)}">`,
    `<h1>${inline(document.title)}</h1>`,
    `<address>${[document.addressee.name, ...document.addressee.addressLines].map(inline).join("<br>")}</address>`,
    ...document.paragraphs.map((paragraph) =>
      paragraph._tag === "Text"
        ? `<p>${inline(paragraph.text)}</p>`
        : `<ul>${paragraph.items.map((item) => `<li>${inline(item)}</li>`).join("")}</ul>`
    )
  ]
  if (document.fields.length > 0) {
    lines.push(`<dl>${document.fields.map((field) => `<dt>${inline(field.label)}</dt><dd>${inline(field.value)}</dd>`).join("")}</dl>`)
  }
  if (document.citations.length > 0) {
    lines.push(
      `<section class="legal-basis"><h2>${inline(document.legalBasisHeading)}</h2><ul>${
        document.citations.map((citation) => `<li><cite>${inline(citation.source)}</cite>: ${inline(citation.text)}</li>`).join("")
      }</ul></section>`
    )
  }
  lines.push("</article>")
  return `${lines.join("\n")}\n`
}
