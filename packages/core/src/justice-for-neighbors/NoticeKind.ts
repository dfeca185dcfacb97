/**
 * The kinds of documents a Justice for Neighbors case sends: letters,
 * notices, citations, orders, invoices and liens.
 *
 * @module
 */
import { Schema } from "effect"

/**
 * The kinds of documents a case sends to an owner or responsible party:
 *
 * - `owner-letter`: the first letter to the owner of a chronic 911 user, inviting a meeting.
 * - `notice-of-violation`: the violations found and the time to comply.
 * - `notice-of-public-nuisance`: the property is declared a public nuisance.
 * - `administrative-citation`: a fine for a violation.
 * - `hearing-notice`: the time and place of an administrative hearing or appeal.
 * - `hearing-decision`: the hearing officer's decision and findings; its
 *   service starts the court appeal (Gov. Code 53069.4(b)(1)).
 * - `abatement-order`: the order to abate, after which the city may abate.
 * - `post-abatement-notice`: notice after the fact that the city summarily
 *   abated an imminent hazard, why, and what it cost.
 * - `cost-invoice`: the city's abatement costs to repay.
 * - `lien-notice`: notice to the owner of record that the unpaid costs will be recorded as a lien on the property (Gov. Code 38773.1).
 * - `special-assessment-notice`: notice to the owner of the unpaid costs proposed as a special assessment on the property tax roll, and of the hearing before the legislative body (Gov. Code 38773.5).
 */
export const NoticeKind = Schema.Literals([
  "owner-letter",
  "notice-of-violation",
  "notice-of-public-nuisance",
  "administrative-citation",
  "hearing-notice",
  "hearing-decision",
  "abatement-order",
  "post-abatement-notice",
  "cost-invoice",
  "lien-notice",
  "special-assessment-notice"
])

/** A kind of document a case sends; see {@link NoticeKind}. */
export type NoticeKind = typeof NoticeKind.Type
