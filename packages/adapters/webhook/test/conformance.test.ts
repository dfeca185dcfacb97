/** The webhook notifier passes the kit's notifier checks, against the kit's own loopback receiver. */
import { httpReceiver, notifierConformance } from "@community-policing/testkit"
import { Redacted } from "effect"
import { WebhookNotifier } from "../src/index.ts"

notifierConformance("adapter-webhook", {
  receiver: httpReceiver(),
  layer: () => WebhookNotifier.layer({ secret: Redacted.make("whsec_conformance"), timeoutMillis: 2_000 })
})
