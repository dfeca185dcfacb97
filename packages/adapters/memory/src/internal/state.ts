/**
 * The one mutable state the memory adapter's three services share, so that an
 * append's events and outbox messages land in the same synchronous step, which
 * is the memory adapter's transaction.
 *
 * @internal
 */
import type {
  OutboxStatus,
  ReadModelDocument,
  StoredEvent
} from "@community-policing/core"
import type { Schema } from "effect"

/** An outbox message as the memory adapter keeps it: mutable status and lease. */
export interface OutboxRow {
  readonly tenantId: string
  readonly id: string
  readonly topic: string
  readonly payload: Schema.Json
  readonly maxAttempts: number
  /** Write order across the whole store: ties of `availableAt` are claimed in this order. */
  readonly sequence: number
  status: OutboxStatus
  attempts: number
  /** Epoch milliseconds. */
  availableAt: number
  lastError: string | null
  lease: { readonly token: string; readonly until: number } | null
}

/** Everything stored for one tenant: the tenant id leads every key because every map hangs off it. */
export interface TenantState {
  /** Every event in global position order, which is commit order; `readAll` binary-searches it. */
  readonly log: Array<StoredEvent>
  /** Each stream's events; index `v - 1` holds version `v`. */
  readonly streams: Map<string, Array<StoredEvent>>
  /** The events first written under each idempotency key. */
  readonly idempotency: Map<string, ReadonlyArray<StoredEvent>>
  readonly eventIds: Set<string>
  lastPosition: number
  readonly outbox: Map<string, OutboxRow>
  /** The rows still `pending`; claims scan only these. */
  readonly pending: Set<OutboxRow>
  /** Documents by collection, then id. */
  readonly documents: Map<string, Map<string, ReadModelDocument>>
  readonly checkpoints: Map<string, number>
}

/** The whole store. */
export interface State {
  readonly tenants: Map<string, TenantState>
  /** Source of {@link OutboxRow.sequence}. */
  outboxSequence: number
}

/** A new, empty store. */
export const emptyState = (): State => ({ tenants: new Map(), outboxSequence: 0 })

/**
 * The tenant's state, created on first write. Reads use `state.tenants.get`
 * instead, so that looking at a tenant never creates it.
 */
export const tenantForWrite = (state: State, tenantId: string): TenantState => {
  const existing = state.tenants.get(tenantId)
  if (existing !== undefined) return existing
  const created: TenantState = {
    log: [],
    streams: new Map(),
    idempotency: new Map(),
    eventIds: new Set(),
    lastPosition: 0,
    outbox: new Map(),
    pending: new Set(),
    documents: new Map(),
    checkpoints: new Map()
  }
  state.tenants.set(tenantId, created)
  return created
}
