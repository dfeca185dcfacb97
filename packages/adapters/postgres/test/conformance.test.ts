/**
 * The whole conformance kit against a real PostgreSQL database, with the
 * raw port reading the tables over a connection of its own.
 */
import { conformance } from "@community-policing/testkit"
import { Redacted } from "effect"
import { afterAll } from "vitest"
import { PostgresStore } from "../src/index.ts"
import { createTestDatabase } from "./support/database.ts"
import { rawStoreLayer } from "./support/raw.ts"

const database = await createTestDatabase("conformance")
afterAll(() => database.drop())

conformance("adapter-postgres", {
  // Each port's suite, and each persistence check, builds its own instance:
  // a pool of its own over the same database. Migrating again is a no-op.
  layer: PostgresStore.layer({ url: Redacted.make(database.url), maxConnections: 12, migrate: true }),
  raw: rawStoreLayer(database.url),
  capabilities: { concurrentWriters: true, persistent: true, calls: true },
  timeout: 60_000
})
