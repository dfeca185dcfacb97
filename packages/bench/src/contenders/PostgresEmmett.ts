/**
 * Emmett's PostgreSQL event store (`@event-driven-io/emmett-postgresql`
 * 0.42.0, over node-postgres through Emmett's Dumbo) with the same events
 * (see `toEmmettEvent`). Appends go through `appendToStream` with the
 * expected stream version; reads through `readMessagesBatch`, what Emmett's
 * own consumers page with.
 *
 * @module
 */
import { dumbo } from "@event-driven-io/dumbo"
import type { ReadEvent, ReadEventMetadataWithGlobalPosition } from "@event-driven-io/emmett"
import { getPostgreSQLEventStore, readMessagesBatch } from "@event-driven-io/emmett-postgresql"
import { type Contender, expectEngine } from "../Contender.ts"
import { PAGE_SIZE } from "../Workload.ts"
import { type EmmettEvent, toEmmettEvent } from "./EmmettEvent.ts"

interface Prepared {
  readonly streamName: string
  readonly expectedVersion: bigint
  readonly events: Array<EmmettEvent>
}

type Read = ReadEvent<EmmettEvent, ReadEventMetadataWithGlobalPosition>

export const contender: Contender<Prepared, Read> = {
  openWriter: async (target) => {
    const store = getPostgreSQLEventStore(expectEngine(target, "postgres").url)
    // Emmett creates its schema on first use; done here so that no timed append pays for it.
    await store.schema.migrate()
    return {
      prepare: (batch) => ({
        streamName: batch.streamId,
        expectedVersion: BigInt(batch.expectedVersion),
        events: batch.events.map(toEmmettEvent)
      }),
      append: async ({ streamName, expectedVersion, events }) => {
        await store.appendToStream(streamName, events, { expectedStreamVersion: expectedVersion })
      },
      close: () => store.close()
    }
  },
  openReader: async (target) => {
    const pool = dumbo({ connectionString: expectEngine(target, "postgres").url })
    return {
      pages: async function*() {
        let after = 0n
        while (true) {
          const batch = await readMessagesBatch<EmmettEvent>(pool.execute, { after, batchSize: PAGE_SIZE })
          if (batch.messages.length === 0) return
          yield batch.messages as ReadonlyArray<Read>
          after = batch.currentGlobalPosition
          if (!batch.areMessagesLeft) return
        }
      },
      view: (event) => ({
        streamId: event.metadata.streamName,
        streamVersion: Number(event.metadata.streamPosition),
        globalPosition: Number(event.metadata.globalPosition),
        eventId: event.metadata.messageId,
        eventType: event.type,
        hash: String((event.metadata as unknown as Record<string, unknown>)["hash"]),
        data: event.data
      }),
      close: () => pool.close()
    }
  }
}
