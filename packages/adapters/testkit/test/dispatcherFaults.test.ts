/**
 * The dispatcher fault scenarios, run as a vendor would run them: the
 * webhook adapter as the notifier, the kit's misbehaving loopback receiver,
 * the memory outbox.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { Notifier } from "@community-policing/core"
import {
  ConformanceFailure,
  dispatcherFaultChecks,
  dispatcherFaultScenarios,
  faultyHttpReceiver,
  runDispatcherFaultScenario
} from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"

dispatcherFaultChecks("the dispatcher with adapter-webhook over the memory outbox", {
  receiver: faultyHttpReceiver(),
  notifier: () => WebhookNotifier.layer({ secret: Redacted.make("whsec_faults"), timeoutMillis: 2_000 }),
  store: MemoryStore.layer()
})

/** Wraps the webhook notifier with a flaw. */
const flawed = (flaw: (deliver: Notifier["Service"]["deliver"]) => Notifier["Service"]["deliver"]) => () =>
  Layer.effect(
    Notifier,
    Effect.map(WebhookNotifier.make({ secret: Redacted.make("whsec_faults"), timeoutMillis: 2_000 }), (notifier) => ({ deliver: flaw(notifier.deliver) }))
  )

const scenarioNamed = (fragment: string) => {
  const found = dispatcherFaultScenarios.find((scenario) => scenario.name.includes(fragment))
  if (found === undefined) throw new Error(`no scenario named like ${fragment}`)
  return found
}

describe("the fault scenarios catch a notifier that", () => {
  const catches = (what: string, scenario: string, notifier: ReturnType<typeof flawed>) =>
    it.live(what, () =>
      Effect.gen(function*() {
        const failure = yield* Effect.flip(runDispatcherFaultScenario(scenarioNamed(scenario), {
          receiver: faultyHttpReceiver(),
          notifier,
          store: MemoryStore.layer()
        }))
        assert.instanceOf(failure, ConformanceFailure)
      }), 60_000)

  catches(
    "reports Delivered without sending (a lost message)",
    "429 with Retry-After",
    flawed(() => () => Effect.succeed({ _tag: "Delivered" }))
  )
  catches(
    "retries a refused message itself at once (more attempts than the receiver allowed, Retry-After ignored)",
    "429 with Retry-After",
    flawed((deliver) => (message) =>
      Effect.flatMap(deliver(message), (outcome) => (outcome._tag === "RetryableFailure" ? deliver(message) : Effect.succeed(outcome))))
  )
  catches(
    "takes a 410 for a temporary refusal (a dead subscription retried)",
    "410",
    flawed((deliver) => (message) =>
      Effect.map(deliver(message), (outcome) => (outcome._tag === "PermanentFailure" ? { _tag: "RetryableFailure", reason: outcome.reason } : outcome)))
  )
  catches(
    "sends every message twice",
    "fails half the time",
    flawed((deliver) => (message) => Effect.andThen(deliver(message), deliver(message)))
  )
})
