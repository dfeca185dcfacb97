/**
 * The conformance kit for `Notifier` adapters (a webhook, an SMS gateway, a
 * city's CRM): the checks drive a real receiver that the kit controls, so
 * what the adapter reports is compared with what the receiver really got.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts in your adapter package
 * import { httpReceiver, notifierConformance } from "@community-policing/testkit"
 *
 * notifierConformance("my-sms-gateway", {
 *   receiver: httpReceiver({ channel: "sms", refusePermanently: 400 }),
 *   layer: (receiver) => MySmsNotifier.layer({ gatewayUrl: receiver.address })
 * })
 * ```
 *
 * @module
 */
import { type DeliveryOutcome, Notifier, type RenderedMessage } from "@community-policing/core"
import { Effect, type Layer, type Scope } from "effect"
import { describe, it } from "vitest"
import { ConformanceFailure, expectEqual, expectTrue } from "./ConformanceFailure.ts"
import { type IdempotencyKeyReader, idempotencyKeyHeader, loopbackServer, runAsTest } from "./LoopbackServer.ts"

export type { IdempotencyKeyReader } from "./LoopbackServer.ts"

/** How the receiver answers the next deliveries. */
export type ReceiverBehaviour =
  /** Accepts the message. */
  | "accept"
  /** Refuses it for good (a subscription that ended, an unknown number). */
  | "refusePermanently"
  /** Refuses it for now (overloaded, down for maintenance). */
  | "refuseTemporarily"
  /** Reads the request, then drops the connection without answering. */
  | "hangUp"

/** One delivery attempt as the receiver saw it. */
export interface ReceivedAttempt {
  /** The idempotency key the attempt carried, if the receiver could read one. */
  readonly idempotencyKey: string | undefined
  /** Whether the receiver acknowledged (accepted) it. */
  readonly acknowledged: boolean
}

/**
 * A receiver the checks control: the adapter under test delivers to it
 * (messages are addressed to `address` on `channel`), the checks tell it
 * how to answer and read back what it got.
 */
export interface NotifierReceiver {
  /** The channel of the messages the checks send. */
  readonly channel: string
  /** The address of the messages the checks send; also handed to the adapter's layer. */
  readonly address: string
  /** Sets how the receiver answers from now on. */
  readonly behave: (behaviour: ReceiverBehaviour) => Effect.Effect<void>
  /** Every attempt that reached the receiver, in order. */
  readonly attempts: Effect.Effect<ReadonlyArray<ReceivedAttempt>>
}

/** The HTTP answers of an {@link httpReceiver}. */
export interface HttpReceiverOptions {
  /** The channel of the messages; default `"webhook"`. */
  readonly channel?: string | undefined
  /** The status of an acceptance; default 200. */
  readonly accept?: number | undefined
  /** The status of a permanent refusal; default 410. */
  readonly refusePermanently?: number | undefined
  /** The status of a temporary refusal; default 503. */
  readonly refuseTemporarily?: number | undefined
  /** Where an attempt's idempotency key is; default the `Idempotency-Key` header. */
  readonly idempotencyKeyOf?: IdempotencyKeyReader | undefined
}

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for the scope: the
 * receiver of any adapter that delivers over HTTP. `address` is its URL.
 */
export const httpReceiver = (options: HttpReceiverOptions = {}): Effect.Effect<NotifierReceiver, never, Scope.Scope> =>
  Effect.gen(function*() {
    const attempts: Array<ReceivedAttempt> = []
    let behaviour: ReceiverBehaviour = "accept"
    const keyOf = options.idempotencyKeyOf ?? idempotencyKeyHeader
    const address = yield* loopbackServer("/notify", (request, response) => {
      attempts.push({ idempotencyKey: keyOf(request), acknowledged: behaviour === "accept" })
      switch (behaviour) {
        case "accept":
          return response.writeHead(options.accept ?? 200).end()
        case "refusePermanently":
          return response.writeHead(options.refusePermanently ?? 410).end()
        case "refuseTemporarily":
          return response.writeHead(options.refuseTemporarily ?? 503).end()
        case "hangUp":
          return request.destroy()
      }
    })
    return {
      channel: options.channel ?? "webhook",
      address,
      behave: (next) => Effect.sync(() => {
        behaviour = next
      }),
      attempts: Effect.sync(() => [...attempts])
    }
  })

/** One clause of the `Notifier` contract, checked against a fresh receiver. */
export interface NotifierCheck {
  readonly name: string
  readonly run: (receiver: NotifierReceiver) => Effect.Effect<void, ConformanceFailure, Notifier>
}

let sequence = 0
const messageFor = (receiver: NotifierReceiver, label: string): RenderedMessage => ({
  channel: receiver.channel,
  address: receiver.address,
  subject: `Conformance: ${label}`,
  text: `A message sent by the notifier conformance kit (${label}).`,
  idempotencyKey: `conformance:${label}:${Date.now()}:${++sequence}`,
  metadata: { check: label }
})

const deliver = (message: RenderedMessage): Effect.Effect<DeliveryOutcome, never, Notifier> =>
  Effect.gen(function*() {
    const notifier = yield* Notifier
    return yield* notifier.deliver(message)
  })

const expectTag = (outcome: DeliveryOutcome, tag: DeliveryOutcome["_tag"], message: string) =>
  expectTrue(outcome._tag === tag, message, { expected: tag, actual: outcome })

/** A check that the receiver answering with `behaviour` makes the outcome `tag`. */
const outcomeCheck = (name: string, behaviour: ReceiverBehaviour, tag: DeliveryOutcome["_tag"]): NotifierCheck => ({
  name,
  run: (receiver) =>
    Effect.gen(function*() {
      yield* receiver.behave(behaviour)
      yield* expectTag(yield* deliver(messageFor(receiver, behaviour)), tag, `a receiver told to ${behaviour} must give ${tag}`)
    })
})

/** The checks of the `Notifier` contract. */
export const notifierChecks: ReadonlyArray<NotifierCheck> = [
  {
    name: "a delivered message arrives exactly once, with its idempotency key",
    run: (receiver) =>
      Effect.gen(function*() {
        const message = messageFor(receiver, "delivered")
        const outcome = yield* deliver(message)
        yield* expectTag(outcome, "Delivered", "an accepted message must be reported Delivered")
        yield* expectEqual(yield* receiver.attempts, [{ idempotencyKey: message.idempotencyKey, acknowledged: true }], "the receiver must get the message once, with its idempotency key")
      })
  },
  {
    name: "a message is reported Delivered only when the receiver acknowledged it",
    run: (receiver) =>
      Effect.gen(function*() {
        for (const behaviour of ["accept", "refusePermanently", "refuseTemporarily", "hangUp"] as const) {
          yield* receiver.behave(behaviour)
          const message = messageFor(receiver, `only-when-acknowledged-${behaviour}`)
          const outcome = yield* deliver(message)
          if (outcome._tag !== "Delivered") continue
          const acknowledged = (yield* receiver.attempts).some((attempt) => attempt.acknowledged && attempt.idempotencyKey === message.idempotencyKey)
          yield* expectTrue(acknowledged, `reported Delivered, but the receiver (told to ${behaviour}) acknowledged no such message`, { expected: "an acknowledged attempt", actual: outcome })
        }
      })
  },
  outcomeCheck("a permanent refusal is a PermanentFailure", "refusePermanently", "PermanentFailure"),
  outcomeCheck("a temporary refusal is a RetryableFailure", "refuseTemporarily", "RetryableFailure"),
  outcomeCheck("a receiver that hangs up without answering is a RetryableFailure", "hangUp", "RetryableFailure"),
  {
    name: "a redelivery carries the same idempotency key, another message its own",
    run: (receiver) =>
      Effect.gen(function*() {
        const first = messageFor(receiver, "first")
        const second = messageFor(receiver, "second")
        for (const message of [first, second, first]) yield* deliver(message)
        yield* expectEqual(
          (yield* receiver.attempts).map((attempt) => attempt.idempotencyKey),
          [first.idempotencyKey, second.idempotencyKey, first.idempotencyKey],
          "each attempt must carry its message's idempotency key"
        )
      })
  },
  {
    name: "a channel the notifier does not serve is a PermanentFailure, and nothing is sent",
    run: (receiver) =>
      Effect.gen(function*() {
        const outcome = yield* deliver({ ...messageFor(receiver, "unknown-channel"), channel: "conformance-kit-unknown-channel" })
        yield* expectTag(outcome, "PermanentFailure", "an unknown channel must be a PermanentFailure")
        yield* expectEqual(yield* receiver.attempts, [], "nothing may reach the receiver")
      })
  }
]

/** How to run the notifier checks against an adapter. */
export interface NotifierSuiteOptions<E, E2> {
  /** Starts a receiver for one check (a fresh one per check); {@link httpReceiver} for adapters that deliver over HTTP. */
  readonly receiver: Effect.Effect<NotifierReceiver, E2, Scope.Scope>
  /** The adapter's layer, given the check's receiver (for a gateway URL, say). */
  readonly layer: (receiver: NotifierReceiver) => Layer.Layer<Notifier, E>
  /** Milliseconds each check may take; default 30,000. */
  readonly timeout?: number | undefined
}

/** Runs one check against a fresh receiver and a fresh instance of the adapter. */
export const runNotifierCheck = <E, E2>(
  check: NotifierCheck,
  options: NotifierSuiteOptions<E, E2>
): Effect.Effect<void, ConformanceFailure | E | E2> =>
  Effect.scoped(Effect.gen(function*() {
    const receiver = yield* options.receiver
    yield* Effect.provide(check.run(receiver), options.layer(receiver))
  }))

/**
 * Registers the notifier checks as a vitest suite named `name`.
 *
 * @example
 * ```ts
 * notifierConformance("webhook", {
 *   receiver: httpReceiver(),
 *   layer: () => WebhookNotifier.layer({ secret: Redacted.make("test-secret") })
 * })
 * ```
 */
export const notifierConformance = <E, E2>(name: string, options: NotifierSuiteOptions<E, E2>): void => {
  const timeout = options.timeout ?? 30_000
  describe(name, () => {
    for (const check of notifierChecks) {
      it(check.name, { timeout }, (test) => runAsTest(runNotifierCheck(check, options), test.signal))
    }
  })
}
