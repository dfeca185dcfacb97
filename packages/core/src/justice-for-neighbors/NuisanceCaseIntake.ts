/**
 * Intake and triage of the nuisance case: opening a case from a complaint,
 * a police referral (checked by what it is based on) or an analytics
 * finding (an excessive-calls case, whose evidence is re-checked, never
 * trusted), and triage.
 *
 * @module
 */
import { Result } from "effect"
import { actorKey } from "../engine/Actor.ts"
import type { DecisionContext } from "../engine/Decider.ts"
import { guardPassed, holdsDuty, knownCouncilDistrict, plausibleInstant, servesDistrict } from "../engine/Guards.ts"
import { ActorKindNotAllowed } from "../engine/Refusals.ts"
import { caseAddressKey } from "../kernel/Address.ts"
import { callsForServiceIneligibility, type CallsForServiceIneligibility } from "../kernel/Place.ts"
import { variantOf } from "./CaseStage.ts"
import { recheckEvidence } from "./ChronicCallers.ts"
import type { NuisanceCaseEvent } from "./NuisanceCaseEvents.ts"
import { caseFields, type Command, type Decision, emit, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"
import { CaseAlreadyOpen, ExcessiveCallsIntakeRefused, PoliceReferralRefused } from "./NuisanceCaseRefusals.ts"
import type { NuisanceCaseState } from "./NuisanceCaseState.ts"

// The law that keeps calls for service, and any contact with law enforcement at a tenancy, from reaching a home.
const CALLS_LAW = "Gov. Code 53165, 53165.1; 34 U.S.C. 12495"

const homeReason = (reason: CallsForServiceIneligibility): string =>
  reason === "residential"
    ? "the place is residential"
    : reason === "unknown-land-use"
    ? "the place's land use is unknown, so it is treated as a home"
    : "the places registry records long-term tenancies at the place (rooms let as homes), so it is a residence for this rule"

/** Opening a case (`openCase`, before any case exists) and the triage command's handler. */
export const intake = (kit: NuisanceCaseKit) => {
  const { jurisdiction, settings, duties, inspectionDeadline, occurred, moveTo } = kit

  const openCase = (command: Command<"OpenCase">, state: NuisanceCaseState, context: DecisionContext): Decision =>
    Result.gen(function*() {
      if (state._tag === "OpenedCase") {
        return yield* Result.fail(new CaseAlreadyOpen({ rule: "case-opens-once", caseId: state.caseId, stage: state.stage }))
      }
      const { actor, now } = context
      const source = command.source._tag
      if (actor._tag === "Staff") {
        yield* holdsDuty(duties, "OpenCase", actor)
        yield* servesDistrict("OpenCase", actor, command.councilDistrict)
      } else if (actor._tag === "Public" ? source !== "ResidentComplaint" : source !== "ResidentComplaint" && source !== "AnalyticsFinding") {
        // The public reports complaints; the system relays 311 complaints and analytics findings.
        return yield* Result.fail(new ActorKindNotAllowed({ rule: "source-by-actor-kind", command: "OpenCase", actorKind: actor._tag }))
      }
      yield* knownCouncilDistrict(jurisdiction, "OpenCase", command.councilDistrict)
      yield* policeReferralIntake(command)
      yield* excessiveCallsIntake(command)
      const receivedAt = yield* plausibleInstant({ command: "OpenCase", field: "receivedAt", instant: command.receivedAt ?? now, notAfter: now })
      const fields = { caseId: command.caseId, councilDistrict: command.councilDistrict, category: command.category }
      const variant = variantOf(command.category)
      const events: Array<NuisanceCaseEvent> = [
        {
          _tag: "CaseOpened",
          ...fields,
          // Filed under the normalized key, the one a status lookup searches for.
          addressKey: caseAddressKey(command.addressKey),
          source: command.source,
          description: command.description,
          immediateHazard: command.immediateHazard,
          receivedAt,
          variant
        },
        { _tag: "CaseStageChanged", ...fields, from: null, to: "intake", at: receivedAt, comment: command.comment, by: actorKey(actor) }
      ]
      // The owner-engagement path has no inspection: the analytics evidence is the finding.
      if (variant === "standard") {
        const deadline = yield* inspectionDeadline({ receivedAt }, command.immediateHazard)
        events.push({ _tag: "DeadlineSet", ...fields, deadline })
      }
      return events
    })

  // A police referral is checked by what it is based on (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
  const policeReferralIntake = (command: Command<"OpenCase">): Result.Result<void, PoliceReferralRefused> => {
    const source = command.source
    if (source._tag !== "PoliceReferral" || source.basis === "observed-conditions") return guardPassed
    const refuse = (rule: PoliceReferralRefused["rule"], reason: string) =>
      Result.fail(new PoliceReferralRefused({ rule, basis: source.basis, reason, law: CALLS_LAW }))
    if (source.basis === "unrecorded") {
      return refuse(
        "referral-basis-required",
        "a police referral must say what it is based on (calls-for-service, arrest or observed-conditions); unrecorded is only read back from cases opened before it was asked"
      )
    }
    if (source.basis === "calls-for-service") {
      return refuse(
        "calls-for-service-through-analytics",
        "a case based on calls for service opens only from an analytics finding, whose evidence shows the place non-residential and protected calls kept out, re-checked on intake; a referral cannot show that"
      )
    }
    if (source.place === undefined) {
      return refuse(
        "law-enforcement-contact-needs-place",
        "a referral based on an arrest is based on contacts with law enforcement: it must carry the place from the places registry, to show nobody lives there"
      )
    }
    const ineligible = callsForServiceIneligibility(source.place)
    if (ineligible !== undefined) {
      return refuse(
        "law-enforcement-contact-non-residential-only",
        `${homeReason(ineligible)}: no case may be based on contacts with law enforcement at a residence`
      )
    }
    if (caseAddressKey(source.place.addressKey) !== caseAddressKey(command.addressKey)) {
      return refuse("referral-place-matches-case", `the referral's place is ${source.place.addressKey}, the case's ${command.addressKey}`)
    }
    return guardPassed
  }

  const excessiveCallsIntake = (command: Command<"OpenCase">): Result.Result<void, ExcessiveCallsIntakeRefused> => {
    const refuse = (rule: ExcessiveCallsIntakeRefused["rule"], reason: string, law?: string) =>
      Result.fail(new ExcessiveCallsIntakeRefused({ rule, category: command.category, reason, ...(law === undefined ? {} : { law }) }))
    const source = command.source
    const excessive = command.category === "excessive-calls-for-service"
    if (source._tag !== "AnalyticsFinding") {
      return excessive
        ? refuse(
          "excessive-calls-from-analytics",
          "an excessive-calls case opens only from an analytics finding, whose evidence shows the protected calls kept out",
          "Gov. Code 53165; 34 U.S.C. 12495"
        )
        : guardPassed
    }
    if (!excessive) {
      return refuse("analytics-finding-is-excessive-calls", `an analytics finding is about calls for service, not ${command.category}`)
    }
    const evidence = source.evidence
    const ineligible = callsForServiceIneligibility(evidence.place)
    if (ineligible !== undefined) {
      return refuse("non-residential-only", `${homeReason(ineligible)}: only non-residential places may be designated for calls for service`, CALLS_LAW)
    }
    if (caseAddressKey(evidence.addressKey) !== caseAddressKey(command.addressKey)) {
      return refuse("evidence-matches-case", `the evidence is about ${evidence.addressKey}, the case about ${command.addressKey}`)
    }
    const evidenceDistrict = evidence.place.districts.councilDistrict
    if (evidenceDistrict !== undefined && evidenceDistrict !== command.councilDistrict) {
      return refuse("evidence-matches-case", `the place is in council district ${evidenceDistrict}, the case in ${command.councilDistrict}`)
    }
    // Evidence is re-checked, never trusted (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
    const problem = recheckEvidence(evidence, settings.chronicNuisance)
    if (problem !== undefined) {
      return Result.fail(
        new ExcessiveCallsIntakeRefused({
          rule: problem.rule,
          category: command.category,
          reason: problem.reason,
          law: problem.source,
          callKeys: [...problem.callKeys]
        })
      )
    }
    return guardPassed
  }


  const steps: StepHandlers<"TriageCase"> = {
    TriageCase: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        const at = yield* occurred(state, command, now)
        emit(draft, { _tag: "CaseTriaged", ...caseFields(state), immediateHazard: command.immediateHazard, at })
        if (state.variant === "standard" && command.immediateHazard !== state.immediateHazard) {
          const deadline = yield* inspectionDeadline(state, command.immediateHazard)
          emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline })
        }
        yield* moveTo(draft, name, "triaged", at, command.comment, actor)
        return draft.events
      })
  }

  return { openCase, steps }
}
