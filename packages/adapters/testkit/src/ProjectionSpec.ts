/**
 * Given / then for a projection: a pure function that folds events into a
 * read model. Given these events, then this read model.
 *
 * ```ts
 * import { projectionSpec } from "@community-policing/testkit"
 *
 * const spec = projectionSpec({ initial: emptyCaseload, apply: applyToCaseload })
 * spec.given([caseOpened, stageChanged]).then({ open: 1, byStage: { inspection: 1 } })
 * ```
 *
 * A failed expectation throws node's `AssertionError`, so the spec works in
 * any test runner and imports none.
 *
 * @module
 */
import { deepStrictEqual } from "node:assert/strict"

/** A projection: its read model before any event, and how one event changes it. */
export interface Projection<E, V> {
  /** The read model of no events. */
  readonly initial: V
  /** The read model after one more event. */
  readonly apply: (view: V, event: E) => V
}

/** Events folded into a read model, to assert on. */
export interface ProjectedView<E, V> {
  /** The events. */
  readonly events: ReadonlyArray<E>
  /** The read model they fold into. */
  readonly view: V
  /** Asserts that the read model deep-equals `expected`; returns it. */
  readonly then: (expected: V) => V
}

/** Given / then over one projection; see the module documentation. */
export interface ProjectionSpec<E, V> {
  /** The projection under test. */
  readonly projection: Projection<E, V>
  /** Folds the events into the read model, from `initial`. */
  readonly given: (events: Iterable<E>) => ProjectedView<E, V>
}

/**
 * A given / then spec over a projection.
 *
 * ```ts
 * projectionSpec({ initial: 0, apply: (count: number, _event: unknown) => count + 1 }).given([a, b]).then(2)
 * ```
 */
export const projectionSpec = <E, V>(projection: Projection<E, V>): ProjectionSpec<E, V> => ({
  projection,
  given: (events) => {
    const all = [...events]
    const view = all.reduce(projection.apply, projection.initial)
    return {
      events: all,
      view,
      then: (expected) => {
        deepStrictEqual(view, expected, `the read model after ${all.length} event(s) is not the expected one`)
        return view
      }
    }
  }
})
