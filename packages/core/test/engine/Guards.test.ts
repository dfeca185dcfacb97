import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import {
  type Actor,
  actorKindAllowed,
  commandAction,
  coversDistrict,
  dutyAccessRules,
  type DutyTable,
  emitter,
  hasCome,
  hasPassed,
  holdsDuty,
  inStage,
  knownCouncilDistrict,
  makeDraft,
  parseStreamId,
  plausibleInstant,
  sacramento,
  servesDistrict,
  staffOnDuty,
  stageMove,
  streamId,
  streamIdPrefix,
  strictlyAfter,
  withinWindow
} from "@community-policing/core"

const at = (iso: string) => DateTime.makeUnsafe(iso)
const failure = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) assert.fail("expected a refusal")
  return (result as Result.Failure<A, E>).failure
}

type Command = "Open" | "Inspect" | "Close"
type Duty = "intake" | "inspect" | "close"
const duties: DutyTable<Command, Duty> = {
  commandDuty: { Open: "intake", Inspect: "inspect", Close: "close" },
  dutyRoles: { intake: ["clerk", "code-enforcement-officer"], inspect: ["code-enforcement-officer"], close: [] },
  setting: (duty) => `programs.example.duties.${duty}`
}
const officer: Actor = { _tag: "Staff", id: "ceo-1", roles: ["code-enforcement-officer"], districts: ["3"] }
const citywideClerk: Actor = { _tag: "Staff", id: "clerk-1", roles: ["clerk"], districts: [] }
const resident: Actor = { _tag: "Public", id: "resident-1" }
const system: Actor = { _tag: "System", id: "scheduler" }

describe("guards: who", () => {
  it("actor kind: only the kinds allowed, refused with the rule given (staff-only by default)", () => {
    assert.isTrue(Result.isSuccess(actorKindAllowed("Inspect", officer, ["Staff"])))
    const refused = failure(actorKindAllowed("Inspect", resident, ["Staff"]))
    assert.deepStrictEqual({ tag: refused._tag, rule: refused.rule, command: refused.command, actorKind: refused.actorKind }, {
      tag: "ActorKindNotAllowed",
      rule: "staff-only",
      command: "Inspect",
      actorKind: "Public"
    })
    assert.strictEqual(failure(actorKindAllowed("Open", system, ["Staff", "Public"], "source-by-actor-kind")).rule, "source-by-actor-kind")
  })

  it("duty: a role the duty is granted to, else DutyNotHeld naming the roles and the setting", () => {
    if (officer._tag !== "Staff" || citywideClerk._tag !== "Staff") return assert.fail("staff fixtures")
    assert.isTrue(Result.isSuccess(holdsDuty(duties, "Inspect", officer)))
    const refused = failure(holdsDuty(duties, "Inspect", citywideClerk))
    assert.strictEqual(refused._tag, "DutyNotHeld")
    assert.strictEqual(refused.rule, "role-by-duty")
    assert.strictEqual(refused.duty, "inspect")
    assert.deepStrictEqual(refused.requiredRoles, ["code-enforcement-officer"])
    assert.deepStrictEqual(refused.actorRoles, ["clerk"])
    assert.strictEqual(refused.setting, "programs.example.duties.inspect")
    // A duty granted to no role is held by nobody.
    assert.match(failure(holdsDuty(duties, "Close", officer)).message, /held by  \(programs\.example\.duties\.close\)/)
  })

  it("district: staff serving it, or citywide staff (no district)", () => {
    if (officer._tag !== "Staff" || citywideClerk._tag !== "Staff") return assert.fail("staff fixtures")
    assert.isTrue(coversDistrict([], "7"))
    assert.isTrue(coversDistrict(["3"], "3"))
    assert.isFalse(coversDistrict(["3"], "7"))
    assert.isTrue(Result.isSuccess(servesDistrict("Inspect", citywideClerk, "7")))
    const refused = failure(servesDistrict("Inspect", officer, "7"))
    assert.strictEqual(refused._tag, "OutsideCaseDistrict")
    assert.strictEqual(refused.rule, "own-district")
    assert.deepStrictEqual(refused.actorDistricts, ["3"])
  })

  it("staff on duty: actor kind, then duty, then district, the first refusal wins", () => {
    assert.strictEqual(failure(staffOnDuty(duties, "Inspect", resident, "3"))._tag, "ActorKindNotAllowed")
    assert.strictEqual(failure(staffOnDuty(duties, "Inspect", citywideClerk, "7"))._tag, "DutyNotHeld")
    assert.strictEqual(failure(staffOnDuty(duties, "Inspect", officer, "7"))._tag, "OutsideCaseDistrict")
    assert.strictEqual(Result.getOrThrow(staffOnDuty(duties, "Open", citywideClerk, "7")).id, "clerk-1")
  })
})

describe("guards: on what", () => {
  it("a council district the jurisdiction has, else one refusal listing the ones it has", () => {
    assert.isTrue(Result.isSuccess(knownCouncilDistrict(sacramento, "Open", "3")))
    const refused = failure(knownCouncilDistrict(sacramento, "FormDistrictTeam", "9"))
    assert.strictEqual(refused._tag, "UnknownCouncilDistrict")
    assert.strictEqual(refused.rule, "known-council-district")
    assert.strictEqual(refused.command, "FormDistrictTeam")
    assert.strictEqual(refused.district, "9")
    assert.deepStrictEqual(refused.councilDistricts, sacramento.councilDistricts.map((district) => district.id))
    assert.match(refused.message, /"9" is not a council district/)
  })
})

describe("guards: from where", () => {
  type Stage = "new" | "open" | "closed"
  const graph: { readonly [S in Stage]: ReadonlyArray<Stage> } = { new: ["open"], open: ["closed"], closed: [] }
  const subject = { caseId: "c-1", stage: "open" as Stage }

  it("a stage the command may be given in, naming the stages it needs", () => {
    assert.isTrue(Result.isSuccess(inStage(subject, "Close", ["open"])))
    const refused = failure(inStage(subject, "Open", ["new"]))
    assert.deepStrictEqual(
      { rule: refused.rule, caseId: refused.caseId, stage: refused.stage, allowedStages: refused.allowedStages },
      { rule: "stage-order", caseId: "c-1", stage: "open", allowedStages: ["new"] }
    )
    assert.strictEqual(failure(inStage(subject, "Inspect", [], "case-variant")).rule, "case-variant")
  })

  it("a move the stage graph allows, and no other", () => {
    assert.isTrue(Result.isSuccess(stageMove(graph, subject, "Close", "closed")))
    const refused = failure(stageMove(graph, subject, "Reopen", "new"))
    assert.strictEqual(refused._tag, "WrongCaseStage")
    assert.deepStrictEqual(refused.allowedStages, [])
  })
})

describe("guards: when", () => {
  const now = at("2026-03-10T12:00:00Z")
  const last = at("2026-03-05T12:00:00Z")

  it("an act is not in the future nor before the step it follows; both bounds are inclusive", () => {
    assert.isTrue(Result.isSuccess(plausibleInstant({ command: "Inspect", field: "inspectedAt", instant: now, notBefore: last, notAfter: now })))
    assert.isTrue(Result.isSuccess(plausibleInstant({ command: "Inspect", field: "inspectedAt", instant: last, notBefore: last, notAfter: now })))
    const future = failure(plausibleInstant({ command: "Inspect", field: "inspectedAt", instant: at("2026-03-11T00:00:00Z"), notBefore: last, notAfter: now }))
    assert.strictEqual(future.rule, "act-instant-in-order")
    assert.strictEqual(future.field, "inspectedAt")
    assert.isTrue(future.notBefore !== undefined && DateTime.Equivalence(future.notBefore, last))
    const early = failure(plausibleInstant({ command: "Inspect", field: "inspectedAt", instant: at("2026-03-01T00:00:00Z"), notBefore: last, notAfter: now }))
    assert.strictEqual(early._tag, "ImplausibleInstant")
    // Without a lower bound, only the future is refused; the refusal names no lower bound.
    const unbounded = failure(plausibleInstant({ command: "Open", field: "receivedAt", instant: at("2026-03-11T00:00:00Z"), notAfter: now }))
    assert.isFalse("notBefore" in unbounded && unbounded.notBefore !== undefined)
  })

  it("strictly after: the same instant is refused with the rule given", () => {
    assert.isTrue(Result.isSuccess(strictlyAfter("hearing-after-notice", "Notice", "hearingAt", now, last)))
    assert.strictEqual(failure(strictlyAfter("hearing-after-notice", "Notice", "hearingAt", last, last)).rule, "hearing-after-notice")
  })

  it("too early: hasPassed needs the instant after the deadline, hasCome allows the deadline itself", () => {
    const awaited = { rule: "no-review-before-term", command: "Review", waitsFor: "plan", setBy: "the plan", due: now }
    assert.strictEqual(failure(hasPassed({ ...awaited, at: now }))._tag, "TooEarly")
    assert.isTrue(Result.isSuccess(hasPassed({ ...awaited, at: at("2026-03-10T12:00:01Z") })))
    assert.isTrue(Result.isSuccess(hasCome({ ...awaited, at: now })))
    const refused = failure(hasCome({ ...awaited, at: last }))
    assert.deepStrictEqual({ rule: refused.rule, waitsFor: refused.waitsFor, setBy: refused.setBy }, { rule: "no-review-before-term", waitsFor: "plan", setBy: "the plan" })
  })

  it("too late: the window includes its last instant", () => {
    const window = { rule: "appeal-window", command: "Appeal", waitsFor: "court-appeal", setBy: "the decision", due: now }
    assert.isTrue(Result.isSuccess(withinWindow({ ...window, at: now })))
    const refused = failure(withinWindow({ ...window, at: at("2026-03-10T12:00:01Z") }))
    assert.strictEqual(refused._tag, "TooLate")
    assert.strictEqual(refused.rule, "appeal-window")
  })
})

describe("the draft of a decision", () => {
  type Event = { readonly _tag: "Added"; readonly amount: number } | { readonly _tag: "Ended" }
  type State = { readonly _tag: "Running"; readonly total: number } | { readonly _tag: "Gone" }
  const evolve = (state: State, event: Event): State =>
    event._tag === "Ended" ? { _tag: "Gone" } : state._tag === "Running" ? { _tag: "Running", total: state.total + event.amount } : state
  const emit = emitter(evolve, (state: State): state is Extract<State, { _tag: "Running" }> => state._tag === "Running")

  it("records events in order, each step seeing the state the previous ones left", () => {
    const draft = makeDraft<Event, Extract<State, { _tag: "Running" }>>({ _tag: "Running", total: 1 })
    emit(draft, { _tag: "Added", amount: 2 }, { _tag: "Added", amount: 3 })
    assert.strictEqual(draft.state.total, 6)
    emit(draft, { _tag: "Ended" })
    assert.deepStrictEqual(draft.events.map((event) => event._tag), ["Added", "Added", "Ended"])
    // An event that leaves the states a draft holds is recorded; the draft keeps its last state.
    assert.strictEqual(draft.state.total, 6)
  })
})

describe("access rules from duties", () => {
  it("commandAction names a command's action on a resource", () => {
    assert.strictEqual(commandAction("nuisance-case", "ServeNoticeOfViolation"), "nuisance-case.serve-notice-of-violation")
  })

  it("one own-district rule per duty granted to a command, with the duty's roles", () => {
    assert.deepStrictEqual(dutyAccessRules("example", duties), [
      { id: "example.duty.intake", actions: ["example.open"], roles: ["clerk", "code-enforcement-officer"], scope: "own-district" },
      { id: "example.duty.inspect", actions: ["example.inspect"], roles: ["code-enforcement-officer"], scope: "own-district" },
      { id: "example.duty.close", actions: ["example.close"], roles: [], scope: "own-district" }
    ])
  })
})

describe("stream ids", () => {
  it("<aggregate-type>/<id>, read back by parseStreamId", () => {
    assert.strictEqual(streamId("nuisance-case", "2026-000123"), "nuisance-case/2026-000123")
    assert.strictEqual(streamIdPrefix("district-team"), "district-team/")
    assert.deepStrictEqual(parseStreamId("access-denials/Staff:jdoe"), { type: "access-denials", id: "Staff:jdoe" })
    // The id is everything after the first slash.
    assert.deepStrictEqual(parseStreamId(streamId("example", "a/b")), { type: "example", id: "a/b" })
  })

  it("refuses what does not follow the convention", () => {
    for (const stream of ["nuisance-case-2026-000123", "district-team/", "/3", "District-Team/3"]) {
      assert.isUndefined(parseStreamId(stream), stream)
    }
  })
})
