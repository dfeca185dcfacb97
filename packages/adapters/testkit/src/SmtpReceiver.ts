/**
 * A real SMTP server on 127.0.0.1 for the notifier checks and for fault
 * tests: the receiver of any adapter that delivers by email. It records
 * every message as received (envelope, raw source, headers) and answers as
 * the test tells it: accept, refuse with a 4xx or 5xx reply, drop the
 * connection, never answer, or fail a seeded random share of the messages.
 *
 * @example
 * ```ts
 * import { notifierConformance, smtpReceiver, smtpServerOf } from "@community-policing/testkit"
 *
 * notifierConformance("my-email-adapter", {
 *   receiver: smtpReceiver(),
 *   layer: (receiver) => MyEmailNotifier.layer({ ...smtpServerOf(receiver), from: "notices@city.example" })
 * })
 * ```
 *
 * @module
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server"
import { Effect, type Scope } from "effect"
import type { NotifierReceiver, ReceivedAttempt, ReceiverBehaviour } from "./NotifierChecks.ts"

/**
 * Fails a share of the messages at random, reproducibly: the same seed
 * fails the same messages (by their order of arrival) in every run.
 */
export interface FlakyBehaviour {
  readonly _tag: "Flaky"
  /** The seed of the receiver's random numbers. */
  readonly seed: number
  /** The share of messages that fail, from 0 to 1; default 0.5. */
  readonly failureRate?: number | undefined
  /** How a failing message fails; default `"refuseTemporarily"`. */
  readonly failWith?: Exclude<SmtpReceiverBehaviour, "accept" | FlakyBehaviour> | undefined
}

/**
 * How an {@link smtpReceiver} answers the end of a message's data: the kit's
 * {@link ReceiverBehaviour}s, `"hang"` (read the message, then never answer,
 * keeping the connection open until the client gives up) and
 * {@link FlakyBehaviour}.
 */
export type SmtpReceiverBehaviour = ReceiverBehaviour | "hang" | FlakyBehaviour

/** One message as the SMTP receiver got it. */
export interface ReceivedMail extends ReceivedAttempt {
  /** The envelope sender (`MAIL FROM`). */
  readonly mailFrom: string
  /** The envelope recipients (`RCPT TO`). */
  readonly rcptTo: ReadonlyArray<string>
  /** The message as received, headers and body (CRLF line ends). */
  readonly source: string
  /** The message's header fields, unfolded, in order, names as written. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>
  /** The `Message-ID` header, when there was one. */
  readonly messageId: string | undefined
  /** Whether the session was encrypted (STARTTLS) when the message came. */
  readonly secure: boolean
  /** The user who logged in, when the session authenticated. */
  readonly user: string | undefined
  /** The queue id of an accepted message, also sent in the reply (`250 OK: queued as <id>`). */
  readonly queueId: string | undefined
  /** How the receiver answered this message. */
  readonly answer: "accepted" | "refusedPermanently" | "refusedTemporarily" | "hungUp" | "hung"
}

/** A receiver the checks control, that speaks SMTP. */
export interface SmtpReceiver extends NotifierReceiver {
  /** The host the server listens on: `"127.0.0.1"`. */
  readonly host: string
  /** The port the server listens on (an ephemeral one). */
  readonly port: number
  /** Sets how the receiver answers from now on. */
  readonly behave: (behaviour: SmtpReceiverBehaviour) => Effect.Effect<void>
  /** Every message that reached the end of its data, in order. */
  readonly mail: Effect.Effect<ReadonlyArray<ReceivedMail>>
  /** How many SMTP connections were opened to the receiver. */
  readonly connections: Effect.Effect<number>
}

/** The server of an {@link smtpReceiver}. */
export interface SmtpReceiverOptions {
  /** The channel of the messages the checks send; default `"email"`. */
  readonly channel?: string | undefined
  /** The mailbox the checks send to; default `"resident@example.test"`. */
  readonly address?: string | undefined
  /** The reply code of a temporary refusal (a 4xx); default 451. */
  readonly refuseTemporarily?: number | undefined
  /** The reply code of a permanent refusal (a 5xx); default 550. */
  readonly refusePermanently?: number | undefined
  /** How the receiver answers at first; default `"accept"`. */
  readonly behaviour?: SmtpReceiverBehaviour | undefined
  /**
   * A PEM key and certificate: the server offers STARTTLS with them. Without
   * them it offers no STARTTLS at all.
   */
  readonly tls?: { readonly key: string; readonly cert: string } | undefined
  /** Credentials the server requires (`AUTH PLAIN`/`LOGIN`); without them it offers no AUTH. */
  readonly auth?: { readonly user: string; readonly pass: string } | undefined
  /**
   * The reply to `RCPT TO` for a recipient, when it is refused there (a 5xx
   * for a mailbox that does not exist, a 4xx for one that is full);
   * undefined accepts it. Such a message never reaches its data, so it is
   * not in `mail`.
   */
  readonly refuseRecipient?: ((address: string) => number | undefined) | undefined
}

/** Where an adapter under test connects: the receiver's host and port. */
export interface SmtpServerAddress {
  readonly host: string
  readonly port: number
}

/**
 * The host and port of a receiver made by {@link smtpReceiver}, for the
 * adapter's layer (the kit hands a layer the receiver as a
 * `NotifierReceiver`). Dies when the receiver is not an SMTP one.
 */
export const smtpServerOf = (receiver: NotifierReceiver): SmtpServerAddress => {
  if (!("host" in receiver && "port" in receiver && typeof receiver.host === "string" && typeof receiver.port === "number")) {
    throw new TypeError("smtpServerOf: the receiver was not made by smtpReceiver()")
  }
  return { host: receiver.host, port: receiver.port }
}

/** Mulberry32: small, fast and reproducible from a 32-bit seed. */
const seededRandom = (seed: number): () => number => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Header fields of a message: the part before the first empty line, unfolded (RFC 5322, 2.2.3). */
export const parseHeaderFields = (source: string): ReadonlyArray<readonly [string, string]> => {
  const end = source.search(/\r?\n\r?\n/)
  const head = end === -1 ? source : source.slice(0, end)
  const fields: Array<readonly [string, string]> = []
  for (const line of head.split(/\r?\n/)) {
    const last = fields.at(-1)
    if (/^[ \t]/.test(line) && last !== undefined) {
      fields[fields.length - 1] = [last[0], `${last[1]} ${line.trim()}`.trim()]
      continue
    }
    const colon = line.indexOf(":")
    if (colon > 0) fields.push([line.slice(0, colon), line.slice(colon + 1).trim()])
  }
  return fields
}

/** The value of a header field, by name in any case. */
export const headerValue = (fields: ReadonlyArray<readonly [string, string]>, name: string): string | undefined =>
  fields.find(([field]) => field.toLowerCase() === name.toLowerCase())?.[1]

/** An error that `smtp-server` answers with this reply code. */
export const replyError = (code: number, text: string): Error & { responseCode: number } =>
  Object.assign(new Error(text), { responseCode: code })

/** Reads a message's data to its end. */
export const readAll = (stream: SMTPServerDataStream): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    stream.on("data", (chunk: Buffer) => chunks.push(chunk))
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    stream.on("error", reject)
  })

/**
 * Starts an SMTP server on 127.0.0.1 (an ephemeral port), then calls
 * `started` with its port and a close that drops every open connection.
 */
export const listenOnLoopback = (server: SMTPServer, started: (port: number, close: () => Promise<void>) => void): void => {
  server.on("error", () => {})
  server.listen(0, "127.0.0.1", () => {
    const address = server.server.address()
    started(typeof address === "object" && address !== null ? address.port : 0, () =>
      new Promise<void>((done) => {
        for (const connection of server.connections) connection._socket.destroy()
        server.close(() => done())
      }))
  })
}

type Resolved = Exclude<SmtpReceiverBehaviour, FlakyBehaviour>

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1, an ephemeral
 * port, for the scope; closed, with every open connection, when the scope
 * ends. Its behaviour applies when a message's data ends, so every attempt
 * is recorded with its idempotency key (the `Idempotency-Key` header) before
 * it is answered.
 */
export const smtpReceiver = (options: SmtpReceiverOptions = {}): Effect.Effect<SmtpReceiver, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<SmtpReceiver & { readonly close: () => Promise<void> }>((resume) => {
      const mail: Array<ReceivedMail> = []
      let behaviour: SmtpReceiverBehaviour = options.behaviour ?? "accept"
      let random: { readonly seed: number; readonly next: () => number } | undefined
      let connections = 0
      let queued = 0
      const resolve = (): Resolved => {
        if (typeof behaviour === "string") return behaviour
        if (random?.seed !== behaviour.seed) random = { seed: behaviour.seed, next: seededRandom(behaviour.seed) }
        return random.next() < (behaviour.failureRate ?? 0.5) ? behaviour.failWith ?? "refuseTemporarily" : "accept"
      }
      const server: SMTPServer = new SMTPServer({
        logger: false,
        disableReverseLookup: true,
        ...(options.tls === undefined ? {} : { key: options.tls.key, cert: options.tls.cert }),
        ...(options.auth === undefined ? { authOptional: true } : { allowInsecureAuth: true }),
        disabledCommands: [...(options.tls === undefined ? ["STARTTLS"] : []), ...(options.auth === undefined ? ["AUTH"] : [])],
        onConnect: (_session, callback) => {
          connections += 1
          callback()
        },
        onAuth: (auth, _session, callback) => {
          const expected = options.auth
          if (expected !== undefined && auth.username === expected.user && auth.password === expected.pass) {
            return callback(null, { user: auth.username })
          }
          callback(null, { message: "Authentication credentials invalid", responseCode: 535 })
        },
        onRcptTo: (address, _session, callback) => {
          const code = options.refuseRecipient?.(address.address)
          callback(code === undefined ? null : replyError(code, `Recipient ${address.address} refused (told to by the test)`))
        },
        onData: (stream, session: SMTPServerSession, callback) => {
          void readAll(stream).then((source) => {
            const answer = resolve()
            const headers = parseHeaderFields(source)
            const queueId = answer === "accept" ? `Q${String(++queued).padStart(6, "0")}` : undefined
            mail.push({
              idempotencyKey: headerValue(headers, "Idempotency-Key"),
              acknowledged: answer === "accept",
              mailFrom: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
              source,
              headers,
              messageId: headerValue(headers, "Message-ID"),
              secure: session.secure,
              user: typeof session.user === "string" ? session.user : undefined,
              queueId,
              answer: ({ accept: "accepted", refusePermanently: "refusedPermanently", refuseTemporarily: "refusedTemporarily", hangUp: "hungUp", hang: "hung" } as const)[answer]
            })
            switch (answer) {
              case "accept":
                return callback(null, `OK: queued as ${queueId}`)
              case "refusePermanently":
                return callback(replyError(options.refusePermanently ?? 550, "Message refused (told to by the test)"))
              case "refuseTemporarily":
                return callback(replyError(options.refuseTemporarily ?? 451, "Try again later (told to by the test)"))
              case "hangUp":
                for (const connection of server.connections) {
                  if (connection.id === session.id) connection._socket.destroy()
                }
                return
              case "hang":
                return
            }
          }, (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
        }
      })
      listenOnLoopback(server, (port, close) =>
        resume(Effect.succeed({
          channel: options.channel ?? "email",
          address: options.address ?? "resident@example.test",
          host: "127.0.0.1",
          port,
          behave: (next: SmtpReceiverBehaviour) => Effect.sync(() => {
            behaviour = next
            random = undefined
          }),
          attempts: Effect.sync(() => mail.map(({ idempotencyKey, acknowledged }) => ({ idempotencyKey, acknowledged }))),
          mail: Effect.sync(() => [...mail]),
          connections: Effect.sync(() => connections),
          close
        })))
    }),
    (receiver) => Effect.promise(receiver.close)
  )
