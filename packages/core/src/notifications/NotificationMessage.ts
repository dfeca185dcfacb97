/**
 * What the rules put in the outbox: one message per delivery (one
 * address, one channel) on the `notification` topic, carrying the
 * notification the dispatcher renders and sends; and, for a recipient the
 * rule's channels cannot reach, one message on the
 * `notification.mail-required` topic, the record a clerk works from.
 *
 * @module
 */
import { Schema } from "effect"
import { Audience } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { Notification } from "../ports/Notifier.ts"

/** The outbox topic of notifications to deliver (one address, one channel each). */
export const notificationTopic = "notification"

/** The outbox topic of notices the rules could not deliver on any channel: they must go by post. */
export const mailRequiredTopic = "notification.mail-required"

/**
 * The payload of a message on {@link notificationTopic}: the
 * `Notification` (recipient, channel, template id, locale, values
 * already redacted for the recipient's audience, idempotency key), the
 * address on that channel, the program whose templates render it, the
 * rule that caused it and the audience the values were redacted for.
 * Published as `json-schema/QueuedNotification.json`.
 */
export const QueuedNotification = Schema.Struct({
  ...Notification.fields,
  address: personal(Schema.NonEmptyString),
  program: Schema.NonEmptyString,
  rule: Schema.NonEmptyString,
  audience: Audience
})

/** The payload of a notification message; see {@link QueuedNotification}. */
export type QueuedNotification = typeof QueuedNotification.Type

/**
 * The payload of a message on {@link mailRequiredTopic}: who could not be
 * reached on the rule's channels, which notice, in which language with
 * which values, and why. A clerk's worklist claims these messages (the
 * outbox's leases make it a queue), mails the notice and acknowledges
 * each. Published as `json-schema/MailRequired.json`.
 */
export const MailRequired = Schema.Struct({
  recipient: Notification.fields.recipient,
  /** The directory's id of the person, when the directory knows them. */
  contactId: Schema.optionalKey(personal(Schema.NonEmptyString)),
  templateId: Schema.NonEmptyString,
  program: Schema.NonEmptyString,
  rule: Schema.NonEmptyString,
  locale: Schema.NonEmptyString,
  values: Notification.fields.values,
  idempotencyKey: Schema.NonEmptyString,
  /** Why: `no contact on file`, or the channels tried, e.g. `no address on email`. */
  reason: Schema.String
})

/** The payload of a mail-required message; see {@link MailRequired}. */
export type MailRequired = typeof MailRequired.Type
