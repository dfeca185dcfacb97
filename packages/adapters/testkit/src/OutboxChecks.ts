/**
 * The checks of the `Outbox` contract. Messages are written only by
 * `EventStore.append`, so these checks need both services. Every claim names
 * a fresh tenant or a fresh topic, so a check never takes another's messages.
 * Time is moved with `TestClock`.
 *
 * @module
 */
import {
  type ClaimedMessage,
  type ClaimOptions,
  EventStore,
  type Lease,
  Outbox,
  type OutboxMessage,
  type OutboxMessageToWrite,
  type SettleResult,
  type Settlement
} from "@community-policing/core"
import { Clock, DateTime, Effect, Option, Result, type Schema } from "effect"
import { TestClock } from "effect/testing"
import { type ConformanceCheck, inNewInstance } from "./ConformanceCheck.ts"
import { ConformanceFailure, expectEqual, expectFailure, expectSuccess, expectTrue } from "./ConformanceFailure.ts"
import { dateView, freshId, freshTenant, hostileStrings, makeAppend, unicodeStrings } from "./Fixtures.ts"
import { RawStore } from "./RawStore.ts"
import { expectTenantRefused, invalidTenantIds, longestTenant } from "./Limits.ts"

type Services = EventStore | Outbox

const check = (
  name: string,
  run: ConformanceCheck<Services>["run"],
  requires: ConformanceCheck<Services>["requires"] = []
): ConformanceCheck<Services> => ({ port: "Outbox", name, requires, run })

/** A message to write; `maxAttempts` defaults to 3. */
const message = (id: string, topic: string, maxAttempts = 3, payload: Schema.Json = { id, topic }): OutboxMessageToWrite => ({
  id,
  topic,
  payload,
  maxAttempts
})

/** Writes `messages` with one event on a fresh stream, as the engine does. */
const write = Effect.fnUntraced(function*(tenantId: string, messages: ReadonlyArray<OutboxMessageToWrite>) {
  const store = yield* EventStore
  const request = yield* makeAppend({ tenantId, streamId: yield* freshId("stream"), outbox: messages })
  const result = yield* expectSuccess(store.append(request), "append with outbox messages")
  yield* expectEqual(result._tag, "Appended", "append with outbox messages")
})

const claim = Effect.fnUntraced(function*(options: ClaimOptions) {
  const outbox = yield* Outbox
  return yield* expectSuccess(outbox.claim(options), `claim ${JSON.stringify(options)}`)
})

const claimedIds = (claimed: ReadonlyArray<ClaimedMessage>) => claimed.map((entry) => entry.message.id)

/** A message as plain data for comparison: the port's fields, `availableAt` as ISO text. */
const messageView = (stored: OutboxMessage) => ({
  tenantId: stored.tenantId,
  id: stored.id,
  topic: stored.topic,
  payload: stored.payload,
  status: stored.status,
  attempts: stored.attempts,
  maxAttempts: stored.maxAttempts,
  availableAt: dateView(stored.availableAt),
  lastError: stored.lastError,
  receipt: stored.receipt === null
    ? null
    : { deliveredAt: dateView(stored.receipt.deliveredAt), receiverId: stored.receipt.receiverId }
})

/** The message as `get` returns it; fails if it is missing. */
const getMessage = Effect.fnUntraced(function*(tenantId: string, id: string) {
  const outbox = yield* Outbox
  const found = yield* outbox.get(tenantId, id)
  if (Option.isNone(found)) {
    return yield* new ConformanceFailure({ message: `get ${JSON.stringify(id)} found nothing`, expected: "a message" })
  }
  return found.value
})

/** The parts of a message's state that the checks follow through its life. */
const stateOf = (stored: OutboxMessage) => ({ status: stored.status, attempts: stored.attempts, lastError: stored.lastError })

const iso = (millis: number) => DateTime.formatIso(DateTime.makeUnsafe(millis))

const rawOutbox = Effect.map(Effect.serviceOption(RawStore), (raw) => Option.fromUndefinedOr(Option.getOrUndefined(raw)?.outboxMessages))

/** When a raw reader is supplied, the ids of the messages stored for the tenant must be `expected`. */
const expectStoredIds = Effect.fnUntraced(function*(tenantId: string, expected: ReadonlyArray<string>, what: string) {
  const reader = yield* rawOutbox
  if (Option.isNone(reader)) return
  const stored = yield* expectSuccess(reader.value(tenantId), "RawStore.outboxMessages")
  yield* expectEqual(stored.map((row) => row.id).sort(), [...expected].sort(), `${what} (read from the raw store)`)
})

const writtenPending = check(
  "an append's outbox messages are stored pending, unattempted and available at once",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("webhook")
    const written = [
      message("msg-1", topic, 5, { to: "records-system", body: { caseId: "c-1", text: "é 👮" }, tries: [1, null] }),
      message("msg-2", "email", 1, ["a", 1, true, null])
    ]
    yield* write(tenantId, written)
    const now = yield* Clock.currentTimeMillis
    for (const expected of written) {
      const stored = yield* getMessage(tenantId, expected.id)
      yield* expectEqual(
        { ...messageView(stored), availableAt: undefined },
        {
          tenantId,
          id: expected.id,
          topic: expected.topic,
          payload: expected.payload,
          status: "pending",
          attempts: 0,
          maxAttempts: expected.maxAttempts,
          availableAt: undefined,
          lastError: null,
          receipt: null
        },
        `get ${expected.id} after the append`
      )
      yield* expectTrue(
        DateTime.isDateTime(stored.availableAt) && DateTime.toEpochMillis(stored.availableAt) <= now,
        "a new message must be available at once",
        { expected: `at or before ${iso(now)}`, actual: dateView(stored.availableAt) }
      )
    }
    yield* expectEqual(yield* outbox.get(tenantId, "msg-3"), Option.none(), "get of an unknown message")
    yield* expectEqual(yield* outbox.get(yield* freshTenant, "msg-1"), Option.none(), "get in another tenant")
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })),
      ["msg-1", "msg-2"],
      "new messages must be claimable at once"
    )
    yield* expectStoredIds(tenantId, ["msg-1", "msg-2"], "the stored messages")
  })
)

const refusedAppends = check(
  "messages of an append that is refused or a duplicate are never written",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const key = yield* freshId("command")
    const topic = yield* freshId("topic")
    yield* expectSuccess(
      store.append(yield* makeAppend({ tenantId, streamId, idempotencyKey: key, outbox: [message("kept", topic)] })),
      "the first append"
    )
    yield* expectFailure(
      store.append(yield* makeAppend({ tenantId, streamId, expectedVersion: 0, outbox: [message("after-conflict", topic)] })),
      "VersionConflict",
      "an append expecting version 0 on an existing stream"
    )
    const malformed = yield* makeAppend({ tenantId, streamId: yield* freshId("stream"), count: 2, outbox: [message("after-invalid", topic)] })
    yield* expectFailure(
      store.append({ ...malformed, events: malformed.events.map((event) => ({ ...event, streamVersion: event.streamVersion * 2 })) }),
      "InvalidStoreRequest",
      "an append with a gap in its versions"
    )
    const duplicate = yield* expectSuccess(
      store.append(yield* makeAppend({ tenantId, streamId: yield* freshId("stream"), idempotencyKey: key, outbox: [message("after-duplicate", topic)] })),
      "an append under a used idempotency key"
    )
    yield* expectEqual(duplicate._tag, "Duplicate", "an append under a used idempotency key")
    for (const id of ["after-conflict", "after-invalid", "after-duplicate"]) {
      yield* expectEqual(yield* outbox.get(tenantId, id), Option.none(), `the message ${id} must not exist`)
    }
    yield* expectEqual(
      claimedIds(yield* claim({ topic, limit: 10, leaseMillis: 1_000 })),
      ["kept"],
      "only the written message is claimable"
    )
    yield* expectStoredIds(tenantId, ["kept"], "only the written message may be stored")
  })
)

const claimLeases = check(
  "claim leases messages in write order, adds one attempt and gives each lease its own token",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic), message("m3", topic)])
    const now = yield* Clock.currentTimeMillis
    const claimed = yield* claim({ tenantId, limit: 10, leaseMillis: 30_000 })
    yield* expectEqual(claimedIds(claimed), ["m1", "m2", "m3"], "a claim returns every available message, ties in write order")
    for (const entry of claimed) {
      yield* expectEqual(stateOf(entry.message), { status: "pending", attempts: 1, lastError: null }, "a claimed message")
      yield* expectEqual(
        { tenantId: entry.lease.tenantId, messageId: entry.lease.messageId },
        { tenantId, messageId: entry.message.id },
        "a lease names its message"
      )
      yield* expectEqual(dateView(entry.leaseUntil), iso(now + 30_000), "a lease lasts leaseMillis from the claim")
      yield* expectEqual(stateOf(yield* getMessage(tenantId, entry.message.id)), stateOf(entry.message), "get after the claim")
    }
    const tokens = claimed.map((entry) => entry.lease.token)
    yield* expectTrue(
      tokens.every((token) => typeof token === "string" && token.length > 0) && new Set(tokens).size === tokens.length,
      "every lease needs its own non-empty token",
      { actual: tokens }
    )
  })
)

const liveLeaseHides = check(
  "a live lease hides a message from every other claim",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic)])
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 1, leaseMillis: 10_000 })), ["m1"], "the first claim")
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 10_000 })),
      ["m2"],
      "a second claim skips the leased message"
    )
    yield* TestClock.adjust(9_999)
    yield* expectEqual(
      claimedIds(yield* claim({ topic, limit: 10, leaseMillis: 10_000 })),
      [],
      "leases that have not ended hide both messages"
    )
  })
)

const concurrentClaims = check(
  "concurrent claims never return the same message",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    const ids = Array.from({ length: 10 }, (_, index) => `m${String(index).padStart(2, "0")}`)
    yield* write(tenantId, ids.map((id) => message(id, topic)))
    const claims = yield* Effect.all(
      Array.from({ length: 8 }, () => expectSuccess(outbox.claim({ tenantId, limit: 3, leaseMillis: 60_000 }), "a racing claim")),
      { concurrency: "unbounded" }
    )
    const raced = claims.flatMap(claimedIds)
    yield* expectEqual(raced.length, new Set(raced).size, "no message may be returned by two racing claims")
    yield* expectTrue(raced.length > 0, "racing claims must claim something")
    const rest = claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 60_000 }))
    yield* expectEqual([...raced, ...rest].sort(), ids, "every message is claimed exactly once")
  }),
  ["concurrentWriters"]
)

const claimOrder = check(
  "claims take the oldest availableAt first, ties in write order",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic), message("m3", topic)])
    const start = yield* Clock.currentTimeMillis
    const [first] = yield* claim({ tenantId, limit: 1, leaseMillis: 60_000 })
    yield* expectEqual(first?.message.id, "m1", "the first of equally old messages is the first written")
    if (first !== undefined) {
      yield* expectSuccess(outbox.fail(first.lease, { error: "try later", retryAt: DateTime.makeUnsafe(start + 10) }), "fail m1")
    }
    yield* TestClock.adjust(5)
    yield* write(tenantId, [message("m4", topic)])
    yield* TestClock.adjust(10)
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 60_000 })),
      ["m2", "m3", "m4", "m1"],
      "claim order: m2 and m3 (written first), m4 (written 5 ms later), m1 (retried at 10 ms)"
    )
  })
)

const claimFilters = check(
  "claim takes only the requested topic and tenant, and all tenants when none is named",
  Effect.fnUntraced(function*() {
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const topicX = yield* freshId("topic-x")
    const topicY = yield* freshId("topic-y")
    yield* write(tenantA, [message("a1", topicX), message("a2", topicY), message("a3", topicX)])
    yield* write(tenantB, [message("b1", topicX)])
    const inA = yield* claim({ tenantId: tenantA, topic: topicX, limit: 10, leaseMillis: 60_000 })
    yield* expectEqual(
      inA.map((entry) => [entry.message.tenantId, entry.message.id]),
      [[tenantA, "a1"], [tenantA, "a3"]],
      "topic X in tenant A"
    )
    const anyTenant = yield* claim({ topic: topicX, limit: 10, leaseMillis: 60_000 })
    yield* expectEqual(
      anyTenant.map((entry) => [entry.message.tenantId, entry.message.id]),
      [[tenantB, "b1"]],
      "topic X in any tenant"
    )
    const anyTopic = yield* claim({ tenantId: tenantA, limit: 10, leaseMillis: 60_000 })
    yield* expectEqual(
      anyTopic.map((entry) => [entry.message.tenantId, entry.message.id]),
      [[tenantA, "a2"]],
      "any topic in tenant A"
    )
  })
)

const claimLimits = check(
  "claim returns at most limit messages; limit outside 1 to 1,000 or leaseMillis below 1 fail with InvalidStoreRequest",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic), message("m3", topic)])
    for (const [limit, leaseMillis] of [[0, 1_000], [-1, 1_000], [1_001, 1_000], [1.5, 1_000], [1, 0], [1, -5]] as const) {
      yield* expectFailure(
        outbox.claim({ tenantId, topic, limit, leaseMillis }),
        "InvalidStoreRequest",
        `a claim with limit ${limit} and leaseMillis ${leaseMillis}`
      )
    }
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })), ["m1"], "a claim with limit 1")
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 1_000, leaseMillis: 1 })),
      ["m2", "m3"],
      "a claim with limit 1,000"
    )
  })
)

const leaseExpiry = check(
  "when a lease ends unacknowledged the message can be claimed again",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 3)])
    const [first] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    yield* TestClock.adjust(999)
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })), [], "before the lease ends")
    yield* TestClock.adjust(2)
    const now = yield* Clock.currentTimeMillis
    const [second] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    yield* expectEqual(second?.message.id, "m1", "after the lease ends the message is claimable")
    yield* expectEqual(second?.message.attempts, 2, "the second claim is the second attempt")
    yield* expectTrue(second?.lease.token !== first?.lease.token, "a new claim gets a new token", { actual: second?.lease })
    yield* expectEqual(dateView(second?.leaseUntil), iso(now + 1_000), "the new lease lasts leaseMillis from the new claim")
  })
)

const ackDelivers = check(
  "ack marks a message delivered and it is never claimed again",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 1)])
    const [claimed] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    if (claimed === undefined) return yield* new ConformanceFailure({ message: "the message was not claimed" })
    yield* expectSuccess(outbox.ack(claimed.lease), "ack with the live lease")
    yield* expectEqual(
      stateOf(yield* getMessage(tenantId, "m1")),
      { status: "delivered", attempts: 1, lastError: null },
      "get after ack"
    )
    yield* TestClock.adjust(86_400_000)
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })),
      [],
      "a delivered message is never claimed again"
    )
    yield* expectEqual(
      yield* expectSuccess(outbox.deadLetters(tenantId, 10), "deadLetters"),
      [],
      "a delivered message is no dead letter"
    )
    yield* expectEqual(
      stateOf(yield* getMessage(tenantId, "m1")),
      { status: "delivered", attempts: 1, lastError: null },
      "get a day later"
    )
  })
)

const staleLeases = check(
  "a stale, settled or forged lease fails with LeaseLost and changes nothing",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 5)])
    const [first] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    yield* TestClock.adjust(1_001)
    const [second] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    if (first === undefined || second === undefined) {
      return yield* new ConformanceFailure({ message: "the message was not claimed twice", actual: [first, second] })
    }
    const retryAt = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    const stale: ReadonlyArray<readonly [string, Lease]> = [
      ["the lease of the earlier claim", first.lease],
      ["a forged token", { ...second.lease, token: `${second.lease.token}-forged` }],
      ["the lease under another tenant", { ...second.lease, tenantId: yield* freshTenant }],
      ["a lease on an unknown message", { ...second.lease, messageId: "m2" }]
    ]
    for (const [what, lease] of stale) {
      const lost = yield* expectFailure(outbox.ack(lease), "LeaseLost", `ack with ${what}`)
      yield* expectEqual(
        { tenantId: lost.tenantId, messageId: lost.messageId },
        { tenantId: lease.tenantId, messageId: lease.messageId },
        "LeaseLost names the message"
      )
      yield* expectFailure(outbox.fail(lease, { error: "stale", retryAt }), "LeaseLost", `fail with ${what}`)
    }
    yield* expectEqual(
      stateOf(yield* getMessage(tenantId, "m1")),
      { status: "pending", attempts: 2, lastError: null },
      "stale leases change nothing"
    )
    yield* expectSuccess(outbox.ack(second.lease), "ack with the current lease")
    yield* expectFailure(outbox.ack(second.lease), "LeaseLost", "a second ack of a settled message")
    yield* expectFailure(outbox.fail(second.lease, { error: "late", retryAt }), "LeaseLost", "fail after ack")
    yield* expectEqual(
      stateOf(yield* getMessage(tenantId, "m1")),
      { status: "delivered", attempts: 2, lastError: null },
      "get after the ack"
    )
  })
)

const failRetries = check(
  "fail with attempts left records the error and makes the message claimable at retryAt, not before",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 3)])
    const [claimed] = yield* claim({ tenantId, limit: 1, leaseMillis: 60_000 })
    if (claimed === undefined) return yield* new ConformanceFailure({ message: "the message was not claimed" })
    const retryAt = (yield* Clock.currentTimeMillis) + 5_000
    const status = yield* expectSuccess(
      outbox.fail(claimed.lease, { error: "SMTP 451: try again later", retryAt: DateTime.makeUnsafe(retryAt) }),
      "fail with attempts left"
    )
    yield* expectEqual(status, "pending", "fail with attempts left returns pending")
    const stored = yield* getMessage(tenantId, "m1")
    yield* expectEqual(
      { ...stateOf(stored), availableAt: dateView(stored.availableAt) },
      { status: "pending", attempts: 1, lastError: "SMTP 451: try again later", availableAt: iso(retryAt) },
      "get after fail"
    )
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 1, leaseMillis: 60_000 })), [], "claimable neither at once")
    yield* TestClock.adjust(4_999)
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 1, leaseMillis: 60_000 })), [], "nor 1 ms before retryAt")
    yield* TestClock.adjust(1)
    const [again] = yield* claim({ tenantId, limit: 1, leaseMillis: 60_000 })
    yield* expectEqual(
      again === undefined ? undefined : stateOf(again.message),
      { status: "pending", attempts: 2, lastError: "SMTP 451: try again later" },
      "at retryAt the message is claimed for its second attempt"
    )
  })
)

const failDeadLetters = check(
  "fail on the last attempt dead-letters the message for good",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 2)])
    const now = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    const [first] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    if (first === undefined) return yield* new ConformanceFailure({ message: "the message was not claimed" })
    yield* expectEqual(
      yield* expectSuccess(outbox.fail(first.lease, { error: "first", retryAt: now }), "first fail"),
      "pending",
      "the first of two attempts"
    )
    const [second] = yield* claim({ tenantId, limit: 1, leaseMillis: 1_000 })
    if (second === undefined) return yield* new ConformanceFailure({ message: "the message was not claimed again" })
    yield* expectEqual(
      yield* expectSuccess(outbox.fail(second.lease, { error: "final", retryAt: now }), "second fail"),
      "dead",
      "the last attempt"
    )
    yield* expectEqual(
      stateOf(yield* getMessage(tenantId, "m1")),
      { status: "dead", attempts: 2, lastError: "final" },
      "get of the dead letter"
    )
    yield* expectEqual(
      (yield* expectSuccess(outbox.deadLetters(tenantId, 10), "deadLetters")).map(messageView),
      [messageView(yield* getMessage(tenantId, "m1"))],
      "deadLetters lists it"
    )
    yield* TestClock.adjust(86_400_000)
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })),
      [],
      "a dead letter is never claimed"
    )
  })
)

const expiryDeadLetters = check(
  "a lease ending on the last attempt dead-letters the message",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 1), message("m2", topic, 2)])
    const claimed = yield* claim({ tenantId, limit: 2, leaseMillis: 1_000 })
    yield* TestClock.adjust(1_001)
    yield* expectEqual(stateOf(yield* getMessage(tenantId, "m1")).status, "dead", "get after the only attempt's lease ended")
    yield* expectEqual(
      (yield* expectSuccess(outbox.deadLetters(tenantId, 10), "deadLetters")).map((dead) => dead.id),
      ["m1"],
      "deadLetters after the lease ended, before any other claim"
    )
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })),
      ["m2"],
      "only the message with attempts left is claimable"
    )
    const lease = claimed.find((entry) => entry.message.id === "m1")?.lease
    if (lease !== undefined) yield* expectFailure(outbox.ack(lease), "LeaseLost", "ack of a dead-lettered message")
    yield* expectEqual(stateOf(yield* getMessage(tenantId, "m1")).status, "dead", "a late ack does not revive a dead letter")
  })
)

const deadLetterList = check(
  "deadLetters lists only the tenant's dead letters, oldest first, within limit",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 1), message("m2", topic, 1), message("m3", topic, 1), message("m4", topic, 1)])
    const claimed = yield* claim({ tenantId, limit: 3, leaseMillis: 60_000 })
    const now = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    for (const [index, entry] of claimed.entries()) {
      if (index < 2) yield* expectSuccess(outbox.fail(entry.lease, { error: `failure ${index + 1}`, retryAt: now }), "fail")
      else yield* expectSuccess(outbox.ack(entry.lease), "ack")
    }
    const dead = yield* expectSuccess(outbox.deadLetters(tenantId, 10), "deadLetters")
    yield* expectEqual(
      dead.map((entry) => [entry.id, entry.status, entry.lastError]),
      [["m1", "dead", "failure 1"], ["m2", "dead", "failure 2"]],
      "the dead letters"
    )
    yield* expectEqual(
      (yield* expectSuccess(outbox.deadLetters(tenantId, 1), "deadLetters")).map((entry) => entry.id),
      ["m1"],
      "deadLetters with limit 1"
    )
    yield* expectEqual(
      yield* expectSuccess(outbox.deadLetters(yield* freshTenant, 10), "deadLetters"),
      [],
      "another tenant has none"
    )
  })
)

const tenantIsolation = check(
  "tenants are isolated: the same message ids in two tenants are separate messages",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantA, [message("msg-1", topic, 3, { tenant: "A" })])
    yield* write(tenantB, [message("msg-1", topic, 3, { tenant: "B" })])
    const [inA] = yield* claim({ tenantId: tenantA, limit: 10, leaseMillis: 60_000 })
    yield* expectEqual(inA?.message.payload, { tenant: "A" }, "a claim in A takes A's message")
    if (inA === undefined) return
    yield* expectFailure(outbox.ack({ ...inA.lease, tenantId: tenantB }), "LeaseLost", "A's lease presented for B's message")
    yield* expectSuccess(outbox.ack(inA.lease), "ack in A")
    const b = yield* getMessage(tenantB, "msg-1")
    yield* expectEqual(
      { ...stateOf(b), payload: b.payload },
      { status: "pending", attempts: 0, lastError: null, payload: { tenant: "B" } },
      "B's message is untouched"
    )
    yield* expectEqual(
      claimedIds(yield* claim({ tenantId: tenantB, limit: 10, leaseMillis: 60_000 })),
      ["msg-1"],
      "B's message is claimable in B"
    )
  })
)

const faithfulMessages = check(
  "unicode, hostile strings and large payloads in messages read back exactly; topics match only themselves",
  Effect.fnUntraced(function*() {
    const tenantId = `'; DROP TABLE outbox; --${yield* freshTenant}-👮`
    const texts = [...hostileStrings, ...unicodeStrings]
    const written = texts.map((text, index) => message(`${text}#${index}`, text, 2, { text, [text]: [text, { text }] }))
    const large = message("large", "large", 1, { body: "0123456789abcdef".repeat(64 * 1024), list: hostileStrings })
    yield* write(tenantId, [...written, large])
    for (const expected of [...written, large]) {
      const stored = yield* getMessage(tenantId, expected.id)
      yield* expectEqual(
        { id: stored.id, topic: stored.topic, payload: stored.payload, maxAttempts: stored.maxAttempts },
        { id: expected.id, topic: expected.topic, payload: expected.payload, maxAttempts: expected.maxAttempts },
        `get ${JSON.stringify(expected.id)}`
      )
    }
    for (const topic of ["%", "_", "a%", "'", "caf\u00e9", "cafe\u0301"]) {
      yield* expectEqual(
        claimedIds(yield* claim({ tenantId, topic, limit: 1_000, leaseMillis: 60_000 })),
        written.filter((entry) => entry.topic === topic).map((entry) => entry.id),
        `a claim on topic ${JSON.stringify(topic)} takes that topic's messages only`
      )
    }
  })
)

const rawAgreement = check(
  "what get returns is what the raw store holds",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const reader = yield* rawOutbox
    if (Option.isNone(reader)) {
      return yield* new ConformanceFailure({ message: "this check needs RawStore.outboxMessages; supply it with the raw option" })
    }
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic, 1), message("m3", topic)])
    const claimed = yield* claim({ tenantId, limit: 2, leaseMillis: 60_000 })
    const now = DateTime.makeUnsafe((yield* Clock.currentTimeMillis) + 500)
    for (const entry of claimed) yield* expectSuccess(outbox.fail(entry.lease, { error: `failed ${entry.message.id}`, retryAt: now }), "fail")
    const stored = yield* expectSuccess(reader.value(tenantId), "RawStore.outboxMessages")
    const byId = [...stored].sort((a, b) => (a.id < b.id ? -1 : 1)).map(messageView)
    yield* expectEqual(byId.map((row) => row.id), ["m1", "m2", "m3"], "the raw store holds the three messages")
    for (const row of byId) {
      yield* expectEqual(messageView(yield* getMessage(tenantId, row.id)), row, `get ${row.id} must agree with the raw store`)
    }
  }),
  ["raw"]
)

const persistence = check(
  "messages and their delivery state survive a new instance of the adapter",
  Effect.fnUntraced(function*(context) {
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    const retryAt = (yield* Clock.currentTimeMillis) + 500
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        const outbox = yield* Outbox
        yield* write(tenantId, [message("m1", topic), message("m2", topic)])
        const claimed = yield* claim({ tenantId, limit: 2, leaseMillis: 1_000 })
        for (const entry of claimed) {
          if (entry.message.id === "m1") yield* expectSuccess(outbox.ack(entry.lease), "ack m1")
          else yield* expectSuccess(outbox.fail(entry.lease, { error: "later", retryAt: DateTime.makeUnsafe(retryAt) }), "fail m2")
        }
      })
    )
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        yield* expectEqual(
          stateOf(yield* getMessage(tenantId, "m1")),
          { status: "delivered", attempts: 1, lastError: null },
          "m1 in a new instance"
        )
        yield* expectEqual(
          stateOf(yield* getMessage(tenantId, "m2")),
          { status: "pending", attempts: 1, lastError: "later" },
          "m2 in a new instance"
        )
        yield* TestClock.adjust(500)
        yield* expectEqual(
          claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })),
          ["m2"],
          "m2 is claimable at its retryAt"
        )
      })
    )
  }),
  ["persistent"]
)

const tenantIds = check(
  "every operation refuses an empty, over-long (3 KB, 257 bytes) or non-portable tenant id (a lease's, settle's, claim's filter, requeue's) with InvalidStoreRequest, and takes a 256-byte one",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const topic = yield* freshId("topic")
    for (const { tenantId, what } of invalidTenantIds()) {
      const lease: Lease = { tenantId, messageId: "message-1", token: "token" }
      yield* expectTenantRefused(outbox.claim({ tenantId, topic, limit: 10, leaseMillis: 1_000 }), "Outbox.claim", tenantId, what)
      yield* expectTenantRefused(outbox.ack(lease), "Outbox.ack", tenantId, what)
      yield* expectTenantRefused(
        outbox.fail(lease, { error: "timeout", retryAt: DateTime.makeUnsafe(Date.UTC(2026, 2, 2)) }),
        "Outbox.fail",
        tenantId,
        what
      )
      yield* expectTenantRefused(outbox.settle([{ _tag: "Ack", lease }]), "Outbox.settle", tenantId, what)
      yield* expectTenantRefused(outbox.get(tenantId, "message-1"), "Outbox.get", tenantId, what)
      yield* expectTenantRefused(outbox.deadLetters(tenantId, 10), "Outbox.deadLetters", tenantId, what)
      yield* expectTenantRefused(outbox.requeue(tenantId, "message-1"), "Outbox.requeue", tenantId, what)
    }
    const longest = yield* longestTenant
    yield* write(longest, [message("kept", topic)])
    const claimed = yield* expectSuccess(outbox.claim({ tenantId: longest, topic, limit: 10, leaseMillis: 60_000 }), "a claim in a tenant of 256 bytes")
    yield* expectEqual(claimed.map((found) => found.message.id), ["kept"], "the message of a tenant of 256 bytes")
    yield* expectSuccess(outbox.ack(claimed[0]!.lease), "an ack in a tenant of 256 bytes")
    yield* expectEqual(
      Option.map(yield* outbox.get(longest, "kept"), (found) => found.status),
      Option.some("delivered"),
      "get in a tenant of 256 bytes"
    )
  })
)

const ackReceipts = check(
  "ack records the receipt: the time of the ack and the receiver's id, or none when it gave none; an earlier error is kept",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic), message("m3", topic)])
    const claimed = yield* claim({ tenantId, limit: 3, leaseMillis: 60_000 })
    const [m1, m2, m3] = claimed
    if (m1 === undefined || m2 === undefined || m3 === undefined) {
      return yield* new ConformanceFailure({ message: "the three messages were not claimed", actual: claimedIds(claimed) })
    }
    yield* expectEqual((yield* getMessage(tenantId, "m1")).receipt, null, "a pending message has no receipt")
    const start = yield* Clock.currentTimeMillis
    yield* expectSuccess(outbox.fail(m3.lease, { error: "HTTP 503", retryAt: DateTime.makeUnsafe(start) }), "fail m3")
    yield* TestClock.adjust(1_234)
    yield* expectSuccess(outbox.ack(m1.lease, { receiverId: "gateway-message-42" }), "ack m1 with the receiver's id")
    yield* TestClock.adjust(1)
    yield* expectSuccess(outbox.ack(m2.lease), "ack m2 without a receiver id")
    const [again] = yield* claim({ tenantId, limit: 1, leaseMillis: 60_000 })
    if (again === undefined) return yield* new ConformanceFailure({ message: "m3 was not claimed again" })
    yield* expectSuccess(outbox.ack(again.lease, { receiverId: "r-3" }), "ack m3 on its second attempt")
    const views = [yield* getMessage(tenantId, "m1"), yield* getMessage(tenantId, "m2"), yield* getMessage(tenantId, "m3")].map(messageView)
    yield* expectEqual(
      views.map((view) => ({ id: view.id, status: view.status, lastError: view.lastError, receipt: view.receipt })),
      [
        { id: "m1", status: "delivered", lastError: null, receipt: { deliveredAt: iso(start + 1_234), receiverId: "gateway-message-42" } },
        { id: "m2", status: "delivered", lastError: null, receipt: { deliveredAt: iso(start + 1_235), receiverId: null } },
        { id: "m3", status: "delivered", lastError: "HTTP 503", receipt: { deliveredAt: iso(start + 1_235), receiverId: "r-3" } }
      ],
      "the receipts (and m3's earlier error) as get returns them"
    )
    const reader = yield* rawOutbox
    if (Option.isSome(reader)) {
      const stored = yield* expectSuccess(reader.value(tenantId), "RawStore.outboxMessages")
      yield* expectEqual(
        [...stored].sort((a, b) => (a.id < b.id ? -1 : 1)).map(messageView),
        views,
        "the receipts as the raw store holds them"
      )
    }
  })
)

const permanentFailures = check(
  "a permanent failure dead-letters the message at once, whatever attempts remain",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic, 5), message("m2", topic, 5)])
    const claimed = yield* claim({ tenantId, limit: 2, leaseMillis: 60_000 })
    const later = DateTime.makeUnsafe((yield* Clock.currentTimeMillis) + 1_000)
    const statuses: Array<string> = []
    for (const entry of claimed) {
      const permanent = entry.message.id === "m1"
      statuses.push(yield* expectSuccess(
        outbox.fail(entry.lease, { error: permanent ? "HTTP 410: the subscription has ended" : "HTTP 503", retryAt: later, permanent }),
        `fail ${entry.message.id}`
      ))
    }
    yield* expectEqual(statuses, ["dead", "pending"], "fail returns dead for the permanent failure, pending for the other")
    yield* expectEqual(
      stateOf(yield* getMessage(tenantId, "m1")),
      { status: "dead", attempts: 1, lastError: "HTTP 410: the subscription has ended" },
      "the permanently failed message"
    )
    yield* expectEqual(
      (yield* expectSuccess(outbox.deadLetters(tenantId, 10), "deadLetters")).map((dead) => dead.id),
      ["m1"],
      "deadLetters lists it"
    )
    yield* TestClock.adjust(86_400_000)
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })), ["m2"], "only the other is claimed again")
  })
)

const requeueDeadLetters = check(
  "requeue makes a dead letter pending at once with fresh attempts, keeping its last error; anything else fails with NotDeadLettered and changes nothing",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("failed", topic, 1), message("lapsed", topic, 1), message("pending", topic, 3), message("delivered", topic, 3)])
    const claimed = yield* claim({ tenantId, limit: 4, leaseMillis: 1_000 })
    const now = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    for (const entry of claimed) {
      if (entry.message.id === "failed") yield* expectSuccess(outbox.fail(entry.lease, { error: "HTTP 410", retryAt: now }), "fail")
      if (entry.message.id === "pending") yield* expectSuccess(outbox.fail(entry.lease, { error: "HTTP 503", retryAt: now }), "fail")
      if (entry.message.id === "delivered") yield* expectSuccess(outbox.ack(entry.lease, { receiverId: "r-1" }), "ack")
    }
    // "lapsed" is dead once its only lease ends, before any sweeper has run.
    yield* TestClock.adjust(1_001)
    const at = yield* Clock.currentTimeMillis
    for (const [id, lastError] of [["failed", "HTTP 410"], ["lapsed", (yield* getMessage(tenantId, "lapsed")).lastError]] as const) {
      const revived = yield* expectSuccess(outbox.requeue(tenantId, id), `requeue ${id}`)
      yield* expectEqual(
        { ...stateOf(revived), availableAt: dateView(revived.availableAt), id: revived.id },
        { status: "pending", attempts: 0, lastError, availableAt: iso(at), id },
        `requeue ${id} returns the message pending, unattempted, available now, with its last error`
      )
      yield* expectEqual(messageView(yield* getMessage(tenantId, id)), messageView(revived), `get ${id} after requeue`)
    }
    yield* expectEqual((yield* expectSuccess(outbox.deadLetters(tenantId, 10), "deadLetters")), [], "requeued messages are no dead letters")
    for (const [id, status] of [["pending", "pending"], ["delivered", "delivered"], ["unknown", "missing"]] as const) {
      const before = yield* outbox.get(tenantId, id)
      const refused = yield* expectFailure(outbox.requeue(tenantId, id), "NotDeadLettered", `requeue of a ${status} message`)
      yield* expectEqual(
        { tenantId: refused.tenantId, messageId: refused.messageId, status: refused.status },
        { tenantId, messageId: id, status },
        "NotDeadLettered names the message and its status"
      )
      yield* expectEqual(Option.map(yield* outbox.get(tenantId, id), messageView), Option.map(before, messageView), `a refused requeue of ${id} changes nothing`)
    }
    const again = yield* claim({ tenantId, limit: 10, leaseMillis: 1_000 })
    yield* expectEqual(
      again.map((entry) => [entry.message.id, entry.message.attempts]).sort(),
      [["failed", 1], ["lapsed", 1], ["pending", 2]],
      "requeued messages are claimed again, as their first attempt"
    )
  })
)

/** A settle result as plain data: the status, or which message's lease was lost. */
const settleView = (result: SettleResult) =>
  Result.isSuccess(result) ? result.success : `${result.failure._tag} ${result.failure.tenantId}/${result.failure.messageId}`

const settleBatch = check(
  "settle records a batch as ack and fail would, one result per settlement in order; a stale lease is its own LeaseLost and the rest are recorded",
  Effect.fnUntraced(function*() {
    const outbox = yield* Outbox
    const tenantId = yield* freshTenant
    const topic = yield* freshId("topic")
    yield* write(tenantId, [message("m1", topic), message("m2", topic), message("m3", topic), message("m4", topic, 1), message("m5", topic)])
    yield* expectEqual(yield* expectSuccess(outbox.settle([]), "settle of an empty batch"), [], "an empty batch settles nothing")
    const claimed = yield* claim({ tenantId, limit: 5, leaseMillis: 60_000 })
    const [m1, m2, m3, m4, m5] = claimed
    if (m1 === undefined || m2 === undefined || m3 === undefined || m4 === undefined || m5 === undefined) {
      return yield* new ConformanceFailure({ message: "the five messages were not claimed", actual: claimedIds(claimed) })
    }
    yield* TestClock.adjust(1_000)
    const now = yield* Clock.currentTimeMillis
    const retryAt = now + 5_000
    const batch: ReadonlyArray<Settlement> = [
      { _tag: "Ack", lease: m1.lease, details: { receiverId: "receipt-1" } },
      { _tag: "Fail", lease: m2.lease, failure: { error: "HTTP 503", retryAt: DateTime.makeUnsafe(retryAt) } },
      { _tag: "Fail", lease: m3.lease, failure: { error: "HTTP 410", retryAt: DateTime.makeUnsafe(retryAt), permanent: true } },
      { _tag: "Fail", lease: m4.lease, failure: { error: "HTTP 500", retryAt: DateTime.makeUnsafe(retryAt) } },
      { _tag: "Ack", lease: { ...m5.lease, token: `${m5.lease.token}-forged` } },
      { _tag: "Ack", lease: m1.lease }
    ]
    const results = yield* expectSuccess(outbox.settle(batch), "settle of a batch holding stale leases")
    yield* expectEqual(
      results.map(settleView),
      ["delivered", "pending", "dead", "dead", `LeaseLost ${tenantId}/m5`, `LeaseLost ${tenantId}/m1`],
      "one result per settlement, in order: the forged lease and the second settlement of m1 lost, the rest recorded"
    )
    const views = (yield* Effect.forEach(["m1", "m2", "m3", "m4", "m5"], (id) => getMessage(tenantId, id))).map(messageView)
    yield* expectEqual(
      views.map(({ id, status, lastError, availableAt, receipt }) => ({ id, status, lastError, availableAt, receipt })),
      [
        { id: "m1", status: "delivered", lastError: null, availableAt: views[0]!.availableAt, receipt: { deliveredAt: iso(now), receiverId: "receipt-1" } },
        { id: "m2", status: "pending", lastError: "HTTP 503", availableAt: iso(retryAt), receipt: null },
        { id: "m3", status: "dead", lastError: "HTTP 410", availableAt: views[2]!.availableAt, receipt: null },
        { id: "m4", status: "dead", lastError: "HTTP 500", availableAt: views[3]!.availableAt, receipt: null },
        { id: "m5", status: "pending", lastError: null, availableAt: views[4]!.availableAt, receipt: null }
      ],
      "every message as get returns it after the batch"
    )
    yield* expectEqual(claimedIds(yield* claim({ tenantId, limit: 5, leaseMillis: 60_000 })), [], "m5 is still leased, m2 waits for retryAt")
    yield* expectEqual(
      (yield* expectSuccess(outbox.settle([{ _tag: "Ack", lease: m5.lease }]), "settle m5 with its real lease")).map(settleView),
      ["delivered"],
      "the lease a forged one imitated still settles its message"
    )
    const refused = yield* freshTenant
    yield* write(refused, [message("kept", topic)])
    const [kept] = yield* claim({ tenantId: refused, limit: 1, leaseMillis: 60_000 })
    if (kept === undefined) return yield* new ConformanceFailure({ message: "the message was not claimed" })
    yield* expectFailure(
      outbox.settle([{ _tag: "Ack", lease: kept.lease }, { _tag: "Ack", lease: { ...kept.lease, tenantId: "" } }]),
      "InvalidStoreRequest",
      "settle of a batch holding a lease of an invalid tenant id"
    )
    yield* expectFailure(
      outbox.settle(Array.from({ length: 1_001 }, (): Settlement => ({ _tag: "Ack", lease: kept.lease }))),
      "InvalidStoreRequest",
      "settle of more than 1,000 settlements"
    )
    yield* expectEqual(stateOf(yield* getMessage(refused, "kept")), { status: "pending", attempts: 1, lastError: null }, "a refused batch changes nothing")
    const reader = yield* rawOutbox
    if (Option.isSome(reader)) {
      const stored = yield* expectSuccess(reader.value(tenantId), "RawStore.outboxMessages")
      yield* expectEqual(
        [...stored].sort((a, b) => (a.id < b.id ? -1 : 1)).map((row) => ({ id: row.id, status: row.status })),
        [
          { id: "m1", status: "delivered" },
          { id: "m2", status: "pending" },
          { id: "m3", status: "dead" },
          { id: "m4", status: "dead" },
          { id: "m5", status: "delivered" }
        ],
        "the batch as the raw store holds it"
      )
    }
  })
)

/** Every check of the `Outbox` contract, in the order they are registered. */
export const outboxChecks: ReadonlyArray<ConformanceCheck<EventStore | Outbox>> = [
  tenantIds,
  writtenPending,
  refusedAppends,
  claimLeases,
  liveLeaseHides,
  concurrentClaims,
  claimOrder,
  claimFilters,
  claimLimits,
  leaseExpiry,
  ackDelivers,
  ackReceipts,
  settleBatch,
  staleLeases,
  failRetries,
  failDeadLetters,
  expiryDeadLetters,
  permanentFailures,
  requeueDeadLetters,
  deadLetterList,
  tenantIsolation,
  faithfulMessages,
  rawAgreement,
  persistence
]
