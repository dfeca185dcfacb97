/**
 * Runs checks programmatically and reports which failed, so a test can
 * assert that a broken adapter is caught by the checks meant to catch it.
 */
import {
  type Capabilities,
  type ConformanceCheck,
  ConformanceFailure,
  defaultCapabilities,
  isApplicable,
  runCheck
} from "@community-policing/testkit"
import { assert } from "@effect/vitest"
import { Cause, Effect, Exit, type Layer } from "effect"

/**
 * Runs every check that applies to an adapter with these capabilities (and
 * a raw store, unless `hasRaw` is false) against a fresh instance of
 * `layer`; returns the names of the failed ones.
 */
export const failedChecks = Effect.fnUntraced(function*<R>(
  checks: ReadonlyArray<ConformanceCheck<R>>,
  layer: Layer.Layer<R, unknown>,
  capabilities: Partial<Capabilities> = {},
  hasRaw = true
) {
  const failed: Array<string> = []
  const declared = { ...defaultCapabilities, ...capabilities }
  for (const check of checks.filter((check) => isApplicable(check, declared, hasRaw))) {
    const exit = yield* Effect.exit(runCheck(check, { layer, capabilities }))
    if (Exit.isSuccess(exit)) continue
    // A deliberate catch is a typed ConformanceFailure; a defect would mean the check crashed instead.
    const error = Cause.squash(exit.cause)
    assert.instanceOf(error, ConformanceFailure, `"${check.name}" must fail with a ConformanceFailure, got ${Cause.pretty(exit.cause)}`)
    failed.push(check.name)
  }
  return failed
})

/** The one check whose name contains `fragment`; fails the test on a typo or an ambiguous fragment. */
export const checkNamed = <R>(checks: ReadonlyArray<ConformanceCheck<R>>, fragment: string): string => {
  const matching = checks.filter((check) => check.name.includes(fragment))
  assert.lengthOf(matching, 1, `exactly one check must match ${JSON.stringify(fragment)}`)
  return matching[0]!.name
}
