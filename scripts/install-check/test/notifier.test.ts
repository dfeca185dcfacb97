/**
 * A vendor's notifier conformance run, as docs/notifications.md shows it:
 * the webhook adapter against the kit's notifier checks and its loopback
 * receiver.
 */
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { httpReceiver, notifierConformance } from "@community-policing/testkit"
import { Redacted } from "effect"

notifierConformance("adapter-webhook", {
  receiver: httpReceiver(),
  layer: () => WebhookNotifier.layer({ secret: Redacted.make("whsec_install_check"), timeoutMillis: 2_000 })
})
