/**
 * Sensitivity of what the rules queue: a public recipient (a subscription
 * list's member, a webhook subscriber cleared for the public) never
 * receives a personal or confidential value, for arbitrary events
 * (fast-check); staff receive personal values but not confidential
 * ones, a prosecutor both: redaction is the engine's, per audience.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  confidential,
  type Contact,
  inMemoryRecipientDirectory,
  makeEventCatalog,
  type NotificationRule,
  personal,
  planMessages,
  QueuedNotification,
  resolveRecipients,
  ruleValuesFor,
  rulesCatalog,
  validateNotificationRules
} from "@community-policing/core"

const IncidentReported = Schema.TaggedStruct("IncidentReported", {
  caseId: Schema.String,
  district: Schema.String,
  summary: Schema.String,
  reporter: personal(Schema.String),
  victim: Schema.optionalKey(confidential(Schema.Struct({ name: Schema.String, address: Schema.String }))),
  details: Schema.Struct({ place: Schema.String, witness: personal(Schema.String), protectedNote: confidential(Schema.String) })
})
type IncidentReported = typeof IncidentReported.Type
const catalog = makeEventCatalog(Schema.Union([IncidentReported]))

const rule: NotificationRule = {
  _tag: "OnEvent",
  name: "incident-reported",
  on: { streamType: "incident", eventType: "IncidentReported" },
  recipients: [
    { _tag: "SubscriptionList", listId: "district-{district}-alerts" },
    { _tag: "WebhookSubscriber", subscriptionId: "open-data-feed" },
    { _tag: "WebhookSubscriber", subscriptionId: "records-system" },
    { _tag: "Role", role: "sergeant", district: "{district}" },
    { _tag: "Person", personId: "prosecutor-on-duty" }
  ],
  template: "incident-reported",
  delivery: { channels: ["webhook", "email"] },
  values: {
    caseId: "{caseId}",
    summary: "{summary}",
    reporter: "{reporter}",
    line: "{caseId}: reported by {reporter}",
    victimName: "{victim.name}",
    victimAddress: "{victim.address}",
    witness: "{details.witness}",
    place: "{details.place}",
    note: "{details.protectedNote}"
  }
}

const contact = (id: string, audience: Contact["audience"], channel: string, address: string): Contact => ({
  id,
  audience,
  contactPoints: [{ channel, address }]
})

const directory = inMemoryRecipientDirectory({
  sacramento: {
    // A list member the directory (wrongly) marks as staff is still public: lists are public.
    lists: { "district-3-alerts": [contact("resident-1", "staff", "email", "r1@example.org"), contact("resident-2", "public", "email", "r2@example.org")] },
    webhookSubscribers: {
      "open-data-feed": contact("open-data", "public", "webhook", "https://data.example.org/hook"),
      "records-system": contact("rms", "staff", "webhook", "https://rms.city.example/hook")
    },
    staff: [{ contact: contact("sgt-3", "staff", "email", "sgt3@city.example"), roles: ["sergeant"], districts: ["3"] }],
    people: { "prosecutor-on-duty": contact("np-1", "prosecutor", "email", "np@city.example") }
  }
})

const context = { program: "incidents", timeZone: "America/Los_Angeles", defaultLocale: "en" }
const decode = Schema.decodeUnknownSync(QueuedNotification)

/** The messages the rule queues for an event, decoded. */
const messagesFor = (event: IncidentReported) =>
  Effect.runSync(Effect.gen(function*() {
    const json = catalog.encode(event).data
    const recipients = yield* resolveRecipients(directory, "sacramento", rule.recipients, json, context)
    return planMessages(rule, recipients, ruleValuesFor(catalog, event, rule.values, context), { tenantId: "sacramento", eventId: "evt-1" }, context)
      .map((planned) => decode(planned.payload))
  }))

const plain = fc.string({ maxLength: 12 }).filter((s) => !s.includes("PII") && !s.includes("SECRET"))
const marked = (marker: string) => fc.string({ maxLength: 12 }).map((s) => `${marker}${s}`)
const incident: fc.Arbitrary<IncidentReported> = fc.record({
  _tag: fc.constant("IncidentReported" as const),
  caseId: plain,
  district: fc.constantFrom("3", "5"),
  summary: plain,
  reporter: marked("PII-"),
  victim: fc.option(fc.record({ name: marked("SECRET-"), address: marked("SECRET-") }), { nil: undefined }),
  details: fc.record({ place: plain, witness: marked("PII-"), protectedNote: marked("SECRET-") })
}).map(({ victim, ...rest }) => (victim === undefined ? rest : { ...rest, victim }))

describe("what each audience receives", () => {
  it("validates as a rule", () => {
    const checked = validateNotificationRules({ program: "incidents", rules: [rule] }, { catalogs: { incident: rulesCatalog(catalog) } })
    assert.isTrue(Result.isSuccess(checked))
  })

  it("for arbitrary events, no public recipient's payload carries a personal or confidential value; staff see personal values only, a prosecutor both", () => {
    fc.assert(
      fc.property(incident, (event) => {
        const messages = messagesFor(event)
        const publicOnes = messages.filter((m) => m.audience === "public")
        // Both list members (in district 3) and the open-data feed are public, whatever the directory says of a list member.
        assert.strictEqual(publicOnes.length, event.district === "3" ? 3 : 1)
        for (const message of publicOnes) {
          const values = JSON.stringify(message.values)
          assert.notInclude(values, "PII-")
          assert.notInclude(values, "SECRET-")
          assert.notProperty(message.values, "line", "a value needing a hidden field is left out whole")
          assert.strictEqual(message.values["summary"], event.summary)
        }
        for (const message of messages.filter((m) => m.audience === "staff")) {
          assert.strictEqual(message.values["reporter"], event.reporter)
          assert.notInclude(JSON.stringify(message.values), "SECRET-")
        }
        const prosecutor = messages.find((m) => m.audience === "prosecutor")!
        assert.strictEqual(prosecutor.values["note"], event.details.protectedNote)
        if (event.victim !== undefined) assert.strictEqual(prosecutor.values["victimName"], event.victim.name)
      }),
      { numRuns: 200 }
    )
  })

  it("each message is one address on the first channel the recipient has, with its own idempotency key", () => {
    const messages = messagesFor({
      _tag: "IncidentReported",
      caseId: "I-1",
      district: "3",
      summary: "s",
      reporter: "PII-r",
      details: { place: "p", witness: "PII-w", protectedNote: "SECRET-n" }
    })
    assert.deepStrictEqual(messages.map((m) => `${m.channel} ${m.address}`).sort(), [
      "email np@city.example",
      "email r1@example.org",
      "email r2@example.org",
      "email sgt3@city.example",
      "webhook https://data.example.org/hook",
      "webhook https://rms.city.example/hook"
    ])
    assert.strictEqual(new Set(messages.map((m) => m.idempotencyKey)).size, messages.length)
  })
})
