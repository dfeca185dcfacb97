/**
 * Shared fixtures of the nuisance case tests: the team's actors, a timeline
 * that takes a case through every step of each path, and helpers to replay
 * steps through the decider (given) before the command under test (when),
 * built on the testkit's `deciderSpec`.
 */
import { assert } from "@effect/vitest"
import { DateTime, Result } from "effect"
import {
  type Actor,
  type CountInWindowRule,
  type Decider,
  type DecisionContext,
  type LandUse
} from "@community-policing/core"
import {
  type ChronicCallerEvidence,
  describeChronicNuisanceRule,
  type NoticeData,
  type NoticeKind,
  type NuisanceCaseCommand,
  type NuisanceCaseEvent,
  type NuisanceCaseRefusal,
  type NuisanceCaseState,
  type OpenedCase,
  type ServiceOfNotice
} from "@community-policing/core/justice-for-neighbors"
import { deciderSpec, decision, type GivenCommand } from "@community-policing/testkit"

export type CaseDecider = Decider<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal>

export const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)
export const hoursAfter = (instant: DateTime.Utc, hours: number): DateTime.Utc => DateTime.add(instant, { hours })
export const iso = (instant: DateTime.DateTime): string => DateTime.formatIso(DateTime.toUtc(instant))

const staff = (id: string, roles: Extract<Actor, { _tag: "Staff" }>["roles"], districts: ReadonlyArray<string> = ["3"]): Actor => ({
  _tag: "Staff",
  id,
  roles: [...roles],
  districts: [...districts]
})

/** The district 3 team of the Sacramento preset, and others around it. */
export const ceo = staff("ceo-3", ["code-enforcement-officer"])
export const sergeant = staff("sgt-3", ["sergeant"])
export const attorney = staff("atty-3", ["city-attorney"])
export const clerk = staff("clerk-3", ["clerk"])
export const prosecutor = staff("np-3", ["neighborhood-prosecutor"])
export const ceoOfDistrict5 = staff("ceo-5", ["code-enforcement-officer"], ["5"])
export const citywideCeo = staff("ceo-city", ["code-enforcement-officer"], [])
export const analyst = staff("analyst-1", ["analyst"], [])
export const resident: Actor = { _tag: "Public", id: "session-42" }
export const analytics: Actor = { _tag: "System", id: "excessive-calls-scan" }

/** An outside administrative hearing officer: no role on the district team, no step on the case. */
export const hearingOfficer = { id: "aho-7", name: "A. Hearing Officer", roles: [] }

/**
 * The values of each kind of document that only the app knows (the case
 * writes its number, dates, amounts and the person served itself).
 */
export const appNoticeValues: { readonly [K in NoticeKind]: NoticeData } = {
  "owner-letter": { businessName: "Auburn Motor Inn (fictional)", respondBy: "March 20, 2026" },
  "notice-of-violation": {},
  "notice-of-public-nuisance": {
    findings: ["Refuse and furniture stored in the yard", "Broken windows open to the weather"],
    abateBy: "April 10, 2026",
    substandardBuilding: "no",
    drugActivity: "no"
  },
  "administrative-citation": {
    violation: "SCC 8.04.100: refuse stored in the side yard",
    violationDate: "March 20, 2026",
    payBy: "April 23, 2026"
  },
  "hearing-decision": { hearingSubject: "the appeal of citation AC-1001" },
  "post-abatement-notice": { hearingRequestBy: "March 20, 2026" },
  "hearing-notice": { hearingSubject: "the appeal of citation AC-1001", hearingPlace: "Hearing Room 2, 100 Example Plaza (fictional)" },
  "abatement-order": { workRequired: ["Remove all refuse and furniture from the lot"], abateBy: "May 1, 2026", substandardBuilding: "no", drugActivity: "no" },
  "cost-invoice": { invoiceNumber: "INV-2026-0042", costItems: ["Debris removal: $2,450.00"] },
  "lien-notice": {
    abatementOrderDate: "April 9, 2026",
    parcelNumber: "010-0123-045-0000",
    legalDescription: "Lot 12, Block 4, Example Tract (fictional)"
  },
  "special-assessment-notice": {
    abatementOrderDate: "April 9, 2026",
    parcelNumber: "010-0123-045-0000",
    hearingPlace: "City Council Chamber, 100 Example Plaza (fictional)"
  }
}

const commonAppValues: NoticeData = {
  issuingOffice: "Justice for Neighbors, Council District 3",
  propertyAddress: "2315 10th Ave, Sacramento, CA",
  contactPhone: "916-555-0113"
}

/** The service of a document of `kind`, with the values only the app knows; the case makes the document. */
export const service = (kind: NoticeKind, servedAt: DateTime.Utc, method: ServiceOfNotice["method"] = "certified-mail"): ServiceOfNotice => ({
  personServed: { name: "R. Owner", capacity: "owner", mailingAddress: "PO Box 1, Sacramento CA" },
  servedAt,
  method,
  values: { ...commonAppValues, ...appNoticeValues[kind] }
})

/** The Sacramento preset's first threshold, as the evidence of {@link evidenceFor} meets it. */
export const evidenceRule = { _tag: "count-in-window", count: 3, windowDays: 30, separateDays: true } as const
const evidenceWindow = { fromDay: "2026-01-30", toDay: "2026-02-28" }

/** A counted call of {@link evidenceFor}: a 911 disturbance call on `day` (2026-MM-DD), nothing protected. */
export const countedCallOn = (day: string, index: number): ChronicCallerEvidence["counted"][number] => ({
  callKey: `SAC-CALL-2026-00${41 + index}`,
  receivedAt: DateTime.makeUnsafe(`${day}T07:15:00Z`),
  serviceDay: day,
  channel: "911",
  callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
  countedAs: ["disorder"],
  categories: ["disorder"],
  protectedReasons: [],
  callerNotVictim: true
})

/**
 * Evidence as the analytics produces it under the Sacramento preset: four
 * disorder calls on separate days of the 30 days to 2026-02-28, pointed at
 * the case's place, meeting `rule` (the preset's first; another
 * configuration passes its own 30-day count rule). The decider re-checks it
 * against the jurisdiction's rules.
 */
export const evidenceFor = (
  addressKey: string,
  landUse: LandUse = { _tag: "non-residential", kind: "motel-hotel", rooms: 40 },
  councilDistrict: string | undefined = "3",
  rule: CountInWindowRule = evidenceRule
): ChronicCallerEvidence => {
  const description = describeChronicNuisanceRule(rule, evidenceWindow)
  return {
    addressKey,
    place: {
      addressKey,
      landUse,
      districts: councilDistrict === undefined ? {} : { councilDistrict }
    },
    asOfDay: "2026-02-28",
    rule,
    ruleDescription: description,
    window: evidenceWindow,
    checks: [{ rule, description, window: evidenceWindow, counted: 4, needed: 3, met: true }],
    counted: ["2026-02-03", "2026-02-11", "2026-02-19", "2026-02-26"].map(countedCallOn),
    excluded: [{
      callKey: "SAC-CALL-2026-0099",
      receivedAt: DateTime.makeUnsafe("2026-02-14T09:30:00Z"),
      serviceDay: "2026-02-14",
      reasons: [{ code: "protected", protectedReason: "caller-is-victim", source: "Gov. Code 53165" }]
    }]
  }
}

/** One step of a case's history: a command, who gave it, and when it was handled. */
export interface Step {
  readonly name: string
  readonly command: NuisanceCaseCommand
  readonly actor: Actor
  readonly now: DateTime.Utc
}

/** Decides one step on a state: the step's actor and time make the decision context. */
export const decideStep = (decider: CaseDecider, state: NuisanceCaseState, step: Pick<Step, "command" | "actor" | "now">) =>
  decider.decide(step.command, state, stepContext(step))

const stepContext = (step: Pick<Step, "actor" | "now">): DecisionContext => ({ now: step.now, actor: step.actor })

/** A step as a past command of the testkit's `givenCommands`. */
export const givenStep = (step: Step): GivenCommand<NuisanceCaseCommand> => ({ name: step.name, command: step.command, context: stepContext(step) })

/** Replays steps through the decider (the testkit's `givenCommands`); every one must be accepted. */
export const replay = (decider: CaseDecider, steps: ReadonlyArray<Step>) => {
  const { state, events } = deciderSpec(decider).givenCommands(steps.map(givenStep))
  return { state, events }
}

export const opened = (state: NuisanceCaseState): OpenedCase => {
  if (state._tag !== "OpenedCase") return assert.fail("expected an opened case")
  return state
}

/** The refusal of a decision that must be refused. */
export const refusal = (result: Result.Result<ReadonlyArray<NuisanceCaseEvent>, NuisanceCaseRefusal>): NuisanceCaseRefusal =>
  decision(result).thenRefused()

/** A refusal of the expected kind, typed as it; fails the test, naming the refusal, otherwise. */
export const expectTag = <T extends NuisanceCaseRefusal["_tag"]>(error: NuisanceCaseRefusal, tag: T): Extract<NuisanceCaseRefusal, { _tag: T }> =>
  decision<NuisanceCaseEvent, NuisanceCaseRefusal>(Result.fail(error)).thenRefused(tag)

/** The events of a decision that must be accepted. */
export const accepted = (result: Result.Result<ReadonlyArray<NuisanceCaseEvent>, NuisanceCaseRefusal>): ReadonlyArray<NuisanceCaseEvent> =>
  decision(result).thenAccepted()

export const ofTag = <T extends NuisanceCaseEvent["_tag"]>(events: ReadonlyArray<NuisanceCaseEvent>, tag: T) =>
  events.filter((event): event is Extract<NuisanceCaseEvent, { _tag: T }> => event._tag === tag)

export const caseId = "2026-000123"
const step = (name: string, command: NuisanceCaseCommand, actor: Actor, actAt: string): Step => ({
  name,
  command,
  actor,
  now: hoursAfter(at(actAt), 1)
})

/**
 * A blight case at "2315 10TH AVE" in council district 3 through every step
 * of the code enforcement path, far enough apart that each deadline of both
 * test configurations has passed when the next step needs it.
 */
export const standardStoryline = (id: string = caseId): ReadonlyArray<Step> => [
  step("open", {
    _tag: "OpenCase",
    caseId: id,
    category: "blight",
    councilDistrict: "3",
    addressKey: "2315 10TH AVE",
    source: { _tag: "ResidentComplaint", channel: "311", serviceRequestId: "311-88812", complainant: { name: "A. Neighbor" } },
    description: "Abandoned furniture, broken windows, overgrown yard",
    immediateHazard: false,
    receivedAt: at("2026-03-02T17:00:00Z"),
    comment: "311 complaint taken"
  }, clerk, "2026-03-02T17:00:00Z"),
  step("triage", { _tag: "TriageCase", caseId: id, immediateHazard: false, comment: "routine blight, no hazard" }, ceo, "2026-03-02T18:00:00Z"),
  step("inspection", {
    _tag: "RecordInspection",
    caseId: id,
    inspectedAt: at("2026-03-03T18:00:00Z"),
    violationFound: true,
    comment: "debris and broken windows confirmed"
  }, ceo, "2026-03-03T18:00:00Z"),
  step("notice-of-violation", {
    _tag: "ServeNoticeOfViolation",
    caseId: id,
    violations: ["SCC 8.04.100", "SCC 8.100.220"],
    service: service("notice-of-violation", at("2026-03-04T19:00:00Z"), "personal-delivery"),
    comment: "notice handed to the owner"
  }, ceo, "2026-03-04T19:00:00Z"),
  step("reinspection-failed", {
    _tag: "RecordReinspection",
    caseId: id,
    inspectedAt: at("2026-03-20T17:00:00Z"),
    compliant: false,
    comment: "nothing done"
  }, ceo, "2026-03-20T17:00:00Z"),
  step("public-nuisance", {
    _tag: "ServeNoticeOfPublicNuisance",
    caseId: id,
    service: service("notice-of-public-nuisance", at("2026-03-23T17:00:00Z"), "posting-on-property"),
    comment: "posted on the front door"
  }, ceo, "2026-03-23T17:00:00Z"),
  step("citation", {
    _tag: "IssueCitation",
    caseId: id,
    citationNumber: "AC-1001",
    codeSection: "SCC 8.04.100",
    responsiblePersonId: "owner-of-record",
    priorViolations: [],
    schedule: "general",
    amountInDollars: 100,
    service: service("administrative-citation", at("2026-03-24T17:00:00Z")),
    comment: "first citation"
  }, ceo, "2026-03-24T17:00:00Z"),
  step("hearing-notice", {
    _tag: "ServeHearingNotice",
    caseId: id,
    hearingAt: at("2026-04-08T17:00:00Z"),
    service: service("hearing-notice", at("2026-03-25T17:00:00Z")),
    comment: "owner appealed the citation"
  }, ceo, "2026-03-25T17:00:00Z"),
  step("hearing-decision", {
    _tag: "RecordHearingDecision",
    caseId: id,
    decidedAt: at("2026-04-08T20:00:00Z"),
    outcome: "upheld",
    hearingOfficer,
    findings: ["debris and broken windows remain at the property", "the owner did not correct them after notice"],
    comment: "hearing officer upheld the nuisance"
  }, clerk, "2026-04-08T20:00:00Z"),
  step("hearing-decision-served", {
    _tag: "ServeHearingDecision",
    caseId: id,
    service: service("hearing-decision", at("2026-04-09T17:00:00Z"), "personal-delivery"),
    comment: "decision served; the court appeal runs"
  }, ceo, "2026-04-09T17:00:00Z"),
  step("abatement-order", {
    _tag: "ServeAbatementOrder",
    caseId: id,
    service: service("abatement-order", at("2026-04-10T17:00:00Z"), "personal-delivery"),
    comment: "order of abatement served"
  }, ceo, "2026-04-10T17:00:00Z"),
  step("city-abatement", {
    _tag: "RecordCityAbatement",
    caseId: id,
    completedAt: at("2026-05-04T17:00:00Z"),
    work: "debris removed, windows boarded",
    costInDollars: 2450,
    comment: "contractor finished"
  }, ceo, "2026-05-04T17:00:00Z"),
  step("invoice", {
    _tag: "InvoiceCosts",
    caseId: id,
    amountInDollars: 2450,
    service: service("cost-invoice", at("2026-05-05T17:00:00Z")),
    comment: "invoice mailed"
  }, ceo, "2026-05-05T17:00:00Z"),
  step("lien-notice", {
    _tag: "ServeLienNotice",
    caseId: id,
    service: service("lien-notice", at("2026-06-08T17:00:00Z"), "personal-delivery"),
    comment: "unpaid; lien notice served on the owner of record"
  }, ceo, "2026-06-08T17:00:00Z"),
  step("lien", {
    _tag: "RecordLien",
    caseId: id,
    recordedAt: at("2026-06-19T17:00:00Z"),
    recorderDocumentNumber: "2026-0612345",
    comment: "lien recorded with the county"
  }, ceo, "2026-06-19T17:00:00Z"),
  step("civil-action", {
    _tag: "FileCivilAction",
    caseId: id,
    kind: "nuisance-abatement-suit",
    courtCaseNumber: "34-2026-00123456",
    filedAt: at("2026-06-22T17:00:00Z"),
    comment: "the nuisance returned; suit filed"
  }, attorney, "2026-06-22T17:00:00Z"),
  step("civil-action-concluded", {
    _tag: "ConcludeCivilAction",
    caseId: id,
    kind: "nuisance-abatement-suit",
    outcome: "judgment-for-city",
    concludedAt: at("2026-09-01T17:00:00Z"),
    comment: "judgment and injunction"
  }, attorney, "2026-09-01T17:00:00Z"),
  step("closed", { _tag: "CloseCase", caseId: id, reason: "civil-action-concluded", comment: "done" }, attorney, "2026-09-02T17:00:00Z")
]

/** The storyline's steps up to and including the named one. */
export const upTo = (steps: ReadonlyArray<Step>, name: string): ReadonlyArray<Step> => {
  const index = steps.findIndex((s) => s.name === name)
  if (index < 0) return assert.fail(`no step ${name}`)
  return steps.slice(0, index + 1)
}

export const motelAddress = "3555 AUBURN BLVD"

/**
 * An excessive-calls case about a motel, opened by the analytics, through
 * the owner letter, a meeting, an abatement plan and its review.
 */
export const excessiveCallsStoryline = (id: string = "2026-000200"): ReadonlyArray<Step> => [
  step("open", {
    _tag: "OpenCase",
    caseId: id,
    category: "excessive-calls-for-service",
    councilDistrict: "3",
    addressKey: motelAddress,
    source: { _tag: "AnalyticsFinding", evidence: evidenceFor(motelAddress) },
    description: "Motel met the chronic nuisance threshold",
    immediateHazard: false,
    comment: "opened from the weekly scan"
  }, analytics, "2026-03-02T17:00:00Z"),
  step("triage", { _tag: "TriageCase", caseId: id, immediateHazard: false, comment: "assign to district 3 team" }, sergeant, "2026-03-02T18:00:00Z"),
  step("owner-letter", {
    _tag: "ServeOwnerLetter",
    caseId: id,
    service: service("owner-letter", at("2026-03-03T17:00:00Z")),
    comment: "letter inviting the owner to meet"
  }, ceo, "2026-03-03T17:00:00Z"),
  step("owner-meeting", {
    _tag: "RecordOwnerMeeting",
    caseId: id,
    heldAt: at("2026-03-10T17:00:00Z"),
    outcome: "cooperative",
    comment: "owner came with the manager"
  }, sergeant, "2026-03-10T17:00:00Z"),
  step("abatement-plan", {
    _tag: "AgreeAbatementPlan",
    caseId: id,
    agreedAt: at("2026-03-11T17:00:00Z"),
    terms: ["security guard Friday and Saturday nights", "lighting in the rear lot", "trespass letters on file"],
    comment: "plan signed"
  }, sergeant, "2026-03-11T17:00:00Z")
]
