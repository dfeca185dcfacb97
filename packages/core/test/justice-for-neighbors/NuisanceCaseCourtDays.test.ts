/**
 * Code Civ. Proc. 12a on the nuisance case: the 20-day court appeal window
 * (Gov. Code 53069.4(b)(1)) whose last day is a Saturday, Sunday or court
 * holiday runs to the next court day. A filing on that day is timely, and
 * the city may not abate while the right to appeal is still open.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { courtHolidaysOf, isBusinessDay, sacramento, validateJurisdiction } from "@community-policing/core"
import { nuisanceCaseDecider, type NuisanceCaseRefusal } from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  caseId,
  ceo,
  clerk,
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
const story = standardStoryline()

/**
 * The case with the hearing decision, and the abatement order that carries
 * it out, served at 10:00 in Sacramento on `day`: the decision's service
 * starts the court appeal (Gov. Code 53069.4(b)(1)).
 */
const decisionServed = (servedAt: DateTime.Utc): ReadonlyArray<Step> => [
  {
    name: "hearing-decision-served",
    command: { _tag: "ServeHearingDecision", caseId, service: service("hearing-decision", servedAt, "personal-delivery"), comment: "decision served" },
    actor: ceo,
    now: servedAt
  },
  {
    name: "abatement-order",
    command: { _tag: "ServeAbatementOrder", caseId, service: service("abatement-order", servedAt, "personal-delivery"), comment: "order of abatement served" },
    actor: ceo,
    now: servedAt
  }
]

const orderServedOn = (day: string) => replay(decider, [...upTo(story, "hearing-decision"), ...decisionServed(at(`${day}T17:00:00Z`))])

const appealOn = (day: string) => ({
  command: { _tag: "RecordCourtAppeal" as const, caseId, filedAt: at(`${day}T17:00:00Z`), courtCaseNumber: "34-2026-80001234", comment: "writ filed" },
  actor: clerk,
  now: at(`${day}T18:00:00Z`)
})

const abatementOn = (day: string) => ({
  command: { _tag: "RecordCityAbatement" as const, caseId, completedAt: at(`${day}T17:00:00Z`), work: "debris removed", costInDollars: 900, comment: "contractor finished" },
  actor: ceo,
  now: at(`${day}T18:00:00Z`)
})

const windows = [
  { served: "2026-06-13", lastCalendarDay: "2026-07-03", nextCourtDay: "2026-07-06", dayAfter: "2026-07-07", dueUtc: "2026-07-07T06:59:59.999Z", why: "Friday 3 July, Independence Day observed" },
  { served: "2026-10-22", lastCalendarDay: "2026-11-11", nextCourtDay: "2026-11-12", dayAfter: "2026-11-13", dueUtc: "2026-11-13T07:59:59.999Z", why: "Wednesday 11 November, Veterans Day" },
  { served: "2026-06-29", lastCalendarDay: "2026-07-19", nextCourtDay: "2026-07-20", dayAfter: "2026-07-21", dueUtc: "2026-07-21T06:59:59.999Z", why: "Sunday 19 July" },
  {
    served: "2026-09-05",
    lastCalendarDay: "2026-09-25",
    nextCourtDay: "2026-09-28",
    dayAfter: "2026-09-29",
    dueUtc: "2026-09-29T06:59:59.999Z",
    why: "Friday 25 September, Native American Day (a court holiday the city's offices do not close for)"
  }
] as const

describe("Code Civ. Proc. 12a: the court appeal window ends on a court day", () => {
  for (const { served, lastCalendarDay, nextCourtDay, dayAfter, dueUtc, why } of windows) {
    describe(`given an abatement order served on ${served}, whose 20th day is ${why}`, () => {
      it(`the appeal window is due at the end of ${nextCourtDay} in Sacramento, not ${lastCalendarDay}`, () => {
        const { events } = orderServedOn(served)
        const opened = ofTag(events, "DeadlineSet").find((event) => event.deadline.purpose === "court-appeal")
        assert.isDefined(opened)
        assert.strictEqual(iso(opened!.deadline.due), dueUtc)
        assert.deepStrictEqual(opened!.deadline.period, { amount: 20, unit: "calendar-days", lastDay: "next-court-day" })
      })

      it(`when the owner files a court appeal on ${nextCourtDay}, then it is accepted as timely`, () => {
        const { state } = orderServedOn(served)
        const events = accepted(decideStep(decider, state, appealOn(nextCourtDay)))
        assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "court-appeal", outcome: "satisfied" })
        assert.strictEqual(ofTag(events, "CourtAppealFiled").length, 1)
      })

      it(`when the city records its abatement on ${nextCourtDay}, then it is refused: the right to appeal is still open`, () => {
        const { state } = orderServedOn(served)
        const error = expectTag(refusal(decideStep(decider, state, abatementOn(nextCourtDay))), "TooEarly")
        assert.strictEqual(error.rule, "no-city-abatement-during-court-appeal-window")
        assert.strictEqual(error.waitsFor, "court-appeal")
      })

      it(`when the appeal comes on ${dayAfter}, then it is too late, and the city may abate`, () => {
        const { state } = orderServedOn(served)
        const late = expectTag(refusal(decideStep(decider, state, appealOn(dayAfter))), "TooLate")
        assert.strictEqual(late.rule, "court-appeal-window")
        const events = accepted(decideStep(decider, state, abatementOn(dayAfter)))
        assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "court-appeal", outcome: "expired" })
      })
    })
  }
})

describe("the court appeal window (property)", () => {
  it("for an order served on any day of 2026, the window ends on a court day, no earlier than 20 calendar days and at most four days later", () => {
    const dayOf2026 = fc.integer({ min: 100, max: 330 }) // after the storyline's hearing decision, before the preset's holidays run out
    fc.assert(
      fc.property(dayOf2026, fc.integer({ min: 0, max: 23 }), (dayOfYear, hour) => {
        const servedAt = DateTime.add(at("2026-01-01T00:00:00Z"), { days: dayOfYear, hours: hour })
        const { events } = replay(decider, [...upTo(story, "hearing-decision"), ...decisionServed(servedAt)])
        const window = ofTag(events, "DeadlineSet").find((event) => event.deadline.purpose === "court-appeal")!.deadline
        const due = DateTime.setZone(window.due, DateTime.zoneMakeNamedUnsafe(sacramento.timeZone))
        const plainLastDay = DateTime.add(DateTime.setZone(servedAt, DateTime.zoneMakeNamedUnsafe(sacramento.timeZone)), { days: 20 })
        const daysLater = (Date.parse(DateTime.formatIsoDate(due)) - Date.parse(DateTime.formatIsoDate(plainLastDay))) / 86_400_000
        return isBusinessDay(due, courtHolidaysOf(sacramento)) && daysLater >= 0 && daysLater <= 4
      }),
      { numRuns: 60 }
    )
  })
})

describe("the court appeal's court-day rule is fixed by law, not by configuration", () => {
  const withCourtAppeal = (courtAppeal: unknown) => {
    const jfn = sacramento.programs.justiceForNeighbors
    return validateJurisdiction({
      ...sacramento,
      programs: { ...sacramento.programs, justiceForNeighbors: { ...jfn, periods: { ...jfn.periods, courtAppeal } } }
    })
  }

  it("a configuration that would count the court appeal as plain calendar days is rejected", () => {
    const result = withCourtAppeal({ amount: 20, unit: "calendar-days", lastDay: "as-counted" })
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.deepStrictEqual(result.failure.problems[0]!.path, ["programs", "justiceForNeighbors", "periods", "courtAppeal"])
      assert.match(result.failure.problems[0]!.message, /12a/)
    }
  })

  it("a configuration that states the rule, or leaves it out, is accepted", () => {
    assert.isTrue(Result.isSuccess(withCourtAppeal({ amount: 20, unit: "calendar-days", lastDay: "next-court-day" })))
    assert.isTrue(Result.isSuccess(withCourtAppeal({ amount: 20, unit: "calendar-days" })))
  })
})
