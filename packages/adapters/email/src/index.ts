/**
 * Email adapter for `@community-policing/core`: a `Notifier` that sends each
 * message over SMTP with nodemailer, with text and HTML parts, a
 * `Message-ID` derived from the idempotency key and an `Idempotency-Key`
 * header, and maps the server's replies onto the `Notifier` contract.
 *
 * Import the names directly (`import { layer } from ...`) or through the
 * `EmailNotifier` tag (`EmailNotifier.layer(...)`), as with every adapter
 * package.
 *
 * @module
 */
export {
  EmailNotifier,
  type EmailNotifierOptions,
  idempotencyKeyHeaderName,
  isMailbox,
  layer,
  layerConfig,
  make,
  messageIdFor,
  outcomeOfError,
  receiverIdOfReply,
  type SmtpCredentials,
  type SmtpFailure
} from "./EmailNotifier.ts"
