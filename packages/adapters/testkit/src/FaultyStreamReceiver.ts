/**
 * The stream counterpart of `faultyHttpReceiver` for the dispatcher fault
 * scenarios: a real Node `Writable` that a console-style notifier writes
 * to, answering each write as the scenario says, by the idempotency key
 * read back from the text written and its attempt number: taken (after a
 * delay when asked), failed with an errno error that may clear (`EIO`,
 * `EAGAIN`: a temporary refusal; a stream has no Retry-After), failed with
 * one that needs a change of set-up (`EPERM`: a permanent refusal), or
 * never called back (a stalled output: the notifier's own timeout must
 * make it a retryable failure).
 *
 * Why `write` is answered before the stream's own machinery: a Node
 * `Writable` whose `_write` fails once is errored for good and buffers
 * every later write unanswered, and one write that never finishes holds up
 * every later one. A file descriptor is not like that (a `write(2)` that
 * failed with `EIO` leaves the next one free to succeed), and the scenarios
 * answer each message on its own; so the faults are answered at `write`,
 * and only what the receiver takes goes through the stream to `_write`.
 *
 * @example
 * ```ts
 * dispatcherFaultChecks("my-console-adapter", {
 *   receiver: faultyStreamReceiver({ idempotencyKeyOf: idempotencyKeyOfWritten }),
 *   notifier: (receiver) => ConsoleNotifier.layer({ output: receiver.stream, timeoutMillis: 400 }),
 *   store: MemoryStore.layer()
 * })
 * ```
 *
 * @module
 */
import { Writable } from "node:stream"
import { Effect } from "effect"
import { type FaultAnswer, faultLog, type FaultReceiver } from "./DispatcherFaultChecks.ts"

/** One text the stream took, with the idempotency key read from it. */
export interface StreamWrite {
  /** The key read back from the text; `"(none)"` when it carries none. */
  readonly idempotencyKey: string
  readonly text: string
}

/**
 * The errno codes the stream fails with: `temporary` for a
 * `RefuseTemporarily` (used in turn, attempt by attempt), `permanent` for a
 * `RefusePermanently`.
 */
export interface StreamFaultCodes {
  readonly temporary: ReadonlyArray<string>
  readonly permanent: string
}

/**
 * Real write(2) errors: `EIO` (an I/O error) and `EAGAIN` (a non-blocking
 * output that is full for now) may clear by themselves; `EPERM` (a file
 * that only allows appends by others, a sealed memory file) does not until
 * someone changes the set-up.
 */
export const defaultStreamFaultCodes: StreamFaultCodes = { temporary: ["EIO", "EAGAIN"], permanent: "EPERM" }

const errnoMessages: Readonly<Record<string, string>> = {
  EIO: "i/o error",
  EAGAIN: "resource temporarily unavailable",
  EPERM: "operation not permitted",
  EACCES: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EPIPE: "broken pipe",
  EBADF: "bad file descriptor"
}

/** An error shaped as Node gives a failed `write(2)`: `code`, `syscall` and the usual message. */
export const writeError = (code: string): Error =>
  Object.assign(new Error(`${code}: ${errnoMessages[code] ?? "write failed"}, write`), { code, syscall: "write" })

/** Reads the idempotency key from the text written; undefined when it carries none. */
export type WrittenKeyReader = (text: string) => string | undefined

/** A line `Idempotency-Key: <key>` or `idempotency key: <key>`, as a console notifier writes it. */
export const idempotencyKeyLine: WrittenKeyReader = (text) => /^idempotency[ _-]key:[ \t]*(\S.*)$/im.exec(text)?.[1]?.trimEnd()

/** A {@link FaultReceiver} that is a stream: give `stream` to the notifier as its output. */
export interface FaultyStreamReceiver extends FaultReceiver {
  readonly stream: Writable
  /** Every text the stream took, in the order it took them. */
  readonly taken: Effect.Effect<ReadonlyArray<StreamWrite>>
}

type WriteCallback = (error?: Error | null) => void

/** The `Writable` of a {@link FaultyStreamReceiver}: answers each write as its answer function says. */
class FaultyWritable extends Writable {
  readonly #answer: (text: string) => FaultAnswer
  readonly #codes: StreamFaultCodes
  readonly #taken: (text: string) => void
  #refusals = 0

  constructor(answer: (text: string) => FaultAnswer, codes: StreamFaultCodes, taken: (text: string) => void) {
    super({ decodeStrings: false })
    this.#answer = answer
    this.#codes = codes
    this.#taken = taken
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: WriteCallback): void {
    this.#taken(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk))
    callback()
  }

  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    const done: WriteCallback = typeof encoding === "function" ? encoding : callback ?? (() => {})
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk)
    const answer = this.#answer(text)
    switch (answer._tag) {
      case "Accept": {
        if (answer.delayMillis === undefined) return super.write(text, done)
        setTimeout(() => super.write(text, done), answer.delayMillis)
        return true
      }
      case "RefuseTemporarily": {
        const code = this.#codes.temporary[this.#refusals++ % this.#codes.temporary.length] ?? "EIO"
        process.nextTick(() => done(writeError(code)))
        return true
      }
      case "RefusePermanently":
        process.nextTick(() => done(writeError(this.#codes.permanent)))
        return true
      case "Hang":
        return true
    }
  }
}

/** How to build a {@link FaultyStreamReceiver}. */
export interface FaultyStreamReceiverOptions {
  /** The channel the scenarios' messages are rendered for; default `"console"`. */
  readonly channel?: string | undefined
  /** The address they are rendered for; default `developer@example.test`. */
  readonly address?: string | undefined
  /** Reads the idempotency key from a text written; default {@link idempotencyKeyLine}. */
  readonly idempotencyKeyOf?: WrittenKeyReader | undefined
  /**
   * Reads the id the notifier gives the receipt from a text written (a
   * stream cannot hand the writer an id, so a notifier that numbers its
   * messages writes the number down); default the kit's own `receipt-<n>`.
   */
  readonly receiverIdOf?: ((text: string) => string | undefined) | undefined
  /** The errors the stream fails with; default {@link defaultStreamFaultCodes}. */
  readonly codes?: StreamFaultCodes | undefined
}

/**
 * A {@link FaultyStreamReceiver}: a `Writable` that answers each write as
 * the scenario says and records every attempt by the idempotency key read
 * from its text. `conveysRetryAfter` is false: a stream cannot ask for a
 * wait.
 */
export const faultyStreamReceiver = (options: FaultyStreamReceiverOptions = {}): Effect.Effect<FaultyStreamReceiver> =>
  Effect.sync(() => {
    const log = faultLog()
    const keyOf = options.idempotencyKeyOf ?? idempotencyKeyLine
    const taken: Array<StreamWrite> = []
    // The receiver id of each attempt, in the order of the log's records.
    const receiverIds: Array<string | undefined> = []
    const stream = new FaultyWritable(
      (text) => {
        const { answer, receiverId } = log.attempt(keyOf(text))
        receiverIds.push(receiverId === undefined || options.receiverIdOf === undefined ? receiverId : options.receiverIdOf(text))
        return answer
      },
      options.codes ?? defaultStreamFaultCodes,
      (text) => taken.push({ idempotencyKey: keyOf(text) ?? "(none)", text })
    )
    return {
      channel: options.channel ?? "console",
      address: options.address ?? "developer@example.test",
      conveysRetryAfter: false,
      stream,
      answerWith: log.answerWith,
      attempts: Effect.map(log.attempts, (records) => records.map((record, position) => ({ ...record, receiverId: receiverIds[position] }))),
      taken: Effect.sync((): ReadonlyArray<StreamWrite> => [...taken])
    }
  })
