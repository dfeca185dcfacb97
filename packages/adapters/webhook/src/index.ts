/**
 * Webhook adapter for `@community-policing/core`: a `Notifier` that POSTs
 * each message as signed JSON to the subscriber's URL, and `verifyWebhook`
 * for receivers, to check the signature and refuse replays.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `WebhookNotifier` tag (`WebhookNotifier.layer(...)`), as with every
 * adapter package.
 *
 * @module
 */
export {
  type AnswerHeaders,
  idempotencyKeyHeaderName,
  layer,
  layerConfig,
  make,
  outcomeOfStatus,
  parseRetryAfter,
  type WebhookNotifierOptions,
  WebhookNotifier,
  type WebhookPayload
} from "./WebhookNotifier.ts"
export {
  signatureHeaderName,
  signWebhook,
  verifyWebhook,
  type WebhookHeaders,
  type WebhookRejection,
  type WebhookSecret,
  type WebhookVerification
} from "./WebhookSignature.ts"
