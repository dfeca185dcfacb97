/**
 * Why a nuisance case refused a command. Each refusal is typed data naming
 * the rule that refused and what the caller needs to act on it (the role
 * required, the stage the case is in, the deadline and when it passes, the
 * cap). A refused command changes nothing. The refusals of the shared
 * guards (duty, district, actor kind, stage, timing) are the engine's
 * (`engine/Refusals.ts`); the rules the case gives them are listed here.
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import type { GuardRefusal } from "../engine/Refusals.ts"
import { Role } from "../kernel/Role.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { FineAboveCap } from "./AdministrativeFine.ts"
import { CaseStage, ClosureReason } from "./CaseStage.ts"
import { NoticeKind } from "./NoticeKind.ts"
import { NoticePlaceholderProblem } from "./NoticeTemplate.ts"
import { InvalidCaseCommand } from "./NuisanceCaseCommands.ts"
import { EvidenceRule } from "./Evidence.ts"
import { DeadlinePurpose } from "./NuisanceCaseEvents.ts"

const Instant = Schema.DateTimeUtcFromString
const iso = (instant: DateTime.DateTime): string => DateTime.formatIso(DateTime.toUtc(instant))

/** The command was given for a case number with no case. */
export class CaseNotFound extends Schema.TaggedError<CaseNotFound>()("CaseNotFound", {
  rule: Schema.Literal("case-must-exist"),
  caseId: Schema.String,
  command: Schema.String
}) {
  override get message(): string {
    return `No nuisance case ${this.caseId}: ${this.command} needs an open case`
  }
}

/** `OpenCase` was given for a case number that is already taken. */
export class CaseAlreadyOpen extends Schema.TaggedError<CaseAlreadyOpen>()("CaseAlreadyOpen", {
  rule: Schema.Literal("case-opens-once"),
  caseId: Schema.String,
  stage: CaseStage
}) {
  override get message(): string {
    return `Nuisance case ${this.caseId} already exists (stage ${this.stage})`
  }
}

/** The case is closed: nothing more is accepted on it. */
export class ActionOnClosedCase extends Schema.TaggedError<ActionOnClosedCase>()("ActionOnClosedCase", {
  rule: Schema.Literal("closed-case-is-final"),
  caseId: Schema.String,
  command: Schema.String,
  reason: Schema.optionalKey(ClosureReason),
  closedAt: Instant
}) {
  override get message(): string {
    return `Nuisance case ${this.caseId} was closed (${this.reason ?? "no reason recorded"}) at ${iso(this.closedAt)}: ${this.command} refused`
  }
}

// The shared guards' refusals (engine/Refusals.ts) carry the rule as a
// string; these are the rules the nuisance case gives them, so that its
// guards can only name one of these.

/**
 * The rules of the nuisance case that refuse with the shared
 * `ActorKindNotAllowed`: a command only staff may give (`staff-only`), or
 * a case opened from a source the actor's kind may not report
 * (`source-by-actor-kind`: the public files complaints; the system files
 * 311 complaints and analytics findings).
 */
export const ActorKindRule = Schema.Literals(["staff-only", "source-by-actor-kind"])

/** A rule of the nuisance case that refuses with `ActorKindNotAllowed`; see {@link ActorKindRule}. */
export type ActorKindRule = typeof ActorKindRule.Type

/**
 * The rules of the nuisance case that refuse with the shared
 * `WrongCaseStage`: not a step the case can take from its stage
 * (`stage-order`), not on its path (`case-variant`: an excessive-calls case
 * starts with the owner letter, any other with an inspection), or not with
 * this closing reason (`closure-by-stage`).
 */
export const CaseStageRule = Schema.Literals(["stage-order", "case-variant", "closure-by-stage"])

/** A rule of the nuisance case that refuses with `WrongCaseStage`; see {@link CaseStageRule}. */
export type CaseStageRule = typeof CaseStageRule.Type

/**
 * What a time rule waits for: a deadline of the case, or the hearing date.
 */
export const AwaitedTime = Schema.Union([DeadlinePurpose, Schema.Literal("hearing")])

/**
 * The rules of the nuisance case that refuse with the shared `TooEarly`: a
 * step came before the time it must wait for: a finding of
 * non-compliance (the gate to every escalation) before the compliance
 * deadline, a plan review before the plan's term, a hearing decision before
 * the hearing, a city abatement within the court appeal window, a lien
 * notice, a special assessment notice or a civil action before the time to
 * pay, a lien recorded before the notice period of its notice has passed
 * (Gov. Code 38773.1), a special assessment confirmed before its hearing
 * (Gov. Code 38773.5), an abatement order while the owner may still request
 * a hearing.
 */
export const TooEarlyRule = Schema.Literals([
  "non-compliance-after-compliance-deadline",
  "non-compliance-after-start-deadline",
  "no-plan-review-before-term",
  "no-decision-before-hearing",
  "no-city-abatement-during-court-appeal-window",
  "no-lien-before-payment-deadline",
  "no-civil-action-before-payment-deadline",
  "no-lien-before-notice-period",
  "no-special-assessment-before-payment-deadline",
  "no-special-assessment-before-hearing",
  "no-abatement-order-before-hearing-request-deadline"
])

/** A rule of the nuisance case that refuses with `TooEarly`; see {@link TooEarlyRule}. */
export type TooEarlyRule = typeof TooEarlyRule.Type

/**
 * The rules of the nuisance case that refuse with the shared `TooLate`: a
 * court appeal filed after the appeal period (Gov. Code 53069.4(b)(1)), or
 * a hearing requested after `periods.hearingRequest` from service of the
 * notice that gave the right.
 */
export const TooLateRule = Schema.Literals(["court-appeal-window", "hearing-request-window"])

/** A rule of the nuisance case that refuses with `TooLate`; see {@link TooLateRule}. */
export type TooLateRule = typeof TooLateRule.Type

/**
 * The rules of the nuisance case that refuse with the shared
 * `ImplausibleInstant`: an instant in the future or before the step the case
 * last took (`act-instant-in-order`), or a hearing set before its notice
 * (`hearing-after-notice`).
 */
export const ImplausibleInstantRule = Schema.Literals(["act-instant-in-order", "hearing-after-notice"])

/** A rule of the nuisance case that refuses with `ImplausibleInstant`; see {@link ImplausibleInstantRule}. */
export type ImplausibleInstantRule = typeof ImplausibleInstantRule.Type

/**
 * An excessive-calls case was opened without what the law requires: it must
 * come from the analytics (which keeps protected calls out, Gov. Code 53165;
 * 34 U.S.C. 12495) about a non-residential place at the case's address and
 * in its district; and analytics evidence opens only excessive-calls cases.
 * The evidence itself is re-checked against the jurisdiction's settings
 * (the rules of `EvidenceRule`, see `recheckEvidence`): a counted call that
 * is protected, off the counted channels or categories, or outside the
 * window, or a threshold not met, is refused with the rule and the calls.
 */
export class ExcessiveCallsIntakeRefused extends Schema.TaggedError<ExcessiveCallsIntakeRefused>()(
  "ExcessiveCallsIntakeRefused",
  {
    rule: Schema.Literals([
      "excessive-calls-from-analytics",
      "analytics-finding-is-excessive-calls",
      "non-residential-only",
      "evidence-matches-case",
      ...EvidenceRule.literals
    ]),
    category: NuisanceCategory,
    reason: Schema.String,
    /** The counted calls at fault, when the evidence's calls break a rule. */
    callKeys: Schema.optionalKey(Schema.Array(Schema.String)),
    /** The law behind the rule, when it is law. */
    law: Schema.optionalKey(Schema.String)
  }
) {
  override get message(): string {
    return `Excessive-calls intake refused (${this.rule}): ${this.reason}${this.law === undefined ? "" : ` (${this.law})`}`
  }
}

/** A deadline could not be counted: the configured period or time zone is invalid. */
export class DeadlineNotComputable extends Schema.TaggedError<DeadlineNotComputable>()("DeadlineNotComputable", {
  rule: Schema.Literal("deadline-computable"),
  purpose: DeadlinePurpose,
  setBy: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Cannot count the ${this.purpose} deadline (${this.setBy}): ${this.reason}`
  }
}

/** A citation number is taken, unknown, or not payable (cancelled or paid). */
export class CitationRefused extends Schema.TaggedError<CitationRefused>()("CitationRefused", {
  rule: Schema.Literals(["citation-number-unique", "citation-must-exist", "citation-payable"]),
  citationNumber: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Citation ${this.citationNumber}: ${this.reason} (${this.rule})`
  }
}

/**
 * An amount is more than the case allows: an invoice above the recorded
 * abatement cost, a payment above what is owed.
 */
export class AmountRefused extends Schema.TaggedError<AmountRefused>()("AmountRefused", {
  rule: Schema.Literals(["invoice-within-costs", "payment-within-balance"]),
  command: Schema.String,
  amountInDollars: Schema.Finite,
  limitInDollars: Schema.Finite
}) {
  override get message(): string {
    return `${this.command}: $${this.amountInDollars} exceeds the $${this.limitInDollars} allowed (${this.rule})`
  }
}

/** Unpaid costs are what a lien or a special assessment secures: with nothing owed there is nothing to notice or record. */
export class NothingOwed extends Schema.TaggedError<NothingOwed>()("NothingOwed", {
  rule: Schema.Literal("lien-needs-unpaid-balance"),
  command: Schema.String,
  invoicedInDollars: Schema.Finite,
  paidInDollars: Schema.Finite
}) {
  override get message(): string {
    return `${this.command}: nothing is owed ($${this.paidInDollars} paid of $${this.invoicedInDollars} invoiced)`
  }
}

/**
 * The lien notice was not given as Gov. Code 38773.1 requires:
 *
 * - `lien-notice-to-owner-of-record`: the person served must be the owner of
 *   record (capacity `owner`); the occupant, an agent, a business operator or
 *   a lienholder is not (38773.1(a)).
 * - `lien-notice-served-as-summons`: the method must be one that serves a
 *   summons (`summonsMethods`: Code Civ. Proc. 415.10-415.40), not mail alone (38773.1(b)).
 * - `posting-after-diligent-search`: posting on the property serves the
 *   notice only after a documented diligent search, completed before the
 *   posting, failed to find the owner; and a notice given after such a
 *   search is posted (38773.1(b)).
 * - `publication-per-gov-code-6062`: the posted notice must also be
 *   published twice, at least five days apart (38773.1(b); Gov. Code 6062).
 */
export class LienNoticeRefused extends Schema.TaggedError<LienNoticeRefused>()("LienNoticeRefused", {
  rule: Schema.Literals([
    "lien-notice-to-owner-of-record",
    "lien-notice-served-as-summons",
    "posting-after-diligent-search",
    "publication-per-gov-code-6062"
  ]),
  /** The law behind the rule. */
  law: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Lien notice refused (${this.rule}): ${this.detail} (${this.law})`
  }
}

/**
 * The notice of a special assessment was not given as Gov. Code 38773.5
 * requires: to the owner (`special-assessment-notice-to-owner`), by
 * certified mail (`special-assessment-notice-by-certified-mail`).
 */
export class SpecialAssessmentRefused extends Schema.TaggedError<SpecialAssessmentRefused>()("SpecialAssessmentRefused", {
  rule: Schema.Literals(["special-assessment-notice-to-owner", "special-assessment-notice-by-certified-mail"]),
  /** The law behind the rule. */
  law: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Special assessment refused (${this.rule}): ${this.detail} (${this.law})`
  }
}

/** A civil action of that kind is already pending, or none of that kind is pending to conclude. */
export class CivilActionRefused extends Schema.TaggedError<CivilActionRefused>()("CivilActionRefused", {
  rule: Schema.Literals(["civil-action-once-per-kind", "civil-action-must-be-pending"]),
  kind: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Civil action ${this.kind}: ${this.reason} (${this.rule})`
  }
}

/** A closing reason whose condition is not met: money still owed, or a civil action still pending. */
export class ClosureRefused extends Schema.TaggedError<ClosureRefused>()("ClosureRefused", {
  rule: Schema.Literals(["close-when-nothing-owed", "close-when-civil-actions-concluded"]),
  reason: ClosureReason,
  detail: Schema.String
}) {
  override get message(): string {
    return `Cannot close as ${this.reason}: ${this.detail} (${this.rule})`
  }
}

/**
 * The case could not serve the document a command reports, because it
 * makes every document itself (from the jurisdiction's template and the
 * dates and amounts it computed):
 *
 * - `values-written-by-the-case`: the command's `service.values` gives a
 *   value the case writes (a deadline's date, an amount, the case number);
 *   `keys` lists them.
 * - `document-complete`: the template and the values leave placeholders
 *   unfilled; `problems` lists each (as `makeDocument` reports them), or
 *   `detail` says why a date could not be written.
 * - `document-produced-by-the-case`: `service.documentId` is not the id of
 *   the document the case produces (`producedId`): the document printed is
 *   not the one whose deadlines the case enforces.
 */
export class NoticeRefused extends Schema.TaggedError<NoticeRefused>()("NoticeRefused", {
  rule: Schema.Literals(["values-written-by-the-case", "document-complete", "document-produced-by-the-case"]),
  command: Schema.String,
  kind: NoticeKind,
  keys: Schema.optionalKey(Schema.Array(Schema.String)),
  problems: Schema.optionalKey(Schema.Array(NoticePlaceholderProblem)),
  detail: Schema.optionalKey(Schema.String),
  documentId: Schema.optionalKey(Schema.String),
  producedId: Schema.optionalKey(Schema.String)
}) {
  override get message(): string {
    switch (this.rule) {
      case "values-written-by-the-case":
        return `${this.command}: the case writes ${(this.keys ?? []).join(", ")} in the ${this.kind} itself; leave them out of service.values`
      case "document-complete":
        return `${this.command}: the ${this.kind} cannot be made: ${
          this.detail ?? (this.problems ?? []).map((p) => `${p.where}: ${p.problem} {{${p.placeholder}}}`).join("; ")
        }`
      case "document-produced-by-the-case":
        return `${this.command}: document ${this.documentId} is not the ${this.kind} the case produces (${this.producedId})`
    }
  }
}

/**
 * A hearing was set sooner after service of its notice than the least
 * notice the city gives (`periods.hearingNotice`): due process requires
 * notice reasonably in advance of a hearing. Names the earliest instant the
 * hearing may be set for; with a period of days, any time on the last day
 * of the notice period will do.
 */
export class HearingNoticeTooShort extends Schema.TaggedError<HearingNoticeTooShort>()("HearingNoticeTooShort", {
  rule: Schema.Literal("minimum-hearing-notice"),
  command: Schema.String,
  servedAt: Instant,
  hearingAt: Instant,
  earliest: Instant,
  /** Where the least notice is configured. */
  setting: Schema.Literal("programs.justiceForNeighbors.periods.hearingNotice")
}) {
  override get message(): string {
    return `${this.command}: a hearing at ${iso(this.hearingAt)} on a notice served ${iso(this.servedAt)} is too soon; ` +
      `the earliest is ${iso(this.earliest)} (${this.setting})`
  }
}

/**
 * The hearing officer is not impartial (rule `impartial-hearing-officer`):
 *
 * - `took-part-in-case`: the officer is an actor who took a step on the
 *   case (moved it, commented, attached evidence, abated): an investigator
 *   or advocate in the proceeding may not decide it.
 * - `holds-team-seat`: the officer holds a role that is a seat of the
 *   district team (`programs.justiceForNeighbors.teamSeats`: the city
 *   attorney, the sergeant, the code enforcement officer), the team that
 *   brought the case; its city attorney is its advocate, not a judge. The
 *   roles are those the command states and, when the actor recording the
 *   decision names itself as the officer, the roles the identity system
 *   gives it.
 *
 * Source: due process requires an impartial adjudicator (Haas v. County of
 * San Bernardino (2002) 27 Cal.4th 1017), kept apart from the advocate
 * (Nightlife Partners v. City of Beverly Hills (2003) 108 Cal.App.4th 81);
 * Gov. Code 11425.30 states the rule for state agencies.
 */
export class HearingOfficerNotImpartial extends Schema.TaggedError<HearingOfficerNotImpartial>()("HearingOfficerNotImpartial", {
  rule: Schema.Literal("impartial-hearing-officer"),
  reason: Schema.Literals(["took-part-in-case", "holds-team-seat"]),
  officerId: Schema.String,
  /** The team roles the officer holds, for `holds-team-seat`. */
  teamRoles: Schema.Array(Role),
  setting: Schema.Literal("programs.justiceForNeighbors.teamSeats"),
  source: Schema.String
}) {
  override get message(): string {
    return this.reason === "took-part-in-case"
      ? `Hearing officer ${this.officerId} took part in the case and may not decide it (${this.rule}; ${this.source})`
      : `Hearing officer ${this.officerId} holds a seat of the district team (${this.teamRoles.join(", ")}; ${this.setting}) ` +
        `and may not decide its case (${this.rule}; ${this.source})`
  }
}

/**
 * A step that due process must wait for has not happened:
 *
 * - `requested-hearing-before-abatement-order`: the owner requested a
 *   hearing; it must be held and decided before an abatement order.
 * - `decision-served-before-abatement-order`: after a hearing, the decision
 *   is served before the order that carries it out (its service starts the
 *   court appeal, Gov. Code 53069.4(b)(1)).
 * - `abatement-order-before-city-abatement`: the city abates only under an
 *   abatement order served on the owner (a summary abatement excepted).
 * - `notice-after-summary-abatement-before-invoice`: the costs of a summary
 *   abatement are invoiced only after the notice after the fact is served.
 * - `post-abatement-notice-after-summary-abatement`: a notice after the fact
 *   follows a summary abatement, and only one.
 */
export class DueProcessRefused extends Schema.TaggedError<DueProcessRefused>()("DueProcessRefused", {
  rule: Schema.Literals([
    "requested-hearing-before-abatement-order",
    "decision-served-before-abatement-order",
    "abatement-order-before-city-abatement",
    "notice-after-summary-abatement-before-invoice",
    "post-abatement-notice-after-summary-abatement"
  ]),
  command: Schema.String,
  reason: Schema.String,
  source: Schema.String
}) {
  override get message(): string {
    return `${this.command}: ${this.reason} (${this.rule}; ${this.source})`
  }
}

/**
 * A police referral asked for what the law forbids (Gov. Code 53165,
 * 53165.1; 34 U.S.C. 12495):
 *
 * - `calls-for-service-through-analytics`: a referral based on calls for
 *   service never opens a case; calls count only through the
 *   excessive-calls analytics, whose evidence shows homes and protected
 *   calls kept out, and which the case re-checks.
 * - `law-enforcement-contact-needs-place`: a referral based on an arrest
 *   (a contact with law enforcement) must carry the place from the places
 *   registry, so its land use can be checked.
 * - `law-enforcement-contact-non-residential-only`: that place is a home,
 *   of unknown land use, or has long-term tenancies.
 * - `referral-place-matches-case`: the place is at another address than the case.
 * - `referral-basis-required`: the referral gives `unrecorded`, kept only for
 *   cases opened before referrals said their basis.
 */
export class PoliceReferralRefused extends Schema.TaggedError<PoliceReferralRefused>()("PoliceReferralRefused", {
  rule: Schema.Literals([
    "calls-for-service-through-analytics",
    "law-enforcement-contact-needs-place",
    "law-enforcement-contact-non-residential-only",
    "referral-place-matches-case",
    "referral-basis-required"
  ]),
  basis: Schema.String,
  reason: Schema.String,
  law: Schema.String
}) {
  override get message(): string {
    return `Police referral (${this.basis}) refused (${this.rule}): ${this.reason} (${this.law})`
  }
}

/**
 * Text a command would put in a case requires or presses a landlord to
 * evict, or to end a tenancy, because of contacts with law enforcement
 * (Gov. Code 53165.1). `field` is where (e.g. `["terms", 2]`), `text` the
 * sentence found; see `evictionPressure` for what the word check can and
 * cannot see.
 */
export class EvictionPressureRefused extends Schema.TaggedError<EvictionPressureRefused>()("EvictionPressureRefused", {
  rule: Schema.Literal("no-eviction-for-law-enforcement-contacts"),
  law: Schema.Literal("Gov. Code 53165.1"),
  command: Schema.String,
  field: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  text: Schema.String
}) {
  override get message(): string {
    return `${this.command}: ${this.field.join(".")} requires or presses eviction for contacts with law enforcement, which ${this.law} forbids: "${this.text}"`
  }
}

/**
 * A dangerous building's notice and order (Sacramento City Code
 * 8.96.130(B)(3): 30 days from the date of the order to obtain permits and
 * begin work, completion by a reasonable date set in the order) is
 * incomplete or inconsistent:
 *
 * - `order-dates-required`: a dangerous-building notice without `orderedAt` and `completeBy`.
 * - `order-dates-dangerous-building-only`: order dates on another category's notice.
 * - `completion-after-start-deadline`: `completeBy` is not after the deadline to obtain permits and begin work.
 * - `start-deadline-after-service`: the deadline to obtain permits and begin work has passed when the notice is served.
 * - `start-duties-dangerous-building-only`: a reinspection records permits and work on a case with no such deadline.
 */
export class DangerousBuildingOrderRefused extends Schema.TaggedError<DangerousBuildingOrderRefused>()("DangerousBuildingOrderRefused", {
  rule: Schema.Literals([
    "order-dates-required",
    "order-dates-dangerous-building-only",
    "completion-after-start-deadline",
    "start-deadline-after-service",
    "start-duties-dangerous-building-only"
  ]),
  command: Schema.String,
  reason: Schema.String,
  source: Schema.String
}) {
  override get message(): string {
    return `${this.command} refused (${this.rule}): ${this.reason} (${this.source})`
  }
}

/** Every reason a nuisance case refuses a command. */
export type NuisanceCaseRefusal =
  | InvalidCaseCommand
  | CaseNotFound
  | CaseAlreadyOpen
  | ActionOnClosedCase
  | GuardRefusal
  | ExcessiveCallsIntakeRefused
  | PoliceReferralRefused
  | EvictionPressureRefused
  | DangerousBuildingOrderRefused
  | DeadlineNotComputable
  | FineAboveCap
  | CitationRefused
  | AmountRefused
  | NothingOwed
  | LienNoticeRefused
  | SpecialAssessmentRefused
  | CivilActionRefused
  | ClosureRefused
  | NoticeRefused
  | HearingNoticeTooShort
  | HearingOfficerNotImpartial
  | DueProcessRefused
