/**
 * Justice for Neighbors' notices sent by rules written as data: real
 * nuisance cases driven through `handleCommand` on the memory store (and
 * one on a SQLite file), the program's notifications reactor run as the
 * `TestClock` moves, and the outbox read back: which messages were
 * queued, to whom, in which language, with which values and idempotency
 * keys; and a replay that queues nothing new.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import {
  type Contact,
  DirectoryUnavailable,
  EventStore,
  handleCommand,
  inMemoryRecipientDirectoryLayer,
  MailRequired,
  mailRequiredTopic,
  notificationIdempotencyKey,
  notificationTopic,
  Outbox,
  QueuedNotification,
  ReadModelStore,
  RecipientDirectory,
  renderNotification,
  sacramento,
  sacramentoLanguageAccess,
  validateNotificationRules
} from "@community-policing/core"
import {
  justiceForNeighbors,
  justiceForNeighborsEventCatalogs,
  justiceForNeighborsNotificationRules,
  justiceForNeighborsNotifications,
  nuisanceCaseEvents,
  nuisanceCaseStreamId
} from "@community-policing/core/justice-for-neighbors"
import { MemoryStore } from "@community-policing/adapter-memory"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { caseId, type Step, standardStoryline, upTo } from "./NuisanceCaseFixtures.ts"

const tenantId = "sacramento"
const rules = Result.getOrThrow(validateNotificationRules(
  justiceForNeighborsNotificationRules({
    teamRoles: ["city-attorney", "sergeant", "code-enforcement-officer"],
    assignee: "code-enforcement-officer",
    supervisor: "sergeant",
    leadDays: 2,
    digestAt: "07:30"
  }),
  { catalogs: justiceForNeighborsEventCatalogs }
))
const templates = Result.getOrThrow(justiceForNeighborsNotifications(sacramentoLanguageAccess))
const program = justiceForNeighbors(sacramento, { notifications: { rules, templates } })
const notifications = program.reactors.notifications!

const email = (address: string, locale?: string): Contact["contactPoints"][number] =>
  locale === undefined ? { channel: "email", address } : { channel: "email", address, locale }
const staffContact = (id: string, address: string): Contact => ({ id, audience: "staff", contactPoints: [email(address)] })
const owner: Contact = { id: "owner-2315-10th", audience: "staff", locale: "es", contactPoints: [email("owner@example.org")] }

const Directory = inMemoryRecipientDirectoryLayer({
  [tenantId]: {
    people: { [`nuisance-case/${caseId}/owner`]: owner },
    staff: [
      { contact: staffContact("ceo-3", "ceo3@city.example"), roles: ["code-enforcement-officer"], districts: ["3"] },
      { contact: staffContact("sgt-3", "sgt3@city.example"), roles: ["sergeant"], districts: ["3"] },
      { contact: staffContact("ceo-5", "ceo5@city.example"), roles: ["code-enforcement-officer"], districts: ["5"] },
      { contact: staffContact("atty", "attorney@city.example"), roles: ["city-attorney"], districts: [] }
    ]
  }
})

const decodeQueued = Schema.decodeUnknownSync(QueuedNotification)
const decodeMailRequired = Schema.decodeUnknownSync(MailRequired)
const addressHash = (address: string) => createHash("sha256").update(address).digest("hex").slice(0, 16)

const runSteps = (steps: ReadonlyArray<Step>, prefix = "cmd") =>
  Effect.gen(function*() {
    for (const step of steps) {
      yield* TestClock.setTime(DateTime.toEpochMillis(step.now))
      yield* handleCommand(program.aggregates.nuisanceCase, { tenantId, commandId: `${prefix}-${step.name}`, actor: step.actor, command: step.command })
    }
  })

/** Claims every deliverable message of a topic (a long lease, so a second claim returns only messages queued since). */
const claimAll = (topic: string) =>
  Effect.gen(function*() {
    const claimed = yield* (yield* Outbox).claim({ tenantId, topic, limit: 1_000, leaseMillis: 10 * 365 * 86_400_000 })
    return claimed.map((c) => c.message)
  })

const storedEvents = (id: string) =>
  Effect.gen(function*() {
    const stored = yield* (yield* EventStore).readStream(tenantId, nuisanceCaseStreamId(id))
    return stored.map((event) => ({ stored: event, event: Result.getOrThrow(nuisanceCaseEvents.decode(event)) }))
  })

const resetCheckpoint = Effect.gen(function*() {
  const readModels = yield* ReadModelStore
  const expectedCheckpoint = yield* readModels.checkpoint(tenantId, notifications.name)
  yield* readModels.commit(tenantId, { projection: notifications.name, expectedCheckpoint, checkpoint: 0, upserts: [], deletes: [] })
})

const Memory = Layer.mergeAll(MemoryStore.layer(), program.policy, Directory)

describe("Justice for Neighbors notifications, by rules written as data", () => {
  it.effect("a whole case: the team told of the new case, the owner of every notice served on them in Spanish, the lien notice with its amount; a replay queues nothing new", () =>
    Effect.gen(function*() {
      yield* runSteps(standardStoryline())
      const run = yield* notifications.run(tenantId)
      assert.deepStrictEqual(run.refused, [])
      const messages = (yield* claimAll(notificationTopic)).map((message) => ({ id: message.id, payload: decodeQueued(message.payload) }))
      const events = yield* storedEvents(caseId)

      // Case opened: each role of the district team in district 3, and the citywide attorney; not district 5's officer.
      const opened = messages.filter((m) => m.payload.rule === "case-opened")
      assert.deepStrictEqual(opened.map((m) => m.payload.address).sort(), ["attorney@city.example", "ceo3@city.example", "sgt3@city.example"])
      const openedEvent = events.find((e) => e.event._tag === "CaseOpened")!
      for (const message of opened) {
        assert.strictEqual(message.payload.locale, "en")
        assert.strictEqual(message.payload.templateId, "case-opened")
        assert.deepStrictEqual(message.payload.values, {
          caseId,
          category: "blight",
          district: "3",
          property: "2315 10TH AVE",
          receivedOn: "March 2, 2026"
        })
        assert.strictEqual(message.payload.recipient._tag, "Role")
      }
      const toCeo = opened.find((m) => m.payload.address === "ceo3@city.example")!
      assert.strictEqual(
        toCeo.payload.idempotencyKey,
        notificationIdempotencyKey({ tenantId, eventId: openedEvent.stored.eventId }, `case-opened/ceo-3/email/${addressHash("ceo3@city.example")}`)
      )

      // Every notice served on the owner but the lien notice: one email each, in the owner's language.
      const servedOnOwner = events.filter((e) =>
        e.event._tag === "DocumentServed" && e.event.document.personServed.capacity === "owner" && e.event.document.kind !== "lien-notice"
      )
      assert.isAtLeast(servedOnOwner.length, 5)
      const served = messages.filter((m) => m.payload.rule === "notice-served")
      assert.strictEqual(served.length, servedOnOwner.length)
      for (const { event, stored } of servedOnOwner) {
        if (event._tag !== "DocumentServed") continue
        const key = notificationIdempotencyKey({ tenantId, eventId: stored.eventId }, `notice-served/${owner.id}/email/${addressHash("owner@example.org")}`)
        const message = served.find((m) => m.payload.idempotencyKey === key)
        assert.isDefined(message, `a message for the ${event.document.kind}`)
        assert.deepInclude(message!.payload, { address: "owner@example.org", channel: "email", locale: "es", audience: "staff" })
        assert.deepStrictEqual(message!.payload.recipient, { _tag: "Person", personId: `nuisance-case/${caseId}/owner` })
        assert.strictEqual(message!.payload.values["noticeKind"], event.document.kind)
        assert.strictEqual(message!.payload.values["ownerName"], "R. Owner")
      }
      const nov = served.find((m) => m.payload.values["noticeKind"] === "notice-of-violation")!
      assert.strictEqual(nov.payload.values["servedOn"], "4 de marzo de 2026")

      // The lien notice (Gov. Code 38773.1): its own rule, with the amount.
      const lien = messages.filter((m) => m.payload.rule === "lien-notice-served")
      assert.strictEqual(lien.length, 1)
      assert.match(String(lien[0]!.payload.values["amount"]), /^\$[\d,]+\.\d\d$/)
      assert.strictEqual(lien[0]!.payload.locale, "es")

      // Every message renders, in Spanish for the owner.
      const render = renderNotification(templates)
      const rendered = yield* render((yield* (yield* Outbox).get(tenantId, nov.id)).pipe((o) => o._tag === "Some" ? o.value : assert.fail("stored")))
      assert.strictEqual(rendered.subject, `Caso ${caseId}: se le entregó un aviso`)
      assert.include(rendered.text, "Estimado/a R. Owner")
      assert.strictEqual(rendered.metadata["language"], "es")

      // Deadline near: only for deadlines still running at the end whose reminder time has come, to the assignee.
      const now = yield* DateTime.now
      const deadlines = new Map<string, DateTime.Utc | undefined>()
      for (const { event } of events) {
        if (event._tag === "DeadlineSet") deadlines.set(event.deadline.purpose, event.deadline.due)
        if (event._tag === "DeadlineClosed") deadlines.set(event.purpose, undefined)
      }
      const reminded = [...deadlines].flatMap(([purpose, due]) =>
        due !== undefined && DateTime.toEpochMillis(DateTime.subtract(due, { days: 2 })) <= DateTime.toEpochMillis(now) ? [purpose] : []
      )
      const near = messages.filter((m) => m.payload.rule === "deadline-near")
      assert.deepStrictEqual(near.map((m) => m.payload.values["purpose"]).sort(), reminded.sort())
      assert.isTrue(near.every((m) => m.payload.address === "ceo3@city.example"))
      assert.isAbove([...deadlines.values()].filter((due) => due === undefined).length, 0, "the case closed deadlines before their reminders")

      // One message per delivery, each with its own id; a replay from the start queues nothing.
      assert.strictEqual(new Set(messages.map((m) => m.id)).size, messages.length)
      yield* resetCheckpoint
      const replay = yield* notifications.run(tenantId)
      assert.strictEqual(replay.done, 0)
      assert.isAbove(replay.alreadyDone, 0)
      assert.deepStrictEqual(yield* claimAll(notificationTopic), [])
    }).pipe(Effect.provide(Memory)))

  it.effect("a deadline near goes to the assignee two days before it is due; overdue deadlines go to the assignee and the supervisor in one daily digest", () =>
    Effect.gen(function*() {
      yield* runSteps(upTo(standardStoryline(), "notice-of-violation"))
      yield* notifications.run(tenantId)
      yield* claimAll(notificationTopic)
      const events = yield* storedEvents(caseId)
      const closed = new Set(events.flatMap((e) => (e.event._tag === "DeadlineClosed" ? [e.event.purpose] : [])))
      const running = events.flatMap((e) =>
        e.event._tag === "DeadlineSet" && !closed.has(e.event.deadline.purpose) ? [e.event.deadline] : []
      )
      assert.isAbove(running.length, 0)
      const first = running.sort((a, b) => DateTime.toEpochMillis(a.due) - DateTime.toEpochMillis(b.due))[0]!
      const remindAt = DateTime.toEpochMillis(DateTime.subtract(first.due, { days: 2 }))

      yield* TestClock.setTime(remindAt - 1)
      assert.strictEqual((yield* notifications.run(tenantId)).timersFired, 0)
      yield* TestClock.setTime(remindAt)
      const fired = yield* notifications.run(tenantId)
      assert.isAtLeast(fired.timersFired, 1)
      const near = (yield* claimAll(notificationTopic)).map((m) => decodeQueued(m.payload))
      const forFirst = near.filter((m) => m.values["purpose"] === first.purpose)
      assert.deepStrictEqual(forFirst.map((m) => m.address), ["ceo3@city.example"])
      assert.deepInclude(forFirst[0]!, { rule: "deadline-near", templateId: "deadline-near", locale: "en" })
      assert.deepInclude(forFirst[0]!.values, { caseId, rule: first.rule })
      assert.strictEqual((yield* notifications.run(tenantId)).done, 0)

      // The day after it is due, at 07:30 Pacific: one digest each for the assignee and the supervisor.
      const dueLocal = DateTime.setZone(first.due, DateTime.zoneMakeNamedUnsafe(sacramento.timeZone))
      const nextMorning = DateTime.setParts(DateTime.add(dueLocal, { days: 1 }), { hour: 7, minute: 30, second: 0, millisecond: 0 })
      yield* TestClock.setTime(DateTime.toEpochMillis(nextMorning) - 60_000)
      const before = yield* notifications.runDigests(tenantId)
      yield* claimAll(notificationTopic)
      yield* TestClock.setTime(DateTime.toEpochMillis(nextMorning))
      const digests = yield* notifications.runDigests(tenantId)
      assert.strictEqual(digests.length, 1)
      assert.strictEqual(digests[0]!.date, DateTime.formatIsoDate(nextMorning))
      assert.notStrictEqual(before[0]!.date, digests[0]!.date)
      assert.strictEqual(digests[0]!.queued, 2)
      const sent = (yield* claimAll(notificationTopic)).map((m) => decodeQueued(m.payload))
      assert.deepStrictEqual(sent.map((m) => m.address).sort(), ["ceo3@city.example", "sgt3@city.example"])
      for (const digest of sent) {
        assert.strictEqual(digest.rule, "overdue-digest")
        const items = digest.values["items"] as ReadonlyArray<string>
        assert.isTrue(items.some((line) => line.startsWith(`Case ${caseId} (district 3): ${first.purpose}, due `)), JSON.stringify(items))
        assert.strictEqual(digest.values["count"], String(items.length))
        assert.strictEqual(digest.values["date"], digests[0]!.date)
      }
      const again = yield* notifications.runDigests(tenantId)
      assert.deepInclude(again[0]!, { queued: 0, alreadyQueued: 2 })
      assert.deepStrictEqual(yield* claimAll(notificationTopic), [])
    }).pipe(Effect.provide(Memory)))

  it.effect("an owner with no email on file: the served notice is recorded as mail required, and nothing is emailed to them", () =>
    Effect.gen(function*() {
      const other = "2026-000124"
      yield* runSteps(upTo(standardStoryline(other), "notice-of-violation"), "other")
      yield* notifications.run(tenantId)
      const toOwner = (yield* claimAll(notificationTopic)).map((m) => decodeQueued(m.payload)).filter((m) => m.recipient._tag === "Person")
      assert.deepStrictEqual(toOwner, [])
      const mail = (yield* claimAll(mailRequiredTopic)).map((m) => decodeMailRequired(m.payload))
      assert.strictEqual(mail.length, 1)
      assert.deepInclude(mail[0]!, { rule: "notice-served", templateId: "notice-served", reason: "no contact on file", locale: "en" })
      assert.deepStrictEqual(mail[0]!.recipient, { _tag: "Person", personId: `nuisance-case/${other}/owner` })
      assert.strictEqual(mail[0]!.values["noticeKind"], "notice-of-violation")
      yield* resetCheckpoint
      yield* notifications.run(tenantId)
      assert.deepStrictEqual(yield* claimAll(mailRequiredTopic), [])
    }).pipe(Effect.provide(Memory)))

  it.effect("a directory that fails stops the run with a retryable failure and queues nothing; the next run queues the messages", () =>
    Effect.gen(function*() {
      yield* runSteps(upTo(standardStoryline(), "open"))
      const down = Layer.succeed(RecipientDirectory, {
        person: () => Effect.fail(new DirectoryUnavailable({ reason: "directory offline" })),
        role: () => Effect.fail(new DirectoryUnavailable({ reason: "directory offline" })),
        list: () => Effect.fail(new DirectoryUnavailable({ reason: "directory offline" })),
        webhookSubscriber: () => Effect.fail(new DirectoryUnavailable({ reason: "directory offline" }))
      })
      const failed = yield* Effect.flip(notifications.run(tenantId).pipe(Effect.provide(down)))
      assert.strictEqual(failed._tag, "StorageFailure")
      assert.deepInclude(failed, { operation: "RecipientDirectory.role", message: "directory offline", retryable: true })
      assert.deepStrictEqual(yield* claimAll(notificationTopic), [])
      yield* notifications.run(tenantId)
      const queued = (yield* claimAll(notificationTopic)).map((m) => decodeQueued(m.payload))
      assert.strictEqual(queued.filter((m) => m.rule === "case-opened").length, 3)
    }).pipe(Effect.provide(Memory)))

  it.effect("on a SQLite file: the same messages are queued, and a replay queues nothing new", () =>
    Effect.gen(function*() {
      yield* runSteps(upTo(standardStoryline(), "notice-of-violation"))
      yield* notifications.run(tenantId)
      const messages = (yield* claimAll(notificationTopic)).map((m) => decodeQueued(m.payload))
      assert.deepStrictEqual(messages.map((m) => `${m.rule} ${m.address} ${m.locale}`).sort(), [
        "case-opened attorney@city.example en",
        "case-opened ceo3@city.example en",
        "case-opened sgt3@city.example en",
        "notice-served owner@example.org es"
      ])
      yield* resetCheckpoint
      assert.strictEqual((yield* notifications.run(tenantId)).done, 0)
      assert.deepStrictEqual(yield* claimAll(notificationTopic), [])
    }).pipe(
      Effect.provide(Layer.mergeAll(
        SqliteStore.layer({ filename: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "notification-rules-")), "store.db") }),
        program.policy,
        Directory
      ))
    ))
})
