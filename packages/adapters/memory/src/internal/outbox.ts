/**
 * The outbox over the shared memory state. Messages are written by the event
 * store's append; this module leases, settles and dead-letters them. Time
 * comes from the effect `Clock`, so `TestClock` drives lease expiry and retries.
 *
 * @internal
 */
import {
  type AckDetails,
  type ClaimedMessage,
  type DeliveryFailure,
  type ClaimOptions,
  type Lease,
  LeaseLost,
  NotDeadLettered,
  Outbox,
  type OutboxMessage,
  type SettleResult,
  type Settlement
} from "@community-policing/core"
import { Clock, DateTime, Effect, Option, Result } from "effect"
import { copyOut } from "./json.ts"
import type { OutboxRow, State, TenantState } from "./state.ts"

/** A caller's copy of a stored message. */
export const messageOut = (row: OutboxRow): OutboxMessage => ({
  tenantId: row.tenantId,
  id: row.id,
  topic: row.topic,
  payload: copyOut(row.payload),
  status: row.status,
  attempts: row.attempts,
  maxAttempts: row.maxAttempts,
  availableAt: DateTime.makeUnsafe(row.availableAt),
  lastError: row.lastError,
  receipt: row.receipt === null
    ? null
    : { deliveredAt: DateTime.makeUnsafe(row.receipt.deliveredAt), receiverId: row.receipt.receiverId }
})

const deadLetter = (tenant: TenantState, row: OutboxRow, error: string | null): void => {
  row.status = "dead"
  row.lease = null
  row.lastError = error
  tenant.pending.delete(row)
}

/**
 * Applies a lease expiry that has come: a message whose lease ended with no
 * attempts left is dead-lettered. Expiry is applied lazily, whenever a message
 * is looked at, which is indistinguishable from applying it on time.
 */
const expire = (tenant: TenantState, row: OutboxRow, now: number): void => {
  if (row.status === "pending" && row.lease !== null && row.lease.until <= now && row.attempts >= row.maxAttempts) {
    deadLetter(tenant, row, "lease expired on the last attempt")
  }
}

const isClaimable = (row: OutboxRow, now: number): boolean =>
  row.status === "pending" && row.availableAt <= now && (row.lease === null || row.lease.until <= now)

/**
 * The row a lease still holds, or `undefined`. A lease that ended is still
 * held until someone else claims the message or it is dead-lettered, so a
 * slow consumer that finishes just after its lease may still settle it.
 */
const heldRow = (state: State, lease: Lease, now: number): OutboxRow | undefined => {
  const tenant = state.tenants.get(lease.tenantId)
  const row = tenant?.outbox.get(lease.messageId)
  if (tenant === undefined || row === undefined) return undefined
  expire(tenant, row, now)
  return row.status === "pending" && row.lease !== null && row.lease.token === lease.token ? row : undefined
}

/** The outbox service over `state`. */
export const makeOutbox = (state: State): Outbox["Service"] => {
  const claim = Effect.fnUntraced(function*(
    options: ClaimOptions
  ): Effect.fn.Return<ReadonlyArray<ClaimedMessage>> {
    const now = yield* Clock.currentTimeMillis
    // No yield from here on: checking and leasing a message is one atomic step, so two claims never share it.
    const tenants: Array<TenantState> = []
    if (options.tenantId === undefined) tenants.push(...state.tenants.values())
    else {
      const tenant = state.tenants.get(options.tenantId)
      if (tenant !== undefined) tenants.push(tenant)
    }
    const candidates: Array<OutboxRow> = []
    for (const tenant of tenants) {
      for (const row of tenant.pending) {
        expire(tenant, row, now)
        if ((options.topic === undefined || row.topic === options.topic) && isClaimable(row, now)) candidates.push(row)
      }
    }
    candidates.sort((a, b) => a.availableAt - b.availableAt || a.sequence - b.sequence)
    const leaseUntil = now + options.leaseMillis
    return candidates.slice(0, options.limit).map((row): ClaimedMessage => {
      row.attempts += 1
      row.lease = { token: globalThis.crypto.randomUUID(), until: leaseUntil }
      return {
        message: messageOut(row),
        lease: { tenantId: row.tenantId, messageId: row.id, token: row.lease.token },
        leaseUntil: DateTime.makeUnsafe(leaseUntil)
      }
    })
  })

  const lost = (lease: Lease) => new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId })

  /** Acknowledges under the lease; no yield, so one atomic step. */
  const ackHeld = (lease: Lease, details: AckDetails, now: number): SettleResult => {
    const row = heldRow(state, lease, now)
    if (row === undefined) return Result.fail(lost(lease))
    row.status = "delivered"
    row.lease = null
    row.receipt = { deliveredAt: now, receiverId: details.receiverId ?? null }
    state.tenants.get(lease.tenantId)?.pending.delete(row)
    return Result.succeed("delivered")
  }

  /** Records a failure under the lease; no yield, so one atomic step. */
  const failHeld = (lease: Lease, failure: DeliveryFailure, now: number): SettleResult => {
    const row = heldRow(state, lease, now)
    const tenant = state.tenants.get(lease.tenantId)
    if (row === undefined || tenant === undefined) return Result.fail(lost(lease))
    if (failure.permanent === true || row.attempts >= row.maxAttempts) {
      deadLetter(tenant, row, failure.error)
      return Result.succeed("dead")
    }
    row.lastError = failure.error
    row.lease = null
    row.availableAt = DateTime.toEpochMillis(failure.retryAt)
    return Result.succeed("pending")
  }

  const ack = Effect.fnUntraced(function*(lease: Lease, details: AckDetails = {}): Effect.fn.Return<void, LeaseLost> {
    const now = yield* Clock.currentTimeMillis
    const result = ackHeld(lease, details, now)
    if (Result.isFailure(result)) return yield* result.failure
  })

  const fail = Effect.fnUntraced(function*(
    lease: Lease,
    failure: DeliveryFailure
  ): Effect.fn.Return<"pending" | "dead", LeaseLost> {
    const now = yield* Clock.currentTimeMillis
    const result = failHeld(lease, failure, now)
    if (Result.isFailure(result)) return yield* result.failure
    return result.success === "dead" ? "dead" : "pending"
  })

  const settle = Effect.fnUntraced(function*(settlements: ReadonlyArray<Settlement>): Effect.fn.Return<ReadonlyArray<SettleResult>> {
    const now = yield* Clock.currentTimeMillis
    // No yield from here on: the whole batch is one atomic step, like a transaction.
    return settlements.map((settlement) =>
      settlement._tag === "Ack" ? ackHeld(settlement.lease, settlement.details ?? {}, now) : failHeld(settlement.lease, settlement.failure, now)
    )
  })

  const get = Effect.fnUntraced(function*(tenantId: string, messageId: string) {
    const now = yield* Clock.currentTimeMillis
    const tenant = state.tenants.get(tenantId)
    const row = tenant?.outbox.get(messageId)
    if (tenant === undefined || row === undefined) return Option.none()
    expire(tenant, row, now)
    return Option.some(messageOut(row))
  })

  const deadLetters = Effect.fnUntraced(function*(
    tenantId: string,
    limit: number
  ): Effect.fn.Return<ReadonlyArray<OutboxMessage>> {
    const now = yield* Clock.currentTimeMillis
    const tenant = state.tenants.get(tenantId)
    if (tenant === undefined) return []
    for (const row of tenant.pending) expire(tenant, row, now)
    const dead: Array<OutboxRow> = []
    // Map iteration follows insertion, which is write order: the oldest message first.
    for (const row of tenant.outbox.values()) {
      if (row.status === "dead") dead.push(row)
      if (dead.length === limit) break
    }
    return dead.map(messageOut)
  })

  const requeue = Effect.fnUntraced(function*(tenantId: string, messageId: string): Effect.fn.Return<OutboxMessage, NotDeadLettered> {
    const now = yield* Clock.currentTimeMillis
    const tenant = state.tenants.get(tenantId)
    const row = tenant?.outbox.get(messageId)
    if (tenant === undefined || row === undefined) return yield* new NotDeadLettered({ tenantId, messageId, status: "missing" })
    expire(tenant, row, now)
    if (row.status !== "dead") return yield* new NotDeadLettered({ tenantId, messageId, status: row.status })
    row.status = "pending"
    row.attempts = 0
    row.availableAt = now
    row.lease = null
    tenant.pending.add(row)
    return messageOut(row)
  })

  return Outbox.of({ claim, ack, fail, settle, get, deadLetters, requeue })
}
