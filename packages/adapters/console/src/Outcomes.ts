/**
 * What the development notifiers answer: which channels they serve, and
 * what a failed write means for the delivery.
 *
 * @module
 */
import type { DeliveryOutcome, RenderedMessage } from "@community-policing/core"

/** The channels a development notifier serves: a list, or every channel when absent. */
export type ServedChannels = ReadonlyArray<string> | undefined

/** A `PermanentFailure` for a message on a channel the notifier does not serve; undefined when it serves it. */
export const refuseUnservedChannel = (channels: ServedChannels, message: RenderedMessage, notifier: string): DeliveryOutcome | undefined =>
  channels === undefined || channels.includes(message.channel)
    ? undefined
    : { _tag: "PermanentFailure", reason: `channel "${message.channel}" is not served by the ${notifier} (it serves ${channels.map((channel) => `"${channel}"`).join(", ") || "none"})` }

/**
 * Write errors that the same write will meet again until someone changes the
 * set-up (a path, a permission): no permission (`EACCES`, `EPERM`), a
 * read-only file system (`EROFS`), a folder that does not exist (`ENOENT`,
 * `ENOTDIR`), a folder where the file should be (`EISDIR`), a name too long.
 * Every other write error (a full disk `ENOSPC`, a quota `EDQUOT`, `EIO`,
 * too many open files, a closed pipe) may clear by itself, so it is retried.
 */
export const permanentWriteErrors: ReadonlySet<string> = new Set(["EACCES", "EPERM", "EROFS", "ENOENT", "ENOTDIR", "EISDIR", "ENAMETOOLONG"])

/** The outcome of a write that failed with `error`, by its code (see {@link permanentWriteErrors}). */
export const outcomeOfWriteError = (error: unknown, target: string): DeliveryOutcome => {
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined
  const text = error instanceof Error ? error.message : String(error)
  const reason = `could not write to ${target}: ${text}${code === undefined || text.includes(code) ? "" : ` (${code})`}`
  return code !== undefined && permanentWriteErrors.has(code) ? { _tag: "PermanentFailure", reason } : { _tag: "RetryableFailure", reason }
}
