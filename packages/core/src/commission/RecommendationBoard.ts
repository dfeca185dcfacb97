/**
 * The recommendation board: a read model of the commission's
 * recommendations, one document per recommendation, folded from the
 * recommendation events by the kit's projection runner and kept in the
 * `ReadModelStore` port, so every adapter answers the same.
 *
 * The document is the recommendation's own state (`evolveRecommendation`
 * is the fold), so the board can never disagree with the decider: its
 * stage, when it was drafted, the vote that adopted it, the body it went
 * to and when, when the answer is due, the answer and its reasons, the
 * milestones, and its implementation or closing. What depends on the
 * instant asked about, its age and whether its answer is late, is added by
 * {@link boardRowsAsOf}; {@link lateAnswers} lists the late answers, oldest
 * first, with their age.
 *
 * Views: the public sees everything the commission decided and the city
 * answered; the only personal field, the receiving body's liaison, is
 * shown to staff alone ({@link recommendationBoardView}).
 *
 * @module
 */
import { DateTime, Effect, Schema } from "effect"
import type { CatchUp, CatchUpError } from "../engine/CatchUp.ts"
import { makeProjection, type Projection } from "../engine/Projection.ts"
import { type Clearance, redact } from "../engine/Redaction.ts"
import type { Audience } from "../kernel/Role.ts"
import type { EventStore } from "../ports/EventStore.ts"
import type { ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import {
  DraftedRecommendation,
  evolveRecommendation,
  type OverdueAnswer,
  overdueAnswers,
  type RecommendationEvent,
  recommendationEvents,
  RecommendationStage
} from "./Recommendation.ts"

const DAY_MILLIS = 86_400_000
const Days = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * One recommendation on the board as of an instant: its record, how many
 * whole days since it was drafted, how many since its transmittal while
 * its answer is awaited (`null` otherwise), and whether the answer is late
 * (strictly after the due instant recorded at transmittal) and by how many
 * whole days (`null` when it is not). Days are real elapsed time (24-hour
 * spans of epoch milliseconds), never calendar arithmetic.
 */
export const RecommendationBoardRow = Schema.Struct({
  recommendation: DraftedRecommendation,
  asOf: Schema.DateTimeUtcFromString,
  ageDays: Days,
  awaitingAnswerDays: Schema.NullOr(Days),
  overdue: Schema.Boolean,
  overdueDays: Schema.NullOr(Days)
})

/** One recommendation on the board as of an instant; see {@link RecommendationBoardRow}. */
export type RecommendationBoardRow = typeof RecommendationBoardRow.Type

// ---------------------------------------------------------------------------
// The projection
// ---------------------------------------------------------------------------

/** The projection's name, under which the port keeps its checkpoint. */
export const recommendationBoardProjection = "commission.recommendation-board"

/**
 * The read-model collection of the board: one document per recommendation,
 * keyed by its id, with these indexed fields: `stage`, `draftedAt` (ISO
 * UTC), and, once transmitted, `recipient` (the body's id); while the
 * answer is awaited (stage `transmitted`), `awaitingAnswerDue` (ISO UTC of
 * the due instant).
 */
export const recommendationBoardCollection = "commission.recommendation-board"

const asDrafted = (state: ReturnType<typeof evolveRecommendation>): DraftedRecommendation | undefined =>
  state._tag === "Recommendation" ? state : undefined

/**
 * The board after one more event of a recommendation's stream: the
 * recommendation's state, folded by `evolveRecommendation`; `undefined`
 * until it is drafted. Pure, so the projection and its tests share it.
 */
export const applyToBoard = (entry: DraftedRecommendation | undefined, event: RecommendationEvent): DraftedRecommendation | undefined =>
  asDrafted(evolveRecommendation(entry ?? { _tag: "NoRecommendation" }, event))

/**
 * The board as a projection of the recommendation events (selected by
 * their event types): one document per recommendation, with the indexed
 * fields listed at {@link recommendationBoardCollection}.
 */
export const recommendationBoard: Projection<RecommendationEvent, DraftedRecommendation> = makeProjection({
  name: recommendationBoardProjection,
  collection: recommendationBoardCollection,
  documentName: "recommendation",
  events: [recommendationEvents],
  schema: DraftedRecommendation,
  key: (event) => event.recommendationId,
  apply: applyToBoard,
  indexes: (entry) => ({
    stage: entry.stage,
    draftedAt: DateTime.formatIso(entry.draftedAt),
    ...(entry.transmittal === undefined ? {} : { recipient: entry.transmittal.recipient.id }),
    // Absent rather than null once answered: a missing field never matches a range.
    ...(entry.stage === "transmitted" && entry.transmittal !== undefined
      ? { awaitingAnswerDue: DateTime.formatIso(entry.transmittal.answerDue) }
      : {})
  })
})

/**
 * Brings the board up to date: reads the tenant's events after the board's
 * checkpoint, `batchSize` at a time (default 500), applies the
 * recommendation events and commits the changed documents with the new
 * checkpoint in one transaction. Idempotent and resumable; run it after
 * commands, on a schedule or from an outbox consumer.
 *
 * @example
 * ```ts
 * yield* handleCommand(recommendation(options), envelope)
 * yield* updateRecommendationBoard("sacramento")
 * const late = yield* lateAnswers("sacramento", now)
 * ```
 */
export const updateRecommendationBoard = (
  tenantId: string,
  options: { readonly batchSize?: number | undefined } = {}
): Effect.Effect<CatchUp, CatchUpError, EventStore | ReadModelStore> => recommendationBoard.catchUp(tenantId, options)

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

const millis = DateTime.toEpochMillis
const wholeDays = (from: DateTime.Utc, to: DateTime.Utc): number => Math.floor(Math.max(0, millis(to) - millis(from)) / DAY_MILLIS)

/** A recommendation's row as of an instant; see {@link RecommendationBoardRow}. */
export const boardRowAsOf = (recommendation: DraftedRecommendation, asOf: DateTime.Utc): RecommendationBoardRow => {
  const awaiting = recommendation.stage === "transmitted" ? recommendation.transmittal : undefined
  const overdue = awaiting !== undefined && millis(asOf) > millis(awaiting.answerDue)
  return {
    recommendation,
    asOf,
    ageDays: wholeDays(recommendation.draftedAt, asOf),
    awaitingAnswerDays: awaiting === undefined ? null : wholeDays(awaiting.transmittedAt, asOf),
    overdue,
    overdueDays: overdue ? wholeDays(awaiting.answerDue, asOf) : null
  }
}

/** The rows of recommendations as of an instant, in the order given. */
export const boardRowsAsOf = (
  recommendations: ReadonlyArray<DraftedRecommendation>,
  asOf: DateTime.Utc
): ReadonlyArray<RecommendationBoardRow> => recommendations.map((recommendation) => boardRowAsOf(recommendation, asOf))

/** What to show of the board: one stage, or every recommendation. */
export interface BoardFilter {
  readonly stage?: RecommendationStage | undefined
}

/**
 * The board as of an instant: every recommendation (or those of one
 * stage), oldest draft first (ties by id), with its age and whether its
 * answer is late. Staff rows; give each to {@link recommendationBoardView}
 * for an audience.
 */
export const recommendationBoardRows = (
  tenantId: string,
  asOf: DateTime.Utc,
  filter: BoardFilter = {}
): Effect.Effect<ReadonlyArray<RecommendationBoardRow>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  recommendationBoard.all(tenantId, {
    ...(filter.stage === undefined ? {} : { where: [{ field: "stage", equals: filter.stage }] }),
    orderBy: { field: "draftedAt", direction: "asc" }
  }).pipe(Effect.map((recommendations) => boardRowsAsOf(recommendations, asOf)))

/**
 * The answers late as of an instant (strictly after their due instant,
 * still unanswered), oldest transmittal first, each with its age: read
 * from the board by the `awaitingAnswerDue` range, ordered and aged by
 * `overdueAnswers`, the same rule the recommendation module states.
 */
export const lateAnswers = (
  tenantId: string,
  asOf: DateTime.Utc
): Effect.Effect<ReadonlyArray<OverdueAnswer>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  recommendationBoard.all(tenantId, { range: { field: "awaitingAnswerDue", to: DateTime.formatIso(asOf) } }).pipe(
    Effect.map((awaiting) => overdueAnswers(awaiting, asOf))
  )

/**
 * A board row as an audience may see it: staff see the receiving body's
 * liaison (personal data); the public and the commission see every other
 * field, the record of the commission's public business.
 */
export const recommendationBoardView = (row: RecommendationBoardRow, audience: Audience, clearance?: Clearance): Schema.Json =>
  redact(RecommendationBoardRow, row, audience, clearance)
