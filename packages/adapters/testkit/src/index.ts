/**
 * The conformance kit for `@community-policing/core` storage adapters. One
 * call in a vendor's vitest file checks an adapter Layer against every
 * clause of the `EventStore`, `ReadModelStore` and `Outbox` contracts, and,
 * with `capabilities.calls`, the `CallStore` and `CallAnalytics` contracts:
 *
 * ```ts
 * import { conformance } from "@community-policing/testkit"
 *
 * conformance("my-adapter", { layer: MyAdapter.layer, capabilities: { persistent: true } })
 * ```
 *
 * The checks themselves are plain Effects (`eventStoreChecks`, ...), so they
 * can also be run one by one with `runCheck`.
 *
 * For the domain itself, `deciderSpec(decider)` gives any decider
 * given / when / then tests (events or a refusal matched by tag), and
 * `projectionSpec({ initial, apply })` the same for a projection, in any test runner.
 *
 * @module
 */
export * from "./CallAnalyticsChecks.ts"
export * from "./CallFixtures.ts"
export * from "./CallStoreChecks.ts"
export * from "./Capabilities.ts"
export * from "./Conformance.ts"
export * from "./ConformanceCheck.ts"
export * from "./ConformanceFailure.ts"
export * from "./DeciderSpec.ts"
export * from "./DispatcherFaultChecks.ts"
export * from "./FaultySmtpReceiver.ts"
export * from "./FaultyStreamReceiver.ts"
export * from "./EventStoreChecks.ts"
export * from "./Fixtures.ts"
export * from "./Limits.ts"
export * from "./NotifierChecks.ts"
export * from "./OutboxChecks.ts"
export * from "./ProjectionSpec.ts"
export * from "./RawStore.ts"
export * from "./ReadModelStoreChecks.ts"
export * from "./SmtpReceiver.ts"
