/**
 * The outbox over PostgreSQL. Messages are written by the event store's
 * append statement; here they are leased with `FOR UPDATE SKIP LOCKED`,
 * settled against their lease token, and dead-lettered. Every time comes from
 * the caller's `Clock`, never from the database server.
 *
 * @internal
 */
import {
  type AckDetails,
  type ClaimedMessage,
  type DeliveryFailure,
  type ClaimOptions,
  type InvalidStoreRequest,
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
import type { SqlError } from "effect/sql/SqlError"
import type { StoreContext } from "./context.ts"
import { asPortFailure, toStorageFailure } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"
import { text, textProblem, timestamp, toNumber } from "./values.ts"

/** An outbox row as the driver returns it. */
interface MessageRow {
  readonly tenant_id: string
  readonly id: string
  readonly topic: string
  readonly payload: OutboxMessage["payload"]
  readonly status: OutboxStatus
  readonly attempts: number
  readonly max_attempts: number
  readonly available_at: Date
  readonly last_error: string | null
  readonly write_order: bigint
  readonly delivered_at: Date | null
  readonly receiver_id: string | null
}

const messageColumns =
  "tenant_id, id, topic, payload, status, attempts, max_attempts, available_at, last_error, write_order, delivered_at, receiver_id"

/** What a message dead-lettered by an ended lease records as its error. */
const expiredOnLastAttempt = "lease expired on the last attempt"

/** A row as the port's `OutboxMessage`. */
export const messageFromRow = (row: MessageRow): OutboxMessage => ({
  tenantId: row.tenant_id,
  id: row.id,
  topic: row.topic,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  availableAt: DateTime.makeUnsafe(row.available_at),
  lastError: row.last_error,
  receipt: row.delivered_at === null ? null : { deliveredAt: DateTime.makeUnsafe(row.delivered_at), receiverId: row.receiver_id }
})

/**
 * An error text that PostgreSQL can store: `fail`'s contract has no way to
 * refuse one, so NUL and lone surrogates become U+FFFD rather than failing the
 * delivery bookkeeping.
 */
const storableError = (error: string): string =>
  error.replaceAll("\u0000", "\ufffd").replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")


/** The outbox service. */
export const makeOutbox = ({ sql, tables }: StoreContext): Outbox["Service"] => {
  const columns = sql.literal(messageColumns)
  const prefixed = sql.literal(messageColumns.split(", ").map((column) => `o.${column}`).join(", "))

  const claim = (options: ClaimOptions): Effect.Effect<ReadonlyArray<ClaimedMessage>, InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      if ([options.tenantId, options.topic].some((value) => value !== undefined && textProblem(value) !== undefined)) return []
      const now = yield* Clock.currentTimeMillis
      const leaseUntil = now + options.leaseMillis
      const scope = sql.and([
        ...(options.tenantId === undefined ? [] : [sql`tenant_id = ${text(options.tenantId)}`]),
        ...(options.topic === undefined ? [] : [sql`topic = ${text(options.topic)}`])
      ])
      // One statement: dead-letter the messages whose last lease ended, then
      // lease the oldest claimable ones. SKIP LOCKED lets concurrent claims
      // pass each other; a row another claim leased and committed meanwhile
      // is re-checked against its new lease and left out.
      const rows = yield* sql<MessageRow & { readonly lease_token: string; readonly lease_until: Date }>`
        WITH expired AS (
          UPDATE ${tables.outbox}
          SET status = 'dead', lease_token = NULL, lease_until = NULL, last_error = ${expiredOnLastAttempt}
          WHERE (tenant_id, id) IN (
            SELECT tenant_id, id FROM ${tables.outbox}
            WHERE status = 'pending' AND lease_until <= ${timestamp(now)} AND attempts >= max_attempts AND ${scope}
            FOR UPDATE SKIP LOCKED
          )
        ),
        candidates AS (
          SELECT tenant_id, id FROM ${tables.outbox}
          WHERE status = 'pending' AND available_at <= ${timestamp(now)}
            AND (lease_until IS NULL OR lease_until <= ${timestamp(now)})
            AND attempts < max_attempts AND ${scope}
          ORDER BY available_at, write_order
          LIMIT ${options.limit}::integer
          FOR UPDATE SKIP LOCKED
        )
        UPDATE ${tables.outbox} o
        SET attempts = o.attempts + 1, lease_token = gen_random_uuid()::text, lease_until = ${timestamp(leaseUntil)}
        FROM candidates c
        WHERE o.tenant_id = c.tenant_id AND o.id = c.id
        RETURNING ${prefixed}, o.lease_token, o.lease_until`.pipe(
        Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("Outbox.claim")(error))),
        withSystemClock
      )
      // RETURNING has no order of its own: put the claims back in claim order.
      const ordered = [...rows].sort((a, b) =>
        a.available_at.getTime() - b.available_at.getTime() || toNumber(a.write_order) - toNumber(b.write_order)
      )
      return ordered.map((row): ClaimedMessage => ({
        message: messageFromRow(row),
        lease: { tenantId: row.tenant_id, messageId: row.id, token: row.lease_token },
        leaseUntil: DateTime.makeUnsafe(row.lease_until)
      }))
    })

  /**
   * The message a lease holds, locked for this statement, with whether its
   * lease ended on the last attempt. A lease that ended with attempts left is
   * still held until someone else claims the message, so a slow consumer that
   * finishes just after its lease may still settle it.
   */
  const held = (lease: Lease, now: number) =>
    sql`
      SELECT tenant_id, id, attempts >= max_attempts AS exhausted,
        (lease_until <= ${timestamp(now)} AND attempts >= max_attempts) AS lapsed
      FROM ${tables.outbox}
      WHERE tenant_id = ${text(lease.tenantId)} AND id = ${text(lease.messageId)}
        AND status = 'pending' AND lease_token = ${text(lease.token)}
      FOR UPDATE`

  const isForeign = (lease: Lease) =>
    [lease.tenantId, lease.messageId, lease.token].some((value) => textProblem(value) !== undefined)

  const lost = (lease: Lease) => new LeaseLost({ tenantId: lease.tenantId, messageId: lease.messageId })

  /** The acknowledgement statement: `ack`'s, and one of `settle`'s. */
  const ackStatement = (lease: Lease, details: AckDetails, now: number) =>
    Effect.gen(function*() {
      if (isForeign(lease)) return Result.fail(lost(lease))
      const receiverId = details.receiverId === undefined ? null : storableError(details.receiverId)
      const [row] = yield* sql<{ lapsed: boolean }>`
        WITH target AS (${held(lease, now)})
        UPDATE ${tables.outbox} o
        SET status = CASE WHEN t.lapsed THEN 'dead' ELSE 'delivered' END,
          last_error = CASE WHEN t.lapsed THEN ${expiredOnLastAttempt} ELSE o.last_error END,
          delivered_at = CASE WHEN t.lapsed THEN NULL ELSE ${timestamp(now)} END,
          receiver_id = CASE WHEN t.lapsed THEN NULL ELSE ${text(receiverId)} END,
          lease_token = NULL, lease_until = NULL
        FROM target t
        WHERE o.tenant_id = t.tenant_id AND o.id = t.id
        RETURNING t.lapsed`
      // A lease that ended on the last attempt is dead-lettered, not delivered.
      return row === undefined || row.lapsed ? Result.fail(lost(lease)) : Result.succeed("delivered" as const)
    })

  /** The failure statement: `fail`'s, and one of `settle`'s. */
  const failStatement = (lease: Lease, failure: DeliveryFailure, now: number) =>
    Effect.gen(function*() {
      if (isForeign(lease)) return Result.fail(lost(lease))
      const permanent = failure.permanent === true
      const [row] = yield* sql<{ lapsed: boolean; status: "pending" | "dead" }>`
        WITH target AS (${held(lease, now)})
        UPDATE ${tables.outbox} o
        SET status = CASE WHEN t.exhausted OR (${permanent}::boolean AND NOT t.lapsed) THEN 'dead' ELSE 'pending' END,
          last_error = CASE WHEN t.lapsed THEN ${expiredOnLastAttempt} ELSE ${text(storableError(failure.error))} END,
          available_at = CASE WHEN t.exhausted OR ${permanent}::boolean THEN o.available_at
            ELSE ${timestamp(DateTime.toEpochMillis(failure.retryAt))} END,
          lease_token = NULL, lease_until = NULL
        FROM target t
        WHERE o.tenant_id = t.tenant_id AND o.id = t.id
        RETURNING t.lapsed, o.status`
      return row === undefined || row.lapsed ? Result.fail(lost(lease)) : Result.succeed(row.status)
    })

  /** One statement on its own, its `LeaseLost` as the failure. */
  const alone = <A>(operation: string, statement: (now: number) => Effect.Effect<Result.Result<A, LeaseLost>, SqlError>) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const result = yield* statement(now).pipe(
        Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure(operation)(error))),
        withSystemClock
      )
      if (Result.isFailure(result)) return yield* result.failure
      return result.success
    })

  const ack = (lease: Lease, details: AckDetails = {}): Effect.Effect<void, LeaseLost | StorageFailure> =>
    Effect.asVoid(alone("Outbox.ack", (now) => ackStatement(lease, details, now)))

  const fail = (lease: Lease, failure: DeliveryFailure): Effect.Effect<"pending" | "dead", LeaseLost | StorageFailure> =>
    alone("Outbox.fail", (now) => failStatement(lease, failure, now))

  const settle = (settlements: ReadonlyArray<Settlement>): Effect.Effect<ReadonlyArray<SettleResult>, InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      if (settlements.length === 0) return []
      const now = yield* Clock.currentTimeMillis
      // One transaction, so one commit for the whole batch; the statements run in order on its connection.
      const transaction = Effect.forEach(settlements, (settlement): Effect.Effect<SettleResult, SqlError> =>
        settlement._tag === "Ack"
          ? ackStatement(settlement.lease, settlement.details ?? {}, now)
          : failStatement(settlement.lease, settlement.failure, now))
      return yield* sql.withTransaction(transaction).pipe(asPortFailure("Outbox.settle"), withSystemClock)
    })

  const get = (tenantId: string, messageId: string): Effect.Effect<Option.Option<OutboxMessage>, StorageFailure> =>
    Effect.gen(function*() {
      if (textProblem(tenantId) !== undefined || textProblem(messageId) !== undefined) return Option.none()
      const now = yield* Clock.currentTimeMillis
      // The expiry is applied when the message is looked at, as the memory
      // adapter does: indistinguishable from applying it on time. The second
      // branch reads the statement's snapshot, so it never repeats the first.
      const rows = yield* sql<MessageRow>`
        WITH expired AS (
          UPDATE ${tables.outbox}
          SET status = 'dead', lease_token = NULL, lease_until = NULL, last_error = ${expiredOnLastAttempt}
          WHERE tenant_id = ${text(tenantId)} AND id = ${text(messageId)}
            AND status = 'pending' AND lease_until <= ${timestamp(now)} AND attempts >= max_attempts
          RETURNING ${columns}
        )
        SELECT ${columns} FROM expired
        UNION ALL
        SELECT ${columns} FROM ${tables.outbox}
        WHERE tenant_id = ${text(tenantId)} AND id = ${text(messageId)} AND NOT EXISTS (SELECT 1 FROM expired)`.pipe(
        Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("Outbox.get")(error))),
        withSystemClock
      )
      const [row] = rows
      return row === undefined ? Option.none() : Option.some(messageFromRow(row))
    })

  const deadLetters = (
    tenantId: string,
    limit: number
  ): Effect.Effect<ReadonlyArray<OutboxMessage>, InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      if (textProblem(tenantId) !== undefined) return []
      const now = yield* Clock.currentTimeMillis
      const rows = yield* sql<MessageRow>`
        WITH expired AS (
          UPDATE ${tables.outbox}
          SET status = 'dead', lease_token = NULL, lease_until = NULL, last_error = ${expiredOnLastAttempt}
          WHERE (tenant_id, id) IN (
            SELECT tenant_id, id FROM ${tables.outbox}
            WHERE tenant_id = ${text(tenantId)} AND status = 'pending'
              AND lease_until <= ${timestamp(now)} AND attempts >= max_attempts
            FOR UPDATE SKIP LOCKED
          )
          RETURNING ${columns}
        )
        SELECT ${columns} FROM (
          SELECT ${columns} FROM expired
          UNION ALL
          SELECT ${columns} FROM ${tables.outbox} WHERE tenant_id = ${text(tenantId)} AND status = 'dead'
        ) dead
        ORDER BY write_order
        LIMIT ${limit}::integer`.pipe(
        Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("Outbox.deadLetters")(error))),
        withSystemClock
      )
      return rows.map(messageFromRow)
    })

  const requeue = (tenantId: string, messageId: string): Effect.Effect<OutboxMessage, NotDeadLettered | StorageFailure> =>
    Effect.gen(function*() {
      if (textProblem(tenantId) !== undefined || textProblem(messageId) !== undefined) {
        return yield* new NotDeadLettered({ tenantId, messageId, status: "missing" })
      }
      const now = yield* Clock.currentTimeMillis
      // A message whose last lease ran out is dead already (see get): it is
      // revived like one that a failure dead-lettered. The row lock makes a
      // racing requeue see the first one's result.
      const rows = yield* sql<MessageRow & { readonly previous_status: OutboxStatus; readonly revived: boolean }>`
        WITH target AS (
          SELECT tenant_id, id, status,
            (status = 'dead' OR (status = 'pending' AND lease_until <= ${timestamp(now)} AND attempts >= max_attempts)) AS dead
          FROM ${tables.outbox}
          WHERE tenant_id = ${text(tenantId)} AND id = ${text(messageId)}
          FOR UPDATE
        ),
        revived AS (
          UPDATE ${tables.outbox} o
          SET status = 'pending', attempts = 0, available_at = ${timestamp(now)}, lease_token = NULL, lease_until = NULL,
            last_error = CASE WHEN o.status = 'pending' THEN ${expiredOnLastAttempt} ELSE o.last_error END
          FROM target t
          WHERE o.tenant_id = t.tenant_id AND o.id = t.id AND t.dead
          RETURNING ${prefixed}
        )
        SELECT ${columns}, 'dead' AS previous_status, true AS revived FROM revived
        UNION ALL
        SELECT ${prefixed}, o.status AS previous_status, false AS revived FROM ${tables.outbox} o
        JOIN target t ON o.tenant_id = t.tenant_id AND o.id = t.id
        WHERE NOT t.dead`.pipe(
        Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("Outbox.requeue")(error))),
        withSystemClock
      )
      const [row] = rows
      if (row === undefined) return yield* new NotDeadLettered({ tenantId, messageId, status: "missing" })
      if (!row.revived) {
        return yield* new NotDeadLettered({ tenantId, messageId, status: row.previous_status === "delivered" ? "delivered" : "pending" })
      }
      return messageFromRow(row)
    })

  return Outbox.of({ claim, ack, fail, settle, get, deadLetters, requeue })
}
