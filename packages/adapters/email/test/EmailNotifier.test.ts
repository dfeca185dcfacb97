/**
 * The email notifier against a real SMTP server on loopback (the testkit's
 * smtpReceiver, over the `smtp-server` package): the message as the server
 * received it, parsed with mailparser, and how every kind of answer maps
 * onto the Notifier contract.
 */
import { readFileSync } from "node:fs"
import { Notifier, type RenderedMessage } from "@community-policing/core"
import { type SmtpReceiver, type SmtpReceiverOptions, smtpReceiver } from "@community-policing/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"
import { simpleParser } from "mailparser"
import { EmailNotifier, type EmailNotifierOptions, messageIdFor } from "../src/index.ts"

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")
/** A self-signed certificate for 127.0.0.1, for tests only (see fixtures/README.md). */
const testTls = { key: fixture("smtp-test-key.pem"), cert: fixture("smtp-test-cert.pem") }

const from = "City of Sacramento <notices@cityofsacramento.example>"

const message = (overrides: Partial<RenderedMessage> = {}): RenderedMessage => ({
  channel: "email",
  address: "owner@example.test",
  subject: "Aviso de infracción: 4079 L St — propietario Zoë Nguyễn",
  text: "Se le notificó una infracción el 14 de diciembre. Plazo: 20 días. 你好",
  html: "<p>Se le notificó una infracción el <b>14 de diciembre</b>. Zoë Nguyễn</p>",
  idempotencyKey: "sacramento:evt-81:notice-served",
  metadata: { tenantId: "sacramento" },
  ...overrides
})

const deliverTo = (server: SmtpReceiver, msg: RenderedMessage, options: Partial<EmailNotifierOptions> = {}) =>
  Effect.gen(function*() {
    const notifier = yield* EmailNotifier.make({ host: server.host, port: server.port, from, timeoutMillis: 5_000, ...options })
    return yield* notifier.deliver(msg)
  })

const withServer = <A, E>(options: SmtpReceiverOptions, body: (server: SmtpReceiver) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.flatMap(smtpReceiver(options), body))

const reasonOf = (outcome: { readonly _tag: string }): string => ("reason" in outcome && typeof outcome.reason === "string" ? outcome.reason : "")

describe("EmailNotifier delivering to a real SMTP server", () => {
  it.live("sends the message as received: envelope, headers, both parts, the idempotency key, non-ASCII subject and body", () =>
    withServer({}, (server) =>
      Effect.gen(function*() {
        const outcome = yield* deliverTo(server, message())
        const [received] = yield* server.mail
        assert.isDefined(received)
        assert.deepStrictEqual(outcome, { _tag: "Delivered", receiverId: received!.queueId! })
        assert.strictEqual(received!.mailFrom, "notices@cityofsacramento.example")
        assert.deepStrictEqual(received!.rcptTo, ["owner@example.test"])
        assert.strictEqual(received!.idempotencyKey, "sacramento:evt-81:notice-served")
        const parsed = yield* Effect.promise(() => simpleParser(received!.source))
        assert.strictEqual(parsed.subject, "Aviso de infracción: 4079 L St — propietario Zoë Nguyễn")
        assert.strictEqual(parsed.text?.trim(), "Se le notificó una infracción el 14 de diciembre. Plazo: 20 días. 你好")
        assert.strictEqual(parsed.html, "<p>Se le notificó una infracción el <b>14 de diciembre</b>. Zoë Nguyễn</p>")
        assert.strictEqual(parsed.messageId, messageIdFor("sacramento:evt-81:notice-served", "cityofsacramento.example"))
        assert.strictEqual(parsed.headers.get("idempotency-key"), "sacramento:evt-81:notice-served")
        assert.deepStrictEqual(parsed.from?.value, [{ address: "notices@cityofsacramento.example", name: "City of Sacramento" }])
        assert.strictEqual(parsed.to !== undefined && !Array.isArray(parsed.to) ? parsed.to.text : "", "owner@example.test")
        assert.match(String(parsed.headers.get("content-type") && (parsed.headers.get("content-type") as { value: string }).value), /^multipart\/alternative$/)
      })))

  it.live("sends a text part alone when the message has no HTML", () =>
    withServer({}, (server) =>
      Effect.gen(function*() {
        const { html: _html, ...plain } = message()
        assert.strictEqual((yield* deliverTo(server, plain))._tag, "Delivered")
        const parsed = yield* Effect.promise(async () => simpleParser((await Effect.runPromise(server.mail))[0]!.source))
        assert.strictEqual(parsed.html, false)
        assert.strictEqual((parsed.headers.get("content-type") as { value: string }).value, "text/plain")
        assert.strictEqual(parsed.text?.trim(), plain.text)
      })))

  it.live("gives a redelivery the same Message-ID and Idempotency-Key, another message its own", () =>
    withServer({}, (server) =>
      Effect.gen(function*() {
        const first = message()
        const second = message({ idempotencyKey: "sacramento:evt-82:notice-served" })
        for (const msg of [first, second, first]) assert.strictEqual((yield* deliverTo(server, msg))._tag, "Delivered")
        const mail = yield* server.mail
        assert.deepStrictEqual(mail.map((received) => received.idempotencyKey), [first.idempotencyKey, second.idempotencyKey, first.idempotencyKey])
        assert.strictEqual(mail[0]!.messageId, mail[2]!.messageId)
        assert.notStrictEqual(mail[0]!.messageId, mail[1]!.messageId)
        assert.strictEqual(new Set(mail.map((received) => received.queueId)).size, 3)
      })))

  it.live("retries a 4xx reply and gives up for good on a 5xx", () =>
    Effect.gen(function*() {
      for (const code of [421, 450, 451, 452]) {
        const outcome = yield* withServer({ behaviour: "refuseTemporarily", refuseTemporarily: code }, (server) => deliverTo(server, message()))
        assert.strictEqual(outcome._tag, "RetryableFailure", `SMTP ${code}`)
        assert.include(reasonOf(outcome), `SMTP ${code}`)
      }
      for (const code of [550, 552, 553, 554]) {
        const outcome = yield* withServer({ behaviour: "refusePermanently", refusePermanently: code }, (server) => deliverTo(server, message()))
        assert.strictEqual(outcome._tag, "PermanentFailure", `SMTP ${code}`)
        assert.include(reasonOf(outcome), `SMTP ${code}`)
      }
    }))

  it.live("retries a recipient refused for now and gives up on one refused for good, at RCPT TO", () =>
    withServer({ refuseRecipient: (address) => ({ "full@example.test": 452, "gone@example.test": 550 } as Record<string, number>)[address] }, (server) =>
      Effect.gen(function*() {
        const full = yield* deliverTo(server, message({ address: "full@example.test" }))
        assert.strictEqual(full._tag, "RetryableFailure")
        assert.include(reasonOf(full), "SMTP 452")
        const gone = yield* deliverTo(server, message({ address: "gone@example.test" }))
        assert.strictEqual(gone._tag, "PermanentFailure")
        assert.include(reasonOf(gone), "SMTP 550")
        assert.strictEqual((yield* deliverTo(server, message()))._tag, "Delivered")
        assert.deepStrictEqual((yield* server.mail).map((received) => received.rcptTo), [["owner@example.test"]])
      })))

  it.live("reports a server that never answers the message as retryable once the timeout passes", () =>
    withServer({ behaviour: "hang" }, (server) =>
      Effect.gen(function*() {
        const outcome = yield* deliverTo(server, message(), { timeoutMillis: 400 })
        assert.deepStrictEqual(outcome, { _tag: "RetryableFailure", reason: "no answer within 400 ms" })
        assert.deepStrictEqual((yield* server.mail).map((received) => received.answer), ["hung"])
      })))

  it.live("reports a dropped connection and an unreachable server as retryable", () =>
    Effect.gen(function*() {
      const dropped = yield* withServer({ behaviour: "hangUp" }, (server) => deliverTo(server, message()))
      assert.strictEqual(dropped._tag, "RetryableFailure")
      // A port that was just closed: nothing listens there.
      const closed = yield* Effect.scoped(Effect.map(smtpReceiver(), (server) => server))
      const unreachable = yield* deliverTo(closed, message())
      assert.strictEqual(unreachable._tag, "RetryableFailure")
      assert.include(reasonOf(unreachable), "could not deliver to the SMTP server")
    }))

  it.live("upgrades to TLS with STARTTLS when the server offers it, trusting the configured CA", () =>
    withServer({ tls: testTls }, (server) =>
      Effect.gen(function*() {
        const outcome = yield* deliverTo(server, message(), { tls: { ca: testTls.cert }, requireTLS: true })
        assert.strictEqual(outcome._tag, "Delivered")
        assert.deepStrictEqual((yield* server.mail).map((received) => received.secure), [true])
      })))

  it.live("sends nothing when the server's certificate does not verify: no fallback to clear text", () =>
    withServer({ tls: testTls }, (server) =>
      Effect.gen(function*() {
        const outcome = yield* deliverTo(server, message())
        assert.strictEqual(outcome._tag, "RetryableFailure")
        assert.include(reasonOf(outcome), "no TLS session")
        assert.deepStrictEqual(yield* server.mail, [])
      })))

  it.live("with requireTLS, sends nothing to a server that offers no STARTTLS", () =>
    withServer({}, (server) =>
      Effect.gen(function*() {
        const outcome = yield* deliverTo(server, message(), { requireTLS: true })
        assert.strictEqual(outcome._tag, "RetryableFailure")
        assert.include(reasonOf(outcome), "no TLS session")
        assert.deepStrictEqual(yield* server.mail, [])
        // Without requireTLS the same server gets the message in clear.
        assert.strictEqual((yield* deliverTo(server, message()))._tag, "Delivered")
        assert.deepStrictEqual((yield* server.mail).map((received) => received.secure), [false])
      })))

  it.live("logs in with the configured credentials; a refused login is retryable", () =>
    withServer({ auth: { user: "notices", pass: "s3cret" } }, (server) =>
      Effect.gen(function*() {
        const good = yield* deliverTo(server, message(), { auth: { user: "notices", pass: Redacted.make("s3cret") } })
        assert.strictEqual(good._tag, "Delivered")
        assert.deepStrictEqual((yield* server.mail).map((received) => received.user), ["notices"])
        const bad = yield* deliverTo(server, message(), { auth: { user: "notices", pass: Redacted.make("wrong") } })
        assert.strictEqual(bad._tag, "RetryableFailure")
        assert.include(reasonOf(bad), "login refused: SMTP 535")
        assert.notInclude(reasonOf(bad), "wrong")
        assert.lengthOf(yield* server.mail, 1)
      })))

  it.live("refuses, without connecting, another channel and an address that is not one mailbox", () =>
    withServer({}, (server) =>
      Effect.gen(function*() {
        assert.strictEqual((yield* deliverTo(server, message({ channel: "sms" })))._tag, "PermanentFailure")
        for (const address of ["owner@example.test, second@example.test", "Owner <owner@example.test>", "no-at-sign", "owner@example.test\r\nBcc: x@example.test", "@example.test", "owner@"]) {
          const outcome = yield* deliverTo(server, message({ address }))
          assert.strictEqual(outcome._tag, "PermanentFailure", address)
        }
        assert.strictEqual((yield* deliverTo(server, message({ idempotencyKey: "key\r\nBcc: x@example.test" })))._tag, "PermanentFailure")
        assert.strictEqual(yield* server.connections, 0)
      })))

  it.live("sends to a mailbox with a non-ASCII local part and domain", () =>
    withServer({}, (server) =>
      Effect.gen(function*() {
        assert.strictEqual((yield* deliverTo(server, message({ address: "zoë@münchen.example" })))._tag, "Delivered")
        const [received] = yield* server.mail
        assert.strictEqual(received!.rcptTo.length, 1)
      })))

  it.live("provides the Notifier port from layer and layerConfig", () =>
    withServer({ auth: { user: "notices", pass: "s3cret" } }, (server) =>
      Effect.gen(function*() {
        const viaPort = Effect.gen(function*() {
          const notifier = yield* Notifier
          return yield* notifier.deliver(message())
        })
        const direct = EmailNotifier.layer({ host: server.host, port: server.port, from, auth: { user: "notices", pass: Redacted.make("s3cret") } })
        assert.strictEqual((yield* Effect.provide(viaPort, direct))._tag, "Delivered")
        const configured = EmailNotifier.layerConfig({
          host: Config.String("SMTP_HOST"),
          port: Config.Int("SMTP_PORT"),
          requireTLS: Config.Boolean("SMTP_REQUIRE_TLS"),
          auth: { user: Config.String("SMTP_USER"), pass: Config.Redacted("SMTP_PASSWORD") },
          from: Config.String("NOTICES_FROM"),
          timeoutMillis: Config.Int("SMTP_TIMEOUT_MS")
        }).pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({
          SMTP_HOST: server.host,
          SMTP_PORT: String(server.port),
          SMTP_REQUIRE_TLS: "false",
          SMTP_USER: "notices",
          SMTP_PASSWORD: "s3cret",
          NOTICES_FROM: "notices@cityofsacramento.example",
          SMTP_TIMEOUT_MS: "5000"
        }))))
        assert.strictEqual((yield* Effect.provide(viaPort, configured))._tag, "Delivered")
        assert.deepStrictEqual((yield* server.mail).map((received) => received.user), ["notices", "notices"])
      })))
})
