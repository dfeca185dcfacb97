/**
 * The questions a Justice for Neighbors team and its managers ask of the
 * case board: a team's open cases, the overdue list, how many cases there
 * are per district, category and stage, how long cases stay in each stage,
 * and the fines issued per district. Every answer is computed from the
 * board (see `CaseBoard`), as far as its projection has caught up.
 *
 * @module
 */
import { DateTime, Effect, Result, Schema } from "effect"
import { AreaId } from "../kernel/Area.ts"
import { AddressKey } from "../kernel/Place.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { compareCodePoints, type ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import { type CaseSummary, caseSummaries } from "./CaseBoard.ts"
import { CaseStage } from "./CaseStage.ts"
import { NuisanceCaseId, toCents, toDollars } from "./NuisanceCaseCommands.ts"
import { CaseDeadline } from "./NuisanceCaseEvents.ts"

const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const Milliseconds = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const Money = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))
const millis = DateTime.toEpochMillis

/**
 * A query's input was malformed (a council district or an address that is
 * not a valid key, as typed into a search box): nothing was read. Names the
 * field, the value and what is wrong with it.
 */
export class InvalidCaseQuery extends Schema.TaggedError<InvalidCaseQuery>()("InvalidCaseQuery", {
  rule: Schema.Literals(["council-district-format", "address-key-format"]),
  field: Schema.String,
  value: Schema.String,
  problem: Schema.String
}) {
  override get message(): string {
    return `Invalid case query: ${this.field} ${JSON.stringify(this.value)}: ${this.problem}`
  }
}

// Inputs typed into a search box are checked like any untrusted input.
const checkQueryInput = <S extends Schema.Codec<string, string, never, never>>(
  schema: S,
  rule: InvalidCaseQuery["rule"],
  field: string,
  value: string
): Effect.Effect<string, InvalidCaseQuery> =>
  Result.match(Schema.decodeUnknownResult(schema)(value), {
    onSuccess: (checked) => Effect.succeed(checked),
    onFailure: (error) => Effect.fail(new InvalidCaseQuery({ rule, field, value, problem: error.message }))
  })

/**
 * A team's open cases: every case of the council district not yet closed,
 * the oldest first (by when it came in, ties by case number).
 */
export const openCasesOfDistrict = Effect.fnUntraced(function*(
  tenantId: string,
  district: string
): Effect.fn.Return<ReadonlyArray<CaseSummary>, InvalidCaseQuery | InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const checked = yield* checkQueryInput(AreaId, "council-district-format", "district", district)
  return yield* caseSummaries(tenantId, {
    where: [{ field: "district", equals: checked }, { field: "open", equals: true }],
    orderBy: { field: "openedAt", direction: "asc" }
  })
})

/**
 * One overdue item: a deadline of an open case whose due instant has passed
 * with the deadline still running (no step satisfied, extended or closed
 * it), with the case, the rule that set it and how long it is overdue.
 */
export const OverdueItem = Schema.Struct({
  caseId: NuisanceCaseId,
  councilDistrict: AreaId,
  category: NuisanceCategory,
  addressKey: AddressKey,
  stage: CaseStage,
  /** What it is for, the rule and setting that set it, its start, due instant and period. */
  deadline: CaseDeadline,
  /** From the due instant to the instant asked about, in whole milliseconds. */
  overdueMilliseconds: Milliseconds
})

/** One overdue item; see {@link OverdueItem}. */
export type OverdueItem = typeof OverdueItem.Type

/**
 * The overdue list as of an instant: every running deadline of every open
 * case due before `asOf` (a deadline is met at or before its due instant),
 * the most overdue first, ties by case number and purpose. `district`
 * narrows it to one team's cases. A deadline leaves the list as soon as the
 * step it waits for is recorded and the board catches up.
 */
export const overdueItems = Effect.fnUntraced(function*(
  tenantId: string,
  asOf: DateTime.DateTime,
  options: { readonly district?: string | undefined } = {}
): Effect.fn.Return<ReadonlyArray<OverdueItem>, InvalidCaseQuery | InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const district = options.district === undefined
    ? undefined
    : yield* checkQueryInput(AreaId, "council-district-format", "district", options.district)
  const cutoff = millis(asOf)
  const summaries = yield* caseSummaries(tenantId, {
    where: [{ field: "open", equals: true }, ...(district === undefined ? [] : [{ field: "district", equals: district }])],
    range: { field: "nextDue", to: DateTime.formatIso(DateTime.toUtc(asOf)) }
  })
  const items = summaries.flatMap((summary) =>
    summary.openDeadlines
      .filter((deadline) => millis(deadline.due) < cutoff)
      .map((deadline): OverdueItem => ({
        caseId: summary.caseId,
        councilDistrict: summary.councilDistrict,
        category: summary.category,
        addressKey: summary.addressKey,
        stage: summary.stage,
        deadline,
        overdueMilliseconds: cutoff - millis(deadline.due)
      }))
  )
  return items.sort((a, b) =>
    millis(a.deadline.due) - millis(b.deadline.due) ||
    compareCodePoints(a.caseId, b.caseId) ||
    compareCodePoints(a.deadline.purpose, b.deadline.purpose)
  )
})

/** How many cases of one council district and category stand at one stage (`closed` for the closed ones). */
export const CaseCount = Schema.Struct({
  councilDistrict: AreaId,
  category: NuisanceCategory,
  stage: CaseStage,
  open: Schema.Boolean,
  cases: Count
})

/** How many cases stand at one stage; see {@link CaseCount}. */
export type CaseCount = typeof CaseCount.Type

const stageOrder = (stage: CaseStage): number => CaseStage.literals.indexOf(stage)
const categoryOrder = (category: NuisanceCategory): number => NuisanceCategory.literals.indexOf(category)

/**
 * The cases per council district, category and stage, open and closed:
 * one row for every combination with at least one case, by district (code
 * point order), then category and stage in the order the schemas list them.
 */
export const caseCounts = Effect.fnUntraced(function*(
  tenantId: string
): Effect.fn.Return<ReadonlyArray<CaseCount>, InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const rows = new Map<string, CaseCount>()
  for (const summary of yield* caseSummaries(tenantId)) {
    const key = JSON.stringify([summary.councilDistrict, summary.category, summary.stage])
    const row = rows.get(key)
    rows.set(key, row === undefined
      ? { councilDistrict: summary.councilDistrict, category: summary.category, stage: summary.stage, open: summary.stage !== "closed", cases: 1 }
      : { ...row, cases: row.cases + 1 })
  }
  return [...rows.values()].sort((a, b) =>
    compareCodePoints(a.councilDistrict, b.councilDistrict) ||
    categoryOrder(a.category) - categoryOrder(b.category) ||
    stageOrder(a.stage) - stageOrder(b.stage)
  )
})

/**
 * How long cases stay in one stage: how many cases passed through it (or
 * are in it), and the median and mean of each case's total time there, in
 * whole milliseconds (halves round up).
 */
export const StageDuration = Schema.Struct({
  stage: CaseStage,
  cases: Count,
  medianMilliseconds: Milliseconds,
  meanMilliseconds: Milliseconds
})

/** How long cases stay in one stage; see {@link StageDuration}. */
export type StageDuration = typeof StageDuration.Type

/**
 * A case's time in each stage as of an instant: the visits it has left,
 * plus, for an open case, its current stage up to `asOf` (nothing when
 * `asOf` is before the case entered it: the board only knows the present).
 */
export const stageTimesAsOf = (summary: CaseSummary, asOf: DateTime.DateTime): ReadonlyArray<{ readonly stage: CaseStage; readonly milliseconds: number }> =>
  summary.timeInStages.map((time) => ({
    stage: time.stage,
    milliseconds: time.milliseconds +
      (summary.stage === time.stage && summary.stage !== "closed"
        ? Math.max(0, millis(asOf) - millis(summary.stageEnteredAt))
        : 0)
  }))

const median = (sorted: ReadonlyArray<number>): number => {
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2)
}

/**
 * The time spent in each stage across every case, counting a stage a case
 * is still in up to `asOf`: one row per stage some case entered, in the
 * workflow's order; `closed` is an end, not a stage to spend time in, and
 * is left out.
 */
export const timeInStage = Effect.fnUntraced(function*(
  tenantId: string,
  asOf: DateTime.DateTime
): Effect.fn.Return<ReadonlyArray<StageDuration>, InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const perStage = new Map<CaseStage, Array<number>>()
  for (const summary of yield* caseSummaries(tenantId)) {
    for (const time of stageTimesAsOf(summary, asOf)) {
      if (time.stage === "closed") continue
      const times = perStage.get(time.stage) ?? []
      times.push(time.milliseconds)
      perStage.set(time.stage, times)
    }
  }
  return CaseStage.literals.flatMap((stage): ReadonlyArray<StageDuration> => {
    const times = perStage.get(stage)
    if (times === undefined) return []
    const sorted = [...times].sort((a, b) => a - b)
    const total = sorted.reduce((sum, time) => sum + time, 0)
    return [{ stage, cases: sorted.length, medianMilliseconds: median(sorted), meanMilliseconds: Math.round(total / sorted.length) }]
  })
})

/**
 * The administrative fines of one council district's cases: how many
 * citations were issued and for how much, how many of those a hearing
 * cancelled and for how much, and what was paid on them. Issued amounts
 * include cancelled citations: they were issued.
 */
export const DistrictFines = Schema.Struct({
  councilDistrict: AreaId,
  citations: Count,
  issuedInDollars: Money,
  cancelledCitations: Count,
  cancelledInDollars: Money,
  paidInDollars: Money
})

/** The administrative fines of one district; see {@link DistrictFines}. */
export type DistrictFines = typeof DistrictFines.Type

/**
 * The fines issued per council district, for every district with a case on
 * the board (zeros where none was cited), by district in code-point order.
 * Sums are kept in whole cents, so they never drift.
 */
export const finesIssued = Effect.fnUntraced(function*(
  tenantId: string
): Effect.fn.Return<ReadonlyArray<DistrictFines>, InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const perDistrict = new Map<string, { citations: number; issued: number; cancelledCitations: number; cancelled: number; paid: number }>()
  for (const summary of yield* caseSummaries(tenantId)) {
    const totals = perDistrict.get(summary.councilDistrict) ?? { citations: 0, issued: 0, cancelledCitations: 0, cancelled: 0, paid: 0 }
    for (const citation of summary.citations) {
      totals.citations++
      totals.issued += toCents(citation.amountInDollars)
      totals.paid += toCents(citation.paidInDollars)
      if (citation.status === "cancelled") {
        totals.cancelledCitations++
        totals.cancelled += toCents(citation.amountInDollars)
      }
    }
    perDistrict.set(summary.councilDistrict, totals)
  }
  return [...perDistrict.entries()]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([councilDistrict, totals]): DistrictFines => ({
      councilDistrict,
      citations: totals.citations,
      issuedInDollars: toDollars(totals.issued),
      cancelledCitations: totals.cancelledCitations,
      cancelledInDollars: toDollars(totals.cancelled),
      paidInDollars: toDollars(totals.paid)
    }))
})
