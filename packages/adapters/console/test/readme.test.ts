/**
 * The README's Use example, run for real: the console notifier on stdout,
 * then the file notifier twice on the same file (a redelivery answered with
 * the first receipt).
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Notifier } from "@community-policing/core"
import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { ConsoleNotifier, FileNotifier, readFileLines } from "../src/index.ts"
import { temporaryFolder } from "./support/receivers.ts"

it.live("the Use example delivers on the terminal and in a file, and recognises the second run", () =>
  Effect.scoped(Effect.gen(function*() {
    const path = join(yield* temporaryFolder, "notifications.jsonl")

    const program = Effect.gen(function*() {
      const notifier = yield* Notifier
      return yield* notifier.deliver({
        channel: "email",
        address: "owner@example.org",
        subject: "Notice of violation: 4079 L St",
        text: "A notice of violation was served on 14 December.",
        idempotencyKey: "sacramento:evt-81:notice-served",
        metadata: { tenantId: "sacramento" }
      })
    })

    assert.deepStrictEqual(yield* program.pipe(Effect.provide(ConsoleNotifier.layer())), { _tag: "Delivered", receiverId: "console-1" })
    for (let run = 0; run < 2; run++) {
      assert.deepStrictEqual(yield* program.pipe(Effect.provide(FileNotifier.layer({ path }))), { _tag: "Delivered", receiverId: "notifications.jsonl#1" })
    }
    const lines = readFileLines(yield* Effect.promise(() => readFile(path, "utf8")))
    assert.deepStrictEqual(lines.map((line) => line.kind), ["message", "repeat"])
  })))
