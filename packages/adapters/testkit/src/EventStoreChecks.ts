/**
 * The checks of the `EventStore` contract. Each works in fresh tenants, so
 * they can share one store, even a database that outlives the run.
 *
 * @module
 */
import { type AppendRequest, type AppendResult, EventStore, keyProblem, MAX_KEY_BYTES, type StoredEvent } from "@community-policing/core"
import { Arbitrary, Effect, Option, Ref, Result, Schema } from "effect"
import { type ConformanceCheck, inNewInstance } from "./ConformanceCheck.ts"
import { ConformanceFailure, expectEqual, expectFailure, expectSuccess, expectTrue } from "./ConformanceFailure.ts"
import {
  appendedView,
  eventView,
  freshId,
  freshTenant,
  hostileStrings,
  jsonShapes,
  makeAppend,
  makeEvents,
  portableJson,
  unicodeStrings
} from "./Fixtures.ts"
import { RawStore } from "./RawStore.ts"
import { expectRefusal, expectTenantRefused, incompressibleText, invalidKeys, invalidTenantIds, longestTenant, longestWideKey } from "./Limits.ts"

const check = (
  name: string,
  run: ConformanceCheck<EventStore>["run"],
  requires: ConformanceCheck<EventStore>["requires"] = []
): ConformanceCheck<EventStore> => ({ port: "EventStore", name, requires, run })

/** Appends a batch that must be written; returns the stored events. */
const appendOk = Effect.fnUntraced(function*(request: AppendRequest, what: string) {
  const store = yield* EventStore
  const result = yield* expectSuccess(store.append(request), what)
  yield* expectTrue(result._tag === "Appended", `${what}: expected Appended`, { expected: "Appended", actual: result })
  yield* expectEqual(
    result.events.map(appendedView),
    request.events.map(appendedView),
    `${what}: Appended must return the events as written`
  )
  return result.events
})

/** Every event of a tenant, in one `readAll` (the checks write far fewer than 10,000). */
const allEvents = Effect.fnUntraced(function*(tenantId: string) {
  const store = yield* EventStore
  return yield* expectSuccess(store.readAll({ tenantId, after: 0, limit: 10_000 }), "readAll from 0")
})

/** The raw store's reader of events, if the vendor supplied one. */
const rawEventsReader = Effect.map(Effect.serviceOption(RawStore), (raw) => Option.fromUndefinedOr(Option.getOrUndefined(raw)?.events))

/** When a raw reader is supplied, the events really stored for the tenant must be `expected`. */
const expectStored = Effect.fnUntraced(function*(tenantId: string, expected: ReadonlyArray<StoredEvent>, what: string) {
  const reader = yield* rawEventsReader
  if (Option.isNone(reader)) return
  const stored = yield* expectSuccess(reader.value(tenantId), "RawStore.events")
  yield* expectEqual(stored.map(eventView), expected.map(eventView), `${what} (read from the raw store)`)
})

/** A short unique suffix for ids made inside a builder callback, which cannot yield. */
const shortId = () => globalThis.crypto.randomUUID().slice(0, 8)

const isAppended = (result: Result.Result<AppendResult, unknown>) =>
  Result.isSuccess(result) && result.success._tag === "Appended"

const strictlyIncreasing = (events: ReadonlyArray<StoredEvent>) =>
  events.every((event, index) => index === 0 || event.globalPosition > events[index - 1]!.globalPosition)

const faithfulRoundTrip = check(
  "append stores every envelope field and reads it back unchanged",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("nuisance-case")
    const request = yield* makeAppend({
      tenantId,
      streamId,
      count: 3,
      data: (index) => ({ index, place: { parcel: "APN 001-234-56", flags: [true, false, null] }, fine: 250.75 })
    })
    const written = yield* appendOk(request, "append to a new stream")
    yield* expectTrue(
      written.every((event) => Number.isSafeInteger(event.globalPosition)) && strictlyIncreasing(written),
      "a batch's global positions must be whole numbers increasing in version order",
      { actual: written.map((event) => event.globalPosition) }
    )
    yield* expectEqual(
      (yield* store.readStream(tenantId, streamId)).map(eventView),
      written.map(eventView),
      "readStream must return exactly what append returned"
    )
    yield* expectEqual(
      (yield* allEvents(tenantId)).map(eventView),
      written.map(eventView),
      "readAll must return exactly what append returned"
    )
    yield* expectEqual(
      yield* store.findByIdempotencyKey(tenantId, "never-used"),
      Option.none(),
      "findByIdempotencyKey must find nothing for an unused key"
    )
    yield* expectStored(tenantId, written, "the stored events must be what append returned")
  })
)

const callerCopies = check(
  "stored events are copies: changing what was passed in or returned changes nothing stored",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const data = { list: [1, 2, 3], nested: { value: "original" } }
    const request = yield* makeAppend({ tenantId, streamId, data: () => data })
    const written = yield* appendOk(request, "append")
    // A deep copy: the views share `data` with the returned events, which this check is about to change.
    const expected = structuredClone(written.map(eventView))
    data.list.push(4)
    data.nested.value = "changed after append"
    // The port hands out readonly types; these casts are the caller misbehaving on purpose.
    const returned = written[0]?.data as { list: Array<number>; nested: { value: string } } | undefined
    returned?.list.push(5)
    if (returned !== undefined) returned.nested.value = "changed in the result"
    const read = yield* store.readStream(tenantId, streamId)
    const readData = read[0]?.data as { list: Array<number> } | undefined
    readData?.list.push(6)
    yield* expectEqual(
      (yield* store.readStream(tenantId, streamId)).map(eventView),
      expected,
      "the stored event must not change when the caller changes objects it passed or received"
    )
  })
)

const jsonRoundTrip = check(
  "JSON data of every shape, including generated values, reads back equal",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("json")
    const seed = yield* Effect.sync(() => Math.floor(Math.random() * 2 ** 31))
    const generated = yield* Arbitrary.sampleEffect(Arbitrary.schema(Schema.Json), { count: 60, seed }).pipe(
      Effect.mapError((error) => new ConformanceFailure({ message: "could not generate JSON samples", actual: error }))
    )
    const samples = [...jsonShapes, ...generated.map(portableJson)]
    const request = yield* makeAppend({ tenantId, streamId, count: samples.length, data: (index) => samples[index] ?? null })
    yield* appendOk(request, "append a batch of JSON samples")
    const read = yield* store.readStream(tenantId, streamId)
    yield* expectEqual(
      read.map((event) => event.data),
      samples,
      `every JSON sample must read back equal (generated with seed ${seed})`
    )
  })
)

const conflictOnExisting = check(
  "expecting version 0 on an existing stream fails with VersionConflict and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const written = yield* appendOk(yield* makeAppend({ tenantId, streamId, count: 2 }), "first append")
    const key = yield* freshId("key")
    const conflict = yield* expectFailure(
      store.append(yield* makeAppend({ tenantId, streamId, expectedVersion: 0, count: 1, idempotencyKey: key })),
      "VersionConflict",
      "an append expecting version 0 on a stream at version 2"
    )
    yield* expectEqual(
      { tenantId: conflict.tenantId, streamId: conflict.streamId, expectedVersion: conflict.expectedVersion, actualVersion: conflict.actualVersion },
      { tenantId, streamId, expectedVersion: 0, actualVersion: 2 },
      "VersionConflict must name the stream and both versions"
    )
    yield* expectEqual(
      (yield* store.readStream(tenantId, streamId)).map(eventView),
      written.map(eventView),
      "the stream must be unchanged"
    )
    yield* expectEqual((yield* allEvents(tenantId)).map(eventView), written.map(eventView), "readAll must show nothing new")
    yield* expectEqual(
      yield* store.findByIdempotencyKey(tenantId, key),
      Option.none(),
      "the idempotency key of a refused append must not be recorded"
    )
    yield* expectStored(tenantId, written, "nothing may be stored by a refused append")
  })
)

const conflictOnStale = check(
  "a stale or future expected version fails with VersionConflict and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const written: Array<StoredEvent> = []
    for (let version = 0; version < 3; version++) {
      written.push(...(yield* appendOk(yield* makeAppend({ tenantId, streamId, expectedVersion: version }), `append at ${version}`)))
    }
    for (const expectedVersion of [1, 2, 4, 5]) {
      const conflict = yield* expectFailure(
        store.append(yield* makeAppend({ tenantId, streamId, expectedVersion, count: 2 })),
        "VersionConflict",
        `an append expecting version ${expectedVersion} on a stream at version 3`
      )
      yield* expectEqual(
        [conflict.expectedVersion, conflict.actualVersion],
        [expectedVersion, 3],
        "VersionConflict must carry the expected and the actual version"
      )
    }
    yield* expectEqual(
      (yield* allEvents(tenantId)).map(eventView),
      written.map(eventView),
      "nothing may be written by refused appends"
    )
    yield* expectStored(tenantId, written, "nothing may be stored by refused appends")
    const next = yield* appendOk(yield* makeAppend({ tenantId, streamId, expectedVersion: 3 }), "append at the current version")
    yield* expectEqual(next.map((event) => event.streamVersion), [4], "the stream must continue at version 4")
  })
)

/** Runs `requests` as concurrent appends; fails unless exactly one is Appended and the others are VersionConflicts. */
const raceAppends = Effect.fnUntraced(function*(requests: ReadonlyArray<AppendRequest>, what: string) {
  const store = yield* EventStore
  const results = yield* Effect.all(requests.map((request) => Effect.result(store.append(request))), {
    concurrency: "unbounded"
  })
  yield* expectEqual(
    results.filter(isAppended).length,
    1,
    `exactly one of ${requests.length} racing appends ${what} must succeed`
  )
  for (const result of results) {
    if (isAppended(result)) continue
    yield* expectTrue(
      Result.isFailure(result) && result.failure._tag === "VersionConflict",
      `the losers of the race ${what} must fail with VersionConflict`,
      { expected: "VersionConflict", actual: result }
    )
  }
  return requests[results.findIndex(isAppended)]?.events ?? []
})

const concurrentAppends = check(
  "of concurrent appends with the same expected version exactly one succeeds",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const racers = (expectedVersion: number) =>
      Effect.forEach(Array.from({ length: 8 }), () => makeAppend({ tenantId, streamId, expectedVersion, count: 2 }))
    const first = yield* raceAppends(yield* racers(0), "on a new stream")
    const second = yield* raceAppends(yield* racers(2), "at version 2")
    yield* expectEqual(
      (yield* store.readStream(tenantId, streamId)).map(appendedView),
      [...first, ...second].map(appendedView),
      "the stream must hold exactly the two winners' events"
    )
    yield* expectEqual((yield* allEvents(tenantId)).length, 4, "readAll must hold only the winners' events")
  }),
  ["concurrentWriters"]
)

const malformedBatches = check(
  "malformed batches fail with InvalidStoreRequest and write nothing",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const otherTenant = yield* freshTenant
    const streamId = yield* freshId("stream")
    const existing = yield* appendOk(yield* makeAppend({ tenantId, streamId, count: 2 }), "setup append")
    const newStream = yield* freshId("stream")
    const base = yield* makeAppend({ tenantId, streamId: newStream, count: 3 })
    const events = base.events
    const cases: ReadonlyArray<readonly [string, AppendRequest]> = [
      ["an empty batch", { ...base, events: [] }],
      ["an event of another tenant", { ...base, events: events.map((event, index) => index === 1 ? { ...event, tenantId: otherTenant } : event) }],
      ["an event of another stream", { ...base, events: events.map((event, index) => index === 2 ? { ...event, streamId } : event) }],
      ["versions starting past expectedVersion + 1", { ...base, events: events.map((event) => ({ ...event, streamVersion: event.streamVersion + 1 })) }],
      ["a gap in the versions", { ...base, events: events.map((event, index) => index === 2 ? { ...event, streamVersion: 4 } : event) }],
      ["a repeated version", { ...base, events: events.map((event, index) => index === 1 ? { ...event, streamVersion: 1 } : event) }],
      ["versions out of order", { ...base, events: [events[1]!, events[0]!, events[2]!] }],
      [
        "versions that restart on an existing stream",
        { ...(yield* makeAppend({ tenantId, streamId, expectedVersion: 2, count: 2 })), events: (yield* makeEvents({ tenantId, streamId, expectedVersion: 0, count: 2 })) }
      ]
    ]
    for (const [what, request] of cases) {
      const key = yield* freshId("key")
      yield* expectFailure(store.append({ ...request, idempotencyKey: key }), "InvalidStoreRequest", `an append with ${what}`)
      yield* expectEqual(
        yield* store.findByIdempotencyKey(tenantId, key),
        Option.none(),
        `the idempotency key of an append with ${what} must not be recorded`
      )
    }
    yield* expectEqual((yield* store.readStream(tenantId, newStream)).length, 0, "no malformed batch may write any event")
    yield* expectEqual((yield* allEvents(tenantId)).map(eventView), existing.map(eventView), "readAll must show nothing new")
    yield* expectEqual((yield* allEvents(otherTenant)).length, 0, "the other tenant must have nothing")
    yield* expectStored(tenantId, existing, "no malformed batch may store anything")
    yield* appendOk(base, "the well-formed batch")
  })
)

const malformedEnvelopes = check(
  "events with malformed envelope fields or data that is not JSON are refused with the reason every adapter gives, writing nothing",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const base = yield* makeAppend({ tenantId, streamId, count: 2 })
    const withSecond = (fields: Readonly<Record<string, unknown>>): AppendRequest =>
      ({ ...base, events: base.events.map((event, index) => index === 1 ? { ...event, ...fields } : event) }) as AppendRequest
    const cases: ReadonlyArray<readonly [string, AppendRequest]> = [
      ["event 1 needs a non-empty eventType", withSecond({ eventType: "" })],
      ["event 1 needs a whole-number schemaVersion", withSecond({ schemaVersion: 1.5 })],
      ["event 1 needs recordedAt as a DateTime", withSecond({ recordedAt: "2026-01-01T00:00:00.000Z" })],
      ["event 1 needs string actor, commandId and correlationId", withSecond({ actor: 7 })],
      ["event 1 needs causationId as a string or null", withSecond({ causationId: 7 })],
      ["event 1 needs string hashes", withSecond({ hash: null })],
      ["event 1 has no JSON data", withSecond({ data: undefined })]
    ]
    for (const [reason, request] of cases) {
      yield* expectRefusal(store.append(request), "EventStore.append", reason, `an append whose ${reason.replace("event 1 ", "")}`)
    }
    yield* expectEqual((yield* store.readStream(tenantId, streamId)).length, 0, "no malformed event may be written")
    yield* appendOk(base, "the well-formed batch")
  })
)

const idempotentRepeat = check(
  "a repeated idempotency key returns Duplicate with the first events and writes nothing",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const otherStream = yield* freshId("stream")
    const key = yield* freshId("command")
    const request = yield* makeAppend({ tenantId, streamId, count: 2, idempotencyKey: key })
    const first = yield* appendOk(request, "the first append under a key")
    const retries: ReadonlyArray<readonly [string, AppendRequest]> = [
      ["the same request again", request],
      ["the same key on another stream", yield* makeAppend({ tenantId, streamId: otherStream, count: 1, idempotencyKey: key })],
      ["the same key with a stale expected version", yield* makeAppend({ tenantId, streamId, expectedVersion: 0, count: 3, idempotencyKey: key })]
    ]
    for (const [what, retry] of retries) {
      const result = yield* expectSuccess(store.append(retry), what)
      yield* expectEqual(
        { _tag: result._tag, events: result.events.map(eventView) },
        { _tag: "Duplicate", events: first.map(eventView) },
        `${what} must return Duplicate with the events first written under the key`
      )
    }
    yield* expectEqual((yield* store.readStream(tenantId, otherStream)).length, 0, "a duplicate must not write to its stream")
    yield* expectEqual((yield* allEvents(tenantId)).map(eventView), first.map(eventView), "duplicates must write nothing")
    const found = yield* store.findByIdempotencyKey(tenantId, key)
    yield* expectEqual(
      Option.map(found, (events) => events.map(eventView)),
      Option.some(first.map(eventView)),
      "findByIdempotencyKey must return the events first written under the key"
    )
    yield* expectEqual(yield* store.findByIdempotencyKey(tenantId, `${key}-other`), Option.none(), "an unused key finds nothing")
    yield* expectStored(tenantId, first, "duplicates must store nothing")
  })
)

const idempotentRace = check(
  "racing appends under one idempotency key: one is Appended, every other is a Duplicate of it",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const sameStream = yield* freshId("stream")
    for (const shape of ["one stream", "eight streams"] as const) {
      const key = yield* freshId("command")
      const requests = yield* Effect.forEach(Array.from({ length: 8 }), (_, index) =>
        Effect.flatMap(
          shape === "one stream" ? Effect.succeed(sameStream) : freshId(`stream-${index}`),
          (streamId) => makeAppend({ tenantId, streamId, count: 2, idempotencyKey: key })
        ))
      const results = yield* Effect.all(requests.map((request) => Effect.result(store.append(request))), {
        concurrency: "unbounded"
      })
      const winner = results.find(isAppended)
      yield* expectEqual(results.filter(isAppended).length, 1, `exactly one racing append on ${shape} must be Appended`)
      const winnerEvents = winner !== undefined && Result.isSuccess(winner) ? winner.success.events.map(eventView) : []
      for (const result of results) {
        if (isAppended(result)) continue
        yield* expectEqual(
          Result.isSuccess(result) ? { _tag: result.success._tag, events: result.success.events.map(eventView) } : result,
          { _tag: "Duplicate", events: winnerEvents },
          `every other racing append on ${shape} must return Duplicate with the winner's events`
        )
      }
    }
    yield* expectEqual((yield* allEvents(tenantId)).length, 4, "only the two winners' events may be written")
  }),
  ["concurrentWriters"]
)

const idempotencyPerTenant = check(
  "an idempotency key belongs to its tenant",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const streamId = yield* freshId("stream")
    const key = yield* freshId("command")
    const a = yield* appendOk(yield* makeAppend({ tenantId: tenantA, streamId, idempotencyKey: key }), "append in tenant A")
    const b = yield* appendOk(
      yield* makeAppend({ tenantId: tenantB, streamId, idempotencyKey: key }),
      "the same key in tenant B must append, not return A's events"
    )
    for (const [tenantId, events] of [[tenantA, a], [tenantB, b]] as const) {
      yield* expectEqual(
        Option.map(yield* store.findByIdempotencyKey(tenantId, key), (found) => found.map(eventView)),
        Option.some(events.map(eventView)),
        "findByIdempotencyKey must return the tenant's own events"
      )
    }
  })
)

const streamReads = check(
  "readStream returns a stream's events in version order from fromVersion; an unknown stream is empty",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const otherStream = yield* freshId("stream")
    const written: Array<StoredEvent> = []
    for (let batch = 0; batch < 3; batch++) {
      written.push(...(yield* appendOk(yield* makeAppend({ tenantId, streamId, expectedVersion: batch * 2, count: 2 }), "append")))
      yield* appendOk(yield* makeAppend({ tenantId, streamId: otherStream, expectedVersion: batch }), "append to another stream")
    }
    const expected = written.map(eventView)
    yield* expectEqual((yield* store.readStream(tenantId, streamId)).map(eventView), expected, "readStream without fromVersion")
    for (const [fromVersion, from] of [[1, 0], [0, 0], [2, 1], [4, 3], [6, 5], [7, 6], [100, 6]] as const) {
      yield* expectEqual(
        (yield* store.readStream(tenantId, streamId, fromVersion)).map(eventView),
        expected.slice(from),
        `readStream from version ${fromVersion}`
      )
    }
    yield* expectEqual((yield* store.readStream(tenantId, yield* freshId("unknown"))).length, 0, "an unknown stream is empty")
  })
)

/** Appends interleaved batches to three streams; returns the stored events in commit order. */
const interleavedHistory = Effect.fnUntraced(function*(tenantId: string) {
  const streams = [yield* freshId("a"), yield* freshId("b"), yield* freshId("c")] as const
  const versions = [0, 0, 0]
  const committed: Array<StoredEvent> = []
  for (const [stream, count] of [[0, 2], [1, 1], [0, 1], [2, 3], [1, 2], [0, 1], [2, 1]] as const) {
    const request = yield* makeAppend({ tenantId, streamId: streams[stream], expectedVersion: versions[stream], count })
    committed.push(...(yield* appendOk(request, "append")))
    versions[stream] = (versions[stream] ?? 0) + count
  }
  return committed
})

const globalOrder = check(
  "readAll returns the tenant's events across streams in commit order, positions strictly increasing",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const committed = yield* interleavedHistory(tenantId)
    yield* expectTrue(strictlyIncreasing(committed), "global positions must increase with commit order", {
      actual: committed.map((event) => event.globalPosition)
    })
    yield* expectEqual((yield* allEvents(tenantId)).map(eventView), committed.map(eventView), "readAll from 0")
  })
)

const readAllAfter = check(
  "readAll returns only the events after the given position",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const committed = yield* interleavedHistory(tenantId)
    const expected = committed.map(eventView)
    for (const [index, event] of committed.entries()) {
      yield* expectEqual(
        (yield* store.readAll({ tenantId, after: event.globalPosition, limit: 10_000 })).map(eventView),
        expected.slice(index + 1),
        `readAll after position ${event.globalPosition}`
      )
    }
    const last = committed.at(-1)?.globalPosition ?? 0
    yield* expectEqual(
      (yield* store.readAll({ tenantId, after: last + 1_000_000, limit: 10 })).length,
      0,
      "readAll past the end is empty"
    )
  })
)

const readAllLimit = check(
  "readAll returns at most limit events and rejects limits outside 1 to 10,000",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const committed = yield* interleavedHistory(tenantId)
    const expected = committed.map(eventView)
    for (const limit of [1, 2, 5, 10_000]) {
      yield* expectEqual(
        (yield* store.readAll({ tenantId, after: 0, limit })).map(eventView),
        expected.slice(0, limit),
        `readAll with limit ${limit}`
      )
    }
    for (const limit of [0, -1, 10_001, 2.5, Number.NaN]) {
      yield* expectFailure(store.readAll({ tenantId, after: 0, limit }), "InvalidStoreRequest", `readAll with limit ${limit}`)
    }
  })
)

/**
 * Reads pages from `after`, appending one page of events to `seen`, and
 * fails if a page goes backwards or repeats a position. Returns the new `after`.
 */
const readPage = Effect.fnUntraced(function*(tenantId: string, after: number, limit: number, seen: Array<StoredEvent>) {
  const store = yield* EventStore
  const page = yield* expectSuccess(store.readAll({ tenantId, after, limit }), "readAll page")
  yield* expectTrue(page.length <= limit, "a page must not exceed its limit", { expected: limit, actual: page.length })
  let last = after
  for (const event of page) {
    yield* expectTrue(
      event.globalPosition > last,
      `readAll returned position ${event.globalPosition} after position ${last}: positions must only increase`,
      { expected: `a position above ${last}`, actual: event.globalPosition }
    )
    last = event.globalPosition
    seen.push(event)
  }
  return { after: last, size: page.length }
})

const pagingWhileAppending = check(
  "paging through readAll while appending sees every event exactly once",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const streams = [yield* freshId("a"), yield* freshId("b"), yield* freshId("c"), yield* freshId("d")]
    const versions = streams.map(() => 0)
    const seen: Array<StoredEvent> = []
    const committed: Array<StoredEvent> = []
    let after = 0
    let batch = 0
    for (let round = 0; round < 16; round++) {
      // Some rounds append two batches before reading, so a later commit can be readable before an earlier one.
      for (let appends = round % 3 === 2 ? 2 : 1; appends > 0; appends--, batch++) {
        const stream = batch % streams.length
        const count = 1 + (batch % 3)
        committed.push(
          ...(yield* appendOk(
            yield* makeAppend({ tenantId, streamId: streams[stream]!, expectedVersion: versions[stream], count }),
            "append"
          ))
        )
        versions[stream] = (versions[stream] ?? 0) + count
      }
      after = (yield* readPage(tenantId, after, 2, seen)).after
    }
    for (let pages = 0; ; pages++) {
      yield* expectTrue(pages < 1_000, "paging never reached the end")
      const page = yield* readPage(tenantId, after, 2, seen)
      after = page.after
      if (page.size === 0) break
    }
    // Compared with what the appends returned, not with readAll, which could miss the same events.
    yield* expectEqual(
      seen.map(eventView),
      committed.map(eventView),
      "the pages together must hold every appended event exactly once, in commit order"
    )
  })
)

const concurrentPaging = check(
  "a reader paging during concurrent appends never skips, repeats or goes back",
  Effect.fnUntraced(function*() {
    const tenantId = yield* freshTenant
    const done = yield* Ref.make(false)
    const committed: Array<StoredEvent> = []
    const writers = Effect.all(
      Array.from({ length: 4 }, (_, writer) =>
        Effect.gen(function*() {
          const streamId = yield* freshId(`writer-${writer}`)
          let version = 0
          for (let batch = 0; batch < 6; batch++) {
            const count = 1 + (batch % 2)
            committed.push(...(yield* appendOk(yield* makeAppend({ tenantId, streamId, expectedVersion: version, count }), "append")))
            version += count
            yield* Effect.yieldNow
          }
        })),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.andThen(Ref.set(done, true)))
    const seen: Array<StoredEvent> = []
    const reader = Effect.gen(function*() {
      let after = 0
      for (let pages = 0; ; pages++) {
        yield* expectTrue(pages < 10_000, "the reader never caught up with the writers")
        // Read the flag before the page: an empty page after the writers finished means the reader is done.
        const finished = yield* Ref.get(done)
        const page = yield* readPage(tenantId, after, 3, seen)
        after = page.after
        if (page.size === 0 && finished) return
        yield* Effect.yieldNow
      }
    })
    yield* Effect.all([writers, reader], { concurrency: "unbounded", discard: true })
    yield* expectEqual(
      seen.map(eventView),
      committed.sort((a, b) => a.globalPosition - b.globalPosition).map(eventView),
      "the reader must have seen every appended event exactly once, in position order"
    )
  }),
  ["concurrentWriters"]
)

const tenantIsolation = check(
  "tenants are isolated: the same stream and event ids in two tenants never meet",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantA = yield* freshTenant
    const tenantB = yield* freshTenant
    const streamId = yield* freshId("stream")
    const inA = yield* makeAppend({ tenantId: tenantA, streamId, count: 3 })
    const a = yield* appendOk(inA, "append in tenant A")
    const inB = {
      ...inA,
      tenantId: tenantB,
      events: inA.events.slice(0, 1).map((event) => ({ ...event, tenantId: tenantB, data: { tenant: "B" } }))
    }
    const b = yield* appendOk(inB, "the same stream and event id in tenant B, expecting version 0")
    yield* expectEqual((yield* store.readStream(tenantA, streamId)).map(eventView), a.map(eventView), "tenant A's stream")
    yield* expectEqual((yield* store.readStream(tenantB, streamId)).map(eventView), b.map(eventView), "tenant B's stream")
    yield* expectEqual((yield* allEvents(tenantA)).map(eventView), a.map(eventView), "readAll in tenant A")
    yield* expectEqual((yield* allEvents(tenantB)).map(eventView), b.map(eventView), "readAll in tenant B")
    yield* appendOk(
      yield* makeAppend({ tenantId: tenantB, streamId, expectedVersion: 1 }),
      "tenant B's stream must be at its own version 1"
    )
    const tenantC = yield* freshTenant
    yield* expectEqual((yield* store.readStream(tenantC, streamId)).length, 0, "a third tenant sees no stream")
    yield* expectEqual((yield* allEvents(tenantC)).length, 0, "a third tenant sees no events")
  })
)

const largePayloads = check(
  "large payloads read back whole: a 1 MiB string, wide and deep arrays, many keys, many events",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("large")
    let deep: Schema.Json = "bottom"
    for (let depth = 0; depth < 100; depth++) deep = [deep, depth]
    const big = {
      text: "0123456789abcdef".repeat(48 * 1024) + "é€😀".repeat(16 * 1024),
      wide: Array.from({ length: 10_000 }, (_, index) => index * 1.5),
      deep,
      keys: Object.fromEntries(Array.from({ length: 2_000 }, (_, index) => [`key-${index}`, index]))
    }
    const written = yield* appendOk(yield* makeAppend({ tenantId, streamId, data: () => big }), "append a 1 MiB event")
    yield* expectEqual(
      (yield* store.readStream(tenantId, streamId)).map(eventView),
      written.map(eventView),
      "readStream of the large event"
    )
    const many = yield* appendOk(
      yield* makeAppend({ tenantId, streamId, expectedVersion: 1, count: 500 }),
      "append a batch of 500 events"
    )
    yield* expectEqual(
      (yield* allEvents(tenantId)).map(eventView),
      [...written, ...many].map(eventView),
      "readAll of the large event and the 500-event batch"
    )
  })
)

const unicode = check(
  "unicode in every string field and in JSON reads back code unit for code unit",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = `${yield* freshTenant}-ñ-警察-👮`
    const written: Array<StoredEvent> = []
    for (const [index, text] of unicodeStrings.entries()) {
      const streamId = `${text}-${index}`
      const key = `${text}-key`
      const request = yield* makeAppend({
        tenantId,
        streamId,
        idempotencyKey: key,
        data: () => ({ [text]: text, list: [text, { text }] }),
        fields: () => ({
          eventId: `${text}-${shortId()}`,
          eventType: text,
          actor: `Public:${text}`,
          commandId: text,
          correlationId: text,
          causationId: text
        })
      })
      const events = yield* appendOk(request, `append with ${JSON.stringify(text)}`)
      written.push(...events)
      yield* expectEqual(
        (yield* store.readStream(tenantId, streamId)).map(eventView),
        events.map(eventView),
        `readStream of stream ${JSON.stringify(streamId)}`
      )
      yield* expectEqual(
        Option.map(yield* store.findByIdempotencyKey(tenantId, key), (found) => found.map(eventView)),
        Option.some(events.map(eventView)),
        `findByIdempotencyKey ${JSON.stringify(key)}`
      )
    }
    yield* expectEqual((yield* allEvents(tenantId)).map(eventView), written.map(eventView), "readAll of the unicode tenant")
    yield* expectStored(tenantId, written, "the stored unicode events")
  })
)

const hostile = check(
  "hostile strings in ids, keys and data read back exactly and match only themselves",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    for (const tenantId of [`'; DROP TABLE events; --${yield* freshTenant}`, `%${yield* freshTenant}`]) {
      const written: Array<StoredEvent> = []
      const streams = [...hostileStrings, "x", "xy", "x%", "x_", "ab", "a"]
      for (const [index, streamId] of streams.entries()) {
        const text = hostileStrings[index % hostileStrings.length]!
        const request = yield* makeAppend({
          tenantId,
          streamId,
          idempotencyKey: streamId,
          data: () => ({ [text]: text, text, list: hostileStrings, object: Object.fromEntries(hostileStrings.map((h) => [h, h])) }),
          fields: () => ({
            eventId: `${text}${shortId()}`,
            eventType: text,
            actor: text,
            commandId: text,
            correlationId: text,
            causationId: text
          })
        })
        written.push(...(yield* appendOk(request, `append to stream ${JSON.stringify(streamId)}`)))
      }
      for (const [index, streamId] of streams.entries()) {
        const own = written[index]!
        yield* expectEqual(
          (yield* store.readStream(tenantId, streamId)).map(eventView),
          [eventView(own)],
          `readStream ${JSON.stringify(streamId)} must return that stream's event only`
        )
        yield* expectEqual(
          Option.map(yield* store.findByIdempotencyKey(tenantId, streamId), (found) => found.map((event) => event.eventId)),
          Option.some([own.eventId]),
          `findByIdempotencyKey ${JSON.stringify(streamId)} must find that key's events only`
        )
      }
      yield* expectEqual((yield* allEvents(tenantId)).map(eventView), written.map(eventView), "readAll of the hostile tenant")
      yield* expectStored(tenantId, written, "the stored hostile events")
    }
    yield* expectEqual((yield* allEvents("%")).length, 0, "the tenant id \"%\" must not match other tenants")
    yield* expectEqual((yield* allEvents("_")).length, 0, "the tenant id \"_\" must not match other tenants")
  })
)

const rawAgreement = check(
  "what readStream and readAll return is what the raw store holds",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const reader = yield* rawEventsReader
    if (Option.isNone(reader)) {
      return yield* new ConformanceFailure({ message: "this check needs RawStore.events; supply it with the raw option" })
    }
    const tenantId = yield* freshTenant
    const committed = yield* interleavedHistory(tenantId)
    const stored = yield* expectSuccess(reader.value(tenantId), "RawStore.events")
    yield* expectEqual(stored.map(eventView), committed.map(eventView), "the raw store must hold exactly the appended events")
    yield* expectEqual(
      (yield* allEvents(tenantId)).map(eventView),
      stored.map(eventView),
      "readAll must agree with the raw store"
    )
    for (const streamId of new Set(stored.map((event) => event.streamId))) {
      yield* expectEqual(
        (yield* store.readStream(tenantId, streamId)).map(eventView),
        stored.filter((event) => event.streamId === streamId).map(eventView),
        "readStream must agree with the raw store"
      )
    }
  }),
  ["raw"]
)

const persistence = check(
  "events and idempotency keys survive a new instance of the adapter",
  Effect.fnUntraced(function*(context) {
    const tenantId = yield* freshTenant
    const streamId = yield* freshId("stream")
    const key = yield* freshId("command")
    const request = yield* makeAppend({ tenantId, streamId, count: 2, idempotencyKey: key })
    const written = yield* inNewInstance(context, appendOk(request, "append in the first instance"))
    yield* inNewInstance(
      context,
      Effect.gen(function*() {
        const store = yield* EventStore
        yield* expectEqual(
          (yield* store.readStream(tenantId, streamId)).map(eventView),
          written.map(eventView),
          "readStream in a new instance"
        )
        yield* expectEqual((yield* allEvents(tenantId)).map(eventView), written.map(eventView), "readAll in a new instance")
        const repeat = yield* expectSuccess(store.append(request), "the repeated append in a new instance")
        yield* expectEqual(repeat._tag, "Duplicate", "the idempotency key must still be known in a new instance")
      })
    )
  }),
  ["persistent"]
)

const tenantIds = check(
  "every operation refuses an empty, over-long (3 KB, 257 bytes) or non-portable tenant id with InvalidStoreRequest, and takes a 256-byte one",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const streamId = yield* freshId("stream")
    for (const { tenantId, what } of invalidTenantIds()) {
      const request = yield* makeAppend({ tenantId, streamId, idempotencyKey: `key-${streamId}` })
      yield* expectTenantRefused(store.append(request), "EventStore.append", tenantId, what)
      yield* expectTenantRefused(store.readAll({ tenantId, after: 0, limit: 10 }), "EventStore.readAll", tenantId, what)
      yield* expectTenantRefused(store.findByIdempotencyKey(tenantId, "key"), "EventStore.findByIdempotencyKey", tenantId, what)
      yield* expectTenantRefused(store.readStream(tenantId, streamId), "EventStore.readStream", tenantId, what)
    }
    const longest = yield* longestTenant
    const request = yield* makeAppend({ tenantId: longest, streamId, idempotencyKey: `key-${streamId}` })
    yield* expectSuccess(store.append(request), "an append in a tenant of 256 bytes")
    const expected = request.events.map(appendedView)
    yield* expectEqual((yield* store.readStream(longest, streamId)).map(appendedView), expected, "readStream in a tenant of 256 bytes")
    yield* expectEqual((yield* store.readAll({ tenantId: longest, after: 0, limit: 10 })).map(appendedView), expected, "readAll in a tenant of 256 bytes")
    yield* expectEqual(
      Option.map(yield* store.findByIdempotencyKey(longest, `key-${streamId}`), (events) => events.map(appendedView)),
      Option.some(expected),
      "findByIdempotencyKey in a tenant of 256 bytes"
    )
  })
)

const keyLimits = check(
  "keys beyond the store limits (a stream id, event id, idempotency key, outbox message id or topic: empty, 3 KB, NUL, lone surrogates) are refused with the reason every adapter gives, writing nothing; 1,024-byte keys are stored",
  Effect.fnUntraced(function*() {
    const store = yield* EventStore
    const tenantId = yield* freshTenant
    const message = { id: "message-1", topic: "email", payload: {}, maxAttempts: 3 }
    for (const { key, what } of invalidKeys()) {
      const problem = keyProblem(key)!
      const streamId = yield* freshId("stream")
      const cases: ReadonlyArray<readonly [string, AppendRequest]> = [
        [`streamId ${problem}`, { ...(yield* makeAppend({ tenantId, streamId: key })), streamId: key }],
        [`idempotencyKey ${problem}`, yield* makeAppend({ tenantId, streamId, idempotencyKey: key })],
        [`event 1: eventId ${problem}`, yield* makeAppend({ tenantId, streamId, count: 2, fields: (index) => (index === 1 ? { eventId: key } : {}) })],
        [`outbox message 0: id ${problem}`, yield* makeAppend({ tenantId, streamId, outbox: [{ ...message, id: key }] })],
        [`outbox message 0: topic ${problem}`, yield* makeAppend({ tenantId, streamId, outbox: [{ ...message, topic: key }] })]
      ]
      for (const [reason, request] of cases) {
        yield* expectRefusal(store.append(request), "EventStore.append", reason, `an append with ${what} (${reason.split(" ")[0]})`)
      }
      yield* expectEqual(yield* expectSuccess(store.readStream(tenantId, key), `readStream ${what}`), [], `readStream by ${what}`)
      yield* expectEqual(yield* expectSuccess(store.findByIdempotencyKey(tenantId, key), `findByIdempotencyKey ${what}`), Option.none(), `findByIdempotencyKey by ${what}`)
    }
    yield* expectEqual(yield* store.readAll({ tenantId, after: 0, limit: 10 }), [], "refused appends write nothing")
    const streamId = incompressibleText(MAX_KEY_BYTES, "stream-")
    const idempotencyKey = longestWideKey()
    const request = yield* makeAppend({
      tenantId,
      streamId,
      idempotencyKey,
      fields: () => ({ eventId: incompressibleText(MAX_KEY_BYTES, "event-") }),
      outbox: [{ ...message, id: incompressibleText(MAX_KEY_BYTES, "message-"), topic: longestWideKey() }]
    })
    yield* expectSuccess(store.append(request), "an append with 1,024-byte keys")
    yield* expectEqual((yield* store.readStream(tenantId, streamId)).map(appendedView), request.events.map(appendedView), "the events under 1,024-byte keys")
    yield* expectEqual(
      Option.map(yield* store.findByIdempotencyKey(tenantId, idempotencyKey), (events) => events.map(appendedView)),
      Option.some(request.events.map(appendedView)),
      "the events of a 1,024-byte idempotency key"
    )
  })
)

/** Every check of the `EventStore` contract, in the order they are registered. */
export const eventStoreChecks: ReadonlyArray<ConformanceCheck<EventStore>> = [
  keyLimits,
  tenantIds,
  faithfulRoundTrip,
  callerCopies,
  jsonRoundTrip,
  conflictOnExisting,
  conflictOnStale,
  concurrentAppends,
  malformedBatches,
  malformedEnvelopes,
  idempotentRepeat,
  idempotentRace,
  idempotencyPerTenant,
  streamReads,
  globalOrder,
  readAllAfter,
  readAllLimit,
  pagingWhileAppending,
  concurrentPaging,
  tenantIsolation,
  largePayloads,
  unicode,
  hostile,
  rawAgreement,
  persistence
]
