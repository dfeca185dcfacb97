/**
 * Properties of the nuisance case over random command sequences (fast-check):
 * no stage is reached without its mandatory predecessors, no citation
 * exceeds its cap, nothing is accepted on a closed case, no escalation comes
 * before its deadline, and a refused command changes nothing.
 *
 * The sequences are biased toward commands that fit the case's stage and
 * are given by someone holding the duty, so that runs get deep into the
 * workflow; the rest are random, so that guards are hit too. The oracles
 * (mandatory predecessors, fine caps) are written here independently of the
 * decider.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import {
  type Actor,
  type CountInWindowRule,
  type Jurisdiction,
  losAngelesLike,
  NuisanceCategory,
  sacramento
} from "@community-policing/core"
import {
  type CaseStage,
  CaseStage as CaseStageSchema,
  currentDeadline,
  lastServed,
  nuisanceCaseCommandDuty,
  nuisanceCaseCommandStages,
  nuisanceCaseDecider,
  type NoticeKind,
  type NuisanceCaseCommand,
  type NuisanceCaseCommandName,
  type NuisanceCaseEvent,
  type NuisanceCaseState,
  stageGraph
} from "@community-policing/core/justice-for-neighbors"
import {
  analyst,
  analytics,
  attorney,
  ceo,
  ceoOfDistrict5,
  clerk,
  evidenceFor,
  hoursAfter,
  motelAddress,
  resident,
  sergeant,
  service
} from "./NuisanceCaseFixtures.ts"

/**
 * The steps every path to a stage must pass, from DOMAIN.md section 4,
 * written out by hand. `oneOf` lists alternatives of which at least one
 * must have been passed.
 */
const mandatory: { readonly [S in CaseStage]?: { readonly all: ReadonlyArray<CaseStage>; readonly oneOf?: ReadonlyArray<CaseStage> } } = {
  "triaged": { all: ["intake"] },
  "violation-found": { all: ["intake", "triaged"] },
  "owner-letter-sent": { all: ["intake", "triaged"] },
  "owner-met": { all: ["intake", "triaged", "owner-letter-sent"] },
  "abatement-plan-agreed": { all: ["intake", "triaged", "owner-letter-sent", "owner-met"] },
  "owner-engagement-failed": { all: ["intake", "triaged", "owner-letter-sent"] },
  "notice-of-violation-served": { all: ["intake", "triaged"], oneOf: ["violation-found", "owner-engagement-failed"] },
  "reinspection-failed": { all: ["triaged", "notice-of-violation-served"] },
  "public-nuisance-declared": { all: ["triaged", "notice-of-violation-served", "reinspection-failed"] },
  "cited": { all: ["notice-of-violation-served", "reinspection-failed", "public-nuisance-declared"] },
  "hearing-scheduled": { all: ["notice-of-violation-served", "public-nuisance-declared"] },
  "hearing-decided": { all: ["public-nuisance-declared", "hearing-scheduled"] },
  // No citation is needed before an order: the notice and the opportunity for a hearing are.
  "abatement-ordered": { all: ["notice-of-violation-served", "reinspection-failed", "public-nuisance-declared"] },
  "court-appeal": { all: ["public-nuisance-declared"], oneOf: ["hearing-decided", "abatement-ordered"] },
  "order-upheld": { all: ["public-nuisance-declared", "court-appeal"] },
  // A summary abatement skips ahead from any stage after triage; see checkEvent for the other path.
  "city-abated": { all: ["intake", "triaged"] },
  "costs-invoiced": { all: ["city-abated"] },
  "lien-noticed": { all: ["city-abated", "costs-invoiced"] },
  "lien-recorded": { all: ["city-abated", "costs-invoiced", "lien-noticed"] },
  "special-assessment-noticed": { all: ["city-abated", "costs-invoiced"] },
  "special-assessment-recorded": { all: ["city-abated", "costs-invoiced", "special-assessment-noticed"] },
  "civil-action": { all: ["city-abated", "costs-invoiced"] },
  "closed": { all: ["intake", "triaged"] }
}

// Fine caps recomputed from the configuration alone: the local date of each
// citation through Intl, and the count of earlier ones of the same section.
const localDay = (instant: DateTime.DateTime, timeZone: string): number => {
  const text = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(DateTime.toEpochMillis(instant)))
  return Date.parse(`${text}T00:00:00Z`) / 86_400_000
}

const actors: ReadonlyArray<Actor> = [ceo, sergeant, attorney, clerk, ceoOfDistrict5, resident, analytics, analyst]
const names = Object.keys(nuisanceCaseCommandDuty) as ReadonlyArray<NuisanceCaseCommandName>

const Move = fc.record({
  pick: fc.nat(10_000),
  fits: fc.integer({ min: 0, max: 9 }),
  actorPick: fc.nat(100),
  rightActor: fc.integer({ min: 0, max: 9 }),
  // Mostly hours or days, sometimes weeks: appeals fall inside short windows, liens after long ones.
  advanceHours: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 72 }) },
    { weight: 1, arbitrary: fc.integer({ min: 72, max: 24 * 45 }) }
  ),
  backdateHours: fc.integer({ min: 0, max: 30 }),
  jump: fc.integer({ min: 0, max: 9 }),
  flag: fc.boolean(),
  amount: fc.integer({ min: 1, max: 1600 }),
  cents: fc.integer({ min: 0, max: 99 }),
  kind: fc.nat(1000)
})
type Move = typeof Move extends fc.Arbitrary<infer A> ? A : never

const caseId = "2026-000777"

const buildCommand = (
  name: NuisanceCaseCommandName,
  state: NuisanceCaseState,
  move: Move,
  actAt: DateTime.Utc,
  evidenceRule: CountInWindowRule
): NuisanceCaseCommand => {
  const fits = move.fits < 8
  const amount = move.amount + move.cents / 100
  // Fitting moves mostly keep the case going rather than closing it.
  const rarely = (n: number) => move.kind % n === 0
  const kinds = ["nuisance-abatement-suit", "receivership", "drug-abatement"] as const
  const comment = `step ${move.pick}`
  const doc = (kind: NoticeKind) => service(kind, actAt)
  const s = state._tag === "OpenedCase" ? state : undefined
  switch (name) {
    case "OpenCase": {
      // One case in three takes the owner-engagement path.
      const category = rarely(3) ? "excessive-calls-for-service" : NuisanceCategory.literals[move.pick % NuisanceCategory.literals.length]!
      const excessive = category === "excessive-calls-for-service"
      return {
        _tag: "OpenCase",
        caseId,
        category,
        councilDistrict: "3",
        addressKey: motelAddress,
        source: excessive
          ? { _tag: "AnalyticsFinding", evidence: evidenceFor(motelAddress, move.flag || move.kind % 5 !== 0 ? undefined : { _tag: "residential" }, "3", evidenceRule) }
          : { _tag: "ResidentComplaint", channel: "311" },
        description: "random case",
        immediateHazard: move.flag,
        receivedAt: actAt,
        comment
      }
    }
    case "TriageCase":
      return { _tag: name, caseId, immediateHazard: move.flag, comment }
    case "RecordInspection":
      return { _tag: name, caseId, inspectedAt: actAt, violationFound: !rarely(fits ? 8 : 2), comment }
    case "ServeOwnerLetter":
      return { _tag: name, caseId, service: doc("owner-letter"), comment }
    case "RecordOwnerMeeting":
      return { _tag: name, caseId, heldAt: actAt, outcome: rarely(fits ? 5 : 2) ? (move.flag ? "owner-absent" : "owner-refused") : "cooperative", comment }
    case "AgreeAbatementPlan":
      return { _tag: name, caseId, agreedAt: actAt, terms: ["guard on weekends"], comment }
    case "ReviewAbatementPlan":
      return { _tag: name, caseId, reviewedAt: actAt, kept: move.flag, comment }
    case "ServeNoticeOfViolation":
      return { _tag: name, caseId, violations: ["SCC 8.04.100"], service: doc("notice-of-violation"), comment }
    case "GrantExtension":
      return { _tag: name, caseId, period: { amount: move.kind % 15, unit: move.flag ? "calendar-days" : "business-days" }, reason: comment }
    case "RecordReinspection":
      return { _tag: name, caseId, inspectedAt: actAt, compliant: rarely(fits ? 25 : 2), comment }
    case "ServeNoticeOfPublicNuisance":
      return { _tag: name, caseId, service: doc("notice-of-public-nuisance"), comment }
    case "IssueCitation":
      return {
        _tag: name,
        caseId,
        citationNumber: `C-${move.kind % 7}-${s?.citations.length ?? 0}`,
        codeSection: move.kind % 3 === 0 ? "CBC 116" : "SCC 8.04.100",
        responsiblePersonId: move.kind % 4 === 1 ? "tenant-2" : "owner-1",
        // Now and then the owner's citations on other cases: months back,
        // some outside the year (and the two years), one named twice.
        priorViolations: move.kind % 3 === 2
          ? [
            { caseId: "2025-000900", citationNumber: "P-1", issuedAt: hoursAfter(actAt, -24 * (20 + (move.amount % 700))) },
            { caseId: "2025-000900", citationNumber: "P-1", issuedAt: hoursAfter(actAt, -24 * (20 + (move.amount % 700))) },
            { caseId: "2025-000901", citationNumber: "P-2", issuedAt: hoursAfter(actAt, -24 * (1 + (move.pick % 400))) }
          ]
          : [],
        ...(move.kind % 5 === 0 ? { commercialBuilding: { cause: "visible-refuse" as const } } : {}),
        schedule: move.flag ? "general" : "building-and-safety",
        // Within every configured first cap when fitting; anything up to $1,600.99 otherwise.
        amountInDollars: fits && move.flag ? (move.amount % 100) + 1 : amount,
        service: doc("administrative-citation"),
        comment
      }
    case "RequestHearing":
      return { _tag: name, caseId, requestedAt: actAt, comment }
    case "ServeHearingNotice":
      // Fitting moves give at least the 10 days' notice both configurations ask.
      return { _tag: name, caseId, hearingAt: hoursAfter(actAt, 24 * (fits ? 11 + (move.kind % 10) : 1 + (move.kind % 20))), service: doc("hearing-notice"), comment }
    case "RecordHearingDecision":
      return {
        _tag: name,
        caseId,
        decidedAt: actAt,
        outcome: rarely(fits ? 25 : 2) ? "overturned" : "upheld",
        // Unfitting moves name an officer of the team.
        hearingOfficer: fits ? { id: `aho-${move.kind % 3}`, roles: [] } : { id: "on-duty-code-enforcement-officer", roles: ["code-enforcement-officer"] },
        findings: ["the nuisance remains"],
        comment
      }
    case "ServeHearingDecision":
      return { _tag: name, caseId, service: doc("hearing-decision"), comment }
    case "RecordSummaryAbatement":
      return { _tag: name, caseId, completedAt: actAt, reason: "imminent hazard", work: "hazard removed", costInDollars: amount, comment }
    case "ServePostAbatementNotice":
      return { _tag: name, caseId, service: doc("post-abatement-notice"), comment }
    case "ServeAbatementOrder":
      return { _tag: name, caseId, service: doc("abatement-order"), comment }
    case "RecordCourtAppeal":
      return { _tag: name, caseId, filedAt: actAt, courtCaseNumber: `CV-${move.kind}`, comment }
    case "RecordCourtDecision":
      return { _tag: name, caseId, decidedAt: actAt, outcome: rarely(fits ? 6 : 2) ? "overturned" : "upheld", comment }
    case "RecordCityAbatement":
      return { _tag: name, caseId, completedAt: actAt, work: "cleanup", costInDollars: amount, comment }
    case "InvoiceCosts":
      return { _tag: name, caseId, amountInDollars: move.flag ? (s?.abatement?.costInDollars ?? amount) : amount, service: doc("cost-invoice"), comment }
    case "RecordPayment": {
      const unpaid = s?.citations.find((c) => c.status === "unpaid")
      return {
        _tag: name,
        caseId,
        paidAt: actAt,
        amountInDollars: move.flag ? Math.max(0.01, (s?.costs.invoicedInDollars ?? 0) - (s?.costs.paidInDollars ?? 0)) : amount,
        toward: unpaid !== undefined && move.kind % 2 === 0 ? { _tag: "Citation", citationNumber: unpaid.citationNumber } : { _tag: "AbatementCosts" }
      }
    }
    case "ServeLienNotice":
      // Mostly served right (personally on the owner); sometimes by mail alone, which is refused.
      return { _tag: name, caseId, service: { ...doc("lien-notice"), method: rarely(4) ? "certified-mail" : "personal-delivery" }, comment }
    case "RecordLien":
      return { _tag: name, caseId, recordedAt: actAt, comment }
    case "ServeSpecialAssessmentNotice":
      return { _tag: name, caseId, hearingAt: DateTime.add(actAt, { hours: 24 * (1 + (move.kind % 20)) }), service: doc("special-assessment-notice"), comment }
    case "RecordSpecialAssessment":
      return { _tag: name, caseId, confirmedAt: actAt, comment }
    case "FileCivilAction":
      return { _tag: name, caseId, kind: kinds[move.kind % 3]!, courtCaseNumber: `CV-${move.kind}`, filedAt: actAt, comment }
    case "ConcludeCivilAction": {
      const pending = s?.civilActions.find((a) => a.outcome === undefined)
      return { _tag: name, caseId, kind: move.flag && pending !== undefined ? pending.kind : kinds[move.kind % 3]!, outcome: "settled", concludedAt: actAt, comment }
    }
    case "CloseCase":
      return {
        _tag: name,
        caseId,
        reason: s?.stage === "civil-action"
          ? "civil-action-concluded"
          : s?.stage === "lien-recorded" && move.flag
          ? "lien-recorded"
          : s?.stage === "special-assessment-recorded" && move.flag
          ? "special-assessment-recorded"
          : "costs-recovered",
        comment
      }
    case "AttachPoliceEvidence":
      return { _tag: name, caseId, description: "arrest report" }
    case "CommentOnCase":
      return { _tag: name, caseId, comment }
  }
}

const chooseName = (state: NuisanceCaseState, move: Move): NuisanceCaseCommandName => {
  if (move.fits < 8) {
    if (state._tag === "NoCase") return "OpenCase"
    const offPath = state.variant === "standard" ? "ServeOwnerLetter" : "RecordInspection"
    const fitting = names.filter((name) =>
      name !== "OpenCase" && name !== offPath &&
      nuisanceCaseCommandStages[name as Exclude<NuisanceCaseCommandName, "OpenCase">].includes(state.stage)
    )
    // Payments, evidence and comments fit every stage; they would crowd out the workflow.
    // A summary abatement fits most stages; it is rare, or no run would reach the later ones.
    const moving = fitting.filter((name) =>
      !["RecordPayment", "AttachPoliceEvidence", "CommentOnCase"].includes(name) && (name !== "RecordSummaryAbatement" || move.kind % 10 === 0)
    )
    // Half the time an abatement order is appealed: the only step with a window that closes.
    if (state.stage === "abatement-ordered" && move.kind % 2 === 0) return "RecordCourtAppeal"
    const pool = moving.length > 0 && move.kind % 4 !== 0 ? moving : fitting
    if (pool.length > 0) return pool[move.pick % pool.length]!
  }
  return names[move.pick % names.length]!
}

const chooseActor = (jurisdiction: Jurisdiction, name: NuisanceCaseCommandName, command: NuisanceCaseCommand, move: Move): Actor => {
  if (move.rightActor < 8) {
    if (command._tag === "OpenCase" && command.source._tag === "AnalyticsFinding") return analytics
    const roles = jurisdiction.programs.justiceForNeighbors.caseDuties[nuisanceCaseCommandDuty[name]]
    return { _tag: "Staff", id: `on-duty-${roles[0]}`, roles: [roles[0]!], districts: ["3"] }
  }
  return actors[move.actorPick % actors.length]!
}

interface Trace {
  readonly reached: Set<CaseStage>
  readonly refusals: Set<string>
}

const runSequence = (jurisdiction: Jurisdiction, moves: ReadonlyArray<Move>, trace: Trace): void => {
  const decider = nuisanceCaseDecider(jurisdiction)
  const caps = jurisdiction.programs.justiceForNeighbors.fineCaps
  // The analytics' evidence meets the jurisdiction's own 30-day count rule: the decider re-checks it.
  const evidenceRule = jurisdiction.programs.justiceForNeighbors.chronicNuisance.rules.find(
    (rule): rule is CountInWindowRule => rule._tag === "count-in-window" && rule.windowDays === 30 && rule.count <= 4
  )!
  let state = decider.initialState
  let now = DateTime.makeUnsafe("2026-03-02T17:00:00Z")
  const visited: Array<CaseStage> = []
  for (const move of moves) {
    // A fitting move often waits just past the case's next open deadline,
    // so that runs reach the steps that wait for one.
    const waits = state._tag === "OpenedCase"
      ? [
        ...state.deadlines.filter((d) => d.status === "open").map((d) => d.due),
        ...(state.stage === "hearing-scheduled" && state.hearing !== undefined ? [state.hearing.hearingAt] : [])
      ]
      : []
    const next = waits.find((due) => DateTime.toEpochMillis(due) > DateTime.toEpochMillis(now))
    const name = chooseName(state, move)
    // (An appeal is the one step that must come before its deadline.)
    now = move.fits < 8 && move.jump < 4 && next !== undefined && name !== "RecordCourtAppeal"
      ? hoursAfter(next, move.advanceHours % 48)
      : hoursAfter(now, move.advanceHours)
    const actAt = hoursAfter(now, -move.backdateHours)
    const command = buildCommand(name, state, move, actAt, evidenceRule)
    const actor = chooseActor(jurisdiction, name, command, move)
    const context = { now, actor }
    const result = decider.decide(command, state, context)
    // Pure: the same command, state and context decide the same way.
    assert.deepStrictEqual(decider.decide(command, state, context), result)

    if (state._tag === "OpenedCase" && state.stage === "closed") {
      assert.isTrue(Result.isFailure(result), `${name} was accepted on a closed case`)
    }
    if (Result.isFailure(result)) {
      // A refusal is typed and names its rule; the state is untouched (nothing is folded).
      const error = result.failure as { readonly _tag: string; readonly rule?: unknown }
      assert.isString(error.rule, `${error._tag} names no rule`)
      trace.refusals.add(`${error._tag}:${String(error.rule)}`)
      if (state._tag === "OpenedCase" && state.stage === "closed") {
        assert.include(["ActionOnClosedCase", "CaseAlreadyOpen"], error._tag)
      }
      continue
    }

    const before = state
    for (const event of result.success) {
      checkEvent(event, before, result.success, visited, caps, jurisdiction.timeZone)
      state = decider.evolve(state, event)
    }
    if (state._tag === "OpenedCase") {
      trace.reached.add(state.stage)
      // Money never goes below zero owed.
      assert.isAtMost(Math.round(state.costs.paidInDollars * 100), Math.round(state.costs.invoicedInDollars * 100))
      for (const citation of state.citations) assert.isAtMost(Math.round(citation.paidInDollars * 100), Math.round(citation.amountInDollars * 100))
    }
  }
}

const checkEvent = (
  event: NuisanceCaseEvent,
  before: NuisanceCaseState,
  decision: ReadonlyArray<NuisanceCaseEvent>,
  visited: Array<CaseStage>,
  caps: Jurisdiction["programs"]["justiceForNeighbors"]["fineCaps"],
  timeZone: string
): void => {
  if (event._tag === "CaseStageChanged") {
    const previous = visited[visited.length - 1]
    assert.strictEqual(event.from, previous ?? null, "a move starts where the case is")
    if (event.from !== null) assert.include(stageGraph[event.from], event.to, `${event.from} -> ${event.to} is not in the graph`)
    const needs = mandatory[event.to]
    if (needs !== undefined) {
      for (const stage of needs.all) assert.include(visited, stage, `${event.to} reached without ${stage}`)
      if (needs.oneOf !== undefined) assert.isTrue(needs.oneOf.some((stage) => visited.includes(stage)), `${event.to} reached without any of ${needs.oneOf.join(", ")}`)
    }
    assert.isAbove(event.comment.length, 0)
    // Escalations wait for their deadline.
    if (before._tag === "OpenedCase") {
      const after = (purpose: "compliance" | "abatement-plan" | "court-appeal" | "cost-payment" | "lien-recording" | "hearing-request") => {
        const deadline = currentDeadline(before, purpose)
        assert.isDefined(deadline, `${event.to} without a ${purpose} deadline`)
        assert.isAbove(DateTime.toEpochMillis(event.at), DateTime.toEpochMillis(deadline!.due), `${event.to} before the ${purpose} deadline`)
      }
      if (event.to === "reinspection-failed" || event.to === "public-nuisance-declared" || event.to === "cited") after("compliance")
      if (event.from === "abatement-plan-agreed") after("abatement-plan")
      const summary = decision.some((e) => e._tag === "SummaryAbatementRecorded")
      // Under an order the owner did not take to court, the city waits out the window to.
      if (event.from === "abatement-ordered" && event.to === "city-abated" && !summary && before.courtAppeal === undefined) after("court-appeal")
      if (event.to === "lien-noticed" || event.to === "special-assessment-noticed") after("cost-payment")
      if (event.to === "lien-recorded") after("lien-recording")
      // The same costs are collected by a lien or by a special assessment, never both.
      const lien = event.to === "lien-noticed" || visited.includes("lien-noticed")
      const assessment = event.to === "special-assessment-noticed" || visited.includes("special-assessment-noticed")
      assert.isFalse(lien && assessment, "a lien and a special assessment for the same costs")
      // An order without a hearing waits for the time to request one.
      if (event.to === "abatement-ordered" && (event.from === "public-nuisance-declared" || event.from === "cited")) after("hearing-request")
      // The city abates under a served order, or summarily with notice after the fact before any invoice.
      if (event.to === "city-abated" && !summary) {
        for (const stage of ["notice-of-violation-served", "public-nuisance-declared", "abatement-ordered"] as const) {
          assert.include(visited, stage, `city-abated reached without ${stage}`)
        }
      }
      if (event.to === "costs-invoiced" && before.summaryAbatement !== undefined) {
        assert.isDefined(lastServed(before, "post-abatement-notice"), "costs of a summary abatement invoiced before the notice after the fact")
      }
    }
    visited.push(event.to)
  }
  if (event._tag === "HearingDecided" && before._tag === "OpenedCase") {
    // Who decided is recorded, with findings; never one who took part, never a seat of the team.
    assert.isDefined(event.findings)
    const officer = event.hearingOfficer!
    assert.notInclude(before.comments.map((note) => note.by), `Staff:${officer.id}`)
    assert.isFalse(officer.roles.some((role) => ["city-attorney", "sergeant", "code-enforcement-officer"].includes(role)))
  }
  if (event._tag === "CitationIssued" && before._tag === "OpenedCase") {
    const schedule = event.schedule === "general" ? caps.general : caps.buildingAndSafety
    // Runs of violations of the same section by the same person, each
    // lasting windowDays from its first (Gov. Code 36900(b)).
    const days = before.citations.filter((c) =>
      c.codeSection === event.codeSection &&
      c.responsiblePersonId === event.responsiblePersonId &&
      c.status !== "cancelled" &&
      DateTime.toEpochMillis(c.issuedAt) <= DateTime.toEpochMillis(event.issuedAt)
    ).map((c) => localDay(c.issuedAt, timeZone))
      // The priors from other cases the event says were counted: each once, none on this case.
      .concat((event.priorViolations ?? []).map((p) => localDay(p.issuedAt, timeZone)))
      .sort((a, b) => a - b)
    const priors = event.priorViolations ?? []
    assert.isTrue(priors.every((p) => p.caseId !== event.caseId), "a prior on the case itself")
    assert.strictEqual(new Set(priors.map((p) => `${p.caseId}/${p.citationNumber}`)).size, priors.length, "a prior counted twice")
    const inRun = (windowDays: number) => {
      let first = Number.NEGATIVE_INFINITY
      let count = 0
      for (const d of [...days, localDay(event.issuedAt, timeZone)]) {
        if (d - first > windowDays) {
          first = d
          count = 1
        } else count++
      }
      return count
    }
    let n = inRun(schedule.windowDays)
    let cap = schedule.capsInDollars[Math.min(n, schedule.capsInDollars.length) - 1]!
    const tier = caps.commercialBuilding ?? { capInDollars: 2500, windowDays: 730 }
    if (event.schedule === "building-and-safety" && event.commercialBuilding !== undefined && inRun(tier.windowDays) >= 3 && tier.capInDollars > cap) {
      n = inRun(tier.windowDays)
      cap = tier.capInDollars
    }
    assert.strictEqual(event.violationNumber, n)
    assert.strictEqual(event.capInDollars, cap)
    assert.isAtMost(event.amountInDollars, cap, "a citation above its cap")
  }
}

const otherCity: Jurisdiction = {
  ...losAngelesLike,
  programs: {
    ...losAngelesLike.programs,
    justiceForNeighbors: {
      ...losAngelesLike.programs.justiceForNeighbors,
      fineCaps: {
        general: { capsInDollars: [250, 500, 1000], windowDays: 30 },
        buildingAndSafety: { capsInDollars: [300, 900], windowDays: 60 }
      }
    }
  }
}

describe("random command sequences", () => {
  for (const [label, jurisdiction] of [["Sacramento", sacramento], ["a second configuration", otherCity]] as const) {
    it(`keep every invariant (${label})`, () => {
      const trace: Trace = { reached: new Set(), refusals: new Set() }
      fc.assert(
        fc.property(fc.array(Move, { minLength: 30, maxLength: 90, size: "max" }), (moves) => runSequence(jurisdiction, moves, trace)),
        { numRuns: 120 }
      )
      // The runs must have gone everywhere, or the properties above say little.
      const missing = CaseStageSchema.literals.filter((stage) => !trace.reached.has(stage))
      assert.deepStrictEqual(missing, [], `stages never reached: ${missing.join(", ")}`)
      for (const refusal of ["ActionOnClosedCase:closed-case-is-final", "WrongCaseStage:stage-order", "DutyNotHeld:role-by-duty", "FineAboveCap:fine-cap", "TooEarly:non-compliance-after-compliance-deadline"]) {
        assert.isTrue(trace.refusals.has(refusal), `never refused with ${refusal}`)
      }
    })
  }
})
