/**
 * Large import batches through `COPY ... FROM STDIN`. `@effect/sql-pg` 4.0.5
 * speaks the wire protocol itself and refuses `COPY` ("COPY is not
 * supported"), so these batches run on a small pool of node-postgres
 * (`pg`) connections of the adapter's own, with `pg-copy-streams` for the
 * `COPY` sub-protocol. One batch is one transaction on one connection:
 *
 * 1. the upsert of the import's progress row, which locks it (batches of
 *    one import queue there, whichever path they take), checked against
 *    the batch as the statement path checks it (`progressRefusal`);
 * 2. `COPY` of the batch's calls (each dedupe key once) into a temporary
 *    staging table (`ON COMMIT DELETE ROWS`: session-private, never
 *    WAL-logged, empty again after the commit or the rollback). Each call
 *    is checked and written out (`callIn`) as the socket takes the data, so
 *    this process prepares calls while the server parses the ones before;
 *    the first call that cannot be stored ends the data, and the batch is
 *    refused (`rowsRefusal`, after the progress check, as on the statement
 *    path);
 * 3. one statement of data-modifying CTEs: `INSERT ... SELECT ... ON
 *    CONFLICT DO NOTHING` from the staging table into the calls, the daily
 *    counts of the calls actually inserted, the quarantined rows, the new
 *    progress.
 *
 * A refused batch rolls back; any other failure, or an interruption,
 * discards the connection, so the server rolls the transaction back.
 *
 * @internal
 */
import {
  type ImportAlreadyRunning,
  type ImportBatch,
  InvalidStoreRequest,
  type QuarantinedRow,
  StorageFailure
} from "@community-policing/core"
import { Effect, Redacted, type Scope } from "effect"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import pg from "pg"
import { parseIntoClientConfig } from "pg-connection-string"
import { from as copyFrom } from "pg-copy-streams"
import type { PostgresStoreConfig } from "../PostgresStoreConfig.ts"
import {
  callIn,
  type CopyImport,
  type FoundProgress,
  type PreparedCall,
  progressRefusal,
  rowsRefusal
} from "./callStore.ts"
import { isRefusedDataState, isRetryableState } from "./errors.ts"
import type { Tables } from "./context.ts"

/**
 * A string as a field of `COPY`'s text format: backslash, newline, carriage
 * return and tab (the delimiter) are backslash-escaped; every other
 * character, non-ASCII included, goes as it is (the connection's encoding
 * is UTF8). NUL cannot occur: the store limits refuse it first.
 */
export const copyField = (value: string): string =>
  copyEscaped.test(value) ? value.replace(copyEscapes, (found) => copyEscapeOf[found]!) : value

const copyEscaped = /[\\\n\r\t]/
const copyEscapes = /[\\\n\r\t]/g
const copyEscapeOf: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" }

/** A `text[]` literal (every element quoted, `"` and `\` escaped), before the `COPY` escaping. */
export const arrayLiteral = (values: ReadonlyArray<string>): string =>
  `{${values.map((value) => `"${value.replace(/["\\]/g, "\\$&")}"`).join(",")}}`

/** The staging table's columns, in the order each `COPY` line gives them. */
const stagingColumns = [
  "dedupe_key",
  "service_day",
  "address_key",
  "received_at",
  "data",
  "channel",
  "beat",
  "police_district",
  "council_district",
  "neighborhood",
  "cells"
] as const

/** One call as a line of `COPY`'s text format, in {@link stagingColumns} order. */
export const copyLine = (call: PreparedCall): string =>
  `${copyField(call.dedupeKey)}\t${call.serviceDay}\t${copyField(call.addressKey)}\t${call.receivedAt}\t${copyField(call.data)}\t` +
  `${copyField(call.channel)}\t${copyField(call.beat)}\t${copyField(call.policeDistrict)}\t${copyField(call.councilDistrict)}\t` +
  `${copyField(call.neighborhood)}\t${copyField(arrayLiteral(call.cells))}\n`

/** About this many characters go in each `CopyData` chunk. */
const chunkChars = 256 * 1024

/** What streaming a batch's calls found: the first call that cannot be stored, if any. */
interface Streamed {
  callProblem: string | undefined
}

/**
 * The batch's `COPY` data in chunks, each call checked and written out as
 * the socket takes the chunks; a dedupe key repeated in the batch is sent
 * once, from its first call. Stops at the first call that cannot be stored,
 * noting why in `streamed`.
 */
function* copyChunks(calls: ReadonlyArray<unknown>, streamed: Streamed): Generator<string> {
  const keys = new Set<string>()
  let chunk = ""
  for (let index = 0; index < calls.length; index++) {
    const prepared = callIn(calls[index], index)
    if (typeof prepared === "string") {
      streamed.callProblem = prepared
      break
    }
    if (keys.has(prepared.dedupeKey)) continue
    keys.add(prepared.dedupeKey)
    chunk += copyLine(prepared)
    if (chunk.length >= chunkChars) {
      yield chunk
      chunk = ""
    }
  }
  if (chunk.length > 0) yield chunk
}

/** The staging table: session-private, unlogged by nature, emptied by every commit. */
const stagingTable = "pg_temp.call_import_staging"

const createStaging = `CREATE TEMPORARY TABLE IF NOT EXISTS call_import_staging (
  dedupe_key text COLLATE "C" NOT NULL,
  service_day date NOT NULL,
  address_key text COLLATE "C" NOT NULL,
  received_at bigint NOT NULL,
  data text NOT NULL,
  channel text COLLATE "C" NOT NULL,
  beat text COLLATE "C" NOT NULL,
  police_district text COLLATE "C" NOT NULL,
  council_district text COLLATE "C" NOT NULL,
  neighborhood text COLLATE "C" NOT NULL,
  cells text[] COLLATE "C" NOT NULL
) ON COMMIT DELETE ROWS`

/** A failure of node-postgres: a server error carries a SQLSTATE, a socket error a Node code. */
interface DriverError {
  readonly message?: unknown
  readonly code?: unknown
  readonly detail?: unknown
  readonly hint?: unknown
}

const sqlStatePattern = /^[0-9A-Z]{5}$/

/**
 * A node-postgres failure as the ports report it, classified as the
 * `@effect/sql-pg` path classifies its own (errors.ts): the caller's data
 * refused, or the store's failure, retryable when a new attempt may succeed
 * (a lost connection included).
 */
export const fromDriverError = (operation: string, error: unknown): InvalidStoreRequest | StorageFailure => {
  const driver = (typeof error === "object" && error !== null ? error : {}) as DriverError
  const state = typeof driver.code === "string" && sqlStatePattern.test(driver.code) ? driver.code : undefined
  const words = [
    typeof driver.message === "string" ? driver.message : String(error),
    typeof driver.detail === "string" ? `; detail: ${driver.detail}` : "",
    typeof driver.hint === "string" ? `; hint: ${driver.hint}` : "",
    state === undefined ? "" : ` (SQLSTATE ${state})`
  ].join("")
  if (state !== undefined && isRefusedDataState(state)) {
    return new InvalidStoreRequest({ operation, reason: `the database refused the data: ${words}` })
  }
  // No SQLSTATE: the socket, not the server, failed (ECONNRESET, a timeout, a closed pool).
  const retryable = state === undefined ? true : isRetryableState(state)
  return new StorageFailure({ operation, message: `COPY path: ${words}`, retryable, cause: error })
}

/** `temp_buffers` and `work_mem` of the `COPY` sessions: at most 4 sessions, each sorting one batch at a time. */
const copySessionMemory = "64MB"

/** The settings of the `COPY` connections, from the store's configuration. */
export const copyPoolConfig = (config: PostgresStoreConfig): pg.PoolConfig => {
  const fromUrl = config.url === undefined ? {} : parseIntoClientConfig(Redacted.value(config.url))
  const defined = <A>(value: A | undefined, fallback: A | undefined) => (value === undefined ? fallback : value)
  return {
    ...fromUrl,
    host: defined(config.host, fromUrl.host),
    port: defined(config.port, fromUrl.port),
    database: defined(config.database, fromUrl.database),
    user: defined(config.username, fromUrl.user),
    password: config.password === undefined ? fromUrl.password : Redacted.value(config.password),
    ssl: defined(config.ssl, fromUrl.ssl),
    client_encoding: "UTF8",
    // A batch's staging rows and its sorts fit in memory (the defaults, 8 MB and 4 MB, spill 10,000 calls to disk).
    options: [fromUrl.options, `-c temp_buffers=${copySessionMemory} -c work_mem=${copySessionMemory}`]
      .filter((option) => typeof option === "string" && option !== "").join(" "),
    application_name: config.applicationName ?? fromUrl.application_name ?? "community-policing",
    // Imports are few at a time; each holds one connection for a batch.
    max: Math.max(1, Math.min(config.maxConnections ?? 10, 4)),
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: 10_000
  }
}

/** The adapter's tables as plain SQL text for node-postgres (the schema passed `validateSchemaName`). */
export interface CopyTables {
  readonly calls: string
  readonly dailyCounts: string
  readonly quarantinedRows: string
  readonly importProgress: string
}

/** The qualified names of the tables the `COPY` path writes. */
export const copyTablesIn = (schema: string): CopyTables => ({
  calls: `"${schema}".calls`,
  dailyCounts: `"${schema}".daily_counts`,
  quarantinedRows: `"${schema}".quarantined_rows`,
  importProgress: `"${schema}".import_progress`
})

const claimStatement = (t: CopyTables) => `
  INSERT INTO ${t.importProgress} AS p (tenant_id, import_id, through_row, imported, duplicates, quarantined)
  VALUES ($1, $2, 0, 0, 0, 0)
  ON CONFLICT (tenant_id, import_id) DO UPDATE SET through_row = p.through_row
  RETURNING through_row, imported, duplicates, quarantined`

/**
 * Every write of the batch from the staging table, as the statement path
 * writes them from its `unnest` arrays (callStore.ts): calls in key order,
 * cells of the calls actually inserted in key order, so concurrent imports
 * take their row locks in one order.
 */
const writeStatement = (t: CopyTables) => `
  WITH inserted AS (
    INSERT INTO ${t.calls} (tenant_id, dedupe_key, service_day, address_key, received_at, data)
    SELECT $1, b.dedupe_key, b.service_day, b.address_key, b.received_at, b.data
    FROM ${stagingTable} b
    ORDER BY b.dedupe_key
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
    RETURNING dedupe_key
  ),
  counted AS (
    INSERT INTO ${t.dailyCounts} AS d (
      tenant_id, category, service_day, channel, address_key, beat, police_district, council_district, neighborhood, count
    )
    SELECT $1, c.category COLLATE "C", b.service_day, b.channel, b.address_key, b.beat, b.police_district,
      b.council_district, b.neighborhood, count(*)
    FROM inserted i
    JOIN ${stagingTable} b ON b.dedupe_key = i.dedupe_key
    CROSS JOIN LATERAL unnest(b.cells) AS c(category)
    GROUP BY 2, b.service_day, b.channel, b.address_key, b.beat, b.police_district, b.council_district, b.neighborhood
    ORDER BY 2, b.service_day, b.channel, b.address_key, b.beat, b.police_district, b.council_district, b.neighborhood
    ON CONFLICT (
      tenant_id, category, service_day, channel, address_key, beat, police_district, council_district, neighborhood
    ) DO UPDATE SET count = d.count + EXCLUDED.count
  ),
  set_aside AS (
    INSERT INTO ${t.quarantinedRows} (tenant_id, import_id, row_number, raw, reason)
    SELECT $1, $2, q.row_number, q.raw, q.reason
    FROM unnest($3::bigint[], $4::text[], $5::text[]) AS q(row_number, raw, reason)
  ),
  progress AS (
    UPDATE ${t.importProgress} SET
      through_row = $6::bigint,
      imported = imported + (SELECT count(*) FROM inserted),
      duplicates = duplicates + $7::bigint - (SELECT count(*) FROM inserted),
      quarantined = quarantined + $8::bigint
    WHERE tenant_id = $1 AND import_id = $2
  )
  SELECT count(*) AS imported FROM inserted`

/** What a server row of counts holds: node-postgres returns `bigint` as text. */
interface CountsRow {
  readonly through_row: string
  readonly imported: string
  readonly duplicates: string
  readonly quarantined: string
}

const operation = "CallStore.commitImportBatch"

/**
 * The `COPY` path over a pool of its own: batches of at least `minCalls`
 * calls. The pool closes with the scope.
 */
export const makeCopyImport = (
  config: PostgresStoreConfig,
  schema: string,
  minCalls: number
): Effect.Effect<CopyImport, never, Scope.Scope> =>
  Effect.gen(function*() {
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const created = new pg.Pool(copyPoolConfig(config))
        // An idle connection the server closed is dropped by the pool; without a listener its error would crash the process.
        created.on("error", () => {})
        return created
      }),
      (opened) => Effect.promise(() => opened.end())
    )
    const tables = copyTablesIn(schema)
    const claim = claimStatement(tables)
    const write = writeStatement(tables)
    const copy = `COPY ${stagingTable} (${stagingColumns.join(", ")}) FROM STDIN`

    const commit: CopyImport["commit"] = (tenantId, batch) =>
      Effect.acquireUseRelease(
        Effect.tryPromise({
          try: async () => ({ client: await pool.connect(), ended: false }),
          catch: (error) => fromDriverError(operation, error)
        }),
        (connection) =>
          Effect.tryPromise({
            try: (signal) => runBatch(connection, signal, { claim, write, copy }, tenantId, batch),
            catch: (error) => (error instanceof Refused ? error.refusal : fromDriverError(operation, error))
          }),
        // A connection whose transaction did not end (a failure, an interruption) is closed: the server rolls it back.
        (connection) => Effect.sync(() => connection.client.release(connection.ended ? undefined : true))
      )
    return { minCalls, commit }
  })

/** A refusal found inside the transaction, rolled back before it is reported. */
class Refused {
  constructor(readonly refusal: InvalidStoreRequest | ImportAlreadyRunning) {}
}

/** A pooled connection, and whether its last transaction ended (committed or rolled back). */
interface Connection {
  readonly client: pg.PoolClient
  ended: boolean
}

const runBatch = async (
  connection: Connection,
  signal: AbortSignal,
  statements: { readonly claim: string; readonly write: string; readonly copy: string },
  tenantId: string,
  batch: ImportBatch
): Promise<{ readonly imported: number; readonly duplicates: number }> => {
  const { client } = connection
  connection.ended = false
  const refuse = async (refusal: InvalidStoreRequest | ImportAlreadyRunning): Promise<never> => {
    // Rolls back the progress row a new import's claim inserted, and the staged calls.
    await client.query("ROLLBACK")
    connection.ended = true
    throw new Refused(refusal)
  }
  await client.query("BEGIN")
  const [row] = (await client.query<CountsRow>(statements.claim, [tenantId, batch.importId])).rows
  const found: FoundProgress = {
    throughRow: Number(row?.through_row ?? 0),
    imported: Number(row?.imported ?? 0),
    duplicates: Number(row?.duplicates ?? 0),
    quarantined: Number(row?.quarantined ?? 0)
  }
  const stale = progressRefusal(tenantId, batch, found)
  if (stale !== undefined) return refuse(stale)
  await client.query(createStaging)
  const streamed: Streamed = { callProblem: undefined }
  await pipeline(Readable.from(copyChunks(batch.calls, streamed)), client.query(copyFrom(statements.copy)), { signal })
  const refusal = rowsRefusal(batch, found, streamed.callProblem)
  if (refusal !== undefined) return refuse(refusal)
  // Checked by rowsRefusal: every row is a QuarantinedRow with a distinct number in this batch's rows.
  const rows = batch.quarantined as ReadonlyArray<QuarantinedRow>
  const received = batch.calls.length
  const [written] = (await client.query<{ imported: string }>(statements.write, [
    tenantId,
    batch.importId,
    rows.map((quarantined) => quarantined.rowNumber),
    rows.map((quarantined) => quarantined.raw),
    rows.map((quarantined) => quarantined.reason),
    batch.throughRow,
    received,
    rows.length
  ])).rows
  await client.query("COMMIT")
  connection.ended = true
  const imported = Number(written?.imported ?? 0)
  return { imported, duplicates: received - imported }
}
