/**
 * A durable CallStore for the kill-and-resume test: the memory adapter's
 * store, with every committed batch and places upsert appended to a journal
 * file (one JSON line, synced) after the memory store accepted it. Opening
 * the journal replays it into a fresh memory store, so a process killed at
 * any moment leaves exactly the batches it committed, as a database would.
 * A torn last line (a kill in the middle of an append) is a batch that never
 * committed and is skipped.
 */
import { MemoryStore } from "@community-policing/adapter-memory"
import { CallStore, Place, StoredCall } from "@community-policing/core"
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs"
import { Effect, Schema } from "effect"

const JournalEntry = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("batch"),
    tenantId: Schema.String,
    importId: Schema.String,
    throughRow: Schema.Number,
    calls: Schema.Array(StoredCall),
    quarantined: Schema.Array(Schema.Struct({ rowNumber: Schema.Number, raw: Schema.String, reason: Schema.String }))
  }),
  Schema.Struct({ kind: Schema.Literal("places"), tenantId: Schema.String, places: Schema.Array(Place) })
])

const encodeEntry = Schema.encodeSync(Schema.fromJsonString(JournalEntry))
const decodeEntry = Schema.decodeUnknownOption(Schema.fromJsonString(JournalEntry))

/** Opens (and replays) a journal; the store it returns appends to it. */
export const openJournaledStore = (path: string, options: { readonly afterCommit?: (throughRow: number) => Effect.Effect<void> } = {}) =>
  Effect.gen(function*() {
    const memory = yield* MemoryStore.makeWithInspector()
    if (existsSync(path)) {
      for (const line of readFileSync(path, "utf8").split("\n")) {
        const entry = decodeEntry(line)
        if (entry._tag === "None") continue
        const value = entry.value
        if (value.kind === "batch") {
          yield* memory.callStore.commitImportBatch(value.tenantId, value).pipe(Effect.orDie)
        } else {
          yield* memory.callStore.upsertPlaces(value.tenantId, value.places).pipe(Effect.orDie)
        }
      }
    }
    const append = (entry: typeof JournalEntry.Type) =>
      Effect.sync(() => {
        const fd = openSync(path, "a")
        writeSync(fd, encodeEntry(entry) + "\n")
        fsyncSync(fd)
        closeSync(fd)
      })
    const store = CallStore.of({
      ...memory.callStore,
      commitImportBatch: (tenantId, batch) =>
        Effect.gen(function*() {
          const result = yield* memory.callStore.commitImportBatch(tenantId, batch)
          yield* append({ kind: "batch", tenantId, ...batch })
          if (options.afterCommit !== undefined) yield* options.afterCommit(batch.throughRow)
          return result
        }),
      upsertPlaces: (tenantId, places) =>
        Effect.gen(function*() {
          yield* memory.callStore.upsertPlaces(tenantId, places)
          yield* append({ kind: "places", tenantId, places })
        })
    })
    return { store, inspector: memory.inspector }
  })
