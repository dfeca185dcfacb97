/**
 * The outbox over SQLite. Messages are written by the event store's append;
 * this module leases, settles and dead-letters them. Every time comes from
 * the effect `Clock`, never from SQLite or `Date.now()`, so `TestClock`
 * drives leases and retries.
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
  type OutboxStatus,
  type SettleResult,
  type Settlement,
  type StorageFailure
} from "@community-policing/core"
import { Clock, DateTime, Effect, Option, Result } from "effect"
import { type Connection, type Run } from "./sql.ts"

const MESSAGE_COLUMNS = "sequence, tenant_id, id, topic, payload, status, attempts, max_attempts, available_at, last_error, " +
  "lease_token, lease_until, delivered_at, receiver_id"

/** An outbox row in raw (array) mode, in {@link MESSAGE_COLUMNS} order. */
type MessageRow = readonly [
  sequence: number,
  tenantId: string,
  id: string,
  topic: string,
  payload: string,
  status: OutboxStatus,
  attempts: number,
  maxAttempts: number,
  availableAt: number,
  lastError: string | null,
  leaseToken: string | null,
  leaseUntil: number | null,
  deliveredAt: number | null,
  receiverId: string | null
]

const messageFromRow = (row: MessageRow, changes: Partial<Pick<OutboxMessage, "status" | "attempts" | "lastError">> = {}): OutboxMessage => ({
  tenantId: row[1],
  id: row[2],
  topic: row[3],
  payload: JSON.parse(row[4]),
  status: changes.status ?? row[5],
  attempts: changes.attempts ?? row[6],
  maxAttempts: row[7],
  availableAt: DateTime.makeUnsafe(row[8]),
  lastError: changes.lastError === undefined ? row[9] : changes.lastError,
  receipt: row[12] === null ? null : { deliveredAt: DateTime.makeUnsafe(row[12]), receiverId: row[13] }
})

/** The error recorded on a message dead-lettered because its last attempt's lease ran out. */
const expiredOnLastAttempt = "lease expired on the last attempt"

/**
 * Whether a row's lease ended on its last attempt: it is then dead, whether
 * or not a write has recorded that yet. Expiry is applied when a message is
 * next used (claimed, looked at, settled), which no caller can tell apart
 * from applying it on time.
 */
const expiredForGood = (row: MessageRow, now: number): boolean =>
  row[5] === "pending" && row[11] !== null && row[11] <= now && row[6] >= row[7]


/** The outbox service over a connection whose schema is migrated. */
export const makeOutbox = (db: Connection, attempt: Run): Outbox["Service"] => {
  const selectMessage = db.prepare<[string, string], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM outbox_messages WHERE tenant_id = ? AND id = ?`
  ).raw()
  // `status = 'pending'` is spelled out in each statement: SQLite uses a partial index only
  // when the query's WHERE implies the index's own.
  const expireAll = db.prepare(
    `UPDATE outbox_messages SET status = 'dead', last_error = ?, lease_token = NULL, lease_until = NULL
     WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until <= ? AND attempts >= max_attempts`
  )
  const expireOne = db.prepare(
    `UPDATE outbox_messages SET status = 'dead', last_error = ?, lease_token = NULL, lease_until = NULL
     WHERE tenant_id = ? AND id = ? AND status = 'pending' AND lease_until IS NOT NULL AND lease_until <= ?
       AND attempts >= max_attempts`
  )
  const claimable = (filter: string) =>
    db.prepare<Array<unknown>, MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM outbox_messages
       WHERE status = 'pending' ${filter} AND available_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY available_at, sequence
       LIMIT ?`
    ).raw()
  // One statement per filter shape, so that each is planned onto the partial index that fits it.
  const claimableAll = claimable("")
  const claimableByTopic = claimable("AND topic = ?")
  const claimableByTenant = claimable("AND tenant_id = ?")
  const claimableByTenantAndTopic = claimable("AND tenant_id = ? AND topic = ?")
  const lease = db.prepare("UPDATE outbox_messages SET attempts = attempts + 1, lease_token = ?, lease_until = ? WHERE sequence = ?")
  const settle = db.prepare(
    "UPDATE outbox_messages SET status = ?, last_error = ?, available_at = ?, lease_token = NULL, lease_until = NULL WHERE sequence = ?"
  )
  const deliver = db.prepare(
    "UPDATE outbox_messages SET status = 'delivered', lease_token = NULL, lease_until = NULL, delivered_at = ?, receiver_id = ? WHERE sequence = ?"
  )
  const revive = db.prepare(
    "UPDATE outbox_messages SET status = 'pending', attempts = 0, available_at = ?, lease_token = NULL, lease_until = NULL WHERE sequence = ?"
  )
  const expireTenant = db.prepare(
    `UPDATE outbox_messages SET status = 'dead', last_error = ?, lease_token = NULL, lease_until = NULL
     WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until <= ? AND attempts >= max_attempts AND tenant_id = ?`
  )
  const selectDead = db.prepare<[string, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM outbox_messages WHERE tenant_id = ? AND status = 'dead' ORDER BY sequence LIMIT ?`
  ).raw()

  const claimTransaction = db.transaction((options: ClaimOptions, now: number): ReadonlyArray<ClaimedMessage> => {
    expireAll.run(expiredOnLastAttempt, now)
    const { tenantId, topic, limit } = options
    const rows = tenantId === undefined
      ? topic === undefined ? claimableAll.all(now, now, limit) : claimableByTopic.all(topic, now, now, limit)
      : topic === undefined
      ? claimableByTenant.all(tenantId, now, now, limit)
      : claimableByTenantAndTopic.all(tenantId, topic, now, now, limit)
    const leaseUntil = now + options.leaseMillis
    return rows.map((row): ClaimedMessage => {
      const token = globalThis.crypto.randomUUID()
      lease.run(token, leaseUntil, row[0])
      return {
        message: messageFromRow(row, { attempts: row[6] + 1 }),
        lease: { tenantId: row[1], messageId: row[2], token },
        leaseUntil: DateTime.makeUnsafe(leaseUntil)
      }
    })
  })

  const claim = Effect.fnUntraced(function*(options: ClaimOptions) {
    const now = yield* Clock.currentTimeMillis
    // BEGIN IMMEDIATE: selecting and leasing happen under the write lock, so two claims,
    // in this process or another, never lease the same message.
    return yield* attempt("Outbox.claim", () => claimTransaction.immediate(options, now))
  })

  /**
   * The row a lease still holds, or `undefined`. A lease that ended is held
   * until someone else claims the message or it is dead-lettered, so a slow
   * consumer that finishes just after its lease may still settle it. The
   * transactions return rather than throw when the lease is lost, so that a
   * dead-lettering found on the way is committed, not rolled back.
   */
  const heldRow = (lease: Lease, now: number): MessageRow | undefined => {
    expireOne.run(expiredOnLastAttempt, lease.tenantId, lease.messageId, now)
    const row = selectMessage.get(lease.tenantId, lease.messageId)
    return row !== undefined && row[5] === "pending" && row[10] !== null && row[10] === lease.token ? row : undefined
  }

  const ackHeld = (lease: Lease, receiverId: string | null, now: number): "delivered" | "lost" => {
    const row = heldRow(lease, now)
    if (row === undefined) return "lost"
    deliver.run(now, receiverId, row[0])
    return "delivered"
  }

  const failHeld = (lease: Lease, error: string, retryAt: number, permanent: boolean, now: number): "pending" | "dead" | "lost" => {
    const row = heldRow(lease, now)
    if (row === undefined) return "lost"
    if (permanent || row[6] >= row[7]) {
      settle.run("dead", error, row[8], row[0])
      return "dead"
    }
    settle.run("pending", error, retryAt, row[0])
    return "pending"
  }

  const ackTransaction = db.transaction(ackHeld)
  const failTransaction = db.transaction(failHeld)

  // One transaction, so one commit (and one fsync) for the whole batch.
  const settleTransaction = db.transaction((settlements: ReadonlyArray<Settlement>, now: number) =>
    settlements.map((settlement) =>
      settlement._tag === "Ack"
        ? ackHeld(settlement.lease, settlement.details?.receiverId ?? null, now)
        : failHeld(
          settlement.lease,
          String(settlement.failure.error),
          DateTime.toEpochMillis(settlement.failure.retryAt),
          settlement.failure.permanent === true,
          now
        )
    )
  )

  const ack = Effect.fnUntraced(function*(lease: Lease, details: AckDetails = {}): Effect.fn.Return<void, LeaseLost | StorageFailure> {
    const now = yield* Clock.currentTimeMillis
    const outcome = yield* attempt("Outbox.ack", () => ackTransaction.immediate(lease, details.receiverId ?? null, now))
    if (outcome === "lost") return yield* new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId })
  })

  const fail = Effect.fnUntraced(function*(
    lease: Lease,
    failure: DeliveryFailure
  ): Effect.fn.Return<"pending" | "dead", LeaseLost | StorageFailure> {
    const now = yield* Clock.currentTimeMillis
    const retryAt = DateTime.toEpochMillis(failure.retryAt)
    const permanent = failure.permanent === true
    const outcome = yield* attempt("Outbox.fail", () => failTransaction.immediate(lease, String(failure.error), retryAt, permanent, now))
    if (outcome === "lost") return yield* new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId })
    return outcome
  })

  const settleMany = Effect.fnUntraced(function*(
    settlements: ReadonlyArray<Settlement>
  ): Effect.fn.Return<ReadonlyArray<SettleResult>, StorageFailure> {
    if (settlements.length === 0) return []
    const now = yield* Clock.currentTimeMillis
    const outcomes = yield* attempt("Outbox.settle", () => settleTransaction.immediate(settlements, now))
    return outcomes.map((outcome, index): SettleResult => {
      if (outcome !== "lost") return Result.succeed(outcome)
      const { lease } = settlements[index]!
      return Result.fail(new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId }))
    })
  })

  const expireAndSelect = db.transaction((tenantId: string, messageId: string, now: number) => {
    expireOne.run(expiredOnLastAttempt, tenantId, messageId, now)
    return selectMessage.get(tenantId, messageId)
  })

  const get = Effect.fnUntraced(function*(tenantId: string, messageId: string) {
    const now = yield* Clock.currentTimeMillis
    return yield* attempt("Outbox.get", () => {
      let row = selectMessage.get(tenantId, messageId)
      // Looking is a read; only a message whose last lease ran out is written, to record it dead.
      if (row !== undefined && expiredForGood(row, now)) row = expireAndSelect.immediate(tenantId, messageId, now)
      return row === undefined ? Option.none() : Option.some(messageFromRow(row))
    })
  })

  const listDead = db.transaction((tenantId: string, limit: number, now: number) => {
    expireTenant.run(expiredOnLastAttempt, now, tenantId)
    return selectDead.all(tenantId, limit).map((row) => messageFromRow(row))
  })

  const deadLetters = Effect.fnUntraced(function*(tenantId: string, limit: number) {
    const now = yield* Clock.currentTimeMillis
    return yield* attempt("Outbox.deadLetters", () => listDead.immediate(tenantId, limit, now))
  })

  const requeueTransaction = db.transaction((tenantId: string, messageId: string, now: number) => {
    expireOne.run(expiredOnLastAttempt, tenantId, messageId, now)
    const row = selectMessage.get(tenantId, messageId)
    if (row === undefined || row[5] !== "dead") return row?.[5] ?? "missing"
    revive.run(now, row[0])
    return messageFromRow(row, { status: "pending", attempts: 0 })
  })

  const requeue = Effect.fnUntraced(function*(
    tenantId: string,
    messageId: string
  ): Effect.fn.Return<OutboxMessage, NotDeadLettered | StorageFailure> {
    const now = yield* Clock.currentTimeMillis
    const outcome = yield* attempt("Outbox.requeue", () => requeueTransaction.immediate(tenantId, messageId, now))
    if (typeof outcome === "string") return yield* new NotDeadLettered({ tenantId, messageId, status: outcome === "dead" ? "missing" : outcome })
    return { ...outcome, availableAt: DateTime.makeUnsafe(now) }
  })

  return Outbox.of({ claim, ack, fail, settle: settleMany, get, deadLetters, requeue })
}
