/**
 * Properties of the case board over generated case histories: every kind
 * of nuisance case event, with generated personal text (names, comments,
 * descriptions, complainants, people served, evidence), cut at any step.
 * The public status page never contains any of it, and the board's summary
 * agrees with the decider's own state of the case.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { type Actor, redact, sacramento } from "@community-policing/core"
import {
  nuisanceCaseDecider,
  type NuisanceCaseCommand,
  NuisanceCaseEvent,
  type NuisanceCaseState,
  type NoticeKind
} from "@community-policing/core/justice-for-neighbors"
import { applyToCaseSummary, type CaseSummary, caseSummaryView } from "../../src/justice-for-neighbors/CaseBoard.ts"
import { stageTimesAsOf } from "../../src/justice-for-neighbors/CaseQueries.ts"
import { PropertyStatus, propertyStatusOf } from "../../src/justice-for-neighbors/PropertyStatus.ts"
import { motelEvidence } from "./CaseBoardFixtures.ts"
import { at, attorney, ceo, clerk, motelAddress, sergeant, service, type Step } from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)
const address = "2315 10TH AVE"
const hazardAddress = "1820 J ST"

/** The personal text of one history; each value is marked so it can be searched for. */
interface PersonalText {
  readonly complainant: string
  readonly contact: string
  readonly description: string
  readonly owner: string
  readonly mailingAddress: string
  readonly comments: ReadonlyArray<string>
  readonly extensionReason: string
  readonly evidence: string
  readonly hearingOfficer: string
  readonly hazard: string
}

const marked = fc.stringMatching(/^[A-Za-z0-9 .,'-]{1,24}$/).map((text) => `pii<${text}>`)
const personalText: fc.Arbitrary<PersonalText> = fc.record({
  complainant: marked,
  contact: marked,
  description: marked,
  owner: marked,
  mailingAddress: marked,
  comments: fc.array(marked, { minLength: 24, maxLength: 24 }),
  extensionReason: marked,
  evidence: marked,
  hearingOfficer: marked,
  hazard: marked
})

/**
 * A blight case through every step of the code enforcement path, with an
 * extension, police evidence, a partial payment, a comment, a court appeal
 * and a partial payment of the costs; and a motel's excessive-calls case
 * through its kept plan. Together they produce every kind of event.
 */
const histories = (p: PersonalText): ReadonlyArray<ReadonlyArray<Step>> => {
  let n = 0
  const comment = () => p.comments[n++ % p.comments.length]!
  const served = (kind: NoticeKind, servedAt: string) => ({
    ...service(kind, at(servedAt)),
    personServed: { name: p.owner, capacity: "owner" as const, mailingAddress: p.mailingAddress }
  })
  const step = (name: string, command: NuisanceCaseCommand, actor: Actor, actAt: string): Step => ({
    name,
    command,
    actor,
    now: DateTime.add(at(actAt), { hours: 1 })
  })
  const id = "2026-000777"
  const blight: ReadonlyArray<Step> = [
    step("open", {
      _tag: "OpenCase",
      caseId: id,
      category: "blight",
      councilDistrict: "3",
      addressKey: address,
      source: { _tag: "ResidentComplaint", channel: "phone", complainant: { name: p.complainant, contact: p.contact } },
      description: p.description,
      immediateHazard: false,
      receivedAt: at("2026-03-02T17:00:00Z"),
      comment: comment()
    }, clerk, "2026-03-02T17:00:00Z"),
    step("triage", { _tag: "TriageCase", caseId: id, immediateHazard: false, comment: comment() }, ceo, "2026-03-02T18:00:00Z"),
    step("evidence", { _tag: "AttachPoliceEvidence", caseId: id, reportNumber: "26-004411", description: p.evidence }, sergeant, "2026-03-02T20:00:00Z"),
    step("inspection", { _tag: "RecordInspection", caseId: id, inspectedAt: at("2026-03-03T18:00:00Z"), violationFound: true, comment: comment() }, ceo, "2026-03-03T18:00:00Z"),
    step("notice", {
      _tag: "ServeNoticeOfViolation",
      caseId: id,
      violations: ["SCC 8.04.100"],
      service: served("notice-of-violation", "2026-03-04T19:00:00Z"),
      comment: comment()
    }, ceo, "2026-03-04T19:00:00Z"),
    step("extension", { _tag: "GrantExtension", caseId: id, period: { amount: 7, unit: "calendar-days" }, reason: p.extensionReason }, ceo, "2026-03-05T18:00:00Z"),
    step("reinspection", { _tag: "RecordReinspection", caseId: id, inspectedAt: at("2026-03-27T17:00:00Z"), compliant: false, comment: comment() }, ceo, "2026-03-27T17:00:00Z"),
    step("public-nuisance", { _tag: "ServeNoticeOfPublicNuisance", caseId: id, service: served("notice-of-public-nuisance", "2026-03-30T17:00:00Z"), comment: comment() }, ceo, "2026-03-30T17:00:00Z"),
    step("citation", {
      _tag: "IssueCitation",
      caseId: id,
      citationNumber: "AC-2001",
      codeSection: "SCC 8.04.100",
      responsiblePersonId: "owner-of-record",
      priorViolations: [],
      schedule: "general",
      amountInDollars: 100,
      service: served("administrative-citation", "2026-03-31T17:00:00Z"),
      comment: comment()
    }, ceo, "2026-03-31T17:00:00Z"),
    step("fine-payment", {
      _tag: "RecordPayment",
      caseId: id,
      paidAt: at("2026-04-01T17:00:00Z"),
      amountInDollars: 40,
      toward: { _tag: "Citation", citationNumber: "AC-2001" }
    }, clerk, "2026-04-01T17:00:00Z"),
    step("comment", { _tag: "CommentOnCase", caseId: id, comment: comment() }, ceo, "2026-04-01T19:00:00Z"),
    step("hearing-request", {
      _tag: "RequestHearing",
      caseId: id,
      requestedAt: at("2026-04-01T20:00:00Z"),
      contests: "citation AC-2001",
      comment: comment()
    }, clerk, "2026-04-01T20:00:00Z"),
    step("hearing-notice", {
      _tag: "ServeHearingNotice",
      caseId: id,
      hearingAt: at("2026-04-16T17:00:00Z"),
      service: served("hearing-notice", "2026-04-02T17:00:00Z"),
      comment: comment()
    }, ceo, "2026-04-02T17:00:00Z"),
    step("hearing-decision", {
      _tag: "RecordHearingDecision",
      caseId: id,
      decidedAt: at("2026-04-16T20:00:00Z"),
      outcome: "upheld",
      hearingOfficer: { id: "aho-7", name: p.hearingOfficer, roles: [] },
      findings: ["the debris remains"],
      comment: comment()
    }, clerk, "2026-04-16T20:00:00Z"),
    step("hearing-decision-served", { _tag: "ServeHearingDecision", caseId: id, service: served("hearing-decision", "2026-04-17T16:00:00Z"), comment: comment() }, ceo, "2026-04-17T16:00:00Z"),
    step("abatement-order", { _tag: "ServeAbatementOrder", caseId: id, service: served("abatement-order", "2026-04-17T17:00:00Z"), comment: comment() }, ceo, "2026-04-17T17:00:00Z"),
    step("court-appeal", {
      _tag: "RecordCourtAppeal",
      caseId: id,
      filedAt: at("2026-04-20T17:00:00Z"),
      courtCaseNumber: "34-2026-00999",
      comment: comment()
    }, clerk, "2026-04-20T17:00:00Z"),
    step("court-decision", { _tag: "RecordCourtDecision", caseId: id, decidedAt: at("2026-05-01T17:00:00Z"), outcome: "upheld", comment: comment() }, clerk, "2026-05-01T17:00:00Z"),
    step("city-abatement", {
      _tag: "RecordCityAbatement",
      caseId: id,
      completedAt: at("2026-05-04T17:00:00Z"),
      work: "debris removed",
      costInDollars: 2450,
      comment: comment()
    }, ceo, "2026-05-04T17:00:00Z"),
    step("invoice", { _tag: "InvoiceCosts", caseId: id, amountInDollars: 2450, service: served("cost-invoice", "2026-05-05T17:00:00Z"), comment: comment() }, ceo, "2026-05-05T17:00:00Z"),
    step("cost-payment", {
      _tag: "RecordPayment",
      caseId: id,
      paidAt: at("2026-05-10T17:00:00Z"),
      amountInDollars: 500,
      toward: { _tag: "AbatementCosts" }
    }, clerk, "2026-05-10T17:00:00Z"),
    step("lien-notice", {
      _tag: "ServeLienNotice",
      caseId: id,
      service: { ...served("lien-notice", "2026-06-08T17:00:00Z"), method: "personal-delivery" },
      comment: comment()
    }, ceo, "2026-06-08T17:00:00Z"),
    step("lien", {
      _tag: "RecordLien",
      caseId: id,
      recordedAt: at("2026-06-19T17:00:00Z"),
      comment: comment()
    }, ceo, "2026-06-19T17:00:00Z"),
    step("civil-action", {
      _tag: "FileCivilAction",
      caseId: id,
      kind: "nuisance-abatement-suit",
      courtCaseNumber: "34-2026-01000",
      filedAt: at("2026-06-22T17:00:00Z"),
      comment: comment()
    }, attorney, "2026-06-22T17:00:00Z"),
    step("civil-action-concluded", {
      _tag: "ConcludeCivilAction",
      caseId: id,
      kind: "nuisance-abatement-suit",
      outcome: "judgment-for-city",
      concludedAt: at("2026-09-01T17:00:00Z"),
      comment: comment()
    }, attorney, "2026-09-01T17:00:00Z"),
    step("closed", { _tag: "CloseCase", caseId: id, reason: "civil-action-concluded", comment: comment() }, attorney, "2026-09-02T17:00:00Z")
  ]
  const motelId = "2026-000778"
  const motel: ReadonlyArray<Step> = [
    step("open", {
      _tag: "OpenCase",
      caseId: motelId,
      category: "excessive-calls-for-service",
      councilDistrict: "3",
      addressKey: motelAddress,
      source: { _tag: "AnalyticsFinding", evidence: motelEvidence },
      description: p.description,
      immediateHazard: false,
      comment: comment()
    }, { _tag: "System", id: "excessive-calls-scan" }, "2026-03-02T17:00:00Z"),
    step("triage", { _tag: "TriageCase", caseId: motelId, immediateHazard: false, comment: comment() }, sergeant, "2026-03-02T18:00:00Z"),
    step("letter", { _tag: "ServeOwnerLetter", caseId: motelId, service: served("owner-letter", "2026-03-03T17:00:00Z"), comment: comment() }, ceo, "2026-03-03T17:00:00Z"),
    step("meeting", { _tag: "RecordOwnerMeeting", caseId: motelId, heldAt: at("2026-03-10T17:00:00Z"), outcome: "cooperative", comment: comment() }, sergeant, "2026-03-10T17:00:00Z"),
    step("plan", {
      _tag: "AgreeAbatementPlan",
      caseId: motelId,
      agreedAt: at("2026-03-11T17:00:00Z"),
      terms: ["security guard Friday and Saturday nights"],
      comment: comment()
    }, sergeant, "2026-03-11T17:00:00Z"),
    step("review", { _tag: "ReviewAbatementPlan", caseId: motelId, reviewedAt: at("2026-03-30T17:00:00Z"), kept: true, comment: comment() }, sergeant, "2026-03-30T17:00:00Z")
  ]
  // The same blight case to its cost payment, then a special assessment instead of a lien.
  const assessedId = "2026-000779"
  const untilPayment = blight.slice(0, blight.findIndex((s) => s.name === "cost-payment") + 1)
  const assessed: ReadonlyArray<Step> = [
    ...untilPayment.map((s) => ({ ...s, command: { ...s.command, caseId: assessedId } as NuisanceCaseCommand })),
    step("assessment-notice", {
      _tag: "ServeSpecialAssessmentNotice",
      caseId: assessedId,
      hearingAt: at("2026-06-30T01:00:00Z"),
      service: served("special-assessment-notice", "2026-06-08T17:00:00Z"),
      comment: comment()
    }, ceo, "2026-06-08T17:00:00Z"),
    step("assessment", { _tag: "RecordSpecialAssessment", caseId: assessedId, confirmedAt: at("2026-06-30T03:00:00Z"), comment: comment() }, clerk, "2026-06-30T03:00:00Z"),
    step("closed", { _tag: "CloseCase", caseId: assessedId, reason: "special-assessment-recorded", comment: comment() }, ceo, "2026-07-01T17:00:00Z")
  ]
  const hazardId = "2026-000779"
  const hazard: ReadonlyArray<Step> = [
    step("open", {
      _tag: "OpenCase",
      caseId: hazardId,
      category: "dangerous-building",
      councilDistrict: "3",
      addressKey: hazardAddress,
      source: { _tag: "CodeEnforcementFinding" },
      description: p.description,
      immediateHazard: true,
      receivedAt: at("2026-03-02T17:00:00Z"),
      comment: comment()
    }, ceo, "2026-03-02T17:00:00Z"),
    step("triage", { _tag: "TriageCase", caseId: hazardId, immediateHazard: true, comment: comment() }, ceo, "2026-03-02T18:00:00Z"),
    step("inspection", { _tag: "RecordInspection", caseId: hazardId, inspectedAt: at("2026-03-02T19:00:00Z"), violationFound: true, comment: comment() }, ceo, "2026-03-02T19:00:00Z"),
    step("summary-abatement", {
      _tag: "RecordSummaryAbatement",
      caseId: hazardId,
      completedAt: at("2026-03-02T23:00:00Z"),
      reason: p.hazard,
      work: "porch shored",
      costInDollars: 1200,
      comment: comment()
    }, ceo, "2026-03-02T23:00:00Z"),
    step("post-abatement-notice", { _tag: "ServePostAbatementNotice", caseId: hazardId, service: served("post-abatement-notice", "2026-03-04T17:00:00Z"), comment: comment() }, ceo, "2026-03-04T17:00:00Z"),
    step("invoice", { _tag: "InvoiceCosts", caseId: hazardId, amountInDollars: 1200, service: served("cost-invoice", "2026-03-06T17:00:00Z"), comment: comment() }, ceo, "2026-03-06T17:00:00Z")
  ]
  return [blight, motel, hazard, assessed]
}

/** Replays the first `count` steps; every one must be accepted. */
const replayed = (steps: ReadonlyArray<Step>, count: number) => {
  let state: NuisanceCaseState = decider.initialState
  let summary: CaseSummary | undefined
  const events: Array<NuisanceCaseEvent> = []
  for (const step of steps.slice(0, count)) {
    const result = decider.decide(step.command, state, { now: step.now, actor: step.actor })
    if (Result.isFailure(result)) return assert.fail(`step ${step.name} was refused: ${result.failure.message}`)
    for (const event of result.success) {
      events.push(event)
      state = decider.evolve(state, event)
      summary = applyToCaseSummary(summary, event)
    }
  }
  return { state, summary, events }
}

const personalValues = (p: PersonalText): ReadonlyArray<string> => [
  p.complainant, p.contact, p.description, p.owner, p.mailingAddress, p.extensionReason, p.evidence, p.hearingOfficer, p.hazard, ...p.comments,
  ...motelEvidence.counted.map((call) => call.callKey), ...motelEvidence.excluded.map((call) => call.callKey)
]

const sample = fc.sample(personalText, { numRuns: 1, seed: 5 })[0]!

describe("the public status page (property)", () => {
  it("the generated histories produce every kind of nuisance case event", () => {
    const kinds = new Set(histories(sample).flatMap((steps) => replayed(steps, steps.length).events.map((event) => event._tag)))
    const all = NuisanceCaseEvent.members.map((member) => member.fields._tag.schema.literal)
    assert.deepStrictEqual([...all].filter((kind) => !kinds.has(kind)), [])
  })

  it("never contains a name, a person served, a comment, a complainant, a description or the evidence", () => {
    fc.assert(
      fc.property(personalText, fc.nat(), fc.nat(), fc.nat(), fc.nat(), (p, cutBlight, cutMotel, cutHazard, cutAssessed) => {
        const [blight, motel, hazard, assessed] = histories(p) as [ReadonlyArray<Step>, ReadonlyArray<Step>, ReadonlyArray<Step>, ReadonlyArray<Step>]
        const summaries = [
          replayed(blight, 1 + (cutBlight % blight.length)).summary!,
          replayed(motel, 1 + (cutMotel % motel.length)).summary!,
          replayed(hazard, 1 + (cutHazard % hazard.length)).summary!
        ]
        // The special-assessment case shares the blight case's address: its public view is checked on its own page below.
        const assessedSummary = replayed(assessed, 1 + (cutAssessed % assessed.length)).summary!
        // The staff view carries the personal text, so its absence below is the redaction's doing.
        const staff = JSON.stringify(summaries.map((summary) => caseSummaryView(summary, "staff")))
        assert.include(staff, p.description)
        const pages = [address, motelAddress, hazardAddress].map((key) => redact(PropertyStatus, propertyStatusOf(key, summaries), "public"))
        pages.push(redact(PropertyStatus, propertyStatusOf(address, [assessedSummary]), "public"))
        const views = [...summaries, assessedSummary].flatMap((summary) => [caseSummaryView(summary, "public"), caseSummaryView(summary, "commission")])
        for (const json of [JSON.stringify(pages), JSON.stringify(views)]) {
          assert.notInclude(json, "pii<")
          assert.notInclude(json, "Staff:")
          for (const value of personalValues(p)) assert.notInclude(json, value)
        }
        assert.strictEqual((pages[0] as { cases: ReadonlyArray<unknown> }).cases.length, 1)
      }),
      { numRuns: 150 }
    )
  })
})

describe("the case summary (property)", () => {
  it("agrees with the decider's state of the case at every step: stage, deadlines, time in stages, fines, costs, closure", () => {
    const millis = DateTime.toEpochMillis
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (which, cut) => {
        const steps = histories(sample)[which % histories(sample).length]!
        const { state, summary } = replayed(steps, 1 + (cut % steps.length))
        if (state._tag !== "OpenedCase" || summary === undefined) return false
        const asOf = at("2026-12-31T00:00:00Z")
        const expectedTimes = new Map<string, number>()
        for (const visit of state.stageHistory) {
          const end = visit.leftAt ?? (visit.stage === "closed" ? visit.enteredAt : asOf)
          expectedTimes.set(visit.stage, (expectedTimes.get(visit.stage) ?? 0) + millis(end) - millis(visit.enteredAt))
        }
        const times = new Map(stageTimesAsOf(summary, asOf).map((time) => [time.stage, time.milliseconds]))
        const openDeadlines = (deadlines: ReadonlyArray<{ readonly purpose: string; readonly due: DateTime.Utc }>) =>
          deadlines.map((d) => `${d.purpose}@${millis(d.due)}`)
        assert.strictEqual(summary.stage, state.stage)
        assert.strictEqual(millis(summary.stageEnteredAt), millis(state.stageSince))
        assert.deepStrictEqual(openDeadlines(summary.openDeadlines), openDeadlines(state.deadlines.filter((d) => d.status === "open")))
        assert.deepStrictEqual(times, expectedTimes)
        assert.deepStrictEqual(
          summary.citations.map((c) => [c.citationNumber, c.amountInDollars, c.paidInDollars, c.status]),
          state.citations.map((c) => [c.citationNumber, c.amountInDollars, c.paidInDollars, c.status])
        )
        assert.deepStrictEqual(summary.costs, state.costs)
        assert.deepStrictEqual(summary.liens.map((l) => l.amountInDollars), state.liens.map((l) => l.amountInDollars))
        assert.strictEqual(summary.closedAt === null ? null : millis(summary.closedAt), state.closure === undefined ? null : millis(state.closure.at))
        return true
      }),
      { numRuns: 200 }
    )
  })
})
