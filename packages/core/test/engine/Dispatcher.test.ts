/**
 * The outbox dispatcher against the memory outbox, the webhook adapter and a
 * real loopback receiver: what each outcome records (receipt, retry time
 * from the Schedule and Retry-After, dead letters with their reasons), the
 * settings it refuses, and graceful shutdown. Retry times are checked on
 * `TestClock`; shutdown runs on the live clock, since it waits for real
 * deliveries.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { type FaultAnswer, faultyHttpReceiver, type FaultReceiver, makeAppend } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Deferred, Duration, Effect, Fiber, Layer, Option, Redacted, Result, Schedule, Schema } from "effect"
import { TestClock } from "effect/testing"
import {
  defaultDispatcherSettings,
  dispatcherSettings,
  EventStore,
  InvalidDispatcherSettings,
  makeDispatcher,
  Notifier,
  Outbox,
  type DispatcherOptions,
  type OutboxMessage,
  QueuedNotification,
  renderNotification,
  retryDelay,
  retrySchedule,
  sacramentoLanguageAccess
} from "../../src/index.ts"
import { justiceForNeighborsNotifications } from "../../src/justice-for-neighbors/index.ts"

const tenantId = "sacramento"

const services = Layer.merge(
  MemoryStore.layer(),
  WebhookNotifier.layer({ secret: Redacted.make("whsec_dispatcher"), timeoutMillis: 5_000 })
)

/** The message payloads of these tests: how the receiver is to answer, and on which channel. */
interface TestPayload {
  readonly key: string
  readonly channel?: string
  readonly unrenderable?: boolean
}

const renderTo = (receiver: FaultReceiver) => (message: OutboxMessage) => {
  const payload = message.payload as unknown as TestPayload
  if (payload.unrenderable === true) return Effect.fail({ reason: "template \"notice-served\" has no locale \"tl\"" })
  return Effect.succeed({
    channel: payload.channel ?? "webhook",
    address: receiver.address,
    subject: `Notice ${message.id}`,
    text: "A notice was served.",
    idempotencyKey: payload.key,
    metadata: {}
  })
}

/** Queues outbox messages on the notification topic, with one event on a stream of their own. */
const queueOutbox = (messages: ReadonlyArray<{ readonly id: string; readonly payload: Schema.Json }>) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    yield* store.append(yield* makeAppend({
      tenantId,
      streamId: `notices-${messages[0]?.id}`,
      outbox: messages.map(({ id, payload }) => ({ id, topic: "notification", payload, maxAttempts: 10 }))
    }))
  })

/** Queues messages whose idempotency keys are their ids. */
const queue = (messages: ReadonlyArray<{ readonly id: string } & Partial<TestPayload>>) =>
  queueOutbox(messages.map(({ id, ...payload }) => ({ id, payload: { key: id, ...payload } })))

const get = (id: string) =>
  Effect.gen(function*() {
    const outbox = yield* Outbox
    const found = yield* outbox.get(tenantId, id)
    assert.isTrue(Option.isSome(found), `message ${id} exists`)
    return Option.getOrThrow(found)
  })

const answering = (receiver: FaultReceiver, answers: Record<string, ReadonlyArray<FaultAnswer>>) =>
  receiver.answerWith(({ idempotencyKey, attempt }) => {
    const list = answers[idempotencyKey] ?? []
    return list[attempt - 1] ?? { _tag: "Accept" }
  })

const dispatcherFor = (receiver: FaultReceiver, options: Partial<DispatcherOptions> = {}) =>
  Effect.gen(function*() {
    const notifier = yield* Notifier
    return yield* makeDispatcher({ render: renderTo(receiver), notifiers: notifier, ...options })
  })

describe("Dispatcher settings", () => {
  it("fills in the defaults, which are consistent", () => {
    const settings = dispatcherSettings({})
    assert.isTrue(Result.isSuccess(settings))
    assert.deepStrictEqual(Result.getOrThrow(settings), defaultDispatcherSettings)
  })

  it("refuses a lease too short for a whole batch, and settings out of range, with InvalidDispatcherSettings", () => {
    const refusals = [
      [{ batchSize: 20, concurrency: 5, deliveryTimeoutMillis: 10_000, leaseMillis: 30_000 }, "leaseMillis (30000) must cover a whole batch: 4 round(s)"],
      [{ batchSize: 0 }, "batchSize must be a whole number from 1 to 1000"],
      [{ concurrency: 1.5 }, "concurrency must be a whole number"],
      [{ retry: { maxAttempts: 0 } }, "retry.maxAttempts must be a whole number from 1"],
      [{ retry: { factor: 0.5 } }, "retry.factor must be a number >= 1"],
      [{ topic: "" }, "topic must not be empty"]
    ] as const
    for (const [options, reason] of refusals) {
      const settings = dispatcherSettings(options)
      assert.isTrue(Result.isFailure(settings), JSON.stringify(options))
      const failure = Result.isFailure(settings) ? settings.failure : undefined
      assert.instanceOf(failure, InvalidDispatcherSettings)
      assert.include(failure?.reason ?? "", reason)
    }
  })
})

describe("the retry schedule", () => {
  it.effect("backs off exponentially with jitter (0.8x to 1.2x), capped, for at most maxAttempts attempts", () =>
    Effect.gen(function*() {
      const schedule = retrySchedule({ baseDelayMillis: 1_000, factor: 2, maxDelayMillis: 3_000, maxAttempts: 4, maxRetryAfterMillis: 0 })
      for (let run = 0; run < 20; run++) {
        const delays = yield* Effect.forEach([1, 2, 3, 4], (attempt) => retryDelay(schedule, attempt, 0))
        const [first, second, third, fourth] = delays.map(Option.getOrUndefined)
        assert.isTrue(first !== undefined && first >= 800 && first <= 1_200, `first wait ${first}`)
        assert.isTrue(second !== undefined && second >= 1_600 && second <= 2_400, `second wait ${second}`)
        assert.isTrue(third !== undefined && third >= 3_000 * 0.8 && third <= 3_000, `third wait ${third}, capped`)
        assert.isUndefined(fourth, "no retry after the fourth attempt")
      }
    }))

  it.effect("a schedule of the caller's replaces it; one that has ended leaves no retry", () =>
    Effect.gen(function*() {
      const schedule = Schedule.spaced(Duration.seconds(7)).pipe(Schedule.upTo({ times: 2 }))
      assert.deepStrictEqual(yield* retryDelay(schedule, 2, 0), Option.some(7_000))
      assert.deepStrictEqual(yield* retryDelay(schedule, 3, 0), Option.none())
    }))
})

describe("Dispatcher.runOnce", () => {
  it.effect("records each outcome: a receipt, a retry time from the schedule or Retry-After, a dead letter with its reason", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      yield* answering(receiver, {
        accepted: [{ _tag: "Accept" }],
        busy: [{ _tag: "RefuseTemporarily" }],
        throttled: [{ _tag: "RefuseTemporarily", retryAfterSeconds: 30 }],
        "throttled-for-a-day": [{ _tag: "RefuseTemporarily", retryAfterSeconds: 86_400 }],
        unsubscribed: [{ _tag: "RefusePermanently" }]
      })
      yield* TestClock.adjust(Duration.days(20_000))
      yield* queue([
        { id: "accepted" },
        { id: "busy" },
        { id: "throttled" },
        { id: "throttled-for-a-day" },
        { id: "unsubscribed" },
        { id: "unrenderable", unrenderable: true },
        { id: "by-sms", channel: "sms" }
      ])
      const notifier = yield* Notifier
      const dispatcher = yield* makeDispatcher({
        render: renderTo(receiver),
        notifiers: new Map([["webhook", notifier]]),
        retry: { baseDelayMillis: 1_000, maxRetryAfterMillis: 3_600_000 }
      })
      const now = DateTime.toEpochMillis(yield* DateTime.now)
      const counts = yield* dispatcher.runOnce
      assert.deepStrictEqual(counts, { claimed: 7, delivered: 1, retried: 2, dead: 4, leaseLost: 0, unrecorded: 0 })

      const accepted = yield* get("accepted")
      const attempt = (yield* receiver.attempts).find((record) => record.idempotencyKey === "accepted")
      assert.strictEqual(accepted.status, "delivered")
      assert.deepStrictEqual(accepted.receipt, { deliveredAt: DateTime.makeUnsafe(now), receiverId: attempt?.receiverId ?? "none" })

      const busy = yield* get("busy")
      assert.strictEqual(busy.status, "pending")
      assert.strictEqual(busy.lastError, "HTTP 503")
      const busyWait = DateTime.toEpochMillis(busy.availableAt) - now
      assert.isTrue(busyWait >= 800 && busyWait <= 1_200, `the first backoff is 1 s with jitter, got ${busyWait} ms`)

      const throttled = yield* get("throttled")
      assert.strictEqual(throttled.status, "pending")
      assert.strictEqual(DateTime.toEpochMillis(throttled.availableAt) - now, 30_000, "Retry-After: 30 is honoured over a shorter backoff")

      for (const [id, fragment] of [
        ["throttled-for-a-day", "asked to wait 86400000 ms, more than retry.maxRetryAfterMillis (3600000)"],
        ["unsubscribed", "HTTP 410"],
        ["unrenderable", "the message could not be rendered: template \"notice-served\" has no locale \"tl\""],
        ["by-sms", "no notifier for channel \"sms\""]
      ] as const) {
        const dead = yield* get(id)
        assert.strictEqual(dead.status, "dead", id)
        assert.strictEqual(dead.attempts, 1, `${id} is dead-lettered at once`)
        assert.include(dead.lastError ?? "", fragment)
      }
      assert.deepStrictEqual(
        (yield* receiver.attempts).map((record) => record.idempotencyKey).sort(),
        ["accepted", "busy", "throttled", "throttled-for-a-day", "unsubscribed"],
        "nothing is sent for a message that cannot be rendered or has no notifier"
      )

      yield* TestClock.adjust(1_200)
      assert.deepStrictEqual(yield* dispatcher.drain, { claimed: 1, delivered: 1, retried: 0, dead: 0, leaseLost: 0, unrecorded: 0 })
      yield* TestClock.adjust(30_000)
      assert.deepStrictEqual(yield* dispatcher.drain, { claimed: 1, delivered: 1, retried: 0, dead: 0, leaseLost: 0, unrecorded: 0 })
    }).pipe(Effect.provide(services))))

  it.effect("dead-letters a message when the schedule has no retry left", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      yield* answering(receiver, { flaky: [{ _tag: "RefuseTemporarily" }, { _tag: "RefuseTemporarily" }, { _tag: "RefuseTemporarily" }] })
      yield* queue([{ id: "flaky" }])
      const dispatcher = yield* dispatcherFor(receiver, { retry: { baseDelayMillis: 100, maxAttempts: 3 } })
      const totals = []
      for (let round = 0; round < 3; round++) {
        totals.push(yield* dispatcher.drain)
        yield* TestClock.adjust(1_000)
      }
      assert.deepStrictEqual(totals.map((counts) => [counts.retried, counts.dead]), [[1, 0], [1, 0], [0, 1]])
      const dead = yield* get("flaky")
      assert.strictEqual(dead.status, "dead")
      assert.strictEqual(dead.lastError, "HTTP 503; no retries left after 3 attempt(s)")
      assert.lengthOf(yield* receiver.attempts, 3)
    }).pipe(Effect.provide(services))))
})

/** Waits, on the live clock, until the receiver has seen `count` attempts. */
const attemptsSeen = (receiver: FaultReceiver, count: number) =>
  Effect.gen(function*() {
    while ((yield* receiver.attempts).length < count) yield* Effect.sleep(5)
  })

describe("Dispatcher.run shuts down gracefully", () => {
  const settings = { batchSize: 1, concurrency: 1, pollMillis: 10, deliveryTimeoutMillis: 5_000, leaseMillis: 10_000, recordingMarginMillis: 1_000 }

  it.live("when told to stop: no further claim, the delivery in flight finishes and is recorded, the totals are returned", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      yield* receiver.answerWith(() => ({ _tag: "Accept", delayMillis: 300 }))
      yield* queue([{ id: "first" }, { id: "second" }])
      const dispatcher = yield* dispatcherFor(receiver, settings)
      const stop = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(dispatcher.run({ until: Deferred.await(stop) }))
      yield* attemptsSeen(receiver, 1)
      yield* Deferred.succeed(stop, undefined)
      const totals = yield* Fiber.join(fiber)
      assert.deepStrictEqual(totals, { claimed: 1, delivered: 1, retried: 0, dead: 0, leaseLost: 0, unrecorded: 0 })
      assert.strictEqual((yield* get("first")).status, "delivered")
      const second = yield* get("second")
      assert.deepStrictEqual([second.status, second.attempts], ["pending", 0], "nothing is claimed after the stop")
    }).pipe(Effect.provide(services))))

  it.live("when interrupted: the delivery in flight still finishes and is recorded before the fiber ends", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      yield* receiver.answerWith(() => ({ _tag: "Accept", delayMillis: 300 }))
      yield* queue([{ id: "first" }, { id: "second" }])
      const dispatcher = yield* dispatcherFor(receiver, settings)
      const fiber = yield* Effect.forkChild(dispatcher.run())
      yield* attemptsSeen(receiver, 1)
      yield* Fiber.interrupt(fiber)
      const first = yield* get("first")
      assert.strictEqual(first.status, "delivered")
      assert.isNotNull(first.receipt)
      assert.deepStrictEqual([(yield* get("second")).attempts], [0])
    }).pipe(Effect.provide(services))))

  it.live("a delivery still in flight when the grace period ends is cut off and left to its lease", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      yield* receiver.answerWith(() => ({ _tag: "Hang" }))
      yield* queue([{ id: "stuck" }])
      const dispatcher = yield* dispatcherFor(receiver, { ...settings, gracePeriodMillis: 100 })
      const fiber = yield* Effect.forkChild(dispatcher.run())
      yield* attemptsSeen(receiver, 1)
      yield* Fiber.interrupt(fiber)
      const stuck = yield* get("stuck")
      assert.deepStrictEqual([stuck.status, stuck.attempts, stuck.lastError], ["pending", 1, null], "not settled: it comes back when its lease ends")
    }).pipe(Effect.provide(services))))
})

describe("the lease", () => {
  it.live("outlasts a slow receiver: two dispatchers at once deliver each message once", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      yield* receiver.answerWith(() => ({ _tag: "Accept", delayMillis: 200 }))
      const ids = Array.from({ length: 12 }, (_, index) => `slow-${index}`)
      yield* queue(ids.map((id) => ({ id })))
      const options = { batchSize: 4, concurrency: 2, pollMillis: 10, deliveryTimeoutMillis: 600, recordingMarginMillis: 200, leaseMillis: 1_500 }
      const first = yield* dispatcherFor(receiver, options)
      const second = yield* dispatcherFor(receiver, options)
      const [a, b] = yield* Effect.all([first.drain, second.drain], { concurrency: 2 })
      assert.strictEqual(a.delivered + b.delivered, ids.length)
      assert.isAbove(Math.min(a.claimed, b.claimed), 0, "both dispatchers took part")
      const keys = (yield* receiver.attempts).map((record) => record.idempotencyKey)
      assert.deepStrictEqual(keys.sort(), [...ids].sort(), "each message reached the receiver once")
    }).pipe(Effect.provide(services))))
})

describe("the notification renderer", () => {
  it.effect("plugs into the dispatcher: a notice is rendered and delivered; a template it lacks is dead-lettered with the renderer's reason", () =>
    Effect.scoped(Effect.gen(function*() {
      const receiver = yield* faultyHttpReceiver()
      const templates = Result.getOrThrow(justiceForNeighborsNotifications(sacramentoLanguageAccess))
      const encode = Schema.encodeSync(QueuedNotification)
      const notification = (templateId: string, key: string) =>
        encode({
          recipient: { _tag: "WebhookSubscriber", subscriptionId: "neighborhood-app" },
          channel: "webhook",
          address: receiver.address,
          locale: "es",
          idempotencyKey: key,
          program: "justice-for-neighbors",
          rule: "notice-served",
          audience: "staff",
          templateId,
          values: { caseId: "2026-000123", noticeKind: "notice-of-violation", servedOn: "March 4, 2026", ownerName: "R. Owner" }
        }) as Schema.Json
      yield* queueOutbox([
        { id: "served", payload: notification("notice-served", "sacramento:evt-1:notice-served") },
        { id: "unknown", payload: notification("no-such-template", "sacramento:evt-2:x") }
      ])
      const dispatcher = yield* makeDispatcher({ render: renderNotification(templates), notifiers: yield* Notifier })
      assert.deepStrictEqual(yield* dispatcher.drain, { claimed: 2, delivered: 1, retried: 0, dead: 1, leaseLost: 0, unrecorded: 0 })
      assert.strictEqual((yield* get("served")).status, "delivered")
      const unknown = yield* get("unknown")
      assert.strictEqual(unknown.status, "dead")
      assert.include(unknown.lastError ?? "", "the message could not be rendered: ")
      assert.deepStrictEqual((yield* receiver.attempts).map((record) => record.idempotencyKey), ["sacramento:evt-1:notice-served"])
    }).pipe(Effect.provide(services))))
})
