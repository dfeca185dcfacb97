/**
 * The settings of the commission's recommendations: where a recommendation
 * can be sent, how long the city has to answer, and who records each step.
 * Every value is configuration; the Sacramento preset names its source, or
 * says that none exists.
 *
 * @module
 */
import { Schema } from "effect"
import { distinctBy } from "../kernel/Identifier.ts"
import { Period } from "../kernel/Period.ts"
import { Role } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"

/**
 * The kinds of body a recommendation goes to: a committee of the council, the
 * council as a whole, or a city department (the police department, the
 * city manager's office). Sacramento's flow is commission motion -> council
 * committee -> council (Sacramento City Code 2.100.030).
 */
export const RecommendationRecipientKind = Schema.Literals(["council-committee", "council", "department"])

/** The kind of body a recommendation goes to; see {@link RecommendationRecipientKind}. */
export type RecommendationRecipientKind = typeof RecommendationRecipientKind.Type

/** A body a recommendation can be transmitted to, as the city lists it. */
export const RecommendationRecipient = Schema.Struct({
  /** A stable id, e.g. `law-and-legislation-committee`. */
  id: Schema.NonEmptyString.check(Schema.isTrimmed()),
  /** Its name as the city writes it. */
  name: Schema.NonEmptyString,
  kind: RecommendationRecipientKind,
  /**
   * The person at the body who follows the commission's recommendations
   * (a name, a phone or an email), when the city names one: personal data,
   * kept on the transmittal for staff and never shown to the public.
   */
  liaison: Schema.optionalKey(personal(Schema.NonEmptyString))
})

/** A body a recommendation can be transmitted to; see {@link RecommendationRecipient}. */
export type RecommendationRecipient = typeof RecommendationRecipient.Type

/**
 * Who records the steps of a recommendation: the commission's own acts
 * (drafting, adoption, transmittal) and the city's (its answer, the
 * implementation milestones, implementation or closing). Each duty lists the
 * staff roles granted it.
 */
export const RecommendationDuty = Schema.Literals(["record-commission-action", "record-city-answer"])

/** A duty of the recommendation workflow; see {@link RecommendationDuty}. */
export type RecommendationDuty = typeof RecommendationDuty.Type

const Roles = Schema.NonEmptyArray(Role)

/**
 * The commission's recommendation settings.
 *
 * - `recipients`: the bodies a recommendation may be transmitted to, each id
 *   once.
 * - `answerPeriod`: how long after its transmittal a recommendation's answer
 *   is due. No statute sets a deadline (Sacramento City Code ch. 2.100 and
 *   the Brown Act are silent; DOMAIN.md section 2): the city chooses one,
 *   and answers later than it are listed as overdue.
 * - `duties`: the roles that record each step.
 */
export const RecommendationSettings = Schema.Struct({
  recipients: Schema.NonEmptyArray(RecommendationRecipient).check(distinctBy("id", "recipient")),
  answerPeriod: Period,
  duties: Schema.Struct({
    "record-commission-action": Roles,
    "record-city-answer": Roles
  })
})

/** The commission's recommendation settings; see {@link RecommendationSettings}. */
export type RecommendationSettings = typeof RecommendationSettings.Type

/**
 * Sacramento's preset.
 *
 * - Recipients: the council committee the commission reports through, the
 *   council and the police department (the flow of Sacramento City Code
 *   2.100.030: motion -> council committee -> council). The committee's
 *   name, the Law and Legislation Committee, is unverified: a city sets its
 *   own list.
 * - Answer period: 90 calendar days. Not a legal deadline (none exists, see
 *   {@link RecommendationSettings}): a city's choice, offered as a starting
 *   value so late answers show at all.
 * - Duties: the commission's clerk records the commission's acts; the clerk
 *   and the analyst staffing the commission record the city's answer and
 *   its implementation.
 */
export const sacramentoRecommendationSettings: RecommendationSettings = {
  recipients: [
    { id: "law-and-legislation-committee", name: "Law and Legislation Committee", kind: "council-committee" },
    { id: "city-council", name: "Sacramento City Council", kind: "council" },
    { id: "police-department", name: "Sacramento Police Department", kind: "department" }
  ],
  answerPeriod: { amount: 90, unit: "calendar-days" },
  duties: {
    "record-commission-action": ["clerk"],
    "record-city-answer": ["clerk", "analyst"]
  }
}
