/**
 * The notifier port: deliver one rendered message on one channel (a webhook,
 * an SMS gateway, a city's CRM) and say plainly what the receiver answered.
 *
 * @module
 */
import { type Effect, Context, Schema } from "effect"
import { personal } from "../kernel/Sensitivity.ts"

/**
 * The channel a message goes out on: `"webhook"`, `"email"`, `"sms"`, or a
 * vendor's own name (`"crm"`). A notifier serves the channels it knows and
 * refuses the others with a {@link PermanentFailure}.
 */
export const NotificationChannel = Schema.NonEmptyString

/** The channel a message goes out on. */
export type NotificationChannel = typeof NotificationChannel.Type

/**
 * The key that makes a redelivered message recognisable as the same one: the
 * receiver keeps the first and ignores the rest. Derived from the event that
 * caused the notification (see {@link notificationIdempotencyKey}).
 */
export const NotificationIdempotencyKey = Schema.NonEmptyString

/**
 * One message, rendered and addressed, ready for a {@link Notifier}.
 *
 * The address and the text are personal data: an address reaches a person
 * (a phone number, a mailbox, a subscriber's endpoint), and a text may name
 * residents or staff.
 */
export const RenderedMessage = Schema.Struct({
  /** The channel, which decides how `address` reads. */
  channel: NotificationChannel,
  /** Where to on that channel: an https URL for a webhook, an E.164 number for SMS, a mailbox for email. */
  address: personal(Schema.NonEmptyString),
  /** The subject line (an email's subject, a webhook's event title). */
  subject: personal(Schema.String),
  /** The plain-text body. */
  text: personal(Schema.String),
  /** An HTML body, for channels that show one. */
  html: Schema.optionalKey(personal(Schema.String)),
  /** Passed to the receiver with the message, so that it can drop a redelivery. */
  idempotencyKey: NotificationIdempotencyKey,
  /** Plain facts for the receiver's routing (tenant, template id, event type); never personal data. */
  metadata: Schema.Record(Schema.String, Schema.String)
})

/** One message, rendered and addressed, ready for a {@link Notifier}. */
export type RenderedMessage = typeof RenderedMessage.Type

/** The receiver accepted the message. */
export const Delivered = Schema.TaggedStruct("Delivered", {
  /** The receiver's own id for the message (a gateway's message id), when it gave one. */
  receiverId: Schema.optionalKey(Schema.String)
})

/** The receiver accepted the message. */
export type Delivered = typeof Delivered.Type

/** Not delivered, and the same message may well get through later. */
export const RetryableFailure = Schema.TaggedStruct("RetryableFailure", {
  /** What went wrong, readable by an operator (`"HTTP 503"`, `"timed out after 10000 ms"`). */
  reason: Schema.String,
  /** Milliseconds the receiver asked us to wait before trying again, when it said. */
  retryAfter: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
})

/** Not delivered, and the same message may well get through later. */
export type RetryableFailure = typeof RetryableFailure.Type

/** Not delivered, and sending the same message again will not change that. */
export const PermanentFailure = Schema.TaggedStruct("PermanentFailure", {
  /** Why, readable by an operator (`"HTTP 410: subscription ended"`, `"redirect to ... not followed"`). */
  reason: Schema.String
})

/** Not delivered, and sending the same message again will not change that. */
export type PermanentFailure = typeof PermanentFailure.Type

/** What a {@link Notifier} says about one delivery. JSON-encodable, so an outbox can record it. */
export const DeliveryOutcome = Schema.Union([Delivered, RetryableFailure, PermanentFailure])

/** What a {@link Notifier} says about one delivery. */
export type DeliveryOutcome = typeof DeliveryOutcome.Type

/**
 * The notifier port.
 *
 * Contract (checked by `notifierConformance` in `@community-policing/testkit`):
 * - **One attempt.** `deliver` makes at most one delivery attempt and
 *   retries nothing itself; the caller (an outbox consumer) decides when to
 *   try again, from the outcome.
 * - **Delivered** means the receiver acknowledged this message. A notifier
 *   never answers `Delivered` when the receiver did not get it (not sent, a
 *   refusal, a timeout, an answer it cannot read). `receiverId` is the
 *   receiver's id for the message when it gave one.
 * - **RetryableFailure** means the same message may get through later: the
 *   receiver was unreachable, too slow, overloaded (HTTP 429, 5xx) or said so.
 *   `retryAfter` carries the wait the receiver asked for, in milliseconds,
 *   and is absent when it asked for none.
 * - **PermanentFailure** means sending the same message again will not help:
 *   the receiver refused it (a subscription that ended, a bad address), the
 *   channel is not one this notifier serves, or the address is unusable.
 * - **Idempotency.** The message's `idempotencyKey` reaches the receiver
 *   with every attempt, so a redelivery after a lost answer is recognisable.
 * - **Outcomes, not errors.** Every answer of the receiver, and every network
 *   failure, is an outcome: `deliver` never fails. A defect means a bug.
 */
export class Notifier extends Context.Service<Notifier, {
  /** Makes one attempt to deliver the message, and says what became of it. */
  readonly deliver: (message: RenderedMessage) => Effect.Effect<DeliveryOutcome>
}>()("@community-policing/core/Notifier") {}

/** A person on file (a resident, a complainant, a staff member), by their id. */
export const PersonRecipient = Schema.TaggedStruct("Person", {
  personId: personal(Schema.NonEmptyString)
})

/** Whoever holds a role in a district (the district's POP sergeant, the neighborhood prosecutor). */
export const RoleRecipient = Schema.TaggedStruct("Role", {
  role: Schema.NonEmptyString,
  district: Schema.NonEmptyString
})

/** Everyone on a subscription list (a neighborhood's alert list, an agenda's subscribers). */
export const SubscriptionListRecipient = Schema.TaggedStruct("SubscriptionList", {
  listId: Schema.NonEmptyString
})

/** One webhook subscriber (a city system, a community group's app), by its subscription id. */
export const WebhookSubscriberRecipient = Schema.TaggedStruct("WebhookSubscriber", {
  subscriptionId: Schema.NonEmptyString
})

/** Who a notification is for, before it is resolved to addresses. */
export const NotificationRecipient = Schema.Union([
  PersonRecipient,
  RoleRecipient,
  SubscriptionListRecipient,
  WebhookSubscriberRecipient
])

/** Who a notification is for, before it is resolved to addresses. */
export type NotificationRecipient = typeof NotificationRecipient.Type

/**
 * A notification an event calls for, before rendering: who it is for, on
 * which channel, which template in which locale with which values, and the
 * idempotency key derived from the event that caused it, so that handling
 * the same event twice sends nothing twice.
 *
 * The values fill the template and may name people: they are personal data.
 *
 * @example
 * ```ts
 * const notification: Notification = {
 *   recipient: { _tag: "Role", role: "pop-sergeant", district: "3" },
 *   channel: "email",
 *   templateId: "sara-assessment-due",
 *   locale: "en-US",
 *   values: { caseId: "POP-2026-014", due: "2026-12-14" },
 *   idempotencyKey: notificationIdempotencyKey({ tenantId: "sacramento", eventId: "evt-81" }, "sara-assessment-due")
 * }
 * ```
 */
export const Notification = Schema.Struct({
  recipient: NotificationRecipient,
  channel: NotificationChannel,
  templateId: Schema.NonEmptyString,
  /** A BCP 47 language tag (`"en-US"`, `"es-MX"`). */
  locale: Schema.NonEmptyString,
  values: personal(Schema.Record(Schema.String, Schema.Json)),
  idempotencyKey: NotificationIdempotencyKey
})

/** A notification an event calls for, before rendering. */
export type Notification = typeof Notification.Type

/**
 * The idempotency key of the notification an event causes: the tenant, the
 * event's id and the purpose (a template id, or a rule's name when one event
 * causes several notifications), so the same event handled twice gives the
 * same key, and two events never share one.
 */
export const notificationIdempotencyKey = (
  cause: { readonly tenantId: string; readonly eventId: string },
  purpose: string
): string => [cause.tenantId, cause.eventId, purpose].map(encodeURIComponent).join(":")
