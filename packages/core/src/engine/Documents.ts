/**
 * Documents every program makes: a nuisance case's notices, a commission's
 * agendas, a prosecutor's letters. A template is data, filed under its
 * program, its kind and its language; its texts carry `{{placeholder}}`s
 * that a document is filled from. The program states, once per kind of
 * document, the placeholders it supplies (a {@link DocumentKind}): the
 * contract between the program, which writes the values, and any template
 * of that kind, which a city can replace.
 *
 * The engine checks templates before any data (unknown, malformed or
 * mistyped placeholders, a required placeholder a template leaves out, a
 * personal value in a published document), makes a document whole or not
 * at all ({@link IncompleteDocument} lists every hole), finds the template
 * for a locale (`es-MX`, then `es`, then the registry's default language),
 * and renders documents as plain text or as HTML in which every value is
 * escaped. Values are placed as written: a value is never read as template
 * text, so a value holding `{{x}}` cannot pull another value in.
 *
 * @module
 */
import { createHash } from "node:crypto"
import { Result, Schema, SchemaIssue } from "effect"
import { Slug } from "../kernel/Identifier.ts"
import { ConfigProblem, formatProblemPath } from "../kernel/Jurisdiction.ts"
import { personal, Sensitivity } from "../kernel/Sensitivity.ts"
import { canonicalJson } from "./AuditChain.ts"

// ---------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------

/** A placeholder's name: camelCase letters and digits, e.g. `complianceDue`. */
export const DocumentPlaceholderName = Schema.NonEmptyString.check(
  Schema.isPattern(/^[a-z][A-Za-z0-9]*$/, { expected: "a camelCase placeholder name, e.g. complianceDue" })
)

/**
 * What a placeholder holds: `text` (placed inside a text with
 * `{{name}}`), or a `list` of texts (shown as a list block, one item each).
 */
export const DocumentPlaceholderType = Schema.Literals(["text", "list"])

/** What a placeholder holds; see {@link DocumentPlaceholderType}. */
export type DocumentPlaceholderType = typeof DocumentPlaceholderType.Type

/**
 * Who writes a placeholder's value: the `program` (from what it recorded:
 * a case number, a deadline it computed) or the `caller` (what only the city
 * knows: a hearing room, a phone number). A caller's value for a placeholder
 * the program writes is refused (see {@link valuesWrittenByProgram}).
 */
export const PlaceholderWriter = Schema.Literals(["program", "caller"])

/** Who writes a placeholder's value; see {@link PlaceholderWriter}. */
export type PlaceholderWriter = typeof PlaceholderWriter.Type

/**
 * A placeholder a template may use: its name, type and meaning; for a text
 * that takes one of a few values (a category, `yes`/`no`), those values.
 * Optionally: its `sensitivity` (a `personal` or `confidential` value may
 * never appear in a published kind of document; absent: public), who
 * writes it (`writtenBy`), and whether every template of the kind must show
 * it (`required`, e.g. an agenda's meeting date).
 */
export const DocumentPlaceholder = Schema.Struct({
  name: DocumentPlaceholderName,
  type: DocumentPlaceholderType,
  description: Schema.NonEmptyString,
  oneOf: Schema.optionalKey(Schema.NonEmptyArray(Schema.NonEmptyString)),
  sensitivity: Schema.optionalKey(Sensitivity),
  writtenBy: Schema.optionalKey(PlaceholderWriter),
  required: Schema.optionalKey(Schema.Boolean)
})

/** A placeholder a template may use; see {@link DocumentPlaceholder}. */
export type DocumentPlaceholder = typeof DocumentPlaceholder.Type

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

/** A program's id, e.g. `justice-for-neighbors`, `police-commission`. */
export const ProgramId = Slug

/** A kind of document within its program, e.g. `notice-of-violation`, `meeting-agenda`. */
export const DocumentKindName = Slug

/**
 * A language tag (BCP 47): a language and optional subtags, e.g. `en`,
 * `es`, `es-MX`, `zh-Hant-TW`.
 */
export const LanguageTag = Schema.NonEmptyString.check(
  Schema.isPattern(/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/, { expected: "a BCP 47 language tag, e.g. en, es-MX" })
)

/** Shows a block, field or citation only when a text placeholder's value is one of `oneOf`. */
export const DocumentTemplateCondition = Schema.Struct({
  placeholder: DocumentPlaceholderName,
  oneOf: Schema.NonEmptyArray(Schema.NonEmptyString)
})

/** A condition on a part of a template; see {@link DocumentTemplateCondition}. */
export type DocumentTemplateCondition = typeof DocumentTemplateCondition.Type

const when = Schema.optionalKey(DocumentTemplateCondition)

/** A paragraph of text with placeholders. */
export const DocumentTextBlock = Schema.TaggedStruct("Text", { text: Schema.String, when })

/** A list of items from a `list` placeholder, one item each; introduce it with the text block before it. */
export const DocumentListBlock = Schema.TaggedStruct("List", { items: DocumentPlaceholderName, when })

/** One block of a template's body; see {@link DocumentTextBlock} and {@link DocumentListBlock}. */
export const DocumentTemplateBlock = Schema.Union([DocumentTextBlock, DocumentListBlock])

/** One block of a template's body. */
export type DocumentTemplateBlock = typeof DocumentTemplateBlock.Type

/** A labelled value shown apart from the body (case number, amount due, dates). */
export const DocumentTemplateField = Schema.Struct({ label: Schema.NonEmptyString, value: Schema.String, when })

/** A labelled value of a template; see {@link DocumentTemplateField}. */
export type DocumentTemplateField = typeof DocumentTemplateField.Type

/** A legal citation: the source (e.g. `Gov. Code 54954.2`) and what it means for the reader. */
export const DocumentTemplateCitation = Schema.Struct({ source: Schema.NonEmptyString, text: Schema.String, when })

/** A legal citation of a template; see {@link DocumentTemplateCitation}. */
export type DocumentTemplateCitation = typeof DocumentTemplateCitation.Type

/** Whom a document is addressed to, with placeholders; the filled address gives one address line per line. */
export const DocumentAddresseeTemplate = Schema.Struct({
  name: Schema.String,
  /** The address; each line of the filled text becomes a line of the address. */
  address: Schema.String
})

/**
 * The fields of every template, whatever its program: its id, language,
 * title, addressee (none for a posted agenda), body, fields, citations and
 * the placeholders it declares besides its kind's. A program's own template
 * schema spreads these (and may narrow `kind` to its kinds).
 */
export const documentTemplateFields = {
  id: Slug,
  /** The language of the texts, as a BCP 47 tag, e.g. `en`, `es-MX`. */
  language: LanguageTag,
  title: Schema.String,
  addressee: Schema.optionalKey(DocumentAddresseeTemplate),
  paragraphs: Schema.NonEmptyArray(DocumentTemplateBlock),
  fields: Schema.Array(DocumentTemplateField),
  /** The heading over the citations, in the template's language, e.g. `Legal basis`. */
  legalBasisHeading: Schema.NonEmptyString,
  citations: Schema.Array(DocumentTemplateCitation),
  placeholders: Schema.Array(DocumentPlaceholder)
}

/**
 * A template as data, filed under its program, kind and language: the
 * texts of its title, addressee, body, fields and legal citations, with
 * `{{placeholder}}`s.
 *
 * @example
 * ```ts
 * const agenda: DocumentTemplate = {
 *   program: "police-commission", kind: "meeting-agenda", id: "commission-agenda", language: "en",
 *   title: "Agenda: {{meetingDate}}",
 *   paragraphs: [{ _tag: "Text", text: "The commission meets at {{meetingPlace}}." }, { _tag: "List", items: "items" }],
 *   fields: [], legalBasisHeading: "Authority", citations: [], placeholders: []
 * }
 * ```
 */
export const DocumentTemplate = Schema.Struct({
  program: ProgramId,
  kind: DocumentKindName,
  ...documentTemplateFields
})

/** A template as data; see {@link DocumentTemplate}. */
export type DocumentTemplate = typeof DocumentTemplate.Type

/**
 * What the engine reads of any template, a {@link DocumentTemplate} or a
 * program's own (a nuisance case's `NoticeTemplate`, filed by kind only).
 */
export interface DocumentTemplateBody {
  readonly id: string
  readonly kind: string
  readonly language: string
  readonly title: string
  readonly addressee?: { readonly name: string; readonly address: string } | undefined
  readonly paragraphs: ReadonlyArray<DocumentTemplateBlock>
  readonly fields: ReadonlyArray<DocumentTemplateField>
  readonly legalBasisHeading: string
  readonly citations: ReadonlyArray<DocumentTemplateCitation>
  readonly placeholders: ReadonlyArray<DocumentPlaceholder>
}

/**
 * A rule on the words of a document, the template's and the values' alike,
 * which a program adds to its kinds: `check` returns why a text breaks it
 * (the problem's detail), or `undefined`. A nuisance case's rule refuses a
 * sentence pressing a landlord to evict for calls to the police (Gov. Code
 * 53165.1).
 */
export interface DocumentTextRule<Code extends string> {
  /** The problem's code, e.g. `presses-eviction`. */
  readonly code: Code
  /** How a template's author reads the problem, e.g. `presses eviction`. */
  readonly label: string
  readonly check: (text: string) => string | undefined
}

/**
 * A kind of document as its program states it: the placeholders the
 * program supplies for it (its standard vocabulary), whether it is
 * `published` (posted or handed to anyone: no `personal` or `confidential`
 * placeholder may appear in it, not even in a condition), and the rules on
 * its words.
 */
export interface DocumentKind<Code extends string = never> {
  readonly program: string
  readonly kind: string
  readonly placeholders: ReadonlyArray<DocumentPlaceholder>
  readonly published?: boolean | undefined
  readonly textRules?: ReadonlyArray<DocumentTextRule<Code>> | undefined
}

// ---------------------------------------------------------------------------
// Parsing and checking templates
// ---------------------------------------------------------------------------

/** A piece of a parsed template text: literal text, or a placeholder to fill. */
export type DocumentTextPiece = { readonly literal: string } | { readonly placeholder: string }

const namePattern = /^[a-z][A-Za-z0-9]*$/

/**
 * Splits a template text into literal pieces and placeholders. `{{ name }}`
 * may have spaces inside the braces. A `{{` without its `}}`, a `}}`
 * without its `{{`, or a name that is not camelCase is returned in
 * `malformed`, as written.
 */
export const parseDocumentText = (
  source: string
): { readonly pieces: ReadonlyArray<DocumentTextPiece>; readonly malformed: ReadonlyArray<string> } => {
  const pieces: Array<DocumentTextPiece> = []
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
 * - `unused` (template): the template leaves out a placeholder every template of its kind must show (`required`).
 * - `too-sensitive` (template): a published kind of document uses a personal or confidential placeholder.
 *
 * A program's {@link DocumentTextRule}s add their own codes.
 */
export const DocumentProblemCode = Schema.Literals([
  "malformed",
  "unknown",
  "redeclared",
  "wrong-type",
  "not-allowed",
  "missing",
  "blank",
  "unused",
  "too-sensitive"
])

/** What is wrong with a placeholder; see {@link DocumentProblemCode}. */
export type DocumentProblemCode = typeof DocumentProblemCode.Type

/**
 * The schema of one problem with a placeholder, whose `problem` is one of
 * `codes`: which placeholder, what, and where in the template it was met
 * first (e.g. `paragraphs[2].text`, `citations[0].when`, `placeholders[1]`;
 * empty for the template as a whole).
 */
export const documentProblemSchema = <Code extends Schema.Top>(codes: Code) =>
  Schema.Struct({ placeholder: Schema.String, problem: codes, where: Schema.String, detail: Schema.String })

/**
 * One problem with a placeholder, its code one of {@link DocumentProblemCode}
 * or a program's text rule's code.
 */
export const DocumentProblem = documentProblemSchema(Schema.NonEmptyString)

/** One problem with a placeholder; see {@link DocumentProblem}. */
export interface DocumentProblemOf<Code extends string> {
  readonly placeholder: string
  readonly problem: DocumentProblemCode | Code
  readonly where: string
  readonly detail: string
}

/** One part of a template that holds placeholders, with where it is and its condition. */
export interface DocumentTemplatePart {
  readonly where: string
  readonly when?: DocumentTemplateCondition | undefined
  readonly content: { readonly _tag: "Text"; readonly text: string } | { readonly _tag: "List"; readonly items: string }
}

/** Every part of a template that can hold placeholders, in document order. */
export const documentTemplateParts = (template: DocumentTemplateBody): ReadonlyArray<DocumentTemplatePart> => [
  { where: "title", content: { _tag: "Text", text: template.title } },
  ...(template.addressee === undefined ? [] : [
    { where: "addressee.name", content: { _tag: "Text", text: template.addressee.name } } as const,
    { where: "addressee.address", content: { _tag: "Text", text: template.addressee.address } } as const
  ]),
  ...template.paragraphs.map((block, index): DocumentTemplatePart =>
    block._tag === "Text"
      ? { where: `paragraphs[${index}].text`, when: block.when, content: { _tag: "Text", text: block.text } }
      : { where: `paragraphs[${index}].items`, when: block.when, content: { _tag: "List", items: block.items } }
  ),
  ...template.fields.map((field, index): DocumentTemplatePart => ({
    where: `fields[${index}].value`,
    when: field.when,
    content: { _tag: "Text", text: field.value }
  })),
  ...template.citations.map((citation, index): DocumentTemplatePart => ({
    where: `citations[${index}].text`,
    when: citation.when,
    content: { _tag: "Text", text: citation.text }
  }))
]

/** The placeholders a template may use, by name: its kind's standard ones and the template's own. */
export const documentVocabulary = (
  kind: DocumentKind<string>,
  template: DocumentTemplateBody
): ReadonlyMap<string, DocumentPlaceholder> =>
  new Map([...kind.placeholders, ...template.placeholders].map((placeholder) => [placeholder.name, placeholder]))

const conditionWhere = (where: string): string => where.replace(/\.(text|items|value)$/, ".when")

const textRuleProblems = <Code extends string>(
  kind: DocumentKind<Code>,
  text: string,
  where: string
): Array<DocumentProblemOf<Code>> =>
  (kind.textRules ?? []).flatMap((rule) => {
    const detail = rule.check(text)
    return detail === undefined ? [] : [{ placeholder: "", problem: rule.code, where, detail }]
  })

/**
 * Every problem of a template of `kind` on its own, before any data:
 * malformed or unknown placeholders, a list placed in a text or a text
 * used as a list, a condition on a list or on a value its placeholder never
 * takes, a declared placeholder that redeclares a standard one, a required
 * placeholder left out, a personal or confidential placeholder in a
 * published kind, and words that break the kind's text rules. Parts shown
 * only under a condition are checked too, so a typo cannot hide until the
 * condition holds.
 */
export const documentTemplateProblems = <Code extends string>(
  kind: DocumentKind<Code>,
  template: DocumentTemplateBody
): ReadonlyArray<DocumentProblemOf<Code>> => {
  const problems: Array<DocumentProblemOf<Code>> = []
  const standard = new Set(kind.placeholders.map((placeholder) => placeholder.name))
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
  const vocabulary = documentVocabulary(kind, template)
  const used = new Set<string>()
  const lookUp = (name: string, where: string, type: DocumentPlaceholderType): DocumentPlaceholder | undefined => {
    used.add(name)
    const placeholder = vocabulary.get(name)
    if (placeholder === undefined) {
      problems.push({ placeholder: name, problem: "unknown", where, detail: `${template.kind} has no placeholder "${name}"` })
      return undefined
    }
    if (placeholder.type !== type) {
      problems.push({
        placeholder: name,
        problem: "wrong-type",
        where,
        detail: `"${name}" is a ${placeholder.type}, used here as a ${type}`
      })
    }
    if (kind.published === true && placeholder.sensitivity !== undefined) {
      problems.push({
        placeholder: name,
        problem: "too-sensitive",
        where,
        detail: `"${name}" is ${placeholder.sensitivity}, and a ${template.kind} is published`
      })
    }
    return placeholder
  }
  for (const part of documentTemplateParts(template)) {
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
    problems.push(...textRuleProblems(kind, part.content.text, part.where))
    const parsed = parseDocumentText(part.content.text)
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
  for (const placeholder of vocabulary.values()) {
    if (placeholder.required === true && !used.has(placeholder.name)) {
      problems.push({
        placeholder: placeholder.name,
        problem: "unused",
        where: "",
        detail: `every ${template.kind} shows "${placeholder.name}": ${placeholder.description}`
      })
    }
  }
  return problems
}

// ---------------------------------------------------------------------------
// Making documents
// ---------------------------------------------------------------------------

/**
 * The values a document is made from, by placeholder name: a text, or a
 * list of texts for a `list` placeholder. Values are placed as written,
 * never read as template text, so a value containing `{{x}}` stays as is.
 * Values no part of the template uses are ignored.
 */
export const DocumentData = Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Array(Schema.String)]))

/** The values a document is made from; see {@link DocumentData}. */
export type DocumentData = typeof DocumentData.Type

/** A paragraph of a document: text, or a list of items. */
export const DocumentParagraph = Schema.Union([
  Schema.TaggedStruct("Text", { text: Schema.String }),
  Schema.TaggedStruct("List", { items: Schema.Array(Schema.String) })
])

/** A paragraph of a document; see {@link DocumentParagraph}. */
export type DocumentParagraph = typeof DocumentParagraph.Type

/** Whom a document is addressed to: personal data, never in a public view. */
export const DocumentAddressee = personal(Schema.Struct({ name: Schema.String, addressLines: Schema.Array(Schema.String) }))

/** A labelled value of a made document. */
export const DocumentField = Schema.Struct({ label: Schema.String, value: Schema.String })

/** A legal citation of a made document. */
export const DocumentCitation = Schema.Struct({ source: Schema.String, text: Schema.String })

/** What a template filled with data says; see {@link fillDocumentTemplate}. */
export interface DocumentContent {
  readonly title: string
  readonly addressee?: { readonly name: string; readonly addressLines: ReadonlyArray<string> }
  readonly paragraphs: ReadonlyArray<DocumentParagraph>
  readonly fields: ReadonlyArray<{ readonly label: string; readonly value: string }>
  readonly legalBasisHeading: string
  readonly citations: ReadonlyArray<{ readonly source: string; readonly text: string }>
}

const isBlank = (value: string): boolean => value.trim() === ""

/**
 * Fills a template of `kind` with data. Parts under a condition (`when`)
 * are included when the condition's placeholder has one of the listed
 * values; their placeholders are needed only then. Fails with every
 * problem: the template's own ({@link documentTemplateProblems}, including
 * in parts not shown) and the data's (missing, blank, a list for a text or
 * a text for a list, a value outside the placeholder's `oneOf`, words that
 * break the kind's text rules), each placeholder once per kind of problem.
 * When a condition's value is missing, the part's own placeholders are not
 * asked for: whether they are needed is not known yet. Each placeholder is
 * filled once, from the template's text only: a value is never searched for
 * placeholders.
 */
export const fillDocumentTemplate = <Code extends string>(
  kind: DocumentKind<Code>,
  template: DocumentTemplateBody,
  data: DocumentData
): Result.Result<DocumentContent, readonly [DocumentProblemOf<Code>, ...Array<DocumentProblemOf<Code>>]> => {
  const problems: Array<DocumentProblemOf<Code>> = [...documentTemplateProblems(kind, template)]
  const vocabulary = documentVocabulary(kind, template)
  const has = (key: string) => Object.hasOwn(data, key)

  /** The text value of a placeholder, or undefined after recording why there is none. */
  const textValue = (placeholder: DocumentPlaceholder | undefined, name: string, where: string): string | undefined => {
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
  const shown = (condition: DocumentTemplateCondition | undefined, where: string): boolean | undefined => {
    if (condition === undefined) return true
    const value = textValue(vocabulary.get(condition.placeholder), condition.placeholder, conditionWhere(where))
    return value === undefined ? undefined : condition.oneOf.includes(value)
  }

  const fill = (source: string, where: string): string =>
    parseDocumentText(source).pieces
      .map((piece) => "literal" in piece ? piece.literal : textValue(vocabulary.get(piece.placeholder), piece.placeholder, where) ?? "")
      .join("")

  const filled = new Map<string, string | ReadonlyArray<string>>()
  for (const part of documentTemplateParts(template)) {
    if (shown(part.when, part.where) !== true) continue
    filled.set(part.where, part.content._tag === "Text" ? fill(part.content.text, part.where) : listValue(part.content.items, part.where) ?? [])
  }

  // Values are checked as the template's words are.
  for (const [where, value] of filled) {
    for (const text of typeof value === "string" ? [value] : value) problems.push(...textRuleProblems(kind, text, where))
  }

  const ruleCodes = new Set<string>((kind.textRules ?? []).map((rule) => rule.code))
  const seen = new Set<string>()
  const distinct = problems.filter((problem) => {
    const key = `${problem.problem}\u0000${problem.placeholder}\u0000${ruleCodes.has(problem.problem) ? problem.where : ""}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  const [first, ...rest] = distinct
  if (first !== undefined) return Result.fail([first, ...rest])

  const textAt = (where: string): string => {
    const value = filled.get(where)
    return typeof value === "string" ? value : ""
  }
  return Result.succeed({
    title: textAt("title"),
    ...(template.addressee === undefined ? {} : {
      addressee: {
        name: textAt("addressee.name"),
        addressLines: textAt("addressee.address").split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "")
      }
    }),
    paragraphs: template.paragraphs.flatMap((block, index): Array<DocumentParagraph> => {
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
  })
}

/**
 * The content id of a document: `sha256:` and the SHA-256 of `content` in
 * canonical JSON (sorted keys), without any `id` it carries. Equal content
 * gives the same id; any change to a word, a field or the addressee gives
 * another, so a program can record exactly which document it served.
 */
export const documentContentId = (content: object): string => {
  const { id: _, ...rest } = content as { readonly id?: unknown }
  return `sha256:${createHash("sha256").update(canonicalJson(rest)).digest("hex")}`
}

/**
 * A document ready to render and send, as any program's template makes it:
 * its program, kind, template and language, and what the template said.
 * The addressee (if the kind has one) is personal; the body may name
 * people too, so a document of a kind that is not published stays with its
 * addressee and its file.
 */
export const ProgramDocument = Schema.Struct({
  /** `sha256:` and the SHA-256 of the document's other fields in canonical JSON ({@link documentContentId}). */
  id: Schema.NonEmptyString,
  program: ProgramId,
  kind: DocumentKindName,
  templateId: Slug,
  language: Schema.NonEmptyString,
  title: Schema.String,
  addressee: Schema.optionalKey(DocumentAddressee),
  paragraphs: Schema.Array(DocumentParagraph),
  fields: Schema.Array(DocumentField),
  legalBasisHeading: Schema.String,
  citations: Schema.Array(DocumentCitation)
})

/** A document ready to render and send; see {@link ProgramDocument}. */
export type ProgramDocument = typeof ProgramDocument.Type

/**
 * A document could not be made: the template is faulty or the data leaves
 * placeholders unfilled. `problems` lists every one (see {@link fillDocumentTemplate}).
 */
export class IncompleteDocument extends Schema.TaggedError<IncompleteDocument>()("IncompleteDocument", {
  program: Schema.String,
  kind: Schema.String,
  templateId: Schema.String,
  problems: Schema.NonEmptyArray(DocumentProblem)
}) {
  override get message(): string {
    return `The ${this.program} ${this.kind} document (template ${this.templateId}) cannot be made:\n${
      this.problems.map((p) => `${p.where || "(template)"}: ${p.problem} {{${p.placeholder}}}: ${p.detail}`).join("\n")
    }`
  }
}

/** A filled template as a {@link ProgramDocument} without its id: its program, kind, template and language, then the content. */
export const programDocumentContent = (
  kind: DocumentKind<string>,
  template: DocumentTemplateBody,
  content: DocumentContent
): Omit<ProgramDocument, "id"> => ({
  program: kind.program,
  kind: kind.kind,
  templateId: template.id,
  language: template.language,
  ...content,
  paragraphs: [...content.paragraphs],
  fields: [...content.fields],
  citations: [...content.citations]
})

/**
 * Makes a {@link ProgramDocument} from a template of `kind` and data, whole
 * or not at all: {@link IncompleteDocument} lists every problem.
 */
export const makeProgramDocument = <Code extends string>(
  kind: DocumentKind<Code>,
  template: DocumentTemplateBody,
  data: DocumentData
): Result.Result<ProgramDocument, IncompleteDocument> =>
  Result.match(fillDocumentTemplate(kind, template, data), {
    onFailure: (problems) =>
      Result.fail(new IncompleteDocument({ program: kind.program, kind: kind.kind, templateId: template.id, problems })),
    onSuccess: (content) => {
      const document = programDocumentContent(kind, template, content)
      return Result.succeed({ id: documentContentId(document), ...document })
    }
  })

/**
 * The keys of `values`, given by a caller, that a placeholder of the
 * template's vocabulary says the program writes (`writtenBy: "program"`):
 * a caller may not put words in the program's mouth (a case number, a
 * deadline it computed).
 */
export const valuesWrittenByProgram = (
  kind: DocumentKind<string>,
  template: DocumentTemplateBody,
  values: DocumentData
): ReadonlyArray<string> => {
  const vocabulary = documentVocabulary(kind, template)
  return Object.keys(values).filter((key) => vocabulary.get(key)?.writtenBy === "program")
}

// ---------------------------------------------------------------------------
// Validating untrusted templates
// ---------------------------------------------------------------------------

/**
 * A template, or a set of templates, was rejected: its shape, its
 * placeholders, or its place in the set. Lists every problem with its path
 * so the template's author can fix it in one pass.
 */
export class InvalidDocumentTemplate extends Schema.TaggedError<InvalidDocumentTemplate>()("InvalidDocumentTemplate", {
  problems: Schema.NonEmptyArray(ConfigProblem)
}) {
  override get message(): string {
    return `Invalid document template:\n${formatTemplateProblems(this.problems)}`
  }
}

/** The problems of a rejected template, one per line, each as `path: message`. */
export const formatTemplateProblems = (problems: ReadonlyArray<ConfigProblem>): string =>
  problems.map((problem) => `${formatProblemPath(problem.path) || "(root)"}: ${problem.message}`).join("\n")

const toIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

const whereToPath = (where: string): ReadonlyArray<string | number> =>
  where.split(/[.[\]]/).filter((segment) => segment !== "").map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))

/** The problems of a template that failed to decode, each at its path. */
export const templateShapeProblems = (error: Schema.SchemaError): Array<ConfigProblem> =>
  toIssues(error.issue).issues.map((issue) => ({ path: (issue.path ?? []).map(pathKey), message: issue.message }))

/**
 * {@link documentTemplateProblems} as problems at paths under `prefix`,
 * e.g. `notice-of-violation.paragraphs[3].text: unknown placeholder complianceDate: …`.
 */
export const templatePlaceholderProblems = <Code extends string>(
  kind: DocumentKind<Code>,
  template: DocumentTemplateBody,
  prefix: ReadonlyArray<string | number>
): Array<ConfigProblem> => {
  const labels = new Map((kind.textRules ?? []).map((rule) => [rule.code as string, rule.label]))
  return documentTemplateProblems(kind, template).map((problem) => {
    const label = labels.get(problem.problem)
    return {
      path: [...prefix, ...whereToPath(problem.where)],
      message: label === undefined ? `${problem.problem} placeholder ${problem.placeholder}: ${problem.detail}` : `${label}: ${problem.detail}`
    }
  })
}

/** The problems as one {@link InvalidDocumentTemplate}-like error made by `make`, or `undefined` when there are none. */
export const rejectTemplate = <E>(
  problems: ReadonlyArray<ConfigProblem>,
  make: (problems: readonly [ConfigProblem, ...Array<ConfigProblem>]) => E
): E | undefined => {
  const [first, ...rest] = problems
  return first === undefined ? undefined : make([first, ...rest])
}

// ---------------------------------------------------------------------------
// The registry: templates by program, kind and language
// ---------------------------------------------------------------------------

const sameLanguage = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/**
 * The languages to try for a requested locale, most specific first, then
 * `defaultLanguage` and its own fallbacks: `es-MX` gives `es-MX`, `es`,
 * then `en`. A subtag of one letter (an extension, private use) goes with
 * the subtag after it (RFC 4647, lookup). Tags are compared without case.
 */
export const languageFallbacks = (locale: string, defaultLanguage: string): ReadonlyArray<string> => {
  const chain: Array<string> = []
  const add = (tag: string) => {
    let rest = tag.trim()
    while (rest !== "") {
      if (!chain.some((known) => known.toLowerCase() === rest.toLowerCase())) chain.push(rest)
      let cut = rest.lastIndexOf("-")
      if (cut >= 2 && rest[cut - 2] === "-") cut -= 2
      rest = cut < 0 ? "" : rest.slice(0, cut)
    }
  }
  add(locale)
  add(defaultLanguage)
  return chain
}

/**
 * Templates as data, checked once: each program's kinds and the templates
 * filed under (program, kind, language). Make one with
 * {@link makeDocumentRegistry}; find a template with
 * {@link resolveDocumentTemplate}, make a document with
 * {@link makeRegisteredDocument}.
 */
export interface DocumentRegistry {
  /** The language a template is looked for in when none of the requested locale's is filed, e.g. `en`. */
  readonly defaultLanguage: string
  /** The kinds the programs state, each (program, kind) once. */
  readonly kinds: ReadonlyArray<DocumentKind<string>>
  /** The templates, each (program, kind, language) once. */
  readonly templates: ReadonlyArray<DocumentTemplate>
}

const kindIn = (registry: Pick<DocumentRegistry, "kinds">, program: string, kind: string): DocumentKind<string> | undefined =>
  registry.kinds.find((stated) => stated.program === program && stated.kind === kind)

/** No template of a program's kind in the locale asked for, nor in any language it falls back to. */
export class DocumentTemplateNotFound extends Schema.TaggedError<DocumentTemplateNotFound>()("DocumentTemplateNotFound", {
  program: Schema.String,
  kind: Schema.String,
  locale: Schema.String,
  /** The languages looked for, in order (see {@link languageFallbacks}). */
  tried: Schema.Array(Schema.String),
  /** Whether the registry knows the kind at all (false: no such program or kind). */
  kindKnown: Schema.Boolean
}) {
  override get message(): string {
    return this.kindKnown
      ? `No ${this.program} ${this.kind} template in ${this.tried.join(", ")}`
      : `The registry has no document kind ${this.kind} of program ${this.program}`
  }
}

const decodeTemplates = Schema.decodeUnknownResult(Schema.Array(DocumentTemplate), { errors: "all", onExcessProperty: "error" })

/**
 * Checks untrusted templates (a city's files, rows an app stored) against
 * the kinds programs state and files them by program, kind and language.
 * Fails with one {@link InvalidDocumentTemplate} listing every problem,
 * each under the template's index: wrong shapes and unknown keys; a
 * template of a kind no program states (`[2].kind`); two templates for
 * the same program, kind and language (`[3].language`); every problem of
 * {@link documentTemplateProblems}; two kinds stated for the same program
 * and name (`kinds`).
 *
 * @example
 * ```ts
 * const registry = makeDocumentRegistry({ kinds: [...noticeDocumentKinds, agendaKind], templates: JSON.parse(file) })
 * ```
 */
export const makeDocumentRegistry = (options: {
  readonly kinds: ReadonlyArray<DocumentKind<string>>
  readonly templates: unknown
  /** The last language looked for; `en` unless given. */
  readonly defaultLanguage?: string | undefined
}): Result.Result<DocumentRegistry, InvalidDocumentTemplate> => {
  const invalid = (problems: readonly [ConfigProblem, ...Array<ConfigProblem>]) => new InvalidDocumentTemplate({ problems })
  const decoded = decodeTemplates(options.templates)
  if (Result.isFailure(decoded)) return Result.fail(rejectTemplate(templateShapeProblems(decoded.failure), invalid)!)
  const problems: Array<ConfigProblem> = []
  const kinds: Array<DocumentKind<string>> = []
  for (const kind of options.kinds) {
    if (kindIn({ kinds }, kind.program, kind.kind) === undefined) kinds.push(kind)
    else problems.push({ path: ["kinds"], message: `${kind.program} states ${kind.kind} twice` })
  }
  const templates: Array<DocumentTemplate> = []
  decoded.success.forEach((template, index) => {
    const kind = kindIn({ kinds }, template.program, template.kind)
    if (kind === undefined) {
      problems.push({ path: [index, "kind"], message: `${template.program} has no document kind ${template.kind}` })
      return
    }
    const twin = templates.find((filed) =>
      filed.program === template.program && filed.kind === template.kind && sameLanguage(filed.language, template.language)
    )
    if (twin !== undefined) {
      problems.push({
        path: [index, "language"],
        message: `another ${template.program} ${template.kind} template is in ${template.language} (${twin.id})`
      })
    }
    templates.push(template)
    problems.push(...templatePlaceholderProblems(kind, template, [index]))
  })
  const error = rejectTemplate(problems, invalid)
  return error === undefined
    ? Result.succeed({ defaultLanguage: options.defaultLanguage ?? "en", kinds, templates })
    : Result.fail(error)
}

/**
 * The template of a program's kind for a locale: the locale's own, else
 * the nearest language it falls back to, else the registry's default
 * language (see {@link languageFallbacks}); {@link DocumentTemplateNotFound}
 * when none is filed.
 */
export const resolveDocumentTemplate = (
  registry: DocumentRegistry,
  program: string,
  kind: string,
  locale: string
): Result.Result<DocumentTemplate, DocumentTemplateNotFound> => {
  const tried = languageFallbacks(locale, registry.defaultLanguage)
  for (const language of tried) {
    const template = registry.templates.find((filed) =>
      filed.program === program && filed.kind === kind && sameLanguage(filed.language, language)
    )
    if (template !== undefined) return Result.succeed(template)
  }
  return Result.fail(
    new DocumentTemplateNotFound({ program, kind, locale, tried: [...tried], kindKnown: kindIn(registry, program, kind) !== undefined })
  )
}

/**
 * Makes a document of a program's kind in a locale: the template from
 * {@link resolveDocumentTemplate}, filled by {@link makeProgramDocument}.
 */
export const makeRegisteredDocument = (
  registry: DocumentRegistry,
  program: string,
  kind: string,
  locale: string,
  data: DocumentData
): Result.Result<ProgramDocument, DocumentTemplateNotFound | IncompleteDocument> =>
  Result.flatMap(resolveDocumentTemplate(registry, program, kind, locale), (template): Result.Result<
    ProgramDocument,
    DocumentTemplateNotFound | IncompleteDocument
  > => {
    const stated = kindIn(registry, program, kind)
    // makeDocumentRegistry files no template without its kind; a registry put together by hand might.
    return stated === undefined
      ? Result.fail(new DocumentTemplateNotFound({ program, kind, locale, tried: [template.language], kindKnown: false }))
      : makeProgramDocument(stated, template, data)
  })

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/**
 * What the renderers read of a document: a {@link ProgramDocument}, or a
 * program's own (a nuisance case's `NoticeDocument`).
 */
export interface RenderableDocument {
  readonly program?: string | undefined
  readonly kind: string
  readonly language: string
  readonly title: string
  readonly addressee?: { readonly name: string; readonly addressLines: ReadonlyArray<string> } | undefined
  readonly paragraphs: ReadonlyArray<DocumentParagraph>
  readonly fields: ReadonlyArray<{ readonly label: string; readonly value: string }>
  readonly legalBasisHeading: string
  readonly citations: ReadonlyArray<{ readonly source: string; readonly text: string }>
}

/**
 * A document as plain text: the title underlined, the addressee, the
 * paragraphs (list items as `- item`), the fields as `Label: value`, then the
 * legal citations under their heading. Lines end with `\n`.
 */
export const renderDocumentText = (document: RenderableDocument): string => {
  const sections: Array<string> = [
    `${document.title}\n${"=".repeat(Math.max(3, [...document.title].length))}`,
    ...(document.addressee === undefined ? [] : [[document.addressee.name, ...document.addressee.addressLines].join("\n")]),
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

/**
 * Escapes the five HTML-special characters (`& < > " '`), so a value is
 * text in element content and in a quoted attribute alike, never markup.
 */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (character) => entities[character] ?? character)

// Line breaks in a value (a multi-line address, a note) stay line breaks.
const inline = (value: string): string => escapeHtml(value).replace(/\r?\n/g, "<br>")

/**
 * A document as an HTML fragment: an `<article>` (class `document` unless
 * `articleClass` is given) with the program in `data-program` when the
 * document names one, the kind in `data-kind` and the language in `lang`,
 * an `<h1>` title, the addressee in `<address>`, `<p>` and `<ul>`
 * paragraphs, the fields in a `<dl>` and the citations in a `<section
 * class="legal-basis">`. Every text is escaped ({@link escapeHtml}); no
 * styles, no scripts.
 */
export const renderDocumentHtml = (
  document: RenderableDocument,
  options: { readonly articleClass?: string | undefined } = {}
): string => {
  const program = document.program === undefined ? "" : ` data-program="${escapeHtml(document.program)}"`
  const lines: Array<string> = [
    `<article class="${escapeHtml(options.articleClass ?? "document")}"${program} data-kind="${escapeHtml(document.kind)}" lang="${
      escapeHtml(document.language)
    }">`,
    `<h1>${inline(document.title)}</h1>`,
    ...(document.addressee === undefined
      ? []
      : [`<address>${[document.addressee.name, ...document.addressee.addressLines].map(inline).join("<br>")}</address>`]),
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
