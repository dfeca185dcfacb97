/**
 * The SMTP counterpart of `faultyHttpReceiver` for the dispatcher fault
 * scenarios: a real SMTP server on 127.0.0.1 that answers each message's
 * data as the scenario says, by the message's `Idempotency-Key` header and
 * its attempt number: `250 queued as <id>` (after a delay when asked), 451
 * (a temporary refusal; SMTP has no Retry-After, so the wait asked for is
 * not sent), 550 (a permanent refusal), or no answer at all.
 *
 * @example
 * ```ts
 * dispatcherFaultChecks("my-email-adapter", {
 *   receiver: faultySmtpReceiver(),
 *   notifier: (receiver) => MyEmailNotifier.layer({ host: receiver.host, port: receiver.port, from: "notices@city.example" }),
 *   store: MemoryStore.layer()
 * })
 * ```
 *
 * @module
 */
import { SMTPServer } from "smtp-server"
import { Effect, type Scope } from "effect"
import { faultLog, type FaultReceiver } from "./DispatcherFaultChecks.ts"
import { headerValue, listenOnLoopback, parseHeaderFields, readAll, replyError } from "./SmtpReceiver.ts"

/** A {@link FaultReceiver} over SMTP: `address` is the recipient's mailbox, `host` and `port` the server's. */
export interface FaultySmtpReceiver extends FaultReceiver {
  readonly host: string
  readonly port: number
}

/** Starts a {@link FaultySmtpReceiver} for the scope. */
export const faultySmtpReceiver = (options: { readonly mailbox?: string | undefined } = {}): Effect.Effect<FaultySmtpReceiver, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<FaultySmtpReceiver & { readonly close: () => Promise<void> }>((resume) => {
      const log = faultLog()
      const server: SMTPServer = new SMTPServer({
        logger: false,
        disableReverseLookup: true,
        authOptional: true,
        disabledCommands: ["STARTTLS", "AUTH"],
        onData: (stream, _session, callback) => {
          void readAll(stream).then((source) => {
            const { answer, receiverId } = log.attempt(headerValue(parseHeaderFields(source), "Idempotency-Key"))
            switch (answer._tag) {
              case "Accept": {
                const reply = () => callback(null, `OK: queued as ${receiverId}`)
                if (answer.delayMillis === undefined) return reply()
                setTimeout(reply, answer.delayMillis)
                return
              }
              case "RefuseTemporarily":
                return callback(replyError(451, "Try again later (told to by the fault scenario)"))
              case "RefusePermanently":
                return callback(replyError(550, "Mailbox unavailable (told to by the fault scenario)"))
              case "Hang":
                return
            }
          }, (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
        }
      })
      listenOnLoopback(server, (port, close) =>
        resume(Effect.succeed({
          channel: "email",
          conveysRetryAfter: false,
          address: options.mailbox ?? "resident@example.test",
          host: "127.0.0.1",
          port,
          answerWith: log.answerWith,
          attempts: log.attempts,
          close
        })))
    }),
    (receiver) => Effect.promise(receiver.close)
  )
