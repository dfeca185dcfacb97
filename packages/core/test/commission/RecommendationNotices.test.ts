/**
 * The recommendation notices sent by rules written as data: real
 * recommendations driven through `handleCommand` on the memory store, the
 * rules reactor run as the `TestClock` moves, and the outbox read back:
 * the transmittal to the receiving body (in its language, or by post when
 * it has no email on file), the late answer to the commission's clerk at
 * the due instant and not before, nothing for answers given in time, and a
 * replay that queues nothing new.
 */
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import {
  type Contact,
  EventStore,
  inMemoryRecipientDirectoryLayer,
  MailRequired,
  mailRequiredTopic,
  notificationIdempotencyKey,
  notificationRulesReactor,
  notificationTopic,
  Outbox,
  QueuedNotification,
  ReadModelStore,
  renderNotification,
  sacramento,
  sacramentoLanguageAccess,
  validateNotificationRules
} from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { recommendationStream } from "../../src/commission/Recommendation.ts"
import {
  COMMISSION_NOTICES_PROGRAM,
  recommendationEventCatalogs,
  recommendationNotificationRules,
  recommendationNotifications,
  recommendationNotificationTemplates,
  sacramentoRecommendationNoticeOptions
} from "../../src/commission/RecommendationNotices.ts"
import { boardPolicy, ids, liaison, phaseOne, phaseTwo, runSteps } from "./RecommendationBoardFixtures.ts"

const tenantId = "sacramento"
const rules = Result.getOrThrow(validateNotificationRules(recommendationNotificationRules(sacramentoRecommendationNoticeOptions), {
  catalogs: recommendationEventCatalogs,
  templateIds: ["recommendation-transmitted", "recommendation-answer-overdue"]
}))
const templates = Result.getOrThrow(recommendationNotifications(sacramentoLanguageAccess))
const notifications = notificationRulesReactor({
  rules,
  catalogs: recommendationEventCatalogs,
  timeZone: sacramento.timeZone,
  defaultLocale: templates.languages.defaultLocale
})

const email = (id: string, address: string, locale?: string): Contact => ({
  id,
  audience: "staff",
  ...(locale === undefined ? {} : { locale }),
  contactPoints: [{ channel: "email", address }]
})

/** The committee's clerk and the department's liaison are on file; the council is not, so its notice goes by post. */
const Directory = inMemoryRecipientDirectoryLayer({
  [tenantId]: {
    people: {
      "commission-recommendation/recipient/law-and-legislation-committee": email("ll-clerk", "ll-committee@city.example"),
      "commission-recommendation/recipient/police-department": email("pd-liaison", "liaison@pd.example", "es")
    },
    staff: [
      { contact: email("cpc-clerk", "cpc-clerk@city.example"), roles: ["clerk"], districts: [] },
      { contact: email("cpc-analyst", "cpc-analyst@city.example"), roles: ["analyst"], districts: [] },
      { contact: email("clerk-d3", "clerk-d3@city.example"), roles: ["clerk"], districts: ["3"] }
    ]
  }
})

const addressHash = (address: string) => createHash("sha256").update(address).digest("hex").slice(0, 16)
const Memory = Layer.mergeAll(MemoryStore.layer(), boardPolicy, Directory)
const decodeQueued = Schema.decodeUnknownSync(QueuedNotification)
const decodeMailRequired = Schema.decodeUnknownSync(MailRequired)

const claimAll = (topic: string) =>
  Effect.gen(function*() {
    const claimed = yield* (yield* Outbox).claim({ tenantId, topic, limit: 1_000, leaseMillis: 10 * 365 * 86_400_000 })
    return claimed.map((c) => c.message)
  })

const queued = (topic = notificationTopic) =>
  claimAll(topic).pipe(Effect.map((messages) => messages.map((message) => ({ id: message.id, payload: decodeQueued(message.payload) }))))

const dueOf = (id: string) =>
  Effect.gen(function*() {
    const stored = yield* (yield* EventStore).readStream(tenantId, recommendationStream(id))
    const transmitted = stored.find((event) => event.eventType === "RecommendationTransmitted")!
    return { eventId: transmitted.eventId, due: DateTime.makeUnsafe((transmitted.data as { answerDue: string }).answerDue) }
  })

describe("recommendation notices, by rules written as data", () => {
  it.effect("each transmittal goes to its body with the due date, in the body's language; a body with no email on file gets it by post; a replay queues nothing", () =>
    Effect.gen(function*() {
      yield* runSteps(tenantId, phaseOne, "one")
      const run = yield* notifications.run(tenantId)
      assert.deepStrictEqual(run.refused, [])
      const messages = (yield* queued()).filter((m) => m.payload.rule === "recommendation-transmitted")
      assert.deepStrictEqual(
        messages.map((m) => [m.payload.values["recommendationId"], m.payload.address, m.payload.locale]).sort(),
        [
          [ids.implemented, "ll-committee@city.example", "en"],
          [ids.lateThenAnswered, "liaison@pd.example", "es"],
          [ids.late, "liaison@pd.example", "es"],
          [ids.lateInPhaseTwo, "ll-committee@city.example", "en"]
        ].sort()
      )
      const toDepartment = messages.find((m) => m.payload.values["recommendationId"] === ids.lateThenAnswered)!
      assert.deepStrictEqual(toDepartment.payload.values, {
        recommendationId: ids.lateThenAnswered,
        recipientName: "Sacramento Police Department",
        transmittedOn: "20 de febrero de 2026",
        answerDue: "21 de mayo de 2026"
      })
      assert.deepStrictEqual(toDepartment.payload.recipient, { _tag: "Person", personId: "commission-recommendation/recipient/police-department" })
      // Nothing personal in the values: the liaison recorded on the event is not a value of the notice.
      assert.notInclude(JSON.stringify(messages), liaison)

      // The council has no email on file: a mail-required record for a clerk.
      const mail = (yield* claimAll(mailRequiredTopic)).map((m) => decodeMailRequired(m.payload))
      assert.strictEqual(mail.length, 1)
      assert.deepInclude(mail[0]!, { rule: "recommendation-transmitted", reason: "no contact on file", locale: "en" })
      assert.strictEqual(mail[0]!.values["recommendationId"], ids.declined)

      // It renders in Spanish for the department.
      const stored = yield* (yield* Outbox).get(tenantId, toDepartment.id)
      const rendered = yield* renderNotification(templates)(Option.getOrThrow(stored))
      assert.strictEqual(rendered.subject, `Recomendación ${ids.lateThenAnswered} de la Comisión: respuesta antes del 21 de mayo de 2026`)
      assert.include(rendered.text, "transmitió la recomendación")

      // A replay from the start queues nothing new.
      const readModels = yield* ReadModelStore
      const checkpoint = yield* readModels.checkpoint(tenantId, notifications.name)
      yield* readModels.commit(tenantId, { projection: notifications.name, expectedCheckpoint: checkpoint, checkpoint: 0, upserts: [], deletes: [] })
      const replay = yield* notifications.run(tenantId)
      assert.strictEqual(replay.done, 0)
      assert.deepStrictEqual(yield* queued(), [])
      assert.deepStrictEqual(yield* claimAll(mailRequiredTopic), [])
    }).pipe(Effect.provide(Memory)))

  it.effect("a late answer goes to the commission's citywide clerk at its due instant, once; answers given in time send nothing", () =>
    Effect.gen(function*() {
      yield* runSteps(tenantId, phaseOne, "one")
      // The clock is at the last step of phase one (1 June): the oldest answer fell due on 21 May.
      yield* notifications.run(tenantId)
      const first = (yield* queued()).filter((m) => m.payload.rule === "recommendation-answer-overdue")
      assert.deepStrictEqual(first.map((m) => [m.payload.values["recommendationId"], m.payload.address]), [[ids.lateThenAnswered, "cpc-clerk@city.example"]])
      assert.deepInclude(first[0]!.payload, { templateId: "recommendation-answer-overdue", locale: "en", audience: "staff" })
      assert.deepStrictEqual(first[0]!.payload.recipient, { _tag: "Role", role: "clerk", district: "citywide" })
      const cause = yield* dueOf(ids.lateThenAnswered)
      assert.strictEqual(first[0]!.payload.values["answerDue"], "May 21, 2026")
      // Keyed by the transmittal that set the due time, the rule and the delivery: the same notice is never queued twice.
      assert.strictEqual(
        first[0]!.payload.idempotencyKey,
        notificationIdempotencyKey({ tenantId, eventId: cause.eventId }, `recommendation-answer-overdue/cpc-clerk/email/${addressHash("cpc-clerk@city.example")}`)
      )

      // The crisis pilot's answer falls due on 13 June (recorded at transmittal): nothing a millisecond before, one notice at it.
      const late = yield* dueOf(ids.late)
      yield* TestClock.setTime(DateTime.toEpochMillis(late.due) - 1)
      assert.strictEqual((yield* notifications.run(tenantId)).timersFired, 0)
      assert.deepStrictEqual(yield* queued(), [])
      yield* TestClock.setTime(DateTime.toEpochMillis(late.due))
      assert.strictEqual((yield* notifications.run(tenantId)).timersFired, 1)
      const second = yield* queued()
      assert.deepStrictEqual(second.map((m) => [m.payload.rule, m.payload.values["recommendationId"], m.payload.address]), [
        ["recommendation-answer-overdue", ids.late, "cpc-clerk@city.example"]
      ])
      assert.strictEqual((yield* notifications.run(tenantId)).done, 0)

      // Phase two: the department answers the oldest (too late to cancel a notice already sent); the committee never answers.
      yield* runSteps(tenantId, phaseTwo, "two")
      const committee = yield* dueOf(ids.lateInPhaseTwo)
      yield* TestClock.setTime(DateTime.toEpochMillis(committee.due) + 86_400_000)
      yield* notifications.run(tenantId)
      const third = (yield* queued()).filter((m) => m.payload.rule === "recommendation-answer-overdue")
      assert.deepStrictEqual(third.map((m) => m.payload.values["recommendationId"]), [ids.lateInPhaseTwo])

      // Years later, no notice ever went out for the recommendations answered in time (the first, the declined one).
      yield* TestClock.setTime(Date.UTC(2029, 0, 1))
      assert.strictEqual((yield* notifications.run(tenantId)).timersFired, 0)
      assert.deepStrictEqual(yield* queued(), [])
    }).pipe(Effect.provide(Memory)))

  it("the templates are checked for the city's languages: Spanish and English ship; a served language with no template is refused unless falling back is allowed", () => {
    assert.strictEqual(templates.program, COMMISSION_NOTICES_PROGRAM)
    const strict = { defaultLocale: "en", fallbackToDefault: false }
    const refused = recommendationNotifications({ ...strict, locales: ["en", "es", "vi"] })
    assert.isTrue(Result.isFailure(refused))
    if (Result.isFailure(refused)) {
      assert.deepStrictEqual(refused.failure.problems.map((p) => [p.template, p.locale]), [
        ["recommendation-transmitted", "vi"],
        ["recommendation-answer-overdue", "vi"]
      ])
    }
    assert.isTrue(Result.isSuccess(recommendationNotifications({ ...strict, locales: ["en", "es"] })))
    const englishOnly = recommendationNotificationTemplates.filter((t) => t.language === "en")
    assert.isTrue(Result.isFailure(recommendationNotifications({ ...strict, locales: ["en", "es"] }, englishOnly)))
    assert.isTrue(Result.isSuccess(recommendationNotifications(sacramentoLanguageAccess, englishOnly)))
  })

  it("a rules file naming an event the recommendations do not record is refused, naming the rule and field", () => {
    const base = recommendationNotificationRules(sacramentoRecommendationNoticeOptions)
    const broken = { ...base, rules: [{ ...base.rules[1]!, cancelOn: [{ eventType: "RecommendationForgotten", key: "{recommendationId}" }] }] }
    const refused = validateNotificationRules(broken, { catalogs: recommendationEventCatalogs })
    assert.isTrue(Result.isFailure(refused))
    if (Result.isFailure(refused)) {
      assert.deepStrictEqual(refused.failure.problems, [
        { rule: "recommendation-answer-overdue", field: "cancelOn.0.eventType", message: "the stream records no RecommendationForgotten event" }
      ])
    }
  })
})
