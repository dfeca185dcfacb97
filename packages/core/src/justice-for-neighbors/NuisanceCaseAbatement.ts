/**
 * Abatement and cost recovery of the nuisance case: the city's abatement
 * after a final order, summary abatement of an imminent hazard (with notice
 * after the fact), the cost invoice, payments (toward costs or a citation),
 * and securing unpaid costs by a lien (Gov. Code 38773.1) or a special
 * assessment (Gov. Code 38773.5).
 *
 * @module
 */
import { DateTime, Result } from "effect"
import { actorKey } from "../engine/Actor.ts"
import { guardPassed, instantAfter, plausibleInstant } from "../engine/Guards.ts"
import type { ImplausibleInstant } from "../engine/Refusals.ts"
import { firstRecordingInstant, LIEN_NOTICE_CAPACITY, LIEN_NOTICE_LAW, LIEN_SERVICE_LAW, lienNoticePeriod, lienRecordingDeadline, PUBLICATION_LAW, publicationProblem, SPECIAL_ASSESSMENT_LAW, summonsMethods } from "./CostRecovery.ts"
import type { NoticeData } from "./NoticeDocument.ts"
import { formatDollars, formatNoticeDateTime } from "./NoticeValues.ts"
import { type NuisanceCaseCommandName, toCents } from "./NuisanceCaseCommands.ts"
import type { CaseDeadline } from "./NuisanceCaseEvents.ts"
import { caseFields, type Command, emit, noEvictionPressure, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"
import { AmountRefused, CitationRefused, DeadlineNotComputable, DueProcessRefused, LienNoticeRefused, NothingOwed, SpecialAssessmentRefused } from "./NuisanceCaseRefusals.ts"
import { citationBalance, costBalance, currentDeadline, lastServed, type OpenedCase } from "./NuisanceCaseState.ts"

/** The commands of this phase. */
type AbatementCommand =
  | "RecordCityAbatement"
  | "RecordSummaryAbatement"
  | "ServePostAbatementNotice"
  | "InvoiceCosts"
  | "RecordPayment"
  | "ServeLienNotice"
  | "RecordLien"
  | "ServeSpecialAssessmentNotice"
  | "RecordSpecialAssessment"

/** The handlers of the abatement and cost recovery commands. */
export const abatementSteps = (kit: NuisanceCaseKit): StepHandlers<AbatementCommand> => {
  const { jurisdiction, settings, localDate, countDeadline, stageRefused, actInstant, passed, hearingCome, setAfter, moveTo, note, closeDeadline, noticeFor, served } = kit

  // Unpaid costs are what a lien or a special assessment secures: with nothing owed there is nothing to notice or record.
  const unpaidBalance = (state: OpenedCase, command: NuisanceCaseCommandName): Result.Result<number, NothingOwed> => {
    const balance = costBalance(state)
    return balance > 0
      ? Result.succeed(balance)
      : Result.fail(new NothingOwed({ rule: "lien-needs-unpaid-balance", command, invoicedInDollars: state.costs.invoicedInDollars, paidInDollars: state.costs.paidInDollars }))
  }

  // Gov. Code 38773.1: notice to the owner of record, served as a summons
  // is or, after a diligent search fails, posted 10 days and published.
  const lienNoticeServedRight = (state: OpenedCase, command: Command<"ServeLienNotice">, now: DateTime.Utc): Result.Result<void, LienNoticeRefused | ImplausibleInstant> => {
    const { service, ownerNotFound } = command
    const refuse = (rule: LienNoticeRefused["rule"], law: string, detail: string) => Result.fail(new LienNoticeRefused({ rule, law, detail }))
    if (service.personServed.capacity !== LIEN_NOTICE_CAPACITY) {
      return refuse("lien-notice-to-owner-of-record", LIEN_NOTICE_LAW, `the notice goes to the owner of record, not to the ${service.personServed.capacity}`)
    }
    if (ownerNotFound === undefined) {
      if (service.method === "posting-on-property") {
        return refuse("posting-after-diligent-search", LIEN_SERVICE_LAW, "posting serves the notice only after a diligent search failed to find the owner; none is recorded")
      }
      return summonsMethods.includes(service.method)
        ? guardPassed
        : refuse("lien-notice-served-as-summons", LIEN_SERVICE_LAW, `${service.method} does not serve a summons; use ${summonsMethods.join(", ")}`)
    }
    if (service.method !== "posting-on-property") {
      return refuse("posting-after-diligent-search", LIEN_SERVICE_LAW, `after a diligent search the notice is posted on the property, not served by ${service.method}`)
    }
    const search = ownerNotFound.diligentSearch.completedAt
    if (instantAfter(search, service.servedAt)) {
      return refuse("posting-after-diligent-search", LIEN_SERVICE_LAW, "the diligent search must end before the notice is posted")
    }
    return Result.gen(function*() {
      yield* plausibleInstant({ command: "ServeLienNotice", field: "ownerNotFound.diligentSearch.completedAt", instant: search, notAfter: now })
      for (const published of ownerNotFound.publication.publishedAt) {
        yield* actInstant(state, "ServeLienNotice", "ownerNotFound.publication.publishedAt", published, now, search)
      }
      const problem = yield* Result.mapError(publicationProblem(ownerNotFound.publication, jurisdiction.timeZone), (error) =>
        new LienNoticeRefused({ rule: "publication-per-gov-code-6062", law: PUBLICATION_LAW, detail: error.message }))
      if (problem !== undefined) return yield* refuse("publication-per-gov-code-6062", PUBLICATION_LAW, problem)
    })
  }


  return {
    RecordCityAbatement: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "completedAt", command.completedAt, now)
        yield* noEvictionPressure(name, "work", command.work)
        if (lastServed(state, "abatement-order") === undefined) {
          return yield* Result.fail(new DueProcessRefused({
            rule: "abatement-order-before-city-abatement",
            command: name,
            reason: "no abatement order was served on the owner; serve it first (or record a summary abatement of an imminent hazard)",
            source: "Gov. Code 38773"
          }))
        }
        if (state.stage === "abatement-ordered" && state.courtAppeal === undefined) {
          // The order is final only once the owner can no longer appeal it
          // (or, once appealed, when the court upheld it).
          yield* passed(state, name, "court-appeal", at, "no-city-abatement-during-court-appeal-window")
          closeDeadline(draft, "court-appeal", at, "expired")
        }
        emit(draft, { _tag: "CityAbatementRecorded", ...caseFields(state), completedAt: at, work: command.work, costInDollars: command.costInDollars })
        yield* moveTo(draft, name, "city-abated", at, command.comment, actor)
        return draft.events
      }),
    RecordSummaryAbatement: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        if (state.variant !== "standard") {
          return yield* stageRefused(state, name, "case-variant")
        }
        const at = yield* actInstant(state, name, "completedAt", command.completedAt, now)
        const deadline = yield* countDeadline(
          "post-abatement-notice",
          "notice to the owner within periods.postAbatementNotice of a summary abatement (the city's summary abatement ordinance)",
          at,
          settings.periods.postAbatementNotice
        )
        // The case leaves the stages whose deadlines waited for the owner.
        for (const open of draft.state.deadlines) {
          if (open.status === "open") closeDeadline(draft, open.purpose, at, "cancelled")
        }
        emit(
          draft,
          { _tag: "SummaryAbatementRecorded", ...caseFields(state), completedAt: at, reason: command.reason, by: actorKey(actor) },
          { _tag: "CityAbatementRecorded", ...caseFields(state), completedAt: at, work: command.work, costInDollars: command.costInDollars },
          { _tag: "DeadlineSet", ...caseFields(state), deadline }
        )
        yield* moveTo(draft, name, "city-abated", at, command.comment, actor)
        return draft.events
      }),
    ServePostAbatementNotice: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        if (state.summaryAbatement === undefined || lastServed(state, "post-abatement-notice") !== undefined) {
          return yield* Result.fail(new DueProcessRefused({
            rule: "post-abatement-notice-after-summary-abatement",
            command: name,
            reason: state.summaryAbatement === undefined ? "no summary abatement is on record" : "the notice after the fact was already served",
            source: "the city's summary abatement ordinance"
          }))
        }
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        const due = currentDeadline(state, "post-abatement-notice")?.due
        const summary = state.summaryAbatement
        const abatement = state.abatement
        const notice = yield* noticeFor(
          state,
          name,
          "post-abatement-notice",
          command.service,
          Result.map(localDate(summary.completedAt), (abatedOn): NoticeData => ({
            abatedOn,
            hazardReason: summary.reason,
            ...(abatement === undefined ? {} : { workDone: [abatement.work], abatementCost: formatDollars(abatement.costInDollars) })
          }))
        )
        served(draft, command.service, notice)
        // Late notice is still notice: it is served, and the deadline is on record as missed.
        closeDeadline(draft, "post-abatement-notice", at, due !== undefined && instantAfter(at, due) ? "expired" : "satisfied")
        note(draft, at, command.comment, actor)
        return draft.events
      }),
    InvoiceCosts: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        if (state.summaryAbatement !== undefined && lastServed(state, "post-abatement-notice") === undefined) {
          return yield* Result.fail(new DueProcessRefused({
            rule: "notice-after-summary-abatement-before-invoice",
            command: name,
            reason: "the notice after the fact of the summary abatement has not been served",
            source: "due process: notice before any charge; the city's summary abatement ordinance"
          }))
        }
        const cost = state.abatement?.costInDollars ?? 0
        if (toCents(command.amountInDollars) > toCents(cost)) {
          return yield* Result.fail(new AmountRefused({ rule: "invoice-within-costs", command: name, amountInDollars: command.amountInDollars, limitInDollars: cost }))
        }
        const deadline = yield* countDeadline(
          "cost-payment",
          "payment within periods.costPayment of service of the cost invoice",
          at,
          settings.periods.costPayment
        )
        const notice = yield* noticeFor(
          state,
          name,
          "cost-invoice",
          command.service,
          Result.map(localDate(deadline.due), (payBy) => ({ totalCost: formatDollars(command.amountInDollars), payBy }))
        )
        emit(draft, { _tag: "CostsInvoiced", ...caseFields(state), invoicedAt: at, amountInDollars: command.amountInDollars, documentId: notice.id })
        served(draft, command.service, notice)
        emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline })
        yield* moveTo(draft, name, "costs-invoiced", at, command.comment, actor)
        return draft.events
      }),
    RecordPayment: (command, state, { now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const toward = command.toward
        if (toward._tag === "Citation") {
          const citation = state.citations.find((c) => c.citationNumber === toward.citationNumber)
          if (citation === undefined) {
            return yield* Result.fail(new CitationRefused({ rule: "citation-must-exist", citationNumber: toward.citationNumber, reason: "no such citation on this case" }))
          }
          if (citation.status !== "unpaid") {
            return yield* Result.fail(new CitationRefused({ rule: "citation-payable", citationNumber: toward.citationNumber, reason: `the citation is ${citation.status}` }))
          }
          const at = yield* actInstant(state, name, "paidAt", command.paidAt, now, citation.issuedAt)
          const balance = citationBalance(citation)
          if (toCents(command.amountInDollars) > toCents(balance)) {
            return yield* Result.fail(new AmountRefused({ rule: "payment-within-balance", command: name, amountInDollars: command.amountInDollars, limitInDollars: balance }))
          }
          emit(draft, { _tag: "PaymentRecorded", ...caseFields(state), paidAt: at, amountInDollars: command.amountInDollars, toward, ...(command.receiptNumber === undefined ? {} : { receiptNumber: command.receiptNumber }) })
          return draft.events
        }
        const balance = costBalance(state)
        if (toCents(command.amountInDollars) > toCents(balance)) {
          return yield* Result.fail(new AmountRefused({ rule: "payment-within-balance", command: name, amountInDollars: command.amountInDollars, limitInDollars: balance }))
        }
        const invoiced = lastServed(state, "cost-invoice")?.servedAt ?? state.stageSince
        const at = yield* actInstant(state, name, "paidAt", command.paidAt, now, invoiced)
        emit(draft, { _tag: "PaymentRecorded", ...caseFields(state), paidAt: at, amountInDollars: command.amountInDollars, toward, ...(command.receiptNumber === undefined ? {} : { receiptNumber: command.receiptNumber }) })
        if (costBalance(draft.state) === 0) closeDeadline(draft, "cost-payment", at, "satisfied")
        return draft.events
      }),
    ServeLienNotice: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const service = command.service
        const at = yield* actInstant(state, name, "service.servedAt", service.servedAt, now)
        if (state.stage === "costs-invoiced") {
          yield* passed(state, name, "cost-payment", at, "no-lien-before-payment-deadline")
        }
        const balance = yield* unpaidBalance(state, name)
        yield* lienNoticeServedRight(state, command, now)
        const recording = yield* Result.mapError(
          lienRecordingDeadline(jurisdiction, lienNoticePeriod(settings.periods), { servedAt: at, ownerNotFound: command.ownerNotFound }),
          (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "lien-recording", setBy: "lien notice", reason: error.message })
        )
        const deadline: CaseDeadline = {
          purpose: "lien-recording",
          rule: recording.deadline.rule,
          start: DateTime.toUtc(recording.deadline.start),
          due: DateTime.toUtc(recording.deadline.due),
          period: recording.deadline.period
        }
        // The notice's "on or after" date is the first day of recording the case itself enforces.
        const notice = yield* noticeFor(
          state,
          name,
          "lien-notice",
          service,
          Result.map(localDate(firstRecordingInstant(recording.deadline.due)), (recordingOn) => ({ lienAmount: formatDollars(balance), recordingOn }))
        )
        closeDeadline(draft, "cost-payment", at, "expired")
        served(draft, service, notice)
        emit(
          draft,
          {
            _tag: "LienNoticeServed",
            ...caseFields(state),
            servedAt: at,
            completedAt: recording.completedAt,
            amountInDollars: balance,
            documentId: notice.id,
            ...(command.ownerNotFound === undefined ? {} : { ownerNotFound: command.ownerNotFound })
          },
          { _tag: "DeadlineSet", ...caseFields(state), deadline }
        )
        if (state.stage === "lien-noticed") note(draft, at, command.comment, actor)
        else yield* moveTo(draft, name, "lien-noticed", at, command.comment, actor)
        return draft.events
      }),
    RecordLien: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "recordedAt", command.recordedAt, now)
        yield* passed(state, name, "lien-recording", at, "no-lien-before-notice-period")
        const balance = yield* unpaidBalance(state, name)
        emit(draft, {
          _tag: "LienRecorded",
          ...caseFields(state),
          recordedAt: at,
          amountInDollars: balance,
          ...(command.recorderDocumentNumber === undefined ? {} : { recorderDocumentNumber: command.recorderDocumentNumber })
        })
        closeDeadline(draft, "lien-recording", at, "satisfied")
        yield* moveTo(draft, name, "lien-recorded", at, command.comment, actor)
        return draft.events
      }),
    ServeSpecialAssessmentNotice: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const service = command.service
        const at = yield* actInstant(state, name, "service.servedAt", service.servedAt, now)
        if (state.stage === "costs-invoiced") {
          yield* passed(state, name, "cost-payment", at, "no-special-assessment-before-payment-deadline")
        }
        const balance = yield* unpaidBalance(state, name)
        if (service.personServed.capacity !== "owner") {
          return yield* Result.fail(new SpecialAssessmentRefused({
            rule: "special-assessment-notice-to-owner",
            law: SPECIAL_ASSESSMENT_LAW,
            detail: `the notice goes to the owner of the property, not to the ${service.personServed.capacity}`
          }))
        }
        if (service.method !== "certified-mail") {
          return yield* Result.fail(new SpecialAssessmentRefused({
            rule: "special-assessment-notice-by-certified-mail",
            law: SPECIAL_ASSESSMENT_LAW,
            detail: `the notice is sent by certified mail, not by ${service.method}`
          }))
        }
        yield* setAfter("hearing-after-notice", name, "hearingAt", command.hearingAt, at)
        const notice = yield* noticeFor(
          state,
          name,
          "special-assessment-notice",
          service,
          Result.map(formatNoticeDateTime(command.hearingAt, jurisdiction.timeZone), (hearingDateTime) => ({ assessmentAmount: formatDollars(balance), hearingDateTime }))
        )
        closeDeadline(draft, "cost-payment", at, "expired")
        served(draft, service, notice)
        emit(draft, { _tag: "SpecialAssessmentNoticed", ...caseFields(state), servedAt: at, hearingAt: command.hearingAt, amountInDollars: balance, documentId: notice.id })
        if (state.stage === "special-assessment-noticed") note(draft, at, command.comment, actor)
        else yield* moveTo(draft, name, "special-assessment-noticed", at, command.comment, actor)
        return draft.events
      }),
    RecordSpecialAssessment: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "confirmedAt", command.confirmedAt, now)
        yield* hearingCome(name, "no-special-assessment-before-hearing", "the special assessment notice (Gov. Code 38773.5)", state.specialAssessment?.hearingAt, at)
        const balance = yield* unpaidBalance(state, name)
        emit(draft, {
          _tag: "SpecialAssessmentRecorded",
          ...caseFields(state),
          confirmedAt: at,
          amountInDollars: balance,
          ...(command.resolutionNumber === undefined ? {} : { resolutionNumber: command.resolutionNumber })
        })
        yield* moveTo(draft, name, "special-assessment-recorded", at, command.comment, actor)
        return draft.events
      })
  }
}
