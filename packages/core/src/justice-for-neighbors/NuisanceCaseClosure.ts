/**
 * Civil action and closure of the nuisance case, and what may be added to
 * an open case at any stage: police evidence and comments.
 *
 * @module
 */
import { Result } from "effect"
import { actorKey } from "../engine/Actor.ts"
import { caseFields, emit, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"
import { CivilActionRefused, ClosureRefused } from "./NuisanceCaseRefusals.ts"
import { costBalance } from "./NuisanceCaseState.ts"
import { manualClosureStages } from "./NuisanceCaseWorkflow.ts"

/** The commands of this phase. */
type ClosureCommand =
  | "FileCivilAction"
  | "ConcludeCivilAction"
  | "CloseCase"
  | "AttachPoliceEvidence"
  | "CommentOnCase"

/** The handlers of the civil action, closure and record commands. */
export const closureSteps = (kit: NuisanceCaseKit): StepHandlers<ClosureCommand> => {
  const { inStage, actInstant, occurred, passed, moveTo, note, closeDeadline, close } = kit

  return {
    FileCivilAction: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "filedAt", command.filedAt, now)
        if (state.stage === "costs-invoiced") {
          yield* passed(state, name, "cost-payment", at, "no-civil-action-before-payment-deadline")
          closeDeadline(draft, "cost-payment", at, "expired")
        }
        if (state.civilActions.some((action) => action.kind === command.kind && action.outcome === undefined)) {
          return yield* Result.fail(new CivilActionRefused({ rule: "civil-action-once-per-kind", kind: command.kind, reason: "one of this kind is already pending" }))
        }
        emit(draft, { _tag: "CivilActionFiled", ...caseFields(state), kind: command.kind, courtCaseNumber: command.courtCaseNumber, filedAt: at })
        if (state.stage === "civil-action") note(draft, at, command.comment, actor)
        else yield* moveTo(draft, name, "civil-action", at, command.comment, actor)
        return draft.events
      }),
    ConcludeCivilAction: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "concludedAt", command.concludedAt, now)
        if (!state.civilActions.some((action) => action.kind === command.kind && action.outcome === undefined)) {
          return yield* Result.fail(new CivilActionRefused({ rule: "civil-action-must-be-pending", kind: command.kind, reason: "none of this kind is pending" }))
        }
        emit(draft, { _tag: "CivilActionConcluded", ...caseFields(state), kind: command.kind, outcome: command.outcome, concludedAt: at })
        note(draft, at, command.comment, actor)
        return draft.events
      }),
    CloseCase: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        yield* inStage(state, name, manualClosureStages[command.reason], "closure-by-stage")
        if (command.reason === "costs-recovered" && costBalance(state) > 0) {
          return yield* Result.fail(new ClosureRefused({ rule: "close-when-nothing-owed", reason: command.reason, detail: `$${costBalance(state)} of abatement costs is unpaid` }))
        }
        const pending = state.civilActions.filter((action) => action.outcome === undefined)
        if (command.reason === "civil-action-concluded" && pending.length > 0) {
          return yield* Result.fail(new ClosureRefused({ rule: "close-when-civil-actions-concluded", reason: command.reason, detail: `pending: ${pending.map((action) => action.kind).join(", ")}` }))
        }
        yield* close(draft, name, command.reason, yield* occurred(state, command, now), command.comment, actor)
        return draft.events
      }),
    AttachPoliceEvidence: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        emit(draft, {
          _tag: "PoliceEvidenceAttached",
          ...caseFields(state),
          attachedAt: yield* occurred(state, command, now),
          description: command.description,
          by: actorKey(actor),
          ...(command.reportNumber === undefined ? {} : { reportNumber: command.reportNumber })
        })
        return draft.events
      }),
    CommentOnCase: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        note(draft, yield* occurred(state, command, now), command.comment, actor)
        return draft.events
      })
  }
}
