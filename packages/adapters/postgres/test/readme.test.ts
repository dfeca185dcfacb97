/**
 * The README's examples, run against a real database: the layer from a URL
 * with an append and the reads, and `migrate` at deploy time.
 */
import { EventStore } from "@community-policing/core"
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
      streamId: "nuisance-case-2026-0001",
      expectedVersion: 0,
      idempotencyKey: "cmd-1",
      events: [{
        tenantId: "springfield",
        streamId: "nuisance-case-2026-0001",
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
    const stream = yield* store.readStream("springfield", "nuisance-case-2026-0001")
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
  expect(second).toEqual({ schema: "deployed_at_release", applied: [], version: first.version })
})
