import { AssertionError } from "node:assert"
import type { Decider, DecisionContext } from "@community-policing/core"
import { deciderSpec, decision, projectionSpec } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"

type Command =
  | { readonly _tag: "Open"; readonly id: string }
  | { readonly _tag: "Close"; readonly id: string; readonly at: DateTime.Utc }
type Event =
  | { readonly _tag: "Opened"; readonly id: string; readonly by: string }
  | { readonly _tag: "Closed"; readonly id: string; readonly at: DateTime.Utc }
type State = { readonly _tag: "None" } | { readonly _tag: "Open"; readonly id: string } | { readonly _tag: "Closed"; readonly id: string }
type Refusal =
  | { readonly _tag: "AlreadyOpen"; readonly message: string; readonly id: string }
  | { readonly _tag: "NotOpen"; readonly message: string; readonly status: State["_tag"] }

const door: Decider<Command, Event, State, Refusal> = {
  initialState: { _tag: "None" },
  decide: (command, state, context) => {
    switch (command._tag) {
      case "Open":
        return state._tag === "None"
          ? Result.succeed([{ _tag: "Opened", id: command.id, by: context.actor.id }])
          : Result.fail({ _tag: "AlreadyOpen", message: `${command.id} is already open`, id: command.id })
      case "Close":
        return state._tag === "Open"
          ? Result.succeed([{ _tag: "Closed", id: command.id, at: command.at }])
          : Result.fail({ _tag: "NotOpen", message: `${command.id} is not open`, status: state._tag })
    }
  },
  evolve: (state, event) => {
    switch (event._tag) {
      case "Opened":
        return { _tag: "Open", id: event.id }
      case "Closed":
        return { _tag: "Closed", id: event.id }
    }
  }
}

const context: DecisionContext = {
  now: DateTime.makeUnsafe("2026-03-01T17:00:00Z"),
  actor: { _tag: "Staff", id: "ceo-1", roles: ["code-enforcement-officer"], districts: ["3"] }
}
const spec = deciderSpec(door)
const opened: Event = { _tag: "Opened", id: "d1", by: "ceo-1" }
const closeAt = DateTime.makeUnsafe("2026-03-02T09:00:00Z")

/** Runs an expectation that must fail, and returns the failure's message. */
const failureOf = (expectation: () => unknown): string => {
  try {
    expectation()
  } catch (error) {
    assert.instanceOf(error, AssertionError)
    return (error as AssertionError).message
  }
  return assert.fail("the expectation passed, but it must fail")
}

describe("deciderSpec", () => {
  it("given events, when a command is accepted, then passes with the exact events and returns them", () => {
    const events = spec.given([]).when({ _tag: "Open", id: "d1" }, context).then([opened])
    assert.deepStrictEqual(events, [opened])
  })

  it("compares events deeply, DateTime values included", () => {
    spec.given([opened]).when({ _tag: "Close", id: "d1", at: closeAt }, context).then([
      { _tag: "Closed", id: "d1", at: DateTime.makeUnsafe("2026-03-02T09:00:00Z") }
    ])
  })

  it("fails when the events differ", () => {
    const message = failureOf(() => spec.given([]).when({ _tag: "Open", id: "d1" }, context).then([{ ...opened, by: "someone-else" }]))
    assert.match(message, /expected the events Opened, got Opened/)
  })

  it("fails when events are expected but the command is refused, naming the refusal", () => {
    const message = failureOf(() => spec.given([opened]).when({ _tag: "Open", id: "d1" }, context).then([opened]))
    assert.match(message, /refused: AlreadyOpen: d1 is already open/)
  })

  it("thenRefused(tag) returns the refusal typed as its kind", () => {
    const refusal = spec.given([opened, { _tag: "Closed", id: "d1", at: closeAt }]).when({ _tag: "Close", id: "d1", at: closeAt }, context).thenRefused("NotOpen")
    assert.strictEqual(refusal.status, "Closed")
  })

  it("thenRefused() without a tag returns any refusal", () => {
    assert.strictEqual(spec.given([opened]).when({ _tag: "Open", id: "d1" }, context).thenRefused()._tag, "AlreadyOpen")
  })

  it("fails when the refusal is of another kind", () => {
    const message = failureOf(() => spec.given([opened]).when({ _tag: "Open", id: "d1" }, context).thenRefused("NotOpen"))
    assert.strictEqual(message, "expected the refusal NotOpen, got AlreadyOpen: d1 is already open")
  })

  it("fails when a refusal is expected but the command is accepted, naming the events", () => {
    const message = failureOf(() => spec.given([]).when({ _tag: "Open", id: "d1" }, context).thenRefused("AlreadyOpen"))
    assert.strictEqual(message, "expected the command to be refused with AlreadyOpen, but it was accepted with Opened")
  })

  it("gives the raw result, the history and the states before and after", () => {
    const given = spec.given([opened])
    assert.deepStrictEqual(given.events, [opened])
    assert.deepStrictEqual(given.state, { _tag: "Open", id: "d1" })
    const outcome = given.when({ _tag: "Close", id: "d1", at: closeAt }, context)
    assert.deepStrictEqual(outcome.result, Result.succeed([{ _tag: "Closed", id: "d1", at: closeAt }]))
    assert.deepStrictEqual(outcome.stateBefore, { _tag: "Open", id: "d1" })
    assert.deepStrictEqual(outcome.stateAfter(), { _tag: "Closed", id: "d1" })
    assert.match(failureOf(() => spec.given([]).when({ _tag: "Close", id: "d1", at: closeAt }, context).stateAfter()), /expected the command to be accepted, but it was refused: NotOpen/)
  })

  it("givenCommands replays past commands through decide", () => {
    const given = spec.givenCommands([{ name: "open", command: { _tag: "Open", id: "d1" }, context }])
    assert.deepStrictEqual(given.events, [opened])
    given.when({ _tag: "Open", id: "d1" }, context).thenRefused("AlreadyOpen")
  })

  it("givenCommands fails when a past command is refused, naming the step", () => {
    const message = failureOf(() =>
      spec.givenCommands([
        { name: "open", command: { _tag: "Open", id: "d1" }, context },
        { name: "open again", command: { _tag: "Open", id: "d1" }, context }
      ])
    )
    assert.strictEqual(message, "given step open again was refused: AlreadyOpen: d1 is already open")
  })

  it("decision(result) asserts on a result decided elsewhere", () => {
    assert.deepStrictEqual(decision(door.decide({ _tag: "Open", id: "d1" }, door.initialState, context)).thenAccepted(), [opened])
    assert.match(failureOf(() => decision(door.decide({ _tag: "Open", id: "d1" }, door.initialState, context)).thenRefused()), /but it was accepted with Opened/)
  })
})

describe("projectionSpec", () => {
  const openDoors = projectionSpec<Event, ReadonlyArray<string>>({
    initial: [],
    apply: (view, event) => (event._tag === "Opened" ? [...view, event.id] : view.filter((id) => id !== event.id))
  })

  it("given events, then the read model they fold into", () => {
    assert.deepStrictEqual(openDoors.given([opened, { ...opened, id: "d2" }]).then(["d1", "d2"]), ["d1", "d2"])
    openDoors.given([opened, { _tag: "Closed", id: "d1", at: closeAt }]).then([])
  })

  it("fails when the read model differs", () => {
    assert.match(failureOf(() => openDoors.given([opened]).then(["d2"])), /the read model after 1 event\(s\) is not the expected one/)
  })
})
