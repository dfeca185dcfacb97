/**
 * The calls-for-service store over PostgreSQL. An import batch is one
 * transaction of two statements, whatever its size:
 *
 * 1. an upsert of the import's progress row, which locks it, so batches of
 *    one import queue there and each reads the progress the one before it
 *    committed (READ COMMITTED: `ON CONFLICT DO UPDATE` works on the latest
 *    committed row, not the statement's snapshot);
 * 2. once the batch is checked against that progress, one statement of
 *    data-modifying CTEs over `unnest` arrays: the calls (a dedupe key the
 *    tenant already has is skipped by the primary key), the daily counts of
 *    the calls actually inserted, the quarantined rows and the new progress.
 *
 * Rows are inserted in key order (calls by dedupe key, cells by their key),
 * so concurrent imports that touch the same keys take their row locks in the
 * same order and cannot deadlock. Answers match the memory and SQLite
 * adapters', validation included.
 *
 * A large batch goes through `COPY` instead when the store has a
 * {@link CopyImport} (see callCopyImport.ts): the same checks, the same
 * writes, in one transaction on a connection of its own.
 *
 * @internal
 */
import {
  type CallCategory,
  CallStore,
  ImportAlreadyRunning,
  type ImportBatch,
  type ImportProgress,
  InvalidStoreRequest,
  locationAddressKey,
  locationDistricts,
  keyProblem,
  Place,
  progressProblem,
  quarantinedRowsProblem,
  storedCallProblem,
  type QuarantinedRow,
  StorageFailure,
  StoredCall
} from "@community-policing/core"
import { DateTime, Effect, Option, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { makeCallBulkImport } from "./callBulkImport.ts"
import type { StoreContext } from "./context.ts"
import { asPortFailure, retryRead, toStorageFailure } from "./errors.ts"
import { withSystemClock } from "./systemClock.ts"
import { bigint, bigintArray, jsonText, text, textArray, toNumber } from "./values.ts"

// Encoding checks the value against the schema's type first, so it is the validation too.
const encodeCall = Schema.encodeUnknownOption(StoredCall)
const decodeCall = Schema.decodeUnknownOption(StoredCall)
const encodePlace = Schema.encodeSync(Place)
/** A stored call's document: since migration 4 the JSON text the adapter wrote, parsed and decoded in one step. */
const readCall = Schema.decodeUnknownEffect(Schema.fromJsonString(StoredCall))
const readPlace = Schema.decodeUnknownEffect(Place)

const invalid = (operation: string, reason: string) => new InvalidStoreRequest({ operation: `CallStore.${operation}`, reason })

/**
 * Whether strings could have been stored at all. Writes refuse NUL and lone
 * surrogates, so a lookup by one finds nothing; sending it would instead fail
 * (NUL) or be rewritten to U+FFFD by the UTF-8 encoder and find another key.
 */
const storable = (...keys: ReadonlyArray<string>): boolean => keys.every((key) => typeof key === "string" && keyProblem(key) === undefined)

/** A call checked and written out as JSON, with the columns it is stored and counted under. */
export interface PreparedCall {
  readonly dedupeKey: string
  readonly serviceDay: string
  readonly addressKey: string
  readonly receivedAt: number
  readonly data: string
  readonly channel: string
  readonly beat: string
  readonly policeDistrict: string
  readonly councilDistrict: string
  readonly neighborhood: string
  /** '' (the all-calls cell) and each distinct category the call carries. */
  readonly cells: ReadonlyArray<string>
}

/**
 * Whether JSON text reads back as exactly this value: plain objects, arrays,
 * strings, booleans, `null` and finite numbers other than -0, nothing
 * `undefined`. JSON drops or rewrites everything else (NaN becomes `null`,
 * an `undefined` key disappears), and only then can the text read back as
 * something other than what was encoded.
 */
const isExactJson = (value: unknown): boolean => {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0)
    case "object": {
      if (value === null) return true
      if (Array.isArray(value)) return value.every(isExactJson)
      if (Object.getPrototypeOf(value) !== Object.prototype) return false
      for (const key in value) {
        if (!isExactJson((value as Record<string, unknown>)[key])) return false
      }
      return true
    }
    default:
      return false
  }
}

/**
 * The stored form of a call (checked, encoded, and read back through its JSON
 * text), or why it cannot be stored. When the encoding survives JSON exactly
 * (`isExactJson`, the usual case), the text reads back as that encoding, so
 * parsing and decoding it again would only repeat the encoder's work: the
 * call itself is what reads back, and is checked against the store limits.
 */
export const callIn = (call: unknown, index: number): PreparedCall | string => {
  const notAStoredCall = `call ${index} is not a valid StoredCall`
  const encoded = encodeCall(call)
  if (Option.isNone(encoded)) return notAStoredCall
  const data = jsonText(encoded.value)
  if (data === undefined) return notAStoredCall
  // A problem found in the call itself may lie in a property the schema drops: the read-back decides then.
  let stored = call as StoredCall
  if (!isExactJson(encoded.value) || storedCallProblem(stored) !== undefined) {
    const decoded = decodeCall(JSON.parse(data))
    if (Option.isNone(decoded)) return notAStoredCall
    stored = decoded.value
    const problem = storedCallProblem(stored)
    if (problem !== undefined) return `call ${index}: ${problem}`
  }
  const districts = locationDistricts(stored.call.location)
  const categories = new Set<CallCategory | "">([""])
  for (const match of stored.categories) categories.add(match.category)
  return {
    dedupeKey: stored.dedupeKey,
    serviceDay: stored.serviceDay,
    // Address keys are never empty, so '' stands for "no address" (a call at no place) unambiguously.
    addressKey: locationAddressKey(stored.call.location) ?? "",
    receivedAt: DateTime.toEpochMillis(stored.call.receivedAt),
    data,
    channel: stored.call.channel,
    // Area ids are never empty, so '' stands for "none" unambiguously.
    beat: districts?.beat ?? "",
    policeDistrict: districts?.policeDistrict ?? "",
    councilDistrict: districts?.councilDistrict ?? "",
    neighborhood: districts?.neighborhood ?? "",
    cells: [...categories]
  }
}

interface ProgressRow {
  readonly through_row: bigint
  readonly imported: bigint
  readonly duplicates: bigint
  readonly quarantined: bigint
}

/** An import's progress as a batch's first statement found (and locked) it. */
export interface FoundProgress {
  readonly throughRow: number
  readonly imported: number
  readonly duplicates: number
  readonly quarantined: number
}

/** A batch's calls checked and written out before its transaction: each dedupe key once, or the first call's problem. */
interface PreparedBatch {
  /** Each dedupe key once, from its first call in the batch; the later ones are duplicates. */
  readonly calls: ReadonlyArray<PreparedCall>
  /** Why a call cannot be stored, reported after the progress check, as the memory and SQLite adapters do. */
  readonly callProblem: string | undefined
}

/** Checks and writes out a batch's calls, so that its transaction holds its locks only for the writes. */
const prepareBatch = (batch: ImportBatch): PreparedBatch => {
  const calls: Array<PreparedCall> = []
  const keys = new Set<string>()
  for (const [index, call] of batch.calls.entries()) {
    const prepared = callIn(call, index)
    if (typeof prepared === "string") return { calls, callProblem: prepared }
    // A key repeated in the batch is stored once, from its first call; the later ones are duplicates.
    if (keys.has(prepared.dedupeKey)) continue
    keys.add(prepared.dedupeKey)
    calls.push(prepared)
  }
  return { calls, callProblem: undefined }
}

/**
 * Why a batch cannot continue from the progress its transaction found:
 * `ImportAlreadyRunning` for another `afterRow`, `InvalidStoreRequest` for
 * a `throughRow` not beyond it; or `undefined`.
 */
export const progressRefusal = (
  tenantId: string,
  batch: ImportBatch,
  found: FoundProgress
): ImportAlreadyRunning | InvalidStoreRequest | undefined => {
  const stale = progressProblem(batch, found.throughRow)
  if (stale?._tag === "ImportAlreadyRunning") {
    return new ImportAlreadyRunning({ tenantId, importId: batch.importId, expectedAfterRow: stale.expectedAfterRow, progress: found })
  }
  return stale === undefined ? undefined : invalid("commitImportBatch", stale.reason)
}

/** Why a batch's calls (`callProblem`) or else its quarantined rows cannot be written after `found`; or `undefined`. */
export const rowsRefusal = (batch: ImportBatch, found: FoundProgress, callProblem: string | undefined): InvalidStoreRequest | undefined => {
  if (callProblem !== undefined) return invalid("commitImportBatch", callProblem)
  const problem = quarantinedRowsProblem(batch.quarantined, found.throughRow, batch.throughRow)
  return problem === undefined ? undefined : invalid("commitImportBatch", problem)
}

/**
 * Writes large import batches through `COPY` (see callCopyImport.ts), with
 * the same checks and results as the statement path.
 */
export interface CopyImport {
  /** Batches of at least this many calls go through `COPY`. */
  readonly minCalls: number
  readonly commit: (
    tenantId: string,
    batch: ImportBatch
  ) => Effect.Effect<{ readonly imported: number; readonly duplicates: number }, ImportAlreadyRunning | InvalidStoreRequest | StorageFailure>
}

/** The call store service; large import batches go through `copyImport` when there is one. */
export const makeCallStore = ({ schema, sql, tables }: StoreContext, copyImport?: CopyImport): CallStore["Service"] => {
  /** Statement 1 of a batch: the import's progress row, created at row 0 if new, locked until the transaction ends. */
  const claimProgress = (tenantId: string, importId: string) =>
    Effect.map(
      sql<ProgressRow>`
        INSERT INTO ${tables.importProgress} AS p (tenant_id, import_id, through_row, imported, duplicates, quarantined)
        VALUES (${text(tenantId)}, ${text(importId)}, 0, 0, 0, 0)
        ON CONFLICT (tenant_id, import_id) DO UPDATE SET through_row = p.through_row
        RETURNING through_row, imported, duplicates, quarantined`,
      ([row]): FoundProgress => ({
        throughRow: toNumber(row?.through_row ?? 0),
        imported: toNumber(row?.imported ?? 0),
        duplicates: toNumber(row?.duplicates ?? 0),
        quarantined: toNumber(row?.quarantined ?? 0)
      })
    )

  /**
   * Statement 2 of a batch: every write. `calls` holds each dedupe key once
   * (its first call in the batch); `received` is how many calls the batch
   * had, repeats included, so that the rest of them count as duplicates.
   */
  const writeBatch = (
    tenantId: string,
    batch: { readonly importId: string; readonly throughRow: number; readonly received: number },
    calls: ReadonlyArray<PreparedCall>,
    rows: ReadonlyArray<QuarantinedRow>
  ) => {
    const tenant = text(tenantId)
    const importId = text(batch.importId)
    const cellCalls: Array<number> = []
    const cellCategories: Array<string> = []
    for (const [index, call] of calls.entries()) {
      for (const category of call.cells) {
        // WITH ORDINALITY numbers the batch's calls from 1.
        cellCalls.push(index + 1)
        cellCategories.push(category)
      }
    }
    const column = <K extends keyof PreparedCall>(key: K) => calls.map((call) => call[key])
    return Effect.map(
      sql<{ imported: bigint }>`
        WITH batch AS (
          SELECT b.ord, b.dedupe_key COLLATE "C" AS dedupe_key, b.service_day::date AS service_day,
            b.address_key COLLATE "C" AS address_key, b.received_at, b.data, b.channel COLLATE "C" AS channel,
            b.beat COLLATE "C" AS beat, b.police_district COLLATE "C" AS police_district,
            b.council_district COLLATE "C" AS council_district, b.neighborhood COLLATE "C" AS neighborhood
          FROM unnest(
            ${textArray(column("dedupeKey"))},
            ${textArray(column("serviceDay"))},
            ${textArray(column("addressKey"))},
            ${bigintArray(column("receivedAt"))},
            ${textArray(column("data"))},
            ${textArray(column("channel"))},
            ${textArray(column("beat"))},
            ${textArray(column("policeDistrict"))},
            ${textArray(column("councilDistrict"))},
            ${textArray(column("neighborhood"))}
          ) WITH ORDINALITY AS b(
            dedupe_key, service_day, address_key, received_at, data, channel, beat, police_district,
            council_district, neighborhood, ord
          )
        ),
        inserted AS (
          INSERT INTO ${tables.calls} (tenant_id, dedupe_key, service_day, address_key, received_at, data)
          SELECT ${tenant}, b.dedupe_key, b.service_day, b.address_key, b.received_at, b.data
          FROM batch b
          ORDER BY b.dedupe_key
          ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
          RETURNING dedupe_key
        ),
        cells AS (
          SELECT c.ord, c.category COLLATE "C" AS category
          FROM unnest(${bigintArray(cellCalls)}, ${textArray(cellCategories)}) AS c(ord, category)
        ),
        counted AS (
          INSERT INTO ${tables.dailyCounts} AS d (
            tenant_id, category, service_day, channel, address_key, beat, police_district, council_district,
            neighborhood, count
          )
          SELECT ${tenant}, c.category, b.service_day, b.channel, b.address_key, b.beat, b.police_district,
            b.council_district, b.neighborhood, count(*)
          FROM inserted i
          JOIN batch b ON b.dedupe_key = i.dedupe_key
          JOIN cells c ON c.ord = b.ord
          GROUP BY c.category, b.service_day, b.channel, b.address_key, b.beat, b.police_district,
            b.council_district, b.neighborhood
          ORDER BY c.category, b.service_day, b.channel, b.address_key, b.beat, b.police_district,
            b.council_district, b.neighborhood
          ON CONFLICT (
            tenant_id, category, service_day, channel, address_key, beat, police_district, council_district,
            neighborhood
          ) DO UPDATE SET count = d.count + EXCLUDED.count
        ),
        set_aside AS (
          INSERT INTO ${tables.quarantinedRows} (tenant_id, import_id, row_number, raw, reason)
          SELECT ${tenant}, ${importId}, q.row_number, q.raw, q.reason
          FROM unnest(
            ${bigintArray(rows.map((row) => row.rowNumber))},
            ${textArray(rows.map((row) => row.raw))},
            ${textArray(rows.map((row) => row.reason))}
          ) AS q(row_number, raw, reason)
        ),
        progress AS (
          UPDATE ${tables.importProgress} SET
            through_row = ${bigint(batch.throughRow)},
            imported = imported + (SELECT count(*) FROM inserted),
            duplicates = duplicates + ${bigint(batch.received)} - (SELECT count(*) FROM inserted),
            quarantined = quarantined + ${bigint(rows.length)}
          WHERE tenant_id = ${tenant} AND import_id = ${importId}
        )
        SELECT count(*) AS imported FROM inserted`,
      ([row]) => toNumber(row?.imported ?? 0)
    )
  }

  const commitImportBatch = (
    tenantId: string,
    batch: ImportBatch
  ): Effect.Effect<{ readonly imported: number; readonly duplicates: number }, ImportAlreadyRunning | InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      // The batch's own fields were checked by `StoreLimitChecks.callStore`.
      if (copyImport !== undefined && batch.calls.length >= copyImport.minCalls) return yield* copyImport.commit(tenantId, batch)
      // Calls are checked and written out as JSON before the transaction, so its locks are held only for the writes.
      const prepared = prepareBatch(batch)
      const transaction = Effect.gen(function*() {
        const found = yield* claimProgress(tenantId, batch.importId)
        // Failing rolls back the progress row a new import's claim inserted.
        const refusal = progressRefusal(tenantId, batch, found) ?? rowsRefusal(batch, found, prepared.callProblem)
        if (refusal !== undefined) return yield* refusal
        // Checked above: every row is a QuarantinedRow with a distinct number in this batch's rows.
        const rows = batch.quarantined as ReadonlyArray<QuarantinedRow>
        const received = batch.calls.length
        const imported = yield* writeBatch(tenantId, { importId: batch.importId, throughRow: batch.throughRow, received }, prepared.calls, rows)
        return { imported, duplicates: received - imported }
      })
      return yield* sql.withTransaction(transaction).pipe(asPortFailure("CallStore.commitImportBatch"), withSystemClock)
    })

  /** A read's driver failure as a `StorageFailure`, after the read was repeated on a dead connection. */
  const read = <A>(operation: string, effect: Effect.Effect<A, SqlError>): Effect.Effect<A, StorageFailure> =>
    effect.pipe(
      retryRead,
      Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure(`CallStore.${operation}`)(error))),
      withSystemClock
    )

  /** A stored value that no longer decodes is the store's failure, not the caller's. */
  const unreadable = (operation: string, what: string) => (error: Schema.SchemaError) =>
    Effect.fail(new StorageFailure({ operation: `CallStore.${operation}`, message: `a stored ${what} does not decode: ${error.message}` }))

  const importProgress = (tenantId: string, importId: string): Effect.Effect<Option.Option<ImportProgress>, StorageFailure> => {
    if (!storable(tenantId, importId)) return Effect.succeed(Option.none())
    return read(
      "importProgress",
      Effect.map(
        sql<ProgressRow>`
          SELECT through_row, imported, duplicates, quarantined FROM ${tables.importProgress}
          WHERE tenant_id = ${text(tenantId)} AND import_id = ${text(importId)}`,
        ([row]) =>
          row === undefined ? Option.none() : Option.some({
            importId,
            throughRow: toNumber(row.through_row),
            imported: toNumber(row.imported),
            duplicates: toNumber(row.duplicates),
            quarantined: toNumber(row.quarantined)
          })
      )
    )
  }

  const quarantined = (
    tenantId: string,
    importId: string,
    options: { readonly afterRow: number; readonly limit: number }
  ): Effect.Effect<ReadonlyArray<QuarantinedRow>, InvalidStoreRequest | StorageFailure> => {
    // Row numbers are whole numbers from 1, so "after 9.5" is "after 9" and
    // anything below 1 is "from the start"; no row lies past the largest
    // throughRow, a safe integer.
    const after = Math.max(0, Math.floor(options.afterRow))
    if (after >= Number.MAX_SAFE_INTEGER || !storable(tenantId, importId)) return Effect.succeed([])
    return read(
      "quarantined",
      Effect.map(
        sql<{ row_number: bigint; raw: string; reason: string }>`
          SELECT row_number, raw, reason FROM ${tables.quarantinedRows}
          WHERE tenant_id = ${text(tenantId)} AND import_id = ${text(importId)} AND row_number > ${bigint(after)}
          ORDER BY row_number
          LIMIT ${options.limit}::integer`,
        (rows) => rows.map((row): QuarantinedRow => ({ rowNumber: toNumber(row.row_number), raw: row.raw, reason: row.reason }))
      )
    )
  }

  const callsAt = (
    tenantId: string,
    addressKey: string,
    window: { readonly fromDay: string; readonly toDay: string }
  ): Effect.Effect<ReadonlyArray<StoredCall>, InvalidStoreRequest | StorageFailure> => {
    if (!storable(tenantId, addressKey)) return Effect.succeed([])
    return read(
      "callsAt",
      sql<{ data: string }>`
        SELECT data FROM ${tables.calls}
        WHERE tenant_id = ${text(tenantId)} AND address_key = ${text(addressKey)}
          AND service_day BETWEEN ${text(window.fromDay)}::date AND ${text(window.toDay)}::date
        ORDER BY received_at, dedupe_key COLLATE "C"`
    ).pipe(
      Effect.flatMap((rows) => Effect.forEach(rows, (row) => readCall(row.data))),
      Effect.catchTag("SchemaError", unreadable("callsAt", "call"))
    )
  }

  const upsertPlaces = (
    tenantId: string,
    places: ReadonlyArray<Place>
  ): Effect.Effect<void, InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      // `StoreLimitChecks.callStore` refused anything but distinct, valid places, so each encodes.
      const stored = new Map<string, string>()
      for (const place of places) stored.set(place.addressKey, JSON.stringify(encodePlace(place)))
      if (stored.size === 0) return
      // One statement is one transaction: every place or none. Key order keeps concurrent upserts from deadlocking.
      yield* sql`
        INSERT INTO ${tables.places} (tenant_id, address_key, data)
        SELECT ${text(tenantId)}, p.address_key, p.data::jsonb
        FROM unnest(${textArray([...stored.keys()])}, ${textArray([...stored.values()])}) AS p(address_key, data)
        ORDER BY p.address_key COLLATE "C"
        ON CONFLICT (tenant_id, address_key) DO UPDATE SET data = EXCLUDED.data`.pipe(
        asPortFailure("CallStore.upsertPlaces"),
        withSystemClock
      )
    })

  const place = (tenantId: string, addressKey: string): Effect.Effect<Option.Option<Place>, StorageFailure> => {
    if (!storable(tenantId, addressKey)) return Effect.succeed(Option.none())
    return read(
      "place",
      sql<{ data: unknown }>`
        SELECT data FROM ${tables.places} WHERE tenant_id = ${text(tenantId)} AND address_key = ${text(addressKey)}`
    ).pipe(
      Effect.flatMap(([row]) => (row === undefined ? Effect.succeed(Option.none()) : Effect.map(readPlace(row.data), Option.some))),
      Effect.catchTag("SchemaError", unreadable("place", "place"))
    )
  }

  return CallStore.of({ commitImportBatch, importProgress, quarantined, callsAt, upsertPlaces, place, ...makeCallBulkImport({ schema, sql, tables }) })
}
