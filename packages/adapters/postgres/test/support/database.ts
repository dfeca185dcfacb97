/**
 * A fresh database per suite on the run's PostgreSQL server, and plain SQL
 * access to it that does not go through the adapter.
 */
import "./provided.ts"
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { inject } from "vitest"

/** A database created for one suite. */
export interface TestDatabase {
  readonly name: string
  /** A URL for the database, with the admin's credentials. */
  readonly url: string
  /** Drops the database, closing whatever connections are still open to it. */
  readonly drop: () => Promise<void>
}

/** One connection of its own (not a pool), released with the scope. */
export const connect = (url: string): Effect.Effect<PgClient.PgClient, SqlError, Scope.Scope> =>
  PgClient.makeClient({ url: Redacted.make(url), applicationName: "community-policing-tests" }).pipe(
    Effect.provideServiceEffect(Reactivity.Reactivity, Reactivity.make)
  )

/** A pool of its own, released with the scope: a separate client, as another process would have. */
export const pool = (url: string, maxConnections: number): Effect.Effect<PgClient.PgClient, SqlError, Scope.Scope> =>
  PgClient.make({ url: Redacted.make(url), maxConnections, applicationName: "community-policing-tests" }).pipe(
    Effect.provideServiceEffect(Reactivity.Reactivity, Reactivity.make)
  )

/** A pool of its own, as a layer providing `SqlClient`. */
export const clientLayer = (url: string, maxConnections = 10) =>
  PgClient.layer({ url: Redacted.make(url), maxConnections, applicationName: "community-policing-tests" })

/** Runs `f` on a fresh connection to `url`. */
export const withConnection = <A, E>(url: string, f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(connect(url), f)))

const adminUrl = (): string => {
  // Typed as always there, but absent when the global setup saw a run filtered to other files.
  const url: string | undefined = inject("postgresAdminUrl")
  if (url === undefined) {
    throw new Error("no PostgreSQL server for this run: test/globalSetup.ts did not start one (run vitest again with these files)")
  }
  return url
}

const databaseUrl = (name: string): string => {
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * Creates a database with a random name. Its default collation is a
 * linguistic ICU one where the server has ICU (en-US sorts "apple" before
 * "B"), so a query that forgot COLLATE "C" fails the tests instead of passing
 * by luck.
 */
export const createTestDatabase = async (label: string): Promise<TestDatabase> => {
  const name = `cp_${label.replace(/[^a-z0-9_]/g, "_")}_${randomBytes(6).toString("hex")}`
  await withConnection(adminUrl(), (sql) =>
    sql.unsafe(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`
    ).pipe(
      // A server built without ICU: the default collation is then C.UTF-8.
      Effect.catch(() => sql.unsafe(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`))
    ))
  return {
    name,
    url: databaseUrl(name),
    drop: () => withConnection(adminUrl(), (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined)
  }
}
