/**
 * Justice for Neighbors' notifications, written as data: the rules (a
 * served notice to the owner, a new case to the district team, a
 * deadline near to the assignee, a daily digest of overdue deadlines to
 * the assignee and the supervisor) and their templates in English and
 * Spanish. A city that wants other words or other recipients writes its
 * own rules file and templates in the same shape.
 *
 * @module
 */
import { Result } from "effect"
import type { DocumentKind, DocumentPlaceholder, DocumentTemplate } from "../engine/Documents.ts"
import type { Role } from "../kernel/Role.ts"
import { type NotificationRules, rulesCatalog } from "../notifications/NotificationRules.ts"
import {
  type InvalidNotificationTemplates,
  makeNotificationTemplates,
  type NotificationLanguages,
  type NotificationTemplates
} from "../notifications/NotificationTemplates.ts"
import type { EventCatalog, TaggedEvent } from "../engine/EventCatalog.ts"
import { DISTRICT_TEAM_RESOURCE, districtTeamEvents } from "./DistrictTeam.ts"
import { NoticeKind } from "./NoticeKind.ts"
import { JUSTICE_FOR_NEIGHBORS_PROGRAM } from "./NoticeTemplate.ts"
import { nuisanceCaseEvents } from "./NuisanceCaseEvents.ts"
import { NUISANCE_CASE_RESOURCE } from "./NuisanceCaseWorkflow.ts"

/** The stream type of nuisance cases, as the rules name it. */
const streamType = NUISANCE_CASE_RESOURCE

/**
 * The event catalogs Justice for Neighbors' rules may name, by stream
 * type: for `validateNotificationRules` and the rules reactor.
 */
export const justiceForNeighborsEventCatalogs: Readonly<Record<string, EventCatalog<TaggedEvent>>> = {
  [NUISANCE_CASE_RESOURCE]: rulesCatalog(nuisanceCaseEvents),
  [DISTRICT_TEAM_RESOURCE]: rulesCatalog(districtTeamEvents)
}

/** Who the rules notify and when: every value is each city's choice. */
export interface JusticeForNeighborsNotificationOptions {
  /** The roles of the district team told of a new case in their district (e.g. the team's seats). */
  readonly teamRoles: readonly [Role, ...Array<Role>]
  /** The role that works a case's deadlines in its district: told before a deadline, and in the overdue digest. */
  readonly assignee: Role
  /** The role that supervises the assignee in the district: in the overdue digest too. */
  readonly supervisor: Role
  /** How many days before a deadline is due the assignee is told (0: when it falls due). */
  readonly leadDays: number
  /** The local time (`HH:MM`, the jurisdiction's zone) of the daily overdue digest. */
  readonly digestAt: string
}

/**
 * The person on file for a case's owner: `nuisance-case/<case id>/owner`.
 * The city's `RecipientDirectory` answers it with the owner's email when
 * one is on file.
 */
export const caseOwnerPersonId = "nuisance-case/{caseId}/owner"

const teamRole = (role: Role) => ({ _tag: "Role" as const, role, district: "{councilDistrict}" })

const servedKinds: readonly [NoticeKind, ...Array<NoticeKind>] = [
  "owner-letter",
  ...NoticeKind.literals.filter((kind) => kind !== "lien-notice" && kind !== "owner-letter")
]

/**
 * The Justice for Neighbors rules:
 *
 * - `notice-served`: a notice served on the owner (`DocumentServed`, the
 *   person served in the capacity `owner`, any kind but the lien notice)
 *   tells the owner by email; without an email on file a mail-required
 *   record is queued for a clerk.
 * - `lien-notice-served`: the notice of a lien to the owner of record
 *   (`LienNoticeServed`, Gov. Code 38773.1), the same way, with the amount.
 * - `case-opened`: a new case (`CaseOpened`) tells the district team's
 *   roles in the case's council district. Cases are the district team's
 *   from intake (there is no separate assignment event), so this is the
 *   "case assigned" notice.
 * - `deadline-near`: `leadDays` before a running deadline is due
 *   (`DeadlineSet`, cancelled by `DeadlineClosed`), the assignee.
 * - `overdue-digest`: every day at `digestAt`, the assignee and the
 *   supervisor get one digest of the deadlines of their district that are
 *   past due and not closed.
 */
export const justiceForNeighborsNotificationRules = (options: JusticeForNeighborsNotificationOptions): NotificationRules => ({
  program: JUSTICE_FOR_NEIGHBORS_PROGRAM,
  rules: [
    {
      _tag: "OnEvent",
      name: "notice-served",
      description: "A notice served on the owner: tell the owner by email, or record that it goes by mail.",
      on: {
        streamType,
        eventType: "DocumentServed",
        where: [{ field: "document.personServed.capacity", equals: "owner" }, { field: "document.kind", in: servedKinds }]
      },
      recipients: [{ _tag: "Person", personId: caseOwnerPersonId }],
      template: "notice-served",
      delivery: { channels: ["email"], whenUnreachable: "mail-required" },
      values: {
        caseId: "{caseId}",
        noticeKind: "{document.kind}",
        servedOn: "{document.servedAt|date}",
        ownerName: "{document.personServed.name}"
      }
    },
    {
      _tag: "OnEvent",
      name: "lien-notice-served",
      description: "The notice of a lien served on the owner of record (Gov. Code 38773.1).",
      on: { streamType, eventType: "LienNoticeServed" },
      recipients: [{ _tag: "Person", personId: caseOwnerPersonId }],
      template: "lien-notice-served",
      delivery: { channels: ["email"], whenUnreachable: "mail-required" },
      values: {
        caseId: "{caseId}",
        amount: "{amountInDollars|dollars}",
        servedOn: "{servedAt|date}",
        completedOn: "{completedAt|date}"
      }
    },
    {
      _tag: "OnEvent",
      name: "case-opened",
      description: "A new case: tell the district team.",
      on: { streamType, eventType: "CaseOpened" },
      recipients: [teamRole(options.teamRoles[0]), ...options.teamRoles.slice(1).map(teamRole)],
      template: "case-opened",
      delivery: { channels: ["email"] },
      values: {
        caseId: "{caseId}",
        category: "{category}",
        district: "{councilDistrict}",
        property: "{addressKey}",
        receivedOn: "{receivedAt|date}"
      }
    },
    {
      _tag: "BeforeDeadline",
      name: "deadline-near",
      description: "A running deadline is near: tell the assignee.",
      on: { streamType, eventType: "DeadlineSet" },
      due: "deadline.due",
      key: "{caseId}/{deadline.purpose}",
      cancelOn: [{ eventType: "DeadlineClosed", key: "{caseId}/{purpose}" }],
      daysBefore: options.leadDays,
      recipients: [{ _tag: "Role", role: options.assignee, district: "{councilDistrict}" }],
      template: "deadline-near",
      delivery: { channels: ["email"] },
      values: {
        caseId: "{caseId}",
        purpose: "{deadline.purpose}",
        due: "{deadline.due|date}",
        rule: "{deadline.rule}"
      }
    },
    {
      _tag: "DailyDigest",
      name: "overdue-digest",
      description: "Every day, the deadlines past due and not closed: to the assignee and the supervisor.",
      opens: { streamType, eventType: "DeadlineSet" },
      due: "deadline.due",
      key: "{caseId}/{deadline.purpose}",
      closes: [{ eventType: "DeadlineClosed", key: "{caseId}/{purpose}" }],
      at: options.digestAt,
      recipients: [
        { _tag: "Role", role: options.assignee, district: "{councilDistrict}" },
        { _tag: "Role", role: options.supervisor, district: "{councilDistrict}" }
      ],
      template: "overdue-digest",
      delivery: { channels: ["email"] },
      item: "Case {caseId} (district {councilDistrict}): {deadline.purpose}, due {deadline.due|date}"
    }
  ]
})

const program = JUSTICE_FOR_NEIGHBORS_PROGRAM

/**
 * The notification kinds of Justice for Neighbors: the placeholders each
 * rule's values fill. The owner's name is personal: a public recipient
 * never receives it.
 */
export const justiceForNeighborsNotificationKinds: ReadonlyArray<DocumentKind<string>> = (
  [
    ["notice-served", [
      ["caseId", "the case number"],
      ["noticeKind", "the kind of notice served", { oneOf: [...NoticeKind.literals] }],
      ["servedOn", "the date of service"],
      ["ownerName", "the name of the owner served", { sensitivity: "personal" }]
    ]],
    ["lien-notice-served", [
      ["caseId", "the case number"],
      ["amount", "the unpaid balance the lien is for"],
      ["servedOn", "the date of service"],
      ["completedOn", "the date notice was complete"]
    ]],
    ["case-opened", [
      ["caseId", "the case number"],
      ["category", "the nuisance category"],
      ["district", "the council district"],
      ["property", "the property's address key"],
      ["receivedOn", "the date the complaint or referral came in"]
    ]],
    ["deadline-near", [
      ["caseId", "the case number"],
      ["purpose", "what the deadline is for"],
      ["due", "the date it is due"],
      ["rule", "the rule that set it"]
    ]],
    ["overdue-digest", [
      ["date", "the digest's local date"],
      ["count", "how many deadlines are overdue"],
      ["items", "one line per overdue deadline", { type: "list" }]
    ]]
  ] as const satisfies ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string, Partial<DocumentPlaceholder>?]>]>
).map(([kind, placeholders]) => ({
  program,
  kind,
  placeholders: placeholders.map(([name, description, extra]: readonly [string, string, Partial<DocumentPlaceholder>?]) => ({
    name,
    type: "text" as const,
    description,
    ...extra
  }))
}))

const template = (
  kind: string,
  language: "en" | "es",
  title: string,
  paragraphs: readonly [string, ...Array<string>],
  fields: ReadonlyArray<readonly [string, string]>,
  list?: string
): DocumentTemplate => ({
  program,
  kind,
  id: `${kind}-${language}`,
  language,
  title,
  paragraphs: [
    { _tag: "Text", text: paragraphs[0] },
    ...paragraphs.slice(1).map((text) => ({ _tag: "Text" as const, text })),
    ...(list === undefined ? [] : [{ _tag: "List" as const, items: list }])
  ],
  fields: fields.map(([label, value]) => ({ label, value })),
  legalBasisHeading: language === "en" ? "Legal basis" : "Fundamento legal",
  citations: [],
  placeholders: []
})

/**
 * The Justice for Neighbors notification templates, in English and
 * Spanish: the subject is each template's title, the text and HTML its
 * body and fields. Other languages fall back to English where the city
 * allows it (see `sacramentoLanguageAccess`).
 */
export const justiceForNeighborsNotificationTemplates: ReadonlyArray<DocumentTemplate> = [
  template("notice-served", "en", "Case {{caseId}}: a notice was served on you", [
    "Dear {{ownerName}},",
    "A {{noticeKind}} for case {{caseId}} was served on you on {{servedOn}}. Please read it: it says what is required and by when, and how to ask for a hearing.",
    "This message is a courtesy; the notice served is what counts."
  ], [["Case", "{{caseId}}"], ["Served on", "{{servedOn}}"]]),
  template("notice-served", "es", "Caso {{caseId}}: se le entregó un aviso", [
    "Estimado/a {{ownerName}}:",
    "El {{servedOn}} se le entregó un aviso ({{noticeKind}}) del caso {{caseId}}. Léalo: indica lo que se requiere y el plazo, y cómo solicitar una audiencia.",
    "Este mensaje es una cortesía; lo que cuenta es el aviso entregado."
  ], [["Caso", "{{caseId}}"], ["Entregado el", "{{servedOn}}"]]),
  template("lien-notice-served", "en", "Case {{caseId}}: notice of a lien for {{amount}}", [
    "A notice of a nuisance abatement lien for the unpaid balance of {{amount}} on case {{caseId}} was served on you on {{servedOn}}; notice was complete on {{completedOn}}.",
    "The lien may be recorded once the notice period has passed."
  ], [["Case", "{{caseId}}"], ["Amount", "{{amount}}"]]),
  template("lien-notice-served", "es", "Caso {{caseId}}: aviso de gravamen por {{amount}}", [
    "El {{servedOn}} se le entregó un aviso de gravamen por los costos de eliminación de la molestia pública, por el saldo impago de {{amount}} del caso {{caseId}}; la notificación quedó completa el {{completedOn}}.",
    "El gravamen podrá inscribirse cuando termine el plazo del aviso."
  ], [["Caso", "{{caseId}}"], ["Monto", "{{amount}}"]]),
  template("case-opened", "en", "New case {{caseId}} in district {{district}}", [
    "Case {{caseId}} ({{category}}) was opened for {{property}} in council district {{district}}, received on {{receivedOn}}."
  ], [["Case", "{{caseId}}"], ["District", "{{district}}"]]),
  template("case-opened", "es", "Nuevo caso {{caseId}} en el distrito {{district}}", [
    "Se abrió el caso {{caseId}} ({{category}}) para {{property}} en el distrito {{district}}, recibido el {{receivedOn}}."
  ], [["Caso", "{{caseId}}"], ["Distrito", "{{district}}"]]),
  template("deadline-near", "en", "Case {{caseId}}: {{purpose}} deadline on {{due}}", [
    "The {{purpose}} deadline of case {{caseId}} is due on {{due}} ({{rule}})."
  ], [["Case", "{{caseId}}"], ["Due", "{{due}}"]]),
  template("deadline-near", "es", "Caso {{caseId}}: plazo de {{purpose}} el {{due}}", [
    "El plazo de {{purpose}} del caso {{caseId}} vence el {{due}} ({{rule}})."
  ], [["Caso", "{{caseId}}"], ["Vence", "{{due}}"]]),
  template("overdue-digest", "en", "{{count}} overdue deadlines on {{date}}", [
    "These deadlines are past due and not closed:"
  ], [], "items"),
  template("overdue-digest", "es", "{{count}} plazos vencidos al {{date}}", [
    "Estos plazos están vencidos y no se han cerrado:"
  ], [], "items")
]

/**
 * The Justice for Neighbors notification templates checked for a city's
 * languages (see `makeNotificationTemplates`): refused when a served
 * language lacks a template and the city does not allow the fallback.
 */
export const justiceForNeighborsNotifications = (
  languages: NotificationLanguages,
  templates: ReadonlyArray<DocumentTemplate> = justiceForNeighborsNotificationTemplates
): Result.Result<NotificationTemplates, InvalidNotificationTemplates> =>
  makeNotificationTemplates({ program, kinds: justiceForNeighborsNotificationKinds, templates, languages })
