/**
 * The webhook notifier against a real HTTP server on loopback: what the
 * receiver gets (signed JSON, the idempotency key), and how every kind of
 * answer maps onto the Notifier contract.
 */
import { Notifier, type RenderedMessage } from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"
import { parseRetryAfter, verifyWebhook, WebhookNotifier } from "../src/index.ts"
import { receiver, reply } from "./support/receiver.ts"

const secret = "whsec_test_3f9a"

const message = (address: string, overrides: Partial<RenderedMessage> = {}): RenderedMessage => ({
  channel: "webhook",
  address,
  subject: "Assessment due",
  text: "The SARA assessment for POP-2026-014 is due on 14 December.",
  idempotencyKey: "sacramento:evt-81:sara-assessment-due",
  metadata: { tenantId: "sacramento", templateId: "sara-assessment-due" },
  ...overrides
})

const deliver = (msg: RenderedMessage, options: { readonly timeoutMillis?: number } = {}) =>
  Effect.gen(function*() {
    const notifier = yield* WebhookNotifier.make({ secret: Redacted.make(secret), ...options })
    return yield* notifier.deliver(msg)
  })

describe("WebhookNotifier delivering to a real HTTP receiver", () => {
  it.live("POSTs the message as JSON, signed so the receiver's verifyWebhook accepts it, with its idempotency key", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver()
      const outcome = yield* deliver(message(server.url, { html: "<p>Due</p>" }))
      assert.deepStrictEqual(outcome, { _tag: "Delivered" })
      assert.strictEqual(server.received.length, 1)
      const request = server.received[0]!
      assert.strictEqual(request.method, "POST")
      assert.strictEqual(request.url, "/hooks/pop")
      assert.strictEqual(request.headers["content-type"], "application/json")
      assert.strictEqual(request.headers["idempotency-key"], "sacramento:evt-81:sara-assessment-due")
      assert.deepStrictEqual(JSON.parse(request.body), {
        idempotencyKey: "sacramento:evt-81:sara-assessment-due",
        subject: "Assessment due",
        text: "The SARA assessment for POP-2026-014 is due on 14 December.",
        html: "<p>Due</p>",
        metadata: { tenantId: "sacramento", templateId: "sara-assessment-due" }
      })
      const verified = verifyWebhook(secret, request.headers, request.body, 300)
      assert.strictEqual(verified._tag, "Verified")
      assert.strictEqual(verifyWebhook("another-secret", request.headers, request.body, 300)._tag, "Rejected")
    })))

  it.live("reports the receiver's id from the receipt header, or else from a JSON answer's id", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver(reply(200, { "Webhook-Receipt-Id": "rcpt-1" }))
      assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "Delivered", receiverId: "rcpt-1" })
      server.answerWith(reply(202, { "content-type": "application/json" }, JSON.stringify({ id: "crm-77" })))
      assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "Delivered", receiverId: "crm-77" })
      server.answerWith(reply(200, { "content-type": "text/plain" }, "ok"))
      assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "Delivered" })
    })))

  it.live("reads no more than 64 KiB of an answer: an endless 2xx body is still Delivered", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver((_request, response) => {
        response.writeHead(200, { "Webhook-Receipt-Id": "rcpt-endless" })
        const chunk = "x".repeat(16 * 1024)
        const more = () => {
          while (!response.destroyed && response.write(chunk)) {}
          if (!response.destroyed) response.once("drain", more)
        }
        more()
      })
      const outcome = yield* deliver(message(server.url), { timeoutMillis: 5_000 })
      assert.deepStrictEqual(outcome, { _tag: "Delivered", receiverId: "rcpt-endless" })
    })))

  it.live("maps 410 to a permanent failure: the subscription has ended", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver(reply(410, {}, "unsubscribed"))
      const outcome = yield* deliver(message(server.url))
      assert.strictEqual(outcome._tag, "PermanentFailure")
      assert.include(outcome._tag === "PermanentFailure" ? outcome.reason : "", "HTTP 410: the subscription has ended: unsubscribed")
    })))

  it.live("maps every other 4xx to a permanent failure", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver()
      for (const status of [400, 401, 403, 404, 409, 413, 422]) {
        server.answerWith(reply(status))
        assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "PermanentFailure", reason: `HTTP ${status}` }, `HTTP ${status}`)
      }
    })))

  it.live("maps 429 and 5xx to a retryable failure, with Retry-After in seconds or as an HTTP date", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver()
      for (const status of [429, 500, 502, 503, 504]) {
        server.answerWith(reply(status))
        assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "RetryableFailure", reason: `HTTP ${status}` }, `HTTP ${status}`)
      }
      server.answerWith(reply(429, { "Retry-After": "120" }))
      assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "RetryableFailure", reason: "HTTP 429", retryAfter: 120_000 })
      const inAMinute = new Date(Date.now() + 60_000).toUTCString()
      server.answerWith(reply(503, { "Retry-After": inAMinute }))
      const dated = yield* deliver(message(server.url))
      assert.strictEqual(dated._tag, "RetryableFailure")
      const wait = dated._tag === "RetryableFailure" ? dated.retryAfter ?? -1 : -1
      // An HTTP date has whole seconds: up to a second is lost, plus the time the request took.
      assert.isTrue(wait > 55_000 && wait <= 60_000, `retryAfter ${wait}`)
      server.answerWith(reply(503, { "Retry-After": "soon" }))
      assert.deepStrictEqual(yield* deliver(message(server.url)), { _tag: "RetryableFailure", reason: "HTTP 503" })
    })))

  it.live("never follows a redirect: a 3xx is a permanent failure and the target gets nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const target = yield* receiver()
      const server = yield* receiver()
      for (const status of [301, 302, 307, 308]) {
        server.answerWith(reply(status, { Location: target.url }))
        assert.deepStrictEqual(yield* deliver(message(server.url)), {
          _tag: "PermanentFailure",
          reason: `HTTP ${status}: redirect to ${target.url} not followed`
        })
      }
      assert.strictEqual(target.received.length, 0)
    })))

  it.live("gives up on a slow receiver after the timeout, as a retryable failure", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver((_request, response) => {
        setTimeout(() => response.writeHead(200).end(), 5_000).unref()
      })
      const started = Date.now()
      const outcome = yield* deliver(message(server.url), { timeoutMillis: 300 })
      assert.deepStrictEqual(outcome, { _tag: "RetryableFailure", reason: "no answer within 300 ms" })
      assert.isBelow(Date.now() - started, 3_000)
      assert.strictEqual(server.received.length, 1)
    })))

  it.live("reports an unreachable receiver as a retryable failure", () =>
    Effect.gen(function*() {
      // A port that was just closed: nothing listens there.
      const url = yield* Effect.scoped(Effect.map(receiver(), (server) => server.url))
      const outcome = yield* deliver(message(url))
      assert.strictEqual(outcome._tag, "RetryableFailure")
      assert.include(outcome._tag === "RetryableFailure" ? outcome.reason : "", "could not reach the receiver")
    }))

  it.live("refuses, without sending, a channel it does not serve and an address that is not an http(s) URL", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver()
      assert.strictEqual((yield* deliver(message(server.url, { channel: "sms" })))._tag, "PermanentFailure")
      assert.strictEqual((yield* deliver(message("not a url")))._tag, "PermanentFailure")
      assert.strictEqual((yield* deliver(message("ftp://127.0.0.1/hooks")))._tag, "PermanentFailure")
      assert.strictEqual(server.received.length, 0)
    })))

  it.live("provides the Notifier port from layer and layerConfig", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver()
      const viaPort = Effect.gen(function*() {
        const notifier = yield* Notifier
        return yield* notifier.deliver(message(server.url))
      })
      assert.deepStrictEqual(yield* Effect.provide(viaPort, WebhookNotifier.layer({ secret: Redacted.make(secret) })), { _tag: "Delivered" })
      const configured = WebhookNotifier.layerConfig({ secret: Config.Redacted("WEBHOOK_SECRET"), timeoutMillis: Config.Int("WEBHOOK_TIMEOUT_MS") }).pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ WEBHOOK_SECRET: secret, WEBHOOK_TIMEOUT_MS: "2000" })))
      )
      assert.deepStrictEqual(yield* Effect.provide(viaPort, configured), { _tag: "Delivered" })
      assert.strictEqual(verifyWebhook(secret, server.received[1]!.headers, server.received[1]!.body, 300)._tag, "Verified")
    })))
})

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates, never negative, and nothing from garbage", () => {
    const now = Date.parse("2026-12-07T12:00:00Z")
    assert.strictEqual(parseRetryAfter("0", now), 0)
    assert.strictEqual(parseRetryAfter(" 30 ", now), 30_000)
    assert.strictEqual(parseRetryAfter("Mon, 07 Dec 2026 12:01:30 GMT", now), 90_000)
    assert.strictEqual(parseRetryAfter("Mon, 07 Dec 2026 11:00:00 GMT", now), 0)
    assert.strictEqual(parseRetryAfter(null, now), undefined)
    assert.strictEqual(parseRetryAfter("-5", now), undefined)
    assert.strictEqual(parseRetryAfter("later", now), undefined)
  })
})
