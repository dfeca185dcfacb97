/**
 * From a rule and an event to the outbox messages it calls for: the
 * rule's recipients resolved through the `RecipientDirectory`, each
 * reached on the first of the rule's channels they have an address on,
 * the values filled from the event redacted for their audience, one
 * message per address, each with ids derived from the event, the rule and
 * the delivery, so queueing it again changes nothing.
 *
 * @module
 */
import { createHash } from "node:crypto"
import { Effect, Option, Schema } from "effect"
import type { EventCatalog, TaggedEvent } from "../engine/EventCatalog.ts"
import { queueMessage, type Reaction, type ReactionContext, type ReactionResult } from "../engine/Reactor.ts"
import { redact } from "../engine/Redaction.ts"
import type { Audience } from "../kernel/Role.ts"
import { type NotificationRecipient, notificationIdempotencyKey } from "../ports/Notifier.ts"
import { StorageFailure } from "../ports/StoreErrors.ts"
import { fillFieldTemplate } from "./FieldTemplate.ts"
import { MailRequired, mailRequiredTopic, notificationTopic, QueuedNotification } from "./NotificationMessage.ts"
import type { NotificationRule, RecipientRule } from "./NotificationRules.ts"
import type { Contact, DirectoryUnavailable, RecipientDirectory } from "./RecipientDirectory.ts"

/** A recipient of a rule, resolved: the `Notification` recipient and the directory's contact, with the audience to redact for. */
export interface ResolvedRecipient {
  readonly recipient: NotificationRecipient
  readonly contact: Contact
  readonly audience: Audience
}

/** What the rules need besides the rule and the event: the jurisdiction's time zone (for dates) and the default language. */
export interface DeliveryContext {
  readonly program: string
  readonly timeZone: string
  readonly defaultLocale: string
}

const unavailable = (operation: string) => (error: DirectoryUnavailable) =>
  new StorageFailure({ operation: `RecipientDirectory.${operation}`, message: error.reason, retryable: true })

/**
 * The recipients of a rule for one event (its JSON encoding, before
 * redaction: ids are lookup keys, never sent as values), through the
 * directory. A recipient whose id needs a field the event lacks is left
 * out. Subscription lists are always `public`. A directory failure stops
 * the reactor's run (as a retryable `StorageFailure` of
 * `RecipientDirectory.<operation>`); nothing of the event is
 * acknowledged, so the next run tries again.
 */
export const resolveRecipients = Effect.fnUntraced(function*(
  directory: RecipientDirectory["Service"],
  tenantId: string,
  rules: ReadonlyArray<RecipientRule>,
  json: unknown,
  context: DeliveryContext
): Effect.fn.Return<ReadonlyArray<ResolvedRecipient>, StorageFailure> {
  const resolved: Array<ResolvedRecipient> = []
  const fill = (template: string) => fillFieldTemplate(template, json, { timeZone: context.timeZone, locale: context.defaultLocale })
  for (const rule of rules) {
    switch (rule._tag) {
      case "Person": {
        const personId = fill(rule.personId)
        if (personId === undefined || personId === "") break
        const recipient: NotificationRecipient = { _tag: "Person", personId }
        const contact = yield* directory.person(tenantId, personId).pipe(Effect.mapError(unavailable("person")))
        // A person the directory does not know is still a recipient: the notice must reach them (by post if need be).
        resolved.push({
          recipient,
          contact: Option.getOrElse(contact, () => ({ id: personId, audience: "staff" as const, contactPoints: [] })),
          audience: Option.isSome(contact) ? contact.value.audience : "staff"
        })
        break
      }
      case "Role": {
        const district = fill(rule.district)
        if (district === undefined || district === "") break
        const contacts = yield* directory.role(tenantId, rule.role, district).pipe(Effect.mapError(unavailable("role")))
        for (const contact of contacts) {
          resolved.push({ recipient: { _tag: "Role", role: rule.role, district }, contact, audience: contact.audience })
        }
        break
      }
      case "SubscriptionList": {
        const listId = fill(rule.listId)
        if (listId === undefined || listId === "") break
        const contacts = yield* directory.list(tenantId, listId).pipe(Effect.mapError(unavailable("list")))
        for (const contact of contacts) resolved.push({ recipient: { _tag: "SubscriptionList", listId }, contact, audience: "public" })
        break
      }
      case "WebhookSubscriber": {
        const subscriptionId = fill(rule.subscriptionId)
        if (subscriptionId === undefined || subscriptionId === "") break
        const contact = yield* directory.webhookSubscriber(tenantId, subscriptionId).pipe(Effect.mapError(unavailable("webhookSubscriber")))
        if (Option.isSome(contact)) {
          resolved.push({ recipient: { _tag: "WebhookSubscriber", subscriptionId }, contact: contact.value, audience: contact.value.audience })
        }
      }
    }
  }
  return resolved
})

/** A message planned for one recipient: its id suffix (unique within the rule and cause), topic and payload. */
export interface PlannedMessage {
  readonly deliveryKey: string
  readonly topic: string
  readonly payload: Schema.Json
}

const shortHash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16)

const encodeQueued = Schema.encodeSync(QueuedNotification)
const encodeMailRequired = Schema.encodeSync(MailRequired)

/**
 * The messages for resolved recipients, values given per recipient
 * (already redacted for them): for each, every address on the first of
 * the rule's channels they have one on, one message each; with none, a
 * mail-required record when the rule asks for it. A contact reached
 * twice (as a role and as a person) on the same address gets one message.
 * `cause` is the idempotency key's cause (the tenant and the triggering
 * event's id, or the digest's day).
 */
export const planMessages = (
  rule: NotificationRule,
  recipients: ReadonlyArray<ResolvedRecipient>,
  values: (recipient: ResolvedRecipient, locale: string) => Readonly<Record<string, Schema.Json>> | undefined,
  cause: { readonly tenantId: string; readonly eventId: string },
  context: DeliveryContext
): ReadonlyArray<PlannedMessage> => {
  const planned = new Map<string, PlannedMessage>()
  for (const resolved of recipients) {
    const { contact } = resolved
    const channel = rule.delivery.channels.find((c) => contact.contactPoints.some((point) => point.channel === c))
    const points = channel === undefined ? [] : contact.contactPoints.filter((point) => point.channel === channel)
    for (const point of points) {
      const locale = point.locale ?? contact.locale ?? context.defaultLocale
      const filled = values(resolved, locale)
      if (filled === undefined) continue
      const deliveryKey = `${contact.id}/${point.channel}/${shortHash(point.address)}`
      if (planned.has(deliveryKey)) continue
      planned.set(deliveryKey, {
        deliveryKey,
        topic: notificationTopic,
        payload: encodeQueued({
          recipient: resolved.recipient,
          channel: point.channel,
          address: point.address,
          templateId: rule.template,
          locale,
          values: filled,
          idempotencyKey: notificationIdempotencyKey(cause, `${rule.name}/${deliveryKey}`),
          program: context.program,
          rule: rule.name,
          audience: resolved.audience
        }) as Schema.Json
      })
    }
    if (points.length === 0 && rule.delivery.whenUnreachable === "mail-required") {
      const locale = contact.locale ?? context.defaultLocale
      const filled = values(resolved, locale)
      const deliveryKey = `${contact.id}/mail`
      if (filled === undefined || planned.has(deliveryKey)) continue
      planned.set(deliveryKey, {
        deliveryKey,
        topic: mailRequiredTopic,
        payload: encodeMailRequired({
          recipient: resolved.recipient,
          contactId: contact.id,
          templateId: rule.template,
          program: context.program,
          rule: rule.name,
          locale,
          values: filled,
          idempotencyKey: notificationIdempotencyKey(cause, `${rule.name}/${deliveryKey}`),
          reason: contact.contactPoints.length === 0
            ? "no contact on file"
            : `no address on ${rule.delivery.channels.join(" or ")}`
        }) as Schema.Json
      })
    }
  }
  return [...planned.values()]
}

/**
 * The values of an event rule for one recipient: the event redacted for
 * the recipient's audience with the catalog's schema (the existing
 * redaction: a public recipient sees no personal or confidential field),
 * then each value filled from what is left; a value whose field was
 * removed is left out.
 */
export const ruleValuesFor = <E extends TaggedEvent>(
  catalog: EventCatalog<E>,
  event: E,
  templates: Readonly<Record<string, string>>,
  context: DeliveryContext
) =>
(resolved: ResolvedRecipient, locale: string): Readonly<Record<string, Schema.Json>> => {
  const visible = redact(catalog.schema, event, resolved.audience)
  const values: Record<string, Schema.Json> = {}
  for (const [name, template] of Object.entries(templates)) {
    const filled = fillFieldTemplate(template, visible, { timeZone: context.timeZone, locale })
    if (filled !== undefined) values[name] = filled
  }
  return values
}

/**
 * Queues planned messages as one reaction: each with the message id
 * `<reaction id>/<delivery key>` through the kit's `queueMessage`, so a
 * replay finds each already queued. Done when any was queued now.
 */
export const queuePlanned = (
  name: string,
  planned: (context: ReactionContext) => Effect.Effect<ReadonlyArray<PlannedMessage>, StorageFailure>,
  maxAttempts: number | undefined
): Reaction => ({
  _tag: "QueueMessage",
  name,
  run: Effect.fnUntraced(function*(context) {
    const messages = yield* planned(context)
    let queued = false
    for (const message of messages) {
      const result: ReactionResult = yield* queueMessage(name, { topic: message.topic, payload: message.payload, maxAttempts }).run({
        ...context,
        id: `${context.id}/${message.deliveryKey}`
      })
      if (result._tag === "Done") queued = true
    }
    return queued ? { _tag: "Done" } : { _tag: "AlreadyDone" }
  })
})
