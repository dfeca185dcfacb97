/**
 * Where the time of a SQLite read goes, in one warm process: the workload is
 * appended once through our adapter, then three ways of reading all of it in
 * pages of 1,000 alternate, seven times each:
 *
 * 1. better-sqlite3 alone, rows as arrays, nothing decoded (the driver's floor);
 * 2. the same plus `JSON.parse` of each row's data (the raw baseline's read);
 * 3. our adapter's `EventStore.readAll`, decoded into `StoredEvent`s.
 *
 * Used in docs/performance.md to show how far the 200,000 events/s read
 * target is from what the driver itself delivers on a machine.
 *
 * Usage: npm run bench:sqlite-read-floor -w @community-policing/bench
 *
 * @module
 */
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { EventStore } from "@community-policing/core"
import Database from "better-sqlite3"
import { Effect, ManagedRuntime } from "effect"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { contender } from "./contenders/SqliteOurs.ts"
import { median } from "./Report.ts"
import { batches, PAGE_SIZE, TENANT_ID, TOTAL_EVENTS } from "./Workload.ts"

const REPETITIONS = 7

const folder = await mkdtemp(join(tmpdir(), "community-policing-read-floor-"))
const file = join(folder, "events.db")
const writer = await contender.openWriter({ engine: "sqlite", file })
for (const batch of batches()) await writer.append(writer.prepare(batch))
await writer.close()

const db = new Database(file, { readonly: true })
const page = db.prepare<[string, number, number], Array<unknown>>(
  "SELECT global_position, tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, " +
    "recorded_at, actor, command_id, correlation_id, causation_id, previous_hash, hash " +
    "FROM events WHERE tenant_id = ? AND global_position > ? ORDER BY global_position LIMIT ?"
).raw()
const runtime = ManagedRuntime.make(SqliteStore.layer({ filename: file }))
const store = await runtime.runPromise(Effect.gen(function*() {
  return yield* EventStore
}))

const driverOnly = (parse: boolean) => async () => {
  let after = 0
  let count = 0
  while (true) {
    const rows = page.all(TENANT_ID, after, PAGE_SIZE)
    if (rows.length === 0) return count
    if (parse) for (const row of rows) row[7] = JSON.parse(row[7] as string)
    count += rows.length
    after = rows[rows.length - 1]![0] as number
  }
}

const adapter = async () => {
  let after = 0
  let count = 0
  while (true) {
    const events = await Effect.runPromise(store.readAll({ tenantId: TENANT_ID, after, limit: PAGE_SIZE }))
    if (events.length === 0) return count
    count += events.length
    after = events[events.length - 1]!.globalPosition
  }
}

const ways = [
  ["better-sqlite3 rows as arrays, nothing decoded", driverOnly(false)],
  ["the same + JSON.parse of data (raw baseline)", driverOnly(true)],
  ["adapter-sqlite readAll into StoredEvent", adapter]
] as const
const timings = new Map<string, Array<number>>(ways.map(([name]) => [name, []]))
for (let repetition = 0; repetition < REPETITIONS; repetition++) {
  for (const [name, read] of ways) {
    const start = performance.now()
    const count = await read()
    timings.get(name)!.push(performance.now() - start)
    if (count !== TOTAL_EVENTS) throw new Error(`${name} read ${count} events`)
  }
}
await runtime.dispose()
db.close()
await rm(folder, { recursive: true, force: true })

const perSecond = (millis: number) => Math.round(TOTAL_EVENTS / (millis / 1000)).toLocaleString("en-US")
process.stdout.write(`Reading ${TOTAL_EVENTS.toLocaleString("en-US")} events in pages of ${PAGE_SIZE}, ${REPETITIONS} alternating repetitions:\n`)
for (const [name, millis] of timings) {
  const best = Math.min(...millis)
  process.stdout.write(
    `  ${name}: median ${Math.round(median(millis))} ms (${perSecond(median(millis))} ev/s), ` +
      `best ${Math.round(best)} ms (${perSecond(best)} ev/s)\n`
  )
}
