/**
 * The console notifier writing to real streams (a file stream, /dev/full):
 * what a developer reads, which channels it serves, and honest outcomes
 * when the output fails or stalls.
 */
import { createWriteStream } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Notifier, type RenderedMessage } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Schema } from "effect"
import { ConsoleNotifier, type ConsoleOutput } from "../src/index.ts"
import { noticeMessage } from "./support/messages.ts"
import { temporaryFolder } from "./support/receivers.ts"

const message = noticeMessage

/** A real file stream in a temporary folder, ended (and flushed) before its text is read back. */
const fileOutput = Effect.gen(function*() {
  const path = join(yield* temporaryFolder, "console.log")
  const stream = createWriteStream(path, { flags: "a" })
  const text = Effect.promise(() => new Promise<void>((done) => stream.end(done)).then(() => readFile(path, "utf8")))
  return { output: stream, text }
})

const deliverAll = (output: ConsoleOutput, messages: ReadonlyArray<RenderedMessage>, options: { readonly channels?: ReadonlyArray<string>; readonly timeoutMillis?: number } = {}) =>
  Effect.gen(function*() {
    const notifier = yield* ConsoleNotifier.make({ output, ...options })
    return yield* Effect.forEach(messages, notifier.deliver)
  })

describe("ConsoleNotifier", () => {
  it.live("writes each message readably: address, subject, idempotency key, metadata, text and HTML", () =>
    Effect.scoped(Effect.gen(function*() {
      const { output, text } = yield* fileOutput
      const { html: _html, ...plain } = message({ idempotencyKey: "sacramento:evt-82:notice-served" })
      const outcomes = yield* deliverAll(output, [message(), plain])
      assert.deepStrictEqual(outcomes, [{ _tag: "Delivered", receiverId: "console-1" }, { _tag: "Delivered", receiverId: "console-2" }])
      const written = yield* text
      const [first, second] = written.split(/^(?=── notification )/m)
      assert.match(first!, /^── notification 1 · email · \d{4}-\d\d-\d\dT[\d:.]+Z ─+\n/)
      assert.include(first!, "to:              owner@example.test\n")
      assert.include(first!, "subject:         Aviso de infracción — Zoë Nguyễn\n")
      assert.include(first!, "idempotency key: sacramento:evt-81:notice-served\n")
      assert.include(first!, "metadata:        tenantId=sacramento templateId=notice-served\n")
      assert.include(first!, "\nSe le notificó una infracción el 14 de diciembre.\n\n── html ──\n<p>Se le notificó una infracción.</p>\n")
      assert.include(second!, "idempotency key: sacramento:evt-82:notice-served\n")
      assert.notInclude(second!, "── html ──")
    })))

  it.live("writes every attempt, a redelivery too", () =>
    Effect.scoped(Effect.gen(function*() {
      const { output, text } = yield* fileOutput
      yield* deliverAll(output, [message(), message()])
      assert.lengthOf((yield* text).match(/idempotency key: sacramento:evt-81:notice-served/g) ?? [], 2)
    })))

  it.live("serves every channel by default, and only the configured ones when told", () =>
    Effect.scoped(Effect.gen(function*() {
      const { output, text } = yield* fileOutput
      const everyChannel = yield* deliverAll(output, ["email", "sms", "webhook", "crm"].map((channel) => message({ channel })))
      assert.deepStrictEqual(everyChannel.map((outcome) => outcome._tag), ["Delivered", "Delivered", "Delivered", "Delivered"])
      const [sms] = yield* deliverAll(output, [message({ channel: "sms", idempotencyKey: "not-written" })], { channels: ["email", "webhook"] })
      assert.deepStrictEqual(sms, { _tag: "PermanentFailure", reason: `channel "sms" is not served by the console notifier (it serves "email", "webhook")` })
      assert.notInclude(yield* text, "not-written")
    })))

  it.live("reports a write that fails on a full device (/dev/full: ENOSPC) as retryable", () =>
    Effect.gen(function*() {
      const [outcome] = yield* deliverAll(createWriteStream("/dev/full", { flags: "a" }), [message()])
      assert.strictEqual(outcome?._tag, "RetryableFailure")
      assert.include(outcome?._tag === "RetryableFailure" ? outcome.reason : "", "ENOSPC")
    }))

  it.live("reports an output that never takes the text as retryable after the timeout", () =>
    Effect.gen(function*() {
      const stalled: ConsoleOutput = { write: () => true }
      const [outcome] = yield* deliverAll(stalled, [message()], { timeoutMillis: 100 })
      assert.deepStrictEqual(outcome, { _tag: "RetryableFailure", reason: "the output did not take the message within 100 ms" })
    }))

  it.live("provides the Notifier port from layer and layerConfig", () =>
    Effect.scoped(Effect.gen(function*() {
      const { output, text } = yield* fileOutput
      const viaPort = (msg: RenderedMessage) =>
        Effect.gen(function*() {
          const notifier = yield* Notifier
          return yield* notifier.deliver(msg)
        })
      assert.strictEqual((yield* Effect.provide(viaPort(message()), ConsoleNotifier.layer({ output })))._tag, "Delivered")
      const configured = Layer.provide(
        ConsoleNotifier.layerConfig({ output: Config.succeed(output), channels: Config.Array(Schema.String, "NOTIFY_CONSOLE_CHANNELS") }),
        ConfigProvider.layer(ConfigProvider.fromUnknown({ NOTIFY_CONSOLE_CHANNELS: "email,webhook" }))
      )
      assert.strictEqual((yield* Effect.provide(viaPort(message({ idempotencyKey: "from-config" })), configured))._tag, "Delivered")
      assert.strictEqual((yield* Effect.provide(viaPort(message({ channel: "sms" })), configured))._tag, "PermanentFailure")
      assert.include(yield* text, "idempotency key: from-config")
    })))
})
