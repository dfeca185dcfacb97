/**
 * Notifications: which events notify whom (rules as data, and the rules
 * the clock drives), the recipient directory a city implements, the
 * templates and languages notifications are written in, the reactor that
 * queues one outbox message per delivery, and the renderer the outbox
 * dispatcher calls. See docs/notifications.md.
 *
 * @module
 */
export * from "./Deliveries.ts"
export * from "./FieldTemplate.ts"
export * from "./NotificationMessage.ts"
export * from "./NotificationRules.ts"
export * from "./NotificationTemplates.ts"
export * from "./RecipientDirectory.ts"
export * from "./RenderNotification.ts"
export * from "./RulesReactor.ts"
