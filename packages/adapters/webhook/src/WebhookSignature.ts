/**
 * The webhook signature scheme, for senders and receivers: an HMAC-SHA256,
 * keyed with the subscription's secret, over the send time and the exact
 * body, in one header, as Stripe and GitHub sign theirs:
 *
 * ```
 * Webhook-Signature: t=1796688000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 * ```
 *
 * `t` is the send time in Unix seconds and `v1` the lowercase hex of
 * `HMAC-SHA256(secret, t + "." + body)`. Signing the time with the body lets
 * a receiver refuse a captured request replayed later.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { Redacted } from "effect"

/** The header that carries the signature (HTTP header names are case-insensitive). */
export const signatureHeaderName = "Webhook-Signature"

/** A signing secret, plain or wrapped so that logs never show it. */
export type WebhookSecret = string | Redacted.Redacted<string>

const secretText = (secret: WebhookSecret): string => (typeof secret === "string" ? secret : Redacted.value(secret))

const hmacHex = (secret: WebhookSecret, timestamp: number, body: string | Uint8Array): string =>
  createHmac("sha256", secretText(secret)).update(`${timestamp}.`).update(body).digest("hex")

/**
 * The `Webhook-Signature` value for a body sent at `timestamp` (Unix seconds).
 *
 * @example
 * ```ts
 * signWebhook("whsec_...", 1796688000, '{"subject":"..."}') // "t=1796688000,v1=..."
 * ```
 */
export const signWebhook = (secret: WebhookSecret, timestamp: number, body: string | Uint8Array): string =>
  `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`

/** Why a request was refused. */
export type WebhookRejection =
  /** No `Webhook-Signature` header. */
  | "MissingSignature"
  /** The header is not `t=<digits>,v1=<64 hex digits>` (more `v1` entries allowed). */
  | "MalformedSignature"
  /** No `v1` matches the body and time under this secret: a wrong secret or a changed body. */
  | "BadSignature"
  /** Signed longer ago than the tolerance: a replay, or a clock far behind. */
  | "TooOld"
  /** Signed further in the future than the tolerance: a clock far ahead. */
  | "TooNew"

/** What {@link verifyWebhook} found. */
export type WebhookVerification =
  | { readonly _tag: "Verified"; readonly timestamp: number }
  | { readonly _tag: "Rejected"; readonly reason: WebhookRejection; readonly detail: string }

/**
 * Request headers as Node's `IncomingMessage.headers` gives them, or as a
 * fetch `Headers`.
 */
export type WebhookHeaders =
  | { readonly get: (name: string) => string | null }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

const headerValue = (headers: WebhookHeaders, name: string): string | undefined => {
  if (typeof headers.get === "function") {
    return (headers as { readonly get: (name: string) => string | null }).get(name) ?? undefined
  }
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue
    return typeof value === "string" ? value : value.join(",")
  }
  return undefined
}

const rejected = (reason: WebhookRejection, detail: string): WebhookVerification => ({ _tag: "Rejected", reason, detail })

/**
 * Checks a received webhook: the `Webhook-Signature` header must sign this
 * exact body (the raw bytes, before any JSON parsing) under `secret`, and its
 * time must be within `toleranceSeconds` of `now`. Signatures are compared in
 * constant time. Several `v1` entries are accepted, any one matching, so a
 * sender can sign with an old and a new secret while a secret is rotated.
 *
 * A receiver should also drop a repeated `Idempotency-Key`: the tolerance
 * only bounds how late a replay can come.
 *
 * @example
 * ```ts
 * const result = verifyWebhook(secret, request.headers, rawBody, 300)
 * if (result._tag === "Rejected") return response.writeHead(400).end(result.reason)
 * ```
 */
export const verifyWebhook = (
  secret: WebhookSecret,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  toleranceSeconds: number,
  now: Date = new Date()
): WebhookVerification => {
  const header = headerValue(headers, signatureHeaderName)
  if (header === undefined || header.trim() === "") return rejected("MissingSignature", `no ${signatureHeaderName} header`)
  let timestamp: number | undefined
  const signatures: Array<string> = []
  for (const part of header.split(",")) {
    const separator = part.indexOf("=")
    if (separator < 0) return rejected("MalformedSignature", `"${part.trim()}" is not key=value`)
    const key = part.slice(0, separator).trim()
    const value = part.slice(separator + 1).trim()
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return rejected("MalformedSignature", "t must appear once, as Unix seconds")
      timestamp = Number(value)
    } else if (key === "v1") {
      if (!/^[0-9a-f]{64}$/.test(value)) return rejected("MalformedSignature", "v1 must be 64 lowercase hex digits")
      signatures.push(value)
    }
  }
  if (timestamp === undefined || signatures.length === 0) return rejected("MalformedSignature", "t and at least one v1 are required")
  const expected = Buffer.from(hmacHex(secret, timestamp, body), "hex")
  // Every candidate is compared, so the time taken does not say which one matched.
  const matches = signatures.map((signature) => timingSafeEqual(expected, Buffer.from(signature, "hex")))
  if (!matches.includes(true)) return rejected("BadSignature", "no v1 signature matches the body under this secret")
  const age = Math.floor(now.getTime() / 1000) - timestamp
  if (age > toleranceSeconds) return rejected("TooOld", `signed ${age} s ago; the tolerance is ${toleranceSeconds} s`)
  if (-age > toleranceSeconds) return rejected("TooNew", `signed ${-age} s in the future; the tolerance is ${toleranceSeconds} s`)
  return { _tag: "Verified", timestamp }
}
