/**
 * Development notifiers for `@community-policing/core`: `ConsoleNotifier`
 * writes each message readably to a stream (stdout by default);
 * `FileNotifier` appends one JSON line per message to a file and answers a
 * repeated idempotency key with the first receipt. With them a developer
 * runs the whole notification flow without a mail server or a webhook
 * receiver.
 *
 * Import the names through the tags (`ConsoleNotifier.layer(...)`,
 * `FileNotifier.layer(...)`): the package has two notifiers, so the
 * constructors are not exported bare.
 *
 * @module
 */
export {
  ConsoleNotifier,
  type ConsoleNotifierOptions,
  type ConsoleOutput,
  formatMessage,
  idempotencyKeyOfWritten
} from "./ConsoleNotifier.ts"
export {
  type FileLine,
  type FileMessageLine,
  FileNotifier,
  type FileNotifierOptions,
  type FileRepeatLine,
  readFileLines
} from "./FileNotifier.ts"
export { outcomeOfWriteError, permanentWriteErrors, type ServedChannels } from "./Outcomes.ts"
