/** The email notifier passes the kit's notifier checks, against the kit's own loopback SMTP receiver. */
import { notifierConformance, smtpReceiver, smtpServerOf } from "@community-policing/testkit"
import { EmailNotifier } from "../src/index.ts"

notifierConformance("adapter-email", {
  receiver: smtpReceiver(),
  layer: (receiver) => EmailNotifier.layer({ ...smtpServerOf(receiver), from: "notices@cityofsacramento.example", timeoutMillis: 2_000 })
})
