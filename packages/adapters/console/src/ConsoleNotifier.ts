/**
 * The console notifier, for development: writes each message readably to a
 * stream (stdout by default), so the whole notification flow runs without a
 * mail server or a webhook receiver.
 *
 * @module
 */
import { type DeliveryOutcome, Notifier, type RenderedMessage } from "@community-policing/core"
import { Clock, Config, Context, DateTime, Effect, Layer } from "effect"
import { outcomeOfWriteError, refuseUnservedChannel, type ServedChannels } from "./Outcomes.ts"

/**
 * Where the console notifier writes: anything with a Node-style
 * `write(text, callback)`, such as `process.stdout`, `process.stderr` or a
 * file stream. The callback's error is the write's failure.
 */
export interface ConsoleOutput {
  readonly write: (text: string, callback: (error?: Error | null) => void) => unknown
  /**
   * A stream's event registration, when it has one: the notifier listens for
   * `"error"` so that a failed write (a closed pipe, a full disk) is an
   * outcome, never an unhandled error event that ends the process.
   */
  readonly on?: ((event: "error", listener: (error: Error) => void) => unknown) | undefined
}

/** How the console notifier writes. */
export interface ConsoleNotifierOptions {
  /** Where to write; default `process.stdout`. */
  readonly output?: ConsoleOutput | undefined
  /** The channels it serves; default every channel. */
  readonly channels?: ServedChannels
  /** How long a write may wait for the output to take it; default 10,000 ms. */
  readonly timeoutMillis?: number | undefined
}

const field = (name: string, value: string): string => `${`${name}:`.padEnd(17)}${value}`

/**
 * How the console notifier shows a message: a rule with its number, channel
 * and time, the address, subject, idempotency key and metadata, then the
 * text, then the HTML when there is one.
 */
export const formatMessage = (message: RenderedMessage, number: number, at: string): string => {
  const metadata = Object.entries(message.metadata).map(([key, value]) => `${key}=${value}`).join(" ")
  return [
    `── notification ${number} · ${message.channel} · ${at} ${"─".repeat(20)}`,
    field("to", message.address),
    field("subject", message.subject),
    field("idempotency key", message.idempotencyKey),
    ...(metadata === "" ? [] : [field("metadata", metadata)]),
    "",
    message.text,
    ...(message.html === undefined ? [] : ["", "── html ──", message.html]),
    "",
    ""
  ].join("\n")
}

/** The idempotency key of a message written by {@link formatMessage}, read back; undefined when there is none. */
export const idempotencyKeyOfWritten = (text: string): string | undefined => /^idempotency key:\s+(.*)$/m.exec(text)?.[1]

const write = (output: ConsoleOutput, text: string): Promise<unknown> =>
  new Promise<unknown>((resolve) => {
    try {
      output.write(text, (error) => resolve(error ?? undefined))
    } catch (error) {
      resolve(error ?? new Error("write threw"))
    }
  })

/**
 * Builds a notifier that writes each message it serves to the output and
 * answers `Delivered` (receiver id `console-<n>`) once the output took it.
 * Every attempt is written, a redelivery too (look for its idempotency key).
 * A failed write is a failure: `PermanentFailure` for errors that need a
 * change of set-up (`EACCES`, `ENOENT`, ...), otherwise `RetryableFailure`,
 * as is an output that does not take the text within the timeout.
 */
export const make = (options: ConsoleNotifierOptions = {}): Effect.Effect<Notifier["Service"]> =>
  Effect.sync(() => {
    const output = options.output ?? process.stdout
    const timeoutMillis = options.timeoutMillis ?? 10_000
    // The write's callback reports the error; the event would otherwise be unhandled.
    output.on?.("error", () => {})
    let written = 0
    const deliver = (message: RenderedMessage): Effect.Effect<DeliveryOutcome> =>
      Effect.gen(function*() {
        const refused = refuseUnservedChannel(options.channels, message, "console notifier")
        if (refused !== undefined) return refused
        const at = DateTime.formatIso(DateTime.fromDateUnsafe(new Date(yield* Clock.currentTimeMillis)))
        const number = ++written
        const failure = yield* Effect.promise(() => write(output, formatMessage(message, number, at))).pipe(Effect.timeoutOption(timeoutMillis))
        if (failure._tag === "None") return { _tag: "RetryableFailure", reason: `the output did not take the message within ${timeoutMillis} ms` } as const
        if (failure.value !== undefined) return outcomeOfWriteError(failure.value, "the console output")
        return { _tag: "Delivered", receiverId: `console-${number}` } as const
      })
    return { deliver }
  })

/** The notifier's service as a context: its own tag and the `Notifier` port. */
const toContext = (service: Notifier["Service"]) => Context.make(Notifier, service).pipe(Context.add(ConsoleNotifier, service))

/** Provides the `Notifier` port (and {@link ConsoleNotifier}) that writes to a stream. */
export const layer = (options: ConsoleNotifierOptions = {}): Layer.Layer<ConsoleNotifier | Notifier> =>
  Layer.effectContext(Effect.map(make(options), toContext))

/**
 * {@link layer} with its channels and timeout read from configuration (the
 * output stays stdout unless given).
 *
 * @example
 * ```ts
 * ConsoleNotifier.layerConfig({ channels: Config.Array(Schema.String, "NOTIFY_CONSOLE_CHANNELS") })
 * ```
 */
export const layerConfig = (config: Config.Wrap<ConsoleNotifierOptions>): Layer.Layer<ConsoleNotifier | Notifier, Config.ConfigError> =>
  Layer.effectContext(Config.unwrap(config).pipe(Effect.flatMap(make), Effect.map(toContext)))

/**
 * A console notifier: the `Notifier` service, under its own tag too. The
 * class also carries the adapter's constructors, the same names as every
 * adapter package: `make`, `layer`, `layerConfig`.
 */
export class ConsoleNotifier extends Context.Service<ConsoleNotifier, Notifier["Service"]>()(
  "@community-policing/adapter-console/ConsoleNotifier"
) {
  /** {@link make}, as `ConsoleNotifier.make`. */
  static readonly make = make
  /** {@link layer}, as `ConsoleNotifier.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `ConsoleNotifier.layerConfig`. */
  static readonly layerConfig = layerConfig
}
