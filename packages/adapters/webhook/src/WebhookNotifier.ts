/**
 * The webhook notifier: delivers a rendered message as a signed JSON POST to
 * the subscriber's URL, and maps the answer onto the `Notifier` contract.
 *
 * @module
 */
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from "node:http"
import { Agent as HttpsAgent, request as httpsRequest } from "node:https"
import { type DeliveryOutcome, Notifier, type RenderedMessage } from "@community-policing/core"
import { Clock, Config, Context, Effect, Layer, type Redacted } from "effect"
import { signatureHeaderName, signWebhook } from "./WebhookSignature.ts"

/** How the webhook notifier sends. */
export interface WebhookNotifierOptions {
  /** The signing secret shared with the subscriber. */
  readonly secret: Redacted.Redacted<string>
  /** How long one attempt (connecting, sending, reading the answer) may take; default 10,000 ms. */
  readonly timeoutMillis?: number | undefined
  /**
   * The response header that carries the receiver's id for the message;
   * default `Webhook-Receipt-Id`. Without it, a JSON answer's string `id` is used.
   */
  readonly receiverIdHeader?: string | undefined
}

/**
 * The JSON body of every webhook: the rendered message without its address.
 * Receivers drop a repeated `idempotencyKey`.
 */
export interface WebhookPayload {
  readonly idempotencyKey: string
  readonly subject: string
  readonly text: string
  readonly html?: string
  readonly metadata: Readonly<Record<string, string>>
}

/** The header that repeats the message's idempotency key. */
export const idempotencyKeyHeaderName = "Idempotency-Key"

/** The headers of a receiver's answer, by case-insensitive name; a `Headers` object is one. */
export interface AnswerHeaders {
  /** The header's value (repeated ones joined with ", "), or `null` when absent. */
  readonly get: (name: string) => string | null
}

type Answer =
  | { readonly _tag: "Answered"; readonly status: number; readonly headers: AnswerHeaders; readonly body: string }
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "Unreachable"; readonly detail: string }

const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const code = "code" in error && error.code !== undefined ? String(error.code) : undefined
  return code === undefined || error.message.includes(code) ? error.message : `${error.message} (${code})`
}

/** How much of an answer is read: enough for a receipt id or a reason, never an unbounded body. */
const answerLimitBytes = 64 * 1024

const headersOf = (response: IncomingMessage): AnswerHeaders => ({
  get: (name) => {
    const value = response.headers[name.toLowerCase()]
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value
  }
})

/** The keep-alive connection pools of one notifier, so that consecutive webhooks to a receiver reuse a connection. */
interface Agents {
  readonly http: HttpAgent
  readonly https: HttpsAgent
}

/**
 * One POST over `node:http(s)`, cut off after `timeoutMillis` or when the
 * fiber is interrupted (the request is destroyed). `node:http` rather than
 * `fetch`: undici's `fetch` builds a `Request`, `Headers`, an `AbortSignal`
 * and web streams for every call, which on a fast receiver cost more than
 * the send itself. Redirects are never followed (`node:http` follows none).
 */
const post = (agents: Agents, url: URL, headers: Record<string, string>, body: string, timeoutMillis: number): Effect.Effect<Answer> =>
  Effect.callback<Answer>((resume) => {
    let settled = false
    const secure = url.protocol === "https:"
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent: secure ? agents.https : agents.http
    })
    const finish = (answer: Answer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resume(Effect.succeed(answer))
    }
    const timer = setTimeout(() => {
      finish({ _tag: "TimedOut" })
      request.destroy()
    }, timeoutMillis)
    request.on("error", (error) => finish({ _tag: "Unreachable", detail: describeError(error) }))
    request.on("response", (response) => {
      const chunks: Array<Buffer> = []
      let size = 0
      const answered = () =>
        finish({
          _tag: "Answered",
          status: response.statusCode ?? 0,
          headers: headersOf(response),
          body: Buffer.concat(chunks).subarray(0, answerLimitBytes).toString("utf8")
        })
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk)
        size += chunk.byteLength
        if (size >= answerLimitBytes) {
          // Enough read: the rest of an oversized answer is dropped with its connection.
          answered()
          response.destroy()
        }
      })
      response.on("end", answered)
      response.on("error", (error) => finish({ _tag: "Unreachable", detail: describeError(error) }))
    })
    request.end(body)
    return Effect.sync(() => {
      settled = true
      clearTimeout(timer)
      request.destroy()
    })
  })

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds or
 * an HTTP date (RFC 9110, 10.2.3), never negative; undefined when absent or
 * unreadable.
 */
export const parseRetryAfter = (value: string | null, nowMillis: number): number | undefined => {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  if (!/[a-z]/i.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis)
}

const excerpt = (body: string): string => {
  const text = body.trim().replace(/\s+/g, " ")
  return text === "" ? "" : `: ${text.length > 200 ? `${text.slice(0, 200)}...` : text}`
}

const receiverIdOf = (answer: { readonly headers: AnswerHeaders; readonly body: string }, header: string): string | undefined => {
  const fromHeader = answer.headers.get(header)
  if (fromHeader !== null && fromHeader !== "") return fromHeader
  if (!(answer.headers.get("content-type") ?? "").includes("json")) return undefined
  try {
    const parsed: unknown = JSON.parse(answer.body)
    return typeof parsed === "object" && parsed !== null && "id" in parsed && typeof parsed.id === "string" ? parsed.id : undefined
  } catch {
    return undefined
  }
}

/**
 * What an HTTP answer means for the delivery: 2xx delivered, 410 a
 * subscription that ended, 429 and 5xx worth retrying (after `Retry-After`
 * when given), a redirect (never followed) and any other status permanent.
 */
export const outcomeOfStatus = (
  answer: { readonly status: number; readonly headers: AnswerHeaders; readonly body: string },
  nowMillis: number,
  receiverIdHeader: string
): DeliveryOutcome => {
  const { status } = answer
  if (status >= 200 && status < 300) {
    const receiverId = receiverIdOf(answer, receiverIdHeader)
    return receiverId === undefined ? { _tag: "Delivered" } : { _tag: "Delivered", receiverId }
  }
  if (status === 410) return { _tag: "PermanentFailure", reason: `HTTP 410: the subscription has ended${excerpt(answer.body)}` }
  if (status === 429 || status >= 500) {
    const retryAfter = parseRetryAfter(answer.headers.get("retry-after"), nowMillis)
    const reason = `HTTP ${status}${excerpt(answer.body)}`
    return retryAfter === undefined ? { _tag: "RetryableFailure", reason } : { _tag: "RetryableFailure", reason, retryAfter }
  }
  if (status >= 300 && status < 400) {
    return { _tag: "PermanentFailure", reason: `HTTP ${status}: redirect to ${answer.headers.get("location") ?? "(no location)"} not followed` }
  }
  return { _tag: "PermanentFailure", reason: `HTTP ${status}${excerpt(answer.body)}` }
}

/**
 * Builds a notifier that POSTs each `webhook` message to its address (an
 * `http:` or `https:` URL), signed as described in `WebhookSignature`, with
 * the message's `Idempotency-Key`. One attempt per call, never a redirect
 * followed; see the `Notifier` contract for what the outcomes mean.
 */
export const make = (options: WebhookNotifierOptions): Effect.Effect<Notifier["Service"]> =>
  Effect.sync(() => {
    const timeoutMillis = options.timeoutMillis ?? 10_000
    const receiverIdHeader = options.receiverIdHeader ?? "Webhook-Receipt-Id"
    // Idle pooled connections do not keep the process alive (the agents unref them).
    const agents: Agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) }
    // A subscriber's address is parsed once while messages to it follow each other (URL is immutable here: never handed out).
    let lastAddress: string | undefined
    let lastUrl: URL | undefined
    const urlOf = (address: string): URL | undefined => {
      if (address !== lastAddress) {
        lastAddress = address
        lastUrl = URL.canParse(address) ? new URL(address) : undefined
      }
      return lastUrl
    }
    const deliver = (message: RenderedMessage): Effect.Effect<DeliveryOutcome> =>
      Effect.gen(function*() {
        if (message.channel !== "webhook") {
          return { _tag: "PermanentFailure", reason: `channel "${message.channel}" is not served by the webhook notifier` } as const
        }
        const url = urlOf(message.address)
        if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
          return { _tag: "PermanentFailure", reason: "the address is not an http(s) URL" } as const
        }
        const payload: WebhookPayload = {
          idempotencyKey: message.idempotencyKey,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
          metadata: message.metadata
        }
        const body = JSON.stringify(payload)
        const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        const headers = {
          "content-type": "application/json",
          [signatureHeaderName]: signWebhook(options.secret, timestamp, body),
          [idempotencyKeyHeaderName]: message.idempotencyKey
        }
        const answer = yield* post(agents, url, headers, body, timeoutMillis)
        switch (answer._tag) {
          case "TimedOut":
            return { _tag: "RetryableFailure", reason: `no answer within ${timeoutMillis} ms` } as const
          case "Unreachable":
            return { _tag: "RetryableFailure", reason: `could not reach the receiver: ${answer.detail}` } as const
          case "Answered":
            return outcomeOfStatus(answer, yield* Clock.currentTimeMillis, receiverIdHeader)
        }
      })
    return { deliver }
  })

/** The notifier's service as a context: its own tag and the `Notifier` port. */
const toContext = (service: Notifier["Service"]) => Context.make(Notifier, service).pipe(Context.add(WebhookNotifier, service))

/** Provides the `Notifier` port (and {@link WebhookNotifier}) over webhooks. */
export const layer = (options: WebhookNotifierOptions): Layer.Layer<WebhookNotifier | Notifier> =>
  Layer.effectContext(Effect.map(make(options), toContext))

/**
 * {@link layer} with its options read from configuration.
 *
 * @example
 * ```ts
 * WebhookNotifier.layerConfig({ secret: Config.Redacted("WEBHOOK_SECRET"), timeoutMillis: Config.Int("WEBHOOK_TIMEOUT_MS") })
 * ```
 */
export const layerConfig = (config: Config.Wrap<WebhookNotifierOptions>): Layer.Layer<WebhookNotifier | Notifier, Config.ConfigError> =>
  Layer.effectContext(Config.unwrap(config).pipe(Effect.flatMap(make), Effect.map(toContext)))

/**
 * A webhook notifier: the `Notifier` service, under its own tag too. The
 * class also carries the adapter's constructors, the same names as every
 * adapter package: `make`, `layer`, `layerConfig`.
 */
export class WebhookNotifier extends Context.Service<WebhookNotifier, Notifier["Service"]>()(
  "@community-policing/adapter-webhook/WebhookNotifier"
) {
  /** {@link make}, as `WebhookNotifier.make`. */
  static readonly make = make
  /** {@link layer}, as `WebhookNotifier.layer`. */
  static readonly layer = layer
  /** {@link layerConfig}, as `WebhookNotifier.layerConfig`. */
  static readonly layerConfig = layerConfig
}
