/**
 * The call store's fast path (issue 4): a call of plain objects is checked
 * and written out as JSON in one pass instead of through the StoredCall
 * schema. It may only ever be faster: on every call, valid or broken, it
 * either declines (and the schema decides) or gives exactly what the
 * schema's path gives, the stored text byte for byte included. And it must
 * not decline the calls importers build, or it would be no faster.
 *
 * The batch write it feeds (duplicates dropped before the writes, calls
 * written in index order, daily counts added per cell) is checked here
 * against the counts recomputed from the stored calls; the conformance kit
 * checks the rest of the contract.
 */
import {
  CallAnalytics,
  CallStore,
  locationAddressKey,
  type StoredCall,
  StoredCall as StoredCallSchema,
  storedCallProblem
} from "@community-policing/core"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, DateTime, Effect, Schema } from "effect"
import { SqliteStore } from "../src/index.ts"
import { storedCallForms } from "../src/internal/callStore.ts"
import { tempDatabases } from "./support/files.ts"

const { fast, bySchema } = storedCallForms

/** A JSON copy of a generated call: plain objects, as importers build them, with the DateTime restored. */
const asImporterBuildsIt = (call: StoredCall): StoredCall => {
  const encoded = Schema.encodeSync(StoredCallSchema)(call)
  const copy = JSON.parse(JSON.stringify(encoded)) as Record<string, Record<string, unknown>>
  copy["call"]!["receivedAt"] = call.call.receivedAt
  return copy as unknown as StoredCall
}

const sampleCalls = (count: number) =>
  Effect.map(Arbitrary.sampleEffect(Arbitrary.schema(StoredCallSchema), { count }), (calls) => calls.map(asImporterBuildsIt))

/** Generated calls the store limits take (generated strings may hold lone surrogates or NUL, which every store refuses). */
const storableCalls = (count: number) =>
  Effect.map(sampleCalls(count * 4), (calls) => {
    const storable = calls.filter((call) => storedCallProblem(call) === undefined).slice(0, count)
    assert.strictEqual(storable.length, count, "enough generated calls within the store limits")
    return storable
  })

type Path = ReadonlyArray<string | number>

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
const pathsOf = (value: unknown, prefix: Path = []): Array<Path> => {
  if (typeof value !== "object" || value === null || DateTime.isDateTime(value)) return []
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key]
    return [path, ...pathsOf(inner, path)]
  })
}

const cloneWith = (value: unknown, path: Path, replace: (old: unknown) => unknown): unknown => {
  if (path.length === 0) return replace(value)
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? cloneWith(item, rest, replace) : item))
  if (typeof value === "object" && value !== null && head !== undefined) {
    return { ...value, [head]: cloneWith((value as Record<string, unknown>)[head], rest, replace) }
  }
  return value
}

const withoutKey = (value: unknown, path: Path): unknown => {
  const parent = path.slice(0, -1)
  const key = path.at(-1)
  return cloneWith(value, parent, (old) => {
    if (Array.isArray(old)) return old.filter((_, index) => index !== key)
    if (typeof old !== "object" || old === null || key === undefined) return old
    const { [key]: _removed, ...rest } = old as Record<string, unknown>
    return rest
  })
}

// What a broken call can hold instead of a value: each is wrong for some field and right for others.
const replacements: ReadonlyArray<unknown> = [
  undefined,
  null,
  "",
  " padded ",
  "x",
  "911",
  "disorder",
  "2024-02-30",
  "2024-02-29",
  0,
  -0,
  1.5,
  91,
  -181,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  7,
  true,
  [],
  {},
  { _tag: "unknown" },
  { _tag: "residential", units: 0 },
  { _tag: "non-residential", kind: "casino" },
  DateTime.makeUnsafe(0),
  DateTime.makeUnsafe(Date.UTC(99_999, 0, 1)),
  DateTime.makeZonedUnsafe(0, { timeZone: "Europe/Paris" }),
  new Date(0)
]

/** The fast path either declines or agrees with the schema's path exactly. */
const agrees = (call: unknown, label: string) => {
  const quick = fast(call)
  const slow = bySchema(call)
  if (quick !== undefined) assert.deepStrictEqual(quick, slow, label)
}

describe("the fast path of CallStore.commitImportBatch", () => {
  it.effect("gives the schema path's stored text and columns for generated calls, and never declines them", () =>
    Effect.gen(function*() {
      const calls = yield* sampleCalls(400)
      let declined = 0
      for (const call of calls) {
        const quick = fast(call)
        if (quick === undefined) declined += 1
        agrees(call, JSON.stringify(Schema.encodeSync(StoredCallSchema)(call)))
      }
      assert.strictEqual(declined, 0)
    }))

  it.effect("declines or agrees on every call broken at any one place, and is never more lenient than the schema", () =>
    Effect.gen(function*() {
      const calls = yield* sampleCalls(40)
      let checked = 0
      let refusedBySchema = 0
      for (const call of calls) {
        for (const path of pathsOf(call)) {
          for (const replacement of replacements) {
            const broken = cloneWith(call, path, () => replacement)
            agrees(broken, `${path.join(".")} = ${String(replacement)}`)
            if (bySchema(broken) === undefined) refusedBySchema += 1
            checked += 1
          }
          const removed = withoutKey(call, path)
          agrees(removed, `without ${path.join(".")}`)
          checked += 1
        }
        agrees({ ...call, extra: "dropped" }, "an extra key")
        agrees(Object.assign(Object.create({ inherited: true }), call), "a call that is not a plain object")
      }
      assert.isAbove(checked, 5_000)
      // The broken calls really are broken, mostly: the comparison is not only over valid ones.
      assert.isAbove(refusedBySchema, checked / 3)
    }))

  it("declines what it does not check itself, leaving it to the schema", () => {
    const call = {
      call: {
        sourceRecordId: "1",
        receivedAt: DateTime.makeUnsafe(Date.UTC(2024, 2, 5)),
        channel: "911",
        callType: { code: "415", description: "DISTURBANCE" },
        location: { addressKey: "23XX 10TH AVE" },
        domesticViolenceOrVictimization: false,
        medical: false,
        fireOrEms: false,
        callerIsVictim: false
      },
      dedupeKey: "id:test:1",
      serviceDay: "2024-03-05",
      categories: [],
      source: "test"
    }
    assert.isDefined(fast(call))
    // A class instance, an optional key holding undefined.
    class Holder {
      constructor(readonly call: unknown, readonly dedupeKey: string, readonly serviceDay: string, readonly categories: [], readonly source: string) {}
    }
    assert.isUndefined(fast(new Holder(call.call, call.dedupeKey, call.serviceDay, [], call.source)))
    assert.isDefined(bySchema(new Holder(call.call, call.dedupeKey, call.serviceDay, [], call.source)))
    assert.isUndefined(fast({ ...call, call: { ...call.call, priority: undefined } }))
    assert.isUndefined(bySchema({ ...call, call: { ...call.call, priority: undefined } }))
  })
})

const database = tempDatabases("speed-path")

const storeLayer = (name: string) => SqliteStore.layer({ filename: database(name) })

describe("a batch through the fast path", () => {
  it.effect("stores each key once (the first call's), counts only new calls, and keeps the daily counts equal to the calls", () =>
    Effect.gen(function*() {
      const sampled = yield* storableCalls(300)
      // Few addresses, days and channels, so that cells collect several calls and keys repeat.
      const calls = sampled.map((call, index): StoredCall => ({
        ...call,
        serviceDay: `2024-03-0${1 + (index % 3)}`,
        dedupeKey: `key-${index % 250}`,
        call: { ...call.call, location: { addressKey: `${index % 7} MAIN ST` }, channel: index % 2 === 0 ? "911" as const : "other" as const }
      }))
      const first = calls.slice(0, 200)
      const second = calls.slice(150)
      const result = yield* Effect.gen(function*() {
        const store = yield* CallStore
        const analytics = yield* CallAnalytics
        const one = yield* store.commitImportBatch("t", { importId: "i", throughRow: 200, calls: first, quarantined: [] })
        const two = yield* store.commitImportBatch("t", { importId: "i", throughRow: 400, calls: second, quarantined: [] })
        const stored = yield* Effect.forEach(
          Array.from({ length: 7 }, (_, index) => `${index} MAIN ST`),
          (address) => store.callsAt("t", address, { fromDay: "2024-03-01", toDay: "2024-03-03" })
        )
        const byAddress = yield* analytics.repeatLocations("t", {
          window: { endDay: "2024-03-03", days: 3 },
          minCount: 0,
          limit: 100
        })
        const byChannel = yield* analytics.repeatLocations("t", {
          window: { endDay: "2024-03-03", days: 3 },
          channels: ["other"],
          minCount: 0,
          limit: 100
        })
        return { one, two, stored: stored.flat(), byAddress, byChannel }
      }).pipe(Effect.provide(storeLayer("batch")))

      // Keys key-0..key-199 in the first batch (200 distinct), key-200..key-249 new in the second.
      assert.deepStrictEqual(result.one, { imported: 200, duplicates: 0 })
      assert.deepStrictEqual(result.two, { imported: 50, duplicates: 100 })
      const firstOfKey = new Map<string, StoredCall>()
      for (const call of calls) if (!firstOfKey.has(call.dedupeKey)) firstOfKey.set(call.dedupeKey, call)
      const expected = [...firstOfKey.values()]
      const key = (call: StoredCall) => call.dedupeKey
      assert.deepStrictEqual(result.stored.map(key).sort(), expected.map(key).sort())
      const storedText = new Map(result.stored.map((call) => [call.dedupeKey, JSON.stringify(Schema.encodeSync(StoredCallSchema)(call))]))
      for (const call of expected) {
        assert.strictEqual(storedText.get(call.dedupeKey), JSON.stringify(Schema.encodeSync(StoredCallSchema)(call)))
      }
      const countBy = (selected: ReadonlyArray<StoredCall>) => {
        const counts = new Map<string, number>()
        for (const call of selected) {
          // A call without an address is at no place: not counted per address.
          const address = locationAddressKey(call.call.location)
          if (address !== undefined) counts.set(address, (counts.get(address) ?? 0) + 1)
        }
        return [...counts].map(([address, count]) => ({ key: address, count })).sort((a, b) =>
          b.count - a.count || (a.key < b.key ? -1 : 1)
        )
      }
      assert.deepStrictEqual(result.byAddress, countBy(expected))
      assert.deepStrictEqual(result.byChannel, countBy(expected.filter((call) => call.call.channel === "other")))
    }))
})
