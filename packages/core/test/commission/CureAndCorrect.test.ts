/**
 * Given / when / then for cure and correct (Gov. Code 54960.1): the demand's
 * window after the action, the body's 30 days to answer, silence deemed a
 * refusal, and a law without the procedure.
 */
import { assert, describe, it } from "@effect/vitest"
import { deciderSpec } from "@community-policing/testkit"
import { DateTime } from "effect"
import {
  type CureAndCorrectCommand,
  cureAndCorrectDecider,
  type CureAndCorrectEvent,
  deemedDeclined,
  demandsAwaitingAnswer
} from "../../src/commission/CureAndCorrect.ts"
import { californiaBrownAct, washingtonOpenPublicMeetingsAct } from "../../src/commission/OpenMeetingsLaw.ts"
import { at, context } from "./MeetingFixtures.ts"

const spec = deciderSpec(cureAndCorrectDecider({ law: californiaBrownAct, timeZone: "America/Los_Angeles" }))

/** The action: Thursday 12 March 2026, 19:30 Pacific. */
const actionTakenAt = at("2026-03-13T02:30:00Z")

const demand = (receivedAt: DateTime.Utc, violation: "agenda" | "other" = "other"): CureAndCorrectCommand => ({
  _tag: "ReceiveCureDemand",
  demandId: "d-1",
  meetingId: "cpc-2026-03-12",
  itemId: "9",
  actionTakenAt,
  violation,
  demandedBy: "Sacramento Open Government Coalition",
  description: "Item 9 was acted on without appearing on the posted agenda",
  receivedAt
})

const received = (receivedAt: DateTime.Utc, answerDue: DateTime.Utc): CureAndCorrectEvent => ({
  _tag: "CureDemandReceived",
  demandId: "d-1",
  meetingId: "cpc-2026-03-12",
  itemId: "9",
  actionTakenAt,
  violation: "agenda",
  demandedBy: "Sacramento Open Government Coalition",
  description: "Item 9 was acted on without appearing on the posted agenda",
  receivedAt,
  answerDue,
  citation: "Gov. Code 54960.1(c)",
  at: receivedAt
})

describe("cure and correct", () => {
  it("given an agenda violation, a demand 30 days after the action is received with its answer due 30 days later, end of day", () => {
    const receivedAt = at("2026-04-11T18:00:00Z") // 11 April, 30 days after 12 March, Pacific
    spec.given([]).when(demand(receivedAt, "agenda"), context(receivedAt)).then([
      received(receivedAt, DateTime.toUtc(DateTime.makeUnsafe("2026-05-12T06:59:59.999Z")))
    ])
  })

  it("a demand 31 days after an agenda violation is refused; any other violation has 90 days", () => {
    const day31 = at("2026-04-12T18:00:00Z")
    const refusal = spec.given([]).when(demand(day31, "agenda"), context(day31)).thenRefused("CureDemandTooLate")
    assert.deepStrictEqual([refusal.days, refusal.withinDays], [31, 30])
    spec.given([]).when(demand(day31, "other"), context(day31)).thenAccepted()
    const day91 = at("2026-06-11T18:00:00Z")
    spec.given([]).when(demand(day91, "other"), context(day91)).thenRefused("CureDemandTooLate")
  })

  it("a demand dated before the action or in the future is refused", () => {
    spec.given([]).when(demand(at("2026-03-01T00:00:00Z")), context(at("2026-03-20T00:00:00Z"))).thenRefused("ImplausibleInstant")
    spec.given([]).when(demand(at("2026-03-21T00:00:00Z")), context(at("2026-03-20T00:00:00Z"))).thenRefused("ImplausibleInstant")
  })

  it("the answer is recorded once, within or after its period; silence past the due date is a decision not to cure", () => {
    const receivedAt = at("2026-03-20T18:00:00Z")
    const due = DateTime.toUtc(DateTime.makeUnsafe("2026-04-20T06:59:59.999Z"))
    const history = spec.given([received(receivedAt, due)])
    const answer = (answeredAt: DateTime.Utc): CureAndCorrectCommand => ({
      _tag: "AnswerCureDemand",
      demandId: "d-1",
      answer: "unconditional-commitment",
      text: "The commission commits to cease the challenged practice",
      answeredAt
    })
    const [onTime] = history.when(answer(at("2026-04-15T17:00:00Z")), context(at("2026-04-15T17:00:00Z"))).thenAccepted()
    assert.isTrue(onTime?._tag === "CureDemandAnswered" && onTime.withinPeriod)
    const [late] = history.when(answer(at("2026-04-21T17:00:00Z")), context(at("2026-04-21T17:00:00Z"))).thenAccepted()
    assert.isTrue(late?._tag === "CureDemandAnswered" && !late.withinPeriod)
    assert.isFalse(deemedDeclined(history.state, at("2026-04-19T17:00:00Z")))
    assert.isTrue(deemedDeclined(history.state, at("2026-04-20T07:00:00Z")))
    const answered = history.when(answer(at("2026-04-15T17:00:00Z")), context(at("2026-04-15T17:00:00Z"))).stateAfter()
    assert.isFalse(deemedDeclined(answered, at("2026-05-01T00:00:00Z")))
    spec.given([received(receivedAt, due), onTime!]).when(answer(at("2026-04-16T17:00:00Z")), context(at("2026-04-16T17:00:00Z")))
      .thenRefused("CureDemandOutOfOrder")
  })

  it("lists the demands awaiting an answer, nearest due first, overdue marked", () => {
    const state = (demandId: string, due: string, answered: boolean) => {
      const event = { ...received(at("2026-03-20T18:00:00Z"), at(due)), demandId } as CureAndCorrectEvent
      const history: Array<CureAndCorrectEvent> = [event]
      if (answered) history.push({ _tag: "CureDemandAnswered", demandId, answer: "cured", text: "Re-voted", answeredAt: at("2026-04-01T00:00:00Z"), withinPeriod: true, at: at("2026-04-01T00:00:00Z") })
      return spec.given(history).state
    }
    const list = demandsAwaitingAnswer([state("late", "2026-05-01T00:00:00Z", false), state("soon", "2026-04-20T06:59:59.999Z", false), state("done", "2026-04-10T00:00:00Z", true)], at("2026-04-25T00:00:00Z"))
    assert.deepStrictEqual(list.map((demand) => [demand.demandId, demand.overdue]), [["soon", true], ["late", false]])
  })

  it("an answer without a demand, or a second demand on the same stream, is refused", () => {
    spec.given([]).when({ _tag: "AnswerCureDemand", demandId: "d-1", answer: "cured", text: "Re-voted at a noticed meeting", answeredAt: at("2026-04-01T00:00:00Z") }, context(at("2026-04-01T00:00:00Z")))
      .thenRefused("CureDemandOutOfOrder")
    const receivedAt = at("2026-03-20T18:00:00Z")
    spec.given([received(receivedAt, at("2026-04-20T06:59:59.999Z"))]).when(demand(receivedAt), context(receivedAt)).thenRefused("CureDemandOutOfOrder")
  })

  it("a law without the procedure (Washington's RCW 42.30) refuses naming the law", () => {
    const wa = deciderSpec(cureAndCorrectDecider({ law: washingtonOpenPublicMeetingsAct, timeZone: "America/Los_Angeles" }))
    const refusal = wa.given([]).when(demand(at("2026-03-20T18:00:00Z")), context(at("2026-03-20T18:00:00Z"))).thenRefused("CureAndCorrectNotConfigured")
    assert.include(refusal.message, "RCW 42.30")
  })
})
