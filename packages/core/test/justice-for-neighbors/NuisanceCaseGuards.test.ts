/**
 * Every guard of the nuisance case, with the Sacramento preset: by role
 * (the duty each command needs), by district, by kind of actor, by stage, on
 * a closed case, by time, and the rules on intake, amounts and input. Each
 * refusal names its rule and carries what the caller needs.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { type Actor, Role, sacramento } from "@community-policing/core"
import {
  ChronicCallerEvidence,
  decodeNuisanceCaseCommand,
  nuisanceCaseCommandDuty,
  nuisanceCaseCommandStages,
  nuisanceCaseDecider,
  type NuisanceCaseCommand,
  type NuisanceCaseCommandName,
  type NuisanceCaseRefusal
} from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  analytics,
  at,
  attorney,
  caseId,
  ceo,
  ceoOfDistrict5,
  citywideCeo,
  clerk,
  decideStep,
  evidenceFor,
  excessiveCallsStoryline,
  expectTag,
  hearingOfficer,
  hoursAfter,
  iso,
  motelAddress,
  refusal,
  replay,
  resident,
  sergeant,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()
const motel = excessiveCallsStoryline()
const motelCase = "2026-000200"
const duties = sacramento.programs.justiceForNeighbors.caseDuties

const everyRole = (districts: ReadonlyArray<string>): Actor => ({ _tag: "Staff", id: "all-roles", roles: [...Role.literals], districts: [...districts] })
const allRolesHere = everyRole(["3"])

const byName = (steps: ReadonlyArray<Step>, name: string): Step => steps.find((s) => s.name === name)!
const appeal: Step = {
  name: "court-appeal",
  command: { _tag: "RecordCourtAppeal", caseId, filedAt: at("2026-04-20T17:00:00Z"), courtCaseNumber: "34-2026-80001234", comment: "writ filed" },
  actor: clerk,
  now: at("2026-04-20T18:00:00Z")
}

const summaryAbatement: Step = {
  name: "summary-abatement",
  command: {
    _tag: "RecordSummaryAbatement",
    caseId,
    completedAt: at("2026-03-04T17:00:00Z"),
    reason: "collapsing porch over the sidewalk",
    work: "porch shored and sidewalk closed",
    costInDollars: 1200,
    comment: "imminent hazard"
  },
  actor: ceo,
  now: at("2026-03-04T18:00:00Z")
}

/**
 * For every command: the steps that make it acceptable, and the command with
 * an actor who may give it. The guards below each break one thing.
 */
const ready: { readonly [K in NuisanceCaseCommandName]: { readonly given: ReadonlyArray<Step>; readonly step: Step } } = {
  OpenCase: { given: [], step: story[0]! },
  TriageCase: { given: upTo(story, "open"), step: byName(story, "triage") },
  RecordInspection: { given: upTo(story, "triage"), step: byName(story, "inspection") },
  ServeOwnerLetter: { given: upTo(motel, "triage"), step: byName(motel, "owner-letter") },
  RecordOwnerMeeting: { given: upTo(motel, "owner-letter"), step: byName(motel, "owner-meeting") },
  AgreeAbatementPlan: { given: upTo(motel, "owner-meeting"), step: byName(motel, "abatement-plan") },
  ReviewAbatementPlan: {
    given: motel,
    step: {
      name: "review",
      command: { _tag: "ReviewAbatementPlan", caseId: motelCase, reviewedAt: at("2026-03-27T17:00:00Z"), kept: true, comment: "kept" },
      actor: sergeant,
      now: at("2026-03-27T18:00:00Z")
    }
  },
  ServeNoticeOfViolation: { given: upTo(story, "inspection"), step: byName(story, "notice-of-violation") },
  GrantExtension: {
    given: upTo(story, "notice-of-violation"),
    step: {
      name: "extension",
      command: { _tag: "GrantExtension", caseId, period: { amount: 7, unit: "calendar-days" }, reason: "materials on order" },
      actor: ceo,
      now: at("2026-03-10T17:00:00Z")
    }
  },
  RecordReinspection: { given: upTo(story, "notice-of-violation"), step: byName(story, "reinspection-failed") },
  ServeNoticeOfPublicNuisance: { given: upTo(story, "reinspection-failed"), step: byName(story, "public-nuisance") },
  IssueCitation: { given: upTo(story, "public-nuisance"), step: byName(story, "citation") },
  RequestHearing: {
    given: upTo(story, "citation"),
    step: {
      name: "hearing request",
      command: { _tag: "RequestHearing", caseId, requestedAt: at("2026-03-30T17:00:00Z"), contests: "citation AC-1001", comment: "owner's letter" },
      actor: clerk,
      now: at("2026-03-30T18:00:00Z")
    }
  },
  ServeHearingNotice: { given: upTo(story, "citation"), step: byName(story, "hearing-notice") },
  RecordHearingDecision: { given: upTo(story, "hearing-notice"), step: byName(story, "hearing-decision") },
  ServeHearingDecision: { given: upTo(story, "hearing-decision"), step: byName(story, "hearing-decision-served") },
  ServeAbatementOrder: { given: upTo(story, "hearing-decision-served"), step: byName(story, "abatement-order") },
  RecordCourtAppeal: { given: upTo(story, "abatement-order"), step: appeal },
  RecordCourtDecision: {
    given: [...upTo(story, "abatement-order"), appeal],
    step: {
      name: "court decision",
      command: { _tag: "RecordCourtDecision", caseId, decidedAt: at("2026-05-20T17:00:00Z"), outcome: "upheld", comment: "denied" },
      actor: clerk,
      now: at("2026-05-20T18:00:00Z")
    }
  },
  RecordCityAbatement: { given: upTo(story, "abatement-order"), step: byName(story, "city-abatement") },
  RecordSummaryAbatement: { given: upTo(story, "inspection"), step: summaryAbatement },
  ServePostAbatementNotice: {
    given: [...upTo(story, "inspection"), summaryAbatement],
    step: {
      name: "post-abatement notice",
      command: { _tag: "ServePostAbatementNotice", caseId, service: service("post-abatement-notice", at("2026-03-05T17:00:00Z")), comment: "notice after the fact" },
      actor: ceo,
      now: at("2026-03-05T18:00:00Z")
    }
  },
  InvoiceCosts: { given: upTo(story, "city-abatement"), step: byName(story, "invoice") },
  RecordPayment: {
    given: upTo(story, "invoice"),
    step: {
      name: "payment",
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-05-10T17:00:00Z"), amountInDollars: 100, toward: { _tag: "AbatementCosts" } },
      actor: clerk,
      now: at("2026-05-10T18:00:00Z")
    }
  },
  ServeLienNotice: { given: upTo(story, "invoice"), step: byName(story, "lien-notice") },
  RecordLien: { given: upTo(story, "lien-notice"), step: byName(story, "lien") },
  ServeSpecialAssessmentNotice: {
    given: upTo(story, "invoice"),
    step: {
      name: "special assessment notice",
      command: {
        _tag: "ServeSpecialAssessmentNotice",
        caseId,
        hearingAt: at("2026-06-30T01:00:00Z"),
        service: service("special-assessment-notice", at("2026-06-08T17:00:00Z")),
        comment: "council hearing noticed"
      },
      actor: ceo,
      now: at("2026-06-08T18:00:00Z")
    }
  },
  RecordSpecialAssessment: {
    given: [...upTo(story, "invoice"), {
      name: "special assessment notice",
      command: {
        _tag: "ServeSpecialAssessmentNotice",
        caseId,
        hearingAt: at("2026-06-30T01:00:00Z"),
        service: service("special-assessment-notice", at("2026-06-08T17:00:00Z")),
        comment: "council hearing noticed"
      },
      actor: ceo,
      now: at("2026-06-08T18:00:00Z")
    }],
    step: {
      name: "special assessment",
      command: { _tag: "RecordSpecialAssessment", caseId, confirmedAt: at("2026-06-30T03:00:00Z"), comment: "confirmed by resolution" },
      actor: clerk,
      now: at("2026-06-30T04:00:00Z")
    }
  },
  FileCivilAction: { given: upTo(story, "lien"), step: byName(story, "civil-action") },
  ConcludeCivilAction: { given: upTo(story, "civil-action"), step: byName(story, "civil-action-concluded") },
  CloseCase: { given: upTo(story, "civil-action-concluded"), step: byName(story, "closed") },
  AttachPoliceEvidence: {
    given: upTo(story, "open"),
    step: {
      name: "evidence",
      command: { _tag: "AttachPoliceEvidence", caseId, description: "three drug arrests since January" },
      actor: sergeant,
      now: at("2026-03-02T19:00:00Z")
    }
  },
  CommentOnCase: {
    given: upTo(story, "open"),
    step: { name: "comment", command: { _tag: "CommentOnCase", caseId, comment: "owner is out of state" }, actor: attorney, now: at("2026-03-02T19:00:00Z") }
  }
}
const names = Object.keys(ready) as ReadonlyArray<NuisanceCaseCommandName>
const workflowNames = names.filter((name): name is Exclude<NuisanceCaseCommandName, "OpenCase"> => name !== "OpenCase")

const attempt = (name: NuisanceCaseCommandName, change: Partial<Pick<Step, "actor" | "command" | "now">> = {}) => {
  const { given, step } = ready[name]
  const { state } = replay(decider, given)
  return decideStep(decider, state, { ...step, ...change })
}

describe("every command has a ready case (so each refusal below is the guard's doing)", () => {
  for (const name of names) {
    it(`${name} is accepted from its ready case by its actor`, () => {
      assert.isAbove(accepted(attempt(name)).length, 0)
    })
  }
})

describe("guard by role: each command needs its duty, granted to roles by caseDuties", () => {
  const noDuty: Actor = { _tag: "Staff", id: "analyst-3", roles: ["analyst"], districts: ["3"] }
  for (const name of names) {
    it(`${name} needs the ${nuisanceCaseCommandDuty[name]} duty`, () => {
      const error = expectTag(refusal(attempt(name, { actor: noDuty })), "DutyNotHeld")
      assert.strictEqual(error.rule, "role-by-duty")
      assert.strictEqual(error.duty, nuisanceCaseCommandDuty[name])
      assert.deepStrictEqual(error.requiredRoles, duties[nuisanceCaseCommandDuty[name]])
      assert.strictEqual(error.setting, `programs.justiceForNeighbors.caseDuties.${nuisanceCaseCommandDuty[name]}`)
      assert.deepStrictEqual(error.actorRoles, ["analyst"])
    })
  }

  it("only the code enforcement officer inspects and serves notices", () => {
    for (const name of ["RecordInspection", "RecordReinspection", "ServeNoticeOfViolation", "ServeNoticeOfPublicNuisance", "ServeAbatementOrder", "IssueCitation"] as const) {
      for (const actor of [sergeant, attorney, clerk]) {
        const error = expectTag(refusal(attempt(name, { actor })), "DutyNotHeld")
        assert.deepStrictEqual(error.requiredRoles, ["code-enforcement-officer"])
      }
    }
  })

  it("only the city attorney files civil action", () => {
    for (const actor of [ceo, sergeant, clerk]) {
      const error = expectTag(refusal(attempt("FileCivilAction", { actor })), "DutyNotHeld")
      assert.deepStrictEqual(error.requiredRoles, ["city-attorney"])
    }
  })

  it("the sergeant attaches police evidence; the code enforcement officer may not", () => {
    assert.isTrue(Result.isSuccess(attempt("AttachPoliceEvidence", { actor: sergeant })))
    const error = expectTag(refusal(attempt("AttachPoliceEvidence", { actor: ceo })), "DutyNotHeld")
    assert.deepStrictEqual(error.requiredRoles, ["sergeant"])
  })
})

describe("guard by district: staff act only in the council districts they serve", () => {
  for (const name of names) {
    it(`${name} by staff of another district is refused; by citywide staff accepted`, () => {
      const error = expectTag(refusal(attempt(name, { actor: everyRole(["5"]) })), "OutsideCaseDistrict")
      assert.strictEqual(error.rule, "own-district")
      assert.strictEqual(error.councilDistrict, "3")
      assert.deepStrictEqual(error.actorDistricts, ["5"])
      assert.isTrue(Result.isSuccess(attempt(name, { actor: everyRole([]) })))
    })
  }

  it("the district 5 officer cannot inspect a district 3 case, a citywide officer can", () => {
    assert.strictEqual(refusal(attempt("RecordInspection", { actor: ceoOfDistrict5 }))._tag, "OutsideCaseDistrict")
    assert.isTrue(Result.isSuccess(attempt("RecordInspection", { actor: citywideCeo })))
  })
})

describe("guard by kind of actor", () => {
  for (const name of workflowNames) {
    it(`${name} is for staff only`, () => {
      for (const actor of [resident, analytics]) {
        const error = expectTag(refusal(attempt(name, { actor })), "ActorKindNotAllowed")
        assert.strictEqual(error.rule, "staff-only")
        assert.strictEqual(error.actorKind, actor._tag)
      }
    })
  }

  it("a resident may open a case from a complaint, not from a police referral or an analytics finding", () => {
    const complaint = story[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
    assert.isTrue(Result.isSuccess(decideStep(decider, decider.initialState, { command: complaint, actor: resident, now: at("2026-03-02T18:00:00Z") })))
    for (const source of [{ _tag: "PoliceReferral" as const, basis: "observed-conditions" as const }, { _tag: "CodeEnforcementFinding" as const }]) {
      const error = expectTag(refusal(decideStep(decider, decider.initialState, { command: { ...complaint, source }, actor: resident, now: at("2026-03-02T18:00:00Z") })), "ActorKindNotAllowed")
      assert.strictEqual(error.rule, "source-by-actor-kind")
    }
  })

  it("the system may relay a 311 complaint or an analytics finding, not a police referral", () => {
    const complaint = story[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
    assert.isTrue(Result.isSuccess(decideStep(decider, decider.initialState, { command: complaint, actor: analytics, now: at("2026-03-02T18:00:00Z") })))
    const error = refusal(decideStep(decider, decider.initialState, {
      command: { ...complaint, source: { _tag: "PoliceReferral", basis: "observed-conditions", reportNumber: "26-1" } },
      actor: analytics,
      now: at("2026-03-02T18:00:00Z")
    }))
    assert.strictEqual(expectTag(error, "ActorKindNotAllowed").rule, "source-by-actor-kind")
  })
})

describe("guard by stage: no step skipped", () => {
  const atIntake = replay(decider, upTo(story, "open")).state
  const triaged = replay(decider, upTo(story, "triage")).state
  for (const name of workflowNames) {
    const allowed = nuisanceCaseCommandStages[name]
    const state = allowed.includes("intake") ? triaged : atIntake
    if (allowed.includes("intake") && allowed.includes("triaged")) continue
    it(`${name} is refused outside ${allowed.length > 5 ? "its stages" : allowed.join(", ")}`, () => {
      const { step } = ready[name]
      const error = expectTag(refusal(decideStep(decider, state, { ...step, actor: allRolesHere })), "WrongCaseStage")
      assert.strictEqual(error.rule, "stage-order")
      assert.strictEqual(error.stage, state._tag === "OpenedCase" ? state.stage : "intake")
      assert.deepStrictEqual(error.allowedStages, allowed)
    })
  }

  it("every command may be given to the stages its table lists only (payments, evidence and comments in any open stage)", () => {
    for (const name of ["RecordPayment", "AttachPoliceEvidence", "CommentOnCase"] as const) {
      assert.notInclude(nuisanceCaseCommandStages[name], "closed")
      assert.strictEqual(nuisanceCaseCommandStages[name].length, 23)
    }
  })

  it("a standard case is not sent an owner letter, an excessive-calls case is not inspected first", () => {
    const owner = expectTag(refusal(decideStep(decider, triaged, { ...ready.ServeOwnerLetter.step, command: { ...ready.ServeOwnerLetter.step.command, caseId } as NuisanceCaseCommand, actor: allRolesHere })), "WrongCaseStage")
    assert.strictEqual(owner.rule, "case-variant")
    const motelTriaged = replay(decider, upTo(motel, "triage")).state
    const inspection = expectTag(refusal(decideStep(decider, motelTriaged, {
      command: { _tag: "RecordInspection", caseId: motelCase, inspectedAt: at("2026-03-03T17:00:00Z"), violationFound: true, comment: "x" },
      actor: ceo,
      now: at("2026-03-03T18:00:00Z")
    })), "WrongCaseStage")
    assert.strictEqual(inspection.rule, "case-variant")
  })

  it("a closing reason is allowed only at its stage", () => {
    const error = expectTag(refusal(attempt("CloseCase", { command: { _tag: "CloseCase", caseId, reason: "lien-recorded", comment: "x" } })), "WrongCaseStage")
    assert.strictEqual(error.rule, "closure-by-stage")
    assert.deepStrictEqual(error.allowedStages, ["lien-recorded"])
    assert.strictEqual(error.stage, "civil-action")
  })

  it("a command for a case that does not exist is refused; a case opens once", () => {
    for (const name of workflowNames) {
      const error = expectTag(refusal(decideStep(decider, decider.initialState, { ...ready[name].step, actor: allRolesHere })), "CaseNotFound")
      assert.strictEqual(error.rule, "case-must-exist")
    }
    assert.strictEqual(expectTag(refusal(decideStep(decider, atIntake, story[0]!)), "CaseAlreadyOpen").stage, "intake")
  })
})

describe("a closed case accepts nothing", () => {
  const closings: ReadonlyArray<readonly [string, ReadonlyArray<Step>]> = [
    ["no-violation", [...upTo(story, "triage"), {
      name: "no violation",
      command: { _tag: "RecordInspection", caseId, inspectedAt: at("2026-03-03T18:00:00Z"), violationFound: false, comment: "clean" },
      actor: ceo,
      now: at("2026-03-03T19:00:00Z")
    }]],
    ["civil-action-concluded", story]
  ]
  for (const [why, steps] of closings) {
    it(`closed (${why}): every command is refused`, () => {
      const { state } = replay(decider, steps)
      for (const name of workflowNames) {
        const error = expectTag(refusal(decideStep(decider, state, { ...ready[name].step, actor: allRolesHere, now: at("2027-01-01T00:00:00Z") })), "ActionOnClosedCase")
        assert.strictEqual(error.rule, "closed-case-is-final")
        assert.strictEqual(error.caseId, caseId)
        assert.strictEqual(error.reason, why)
      }
      assert.strictEqual(refusal(decideStep(decider, state, story[0]!))._tag, "CaseAlreadyOpen")
    })
  }
})

describe("guard by time", () => {
  it("non-compliance cannot be found before the compliance deadline (so no escalation before it)", () => {
    const error = expectTag(refusal(attempt("RecordReinspection", {
      command: { _tag: "RecordReinspection", caseId, inspectedAt: at("2026-03-18T17:00:00Z"), compliant: false, comment: "not yet" },
      now: at("2026-03-18T18:00:00Z")
    })), "TooEarly")
    assert.strictEqual(error.rule, "non-compliance-after-compliance-deadline")
    assert.strictEqual(error.waitsFor, "compliance")
    assert.strictEqual(iso(error.due), "2026-03-19T06:59:59.999Z")
    assert.match(error.setBy, /periods\.compliance\.blight/)
    // One millisecond after the due instant is late enough.
    assert.isTrue(Result.isSuccess(attempt("RecordReinspection", {
      command: { _tag: "RecordReinspection", caseId, inspectedAt: at("2026-03-19T07:00:00Z"), compliant: false, comment: "not done" },
      now: at("2026-03-19T08:00:00Z")
    })))
  })

  it("an extension moves the deadline: non-compliance is then too early until the new date", () => {
    const { state } = replay(decider, [...upTo(story, "notice-of-violation"), ready.GrantExtension.step])
    const error = expectTag(refusal(decideStep(decider, state, story[4]!)), "TooEarly")
    assert.strictEqual(iso(error.due), "2026-03-26T06:59:59.999Z")
    assert.match(error.setBy, /extension/)
  })

  it("an abatement plan is not reviewed before its term is over", () => {
    const error = expectTag(refusal(attempt("ReviewAbatementPlan", {
      command: { _tag: "ReviewAbatementPlan", caseId: motelCase, reviewedAt: at("2026-03-20T17:00:00Z"), kept: false, comment: "too soon" },
      now: at("2026-03-20T18:00:00Z")
    })), "TooEarly")
    assert.strictEqual(error.rule, "no-plan-review-before-term")
    assert.strictEqual(error.waitsFor, "abatement-plan")
  })

  it("a hearing is not decided before it is held", () => {
    const error = expectTag(refusal(attempt("RecordHearingDecision", {
      command: {
        _tag: "RecordHearingDecision",
        caseId,
        decidedAt: at("2026-04-01T17:00:00Z"),
        outcome: "upheld",
        hearingOfficer,
        findings: ["decided too soon"],
        comment: "early"
      },
      now: at("2026-04-01T18:00:00Z")
    })), "TooEarly")
    assert.strictEqual(error.rule, "no-decision-before-hearing")
    assert.strictEqual(error.waitsFor, "hearing")
    assert.strictEqual(iso(error.due), "2026-04-08T17:00:00.000Z")
  })

  it("the city does not abate while the court appeal window runs", () => {
    const error = expectTag(refusal(attempt("RecordCityAbatement", {
      command: { _tag: "RecordCityAbatement", caseId, completedAt: at("2026-04-29T17:00:00Z"), work: "cleanup", costInDollars: 10, comment: "early" },
      now: at("2026-04-29T18:00:00Z")
    })), "TooEarly")
    assert.strictEqual(error.rule, "no-city-abatement-during-court-appeal-window")
    assert.match(error.setBy, /53069\.4/)
  })

  it("no lien, and no civil action from the invoice, before the time to pay has passed", () => {
    const lien = expectTag(refusal(attempt("ServeLienNotice", {
      command: { _tag: "ServeLienNotice", caseId, service: service("lien-notice", at("2026-06-01T17:00:00Z"), "personal-delivery"), comment: "early" },
      now: at("2026-06-01T18:00:00Z")
    })), "TooEarly")
    assert.strictEqual(lien.rule, "no-lien-before-payment-deadline")
    assert.strictEqual(lien.waitsFor, "cost-payment")
    const { state } = replay(decider, upTo(story, "invoice"))
    const suit = expectTag(refusal(decideStep(decider, state, {
      command: { _tag: "FileCivilAction", caseId, kind: "nuisance-abatement-suit", courtCaseNumber: "X", filedAt: at("2026-06-01T17:00:00Z"), comment: "early" },
      actor: attorney,
      now: at("2026-06-01T18:00:00Z")
    })), "TooEarly")
    assert.strictEqual(suit.rule, "no-civil-action-before-payment-deadline")
  })

  it("a court appeal filed after the window is refused as too late", () => {
    const error = expectTag(refusal(attempt("RecordCourtAppeal", {
      command: { _tag: "RecordCourtAppeal", caseId, filedAt: at("2026-04-30T17:00:00Z"), courtCaseNumber: "late", comment: "late" },
      now: at("2026-04-30T18:00:00Z")
    })), "TooLate")
    assert.strictEqual(error.rule, "court-appeal-window")
    assert.strictEqual(iso(error.due), "2026-04-30T06:59:59.999Z")
  })

  it("an act is not dated in the future, nor before the case's last step; a hearing is set after its notice", () => {
    const future = expectTag(refusal(attempt("ServeNoticeOfViolation", { now: at("2026-03-04T18:00:00Z") })), "ImplausibleInstant")
    assert.strictEqual(future.rule, "act-instant-in-order")
    assert.strictEqual(future.field, "service.servedAt")
    const beforeInspection = expectTag(refusal(attempt("ServeNoticeOfViolation", {
      command: { ...(ready.ServeNoticeOfViolation.step.command as Extract<NuisanceCaseCommand, { _tag: "ServeNoticeOfViolation" }>), service: service("notice-of-violation", at("2026-03-03T12:00:00Z")) }
    })), "ImplausibleInstant")
    assert.strictEqual(iso(beforeInspection.notBefore!), "2026-03-03T18:00:00.000Z")
    const hearing = expectTag(refusal(attempt("ServeHearingNotice", {
      command: { _tag: "ServeHearingNotice", caseId, hearingAt: at("2026-03-25T16:00:00Z"), service: service("hearing-notice", at("2026-03-25T17:00:00Z")), comment: "x" }
    })), "ImplausibleInstant")
    assert.strictEqual(hearing.rule, "hearing-after-notice")
    const received = expectTag(refusal(decideStep(decider, decider.initialState, { ...story[0]!, now: at("2026-03-01T00:00:00Z") })), "ImplausibleInstant")
    assert.strictEqual(received.field, "receivedAt")
  })
})

describe("intake rules", () => {
  const open = story[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
  const motelOpen = motel[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
  const tryOpen = (command: NuisanceCaseCommand, actor: Actor = analytics) =>
    refusal(decideStep(decider, decider.initialState, { command, actor, now: at("2026-03-02T18:00:00Z") }))

  it("an excessive-calls case comes only from the analytics, because only the analytics keeps protected calls out", () => {
    const error = expectTag(tryOpen({ ...open, category: "excessive-calls-for-service" }, clerk), "ExcessiveCallsIntakeRefused")
    assert.strictEqual(error.rule, "excessive-calls-from-analytics")
    assert.match(error.law ?? "", /53165/)
  })

  it("an analytics finding opens only an excessive-calls case", () => {
    assert.strictEqual(expectTag(tryOpen({ ...motelOpen, category: "blight" }), "ExcessiveCallsIntakeRefused").rule, "analytics-finding-is-excessive-calls")
  })

  it("a residential place, or one of unknown use, is never designated (Gov. Code 53165; 34 U.S.C. 12495)", () => {
    for (const landUse of [{ _tag: "residential" as const, units: 12 }, { _tag: "unknown" as const }]) {
      const error = expectTag(tryOpen({ ...motelOpen, source: { _tag: "AnalyticsFinding", evidence: evidenceFor(motelAddress, landUse) } }), "ExcessiveCallsIntakeRefused")
      assert.strictEqual(error.rule, "non-residential-only")
      assert.match(error.law ?? "", /34 U\.S\.C\. 12495/)
    }
  })

  it("the evidence must be about the case's address and district", () => {
    const otherAddress = expectTag(tryOpen({ ...motelOpen, source: { _tag: "AnalyticsFinding", evidence: evidenceFor("1 OTHER ST") } }), "ExcessiveCallsIntakeRefused")
    assert.strictEqual(otherAddress.rule, "evidence-matches-case")
    const otherDistrict = expectTag(tryOpen({ ...motelOpen, source: { _tag: "AnalyticsFinding", evidence: evidenceFor(motelAddress, undefined, "7") } }), "ExcessiveCallsIntakeRefused")
    assert.match(otherDistrict.reason, /district 7/)
  })

  it("the council district must be one the jurisdiction configures", () => {
    const error = expectTag(tryOpen({ ...open, councilDistrict: "12" }, everyRole([])), "UnknownCouncilDistrict")
    assert.deepStrictEqual(error.councilDistricts, ["1", "2", "3", "4", "5", "6", "7", "8"])
  })
})

describe("chronic-caller evidence is re-checked, never trusted (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)", () => {
  const motelOpen = motel[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
  type Evidence = ReturnType<typeof evidenceFor>
  type Counted = Evidence["counted"][number]
  const withEvidence = (change: (evidence: Evidence) => Evidence): NuisanceCaseCommand => ({
    ...motelOpen,
    source: { _tag: "AnalyticsFinding", evidence: change(evidenceFor(motelAddress)) }
  })
  const tryOpen = (command: NuisanceCaseCommand) =>
    decideStep(decider, decider.initialState, { command, actor: analytics, now: at("2026-03-02T18:00:00Z") })
  const refusedBy = (command: NuisanceCaseCommand) => expectTag(refusal(tryOpen(command)), "ExcessiveCallsIntakeRefused")
  const firstCall = (change: Partial<Counted>) => (evidence: Evidence): Evidence => ({
    ...evidence,
    counted: evidence.counted.map((call, i) => (i === 0 ? { ...call, ...change } : call))
  })

  it("accepts evidence that holds under the jurisdiction's rules", () => {
    assert.isTrue(Result.isSuccess(tryOpen(withEvidence((evidence) => evidence))))
  })

  it("refuses evidence that counted a domestic-violence call and met no threshold (the schema admits only countable categories)", () => {
    const command = withEvidence((evidence) => ({
      ...evidence,
      checks: [{ ...evidence.checks[0], counted: 2 }],
      counted: [
        { ...evidence.counted[0]!, countedAs: ["domestic-violence" as never], categories: ["domestic-violence"] },
        evidence.counted[1]!
      ]
    }))
    const error = expectTag(refusal(tryOpen(command)), "InvalidCaseCommand")
    assert.isTrue(error.problems.some((problem) => problem.path.join(".").includes("countedAs")), error.message)
  })

  it("refuses a counted call protected by a category it carries, or by its own flag", () => {
    const byCategory = refusedBy(withEvidence(firstCall({ categories: ["disorder", "domestic-violence"] })))
    assert.strictEqual(byCategory.rule, "counted-call-not-protected")
    assert.deepStrictEqual(byCategory.callKeys, ["SAC-CALL-2026-0041"])
    assert.match(byCategory.law ?? "", /53165/)
    const byFlag = refusedBy(withEvidence(firstCall({ protectedReasons: ["caller-is-victim"] })))
    assert.strictEqual(byFlag.rule, "counted-call-not-protected")
  })

  it("refuses a counted call in a channel or category the ordinance does not count", () => {
    assert.strictEqual(refusedBy(withEvidence(firstCall({ channel: "officer-initiated" }))).rule, "counted-channel")
    const category = refusedBy(withEvidence(firstCall({ countedAs: ["gang-activity"], categories: ["gang-activity"] })))
    assert.strictEqual(category.rule, "counted-category")
    assert.match(category.reason, /countedCategories/)
    const undeclared = refusedBy(withEvidence(firstCall({ countedAs: ["disorder"], categories: ["nuisance"] })))
    assert.strictEqual(undeclared.rule, "counted-category")
  })

  it("refuses a counted call outside the rule's window", () => {
    const error = refusedBy(withEvidence(firstCall({ serviceDay: "2026-01-29", receivedAt: at("2026-01-29T07:15:00Z") })))
    assert.strictEqual(error.rule, "counted-in-window")
  })

  it("refuses evidence whose counted calls do not meet the threshold", () => {
    const error = refusedBy(withEvidence((evidence) => ({ ...evidence, counted: evidence.counted.slice(0, 2) })))
    assert.strictEqual(error.rule, "threshold-met")
    const sameDay = refusedBy(withEvidence((evidence) => ({
      ...evidence,
      counted: [evidence.counted[0]!, { ...evidence.counted[1]!, serviceDay: "2026-02-03", receivedAt: at("2026-02-03T09:00:00Z") }, evidence.counted[2]!]
    })))
    assert.strictEqual(sameDay.rule, "threshold-met")
    const repeated = refusedBy(withEvidence((evidence) => ({ ...evidence, counted: [evidence.counted[0]!, evidence.counted[0]!, evidence.counted[1]!] })))
    assert.strictEqual(repeated.rule, "counted-once")
  })

  it("refuses evidence from an earlier version, whose counted calls do not show their categories and flags (it still decodes, so old events replay)", () => {
    const old = (evidence: Evidence): Evidence => ({
      ...evidence,
      counted: evidence.counted.map(({ categories: _c, protectedReasons: _p, ...call }) => call as Counted)
    })
    const error = refusedBy(withEvidence(old))
    assert.strictEqual(error.rule, "counted-call-not-protected")
    assert.strictEqual(error.callKeys?.length, 4)
    const encoded = Schema.encodeSync(ChronicCallerEvidence)(old(evidenceFor(motelAddress)))
    assert.isTrue(Result.isSuccess(Schema.decodeUnknownResult(ChronicCallerEvidence)(encoded)))
  })

  it("refuses a rule the jurisdiction does not have, or a window that is not the rule's", () => {
    const rule = { _tag: "count-in-window", count: 2, windowDays: 30, separateDays: true } as const
    assert.strictEqual(refusedBy(withEvidence((evidence) => ({ ...evidence, rule }))).rule, "rule-in-settings")
    const window = { fromDay: "2026-01-01", toDay: "2026-02-28" }
    assert.strictEqual(refusedBy(withEvidence((evidence) => ({ ...evidence, window }))).rule, "rule-window")
  })
})

describe("amounts, citations, civil actions and closing", () => {
  it("a fine above the cap is refused with the cap, the violation number, the window and the source", () => {
    const error = expectTag(refusal(attempt("IssueCitation", {
      command: { ...(ready.IssueCitation.step.command as Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>), amountInDollars: 100.01 }
    })), "FineAboveCap")
    assert.strictEqual(error.rule, "fine-cap")
    assert.deepInclude(error.cap as object, { violationNumber: 1, capInDollars: 100, windowDays: 365, schedule: "general", setting: "programs.justiceForNeighbors.fineCaps.general" })
    assert.match(error.cap.law, /36900\(b\)/)
  })

  it("caps at the 1st, 2nd and 3rd+ violation, under the building-and-safety schedule", () => {
    const base = ready.IssueCitation.step.command as Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>
    let state = replay(decider, ready.IssueCitation.given).state
    const caps = [130, 700, 1300, 1300]
    caps.forEach((cap, i) => {
      const day = `2026-04-0${i + 1}T17:00:00Z`
      const command = { ...base, citationNumber: `BS-${i}`, codeSection: "CBC 116", schedule: "building-and-safety" as const, service: service("administrative-citation", at(day)) }
      const over = expectTag(refusal(decideStep(decider, state, { command: { ...command, amountInDollars: cap + 1 }, actor: ceo, now: hoursAfter(at(day), 1) })), "FineAboveCap")
      assert.deepInclude(over.cap as object, { violationNumber: i + 1, capInDollars: cap, schedule: "building-and-safety" })
      const events = accepted(decideStep(decider, state, { command: { ...command, amountInDollars: cap }, actor: ceo, now: hoursAfter(at(day), 1) }))
      state = events.reduce(decider.evolve, state)
    })
  })

  it("the window rolls over: a violation 365 days after the first still repeats it, 366 days after starts again at the first cap", () => {
    const base = ready.IssueCitation.step.command as Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>
    const { state } = replay(decider, [...ready.IssueCitation.given, ready.IssueCitation.step])
    const cite = (n: string, day: string, amount: number) =>
      decideStep(decider, state, { command: { ...base, citationNumber: n, amountInDollars: amount, service: service("administrative-citation", at(day)) }, actor: ceo, now: hoursAfter(at(day), 1) })
    // The first citation was served on 24 March 2026 (local date).
    assert.deepInclude(accepted(cite("AC-2", "2027-03-24T17:00:00Z", 200))[0] as object, { violationNumber: 2, capInDollars: 200 })
    assert.strictEqual(expectTag(refusal(cite("AC-3", "2027-03-25T17:00:00Z", 200)), "FineAboveCap").cap.violationNumber, 1)
    assert.deepInclude(accepted(cite("AC-4", "2027-03-25T17:00:00Z", 100))[0] as object, { violationNumber: 1, capInDollars: 100 })
  })

  it("a citation number is used once; payments need a payable citation and may not exceed what is owed", () => {
    const { state } = replay(decider, [...ready.IssueCitation.given, ready.IssueCitation.step])
    const again = expectTag(refusal(decideStep(decider, state, { ...ready.IssueCitation.step, now: at("2026-03-25T00:00:00Z") })), "CitationRefused")
    assert.strictEqual(again.rule, "citation-number-unique")
    const pay = (citationNumber: string, amountInDollars: number) =>
      decideStep(decider, state, {
        command: { _tag: "RecordPayment", caseId, paidAt: at("2026-03-25T17:00:00Z"), amountInDollars, toward: { _tag: "Citation", citationNumber } },
        actor: clerk,
        now: at("2026-03-25T18:00:00Z")
      })
    assert.strictEqual(expectTag(refusal(pay("AC-9", 10)), "CitationRefused").rule, "citation-must-exist")
    const over = expectTag(refusal(pay("AC-1001", 100.5)), "AmountRefused")
    assert.deepInclude(over as object, { rule: "payment-within-balance", limitInDollars: 100 })
    const paid = accepted(pay("AC-1001", 100)).reduce(decider.evolve, state)
    const twice = expectTag(refusal(decideStep(decider, paid, {
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-03-25T17:30:00Z"), amountInDollars: 1, toward: { _tag: "Citation", citationNumber: "AC-1001" } },
      actor: clerk,
      now: at("2026-03-25T18:00:00Z")
    })), "CitationRefused")
    assert.strictEqual(twice.rule, "citation-payable")
  })

  it("an invoice may not exceed the recorded cost; a cost payment may not exceed the balance; nothing owed means no lien", () => {
    const invoice = expectTag(refusal(attempt("InvoiceCosts", {
      command: { ...(ready.InvoiceCosts.step.command as Extract<NuisanceCaseCommand, { _tag: "InvoiceCosts" }>), amountInDollars: 2450.01 }
    })), "AmountRefused")
    assert.deepInclude(invoice as object, { rule: "invoice-within-costs", limitInDollars: 2450 })
    const payment = expectTag(refusal(attempt("RecordPayment", {
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-05-10T17:00:00Z"), amountInDollars: 2451, toward: { _tag: "AbatementCosts" } }
    })), "AmountRefused")
    assert.strictEqual(payment.limitInDollars, 2450)
    const costsBeforeInvoice = expectTag(refusal(decideStep(decider, replay(decider, upTo(story, "citation")).state, {
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-03-24T18:00:00Z"), amountInDollars: 1, toward: { _tag: "AbatementCosts" } },
      actor: clerk,
      now: at("2026-03-24T19:00:00Z")
    })), "AmountRefused")
    assert.strictEqual(costsBeforeInvoice.limitInDollars, 0)
    const { state } = replay(decider, [...upTo(story, "invoice"), {
      name: "paid",
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-05-10T17:00:00Z"), amountInDollars: 2450, toward: { _tag: "AbatementCosts" } },
      actor: clerk,
      now: at("2026-05-10T18:00:00Z")
    }])
    const lien = expectTag(refusal(decideStep(decider, state, story.find((s) => s.name === "lien-notice")!)), "NothingOwed")
    assert.deepInclude(lien as object, { rule: "lien-needs-unpaid-balance", invoicedInDollars: 2450, paidInDollars: 2450 })
  })

  it("a civil action of a pending kind is not filed twice; only a pending one concludes", () => {
    const { state } = replay(decider, upTo(story, "civil-action"))
    const twice = expectTag(refusal(decideStep(decider, state, { ...byName(story, "civil-action"), now: at("2026-07-01T00:00:00Z") })), "CivilActionRefused")
    assert.strictEqual(twice.rule, "civil-action-once-per-kind")
    const notPending = expectTag(refusal(decideStep(decider, state, {
      command: { _tag: "ConcludeCivilAction", caseId, kind: "receivership", outcome: "dismissed", concludedAt: at("2026-07-01T17:00:00Z"), comment: "x" },
      actor: attorney,
      now: at("2026-07-01T18:00:00Z")
    })), "CivilActionRefused")
    assert.strictEqual(notPending.rule, "civil-action-must-be-pending")
  })

  it("a case closes as costs recovered only once nothing is owed, and after civil action only once none is pending", () => {
    const owed = expectTag(refusal(decideStep(decider, replay(decider, upTo(story, "invoice")).state, {
      command: { _tag: "CloseCase", caseId, reason: "costs-recovered", comment: "x" },
      actor: ceo,
      now: at("2026-05-06T00:00:00Z")
    })), "ClosureRefused")
    assert.strictEqual(owed.rule, "close-when-nothing-owed")
    const pending = expectTag(refusal(decideStep(decider, replay(decider, upTo(story, "civil-action")).state, {
      command: { _tag: "CloseCase", caseId, reason: "civil-action-concluded", comment: "x" },
      actor: attorney,
      now: at("2026-06-23T00:00:00Z")
    })), "ClosureRefused")
    assert.strictEqual(pending.rule, "close-when-civil-actions-concluded")
  })
})

describe("untrusted input", () => {
  it("decodes a well-formed command from JSON", () => {
    const decoded = decodeNuisanceCaseCommand({
      _tag: "IssueCitation",
      caseId,
      citationNumber: "AC-7",
      codeSection: "SCC 8.04.100",
      responsiblePersonId: "owner-of-record",
      priorViolations: [],
      schedule: "general",
      amountInDollars: 99.99,
      service: {
        personServed: { name: "R. Owner", capacity: "owner" },
        servedAt: "2026-03-24T17:00:00Z",
        method: "certified-mail"
      },
      comment: "first"
    })
    assert.isTrue(Result.isSuccess(decoded))
  })

  it("refuses malformed commands with every problem and its path", () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [{ _tag: "DemolishHouse", caseId }, ""],
      [{ _tag: "CommentOnCase", caseId, comment: "" }, "comment"],
      [{ _tag: "CommentOnCase", caseId, comment: "ok", coment: "typo" }, "coment"],
      [{ _tag: "CommentOnCase", caseId: "2026/000123", comment: "ok" }, "caseId"],
      [{ _tag: "RecordPayment", caseId, paidAt: "2026-03-25T17:00:00Z", amountInDollars: 10.005, toward: { _tag: "AbatementCosts" } }, "amountInDollars"],
      [{ _tag: "RecordReinspection", caseId, inspectedAt: "not a date", compliant: true, comment: "x" }, "inspectedAt"],
      [{ _tag: "GrantExtension", caseId, period: { amount: -1, unit: "calendar-days" }, reason: "x" }, "period"]
    ]
    for (const [input, path] of cases) {
      const result = decodeNuisanceCaseCommand(input)
      if (Result.isSuccess(result)) return assert.fail(`accepted ${JSON.stringify(input)}`)
      assert.strictEqual(result.failure.rule, "command-schema")
      assert.isTrue(result.failure.problems.some((problem) => problem.path.join(".").startsWith(path)), `${path}: ${result.failure.message}`)
    }
  })

  it("the decider refuses a typed command that breaks its schema (built in code, never decoded)", () => {
    const { state } = replay(decider, upTo(story, "open"))
    const error = expectTag(refusal(decideStep(decider, state, { command: { _tag: "CommentOnCase", caseId, comment: "   " }, actor: ceo, now: at("2026-03-03T00:00:00Z") })), "InvalidCaseCommand")
    assert.strictEqual(error.rule, "command-schema")
  })
})
