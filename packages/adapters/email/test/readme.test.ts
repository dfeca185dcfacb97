/**
 * The README's Send example, run against a real SMTP server on loopback:
 * the layer from configuration, a login, the message with both parts.
 */
import { Notifier } from "@community-policing/core"
import { smtpReceiver } from "@community-policing/testkit"
import { assert, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer } from "effect"
import { EmailNotifier } from "../src/index.ts"

it.live("the Send example delivers through the configured server and reports its queue id", () =>
  Effect.scoped(Effect.gen(function*() {
    const server = yield* smtpReceiver({ auth: { user: "notices", pass: "s3cret" } })

    const program = Effect.gen(function*() {
      const notifier = yield* Notifier
      return yield* notifier.deliver({
        channel: "email",
        address: "owner@example.org",
        subject: "Notice of violation: 4079 L St",
        text: "A notice of violation was served on 14 December. You have 20 days to appeal.",
        html: "<p>A notice of violation was served on <b>14 December</b>. You have 20 days to appeal.</p>",
        idempotencyKey: "sacramento:evt-81:notice-served",
        metadata: { tenantId: "sacramento" }
      })
    })

    const Email = EmailNotifier.layerConfig({
      host: Config.String("SMTP_HOST"),
      port: Config.Int("SMTP_PORT"),
      requireTLS: Config.Boolean("SMTP_REQUIRE_TLS"),
      auth: { user: Config.String("SMTP_USER"), pass: Config.Redacted("SMTP_PASSWORD") },
      from: Config.String("NOTICES_FROM")
    })

    const environment = ConfigProvider.layer(ConfigProvider.fromUnknown({
      SMTP_HOST: server.host,
      SMTP_PORT: String(server.port),
      SMTP_REQUIRE_TLS: "false",
      SMTP_USER: "notices",
      SMTP_PASSWORD: "s3cret",
      NOTICES_FROM: "City of Sacramento <notices@city.example>"
    }))
    const outcome = yield* program.pipe(Effect.provide(Layer.provide(Email, environment)))
    const [received] = yield* server.mail
    assert.deepStrictEqual(outcome, { _tag: "Delivered", receiverId: received!.queueId! })
    assert.deepStrictEqual([received!.mailFrom, received!.rcptTo, received!.user, received!.idempotencyKey], [
      "notices@city.example",
      ["owner@example.org"],
      "notices",
      "sacramento:evt-81:notice-served"
    ])
  })))
