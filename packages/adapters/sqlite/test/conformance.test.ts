/**
 * The SQLite adapter against the whole conformance kit, through the one-call
 * API a vendor uses, on a real database file. The raw store reads the same
 * file through a second, read-only connection.
 */
import { conformance } from "@community-policing/testkit"
import { SqliteStore } from "../src/index.ts"
import { tempDatabases } from "./support/files.ts"
import { rawLayer } from "./support/raw.ts"

const database = tempDatabases("conformance")

conformance("adapter-sqlite", {
  layer: SqliteStore.layer({ filename: database("conformance") }),
  raw: rawLayer,
  // Every build of the layer opens a new connection to the same file: a "new instance".
  capabilities: { concurrentWriters: true, persistent: true, calls: true },
  timeout: 60_000
})
