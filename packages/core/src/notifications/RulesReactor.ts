/**
 * The rules reactor: notification rules (data) run by the kit's reactor
 * machinery. For each event an `OnEvent` rule matches, the recipients are
 * resolved through the `RecipientDirectory` and one outbox message is
 * queued per delivery; a `BeforeDeadline` rule schedules a reactor timer
 * and queues its messages when the clock passes it; a `DailyDigest` rule
 * keeps the open items in a read model and, once a day at its local time,
 * queues one digest per recipient of the items overdue. Every message id
 * derives from its cause (the event, or the digest's day), the rule and
 * the delivery, so a replay, a rerun or a crash queues nothing twice.
 *
 * @module
 */
import { DateTime, Effect, Option, Result, Schema } from "effect"
import type { AccessPolicy } from "../engine/AccessPolicy.ts"
import type { Actor } from "../engine/Actor.ts"
import type { CatchUpError } from "../engine/CatchUp.ts"
import type { HandlerError } from "../engine/CommandHandler.ts"
import type { EventCatalog, TaggedEvent } from "../engine/EventCatalog.ts"
import { makeProjection, type Projection } from "../engine/Projection.ts"
import {
  cancelTimer,
  makeReactor,
  type Reaction,
  type ReactionContext,
  type ReactorError,
  type ReactorRun,
  type ReactorStep,
  scheduleTimer
} from "../engine/Reactor.ts"
import { redact } from "../engine/Redaction.ts"
import { parseStreamId } from "../engine/StreamId.ts"
import type { EventStore, StoredEvent } from "../ports/EventStore.ts"
import type { ReadModelStore } from "../ports/ReadModelStore.ts"
import {
  type DeliveryContext,
  planMessages,
  queuePlanned,
  type ResolvedRecipient,
  resolveRecipients,
  ruleValuesFor
} from "./Deliveries.ts"
import { fillFieldTemplate, meetsFilter, readField } from "./FieldTemplate.ts"
import type { BeforeDeadlineRule, DailyDigestRule, EventSelector, NotificationRules, OnEventRule } from "./NotificationRules.ts"
import { RecipientDirectory } from "./RecipientDirectory.ts"

/** How the rules run: the rules, the event catalogs by stream type, the jurisdiction's zone and the default language. */
export interface NotificationRulesOptions {
  /** The rules, checked with `validateNotificationRules` against the same catalogs. */
  readonly rules: NotificationRules
  /** The catalogs of the events the rules name, by stream type (`{ "nuisance-case": nuisanceCaseEvents }`). */
  readonly catalogs: Readonly<Record<string, EventCatalog<TaggedEvent>>>
  /** The jurisdiction's time zone (`jurisdiction.timeZone`): dates in values, and the digests' local time. */
  readonly timeZone: string
  /** The language of a recipient who has none on file (the templates' default). */
  readonly defaultLocale: string
  /** The reactor's name and checkpoint; `<program>.notifications` when absent. */
  readonly name?: string | undefined
  /** Who the reactions are recorded as; the system actor of the reactor's name when absent. */
  readonly actor?: Actor | undefined
}

/** What one run of the digests did: per digest rule, the local date covered and the messages queued now and found queued before. */
export interface DigestRun {
  readonly rule: string
  readonly date: string
  readonly queued: number
  readonly alreadyQueued: number
  readonly overdueItems: number
}

/** The requirements of a run of the rules: the stores, the access policy the reactor kit asks for, and the directory. */
export type NotificationRulesRequirements = EventStore | ReadModelStore | AccessPolicy | RecipientDirectory

/** The rules' runner; see {@link notificationRulesReactor}. */
export interface NotificationRulesReactor {
  readonly name: string
  readonly options: NotificationRulesOptions
  /**
   * Reacts to the tenant's events after the checkpoint (event rules,
   * deadline timers), fires the timers the clock has passed, and brings
   * the digests' open items up to date. Safe to rerun: nothing is queued twice.
   */
  readonly run: (
    tenantId: string,
    options?: { readonly batchSize?: number | undefined }
  ) => Effect.Effect<ReactorRun, ReactorError, NotificationRulesRequirements>
  /**
   * Queues today's digests when the digests' local time has passed today
   * (else yesterday's): per `DailyDigest` rule, one message per recipient
   * of the items overdue at that time. Run it on a schedule (at least
   * daily after the digest time); a second run the same day queues nothing.
   */
  readonly runDigests: (tenantId: string) => Effect.Effect<ReadonlyArray<DigestRun>, CatchUpError | HandlerError, NotificationRulesRequirements>
}

/** An open item of a daily digest, as its read model keeps it: the item key, when it is due, and the event that opened it. */
export const DigestItem = Schema.Struct({
  key: Schema.String,
  streamType: Schema.String,
  eventType: Schema.String,
  due: Schema.String,
  data: Schema.Json
})

/** An open item of a daily digest; see {@link DigestItem}. */
export type DigestItem = typeof DigestItem.Type

const TimerPayload = Schema.Struct({
  rule: Schema.String,
  streamType: Schema.String,
  eventType: Schema.String,
  data: Schema.Json
})
const decodeTimerPayload = Schema.decodeUnknownOption(TimerPayload)

const selects = (selector: EventSelector, streamType: string, eventType: string, json: unknown): boolean =>
  selector.streamType === streamType && selector.eventType === eventType && meetsFilter(json, selector.where)

const timerKey = (rule: string, key: string) => `${rule}/${key}`

/**
 * Builds the rules' runner. Run `run` after commands (or on a schedule at
 * least as often as the precision the deadline rules need) and
 * `runDigests` at least daily after the digests' time.
 *
 * @example
 * ```ts
 * const notifications = notificationRulesReactor({
 *   rules, catalogs: { "nuisance-case": nuisanceCaseEvents }, timeZone: sacramento.timeZone, defaultLocale: "en"
 * })
 * yield* notifications.run("sacramento").pipe(Effect.provide(inMemoryRecipientDirectoryLayer(entries)))
 * ```
 */
export const notificationRulesReactor = (options: NotificationRulesOptions): NotificationRulesReactor => {
  const { rules, catalogs } = options
  const name = options.name ?? `${rules.rules.length === 0 ? "rules" : rules.program}.notifications`
  const context: DeliveryContext = { program: rules.program, timeZone: options.timeZone, defaultLocale: options.defaultLocale }
  const catalogOf = (streamType: string): EventCatalog<TaggedEvent> | undefined =>
    Object.hasOwn(catalogs, streamType) ? catalogs[streamType] : undefined
  const byName = new Map(rules.rules.map((rule) => [rule.name, rule]))

  const notify = (
    directory: RecipientDirectory["Service"],
    rule: OnEventRule | BeforeDeadlineRule,
    catalog: EventCatalog<TaggedEvent>,
    event: TaggedEvent,
    json: unknown,
    eventId: string
  ): Reaction =>
    queuePlanned(
      rule.name,
      Effect.fnUntraced(function*(reaction: ReactionContext) {
        const recipients = yield* resolveRecipients(directory, reaction.tenantId, rule.recipients, json, context)
        return planMessages(rule, recipients, ruleValuesFor(catalog, event, rule.values, context), {
          tenantId: reaction.tenantId,
          eventId
        }, context)
      }),
      rule.maxAttempts
    )

  const definition = (directory: RecipientDirectory["Service"]) => ({
    name,
    actor: options.actor,
    events: Object.values(catalogs),
    react: (event: TaggedEvent, stored: StoredEvent): ReadonlyArray<ReactorStep> => {
      const streamType = parseStreamId(stored.streamId)?.type
      const catalog = streamType === undefined ? undefined : catalogOf(streamType)
      if (streamType === undefined || catalog === undefined) return []
      const json = catalog.encode(event).data
      const steps: Array<ReactorStep> = []
      for (const rule of rules.rules) {
        if (rule._tag === "OnEvent" && selects(rule.on, streamType, event._tag, json)) {
          steps.push(notify(directory, rule, catalog, event, json, stored.eventId))
        }
        if (rule._tag !== "BeforeDeadline") continue
        const fill = (template: string) => fillFieldTemplate(template, json, { timeZone: options.timeZone, locale: options.defaultLocale })
        if (selects(rule.on, streamType, event._tag, json)) {
          const key = fill(rule.key)
          const due = readField(json, rule.due)
          const dueAt = typeof due === "string" ? DateTime.make(due) : Option.none()
          if (key !== undefined && Option.isSome(dueAt)) {
            steps.push(scheduleTimer(
              timerKey(rule.name, key),
              DateTime.subtract(DateTime.toUtc(dueAt.value), { days: rule.daysBefore }),
              { rule: rule.name, streamType, eventType: event._tag, data: json }
            ))
          }
        }
        if (rule.on.streamType !== streamType) continue
        for (const closing of rule.cancelOn) {
          if (closing.eventType !== event._tag) continue
          const key = fill(closing.key)
          if (key !== undefined) steps.push(cancelTimer(timerKey(rule.name, key)))
        }
      }
      return steps
    },
    fire: (timer: { readonly payload: Schema.Json; readonly eventId: string }): ReadonlyArray<Reaction> => {
      const payload = decodeTimerPayload(timer.payload)
      if (Option.isNone(payload)) return []
      const rule = byName.get(payload.value.rule)
      const catalog = catalogOf(payload.value.streamType)
      if (rule?._tag !== "BeforeDeadline" || catalog === undefined) return []
      const event = catalog.decode({
        eventType: payload.value.eventType,
        schemaVersion: catalog.versionOf(payload.value.eventType),
        data: payload.value.data
      })
      return Result.isSuccess(event)
        ? [notify(directory, rule, catalog, event.success, payload.value.data, timer.eventId)]
        : []
    }
  })

  const digestRules = rules.rules.filter((rule): rule is DailyDigestRule => rule._tag === "DailyDigest")
  const digestItems = new Map(digestRules.flatMap((rule) => {
    const catalog = catalogOf(rule.opens.streamType)
    return catalog === undefined ? [] : [[rule.name, digestProjection(name, rule, catalog, options)] as const]
  }))

  const run = Effect.fnUntraced(function*(tenantId: string, runOptions: { readonly batchSize?: number | undefined } = {}) {
    const directory = yield* RecipientDirectory
    const reacted = yield* makeReactor(definition(directory)).run(tenantId, runOptions)
    for (const projection of digestItems.values()) yield* projection.catchUp(tenantId, runOptions)
    return reacted
  })

  const runDigests = Effect.fnUntraced(function*(tenantId: string) {
    const directory = yield* RecipientDirectory
    const runs: Array<DigestRun> = []
    for (const rule of digestRules) {
      const projection = digestItems.get(rule.name)
      const catalog = catalogOf(rule.opens.streamType)
      if (projection === undefined || catalog === undefined) continue
      yield* projection.catchUp(tenantId)
      runs.push(yield* queueDigest(directory, tenantId, rule, catalog, projection, name, context, options.actor))
    }
    return runs
  })

  return { name, options, run, runDigests }
}

/** The read model of a digest rule's open items: one per item key, removed when a closing event comes. */
const digestProjection = (
  reactorName: string,
  rule: DailyDigestRule,
  catalog: EventCatalog<TaggedEvent>,
  options: NotificationRulesOptions
): Projection<TaggedEvent, DigestItem> => {
  const slot = { timeZone: options.timeZone, locale: options.defaultLocale }
  // The key function sees only the event, so it is read once per event and kept for `apply`.
  const seen = new WeakMap<TaggedEvent, { readonly key: string; readonly item: DigestItem | null }>()
  const classify = (event: TaggedEvent): { readonly key: string; readonly item: DigestItem | null } | undefined => {
    const known = seen.get(event)
    if (known !== undefined) return known
    const json = catalog.encode(event).data
    let found: { readonly key: string; readonly item: DigestItem | null } | undefined
    if (event._tag === rule.opens.eventType && meetsFilter(json, rule.opens.where)) {
      const key = fillFieldTemplate(rule.key, json, slot)
      const due = readField(json, rule.due)
      if (key !== undefined && typeof due === "string") {
        found = { key, item: { key, streamType: rule.opens.streamType, eventType: event._tag, due, data: json } }
      }
    } else {
      const closing = rule.closes.find((c) => c.eventType === event._tag)
      const key = closing === undefined ? undefined : fillFieldTemplate(closing.key, json, slot)
      if (key !== undefined) found = { key, item: null }
    }
    if (found !== undefined) seen.set(event, found)
    return found
  }
  return makeProjection<TaggedEvent, DigestItem>({
    name: `${reactorName}.${rule.name}.items`,
    collection: `${reactorName}.${rule.name}.items`,
    documentName: "overdue digest item",
    events: [catalog],
    schema: DigestItem,
    key: (event) => classify(event)?.key ?? "(none)",
    apply: (view, event) => {
      const found = classify(event)
      if (found === undefined) return view
      return found.item ?? undefined
    },
    indexes: (item) => ({ due: item.due })
  })
}

const parseLocalTime = (at: string): { readonly hours: number; readonly minutes: number } => {
  const [hours, minutes] = at.split(":").map(Number)
  return { hours: hours ?? 0, minutes: minutes ?? 0 }
}

/**
 * The latest digest instant that has passed: today's local time in the
 * zone if it has come, else yesterday's; with the local date it is for.
 */
export const latestDigestInstant = (
  now: DateTime.Utc,
  at: string,
  timeZone: string
): { readonly date: string; readonly instant: DateTime.Utc } => {
  const { hours, minutes } = parseLocalTime(at)
  const zone = DateTime.zoneMakeNamedUnsafe(timeZone)
  const local = DateTime.setZone(now, zone)
  let candidate = DateTime.setParts(local, { hour: hours, minute: minutes, second: 0, millisecond: 0 })
  if (DateTime.toEpochMillis(candidate) > DateTime.toEpochMillis(now)) {
    candidate = DateTime.setParts(DateTime.subtract(local, { days: 1 }), { hour: hours, minute: minutes, second: 0, millisecond: 0 })
  }
  return { date: DateTime.formatIsoDate(candidate), instant: DateTime.toUtc(candidate) }
}

const queueDigest = Effect.fnUntraced(function*(
  directory: RecipientDirectory["Service"],
  tenantId: string,
  rule: DailyDigestRule,
  catalog: EventCatalog<TaggedEvent>,
  projection: Projection<TaggedEvent, DigestItem>,
  reactorName: string,
  context: DeliveryContext,
  actor: Actor | undefined
): Effect.fn.Return<DigestRun, HandlerError, NotificationRulesRequirements> {
  const now = yield* DateTime.now
  const { date, instant } = latestDigestInstant(now, rule.at, context.timeZone)
  const items = (yield* projection.all(tenantId, {
    range: { field: "due", to: DateTime.formatIso(instant) },
    orderBy: { field: "due", direction: "asc" }
  })).filter((item) => item.due < DateTime.formatIso(instant))

  // Each recipient of each item, grouped by contact: one digest per contact, listing their items.
  const byContact = new Map<string, { readonly resolved: ResolvedRecipient; readonly items: Array<{ readonly event: TaggedEvent }> }>()
  for (const item of items) {
    const event = catalog.decode({ eventType: item.eventType, schemaVersion: catalog.versionOf(item.eventType), data: item.data })
    if (Result.isFailure(event)) continue
    for (const resolved of yield* resolveRecipients(directory, tenantId, rule.recipients, item.data, context)) {
      const group = byContact.get(resolved.contact.id) ?? { resolved, items: [] }
      group.items.push({ event: event.success })
      byContact.set(resolved.contact.id, group)
    }
  }
  const cause = { tenantId, eventId: `${reactorName}/${rule.name}/${date}` }
  const planned = [...byContact.values()].flatMap(({ items: theirs, resolved }) =>
    planMessages(rule, [resolved], (recipient, locale) => {
      const lines = theirs.flatMap(({ event }) => {
        const line = fillFieldTemplate(rule.item, redact(catalog.schema, event, recipient.audience), { timeZone: context.timeZone, locale })
        return line === undefined ? [] : [line]
      })
      return lines.length === 0 ? undefined : { date, count: String(lines.length), items: lines }
    }, cause, context)
  )
  let queued = 0
  let alreadyQueued = 0
  for (const message of planned) {
    const id = `${cause.eventId}/${message.deliveryKey}`
    const single = queuePlanned(rule.name, () => Effect.succeed([message]), rule.maxAttempts)
    const result = yield* single.run({
      tenantId,
      actor: actor ?? { _tag: "System", id: reactorName },
      id: cause.eventId,
      correlationId: id,
      causationId: id
    })
    if (result._tag === "Done") queued++
    else alreadyQueued++
  }
  return { rule: rule.name, date, queued, alreadyQueued, overdueItems: items.length }
})
