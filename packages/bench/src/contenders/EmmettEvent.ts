/**
 * Our events in Emmett's shape, shared by both Emmett contenders (which use
 * two different Emmett versions, so this module imports neither).
 *
 * @module
 */
import type { EventToAppend } from "@community-policing/core"
import { DateTime } from "effect"

/** An Emmett event: type, data and metadata (structurally Emmett's `Event<string, Record, Record>`). */
export interface EmmettEvent {
  readonly type: string
  readonly data: Record<string, unknown>
  readonly metadata: Record<string, unknown>
}

/**
 * Our envelope as an Emmett event, as an Emmett user storing the same facts
 * would write it: the domain event's type and data, the rest of the envelope
 * (ids, actor, hashes, ...) as metadata, our event id as Emmett's message id.
 */
export const toEmmettEvent = (event: EventToAppend): EmmettEvent => ({
  type: event.eventType,
  data: event.data as Record<string, unknown>,
  metadata: {
    messageId: event.eventId,
    tenantId: event.tenantId,
    schemaVersion: event.schemaVersion,
    recordedAt: DateTime.formatIso(event.recordedAt),
    actor: event.actor,
    commandId: event.commandId,
    correlationId: event.correlationId,
    causationId: event.causationId,
    previousHash: event.previousHash,
    hash: event.hash
  }
})
