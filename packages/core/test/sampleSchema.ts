import { Arbitrary, type Effect, type Schema } from "effect"

/**
 * Generated values of a schema, for property tests.
 *
 * Schemas whose checks span several fields (a quorum no larger than the
 * seats, fine caps in order, unique list members) generate by rejection:
 * `ProgramSettings` keeps about one random candidate in seven, because each
 * program's checks discard some and the discards multiply. Effect's default
 * budget (ten discards per value) then fails now and then on an unlucky
 * seed, a flaky test rather than a broken schema. Twenty discards per value
 * still fails a schema that keeps fewer than about one candidate in twenty,
 * so a check that rejects almost everything is still caught.
 */
export const sampleSchema = <S extends Schema.Constraint>(
  schema: S,
  count: number
): Effect.Effect<ReadonlyArray<S["Type"]>, Arbitrary.SampleError> =>
  Arbitrary.sampleEffect(Arbitrary.schema(schema), { count, maxDiscards: count * 20 })
