/**
 * The notifier checks demonstrably fail on broken notifiers: each wraps the
 * webhook notifier and breaks one clause of the Notifier contract, and the
 * checks written for that clause must catch it with a ConformanceFailure.
 * The unbroken webhook notifier is the control: it fails none.
 */
import { type DeliveryOutcome, Notifier, type RenderedMessage } from "@community-policing/core"
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { ConformanceFailure, httpReceiver, notifierChecks, runNotifierCheck } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"

type Deliver = (message: RenderedMessage) => Effect.Effect<DeliveryOutcome>

/** The webhook notifier, with its `deliver` replaced by `breakIt(deliver)`. */
const broken = (breakIt: (deliver: Deliver) => Deliver) =>
  Layer.effect(Notifier, Effect.map(WebhookNotifier.make({ secret: Redacted.make("whsec_broken"), timeoutMillis: 2_000 }), (notifier) => ({ deliver: breakIt(notifier.deliver) })))

const brokenNotifiers: ReadonlyArray<{ readonly name: string; readonly layer: Layer.Layer<Notifier>; readonly mustFail: ReadonlyArray<string> }> = [
  { name: "breaks nothing (the control)", layer: broken((deliver) => deliver), mustFail: [] },
  {
    name: "reports Delivered without sending",
    layer: broken(() => () => Effect.succeed({ _tag: "Delivered" })),
    mustFail: ["arrives exactly once", "only when the receiver acknowledged", "permanent refusal", "temporary refusal", "hangs up", "redelivery", "does not serve"]
  },
  {
    name: "reports Delivered whatever the receiver answered",
    layer: broken((deliver) => (message) => Effect.as(deliver(message), { _tag: "Delivered" } as const)),
    mustFail: ["only when the receiver acknowledged", "permanent refusal", "temporary refusal", "hangs up", "does not serve"]
  },
  {
    name: "maps a 5xx to a permanent failure",
    layer: broken((deliver) => (message) =>
      Effect.map(deliver(message), (outcome) => outcome._tag === "RetryableFailure" ? { _tag: "PermanentFailure", reason: outcome.reason } as const : outcome)),
    mustFail: ["temporary refusal", "hangs up"]
  },
  {
    name: "maps a permanent refusal to a retryable failure",
    layer: broken((deliver) => (message) =>
      Effect.map(deliver(message), (outcome) => outcome._tag === "PermanentFailure" ? { _tag: "RetryableFailure", reason: outcome.reason } as const : outcome)),
    mustFail: ["permanent refusal", "does not serve"]
  },
  {
    name: "retries inside deliver, sending a message twice",
    layer: broken((deliver) => (message) => Effect.andThen(deliver(message), deliver(message))),
    mustFail: ["arrives exactly once", "redelivery"]
  },
  {
    name: "sends one fixed idempotency key",
    layer: broken((deliver) => (message) => deliver({ ...message, idempotencyKey: "always-the-same" })),
    mustFail: ["arrives exactly once", "redelivery", "only when the receiver acknowledged"]
  },
  {
    name: "sends a message on any channel",
    layer: broken((deliver) => (message) => deliver({ ...message, channel: "webhook" })),
    mustFail: ["does not serve"]
  }
]

const failedChecks = Effect.fnUntraced(function*(layer: Layer.Layer<Notifier>) {
  const failed: Array<string> = []
  for (const check of notifierChecks) {
    const exit = yield* Effect.exit(runNotifierCheck(check, { receiver: httpReceiver(), layer: () => layer }))
    if (Exit.isSuccess(exit)) continue
    const error = Cause.squash(exit.cause)
    assert.instanceOf(error, ConformanceFailure, `"${check.name}" must fail with a ConformanceFailure, got ${Cause.pretty(exit.cause)}`)
    failed.push(check.name)
  }
  return failed
})

const checkNamed = (fragment: string): string => {
  const matching = notifierChecks.filter((check) => check.name.includes(fragment))
  assert.lengthOf(matching, 1, `exactly one check must match ${JSON.stringify(fragment)}`)
  return matching[0]!.name
}

describe("the notifier checks catch a broken notifier that", () => {
  for (const notifier of brokenNotifiers) {
    it.live(notifier.name, () =>
      Effect.gen(function*() {
        const mustFail = notifier.mustFail.map(checkNamed)
        assert.deepStrictEqual(yield* failedChecks(notifier.layer), notifierChecks.map((check) => check.name).filter((name) => mustFail.includes(name)))
      }))
  }
})
