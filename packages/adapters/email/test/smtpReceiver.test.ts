/**
 * The testkit's smtpReceiver, the SMTP server that the conformance checks
 * and the dispatcher's fault tests drive, with the email notifier as its
 * client: a seeded flaky receiver fails the same messages in every run, and
 * what the notifier reports always matches what the receiver answered.
 */
import type { RenderedMessage } from "@community-policing/core"
import { type FlakyBehaviour, parseHeaderFields, type SmtpReceiver, smtpReceiver } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { EmailNotifier } from "../src/index.ts"

const message = (index: number): RenderedMessage => ({
  channel: "email",
  address: "resident@example.test",
  subject: `Message ${index}`,
  text: `Body ${index}`,
  idempotencyKey: `fault-test:${index}`,
  metadata: {}
})

/** Sends `count` messages one after another; the outcomes' tags, in order. */
const sendMany = (receiver: SmtpReceiver, count: number) =>
  Effect.gen(function*() {
    const notifier = yield* EmailNotifier.make({ host: receiver.host, port: receiver.port, from: "notices@city.example", timeoutMillis: 300 })
    const outcomes: Array<string> = []
    for (let index = 0; index < count; index++) outcomes.push((yield* notifier.deliver(message(index)))._tag)
    return outcomes
  })

const flakyRun = (behaviour: FlakyBehaviour, count: number) =>
  Effect.scoped(Effect.gen(function*() {
    const receiver = yield* smtpReceiver({ behaviour })
    const outcomes = yield* sendMany(receiver, count)
    return { outcomes, answers: (yield* receiver.mail).map((mail) => mail.answer) }
  }))

describe("smtpReceiver", () => {
  it.live("fails the same messages for the same seed, others for another seed, and the notifier's outcomes match its answers", () =>
    Effect.gen(function*() {
      const first = yield* flakyRun({ _tag: "Flaky", seed: 2026 }, 16)
      const again = yield* flakyRun({ _tag: "Flaky", seed: 2026 }, 16)
      const other = yield* flakyRun({ _tag: "Flaky", seed: 7 }, 16)
      assert.deepStrictEqual(again.answers, first.answers)
      assert.notDeepEqual(other.answers, first.answers)
      assert.include(first.answers, "accepted")
      assert.include(first.answers, "refusedTemporarily")
      assert.deepStrictEqual(
        first.outcomes,
        first.answers.map((answer) => (answer === "accepted" ? "Delivered" : "RetryableFailure"))
      )
    }))

  it.live("fails as told: a failure rate of 1 refuses every message permanently, 0 accepts every one", () =>
    Effect.gen(function*() {
      const refused = yield* flakyRun({ _tag: "Flaky", seed: 1, failureRate: 1, failWith: "refusePermanently" }, 4)
      assert.deepStrictEqual(refused.outcomes, ["PermanentFailure", "PermanentFailure", "PermanentFailure", "PermanentFailure"])
      const accepted = yield* flakyRun({ _tag: "Flaky", seed: 1, failureRate: 0 }, 4)
      assert.deepStrictEqual(accepted.answers, ["accepted", "accepted", "accepted", "accepted"])
    }))

  it.live("hangs on a failing message when told to, and the notifier gives up after its timeout", () =>
    Effect.gen(function*() {
      const run = yield* flakyRun({ _tag: "Flaky", seed: 99, failWith: "hang" }, 6)
      assert.include(run.answers, "hung")
      assert.deepStrictEqual(run.outcomes, run.answers.map((answer) => (answer === "accepted" ? "Delivered" : "RetryableFailure")))
    }))

  it.live("changes its answers when told, and counts connections", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* smtpReceiver()
      assert.deepStrictEqual(yield* sendMany(receiver, 1), ["Delivered"])
      yield* receiver.behave("refuseTemporarily")
      assert.deepStrictEqual(yield* sendMany(receiver, 1), ["RetryableFailure"])
      yield* receiver.behave("hangUp")
      assert.deepStrictEqual(yield* sendMany(receiver, 1), ["RetryableFailure"])
      yield* receiver.behave("accept")
      assert.deepStrictEqual(yield* sendMany(receiver, 1), ["Delivered"])
      assert.deepStrictEqual((yield* receiver.mail).map((mail) => mail.answer), ["accepted", "refusedTemporarily", "hungUp", "accepted"])
      assert.strictEqual(yield* receiver.connections, 4)
    })))

  it("reads header fields unfolded, names as written", () => {
    assert.deepStrictEqual(
      parseHeaderFields("Subject: a long\r\n subject\r\nIdempotency-Key: k:1\r\n\r\nBody: not a header\r\n"),
      [["Subject", "a long subject"], ["Idempotency-Key", "k:1"]]
    )
  })
})
