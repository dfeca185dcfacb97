/**
 * Hearings and appeals of the nuisance case: the owner's hearing request,
 * the hearing notice (with the least notice of `periods.hearingNotice`),
 * the decision of an impartial hearing officer and its service, the
 * abatement order (after a hearing, or after the opportunity for one), and
 * the court appeal of the final administrative decision or order (Gov. Code
 * 53069.4(b)(1)).
 *
 * @module
 */
import { DateTime, Result } from "effect"
import { type Actor, actorKey } from "../engine/Actor.ts"
import { guardPassed, instantAfter } from "../engine/Guards.ts"
import { computeDeadline } from "../kernel/Deadline.ts"
import type { NoticeData } from "./NoticeDocument.ts"
import { formatNoticeDateTime } from "./NoticeValues.ts"
import type { NuisanceCaseCommandName } from "./NuisanceCaseCommands.ts"
import { caseFields, type Command, emit, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"
import { DeadlineNotComputable, DueProcessRefused, HearingNoticeTooShort, HearingOfficerNotImpartial } from "./NuisanceCaseRefusals.ts"
import { lastServed, type OpenedCase } from "./NuisanceCaseState.ts"

/** The commands of this phase. */
type HearingCommand =
  | "ServeHearingNotice"
  | "RequestHearing"
  | "RecordHearingDecision"
  | "ServeHearingDecision"
  | "ServeAbatementOrder"
  | "RecordCourtAppeal"
  | "RecordCourtDecision"

/** The handlers of the hearing, order and appeal commands. */
export const hearingSteps = (kit: NuisanceCaseKit): StepHandlers<HearingCommand> => {
  const { jurisdiction, settings, courtAppealPeriod, localDate, actInstant, passed, hearingCome, withinCaseWindow, setAfter, moveTo, note, closeDeadline, close, noticeFor, served, courtAppealDeadline } = kit

  /**
   * The least notice of a hearing (`periods.hearingNotice`): counted from
   * service like any period; with days, the hearing may be at any time on
   * the last day counted, with hours at or after the instant.
   */
  const minimumHearingNotice = (
    command: NuisanceCaseCommandName,
    servedAt: DateTime.Utc,
    hearingAt: DateTime.Utc
  ): Result.Result<void, HearingNoticeTooShort | DeadlineNotComputable> => {
    const period = settings.periods.hearingNotice
    return Result.flatMap(
      Result.mapError(
        computeDeadline({ start: servedAt, period, rule: "least notice of a hearing (periods.hearingNotice)" }, jurisdiction),
        (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "hearing-request", setBy: "periods.hearingNotice", reason: error.message })
      ),
      (notice) => {
        const earliest = DateTime.toUtc(period.unit === "hours" ? notice.due : DateTime.startOf(notice.due, "day"))
        return instantAfter(earliest, hearingAt)
          ? Result.fail(new HearingNoticeTooShort({
            rule: "minimum-hearing-notice",
            command,
            servedAt,
            hearingAt,
            earliest,
            setting: "programs.justiceForNeighbors.periods.hearingNotice"
          }))
          : guardPassed
      }
    )
  }

  /**
   * The hearing officer must be impartial: not an actor who took a step on
   * the case (each step records who took it), and holding no seat of the
   * district team that brought it (`teamSeats`), by the roles the command
   * states and, when the recording actor names itself, by its own roles.
   */
  const impartialOfficer = (
    state: OpenedCase,
    officer: Command<"RecordHearingDecision">["hearingOfficer"],
    actor: Actor
  ): Result.Result<void, HearingOfficerNotImpartial> => {
    const source = "due process: an impartial hearing officer, apart from the advocate (Haas v. County of San Bernardino (2002) 27 Cal.4th 1017; " +
      "Nightlife Partners v. City of Beverly Hills (2003) 108 Cal.App.4th 81; compare Gov. Code 11425.30)"
    const officerKey = actorKey({ _tag: "Staff", id: officer.id, roles: [], districts: [] })
    const tookPart = [
      ...state.comments.map((note) => note.by),
      ...state.policeEvidence.map((evidence) => evidence.by),
      ...(state.summaryAbatement === undefined ? [] : [state.summaryAbatement.by])
    ].includes(officerKey)
    const fields = { rule: "impartial-hearing-officer", officerId: officer.id, setting: "programs.justiceForNeighbors.teamSeats", source } as const
    if (tookPart) return Result.fail(new HearingOfficerNotImpartial({ ...fields, reason: "took-part-in-case", teamRoles: [] }))
    const roles = [...officer.roles, ...(actor._tag === "Staff" && actor.id === officer.id ? actor.roles : [])]
    const teamRoles = settings.teamSeats.filter((seat, index) => roles.includes(seat) && settings.teamSeats.indexOf(seat) === index)
    return teamRoles.length > 0
      ? Result.fail(new HearingOfficerNotImpartial({ ...fields, reason: "holds-team-seat", teamRoles }))
      : guardPassed
  }


  return {
    ServeHearingNotice: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        yield* setAfter("hearing-after-notice", name, "hearingAt", command.hearingAt, at)
        yield* minimumHearingNotice(name, at, command.hearingAt)
        const notice = yield* noticeFor(
          state,
          name,
          "hearing-notice",
          command.service,
          Result.map(formatNoticeDateTime(command.hearingAt, jurisdiction.timeZone), (hearingDateTime) => ({ hearingDateTime, courtAppealPeriod }))
        )
        served(draft, command.service, notice)
        emit(draft, { _tag: "HearingScheduled", ...caseFields(state), hearingAt: command.hearingAt })
        // Once a hearing is set, the time to ask for one no longer matters.
        closeDeadline(draft, "hearing-request", at, "cancelled")
        if (state.stage === "hearing-scheduled") note(draft, at, command.comment, actor)
        else yield* moveTo(draft, name, "hearing-scheduled", at, command.comment, actor)
        return draft.events
      }),
    RequestHearing: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "requestedAt", command.requestedAt, now)
        yield* withinCaseWindow(state, name, "hearing-request", at, "hearing-request-window")
        emit(draft, { _tag: "HearingRequested", ...caseFields(state), requestedAt: at, ...(command.contests === undefined ? {} : { contests: command.contests }) })
        closeDeadline(draft, "hearing-request", at, "satisfied")
        note(draft, at, command.comment, actor)
        return draft.events
      }),
    RecordHearingDecision: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "decidedAt", command.decidedAt, now)
        yield* impartialOfficer(state, command.hearingOfficer, actor)
        yield* hearingCome(name, "no-decision-before-hearing", "the hearing notice", state.hearing?.hearingAt, at)
        const cancelledCitations = command.outcome === "overturned"
          ? state.citations.filter((citation) => citation.status === "unpaid").map((citation) => citation.citationNumber)
          : []
        emit(draft, {
          _tag: "HearingDecided",
          ...caseFields(state),
          decidedAt: at,
          outcome: command.outcome,
          cancelledCitations,
          hearingOfficer: command.hearingOfficer,
          findings: command.findings
        })
        yield* command.outcome === "upheld"
          ? moveTo(draft, name, "hearing-decided", at, command.comment, actor)
          : close(draft, name, "overturned-at-hearing", at, command.comment, actor)
        return draft.events
      }),
    ServeHearingDecision: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        // The decision is the final administrative decision: its service,
        // not the order that carries it out, starts the court appeal.
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        const hearing = state.hearing
        const notice = yield* noticeFor(
          state,
          name,
          "hearing-decision",
          command.service,
          hearing === undefined ? Result.succeed({ courtAppealPeriod }) : Result.map(localDate(hearing.hearingAt), (hearingDate): NoticeData => ({
            hearingDate,
            courtAppealPeriod,
            ...(hearing.outcome === undefined ? {} : { outcome: hearing.outcome }),
            ...(hearing.findings === undefined ? {} : { findings: [...hearing.findings] }),
            ...(hearing.hearingOfficer?.name === undefined ? {} : { hearingOfficerName: hearing.hearingOfficer.name })
          }))
        )
        served(draft, command.service, notice)
        yield* courtAppealDeadline(draft, "hearing decision", at)
        note(draft, at, command.comment, actor)
        return draft.events
      }),
    ServeAbatementOrder: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        const refuse = (rule: DueProcessRefused["rule"], reason: string, source: string) =>
          Result.fail(new DueProcessRefused({ rule, command: name, reason, source }))
        if (state.stage === "public-nuisance-declared" || state.stage === "cited") {
          // Without a hearing: after notice and the opportunity for one.
          if (state.hearingRequest !== undefined) {
            return yield* refuse(
              "requested-hearing-before-abatement-order",
              "the owner requested a hearing; it must be held and decided first",
              "due process: notice and an opportunity to be heard before the order"
            )
          }
          yield* passed(state, name, "hearing-request", at, "no-abatement-order-before-hearing-request-deadline")
          closeDeadline(draft, "hearing-request", at, "expired")
          served(draft, command.service, yield* noticeFor(state, name, "abatement-order", command.service, Result.succeed({ afterHearing: "no", courtAppealPeriod })))
          // With no hearing, the order is the final administrative order.
          yield* courtAppealDeadline(draft, "abatement order", at)
        } else {
          if (state.stage === "hearing-decided" && lastServed(state, "hearing-decision") === undefined) {
            return yield* refuse(
              "decision-served-before-abatement-order",
              "the hearing decision has not been served; its service starts the court appeal",
              "Gov. Code 53069.4(b)(1)"
            )
          }
          // After a hearing the order carries out the served decision, whose
          // appeal window keeps running; after the court upheld it, there is
          // nothing left to appeal administratively.
          served(draft, command.service, yield* noticeFor(state, name, "abatement-order", command.service, Result.succeed({ afterHearing: "yes", courtAppealPeriod })))
        }
        yield* moveTo(draft, name, "abatement-ordered", at, command.comment, actor)
        return draft.events
      }),
    RecordCourtAppeal: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "filedAt", command.filedAt, now)
        yield* withinCaseWindow(state, name, "court-appeal", at, "court-appeal-window")
        emit(draft, { _tag: "CourtAppealFiled", ...caseFields(state), filedAt: at, courtCaseNumber: command.courtCaseNumber })
        closeDeadline(draft, "court-appeal", at, "satisfied")
        yield* moveTo(draft, name, "court-appeal", at, command.comment, actor)
        return draft.events
      }),
    RecordCourtDecision: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "decidedAt", command.decidedAt, now)
        emit(draft, { _tag: "CourtAppealDecided", ...caseFields(state), decidedAt: at, outcome: command.outcome })
        yield* command.outcome === "upheld"
          ? moveTo(draft, name, "order-upheld", at, command.comment, actor)
          : close(draft, name, "overturned-in-court", at, command.comment, actor)
        return draft.events
      })
  }
}
