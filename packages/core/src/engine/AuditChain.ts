/**
 * The audit chain: each stream's events are hash-chained, so that any event
 * changed, removed, inserted or reordered after it was written is detected,
 * and where. the CJIS Security Policy (policy area 4, auditing and accountability) asks that audit records be protected
 * from unauthorized modification; the chain makes modification evident.
 *
 * A chain alone cannot reveal a stream rewritten with every later hash
 * recomputed, a cut-off tail, a deleted stream or a changed global position:
 * for those, check the store against signed heads exported earlier (see
 * `ChainHeads`: `exportTenantHeads`, `verifyTenantHeads`).
 *
 * @module
 */
import { createHash } from "node:crypto"
import { DateTime } from "effect"
import type { EventToAppend, StoredEvent } from "../ports/EventStore.ts"

/** The `previousHash` of a stream's first event: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64)

/**
 * A canonical JSON encoding: object keys sorted by code unit, no whitespace,
 * numbers and strings as `JSON.stringify` writes them (the rules of RFC 8785
 * for the values JSON can hold), so equal values always hash equally.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") {
    const encoded = JSON.stringify(value)
    // undefined, functions and symbols have no JSON form; as object members
    // they are dropped below, elsewhere they encode as null like JSON.stringify.
    return encoded === undefined ? "null" : encoded
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
  return `{${entries.join(",")}}`
}

/** The fields of an event that its hash covers: everything but its position and the hash itself. */
export type ChainedFields = Omit<EventToAppend, "hash">

/** SHA-256 (hex) of an event's previous hash and the canonical encoding of its fields. */
export const hashEvent = (event: ChainedFields): string =>
  createHash("sha256")
    .update(
      canonicalJson({
        tenantId: event.tenantId,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        eventId: event.eventId,
        eventType: event.eventType,
        schemaVersion: event.schemaVersion,
        data: event.data,
        recordedAt: DateTime.formatIso(event.recordedAt),
        actor: event.actor,
        commandId: event.commandId,
        correlationId: event.correlationId,
        causationId: event.causationId,
        previousHash: event.previousHash
      })
    )
    .digest("hex")

/** One thing wrong with a stream's chain. */
export interface ChainProblem {
  /**
   * - `changed`: the event's content no longer matches its hash, or the next
   *   event no longer matches it (altered with its hash recomputed);
   * - `removed`: an event is missing (a gap in versions, a broken link to a
   *   predecessor that is nowhere in the stream, or a cut-off tail);
   * - `inserted`: an event that the chain does not account for;
   * - `reordered`: events out of version order, or linked to a later event.
   */
  readonly kind: "changed" | "removed" | "inserted" | "reordered"
  /** The stream version where the problem was found. */
  readonly streamVersion: number
  /** A sentence for the audit report. */
  readonly detail: string
}

/** The result of verifying a stream's chain. */
export interface ChainReport {
  readonly streamId: string | undefined
  readonly eventsChecked: number
  readonly valid: boolean
  readonly problems: ReadonlyArray<ChainProblem>
}

/**
 * Verifies a stream's events (as read, in stored order) against their hash
 * chain and reports every problem found. Pass `head`, the last version and
 * hash recorded somewhere else (a receipt, a daily anchor), to also detect a
 * cut-off tail, which a chain alone cannot reveal.
 */
export const verifyChain = (
  events: ReadonlyArray<StoredEvent>,
  head?: { readonly streamVersion: number; readonly hash: string }
): ChainReport => {
  const problems: Array<ChainProblem> = []
  const indexByHash = new Map<string, number>()
  events.forEach((event, index) => indexByHash.set(event.hash, index))

  events.forEach((event, index) => {
    const previous = index === 0 ? undefined : events[index - 1]
    const previousVersion = previous?.streamVersion ?? 0
    const v = event.streamVersion
    if (hashEvent(event) !== event.hash) {
      problems.push({ kind: "changed", streamVersion: v, detail: `event ${v}'s content does not match its hash` })
    }
    if (v <= previousVersion) {
      const kind = v === previousVersion ? "inserted" : "reordered"
      problems.push({
        kind,
        streamVersion: v,
        detail: kind === "inserted"
          ? `a second event claims version ${v}`
          : `version ${v} comes after version ${previousVersion}`
      })
      return
    }
    if (v > previousVersion + 1) {
      problems.push({
        kind: "removed",
        streamVersion: previousVersion + 1,
        detail: `versions ${previousVersion + 1} to ${v - 1} are missing`
      })
      return
    }
    const expectedPrevious = previous?.hash ?? GENESIS_HASH
    if (event.previousHash === expectedPrevious) return
    const linked = indexByHash.get(event.previousHash)
    if (linked !== undefined && linked < index - 1) {
      problems.push({
        kind: "inserted",
        streamVersion: previousVersion,
        detail: `event ${v} follows event ${events[linked]?.streamVersion}; what lies between was inserted`
      })
    } else if (linked !== undefined && linked > index) {
      problems.push({
        kind: "reordered",
        streamVersion: v,
        detail: `event ${v} was written after an event that now comes later`
      })
    } else if (previous === undefined) {
      problems.push({ kind: "removed", streamVersion: 1, detail: "the stream's first events are missing" })
    } else {
      problems.push({
        kind: "changed",
        streamVersion: previousVersion,
        detail: `event ${v} does not link to event ${previousVersion}: that event was altered, ` +
          `or an event between them was removed`
      })
    }
  })

  if (head !== undefined) {
    const last = events[events.length - 1]
    if (last === undefined || last.streamVersion < head.streamVersion) {
      problems.push({
        kind: "removed",
        streamVersion: (last?.streamVersion ?? 0) + 1,
        detail: `the stream ends before the recorded head version ${head.streamVersion}`
      })
    } else {
      const atHead = events.find((event) => event.streamVersion === head.streamVersion)
      if (atHead !== undefined && atHead.hash !== head.hash) {
        problems.push({
          kind: "changed",
          streamVersion: head.streamVersion,
          detail: `event ${head.streamVersion} does not match the recorded head hash`
        })
      }
    }
  }

  return {
    streamId: events[0]?.streamId,
    eventsChecked: events.length,
    valid: problems.length === 0,
    problems
  }
}
