/**
 * Facts recorded when they happened (issue 10, item 8): an act done on one
 * day and entered on a later one is dated, and its deadlines counted, by
 * when it happened (`occurredAt`), never by when it was typed in; and an
 * `occurredAt` in the future or before the case's current step is refused.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import { computeDeadline, sacramento } from "@community-policing/core"
import { nuisanceCaseDecider, type NuisanceCaseCommand } from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  attorney,
  caseId,
  ceo,
  decideStep,
  iso,
  ofTag,
  opened,
  refusal,
  replay,
  sergeant,
  standardStoryline,
  upTo
} from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()
const monday = at("2026-03-23T17:00:00Z")
const wednesday = at("2026-03-25T18:00:00Z")

const after = (step: string) => replay(decider, upTo(story, step)).state
const decide = (step: string, command: NuisanceCaseCommand, now: DateTime.Utc = wednesday, actor = ceo) =>
  decideStep(decider, after(step), { command, actor, now })

describe("an act entered after the day it happened", () => {
  it("a triage decided on Monday and entered on Wednesday is dated Monday", () => {
    const events = accepted(decideStep(decider, after("open"), {
      command: { _tag: "TriageCase", caseId, immediateHazard: false, occurredAt: at("2026-03-02T18:30:00Z"), comment: "triaged on the phone" },
      actor: ceo,
      now: at("2026-03-04T18:00:00Z")
    }))
    assert.strictEqual(iso(ofTag(events, "CaseTriaged")[0]!.at), "2026-03-02T18:30:00.000Z")
    assert.strictEqual(iso(ofTag(events, "CaseStageChanged")[0]!.at), "2026-03-02T18:30:00.000Z")
  })

  it("an extension granted on Monday and entered on Wednesday counts from Monday once the old deadline has passed", () => {
    const period = { amount: 7, unit: "calendar-days" } as const
    const events = accepted(decide("reinspection-failed", { _tag: "GrantExtension", caseId, period, occurredAt: monday, reason: "owner hired a contractor" }))
    const granted = ofTag(events, "ExtensionGranted")[0]!
    const fromMonday = computeDeadline({ start: monday, period, rule: "test" }, sacramento)
    const fromWednesday = computeDeadline({ start: wednesday, period, rule: "test" }, sacramento)
    assert.isTrue(Result.isSuccess(fromMonday) && Result.isSuccess(fromWednesday))
    if (Result.isFailure(fromMonday) || Result.isFailure(fromWednesday)) return
    assert.strictEqual(iso(granted.grantedAt), iso(monday))
    assert.strictEqual(iso(granted.newDue), iso(fromMonday.success.due))
    assert.notStrictEqual(iso(granted.newDue), iso(fromWednesday.success.due))
    assert.strictEqual(iso(ofTag(events, "DeadlineSet")[0]!.deadline.start), iso(monday))
  })

  it("a comment and police evidence are dated when they happened", () => {
    const comment = accepted(decide("public-nuisance", { _tag: "CommentOnCase", caseId, occurredAt: monday, comment: "owner phoned" }))
    assert.strictEqual(iso(ofTag(comment, "CaseCommented")[0]!.at), iso(monday))
    const evidence = accepted(decide("public-nuisance", { _tag: "AttachPoliceEvidence", caseId, occurredAt: monday, description: "arrest at the property" }, wednesday, sergeant))
    assert.strictEqual(iso(ofTag(evidence, "PoliceEvidenceAttached")[0]!.attachedAt), iso(monday))
  })

  it("a case closed on one day and entered on another is closed on the day it was", () => {
    const closedOn = at("2026-09-01T20:00:00Z")
    const events = accepted(decide(
      "civil-action-concluded",
      { _tag: "CloseCase", caseId, reason: "civil-action-concluded", occurredAt: closedOn, comment: "closed at the meeting" },
      at("2026-09-03T17:00:00Z"),
      attorney
    ))
    assert.strictEqual(iso(ofTag(events, "CaseClosed")[0]!.at), iso(closedOn))
  })

  it("a notice served on Monday and entered on Tuesday runs its time to comply from Monday", () => {
    const state = replay(decider, upTo(story, "notice-of-violation")).state
    const compliance = opened(state).deadlines.find((deadline) => deadline.purpose === "compliance")
    assert.isDefined(compliance)
    // The storyline serves at 2026-03-04T19:00Z and enters it an hour later.
    assert.strictEqual(iso(compliance!.start), "2026-03-04T19:00:00.000Z")
  })
})

describe("an implausible occurredAt is refused and changes nothing", () => {
  it("in the future", () => {
    const error = refusal(decide("reinspection-failed", {
      _tag: "GrantExtension",
      caseId,
      period: { amount: 7, unit: "calendar-days" },
      occurredAt: at("2026-03-26T18:00:00Z"),
      reason: "owner hired a contractor"
    }))
    assert.strictEqual(error._tag, "ImplausibleInstant")
    assert.strictEqual(error._tag === "ImplausibleInstant" ? error.field : "", "occurredAt")
  })

  it("before the case's current step", () => {
    // The reinspection failed at 2026-03-20T17:00Z.
    const error = refusal(decide("reinspection-failed", { _tag: "CommentOnCase", caseId, occurredAt: at("2026-03-19T17:00:00Z"), comment: "too early" }))
    assert.strictEqual(error._tag, "ImplausibleInstant")
  })
})
