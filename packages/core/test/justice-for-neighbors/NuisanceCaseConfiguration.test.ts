/**
 * Nothing in the nuisance case is Sacramento's: the same commands under a
 * second configuration (the Los Angeles-like preset with other fine caps
 * and a shorter court appeal period) give other deadlines, caps, duties and
 * districts.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { type Jurisdiction, losAngelesLike, sacramento, validateJurisdiction } from "@community-policing/core"
import { nuisanceCaseDecider, type NuisanceCaseCommand } from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  attorney,
  caseId,
  ceo,
  clerk,
  decideStep,
  iso,
  ofTag,
  opened,
  prosecutor,
  refusal,
  replay,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"

const la = losAngelesLike.programs.justiceForNeighbors
const otherCity: Jurisdiction = {
  ...losAngelesLike,
  programs: {
    ...losAngelesLike.programs,
    justiceForNeighbors: {
      ...la,
      periods: { ...la.periods, courtAppeal: { amount: 10, unit: "business-days" } },
      fineCaps: {
        general: { capsInDollars: [250, 500, 1000], windowDays: 180 },
        buildingAndSafety: { capsInDollars: [300, 900], windowDays: 180 }
      }
    }
  }
}

const other = nuisanceCaseDecider(otherCity)
const sac = nuisanceCaseDecider(sacramento)

// Illegal dumping: 5 business days to comply in the other city, 14 calendar days in Sacramento.
const dumping = standardStoryline().map((step): Step =>
  step.command._tag === "OpenCase" ? { ...step, command: { ...step.command, category: "illegal-dumping" } } : step
)
const both = [["other city", other], ["Sacramento", sac]] as const

const whenAfter = (decider: typeof other, given: ReadonlyArray<Step>, step: Step) =>
  decideStep(decider, replay(decider, given).state, step)

describe("a second configuration", () => {
  it("is a valid jurisdiction", () => {
    assert.isTrue(Result.isSuccess(validateJurisdiction(otherCity)))
  })

  it("counts the inspection from its own periods: 72 hours, 4 hours for a hazard", () => {
    const open = dumping[0]!
    const routine = ofTag(accepted(decideStep(other, other.initialState, open)), "DeadlineSet")[0]!
    assert.strictEqual(iso(routine.deadline.due), "2026-03-05T17:00:00.000Z")
    const hazard = ofTag(accepted(decideStep(other, other.initialState, { ...open, command: { ...(open.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>), immediateHazard: true } })), "DeadlineSet")[0]!
    assert.strictEqual(iso(hazard.deadline.due), "2026-03-02T21:00:00.000Z")
  })

  it("counts compliance in its own unit: 5 business days there, 14 calendar days in Sacramento", () => {
    const dues = both.map(([, decider]) =>
      iso(ofTag(accepted(whenAfter(decider, upTo(dumping, "inspection"), dumping[3]!)), "DeadlineSet")[0]!.deadline.due)
    )
    assert.deepStrictEqual(dues, ["2026-03-12T06:59:59.999Z", "2026-03-19T06:59:59.999Z"])
  })

  it("escalates on its own deadline: a failed reinspection on 13 March is on time there, too early in Sacramento", () => {
    const reinspection: Step = {
      name: "reinspection",
      command: { _tag: "RecordReinspection", caseId, inspectedAt: at("2026-03-13T17:00:00Z"), compliant: false, comment: "dumping continues" },
      actor: ceo,
      now: at("2026-03-13T18:00:00Z")
    }
    assert.isTrue(Result.isSuccess(whenAfter(other, upTo(dumping, "notice-of-violation"), reinspection)))
    assert.strictEqual(refusal(whenAfter(sac, upTo(dumping, "notice-of-violation"), reinspection))._tag, "TooEarly")
  })

  it("caps fines with its own schedules: $250 first there, refused in Sacramento", () => {
    const citation: Step = {
      ...dumping.find((s) => s.name === "citation")!,
      command: { ...(dumping.find((s) => s.name === "citation")!.command as Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>), amountInDollars: 250 }
    }
    const given = upTo(dumping, "public-nuisance")
    assert.deepInclude(ofTag(accepted(whenAfter(other, given, citation)), "CitationIssued")[0] as object, { capInDollars: 250, windowDays: 180 })
    const refused = refusal(whenAfter(sac, given, citation))
    assert.strictEqual(refused._tag, "FineAboveCap")
    if (refused._tag === "FineAboveCap") assert.strictEqual(refused.cap.capInDollars, 100)
  })

  it("with a two-cap building schedule, the third violation keeps the second cap; 181 days after the first the count restarts", () => {
    const base = dumping.find((s) => s.name === "citation")!.command as Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>
    const cite = (n: string, day: string, amount: number): Step => ({
      name: n,
      command: { ...base, citationNumber: n, codeSection: "LABC 91.8903", schedule: "building-and-safety", amountInDollars: amount, service: service("administrative-citation", at(`${day}T17:00:00Z`)) },
      actor: ceo,
      now: at(`${day}T18:00:00Z`)
    })
    const { state } = replay(other, [...upTo(dumping, "public-nuisance"), cite("B-1", "2026-03-24", 300), cite("B-2", "2026-03-25", 900)])
    assert.deepInclude(ofTag(accepted(decideStep(other, state, cite("B-3", "2026-03-26", 900))), "CitationIssued")[0] as object, { violationNumber: 3, capInDollars: 900 })
    // 24 March + 180 days = 20 September: still within the window of the first.
    assert.deepInclude(ofTag(accepted(decideStep(other, state, cite("B-4", "2026-09-20", 900))), "CitationIssued")[0] as object, { violationNumber: 3 })
    // 21 September: the window of the first is over, so the count restarts,
    // although the second is only 180 days back (counted from the first, Gov. Code 36900(b)).
    assert.strictEqual(refusal(decideStep(other, state, cite("B-5", "2026-09-21", 900)))._tag, "FineAboveCap")
    assert.deepInclude(ofTag(accepted(decideStep(other, state, cite("B-5", "2026-09-21", 300))), "CitationIssued")[0] as object, { violationNumber: 1 })
  })

  it("counts the court appeal window in business days, so the city may abate sooner there", () => {
    const order = ofTag(accepted(whenAfter(other, upTo(dumping, "hearing-decision"), dumping.find((s) => s.name === "hearing-decision-served")!)), "DeadlineSet")[0]!
    assert.strictEqual(iso(order.deadline.due), "2026-04-24T06:59:59.999Z")
    const abate: Step = {
      name: "abate",
      command: { _tag: "RecordCityAbatement", caseId, completedAt: at("2026-04-25T17:00:00Z"), work: "dumped tires hauled", costInDollars: 800, comment: "done" },
      actor: ceo,
      now: at("2026-04-25T18:00:00Z")
    }
    assert.isTrue(Result.isSuccess(whenAfter(other, upTo(dumping, "abatement-order"), abate)))
    assert.strictEqual(refusal(whenAfter(sac, upTo(dumping, "abatement-order"), abate))._tag, "TooEarly")
  })

  it("gives the time to pay abatement costs from its own setting (15 business days)", () => {
    const invoice = ofTag(accepted(whenAfter(other, upTo(dumping, "city-abatement"), dumping.find((s) => s.name === "invoice")!)), "DeadlineSet")[0]!
    assert.strictEqual(iso(invoice.deadline.due), "2026-05-28T06:59:59.999Z")
  })

  it("grants duties to its own roles: the neighborhood prosecutor files civil actions there, not in Sacramento", () => {
    const suit = { ...dumping.find((s) => s.name === "civil-action")!, actor: prosecutor }
    assert.isTrue(Result.isSuccess(whenAfter(other, upTo(dumping, "lien"), suit)))
    const refused = refusal(whenAfter(sac, upTo(dumping, "lien"), suit))
    assert.strictEqual(refused._tag, "DutyNotHeld")
    if (refused._tag === "DutyNotHeld") assert.deepStrictEqual(refused.requiredRoles, ["city-attorney"])
    // And the clerk records payments in both, but only there is the officer refused.
    const payment: Step = {
      name: "pay",
      command: { _tag: "RecordPayment", caseId, paidAt: at("2026-05-10T17:00:00Z"), amountInDollars: 10, toward: { _tag: "AbatementCosts" } },
      actor: ceo,
      now: at("2026-05-10T18:00:00Z")
    }
    assert.strictEqual(refusal(whenAfter(other, upTo(dumping, "invoice"), payment))._tag, "DutyNotHeld")
    assert.isTrue(Result.isSuccess(whenAfter(sac, upTo(dumping, "invoice"), payment)))
    assert.isTrue(Result.isSuccess(whenAfter(other, upTo(dumping, "invoice"), { ...payment, actor: clerk })))
  })

  it("knows its own council districts: 12 exists there, not in Sacramento", () => {
    const open = dumping[0]!
    const command = { ...(open.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>), councilDistrict: "12" }
    const citywideClerk = { ...clerk, districts: [] }
    assert.isTrue(Result.isSuccess(decideStep(other, other.initialState, { ...open, command, actor: citywideClerk })))
    assert.strictEqual(refusal(decideStep(sac, sac.initialState, { ...open, command, actor: citywideClerk }))._tag, "UnknownCouncilDistrict")
  })

  it("runs a whole case to closure under its own duties", () => {
    const steps = dumping.map((step) => step.name === "closed" ? { ...step, actor: prosecutor } : step)
    const { state } = replay(other, steps)
    assert.strictEqual(opened(state).stage, "closed")
    assert.strictEqual(refusal(whenAfter(other, dumping.slice(0, -1), { ...dumping[dumping.length - 1]!, actor: attorney }))._tag, "DutyNotHeld")
  })
})
