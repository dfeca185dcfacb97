/**
 * The demo's clock: it stands still at the instant the demo sets, so a case
 * can be walked through weeks of deadlines in a second. Deciders read time
 * only from the effect `Clock`, so replacing it is all it takes; an app uses
 * the real clock.
 *
 * @module
 */
import { Clock, Effect } from "effect"

/** A clock whose wall time always reads `millis`; elapsed-time measures and sleeping stay real. */
export const fixedClock = (millis: number): Clock.Clock => {
  const real = Clock.Clock.defaultValue()
  return {
    currentTimeMillisUnsafe: () => millis,
    currentTimeMillis: Effect.succeed(millis),
    currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
    currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: real.monotonicTimeNanos,
    sleep: (duration) => real.sleep(duration)
  }
}

/** Runs `effect` as if it were `millis` since the epoch. */
export const at = (millis: number) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(effect, Clock.Clock, fixedClock(millis))
