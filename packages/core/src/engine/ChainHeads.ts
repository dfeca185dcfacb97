/**
 * Signed chain heads: what a city exports from its event store and keeps
 * elsewhere, so that tampering a stream's own hash chain cannot reveal is
 * detected later. A stream's chain shows an event changed in place, but not
 * a stream rewritten from some event on with every later hash recomputed, a
 * cut-off tail, a whole stream deleted, nor a changed global position (the
 * chain does not cover positions, which the store assigns at commit).
 *
 * The heads of a tenant record, for every stream, its last version, that
 * event's hash and global position, and a digest of the global positions of
 * its events; and, over all streams, the number of events, the last global
 * position covered and a digest of every event's (position, stream,
 * version, hash) in global order. They are signed with an Ed25519 key the
 * city holds: the library takes the key as a `KeyObject` and never
 * generates, stores or logs one.
 *
 * Checked against genuine heads, the store's events as they are now reveal:
 * any covered event changed (in place or rewritten and rehashed), removed
 * (a cut-off tail, a whole stream), inserted, reordered, or moved to
 * another global position; and a head that was forged, edited after
 * signing or issued for another tenant is rejected. What heads cannot
 * reveal is documented on {@link verifyAgainstHeads} and in
 * docs/architecture.md.
 *
 * @module
 */
import { createHash, type KeyObject, sign, verify } from "node:crypto"
import { DateTime, Effect, Result, Schema } from "effect"
import { EventStore, type StoredEvent } from "../ports/EventStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import { type ChainProblem, canonicalJson, GENESIS_HASH, verifyChain } from "./AuditChain.ts"

const Hash = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))

/** The head of one stream at export: where it ended and how its events were positioned. */
export const StreamHead = Schema.Struct({
  streamId: Schema.NonEmptyString,
  /** The stream's last version at export. */
  streamVersion: Schema.Int,
  /** The hash of that event. */
  hash: Hash,
  /** The global position of that event. */
  globalPosition: Schema.Int,
  /** SHA-256 chain over the (version, global position) of the stream's events up to `streamVersion`. */
  positionsHash: Hash
})

/** The head of one stream; see {@link StreamHead}. */
export type StreamHead = typeof StreamHead.Type

/** The heads of every stream of a tenant, and the global head over all of them. */
export const TenantHeads = Schema.Struct({
  tenantId: Schema.NonEmptyString,
  /** When the heads were exported (from the effect `Clock`). */
  exportedAt: Schema.DateTimeUtcFromString,
  /** The global position of the last event covered; 0 for an empty tenant. */
  throughPosition: Schema.Int,
  /** How many events are covered (every event at or before `throughPosition`). */
  eventCount: Schema.Int,
  /** SHA-256 chain over every covered event's (global position, stream, version, hash), in global order. */
  globalHash: Hash,
  /** One head per stream, by stream id. */
  streams: Schema.Array(StreamHead)
})

/** The heads of a tenant; see {@link TenantHeads}. */
export type TenantHeads = typeof TenantHeads.Type

/**
 * Heads with the city's signature: Ed25519 over the canonical JSON of the
 * encoded heads (`canonicalJson`), in base64. JSON-encodable with this
 * schema, to be kept outside the database (a write-once bucket, an
 * email to the clerk, a public transparency log).
 */
export const SignedTenantHeads = Schema.Struct({
  heads: TenantHeads,
  algorithm: Schema.Literal("Ed25519"),
  /** Names the key that signed, so a verifier can pick it after a rotation. Not signed itself: a hint only. */
  keyId: Schema.String,
  signature: Schema.String
})

/** Heads with the city's signature; see {@link SignedTenantHeads}. */
export type SignedTenantHeads = typeof SignedTenantHeads.Type

/** The key given is not an Ed25519 key of the kind the operation needs; nothing was signed or checked. */
export class SigningKeyUnsuitable extends Schema.TaggedError<SigningKeyUnsuitable>()("SigningKeyUnsuitable", {
  /** `sign` needs an Ed25519 private key; `verify` an Ed25519 public (or private) key. */
  operation: Schema.Literals(["sign", "verify"]),
  /** The kind of key given, e.g. `public rsa`. */
  given: Schema.String
}) {
  override get message(): string {
    return `Chain heads ${this.operation === "sign" ? "are signed with an Ed25519 private key" : "are checked with an Ed25519 key"}; got a ${this.given} key`
  }
}

/**
 * The signature does not hold for these heads under the key given: they
 * were signed with another key (forged), or changed after signing. Nothing
 * in them can be trusted.
 */
export class HeadsSignatureInvalid extends Schema.TaggedError<HeadsSignatureInvalid>()("HeadsSignatureInvalid", {
  tenantId: Schema.String,
  keyId: Schema.String
}) {
  override get message(): string {
    return `The chain heads of ${this.tenantId} (key ${this.keyId}) do not carry a valid signature of the key given`
  }
}

/** The heads were exported for another tenant than the one checked. */
export class HeadsTenantMismatch extends Schema.TaggedError<HeadsTenantMismatch>()("HeadsTenantMismatch", {
  expected: Schema.String,
  found: Schema.String
}) {
  override get message(): string {
    return `The chain heads are for tenant ${this.found}, not ${this.expected}`
  }
}

/** Why signed heads were not used at all. */
export type HeadsRejected = SigningKeyUnsuitable | HeadsSignatureInvalid | HeadsTenantMismatch

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

const positionLink = (previous: string, event: StoredEvent): string =>
  sha256(previous + canonicalJson({ streamVersion: event.streamVersion, globalPosition: event.globalPosition }))

const globalLink = (previous: string, event: StoredEvent): string =>
  sha256(previous + canonicalJson({
    globalPosition: event.globalPosition,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    hash: event.hash
  }))

/** Heads being computed, one event at a time in global order (so an export can page). */
interface HeadsInProgress {
  readonly streams: Map<string, { streamVersion: number; hash: string; globalPosition: number; positionsHash: string }>
  throughPosition: number
  eventCount: number
  globalHash: string
}

const startHeads = (): HeadsInProgress => ({ streams: new Map(), throughPosition: 0, eventCount: 0, globalHash: GENESIS_HASH })

const addToHeads = (heads: HeadsInProgress, event: StoredEvent): void => {
  const stream = heads.streams.get(event.streamId)
  heads.streams.set(event.streamId, {
    streamVersion: event.streamVersion,
    hash: event.hash,
    globalPosition: event.globalPosition,
    positionsHash: positionLink(stream?.positionsHash ?? GENESIS_HASH, event)
  })
  heads.throughPosition = event.globalPosition
  heads.eventCount++
  heads.globalHash = globalLink(heads.globalHash, event)
}

const finishHeads = (tenantId: string, heads: HeadsInProgress, exportedAt: DateTime.Utc): TenantHeads => ({
  tenantId,
  exportedAt,
  throughPosition: heads.throughPosition,
  eventCount: heads.eventCount,
  globalHash: heads.globalHash,
  streams: [...heads.streams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([streamId, head]) => ({ streamId, ...head }))
})

/**
 * The heads of a tenant's events, given in global position order (as
 * `readAll` returns them). Pure; `exportedAt` defaults to the epoch.
 */
export const chainHeadsOf = (
  tenantId: string,
  events: Iterable<StoredEvent>,
  exportedAt?: DateTime.Utc | undefined
): TenantHeads => {
  const heads = startHeads()
  for (const event of events) addToHeads(heads, event)
  return finishHeads(tenantId, heads, exportedAt ?? DateTime.makeUnsafe(0))
}

const signedBytes = (heads: TenantHeads): Buffer => Buffer.from(canonicalJson(Schema.encodeSync(TenantHeads)(heads)), "utf8")

const describeKey = (key: KeyObject): string => `${key.type} ${key.asymmetricKeyType ?? "symmetric"}`

/**
 * Signs heads with the city's Ed25519 private key (Ed25519 is
 * deterministic: the same heads and key give the same signature).
 *
 * @example
 * ```ts
 * const privateKey = createPrivateKey(fs.readFileSync("/run/secrets/audit-heads.pem"))
 * const signed = signTenantHeads(heads, { privateKey, keyId: "sacramento-2026" })
 * ```
 */
export const signTenantHeads = (
  heads: TenantHeads,
  options: { readonly privateKey: KeyObject; readonly keyId: string }
): Result.Result<SignedTenantHeads, SigningKeyUnsuitable> => {
  const { privateKey, keyId } = options
  if (privateKey.type !== "private" || privateKey.asymmetricKeyType !== "ed25519") {
    return Result.fail(new SigningKeyUnsuitable({ operation: "sign", given: describeKey(privateKey) }))
  }
  const signature = sign(null, signedBytes(heads), privateKey).toString("base64")
  return Result.succeed({ heads, algorithm: "Ed25519", keyId, signature })
}

/** The heads, once their signature holds under `publicKey`. */
export const openSignedHeads = (
  signed: SignedTenantHeads,
  publicKey: KeyObject
): Result.Result<TenantHeads, SigningKeyUnsuitable | HeadsSignatureInvalid> => {
  if (publicKey.type === "secret" || publicKey.asymmetricKeyType !== "ed25519") {
    return Result.fail(new SigningKeyUnsuitable({ operation: "verify", given: describeKey(publicKey) }))
  }
  const signature = Buffer.from(signed.signature, "base64")
  // node rejects an Ed25519 signature of the wrong length by returning false.
  const holds = signature.length === 64 && verify(null, signedBytes(signed.heads), publicKey, signature)
  return holds
    ? Result.succeed(signed.heads)
    : Result.fail(new HeadsSignatureInvalid({ tenantId: signed.heads.tenantId, keyId: signed.keyId }))
}

/** One thing the events as they are now contradict in the heads, or in a stream's own chain. */
export interface HeadProblem {
  /**
   * The chain's own kinds (see `ChainProblem`: `changed`, `removed`,
   * `inserted`, `reordered`), found by the stream's chain checked against
   * its head; and:
   * - `stream-missing`: a stream in the heads has no events any more;
   * - `position-changed`: an event of the stream is no longer at the global
   *   position it had (at `streamVersion` when it is the head's event);
   * - `global-order`: the covered events as a whole differ from the
   *   global head (count or digest): an event's position changed, or events
   *   were added or removed, possibly in streams the heads do not name.
   */
  readonly kind: ChainProblem["kind"] | "stream-missing" | "position-changed" | "global-order"
  /** The stream, or undefined for the tenant as a whole. */
  readonly streamId: string | undefined
  /** The stream version where it was found, when known. */
  readonly streamVersion: number | undefined
  /** A sentence for the audit report. */
  readonly detail: string
}

/** The result of checking a tenant's events against its heads. */
export interface TenantChainReport {
  readonly tenantId: string
  readonly valid: boolean
  /** When the heads checked against were exported. */
  readonly exportedAt: DateTime.Utc
  readonly eventsChecked: number
  /**
   * Events after the heads' `throughPosition`: written since the export,
   * checked by their stream's chain only (export again to cover them).
   */
  readonly eventsAfterHeads: number
  readonly problems: ReadonlyArray<HeadProblem>
}

/**
 * Checks a tenant's events, as read now in global position order, against
 * heads exported earlier (whose signature the caller has checked, or use
 * {@link verifySignedHeads}). Pure.
 *
 * Detected, for every event covered by the heads (at or before their
 * `throughPosition`): content changed, in place or rewritten with every
 * later hash of its stream recomputed (`changed` at the head); events cut
 * off a stream's end, or removed from it (`removed`); a stream deleted
 * entirely (`stream-missing`); events inserted or reordered; an event moved
 * to another global position (`position-changed`, `global-order`).
 *
 * Not detected: tampering with events written after the export when it
 * keeps their stream's chain consistent (a rewrite-and-rehash or a cut of
 * post-export events only; in-place edits are still caught by the chain);
 * the events and heads both replaced by someone who holds the city's
 * private key; the store rolled back to an earlier state when the verifier
 * is shown older genuine heads (compare `exportedAt` with the latest export
 * you kept); tampering before the first export; anything outside the event
 * store (read models, outbox, idempotency keys).
 */
export const verifyAgainstHeads = (events: ReadonlyArray<StoredEvent>, heads: TenantHeads): TenantChainReport => {
  const problems: Array<HeadProblem> = []
  const streams = new Map<string, Array<StoredEvent>>()
  for (const event of events) {
    const stream = streams.get(event.streamId)
    if (stream === undefined) streams.set(event.streamId, [event])
    else stream.push(event)
  }
  const headOf = new Map(heads.streams.map((head) => [head.streamId, head]))

  for (const head of heads.streams) {
    if (!streams.has(head.streamId)) {
      problems.push({
        kind: "stream-missing",
        streamId: head.streamId,
        streamVersion: 1,
        detail: `stream ${head.streamId} had ${head.streamVersion} event(s) at export and has none now`
      })
    }
  }

  for (const [streamId, stream] of streams) {
    const head = headOf.get(streamId)
    const report = verifyChain(stream, head)
    for (const problem of report.problems) {
      problems.push({ kind: problem.kind, streamId, streamVersion: problem.streamVersion, detail: problem.detail })
    }
    if (head === undefined) continue
    const atHead = stream.find((event) => event.streamVersion === head.streamVersion)
    if (atHead !== undefined && atHead.globalPosition !== head.globalPosition) {
      problems.push({
        kind: "position-changed",
        streamId,
        streamVersion: head.streamVersion,
        detail: `event ${head.streamVersion} is at global position ${atHead.globalPosition}, not ${head.globalPosition} as exported`
      })
      continue
    }
    let positionsHash = GENESIS_HASH
    for (const event of stream) if (event.streamVersion <= head.streamVersion) positionsHash = positionLink(positionsHash, event)
    if (atHead !== undefined && positionsHash !== head.positionsHash) {
      problems.push({
        kind: "position-changed",
        streamId,
        streamVersion: undefined,
        detail: `the global positions of events 1 to ${head.streamVersion} differ from the exported ones`
      })
    }
  }

  let globalHash = GENESIS_HASH
  let covered = 0
  for (const event of events) {
    if (event.globalPosition > heads.throughPosition) continue
    globalHash = globalLink(globalHash, event)
    covered++
  }
  if (covered !== heads.eventCount || globalHash !== heads.globalHash) {
    problems.push({
      kind: "global-order",
      streamId: undefined,
      streamVersion: undefined,
      detail: `${covered} event(s) lie at or before global position ${heads.throughPosition} ` +
        `(${heads.eventCount} at export)${globalHash === heads.globalHash ? "" : "; their positions, streams, versions or hashes differ from the global head"}`
    })
  }

  return {
    tenantId: heads.tenantId,
    valid: problems.length === 0,
    exportedAt: heads.exportedAt,
    eventsChecked: events.length,
    eventsAfterHeads: events.length - covered,
    problems
  }
}

/**
 * Checks the signature of the heads with the city's public key, that they
 * are this tenant's, then the events against them (see
 * {@link verifyAgainstHeads} for what is and is not detected). Fails,
 * checking nothing, when the heads are forged or for another tenant. Pure.
 */
export const verifySignedHeads = (
  events: ReadonlyArray<StoredEvent>,
  signed: SignedTenantHeads,
  publicKey: KeyObject
): Result.Result<TenantChainReport, HeadsRejected> =>
  Result.flatMap(openSignedHeads(signed, publicKey), (heads) => {
    const foreign = events.find((event) => event.tenantId !== heads.tenantId)
    return foreign === undefined
      ? Result.succeed(verifyAgainstHeads(events, heads))
      : Result.fail(new HeadsTenantMismatch({ expected: foreign.tenantId, found: heads.tenantId }))
  })

/** How many events to read per `readAll` page. */
export interface PagingOptions {
  /** Events per page, 1 to 10,000 (default 1,000). */
  readonly pageSize?: number | undefined
}

const pageSizeOf = (options: PagingOptions): number => Math.min(10_000, Math.max(1, Math.floor(options.pageSize ?? 1_000)))

const forEachEvent = Effect.fnUntraced(function*(
  tenantId: string,
  options: PagingOptions,
  visit: (event: StoredEvent) => void
): Effect.fn.Return<void, InvalidStoreRequest | StorageFailure, EventStore> {
  const store = yield* EventStore
  const limit = pageSizeOf(options)
  let after = 0
  for (;;) {
    const page = yield* store.readAll({ tenantId, after, limit })
    for (const event of page) visit(event)
    const last = page[page.length - 1]
    if (last === undefined || page.length < limit) return
    after = last.globalPosition
  }
})

/**
 * Exports a tenant's heads from the event store, reading every event with
 * `readAll` page by page (memory grows with the number of streams, not of
 * events), and signs them with the city's Ed25519 private key. The time of
 * export comes from the effect `Clock`. Keep the result outside the
 * database; check the store against the latest one you kept before
 * exporting the next ({@link verifyTenantHeads}), since an export signs
 * whatever the store holds.
 */
export const exportTenantHeads = Effect.fnUntraced(function*(
  tenantId: string,
  options: { readonly privateKey: KeyObject; readonly keyId: string } & PagingOptions
): Effect.fn.Return<SignedTenantHeads, SigningKeyUnsuitable | InvalidStoreRequest | StorageFailure, EventStore> {
  if (options.privateKey.type !== "private" || options.privateKey.asymmetricKeyType !== "ed25519") {
    return yield* new SigningKeyUnsuitable({ operation: "sign", given: describeKey(options.privateKey) })
  }
  const heads = startHeads()
  yield* forEachEvent(tenantId, options, (event) => addToHeads(heads, event))
  const exportedAt = yield* DateTime.now
  return yield* Effect.fromResult(signTenantHeads(finishHeads(tenantId, heads, exportedAt), options))
})

/**
 * Checks a tenant's event store against signed heads exported earlier:
 * the signature under the city's public key, the tenant, then every event
 * read with `readAll` (held in memory for the stream checks). Fails with
 * {@link HeadsRejected} when the heads cannot be trusted; otherwise
 * succeeds with the report, `valid: false` listing each problem found.
 */
export const verifyTenantHeads = Effect.fnUntraced(function*(
  tenantId: string,
  signed: SignedTenantHeads,
  options: { readonly publicKey: KeyObject } & PagingOptions
): Effect.fn.Return<TenantChainReport, HeadsRejected | InvalidStoreRequest | StorageFailure, EventStore> {
  const heads = yield* Effect.fromResult(openSignedHeads(signed, options.publicKey))
  if (heads.tenantId !== tenantId) return yield* new HeadsTenantMismatch({ expected: tenantId, found: heads.tenantId })
  const events: Array<StoredEvent> = []
  yield* forEachEvent(tenantId, options, (event) => events.push(event))
  return verifyAgainstHeads(events, heads)
})
