/**
 * The notifier port's data: messages, outcomes and notifications decode from
 * and encode to plain JSON, personal fields carry their sensitivity, and an
 * event's notification key is stable and never shared.
 */
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import {
  DeliveryOutcome,
  Notification,
  notificationIdempotencyKey,
  NotificationRecipient,
  RenderedMessage,
  sensitivityOf
} from "../../src/index.ts"

const roundTrip = <S extends Schema.Codec<unknown, unknown>>(schema: S, value: unknown) => {
  const decoded = Schema.decodeUnknownSync(schema)(value)
  const json = JSON.parse(JSON.stringify(Schema.encodeSync(schema)(decoded)))
  return Schema.decodeUnknownSync(schema)(json)
}

describe("RenderedMessage", () => {
  const message = {
    channel: "webhook",
    address: "https://crm.example.gov/hooks/pop",
    subject: "Assessment due",
    text: "The SARA assessment for POP-2026-014 is due on 14 December.",
    idempotencyKey: "sacramento:evt-81:sara-assessment-due",
    metadata: { tenantId: "sacramento" }
  }

  it("survives a JSON round trip, with and without html", () => {
    assert.deepStrictEqual(roundTrip(RenderedMessage, message), message)
    const withHtml = { ...message, html: "<p>Due</p>" }
    assert.deepStrictEqual(roundTrip(RenderedMessage, withHtml), withHtml)
  })

  it("refuses an empty address or idempotency key", () => {
    assert.throws(() => Schema.decodeUnknownSync(RenderedMessage)({ ...message, address: "" }))
    assert.throws(() => Schema.decodeUnknownSync(RenderedMessage)({ ...message, idempotencyKey: "" }))
  })

  it("marks the address, subject, text and html personal, and the routing fields not", () => {
    const fields = RenderedMessage.fields
    assert.strictEqual(sensitivityOf(fields.address), "personal")
    assert.strictEqual(sensitivityOf(fields.subject), "personal")
    assert.strictEqual(sensitivityOf(fields.text), "personal")
    assert.strictEqual(sensitivityOf(fields.html), "personal")
    assert.strictEqual(sensitivityOf(fields.channel), undefined)
    assert.strictEqual(sensitivityOf(fields.idempotencyKey), undefined)
    assert.strictEqual(sensitivityOf(fields.metadata), undefined)
  })
})

describe("DeliveryOutcome", () => {
  it("encodes each outcome as tagged JSON and back", () => {
    const outcomes: ReadonlyArray<DeliveryOutcome> = [
      { _tag: "Delivered" },
      { _tag: "Delivered", receiverId: "msg-1" },
      { _tag: "RetryableFailure", reason: "HTTP 503" },
      { _tag: "RetryableFailure", reason: "HTTP 429", retryAfter: 30_000 },
      { _tag: "PermanentFailure", reason: "HTTP 410: subscription ended" }
    ]
    for (const outcome of outcomes) assert.deepStrictEqual(roundTrip(DeliveryOutcome, outcome), outcome)
  })

  it("refuses a negative or fractional retry-after and an unknown tag", () => {
    assert.throws(() => Schema.decodeUnknownSync(DeliveryOutcome)({ _tag: "RetryableFailure", reason: "x", retryAfter: -1 }))
    assert.throws(() => Schema.decodeUnknownSync(DeliveryOutcome)({ _tag: "RetryableFailure", reason: "x", retryAfter: 1.5 }))
    assert.throws(() => Schema.decodeUnknownSync(DeliveryOutcome)({ _tag: "Bounced", reason: "x" }))
  })
})

describe("Notification", () => {
  const recipients: ReadonlyArray<NotificationRecipient> = [
    { _tag: "Person", personId: "person-7" },
    { _tag: "Role", role: "pop-sergeant", district: "3" },
    { _tag: "SubscriptionList", listId: "oak-park-alerts" },
    { _tag: "WebhookSubscriber", subscriptionId: "sub-12" }
  ]

  it("takes each kind of recipient and survives a JSON round trip", () => {
    for (const recipient of recipients) {
      const notification: Notification = {
        recipient,
        channel: "email",
        templateId: "sara-assessment-due",
        locale: "en-US",
        values: { caseId: "POP-2026-014", count: 3, tags: ["a"], nested: { ok: true } },
        idempotencyKey: "sacramento:evt-81:sara-assessment-due"
      }
      assert.deepStrictEqual(roundTrip(Notification, notification), notification)
    }
  })

  it("refuses a recipient of no known kind", () => {
    assert.throws(() => Schema.decodeUnknownSync(NotificationRecipient)({ _tag: "Everyone" }))
  })

  it("marks the values and a person's id personal", () => {
    assert.strictEqual(sensitivityOf(Notification.fields.values), "personal")
    assert.strictEqual(sensitivityOf(NotificationRecipient.members[0].fields.personId), "personal")
  })
})

describe("notificationIdempotencyKey", () => {
  it("is the same for the same event and purpose, and differs when any part differs", () => {
    fc.assert(fc.property(
      fc.tuple(fc.string(), fc.string(), fc.string()),
      fc.tuple(fc.string(), fc.string(), fc.string()),
      ([t1, e1, p1], [t2, e2, p2]) => {
        const one = notificationIdempotencyKey({ tenantId: t1, eventId: e1 }, p1)
        assert.strictEqual(one, notificationIdempotencyKey({ tenantId: t1, eventId: e1 }, p1))
        const two = notificationIdempotencyKey({ tenantId: t2, eventId: e2 }, p2)
        assert.strictEqual(one === two, t1 === t2 && e1 === e2 && p1 === p2)
      }
    ))
  })
})
