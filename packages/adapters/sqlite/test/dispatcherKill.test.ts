/**
 * A dispatcher killed with SIGKILL mid-batch: a child process runs the
 * outbox dispatcher against a SQLite file and a slow loopback webhook
 * receiver, and is killed while deliveries are in flight (some of them
 * already acted on by the receiver, none of those recorded). A second
 * dispatcher resumes once the dead one's leases have expired. Every message
 * ends delivered, none is lost, none reaches the receiver again after its
 * success was recorded, and the only repeats are the messages the killed
 * dispatcher held, sent again only after their leases ended: at least
 * once, with the idempotency key telling the receiver which ones repeat.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { EventStore, Outbox } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { DateTime, Effect, Fiber, Layer } from "effect"
import { layer } from "../src/index.ts"
import { eventsFor } from "./fixtures/common.ts"
import { type DispatcherFixtureArgs, killTestDispatcher, killTestNotifier } from "./fixtures/dispatcher.ts"
import { startFixture } from "./support/child.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("dispatcher-kill")

interface Arrival {
  readonly key: string
  readonly arrivedAt: number
}

/** A real HTTP server on 127.0.0.1 that accepts every webhook after `delayMillis`, and calls `onArrival` with the count so far. */
const slowReceiver = (delayMillis: number, onArrival: (count: number) => void) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly url: string; readonly arrivals: Array<Arrival>; readonly close: () => Promise<void> }>((resume) => {
      const arrivals: Array<Arrival> = []
      const server = createServer((request, response) => {
        request.resume()
        request.on("end", () => {
          const key = String(request.headers["idempotency-key"])
          arrivals.push({ key, arrivedAt: Date.now() })
          onArrival(arrivals.length)
          setTimeout(() => {
            if (!response.destroyed) response.writeHead(200, { "Webhook-Receipt-Id": `receipt-${arrivals.length}` }).end()
          }, delayMillis)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          url: `http://127.0.0.1:${port}/notices`,
          arrivals,
          close: () => new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
        }))
      })
    }),
    (receiver) => Effect.promise(receiver.close)
  )

interface LeaseRow {
  readonly id: string
  readonly payload: string
  readonly lease_until: number
}

describe("a dispatcher killed with SIGKILL mid-batch", () => {
  it.live("is resumed by another after the leases expire: every message delivered, none lost, none again after its recorded success", () =>
    Effect.scoped(Effect.gen(function*() {
      const filename = database("outbox")
      const tenantId = "sacramento"
      const messages = 40
      const killAt = 11
      let kill: () => void = () => undefined
      const receiver = yield* slowReceiver(250, (count) => {
        if (count === killAt) kill()
      })
      const args: DispatcherFixtureArgs = {
        filename,
        tenantId,
        receiverUrl: receiver.url,
        batchSize: 8,
        concurrency: 4,
        leaseMillis: 5_000,
        deliveryTimeoutMillis: 2_000
      }
      const store = layer({ filename })
      const keys = Array.from({ length: messages }, (_, index) => `${tenantId}:kill-test:${index}`)
      yield* Effect.provide(
        Effect.gen(function*() {
          const events = yield* EventStore
          yield* events.append({
            tenantId,
            streamId: "notices",
            expectedVersion: 0,
            events: eventsFor(tenantId, "notices", 0, 1, "queue-notices"),
            outbox: keys.map((key, index) => ({ id: `notice-${String(index).padStart(2, "0")}`, topic: "notification", payload: { key }, maxAttempts: 5 }))
          })
        }),
        store
      )

      const child = startFixture("dispatcher.ts", args)
      kill = () => child.process.kill("SIGKILL")
      const exit = yield* Effect.promise(() => child.exit)
      assert.strictEqual(exit.signal, "SIGKILL", `the child was to be killed mid-batch, but it ended with ${exit.code}: ${exit.stderr}`)
      assert.deepStrictEqual(exit.lines, ["started"])

      // What the killed dispatcher left: messages leased and not settled.
      const raw = new Database(filename)
      const leased = raw.prepare<[string], LeaseRow>(
        "SELECT id, payload, lease_until FROM outbox_messages WHERE tenant_id = ? AND status = 'pending' AND lease_token IS NOT NULL"
      ).all(tenantId)
      const pendingAtKill = raw.prepare<[string], number>(
        "SELECT count(*) FROM outbox_messages WHERE tenant_id = ? AND status = 'pending'"
      ).pluck().get(tenantId) ?? 0
      raw.close()
      const leaseEnds = new Map(leased.map((row) => [(JSON.parse(row.payload) as { key: string }).key, row.lease_until]))
      const arrivedAtKill = new Set(receiver.arrivals.map((arrival) => arrival.key))
      assert.isAbove(leased.length, 0, "the kill must leave leased, unsettled messages (mid-batch)")
      assert.isTrue(
        [...leaseEnds.keys()].some((key) => arrivedAtKill.has(key)),
        "some held message had reached the receiver when the dispatcher died (acted on, not recorded)"
      )

      // The second dispatcher, in this process, on the same file.
      const report = yield* Effect.provide(
        Effect.gen(function*() {
          const outbox = yield* Outbox
          const dispatcher = yield* killTestDispatcher(args)
          const current = Effect.forEach(keys, (_, index) =>
            Effect.map(outbox.get(tenantId, `notice-${String(index).padStart(2, "0")}`), (found) => {
              assert.isTrue(found._tag === "Some", `message ${index} must still be in the outbox`)
              return found._tag === "Some" ? found.value : undefined
            }))
          const settled = Effect.gen(function*() {
            while ((yield* Effect.orDie(current)).some((message) => message?.status === "pending")) yield* Effect.sleep(50)
          })
          const fiber = yield* Effect.forkChild(dispatcher.run({ until: settled }))
          const counts = yield* Fiber.join(fiber)
          return { counts, messages: yield* current }
        }),
        Layer.merge(store, killTestNotifier)
      )

      const byKey = new Map<string, Array<Arrival>>()
      for (const arrival of receiver.arrivals) byKey.set(arrival.key, [...(byKey.get(arrival.key) ?? []), arrival])
      assert.sameMembers([...byKey.keys()], keys, "every message reached the receiver: none lost")
      for (const [index, message] of report.messages.entries()) {
        const key = keys[index]!
        assert.strictEqual(message?.status, "delivered", `message ${index} ends delivered`)
        const deliveredAt = message?.receipt === null || message?.receipt === undefined ? 0 : DateTime.toEpochMillis(message.receipt.deliveredAt)
        const arrivals = byKey.get(key) ?? []
        assert.isTrue(
          arrivals.every((arrival) => arrival.arrivedAt <= deliveredAt),
          `message ${index} reached the receiver again after its success was recorded`
        )
        if (arrivals.length > 1) {
          assert.strictEqual(arrivals.length, 2, `message ${index} is sent at most twice: once by each dispatcher`)
          const leaseEnd = leaseEnds.get(key)
          assert.isDefined(leaseEnd, `message ${index} repeats, so the killed dispatcher must have held it`)
          assert.isAtLeast(arrivals[1]!.arrivedAt, leaseEnd ?? Infinity, `message ${index} is sent again only after the dead lease ended`)
        }
      }
      const repeated = [...byKey.values()].filter((arrivals) => arrivals.length > 1).length
      assert.isAtLeast(repeated, 1, "a message acted on but not recorded is delivered again (at least once)")
      assert.strictEqual(report.counts.delivered, pendingAtKill, "the second dispatcher delivers exactly what the killed one left pending")
    })), 120_000)
})
