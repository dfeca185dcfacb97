/**
 * The six contenders: on each engine our adapter, the raw driver it is
 * built on, and Emmett's event store.
 *
 * @module
 */
import type { Contender } from "./Contender.ts"

/** Which side of a comparison a contender is on. */
export type Role = "ours" | "raw" | "emmett"

/** A contender's name, where it runs, and how to load it (only in the child process that runs it). */
export interface ContenderEntry {
  readonly id: string
  readonly engine: "sqlite" | "postgres"
  readonly role: Role
  readonly label: string
  readonly load: () => Promise<Contender>
}

const loadFrom = async (module: Promise<{ readonly contender: unknown }>): Promise<Contender> =>
  (await module).contender as Contender

/**
 * Emmett's SQLite store lives in its own npm project (see emmett-sqlite/README.md),
 * compiled next to its node_modules by the bench (see ChildBuild.ts), which passes
 * the module's URL in `BENCH_EMMETT_SQLITE_MODULE`. It is imported by a computed
 * URL, so type-checking the bench does not need that project installed.
 */
const emmettSqliteModule = (): string =>
  process.env["BENCH_EMMETT_SQLITE_MODULE"] ?? new URL("../emmett-sqlite/SqliteEmmett.ts", import.meta.url).href

export const contenders: ReadonlyArray<ContenderEntry> = [
  {
    id: "sqlite-ours",
    engine: "sqlite",
    role: "ours",
    label: "adapter-sqlite",
    load: () => loadFrom(import("./contenders/SqliteOurs.ts"))
  },
  {
    id: "sqlite-raw",
    engine: "sqlite",
    role: "raw",
    label: "raw better-sqlite3",
    load: () => loadFrom(import("./contenders/SqliteRaw.ts"))
  },
  {
    id: "sqlite-emmett",
    engine: "sqlite",
    role: "emmett",
    label: "emmett-sqlite 0.38.5",
    load: () => loadFrom(import(emmettSqliteModule()))
  },
  {
    id: "postgres-ours",
    engine: "postgres",
    role: "ours",
    label: "adapter-postgres",
    load: () => loadFrom(import("./contenders/PostgresOurs.ts"))
  },
  {
    id: "postgres-raw",
    engine: "postgres",
    role: "raw",
    label: "raw @effect/sql-pg",
    load: () => loadFrom(import("./contenders/PostgresRaw.ts"))
  },
  {
    id: "postgres-emmett",
    engine: "postgres",
    role: "emmett",
    label: "emmett-postgresql 0.42.0",
    load: () => loadFrom(import("./contenders/PostgresEmmett.ts"))
  }
]
