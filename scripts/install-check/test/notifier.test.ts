/**
 * A vendor's notifier conformance run, as docs/notifications.md shows it:
 * the webhook adapter against the kit's loopback HTTP receiver, the email
 * adapter against its loopback SMTP receiver, and the development
 * notifiers against the console package's test receivers (copied here by
 * check-install.sh).
 */
import { ConsoleNotifier, FileNotifier } from "@community-policing/adapter-console"
import { EmailNotifier } from "@community-policing/adapter-email"
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { httpReceiver, notifierConformance, smtpReceiver, smtpServerOf } from "@community-policing/testkit"
import { Redacted } from "effect"
import { type ConsoleReceiver, consoleReceiver, type FileReceiver, fileReceiver } from "./console-receivers.js"

notifierConformance("adapter-webhook", {
  receiver: httpReceiver(),
  layer: () => WebhookNotifier.layer({ secret: Redacted.make("whsec_install_check"), timeoutMillis: 2_000 })
})

notifierConformance("adapter-email", {
  receiver: smtpReceiver(),
  layer: (receiver) => EmailNotifier.layer({ ...smtpServerOf(receiver), from: "notices@city.example", timeoutMillis: 2_000 })
})

notifierConformance("adapter-console: FileNotifier", {
  receiver: fileReceiver,
  layer: (receiver) => FileNotifier.layer({ path: (receiver as FileReceiver).path, channels: ["email"] })
})

notifierConformance("adapter-console: ConsoleNotifier", {
  receiver: consoleReceiver,
  layer: (receiver) => ConsoleNotifier.layer({ output: (receiver as ConsoleReceiver).output, channels: ["email"] })
})
