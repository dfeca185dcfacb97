/**
 * The case makes the documents it serves (issue 10, item 8): a notice's
 * dates are the deadlines the case computed, its amounts the ones the case
 * checked, and a document id the case did not produce is refused. An app
 * that prints before serving gets the same document from
 * `previewNuisanceCaseNotices`.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import { sacramento } from "@community-policing/core"
import {
  formatNoticeDate,
  type NoticeDocument,
  nuisanceCaseDecider,
  type NuisanceCaseCommand,
  type NuisanceCaseRefusal,
  previewNuisanceCaseNotices,
  sacramentoNoticeTemplates,
  servedNotices
} from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  caseId,
  ceo,
  decideStep,
  expectTag,
  hoursAfter,
  ofTag,
  opened,
  refusal,
  replay,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()
const servedAt = at("2026-03-04T19:00:00Z")
const now = hoursAfter(servedAt, 20)

const noticeOfViolation = (serviceOverrides: Partial<ReturnType<typeof service>> = {}): NuisanceCaseCommand => ({
  _tag: "ServeNoticeOfViolation",
  caseId,
  violations: ["SCC 8.04.100: refuse stored in the side yard"],
  service: { ...service("notice-of-violation", servedAt, "personal-delivery"), ...serviceOverrides },
  comment: "notice handed to the owner"
})

const field = (document: NoticeDocument, label: string): string | undefined =>
  document.fields.find((f) => f.label === label)?.value

const text = (document: NoticeDocument): string =>
  [...document.paragraphs.flatMap((p) => p._tag === "Text" ? [p.text] : p.items), ...document.fields.map((f) => f.value)].join("\n")

const local = (instant: DateTime.DateTime): string => {
  const written = formatNoticeDate(instant, sacramento.timeZone)
  return Result.isSuccess(written) ? written.success : assert.fail("unknown time zone")
}

describe("the notice of violation the case serves", () => {
  const state = replay(decider, upTo(story, "inspection")).state
  const events = accepted(decideStep(decider, state, { command: noticeOfViolation(), actor: ceo, now }))

  it("states the compliance date the case computed, and is recorded whole with its service", () => {
    const deadline = ofTag(events, "DeadlineSet")[0]!.deadline
    const [served] = ofTag(events, "DocumentServed")
    assert.isDefined(served?.notice)
    const notice = served!.notice!
    assert.strictEqual(served!.document.documentId, notice.id)
    assert.include(text(notice), local(deadline.due))
    assert.include(text(notice), "SCC 8.04.100: refuse stored in the side yard")
    assert.strictEqual(field(notice, "Case number"), caseId)
    assert.strictEqual(field(notice, "Date"), local(servedAt))
    assert.strictEqual(notice.addressee.name, "R. Owner")
    assert.deepStrictEqual(servedNotices(events), [notice])
  })

  it("refuses a value the case writes itself (a date the app computed could differ from the one enforced)", () => {
    const base = service("notice-of-violation", servedAt, "personal-delivery")
    const error = expectTag(
      refusal(decideStep(decider, state, {
        command: noticeOfViolation({ values: { ...base.values, complianceDue: "April 30, 2026", caseNumber: "X" } }),
        actor: ceo,
        now
      })),
      "NoticeRefused"
    )
    assert.strictEqual(error.rule, "values-written-by-the-case")
    assert.sameMembers([...(error.keys ?? [])], ["complianceDue", "caseNumber"])
  })

  it("refuses a document id the case did not produce", () => {
    const error = expectTag(
      refusal(decideStep(decider, state, { command: noticeOfViolation({ documentId: "sha256:printed-elsewhere" }), actor: ceo, now })),
      "NoticeRefused"
    )
    assert.strictEqual(error.rule, "document-produced-by-the-case")
    assert.strictEqual(error.producedId, ofTag(events, "DocumentServed")[0]!.document.documentId)
  })

  it("accepts the id of the document printed beforehand from the preview, and serves that very document", () => {
    const preview = previewNuisanceCaseNotices(decider, state, noticeOfViolation(), { actor: ceo, now: servedAt })
    assert.isTrue(Result.isSuccess(preview))
    if (Result.isFailure(preview)) return
    const [printed] = preview.success
    const served = accepted(decideStep(decider, state, { command: noticeOfViolation({ documentId: printed!.id }), actor: ceo, now }))
    assert.deepStrictEqual(servedNotices(served), [printed!])
  })

  it("refuses, listing the placeholders, when a value only the app knows is missing", () => {
    const base = service("notice-of-violation", servedAt, "personal-delivery")
    const { contactPhone: _dropped, ...values } = base.values ?? {}
    const error = expectTag(refusal(decideStep(decider, state, { command: noticeOfViolation({ values }), actor: ceo, now })), "NoticeRefused")
    assert.strictEqual(error.rule, "document-complete")
    assert.include((error.problems ?? []).map((p) => p.placeholder), "contactPhone")
  })

  it("is made from the templates the case was built with", () => {
    const withSacramento = nuisanceCaseDecider(sacramento, { templates: sacramentoNoticeTemplates })
    const defaults = servedNotices(events)[0]!
    const sacramentos = servedNotices(accepted(decideStep(withSacramento, state, { command: noticeOfViolation(), actor: ceo, now })))[0]!
    assert.strictEqual(sacramentos.templateId, "sacramento-notice-of-violation")
    assert.notStrictEqual(sacramentos.id, defaults.id)
  })
})

describe("the other documents carry what the case computed", () => {
  it("a citation states the amount and the cap of its violation number", () => {
    const step = upTo(story, "citation").at(-1)!
    const state = replay(decider, upTo(story, "public-nuisance")).state
    const notice = servedNotices(accepted(decideStep(decider, state, step)))[0]!
    assert.strictEqual(notice.kind, "administrative-citation")
    assert.include(text(notice), "$100.00")
    assert.include(text(notice), "AC-1001")
  })

  it("a cost invoice states the day payment is due, the case's own cost-payment deadline", () => {
    const step = upTo(story, "invoice").at(-1)!
    const state = replay(decider, upTo(story, "city-abatement")).state
    const events = accepted(decideStep(decider, state, step))
    const due = ofTag(events, "DeadlineSet")[0]!.deadline.due
    const notice = servedNotices(events)[0]!
    assert.include(text(notice), local(due))
    assert.include(text(notice), "$2,450.00")
  })

  it("a preview of a command that serves nothing is empty, and changes nothing", () => {
    const state = replay(decider, upTo(story, "notice-of-violation")).state
    const comment: Step["command"] = { _tag: "CommentOnCase", caseId, comment: "owner phoned" }
    const preview = previewNuisanceCaseNotices(decider, state, comment, { actor: ceo, now: hoursAfter(opened(state).stageSince, 1) })
    assert.deepStrictEqual(Result.isSuccess(preview) ? preview.success : "refused", [])
  })
})
