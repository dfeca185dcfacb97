import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import type { DecisionContext } from "@community-policing/core"
import { deciderSpec } from "@community-policing/testkit"
import { type ComplaintCommand, complaintDecider, type ComplaintEvent, complaintEvents } from "./fixtures/Complaint.ts"

const context: DecisionContext = {
  now: DateTime.makeUnsafe("2026-03-01T17:00:00Z"),
  actor: { _tag: "Staff", id: "ceo-1", roles: ["code-enforcement-officer"], districts: ["3"] }
}
const opened: ComplaintEvent = {
  _tag: "ComplaintOpened",
  complaintId: "c1",
  district: "3",
  description: "dumped mattresses",
  complainant: "A. Resident"
}

/** Given these past events, when this command, then these events or this refusal. */
const spec = deciderSpec(complaintDecider)
const given = (events: ReadonlyArray<ComplaintEvent>) => ({
  when: (command: ComplaintCommand) => spec.given(events).when(command, context)
})

describe("decider (given / when / then)", () => {
  it("given nothing, when a complaint is opened, then it is opened", () => {
    given([]).when({
      _tag: "OpenComplaint",
      complaintId: "c1",
      district: "3",
      description: "dumped mattresses",
      complainant: "A. Resident"
    }).then([opened])
  })

  it("given an open complaint, when it is opened again, then the open-once rule refuses", () => {
    const refusal = given([opened]).when({
      _tag: "OpenComplaint",
      complaintId: "c1",
      district: "3",
      description: "again",
      complainant: "B"
    }).thenRefused("ComplaintRefused")
    assert.strictEqual(refusal.rule, "open-once")
  })

  it("given a closed complaint, when it is acknowledged, then the refusal names the rule and state", () => {
    const refusal = given([opened, { _tag: "ComplaintClosed", complaintId: "c1", comment: "cleared" }]).when({
      _tag: "AcknowledgeComplaint",
      complaintId: "c1"
    }).thenRefused("ComplaintRefused")
    assert.strictEqual(refusal.rule, "acknowledge-open-only")
    assert.strictEqual(refusal.status, "closed")
  })

  it("given an open complaint, when closed without a comment, then comment-required refuses", () => {
    const refusal = given([opened]).when({ _tag: "CloseComplaint", complaintId: "c1", comment: "  " }).thenRefused("ComplaintRefused")
    assert.strictEqual(refusal.rule, "comment-required")
  })
})

describe("event catalog", () => {
  it("writes events with their current schema version", () => {
    const encoded = complaintEvents.encode(opened)
    assert.strictEqual(encoded.eventType, "ComplaintOpened")
    assert.strictEqual(encoded.schemaVersion, 2)
    assert.strictEqual(complaintEvents.encode({ _tag: "ComplaintAcknowledged", complaintId: "c1" }).schemaVersion, 1)
  })

  it("upcasts version 1 data on read", () => {
    const decoded = complaintEvents.decode({
      eventType: "ComplaintOpened",
      schemaVersion: 1,
      data: { _tag: "ComplaintOpened", complaintId: "c0", description: "old", complainant: "X" }
    })
    assert.deepStrictEqual(decoded, Result.succeed({
      _tag: "ComplaintOpened",
      complaintId: "c0",
      description: "old",
      complainant: "X",
      district: "citywide"
    } as ComplaintEvent))
  })

  it("refuses data from a newer version, an unknown type, or a missing upcaster, with the reason", () => {
    const newer = complaintEvents.decode({ eventType: "ComplaintOpened", schemaVersion: 3, data: {} })
    const unknown = complaintEvents.decode({ eventType: "Nope", schemaVersion: 1, data: { _tag: "Nope" } })
    const noPath = complaintEvents.decode({ eventType: "ComplaintOpened", schemaVersion: 0, data: {} })
    for (const result of [newer, unknown, noPath]) assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(newer)) assert.match(newer.failure.reason, /newer schema version/)
    if (Result.isFailure(noPath)) assert.match(noPath.failure.reason, /no upcaster from version 0/)
  })
})
