/**
 * The wall clock for the driver's own timing.
 *
 * @internal
 */
import { Clock, Effect } from "effect"

const systemClock = Clock.Clock.defaultValue()

/**
 * Runs database work with the system clock. The ports read business times
 * (outbox leases, retries) from the caller's `Clock`, which a test may have
 * replaced with a `TestClock`; the connection pool's idle timeouts and the
 * driver's connect timeouts must not jump or stand still with it.
 */
export const withSystemClock = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(effect, Clock.Clock, systemClock)
