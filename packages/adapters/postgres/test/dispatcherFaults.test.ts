/**
 * The dispatcher fault scenarios over a real PostgreSQL outbox: the webhook
 * adapter delivering to the kit's misbehaving loopback receiver, leases
 * taken with `FOR UPDATE SKIP LOCKED`, receipts and dead letters in the table.
 */
import { WebhookNotifier } from "@community-policing/adapter-webhook"
import { dispatcherFaultChecks, faultyHttpReceiver } from "@community-policing/testkit"
import { Redacted } from "effect"
import { afterAll } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { createTestDatabase } from "./support/database.ts"

const database = await createTestDatabase("dispatcher_faults")
afterAll(() => database.drop())

dispatcherFaultChecks("the dispatcher with adapter-webhook over a PostgreSQL outbox", {
  receiver: faultyHttpReceiver(),
  notifier: () => WebhookNotifier.layer({ secret: Redacted.make("whsec_faults"), timeoutMillis: 2_000 }),
  store: PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 4, migrate: true })
})
