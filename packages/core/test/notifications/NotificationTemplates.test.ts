/**
 * Notification templates and languages: a template set must give every
 * language the city serves unless the city allows falling back to its
 * default (refused at configuration otherwise); the renderer picks the
 * recipient's language, renders subject, text and HTML from one
 * template, escapes every value in the HTML, and fails with a typed
 * error carrying a `reason`.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Result, Schema } from "effect"
import {
  type NotificationLanguages,
  NotificationNotRendered,
  type OutboxMessage,
  QueuedNotification,
  renderNotification,
  sacramentoLanguageAccess
} from "@community-policing/core"
import {
  justiceForNeighborsNotifications,
  justiceForNeighborsNotificationTemplates
} from "@community-policing/core/justice-for-neighbors"

const encode = Schema.encodeSync(QueuedNotification)

const message = (payload: Partial<QueuedNotification> & Pick<QueuedNotification, "templateId" | "values">): OutboxMessage => ({
  tenantId: "sacramento",
  id: "msg-1",
  topic: "notification",
  payload: encode({
    recipient: { _tag: "Person", personId: "nuisance-case/2026-000123/owner" },
    channel: "email",
    address: "owner@example.org",
    locale: "en",
    idempotencyKey: "sacramento:evt-1:notice-served",
    program: "justice-for-neighbors",
    rule: "notice-served",
    audience: "staff",
    ...payload
  }) as Schema.Json,
  status: "pending",
  attempts: 1,
  maxAttempts: 5,
  availableAt: DateTime.makeUnsafe("2026-03-04T19:00:00Z"),
  lastError: null,
  receipt: null
})

const noticeValues = { caseId: "2026-000123", noticeKind: "notice-of-violation", servedOn: "March 4, 2026", ownerName: "R. Owner" }

describe("template sets and the city's languages", () => {
  it("Sacramento's language-access languages are the preset, English the default, the fallback allowed", () => {
    assert.deepStrictEqual(sacramentoLanguageAccess.locales.slice(0, 2), ["en", "es"])
    for (const tag of ["zh-Hans", "zh-Hant", "pa", "hmn", "ru", "tl", "vi", "hi", "fa"]) assert.include(sacramentoLanguageAccess.locales, tag)
    assert.isTrue(sacramentoLanguageAccess.fallbackToDefault)
    assert.isTrue(Result.isSuccess(justiceForNeighborsNotifications(sacramentoLanguageAccess)))
  })

  it("without the city's permission to fall back, a served language with no template is refused at configuration, naming each template and language", () => {
    const strict: NotificationLanguages = { ...sacramentoLanguageAccess, fallbackToDefault: false }
    const refused = justiceForNeighborsNotifications(strict)
    assert.isTrue(Result.isFailure(refused))
    const problems = Result.isFailure(refused) ? refused.failure.problems : []
    assert.deepInclude(problems.map((p) => `${p.template} ${p.locale}`), "notice-served vi")
    assert.deepInclude(problems.map((p) => `${p.template} ${p.locale}`), "overdue-digest hmn")
    assert.notInclude(problems.map((p) => p.locale), "es")
    assert.notInclude(problems.map((p) => p.locale), "en")
    // English and Spanish only: nothing missing, no fallback needed. es-MX is served by the es templates.
    assert.isTrue(Result.isSuccess(justiceForNeighborsNotifications({ locales: ["en", "es", "es-MX"], defaultLocale: "en", fallbackToDefault: false })))
  })

  it("a template set without the default language, or with a faulty template, is refused", () => {
    const spanishOnly = justiceForNeighborsNotificationTemplates.filter((t) => t.language === "es")
    const refused = justiceForNeighborsNotifications({ locales: ["en", "es"], defaultLocale: "en", fallbackToDefault: true }, spanishOnly)
    assert.isTrue(Result.isFailure(refused) && refused.failure.problems.some((p) => p.template === "notice-served" && p.locale === "en"))
    const faulty = justiceForNeighborsNotificationTemplates.map((t, i) => (i === 0 ? { ...t, title: "Case {{caseNumber}}" } : t))
    const refusedFaulty = justiceForNeighborsNotifications(sacramentoLanguageAccess, faulty)
    assert.isTrue(Result.isFailure(refusedFaulty) && refusedFaulty.failure.message.includes("caseNumber"))
  })
})

describe("renderNotification: the renderer the dispatcher calls", () => {
  const templates = Result.getOrThrow(justiceForNeighborsNotifications(sacramentoLanguageAccess))
  const render = renderNotification(templates)

  it.effect("renders subject, text and HTML from the recipient's language's template, with the message's address and key", () =>
    Effect.gen(function*() {
      const rendered = yield* render(message({ templateId: "notice-served", locale: "es-MX", values: noticeValues }))
      assert.strictEqual(rendered.subject, "Caso 2026-000123: se le entregó un aviso")
      assert.include(rendered.text, "Estimado/a R. Owner:")
      assert.include(rendered.html ?? "", `lang="es"`)
      assert.deepInclude(rendered, { channel: "email", address: "owner@example.org", idempotencyKey: "sacramento:evt-1:notice-served" })
      assert.deepStrictEqual(rendered.metadata, {
        tenantId: "sacramento",
        program: "justice-for-neighbors",
        templateId: "notice-served",
        rule: "notice-served",
        language: "es",
        recipient: "Person"
      })
    }))

  it.effect("falls back to English for a served language without a template where the city allows it, and refuses with a reason where it does not", () =>
    Effect.gen(function*() {
      const vietnamese = yield* render(message({ templateId: "notice-served", locale: "vi", values: noticeValues }))
      assert.strictEqual(vietnamese.metadata["language"], "en")
      assert.strictEqual(vietnamese.subject, "Case 2026-000123: a notice was served on you")
      const strict = renderNotification(Result.getOrThrow(justiceForNeighborsNotifications({ locales: ["en", "es"], defaultLocale: "en", fallbackToDefault: false })))
      const refused = yield* Effect.flip(strict(message({ templateId: "notice-served", locale: "vi", values: noticeValues })))
      assert.instanceOf(refused, NotificationNotRendered)
      assert.include(refused.reason, "no notice-served template in vi")
    }))

  it.effect("escapes every value in the HTML: a script in an owner's name and in a property's address stays text", () =>
    Effect.gen(function*() {
      const script = "<script>alert('x')</script>"
      const notice = yield* render(message({ templateId: "notice-served", values: { ...noticeValues, ownerName: `R. ${script} Owner` } }))
      const opened = yield* render(message({
        templateId: "case-opened",
        values: { caseId: "2026-000123", category: "blight", district: "3", property: `2315 10TH AVE ${script}`, receivedOn: "March 2, 2026" }
      }))
      for (const html of [notice.html ?? "", opened.html ?? ""]) {
        assert.notInclude(html, "<script")
        assert.include(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
      }
      assert.include(notice.text, script, "the plain text keeps the value as written")
    }))

  it.effect("a payload that is not a notification, a missing value or another program's notification fails with a reason", () =>
    Effect.gen(function*() {
      const notANotification = yield* Effect.flip(render({ ...message({ templateId: "notice-served", values: noticeValues }), payload: { hello: "world" } }))
      assert.include(notANotification.reason, "not a notification")
      const { ownerName: _, ...withoutName } = noticeValues
      const missing = yield* Effect.flip(render(message({ templateId: "notice-served", values: withoutName })))
      assert.include(missing.reason, "ownerName")
      assert.strictEqual(missing.templateId, "notice-served")
      const other = yield* Effect.flip(render(message({ templateId: "notice-served", values: noticeValues, program: "police-commission" })))
      assert.include(other.reason, "police-commission")
      const unknown = yield* Effect.flip(render(message({ templateId: "agenda-posted", values: {} })))
      assert.include(unknown.reason, "no notification template agenda-posted")
    }))
})
