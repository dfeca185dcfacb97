/**
 * Service of notice: how a case's documents reach the owner or other
 * responsible party, as the case records it: which document, served on
 * whom, when and how. Deadlines that run "from service" count from the
 * recorded instant of service, not from when the document was written.
 *
 * @module
 */
import { Schema } from "effect"
import { personal } from "../kernel/Sensitivity.ts"
import { NoticeData } from "./NoticeDocument.ts"
import { NoticeKind } from "./NoticeKind.ts"

/**
 * How a document was served. California code enforcement ordinances
 * usually allow personal delivery, certified (or first-class) mail to the
 * owner of record, and posting on the property. A notice the law requires
 * to be served as a summons in a civil action (the lien notice, Gov. Code
 * 38773.1(b)) may also use the other methods of Code Civ. Proc. 415.10 to
 * 415.40:
 *
 * - `personal-delivery`: handed to the person (Code Civ. Proc. 415.10).
 * - `substituted-service`: left with a competent adult at the person's
 *   home or office and then mailed there (Code Civ. Proc. 415.20).
 * - `mail-with-acknowledgment`: mailed with a notice and acknowledgment of
 *   receipt that the person signs and returns (Code Civ. Proc. 415.30).
 * - `mail-outside-california-return-receipt`: to a person outside the
 *   state, by first-class mail with a return receipt requested (Code Civ.
 *   Proc. 415.40).
 * - `certified-mail`, `first-class-mail`, `posting-on-property`: as the
 *   city's ordinance allows.
 *
 * The instant of service recorded is when the law deems service complete
 * (e.g. the 10th day after mailing for substituted service, the date the
 * acknowledgment is signed); the case does not add those days itself.
 */
export const MethodOfService = Schema.Literals([
  "personal-delivery",
  "certified-mail",
  "first-class-mail",
  "posting-on-property",
  "substituted-service",
  "mail-with-acknowledgment",
  "mail-outside-california-return-receipt"
])

/** How a document was served; see {@link MethodOfService}. */
export type MethodOfService = typeof MethodOfService.Type

/** In what capacity the person served receives a document. */
export const CapacityServed = Schema.Literals(["owner", "occupant", "business-operator", "agent", "lienholder"])

/** In what capacity the person served receives a document; see {@link CapacityServed}. */
export type CapacityServed = typeof CapacityServed.Type

/**
 * Who a document was served on. The name and mailing address identify a
 * person, so they are personal data and never appear in public views.
 */
export const PersonServed = Schema.Struct({
  name: personal(Schema.NonEmptyString),
  capacity: CapacityServed,
  mailingAddress: Schema.optionalKey(personal(Schema.NonEmptyString))
})

/** Who a document was served on; see {@link PersonServed}. */
export type PersonServed = typeof PersonServed.Type

/**
 * The service of one document, as a command reports it: the person served,
 * the instant of service and the method, and the values of the document's
 * placeholders that only the app knows. For mail, the instant is the one
 * the city's ordinance deems service complete; the case does not add
 * mailing days.
 *
 * The case makes the document itself, from the jurisdiction's template of
 * the command's kind, its own values (its number, the dates of the
 * deadlines it computed, amounts, the person served) and `values`; a value
 * the case writes may not be given in `values`. `documentId`, when given,
 * is the id of the document the app printed beforehand (with
 * `previewNuisanceCaseNotices`): the case refuses the service when it is
 * not the document the case produces, so what was served and what the
 * case enforces cannot differ.
 */
export const ServiceOfNotice = Schema.Struct({
  personServed: PersonServed,
  servedAt: Schema.DateTimeUtcFromString,
  method: MethodOfService,
  /** The values of placeholders only the app knows (the office's telephone, the written property address, the work an order requires...). */
  values: Schema.optionalKey(NoticeData),
  documentId: Schema.optionalKey(Schema.NonEmptyString.check(Schema.isTrimmed()))
})

/** The service of one document; see {@link ServiceOfNotice}. */
export type ServiceOfNotice = typeof ServiceOfNotice.Type

/**
 * A document a case served, with its kind and the content id of the
 * document the case produced (`NoticeDocument.id`); what the case keeps of
 * every letter, notice, order, invoice and lien notice.
 */
export const ServedDocument = Schema.Struct({
  kind: NoticeKind,
  documentId: Schema.NonEmptyString,
  personServed: PersonServed,
  servedAt: Schema.DateTimeUtcFromString,
  method: MethodOfService
})

/** A document a case served; see {@link ServedDocument}. */
export type ServedDocument = typeof ServedDocument.Type
