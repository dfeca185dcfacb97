/**
 * Inspection and notices of the nuisance case: the inspection, the notice
 * of violation (for a dangerous building, its notice and order, Sacramento
 * City Code 8.96.130(B)(3)), extensions, the reinspection that finds
 * compliance or non-compliance once the time to comply is over, and the
 * notice of public nuisance that gives the owner the right to a hearing.
 *
 * @module
 */
import { DateTime, Option, Result } from "effect"
import { instantAfter, laterInstant } from "../engine/Guards.ts"
import { defaultDangerousBuildingStart } from "../kernel/ProgramSettings.ts"
import { describePeriod } from "./NoticeValues.ts"
import type { DeadlinePurpose } from "./NuisanceCaseEvents.ts"
import { caseFields, type Command, emit, noEvictionPressure, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"
import { DangerousBuildingOrderRefused, DeadlineNotComputable } from "./NuisanceCaseRefusals.ts"
import { currentDeadline, type OpenedCase } from "./NuisanceCaseState.ts"

// The rule of a dangerous building's notice and order.
const DANGEROUS_BUILDING_ORDER = "Sacramento City Code 8.96.130(B)(3)"

/** The commands of this phase. */
type InspectionCommand =
  | "RecordInspection"
  | "ServeNoticeOfViolation"
  | "GrantExtension"
  | "RecordReinspection"
  | "ServeNoticeOfPublicNuisance"

/** The handlers of the inspection and notice commands. */
export const inspectionSteps = (kit: NuisanceCaseKit): StepHandlers<InspectionCommand> => {
  const { jurisdiction, settings, localDate, countDeadline, stageRefused, actInstant, occurred, passed, moveTo, note, closeDeadline, close, noticeFor, served, hearingRequestDeadline } = kit

  // --- the notice and order of a dangerous building ---------------------------

  /**
   * The two deadlines of a dangerous building's notice and order (Sacramento
   * City Code 8.96.130(B)(3)): permits and the start of work within
   * `periods.dangerousBuildingStart` of the date of the order, and
   * completion by the date the order sets, which must come after it.
   */
  const dangerousBuildingOrder = (state: OpenedCase, command: Command<"ServeNoticeOfViolation">, servedAt: DateTime.Utc) =>
    Result.gen(function*() {
      const name = command._tag
      const refuse = (rule: DangerousBuildingOrderRefused["rule"], reason: string) =>
        Result.fail(new DangerousBuildingOrderRefused({ rule, command: name, reason, source: DANGEROUS_BUILDING_ORDER }))
      if (command.orderedAt === undefined || command.completeBy === undefined) {
        return yield* refuse(
          "order-dates-required",
          "a dangerous building's notice and order states the date of the order (orderedAt), from which the time to obtain permits and begin work runs, and the date set for completion (completeBy)"
        )
      }
      // The order is dated after the inspection that found the building dangerous, and at or before its service.
      const orderedAt = yield* actInstant(state, name, "orderedAt", command.orderedAt, servedAt)
      const start = yield* countDeadline(
        "permits-and-work-start",
        `obtain permits and begin work within periods.dangerousBuildingStart of the date of the order (${DANGEROUS_BUILDING_ORDER})`,
        orderedAt,
        settings.periods.dangerousBuildingStart ?? defaultDangerousBuildingStart
      )
      if (!instantAfter(start.due, servedAt)) {
        return yield* refuse(
          "start-deadline-after-service",
          `the time to obtain permits and begin work, counted from the order's date, ended at ${DateTime.formatIso(start.due)}, before the notice was served; date a new order`
        )
      }
      const orderDay = yield* localDay(orderedAt, "permits-and-work-start")
      const days = Math.round((Date.parse(`${command.completeBy}T00:00:00Z`) - Date.parse(`${orderDay}T00:00:00Z`)) / 86_400_000)
      const completion = days < 0 ? undefined : yield* countDeadline(
        "compliance",
        `completion by the date set in the order, ${command.completeBy} (${DANGEROUS_BUILDING_ORDER})`,
        orderedAt,
        { amount: days, unit: "calendar-days" }
      )
      if (completion === undefined || !instantAfter(completion.due, start.due)) {
        return yield* refuse(
          "completion-after-start-deadline",
          `the order sets completion by ${command.completeBy}, which must come after the deadline to obtain permits and begin work, ${DateTime.formatIso(start.due)}`
        )
      }
      return { orderedAt, completeBy: command.completeBy, start, completion }
    })

  const localDay = (instant: DateTime.Utc, purpose: DeadlinePurpose): Result.Result<string, DeadlineNotComputable> => {
    const zone = DateTime.zoneMakeNamed(jurisdiction.timeZone)
    return Option.isNone(zone)
      ? Result.fail(new DeadlineNotComputable({ rule: "deadline-computable", purpose, setBy: DANGEROUS_BUILDING_ORDER, reason: `unknown time zone ${jurisdiction.timeZone}` }))
      : Result.succeed(DateTime.formatIsoDate(DateTime.setZone(instant, zone.value)))
  }


  return {
    RecordInspection: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        if (state.variant !== "standard") {
          return yield* stageRefused(state, name, "case-variant")
        }
        const at = yield* actInstant(state, name, "inspectedAt", command.inspectedAt, now)
        emit(draft, { _tag: "InspectionRecorded", ...caseFields(state), kind: "inspection", inspectedAt: at, violationFound: command.violationFound })
        closeDeadline(draft, "inspection", at, "satisfied")
        yield* command.violationFound
          ? moveTo(draft, name, "violation-found", at, command.comment, actor)
          : close(draft, name, "no-violation", at, command.comment, actor)
        return draft.events
      }),
    ServeNoticeOfViolation: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        yield* noEvictionPressure(name, "violations", command.violations)
        if (state.category === "dangerous-building") {
          const order = yield* dangerousBuildingOrder(state, command, at)
          const notice = yield* noticeFor(
            state,
            name,
            "notice-of-violation",
            command.service,
            Result.map(
              Result.all([localDate(order.orderedAt), localDate(order.start.due), localDate(order.completion.due)]),
              ([orderDate, startDue, complianceDue]) => ({
                violations: [...command.violations],
                orderDate,
                startPeriod: describePeriod(order.start.period),
                startDue,
                complianceDue
              })
            )
          )
          served(draft, command.service, notice)
          emit(
            draft,
            { _tag: "ViolationsNoticed", ...caseFields(state), violations: command.violations, orderedAt: order.orderedAt, completeBy: order.completeBy },
            { _tag: "DeadlineSet", ...caseFields(state), deadline: order.start },
            { _tag: "DeadlineSet", ...caseFields(state), deadline: order.completion }
          )
          yield* moveTo(draft, name, "notice-of-violation-served", at, command.comment, actor)
          return draft.events
        }
        if (command.orderedAt !== undefined || command.completeBy !== undefined) {
          return yield* Result.fail(new DangerousBuildingOrderRefused({
            rule: "order-dates-dangerous-building-only",
            command: name,
            reason: `a ${state.category} notice's time to comply runs from service; orderedAt and completeBy belong to a dangerous building's notice and order`,
            source: DANGEROUS_BUILDING_ORDER
          }))
        }
        // The time to comply runs from service, not from when the notice was written.
        const deadline = yield* countDeadline(
          "compliance",
          `compliance within periods.compliance.${state.category} of service of the notice of violation`,
          at,
          settings.periods.compliance[state.category]
        )
        const notice = yield* noticeFor(
          state,
          name,
          "notice-of-violation",
          command.service,
          Result.map(localDate(deadline.due), (complianceDue) => ({
            violations: [...command.violations],
            compliancePeriod: describePeriod(settings.periods.compliance[state.category]),
            complianceDue
          }))
        )
        served(draft, command.service, notice)
        emit(
          draft,
          { _tag: "ViolationsNoticed", ...caseFields(state), violations: command.violations },
          { _tag: "DeadlineSet", ...caseFields(state), deadline }
        )
        yield* moveTo(draft, name, "notice-of-violation-served", at, command.comment, actor)
        return draft.events
      }),
    GrantExtension: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const purpose: DeadlinePurpose = state.stage === "abatement-plan-agreed" ? "abatement-plan" : "compliance"
        const previous = currentDeadline(state, purpose)
        // Each stage that allows an extension set its deadline on the way in.
        if (previous === undefined) {
          return yield* stageRefused(state, name, "stage-order")
        }
        const at = yield* occurred(state, command, now)
        // The new deadline counts from the old one while it still runs,
        // and from the grant once it has passed (after a failed reinspection).
        const deadline = yield* countDeadline(
          purpose,
          `extension of the ${purpose} deadline by ${command.period.amount} ${command.period.unit}`,
          laterInstant(previous.due, at),
          command.period
        )
        emit(
          draft,
          {
            _tag: "ExtensionGranted",
            ...caseFields(state),
            purpose,
            grantedAt: at,
            period: command.period,
            reason: command.reason,
            previousDue: previous.due,
            newDue: deadline.due
          },
          { _tag: "DeadlineSet", ...caseFields(state), deadline }
        )
        if (state.stage === "reinspection-failed") {
          yield* moveTo(draft, name, "notice-of-violation-served", at, command.reason, actor)
        }
        return draft.events
      }),
    RecordReinspection: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* actInstant(state, name, "inspectedAt", command.inspectedAt, now)
        const duties = command.startDuties
        const start = currentDeadline(state, "permits-and-work-start")
        if (duties !== undefined && start === undefined) {
          return yield* Result.fail(new DangerousBuildingOrderRefused({
            rule: "start-duties-dangerous-building-only",
            command: name,
            reason: "no notice and order of a dangerous building set a deadline to obtain permits and begin work on this case",
            source: DANGEROUS_BUILDING_ORDER
          }))
        }
        const startDone = duties !== undefined && duties.permitsObtained && duties.workBegun
        // Once the start deadline has closed (missed, then extended), the completion date governs.
        const startMissed = duties !== undefined && !startDone && start?.status === "open"
        emit(draft, {
          _tag: "InspectionRecorded",
          ...caseFields(state),
          kind: "reinspection",
          inspectedAt: at,
          violationFound: !command.compliant,
          ...(duties === undefined ? {} : { startDuties: duties })
        })
        if (command.compliant) {
          closeDeadline(draft, "permits-and-work-start", at, "satisfied")
          closeDeadline(draft, "compliance", at, "satisfied")
          yield* close(draft, name, "complied", at, command.comment, actor)
        } else if (state.stage === "notice-of-violation-served" && startMissed) {
          // Sacramento City Code 8.96.130(B)(3): permits not obtained or
          // work not begun is non-compliance once the start deadline has
          // passed, before the completion date.
          yield* passed(state, name, "permits-and-work-start", at, "non-compliance-after-start-deadline")
          closeDeadline(draft, "permits-and-work-start", at, "expired")
          closeDeadline(draft, "compliance", at, "cancelled")
          yield* moveTo(draft, name, "reinspection-failed", at, command.comment, actor)
        } else if (state.stage === "notice-of-violation-served" && startDone && !instantAfter(at, currentDeadline(state, "compliance")?.due ?? at)) {
          // Permits obtained and work begun: the start deadline is met; the work has until the completion date.
          closeDeadline(draft, "permits-and-work-start", at, "satisfied")
          note(draft, at, command.comment, actor)
        } else if (state.stage === "notice-of-violation-served") {
          // Non-compliance can only be found once the time to comply is over.
          yield* passed(state, name, "compliance", at, "non-compliance-after-compliance-deadline")
          closeDeadline(draft, "permits-and-work-start", at, startDone ? "satisfied" : "expired")
          closeDeadline(draft, "compliance", at, "expired")
          yield* moveTo(draft, name, "reinspection-failed", at, command.comment, actor)
        } else {
          note(draft, at, command.comment, actor)
        }
        return draft.events
      }),
    ServeNoticeOfPublicNuisance: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        // No escalation before the compliance deadline: the failed
        // reinspection this stage needs was only accepted after it, and
        // service cannot predate that reinspection.
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        served(draft, command.service, yield* noticeFor(state, name, "notice-of-public-nuisance", command.service))
        yield* hearingRequestDeadline(draft, "notice of public nuisance", at)
        yield* moveTo(draft, name, "public-nuisance-declared", at, command.comment, actor)
        return draft.events
      })
  }
}
