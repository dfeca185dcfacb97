/**
 * What an adapter can do, declared by its vendor. The kit has one set of
 * checks for every adapter; a capability only decides whether the checks
 * that need it run, never how a check judges the adapter.
 *
 * @module
 */

/** What an adapter declares it can do. */
export interface Capabilities {
  /**
   * The adapter accepts writes (appends, commits, claims) from many fibers at
   * once and keeps the contract's race clauses: exactly one winner among
   * appends or commits with the same expectation, one `Appended` per
   * idempotency key, no message claimed twice. Defaults to `true`. Set it to
   * `false` only for an adapter whose documentation says it must have a
   * single writer; the race checks are then left out and those clauses stay
   * unverified.
   */
  readonly concurrentWriters: boolean
  /**
   * What the adapter stores outlives the layer: a new instance built from the
   * same layer (a new connection to the same database) reads it back.
   * Defaults to `false`; when `true`, the persistence checks run.
   */
  readonly persistent: boolean
  /**
   * The adapter provides the calls-for-service ports, `CallStore` and
   * `CallAnalytics`, so `conformance` runs their suites too. Defaults to
   * `false`, so that an adapter written before those ports keeps passing
   * until it implements them. The standalone `callStoreSuite` and
   * `callAnalyticsSuite` always run their checks.
   */
  readonly calls: boolean
}

/** The capabilities assumed for anything a vendor leaves out. */
export const defaultCapabilities: Capabilities = { concurrentWriters: true, persistent: false, calls: false }

/** What a check needs to run: a capability, or a raw store inspector (`"raw"`). */
export type Requirement = keyof Capabilities | "raw"
