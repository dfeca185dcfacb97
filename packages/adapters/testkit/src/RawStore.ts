/**
 * The "raw port": a vendor-supplied way to read what an adapter really
 * stored, bypassing the adapter (a second connection running plain SQL, a
 * file reader, the memory adapter's inspector). Checks compare it with what
 * the adapter returns, which catches adapters that answer from a cache, write
 * somewhere other than they read, or leave rows behind on a refused write.
 *
 * @module
 */
import type { OutboxMessage, Place, ReadModelDocument, StoredCall, StoredEvent } from "@community-policing/core"
import { Context, type Effect, type Option } from "effect"

/**
 * Readers of stored rows, each optional: supply the ones your storage can
 * answer. Each returns everything stored for the tenant, decoded into the
 * port's types, without going through the adapter's code paths for reads.
 */
export interface RawStoreReaders {
  /** Every event stored for the tenant, in global position order. */
  readonly events?: ((tenantId: string) => Effect.Effect<ReadonlyArray<StoredEvent>, unknown>) | undefined
  /** Every document stored for the tenant in a collection, in any order. */
  readonly documents?:
    | ((tenantId: string, collection: string) => Effect.Effect<ReadonlyArray<ReadModelDocument>, unknown>)
    | undefined
  /** The checkpoint stored for a projection, or none if no row exists. */
  readonly checkpoint?: ((tenantId: string, projection: string) => Effect.Effect<Option.Option<number>, unknown>) | undefined
  /** Every outbox message stored for the tenant, in any order. */
  readonly outboxMessages?: ((tenantId: string) => Effect.Effect<ReadonlyArray<OutboxMessage>, unknown>) | undefined
  /** Every call stored for the tenant (duplicates were never stored), in any order. */
  readonly calls?: ((tenantId: string) => Effect.Effect<ReadonlyArray<StoredCall>, unknown>) | undefined
  /** Every place in the tenant's registry, in any order. */
  readonly places?: ((tenantId: string) => Effect.Effect<ReadonlyArray<Place>, unknown>) | undefined
}

/**
 * The raw store inspector service. Provide it with the `raw` option of the
 * suites, as a Layer that may use the services of the adapter's layer.
 */
export class RawStore extends Context.Service<RawStore, RawStoreReaders>()("@community-policing/testkit/RawStore") {}
