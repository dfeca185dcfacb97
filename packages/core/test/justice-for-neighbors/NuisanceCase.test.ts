/**
 * The nuisance case workflow with the Sacramento preset: given the steps a
 * case has taken, when the next command comes, then these events. Every
 * move of the stage graph is exercised here; the guards are in
 * NuisanceCaseGuards.test.ts.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { sacramento } from "@community-policing/core"
import {
  type CaseStage,
  nuisanceCaseDecider,
  type NuisanceCaseCommand,
  type NuisanceCaseEvent,
  stageGraph
} from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  analytics,
  at,
  attorney,
  caseId,
  ceo,
  clerk,
  decideStep,
  evidenceFor,
  excessiveCallsStoryline,
  givenStep,
  hoursAfter,
  iso,
  motelAddress,
  ofTag,
  opened,
  refusal,
  replay,
  resident,
  sergeant,
  hearingOfficer,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"
import { deciderSpec } from "@community-policing/testkit"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()
const motel = excessiveCallsStoryline()
const motelCase = "2026-000200"

const spec = deciderSpec(decider)
const given = (steps: ReadonlyArray<Step>) => {
  const history = spec.givenCommands(steps.map(givenStep))
  return {
    state: history.state,
    when: (command: NuisanceCaseCommand, actor = ceo, now = hoursAfter(opened(history.state).stageSince, 24 * 60)) =>
      history.when(command, { now, actor }).result
  }
}

const stageChanges = (events: ReadonlyArray<NuisanceCaseEvent>) =>
  ofTag(events, "CaseStageChanged").map((event) => `${event.from ?? "none"} -> ${event.to}`)

describe("intake", () => {
  it("given an address spelled as a resident writes it, when a case opens, then the case is filed under the normalized key", () => {
    const first = story[0]!
    if (first.command._tag !== "OpenCase") return assert.fail("the story opens with OpenCase")
    const events = accepted(decideStep(decider, decider.initialState, { ...first, command: { ...first.command, addressKey: "2315 10th Avenue, Apt. 4" } }))
    assert.deepInclude(events[0] as object, { _tag: "CaseOpened", addressKey: "2315 10TH AVE" })
  })

  it("given analytics evidence at 3555 AUBURN BLVD, when the case names 3555 Auburn Boulevard, then it opens, filed under the evidence's key", () => {
    const first = motel[0]!
    if (first.command._tag !== "OpenCase") return assert.fail("the story opens with OpenCase")
    const events = accepted(decideStep(decider, decider.initialState, { ...first, command: { ...first.command, addressKey: "3555 Auburn Boulevard" } }))
    assert.deepInclude(events[0] as object, { _tag: "CaseOpened", addressKey: motelAddress })
  })

  it("given nothing, when a 311 complaint opens a case, then it enters intake with the 48-hour inspection deadline", () => {
    const first = story[0]!
    const events = accepted(decideStep(decider, decider.initialState, first))
    assert.deepStrictEqual(events.map((e) => e._tag), ["CaseOpened", "CaseStageChanged", "DeadlineSet"])
    const [openedEvent, stageChanged, deadlineSet] = events
    assert.deepInclude(openedEvent as object, { caseId, councilDistrict: "3", category: "blight", variant: "standard", addressKey: "2315 10TH AVE" })
    assert.deepInclude(stageChanged as object, { from: null, to: "intake", comment: "311 complaint taken", by: "Staff:clerk-3" })
    if (deadlineSet?._tag !== "DeadlineSet") return assert.fail("no deadline")
    assert.strictEqual(deadlineSet.deadline.purpose, "inspection")
    assert.match(deadlineSet.deadline.rule, /periods\.inspection/)
    assert.strictEqual(iso(deadlineSet.deadline.due), "2026-03-04T17:00:00.000Z")
  })

  it("given nothing, when an immediate hazard is reported, then the inspection is due the same local day", () => {
    const command: NuisanceCaseCommand = { ...(story[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>), immediateHazard: true }
    const events = accepted(decideStep(decider, decider.initialState, { command, actor: resident, now: at("2026-03-02T18:00:00Z") }))
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.match(deadline!.deadline.rule, /hazardInspection/)
    // Same day in Sacramento: the end of 2 March, Pacific Standard Time.
    assert.strictEqual(iso(deadline!.deadline.due), "2026-03-03T07:59:59.999Z")
  })

  it("given nothing, when the analytics reports a motel, then an excessive-calls case opens with its evidence and no inspection deadline", () => {
    const events = accepted(decideStep(decider, decider.initialState, motel[0]!))
    assert.deepStrictEqual(events.map((e) => e._tag), ["CaseOpened", "CaseStageChanged"])
    const [openedEvent] = ofTag(events, "CaseOpened")
    assert.strictEqual(openedEvent!.variant, "excessive-calls")
    assert.strictEqual(openedEvent!.source._tag, "AnalyticsFinding")
    assert.strictEqual(ofTag(events, "CaseStageChanged")[0]!.by, "System:excessive-calls-scan")
  })

  it("given a case at intake, when triage finds an immediate hazard, then the inspection deadline is recounted from intake", () => {
    const events = accepted(given(upTo(story, "open")).when({ _tag: "TriageCase", caseId, immediateHazard: true, comment: "live wires" }, ceo, at("2026-03-02T19:00:00Z")))
    assert.deepStrictEqual(stageChanges(events), ["intake -> triaged"])
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.strictEqual(iso(deadline!.deadline.start), "2026-03-02T17:00:00.000Z")
    assert.strictEqual(iso(deadline!.deadline.due), "2026-03-03T07:59:59.999Z")
  })

  it("given a case at intake, when triage confirms the hazard as reported, then no new deadline is set", () => {
    const events = accepted(given(upTo(story, "open")).when(story[1]!.command, ceo, story[1]!.now))
    assert.deepStrictEqual(events.map((e) => e._tag), ["CaseTriaged", "CaseStageChanged"])
  })
})

describe("inspection and notice of violation", () => {
  it("given a triaged case, when the inspection finds no violation, then the case closes and the inspection deadline is satisfied", () => {
    const events = accepted(given(upTo(story, "triage")).when({
      _tag: "RecordInspection",
      caseId,
      inspectedAt: at("2026-03-03T18:00:00Z"),
      violationFound: false,
      comment: "yard already cleaned"
    }))
    assert.deepStrictEqual(events.map((e) => e._tag), ["InspectionRecorded", "DeadlineClosed", "CaseStageChanged", "CaseClosed"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "inspection", outcome: "satisfied" })
    assert.deepInclude(ofTag(events, "CaseClosed")[0] as object, { reason: "no-violation" })
    assert.deepStrictEqual(stageChanges(events), ["triaged -> closed"])
  })

  it("given a triaged case, when the inspection finds a violation, then it awaits the notice of violation", () => {
    const events = accepted(given(upTo(story, "triage")).when(story[2]!.command))
    assert.deepStrictEqual(stageChanges(events), ["triaged -> violation-found"])
    assert.strictEqual(iso(ofTag(events, "CaseStageChanged")[0]!.at), "2026-03-03T18:00:00.000Z")
  })

  it("given a violation, when the notice is served, then the case records what, to whom, when and how, and the compliance deadline runs from service", () => {
    // Handled (and written) a week after it was served: the deadline still counts from service.
    const events = accepted(given(upTo(story, "inspection")).when(story[3]!.command, ceo, at("2026-03-11T17:00:00Z")))
    assert.deepStrictEqual(events.map((e) => e._tag), ["DocumentServed", "ViolationsNoticed", "DeadlineSet", "CaseStageChanged"])
    const [served] = ofTag(events, "DocumentServed")
    assert.deepStrictEqual(served!.document.kind, "notice-of-violation")
    assert.strictEqual(served!.document.method, "personal-delivery")
    assert.strictEqual(served!.document.personServed.name, "R. Owner")
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.strictEqual(deadline!.deadline.purpose, "compliance")
    assert.strictEqual(iso(deadline!.deadline.start), "2026-03-04T19:00:00.000Z")
    // 14 calendar days from 4 March, to the end of 18 March, Pacific Daylight Time.
    assert.strictEqual(iso(deadline!.deadline.due), "2026-03-19T06:59:59.999Z")
    assert.match(deadline!.deadline.rule, /periods\.compliance\.blight/)
  })

  it("given a dangerous building, when the notice and order is served, then the 30-day period of City Code 8.96.130(B)(3) to obtain permits and begin work applies", () => {
    const steps = upTo(story, "inspection").map((s) =>
      s.command._tag === "OpenCase" ? { ...s, command: { ...s.command, category: "dangerous-building" as const } } : s
    )
    const notice = story[3]!.command as Extract<NuisanceCaseCommand, { _tag: "ServeNoticeOfViolation" }>
    const events = accepted(given(steps).when({ ...notice, orderedAt: notice.service.servedAt, completeBy: "2026-06-30" }))
    const start = ofTag(events, "DeadlineSet").find((e) => e.deadline.purpose === "permits-and-work-start")
    assert.strictEqual(start === undefined ? undefined : iso(start.deadline.due), "2026-04-04T06:59:59.999Z")
  })
})

describe("reinspection and extension", () => {
  const afterNotice = given(upTo(story, "notice-of-violation"))

  it("given a notice of violation, when a reinspection finds compliance, even before the deadline, then the case closes as complied", () => {
    const events = accepted(afterNotice.when({
      _tag: "RecordReinspection",
      caseId,
      inspectedAt: at("2026-03-10T17:00:00Z"),
      compliant: true,
      comment: "all repaired"
    }, ceo, at("2026-03-10T18:00:00Z")))
    assert.deepStrictEqual(events.map((e) => e._tag), ["InspectionRecorded", "DeadlineClosed", "CaseStageChanged", "CaseClosed"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "compliance", outcome: "satisfied" })
    assert.strictEqual(ofTag(events, "CaseClosed")[0]!.reason, "complied")
  })

  it("given a notice of violation, when a reinspection after the deadline finds none, then the reinspection failed and the deadline expired", () => {
    const events = accepted(afterNotice.when(story[4]!.command, ceo, story[4]!.now))
    assert.deepStrictEqual(stageChanges(events), ["notice-of-violation-served -> reinspection-failed"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "compliance", outcome: "expired" })
  })

  it("given a notice of violation, when an extension is granted before the deadline, then the deadline moves from its old due date and the reason is kept", () => {
    const events = accepted(afterNotice.when({
      _tag: "GrantExtension",
      caseId,
      period: { amount: 7, unit: "calendar-days" },
      reason: "contractor booked for 20 March"
    }, ceo, at("2026-03-12T17:00:00Z")))
    assert.deepStrictEqual(events.map((e) => e._tag), ["ExtensionGranted", "DeadlineSet"])
    const [extension] = ofTag(events, "ExtensionGranted")
    assert.strictEqual(iso(extension!.previousDue), "2026-03-19T06:59:59.999Z")
    assert.strictEqual(iso(extension!.newDue), "2026-03-26T06:59:59.999Z")
    assert.strictEqual(extension!.reason, "contractor booked for 20 March")
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.match(deadline!.deadline.rule, /extension of the compliance deadline by 7 calendar-days/)
    const state = opened(events.reduce(decider.evolve, afterNotice.state))
    assert.strictEqual(state.extensions.length, 1)
    const open = state.deadlines.filter((d) => d.status === "open")
    assert.deepStrictEqual(open.map((d) => iso(d.due)), ["2026-03-26T06:59:59.999Z"])
    assert.strictEqual(state.deadlines.find((d) => d.purpose === "compliance")?.status, "cancelled")
  })

  it("given a failed reinspection, when an extension is granted, then the case returns to the notice stage with a deadline counted from now", () => {
    const events = accepted(given(upTo(story, "reinspection-failed")).when({
      _tag: "GrantExtension",
      caseId,
      period: { amount: 10, unit: "business-days" },
      reason: "owner showed permits applied for"
    }, ceo, at("2026-03-23T17:00:00Z")))
    assert.deepStrictEqual(stageChanges(events), ["reinspection-failed -> notice-of-violation-served"])
    // 10 business days after Monday 23 March, Cesar Chavez Day (31 March) skipped: the end of 7 April.
    assert.strictEqual(iso(ofTag(events, "ExtensionGranted")[0]!.newDue), "2026-04-08T06:59:59.999Z")
    assert.strictEqual(ofTag(events, "CaseStageChanged")[0]!.comment, "owner showed permits applied for")
  })

  it("given a failed reinspection, when the owner complies after all, then the case closes as complied", () => {
    const events = accepted(given(upTo(story, "reinspection-failed")).when({
      _tag: "RecordReinspection",
      caseId,
      inspectedAt: at("2026-03-21T17:00:00Z"),
      compliant: true,
      comment: "fixed over the weekend"
    }))
    assert.strictEqual(ofTag(events, "CaseClosed")[0]!.reason, "complied")
  })
})

describe("public nuisance, citations and hearing", () => {
  it("given a failed reinspection, when the notice of public nuisance is served, then the case is declared a public nuisance", () => {
    const events = accepted(given(upTo(story, "reinspection-failed")).when(story[5]!.command))
    // The notice gives the owner the right to request a hearing, within periods.hearingRequest.
    assert.deepStrictEqual(events.map((e) => e._tag), ["DocumentServed", "DeadlineSet", "CaseStageChanged"])
    assert.strictEqual(ofTag(events, "DeadlineSet")[0]!.deadline.purpose, "hearing-request")
    assert.strictEqual(ofTag(events, "DocumentServed")[0]!.document.method, "posting-on-property")
    assert.deepStrictEqual(stageChanges(events), ["reinspection-failed -> public-nuisance-declared"])
  })

  it("given a public nuisance, when the first citation is issued, then the case is cited with the first cap of the general schedule", () => {
    const events = accepted(given(upTo(story, "public-nuisance")).when(story[6]!.command))
    assert.deepStrictEqual(events.map((e) => e._tag), ["CitationIssued", "DocumentServed", "DeadlineSet", "CaseStageChanged"])
    assert.deepInclude(ofTag(events, "CitationIssued")[0] as object, {
      citationNumber: "AC-1001",
      violationNumber: 1,
      capInDollars: 100,
      amountInDollars: 100,
      windowDays: 365,
      schedule: "general",
      councilDistrict: "3",
      category: "blight"
    })
    assert.strictEqual(ofTag(events, "DocumentServed")[0]!.document.kind, "administrative-citation")
  })

  it("given a citation, when more are issued for the same code section, then caps escalate to $200 and then $500, and a new section starts at $100", () => {
    const cited = given(upTo(story, "citation"))
    const citation = (n: string, amount: number, day: string, codeSection = "SCC 8.04.100", schedule: "general" | "building-and-safety" = "general") => ({
      _tag: "IssueCitation" as const,
      caseId,
      citationNumber: n,
      codeSection,
      responsiblePersonId: "owner-of-record",
      priorViolations: [],
      schedule,
      amountInDollars: amount,
      service: service("administrative-citation", at(`${day}T17:00:00Z`)),
      comment: `citation ${n}`
    })
    const second = accepted(cited.when(citation("AC-1002", 200, "2026-03-31")))
    assert.deepStrictEqual(second.map((e) => e._tag), ["CitationIssued", "DocumentServed", "DeadlineSet", "CaseCommented"])
    assert.deepInclude(ofTag(second, "CitationIssued")[0] as object, { violationNumber: 2, capInDollars: 200 })

    const afterSecond = second.reduce(decider.evolve, cited.state)
    const third = accepted(decideStep(decider, afterSecond, { command: citation("AC-1003", 500, "2026-04-07"), actor: ceo, now: at("2026-04-08T00:00:00Z") }))
    assert.deepInclude(ofTag(third, "CitationIssued")[0] as object, { violationNumber: 3, capInDollars: 500 })
    const afterThird = third.reduce(decider.evolve, afterSecond)
    const fourth = accepted(decideStep(decider, afterThird, { command: citation("AC-1004", 500, "2026-04-08"), actor: ceo, now: at("2026-04-09T00:00:00Z") }))
    assert.deepInclude(ofTag(fourth, "CitationIssued")[0] as object, { violationNumber: 4, capInDollars: 500 })

    const otherSection = accepted(decideStep(decider, afterThird, {
      command: citation("AC-2001", 130, "2026-04-08", "CBC 1001.2", "building-and-safety"),
      actor: ceo,
      now: at("2026-04-09T00:00:00Z")
    }))
    assert.deepInclude(ofTag(otherSection, "CitationIssued")[0] as object, { violationNumber: 1, capInDollars: 130, schedule: "building-and-safety" })
  })

  it("given citations, when the hearing notice is served, then the hearing is scheduled; served again, the date moves", () => {
    const scheduled = accepted(given(upTo(story, "citation")).when(story[7]!.command))
    assert.deepStrictEqual(scheduled.map((e) => e._tag), ["DocumentServed", "HearingScheduled", "DeadlineClosed", "CaseStageChanged"])
    assert.strictEqual(iso(ofTag(scheduled, "HearingScheduled")[0]!.hearingAt), "2026-04-08T17:00:00.000Z")
    const moved = accepted(given(upTo(story, "hearing-notice")).when({
      _tag: "ServeHearingNotice",
      caseId,
      hearingAt: at("2026-04-15T17:00:00Z"),
      service: service("hearing-notice", at("2026-03-30T17:00:00Z")),
      comment: "hearing officer unavailable"
    }, ceo, at("2026-03-31T00:00:00Z")))
    assert.deepStrictEqual(moved.map((e) => e._tag), ["DocumentServed", "HearingScheduled", "CaseCommented"])
  })

  it("given a hearing, when the hearing officer upholds the nuisance, then the case awaits the service of the decision and the abatement order", () => {
    const events = accepted(given(upTo(story, "hearing-notice")).when(story[8]!.command, clerk, story[8]!.now))
    assert.deepStrictEqual(stageChanges(events), ["hearing-scheduled -> hearing-decided"])
    assert.deepStrictEqual(ofTag(events, "HearingDecided")[0]!.cancelledCitations, [])
  })

  it("given a hearing, when the hearing officer overturns, then the case closes and unpaid citations are cancelled, paid ones kept", () => {
    const paidSecond = replay(decider, [
      ...upTo(story, "citation"),
      {
        name: "second citation",
        command: {
          _tag: "IssueCitation",
          caseId,
          citationNumber: "AC-1002",
          codeSection: "SCC 8.04.100",
          responsiblePersonId: "owner-of-record",
          priorViolations: [],
          schedule: "general",
          amountInDollars: 150,
          service: service("administrative-citation", at("2026-03-24T19:00:00Z")),
          comment: "second"
        },
        actor: ceo,
        now: at("2026-03-24T20:00:00Z")
      },
      {
        name: "paid",
        command: { _tag: "RecordPayment", caseId, paidAt: at("2026-03-24T21:00:00Z"), amountInDollars: 150, toward: { _tag: "Citation", citationNumber: "AC-1002" } },
        actor: clerk,
        now: at("2026-03-24T22:00:00Z")
      },
      story[7]!
    ])
    const events = accepted(decideStep(decider, paidSecond.state, {
      command: {
        _tag: "RecordHearingDecision",
        caseId,
        decidedAt: at("2026-04-08T20:00:00Z"),
        outcome: "overturned",
        hearingOfficer,
        findings: ["the debris was removed before the hearing"],
        comment: "no nuisance found"
      },
      actor: clerk,
      now: at("2026-04-08T21:00:00Z")
    }))
    assert.deepStrictEqual(ofTag(events, "HearingDecided")[0]!.cancelledCitations, ["AC-1001"])
    assert.strictEqual(ofTag(events, "CaseClosed")[0]!.reason, "overturned-at-hearing")
    const state = opened(events.reduce(decider.evolve, paidSecond.state))
    assert.deepStrictEqual(state.citations.map((c) => [c.citationNumber, c.status]), [["AC-1001", "cancelled"], ["AC-1002", "paid"]])
  })
})

describe("repeat violations across cases and the commercial building tier", () => {
  const otherCase = "2026-000050"
  const cite = (fields: Partial<Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>> = {}): Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }> => ({
    _tag: "IssueCitation",
    caseId,
    citationNumber: "AC-1001",
    codeSection: "SCC 8.04.100",
    responsiblePersonId: "owner-of-record",
    priorViolations: [],
    schedule: "general",
    amountInDollars: 100,
    service: service("administrative-citation", at("2026-03-24T17:00:00Z")),
    comment: "citation",
    ...fields
  })
  const nuisance = () => given(upTo(story, "public-nuisance"))
  const issued = (events: ReadonlyArray<NuisanceCaseEvent>) => ofTag(events, "CitationIssued")[0]!

  it("counts the person's citations for the section at the property on other cases (Gov. Code 36900(b)), and records them on the event", () => {
    const prior = { caseId: otherCase, citationNumber: "AC-0050", issuedAt: at("2025-11-02T17:00:00Z") }
    // Without the prior, $200 is above the first violation's cap.
    assert.strictEqual(refusal(nuisance().when(cite({ amountInDollars: 200 })))._tag, "FineAboveCap")
    assert.strictEqual(refusal(nuisance().when(cite({ priorViolations: [prior], amountInDollars: 200.01 })))._tag, "FineAboveCap")
    const events = accepted(nuisance().when(cite({ priorViolations: [prior], amountInDollars: 200 })))
    assert.deepInclude(issued(events) as object, { violationNumber: 2, capInDollars: 200, responsiblePersonId: "owner-of-record" })
    assert.deepStrictEqual(issued(events).priorViolations?.map((p) => p.citationNumber), ["AC-0050"])
  })

  it("counts within one year of the first violation, not of the last", () => {
    const priors = [
      { caseId: otherCase, citationNumber: "AC-0050", issuedAt: at("2025-03-20T17:00:00Z") },
      { caseId: otherCase, citationNumber: "AC-0051", issuedAt: at("2025-12-01T17:00:00Z") }
    ]
    // 369 days after the first: a first violation again, though 113 days after the second.
    assert.deepInclude(issued(accepted(nuisance().when(cite({ priorViolations: priors })))) as object, { violationNumber: 1, capInDollars: 100 })
  })

  it("counts per responsible person: another person's citation on the case is no earlier violation of theirs", () => {
    const cited = given(upTo(story, "citation"))
    const tenant = cite({ citationNumber: "AC-1002", responsiblePersonId: "tenant-7", service: service("administrative-citation", at("2026-03-31T17:00:00Z")) })
    assert.deepInclude(issued(accepted(cited.when(tenant))) as object, { violationNumber: 1, capInDollars: 100 })
    const owner = cite({ citationNumber: "AC-1002", amountInDollars: 200, service: service("administrative-citation", at("2026-03-31T17:00:00Z")) })
    assert.deepInclude(issued(accepted(cited.when(owner))) as object, { violationNumber: 2, capInDollars: 200 })
  })

  it("counts a prior once, never one that claims to be on this case (the case's own events count those), nor one after the citation", () => {
    const prior = { caseId: otherCase, citationNumber: "AC-0050", issuedAt: at("2026-01-02T17:00:00Z") }
    const own = { caseId, citationNumber: "AC-0999", issuedAt: at("2026-01-03T17:00:00Z") }
    const later = { caseId: otherCase, citationNumber: "AC-0060", issuedAt: at("2026-03-25T17:00:00Z") }
    const events = accepted(nuisance().when(cite({ priorViolations: [prior, prior, own, later], amountInDollars: 200 })))
    assert.deepInclude(issued(events) as object, { violationNumber: 2, capInDollars: 200 })
    assert.deepStrictEqual(issued(events).priorViolations?.map((p) => p.citationNumber), ["AC-0050"])
  })

  it("caps a third building violation within two years of the first at $2,500 on commercial property (Gov. Code 36900(c)(3)(B))", () => {
    const priors = [
      { caseId: otherCase, citationNumber: "BS-1", issuedAt: at("2024-10-01T17:00:00Z") },
      { caseId: otherCase, citationNumber: "BS-2", issuedAt: at("2025-02-01T17:00:00Z") }
    ]
    const building = { schedule: "building-and-safety" as const, codeSection: "CBC 116", priorViolations: priors, amountInDollars: 2500 }
    // Without the statement the tier does not apply, and outside the first year this is a first violation.
    const plain = refusal(nuisance().when(cite(building)))
    assert.deepInclude((plain as { cap: object }).cap, { capInDollars: 130, violationNumber: 1 })
    const events = accepted(nuisance().when(cite({ ...building, commercialBuilding: { cause: "unauthorized-use" } })))
    assert.deepInclude(issued(events) as object, {
      violationNumber: 3,
      capInDollars: 2500,
      windowDays: 730,
      commercialBuilding: { cause: "unauthorized-use" }
    })
    const above = refusal(nuisance().when(cite({ ...building, amountInDollars: 2500.01, commercialBuilding: { cause: "visible-refuse" } })))
    assert.match((above as { cap: { law: string } }).cap.law, /53069\.4\(a\)\(1\).*36900\(c\)\(3\)\(B\)/)
  })
})

describe("abatement order, court appeal and city abatement", () => {
  it("given an upheld hearing, when the decision is served, then the 20-day court appeal window of Gov. Code 53069.4 runs from its service", () => {
    const events = accepted(given(upTo(story, "hearing-decision")).when(story[9]!.command))
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.strictEqual(deadline!.deadline.purpose, "court-appeal")
    assert.match(deadline!.deadline.rule, /53069\.4/)
    assert.strictEqual(iso(deadline!.deadline.due), "2026-04-30T06:59:59.999Z")
    assert.deepStrictEqual(stageChanges(events), [])
  })

  it("given a served decision, when the abatement order is served, then the case is ordered to abate and the decision's window keeps running", () => {
    const events = accepted(given(upTo(story, "hearing-decision-served")).when(story[10]!.command))
    assert.deepStrictEqual(ofTag(events, "DeadlineSet"), [])
    assert.deepStrictEqual(stageChanges(events), ["hearing-decided -> abatement-ordered"])
  })

  it("given an abatement order, when the owner appeals in time and the court upholds, then the city may abate", () => {
    const ordered = upTo(story, "abatement-order")
    const appealed = accepted(given(ordered).when({
      _tag: "RecordCourtAppeal",
      caseId,
      filedAt: at("2026-04-20T17:00:00Z"),
      courtCaseNumber: "34-2026-80001234",
      comment: "writ petition filed"
    }, attorney, at("2026-04-21T00:00:00Z")))
    assert.deepStrictEqual(stageChanges(appealed), ["abatement-ordered -> court-appeal"])
    assert.deepInclude(ofTag(appealed, "DeadlineClosed")[0] as object, { purpose: "court-appeal", outcome: "satisfied" })

    const { state } = replay(decider, [...ordered, {
      name: "appeal",
      command: { _tag: "RecordCourtAppeal", caseId, filedAt: at("2026-04-20T17:00:00Z"), courtCaseNumber: "34-2026-80001234", comment: "filed" },
      actor: clerk,
      now: at("2026-04-21T00:00:00Z")
    }])
    const upheld = accepted(decideStep(decider, state, {
      command: { _tag: "RecordCourtDecision", caseId, decidedAt: at("2026-04-27T17:00:00Z"), outcome: "upheld", comment: "petition denied" },
      actor: clerk,
      now: at("2026-04-28T00:00:00Z")
    }))
    assert.deepStrictEqual(stageChanges(upheld), ["court-appeal -> order-upheld"])
    const afterUpheld = upheld.reduce(decider.evolve, state)
    // Upheld on 27 April: abating on the 28th, before the old window's end, is allowed.
    const abated = accepted(decideStep(decider, afterUpheld, {
      command: { _tag: "RecordCityAbatement", caseId, completedAt: at("2026-04-28T17:00:00Z"), work: "boarded", costInDollars: 900, comment: "done" },
      actor: ceo,
      now: at("2026-04-28T18:00:00Z")
    }))
    assert.deepStrictEqual(stageChanges(abated), ["order-upheld -> city-abated"])
  })

  it("given a court appeal, when the court overturns the order, then the case closes", () => {
    const { state } = replay(decider, [...upTo(story, "abatement-order"), {
      name: "appeal",
      command: { _tag: "RecordCourtAppeal", caseId, filedAt: at("2026-04-20T17:00:00Z"), courtCaseNumber: "X-1", comment: "filed" },
      actor: clerk,
      now: at("2026-04-21T00:00:00Z")
    }])
    const events = accepted(decideStep(decider, state, {
      command: { _tag: "RecordCourtDecision", caseId, decidedAt: at("2026-05-20T17:00:00Z"), outcome: "overturned", comment: "order set aside" },
      actor: attorney,
      now: at("2026-05-21T00:00:00Z")
    }))
    assert.strictEqual(ofTag(events, "CaseClosed")[0]!.reason, "overturned-in-court")
  })

  it("given an abatement order, when the city abates after the appeal window, then the window expired and the cost is recorded", () => {
    const events = accepted(given(upTo(story, "abatement-order")).when(story[11]!.command))
    assert.deepStrictEqual(events.map((e) => e._tag), ["DeadlineClosed", "CityAbatementRecorded", "CaseStageChanged"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "court-appeal", outcome: "expired" })
    assert.strictEqual(ofTag(events, "CityAbatementRecorded")[0]!.costInDollars, 2450)
  })
})

describe("cost recovery and civil action", () => {
  it("given a city abatement, when the costs are invoiced, then the 30-day time to pay runs from service", () => {
    const events = accepted(given(upTo(story, "city-abatement")).when(story[12]!.command))
    assert.deepStrictEqual(events.map((e) => e._tag), ["CostsInvoiced", "DocumentServed", "DeadlineSet", "CaseStageChanged"])
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.strictEqual(deadline!.deadline.purpose, "cost-payment")
    assert.strictEqual(iso(deadline!.deadline.due), "2026-06-05T06:59:59.999Z")
  })

  it("given an invoice, when it is paid in two parts, then the deadline is satisfied and the case can close as costs recovered", () => {
    const invoiced = given(upTo(story, "invoice"))
    const pay = (amount: number, day: string): NuisanceCaseCommand => ({
      _tag: "RecordPayment",
      caseId,
      paidAt: at(`${day}T17:00:00Z`),
      amountInDollars: amount,
      toward: { _tag: "AbatementCosts" },
      receiptNumber: `R-${day}`
    })
    const first = accepted(invoiced.when(pay(1000.5, "2026-05-10"), clerk, at("2026-05-11T00:00:00Z")))
    assert.deepStrictEqual(first.map((e) => e._tag), ["PaymentRecorded"])
    const afterFirst = first.reduce(decider.evolve, invoiced.state)
    const second = accepted(decideStep(decider, afterFirst, { command: pay(1449.5, "2026-05-20"), actor: clerk, now: at("2026-05-21T00:00:00Z") }))
    assert.deepStrictEqual(second.map((e) => e._tag), ["PaymentRecorded", "DeadlineClosed"])
    assert.deepInclude(ofTag(second, "DeadlineClosed")[0] as object, { purpose: "cost-payment", outcome: "satisfied" })
    const paid = second.reduce(decider.evolve, afterFirst)
    const closed = accepted(decideStep(decider, paid, {
      command: { _tag: "CloseCase", caseId, reason: "costs-recovered", comment: "paid in full" },
      actor: ceo,
      now: at("2026-05-22T00:00:00Z")
    }))
    assert.strictEqual(ofTag(closed, "CaseClosed")[0]!.reason, "costs-recovered")
    assert.deepStrictEqual(stageChanges(closed), ["costs-invoiced -> closed"])
  })

  it("given an unpaid invoice past its deadline, when the lien is recorded, then it secures the unpaid balance", () => {
    const { state } = replay(decider, [...upTo(story, "invoice"), {
      name: "partial payment",
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-05-10T17:00:00Z"), amountInDollars: 450, toward: { _tag: "AbatementCosts" } },
      actor: clerk,
      now: at("2026-05-10T18:00:00Z")
    }])
    const noticed = accepted(decideStep(decider, state, story[13]!))
    assert.deepStrictEqual(noticed.map((e) => e._tag), ["DeadlineClosed", "DocumentServed", "LienNoticeServed", "DeadlineSet", "CaseStageChanged"])
    assert.strictEqual(ofTag(noticed, "DocumentServed")[0]!.document.kind, "lien-notice")
    assert.deepInclude(ofTag(noticed, "DeadlineClosed")[0] as object, { purpose: "cost-payment", outcome: "expired" })
    const afterNotice = noticed.reduce(decider.evolve, state)
    const events = accepted(decideStep(decider, afterNotice, story[14]!))
    assert.deepStrictEqual(events.map((e) => e._tag), ["LienRecorded", "DeadlineClosed", "CaseStageChanged"])
    assert.strictEqual(ofTag(events, "LienRecorded")[0]!.amountInDollars, 2000)
  })

  it("given a recorded lien, when the case is closed because the lien secures the costs, then it closes", () => {
    const events = accepted(given(upTo(story, "lien")).when({ _tag: "CloseCase", caseId, reason: "lien-recorded", comment: "collection via tax roll" }))
    assert.strictEqual(ofTag(events, "CaseClosed")[0]!.reason, "lien-recorded")
  })

  it("given a lien, when the city attorney files civil actions, then the case is in civil action; a second kind is noted; each concludes; then it closes", () => {
    const filed = accepted(given(upTo(story, "lien")).when(story[15]!.command, attorney, story[15]!.now))
    assert.deepStrictEqual(stageChanges(filed), ["lien-recorded -> civil-action"])
    const second = accepted(given(upTo(story, "civil-action")).when({
      _tag: "FileCivilAction",
      caseId,
      kind: "receivership",
      courtCaseNumber: "34-2026-00999999",
      filedAt: at("2026-07-01T17:00:00Z"),
      comment: "receiver requested under H&S 17980.7"
    }, attorney, at("2026-07-02T00:00:00Z")))
    assert.deepStrictEqual(second.map((e) => e._tag), ["CivilActionFiled", "CaseCommented"])
    const { events } = replay(decider, story)
    assert.deepStrictEqual(ofTag(events, "CaseClosed").map((e) => e.reason), ["civil-action-concluded"])
  })

  it("given an invoice, when the time to pay has passed, then a civil action may follow without a lien", () => {
    const events = accepted(given(upTo(story, "invoice")).when({
      _tag: "FileCivilAction",
      caseId,
      kind: "drug-abatement",
      courtCaseNumber: "34-2026-00555555",
      filedAt: at("2026-06-10T17:00:00Z"),
      comment: "drug sales continue; Drug Abatement Act action"
    }, attorney, at("2026-06-11T00:00:00Z")))
    assert.deepStrictEqual(events.map((e) => e._tag), ["DeadlineClosed", "CivilActionFiled", "CaseStageChanged"])
  })
})

describe("the excessive-calls path", () => {
  it("given a triaged excessive-calls case, when the owner letter is served, then the case awaits the meeting", () => {
    const events = accepted(given(upTo(motel, "triage")).when(motel[2]!.command))
    assert.deepStrictEqual(events.map((e) => e._tag), ["DocumentServed", "CaseStageChanged"])
    assert.strictEqual(ofTag(events, "DocumentServed")[0]!.document.kind, "owner-letter")
    assert.deepStrictEqual(stageChanges(events), ["triaged -> owner-letter-sent"])
  })

  it("given the letter, when the owner comes to the meeting, then the owner is met; a follow-up meeting is noted", () => {
    const met = accepted(given(upTo(motel, "owner-letter")).when(motel[3]!.command, sergeant))
    assert.deepStrictEqual(stageChanges(met), ["owner-letter-sent -> owner-met"])
    const followUp = accepted(given(upTo(motel, "owner-meeting")).when({
      _tag: "RecordOwnerMeeting",
      caseId: motelCase,
      heldAt: at("2026-03-10T19:00:00Z"),
      outcome: "cooperative",
      comment: "walked the property"
    }, sergeant))
    assert.deepStrictEqual(followUp.map((e) => e._tag), ["OwnerMeetingRecorded", "CaseCommented"])
  })

  it("given the letter, when the owner does not come, then owner engagement failed and a notice of violation may follow", () => {
    const failed = accepted(given(upTo(motel, "owner-letter")).when({
      _tag: "RecordOwnerMeeting",
      caseId: motelCase,
      heldAt: at("2026-03-10T17:00:00Z"),
      outcome: "owner-absent",
      comment: "no show"
    }, sergeant))
    assert.deepStrictEqual(stageChanges(failed), ["owner-letter-sent -> owner-engagement-failed"])
  })

  it("given a meeting, when the plan is agreed, then its term is the category's compliance period", () => {
    const events = accepted(given(upTo(motel, "owner-meeting")).when(motel[4]!.command, sergeant))
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.strictEqual(deadline!.deadline.purpose, "abatement-plan")
    assert.match(deadline!.deadline.rule, /periods\.compliance\.excessive-calls-for-service/)
    assert.strictEqual(iso(deadline!.deadline.due), "2026-03-26T06:59:59.999Z")
    assert.deepStrictEqual(ofTag(events, "AbatementPlanAgreed")[0]!.terms.length, 3)
  })

  it("given a plan, when it was kept at the end of its term, then the case closes", () => {
    const events = accepted(given(motel).when({
      _tag: "ReviewAbatementPlan",
      caseId: motelCase,
      reviewedAt: at("2026-03-27T17:00:00Z"),
      kept: true,
      comment: "calls down to one in two weeks"
    }, sergeant))
    assert.deepStrictEqual(events.map((e) => e._tag), ["AbatementPlanReviewed", "DeadlineClosed", "CaseStageChanged", "CaseClosed"])
    assert.strictEqual(ofTag(events, "CaseClosed")[0]!.reason, "abatement-plan-kept")
  })

  it("given a plan, when it was broken, then the case escalates to a notice of violation and on to the common path", () => {
    const broken: Step = {
      name: "plan broken",
      command: { _tag: "ReviewAbatementPlan", caseId: motelCase, reviewedAt: at("2026-03-27T17:00:00Z"), kept: false, comment: "no guard on weekends" },
      actor: sergeant,
      now: at("2026-03-27T18:00:00Z")
    }
    const { state, events } = replay(decider, [...motel, broken])
    assert.deepStrictEqual(stageChanges(events).slice(-1), ["abatement-plan-agreed -> owner-engagement-failed"])
    const notice = accepted(decideStep(decider, state, {
      command: {
        _tag: "ServeNoticeOfViolation",
        caseId: motelCase,
        violations: ["SCC 8.08.060"],
        service: service("notice-of-violation", at("2026-03-30T17:00:00Z")),
        comment: "escalation"
      },
      actor: ceo,
      now: at("2026-03-30T18:00:00Z")
    }))
    assert.deepStrictEqual(stageChanges(notice), ["owner-engagement-failed -> notice-of-violation-served"])
  })

  it("given a plan, when an extension is granted, then the plan's term moves", () => {
    const events = accepted(given(motel).when({
      _tag: "GrantExtension",
      caseId: motelCase,
      period: { amount: 14, unit: "calendar-days" },
      reason: "new manager starts next week"
    }, ceo, at("2026-03-20T17:00:00Z")))
    assert.strictEqual(ofTag(events, "ExtensionGranted")[0]!.purpose, "abatement-plan")
    assert.strictEqual(iso(ofTag(events, "ExtensionGranted")[0]!.newDue), "2026-04-09T06:59:59.999Z")
  })
})

describe("evidence, comments and late compliance", () => {
  it("given any open case, when the sergeant attaches police evidence, then it is on the case without a stage change", () => {
    const events = accepted(given(upTo(story, "citation")).when({
      _tag: "AttachPoliceEvidence",
      caseId,
      reportNumber: "26-004512",
      description: "narcotics arrest in unit 3"
    }, sergeant, at("2026-03-26T00:00:00Z")))
    assert.deepStrictEqual(events.map((e) => e._tag), ["PoliceEvidenceAttached"])
    assert.deepInclude(events[0] as object, { by: "Staff:sgt-3", reportNumber: "26-004512" })
  })

  it("given any open case, when a team member comments, then the comment is kept with the stage it was made in", () => {
    const events = accepted(given(upTo(story, "notice-of-violation")).when({ _tag: "CommentOnCase", caseId, comment: "owner called" }, attorney, at("2026-03-06T00:00:00Z")))
    assert.deepInclude(events[0] as object, { _tag: "CaseCommented", stage: "notice-of-violation-served", comment: "owner called", by: "Staff:atty-3" })
  })

  it("given a cited case, when a reinspection still finds the violation, then it is on record and the stage stays", () => {
    const events = accepted(given(upTo(story, "citation")).when({
      _tag: "RecordReinspection",
      caseId,
      inspectedAt: at("2026-03-25T17:00:00Z"),
      compliant: false,
      comment: "still there"
    }))
    assert.deepStrictEqual(events.map((e) => e._tag), ["InspectionRecorded", "CaseCommented"])
  })

  it("given an abatement order, when a reinspection finds compliance, then the case closes and the open court appeal window is cancelled", () => {
    const events = accepted(given(upTo(story, "abatement-order")).when({
      _tag: "RecordReinspection",
      caseId,
      inspectedAt: at("2026-04-15T17:00:00Z"),
      compliant: true,
      comment: "owner cleaned up"
    }))
    assert.deepStrictEqual(events.map((e) => e._tag), ["InspectionRecorded", "DeadlineClosed", "CaseStageChanged", "CaseClosed"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "court-appeal", outcome: "cancelled" })
  })
})

describe("the whole storyline", () => {
  it("walks every stage of the code enforcement path, each move an edge of the stage graph, each with its comment", () => {
    const { state, events } = replay(decider, story)
    const moves = ofTag(events, "CaseStageChanged")
    const visited: ReadonlyArray<CaseStage> = moves.map((m) => m.to)
    assert.deepStrictEqual(visited, [
      "intake",
      "triaged",
      "violation-found",
      "notice-of-violation-served",
      "reinspection-failed",
      "public-nuisance-declared",
      "cited",
      "hearing-scheduled",
      "hearing-decided",
      "abatement-ordered",
      "city-abated",
      "costs-invoiced",
      "lien-noticed",
      "lien-recorded",
      "civil-action",
      "closed"
    ])
    for (const move of moves) {
      if (move.from !== null) assert.include(stageGraph[move.from], move.to)
      assert.isAbove(move.comment.length, 0)
    }
    const final = opened(state)
    assert.strictEqual(final.stage, "closed")
    assert.deepStrictEqual(final.documents.map((d) => d.kind), [
      "notice-of-violation",
      "notice-of-public-nuisance",
      "administrative-citation",
      "hearing-notice",
      "hearing-decision",
      "abatement-order",
      "cost-invoice",
      "lien-notice"
    ])
    assert.deepStrictEqual(final.liens.map((l) => l.amountInDollars), [2450])
    assert.deepStrictEqual(final.stageHistory.map((v) => v.stage), visited)
    assert.isTrue(final.stageHistory.slice(0, -1).every((visit) => visit.leftAt !== undefined))
    assert.isTrue(final.deadlines.every((deadline) => deadline.status !== "open"))
    // Every event names the case's district and category, for read models.
    for (const event of events) assert.deepInclude(event as object, { caseId, councilDistrict: "3", category: "blight" })
  })

  it("decides the same way twice: the decider is pure", () => {
    const steps = story.slice(0, 8)
    const first = replay(decider, steps)
    const second = replay(decider, steps)
    assert.deepStrictEqual(second.events, first.events)
    assert.isTrue(Result.isSuccess(decideStep(decider, first.state, story[8]!)))
  })

  it("the opening of an analytics case keeps the evidence for the team", () => {
    const { state } = replay(decider, motel)
    const source = opened(state).source
    assert.strictEqual(source._tag, "AnalyticsFinding")
    if (source._tag === "AnalyticsFinding") assert.deepStrictEqual(source.evidence, evidenceFor(motelAddress))
    assert.strictEqual(opened(state).stage, "abatement-plan-agreed")
    assert.strictEqual(analytics._tag, "System")
  })
})
