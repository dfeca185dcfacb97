/**
 * The owner-engagement path of the nuisance case, for a high-volume
 * non-residential user of 911 (an excessive-calls case opened from an
 * analytics finding): the owner letter, meetings with the owner, an
 * abatement plan agreed and its review at the end of its term. A failed
 * engagement joins the code enforcement path at the notice of violation.
 *
 * @module
 */
import { Result } from "effect"
import { caseFields, dayInWords, emit, noEvictionPressure, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"

/** The commands of this phase. */
type OwnerEngagementCommand = "ServeOwnerLetter" | "RecordOwnerMeeting" | "AgreeAbatementPlan" | "ReviewAbatementPlan"

/** The handlers of the owner-engagement commands. */
export const ownerEngagementSteps = (kit: NuisanceCaseKit): StepHandlers<OwnerEngagementCommand> => {
  const { settings, countDeadline, stageRefused, actInstant, passed, moveTo, note, closeDeadline, close, noticeFor, served } = kit

  return {
    ServeOwnerLetter: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        if (state.variant !== "excessive-calls") {
          return yield* stageRefused(state, name, "case-variant")
        }
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        const source = state.source
        const notice = yield* noticeFor(
          state,
          name,
          "owner-letter",
          command.service,
          source._tag !== "AnalyticsFinding" ? Result.succeed({}) : Result.map(
            Result.all([dayInWords(source.evidence.window.fromDay), dayInWords(source.evidence.window.toDay)]),
            ([from, to]) => ({
              callWindow: `${from} to ${to}`,
              callsCounted: String(source.evidence.counted.length),
              thresholdDescription: source.evidence.ruleDescription
            })
          )
        )
        served(draft, command.service, notice)
        yield* moveTo(draft, name, "owner-letter-sent", at, command.comment, actor)
        return draft.events
      }),
    RecordOwnerMeeting: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "heldAt", command.heldAt, now)
        emit(draft, { _tag: "OwnerMeetingRecorded", ...caseFields(state), heldAt: at, outcome: command.outcome })
        if (command.outcome !== "cooperative") {
          yield* moveTo(draft, name, "owner-engagement-failed", at, command.comment, actor)
        } else if (state.stage === "owner-letter-sent") {
          yield* moveTo(draft, name, "owner-met", at, command.comment, actor)
        } else {
          note(draft, at, command.comment, actor)
        }
        return draft.events
      }),
    AgreeAbatementPlan: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "agreedAt", command.agreedAt, now)
        yield* noEvictionPressure(name, "terms", command.terms)
        const deadline = yield* countDeadline(
          "abatement-plan",
          `abatement plan term of periods.compliance.${state.category} from its agreement`,
          at,
          settings.periods.compliance[state.category]
        )
        emit(
          draft,
          { _tag: "AbatementPlanAgreed", ...caseFields(state), agreedAt: at, terms: command.terms },
          { _tag: "DeadlineSet", ...caseFields(state), deadline }
        )
        yield* moveTo(draft, name, "abatement-plan-agreed", at, command.comment, actor)
        return draft.events
      }),
    ReviewAbatementPlan: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "reviewedAt", command.reviewedAt, now)
        yield* passed(state, name, "abatement-plan", at, "no-plan-review-before-term")
        emit(draft, { _tag: "AbatementPlanReviewed", ...caseFields(state), reviewedAt: at, kept: command.kept })
        closeDeadline(draft, "abatement-plan", at, command.kept ? "satisfied" : "expired")
        yield* command.kept
          ? close(draft, name, "abatement-plan-kept", at, command.comment, actor)
          : moveTo(draft, name, "owner-engagement-failed", at, command.comment, actor)
        return draft.events
      })
  }
}
