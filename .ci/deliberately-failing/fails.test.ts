/** A test that always fails, with the PostgreSQL server of the global setup running: see vitest.config.ts here. */
import "../../packages/adapters/postgres/test/support/provided.ts"
import { expect, inject, it } from "vitest"

it("runs with the global setup's PostgreSQL server", () => {
  expect(inject("postgresAdminUrl")).toMatch(/^postgres:\/\//)
})

it("fails on purpose", () => {
  expect("this test").toBe("failing on purpose")
})
