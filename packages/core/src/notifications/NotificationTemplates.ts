/**
 * Notification templates: documents of the kit's document engine
 * (`engine/Documents.ts`), one per template id and language, from which a
 * notification's subject (the title), plain text and HTML are all
 * rendered. A template set is checked when the city configures it: every
 * language the city serves has each template, or the city allows falling
 * back to its default language; otherwise the set is refused.
 *
 * @module
 */
import { Result, Schema } from "effect"
import {
  type DocumentData,
  type DocumentKind,
  type DocumentRegistry,
  type DocumentTemplate,
  LanguageTag,
  languageFallbacks,
  makeDocumentRegistry,
  makeProgramDocument,
  renderDocumentHtml,
  renderDocumentText
} from "../engine/Documents.ts"

/**
 * The languages a city sends notifications in: the locales it serves,
 * its default, and whether a template missing in a served language may
 * fall back to the default (`fallbackToDefault`). Without that
 * permission, a template set missing a served language is refused at
 * configuration time, and a recipient whose language has no template
 * gets none (the message is dead-lettered for an administrator).
 */
export const NotificationLanguages = Schema.Struct({
  locales: Schema.NonEmptyArray(LanguageTag),
  defaultLocale: LanguageTag,
  fallbackToDefault: Schema.Boolean
})

/** The languages a city sends notifications in; see {@link NotificationLanguages}. */
export type NotificationLanguages = typeof NotificationLanguages.Type

/**
 * Sacramento's language-access languages, as the city publishes them:
 * English and the top languages of its residents with limited English
 * proficiency (2024 American Community Survey), for which the city
 * provides assistance under its Language Access Policy (City Manager,
 * released May 2025): Spanish; Chinese (Mandarin, Cantonese: written
 * Simplified and Traditional); Punjabi; Hmong; Russian; Tagalog;
 * Vietnamese; Hindi; Persian (Farsi, Dari); and Ilocano, Samoan and
 * Hawaiian.
 *
 * Source: City of Sacramento, Office of Innovation and Economic
 * Development, "Language Access Overview"
 * (https://www.cityofsacramento.gov/city-manager/oied/community-engagement/language-access/language-access-overview.html)
 * and "Language Access"
 * (https://www.cityofsacramento.gov/city-manager/oied/community-engagement/language-access.html).
 * The pages list the languages; they do not say which documents must be
 * translated into which of them, and the policy applies "to the extent
 * that funding is available": which notices are translated is the
 * city's decision. The library ships English and Spanish templates only
 * (a legal notice is not machine-translated), so the preset allows the
 * fallback to English until the city adds its translations.
 */
export const sacramentoLanguageAccess: NotificationLanguages = {
  locales: ["en", "es", "zh-Hans", "zh-Hant", "pa", "hmn", "ru", "tl", "vi", "hi", "fa", "prs", "ilo", "sm", "haw"],
  defaultLocale: "en",
  fallbackToDefault: true
}

/** One problem of a template set: the template id, the language (when the problem is one), what is wrong. */
export const TemplateSetProblem = Schema.Struct({
  template: Schema.String,
  locale: Schema.optionalKey(Schema.String),
  message: Schema.String
})

/** One problem of a template set; see {@link TemplateSetProblem}. */
export type TemplateSetProblem = typeof TemplateSetProblem.Type

/**
 * A template set was refused at configuration time: a template is
 * faulty, or a served language has no template and the city does not
 * allow the fallback. Every problem names the template and the language.
 */
export class InvalidNotificationTemplates extends Schema.TaggedError<InvalidNotificationTemplates>()("InvalidNotificationTemplates", {
  problems: Schema.NonEmptyArray(TemplateSetProblem)
}) {
  override get message(): string {
    return `Invalid notification templates:\n${
      this.problems.map((p) => `${p.template}${p.locale === undefined ? "" : ` (${p.locale})`}: ${p.message}`).join("\n")
    }`
  }
}

/** A checked template set: the program, its notification kinds (one per template id), the templates by language and the languages. */
export interface NotificationTemplates {
  readonly program: string
  readonly kinds: ReadonlyArray<DocumentKind<string>>
  readonly registry: DocumentRegistry
  readonly languages: NotificationLanguages
}

const sameTag = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

const ownTemplate = (
  registry: DocumentRegistry,
  program: string,
  kind: string,
  locale: string
): DocumentTemplate | undefined => {
  for (const language of languageFallbacks(locale, locale)) {
    const found = registry.templates.find((t) => t.program === program && t.kind === kind && sameTag(t.language, language))
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * Checks a template set when the city configures it: the templates
 * (untrusted data, e.g. a file) against the notification kinds their
 * program states, with every problem of the document engine; then, for
 * each kind, a template in the default language, and one in every served
 * language (its own, or one it falls back to, `es-MX` to `es`) unless
 * `fallbackToDefault` is allowed. Fails with
 * {@link InvalidNotificationTemplates}.
 */
export const makeNotificationTemplates = (options: {
  readonly program: string
  readonly kinds: ReadonlyArray<DocumentKind<string>>
  readonly templates: unknown
  readonly languages: NotificationLanguages
}): Result.Result<NotificationTemplates, InvalidNotificationTemplates> => {
  const { kinds, languages, program } = options
  const registry = makeDocumentRegistry({ kinds, templates: options.templates, defaultLanguage: languages.defaultLocale })
  if (Result.isFailure(registry)) {
    const problems = registry.failure.problems.map((problem) => ({
      template: String(problem.path[0] ?? "(set)"),
      message: `${problem.path.slice(1).join(".") || "(template)"}: ${problem.message}`
    }))
    return Result.fail(new InvalidNotificationTemplates({ problems: problems as [TemplateSetProblem, ...Array<TemplateSetProblem>] }))
  }
  const problems: Array<TemplateSetProblem> = []
  for (const kind of kinds) {
    if (kind.program !== program) {
      problems.push({ template: kind.kind, message: `the kind belongs to ${kind.program}, not ${program}` })
      continue
    }
    if (ownTemplate(registry.success, program, kind.kind, languages.defaultLocale) === undefined) {
      problems.push({ template: kind.kind, locale: languages.defaultLocale, message: "no template in the default language" })
    }
    if (languages.fallbackToDefault) continue
    for (const locale of languages.locales) {
      if (ownTemplate(registry.success, program, kind.kind, locale) === undefined) {
        problems.push({
          template: kind.kind,
          locale,
          message: "no template in this served language, and the city does not allow falling back to the default language"
        })
      }
    }
  }
  const [first, ...rest] = problems
  return first === undefined
    ? Result.succeed({ program, kinds, registry: registry.success, languages })
    : Result.fail(new InvalidNotificationTemplates({ problems: [first, ...rest] }))
}

/** A notification rendered from its template: the subject (the template's title), plain text and HTML, and the language used. */
export interface RenderedTemplate {
  readonly language: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

/**
 * The template of an id for a locale: the locale's own (or one it falls
 * back to, `es-MX` to `es`), else the default language's when the city
 * allows the fallback; `undefined` otherwise.
 */
export const notificationTemplateFor = (
  templates: NotificationTemplates,
  templateId: string,
  locale: string
): DocumentTemplate | undefined =>
  ownTemplate(templates.registry, templates.program, templateId, locale) ??
    (templates.languages.fallbackToDefault
      ? ownTemplate(templates.registry, templates.program, templateId, templates.languages.defaultLocale)
      : undefined)

/** A notification's values as a document's data: texts, lists of texts, numbers and booleans as text; other values are left out. */
export const notificationDocumentData = (values: Readonly<Record<string, Schema.Json>>): DocumentData => {
  const data: Record<string, string | ReadonlyArray<string>> = {}
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string") data[name] = value
    else if (typeof value === "number" || typeof value === "boolean") data[name] = String(value)
    else if (Array.isArray(value) && value.every((item) => typeof item === "string")) data[name] = value as ReadonlyArray<string>
  }
  return data
}

/**
 * Renders a notification: its template for the locale
 * ({@link notificationTemplateFor}), filled with the values by the
 * document engine (every missing value reported), as a subject, a plain
 * text and an HTML fragment in which every value is escaped. Fails with
 * why, in words.
 */
export const renderNotificationTemplate = (
  templates: NotificationTemplates,
  templateId: string,
  locale: string,
  values: Readonly<Record<string, Schema.Json>>
): Result.Result<RenderedTemplate, string> => {
  const kind = templates.kinds.find((k) => k.kind === templateId)
  if (kind === undefined) return Result.fail(`no notification template ${templateId} in the ${templates.program} set`)
  const template = notificationTemplateFor(templates, templateId, locale)
  if (template === undefined) {
    return Result.fail(`no ${templateId} template in ${locale}, and the city does not allow falling back to ${templates.languages.defaultLocale}`)
  }
  const document = makeProgramDocument(kind, template, notificationDocumentData(values))
  if (Result.isFailure(document)) return Result.fail(document.failure.message)
  return Result.succeed({
    language: template.language,
    subject: document.success.title,
    text: renderDocumentText(document.success),
    html: renderDocumentHtml(document.success, { articleClass: "notification" })
  })
}
