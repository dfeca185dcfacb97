/**
 * The stages of a nuisance case and the graph of moves between them: the
 * code enforcement workflow of a Justice for Neighbors team, from intake to
 * closure, with the owner-engagement steps that open a case about a
 * high-volume non-residential user of 911.
 *
 * @module
 */
import { Schema } from "effect"
import type { NuisanceCategory } from "../kernel/ProgramSettings.ts"

/**
 * Where a nuisance case stands: the last step of the workflow it has taken.
 *
 * Every case:
 * - `intake`: opened from a complaint, a referral or a finding; awaits triage.
 * - `triaged`: assessed (immediate hazard or not); awaits the inspection, or
 *   for an excessive-calls case the letter to the owner.
 *
 * The code enforcement path (typical California practice):
 * - `violation-found`: the inspection found a violation; awaits the notice of violation.
 * - `notice-of-violation-served`: the notice was served; the time to comply runs from its service.
 * - `reinspection-failed`: a reinspection after the compliance deadline found the violation still there.
 * - `public-nuisance-declared`: the notice of public nuisance was served.
 * - `cited`: at least one administrative citation (fine) was issued.
 * - `hearing-scheduled`: the notice of the administrative hearing or appeal was served.
 * - `hearing-decided`: the hearing officer upheld the nuisance; once the decision is served, the court appeal window runs.
 * - `abatement-ordered`: the abatement order was served (after the opportunity for a hearing, or carrying out a served decision); the court appeal window runs.
 * - `court-appeal`: the owner appealed the order to the superior court.
 * - `order-upheld`: the court upheld the order.
 * - `city-abated`: the city abated the nuisance itself, at a recorded cost (under an order, or summarily for an imminent hazard).
 * - `costs-invoiced`: the invoice of abatement costs was served; the time to pay runs.
 * - `lien-noticed`: the owner of record was served notice of the lien (Gov. Code 38773.1); recording waits for the notice period.
 * - `lien-recorded`: unpaid costs were recorded as a lien on the property.
 * - `special-assessment-noticed`: the owner was served notice of the special assessment and of the hearing before the legislative body (Gov. Code 38773.5).
 * - `special-assessment-recorded`: the legislative body confirmed the special assessment; the costs are collected with the property taxes.
 * - `civil-action`: the city attorney filed a civil action (nuisance abatement suit, receivership, drug abatement).
 *
 * The excessive-calls variant (a case opened from an analytics finding):
 * - `owner-letter-sent`: the letter to the owner was served.
 * - `owner-met`: the owner came to the meeting.
 * - `abatement-plan-agreed`: the owner agreed an abatement plan; its term runs.
 * - `owner-engagement-failed`: the owner did not come, refused, or broke the plan: the case escalates to a notice of violation.
 *
 * And `closed`, the end of every path.
 */
export const CaseStage = Schema.Literals([
  "intake",
  "triaged",
  "violation-found",
  "owner-letter-sent",
  "owner-met",
  "abatement-plan-agreed",
  "owner-engagement-failed",
  "notice-of-violation-served",
  "reinspection-failed",
  "public-nuisance-declared",
  "cited",
  "hearing-scheduled",
  "hearing-decided",
  "abatement-ordered",
  "court-appeal",
  "order-upheld",
  "city-abated",
  "costs-invoiced",
  "lien-noticed",
  "lien-recorded",
  "special-assessment-noticed",
  "special-assessment-recorded",
  "civil-action",
  "closed"
])

/** Where a nuisance case stands; see {@link CaseStage}. */
export type CaseStage = typeof CaseStage.Type

/**
 * Why a case was closed:
 *
 * - `no-violation`: the first inspection found none.
 * - `complied`: a reinspection found the violation corrected.
 * - `abatement-plan-kept`: the owner of an excessive-calls place kept the plan to its term.
 * - `overturned-at-hearing`: the hearing officer found no nuisance.
 * - `overturned-in-court`: the court set the abatement order aside.
 * - `costs-recovered`: the city's abatement costs were paid.
 * - `lien-recorded`: the unpaid costs are secured by a recorded lien; collection leaves the team.
 * - `special-assessment-recorded`: the unpaid costs were added to the property tax roll; the tax collector collects them.
 * - `civil-action-concluded`: every civil action filed has ended.
 */
export const ClosureReason = Schema.Literals([
  "no-violation",
  "complied",
  "abatement-plan-kept",
  "overturned-at-hearing",
  "overturned-in-court",
  "costs-recovered",
  "lien-recorded",
  "special-assessment-recorded",
  "civil-action-concluded"
])

/** Why a case was closed; see {@link ClosureReason}. */
export type ClosureReason = typeof ClosureReason.Type

/**
 * Which path a case follows: the code enforcement path (`standard`), or the
 * owner-engagement path for a high-volume non-residential user of 911
 * (`excessive-calls`), which starts with a letter to and a meeting with the
 * owner and an abatement plan before any notice of violation.
 */
export const CaseVariant = Schema.Literals(["standard", "excessive-calls"])

/** Which path a case follows; see {@link CaseVariant}. */
export type CaseVariant = typeof CaseVariant.Type

/** The path a case of a category follows: only `excessive-calls-for-service` takes the owner-engagement path. */
export const variantOf = (category: NuisanceCategory): CaseVariant =>
  category === "excessive-calls-for-service" ? "excessive-calls" : "standard"

// Late compliance ends a case at any step between the notice of violation and
// the city's own abatement: the owner fixed the property, so there is nothing
// left to enforce.
const compliedOrOn = (...next: ReadonlyArray<CaseStage>): ReadonlyArray<CaseStage> => [...next, "closed"]

/**
 * The stage graph: for each stage, the stages a case may move to next. No
 * other move exists, so no step can be skipped; the decider checks every
 * move it makes against this graph. A city cannot change the graph, only
 * the periods, caps and roles that guard each move. Every stage of the code
 * enforcement path before the city's own abatement may move to
 * `city-abated` by a summary abatement of an imminent hazard (with notice
 * after the fact).
 */
export const stageGraph: { readonly [S in CaseStage]: ReadonlyArray<CaseStage> } = {
  "intake": ["triaged"],
  "triaged": ["violation-found", "owner-letter-sent", "city-abated", "closed"],
  "violation-found": ["notice-of-violation-served", "city-abated"],
  "owner-letter-sent": ["owner-met", "owner-engagement-failed"],
  "owner-met": ["abatement-plan-agreed", "owner-engagement-failed"],
  "abatement-plan-agreed": ["owner-engagement-failed", "closed"],
  "owner-engagement-failed": ["notice-of-violation-served"],
  "notice-of-violation-served": compliedOrOn("reinspection-failed", "city-abated"),
  "reinspection-failed": compliedOrOn("notice-of-violation-served", "public-nuisance-declared", "city-abated"),
  // After the notice and the opportunity for a hearing, an abatement order
  // needs no citation first.
  "public-nuisance-declared": compliedOrOn("cited", "hearing-scheduled", "abatement-ordered", "city-abated"),
  "cited": compliedOrOn("hearing-scheduled", "abatement-ordered", "city-abated"),
  "hearing-scheduled": compliedOrOn("hearing-decided", "city-abated"),
  // The served decision may be appealed to court before the order follows.
  "hearing-decided": compliedOrOn("abatement-ordered", "court-appeal", "city-abated"),
  "abatement-ordered": compliedOrOn("court-appeal", "city-abated"),
  "court-appeal": compliedOrOn("order-upheld", "city-abated"),
  "order-upheld": compliedOrOn("abatement-ordered", "city-abated"),
  "city-abated": ["costs-invoiced"],
  // Unpaid costs are collected by a lien (Gov. Code 38773.1) or a special
  // assessment (38773.5), never both: each path leaves the other behind.
  "costs-invoiced": ["lien-noticed", "special-assessment-noticed", "civil-action", "closed"],
  "lien-noticed": ["lien-recorded", "closed"],
  "lien-recorded": ["civil-action", "closed"],
  "special-assessment-noticed": ["special-assessment-recorded", "closed"],
  "special-assessment-recorded": ["closed"],
  "civil-action": ["closed"],
  "closed": []
}

/** Whether the stage graph allows a case to move from one stage to another. */
export const canMove = (from: CaseStage, to: CaseStage): boolean => stageGraph[from].includes(to)
