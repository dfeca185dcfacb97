/**
 * The file notifier appending to real files: one JSON line per message, a
 * repeated idempotency key answered with the first receipt (in the same run,
 * after a restart, and under concurrent redelivery), and honest outcomes on
 * real write failures (/dev/full, a folder, a missing folder).
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Notifier, type RenderedMessage } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer } from "effect"
import { FileNotifier, readFileLines } from "../src/index.ts"
import { noticeMessage } from "./support/messages.ts"
import { temporaryFolder } from "./support/receivers.ts"

const message = noticeMessage

const deliverAll = (path: string, messages: ReadonlyArray<RenderedMessage>, channels?: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const notifier = yield* FileNotifier.make({ path, ...(channels === undefined ? {} : { channels }) })
    return yield* Effect.forEach(messages, notifier.deliver)
  })

const linesOf = (path: string) => Effect.promise(() => readFile(path, "utf8"))

const reasonOf = (outcome: { readonly _tag: string } | undefined): string => (outcome !== undefined && "reason" in outcome && typeof outcome.reason === "string" ? outcome.reason : "")

describe("FileNotifier", () => {
  it.live("appends one JSON line per message, with its receipt, and creates the file readable by its owner only", () =>
    Effect.scoped(Effect.gen(function*() {
      const path = join(yield* temporaryFolder, "notifications.jsonl")
      const { html: _html, ...plain } = message({ idempotencyKey: "sacramento:evt-82:notice-served" })
      const outcomes = yield* deliverAll(path, [message(), plain])
      assert.deepStrictEqual(outcomes, [
        { _tag: "Delivered", receiverId: "notifications.jsonl#1" },
        { _tag: "Delivered", receiverId: "notifications.jsonl#2" }
      ])
      const content = yield* linesOf(path)
      const lines = content.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>)
      assert.lengthOf(lines, 2)
      const { at, ...first } = lines[0]!
      assert.match(String(at), /^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
      assert.deepStrictEqual(first, { kind: "message", receipt: "notifications.jsonl#1", ...message() })
      assert.strictEqual(lines[1]!.html, undefined)
      assert.strictEqual(lines[1]!.idempotencyKey, "sacramento:evt-82:notice-served")
      assert.strictEqual((yield* Effect.promise(() => stat(path))).mode & 0o777, 0o600)
    })))

  it.live("answers a repeated key with the first receipt, records the repeat and never writes the message twice, after a restart too", () =>
    Effect.scoped(Effect.gen(function*() {
      const path = join(yield* temporaryFolder, "notifications.jsonl")
      const second = message({ idempotencyKey: "sacramento:evt-82:notice-served" })
      const firstRun = yield* deliverAll(path, [message(), second, message({ subject: "changed" })])
      assert.deepStrictEqual(firstRun.map((outcome) => outcome._tag === "Delivered" ? outcome.receiverId : outcome._tag), [
        "notifications.jsonl#1",
        "notifications.jsonl#2",
        "notifications.jsonl#1"
      ])
      // A new notifier on the same file (a restarted process) reads the keys back.
      const restarted = yield* deliverAll(path, [second, message({ idempotencyKey: "sacramento:evt-83:notice-served" })])
      assert.deepStrictEqual(restarted.map((outcome) => outcome._tag === "Delivered" ? outcome.receiverId : outcome._tag), [
        "notifications.jsonl#2",
        "notifications.jsonl#3"
      ])
      const lines = readFileLines(yield* linesOf(path))
      assert.deepStrictEqual(lines.map((line) => [line.kind, line.receipt]), [
        ["message", "notifications.jsonl#1"],
        ["message", "notifications.jsonl#2"],
        ["repeat", "notifications.jsonl#1"],
        ["repeat", "notifications.jsonl#2"],
        ["message", "notifications.jsonl#3"]
      ])
      assert.notInclude(yield* linesOf(path), "changed")
    })))

  it.live("writes a message once when the same key is delivered concurrently", () =>
    Effect.scoped(Effect.gen(function*() {
      const path = join(yield* temporaryFolder, "notifications.jsonl")
      const notifier = yield* FileNotifier.make({ path })
      const outcomes = yield* Effect.all(Array.from({ length: 12 }, () => notifier.deliver(message())), { concurrency: "unbounded" })
      assert.deepStrictEqual(new Set(outcomes.map((outcome) => JSON.stringify(outcome))), new Set([JSON.stringify({ _tag: "Delivered", receiverId: "notifications.jsonl#1" })]))
      const lines = readFileLines(yield* linesOf(path))
      assert.strictEqual(lines.filter((line) => line.kind === "message").length, 1)
      assert.strictEqual(lines.filter((line) => line.kind === "repeat").length, 11)
    })))

  it.live("starts on a fresh line after a line cut short, and leaves the broken line out", () =>
    Effect.scoped(Effect.gen(function*() {
      const path = join(yield* temporaryFolder, "notifications.jsonl")
      yield* deliverAll(path, [message()])
      yield* Effect.promise(() => writeFile(path, `{"kind":"message","receipt":"notifi`, { flag: "a" }))
      const outcomes = yield* deliverAll(path, [message(), message({ idempotencyKey: "sacramento:evt-84:notice-served" })])
      assert.deepStrictEqual(outcomes.map((outcome) => outcome._tag === "Delivered" ? outcome.receiverId : outcome._tag), [
        "notifications.jsonl#1",
        "notifications.jsonl#2"
      ])
      const content = yield* linesOf(path)
      assert.lengthOf(content.split("\n").filter((line) => line !== ""), 4)
      assert.deepStrictEqual(readFileLines(content).map((line) => line.kind), ["message", "repeat", "message"])
    })))

  it.live("retries a full disk (ENOSPC), and gives up for good on a folder or a missing folder", () =>
    Effect.scoped(Effect.gen(function*() {
      const folder = yield* temporaryFolder
      const [full] = yield* deliverAll("/dev/full", [message()])
      assert.strictEqual(full?._tag, "RetryableFailure")
      assert.include(reasonOf(full), "ENOSPC")
      yield* Effect.promise(() => mkdir(join(folder, "a-folder")))
      const [isFolder] = yield* deliverAll(join(folder, "a-folder"), [message()])
      assert.strictEqual(isFolder?._tag, "PermanentFailure")
      assert.include(reasonOf(isFolder), "EISDIR")
      const [missing] = yield* deliverAll(join(folder, "missing", "notifications.jsonl"), [message()])
      assert.strictEqual(missing?._tag, "PermanentFailure")
      assert.include(reasonOf(missing), "ENOENT")
    })))

  it.live("serves every channel by default, and only the configured ones when told", () =>
    Effect.scoped(Effect.gen(function*() {
      const path = join(yield* temporaryFolder, "notifications.jsonl")
      const all = yield* deliverAll(path, ["email", "sms", "crm"].map((channel, index) => message({ channel, idempotencyKey: `k${index}` })))
      assert.deepStrictEqual(all.map((outcome) => outcome._tag), ["Delivered", "Delivered", "Delivered"])
      const [sms] = yield* deliverAll(path, [message({ channel: "sms", idempotencyKey: "refused" })], ["email"])
      assert.strictEqual(sms?._tag, "PermanentFailure")
      assert.notInclude(yield* linesOf(path), "refused")
    })))

  it.live("provides the Notifier port from layer and layerConfig", () =>
    Effect.scoped(Effect.gen(function*() {
      const path = join(yield* temporaryFolder, "notifications.jsonl")
      const viaPort = Effect.gen(function*() {
        const notifier = yield* Notifier
        return yield* notifier.deliver(message())
      })
      assert.deepStrictEqual(yield* Effect.provide(viaPort, FileNotifier.layer({ path })), { _tag: "Delivered", receiverId: "notifications.jsonl#1" })
      const configured = Layer.provide(
        FileNotifier.layerConfig({ path: Config.String("NOTIFY_FILE") }),
        ConfigProvider.layer(ConfigProvider.fromUnknown({ NOTIFY_FILE: path }))
      )
      assert.deepStrictEqual(yield* Effect.provide(viaPort, configured), { _tag: "Delivered", receiverId: "notifications.jsonl#1" })
    })))
})
