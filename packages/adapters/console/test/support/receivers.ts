/**
 * Receivers for the kit's notifier checks, for the development notifiers:
 * the file notifier's receiver is the real file it appends to, reached
 * through a symlink the checks re-point at a real fault; the console
 * notifier's is an output that records what it is given.
 */
import { mkdtemp, readFile, rm, symlink, unlink } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { NotifierReceiver, ReceivedAttempt, ReceiverBehaviour } from "@community-policing/testkit"
import { Effect, type Scope } from "effect"
import { type ConsoleOutput, idempotencyKeyOfWritten, readFileLines } from "../../src/index.ts"

/** A temporary folder for the scope, removed with everything in it when the scope ends. */
export const temporaryFolder: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "adapter-console-"))),
  (folder) => Effect.promise(() => rm(folder, { recursive: true, force: true }))
)

/** A file notifier's receiver: `path` is what the notifier is given. */
export interface FileReceiver extends NotifierReceiver {
  /** The path the notifier appends to: a symlink to the current target. */
  readonly path: string
  /** The real file behind `path` when the receiver accepts. */
  readonly file: string
}

/**
 * The file notifier's receiver. `path` is a symlink, re-pointed for each
 * behaviour at a real target: the file itself (accept), `/dev/full` (every
 * write fails with ENOSPC, as on a full disk: a temporary refusal, and also
 * what "hangs up" means for a file, which has no connection to drop), a
 * folder (EISDIR: a permanent refusal). The attempts are the file's lines,
 * each acknowledged: a file keeps only what it took.
 */
export const fileReceiver: Effect.Effect<FileReceiver, never, Scope.Scope> = Effect.gen(function*() {
  const folder = yield* temporaryFolder
  const path = join(folder, "notifications.jsonl")
  const file = join(folder, "notifications.real.jsonl")
  const targets: Record<ReceiverBehaviour, string> = {
    accept: file,
    refuseTemporarily: "/dev/full",
    hangUp: "/dev/full",
    refusePermanently: folder
  }
  const point = (behaviour: ReceiverBehaviour) =>
    Effect.promise(async () => {
      await unlink(path).catch(() => undefined)
      await symlink(targets[behaviour], path)
    })
  yield* point("accept")
  return {
    channel: "email",
    address: "developer@example.test",
    path,
    file,
    behave: point,
    attempts: Effect.promise(() =>
      readFile(file, "utf8").then(
        (content) => readFileLines(content).map((line): ReceivedAttempt => ({ idempotencyKey: line.idempotencyKey, acknowledged: true })),
        () => []
      )
    )
  }
})

/** A console notifier's receiver: `output` is what the notifier is given. */
export interface ConsoleReceiver extends NotifierReceiver {
  readonly output: ConsoleOutput
  /** Every text the output was given, in order. */
  readonly written: ReadonlyArray<string>
}

/** The errors of a real stream, by behaviour: a full disk, no permission, a reader that went away. */
const streamErrors: Record<Exclude<ReceiverBehaviour, "accept">, { readonly code: string; readonly message: string }> = {
  refuseTemporarily: { code: "ENOSPC", message: "ENOSPC: no space left on device, write" },
  refusePermanently: { code: "EACCES", message: "EACCES: permission denied, open" },
  hangUp: { code: "EPIPE", message: "EPIPE: broken pipe, write" }
}

/**
 * The console notifier's receiver: an output that records every text and
 * answers as told, failing with the error a real stream gives (ENOSPC,
 * EACCES, EPIPE). These are answered, not produced: tests run as root, for
 * whom no permission is ever denied. The attempts are the texts written,
 * each with the idempotency key read back from the text.
 */
export const consoleReceiver: Effect.Effect<ConsoleReceiver> = Effect.sync(() => {
  const written: Array<string> = []
  const attempts: Array<ReceivedAttempt> = []
  let behaviour: ReceiverBehaviour = "accept"
  return {
    channel: "email",
    address: "developer@example.test",
    written,
    output: {
      write: (text, callback) => {
        written.push(text)
        attempts.push({ idempotencyKey: idempotencyKeyOfWritten(text), acknowledged: behaviour === "accept" })
        if (behaviour === "accept") return setImmediate(() => callback())
        const { code, message } = streamErrors[behaviour]
        setImmediate(() => callback(Object.assign(new Error(message), { code })))
      }
    },
    behave: (next) => Effect.sync(() => {
      behaviour = next
    }),
    attempts: Effect.sync(() => [...attempts])
  }
})
