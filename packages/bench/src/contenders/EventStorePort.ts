/**
 * Our adapters seen through core's `EventStore` port, the way the command
 * engine uses it: one `append` per batch with the expected version and the
 * command id as idempotency key (the engine always passes one), no outbox
 * messages; reads are `readAll` pages of decoded `StoredEvent`s.
 *
 * @module
 */
import { type AppendRequest, EventStore, type StoredEvent } from "@community-policing/core"
import { Effect, type Layer, ManagedRuntime } from "effect"
import type { Contender, ReadView, Target } from "../Contender.ts"
import { type Batch, PAGE_SIZE, TENANT_ID } from "../Workload.ts"

/** A batch as the engine hands it to the store. */
export const toAppendRequest = (batch: Batch): AppendRequest => ({
  tenantId: TENANT_ID,
  streamId: batch.streamId,
  expectedVersion: batch.expectedVersion,
  idempotencyKey: batch.events[0]!.commandId,
  events: batch.events
})

const view = (event: StoredEvent): ReadView => event

/** A contender over an adapter's layer, built once per child process. */
export const portContender = (
  layerFor: (target: Target) => Layer.Layer<EventStore, unknown>
): Contender<AppendRequest, StoredEvent> => {
  const open = async (target: Target) => {
    const runtime = ManagedRuntime.make(layerFor(target))
    const store = await runtime.runPromise(Effect.gen(function*() {
      return yield* EventStore
    }))
    return { store, close: () => runtime.dispose() }
  }
  return {
    openWriter: async (target) => {
      const { store, close } = await open(target)
      return {
        prepare: toAppendRequest,
        append: async (request) => {
          const result = await Effect.runPromise(store.append(request))
          if (result._tag !== "Appended") throw new Error(`append of ${request.streamId} returned ${result._tag}`)
        },
        close
      }
    },
    openReader: async (target) => {
      const { store, close } = await open(target)
      return {
        pages: async function*() {
          let after = 0
          while (true) {
            const events = await Effect.runPromise(store.readAll({ tenantId: TENANT_ID, after, limit: PAGE_SIZE }))
            if (events.length === 0) return
            yield events
            after = events[events.length - 1]!.globalPosition
          }
        },
        view,
        close
      }
    }
  }
}
