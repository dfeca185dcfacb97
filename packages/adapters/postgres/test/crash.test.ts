/**
 * Crash tests: a writer, a call importer and a projection run as child
 * processes and are killed with SIGKILL mid-run, twice each. Afterwards the
 * tables (read over a connection of their own) must hold whole batches only,
 * a read model that agrees with its checkpoint, and a rerun must finish the
 * work without writing anything twice (the call import: exactly as a clean
 * run of the same file in another tenant).
 */
import { CallStore, EventStore, type StoredEvent } from "@community-policing/core"
import { makeAppend } from "@community-policing/testkit"
import { Effect, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { migrate, PostgresStore } from "../src/index.ts"
import { callBatch } from "./crash/callsFile.ts"
import { runChild } from "./support/child.ts"
import { clientLayer, createTestDatabase, withConnection } from "./support/database.ts"

const database = await createTestDatabase("crash")
afterAll(() => database.drop())
beforeAll(() => Effect.runPromise(Effect.provide(migrate(), clientLayer(database.url, 1))))

const tenant = (name: string) => `${name}-${globalThis.crypto.randomUUID()}`

const count = (lines: ReadonlyArray<string>, prefix: string) => lines.filter((line) => line.startsWith(prefix)).length

/** The importer's rows, checked batch by batch: returns how many whole batches are stored. */
const importedBatches = async (tenantId: string): Promise<number> => {
  const { events, keys, messages } = await withConnection(database.url, (sql) =>
    Effect.all({
      events: sql<{ stream_version: bigint; event_id: string; batch: number }>`
        SELECT stream_version, event_id, (data->>'batch')::integer AS batch FROM community_policing.events
        WHERE tenant_id = ${tenantId} ORDER BY stream_version`,
      keys: sql<{ idempotency_key: string; first_version: bigint; last_version: bigint }>`
        SELECT idempotency_key, first_version, last_version FROM community_policing.idempotency_keys
        WHERE tenant_id = ${tenantId} ORDER BY first_version`,
      messages: sql<{ id: string }>`SELECT id FROM community_policing.outbox WHERE tenant_id = ${tenantId} ORDER BY write_order`
    }))
  expect(events.length % 100, "only whole batches of 100 events are stored").toBe(0)
  const batches = events.length / 100
  events.forEach((event, index) => {
    const batch = Math.floor(index / 100)
    expect(Number(event.stream_version)).toBe(index + 1)
    expect(event.event_id).toBe(`call-${batch}-${index % 100}`)
    expect(event.batch).toBe(batch)
  })
  expect(keys.map((key) => [key.idempotency_key, Number(key.first_version), Number(key.last_version)])).toEqual(
    Array.from({ length: batches }, (_, batch) => [`import-batch-${batch}`, batch * 100 + 1, batch * 100 + 100])
  )
  expect(messages.map((message) => message.id), "a batch's outbox message commits with it").toEqual(
    Array.from({ length: batches }, (_, batch) => `imported-${batch}`)
  )
  return batches
}

/** The projection's documents must count exactly the events up to its checkpoint; returns the checkpoint. */
const projectionAgrees = async (tenantId: string): Promise<number> => {
  const { checkpoint, documents, fields, events } = await withConnection(database.url, (sql) =>
    Effect.all({
      checkpoint: sql<{ position: bigint }>`
        SELECT position FROM community_policing.checkpoints WHERE tenant_id = ${tenantId} AND projection = 'stream-counts'`,
      documents: sql<{ id: string; data: { count: number; lastVersion: number } }>`
        SELECT id, data FROM community_policing.documents WHERE tenant_id = ${tenantId} AND collection = 'stream-counts'`,
      fields: sql<{ id: string; number_key: number }>`
        SELECT id, number_key FROM community_policing.document_fields
        WHERE tenant_id = ${tenantId} AND collection = 'stream-counts' AND field = 'count'`,
      events: sql<{ stream_id: string; stream_version: bigint; global_position: bigint }>`
        SELECT stream_id, stream_version, global_position FROM community_policing.events WHERE tenant_id = ${tenantId}`
    }))
  const position = Number(checkpoint[0]?.position ?? 0)
  const expected = new Map<string, { count: number; lastVersion: number }>()
  for (const event of events) {
    if (Number(event.global_position) > position) continue
    const known = expected.get(event.stream_id) ?? { count: 0, lastVersion: 0 }
    expected.set(event.stream_id, { count: known.count + 1, lastVersion: Math.max(known.lastVersion, Number(event.stream_version)) })
  }
  const sorted = <A extends { id: string }>(rows: ReadonlyArray<A>) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))
  expect(
    sorted(documents).map((document) => [document.id, document.data]),
    `the documents count exactly the events up to checkpoint ${position}`
  ).toEqual(sorted([...expected].map(([id, data]) => ({ id, data }))).map((row) => [row.id, row.data]))
  expect(
    sorted(fields).map((field) => [field.id, field.number_key]),
    "the indexed field agrees with its document"
  ).toEqual(sorted(documents).map((document) => [document.id, document.data.count]))
  return position
}

/** Everything an import of calls stored for a tenant, read with plain SQL: progress, calls, quarantined rows, daily counts. */
const importState = (tenantId: string) =>
  withConnection(database.url, (sql) =>
    Effect.all({
      progress: sql<{ import_id: string; through_row: bigint; imported: bigint; duplicates: bigint; quarantined: bigint }>`
        SELECT import_id, through_row, imported, duplicates, quarantined FROM community_policing.import_progress
        WHERE tenant_id = ${tenantId}`,
      calls: sql<{ dedupe_key: string; data: unknown }>`
        SELECT dedupe_key, data FROM community_policing.calls WHERE tenant_id = ${tenantId} ORDER BY dedupe_key`,
      rows: sql<{ row_number: bigint; raw: string; reason: string }>`
        SELECT row_number, raw, reason FROM community_policing.quarantined_rows WHERE tenant_id = ${tenantId} ORDER BY row_number`,
      cells: sql<{ cell: string; count: bigint }>`
        SELECT concat_ws('|', category, service_day, channel, address_key, beat, police_district, council_district, neighborhood) AS cell,
          count
        FROM community_policing.daily_counts WHERE tenant_id = ${tenantId} ORDER BY cell`
    }))

/**
 * The call import's tables must hold whole batches only: k batches means
 * progress through row 1 + 100k, 85k + 10 distinct calls (10 of each later
 * batch repeat the one before), 5k quarantined rows, and every stored call
 * counted once in the all-calls cells. Returns k.
 */
const wholeCallBatches = async (tenantId: string): Promise<number> => {
  const { progress, calls, rows, cells } = await importState(tenantId)
  const throughRow = Number(progress[0]?.through_row ?? 1)
  const batches = (throughRow - 1) / 100
  expect(Number.isInteger(batches), `progress through row ${throughRow} ends a batch`).toBe(true)
  const distinct = batches === 0 ? 0 : 85 * batches + 10
  expect(calls.length, "the calls of whole batches, each key once").toBe(distinct)
  expect(rows.length, "the quarantined rows of whole batches").toBe(5 * batches)
  if (batches > 0) {
    expect(progress.map((row) => [Number(row.imported), Number(row.duplicates), Number(row.quarantined)])).toEqual([
      [distinct, 10 * (batches - 1), 5 * batches]
    ])
  }
  const counted = cells.filter((cell) => cell.cell.startsWith("|")).reduce((sum, cell) => sum + Number(cell.count), 0)
  expect(counted, "each stored call counted once in the daily counts").toBe(distinct)
  return batches
}

// Starting a child under tsx costs seconds of CPU; the two scenarios use
// separate tenants, so they run side by side.
describe.concurrent("crash", () => {
  it("an importer killed mid-run leaves every batch whole or absent; a rerun finishes with nothing twice", async () => {
    const tenantId = tenant("springfield")
    const args = [database.url, tenantId, "30"]
    let stored = 0
    for (let kill = 0; kill < 2; kill++) {
      const run = await runChild("appendBatches.ts", args, {
        killWhen: (lines) => count(lines, "Appended") >= 3,
        jitterMillis: 25
      })
      expect(run.signal, `run ${kill} must be killed mid-run: ${run.stderr}`).toBe("SIGKILL")
      expect(count(run.lines, "Duplicate"), "a rerun skips the batches already stored").toBe(stored)
      const batches = await importedBatches(tenantId)
      expect(batches).toBeGreaterThanOrEqual(stored + count(run.lines, "Appended"))
      stored = batches
    }
    const final = await runChild("appendBatches.ts", args)
    expect(final.code, final.stderr).toBe(0)
    expect(final.lines.slice(0, stored)).toEqual(Array.from({ length: stored }, (_, batch) => `Duplicate ${batch}`))
    expect(final.lines.slice(stored)).toEqual(Array.from({ length: 30 - stored }, (_, index) => `Appended ${stored + index}`))
    expect(await importedBatches(tenantId)).toBe(30)
  }, 60_000)

  it("a projection killed mid-commit never leaves documents and checkpoint disagreeing; a rerun finishes the count", async () => {
    const tenantId = tenant("oakland")
    const streams = Array.from({ length: 40 }, (_, index) => `nuisance-case-${index}`)
    const written: Array<StoredEvent> = []
    await Effect.runPromise(
      Effect.gen(function*() {
        const store = yield* EventStore
        // 2,400 events, 120 pages of 20: a run killed after its third commit
        // has far more left than a loaded machine finishes before the kill lands
        // (with 1,200 events in pages of 40 a second run once finished first).
        for (let round = 0; round < 20; round++) {
          for (const streamId of streams) {
            const result = yield* store.append(yield* makeAppend({ tenantId, streamId, expectedVersion: round * 3, count: 3 }))
            written.push(...result.events)
          }
        }
      }).pipe(Effect.provide(PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 2 })))
    )
    let checkpoint = 0
    for (let kill = 0; kill < 2; kill++) {
      const run = await runChild("project.ts", [database.url, tenantId], {
        killWhen: (lines) => lines.length >= 3,
        jitterMillis: 15
      })
      expect(run.signal, `run ${kill} must be killed mid-run: ${run.stderr}`).toBe("SIGKILL")
      const agreed = await projectionAgrees(tenantId)
      expect(agreed, "every commit the projection reported is stored").toBeGreaterThanOrEqual(
        Number(run.lines.at(-1)?.split(" ")[1] ?? checkpoint)
      )
      checkpoint = agreed
    }
    const final = await runChild("project.ts", [database.url, tenantId])
    expect(final.code, final.stderr).toBe(0)
    expect(await projectionAgrees(tenantId)).toBe(Math.max(...written.map((event) => event.globalPosition)))
  }, 60_000)
})

// After the concurrent pair: three more children at once would slow every one of them past its timeout.
describe("crash of a call import", () => {
  it("a call import killed mid-run resumes from its progress and ends exactly as one clean run", async () => {
    const tenantId = tenant("sacramento")
    const clean = tenant("sacramento-clean")
    const batches = 20
    await Effect.runPromise(
      Effect.gen(function*() {
        const store = yield* CallStore
        for (let batch = 0; batch < batches; batch++) yield* store.commitImportBatch(clean, callBatch(batch))
      }).pipe(Effect.provide(PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 1 })))
    )
    let stored = 0
    for (let kill = 0; kill < 2; kill++) {
      const run = await runChild("importCalls.ts", [database.url, tenantId, String(batches)], {
        killWhen: (lines) => count(lines, "Committed") >= 3,
        jitterMillis: 25
      })
      expect(run.signal, `run ${kill} must be killed mid-run: ${run.stderr}`).toBe("SIGKILL")
      expect(run.lines[0], "a rerun resumes after the committed progress").toBe(
        `Committed ${stored} ${stored === 0 ? 95 : 85} ${stored === 0 ? 0 : 10}`
      )
      const whole = await wholeCallBatches(tenantId)
      expect(whole).toBeGreaterThanOrEqual(stored + count(run.lines, "Committed"))
      stored = whole
    }
    const final = await runChild("importCalls.ts", [database.url, tenantId, String(batches)])
    expect(final.code, final.stderr).toBe(0)
    expect(final.lines.length, "the rerun sends only the batches not yet committed").toBe(batches - stored)
    expect(await wholeCallBatches(tenantId)).toBe(batches)
    expect(await importState(tenantId), "the killed and resumed import stored exactly what a clean run stored").toEqual(
      await importState(clean)
    )
  }, 60_000)
})
