/**
 * The renderer the outbox dispatcher calls: from a queued notification
 * message to the `RenderedMessage` a `Notifier` sends.
 *
 * @module
 */
import { Effect, Result, Schema } from "effect"
import type { RenderedMessage } from "../ports/Notifier.ts"
import type { OutboxMessage } from "../ports/Outbox.ts"
import { QueuedNotification } from "./NotificationMessage.ts"
import { type NotificationTemplates, renderNotificationTemplate } from "./NotificationTemplates.ts"

/**
 * A notification message could not be rendered: its payload is not a
 * notification, or its template is missing in its language (and the
 * city allows no fallback), or its values leave the template's
 * placeholders unfilled. Sending it again would not help: the dispatcher
 * dead-letters it, for an administrator to fix the templates and requeue.
 */
export class NotificationNotRendered extends Schema.TaggedError<NotificationNotRendered>()("NotificationNotRendered", {
  messageId: Schema.String,
  templateId: Schema.optionalKey(Schema.String),
  reason: Schema.String
}) {}

const decodePayload = Schema.decodeUnknownResult(QueuedNotification)

/**
 * The renderer for a template set: decodes the message's payload (a
 * {@link QueuedNotification}), picks the template in the recipient's
 * locale (or the default language, where the city allows the fallback)
 * and renders the subject, the plain text and the HTML from it, every
 * value escaped in the HTML. The message's metadata carries the tenant,
 * program, template, rule, language and recipient kind (no personal data).
 *
 * @example
 * ```ts
 * const render = renderNotification(justiceForNeighborsNotificationTemplates)
 * // the dispatcher: render(message) then Notifier.deliver(rendered)
 * ```
 */
export const renderNotification = (templates: NotificationTemplates) =>
(message: OutboxMessage): Effect.Effect<RenderedMessage, NotificationNotRendered> => {
  const decoded = decodePayload(message.payload)
  if (Result.isFailure(decoded)) {
    return Effect.fail(new NotificationNotRendered({ messageId: message.id, reason: `not a notification: ${decoded.failure.message}` }))
  }
  const notification = decoded.success
  if (notification.program !== templates.program) {
    return Effect.fail(
      new NotificationNotRendered({
        messageId: message.id,
        templateId: notification.templateId,
        reason: `the notification is for ${notification.program}'s templates, not ${templates.program}'s`
      })
    )
  }
  const rendered = renderNotificationTemplate(templates, notification.templateId, notification.locale, notification.values)
  if (Result.isFailure(rendered)) {
    return Effect.fail(new NotificationNotRendered({ messageId: message.id, templateId: notification.templateId, reason: rendered.failure }))
  }
  return Effect.succeed({
    channel: notification.channel,
    address: notification.address,
    subject: rendered.success.subject,
    text: rendered.success.text,
    html: rendered.success.html,
    idempotencyKey: notification.idempotencyKey,
    metadata: {
      tenantId: message.tenantId,
      program: notification.program,
      templateId: notification.templateId,
      rule: notification.rule,
      language: rendered.success.language,
      recipient: notification.recipient._tag
    }
  })
}
