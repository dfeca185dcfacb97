/**
 * The dispatcher fault scenarios over a real SQLite file: the webhook
 * adapter delivering to the kit's misbehaving loopback receiver, the
 * outbox's leases, retries, receipts and dead letters in the file.
 */
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { dispatcherFaultChecks, faultyHttpReceiver } from "@community-policing/testkit"
import { Redacted } from "effect"
import { layer } from "../src/index.ts"
import { tempDatabases } from "./support/files.ts"

const database = tempDatabases("dispatcher-faults")

dispatcherFaultChecks("the dispatcher with adapter-webhook over a SQLite file", {
  receiver: faultyHttpReceiver(),
  notifier: () => WebhookNotifier.layer({ secret: Redacted.make("whsec_faults"), timeoutMillis: 2_000 }),
  store: layer({ filename: database("outbox") })
})
