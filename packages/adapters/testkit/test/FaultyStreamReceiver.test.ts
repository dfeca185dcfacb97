/**
 * The faulty stream answers each write on its own: a failed write leaves
 * the stream free to take the next one (unlike a plain `Writable`, which a
 * failure ends), the errors are errno errors, and every attempt is counted
 * by the idempotency key read from its text.
 */
import { faultyStreamReceiver, idempotencyKeyLine } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const text = (key: string) => `── notification ·\nidempotency key: ${key}\n\nHello.\n`

const write = (stream: NodeJS.WritableStream, chunk: string) =>
  Effect.promise(() => new Promise<Error | undefined>((resolve) => stream.write(chunk, (error) => resolve(error ?? undefined))))

describe("faultyStreamReceiver", () => {
  it("reads the key from a line `idempotency key:` or `Idempotency-Key:`", () => {
    assert.strictEqual(idempotencyKeyLine(text("sacramento:evt-1")), "sacramento:evt-1")
    assert.strictEqual(idempotencyKeyLine("Subject: x\nIdempotency-Key:  k-2  \n"), "k-2")
    assert.strictEqual(idempotencyKeyLine("no key here"), undefined)
  })

  it.effect("fails, refuses and takes writes as told, and keeps taking writes after a failure", () =>
    Effect.gen(function*() {
      const receiver = yield* faultyStreamReceiver()
      yield* receiver.answerWith(({ idempotencyKey, attempt }) =>
        idempotencyKey === "dead" ? { _tag: "RefusePermanently" } : attempt <= 2 ? { _tag: "RefuseTemporarily" } : { _tag: "Accept" }
      )
      const answers = []
      for (const key of ["a", "a", "dead", "a", "b"]) answers.push(yield* write(receiver.stream, text(key)))
      assert.deepStrictEqual(
        answers.map((error) => (error as NodeJS.ErrnoException | undefined)?.code),
        ["EIO", "EAGAIN", "EPERM", undefined, "EIO"]
      )
      assert.strictEqual((answers[0] as NodeJS.ErrnoException).syscall, "write")
      assert.isFalse(receiver.stream.destroyed)
      assert.deepStrictEqual(
        (yield* receiver.attempts).map(({ idempotencyKey, attempt, answer, acknowledged }) => ({ idempotencyKey, attempt, answer, acknowledged })),
        [
          { idempotencyKey: "a", attempt: 1, answer: "RefuseTemporarily", acknowledged: false },
          { idempotencyKey: "a", attempt: 2, answer: "RefuseTemporarily", acknowledged: false },
          { idempotencyKey: "dead", attempt: 1, answer: "RefusePermanently", acknowledged: false },
          { idempotencyKey: "a", attempt: 3, answer: "Accept", acknowledged: true },
          { idempotencyKey: "b", attempt: 1, answer: "RefuseTemporarily", acknowledged: false }
        ]
      )
      assert.deepStrictEqual(yield* receiver.taken, [{ idempotencyKey: "a", text: text("a") }])
    }))

  it.effect("takes a delayed write late, and names the receipt as told", () =>
    Effect.gen(function*() {
      const receiver = yield* faultyStreamReceiver({ receiverIdOf: (written) => `id-of-${idempotencyKeyLine(written)}` })
      yield* receiver.answerWith(() => ({ _tag: "Accept", delayMillis: 5 }))
      assert.isUndefined(yield* write(receiver.stream, text("slow")))
      assert.deepStrictEqual((yield* receiver.taken).map((taken) => taken.idempotencyKey), ["slow"])
      assert.deepStrictEqual((yield* receiver.attempts).map((attempt) => attempt.receiverId), ["id-of-slow"])
    }))
})
