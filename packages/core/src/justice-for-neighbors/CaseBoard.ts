/**
 * The case board: a read model of the nuisance cases, one summary per case,
 * built from the case events in the event store's global order and kept in
 * the `ReadModelStore` port, so every adapter answers the same. A summary
 * holds what the team's lists, the overdue list, the program's statistics
 * and the public status page need: where the case stands and since when,
 * its open deadlines with the rule that set each, the time it spent in each
 * stage, its fines, costs and liens, and when it opened and closed.
 *
 * The queries over the board are in `CaseQueries` and `PropertyStatus`.
 *
 * @module
 */
import { DateTime, type Effect, type Option, Schema } from "effect"
import type { CatchUp, CatchUpError } from "../engine/CatchUp.ts"
import { makeProjection, type Projection, type ProjectionQuery } from "../engine/Projection.ts"
import { type Clearance, redact } from "../engine/Redaction.ts"
import { caseAddressKey } from "../kernel/Address.ts"
import { AreaId } from "../kernel/Area.ts"
import { AddressKey } from "../kernel/Place.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import type { Audience } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"
import type { EventStore } from "../ports/EventStore.ts"
import type { ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import { CaseStage, CaseVariant, ClosureReason } from "./CaseStage.ts"
import { NuisanceCaseId, toCents, toDollars } from "./NuisanceCaseCommands.ts"
import { CaseDeadline, type NuisanceCaseEvent, nuisanceCaseEvents } from "./NuisanceCaseEvents.ts"

const Instant = Schema.DateTimeUtcFromString
const Money = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))
const Milliseconds = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * Where a case came from, without who: the complainant (confidential,
 * Evidence Code 1041) and the analytics evidence stay in the case's own
 * events and never reach the board.
 */
export const CaseSourceKind = Schema.Literals(["ResidentComplaint", "PoliceReferral", "CodeEnforcementFinding", "AnalyticsFinding"])

/** Where a case came from; see {@link CaseSourceKind}. */
export type CaseSourceKind = typeof CaseSourceKind.Type

/**
 * The time a case spent in one stage: how many times it entered the stage
 * (the current visit included) and the whole milliseconds of the visits it
 * has left. The current visit is counted by the queries, up to the instant
 * they are asked about.
 */
export const StageTime = Schema.Struct({
  stage: CaseStage,
  visits: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  milliseconds: Milliseconds
})

/** The time a case spent in one stage; see {@link StageTime}. */
export type StageTime = typeof StageTime.Type

/**
 * A citation (administrative fine) of a case: its amount, what was paid,
 * and whether it stands; the code section and the person it was issued to,
 * by which repeat violations are counted across cases (see
 * `RepeatViolations`). Both are absent on citations issued before they were
 * recorded; the person is personal data.
 */
export const CitationSummary = Schema.Struct({
  citationNumber: Schema.NonEmptyString,
  codeSection: Schema.optionalKey(Schema.NonEmptyString),
  responsiblePersonId: Schema.optionalKey(personal(Schema.NonEmptyString)),
  amountInDollars: Money,
  issuedAt: Instant,
  paidInDollars: Money,
  /** `cancelled` when the hearing officer overturned the case before it was paid. */
  status: Schema.Literals(["unpaid", "paid", "cancelled"])
})

/** A citation of a case; see {@link CitationSummary}. */
export type CitationSummary = typeof CitationSummary.Type

/** The last comment on a case, with a change of stage or on its own. Its words and author are personal. */
export const LastComment = Schema.Struct({
  at: Instant,
  stage: CaseStage,
  comment: personal(Schema.NonEmptyString),
  by: personal(Schema.String)
})

/** The last comment on a case; see {@link LastComment}. */
export type LastComment = typeof LastComment.Type

/**
 * The summary of one nuisance case on the board. Staff see all of it but
 * the complainant and the evidence, which it does not hold; the public and
 * the commission never see the description or the comments (see
 * {@link caseSummaryView}).
 */
export const CaseSummary = Schema.Struct({
  caseId: NuisanceCaseId,
  councilDistrict: AreaId,
  category: NuisanceCategory,
  variant: CaseVariant,
  addressKey: AddressKey,
  source: CaseSourceKind,
  /** What the complaint or finding said; it may name people. */
  description: personal(Schema.NonEmptyString),
  immediateHazard: Schema.Boolean,
  /** When the complaint, referral or finding came in. */
  openedAt: Instant,
  stage: CaseStage,
  stageEnteredAt: Instant,
  /** Per stage, in the order the case first entered each. */
  timeInStages: Schema.Array(StageTime),
  /** The deadlines still running, in the order they were set. */
  openDeadlines: Schema.Array(CaseDeadline),
  /** The hearing set and not yet decided. */
  hearingAt: Schema.NullOr(Instant),
  citations: Schema.Array(CitationSummary),
  costs: Schema.Struct({ invoicedInDollars: Money, paidInDollars: Money }),
  liens: Schema.Array(Schema.Struct({ recordedAt: Instant, amountInDollars: Money })),
  lastComment: Schema.NullOr(LastComment),
  closedAt: Schema.NullOr(Instant),
  closureReason: Schema.NullOr(ClosureReason)
})

/** The summary of one nuisance case; see {@link CaseSummary}. */
export type CaseSummary = typeof CaseSummary.Type

const millis = DateTime.toEpochMillis
const elapsed = (from: DateTime.DateTime, to: DateTime.DateTime): number => Math.max(0, millis(to) - millis(from))
const addDollars = (a: number, b: number): number => toDollars(toCents(a) + toCents(b))

const enterStage = (times: ReadonlyArray<StageTime>, stage: CaseStage): ReadonlyArray<StageTime> =>
  times.some((time) => time.stage === stage)
    ? times.map((time) => time.stage === stage ? { ...time, visits: time.visits + 1 } : time)
    : [...times, { stage, visits: 1, milliseconds: 0 }]

const leaveStage = (times: ReadonlyArray<StageTime>, stage: CaseStage, spent: number): ReadonlyArray<StageTime> =>
  times.map((time) => time.stage === stage ? { ...time, milliseconds: time.milliseconds + spent } : time)

/**
 * The summary after one more event of the case's stream; `undefined` until
 * the case is opened. Pure, so the projection and its tests share it. Time
 * in a stage is the gap between the two stage changes around it, so it
 * follows the instants of the steps (an inspection recorded late still
 * counts from when it was done), not when the events were stored.
 */
export const applyToCaseSummary = (summary: CaseSummary | undefined, event: NuisanceCaseEvent): CaseSummary | undefined => {
  if (event._tag === "CaseOpened") {
    if (summary !== undefined) return summary
    return {
      caseId: event.caseId,
      councilDistrict: event.councilDistrict,
      category: event.category,
      variant: event.variant,
      // Normalized here too, for cases opened before intake normalized
      // addresses: a summary projected from them is found by any spelling.
      addressKey: caseAddressKey(event.addressKey),
      source: event.source._tag,
      description: event.description,
      immediateHazard: event.immediateHazard,
      openedAt: event.receivedAt,
      // The stage change that follows the opening enters intake.
      stage: "intake",
      stageEnteredAt: event.receivedAt,
      timeInStages: [],
      openDeadlines: [],
      hearingAt: null,
      citations: [],
      costs: { invoicedInDollars: 0, paidInDollars: 0 },
      liens: [],
      lastComment: null,
      closedAt: null,
      closureReason: null
    }
  }
  if (summary === undefined) return undefined
  switch (event._tag) {
    case "CaseStageChanged": {
      const left = event.from === null
        ? summary.timeInStages
        : leaveStage(summary.timeInStages, summary.stage, elapsed(summary.stageEnteredAt, event.at))
      return {
        ...summary,
        stage: event.to,
        stageEnteredAt: event.at,
        timeInStages: enterStage(left, event.to),
        lastComment: { at: event.at, stage: event.to, comment: event.comment, by: event.by }
      }
    }
    case "CaseCommented":
      return { ...summary, lastComment: { at: event.at, stage: event.stage, comment: event.comment, by: event.by } }
    case "CaseTriaged":
      return { ...summary, immediateHazard: event.immediateHazard }
    case "DeadlineSet":
      // A later deadline of the same purpose replaces the running one.
      return {
        ...summary,
        openDeadlines: [...summary.openDeadlines.filter((d) => d.purpose !== event.deadline.purpose), event.deadline]
      }
    case "DeadlineClosed":
      return { ...summary, openDeadlines: summary.openDeadlines.filter((d) => d.purpose !== event.purpose) }
    case "CitationIssued":
      return {
        ...summary,
        citations: [...summary.citations, {
          citationNumber: event.citationNumber,
          codeSection: event.codeSection,
          ...(event.responsiblePersonId === undefined ? {} : { responsiblePersonId: event.responsiblePersonId }),
          amountInDollars: event.amountInDollars,
          issuedAt: event.issuedAt,
          paidInDollars: 0,
          status: "unpaid"
        }]
      }
    case "HearingScheduled":
      return { ...summary, hearingAt: event.hearingAt }
    case "HearingDecided":
      return {
        ...summary,
        hearingAt: null,
        citations: summary.citations.map((citation) =>
          event.cancelledCitations.includes(citation.citationNumber) ? { ...citation, status: "cancelled" } : citation
        )
      }
    case "CostsInvoiced":
      return { ...summary, costs: { ...summary.costs, invoicedInDollars: addDollars(summary.costs.invoicedInDollars, event.amountInDollars) } }
    case "PaymentRecorded": {
      const toward = event.toward
      if (toward._tag === "AbatementCosts") {
        return { ...summary, costs: { ...summary.costs, paidInDollars: addDollars(summary.costs.paidInDollars, event.amountInDollars) } }
      }
      return {
        ...summary,
        citations: summary.citations.map((citation) => {
          if (citation.citationNumber !== toward.citationNumber) return citation
          const paidInDollars = addDollars(citation.paidInDollars, event.amountInDollars)
          return { ...citation, paidInDollars, status: toCents(paidInDollars) >= toCents(citation.amountInDollars) ? "paid" : "unpaid" }
        })
      }
    }
    case "LienRecorded":
      return { ...summary, liens: [...summary.liens, { recordedAt: event.recordedAt, amountInDollars: event.amountInDollars }] }
    case "CaseClosed":
      return { ...summary, closedAt: event.at, closureReason: event.reason }
    // The other steps change nothing the board shows: each also moves the
    // stage or sets a deadline through the events above.
    case "InspectionRecorded":
    case "DocumentServed":
    case "ViolationsNoticed":
    case "OwnerMeetingRecorded":
    case "AbatementPlanAgreed":
    case "AbatementPlanReviewed":
    case "ExtensionGranted":
    case "CourtAppealFiled":
    case "CourtAppealDecided":
    case "CityAbatementRecorded":
    case "SummaryAbatementRecorded":
    case "HearingRequested":
    case "CivilActionFiled":
    case "CivilActionConcluded":
    case "PoliceEvidenceAttached":
    // The lien notice and the special assessment show as the stage they
    // move to, with the lien-recording deadline among the open deadlines.
    case "LienNoticeServed":
    case "SpecialAssessmentNoticed":
    case "SpecialAssessmentRecorded":
      return summary
  }
}

/** Whether a case is still open: it has not reached the `closed` stage. */
export const isOpenCase = (summary: CaseSummary): boolean => summary.stage !== "closed"

/** The earliest due instant of the case's running deadlines, if any runs. */
export const nextDue = (summary: CaseSummary): DateTime.Utc | undefined =>
  summary.openDeadlines.reduce<DateTime.Utc | undefined>(
    (earliest, deadline) => earliest === undefined || millis(deadline.due) < millis(earliest) ? deadline.due : earliest,
    undefined
  )

// ---------------------------------------------------------------------------
// The projection
// ---------------------------------------------------------------------------

/** The projection's name, under which the port keeps its checkpoint. */
export const caseBoardProjection = "justice-for-neighbors.case-board"

/**
 * The read-model collection of the board: one document per case, keyed by
 * case number, with these indexed fields: `district` (council district id),
 * `category`, `stage`, `open` (boolean), `addressKey`, `openedAt` (ISO UTC)
 * and, while a deadline runs, `nextDue` (ISO UTC of the earliest one).
 */
export const caseBoardCollection = "justice-for-neighbors.case-board"

/**
 * The board as a projection of the nuisance case events (selected by their
 * event types): one summary per case, keyed by case number, with the
 * indexed fields listed at {@link caseBoardCollection}.
 */
export const caseBoard: Projection<NuisanceCaseEvent, CaseSummary> = makeProjection({
  name: caseBoardProjection,
  collection: caseBoardCollection,
  documentName: "case summary",
  events: [nuisanceCaseEvents],
  schema: CaseSummary,
  key: (event) => event.caseId,
  apply: applyToCaseSummary,
  indexes: (summary) => {
    const due = nextDue(summary)
    return {
      district: summary.councilDistrict,
      category: summary.category,
      stage: summary.stage,
      open: isOpenCase(summary),
      addressKey: summary.addressKey,
      openedAt: DateTime.formatIso(summary.openedAt),
      // Absent rather than null when nothing runs: a missing field never
      // matches a range, so the overdue query needs no null rule.
      ...(due === undefined ? {} : { nextDue: DateTime.formatIso(due) })
    }
  }
})

/** The summary of one case, if it was opened (as far as the projection has caught up). */
export const caseSummary = (
  tenantId: string,
  caseId: string
): Effect.Effect<Option.Option<CaseSummary>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  caseBoard.get(tenantId, caseId)

/**
 * Brings the case board up to date: reads the tenant's events after the
 * board's checkpoint, `batchSize` at a time (default 500), applies the
 * nuisance case events and commits the changed summaries with the new
 * checkpoint in one transaction, until no event is left. Events of other
 * types only move the checkpoint. Run it after commands, on a schedule or
 * from an outbox consumer; it applies only what is new, two runners at once
 * make one fail with `CheckpointConflict`, and running it again is always
 * safe.
 *
 * @example
 * ```ts
 * yield* handleCommand(nuisanceCase(sacramento), envelope)
 * yield* updateCaseBoard("sacramento")
 * const open = yield* openCasesOfDistrict("sacramento", "3")
 * ```
 */
export const updateCaseBoard = (
  tenantId: string,
  options: { readonly batchSize?: number | undefined } = {}
): Effect.Effect<CatchUp, CatchUpError, EventStore | ReadModelStore> => caseBoard.catchUp(tenantId, options)

/** A query on the board's indexed fields (see {@link caseBoardCollection}); every matching summary is read. */
export type CaseBoardQuery = ProjectionQuery

/**
 * Every case summary matching a query on the board's indexed fields,
 * following the pages to the end; ordered as the query asks, ties (and
 * queries without an order) by case number in code-point order.
 */
export const caseSummaries = (
  tenantId: string,
  query: CaseBoardQuery = {}
): Effect.Effect<ReadonlyArray<CaseSummary>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  caseBoard.all(tenantId, query)

/**
 * A case summary as an audience may see it: staff see the description and
 * the last comment with its author; the public and the commission see
 * neither.
 */
export const caseSummaryView = (summary: CaseSummary, audience: Audience, clearance?: Clearance): Schema.Json =>
  redact(CaseSummary, summary, audience, clearance)
