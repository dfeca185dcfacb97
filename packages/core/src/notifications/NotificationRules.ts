/**
 * Notification rules as data: which event notifies whom, with which
 * template, on which channels; and the rules the clock drives (N days
 * before a deadline, a daily digest of overdue items). A city writes them
 * as JSON (their JSON Schema ships as `json-schema/NotificationRules.json`)
 * or as a value; {@link validateNotificationRules} checks them against the
 * programs' event catalogs before anything runs, and every problem names
 * its rule and field.
 *
 * @module
 */
import { Result, Schema, SchemaIssue } from "effect"
import type { EventCatalog, TaggedEvent } from "../engine/EventCatalog.ts"
import { NotificationChannel } from "../ports/Notifier.ts"
import { FieldCondition, FieldPath, FieldTemplate, templateFields } from "./FieldTemplate.ts"

const Name = Schema.NonEmptyString.check(
  Schema.isPattern(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/u, { expected: "lower-case words joined by hyphens or dots, e.g. notice-served" })
)

/**
 * Which events a rule reacts to: the stream type of the aggregate that
 * records them (`nuisance-case`, the first part of its stream ids), the
 * event type, and an optional filter whose conditions must all hold.
 */
export const EventSelector = Schema.Struct({
  streamType: Name,
  eventType: Schema.NonEmptyString,
  where: Schema.optionalKey(Schema.Array(FieldCondition))
})

/** Which events a rule reacts to; see {@link EventSelector}. */
export type EventSelector = typeof EventSelector.Type

/** A person on file, by an id built from the event (`nuisance-case/{caseId}/owner`), looked up with `RecipientDirectory.person`. */
export const PersonRecipientRule = Schema.TaggedStruct("Person", { personId: FieldTemplate })

/** Whoever holds a role in a district, the district read from the event (`{councilDistrict}`). */
export const RoleRecipientRule = Schema.TaggedStruct("Role", { role: Schema.NonEmptyString, district: FieldTemplate })

/** Everyone on a subscription list; always the `public` audience. */
export const SubscriptionListRecipientRule = Schema.TaggedStruct("SubscriptionList", { listId: FieldTemplate })

/** One webhook subscriber, with the audience the directory gives it. */
export const WebhookSubscriberRecipientRule = Schema.TaggedStruct("WebhookSubscriber", { subscriptionId: FieldTemplate })

/** Whom a rule notifies: the four recipients of a `Notification`, each read from the event. */
export const RecipientRule = Schema.Union([
  PersonRecipientRule,
  RoleRecipientRule,
  SubscriptionListRecipientRule,
  WebhookSubscriberRecipientRule
])

/** Whom a rule notifies; see {@link RecipientRule}. */
export type RecipientRule = typeof RecipientRule.Type

/**
 * How a rule reaches each recipient: the channels in order of preference
 * (the first on which the recipient has an address is used, every
 * address of it gets its own message), and what happens when they have
 * none: `skip` (nothing is sent; the default) or `mail-required` (a
 * message on the `notification.mail-required` topic records that the
 * notice must go by post, for a clerk to work through).
 */
export const Delivery = Schema.Struct({
  channels: Schema.NonEmptyArray(NotificationChannel),
  whenUnreachable: Schema.optionalKey(Schema.Literals(["skip", "mail-required"]))
})

/** How a rule reaches each recipient; see {@link Delivery}. */
export type Delivery = typeof Delivery.Type

/**
 * The values a template is filled with, by placeholder name: each a text
 * template over the event (`"{caseId}"`, `"{deadline.due|date}"`),
 * filled after the event is redacted for the recipient's audience. A
 * value whose field the audience may not see is left out (never
 * half-filled), and the template must do without it.
 */
export const RuleValues = Schema.Record(Schema.String, FieldTemplate)

/** The fields every rule has. */
const ruleFields = {
  /** The rule's name: unique in the file, part of every message id and idempotency key it makes. */
  name: Name,
  /** What the rule is for, for people reading the file. */
  description: Schema.optionalKey(Schema.String),
  recipients: Schema.NonEmptyArray(RecipientRule),
  /** The notification template (its kind in the template set). */
  template: Name,
  delivery: Delivery,
  /** Deliveries the dispatcher tries before a message is dead-lettered (default 5). */
  maxAttempts: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 })))
}

/** When an event of a kind is recorded, notify its recipients. */
export const OnEventRule = Schema.TaggedStruct("OnEvent", {
  ...ruleFields,
  on: EventSelector,
  values: RuleValues
})

/** When an event of a kind is recorded, notify; see {@link OnEventRule}. */
export type OnEventRule = typeof OnEventRule.Type

/** An event that ends what a time rule waits for (a deadline closed), with the key of the item it ends. */
export const ClosingEvent = Schema.Struct({ eventType: Schema.NonEmptyString, key: FieldTemplate })

/** An event that ends what a time rule waits for; see {@link ClosingEvent}. */
export type ClosingEvent = typeof ClosingEvent.Type

/**
 * N days before a deadline is due, notify: the event that sets the
 * deadline (`on`), the field holding the due instant, the key of the
 * deadline (a later event with the same key moves it), the events that
 * cancel it, and how many days before (0: when it falls due). Driven by
 * the clock through the reactor's timers.
 */
export const BeforeDeadlineRule = Schema.TaggedStruct("BeforeDeadline", {
  ...ruleFields,
  on: EventSelector,
  due: FieldPath,
  key: FieldTemplate,
  cancelOn: Schema.Array(ClosingEvent),
  daysBefore: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 366 })),
  values: RuleValues
})

/** N days before a deadline is due, notify; see {@link BeforeDeadlineRule}. */
export type BeforeDeadlineRule = typeof BeforeDeadlineRule.Type

/** A local time of day, `HH:MM` (24 hours). */
export const LocalTime = Schema.String.check(
  Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$/u, { expected: "a local time HH:MM, e.g. 07:30" })
)

/**
 * Once a day at a local time in the jurisdiction's zone, send each
 * recipient one digest of the items that are overdue: an item opens with
 * an event (`opens`, e.g. a deadline set, keyed by case and purpose, due
 * at a field), closes with another (`closes`), and is overdue once its
 * due instant has passed. Recipients are resolved per item (the item's
 * assignee, its supervisor) and each gets one message listing all their
 * items, one line each from `item`. The digest's template receives
 * `date` (the digest's local date), `count` and `items` (a list).
 */
export const DailyDigestRule = Schema.TaggedStruct("DailyDigest", {
  ...ruleFields,
  opens: EventSelector,
  due: FieldPath,
  key: FieldTemplate,
  closes: Schema.Array(ClosingEvent),
  at: LocalTime,
  item: FieldTemplate
})

/** Once a day, a digest of overdue items per recipient; see {@link DailyDigestRule}. */
export type DailyDigestRule = typeof DailyDigestRule.Type

/** One notification rule: on an event, before a deadline, or a daily digest. */
export const NotificationRule = Schema.Union([OnEventRule, BeforeDeadlineRule, DailyDigestRule])

/** One notification rule; see {@link NotificationRule}. */
export type NotificationRule = typeof NotificationRule.Type

/**
 * A rules file: the program whose templates the rules name, and the
 * rules. Published as `json-schema/NotificationRules.json`.
 *
 * @example
 * ```json
 * {
 *   "program": "justice-for-neighbors",
 *   "rules": [{
 *     "_tag": "OnEvent", "name": "case-opened", "template": "case-opened",
 *     "on": { "streamType": "nuisance-case", "eventType": "CaseOpened" },
 *     "recipients": [{ "_tag": "Role", "role": "code-enforcement-officer", "district": "{councilDistrict}" }],
 *     "delivery": { "channels": ["email"] },
 *     "values": { "caseId": "{caseId}", "district": "{councilDistrict}" }
 *   }]
 * }
 * ```
 */
export const NotificationRules = Schema.Struct({
  program: Name,
  rules: Schema.Array(NotificationRule)
})

/** A rules file; see {@link NotificationRules}. */
export type NotificationRules = typeof NotificationRules.Type

/** One problem of a rules file: the rule (its name, or `#index` when it has none), the field (a dotted path in the rule) and what is wrong. */
export const RuleProblem = Schema.Struct({
  rule: Schema.String,
  field: Schema.String,
  message: Schema.String
})

/** One problem of a rules file; see {@link RuleProblem}. */
export type RuleProblem = typeof RuleProblem.Type

/** A rules file was refused; every problem names its rule and field. Nothing runs from a refused file. */
export class InvalidNotificationRules extends Schema.TaggedError<InvalidNotificationRules>()("InvalidNotificationRules", {
  problems: Schema.NonEmptyArray(RuleProblem)
}) {
  override get message(): string {
    return `Invalid notification rules:\n${this.problems.map((p) => `${p.rule} ${p.field}: ${p.message}`).join("\n")}`
  }
}

/**
 * A program's event catalog as the rules read it (any event type): the
 * rules only encode and redact events with the catalog that decoded them.
 */
export const rulesCatalog = <E extends TaggedEvent>(catalog: EventCatalog<E>): EventCatalog<TaggedEvent> =>
  catalog as unknown as EventCatalog<TaggedEvent>

/** What rules are checked against: the event catalogs (by the stream type of their aggregate) and the template ids. */
export interface RulesCheck {
  /** The catalogs of the events rules may name, by stream type (`{ "nuisance-case": nuisanceCaseEvents }`). */
  readonly catalogs: Readonly<Record<string, EventCatalog<TaggedEvent>>>
  /** The template ids the template set has; not checked when absent. */
  readonly templateIds?: ReadonlyArray<string> | undefined
}

const decodeRules = Schema.decodeUnknownResult(NotificationRules, { errors: "all", onExcessProperty: "error" })
const toIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const keyOf = (segment: PropertyKey | { readonly key: PropertyKey }): string => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : String(key)
}

const ruleLabel = (input: unknown, index: number): string => {
  const rules = typeof input === "object" && input !== null ? (input as { rules?: unknown }).rules : undefined
  const rule = Array.isArray(rules) ? (rules[index] as { name?: unknown } | undefined) : undefined
  return typeof rule?.name === "string" && rule.name !== "" ? rule.name : `#${index}`
}

const selectorsOf = (rule: NotificationRule): ReadonlyArray<readonly [string, EventSelector]> =>
  rule._tag === "DailyDigest" ? [["opens", rule.opens]] : [["on", rule.on]]

const closingOf = (rule: NotificationRule): ReadonlyArray<readonly [string, ClosingEvent]> =>
  rule._tag === "BeforeDeadline"
    ? rule.cancelOn.map((closing, i) => [`cancelOn.${i}`, closing] as const)
    : rule._tag === "DailyDigest"
    ? rule.closes.map((closing, i) => [`closes.${i}`, closing] as const)
    : []

/**
 * Checks an untrusted rules file: its shape (unknown keys refused), then
 * each rule against the catalogs (the stream type and the event types it
 * names exist) and the templates (when given); rule names are unique.
 * Fails with {@link InvalidNotificationRules}, every problem naming its
 * rule and field.
 *
 * @example
 * ```ts
 * const rules = validateNotificationRules(JSON.parse(file), { catalogs: { "nuisance-case": nuisanceCaseEvents } })
 * ```
 */
export const validateNotificationRules = (
  input: unknown,
  check: RulesCheck
): Result.Result<NotificationRules, InvalidNotificationRules> => {
  const refuse = (problems: ReadonlyArray<RuleProblem>) =>
    Result.fail(new InvalidNotificationRules({ problems: problems as readonly [RuleProblem, ...Array<RuleProblem>] }))
  const decoded = decodeRules(input)
  if (Result.isFailure(decoded)) {
    return refuse(toIssues(decoded.failure.issue).issues.map((issue) => {
      const path = (issue.path ?? []).map(keyOf)
      if (path[0] === "rules" && path[1] !== undefined && /^\d+$/.test(path[1])) {
        return { rule: ruleLabel(input, Number(path[1])), field: path.slice(2).join(".") || "(rule)", message: issue.message }
      }
      return { rule: "(file)", field: path.join(".") || "(root)", message: issue.message }
    }))
  }
  const problems: Array<RuleProblem> = []
  const seen = new Set<string>()
  for (const rule of decoded.success.rules) {
    const problem = (field: string, message: string) => problems.push({ rule: rule.name, field, message })
    if (seen.has(rule.name)) problem("name", "another rule has this name")
    seen.add(rule.name)
    let catalog: EventCatalog<TaggedEvent> | undefined
    for (const [field, selector] of selectorsOf(rule)) {
      catalog = Object.hasOwn(check.catalogs, selector.streamType) ? check.catalogs[selector.streamType] : undefined
      if (catalog === undefined) {
        problem(`${field}.streamType`, `no event catalog for stream type ${selector.streamType} (known: ${Object.keys(check.catalogs).join(", ")})`)
      } else if (!catalog.eventTypes.has(selector.eventType)) {
        problem(`${field}.eventType`, `${selector.streamType} records no ${selector.eventType} event`)
      }
    }
    for (const [field, closing] of closingOf(rule)) {
      if (catalog !== undefined && !catalog.eventTypes.has(closing.eventType)) {
        problem(`${field}.eventType`, `the stream records no ${closing.eventType} event`)
      }
    }
    if (check.templateIds !== undefined && !check.templateIds.includes(rule.template)) {
      problem("template", `no template ${rule.template} in the template set`)
    }
    if (rule._tag === "DailyDigest" && templateFields(rule.item).length === 0) {
      problem("item", "an item line names no field, so every line would read the same")
    }
  }
  return problems.length > 0 ? refuse(problems) : Result.succeed(decoded.success)
}
