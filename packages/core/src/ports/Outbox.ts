/**
 * The outbox port: messages committed with the events that caused them, then
 * delivered at least once by consumers that claim them with a lease.
 *
 * @module
 */
import { type DateTime, type Effect, type Option, type Result, Context, Schema } from "effect"
import type { InvalidStoreRequest, LeaseLost, StorageFailure } from "./StoreErrors.ts"

/** Where a message is in its life. */
export type OutboxStatus = "pending" | "delivered" | "dead"

/** An outbox message as stored. */
export interface OutboxMessage {
  readonly tenantId: string
  readonly id: string
  readonly topic: string
  readonly payload: Schema.Json
  readonly status: OutboxStatus
  /** How many times it has been claimed. */
  readonly attempts: number
  readonly maxAttempts: number
  /** Not claimable before this time (set by a failure's retry time). */
  readonly availableAt: DateTime.Utc
  /**
   * The error of the last failed delivery, if any. Kept when the message is
   * delivered later or re-queued, so the history of a dead letter survives.
   */
  readonly lastError: string | null
  /** The proof of delivery, recorded by `ack`; `null` until the message is delivered. */
  readonly receipt: OutboxReceipt | null
}

/**
 * The proof that a message was delivered: when the consumer recorded the
 * receiver's acknowledgement (the outbox's `Clock` at `ack`), and the
 * receiver's own id for it when the receiver gave one (a gateway's message
 * id, a webhook's receipt header), so a city can show that, and when, it
 * notified.
 */
export interface OutboxReceipt {
  readonly deliveredAt: DateTime.Utc
  readonly receiverId: string | null
}

/** What a consumer knows of a delivery when it acknowledges it. */
export interface AckDetails {
  /** The receiver's id for the message, when it gave one. */
  readonly receiverId?: string | undefined
}

/** A failed delivery, as a consumer reports it to `fail`. */
export interface DeliveryFailure {
  /** What went wrong, for operators; recorded as `lastError`. */
  readonly error: string
  /** When the message may be claimed again, if attempts remain. */
  readonly retryAt: DateTime.Utc
  /** A failure that no retry can cure (a refusal, a message that cannot be rendered): dead-letter at once, whatever attempts remain. */
  readonly permanent?: boolean | undefined
}

/**
 * `requeue` was asked to revive a message that is not a dead letter: it is
 * pending, delivered, or not stored at all (`status` says which). Nothing
 * changed. Only dead letters can be re-queued; a pending message is already
 * on its way, and a delivered one must never be sent again.
 */
export class NotDeadLettered extends Schema.TaggedError<NotDeadLettered>()("NotDeadLettered", {
  tenantId: Schema.String,
  messageId: Schema.String,
  status: Schema.Literals(["pending", "delivered", "missing"])
}) {
  override get message(): string {
    return `outbox message ${JSON.stringify(this.messageId)} of tenant ${JSON.stringify(this.tenantId)} is ${this.status}, not a dead letter: only dead letters can be re-queued`
  }
}

/** Proof of a claim: only its holder may acknowledge or fail the message. */
export interface Lease {
  readonly tenantId: string
  readonly messageId: string
  readonly token: string
}

/** A claimed message and its lease. */
export interface ClaimedMessage {
  readonly message: OutboxMessage
  readonly lease: Lease
  /** When the lease ends; after that another consumer may claim the message. */
  readonly leaseUntil: DateTime.Utc
}

/**
 * One outcome for `settle` to record under the lease it was claimed with:
 * an acknowledgement (as `ack` records it) or a failed delivery (as `fail`
 * records it).
 */
export type Settlement =
  | { readonly _tag: "Ack"; readonly lease: Lease; readonly details?: AckDetails | undefined }
  | { readonly _tag: "Fail"; readonly lease: Lease; readonly failure: DeliveryFailure }

/**
 * What `settle` made of one settlement: the message's resulting status
 * (`"delivered"` for an acknowledgement, `"pending"` or `"dead"` for a
 * failure), or `LeaseLost` when its lease was stale; nothing was recorded
 * for that message then.
 */
export type SettleResult = Result.Result<"delivered" | "pending" | "dead", LeaseLost>

/** The most settlements one `settle` call takes. */
export const maxSettlements = 1_000

/** Which messages to claim. */
export interface ClaimOptions {
  /** Only this topic; all topics if absent. */
  readonly topic?: string | undefined
  /** Only this tenant; all tenants if absent. */
  readonly tenantId?: string | undefined
  /** At most this many (1 to 1,000). */
  readonly limit: number
  /** How long the claim holds, in milliseconds (at least 1). */
  readonly leaseMillis: number
}

/**
 * The outbox port. Messages are written by `EventStore.append`, in the same
 * transaction as their events; this port delivers them. Times come from the
 * effect `Clock`, so tests can move time with `TestClock`.
 *
 * Contract (checked by `@community-policing/testkit`):
 * - **Claim.** `claim` returns pending messages whose `availableAt` has come
 *   and that nobody holds a live lease on, oldest `availableAt` first (ties in
 *   write order), and leases them for `leaseMillis`; each claim adds one
 *   attempt. Concurrent claims never return the same message twice while a
 *   lease is live.
 * - **Lease expiry.** When a lease ends unacknowledged, the message can be
 *   claimed again (a crashed consumer). If it has used all its attempts, it
 *   is dead-lettered instead.
 * - **Acknowledge.** `ack` with the current lease marks it delivered and
 *   records the receipt (the outbox's `Clock` time and the receiver's id
 *   when given; `lastError` is kept); it is never claimed again. A stale lease (the message was claimed again, or
 *   already settled) fails with `LeaseLost`; a lease that ran out but was
 *   not yet claimed by anyone else is still current.
 * - **Fail.** `fail` with the current lease records the error; with attempts
 *   left, the message becomes claimable again at `retryAt`; otherwise it is
 *   dead-lettered. A `permanent` failure dead-letters it at once, whatever
 *   attempts remain. Returns the resulting status. A stale lease fails with
 *   `LeaseLost`.
 * - **Settle in a batch.** `settle` records up to {@link maxSettlements}
 *   outcomes at once, each exactly as `ack` or `fail` would, in one
 *   transaction (an adapter with transactions commits once for the batch),
 *   in the order given, and returns one {@link SettleResult} per settlement,
 *   in the same order. A stale lease is that settlement's `LeaseLost` result,
 *   never a failure of the batch: the other settlements are recorded. The
 *   same lease twice in a batch settles once; the second is `LeaseLost`.
 *   An empty batch returns an empty array. A `StorageFailure` records none
 *   of the batch.
 * - **Dead letters** are listed by `deadLetters` in write order (limit 1
 *   to 1,000) and never claimed. A message whose last lease ran out counts
 *   as dead at once, for `get` and `deadLetters` too, without waiting for a
 *   claim or a sweeper.
 * - **Re-queue.** `requeue` makes a dead letter pending again, available at
 *   once, with its attempts back at 0 and its `lastError` kept (the history
 *   of why it died), and returns it. Anything else (pending, delivered,
 *   unknown) fails with `NotDeadLettered` and changes nothing.
 * - **Tenant ids**, as for the event store: an invalid tenant id (a
 *   lease's, any of `settle`'s leases, `claim`'s filter, `get`'s, `deadLetters`', `requeue`'s) fails with
 *   `InvalidStoreRequest` and changes nothing; so does a `settle` batch of
 *   more than {@link maxSettlements}.
 */
export class Outbox extends Context.Service<Outbox, {
  /** Leases up to `limit` deliverable messages. */
  readonly claim: (
    options: ClaimOptions
  ) => Effect.Effect<ReadonlyArray<ClaimedMessage>, InvalidStoreRequest | StorageFailure>
  /** Marks a claimed message delivered, recording the receipt. */
  readonly ack: (lease: Lease, details?: AckDetails) => Effect.Effect<void, LeaseLost | InvalidStoreRequest | StorageFailure>
  /** Records a failed delivery; retries at `retryAt` or dead-letters. */
  readonly fail: (
    lease: Lease,
    failure: DeliveryFailure
  ) => Effect.Effect<"pending" | "dead", LeaseLost | InvalidStoreRequest | StorageFailure>
  /** Records many outcomes at once, in one transaction; a stale lease is that settlement's `LeaseLost` result. */
  readonly settle: (
    settlements: ReadonlyArray<Settlement>
  ) => Effect.Effect<ReadonlyArray<SettleResult>, InvalidStoreRequest | StorageFailure>
  /** One message, whatever its status. */
  readonly get: (
    tenantId: string,
    messageId: string
  ) => Effect.Effect<Option.Option<OutboxMessage>, InvalidStoreRequest | StorageFailure>
  /** The tenant's dead-lettered messages, in write order. */
  readonly deadLetters: (
    tenantId: string,
    limit: number
  ) => Effect.Effect<ReadonlyArray<OutboxMessage>, InvalidStoreRequest | StorageFailure>
  /** The admin command for a dead letter: pending again, with fresh attempts; returns the message as re-queued. */
  readonly requeue: (
    tenantId: string,
    messageId: string
  ) => Effect.Effect<OutboxMessage, NotDeadLettered | InvalidStoreRequest | StorageFailure>
}>()("@community-policing/core/Outbox") {}
