/**
 * Due process in the nuisance case, with the Sacramento preset (issue 10,
 * item 7): the owner's hearing request and its deadline, the minimum notice
 * of a hearing, an impartial hearing officer with findings, the service of
 * the decision that starts the court appeal, an abatement order after the
 * opportunity for a hearing without a citation first, and summary
 * abatement of an imminent hazard with notice after the fact.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Actor, type Role, sacramento } from "@community-policing/core"
import {
  nuisanceCaseDecider,
  type NuisanceCaseCommand,
  type NuisanceCaseEvent,
  type NuisanceCaseRefusal,
  stageGraph
} from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  attorney,
  caseId,
  ceo,
  clerk,
  excessiveCallsStoryline,
  expectTag,
  givenStep,
  hoursAfter,
  iso,
  ofTag,
  opened,
  refusal,
  sergeant,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"
import { deciderSpec } from "@community-policing/testkit"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()

const spec = deciderSpec(decider)
const given = (steps: ReadonlyArray<Step>) => {
  const history = spec.givenCommands(steps.map(givenStep))
  return {
    state: history.state,
    when: (command: NuisanceCaseCommand, actor: Actor = ceo, now = hoursAfter(opened(history.state).stageSince, 24 * 60)) =>
      history.when(command, { now, actor }).result
  }
}

const stageChanges = (events: ReadonlyArray<NuisanceCaseEvent>) =>
  ofTag(events, "CaseStageChanged").map((event) => `${event.from ?? "none"} -> ${event.to}`)

const request = (requestedAt: string): NuisanceCaseCommand => ({
  _tag: "RequestHearing",
  caseId,
  requestedAt: at(requestedAt),
  contests: "the notice of public nuisance",
  comment: "owner's letter asking for a hearing"
})

const independentOfficer = { id: "aho-7", name: "Administrative hearing officer (contract)", roles: [] }

const decision = (hearingOfficer: { readonly id: string; readonly name?: string; readonly roles: ReadonlyArray<Role> }): NuisanceCaseCommand => ({
  _tag: "RecordHearingDecision",
  caseId,
  decidedAt: at("2026-04-08T20:00:00Z"),
  outcome: "upheld",
  hearingOfficer: { ...hearingOfficer, roles: [...hearingOfficer.roles] },
  findings: ["debris and broken windows remain at the property"],
  comment: "hearing officer upheld the nuisance"
})

describe("the owner's hearing request and its deadline", () => {
  it("the notice of public nuisance starts the hearing-request deadline of periods.hearingRequest", () => {
    const events = accepted(given(upTo(story, "reinspection-failed")).when(story.find((s) => s.name === "public-nuisance")!.command))
    const deadline = ofTag(events, "DeadlineSet").find((e) => e.deadline.purpose === "hearing-request")
    assert.isDefined(deadline)
    assert.match(deadline!.deadline.rule, /periods\.hearingRequest/)
    // Served March 23; 15 calendar days; the end of April 7 in Sacramento.
    assert.strictEqual(iso(deadline!.deadline.due), "2026-04-08T06:59:59.999Z")
  })

  it("a citation restarts the window: the owner may contest it too", () => {
    const events = accepted(given(upTo(story, "public-nuisance")).when(story.find((s) => s.name === "citation")!.command))
    const deadline = ofTag(events, "DeadlineSet").find((e) => e.deadline.purpose === "hearing-request")
    assert.strictEqual(iso(deadline!.deadline.due), "2026-04-09T06:59:59.999Z")
  })

  it("a request within the deadline is recorded and satisfies it", () => {
    const events = accepted(given(upTo(story, "public-nuisance")).when(request("2026-03-30T17:00:00Z"), clerk, at("2026-03-30T18:00:00Z")))
    assert.deepStrictEqual(events.map((e) => e._tag), ["HearingRequested", "DeadlineClosed", "CaseCommented"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "hearing-request", outcome: "satisfied" })
    assert.strictEqual(ofTag(events, "HearingRequested")[0]!.contests, "the notice of public nuisance")
  })

  it("a late request is refused with the rule and the deadline", () => {
    const error = expectTag(refusal(given(upTo(story, "public-nuisance")).when(request("2026-04-10T17:00:00Z"), clerk, at("2026-04-10T18:00:00Z"))), "TooLate")
    assert.strictEqual(error.rule, "hearing-request-window")
    assert.strictEqual(error.waitsFor, "hearing-request")
    assert.match(error.setBy, /periods\.hearingRequest/)
  })
})

describe("a minimum notice of the hearing date", () => {
  const notice = (hearingAt: string): NuisanceCaseCommand => ({
    _tag: "ServeHearingNotice",
    caseId,
    hearingAt: at(hearingAt),
    service: service("hearing-notice", at("2026-03-25T17:00:00Z")),
    comment: "hearing set"
  })

  it("a hearing set sooner than periods.hearingNotice after service is refused, naming the setting", () => {
    const error = expectTag(refusal(given(upTo(story, "citation")).when(notice("2026-03-30T17:00:00Z"), ceo, at("2026-03-25T18:00:00Z"))), "HearingNoticeTooShort")
    assert.strictEqual(error.rule, "minimum-hearing-notice")
    assert.strictEqual(error.setting, "programs.justiceForNeighbors.periods.hearingNotice")
    assert.strictEqual(iso(error.earliest), "2026-04-04T07:00:00.000Z")
  })

  it("a hearing on the last day of the notice period is accepted", () => {
    accepted(given(upTo(story, "citation")).when(notice("2026-04-04T16:00:00Z"), ceo, at("2026-03-25T18:00:00Z")))
  })

  it("a hearing may be set on the notice of public nuisance, without a citation", () => {
    const events = accepted(given(upTo(story, "public-nuisance")).when(notice("2026-04-08T17:00:00Z"), ceo, at("2026-03-25T18:00:00Z")))
    assert.deepStrictEqual(stageChanges(events), ["public-nuisance-declared -> hearing-scheduled"])
    // The city set the hearing itself: the time to ask for one is moot.
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "hearing-request", outcome: "cancelled" })
  })
})

describe("an impartial hearing officer, with findings", () => {
  const atHearing = () => given(upTo(story, "hearing-notice"))

  it("an independent officer's decision records who decided and the findings", () => {
    const events = accepted(atHearing().when(decision(independentOfficer), clerk, at("2026-04-08T21:00:00Z")))
    const decided = ofTag(events, "HearingDecided")[0]!
    assert.deepStrictEqual(decided.hearingOfficer, { id: "aho-7", name: "Administrative hearing officer (contract)", roles: [] })
    assert.deepStrictEqual(decided.findings, ["debris and broken windows remain at the property"])
  })

  it("an officer who took a step on the case is refused", () => {
    const error = expectTag(refusal(atHearing().when(decision({ id: ceo.id, roles: [] }), clerk, at("2026-04-08T21:00:00Z"))), "HearingOfficerNotImpartial")
    assert.strictEqual(error.rule, "impartial-hearing-officer")
    assert.strictEqual(error.reason, "took-part-in-case")
    assert.match(error.source, /11425\.30/)
  })

  it("an officer holding a seat of the district team (the city attorney, an advocate) is refused, naming the setting", () => {
    const error = expectTag(refusal(atHearing().when(decision({ id: "atty-9", roles: ["city-attorney"] }), clerk, at("2026-04-08T21:00:00Z"))), "HearingOfficerNotImpartial")
    assert.strictEqual(error.reason, "holds-team-seat")
    assert.deepStrictEqual(error.teamRoles, ["city-attorney"])
    assert.strictEqual(error.setting, "programs.justiceForNeighbors.teamSeats")
  })

  it("the actor recording the decision as its own officer is judged by the roles the identity system gives it", () => {
    const error = expectTag(refusal(atHearing().when(decision({ id: attorney.id, roles: [] }), attorney, at("2026-04-08T21:00:00Z"))), "HearingOfficerNotImpartial")
    assert.strictEqual(error.reason, "holds-team-seat")
  })

  it("a decision without findings or an officer is malformed", () => {
    const { hearingOfficer: _officer, ...withoutOfficer } = decision(independentOfficer) as Extract<NuisanceCaseCommand, { _tag: "RecordHearingDecision" }>
    expectTag(refusal(atHearing().when(withoutOfficer as NuisanceCaseCommand, clerk, at("2026-04-08T21:00:00Z"))), "InvalidCaseCommand")
    expectTag(refusal(atHearing().when({ ...decision(independentOfficer), findings: [] } as unknown as NuisanceCaseCommand, clerk, at("2026-04-08T21:00:00Z"))), "InvalidCaseCommand")
  })
})

describe("the decision is served, and its service starts the court appeal", () => {
  const served: NuisanceCaseCommand = {
    _tag: "ServeHearingDecision",
    caseId,
    service: service("hearing-decision", at("2026-04-09T17:00:00Z"), "personal-delivery"),
    comment: "decision served"
  }
  const order = (servedAt: string): NuisanceCaseCommand => ({
    _tag: "ServeAbatementOrder",
    caseId,
    service: service("abatement-order", at(servedAt), "personal-delivery"),
    comment: "order served"
  })

  it("serving the decision sets the 20-day court appeal of Gov. Code 53069.4(b)(1), ending on a court day", () => {
    const events = accepted(given(upTo(story, "hearing-decision")).when(served, ceo, at("2026-04-09T18:00:00Z")))
    assert.strictEqual(ofTag(events, "DocumentServed")[0]!.document.kind, "hearing-decision")
    const [deadline] = ofTag(events, "DeadlineSet")
    assert.strictEqual(deadline!.deadline.purpose, "court-appeal")
    assert.match(deadline!.deadline.rule, /hearing decision/)
    assert.match(deadline!.deadline.rule, /53069\.4\(b\)\(1\)/)
    assert.strictEqual(iso(deadline!.deadline.due), "2026-04-30T06:59:59.999Z")
    assert.deepStrictEqual(stageChanges(events), [])
  })

  it("no abatement order follows a hearing before its decision is served", () => {
    const error = expectTag(refusal(given(upTo(story, "hearing-decision")).when(order("2026-04-09T17:00:00Z"), ceo, at("2026-04-09T18:00:00Z"))), "DueProcessRefused")
    assert.strictEqual(error.rule, "decision-served-before-abatement-order")
  })

  it("the abatement order that carries out a served decision keeps the decision's appeal window", () => {
    const events = accepted(given(upTo(story, "hearing-decision-served")).when(order("2026-04-10T17:00:00Z"), ceo, at("2026-04-10T18:00:00Z")))
    assert.deepStrictEqual(ofTag(events, "DeadlineSet"), [])
    assert.deepStrictEqual(stageChanges(events), ["hearing-decided -> abatement-ordered"])
  })

  it("the owner may appeal the served decision to court before the order is served", () => {
    const events = accepted(given(upTo(story, "hearing-decision-served")).when({
      _tag: "RecordCourtAppeal",
      caseId,
      filedAt: at("2026-04-20T17:00:00Z"),
      courtCaseNumber: "34-2026-80001234",
      comment: "writ filed"
    }, clerk, at("2026-04-20T18:00:00Z")))
    assert.deepStrictEqual(stageChanges(events), ["hearing-decided -> court-appeal"])
  })
})

describe("the city abates only under a served abatement order", () => {
  const appealed: ReadonlyArray<Step> = [
    ...upTo(story, "hearing-decision-served"),
    {
      name: "appeal",
      command: { _tag: "RecordCourtAppeal", caseId, filedAt: at("2026-04-20T17:00:00Z"), courtCaseNumber: "34-2026-80001234", comment: "writ filed" },
      actor: clerk,
      now: at("2026-04-20T18:00:00Z")
    },
    {
      name: "upheld",
      command: { _tag: "RecordCourtDecision", caseId, decidedAt: at("2026-05-20T17:00:00Z"), outcome: "upheld", comment: "petition denied" },
      actor: clerk,
      now: at("2026-05-20T18:00:00Z")
    }
  ]
  const abate: NuisanceCaseCommand = {
    _tag: "RecordCityAbatement",
    caseId,
    completedAt: at("2026-05-25T17:00:00Z"),
    work: "debris removed",
    costInDollars: 900,
    comment: "contractor finished"
  }

  it("a decision upheld in court is carried out by an order first, which starts no new window", () => {
    const error = expectTag(refusal(given(appealed).when(abate, ceo, at("2026-05-25T18:00:00Z"))), "DueProcessRefused")
    assert.strictEqual(error.rule, "abatement-order-before-city-abatement")
    const order: Step = {
      name: "order",
      command: { _tag: "ServeAbatementOrder", caseId, service: service("abatement-order", at("2026-05-21T17:00:00Z"), "personal-delivery"), comment: "order served" },
      actor: ceo,
      now: at("2026-05-21T18:00:00Z")
    }
    const ordered = accepted(given(appealed).when(order.command, ceo, order.now))
    assert.deepStrictEqual(stageChanges(ordered), ["order-upheld -> abatement-ordered"])
    assert.deepStrictEqual(ofTag(ordered, "DeadlineSet"), [])
    // The court decided: the city need not wait for any window.
    const abated = accepted(given([...appealed, order]).when(abate, ceo, at("2026-05-25T18:00:00Z")))
    assert.deepStrictEqual(stageChanges(abated), ["abatement-ordered -> city-abated"])
  })
})

describe("an abatement order after the notice and the opportunity for a hearing, without a citation", () => {
  const order = (servedAt: string): NuisanceCaseCommand => ({
    _tag: "ServeAbatementOrder",
    caseId,
    service: service("abatement-order", at(servedAt), "personal-delivery"),
    comment: "no hearing requested; order served"
  })
  const declared = upTo(story, "public-nuisance")

  it("once the hearing-request deadline passed with no request, the order is served and its service starts the court appeal", () => {
    const events = accepted(given(declared).when(order("2026-04-09T17:00:00Z"), ceo, at("2026-04-09T18:00:00Z")))
    assert.deepStrictEqual(stageChanges(events), ["public-nuisance-declared -> abatement-ordered"])
    const purposes = ofTag(events, "DeadlineSet").map((e) => e.deadline.purpose)
    assert.deepStrictEqual(purposes, ["court-appeal"])
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "hearing-request", outcome: "expired" })
    assert.include(stageGraph["public-nuisance-declared"], "abatement-ordered")
  })

  it("not while the owner may still request a hearing", () => {
    const error = expectTag(refusal(given(declared).when(order("2026-04-01T17:00:00Z"), ceo, at("2026-04-01T18:00:00Z"))), "TooEarly")
    assert.strictEqual(error.rule, "no-abatement-order-before-hearing-request-deadline")
    assert.strictEqual(error.waitsFor, "hearing-request")
  })

  it("not when the owner asked for a hearing that was not held", () => {
    const requested = [...declared, {
      name: "request",
      command: request("2026-03-30T17:00:00Z"),
      actor: clerk,
      now: at("2026-03-30T18:00:00Z")
    }]
    const error = expectTag(refusal(given(requested).when(order("2026-04-09T17:00:00Z"), ceo, at("2026-04-09T18:00:00Z"))), "DueProcessRefused")
    assert.strictEqual(error.rule, "requested-hearing-before-abatement-order")
  })
})

describe("summary abatement of an imminent hazard, with notice after the fact", () => {
  const abated = (actor: Actor = ceo): Step => ({
    name: "summary-abatement",
    command: {
      _tag: "RecordSummaryAbatement",
      caseId,
      completedAt: at("2026-03-04T17:00:00Z"),
      reason: "open, unguarded pool next to a school route",
      work: "pool drained and fenced",
      costInDollars: 1800,
      comment: "imminent hazard abated the day it was found"
    },
    actor,
    now: at("2026-03-04T18:00:00Z")
  })
  const found = upTo(story, "inspection")
  const postNotice: Step = {
    name: "post-abatement-notice",
    command: {
      _tag: "ServePostAbatementNotice",
      caseId,
      service: service("post-abatement-notice", at("2026-03-06T17:00:00Z")),
      comment: "notice of the summary abatement mailed"
    },
    actor: ceo,
    now: at("2026-03-06T18:00:00Z")
  }
  const invoice: NuisanceCaseCommand = {
    _tag: "InvoiceCosts",
    caseId,
    amountInDollars: 1800,
    service: service("cost-invoice", at("2026-03-09T17:00:00Z")),
    comment: "invoice"
  }

  it("a role holding the summary-abatement duty records it with its reason and cost; the notice after the fact is due", () => {
    const events = accepted(given(found).when(abated().command, ceo, abated().now))
    assert.deepStrictEqual(stageChanges(events), ["violation-found -> city-abated"])
    assert.strictEqual(ofTag(events, "SummaryAbatementRecorded")[0]!.reason, "open, unguarded pool next to a school route")
    assert.strictEqual(ofTag(events, "CityAbatementRecorded")[0]!.costInDollars, 1800)
    const deadline = ofTag(events, "DeadlineSet").find((e) => e.deadline.purpose === "post-abatement-notice")
    assert.match(deadline!.deadline.rule, /periods\.postAbatementNotice/)
  })

  it("a role without the duty is refused", () => {
    const error = expectTag(refusal(given(found).when(abated(sergeant).command, sergeant, abated().now)), "DutyNotHeld")
    assert.strictEqual(error.duty, "summary-abatement")
  })

  it("no invoice before the notice after the fact; then the costs are invoiced", () => {
    const error = expectTag(refusal(given([...found, abated()]).when(invoice, ceo, at("2026-03-09T18:00:00Z"))), "DueProcessRefused")
    assert.strictEqual(error.rule, "notice-after-summary-abatement-before-invoice")
    const noticed = accepted(given([...found, abated()]).when(postNotice.command, ceo, postNotice.now))
    assert.strictEqual(ofTag(noticed, "DocumentServed")[0]!.document.kind, "post-abatement-notice")
    assert.deepInclude(ofTag(noticed, "DeadlineClosed")[0] as object, { purpose: "post-abatement-notice", outcome: "satisfied" })
    accepted(given([...found, abated(), postNotice]).when(invoice, ceo, at("2026-03-09T18:00:00Z")))
  })

  it("a late notice after the fact is still served, and the missed deadline stays on record", () => {
    const late = accepted(given([...found, abated()]).when({
      _tag: "ServePostAbatementNotice",
      caseId,
      service: service("post-abatement-notice", at("2026-03-20T17:00:00Z")),
      comment: "notice mailed late"
    }, ceo, at("2026-03-20T18:00:00Z")))
    assert.deepInclude(ofTag(late, "DeadlineClosed")[0] as object, { purpose: "post-abatement-notice", outcome: "expired" })
  })

  it("not on the owner-engagement path", () => {
    const motel = excessiveCallsStoryline()
    const error = expectTag(refusal(given(upTo(motel, "triage")).when({ ...abated().command, caseId: "2026-000200" }, ceo, abated().now)), "WrongCaseStage")
    assert.strictEqual(error.rule, "case-variant")
  })

  it("the notice after the fact follows only a summary abatement", () => {
    const error = expectTag(refusal(given(upTo(story, "city-abatement")).when(postNotice.command, ceo, at("2026-05-05T18:00:00Z"))), "DueProcessRefused")
    assert.strictEqual(error.rule, "post-abatement-notice-after-summary-abatement")
  })
})
