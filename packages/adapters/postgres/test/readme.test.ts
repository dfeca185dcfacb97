/**
 * The README's examples, run against a real database: the layer from a URL
 * with an append and the reads, an import batch of calls with an analytics
 * question, and `migrate` at deploy time.
 */
import { CallAnalytics, CallStore, EventStore } from "@community-policing/core"
import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Redacted } from "effect"
import { afterAll, expect, it } from "vitest"
import { migrate, PostgresStore } from "../src/index.ts"
import { createTestDatabase } from "./support/database.ts"

const database = await createTestDatabase("readme")
afterAll(() => database.drop())

it("the Use example appends an event with its outbox message and reads it back", async () => {
  const Storage = PostgresStore.layer({
    url: Redacted.make(database.url),
    migrate: true
  })

  const program = Effect.gen(function*() {
    const store = yield* EventStore
    yield* store.append({
      tenantId: "springfield",
      streamId: "nuisance-case/2026-0001",
      expectedVersion: 0,
      idempotencyKey: "cmd-1",
      events: [{
        tenantId: "springfield",
        streamId: "nuisance-case/2026-0001",
        streamVersion: 1,
        eventId: "evt-1",
        eventType: "NuisanceCaseOpened",
        schemaVersion: 1,
        data: { address: "742 Evergreen Terrace", district: "3" },
        recordedAt: DateTime.makeUnsafe("2026-03-02T09:30:00.000Z"),
        actor: "Staff:ceo-3",
        commandId: "cmd-1",
        correlationId: "cmd-1",
        causationId: null,
        previousHash: "0".repeat(64),
        hash: "f".repeat(64)
      }],
      outbox: [{ id: "notice-1", topic: "email", payload: { to: "owner" }, maxAttempts: 5 }]
    })
    const stream = yield* store.readStream("springfield", "nuisance-case/2026-0001")
    const page = yield* store.readAll({ tenantId: "springfield", after: 0, limit: 100 })
    return { stream, page }
  })

  const { stream, page } = await Effect.runPromise(Effect.provide(program, Storage))
  expect(stream.map((event) => [event.streamVersion, event.eventId, event.data])).toEqual([
    [1, "evt-1", { address: "742 Evergreen Terrace", district: "3" }]
  ])
  expect(page.map((event) => event.eventId)).toEqual(["evt-1"])
  expect(page[0]?.globalPosition).toBeGreaterThan(0)
})

it("the Calls for service example imports a batch and ranks the busiest places", async () => {
  const Storage = PostgresStore.layer({ url: Redacted.make(database.url), migrate: true })

  const program = Effect.gen(function*() {
    const calls = yield* CallStore
    const analytics = yield* CallAnalytics
    const committed = yield* calls.commitImportBatch("springfield", {
      importId: "sacramento-cad:2026-03.csv",
      throughRow: 3,
      calls: [{
        call: {
          sourceRecordId: "26-000123",
          receivedAt: DateTime.makeUnsafe("2026-03-03T01:05:00.000Z"),
          channel: "911",
          callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
          location: { addressKey: "23XX 10TH AVE" },
          domesticViolenceOrVictimization: false,
          medical: false,
          fireOrEms: false,
          callerIsVictim: false
        },
        dedupeKey: "id:sacramento-cad:26-000123",
        serviceDay: "2026-03-02",
        categories: [{ category: "disorder", table: "sacramento-cad", tableVersion: "2024-07", rule: "415" }],
        source: "sacramento-cad"
      }],
      quarantined: [{ rowNumber: 3, raw: "26-000124,13/45/2026 9:00,415", reason: "receivedAt is not a date" }]
    })
    const busiest = yield* analytics.repeatLocations("springfield", {
      window: { endDay: "2026-03-31", days: 90 },
      minCount: 1,
      limit: 20
    })
    return { committed, busiest }
  })

  const { committed, busiest } = await Effect.runPromise(Effect.provide(program, Storage))
  expect(committed).toEqual({ imported: 1, duplicates: 0 })
  expect(busiest).toEqual([{ key: "23XX 10TH AVE", count: 1 }])
})

it("the Migrations example reports what it applied, then nothing", async () => {
  const run = () =>
    Effect.runPromise(
      migrate({ schema: "deployed_at_release" }).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(database.url) }))
      )
    )
  const first = await run()
  expect(first.applied.length).toBeGreaterThan(0)
  const second = await run()
  expect(second).toEqual({ applied: [], version: first.version })
})
