/**
 * A read-only view of what the memory adapter has stored, bypassing its
 * ports: the memory adapter's "raw port", so a conformance run can compare
 * what the adapter returns with what it really holds.
 *
 * @module
 */
import type {
  CallCategory,
  CallChannel,
  Districts,
  ImportProgress,
  OutboxMessage,
  Place,
  QuarantinedRow,
  ReadModelDocument,
  StoredCall,
  StoredEvent
} from "@community-policing/core"
import { Context, type DateTime, type Effect } from "effect"

/** An outbox row as stored, with its lease, exactly as the adapter last wrote it. */
export interface StoredOutboxMessage extends OutboxMessage {
  /** The live or ended lease the row carries; `null` when unclaimed or settled. */
  readonly lease: { readonly token: string; readonly until: DateTime.Utc } | null
}

/**
 * One row of the analytics' daily counts: how many of a service day's calls
 * share an address, a channel, a category and the areas of their place.
 * `category` is `null` on the row counting every call once, whatever its
 * categories; a call also counts once on the row of each category it carries.
 */
export interface DailyCount {
  readonly serviceDay: string
  /** Absent on the rows of calls without an address (at no place). */
  readonly addressKey?: string
  readonly channel: CallChannel
  readonly category: CallCategory | null
  /** The districts of the place stored with the calls; a district left out is one they have none of. */
  readonly areas: Districts
  readonly count: number
}

/** An import as committed: its progress and the rows it quarantined, in row order. */
export interface StoredImport {
  readonly progress: ImportProgress
  readonly quarantined: ReadonlyArray<QuarantinedRow>
}

/** A copy of everything stored for one tenant. Changing it changes nothing in the store. */
export interface TenantSnapshot {
  /** Every event, in global position order. */
  readonly events: ReadonlyArray<StoredEvent>
  /** For each idempotency key, the ids of the events first written under it. */
  readonly idempotencyKeys: Readonly<Record<string, ReadonlyArray<string>>>
  /**
   * Every outbox message, in write order. Lease expiry is applied when a
   * message is next used, so an ended lease may still show here.
   */
  readonly outbox: ReadonlyArray<StoredOutboxMessage>
  /** Every read-model document, grouped by collection, each in the order it was first written. */
  readonly documents: ReadonlyArray<ReadModelDocument>
  /** Every projection checkpoint that was ever committed. */
  readonly checkpoints: Readonly<Record<string, number>>
  /** Every stored call, in import order (duplicates were never stored). */
  readonly calls: ReadonlyArray<StoredCall>
  /** Every import that committed a batch, by import id. */
  readonly imports: Readonly<Record<string, StoredImport>>
  /** The places registry, in the order addresses were first upserted. */
  readonly places: ReadonlyArray<Place>
  /** The analytics' daily counts, by service day (in the order days first appeared), then in the order cells did. */
  readonly dailyCounts: ReadonlyArray<DailyCount>
}

/** Reads the memory adapter's state directly; see {@link TenantSnapshot}. */
export class MemoryInspector extends Context.Service<MemoryInspector, {
  /** A copy of one tenant's stored data; empty for a tenant never written. */
  readonly snapshot: (tenantId: string) => Effect.Effect<TenantSnapshot>
  /** The tenants that have stored anything. */
  readonly tenants: Effect.Effect<ReadonlyArray<string>>
}>()("@community-policing/adapter-memory/MemoryInspector") {}
