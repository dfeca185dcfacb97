/**
 * The recipient directory: the city's own answer to "who is that, and how
 * do we reach them?" for the recipients notification rules name. The city
 * implements it over its systems (an HR directory, a case party table, a
 * subscription service); the library ships an in-memory one for tests and
 * the demo ({@link inMemoryRecipientDirectory}).
 *
 * @module
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Audience } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { NotificationChannel } from "../ports/Notifier.ts"

/**
 * One way to reach a contact: a channel and the address on it (a mailbox
 * for `email`, an https URL for `webhook`, an E.164 number for `sms`), and
 * the language the contact asked for on it, when it differs from theirs.
 */
export const ContactPoint = Schema.Struct({
  channel: NotificationChannel,
  address: personal(Schema.NonEmptyString),
  /** A BCP 47 language tag, e.g. `es-MX`. */
  locale: Schema.optionalKey(Schema.NonEmptyString)
})

/** One way to reach a contact; see {@link ContactPoint}. */
export type ContactPoint = typeof ContactPoint.Type

/**
 * A resolved recipient: a stable id (a person's id on file, a staff id, a
 * subscriber's id), the audience their notifications are redacted for,
 * their preferred language and the ways to reach them.
 *
 * The audience is what redaction applies (`engine/Redaction.ts`): `public`
 * receives no personal or confidential field, `staff` personal but not
 * confidential fields, `prosecutor` both. A person on file receiving a
 * notice about their own case (an owner) is given `staff` clearance by
 * the directory that knows them; a subscription list's members are
 * always `public`, whatever the directory says.
 */
export const Contact = Schema.Struct({
  id: Schema.NonEmptyString,
  audience: Audience,
  /** A BCP 47 language tag; the templates' default language when absent. */
  locale: Schema.optionalKey(Schema.NonEmptyString),
  contactPoints: Schema.Array(ContactPoint)
})

/** A resolved recipient; see {@link Contact}. */
export type Contact = typeof Contact.Type

/** The directory could not answer (its system is down, a query failed). Nothing was queued; the reactor's run stops and resumes later. */
export class DirectoryUnavailable extends Schema.TaggedError<DirectoryUnavailable>()("DirectoryUnavailable", {
  reason: Schema.String
}) {}

/**
 * The recipient directory port.
 *
 * Contract:
 * - **person(tenantId, personId)**: the person on file under that id
 *   (`nuisance-case/2026-000123/owner`: the ids are the city's, as the
 *   rules build them), or none. A person with no contact point on a
 *   rule's channels is "unreachable" for that rule (for a served notice:
 *   mail is required).
 * - **role(tenantId, role, district)**: every staff member holding the
 *   role for the district (citywide staff included), active ones only;
 *   empty when the seat is vacant.
 * - **list(tenantId, listId)**: the list's current subscribers; empty for
 *   an unknown list. They are treated as `public`.
 * - **webhookSubscriber(tenantId, subscriptionId)**: the subscriber and
 *   its endpoint, with the audience it was cleared for (`public` unless
 *   the city cleared it), or none once the subscription ended.
 * - **Stable answers.** The same question gives the same contacts, in the
 *   same order, until the city changes its records: a reactor replaying
 *   an event derives the same messages (and so queues none twice).
 * - **Failures** are {@link DirectoryUnavailable}; an unknown id is an
 *   empty answer, not a failure.
 */
export class RecipientDirectory extends Context.Service<RecipientDirectory, {
  readonly person: (tenantId: string, personId: string) => Effect.Effect<Option.Option<Contact>, DirectoryUnavailable>
  readonly role: (tenantId: string, role: string, district: string) => Effect.Effect<ReadonlyArray<Contact>, DirectoryUnavailable>
  readonly list: (tenantId: string, listId: string) => Effect.Effect<ReadonlyArray<Contact>, DirectoryUnavailable>
  readonly webhookSubscriber: (tenantId: string, subscriptionId: string) => Effect.Effect<Option.Option<Contact>, DirectoryUnavailable>
}>()("@community-policing/core/RecipientDirectory") {}

/** A staff member in an in-memory directory: the roles they hold and the districts they serve (none: citywide). */
export const DirectoryStaffEntry = Schema.Struct({
  contact: Contact,
  roles: Schema.Array(Schema.NonEmptyString),
  districts: Schema.Array(Schema.NonEmptyString)
})

/** A staff member in an in-memory directory; see {@link DirectoryStaffEntry}. */
export type DirectoryStaffEntry = typeof DirectoryStaffEntry.Type

/**
 * The contents of an in-memory directory, per tenant: people on file by
 * id, staff with roles and districts, subscription lists and webhook
 * subscribers. A schema, so a demo or test can load it from JSON.
 */
export const DirectoryEntries = Schema.Struct({
  people: Schema.optionalKey(Schema.Record(Schema.String, Contact)),
  staff: Schema.optionalKey(Schema.Array(DirectoryStaffEntry)),
  lists: Schema.optionalKey(Schema.Record(Schema.String, Schema.Array(Contact))),
  webhookSubscribers: Schema.optionalKey(Schema.Record(Schema.String, Contact))
})

/** The contents of an in-memory directory; see {@link DirectoryEntries}. */
export type DirectoryEntries = typeof DirectoryEntries.Type

/**
 * An in-memory {@link RecipientDirectory} over fixed entries by tenant id,
 * for tests and the demo. Staff answer a role for a district when they
 * hold the role and serve the district or are citywide, in the order
 * given.
 *
 * @example
 * ```ts
 * const directory = inMemoryRecipientDirectory({
 *   sacramento: {
 *     people: { "nuisance-case/2026-000123/owner": { id: "owner-1", audience: "staff", locale: "es", contactPoints: [{ channel: "email", address: "owner@example.org" }] } },
 *     staff: [{ contact: { id: "ceo-3", audience: "staff", contactPoints: [{ channel: "email", address: "ceo3@city.example" }] }, roles: ["code-enforcement-officer"], districts: ["3"] }]
 *   }
 * })
 * ```
 */
export const inMemoryRecipientDirectory = (
  entries: Readonly<Record<string, DirectoryEntries>>
): RecipientDirectory["Service"] => {
  const of = (tenantId: string): DirectoryEntries => (Object.hasOwn(entries, tenantId) ? entries[tenantId]! : {})
  const lookup = <V>(table: Readonly<Record<string, V>> | undefined, key: string): Option.Option<V> =>
    table !== undefined && Object.hasOwn(table, key) ? Option.some(table[key]!) : Option.none()
  return {
    person: (tenantId, personId) => Effect.succeed(lookup(of(tenantId).people, personId)),
    role: (tenantId, role, district) =>
      Effect.succeed(
        (of(tenantId).staff ?? [])
          .filter((entry) => entry.roles.includes(role) && (entry.districts.length === 0 || entry.districts.includes(district)))
          .map((entry) => entry.contact)
      ),
    list: (tenantId, listId) => Effect.succeed(Option.getOrElse(lookup(of(tenantId).lists, listId), () => [])),
    webhookSubscriber: (tenantId, subscriptionId) => Effect.succeed(lookup(of(tenantId).webhookSubscribers, subscriptionId))
  }
}

/** The in-memory directory as a Layer; see {@link inMemoryRecipientDirectory}. */
export const inMemoryRecipientDirectoryLayer = (entries: Readonly<Record<string, DirectoryEntries>>): Layer.Layer<RecipientDirectory> =>
  Layer.succeed(RecipientDirectory, inMemoryRecipientDirectory(entries))
