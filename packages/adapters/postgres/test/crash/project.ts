/**
 * A crash-test child: a projection counting each stream's events, following
 * readAll from its checkpoint and committing its documents with the new
 * checkpoint, one small page at a time, until it has caught up. The parent
 * kills it with SIGKILL mid-run; the documents and the checkpoint must still
 * agree, and a rerun must finish the count.
 *
 * Usage: node --import tsx project.ts <database-url> <tenant-id>
 */
import { EventStore, type ReadModelDocument, ReadModelStore } from "@community-policing/core"
import { Effect, Option, Redacted } from "effect"
import { PostgresStore } from "../../src/index.ts"

const [url = "", tenantId = ""] = process.argv.slice(2)
const projection = "stream-counts"
const collection = "stream-counts"

interface Count {
  readonly count: number
  readonly lastVersion: number
}

const program = Effect.gen(function*() {
  const store = yield* EventStore
  const readModels = yield* ReadModelStore
  for (;;) {
    const checkpoint = yield* readModels.checkpoint(tenantId, projection)
    const page = yield* store.readAll({ tenantId, after: checkpoint, limit: 20 })
    const last = page.at(-1)
    if (last === undefined) return
    const counts = new Map<string, Count>()
    for (const event of page) {
      const known = counts.get(event.streamId) ??
        Option.match(yield* readModels.get(tenantId, collection, event.streamId), {
          onNone: () => ({ count: 0, lastVersion: 0 }),
          onSome: (document) => document.data as unknown as Count
        })
      counts.set(event.streamId, { count: known.count + 1, lastVersion: event.streamVersion })
    }
    yield* readModels.commit(tenantId, {
      projection,
      expectedCheckpoint: checkpoint,
      checkpoint: last.globalPosition,
      upserts: Array.from(counts, ([streamId, count]): ReadModelDocument => ({
        collection,
        id: streamId,
        data: { count: count.count, lastVersion: count.lastVersion },
        indexed: { count: count.count }
      })),
      deletes: []
    })
    process.stdout.write(`committed ${last.globalPosition}\n`)
  }
})

await Effect.runPromise(program.pipe(Effect.provide(PostgresStore.layer({ url: Redacted.make(url), maxConnections: 1 }))))
