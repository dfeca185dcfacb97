/**
 * The contenders of the calls-import rows (issue 4): ours (records-csv
 * into the SQLite adapter, counted through `CallAnalytics`), ours on the
 * PostgreSQL adapter (issue 12), and DuckDB.
 *
 * @module
 */
import type { CallsContender } from "./CallsContender.ts"

/** Which side of the comparison a contender is on: ours on SQLite, ours on PostgreSQL (issue 12), DuckDB. */
export type CallsRole = "ours" | "postgres" | "duckdb"

/** A contender's `BENCH_ONLY` id, name, and how to load it (only in the child process that runs it). */
export interface CallsContenderEntry {
  readonly id: string
  readonly role: CallsRole
  readonly label: string
  readonly load: () => Promise<CallsContender>
}

export const callsContenders: ReadonlyArray<CallsContenderEntry> = [
  {
    id: "calls-sqlite",
    role: "ours",
    label: "records-csv + adapter-sqlite",
    load: async () => (await import("./SqliteCalls.ts")).contender
  },
  {
    id: "calls-postgres",
    role: "postgres",
    label: "records-csv + adapter-postgres",
    load: async () => (await import("./PostgresCalls.ts")).contender
  },
  {
    id: "calls-duckdb",
    role: "duckdb",
    label: "DuckDB 1.5.6 read_csv + SQL",
    load: async () => (await import("./DuckdbCalls.ts")).contender
  }
]
