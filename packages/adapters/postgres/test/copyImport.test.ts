/**
 * The `COPY` path of import batches (`copyImportMinCalls`) against the real
 * server: the `CallStore` and `CallAnalytics` conformance checks with every
 * batch going through `COPY`; arbitrary text round-tripping through the
 * `COPY` escaping; big batches with duplicates inside and across batches,
 * the same tables as the statement path writes; a batch the server refuses
 * halfway writing nothing; a batch interrupted at any point writing all or
 * nothing; two importers (COPY against COPY, COPY against statements) racing
 * for one import; the setting refused when it is not a whole number >= 1.
 */
import {
  CallAnalytics,
  type CallCategory,
  CallStore,
  ImportAlreadyRunning,
  type ImportBatch,
  InvalidStoreRequest,
  keyProblem,
  portableValueProblem,
  StoredCall,
  storedCallProblem
} from "@community-policing/core"
import {
  addressKeyOf,
  callAnalyticsSuite,
  callStoreSuite,
  freshId,
  freshTenant,
  makeBatch,
  makeStoredCall,
  makeUnaddressedCall,
  storedCallView
} from "@community-policing/testkit"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer, Redacted, Schema } from "effect"
import * as fc from "fast-check"
import { afterAll } from "vitest"
import { InvalidPostgresConfig, PostgresStore } from "../src/index.ts"
import { createTestDatabase, withConnection } from "./support/database.ts"
import { rawStoreLayer } from "./support/raw.ts"
import { tenantRows as tenantRowsOf } from "./support/tenantRows.ts"

const database = await createTestDatabase("copy_import")
afterAll(() => database.drop())

/** Every batch through `COPY`. */
const copyLayer = PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 8, migrate: true, copyImportMinCalls: 1 })

callStoreSuite("adapter-postgres COPY path", {
  layer: copyLayer,
  raw: rawStoreLayer(database.url),
  capabilities: { concurrentWriters: true, persistent: true, calls: true },
  timeout: 60_000
})
callAnalyticsSuite("adapter-postgres COPY path", {
  layer: copyLayer,
  raw: rawStoreLayer(database.url),
  capabilities: { concurrentWriters: true, persistent: true, calls: true },
  timeout: 60_000
})

/** The store through `COPY` only, and a second one that never uses it: the two paths side by side. */
class Statements extends Context.Service<Statements, CallStore["Service"]>()("test/StatementPathCallStore") {}

// Built after the COPY store, which migrates the database.
const Both = Layer.effect(
  Statements,
  Effect.map(PostgresStore.make({ url: Redacted.make(database.url), maxConnections: 4, copyImportMinCalls: Infinity }), (store) => store.callStore)
).pipe(Layer.provideMerge(copyLayer))

/** Plain SQL over a connection of its own, not the adapter's. */
const query = <A extends object>(text: string) => Effect.promise(() => withConnection(database.url, (sql) => sql.unsafe<A>(text)))

const tenantRows = (tenantId: string) => tenantRowsOf(database.url, tenantId)

const categories: ReadonlyArray<CallCategory> = ["disorder", "nuisance", "drug-trade", "medical"]

/** Call `n` of a generated history: 2,000 addresses, 60 days, some without an address, a few categories. */
const generated = (n: number): StoredCall => {
  const serviceDay = `2026-0${1 + (n % 3)}-${String(1 + (n % 28)).padStart(2, "0")}`
  const districts = { beat: `${n % 7}A`, policeDistrict: `${n % 3}`, councilDistrict: `${n % 8}`, neighborhood: `Hood ${n % 5}` }
  const picked = [categories[n % 4]!, ...(n % 5 === 0 ? [categories[(n + 1) % 4]!, categories[n % 4]!] : [])]
  return n % 50 === 0
    ? makeUnaddressedCall({ dedupeKey: `id:cad:${n}`, addressUnknown: "blank", serviceDay, districts, categories: picked })
    : makeStoredCall({
      dedupeKey: `id:cad:${n}`,
      addressKey: `${n % 2_000} MAIN ST`,
      serviceDay,
      localTime: `${String(n % 24).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`,
      channel: n % 3 === 0 ? "non-emergency" : "911",
      categories: picked,
      districts
    })
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index)

/** Batches over calls `[0, total)` in `size`-row batches, each repeating some calls of its own and of the batch before. */
const batchesOf = (importId: string, total: number, size: number): Array<ImportBatch> =>
  range(0, Math.ceil(total / size)).map((index) => {
    const own = range(index * size, Math.min(size, total - index * size)).map(generated)
    const repeats = [...own.slice(0, 40), ...(index > 0 ? range((index - 1) * size, 60).map(generated) : [])]
    const quarantined = [{ rowNumber: (index + 1) * (size + 200), raw: `row\t${index}\n"quoted"\\`, reason: "receivedAt: not a date" }]
    return makeBatch(importId, (index + 1) * (size + 200), [...own, ...repeats], quarantined, index * (size + 200))
  })

layer(Both, { timeout: 240_000 })("the COPY path", (it) => {
  it.effect("big batches with duplicates inside and across batches write what the statement path writes", () =>
    Effect.gen(function*() {
      const copied = yield* CallStore
      const statements = yield* Statements
      const tenantA = yield* freshTenant
      const tenantB = yield* freshTenant
      const importId = yield* freshId("import")
      let totals = { imported: 0, duplicates: 0 }
      for (const batch of batchesOf(importId, 24_000, 8_000)) {
        const viaCopy = yield* copied.commitImportBatch(tenantA, batch)
        const viaStatements = yield* statements.commitImportBatch(tenantB, batch)
        assert.deepStrictEqual(viaCopy, viaStatements)
        totals = { imported: totals.imported + viaCopy.imported, duplicates: totals.duplicates + viaCopy.duplicates }
      }
      assert.deepStrictEqual(totals, { imported: 24_000, duplicates: 3 * 40 + 2 * 60 })
      const a = yield* tenantRows(tenantA)
      const b = yield* tenantRows(tenantB)
      assert.strictEqual(a.calls.length, 24_000)
      assert.deepStrictEqual(a, b)
      // Importing the same batches again from the start is a new import of only duplicates.
      const again = yield* freshId("import")
      for (const batch of batchesOf(again, 24_000, 8_000)) {
        const result = yield* copied.commitImportBatch(tenantA, batch)
        assert.strictEqual(result.imported, 0)
      }
      assert.deepStrictEqual((yield* tenantRows(tenantA)).counts, a.counts)
      // The other tenant's identical keys were stored for it, not skipped as the first tenant's.
      const analytics = yield* CallAnalytics
      const window = { endDay: "2026-03-28", days: 120 }
      assert.deepStrictEqual(
        yield* analytics.concentration(tenantA, { window, topPercent: 100 }),
        yield* analytics.concentration(tenantB, { window, topPercent: 100 })
      )
    }))

  it.effect("a batch the server refuses halfway writes nothing, and the next batch commits", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const tenantId = yield* freshTenant
      const importId = yield* freshId("import")
      yield* store.commitImportBatch(tenantId, makeBatch(importId, 10, range(0, 5).map(generated), [], 0))
      const before = yield* tenantRows(tenantId)
      // A trigger that refuses one call deep in the batch: the COPY has run and half the INSERT with it.
      const poison = "id:cad:poison"
      yield* query(`
        CREATE OR REPLACE FUNCTION public.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.dedupe_key = '${poison}' THEN RAISE EXCEPTION 'poisoned call' USING ERRCODE = 'P0001'; END IF;
          RETURN NEW;
        END $$`)
      yield* query(`CREATE OR REPLACE TRIGGER refuse_poison BEFORE INSERT ON community_policing.calls
        FOR EACH ROW EXECUTE FUNCTION public.refuse_poison()`)
      const calls = [...range(100, 3_000).map(generated), { ...generated(1), dedupeKey: poison }, ...range(3_100, 3_000).map(generated)]
      const refused = yield* Effect.exit(
        store.commitImportBatch(tenantId, makeBatch(importId, 7_000, calls, [{ rowNumber: 6_500, raw: "x", reason: "bad" }], 10))
      )
      yield* query("DROP TRIGGER refuse_poison ON community_policing.calls")
      assert.isTrue(Exit.isFailure(refused))
      assert.deepStrictEqual(yield* tenantRows(tenantId), before)
      const progress = yield* store.importProgress(tenantId, importId)
      assert.strictEqual(progress._tag === "Some" ? progress.value.throughRow : undefined, 10)
      // The same batch again, on a healthy table: the pool's connections still work.
      const retried = yield* store.commitImportBatch(tenantId, makeBatch(importId, 7_000, calls, [], 10))
      assert.deepStrictEqual(retried, { imported: 6_001, duplicates: 0 })
    }))

  it.effect("a batch with an invalid call is refused before the COPY and writes nothing", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const tenantId = yield* freshTenant
      const importId = yield* freshId("import")
      const calls = [...range(0, 4_000).map(generated), { ...generated(4_000), source: "bad\u0000source" }]
      const refused = yield* Effect.flip(store.commitImportBatch(tenantId, makeBatch(importId, 5_000, calls, [], 0)))
      assert.instanceOf(refused, InvalidStoreRequest)
      assert.match(refused.reason, /^call 4000: /)
      assert.deepStrictEqual(yield* tenantRows(tenantId), { calls: [], counts: [], quarantined: [], progress: [] })
    }))

  it.effect("of two importers committing the same rows at once, one gets ImportAlreadyRunning and the other's batch stands", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      // Another process's store: a pool (and COPY connections) of its own; in odd rounds, one on the statement path.
      const other = (yield* PostgresStore.make({ url: Redacted.make(database.url), maxConnections: 4, copyImportMinCalls: 1 })).callStore
      const statements = yield* Statements
      const tenantId = yield* freshTenant
      for (let round = 0; round < 6; round++) {
        const importId = yield* freshId("import")
        const batch = makeBatch(importId, 5_000, range(round * 10_000, 4_000).map(generated), [], 0)
        const rival = round % 2 === 0 ? other : statements
        const exits = yield* Effect.all(
          [Effect.exit(store.commitImportBatch(tenantId, batch)), Effect.exit(rival.commitImportBatch(tenantId, batch))],
          { concurrency: 2 }
        )
        const won = exits.filter(Exit.isSuccess)
        assert.strictEqual(won.length, 1, "exactly one importer commits")
        assert.deepStrictEqual(won[0]!.value, { imported: 4_000, duplicates: 0 })
        const error = yield* Effect.flip(exits.find(Exit.isFailure)!)
        assert.instanceOf(error, ImportAlreadyRunning)
        assert.strictEqual(error.progress.throughRow, 5_000)
        const progress = yield* store.importProgress(tenantId, importId)
        assert.deepStrictEqual(progress._tag === "Some" ? progress.value : undefined, {
          importId,
          throughRow: 5_000,
          imported: 4_000,
          duplicates: 0,
          quarantined: 0
        })
      }
    }).pipe(Effect.scoped))

  it.effect("a batch interrupted at any point (here from its start to after its commit) is all or nothing, and the next batch commits", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const tenantId = yield* freshTenant
      let committed = 0
      for (const [round, delay] of [0, 5, 20, 60, 150, 400, 800, 1_500, 3_000, 6_000].entries()) {
        const importId = yield* freshId("import")
        const calls = range(round * 20_000, 6_000).map(generated)
        const fiber = yield* Effect.forkChild(store.commitImportBatch(tenantId, makeBatch(importId, 6_000, calls, [], 0)))
        // The wall clock: it.effect runs on a TestClock.
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, delay)))
        yield* Fiber.interrupt(fiber)
        const exit = yield* Fiber.await(fiber)
        const progress = yield* store.importProgress(tenantId, importId)
        const rows = yield* tenantRows(tenantId)
        if (Exit.isSuccess(exit) || (progress._tag === "Some" && progress.value.throughRow === 6_000)) committed += 6_000
        assert.strictEqual(rows.calls.length, committed, "the calls are all of the committed batches, and nothing of the interrupted one")
        if (committed === (round + 1) * 6_000) continue
        assert.isTrue(progress._tag === "None" || progress.value.throughRow === 0)
        // The interrupted batch again: the pool's connections still work, and nothing was half-written.
        assert.deepStrictEqual(
          yield* store.commitImportBatch(tenantId, makeBatch(importId, 6_000, calls, [], 0)),
          { imported: 6_000, duplicates: 0 }
        )
        committed += 6_000
      }
    }), 180_000) // ten rounds of 6,000 calls: about 22 s on a quiet machine, 55 s at load 12

  it.effect("copyImportMinCalls must be a whole number >= 1 or Infinity", () =>
    Effect.gen(function*() {
      for (const copyImportMinCalls of [0, -1, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(Effect.scoped(PostgresStore.make({ url: Redacted.make(database.url), copyImportMinCalls })))
        assert.instanceOf(error, InvalidPostgresConfig)
        assert.strictEqual(error.field, "copyImportMinCalls")
      }
    }))

  it.effect("arbitrary calls round-trip through the COPY path: every string read back equal", () =>
    Effect.gen(function*() {
      const store = yield* CallStore
      const tenantId = yield* freshTenant
      let run = 0
      const roundTrip = (calls: ReadonlyArray<StoredCall>) =>
        Effect.gen(function*() {
          run++
          // Keys unique across runs (shrinking replays calls); the arbitrary's text stays inside each key.
          const keyed = calls.map((call, position) => ({ ...call, dedupeKey: `${run}:${position}:${call.dedupeKey}` }))
          const result = yield* store.commitImportBatch(tenantId, makeBatch(`import-${run}`, 1, keyed, [], 0))
          assert.deepStrictEqual(result, { imported: keyed.length, duplicates: 0 })
          for (const call of keyed) {
            const found = yield* store.callsAt(tenantId, addressKeyOf(call), { fromDay: call.serviceDay, toDay: call.serviceDay })
            assert.deepStrictEqual(storedCallView(found.find((candidate) => candidate.dedupeKey === call.dedupeKey)), storedCallView(call))
          }
        })
      yield* Effect.promise(() =>
        fc.assert(fc.asyncProperty(callsArbitrary, (calls) => Effect.runPromise(roundTrip(calls))), { numRuns: 60 })
      )
    }))
})

/** Text with what `COPY` and array literals escape, non-ASCII and astral characters among plain ones. */
const tricky = fc.array(
  fc.oneof(
    fc.constantFrom("\t", "\n", "\r", "\\", "\\N", "\\.", "\"", "'", ",", "{", "}", "NULL", " ", "é", "日本", "\u{1f600}", "\u2028", "\ufeff"),
    fc.string({ unit: "binary", maxLength: 6 })
  ),
  { minLength: 1, maxLength: 8 }
).map((parts) => parts.join("")).filter((text) => portableValueProblem(text, "") === undefined)

const isStoredCall = Schema.is(StoredCall)

const key = tricky.filter((text) => keyProblem(text) === undefined)
const addressKey = key.filter((text) => text.trim() === text)

const callsArbitrary: fc.Arbitrary<ReadonlyArray<StoredCall>> = fc.array(
  fc.record({
    dedupeKey: key,
    addressKey,
    description: tricky,
    source: key,
    rule: key,
    beat: key,
    day: fc.integer({ min: 0, max: 400 })
  }).map(({ dedupeKey, addressKey, description, source, rule, beat, day }): StoredCall => {
    const call = makeStoredCall({
      dedupeKey,
      addressKey,
      serviceDay: new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10),
      categories: ["disorder", "nuisance"],
      districts: { beat }
    })
    return {
      ...call,
      source,
      call: { ...call.call, callType: { code: "415", description } },
      categories: call.categories.map((match) => ({ ...match, rule }))
    }
  }).filter((call) => isStoredCall(call) && storedCallProblem(call) === undefined),
  { minLength: 1, maxLength: 12 }
)
