/**
 * Fault scenarios for the outbox dispatcher and a notifier adapter together:
 * a real receiver that misbehaves on purpose (fails half the time at random,
 * never answers, answers slowly, answers 429 with `Retry-After`, answers
 * 410), a real outbox, the core's `makeDispatcher` run as a long-lived fiber,
 * and at the end the receiver's own count of every attempt, by idempotency
 * key. Every message must end delivered or dead-lettered exactly as the
 * receiver's answers dictate: none lost, none delivered again after its
 * success was recorded, no retry sooner than the receiver asked.
 *
 * The receiver's answers are a pure function of the message and the attempt
 * number (seeded, not drawn at run time), so each scenario's expected end is
 * known in advance and a failure replays.
 *
 * @example
 * ```ts
 * // test/dispatcherFaults.test.ts in a notifier adapter package
 * import { dispatcherFaultChecks, faultyHttpReceiver } from "@community-policing/testkit"
 *
 * dispatcherFaultChecks("my-sms-gateway", {
 *   receiver: faultyHttpReceiver({ channel: "sms" }),
 *   notifier: (receiver) => MySmsNotifier.layer({ gatewayUrl: receiver.address }),
 *   store: MemoryStore.layer()
 * })
 * ```
 *
 * @module
 */
import {
  type DispatchCounts,
  type DispatcherOptions,
  EventStore,
  makeDispatcher,
  Notifier,
  Outbox,
  type OutboxMessage,
  type RenderedMessage
} from "@community-policing/core"
import { Effect, Fiber, Layer, Option, type Scope } from "effect"
import { describe, it } from "vitest"
import { ConformanceFailure, expectEqual, expectTrue } from "./ConformanceFailure.ts"
import { freshId, freshTenant, makeAppend } from "./Fixtures.ts"
import { type IdempotencyKeyReader, idempotencyKeyHeader, loopbackServer, runAsTest } from "./LoopbackServer.ts"

/** How the receiver answers one attempt. */
export type FaultAnswer =
  /** Accepts it, after `delayMillis` (default at once). */
  | { readonly _tag: "Accept"; readonly delayMillis?: number | undefined }
  /** Refuses it for now: HTTP 503, or 429 with `Retry-After` when `retryAfterSeconds` is given. */
  | { readonly _tag: "RefuseTemporarily"; readonly retryAfterSeconds?: number | undefined }
  /** Refuses it for good: HTTP 410, the subscription has ended. */
  | { readonly _tag: "RefusePermanently" }
  /** Reads it and never answers. */
  | { readonly _tag: "Hang" }

/** Which attempt the receiver is answering. */
export interface FaultAttempt {
  /** The attempt's idempotency key. */
  readonly idempotencyKey: string
  /** 1 for the first attempt with this key, 2 for the second, ... */
  readonly attempt: number
}

/** One attempt as the receiver saw and answered it. */
export interface FaultRecord {
  readonly idempotencyKey: string
  readonly attempt: number
  readonly answer: FaultAnswer["_tag"]
  /** Whether the receiver acted on it (accepted it), whether or not its answer got back. */
  readonly acknowledged: boolean
  /** The receiver's id for the message, given with an acceptance. */
  readonly receiverId: string | undefined
  /** When the attempt arrived, epoch milliseconds of the receiver's wall clock. */
  readonly arrivedAt: number
}

/**
 * A receiver the scenarios control: messages are addressed to `address` on
 * `channel`; `answerWith` sets how each attempt is answered; `attempts` is
 * everything it got. An SMTP or SMS adapter supplies its own with the same
 * shape (a 4xx reply for `RefuseTemporarily`, 5xx for `RefusePermanently`).
 */
export interface FaultReceiver {
  readonly channel: string
  readonly address: string
  /** Whether a `RefuseTemporarily` with `retryAfterSeconds` reaches the sender as a wait (HTTP's `Retry-After`; SMTP has none). */
  readonly conveysRetryAfter: boolean
  readonly answerWith: (answer: (attempt: FaultAttempt) => FaultAnswer) => Effect.Effect<void>
  readonly attempts: Effect.Effect<ReadonlyArray<FaultRecord>>
}

/**
 * A real HTTP server on 127.0.0.1 that answers each attempt as told: 200
 * with a `Webhook-Receipt-Id` header (after a delay when asked), 503, 429
 * with `Retry-After`, 410, or no answer at all. The idempotency key is read
 * from the `Idempotency-Key` header unless `idempotencyKeyOf` says otherwise.
 */
export const faultyHttpReceiver = (options: {
  readonly channel?: string | undefined
  readonly idempotencyKeyOf?: IdempotencyKeyReader | undefined
} = {}): Effect.Effect<FaultReceiver, never, Scope.Scope> =>
  Effect.gen(function*() {
    const log = faultLog()
    const keyOf = options.idempotencyKeyOf ?? idempotencyKeyHeader
    const address = yield* loopbackServer("/faults", (request, response) => {
      const { answer, receiverId } = log.attempt(keyOf(request))
      switch (answer._tag) {
        case "Accept": {
          const reply = () => {
            if (!response.destroyed) response.writeHead(200, { "Webhook-Receipt-Id": receiverId ?? "" }).end()
          }
          if (answer.delayMillis === undefined) return reply()
          setTimeout(reply, answer.delayMillis)
          return
        }
        case "RefuseTemporarily":
          return answer.retryAfterSeconds === undefined
            ? response.writeHead(503).end()
            : response.writeHead(429, { "Retry-After": String(answer.retryAfterSeconds) }).end()
        case "RefusePermanently":
          return response.writeHead(410).end()
        case "Hang":
          return
      }
    })
    return { channel: options.channel ?? "webhook", address, conveysRetryAfter: true, answerWith: log.answerWith, attempts: log.attempts }
  })

/**
 * The bookkeeping every fault receiver shares: numbers each attempt per
 * idempotency key, answers it as told, gives an accepted one a receiver id,
 * and records it.
 */
export const faultLog = () => {
  const records: Array<FaultRecord> = []
  const seen = new Map<string, number>()
  let answerOf: (attempt: FaultAttempt) => FaultAnswer = () => ({ _tag: "Accept" })
  return {
    /** Records an attempt that just arrived and says how to answer it. */
    attempt: (key: string | undefined): { readonly answer: FaultAnswer; readonly receiverId: string | undefined } => {
      const arrivedAt = Date.now()
      const idempotencyKey = key ?? "(none)"
      const attempt = (seen.get(idempotencyKey) ?? 0) + 1
      seen.set(idempotencyKey, attempt)
      const answer = answerOf({ idempotencyKey, attempt })
      const receiverId = answer._tag === "Accept" ? `receipt-${records.length + 1}` : undefined
      records.push({ idempotencyKey, attempt, answer: answer._tag, acknowledged: answer._tag === "Accept", receiverId, arrivedAt })
      return { answer, receiverId }
    },
    answerWith: (answer: (attempt: FaultAttempt) => FaultAnswer): Effect.Effect<void> =>
      Effect.sync(() => {
        answerOf = answer
      }),
    attempts: Effect.sync((): ReadonlyArray<FaultRecord> => [...records])
  }
}

/**
 * A number from 0 (inclusive) to 1 (exclusive) determined by the seed and
 * the text alone (FNV-1a, then a xorshift mix): the "random" of the
 * scenarios, the same on every run and in every order of arrival.
 */
export const seededFraction = (seed: number, text: string): number => {
  let hash = (2166136261 ^ seed) >>> 0
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619) >>> 0
  hash = (hash ^ (hash >>> 13)) >>> 0
  hash = Math.imul(hash, 0x5bd1e995) >>> 0
  hash = (hash ^ (hash >>> 15)) >>> 0
  return hash / 4294967296
}

/** The dispatcher settings of the scenarios: short waits, a small lease, on the live clock. */
export const faultScenarioSettings = {
  batchSize: 8,
  concurrency: 8,
  deliveryTimeoutMillis: 500,
  recordingMarginMillis: 250,
  leaseMillis: 2_000,
  pollMillis: 20,
  gracePeriodMillis: 2_000,
  retry: { baseDelayMillis: 20, factor: 2, maxDelayMillis: 200, maxAttempts: 6, maxRetryAfterMillis: 5_000 }
} as const satisfies Omit<DispatcherOptions, "render" | "notifiers">

/** A fault scenario: how many messages, and how the receiver answers attempt `attempt` of message `index`. */
export interface DispatcherFaultScenario {
  readonly name: string
  readonly messages: number
  readonly answer: (index: number, attempt: number) => FaultAnswer
}

const slowerThanTheTimeout = faultScenarioSettings.deliveryTimeoutMillis + 300
const halfTheTimeout = Math.floor(faultScenarioSettings.deliveryTimeoutMillis / 3)

/** The scenarios every notifier adapter runs with the dispatcher. */
export const dispatcherFaultScenarios: ReadonlyArray<DispatcherFaultScenario> = [
  {
    // Seed 12: one of the 16 messages is refused six times in a row and dies with no retries left.
    name: "a receiver that fails half the time at random (seeded)",
    messages: 16,
    answer: (index, attempt) =>
      seededFraction(12, `${index}/${attempt}`) < 0.5 ? { _tag: "RefuseTemporarily" } : { _tag: "Accept" }
  },
  {
    name: "a receiver that never answers the first attempt (timeouts)",
    messages: 8,
    answer: (index, attempt) => (attempt === 1 && index % 2 === 0 ? { _tag: "Hang" } : { _tag: "Accept" })
  },
  {
    name: "a slow receiver, sometimes slower than the delivery timeout (it acts, its answer comes too late)",
    messages: 9,
    answer: (index, attempt) =>
      attempt === 1 && index % 3 === 0
        ? { _tag: "Accept", delayMillis: slowerThanTheTimeout }
        : { _tag: "Accept", delayMillis: halfTheTimeout }
  },
  {
    name: "a receiver that answers 429 with Retry-After",
    messages: 6,
    answer: (_index, attempt) => (attempt === 1 ? { _tag: "RefuseTemporarily", retryAfterSeconds: 1 } : { _tag: "Accept" })
  },
  {
    name: "a receiver that answers 410 (the subscription has ended) for half the messages",
    messages: 8,
    answer: (index) => (index % 2 === 1 ? { _tag: "RefusePermanently" } : { _tag: "Accept" })
  },
  {
    name: "every fault at once, at random (seeded)",
    messages: 16,
    answer: (index, attempt) => {
      const draw = seededFraction(7, `${index}/${attempt}`)
      if (draw < 0.3) return { _tag: "Accept" }
      if (draw < 0.45) return { _tag: "Accept", delayMillis: halfTheTimeout }
      if (draw < 0.6) return { _tag: "RefuseTemporarily" }
      if (draw < 0.7) return { _tag: "RefuseTemporarily", retryAfterSeconds: 1 }
      if (draw < 0.8) return { _tag: "Hang" }
      if (draw < 0.9) return { _tag: "Accept", delayMillis: slowerThanTheTimeout }
      return { _tag: "RefusePermanently" }
    }
  }
]

/** How a scenario's message must end, worked out from the receiver's answers alone. */
export interface ExpectedEnd {
  readonly status: "delivered" | "dead"
  /** The attempts it takes, all of which reach the receiver. */
  readonly attempts: number
}

/**
 * The end the answers dictate for one message: delivered at the first
 * attempt answered in time, dead at a 410 or when `maxAttempts` attempts
 * have failed.
 */
export const expectedEnd = (answer: (attempt: number) => FaultAnswer, maxAttempts: number): ExpectedEnd => {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const given = answer(attempt)
    if (given._tag === "RefusePermanently") return { status: "dead", attempts: attempt }
    if (given._tag === "Accept" && (given.delayMillis ?? 0) < faultScenarioSettings.deliveryTimeoutMillis) {
      return { status: "delivered", attempts: attempt }
    }
  }
  return { status: "dead", attempts: maxAttempts }
}

/** The topic the scenarios queue their messages on. */
const scenarioTopic = "notification"

/** The payload the scenarios queue: the idempotency key and the message's index. */
interface ScenarioPayload {
  readonly key: string
  readonly index: number
}

const renderFor = (receiver: FaultReceiver) => (message: OutboxMessage): Effect.Effect<RenderedMessage, { readonly reason: string }> => {
  const payload = message.payload as unknown as ScenarioPayload
  return typeof payload?.key === "string"
    ? Effect.succeed({
      channel: receiver.channel,
      address: receiver.address,
      subject: `Fault scenario message ${payload.index}`,
      text: `Message ${payload.index} of a dispatcher fault scenario.`,
      idempotencyKey: payload.key,
      metadata: { index: String(payload.index) }
    })
    : Effect.fail({ reason: "not a scenario message" })
}

/** What a scenario run found: the dispatcher's totals, every message's end and the receiver's record. */
export interface FaultScenarioReport {
  /** Whether the receiver could ask for a wait (see {@link FaultReceiver.conveysRetryAfter}). */
  readonly retryAfterConveyed: boolean
  readonly counts: DispatchCounts
  readonly messages: ReadonlyArray<OutboxMessage>
  readonly attempts: ReadonlyArray<FaultRecord>
}

/** How to run the scenarios against a notifier adapter. */
export interface DispatcherFaultOptions<E, E2, E3, Receiver extends FaultReceiver = FaultReceiver> {
  /** Starts a receiver for one scenario; {@link faultyHttpReceiver} for adapters that deliver over HTTP, `faultySmtpReceiver` for email. */
  readonly receiver: Effect.Effect<Receiver, E2, Scope.Scope>
  /** The notifier adapter's layer, given the scenario's receiver. */
  readonly notifier: (receiver: Receiver) => Layer.Layer<Notifier, E>
  /** The storage the outbox lives in (any adapter's layer: memory, a SQLite file, PostgreSQL). */
  readonly store: Layer.Layer<EventStore | Outbox, E3>
  /** Milliseconds each scenario may take; default 60,000. */
  readonly timeout?: number | undefined
}

/**
 * Checks a scenario's end against what the receiver's answers dictate:
 * each message delivered or dead as expected, after exactly the expected
 * attempts, each of which reached the receiver (none lost, none extra: so
 * none after the recorded success); a delivered message's receipt names
 * the receiver's id of the attempt that succeeded; a 410 is the dead
 * letter's reason; no attempt after a 429 came sooner than `Retry-After`
 * (where the receiver can ask for a wait).
 */
export const checkScenarioEnd = (
  scenario: DispatcherFaultScenario,
  keys: ReadonlyArray<string>,
  report: FaultScenarioReport
): Effect.Effect<void, ConformanceFailure> =>
  Effect.gen(function*() {
    const maxAttempts = faultScenarioSettings.retry.maxAttempts
    for (const [index, key] of keys.entries()) {
      const expected = expectedEnd((attempt) => scenario.answer(index, attempt), maxAttempts)
      const message = report.messages[index]
      const seen = report.attempts.filter((record) => record.idempotencyKey === key)
      yield* expectEqual(
        { status: message?.status, attempts: message?.attempts },
        expected,
        `message ${index} must end ${expected.status} after ${expected.attempts} attempt(s)`
      )
      yield* expectEqual(
        seen.map((record) => record.attempt),
        Array.from({ length: expected.attempts }, (_, attempt) => attempt + 1),
        `message ${index}: the receiver must get exactly the ${expected.attempts} attempt(s), none lost and none after the last`
      )
      const last = seen.at(-1)
      if (expected.status === "delivered") {
        yield* expectTrue(message?.receipt !== null && message?.receipt !== undefined, `message ${index} is delivered, so it needs a receipt`, {
          actual: message
        })
        const receiverId = message?.receipt?.receiverId ?? null
        yield* expectTrue(
          receiverId === null || receiverId === last?.receiverId,
          `message ${index}: the receipt must name the receiver's id of the attempt that succeeded`,
          { expected: last?.receiverId, actual: receiverId }
        )
      } else if (last?.answer === "RefusePermanently") {
        yield* expectTrue((message?.lastError ?? "") !== "", `message ${index}: a dead letter keeps the receiver's refusal as its last error`, {
          actual: message?.lastError
        })
      }
      for (const [position, record] of seen.entries()) {
        const answer = scenario.answer(index, record.attempt)
        const next = seen[position + 1]
        if (!report.retryAfterConveyed || answer._tag !== "RefuseTemporarily" || answer.retryAfterSeconds === undefined || next === undefined) continue
        yield* expectTrue(
          next.arrivedAt - record.arrivedAt >= answer.retryAfterSeconds * 1_000,
          `message ${index}: attempt ${next.attempt} came sooner than the Retry-After of attempt ${record.attempt}`,
          { expected: `at least ${answer.retryAfterSeconds * 1_000} ms later`, actual: `${next.arrivedAt - record.arrivedAt} ms later` }
        )
      }
    }
    const ends = report.messages.map((message) => message.status)
    yield* expectEqual(
      { delivered: report.counts.delivered, dead: report.counts.dead, leaseLost: report.counts.leaseLost, unrecorded: report.counts.unrecorded },
      {
        delivered: ends.filter((status) => status === "delivered").length,
        dead: ends.filter((status) => status === "dead").length,
        leaseLost: 0,
        unrecorded: 0
      },
      "the dispatcher's counts must match the outbox"
    )
  })

/**
 * Runs one scenario: queues its messages in a fresh tenant, runs the
 * dispatcher as a fiber until every message is delivered or dead, stops it
 * gracefully, and checks the end ({@link checkScenarioEnd}).
 */
export const runDispatcherFaultScenario = <E, E2, E3, Receiver extends FaultReceiver = FaultReceiver>(
  scenario: DispatcherFaultScenario,
  options: DispatcherFaultOptions<E, E2, E3, Receiver>
): Effect.Effect<FaultScenarioReport, ConformanceFailure | E | E2 | E3> =>
  Effect.scoped(Effect.gen(function*() {
    const receiver = yield* options.receiver
    const tenantId = yield* freshTenant
    const keys = Array.from({ length: scenario.messages }, (_, index) => `${tenantId}:fault:${index}`)
    const ids = keys.map((_, index) => `fault-${String(index).padStart(3, "0")}`)
    const byKey = new Map(keys.map((key, index) => [key, index]))
    yield* receiver.answerWith(({ idempotencyKey, attempt }) => scenario.answer(byKey.get(idempotencyKey) ?? -1, attempt))
    const context = yield* Layer.build(Layer.merge(options.store, options.notifier(receiver)))
    return yield* Effect.provide(
      Effect.gen(function*() {
        const store = yield* EventStore
        const outbox = yield* Outbox
        const notifier = yield* Notifier
        const request = yield* makeAppend({
          tenantId,
          streamId: yield* freshId("fault-scenario"),
          outbox: ids.map((id, index) => ({ id, topic: scenarioTopic, payload: { key: keys[index]!, index }, maxAttempts: 100 }))
        })
        yield* Effect.orDie(store.append(request))
        const dispatcher = yield* Effect.orDie(makeDispatcher({ ...faultScenarioSettings, tenantId, topic: scenarioTopic, render: renderFor(receiver), notifiers: notifier }))
        const current = Effect.forEach(ids, (id) =>
          Effect.flatMap(Effect.orDie(outbox.get(tenantId, id)), (found) =>
            Option.isSome(found)
              ? Effect.succeed(found.value)
              : Effect.fail(new ConformanceFailure({ message: `the message ${id} is gone from the outbox` }))))
        const settled = Effect.gen(function*() {
          for (;;) {
            const messages = yield* Effect.orDie(current)
            if (messages.every((message) => message.status !== "pending")) return
            yield* Effect.sleep(25)
          }
        })
        const fiber = yield* Effect.forkChild(dispatcher.run({ until: settled }))
        const counts = yield* Fiber.join(fiber)
        const report = { retryAfterConveyed: receiver.conveysRetryAfter, counts, messages: yield* current, attempts: yield* receiver.attempts }
        yield* checkScenarioEnd(scenario, keys, report)
        return report
      }),
      context
    )
  }))

/**
 * Registers the fault scenarios as a vitest suite named `name`: each runs
 * the core dispatcher against a fresh misbehaving receiver, the notifier
 * adapter under test and the given outbox.
 */
export const dispatcherFaultChecks = <E, E2, E3, Receiver extends FaultReceiver = FaultReceiver>(
  name: string,
  options: DispatcherFaultOptions<E, E2, E3, Receiver>
): void => {
  const timeout = options.timeout ?? 60_000
  describe(name, () => {
    for (const scenario of dispatcherFaultScenarios) {
      it(scenario.name, { timeout }, (test) => runAsTest(runDispatcherFaultScenario(scenario, options), test.signal))
    }
  })
}
