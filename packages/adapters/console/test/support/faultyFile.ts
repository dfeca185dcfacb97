/**
 * A fault receiver for the file notifier: the notifier's path is a symlink
 * that, before each write, is pointed at a real target chosen by the
 * scenario's answer for that message and attempt: the file itself (taken),
 * `/dev/full` (the kernel fails the write with ENOSPC, as on a full disk: a
 * temporary refusal), or a folder (EISDIR: a permanent refusal). The errors
 * are the kernel's own, for the real `FileNotifier`.
 *
 * Why a symlink re-pointed per write, and not another failing path: a file
 * has no connection that can answer one message differently from the next,
 * so the test moves the path itself, under one lock with the write, which
 * keeps the answer a function of the message and its attempt whatever order
 * the dispatcher's fibers write in. A file cannot stall or answer slowly on
 * demand (a FIFO with no reader would block a libuv thread for good, and
 * four of those stop every file operation in the process), so the
 * scenarios that ask for either are not run against it.
 */
import { mkdir, readFile, symlink, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Notifier } from "@community-policing/core"
import { type FaultAnswer, faultLog, type FaultReceiver } from "@community-policing/testkit"
import { Effect, Layer, Semaphore } from "effect"
import { type FileLine, FileNotifier, readFileLines } from "../../src/index.ts"

/** The file receiver: give `notifier` to the scenario; `file` is the real file behind the path. */
export interface FaultyFileReceiver extends FaultReceiver {
  /** The real file the taken messages end in. */
  readonly file: string
  /** The real `FileNotifier` writing to the receiver's path, the path pointed at each write's target first. */
  readonly notifier: Layer.Layer<Notifier>
}

/** The lines of the file, read back; none when it does not exist. */
export const fileLines = (file: string): Effect.Effect<ReadonlyArray<FileLine>> =>
  Effect.promise(() => readFile(file, "utf8").then(readFileLines, () => []))

/** Whether a file can give the answer: it cannot stall or answer slowly on demand. */
export const fileCanAnswer = (answer: FaultAnswer): boolean =>
  answer._tag === "RefuseTemporarily" || answer._tag === "RefusePermanently" || (answer._tag === "Accept" && answer.delayMillis === undefined)

/** A {@link FaultyFileReceiver} in `folder` (a fresh folder per scenario). */
export const faultyFileReceiver = (folder: string): Effect.Effect<FaultyFileReceiver> =>
  Effect.gen(function*() {
    const log = faultLog()
    const path = join(folder, "notifications.jsonl")
    const file = join(folder, "notifications.real.jsonl")
    const notAFile = join(folder, "a-folder")
    yield* Effect.promise(() => mkdir(notAFile))
    const targetOf = (answer: FaultAnswer): string => {
      if (!fileCanAnswer(answer)) throw new Error(`a file cannot answer ${JSON.stringify(answer)}: leave the scenario out`)
      return answer._tag === "Accept" ? file : answer._tag === "RefuseTemporarily" ? "/dev/full" : notAFile
    }
    const notifier = Layer.effect(
      Notifier,
      Effect.gen(function*() {
        const inner = yield* FileNotifier.make({ path })
        const lock = yield* Semaphore.make(1)
        return {
          deliver: (message) =>
            lock.withPermits(1)(Effect.gen(function*() {
              const { answer } = log.attempt(message.idempotencyKey)
              const target = targetOf(answer)
              yield* Effect.promise(async () => {
                await unlink(path).catch(() => undefined)
                await symlink(target, path)
              })
              return yield* inner.deliver(message)
            }))
        }
      })
    )
    return {
      channel: "email",
      address: "developer@example.test",
      conveysRetryAfter: false,
      file,
      notifier,
      answerWith: log.answerWith,
      // The receiver's id of a taken attempt is the receipt in the file's line for its key, read back from the file.
      attempts: Effect.gen(function*() {
        const lines = yield* fileLines(file)
        const receipts = new Map(lines.flatMap((line) => (line.kind === "message" ? [[line.idempotencyKey, line.receipt] as const] : [])))
        return (yield* log.attempts).map((record) => ({ ...record, receiverId: record.acknowledged ? receipts.get(record.idempotencyKey) : undefined }))
      })
    }
  })
