/**
 * A crash-test child: imports a records batch of 100 events (with its
 * outbox notification) per append, one after another, each under its own
 * idempotency key, printing a line per result. The parent kills it with
 * SIGKILL mid-run and starts it again; a rerun must finish the work without
 * writing anything twice.
 *
 * Usage: node --import tsx appendBatches.ts <database-url> <tenant-id> <batches>
 */
import { type EventToAppend, EventStore } from "@community-policing/core"
import { DateTime, Effect, Redacted } from "effect"
import { PostgresStore } from "../../src/index.ts"

const [url = "", tenantId = "", batchesText = "0"] = process.argv.slice(2)
const batches = Number(batchesText)
const streamId = "cad-import-2026-03"

/** Batch `batch`, the same every run: a rerun sends exactly what the killed run may have written. */
const batchEvents = (batch: number): ReadonlyArray<EventToAppend> =>
  Array.from({ length: 100 }, (_, index): EventToAppend => ({
    tenantId,
    streamId,
    streamVersion: batch * 100 + index + 1,
    eventId: `call-${batch}-${index}`,
    eventType: "CallForServiceImported",
    schemaVersion: 1,
    data: { batch, index, incident: `2026-03-${String(1 + (index % 28)).padStart(2, "0")}-${index}`, note: "noise complaint ".repeat(8) },
    recordedAt: DateTime.makeUnsafe(Date.UTC(2026, 2, 1) + batch * 1000 + index),
    actor: "System:cad-import",
    commandId: `import-${batch}`,
    correlationId: `import-${batch}`,
    causationId: null,
    previousHash: "0".repeat(64),
    hash: "f".repeat(64)
  }))

const program = Effect.gen(function*() {
  const store = yield* EventStore
  for (let batch = 0; batch < batches; batch++) {
    const result = yield* store.append({
      tenantId,
      streamId,
      expectedVersion: batch * 100,
      idempotencyKey: `import-batch-${batch}`,
      events: batchEvents(batch),
      outbox: [{ id: `imported-${batch}`, topic: "webhook:records-system", payload: { batch }, maxAttempts: 3 }]
    })
    process.stdout.write(`${result._tag} ${batch}\n`)
  }
})

await Effect.runPromise(program.pipe(Effect.provide(PostgresStore.layer({ url: Redacted.make(url), maxConnections: 1 }))))
