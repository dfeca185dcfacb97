/**
 * A projection as the engine runs one: read the events after its checkpoint,
 * write what they change together with the new checkpoint, repeat. Used to
 * check that a follower of the global position sees every event exactly
 * once, in position order, while writers are busy.
 */
import { EventStore, ReadModelStore, type StoredEvent } from "@community-policing/core"
import { Effect } from "effect"

/** What a projection run saw. */
export interface ProjectionRun {
  /** Every event in the order the projection received it. */
  readonly seen: ReadonlyArray<StoredEvent>
  /** How many commits it made. */
  readonly commits: number
}

/** The per-stream counter document the projection keeps. */
export const counterCollection = "stream-counters"

/**
 * Follows the tenant's events from the projection's checkpoint until
 * `finished` is true and nothing is left, committing a counter per stream
 * (events seen, last version) with each page. Fails if a page goes back in
 * position or skips a version of a stream.
 */
export const followEvents = (options: {
  readonly tenantId: string
  readonly projection: string
  readonly pageSize: number
  readonly finished: () => boolean
}): Effect.Effect<ProjectionRun, unknown, EventStore | ReadModelStore> =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const readModels = yield* ReadModelStore
    const seen: Array<StoredEvent> = []
    const counters = new Map<string, { count: number; lastVersion: number }>()
    let commits = 0
    let checkpoint = yield* readModels.checkpoint(options.tenantId, options.projection)
    for (;;) {
      // Read the flag first: an empty page read after the writers finished means the end.
      const finished = options.finished()
      const page = yield* events.readAll({ tenantId: options.tenantId, after: checkpoint, limit: options.pageSize })
      if (page.length === 0) {
        if (finished) return { seen, commits }
        yield* Effect.sleep("1 millis")
        continue
      }
      const touched = new Set<string>()
      for (const event of page) {
        const previous = seen.at(-1)?.globalPosition ?? checkpoint
        if (event.globalPosition <= previous) {
          return yield* Effect.fail(`position ${event.globalPosition} came after ${previous}`)
        }
        const counter = counters.get(event.streamId) ?? { count: 0, lastVersion: 0 }
        if (event.streamVersion !== counter.lastVersion + 1) {
          return yield* Effect.fail(`stream ${event.streamId}: version ${event.streamVersion} came after ${counter.lastVersion}`)
        }
        counters.set(event.streamId, { count: counter.count + 1, lastVersion: event.streamVersion })
        touched.add(event.streamId)
        seen.push(event)
      }
      const next = page.at(-1)!.globalPosition
      yield* readModels.commit(options.tenantId, {
        projection: options.projection,
        expectedCheckpoint: checkpoint,
        checkpoint: next,
        upserts: Array.from(touched, (streamId) => {
          const counter = counters.get(streamId)!
          return { collection: counterCollection, id: streamId, data: counter, indexed: { count: counter.count } }
        }),
        deletes: []
      })
      commits++
      checkpoint = next
    }
  })
