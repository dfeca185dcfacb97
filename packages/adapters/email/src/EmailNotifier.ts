/**
 * The email notifier: sends a rendered message over SMTP with nodemailer,
 * and maps the server's reply onto the `Notifier` contract.
 *
 * @module
 */
import { createHash } from "node:crypto"
import { type DeliveryOutcome, Notifier, type RenderedMessage } from "@community-policing/core"
import { Config, Context, Effect, Layer, Redacted } from "effect"
import { createTransport } from "nodemailer"

/** A login on the SMTP server. */
export interface SmtpCredentials {
  /** The user name. */
  readonly user: string
  /** The password, kept out of logs and error messages. */
  readonly pass: Redacted.Redacted<string>
}

/** How the email notifier reaches its SMTP server (a city's relay, a mail provider's submission port). */
export interface EmailNotifierOptions {
  /** The SMTP server's host name or IP address. */
  readonly host: string
  /** The port; default 587 (submission), or 465 when `secure` is set. */
  readonly port?: number | undefined
  /**
   * TLS from the first byte (SMTPS, usually port 465). Without it the
   * connection starts in clear and is upgraded with STARTTLS whenever the
   * server offers it; a certificate that does not verify then fails the
   * attempt rather than falling back to clear text.
   */
  readonly secure?: boolean | undefined
  /**
   * Refuse to send in clear: when the server does not offer STARTTLS, the
   * attempt fails and nothing is sent. Default false (TLS when offered).
   */
  readonly requireTLS?: boolean | undefined
  /** Extra trust for the server's certificate (a city's own CA, in PEM), and the name to check it against. */
  readonly tls?: {
    /** PEM certificates to trust besides the system's. */
    readonly ca?: string | ReadonlyArray<string> | undefined
    /** The name the certificate must carry, when it is not `host`. */
    readonly servername?: string | undefined
  } | undefined
  /** A login, when the server requires one. */
  readonly auth?: SmtpCredentials | undefined
  /** The sender: a mailbox (`notices@cityofsacramento.org`) or a name and mailbox (`City of Sacramento <notices@cityofsacramento.org>`). */
  readonly from: string
  /** The domain of each message's `Message-ID`; default the domain of `from`. */
  readonly messageIdDomain?: string | undefined
  /** The name this client gives in `EHLO`; default the machine's host name. */
  readonly clientName?: string | undefined
  /** How long connecting and the server's greeting may take; default 10,000 ms. */
  readonly connectionTimeoutMillis?: number | undefined
  /** How long one whole attempt (connect, TLS, login, send, the server's answer) may take; default 60,000 ms. */
  readonly timeoutMillis?: number | undefined
}

/** The header that repeats the message's idempotency key. */
export const idempotencyKeyHeaderName = "Idempotency-Key"

/**
 * A bare mailbox (`local@domain`, Unicode allowed): one recipient, no name,
 * no list, no comment, nothing that could add a second recipient.
 */
const mailboxPattern = /^[^\s\p{Cc}"(),:;<>@[\\\]]+@(?:[^\s\p{Cc}"(),:;<>@[\\\]]+|\[[0-9A-Fa-f:.]+\])$/u

/** Whether `address` is one bare mailbox the email notifier sends to. */
export const isMailbox = (address: string): boolean => mailboxPattern.test(address) && !address.startsWith(".") && !address.includes("..")

const domainOf = (from: string): string => {
  const match = /@([^\s>@]+)>?\s*$/.exec(from)
  return match?.[1] ?? "localhost"
}

/**
 * The `Message-ID` of the message with this idempotency key: the same key
 * always gives the same id, so a redelivered message is recognisable by its
 * `Message-ID` too (RFC 5322, 3.6.4: a unique id of the message, not of the
 * attempt). The key is hashed: it may hold characters a message id cannot.
 */
export const messageIdFor = (idempotencyKey: string, domain: string): string =>
  `<${createHash("sha256").update(idempotencyKey, "utf8").digest("hex").slice(0, 40)}@${domain}>`

/**
 * The server's id for an accepted message, from its final reply: the queue
 * id in `250 2.0.0 Ok: queued as 4F2B1C7A` (Postfix, Sendgrid and most
 * relays), or a message id in angle brackets (Exchange). Undefined when the
 * reply names neither.
 */
export const receiverIdOfReply = (reply: string): string | undefined => {
  const queued = /queued as\s+<?([^\s<>]+)>?/i.exec(reply)
  if (queued?.[1] !== undefined) return queued[1]
  const bracketed = /<([^\s<>]+@[^\s<>]+)>/.exec(reply)
  return bracketed?.[1]
}

const oneLine = (text: string): string => {
  const line = text.trim().replace(/\s+/g, " ")
  return line.length > 300 ? `${line.slice(0, 300)}...` : line
}

/**
 * What a failed SMTP attempt says about itself: the fields of nodemailer's
 * errors that decide the outcome.
 */
export interface SmtpFailure {
  readonly message: string
  /** Nodemailer's code (`ECONNECTION`, `ETIMEDOUT`, `ETLS`, `EAUTH`, `EENVELOPE`, `EMESSAGE`, ...). */
  readonly code?: string | undefined
  /** The system's code under it (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, ...). */
  readonly originalCode?: string | undefined
  /** The server's reply code, when it replied. */
  readonly responseCode?: number | undefined
  /** The server's reply, when it replied. */
  readonly response?: string | undefined
  /** The command the server replied to. */
  readonly command?: string | undefined
  /** Each refused recipient's reply, when the envelope was refused. */
  readonly rejectedErrors?: ReadonlyArray<{ readonly responseCode?: number | undefined; readonly response?: string | undefined }> | undefined
}

/** A failed STARTTLS upgrade or TLS handshake, or a certificate that does not verify (Node's codes: `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...). */
const isTlsFailure = (error: SmtpFailure): boolean =>
  error.code === "ETLS" || error.code === "EREQUIRETLS" || /CERT|SSL|TLS|UNABLE_TO_(GET|VERIFY)/.test(error.originalCode ?? "")

/**
 * What a failed attempt means for the delivery, from nodemailer's error.
 *
 * - A reply code from the server: a 4xx is retryable; a 5xx is permanent
 *   (RFC 5321, 4.2.1), except 503 (bad sequence of commands: the session's
 *   fault, not the message's) and a refused login (535 and the like: the
 *   sender's credentials, not the message, which goes out once they are
 *   fixed), which are retryable.
 * - No TLS session (a certificate that does not verify, a failed STARTTLS,
 *   no STARTTLS offered while `requireTLS` is set): retryable, whatever the
 *   reply code: nothing was sent, the message itself is fine, and it goes
 *   out once the server's TLS is repaired.
 * - No reply (refused or dropped connection, a timeout): retryable.
 */
export const outcomeOfError = (error: SmtpFailure): DeliveryOutcome => {
  if (isTlsFailure(error)) {
    return { _tag: "RetryableFailure", reason: `no TLS session with the server, nothing sent: ${oneLine(error.message)} (${error.originalCode ?? error.code})` }
  }
  const firstRejection = error.rejectedErrors?.[0]
  const code = error.responseCode ?? firstRejection?.responseCode
  const response = error.response ?? firstRejection?.response
  if (code !== undefined) {
    const reason = `SMTP ${code}${error.command === undefined ? "" : ` after ${error.command.split(" ")[0]}`}: ${oneLine(response ?? error.message)}`
    if (error.code === "EAUTH") return { _tag: "RetryableFailure", reason: `login refused: ${reason}` }
    if (code >= 500 && code !== 503) return { _tag: "PermanentFailure", reason }
    return { _tag: "RetryableFailure", reason }
  }
  const detail = `${oneLine(error.message)}${error.code === undefined ? "" : ` (${error.code})`}`
  if (error.code === "EENVELOPE") return { _tag: "PermanentFailure", reason: `unusable envelope: ${detail}` }
  return { _tag: "RetryableFailure", reason: `could not deliver to the SMTP server: ${detail}` }
}

type Sent = { readonly _tag: "Sent"; readonly response: string } | { readonly _tag: "Failed"; readonly error: SmtpFailure } | { readonly _tag: "TimedOut" }

const asSmtpFailure = (error: unknown): SmtpFailure => (error instanceof Error ? error : { message: String(error) })

/**
 * Builds a notifier that sends each `email` message to its address (one
 * bare mailbox) through the configured SMTP server: a text part, an HTML
 * part when the message has one, its subject, a `Message-ID` derived from
 * the idempotency key and an `Idempotency-Key` header. One attempt per call
 * (one SMTP session); see the `Notifier` contract for what the outcomes mean.
 */
export const make = (options: EmailNotifierOptions): Effect.Effect<Notifier["Service"]> =>
  Effect.sync(() => {
    const timeoutMillis = options.timeoutMillis ?? 60_000
    const connectionTimeoutMillis = Math.min(options.connectionTimeoutMillis ?? 10_000, timeoutMillis)
    const messageIdDomain = options.messageIdDomain ?? domainOf(options.from)
    const transport = createTransport({
      host: options.host,
      port: options.port ?? (options.secure === true ? 465 : 587),
      secure: options.secure === true,
      requireTLS: options.requireTLS === true,
      ...(options.clientName === undefined ? {} : { name: options.clientName }),
      ...(options.auth === undefined ? {} : { auth: { user: options.auth.user, pass: Redacted.value(options.auth.pass) } }),
      ...(options.tls === undefined ? {} : {
        tls: {
          ...(options.tls.ca === undefined ? {} : { ca: typeof options.tls.ca === "string" ? options.tls.ca : [...options.tls.ca] }),
          ...(options.tls.servername === undefined ? {} : { servername: options.tls.servername })
        }
      }),
      connectionTimeout: connectionTimeoutMillis,
      greetingTimeout: connectionTimeoutMillis,
      socketTimeout: timeoutMillis,
      socketCloseTimeout: 0,
      disableFileAccess: true,
      disableUrlAccess: true
    })
    const send = (message: RenderedMessage, interrupted: AbortSignal): Promise<Sent> => {
      const timeout = AbortSignal.timeout(timeoutMillis)
      return transport.sendMail({
        from: options.from,
        to: message.address,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        messageId: messageIdFor(message.idempotencyKey, messageIdDomain),
        headers: { [idempotencyKeyHeaderName]: message.idempotencyKey },
        signal: AbortSignal.any([interrupted, timeout])
      }).then(
        (info): Sent => ({ _tag: "Sent", response: String(info.response) }),
        (error: unknown): Sent => (timeout.aborted ? { _tag: "TimedOut" } : { _tag: "Failed", error: asSmtpFailure(error) })
      )
    }
    const deliver = (message: RenderedMessage): Effect.Effect<DeliveryOutcome> =>
      Effect.gen(function*() {
        if (message.channel !== "email") {
          return { _tag: "PermanentFailure", reason: `channel "${message.channel}" is not served by the email notifier` } as const
        }
        if (!isMailbox(message.address)) {
          return { _tag: "PermanentFailure", reason: "the address is not one mailbox (local@domain)" } as const
        }
        if (/\p{Cc}/u.test(message.idempotencyKey)) {
          return { _tag: "PermanentFailure", reason: "the idempotency key holds control characters, which no mail header can carry" } as const
        }
        const sent = yield* Effect.promise((signal) => send(message, signal))
        switch (sent._tag) {
          case "TimedOut":
            return { _tag: "RetryableFailure", reason: `no answer within ${timeoutMillis} ms` } as const
          case "Failed":
            return outcomeOfError(sent.error)
          case "Sent": {
            const receiverId = receiverIdOfReply(sent.response)
            return receiverId === undefined ? { _tag: "Delivered" } as const : { _tag: "Delivered", receiverId } as const
          }
        }
      })
    return { deliver }
  })

/** The notifier's service as a context: its own tag and the `Notifier` port. */
const toContext = (service: Notifier["Service"]) => Context.make(Notifier, service).pipe(Context.add(EmailNotifier, service))

/** Provides the `Notifier` port (and {@link EmailNotifier}) over SMTP. */
export const layer = (options: EmailNotifierOptions): Layer.Layer<EmailNotifier | Notifier> =>
  Layer.effectContext(Effect.map(make(options), toContext))

/**
 * {@link layer} with its options read from configuration.
 *
 * @example
 * ```ts
 * EmailNotifier.layerConfig({
 *   host: Config.String("SMTP_HOST"),
 *   port: Config.Int("SMTP_PORT"),
 *   requireTLS: Config.Boolean("SMTP_REQUIRE_TLS"),
 *   auth: { user: Config.String("SMTP_USER"), pass: Config.Redacted("SMTP_PASSWORD") },
 *   from: Config.String("NOTICES_FROM")
 * })
 * ```
 */
export const layerConfig = (config: Config.Wrap<EmailNotifierOptions>): Layer.Layer<EmailNotifier | Notifier, Config.ConfigError> =>
  Layer.effectContext(Config.unwrap(config).pipe(Effect.flatMap(make), Effect.map(toContext)))

/**
 * An email notifier: the `Notifier` service, under its own tag too. The
 * class also carries the adapter's constructors, the same names as every
 * adapter package: `make`, `layer`, `layerConfig`.
 */
export class EmailNotifier extends Context.Service<EmailNotifier, Notifier["Service"]>()(
  "@community-policing/adapter-email/EmailNotifier"
) {
  /** {@link make}, as `EmailNotifier.make`. */
  static readonly make = make
  /** {@link layer}, as `EmailNotifier.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `EmailNotifier.layerConfig`. */
  static readonly layerConfig = layerConfig
}
