/**
 * Administrative citations of the nuisance case: fines within the caps of
 * Gov. Code 36900 and 53069.4, counted per property, responsible person and
 * ordinance across cases, each giving the right to a hearing.
 *
 * @module
 */
import { DateTime, Result } from "effect"
import { instantAfter } from "../engine/Guards.ts"
import { checkFine, fineCapFor } from "./AdministrativeFine.ts"
import { formatDollars, violationOrdinal } from "./NoticeValues.ts"
import type { PriorViolation } from "./NuisanceCaseCommands.ts"
import { caseFields, emit, type NuisanceCaseKit, type StepHandlers } from "./NuisanceCaseKit.ts"
import { CitationRefused, DeadlineNotComputable } from "./NuisanceCaseRefusals.ts"
import type { OpenedCase } from "./NuisanceCaseState.ts"

/**
 * The prior violations of a citation command that are on other cases and
 * not after the citation, each once: this case's own citations come from
 * its events, and a prior named twice counts once.
 */
const priorViolationsOutside = (
  caseId: string,
  priors: ReadonlyArray<PriorViolation>,
  at: DateTime.Utc
): ReadonlyArray<PriorViolation> => {
  const seen = new Set<string>()
  return priors.filter((prior) => {
    const key = `${prior.caseId}\u0000${prior.citationNumber}`
    if (prior.caseId === caseId || seen.has(key) || instantAfter(prior.issuedAt, at)) return false
    seen.add(key)
    return true
  })
}

/**
 * Whether the owner had a reasonable time to correct before this fine (Gov.
 * Code 53069.4(a)(2); a condition of the commercial tier, 36900(c)(3)(B)):
 * the case's period to comply after the notice of violation ran out.
 */
const ownerHadTimeToCorrect = (state: OpenedCase): boolean =>
  state.deadlines.some((deadline) => deadline.purpose === "compliance" && deadline.status === "expired")

/** The commands of this phase. */
type CitationCommand = "IssueCitation"

/** The handler of the citation command. */
export const citationSteps = (kit: NuisanceCaseKit): StepHandlers<CitationCommand> => {
  const { jurisdiction, settings, courtAppealPeriod, localDate, actInstant, moveTo, note, noticeFor, served, hearingRequestWindow } = kit

  return {
    IssueCitation: (command, state, { actor, now }, draft) =>
      Result.gen(function*() {
        const name = command._tag
        // The reasonable period to correct that comes before any fine (Gov.
        // Code 53069.4(a)(2)) is the compliance period, over since the failed reinspection.
        const at = yield* actInstant(state, name, "service.servedAt", command.service.servedAt, now)
        if (state.citations.some((citation) => citation.citationNumber === command.citationNumber)) {
          return yield* Result.fail(new CitationRefused({ rule: "citation-number-unique", citationNumber: command.citationNumber, reason: "the number is already on this case" }))
        }
        // Repeats count per property, responsible person and ordinance,
        // across cases (Gov. Code 36900(b), through 53069.4(a)(1)): this
        // case's own citations of the person and section that stand, and
        // the other cases' from the command (see IssueCitation: the trust
        // boundary). A citation recorded without a person counts for nobody.
        const priors = priorViolationsOutside(state.caseId, command.priorViolations, at)
        const earlier = [
          ...state.citations
            .filter((citation) =>
              citation.codeSection === command.codeSection &&
              citation.responsiblePersonId === command.responsiblePersonId &&
              citation.status !== "cancelled"
            )
            .map((citation) => citation.issuedAt),
          ...priors.map((prior) => prior.issuedAt)
        ]
        const cap = yield* Result.mapError(
          fineCapFor({
            caps: settings.fineCaps,
            schedule: command.schedule,
            earlier,
            at,
            timeZone: jurisdiction.timeZone,
            commercialBuilding: command.commercialBuilding,
            ownerHadTimeToCorrect: ownerHadTimeToCorrect(state)
          }),
          (error) => new DeadlineNotComputable({ rule: "deadline-computable", purpose: "compliance", setBy: "administrative fine window", reason: error.message })
        )
        yield* checkFine(command.citationNumber, command.amountInDollars, cap)
        const requestWindow = yield* hearingRequestWindow("administrative citation", at)
        const notice = yield* noticeFor(
          state,
          name,
          "administrative-citation",
          command.service,
          Result.map(localDate(requestWindow.due), (hearingRequestBy) => ({
            citationNumber: command.citationNumber,
            violationOrdinal: violationOrdinal(cap.violationNumber),
            fineSchedule: command.schedule,
            fineAmount: formatDollars(command.amountInDollars),
            fineCap: formatDollars(cap.capInDollars),
            hearingRequestBy,
            courtAppealPeriod
          }))
        )
        emit(draft, {
          _tag: "CitationIssued",
          ...caseFields(state),
          citationNumber: command.citationNumber,
          codeSection: command.codeSection,
          schedule: command.schedule,
          amountInDollars: command.amountInDollars,
          violationNumber: cap.violationNumber,
          capInDollars: cap.capInDollars,
          windowDays: cap.windowDays,
          issuedAt: at,
          documentId: notice.id,
          responsiblePersonId: command.responsiblePersonId,
          priorViolations: priors,
          ...(command.commercialBuilding === undefined ? {} : { commercialBuilding: command.commercialBuilding })
        })
        served(draft, command.service, notice)
        emit(draft, { _tag: "DeadlineSet", ...caseFields(state), deadline: requestWindow })
        if (state.stage === "cited") note(draft, at, command.comment, actor)
        else yield* moveTo(draft, name, "cited", at, command.comment, actor)
        return draft.events
      })
  }
}
