/**
 * The adapter's database schema as versioned, forward-only migrations, and
 * the `migrate` function that applies the pending ones. Running it twice is a
 * no-op; two processes running it at once are serialized by a transaction
 * advisory lock, so both succeed and each migration is applied once.
 *
 * @module
 */
import { type MigrationReport, StorageFailure } from "@community-policing/core"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { asPortFailure, toStorageFailure } from "./internal/errors.ts"
import { withSystemClock } from "./internal/systemClock.ts"
import { defaultSchema, type InvalidPostgresConfig, quoteIdentifier, validateSchemaName } from "./PostgresStoreConfig.ts"

/** One migration: a version, a name, and its DDL statements for a schema. */
export interface Migration {
  /** Applied in increasing order; never reused or changed once released. */
  readonly version: number
  readonly name: string
  /** The statements, one per entry (the extended query protocol runs one at a time). */
  readonly statements: (schema: string) => ReadonlyArray<string>
}

/**
 * The oldest server the adapter accepts. Everything it uses (`xid8`,
 * `pg_current_xact_id`, `pg_snapshot_xmin`, `gen_random_uuid`) exists since
 * 13; 15 to 18 are the versions it is tested on.
 */
const minimumServerVersion = 150000

/**
 * The SQLSTATE `take_positions` raises when its transaction has already
 * written (so its transaction id predates its positions). A code of the
 * adapter's own, so no server error is mistaken for it.
 */
export const appendAfterWriteState = "CPA01"

const initialSchema: Migration = {
  version: 1,
  name: "event store, read models, outbox",
  statements: (schema) => {
    const s = quoteIdentifier(schema)
    // Advisory lock classes are derived from the schema name, so two copies of
    // the adapter in one database (two schemas) never wait on each other.
    const appending = `hashtext('${schema}.appending')`
    const positions = `hashtext('${schema}.positions')`
    return [
      // CACHE 1 is what PostgreSQL defaults to, and the global order depends on
      // it: with a per-session cache, numbers would not follow the order in
      // which they are taken (see take_positions).
      `CREATE SEQUENCE ${s}.event_position AS bigint CACHE 1`,
      `CREATE TABLE ${s}.events (
        tenant_id text COLLATE "C" NOT NULL,
        global_position bigint NOT NULL,
        stream_id text COLLATE "C" NOT NULL,
        stream_version bigint NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id text COLLATE "C" NOT NULL,
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor text NOT NULL,
        command_id text NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        previous_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT events_pkey PRIMARY KEY (tenant_id, global_position),
        CONSTRAINT events_stream_version_key UNIQUE (tenant_id, stream_id, stream_version),
        CONSTRAINT events_event_id_key UNIQUE (tenant_id, event_id),
        CONSTRAINT events_stream_version_check CHECK (stream_version >= 1)
      )`,
      `CREATE TABLE ${s}.idempotency_keys (
        tenant_id text COLLATE "C" NOT NULL,
        idempotency_key text COLLATE "C" NOT NULL,
        stream_id text COLLATE "C" NOT NULL,
        first_version bigint NOT NULL,
        last_version bigint NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (tenant_id, idempotency_key)
      )`,
      `CREATE TABLE ${s}.outbox (
        tenant_id text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        write_order bigint GENERATED ALWAYS AS IDENTITY,
        topic text COLLATE "C" NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        available_at timestamptz NOT NULL,
        last_error text,
        lease_token text,
        lease_until timestamptz,
        CONSTRAINT outbox_pkey PRIMARY KEY (tenant_id, id),
        CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'delivered', 'dead')),
        CONSTRAINT outbox_max_attempts_check CHECK (max_attempts >= 1)
      )`,
      `CREATE INDEX outbox_claimable ON ${s}.outbox (tenant_id, topic, available_at, write_order)
        WHERE status = 'pending'`,
      // The one index not led by the tenant: a dispatcher claiming one topic for
      // every tenant at once (claim without tenantId) scans it.
      `CREATE INDEX outbox_claimable_any_tenant ON ${s}.outbox (topic, available_at, write_order)
        WHERE status = 'pending'`,
      `CREATE INDEX outbox_dead_letters ON ${s}.outbox (tenant_id, write_order) WHERE status = 'dead'`,
      `CREATE TABLE ${s}.documents (
        tenant_id text COLLATE "C" NOT NULL,
        collection text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        data jsonb NOT NULL,
        indexed jsonb NOT NULL,
        CONSTRAINT documents_pkey PRIMARY KEY (tenant_id, collection, id)
      )`,
      // One row per indexed field of a document. The sort key is three NOT NULL
      // columns, so that one B-tree orders every value of a field and keyset
      // cursors are plain row comparisons: value_type ranks null < boolean <
      // number < string; number_key holds numbers and booleans (0/1);
      // string_key holds strings, compared byte by byte (COLLATE "C").
      `CREATE TABLE ${s}.document_fields (
        tenant_id text COLLATE "C" NOT NULL,
        collection text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        field text COLLATE "C" NOT NULL,
        value_type smallint NOT NULL,
        number_key double precision NOT NULL,
        string_key text COLLATE "C" NOT NULL,
        CONSTRAINT document_fields_pkey PRIMARY KEY (tenant_id, collection, id, field),
        CONSTRAINT document_fields_document_fkey FOREIGN KEY (tenant_id, collection, id)
          REFERENCES ${s}.documents (tenant_id, collection, id) ON DELETE CASCADE,
        CONSTRAINT document_fields_value_type_check CHECK (value_type BETWEEN 0 AND 3)
      )`,
      `CREATE INDEX document_fields_ascending ON ${s}.document_fields
        (tenant_id, collection, field, value_type, number_key, string_key, id)`,
      // Descending order keeps ties by id ascending, which one backward scan of
      // the ascending index cannot give.
      `CREATE INDEX document_fields_descending ON ${s}.document_fields
        (tenant_id, collection, field, value_type DESC, number_key DESC, string_key DESC, id)`,
      `CREATE TABLE ${s}.checkpoints (
        tenant_id text COLLATE "C" NOT NULL,
        projection text COLLATE "C" NOT NULL,
        position bigint NOT NULL,
        CONSTRAINT checkpoints_pkey PRIMARY KEY (tenant_id, projection),
        CONSTRAINT checkpoints_position_check CHECK (position >= 0)
      )`,
      // The start of every append (see the README, "Global order"). It checks
      // the stream's version; then marks an append of the tenant in flight
      // (a shared advisory lock held to the end of the transaction, which
      // read_all looks for); then, under a short per-tenant lock, assigns the
      // transaction id and draws the positions. That lock makes the order of
      // transaction ids and the order of positions the same within a tenant,
      // which is what lets read_all's horizon never skip an event.
      `CREATE FUNCTION ${s}.take_positions(
        p_tenant_id text, p_stream_id text, p_expected_version bigint, p_count integer
      ) RETURNS TABLE (current_version bigint, positions bigint[])
      LANGUAGE plpgsql
      SET search_path = pg_catalog, pg_temp
      AS $fn$
      DECLARE
        v_tenant_key integer := hashtext(p_tenant_id);
      BEGIN
        IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
          RAISE EXCEPTION 'take_positions must come before any other write of its transaction'
            USING ERRCODE = '${appendAfterWriteState}';
        END IF;
        SELECT coalesce(max(e.stream_version), 0) INTO current_version
          FROM ${s}.events e
          WHERE e.tenant_id = p_tenant_id AND e.stream_id = p_stream_id;
        IF current_version <> p_expected_version THEN
          positions := NULL;
          RETURN NEXT;
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${appending}, v_tenant_key);
        PERFORM pg_advisory_lock(${positions}, v_tenant_key);
        BEGIN
          PERFORM pg_current_xact_id();
          positions := ARRAY(
            SELECT p FROM (SELECT nextval('${s}.event_position') AS p FROM generate_series(1, p_count)) drawn
            ORDER BY p
          );
        EXCEPTION WHEN OTHERS OR query_canceled THEN
          -- A session lock outlives an aborted transaction: release it or the
          -- tenant's appends on this connection would wait forever.
          PERFORM pg_advisory_unlock(${positions}, v_tenant_key);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(${positions}, v_tenant_key);
        RETURN NEXT;
      END
      $fn$`,
      // readAll. With no append of the tenant in flight (the exclusive try-lock
      // succeeds) every committed event is safe to return: anything committed
      // later draws larger positions. Otherwise only events whose transaction
      // is older than every running one are returned. The RETURN QUERY takes
      // its snapshot after the lock, which is what the first branch needs.
      `CREATE FUNCTION ${s}.read_all(p_tenant_id text, p_after bigint, p_limit integer)
      RETURNS SETOF ${s}.events
      LANGUAGE plpgsql
      SET search_path = pg_catalog, pg_temp
      AS $fn$
      BEGIN
        IF pg_try_advisory_xact_lock(${appending}, hashtext(p_tenant_id)) THEN
          RETURN QUERY
            SELECT * FROM ${s}.events e
            WHERE e.tenant_id = p_tenant_id AND e.global_position > p_after
            ORDER BY e.global_position
            LIMIT p_limit;
        ELSE
          RETURN QUERY
            SELECT * FROM ${s}.events e
            WHERE e.tenant_id = p_tenant_id AND e.global_position > p_after
              AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY e.global_position
            LIMIT p_limit;
        END IF;
      END
      $fn$`
    ]
  }
}

/**
 * Version 2: the calls-for-service ports. Calls (one row per tenant and
 * dedupe key, the `StoredCall` as `jsonb`), the places registry, imports'
 * progress and quarantined rows, and the analytics' daily counts, which each
 * import batch updates in its own transaction. The tenant id leads every key
 * and index. Service days are `date`: the contract's days run from year 0100
 * (what `isCalendarDate` accepts) to 9999, all of which `date` holds, and a
 * window's first day is then plain date arithmetic in SQL.
 */
const callsSchema: Migration = {
  version: 2,
  name: "calls for service",
  statements: (schema) => {
    const s = quoteIdentifier(schema)
    return [
      // received_at is epoch milliseconds: every instant a DateTime holds,
      // which timestamptz (4713 BC onwards) does not. It and dedupe_key order
      // callsAt; the columns beside data are what the queries filter on.
      `CREATE TABLE ${s}.calls (
        tenant_id text COLLATE "C" NOT NULL,
        dedupe_key text COLLATE "C" NOT NULL,
        service_day date NOT NULL,
        address_key text COLLATE "C" NOT NULL,
        received_at bigint NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT calls_pkey PRIMARY KEY (tenant_id, dedupe_key)
      )`,
      `CREATE INDEX calls_by_address ON ${s}.calls (tenant_id, address_key, service_day, received_at, dedupe_key)`,
      `CREATE TABLE ${s}.places (
        tenant_id text COLLATE "C" NOT NULL,
        address_key text COLLATE "C" NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT places_pkey PRIMARY KEY (tenant_id, address_key)
      )`,
      // A batch's first statement upserts its import's row, which locks it:
      // batches of one import queue there. through_row 0 is that row before
      // the first batch commits (it never commits at 0).
      `CREATE TABLE ${s}.import_progress (
        tenant_id text COLLATE "C" NOT NULL,
        import_id text COLLATE "C" NOT NULL,
        through_row bigint NOT NULL,
        imported bigint NOT NULL,
        duplicates bigint NOT NULL,
        quarantined bigint NOT NULL,
        CONSTRAINT import_progress_pkey PRIMARY KEY (tenant_id, import_id),
        CONSTRAINT import_progress_counts_check
          CHECK (through_row >= 0 AND imported >= 0 AND duplicates >= 0 AND quarantined >= 0)
      )`,
      `CREATE TABLE ${s}.quarantined_rows (
        tenant_id text COLLATE "C" NOT NULL,
        import_id text COLLATE "C" NOT NULL,
        row_number bigint NOT NULL,
        raw text NOT NULL,
        reason text NOT NULL,
        CONSTRAINT quarantined_rows_pkey PRIMARY KEY (tenant_id, import_id, row_number),
        CONSTRAINT quarantined_rows_row_number_check CHECK (row_number >= 1)
      )`,
      // One cell per service day and combination of address, channel,
      // category and areas. category is '' in the cell counting every call
      // once; an area a call has none of is '' (area ids are never empty). The
      // key leads with (tenant, category, day): every question fixes the
      // category (or lists them) and reads one range of days, so a window
      // reads only its own cells, whatever the history's length.
      `CREATE TABLE ${s}.daily_counts (
        tenant_id text COLLATE "C" NOT NULL,
        category text COLLATE "C" NOT NULL,
        service_day date NOT NULL,
        channel text COLLATE "C" NOT NULL,
        address_key text COLLATE "C" NOT NULL,
        beat text COLLATE "C" NOT NULL,
        police_district text COLLATE "C" NOT NULL,
        council_district text COLLATE "C" NOT NULL,
        neighborhood text COLLATE "C" NOT NULL,
        count bigint NOT NULL,
        CONSTRAINT daily_counts_pkey PRIMARY KEY (
          tenant_id, category, service_day, channel, address_key, beat, police_district, council_district, neighborhood
        ),
        CONSTRAINT daily_counts_count_check CHECK (count >= 1)
      )`
    ]
  }
}

/**
 * Version 3: the outbox's proof of delivery. `ack` records when the message
 * was delivered (the caller's `Clock`, never the server's) and the
 * receiver's id for it, when it gave one; both stay `NULL` until then.
 */
const deliveryReceipts: Migration = {
  version: 3,
  name: "outbox delivery receipts",
  statements: (schema) => {
    const s = quoteIdentifier(schema)
    return [`ALTER TABLE ${s}.outbox ADD COLUMN delivered_at timestamptz, ADD COLUMN receiver_id text`]
  }
}

/**
 * Version 4: faster calls imports (issue 12).
 *
 * - `calls.data` becomes `text`: the stored call's JSON as the adapter wrote
 *   it. Nothing queries inside the document (the columns beside it are what
 *   the queries filter and sort on), so parsing every imported call into
 *   `jsonb` was server CPU spent for nothing; the text reads back as the same
 *   value. Existing rows are converted in place (`jsonb` to its text form).
 * - `bulk_imports`: the bulk imports open (`CallStore.beginBulkImport`).
 *   While any is open, `calls_by_address` is dropped; the last one to finish
 *   builds it again in one sort and runs `ANALYZE` (callBulkImport.ts).
 */
const fasterCallImports: Migration = {
  version: 4,
  name: "calls stored as text, bulk imports",
  statements: (schema) => {
    const s = quoteIdentifier(schema)
    return [
      `ALTER TABLE ${s}.calls ALTER COLUMN data TYPE text USING data::text`,
      `CREATE TABLE ${s}.bulk_imports (
        tenant_id text COLLATE "C" NOT NULL,
        import_id text COLLATE "C" NOT NULL,
        CONSTRAINT bulk_imports_pkey PRIMARY KEY (tenant_id, import_id)
      )`
    ]
  }
}

/** Every migration, in version order. Released migrations never change; new ones are appended. */
export const migrations: ReadonlyArray<Migration> = [initialSchema, callsSchema, deliveryReceipts, fasterCallImports]

/** The schema version this release of the adapter needs. */
export const latestSchemaVersion: number = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0)

const VersionRow = Schema.Struct({ version: Schema.Number })
const decodeVersions = Schema.decodeUnknownEffect(Schema.Array(VersionRow))

const lockKey = "community-policing.migrate"

/**
 * Applies the pending migrations to `schema` (default `community_policing`),
 * creating the schema if needed, all in one transaction: either every pending
 * migration is applied or none is. Uses the `SqlClient` in context.
 *
 * @example
 * ```ts
 * import { PgClient } from "@effect/sql-pg"
 * import { migrate } from "@community-policing/adapter-postgres"
 *
 * const report = await Effect.runPromise(
 *   migrate({ schema: "springfield_policing" }).pipe(
 *     Effect.provide(PgClient.layer({ url: Redacted.make(process.env.DATABASE_URL!) }))
 *   )
 * )
 * ```
 */
export const migrate = (
  options: { readonly schema?: string | undefined } = {}
): Effect.Effect<MigrationReport, StorageFailure | InvalidPostgresConfig, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const schema = yield* validateSchemaName(options.schema ?? defaultSchema)
    const sql = yield* SqlClient.SqlClient
    const s = quoteIdentifier(schema)
    const run = Effect.gen(function*() {
      // Taken before anything else, so a second migrator waits here and then
      // sees the first one's work as committed (READ COMMITTED reads anew).
      yield* sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}), hashtext(${schema}))`
      const [server] = yield* sql<{ version: number }>`SELECT current_setting('server_version_num')::integer AS version`
      if (server === undefined || server.version < minimumServerVersion) {
        return yield* new StorageFailure({
          operation: "migrate",
          message: `PostgreSQL 15 or later is required; the server reports version number ${server?.version}`
        })
      }
      yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${s}`)
      yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
      )`)
      const rows = yield* decodeVersions(yield* sql.unsafe(`SELECT version FROM ${s}.schema_migrations`))
      const done = new Set(rows.map((row) => row.version))
      const applied: Array<{ version: number; name: string }> = []
      for (const migration of migrations) {
        if (done.has(migration.version)) continue
        for (const statement of migration.statements(schema)) yield* sql.unsafe(statement)
        yield* sql.unsafe(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name
        ])
        applied.push({ version: migration.version, name: migration.name })
      }
      const version = Math.max(0, ...done, ...applied.map((migration) => migration.version))
      return { applied, version } satisfies MigrationReport
    })
    return yield* sql.withTransaction(run).pipe(
      Effect.catchTag("SchemaError", (error) =>
        Effect.fail(new StorageFailure({ operation: "migrate", message: `unexpected schema_migrations row: ${error.message}` }))),
      asPortFailure("migrate"),
      // migrate writes only DDL of its own, so no request of a caller can be refused here.
      Effect.catchTag("InvalidStoreRequest", (error) => Effect.fail(new StorageFailure({ operation: "migrate", message: error.reason }))),
      withSystemClock
    )
  })

/**
 * The version recorded in `schema`, or 0 when the adapter's tables were never
 * created there.
 */
export const schemaVersion = (
  schema: string
): Effect.Effect<number, StorageFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [table] = yield* sql<{ exists: boolean }>`
      SELECT to_regclass(${`${quoteIdentifier(schema)}.schema_migrations`}) IS NOT NULL AS exists`
    if (table?.exists !== true) return 0
    const [row] = yield* sql.unsafe<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${quoteIdentifier(schema)}.schema_migrations`
    )
    return row?.version ?? 0
  }).pipe(
    Effect.catchTag("SqlError", (error) => Effect.fail(toStorageFailure("schemaVersion")(error))),
    withSystemClock
  )
