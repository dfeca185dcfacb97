/**
 * The one mutable state the memory adapter's services share, so that an
 * append's events and outbox messages, or an import batch's calls, progress
 * and daily counts, land in the same synchronous step, which is the memory
 * adapter's transaction.
 *
 * @internal
 */
import type {
  CallCategory,
  CallChannel,
  ImportProgress,
  OutboxStatus,
  QuarantinedRow,
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
  /** The proof of delivery (epoch milliseconds, receiver's id), once acknowledged. */
  receipt: { readonly deliveredAt: number; readonly receiverId: string | null } | null
}

/** A stored call: its encoded form (what a JSON column would hold) plus the keys it is found and ordered by. */
export interface CallRow {
  readonly dedupeKey: string
  /** `undefined` for a call without an address: it is at no place, so `callsAt` never finds it. */
  readonly addressKey: string | undefined
  readonly serviceDay: string
  /** Epoch milliseconds of `receivedAt`: `callsAt` orders by it. */
  readonly receivedAt: number
  /** `StoredCall` encoded, as its JSON text reads back. */
  readonly encoded: Schema.Json
}

/** An import's committed progress and its quarantined rows, kept in row order. */
export interface ImportRow {
  progress: ImportProgress
  /** In row order: every batch's rows lie beyond the previous progress, so appending keeps the order. */
  readonly quarantined: Array<QuarantinedRow>
}

/**
 * One cell of the daily counts: the calls of one service day sharing an
 * address, a channel, a category and the four area ids. `category` is `null`
 * for the cell counting every call once whatever its categories; a call also
 * adds one to the cell of each distinct category it carries.
 */
export interface DailyCell {
  /** `undefined` for calls without an address: counted in every total and area, never per address. */
  readonly addressKey: string | undefined
  readonly channel: CallChannel
  readonly category: CallCategory | null
  readonly beat: string | undefined
  readonly policeDistrict: string | undefined
  readonly councilDistrict: string | undefined
  readonly neighborhood: string | undefined
  count: number
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
  /** Calls by dedupe key, in import order. */
  readonly calls: Map<string, CallRow>
  /** Each address's calls, kept sorted by `receivedAt` then dedupe key, so `callsAt` never sorts. */
  readonly callsByAddress: Map<string, Array<CallRow>>
  readonly imports: Map<string, ImportRow>
  /** Places by address key, encoded. */
  readonly places: Map<string, Schema.Json>
  /**
   * The analytics' daily counts: service day, then cell key, then the cell.
   * Import batches update them; analytics read only the window's days.
   */
  readonly dailyCounts: Map<string, Map<string, DailyCell>>
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
    checkpoints: new Map(),
    calls: new Map(),
    callsByAddress: new Map(),
    imports: new Map(),
    places: new Map(),
    dailyCounts: new Map()
  }
  state.tenants.set(tenantId, created)
  return created
}
