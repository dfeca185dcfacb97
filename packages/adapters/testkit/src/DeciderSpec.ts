/**
 * Given / when / then for any `Decider` of `@community-policing/core`:
 * given past events (or past commands, replayed through the decider), when a
 * command is decided, then these events, or a refusal of this kind.
 *
 * ```ts
 * import { deciderSpec } from "@community-policing/testkit"
 *
 * const spec = deciderSpec(nuisanceCaseDecider(sacramento))
 * const context = { now: DateTime.makeUnsafe("2026-03-02T17:00:00Z"), actor: ceo }
 *
 * spec.given([caseOpened]).when(inspect, context).then([inspected, stageChanged])
 * const refused = spec.given([]).when(inspect, context).thenRefused("CaseNotFound")
 * // refused is typed as the CaseNotFound refusal
 * ```
 *
 * A failed expectation throws node's `AssertionError` with a message naming
 * what was decided instead, so the spec works in any test runner (vitest,
 * jest, `node:test`) and imports none. Decisions are synchronous: never
 * `await` one or return one from an async test, since its `then` method
 * makes it look like a promise.
 *
 * @module
 */
import { AssertionError, deepStrictEqual } from "node:assert/strict"
import type { Decider, DecisionContext } from "@community-policing/core"
import { Result } from "effect"

/** The `_tag`s of a refusal type, or `never` when it has none. */
export type RefusalTag<Err> = Err extends { readonly _tag: infer T extends string } ? T : never

/** One past command of a {@link DeciderSpec.givenCommands} history. */
export interface GivenCommand<C> {
  /** A name for the step, used in the message when the decider refuses it. */
  readonly name?: string | undefined
  /** The command. */
  readonly command: C
  /** When and by whom it was given. */
  readonly context: DecisionContext
}

/** The outcome of one decision, to assert on. */
export interface Decision<E, Err> {
  /** The raw result of `decide`, for assertions the spec does not cover. */
  readonly result: Result.Result<ReadonlyArray<E>, Err>
  /** Asserts that the command was accepted with exactly these events (deep equality); returns them. */
  readonly then: (expected: ReadonlyArray<E>) => ReadonlyArray<E>
  /** Asserts that the command was accepted; returns its events. */
  readonly thenAccepted: () => ReadonlyArray<E>
  /**
   * Asserts that the command was refused, with a refusal of this `_tag`
   * when one is given; returns the refusal, typed as its kind.
   */
  readonly thenRefused: {
    <T extends RefusalTag<Err>>(tag: T): Extract<Err, { readonly _tag: T }>
    (): Err
  }
}

/** A decision made on a known history, which can also give the state after it. */
export interface DecisionOn<E, S, Err> extends Decision<E, Err> {
  /** The state the command was decided on. */
  readonly stateBefore: S
  /** Asserts that the command was accepted; returns the state after its events. */
  readonly stateAfter: () => S
}

/** A history, ready for the command under test. */
export interface Given<C, E, S, Err> {
  /** The events of the history. */
  readonly events: ReadonlyArray<E>
  /** The state they fold into. */
  readonly state: S
  /** Decides the command on the history's state. */
  readonly when: (command: C, context: DecisionContext) => DecisionOn<E, S, Err>
}

/** Given / when / then over one decider; see the module documentation. */
export interface DeciderSpec<C, E, S, Err> {
  /** The decider under test. */
  readonly decider: Decider<C, E, S, Err>
  /** A history of past events, folded with the decider's `evolve`. */
  readonly given: (events: Iterable<E>) => Given<C, E, S, Err>
  /**
   * A history of past commands: each is decided on the state so far and
   * must be accepted (the spec fails, naming the step and the refusal,
   * otherwise); their events make the history.
   */
  readonly givenCommands: (commands: Iterable<GivenCommand<C>>) => Given<C, E, S, Err>
}

const describeValue = (value: unknown): string => {
  if (typeof value === "object" && value !== null) {
    const tag = "_tag" in value && typeof value._tag === "string" ? value._tag : undefined
    const message = "message" in value && typeof value.message === "string" ? value.message : undefined
    if (tag !== undefined || message !== undefined) return [tag, message].filter((part) => part !== undefined).join(": ")
  }
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const describeEvents = (events: ReadonlyArray<unknown>): string =>
  events.length === 0 ? "no events" : events.map((event) => describeValue(event).split(":")[0]).join(", ")

const fail = (message: string, actual?: unknown, expected?: unknown): never => {
  throw new AssertionError({ message, actual, expected, operator: "deciderSpec" })
}

/**
 * The assertions of {@link Decision} over a raw `decide` result, for tests
 * that decide themselves (e.g. on a state they built by hand).
 */
export const decision = <E, Err>(result: Result.Result<ReadonlyArray<E>, Err>): Decision<E, Err> => {
  const thenAccepted = (): ReadonlyArray<E> =>
    Result.isSuccess(result) ? result.success : fail(`expected the command to be accepted, but it was refused: ${describeValue(result.failure)}`, result.failure)
  const thenRefused = (tag?: string): Err => {
    if (Result.isSuccess(result)) {
      return fail(`expected the command to be refused${tag === undefined ? "" : ` with ${tag}`}, but it was accepted with ${describeEvents(result.success)}`, result.success)
    }
    const refusal = result.failure
    if (tag !== undefined) {
      const actual = typeof refusal === "object" && refusal !== null && "_tag" in refusal ? refusal._tag : undefined
      if (actual !== tag) return fail(`expected the refusal ${tag}, got ${describeValue(refusal)}`, actual, tag)
    }
    return refusal
  }
  return {
    result,
    then: (expected) => {
      const events = Result.isSuccess(result)
        ? result.success
        : fail(`expected the events ${describeEvents(expected)}, but the command was refused: ${describeValue(result.failure)}`, result.failure, expected)
      deepStrictEqual(events, expected, `expected the events ${describeEvents(expected)}, got ${describeEvents(events)}`)
      return events
    },
    thenAccepted,
    thenRefused: thenRefused as Decision<E, Err>["thenRefused"]
  }
}

/**
 * A given / when / then spec over a decider. `given` takes past events,
 * `givenCommands` past commands; `when` decides the command under test and
 * returns a {@link DecisionOn} to assert on.
 *
 * ```ts
 * const spec = deciderSpec(complaintDecider)
 * spec.given([]).when(openComplaint, context).then([complaintOpened])
 * spec.given([complaintOpened]).when(openComplaint, context).thenRefused("AlreadyOpen")
 * ```
 */
export const deciderSpec = <C, E, S, Err>(decider: Decider<C, E, S, Err>): DeciderSpec<C, E, S, Err> => {
  const history = (events: ReadonlyArray<E>, state: S): Given<C, E, S, Err> => ({
    events,
    state,
    when: (command, context) => {
      const outcome = decision(decider.decide(command, state, context))
      return {
        ...outcome,
        stateBefore: state,
        stateAfter: () => outcome.thenAccepted().reduce(decider.evolve, state)
      }
    }
  })
  return {
    decider,
    given: (events) => {
      const all = [...events]
      return history(all, all.reduce(decider.evolve, decider.initialState))
    },
    givenCommands: (commands) => {
      let state = decider.initialState
      const events: Array<E> = []
      let index = 0
      for (const step of commands) {
        const result = decider.decide(step.command, state, step.context)
        if (Result.isFailure(result)) {
          fail(`given step ${step.name ?? `#${index + 1}`} was refused: ${describeValue(result.failure)}`, result.failure)
        } else {
          for (const event of result.success) {
            events.push(event)
            state = decider.evolve(state, event)
          }
        }
        index++
      }
      return history(events, state)
    }
  }
}
