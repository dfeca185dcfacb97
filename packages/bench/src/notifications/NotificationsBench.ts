/**
 * The notifications row of `npm run bench` (issue 13): the outbox
 * dispatcher's throughput to a local webhook receiver, beside a plain
 * `fetch` loop to the same receiver in the same run.
 *
 * - `notify-dispatcher`: `MESSAGES` messages queued in a SQLite outbox (a
 *   real file, the adapter's default `synchronous: FULL`; queueing is not
 *   timed), then the core dispatcher running until every one is delivered:
 *   claims with leases, renders, signs and POSTs each through the webhook
 *   adapter, retries the refused ones on its `Schedule`, and records every
 *   outcome (receipts, retry times) in the file.
 * - `notify-fetch`: the same messages POSTed with `fetch` by a loop with
 *   the same concurrency, retrying a refused one after the same backoff,
 *   recording nothing.
 *
 * The receiver (Receiver.ts, its own process) refuses the first attempt of
 * every 20th message with 503, so both contenders retry the same 5%.
 * Contenders alternate order from run to run; the table shows medians.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { EventStore, makeDispatcher, Notifier, type OutboxMessage } from "@community-policing/core"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { type NotificationContenderId, notificationContenders } from "./NotificationContenders.ts"


const MESSAGES = 2_000
const CONCURRENCY = 16
const BACKOFF_MILLIS = 10
const REFUSE_EVERY = 20
const tenantId = "sacramento"

const here = dirname(fileURLToPath(import.meta.url))

interface Receiver {
  readonly url: string
  readonly process: ChildProcess
}

const startReceiver = (): Promise<Receiver> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "Receiver.ts"), String(REFUSE_EVERY)], {
      stdio: ["pipe", "pipe", "inherit"]
    })
    child.once("error", reject)
    child.stdout.setEncoding("utf8").once("data", (line: string) => resolve({ url: line.trim(), process: child }))
  })

const requestCount = (receiver: Receiver): Promise<number> =>
  new Promise((resolve) => {
    receiver.process.stdout?.once("data", (line: string) => resolve(Number(line.trim())))
    receiver.process.stdin?.write("count\n")
  })

const keyOf = (run: number, index: number) => `${tenantId}:bench-run-${run}:${index}`

/** The plain loop: `CONCURRENCY` workers POSTing JSON, retrying a 503 after the backoff. */
const fetchLoop = async (url: string, run: number): Promise<void> => {
  let next = 0
  const worker = async () => {
    for (let index = next++; index < MESSAGES; index = next++) {
      const key = keyOf(run, index)
      const body = JSON.stringify({ idempotencyKey: key, subject: `Notice ${index}`, text: "A notice was served.", metadata: {} })
      for (;;) {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "Idempotency-Key": key }, body })
        await response.text()
        if (response.ok) break
        await new Promise((done) => setTimeout(done, BACKOFF_MILLIS))
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

const render = (url: string) => (message: OutboxMessage) =>
  Effect.succeed({
    channel: "webhook",
    address: url,
    subject: `Notice ${message.id}`,
    text: "A notice was served.",
    idempotencyKey: String((message.payload as { readonly key: string }).key),
    metadata: {}
  })

/** Queues the messages (untimed), then times the dispatcher delivering them all. */
const dispatcherRun = async (url: string, run: number, file: string): Promise<number> => {
  const services = Layer.merge(
    SqliteStore.layer({ filename: file }),
    WebhookNotifier.layer({ secret: Redacted.make("whsec_bench"), timeoutMillis: 10_000 })
  )
  const program = Effect.gen(function*() {
    const store = yield* EventStore
    const now = yield* DateTime.now
    for (let start = 0; start < MESSAGES; start += 500) {
      const streamId = `bench-${run}-${start}`
      yield* store.append({
        tenantId,
        streamId,
        expectedVersion: 0,
        events: [{
          tenantId,
          streamId,
          streamVersion: 1,
          eventId: `${streamId}-event`,
          eventType: "NoticesQueued",
          schemaVersion: 1,
          data: null,
          recordedAt: now,
          actor: "System:bench",
          commandId: streamId,
          correlationId: streamId,
          causationId: null,
          previousHash: "0".repeat(64),
          hash: "f".repeat(64)
        }],
        outbox: Array.from({ length: Math.min(500, MESSAGES - start) }, (_, offset) => ({
          id: `notice-${start + offset}`,
          topic: "notification",
          payload: { key: keyOf(run, start + offset) },
          maxAttempts: 5
        }))
      })
    }
    const dispatcher = yield* makeDispatcher({
      render: render(url),
      notifiers: yield* Notifier,
      tenantId,
      batchSize: 100,
      concurrency: CONCURRENCY,
      deliveryTimeoutMillis: 5_000,
      pollMillis: 5,
      retry: { baseDelayMillis: BACKOFF_MILLIS, factor: 1 }
    })
    const started = performance.now()
    let delivered = 0
    while (delivered < MESSAGES) {
      const counts = yield* dispatcher.drain
      delivered += counts.delivered
      if (counts.claimed === 0) yield* Effect.sleep(BACKOFF_MILLIS)
    }
    return performance.now() - started
  })
  return Effect.runPromise(Effect.scoped(Effect.provide(program, services)))
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Runs the selected contenders `runs` times each and prints the row. */
export const runNotificationsBench = async (options: {
  readonly runs: number
  readonly selected: ReadonlyArray<NotificationContenderId>
  readonly say: (line: string) => void
}): Promise<void> => {
  const { runs, selected, say } = options
  say("Notifications benchmark (issue 13)")
  say(`Workload: ${MESSAGES.toLocaleString("en-US")} webhooks to a local receiver (its own process), ${CONCURRENCY} in flight, ` +
    `the first attempt of every ${REFUSE_EVERY}th refused with 503 and retried after ${BACKOFF_MILLIS} ms; ${runs} runs per contender, medians`)
  const receiver = await startReceiver()
  const folder = await mkdtemp(join(tmpdir(), "community-policing-bench-notify-"))
  const rates = new Map<NotificationContenderId, Array<number>>(selected.map((id) => [id, []]))
  try {
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? selected : [...selected].reverse()
      for (const id of order) {
        receiver.process.stdin?.write("reset\n")
        const before = await requestCount(receiver)
        const started = performance.now()
        const millis = id === "notify-fetch"
          ? (await fetchLoop(receiver.url, run), performance.now() - started)
          : await dispatcherRun(receiver.url, run, join(folder, `dispatcher-${run}.db`))
        const requests = (await requestCount(receiver)) - before
        const rate = MESSAGES / (millis / 1000)
        rates.get(id)?.push(rate)
        say(`run ${run + 1}/${runs} ${id}: ${Math.round(millis)} ms, ${Math.round(rate)} messages/s (${requests} requests)`)
      }
    }
  } finally {
    receiver.process.kill()
    await rm(folder, { recursive: true, force: true })
  }
  say("")
  say("| contender | messages/s (median) | vs plain fetch |")
  say("|---|---|---|")
  const plain = median(rates.get("notify-fetch") ?? [])
  for (const entry of notificationContenders) {
    const values = rates.get(entry.id)
    if (values === undefined || values.length === 0) continue
    const rate = median(values)
    say(`| ${entry.label} | ${Math.round(rate)} | ${Number.isFinite(plain) && plain > 0 ? `${(rate / plain).toFixed(2)}x` : "n/a"} |`)
  }
  const dispatcher = rates.get("notify-dispatcher")
  if (dispatcher !== undefined && dispatcher.length > 0 && plain > 0) {
    const ratio = median(dispatcher) / plain
    say("")
    say(`Target: dispatcher at least 0.7x the plain fetch loop: ${ratio.toFixed(2)}x, ${ratio >= 0.7 ? "met" : "NOT met"}`)
  }
}
