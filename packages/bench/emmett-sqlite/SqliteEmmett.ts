/**
 * Emmett's SQLite event store (`@event-driven-io/emmett-sqlite` 0.38.5 with
 * Emmett 0.38.5, over node-sqlite3) with the same events (see
 * `toEmmettEvent`). Appends go through the event store's `appendToStream`
 * with the expected stream version; reads through `readMessagesBatch`, what
 * Emmett's own consumers page with.
 *
 * This file lives in its own npm project (this folder) because no single
 * Emmett version serves both Emmett stores on this registry; see README.md.
 *
 * @module
 */
import type { ReadEvent, ReadEventMetadataWithGlobalPosition } from "@event-driven-io/emmett"
import { getSQLiteEventStore, readMessagesBatch, sqliteConnection } from "@event-driven-io/emmett-sqlite"
import { type Contender, expectEngine } from "../src/Contender.ts"
import { type EmmettEvent, toEmmettEvent } from "../src/contenders/EmmettEvent.ts"
import { PAGE_SIZE } from "../src/Workload.ts"

interface Prepared {
  readonly streamName: string
  readonly expectedVersion: bigint
  readonly events: Array<EmmettEvent>
}

type Read = ReadEvent<EmmettEvent, ReadEventMetadataWithGlobalPosition>

export const contender: Contender<Prepared, Read> = {
  openWriter: async (target) => {
    const store = getSQLiteEventStore({ fileName: expectEngine(target, "sqlite").file })
    // Emmett creates its schema on first use; a read here does it before any timed append.
    await store.readStream("schema-warm-up")
    return {
      prepare: (batch) => ({
        streamName: batch.streamId,
        expectedVersion: BigInt(batch.expectedVersion),
        events: batch.events.map(toEmmettEvent)
      }),
      append: async ({ streamName, expectedVersion, events }) => {
        await store.appendToStream(streamName, events, { expectedStreamVersion: expectedVersion })
      },
      // The store opens and closes a connection per call when given a file: nothing is left open.
      close: async () => {}
    }
  },
  openReader: async (target) => {
    const connection = sqliteConnection({ fileName: expectEngine(target, "sqlite").file })
    return {
      pages: async function*() {
        let after = 0n
        while (true) {
          const batch = await readMessagesBatch<EmmettEvent>(connection, { after, batchSize: PAGE_SIZE })
          if (batch.messages.length === 0) return
          yield batch.messages as ReadonlyArray<Read>
          after = batch.currentGlobalPosition
          if (!batch.areEventsLeft) return
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
      close: async () => {
        connection.close()
      }
    }
  }
}
