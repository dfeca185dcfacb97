/**
 * The dispatcher fault scenarios with the email adapter: a real loopback
 * SMTP server that answers 250, 451, 550, slowly or never, as each
 * scenario dictates, and the memory outbox.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { dispatcherFaultChecks, faultySmtpReceiver } from "@community-policing/testkit"
import { EmailNotifier } from "../src/index.ts"

dispatcherFaultChecks("the dispatcher with adapter-email over the memory outbox", {
  receiver: faultySmtpReceiver(),
  notifier: (receiver) =>
    EmailNotifier.layer({ host: receiver.host, port: receiver.port, from: "notices@cityofsacramento.example", timeoutMillis: 2_000 }),
  store: MemoryStore.layer()
})
