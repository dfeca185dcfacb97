/**
 * The dispatcher fault scenarios with the development notifiers.
 *
 * The console notifier writes to the kit's faulty stream: a real
 * `Writable` that takes a write, takes it slowly, fails it with EIO or
 * EAGAIN (retryable), fails it with EPERM (permanent) or never calls back
 * (the notifier's own 400 ms timeout, shorter than the dispatcher's, makes
 * that a retryable failure), over the memory outbox and a SQLite file.
 *
 * The file notifier appends to a path that the scenario points, write by
 * write, at the real file, `/dev/full` (ENOSPC) or a folder (EISDIR); the
 * scenarios whose answers a file can give are run, and the file's JSON
 * lines are counted by key: one per delivered message, none per dead one,
 * never a second after a recorded success.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { MemoryStore } from "@community-policing/adapter-memory"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { Notifier } from "@community-policing/core"
import {
  ConformanceFailure,
  type DispatcherFaultScenario,
  dispatcherFaultChecks,
  dispatcherFaultScenarios,
  faultScenarioSettings,
  type FaultyStreamReceiver,
  faultyStreamReceiver,
  runDispatcherFaultScenario,
  seededFraction
} from "@community-policing/testkit"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ConsoleNotifier, idempotencyKeyOfWritten } from "../src/index.ts"
import { type FaultyFileReceiver, faultyFileReceiver, fileCanAnswer, fileLines } from "./support/faultyFile.ts"

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "adapter-console-faults-"))
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))
let folders = 0
const freshFolder = () => fs.mkdtempSync(path.join(folder, `${String(++folders).padStart(3, "0")}-`))

/** The console notifier numbers its messages in the text it writes (`── notification 3 · ...`); its receipt is `console-3`. */
const consoleReceiptOfWritten = (text: string): string | undefined => {
  const number = /^── notification (\d+) ·/.exec(text)?.[1]
  return number === undefined ? undefined : `console-${number}`
}

const streamReceiver = faultyStreamReceiver({ idempotencyKeyOf: idempotencyKeyOfWritten, receiverIdOf: consoleReceiptOfWritten })

/** Shorter than the dispatcher's delivery timeout, so a stalled stream is the notifier's own retryable failure. */
const stallTimeoutMillis = faultScenarioSettings.deliveryTimeoutMillis - 100

const consoleNotifier = (receiver: FaultyStreamReceiver) => ConsoleNotifier.layer({ output: receiver.stream, timeoutMillis: stallTimeoutMillis })

dispatcherFaultChecks("the dispatcher with ConsoleNotifier over the memory outbox", {
  receiver: streamReceiver,
  notifier: consoleNotifier,
  store: MemoryStore.layer()
})

dispatcherFaultChecks("the dispatcher with ConsoleNotifier over a SQLite file", {
  receiver: streamReceiver,
  notifier: consoleNotifier,
  store: SqliteStore.layer({ filename: path.join(folder, "outbox.db") })
})

const scenarioNamed = (fragment: string) => {
  const found = dispatcherFaultScenarios.find((scenario) => scenario.name.includes(fragment))
  if (found === undefined) throw new Error(`no scenario named like ${fragment}`)
  return found
}

/** Wraps the console notifier with a flaw. */
const flawed = (flaw: (deliver: Notifier["Service"]["deliver"]) => Notifier["Service"]["deliver"]) => (receiver: FaultyStreamReceiver) =>
  Layer.effect(
    Notifier,
    Effect.map(ConsoleNotifier.make({ output: receiver.stream, timeoutMillis: stallTimeoutMillis }), (notifier) => ({ deliver: flaw(notifier.deliver) }))
  )

describe("the faulty stream catches a console notifier that", () => {
  const catches = (what: string, scenario: string, notifier: ReturnType<typeof flawed>) =>
    it.live(what, () =>
      Effect.gen(function*() {
        const failure = yield* Effect.flip(runDispatcherFaultScenario(scenarioNamed(scenario), {
          receiver: streamReceiver,
          notifier,
          store: MemoryStore.layer()
        }))
        assert.instanceOf(failure, ConformanceFailure)
      }), 60_000)

  catches(
    "reports Delivered without writing (a lost message)",
    "fails half the time",
    flawed(() => () => Effect.succeed({ _tag: "Delivered", receiverId: "console-0" }))
  )
  catches(
    "takes a failed write for a delivery",
    "fails half the time",
    flawed((deliver) => (message) =>
      Effect.map(deliver(message), (outcome) => (outcome._tag === "RetryableFailure" ? { _tag: "Delivered", receiverId: "console-0" } : outcome)))
  )
  catches(
    "takes EPERM for a temporary refusal (retries what cannot succeed)",
    "410",
    flawed((deliver) => (message) =>
      Effect.map(deliver(message), (outcome) => (outcome._tag === "PermanentFailure" ? { _tag: "RetryableFailure", reason: outcome.reason } : outcome)))
  )
  catches(
    "writes every message twice",
    "fails half the time",
    flawed((deliver) => (message) => Effect.andThen(deliver(message), deliver(message)))
  )
})

/** The kit's scenarios a file can answer: no stall, no slow answer. */
const fileScenarios: ReadonlyArray<DispatcherFaultScenario> = [
  ...dispatcherFaultScenarios.filter((scenario) =>
    Array.from({ length: scenario.messages }, (_, index) => index).every((index) =>
      Array.from({ length: faultScenarioSettings.retry.maxAttempts }, (_, attempt) => attempt + 1).every((attempt) =>
        fileCanAnswer(scenario.answer(index, attempt))
      )
    )
  ),
  {
    // Seed 5: a full disk for 40% of the writes, a folder in the file's place for 10%.
    name: "a disk that is full for a seeded share of writes, and a folder where the file should be for some",
    messages: 16,
    answer: (index, attempt) => {
      const draw = seededFraction(5, `${index}/${attempt}`)
      return draw < 0.4 ? { _tag: "RefuseTemporarily" } : draw < 0.5 ? { _tag: "RefusePermanently" } : { _tag: "Accept" }
    }
  }
]

describe("the dispatcher with FileNotifier over the memory outbox", () => {
  it("runs the kit's scenarios that a file can answer, and the file's own", () => {
    assert.deepStrictEqual(
      fileScenarios.map((scenario) => scenario.name),
      [
        "a receiver that fails half the time at random (seeded)",
        "a receiver that answers 429 with Retry-After",
        "a receiver that answers 410 (the subscription has ended) for half the messages",
        "a disk that is full for a seeded share of writes, and a folder where the file should be for some"
      ]
    )
  })

  for (const scenario of fileScenarios) {
    it.live(scenario.name, () =>
      Effect.gen(function*() {
        let receiver: FaultyFileReceiver | undefined
        const report = yield* runDispatcherFaultScenario(scenario, {
          receiver: Effect.tap(faultyFileReceiver(freshFolder()), (started) => Effect.sync(() => (receiver = started))),
          notifier: (started: FaultyFileReceiver) => started.notifier,
          store: MemoryStore.layer()
        })
        const lines = yield* fileLines(receiver!.file)
        const ends = report.messages.map((message) => {
          const key = (message.payload as { readonly key: string }).key
          return {
            key,
            status: message.status,
            messageLines: lines.filter((line) => line.kind === "message" && line.idempotencyKey === key).length,
            repeatLines: lines.filter((line) => line.kind === "repeat" && line.idempotencyKey === key).length
          }
        })
        assert.deepStrictEqual(
          ends,
          ends.map(({ key, status }) => ({ key, status, messageLines: status === "delivered" ? 1 : 0, repeatLines: 0 })),
          "one JSON line per delivered message, none per dead one, none written twice"
        )
        assert.isTrue(ends.some((end) => end.status === "delivered"), "the scenario delivers something")
        assert.isTrue(
          report.attempts.some((attempt) => attempt.answer !== "Accept"),
          "the scenario's writes fail for some messages"
        )
      }), 60_000)
  }
})
