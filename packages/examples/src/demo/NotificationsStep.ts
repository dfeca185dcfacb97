/**
 * The demo's notices: what the cases' events call for under Justice for
 * Neighbors' notification rules (written as data), queued by the rules
 * reactor, then delivered by the outbox dispatcher to a local SMTP server
 * and a local webhook receiver that this step starts itself on 127.0.0.1
 * and stops afterwards. Owners with no email on file get a mail-required
 * record for a clerk instead.
 *
 * The report's table is read back from what is stored (the queued
 * messages' records and the outbox's statuses), so a `--reuse` run, which
 * queues and sends nothing new, prints the same table.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Server as NetServer } from "node:net"
import { SMTPServer } from "smtp-server"
import { Effect, Redacted, Schema } from "effect"
import {
  type DirectoryEntries,
  EventStore,
  inMemoryRecipientDirectoryLayer,
  type Jurisdiction,
  makeDispatcher,
  mailRequiredTopic,
  type NotificationRules,
  type NotificationTemplates,
  notificationTopic,
  Outbox,
  QueuedNotification,
  renderNotification,
  validateNotificationRules
} from "@community-policing/core"
import {
  type JusticeForNeighborsProgram,
  justiceForNeighborsEventCatalogs,
  justiceForNeighborsNotificationRules,
  teamSeatsFor
} from "@community-policing/core/justice-for-neighbors"
import { EmailNotifier } from "@community-policing/adapter-email"
import { verifyWebhook, WebhookNotifier } from "@community-policing/adapter-webhook"
import type { ScriptedCase } from "./CaseScripts.ts"
import { at } from "./DemoClock.ts"
import type { Section } from "./Report.ts"
import { demoStaff } from "./TeamsStep.ts"

/** The subscription id of the demo's fictional neighborhood association, which gets a webhook for every new case. */
export const neighborhoodWebhook = "neighborhood-association"

/**
 * The demo's rules: Justice for Neighbors' preset (the owner told of every
 * notice served, the team of a new case, the assignee two days before a
 * deadline, the assignee and the supervisor of overdue items each morning)
 * plus one rule of the city's own, as data: a new case posted to the
 * neighborhood association's webhook. The association is a public
 * audience, so it never receives a personal field.
 */
export const demoNotificationRules = (jurisdiction: Jurisdiction): NotificationRules => {
  const seats = teamSeatsFor(jurisdiction.programs.justiceForNeighbors.teamSeats).map((seat) => seat.role)
  const [first, ...rest] = [...new Set(seats)]
  const preset = justiceForNeighborsNotificationRules({
    teamRoles: [first ?? "city-attorney", ...rest],
    assignee: "code-enforcement-officer",
    supervisor: "sergeant",
    leadDays: 2,
    digestAt: "07:30"
  })
  return {
    ...preset,
    rules: [
      ...preset.rules,
      {
        _tag: "OnEvent",
        name: "case-opened-neighborhood",
        description: "A new case, posted to the neighborhood association's webhook (a public audience).",
        on: { streamType: "nuisance-case", eventType: "CaseOpened" },
        recipients: [{ _tag: "WebhookSubscriber", subscriptionId: neighborhoodWebhook }],
        template: "case-opened",
        delivery: { channels: ["webhook"], whenUnreachable: "skip" },
        values: { caseId: "{caseId}", category: "{category}", district: "{councilDistrict}", property: "{addressKey}", receivedOn: "{receivedAt|date}" }
      }
    ]
  }
}

/** The demo's rules, checked against Justice for Neighbors' event catalogs. */
export const checkedDemoRules = (jurisdiction: Jurisdiction) =>
  validateNotificationRules(demoNotificationRules(jurisdiction), { catalogs: justiceForNeighborsEventCatalogs })

/**
 * Who the demo's notices reach, as a city's directory would answer: every
 * team member by a fictional city mailbox; the owner of every other case by
 * a fictional email (the rest have none on file, so their notices are
 * mailed); the association at the local webhook receiver.
 */
export const demoDirectory = (
  jurisdiction: Jurisdiction,
  scripts: ReadonlyArray<ScriptedCase>,
  webhookUrl: string
): DirectoryEntries => ({
  staff: demoStaff(jurisdiction).map((member) => ({
    contact: { id: member.staff.id, audience: "staff", contactPoints: [{ channel: "email", address: `${member.staff.id}@city.example` }] },
    roles: [...member.staff.roles],
    districts: [...member.staff.councilDistricts]
  })),
  people: Object.fromEntries(
    scripts.flatMap((script, index) =>
      index % 2 === 0
        ? [[`nuisance-case/${script.caseId}/owner`, {
          id: `owner-${script.caseId}`,
          audience: "staff" as const,
          // Every fourth owner asked for Spanish; the templates have it.
          ...(index % 4 === 0 ? { locale: "es" } : {}),
          contactPoints: [{ channel: "email", address: `owner-${script.caseId.toLowerCase()}@example.org` }]
        }]]
        : []
    )
  ),
  webhookSubscribers: {
    [neighborhoodWebhook]: { id: neighborhoodWebhook, audience: "public", contactPoints: [{ channel: "webhook", address: webhookUrl }] }
  }
})

/** What the local receivers got in this run. */
interface Received {
  readonly mail: Array<{ readonly to: ReadonlyArray<string> }>
  readonly webhook: Array<{ readonly verified: boolean }>
}

/** Listens on a free port of 127.0.0.1; gives the port. */
const listen = (server: Server | SMTPServer) =>
  Effect.callback<number>((resume) => {
    const net: NetServer = server instanceof SMTPServer ? server.server : server
    const onError = (error: Error) => resume(Effect.die(error))
    net.once("error", onError)
    net.listen(0, "127.0.0.1", () => {
      net.off("error", onError)
      resume(Effect.succeed((net.address() as AddressInfo).port))
    })
  })

const close = (server: Server | SMTPServer) =>
  Effect.callback<void>((resume) => {
    server.close(() => resume(Effect.void))
  })

/**
 * A local SMTP server and a webhook receiver on 127.0.0.1, stopped when the
 * scope closes. The receiver checks each post's signature with
 * `verifyWebhook`, at the demo clock's time (the notifier signs with the
 * effect `Clock`, which the demo holds still).
 */
const localReceivers = (secret: Redacted.Redacted<string>, nowMillis: number) =>
  Effect.gen(function*() {
    const received: Received = { mail: [], webhook: [] }
    const smtp = new SMTPServer({
      logger: false,
      disableReverseLookup: true,
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData: (stream, session, callback) => {
        stream.on("data", () => undefined)
        stream.on("end", () => {
          received.mail.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address) })
          callback(null, `queued as D${String(received.mail.length).padStart(5, "0")}`)
        })
      }
    })
    const webhook = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8")
        const verified = verifyWebhook(secret, request.headers, body, 300, new Date(nowMillis))._tag === "Verified"
        received.webhook.push({ verified })
        response.writeHead(verified ? 200 : 401, { "content-type": "application/json" })
        response.end(JSON.stringify({ id: `W${String(received.webhook.length).padStart(5, "0")}` }))
      })
    })
    const smtpPort = yield* Effect.acquireRelease(listen(smtp), () => close(smtp))
    const webhookPort = yield* Effect.acquireRelease(listen(webhook), () => close(webhook))
    return { received, smtpPort, webhookUrl: `http://127.0.0.1:${webhookPort}/community-policing` }
  })

/** One row of the report's table: the messages a rule queued on a channel in a language, and where they stand. */
export interface NoticeRow {
  readonly rule: string
  readonly channel: string
  readonly locale: string
  readonly queued: number
  readonly delivered: number
  readonly dead: number
  readonly waiting: number
}

/** What the step did and what is stored. */
export interface NoticesSent {
  readonly rows: ReadonlyArray<NoticeRow>
  /** Notices for owners with no email on file, recorded for a clerk to mail. */
  readonly mailRequired: number
  /** Received by the local SMTP server in this run. */
  readonly emailsReceived: number
  /** Received by the local webhook receiver in this run, and how many carried a valid signature. */
  readonly webhooksReceived: number
  readonly webhooksVerified: number
  /** The report's section. */
  readonly section: Section
}

const ReactionMessageQueued = Schema.Struct({ messageId: Schema.String, topic: Schema.String })
const decodeQueuedRecord = Schema.decodeUnknownOption(ReactionMessageQueued)
const decodeQueued = Schema.decodeUnknownSync(QueuedNotification)

/** The notification messages queued for the tenant so far (from their records in the event store), with their outbox status. */
const storedNotices = (tenantId: string) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const outbox = yield* Outbox
    const rows = new Map<string, { -readonly [K in keyof NoticeRow]: NoticeRow[K] }>()
    let mailRequired = 0
    let after = 0
    while (true) {
      const page = yield* events.readAll({ tenantId, after, limit: 1_000 })
      if (page.length === 0) break
      after = page.at(-1)!.globalPosition
      for (const event of page) {
        if (event.eventType !== "ReactionMessageQueued") continue
        const record = decodeQueuedRecord(event.data)
        if (record._tag === "None") continue
        if (record.value.topic === mailRequiredTopic) mailRequired += 1
        if (record.value.topic !== notificationTopic) continue
        const message = yield* outbox.get(tenantId, record.value.messageId)
        if (message._tag === "None") continue
        const payload = decodeQueued(message.value.payload)
        const key = `${payload.rule}\u0000${payload.channel}\u0000${payload.locale}`
        const row = rows.get(key) ?? { rule: payload.rule, channel: payload.channel, locale: payload.locale, queued: 0, delivered: 0, dead: 0, waiting: 0 }
        row.queued += 1
        if (message.value.status === "delivered") row.delivered += 1
        else if (message.value.status === "dead") row.dead += 1
        else row.waiting += 1
        rows.set(key, row)
      }
    }
    const sorted = [...rows.values()].sort((a, b) =>
      a.rule.localeCompare(b.rule) || a.channel.localeCompare(b.channel) || a.locale.localeCompare(b.locale)
    )
    return { rows: sorted, mailRequired }
  })

/**
 * Runs the notification rules over the cases' events at `asOfMillis`
 * (event rules, deadline timers the clock has passed, the day's overdue
 * digests), then delivers every queued notice through the dispatcher to
 * the local receivers, and reads back what was queued and sent.
 */
export const sendNotices = (options: {
  readonly tenantId: string
  readonly jurisdiction: Jurisdiction
  readonly program: JusticeForNeighborsProgram
  readonly templates: NotificationTemplates
  readonly scripts: ReadonlyArray<ScriptedCase>
  readonly asOfMillis: number
  readonly output: { readonly write: (text: string) => void }
}) =>
  Effect.scoped(Effect.gen(function*() {
    const { tenantId, jurisdiction, program, output } = options
    const notifications = program.reactors.notifications
    if (notifications === undefined) return yield* Effect.die(new Error("the demo's program was built without notifications"))
    const secret = Redacted.make("demo-webhook-secret, shared with the local receiver only")
    const receivers = yield* localReceivers(secret, options.asOfMillis)
    const directory = inMemoryRecipientDirectoryLayer({ [tenantId]: demoDirectory(jurisdiction, options.scripts, receivers.webhookUrl) })

    yield* at(options.asOfMillis)(Effect.gen(function*() {
      yield* notifications.run(tenantId)
      yield* notifications.runDigests(tenantId)
    })).pipe(Effect.provide(directory))

    const email = yield* EmailNotifier.make({
      host: "127.0.0.1",
      port: receivers.smtpPort,
      // Loopback only: the local server offers no TLS.
      requireTLS: false,
      from: "Justice for Neighbors (demo) <justice-for-neighbors@city.example>"
    })
    const webhook = yield* WebhookNotifier.make({ secret })
    const dispatcher = yield* makeDispatcher({
      render: renderNotification(options.templates),
      notifiers: new Map([["email", email], ["webhook", webhook]]),
      tenantId
    })
    const counts = yield* at(options.asOfMillis)(dispatcher.drain)
    const stored = yield* storedNotices(tenantId)

    const verified = receivers.received.webhook.filter((request) => request.verified).length
    output.write(
      `  the rules queued ${stored.rows.reduce((sum, row) => sum + row.queued, 0)} notices in all; ` +
        `this run delivered ${counts.delivered} (${counts.dead} dead-lettered, ${counts.retried} to retry)\n` +
        `  the local SMTP server on 127.0.0.1:${receivers.smtpPort} received ${receivers.received.mail.length} emails; ` +
        `the webhook receiver ${receivers.received.webhook.length} posts, ${verified} with a valid signature\n` +
        `  ${stored.mailRequired} notices to owners with no email on file are recorded for mailing (topic ${mailRequiredTopic})\n`
    )
    const section: Section = {
      heading: "Notices sent by the notification rules (written as data)",
      table: {
        columns: ["rule", "channel", "language", "queued", "delivered", "dead", "waiting"],
        rows: [
          ...stored.rows.map((row) => [row.rule, row.channel, row.locale, row.queued, row.delivered, row.dead, row.waiting]),
          ["mail required (no email on file)", "mail", "", stored.mailRequired, 0, 0, stored.mailRequired]
        ]
      }
    }
    return {
      rows: stored.rows,
      mailRequired: stored.mailRequired,
      emailsReceived: receivers.received.mail.length,
      webhooksReceived: receivers.received.webhook.length,
      webhooksVerified: verified,
      section
    } satisfies NoticesSent
  }))

