/**
 * The file notifier, for development and demos: appends one JSON line per
 * message to a file, and recognises a repeated idempotency key, so a
 * redelivery is answered with the first receipt instead of a second copy.
 *
 * @module
 */
import { appendFile, readFile, stat } from "node:fs/promises"
import { basename } from "node:path"
import { type DeliveryOutcome, Notifier, type RenderedMessage } from "@community-policing/core"
import { Clock, Config, Context, DateTime, Effect, Layer, Semaphore } from "effect"
import { outcomeOfWriteError, refuseUnservedChannel, type ServedChannels } from "./Outcomes.ts"

/** How the file notifier writes. */
export interface FileNotifierOptions {
  /** The file the lines are appended to; created (mode 600: it holds personal data) when missing. */
  readonly path: string
  /** The channels it serves; default every channel. */
  readonly channels?: ServedChannels
}

/** A message line: the message as delivered, with its receipt and time. */
export interface FileMessageLine {
  readonly kind: "message"
  /** The receipt: the file's name and the message's number in it (`notifications.jsonl#3`). */
  readonly receipt: string
  /** When it was written (ISO 8601, UTC). */
  readonly at: string
  readonly channel: string
  readonly address: string
  readonly subject: string
  readonly text: string
  readonly html?: string
  readonly idempotencyKey: string
  readonly metadata: Readonly<Record<string, string>>
}

/** A repeat line: a redelivery of a message already in the file, which was not written again. */
export interface FileRepeatLine {
  readonly kind: "repeat"
  /** The receipt of the message it repeats. */
  readonly receipt: string
  readonly at: string
  readonly idempotencyKey: string
}

/** One line of the file. */
export type FileLine = FileMessageLine | FileRepeatLine

/**
 * The lines of a notifier file that read as {@link FileLine}s, in order;
 * empty lines and lines that are not (a line cut short by a failed write)
 * are left out.
 */
export const readFileLines = (content: string): ReadonlyArray<FileLine> =>
  content.split("\n").flatMap((line): Array<FileLine> => {
    if (line.trim() === "") return []
    try {
      const parsed: unknown = JSON.parse(line)
      return typeof parsed === "object" && parsed !== null && "kind" in parsed && "receipt" in parsed && "idempotencyKey" in parsed &&
          (parsed.kind === "message" || parsed.kind === "repeat") && typeof parsed.receipt === "string" && typeof parsed.idempotencyKey === "string"
        ? [parsed as FileLine]
        : []
    } catch {
      return []
    }
  })

/** What the notifier knows of its file: the receipt of each key, how many messages, whether the last write may have left half a line. */
interface FileIndex {
  readonly receipts: Map<string, string>
  messages: number
  unterminated: boolean
}

const loadIndex = async (path: string): Promise<FileIndex> => {
  const index: FileIndex = { receipts: new Map(), messages: 0, unterminated: false }
  const found = await stat(path).catch((error: unknown) => {
    if (typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT") return undefined
    throw error
  })
  // A device or a pipe (a test's /dev/full, a fifo) has no earlier lines to read.
  if (found === undefined || !found.isFile()) return index
  const content = await readFile(path, "utf8")
  for (const line of readFileLines(content)) {
    if (line.kind !== "message") continue
    index.messages += 1
    if (!index.receipts.has(line.idempotencyKey)) index.receipts.set(line.idempotencyKey, line.receipt)
  }
  index.unterminated = content !== "" && !content.endsWith("\n")
  return index
}

type Appended = { readonly _tag: "Appended" } | { readonly _tag: "Failed"; readonly error: unknown }

const append = (path: string, text: string): Promise<Appended> =>
  appendFile(path, text, { encoding: "utf8", mode: 0o600 }).then(
    (): Appended => ({ _tag: "Appended" }),
    (error: unknown): Appended => ({ _tag: "Failed", error })
  )

/**
 * Builds a notifier that appends each message it serves to the file as one
 * JSON line ({@link FileMessageLine}) and answers `Delivered` with the line's
 * receipt. A message whose idempotency key is already in the file is not
 * written again: it is answered `Delivered` with the first receipt, and a
 * short {@link FileRepeatLine} records the redelivery. The file is read once,
 * on the first delivery; one process per file (two processes appending to
 * the same file do not see each other's keys).
 *
 * Outcomes of a failed write: `PermanentFailure` for errors that need a
 * change of set-up (no permission, a missing folder, a read-only file
 * system), `RetryableFailure` for the rest (a full disk, an I/O error).
 */
export const make = (options: FileNotifierOptions): Effect.Effect<Notifier["Service"]> =>
  Effect.gen(function*() {
    const name = basename(options.path)
    const lock = yield* Semaphore.make(1)
    let index: FileIndex | undefined
    const deliverOne = (message: RenderedMessage): Effect.Effect<DeliveryOutcome> =>
      Effect.gen(function*() {
        const refused = refuseUnservedChannel(options.channels, message, "file notifier")
        if (refused !== undefined) return refused
        if (index === undefined) {
          const loaded = yield* Effect.promise(() => loadIndex(options.path).then((value) => ({ value }), (error: unknown) => ({ error })))
          if ("error" in loaded) return outcomeOfWriteError(loaded.error, options.path)
          index = loaded.value
        }
        const at = DateTime.formatIso(DateTime.fromDateUnsafe(new Date(yield* Clock.currentTimeMillis)))
        const first = index.receipts.get(message.idempotencyKey)
        const receipt = first ?? `${name}#${index.messages + 1}`
        const line: FileLine = first === undefined
          ? {
            kind: "message",
            receipt,
            at,
            channel: message.channel,
            address: message.address,
            subject: message.subject,
            text: message.text,
            ...(message.html === undefined ? {} : { html: message.html }),
            idempotencyKey: message.idempotencyKey,
            metadata: message.metadata
          }
          : { kind: "repeat", receipt, at, idempotencyKey: message.idempotencyKey }
        const appended = yield* Effect.promise(() => append(options.path, `${index!.unterminated ? "\n" : ""}${JSON.stringify(line)}\n`))
        if (appended._tag === "Failed") {
          // Part of the line may have reached the file: start the next one on a fresh line.
          index.unterminated = true
          return outcomeOfWriteError(appended.error, options.path)
        }
        index.unterminated = false
        if (first === undefined) {
          index.messages += 1
          index.receipts.set(message.idempotencyKey, receipt)
        }
        return { _tag: "Delivered", receiverId: receipt } as const
      })
    return { deliver: (message: RenderedMessage) => lock.withPermits(1)(deliverOne(message)) }
  })

/** The notifier's service as a context: its own tag and the `Notifier` port. */
const toContext = (service: Notifier["Service"]) => Context.make(Notifier, service).pipe(Context.add(FileNotifier, service))

/** Provides the `Notifier` port (and {@link FileNotifier}) that appends to a file. */
export const layer = (options: FileNotifierOptions): Layer.Layer<FileNotifier | Notifier> =>
  Layer.effectContext(Effect.map(make(options), toContext))

/**
 * {@link layer} with its options read from configuration.
 *
 * @example
 * ```ts
 * FileNotifier.layerConfig({ path: Config.String("NOTIFY_FILE") })
 * ```
 */
export const layerConfig = (config: Config.Wrap<FileNotifierOptions>): Layer.Layer<FileNotifier | Notifier, Config.ConfigError> =>
  Layer.effectContext(Config.unwrap(config).pipe(Effect.flatMap(make), Effect.map(toContext)))

/**
 * A file notifier: the `Notifier` service, under its own tag too. The class
 * also carries the adapter's constructors, the same names as every adapter
 * package: `make`, `layer`, `layerConfig`.
 */
export class FileNotifier extends Context.Service<FileNotifier, Notifier["Service"]>()(
  "@community-policing/adapter-console/FileNotifier"
) {
  /** {@link make}, as `FileNotifier.make`. */
  static readonly make = make
  /** {@link layer}, as `FileNotifier.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `FileNotifier.layerConfig`. */
  static readonly layerConfig = layerConfig
}
