/**
 * verifyWebhook, as a receiver uses it: signed requests pass; a tampered
 * body, a missing or malformed header, another secret and a replayed old
 * (or far-future) timestamp are each refused with their reason. The last
 * test sends real requests to a real receiver on loopback.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as fc from "fast-check"
import { signWebhook, verifyWebhook, WebhookNotifier } from "../src/index.ts"
import { receiver } from "./support/receiver.ts"

const secret = "whsec_verify_71c2"
const now = new Date("2026-12-07T12:00:00Z")
const t = Math.floor(now.getTime() / 1000)
const body = JSON.stringify({ idempotencyKey: "k-1", subject: "s", text: "t", metadata: {} })
const headersFor = (signature: string) => ({ "webhook-signature": signature })
const reasonOf = (result: ReturnType<typeof verifyWebhook>) => (result._tag === "Rejected" ? result.reason : "Verified")

describe("verifyWebhook", () => {
  it("accepts a request signed with the secret, within the tolerance, with any header casing or a fetch Headers", () => {
    const signature = signWebhook(secret, t - 100, body)
    assert.deepStrictEqual(verifyWebhook(secret, headersFor(signature), body, 300, now), { _tag: "Verified", timestamp: t - 100 })
    assert.strictEqual(verifyWebhook(Redacted.make(secret), { "Webhook-Signature": signature }, body, 300, now)._tag, "Verified")
    assert.strictEqual(verifyWebhook(secret, new Headers({ "Webhook-Signature": signature }), Buffer.from(body), 300, now)._tag, "Verified")
  })

  it("accepts any one matching v1 entry, so secrets can be rotated", () => {
    const old = signWebhook("old-secret", t, body).split(",")[1]!
    const current = signWebhook(secret, t, body).split(",")[1]!
    assert.strictEqual(verifyWebhook(secret, headersFor(`t=${t},${old},${current}`), body, 300, now)._tag, "Verified")
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(`t=${t},${old}`), body, 300, now)), "BadSignature")
  })

  it("refuses an unsigned request", () => {
    assert.strictEqual(reasonOf(verifyWebhook(secret, {}, body, 300, now)), "MissingSignature")
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(" "), body, 300, now)), "MissingSignature")
  })

  it("refuses a malformed header", () => {
    const good = signWebhook(secret, t, body)
    const v1 = good.split(",")[1]!
    for (const header of [`v1=${v1.slice(3)}`, `t=${t}`, `t=abc,${v1}`, `t=${t},t=${t},${v1}`, `t=${t},v1=XYZ`, `t=${t},${v1}0`, "garbage"]) {
      assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(header), body, 300, now)), "MalformedSignature", header)
    }
  })

  it("refuses a signature made with another secret", () => {
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(signWebhook("guess", t, body)), body, 300, now)), "BadSignature")
  })

  it("refuses a replayed request signed longer ago than the tolerance, and one signed too far ahead", () => {
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(signWebhook(secret, t - 301, body)), body, 300, now)), "TooOld")
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(signWebhook(secret, t - 300, body)), body, 300, now)), "Verified")
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(signWebhook(secret, t + 301, body)), body, 300, now)), "TooNew")
  })

  it("refuses a moved timestamp: the time is signed with the body", () => {
    const v1 = signWebhook(secret, t - 3600, body).split(",")[1]!
    assert.strictEqual(reasonOf(verifyWebhook(secret, headersFor(`t=${t},${v1}`), body, 300, now)), "BadSignature")
  })

  it("refuses every tampered body (property)", () => {
    fc.assert(fc.property(fc.string(), fc.string(), (original, tampered) => {
      fc.pre(original !== tampered)
      const header = headersFor(signWebhook(secret, t, original))
      assert.strictEqual(reasonOf(verifyWebhook(secret, header, original, 300, now)), "Verified")
      assert.strictEqual(reasonOf(verifyWebhook(secret, header, tampered, 300, now)), "BadSignature")
    }))
  })

  it("refuses a flipped byte anywhere in a delivered body (property)", () => {
    const signed = Buffer.from(body)
    const header = headersFor(signWebhook(secret, t, signed))
    fc.assert(fc.property(fc.nat({ max: signed.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
      const copy = Buffer.from(signed)
      copy[at] = copy[at]! ^ mask
      assert.strictEqual(reasonOf(verifyWebhook(secret, header, copy, 300, now)), "BadSignature")
    }))
  })

  it.live("lets a real receiver verify a delivery, and refuse the same request tampered with or replayed an hour later", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* receiver((request, response) => {
        const result = verifyWebhook(secret, request.headers, request.body, 300)
        response.writeHead(result._tag === "Verified" ? 204 : 400).end(result._tag === "Rejected" ? result.reason : "")
      })
      const notifier = yield* WebhookNotifier.make({ secret: Redacted.make(secret) })
      const outcome = yield* notifier.deliver({
        channel: "webhook",
        address: server.url,
        subject: "Agenda posted",
        text: "The board's agenda for 10 December is posted.",
        idempotencyKey: "sacramento:evt-90:agenda-posted",
        metadata: {}
      })
      assert.deepStrictEqual(outcome, { _tag: "Delivered" })
      const delivered = server.received[0]!
      const replay = (headers: Record<string, string>, replayedBody: string) =>
        Effect.promise(() => fetch(server.url, { method: "POST", headers, body: replayedBody }).then((response) => response.text()))
      const signature = String(delivered.headers["webhook-signature"])
      assert.strictEqual(yield* replay({ "webhook-signature": signature }, delivered.body.replace("10 December", "11 December")), "BadSignature")
      assert.strictEqual(yield* replay({}, delivered.body), "MissingSignature")
      const anHourAgo = Math.floor(Date.now() / 1000) - 3600
      assert.strictEqual(yield* replay({ "webhook-signature": signWebhook(secret, anHourAgo, delivered.body) }, delivered.body), "TooOld")
    })))
})
