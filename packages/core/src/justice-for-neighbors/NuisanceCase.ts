/**
 * The nuisance case: the code enforcement workflow of a Justice for
 * Neighbors team as a pure decider, from intake to closure, through notice
 * of violation, reinspection, extension, notice of public nuisance,
 * administrative citations, the owner's hearing request, hearing before an
 * impartial officer and the served decision, court appeal, abatement order,
 * city abatement (or summary abatement of an imminent hazard, with notice
 * after the fact), cost recovery (invoice, then lien) and civil action;
 * with the owner-engagement path (letter, meeting, abatement plan) for a
 * high-volume non-residential user of 911.
 *
 * Every move is guarded by role (the duties the jurisdiction grants), by
 * district, by stage (the {@link stageGraph}) and by time (deadlines counted
 * by the kernel's deadline calculator from the jurisdiction's periods; the
 * court appeal, a statutory period, always ends on a court day, Code Civ.
 * Proc. 12a): the engine's shared guards (`engine/Guards.ts`), bound to the
 * case's tables (`NuisanceCaseWorkflow`) in `NuisanceCaseKit`. The decider
 * runs the guards every step shares, then dispatches to the handler of the
 * command's phase: intake and triage (`NuisanceCaseIntake`), owner
 * engagement (`NuisanceCaseOwnerEngagement`), inspection and notices
 * (`NuisanceCaseInspection`), citations (`NuisanceCaseCitations`), hearings
 * and appeals (`NuisanceCaseHearings`), abatement and cost recovery
 * (`NuisanceCaseAbatement`), civil action and closure (`NuisanceCaseClosure`).
 *
 * @module
 */
import { Result } from "effect"
import type { Aggregate, DecisionContext, Decider } from "../engine/Decider.ts"
import { makeDraft } from "../engine/Guards.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import type { NoticeDocument } from "./NoticeDocument.ts"
import { abatementSteps } from "./NuisanceCaseAbatement.ts"
import { citationSteps } from "./NuisanceCaseCitations.ts"
import { closureSteps } from "./NuisanceCaseClosure.ts"
import { checkNuisanceCaseCommand, NuisanceCaseCommand, type NuisanceCaseCommandName } from "./NuisanceCaseCommands.ts"
import { type NuisanceCaseEvent, nuisanceCaseEvents } from "./NuisanceCaseEvents.ts"
import { hearingSteps } from "./NuisanceCaseHearings.ts"
import { inspectionSteps } from "./NuisanceCaseInspection.ts"
import { intake } from "./NuisanceCaseIntake.ts"
import { type Command, makeNuisanceCaseKit, type NuisanceCaseOptions, type StepHandler, type StepHandlers } from "./NuisanceCaseKit.ts"
import { ownerEngagementSteps } from "./NuisanceCaseOwnerEngagement.ts"
import { ActionOnClosedCase, CaseNotFound, type NuisanceCaseRefusal } from "./NuisanceCaseRefusals.ts"
import {
  evolveNuisanceCase,
  initialNuisanceCaseState,
  type NuisanceCaseState,
  NuisanceCaseState as NuisanceCaseStateSchema,
  type OpenedCase
} from "./NuisanceCaseState.ts"
import { NUISANCE_CASE_RESOURCE, nuisanceCaseAction, nuisanceCaseCommandStages, nuisanceCaseStreamId } from "./NuisanceCaseWorkflow.ts"

export type { NuisanceCaseOptions } from "./NuisanceCaseKit.ts"
export {
  manualClosureStages,
  NUISANCE_CASE_RESOURCE,
  nuisanceCaseAccessRules,
  nuisanceCaseAction,
  nuisanceCaseCommandDuty,
  nuisanceCaseCommandStages,
  nuisanceCaseDuties,
  nuisanceCaseStreamId
} from "./NuisanceCaseWorkflow.ts"

/** A command on an open case: every command but `OpenCase`. */
type StepName = Exclude<NuisanceCaseCommandName, "OpenCase">

/**
 * Builds the decider of nuisance cases for a jurisdiction: periods, caps,
 * duties and districts all come from its configuration, and the documents
 * it serves from `options.templates`.
 *
 * The decider reads the actor's roles and districts from the
 * {@link DecisionContext} (what the identity system vouched for when the
 * command came in), never the team roster: a decision must depend only on
 * the command, the case's own events and the context, so that it is pure,
 * testable and the same when replayed; the roster is another aggregate,
 * and keeping a person's roles and districts current is the identity
 * system's job (and the access policy's, which can be built from the roster).
 */
export const nuisanceCaseDecider = (
  jurisdiction: Jurisdiction,
  options: NuisanceCaseOptions = {}
): Decider<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal> => {
  const kit = makeNuisanceCaseKit(jurisdiction, options)
  const { openCase, steps: intakeSteps } = intake(kit)
  const handlers: StepHandlers<StepName> = {
    ...intakeSteps,
    ...ownerEngagementSteps(kit),
    ...inspectionSteps(kit),
    ...citationSteps(kit),
    ...hearingSteps(kit),
    ...abatementSteps(kit),
    ...closureSteps(kit)
  }

  const dispatch = <K extends StepName>(name: K, command: Command<K>, state: OpenedCase, context: DecisionContext) => {
    const handle: StepHandler<K> = handlers[name]
    return handle(command, state, context, makeDraft(state))
  }

  // Every step on an open case: staff on duty in the case's district, in a
  // stage the command may be given in; then the command's own rules.
  const step = (command: Command<StepName>, state: OpenedCase, context: DecisionContext) =>
    Result.gen(function*() {
      yield* kit.staffOnDuty(command._tag, context.actor, state.councilDistrict)
      yield* kit.inStage(state, command._tag, nuisanceCaseCommandStages[command._tag])
      return yield* dispatch(command._tag, command, state, context)
    })

  return {
    initialState: initialNuisanceCaseState,
    decide: (command, state, context) =>
      Result.gen(function*() {
        const checked = yield* checkNuisanceCaseCommand(command)
        if (checked._tag === "OpenCase") return yield* openCase(checked, state, context)
        if (state._tag === "NoCase") {
          return yield* Result.fail(new CaseNotFound({ rule: "case-must-exist", caseId: checked.caseId, command: checked._tag }))
        }
        if (state.stage === "closed") {
          return yield* Result.fail(new ActionOnClosedCase({
            rule: "closed-case-is-final",
            caseId: state.caseId,
            command: checked._tag,
            closedAt: state.stageSince,
            ...(state.closure === undefined ? {} : { reason: state.closure.reason })
          }))
        }
        return yield* step(checked, state, context)
      }),
    evolve: evolveNuisanceCase
  }
}

/**
 * The nuisance case aggregate for a jurisdiction: its decider, command
 * schema, event catalog, one stream per case (`nuisance-case/<caseId>`, the engine's `streamId`),
 * and the access each command asks for (action `nuisance-case.<command>`,
 * resource `nuisance-case` in the case's council district).
 *
 * @example
 * ```ts
 * const cases = nuisanceCase(sacramento, { templates: sacramentoNoticeTemplates })
 * yield* handleCommand(cases, { tenantId: "sacramento", commandId, actor, command })
 * ```
 */
export const nuisanceCase = (
  jurisdiction: Jurisdiction,
  options: NuisanceCaseOptions = {}
): Aggregate<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal> => ({
  name: NUISANCE_CASE_RESOURCE,
  commands: NuisanceCaseCommand,
  events: nuisanceCaseEvents,
  decider: nuisanceCaseDecider(jurisdiction, options),
  state: NuisanceCaseStateSchema,
  streamId: (command) => nuisanceCaseStreamId(command.caseId),
  access: (command, state) => ({
    action: nuisanceCaseAction(command._tag),
    resource: {
      type: NUISANCE_CASE_RESOURCE,
      id: command.caseId,
      districts: command._tag === "OpenCase"
        ? [command.councilDistrict]
        : state._tag === "OpenedCase"
        ? [state.councilDistrict]
        : []
    }
  })
})

/** The documents among a case's events, as the case produced and served them, oldest first. */
export const servedNotices = (events: ReadonlyArray<NuisanceCaseEvent>): ReadonlyArray<NoticeDocument> =>
  events.flatMap((event) => event._tag === "DocumentServed" && event.notice !== undefined ? [event.notice] : [])

/**
 * The documents a command would serve on a case, made by the case exactly
 * as it will make them when the command is handled, without changing
 * anything: for an app that prints a notice before serving it. Give the
 * command with the instant of service it will carry; once served, report
 * it with `service.documentId` set to the document's id, and the case
 * refuses it if what it would produce then differs from what was printed.
 * Empty for a command that serves no document; the refusal when the case
 * would refuse the command.
 *
 * @example
 * ```ts
 * const { state } = yield* loadStream(cases, "sacramento", nuisanceCaseStreamId("2026-000123"))
 * const [notice] = yield* Effect.fromResult(previewNuisanceCaseNotices(cases.decider, state, command, { now, actor }))
 * ```
 */
export const previewNuisanceCaseNotices = (
  decider: Decider<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal>,
  state: NuisanceCaseState,
  command: NuisanceCaseCommand,
  context: DecisionContext
): Result.Result<ReadonlyArray<NoticeDocument>, NuisanceCaseRefusal> =>
  Result.map(decider.decide(command, state, context), servedNotices)
