/**
 * The recommendation notices, written as data for the notification rules
 * (`notifications/NotificationRules.ts`) and run by the rules reactor:
 *
 * - `recommendation-transmitted`: a recommendation transmitted
 *   (`RecommendationTransmitted`) goes to the body that must answer it,
 *   the person on file as `commission-recommendation/recipient/<body id>`
 *   in the city's `RecipientDirectory` (the committee's clerk, the
 *   department's liaison), with the answer's due date.
 * - `recommendation-answer-overdue`: when a transmitted recommendation's
 *   answer falls due and none was recorded, the commission's staff (the
 *   configured roles, citywide) are told it is late. A `BeforeDeadline`
 *   rule with `daysBefore: 0`: the rules reactor schedules a timer at the
 *   due instant recorded on `RecommendationTransmitted` (the last
 *   millisecond of the due day) and cancels it on
 *   `RecommendationAnswered`, so an answer in time sends nothing, and a
 *   replay or rerun never sends it twice. A rule rather than a reactor of
 *   its own (as Justice for Neighbors' `DeadlineReminders`): the
 *   notification core already keeps such timers, resolves the recipients
 *   and fills the templates, and a city can change the rule as data.
 *
 * No law sets the answer deadline (DOMAIN.md section 2): the due instant
 * comes from the city's `answerPeriod` setting. Templates in English and
 * Spanish; other served languages fall back to English where the city
 * allows it (`sacramentoLanguageAccess`).
 *
 * @module
 */
import type { Result } from "effect"
import type { DocumentKind, DocumentTemplate } from "../engine/Documents.ts"
import type { EventCatalog, TaggedEvent } from "../engine/EventCatalog.ts"
import type { Role } from "../kernel/Role.ts"
import { type NotificationRules, rulesCatalog } from "../notifications/NotificationRules.ts"
import {
  type InvalidNotificationTemplates,
  makeNotificationTemplates,
  type NotificationLanguages,
  type NotificationTemplates
} from "../notifications/NotificationTemplates.ts"
import { RECOMMENDATION_RESOURCE, recommendationEvents } from "./Recommendation.ts"

/** The program id the commission's notification templates are filed under. */
export const COMMISSION_NOTICES_PROGRAM = "commission"

/** The event catalogs the recommendation rules may name, by stream type: for `validateNotificationRules` and the rules reactor. */
export const recommendationEventCatalogs: Readonly<Record<string, EventCatalog<TaggedEvent>>> = {
  [RECOMMENDATION_RESOURCE]: rulesCatalog(recommendationEvents)
}

/**
 * The person on file for a receiving body: `commission-recommendation/recipient/<body id>`.
 * The city's `RecipientDirectory` answers it with the body's contact.
 */
export const recommendationRecipientPersonId = "commission-recommendation/recipient/{recipient.id}"

/**
 * The area the commission's staff are asked for: the commission serves the
 * whole city, so its staff are citywide (a directory answers a role for
 * any area with its citywide staff).
 */
export const COMMISSION_STAFF_AREA = "citywide"

/** Who the recommendation notices go to, and how: each city's choice. */
export interface RecommendationNoticeOptions {
  /** The commission staff roles told of a late answer (Sacramento: the commission's clerk). */
  readonly staffRoles: readonly [Role, ...Array<Role>]
  /**
   * A body with no email on file: `mail-required` records that the
   * transmittal notice must go by post (the default), `skip` sends nothing.
   */
  readonly whenBodyUnreachable?: "skip" | "mail-required" | undefined
}

/** Sacramento's preset: the clerk who records the commission's acts is told of late answers; a body without email gets the notice by post. */
export const sacramentoRecommendationNoticeOptions: RecommendationNoticeOptions = {
  staffRoles: ["clerk"],
  whenBodyUnreachable: "mail-required"
}

const streamType = RECOMMENDATION_RESOURCE

const staffRole = (role: Role) => ({ _tag: "Role" as const, role, district: COMMISSION_STAFF_AREA })

const commonValues = {
  recommendationId: "{recommendationId}",
  recipientName: "{recipient.name}",
  transmittedOn: "{transmittedAt|date}",
  answerDue: "{answerDue|date}"
}

/** The recommendation notice rules; see the module's description. */
export const recommendationNotificationRules = (options: RecommendationNoticeOptions): NotificationRules => ({
  program: COMMISSION_NOTICES_PROGRAM,
  rules: [
    {
      _tag: "OnEvent",
      name: "recommendation-transmitted",
      description: "A recommendation transmitted: tell the body that must answer it, with the answer's due date.",
      on: { streamType, eventType: "RecommendationTransmitted" },
      recipients: [{ _tag: "Person", personId: recommendationRecipientPersonId }],
      template: "recommendation-transmitted",
      delivery: { channels: ["email"], whenUnreachable: options.whenBodyUnreachable ?? "mail-required" },
      values: commonValues
    },
    {
      _tag: "BeforeDeadline",
      name: "recommendation-answer-overdue",
      description: "A transmitted recommendation's answer fell due unanswered: tell the commission's staff.",
      on: { streamType, eventType: "RecommendationTransmitted" },
      due: "answerDue",
      key: "{recommendationId}",
      cancelOn: [{ eventType: "RecommendationAnswered", key: "{recommendationId}" }],
      daysBefore: 0,
      recipients: [staffRole(options.staffRoles[0]), ...options.staffRoles.slice(1).map(staffRole)],
      template: "recommendation-answer-overdue",
      delivery: { channels: ["email"] },
      values: commonValues
    }
  ]
})

const placeholder = (name: string, description: string) => ({ name, type: "text" as const, description })
const placeholders = [
  placeholder("recommendationId", "the recommendation's id"),
  placeholder("recipientName", "the body it was transmitted to"),
  placeholder("transmittedOn", "the date it was transmitted"),
  placeholder("answerDue", "the date the answer is due")
]

/** The notification kinds of the recommendation notices: both are filled with the same values, none personal. */
export const recommendationNotificationKinds: ReadonlyArray<DocumentKind<string>> = [
  { program: COMMISSION_NOTICES_PROGRAM, kind: "recommendation-transmitted", placeholders },
  { program: COMMISSION_NOTICES_PROGRAM, kind: "recommendation-answer-overdue", placeholders }
]

const notice = (
  kind: string,
  language: "en" | "es",
  title: string,
  [first, ...rest]: readonly [string, ...Array<string>],
  fields: ReadonlyArray<readonly [string, string]>
): DocumentTemplate => ({
  program: COMMISSION_NOTICES_PROGRAM,
  kind,
  id: `${kind}-${language}`,
  language,
  title,
  paragraphs: [{ _tag: "Text", text: first }, ...rest.map((text) => ({ _tag: "Text" as const, text }))],
  fields: fields.map(([label, value]) => ({ label, value })),
  legalBasisHeading: language === "en" ? "Legal basis" : "Fundamento legal",
  citations: [],
  placeholders: []
})

/** The recommendation notice templates in English and Spanish: the subject is each template's title. */
export const recommendationNotificationTemplates: ReadonlyArray<DocumentTemplate> = [
  notice("recommendation-transmitted", "en", "Commission recommendation {{recommendationId}}: answer due {{answerDue}}", [
    "The Community Police Commission transmitted recommendation {{recommendationId}} to {{recipientName}} on {{transmittedOn}}.",
    "The city asks for an answer by {{answerDue}}: accepted, partly accepted or declined, with the reasons."
  ], [["Recommendation", "{{recommendationId}}"], ["Answer due", "{{answerDue}}"]]),
  notice("recommendation-transmitted", "es", "Recomendación {{recommendationId}} de la Comisión: respuesta antes del {{answerDue}}", [
    "La Comisión de Policía Comunitaria transmitió la recomendación {{recommendationId}} a {{recipientName}} el {{transmittedOn}}.",
    "La ciudad pide una respuesta a más tardar el {{answerDue}}: aceptada, aceptada en parte o rechazada, con sus motivos."
  ], [["Recomendación", "{{recommendationId}}"], ["Respuesta a más tardar", "{{answerDue}}"]]),
  notice("recommendation-answer-overdue", "en", "Late answer: recommendation {{recommendationId}}", [
    "The answer of {{recipientName}} to recommendation {{recommendationId}}, transmitted on {{transmittedOn}}, was due on {{answerDue}} and has not been recorded."
  ], [["Recommendation", "{{recommendationId}}"], ["Was due", "{{answerDue}}"]]),
  notice("recommendation-answer-overdue", "es", "Respuesta atrasada: recomendación {{recommendationId}}", [
    "La respuesta de {{recipientName}} a la recomendación {{recommendationId}}, transmitida el {{transmittedOn}}, vencía el {{answerDue}} y no se ha registrado."
  ], [["Recomendación", "{{recommendationId}}"], ["Vencía", "{{answerDue}}"]])
]

/**
 * The recommendation notice templates checked for a city's languages
 * (see `makeNotificationTemplates`): refused when a served language lacks
 * a template and the city does not allow the fallback to its default.
 */
export const recommendationNotifications = (
  languages: NotificationLanguages,
  templates: ReadonlyArray<DocumentTemplate> = recommendationNotificationTemplates
): Result.Result<NotificationTemplates, InvalidNotificationTemplates> =>
  makeNotificationTemplates({ program: COMMISSION_NOTICES_PROGRAM, kinds: recommendationNotificationKinds, templates, languages })
