/**
 * How a conformance check reports a broken contract clause: a typed failure
 * saying what was expected and what the adapter did, plus the small
 * expectations the checks are written with.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util"
import { Effect, Schema } from "effect"

/**
 * An adapter broke a clause of a port's contract. `expected` and `actual`,
 * when present, are what the check wanted and what it got; vitest prints them
 * as a diff.
 */
export class ConformanceFailure extends Schema.TaggedError<ConformanceFailure>()("ConformanceFailure", {
  message: Schema.String,
  expected: Schema.optional(Schema.Unknown),
  actual: Schema.optional(Schema.Unknown)
}) {}

/** Fails with a {@link ConformanceFailure} unless `condition` holds. */
export const expectTrue = (
  condition: boolean,
  message: string,
  details?: { readonly expected?: unknown; readonly actual?: unknown }
): Effect.Effect<void, ConformanceFailure> =>
  condition ? Effect.void : Effect.fail(new ConformanceFailure({ message, ...details }))

/**
 * Fails unless `actual` deeply equals `expected`: same own keys (in any
 * order) and values, compared strictly, so `1` is not `"1"` and `é` composed
 * is not `é` decomposed.
 */
export const expectEqual = (actual: unknown, expected: unknown, message: string): Effect.Effect<void, ConformanceFailure> =>
  isDeepStrictEqual(actual, expected)
    ? Effect.void
    : Effect.fail(new ConformanceFailure({ message, expected, actual }))

/** Runs `effect`, turning any failure into a {@link ConformanceFailure} that names what was attempted. */
export const expectSuccess = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  message: string
): Effect.Effect<A, ConformanceFailure, R> =>
  Effect.mapError(effect, (error) =>
    new ConformanceFailure({ message: `${message}: failed unexpectedly`, expected: "success", actual: error }))

/**
 * Runs `effect`, which must fail with the tagged error `tag`; returns that
 * error so the check can inspect its fields.
 */
export const expectFailure = <A, E, R, const Tag extends string>(
  effect: Effect.Effect<A, E, R>,
  tag: Tag,
  message: string
): Effect.Effect<Extract<E, { readonly _tag: Tag }>, ConformanceFailure, R> =>
  Effect.matchEffect(effect, {
    onSuccess: (value) =>
      Effect.fail(new ConformanceFailure({ message: `${message}: succeeded instead of failing`, expected: tag, actual: value })),
    onFailure: (error) =>
      isTagged(error, tag)
        ? Effect.succeed(error)
        : Effect.fail(new ConformanceFailure({ message: `${message}: failed with the wrong error`, expected: tag, actual: error }))
  })

const isTagged = <E, Tag extends string>(error: E, tag: Tag): error is Extract<E, { readonly _tag: Tag }> =>
  typeof error === "object" && error !== null && "_tag" in error && error._tag === tag
