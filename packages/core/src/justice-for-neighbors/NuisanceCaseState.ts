/**
 * The state of a nuisance case, folded from its events: its stage and
 * history, deadlines, the documents served, citations, costs, liens, civil
 * actions, extensions, police evidence and comments. A schema, so one
 * definition gives the type, the JSON form and the redacted views (a
 * public status page never shows who was served or what was said).
 *
 * @module
 */
import { DateTime, type Result, Schema } from "effect"
import type { UnknownTimeZone } from "../kernel/Deadline.ts"
import { AreaId } from "../kernel/Area.ts"
import { Period } from "../kernel/Period.ts"
import { AddressKey } from "../kernel/Place.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { FineScheduleKind } from "./AdministrativeFine.ts"
import { CaseStage, CaseVariant, ClosureReason } from "./CaseStage.ts"
import {
  CivilActionKind,
  CivilActionOutcome,
  HearingOfficer,
  NuisanceCaseId,
  NuisanceCaseSource,
  OwnerMeetingOutcome,
  Ruling,
  StartDuties,
  toCents,
  toDollars
} from "./NuisanceCaseCommands.ts"
import {
  CaseDeadline,
  DeadlineOutcome,
  DeadlinePurpose,
  type NuisanceCaseEvent
} from "./NuisanceCaseEvents.ts"
import type { NoticeKind } from "./NoticeKind.ts"
import { firstRecordingInstant, OwnerNotFound } from "./CostRecovery.ts"
import { formatNoticeDate } from "./NoticeValues.ts"
import { ServedDocument } from "./ServiceOfNotice.ts"

const Instant = Schema.DateTimeUtcFromString
const Money = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))

/** A stage the case was in, from when to when (`leftAt` absent for the current one). */
export const StageVisit = Schema.Struct({
  stage: CaseStage,
  enteredAt: Instant,
  leftAt: Schema.optionalKey(Instant)
})

/** A stage the case was in; see {@link StageVisit}. */
export type StageVisit = typeof StageVisit.Type

/** A deadline of the case and whether it still runs. */
export const TrackedDeadline = Schema.Struct({
  ...CaseDeadline.fields,
  status: Schema.Literals(["open", ...DeadlineOutcome.literals]),
  closedAt: Schema.optionalKey(Instant)
})

/** A deadline of the case and whether it still runs; see {@link TrackedDeadline}. */
export type TrackedDeadline = typeof TrackedDeadline.Type

/** An administrative citation on the case, with what was paid and whether it stands. */
export const Citation = Schema.Struct({
  citationNumber: Schema.NonEmptyString,
  codeSection: Schema.NonEmptyString,
  schedule: FineScheduleKind,
  amountInDollars: Money,
  violationNumber: Schema.Int,
  capInDollars: Money,
  windowDays: Schema.Int,
  issuedAt: Instant,
  documentId: Schema.NonEmptyString,
  /** Whom it was issued to; absent on citations issued before it was recorded. */
  responsiblePersonId: Schema.optionalKey(personal(Schema.NonEmptyString)),
  paidInDollars: Money,
  /** `cancelled` when a hearing overturned the case before it was paid. */
  status: Schema.Literals(["unpaid", "paid", "cancelled"])
})

/** An administrative citation on the case; see {@link Citation}. */
export type Citation = typeof Citation.Type

/** An extension given, and why. */
export const Extension = Schema.Struct({
  purpose: DeadlinePurpose,
  grantedAt: Instant,
  period: Period,
  reason: personal(Schema.NonEmptyString),
  previousDue: Instant,
  newDue: Instant
})

/** An extension given; see {@link Extension}. */
export type Extension = typeof Extension.Type

/** A civil action filed, and how it ended once it has. */
export const CivilAction = Schema.Struct({
  kind: CivilActionKind,
  courtCaseNumber: Schema.NonEmptyString,
  filedAt: Instant,
  outcome: Schema.optionalKey(CivilActionOutcome),
  concludedAt: Schema.optionalKey(Instant)
})

/** A civil action filed; see {@link CivilAction}. */
export type CivilAction = typeof CivilAction.Type

/** A comment on the case: with a change of stage, or on its own. */
export const CaseNote = Schema.Struct({
  at: Instant,
  stage: CaseStage,
  comment: personal(Schema.NonEmptyString),
  by: personal(Schema.String)
})

/** A comment on the case; see {@link CaseNote}. */
export type CaseNote = typeof CaseNote.Type

/** A case that has been opened, at any stage including closed. */
export const OpenedCase = Schema.TaggedStruct("OpenedCase", {
  caseId: NuisanceCaseId,
  councilDistrict: AreaId,
  category: NuisanceCategory,
  variant: CaseVariant,
  addressKey: AddressKey,
  source: NuisanceCaseSource,
  description: personal(Schema.NonEmptyString),
  immediateHazard: Schema.Boolean,
  receivedAt: Instant,
  stage: CaseStage,
  /** When the case entered its stage (the instant of the step that moved it). */
  stageSince: Instant,
  stageHistory: Schema.Array(StageVisit),
  deadlines: Schema.Array(TrackedDeadline),
  inspections: Schema.Array(Schema.Struct({
    kind: Schema.Literals(["inspection", "reinspection"]),
    inspectedAt: Instant,
    violationFound: Schema.Boolean,
    startDuties: Schema.optionalKey(StartDuties)
  })),
  violations: Schema.Array(Schema.NonEmptyString),
  documents: Schema.Array(ServedDocument),
  ownerMeetings: Schema.Array(Schema.Struct({ heldAt: Instant, outcome: OwnerMeetingOutcome })),
  abatementPlan: Schema.optionalKey(Schema.Struct({
    agreedAt: Instant,
    terms: Schema.Array(Schema.NonEmptyString),
    reviewedAt: Schema.optionalKey(Instant),
    kept: Schema.optionalKey(Schema.Boolean)
  })),
  extensions: Schema.Array(Extension),
  citations: Schema.Array(Citation),
  /** The owner's request for a hearing, once made. */
  hearingRequest: Schema.optionalKey(Schema.Struct({
    requestedAt: Instant,
    contests: Schema.optionalKey(Schema.NonEmptyString)
  })),
  hearing: Schema.optionalKey(Schema.Struct({
    hearingAt: Instant,
    decidedAt: Schema.optionalKey(Instant),
    outcome: Schema.optionalKey(Ruling),
    hearingOfficer: Schema.optionalKey(HearingOfficer),
    findings: Schema.optionalKey(Schema.Array(Schema.NonEmptyString))
  })),
  courtAppeal: Schema.optionalKey(Schema.Struct({
    filedAt: Instant,
    courtCaseNumber: Schema.NonEmptyString,
    decidedAt: Schema.optionalKey(Instant),
    outcome: Schema.optionalKey(Ruling)
  })),
  abatement: Schema.optionalKey(Schema.Struct({
    completedAt: Instant,
    work: Schema.NonEmptyString,
    costInDollars: Money
  })),
  /** A summary abatement of an imminent hazard: when, why and by whom (notice follows after the fact). */
  summaryAbatement: Schema.optionalKey(Schema.Struct({
    completedAt: Instant,
    reason: personal(Schema.NonEmptyString),
    by: personal(Schema.String)
  })),
  costs: Schema.Struct({ invoicedInDollars: Money, paidInDollars: Money }),
  liens: Schema.Array(Schema.Struct({
    recordedAt: Instant,
    amountInDollars: Money,
    recorderDocumentNumber: Schema.optionalKey(Schema.NonEmptyString)
  })),
  /** The notice of a lien to the owner of record (Gov. Code 38773.1), once served. */
  lienNotice: Schema.optionalKey(Schema.Struct({
    servedAt: Instant,
    completedAt: Instant,
    amountInDollars: Money,
    documentId: Schema.NonEmptyString,
    ownerNotFound: Schema.optionalKey(OwnerNotFound)
  })),
  /** The special assessment of the unpaid costs (Gov. Code 38773.5): noticed, then confirmed. */
  specialAssessment: Schema.optionalKey(Schema.Struct({
    noticedAt: Instant,
    hearingAt: Instant,
    amountInDollars: Money,
    documentId: Schema.NonEmptyString,
    confirmedAt: Schema.optionalKey(Instant),
    confirmedAmountInDollars: Schema.optionalKey(Money),
    resolutionNumber: Schema.optionalKey(Schema.NonEmptyString)
  })),
  civilActions: Schema.Array(CivilAction),
  policeEvidence: Schema.Array(Schema.Struct({
    attachedAt: Instant,
    reportNumber: Schema.optionalKey(Schema.NonEmptyString),
    description: personal(Schema.NonEmptyString),
    by: personal(Schema.String)
  })),
  comments: Schema.Array(CaseNote),
  closure: Schema.optionalKey(Schema.Struct({ reason: ClosureReason, at: Instant }))
})

/** A case that has been opened; see {@link OpenedCase}. */
export type OpenedCase = typeof OpenedCase.Type

/** The state of a stream with no case yet. */
export const NoCase = Schema.TaggedStruct("NoCase", {})

/** The state of a nuisance case stream: no case yet, or the case. */
export const NuisanceCaseState = Schema.Union([NoCase, OpenedCase])

/** The state of a nuisance case stream; see {@link NuisanceCaseState}. */
export type NuisanceCaseState = typeof NuisanceCaseState.Type

/** The state before any event. */
export const initialNuisanceCaseState: NuisanceCaseState = { _tag: "NoCase" }

// The library targets ES2022, which has no Array.prototype.findLast.
const lastIndexWhere = <A>(items: ReadonlyArray<A>, match: (a: A) => boolean): number => {
  for (let i = items.length - 1; i >= 0; i--) if (match(items[i]!)) return i
  return -1
}

const lastWhere = <A>(items: ReadonlyArray<A>, match: (a: A) => boolean): A | undefined => items[lastIndexWhere(items, match)]

/** The last document of a kind the case served, if any. */
export const lastServed = (state: OpenedCase, kind: NoticeKind): ServedDocument | undefined =>
  lastWhere(state.documents, (document) => document.kind === kind)

/** The deadline of a purpose that counts now: the last one set. */
export const currentDeadline = (state: OpenedCase, purpose: DeadlinePurpose): TrackedDeadline | undefined =>
  lastWhere(state.deadlines, (deadline) => deadline.purpose === purpose)

/**
 * The first instant the case accepts the recording of a lien: just after
 * its `lien-recording` deadline (set when the lien notice was served) is
 * due; `undefined` before any lien notice.
 */
export const earliestLienRecording = (state: OpenedCase): DateTime.Utc | undefined => {
  const deadline = currentDeadline(state, "lien-recording")
  return deadline === undefined ? undefined : firstRecordingInstant(deadline.due)
}

/**
 * The date a lien notice gives as "recorded on or after" (its `recordingOn`
 * placeholder), written as {@link formatNoticeDate} writes dates in the
 * jurisdiction's `timeZone`: the local date of {@link earliestLienRecording},
 * so the notice and the case's refusal of an early recording agree to the
 * instant. `undefined` before any lien notice.
 */
export const lienRecordingOn = (
  state: OpenedCase,
  timeZone: string,
  locale = "en-US"
): Result.Result<string, UnknownTimeZone> | undefined => {
  const earliest = earliestLienRecording(state)
  return earliest === undefined ? undefined : formatNoticeDate(earliest, timeZone, locale)
}

/** What is still owed on the invoiced abatement costs, in dollars. */
export const costBalance = (state: OpenedCase): number =>
  toDollars(toCents(state.costs.invoicedInDollars) - toCents(state.costs.paidInDollars))

/** What is still owed on a citation, in dollars (nothing once cancelled). */
export const citationBalance = (citation: Citation): number =>
  citation.status === "cancelled" ? 0 : toDollars(toCents(citation.amountInDollars) - toCents(citation.paidInDollars))

const addDollars = (a: number, b: number): number => toDollars(toCents(a) + toCents(b))

const replaceLast = <A>(items: ReadonlyArray<A>, match: (a: A) => boolean, update: (a: A) => A): ReadonlyArray<A> => {
  const index = lastIndexWhere(items, match)
  return index < 0 ? items : items.map((item, i) => i === index ? update(item) : item)
}

const closeDeadline = (
  state: OpenedCase,
  purpose: DeadlinePurpose,
  at: DateTime.Utc,
  outcome: DeadlineOutcome
): OpenedCase => ({
  ...state,
  deadlines: replaceLast(
    state.deadlines,
    (deadline) => deadline.purpose === purpose && deadline.status === "open",
    (deadline) => ({ ...deadline, status: outcome, closedAt: at })
  )
})

const evolveOpened = (state: OpenedCase, event: Exclude<NuisanceCaseEvent, { readonly _tag: "CaseOpened" }>): OpenedCase => {
  switch (event._tag) {
    case "CaseStageChanged": {
      const history = state.stageHistory.map((visit, i) =>
        i === state.stageHistory.length - 1 ? { ...visit, leftAt: event.at } : visit
      )
      return {
        ...state,
        stage: event.to,
        stageSince: event.at,
        stageHistory: [...history, { stage: event.to, enteredAt: event.at }],
        comments: [...state.comments, { at: event.at, stage: event.to, comment: event.comment, by: event.by }]
      }
    }
    case "CaseTriaged":
      return { ...state, immediateHazard: event.immediateHazard }
    case "DeadlineSet": {
      // A new deadline of the same purpose replaces the running one.
      const superseded = state.deadlines.map((deadline) =>
        deadline.purpose === event.deadline.purpose && deadline.status === "open"
          ? { ...deadline, status: "cancelled" as const, closedAt: event.deadline.start }
          : deadline
      )
      return { ...state, deadlines: [...superseded, { ...event.deadline, status: "open" }] }
    }
    case "DeadlineClosed":
      return closeDeadline(state, event.purpose, event.at, event.outcome)
    case "InspectionRecorded":
      return {
        ...state,
        inspections: [...state.inspections, {
          kind: event.kind,
          inspectedAt: event.inspectedAt,
          violationFound: event.violationFound,
          ...(event.startDuties === undefined ? {} : { startDuties: event.startDuties })
        }]
      }
    case "DocumentServed":
      return { ...state, documents: [...state.documents, event.document] }
    case "ViolationsNoticed":
      return { ...state, violations: [...state.violations, ...event.violations] }
    case "OwnerMeetingRecorded":
      return { ...state, ownerMeetings: [...state.ownerMeetings, { heldAt: event.heldAt, outcome: event.outcome }] }
    case "AbatementPlanAgreed":
      return { ...state, abatementPlan: { agreedAt: event.agreedAt, terms: event.terms } }
    case "AbatementPlanReviewed":
      return state.abatementPlan === undefined
        ? state
        : { ...state, abatementPlan: { ...state.abatementPlan, reviewedAt: event.reviewedAt, kept: event.kept } }
    case "ExtensionGranted":
      return {
        ...state,
        extensions: [...state.extensions, {
          purpose: event.purpose,
          grantedAt: event.grantedAt,
          period: event.period,
          reason: event.reason,
          previousDue: event.previousDue,
          newDue: event.newDue
        }]
      }
    case "CitationIssued":
      return {
        ...state,
        citations: [...state.citations, {
          citationNumber: event.citationNumber,
          codeSection: event.codeSection,
          schedule: event.schedule,
          amountInDollars: event.amountInDollars,
          violationNumber: event.violationNumber,
          capInDollars: event.capInDollars,
          windowDays: event.windowDays,
          issuedAt: event.issuedAt,
          documentId: event.documentId,
          ...(event.responsiblePersonId === undefined ? {} : { responsiblePersonId: event.responsiblePersonId }),
          paidInDollars: 0,
          status: "unpaid"
        }]
      }
    case "HearingRequested":
      return {
        ...state,
        hearingRequest: { requestedAt: event.requestedAt, ...(event.contests === undefined ? {} : { contests: event.contests }) }
      }
    case "HearingScheduled":
      return { ...state, hearing: { hearingAt: event.hearingAt } }
    case "HearingDecided": {
      const decided = {
        decidedAt: event.decidedAt,
        outcome: event.outcome,
        ...(event.hearingOfficer === undefined ? {} : { hearingOfficer: event.hearingOfficer }),
        ...(event.findings === undefined ? {} : { findings: event.findings })
      }
      return {
        ...state,
        hearing: state.hearing === undefined
          ? { hearingAt: event.decidedAt, ...decided }
          : { ...state.hearing, ...decided },
        citations: state.citations.map((citation) =>
          event.cancelledCitations.includes(citation.citationNumber) ? { ...citation, status: "cancelled" } : citation
        )
      }
    }
    case "CourtAppealFiled":
      return { ...state, courtAppeal: { filedAt: event.filedAt, courtCaseNumber: event.courtCaseNumber } }
    case "CourtAppealDecided":
      return state.courtAppeal === undefined
        ? state
        : { ...state, courtAppeal: { ...state.courtAppeal, decidedAt: event.decidedAt, outcome: event.outcome } }
    case "CityAbatementRecorded":
      return { ...state, abatement: { completedAt: event.completedAt, work: event.work, costInDollars: event.costInDollars } }
    case "SummaryAbatementRecorded":
      return { ...state, summaryAbatement: { completedAt: event.completedAt, reason: event.reason, by: event.by } }
    case "CostsInvoiced":
      return {
        ...state,
        costs: { ...state.costs, invoicedInDollars: addDollars(state.costs.invoicedInDollars, event.amountInDollars) }
      }
    case "PaymentRecorded": {
      const toward = event.toward
      if (toward._tag === "AbatementCosts") {
        return { ...state, costs: { ...state.costs, paidInDollars: addDollars(state.costs.paidInDollars, event.amountInDollars) } }
      }
      return {
        ...state,
        citations: state.citations.map((citation) => {
          if (citation.citationNumber !== toward.citationNumber) return citation
          const paidInDollars = addDollars(citation.paidInDollars, event.amountInDollars)
          return { ...citation, paidInDollars, status: toCents(paidInDollars) >= toCents(citation.amountInDollars) ? "paid" : "unpaid" }
        })
      }
    }
    case "LienRecorded":
      return {
        ...state,
        liens: [...state.liens, {
          recordedAt: event.recordedAt,
          amountInDollars: event.amountInDollars,
          ...(event.recorderDocumentNumber === undefined ? {} : { recorderDocumentNumber: event.recorderDocumentNumber })
        }]
      }
    case "LienNoticeServed":
      return {
        ...state,
        lienNotice: {
          servedAt: event.servedAt,
          completedAt: event.completedAt,
          amountInDollars: event.amountInDollars,
          documentId: event.documentId,
          ...(event.ownerNotFound === undefined ? {} : { ownerNotFound: event.ownerNotFound })
        }
      }
    case "SpecialAssessmentNoticed":
      return {
        ...state,
        specialAssessment: {
          noticedAt: event.servedAt,
          hearingAt: event.hearingAt,
          amountInDollars: event.amountInDollars,
          documentId: event.documentId
        }
      }
    case "SpecialAssessmentRecorded":
      return state.specialAssessment === undefined
        ? state
        : {
          ...state,
          specialAssessment: {
            ...state.specialAssessment,
            confirmedAt: event.confirmedAt,
            confirmedAmountInDollars: event.amountInDollars,
            ...(event.resolutionNumber === undefined ? {} : { resolutionNumber: event.resolutionNumber })
          }
        }
    case "CivilActionFiled":
      return {
        ...state,
        civilActions: [...state.civilActions, { kind: event.kind, courtCaseNumber: event.courtCaseNumber, filedAt: event.filedAt }]
      }
    case "CivilActionConcluded":
      return {
        ...state,
        civilActions: replaceLast(
          state.civilActions,
          (action) => action.kind === event.kind && action.outcome === undefined,
          (action) => ({ ...action, outcome: event.outcome, concludedAt: event.concludedAt })
        )
      }
    case "PoliceEvidenceAttached":
      return {
        ...state,
        policeEvidence: [...state.policeEvidence, {
          attachedAt: event.attachedAt,
          description: event.description,
          by: event.by,
          ...(event.reportNumber === undefined ? {} : { reportNumber: event.reportNumber })
        }]
      }
    case "CaseCommented":
      return { ...state, comments: [...state.comments, { at: event.at, stage: event.stage, comment: event.comment, by: event.by }] }
    case "CaseClosed":
      return { ...state, closure: { reason: event.reason, at: event.at } }
  }
}

/**
 * The state after one more event. Pure and total: an event that does not
 * fit the state (which the decider never produces) leaves it unchanged
 * rather than failing, so a stream can always be read.
 */
export const evolveNuisanceCase = (state: NuisanceCaseState, event: NuisanceCaseEvent): NuisanceCaseState => {
  if (event._tag === "CaseOpened") {
    if (state._tag === "OpenedCase") return state
    return {
      _tag: "OpenedCase",
      caseId: event.caseId,
      councilDistrict: event.councilDistrict,
      category: event.category,
      variant: event.variant,
      addressKey: event.addressKey,
      source: event.source,
      description: event.description,
      immediateHazard: event.immediateHazard,
      receivedAt: event.receivedAt,
      // The stage change that follows the opening moves the case into intake.
      stage: "intake",
      stageSince: event.receivedAt,
      stageHistory: [],
      deadlines: [],
      inspections: [],
      violations: [],
      documents: [],
      ownerMeetings: [],
      extensions: [],
      citations: [],
      costs: { invoicedInDollars: 0, paidInDollars: 0 },
      liens: [],
      civilActions: [],
      policeEvidence: [],
      comments: []
    }
  }
  return state._tag === "NoCase" ? state : evolveOpened(state, event)
}
