/**
 * The notice and order of a dangerous building (Sacramento City Code
 * 8.96.130(B)(3), issue 10 item 10): 30 days from the date of the ORDER to
 * obtain permits and begin work, completion by a reasonable date set in the
 * order; a reinspection may find non-compliance after either deadline.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import { defaultDangerousBuildingStart, type Jurisdiction, sacramento } from "@community-policing/core"
import {
  applyToCaseSummary,
  type CaseSummary,
  type NuisanceCaseCommand,
  nuisanceCaseDecider,
  type NuisanceCaseRefusal,
  type NuisanceCaseState
} from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  ceo,
  decideStep,
  expectTag,
  iso,
  ofTag,
  refusal,
  replay,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)

/** The standard storyline as a dangerous building, up to the inspection that found it. */
const inspected = (category: "dangerous-building" | "blight" = "dangerous-building"): ReadonlyArray<Step> =>
  upTo(standardStoryline(), "inspection").map((step) =>
    step.command._tag === "OpenCase" ? { ...step, command: { ...step.command, category } } : step
  )

type Notice = Extract<NuisanceCaseCommand, { _tag: "ServeNoticeOfViolation" }>
const servedAt = at("2026-03-06T19:00:00Z")
const notice = (fields: Partial<Notice> = {}): Notice => ({
  _tag: "ServeNoticeOfViolation",
  caseId: "2026-000123",
  violations: ["SCC 8.96.060"],
  service: service("notice-of-violation", servedAt, "personal-delivery"),
  orderedAt: at("2026-03-04T17:00:00Z"),
  completeBy: "2026-06-30",
  comment: "notice and order served on the owner",
  ...fields
})
const serve = (command: Notice, jurisdiction: Jurisdiction = sacramento, state?: NuisanceCaseState) => {
  const d = nuisanceCaseDecider(jurisdiction)
  return decideStep(d, state ?? replay(d, inspected()).state, {
    command,
    actor: ceo,
    now: at("2026-03-06T20:00:00Z")
  })
}

describe("the notice and order of a dangerous building (Sacramento City Code 8.96.130(B)(3))", () => {
  it("counts 30 days to obtain permits and begin work from the date of the order, not of service, and completion by the date set in the order", () => {
    const events = accepted(serve(notice()))
    const deadlines = ofTag(events, "DeadlineSet").map((event) => event.deadline)
    const start = deadlines.find((deadline) => deadline.purpose === "permits-and-work-start")
    const compliance = deadlines.find((deadline) => deadline.purpose === "compliance")
    if (start === undefined || compliance === undefined) return assert.fail("expected both deadlines")
    assert.strictEqual(iso(start.start), "2026-03-04T17:00:00.000Z")
    // 2026-03-04 + 30 days = 2026-04-03, the end of that day in Sacramento (PDT).
    assert.strictEqual(iso(start.due), "2026-04-04T06:59:59.999Z")
    assert.deepStrictEqual(start.period, { amount: 30, unit: "calendar-days" })
    assert.match(start.rule, /8\.96\.130\(B\)\(3\)/)
    assert.match(start.rule, /date of the order/)
    // Completion by the end of 2026-06-30, the date the order set.
    assert.strictEqual(iso(compliance.due), "2026-07-01T06:59:59.999Z")
    assert.match(compliance.rule, /date set in the order/)
    const noticed = ofTag(events, "ViolationsNoticed")[0]!
    assert.strictEqual(noticed.orderedAt === undefined ? undefined : iso(noticed.orderedAt), "2026-03-04T17:00:00.000Z")
    assert.strictEqual(noticed.completeBy, "2026-06-30")
  })

  it("the default start period is 30 calendar days; a city may set another", () => {
    assert.deepStrictEqual(defaultDangerousBuildingStart, { amount: 30, unit: "calendar-days" })
    const { dangerousBuildingStart: _, ...periods } = sacramento.programs.justiceForNeighbors.periods
    const withoutSetting: Jurisdiction = {
      ...sacramento,
      programs: { ...sacramento.programs, justiceForNeighbors: { ...sacramento.programs.justiceForNeighbors, periods } }
    }
    const byDefault = ofTag(accepted(serve(notice(), withoutSetting)), "DeadlineSet").find((e) => e.deadline.purpose === "permits-and-work-start")
    assert.strictEqual(byDefault === undefined ? undefined : iso(byDefault.deadline.due), "2026-04-04T06:59:59.999Z")
    const longer: Jurisdiction = {
      ...sacramento,
      programs: {
        ...sacramento.programs,
        justiceForNeighbors: { ...sacramento.programs.justiceForNeighbors, periods: { ...periods, dangerousBuildingStart: { amount: 45, unit: "calendar-days" } } }
      }
    }
    const set = ofTag(accepted(serve(notice(), longer)), "DeadlineSet").find((e) => e.deadline.purpose === "permits-and-work-start")
    assert.strictEqual(set === undefined ? undefined : iso(set.deadline.due), "2026-04-19T06:59:59.999Z")
  })

  it("a dangerous building's notice needs the order's dates; another category's may not carry them", () => {
    const { orderedAt: _o, completeBy: _c, ...bare } = notice()
    assert.strictEqual(expectTag(refusal(serve(bare)), "DangerousBuildingOrderRefused").rule, "order-dates-required")
    const blight = replay(decider, inspected("blight")).state
    assert.strictEqual(expectTag(refusal(serve(notice(), sacramento, blight)), "DangerousBuildingOrderRefused").rule, "order-dates-dangerous-building-only")
    // Other categories keep compliance counted from service.
    const events = accepted(serve(bare, sacramento, blight))
    const compliance = ofTag(events, "DeadlineSet")[0]!.deadline
    assert.strictEqual(compliance.purpose, "compliance")
    assert.strictEqual(iso(compliance.start), iso(servedAt))
  })

  it("the order may precede service but not follow it, nor lie in the future", () => {
    const afterService = expectTag(refusal(serve(notice({ orderedAt: at("2026-03-06T19:30:00Z") }))), "ImplausibleInstant")
    assert.strictEqual(afterService.field, "orderedAt")
    const beforeInspection = expectTag(refusal(serve(notice({ orderedAt: at("2026-03-01T17:00:00Z") }))), "ImplausibleInstant")
    assert.strictEqual(beforeInspection.field, "orderedAt")
  })

  it("completion must be set after the deadline to obtain permits and begin work", () => {
    for (const completeBy of ["2026-04-03", "2026-03-20"]) {
      const error = expectTag(refusal(serve(notice({ completeBy }))), "DangerousBuildingOrderRefused")
      assert.strictEqual(error.rule, "completion-after-start-deadline")
      assert.match(error.source, /8\.96\.130\(B\)\(3\)/)
    }
    accepted(serve(notice({ completeBy: "2026-04-04" })))
  })

  it("an order dated so long before service that its start deadline has passed is refused", () => {
    const state = replay(decider, inspected()).state
    const late = decideStep(decider, state, {
      command: notice({ service: service("notice-of-violation", at("2026-04-10T19:00:00Z"), "personal-delivery") }),
      actor: ceo,
      now: at("2026-04-10T20:00:00Z")
    })
    assert.strictEqual(expectTag(refusal(late), "DangerousBuildingOrderRefused").rule, "start-deadline-after-service")
  })
})

describe("reinspection of a dangerous building", () => {
  const served = (() => {
    const given = replay(decider, inspected()).state
    let state = given
    for (const event of accepted(serve(notice(), sacramento, given))) state = decider.evolve(state, event)
    return state
  })()
  type Reinspection = Extract<NuisanceCaseCommand, { _tag: "RecordReinspection" }>
  const reinspect = (inspectedAt: string, fields: Partial<Reinspection> = {}, state: NuisanceCaseState = served) =>
    decideStep(decider, state, {
      command: { _tag: "RecordReinspection", caseId: "2026-000123", inspectedAt: at(inspectedAt), compliant: false, comment: "reinspected", ...fields },
      actor: ceo,
      now: DateTime.add(at(inspectedAt), { hours: 1 })
    })
  const noPermits = { startDuties: { permitsObtained: false, workBegun: false } }

  it("finds permits not obtained or work not begun only after the start deadline, and records which", () => {
    const early = expectTag(refusal(reinspect("2026-04-03T20:00:00Z", noPermits)), "TooEarly")
    assert.strictEqual(early.waitsFor, "permits-and-work-start")
    const events = accepted(reinspect("2026-04-06T17:00:00Z", { startDuties: { permitsObtained: true, workBegun: false } }))
    const inspection = ofTag(events, "InspectionRecorded")[0]!
    assert.deepStrictEqual(inspection.startDuties, { permitsObtained: true, workBegun: false })
    assert.deepStrictEqual(
      ofTag(events, "DeadlineClosed").map((e) => [e.purpose, e.outcome]),
      [["permits-and-work-start", "expired"], ["compliance", "cancelled"]]
    )
    assert.strictEqual(ofTag(events, "CaseStageChanged")[0]!.to, "reinspection-failed")
  })

  it("after a start failure and an extension, the extended completion date governs, not the start deadline already missed", () => {
    let state: NuisanceCaseState = served
    for (const event of accepted(reinspect("2026-04-06T17:00:00Z", noPermits))) state = decider.evolve(state, event)
    const extension = accepted(decideStep(decider, state, {
      command: { _tag: "GrantExtension", caseId: "2026-000123", period: { amount: 30, unit: "calendar-days" }, reason: "permit application filed" },
      actor: ceo,
      now: at("2026-04-07T17:00:00Z")
    }))
    for (const event of extension) state = decider.evolve(state, event)
    const early = expectTag(refusal(reinspect("2026-05-01T17:00:00Z", noPermits, state)), "TooEarly")
    assert.strictEqual(early.waitsFor, "compliance")
  })

  it("with permits obtained and work begun, the start deadline is met and non-compliance waits for the completion date", () => {
    const events = accepted(reinspect("2026-04-02T17:00:00Z", { startDuties: { permitsObtained: true, workBegun: true } }))
    assert.deepStrictEqual(ofTag(events, "DeadlineClosed").map((e) => [e.purpose, e.outcome]), [["permits-and-work-start", "satisfied"]])
    assert.deepStrictEqual(ofTag(events, "CaseStageChanged"), [])
    let state: NuisanceCaseState = served
    for (const event of events) state = decider.evolve(state, event)
    assert.strictEqual(expectTag(refusal(reinspect("2026-05-01T17:00:00Z", {}, state)), "TooEarly").waitsFor, "compliance")
    const failed = accepted(reinspect("2026-07-02T17:00:00Z", {}, state))
    assert.strictEqual(ofTag(failed, "CaseStageChanged")[0]!.to, "reinspection-failed")
    assert.deepStrictEqual(ofTag(failed, "DeadlineClosed").map((e) => [e.purpose, e.outcome]), [["compliance", "expired"]])
  })

  it("after the completion date, non-compliance is found without saying more, and the start deadline closes with it", () => {
    const failed = accepted(reinspect("2026-07-02T17:00:00Z"))
    assert.deepStrictEqual(
      ofTag(failed, "DeadlineClosed").map((e) => [e.purpose, e.outcome]).sort(),
      [["compliance", "expired"], ["permits-and-work-start", "expired"]]
    )
  })

  it("compliance satisfies both deadlines", () => {
    const done = accepted(reinspect("2026-05-01T17:00:00Z", { compliant: true }))
    assert.deepStrictEqual(
      ofTag(done, "DeadlineClosed").map((e) => [e.purpose, e.outcome]).sort(),
      [["compliance", "satisfied"], ["permits-and-work-start", "satisfied"]]
    )
  })

  it("permits and work are recorded only where the order set a deadline for them", () => {
    const blightSteps = upTo(standardStoryline(), "notice-of-violation")
    const blight = replay(decider, blightSteps).state
    const error = expectTag(refusal(reinspect("2026-03-20T17:00:00Z", noPermits, blight)), "DangerousBuildingOrderRefused")
    assert.strictEqual(error.rule, "start-duties-dangerous-building-only")
  })

  it("the case board lists the start deadline among the open deadlines", () => {
    let summary: CaseSummary | undefined
    const { events } = replay(decider, inspected())
    for (const event of [...events, ...accepted(serve(notice()))]) summary = applyToCaseSummary(summary, event)
    assert.deepStrictEqual(summary?.openDeadlines.map((d) => d.purpose).sort(), ["compliance", "permits-and-work-start"])
  })
})
