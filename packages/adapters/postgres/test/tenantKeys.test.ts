/**
 * Every key leads with the tenant id (issue 12), read from the catalog of a
 * freshly migrated schema on the real server: the rule that lets a
 * deployment distribute every table by `tenant_id` with Citus, as
 * docs/adapters.md ("Scaling out by tenant (Citus)") describes. The check
 * itself is shown to fail, on hand-made catalog rows and on real tables that
 * break the rule in a scratch schema.
 */
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { migrate } from "../src/index.ts"
import { clientLayer, createTestDatabase } from "./support/database.ts"
import {
  readSequences,
  readTenantCatalog,
  type TenantCatalog,
  type TenantKeyExemptions,
  tenantKeyViolations
} from "./support/tenantKeys.ts"

const database = await createTestDatabase("tenant_keys")
afterAll(() => database.drop())

/**
 * The only exceptions, each with its reason. Nothing else may break the
 * rule: a new table or key that does fails this file by name.
 */
const exemptions: TenantKeyExemptions = {
  tables: {
    schema_migrations:
      "the migration log: one row per schema version (version, name, applied_at), no tenant data; " +
      "under Citus it stays a plain table on the coordinator, where migrate runs"
  },
  indexes: {
    outbox_claimable_any_tenant:
      "not a key: serves claim without a tenantId (one topic for every tenant); Citus keeps a non-unique " +
      "index on each shard, and that claim is the one operation that is not routed to one tenant"
  }
}

/** The tables docs/adapters.md distributes by tenant_id, one `create_distributed_table` each. */
const distributedTables = [
  "bulk_imports",
  "calls",
  "checkpoints",
  "daily_counts",
  "document_fields",
  "documents",
  "events",
  "idempotency_keys",
  "import_progress",
  "outbox",
  "places",
  "quarantined_rows"
]

const adaptersGuide = readFileSync(new URL("../../../../docs/adapters.md", import.meta.url), "utf8")

const catalogOf = (schema: string) => Effect.flatMap(SqlClient.SqlClient, (sql) => readTenantCatalog(sql, schema))

describe("the tenant key rule on the migrated schema", () => {
  it.layer(clientLayer(database.url, 2), { excludeTestServices: true })((it) => {
    it.effect("every primary key, unique key, index and foreign key of every table leads with tenant_id", () =>
      Effect.gen(function*() {
        yield* migrate({ schema: "keyed" })
        const catalog = yield* catalogOf("keyed")
        assert.deepStrictEqual(tenantKeyViolations(catalog, exemptions), [])
        // The check saw the schema, not an empty one: every table, and a key for each.
        assert.deepStrictEqual(
          catalog.tables.map((table) => table.table),
          [...distributedTables, ...Object.keys(exemptions.tables)].sort()
        )
        for (const table of catalog.tables) {
          assert.isTrue(
            catalog.indexes.some((index) => index.table === table.table && index.kind === "primary key"),
            `${table.table} has a primary key`
          )
        }
        assert.deepStrictEqual(
          catalog.foreignKeys.map((key) => [key.table, key.constraint, key.referencedTable]),
          [["document_fields", "document_fields_document_fkey", "documents"]]
        )
      }))

    it.effect("the exemptions are needed, and are the only exceptions", () =>
      Effect.gen(function*() {
        yield* migrate({ schema: "exempt" })
        const catalog = yield* catalogOf("exempt")
        assert.deepStrictEqual(tenantKeyViolations(catalog, { tables: {}, indexes: {} }), [
          "table schema_migrations: has no tenant_id column",
          "table outbox: index outbox_claimable_any_tenant (topic, available_at, write_order) does not lead with tenant_id",
          "table schema_migrations: primary key schema_migrations_pkey (version) does not lead with tenant_id"
        ])
      }))

    it.effect("the schema's sequences are the two the docs name: the global position and the outbox's write order", () =>
      Effect.gen(function*() {
        yield* migrate({ schema: "sequenced" })
        const sql = yield* SqlClient.SqlClient
        assert.deepStrictEqual(yield* readSequences(sql, "sequenced"), [
          { sequence: "event_position", ownedBy: null },
          { sequence: "outbox_write_order_seq", ownedBy: "outbox.write_order" }
        ])
      }))

    it.effect("a scratch schema whose tables break the rule is reported table by table, index by index", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql.unsafe(`CREATE SCHEMA scratch`)
        yield* sql.unsafe(`CREATE TABLE scratch.counters (name text PRIMARY KEY, value bigint NOT NULL)`)
        yield* sql.unsafe(`CREATE TABLE scratch.parents (
          tenant_id text NOT NULL, id text NOT NULL, dedupe_key text NOT NULL,
          CONSTRAINT parents_pkey PRIMARY KEY (tenant_id, id),
          CONSTRAINT parents_id_key UNIQUE (id, tenant_id)
        )`)
        yield* sql.unsafe(`CREATE UNIQUE INDEX parents_by_dedupe_key ON scratch.parents (dedupe_key)`)
        yield* sql.unsafe(`CREATE UNIQUE INDEX parents_by_lower_tenant ON scratch.parents (lower(tenant_id), id)`)
        yield* sql.unsafe(`CREATE INDEX parents_by_id ON scratch.parents (id)`)
        yield* sql.unsafe(`CREATE UNIQUE INDEX parents_covering ON scratch.parents (tenant_id, dedupe_key) INCLUDE (id)`)
        yield* sql.unsafe(`CREATE TABLE scratch.children (
          tenant_id text NOT NULL, id text NOT NULL, parent_id text NOT NULL, parent_tenant text NOT NULL,
          CONSTRAINT children_pkey PRIMARY KEY (tenant_id, id),
          CONSTRAINT children_parent_fkey FOREIGN KEY (parent_id, tenant_id) REFERENCES scratch.parents (id, tenant_id),
          CONSTRAINT children_crossed_fkey FOREIGN KEY (parent_tenant, parent_id) REFERENCES scratch.parents (tenant_id, id)
        )`)
        // Not reported: parents_covering (its INCLUDE column is no key column) and children_parent_fkey, whose
        // (parent_id, tenant_id) pairs tenant_id with tenant_id, which is what Citus asks of a foreign key.
        const catalog = yield* catalogOf("scratch")
        assert.deepStrictEqual(tenantKeyViolations(catalog, exemptions), [
          "table counters: has no tenant_id column",
          "table counters: primary key counters_pkey (name) does not lead with tenant_id",
          "table parents: unique index parents_by_dedupe_key (dedupe_key) does not lead with tenant_id",
          "table parents: index parents_by_id (id) does not lead with tenant_id",
          "table parents: unique index parents_by_lower_tenant (<expression>, id) does not lead with tenant_id",
          "table parents: unique constraint parents_id_key (id, tenant_id) does not lead with tenant_id",
          "table children: foreign key children_crossed_fkey (parent_tenant, parent_id) -> parents (tenant_id, id) " +
          "does not pair tenant_id with tenant_id"
        ])
      }))
  })
})

describe("the check on hand-made catalog rows", () => {
  const keyed: TenantCatalog = {
    tables: [{ table: "calls", columns: ["tenant_id", "dedupe_key", "data"] }],
    indexes: [{ table: "calls", index: "calls_pkey", kind: "primary key", columns: ["tenant_id", "dedupe_key"] }],
    foreignKeys: []
  }

  it("passes a table keyed by tenant", () => {
    assert.deepStrictEqual(tenantKeyViolations(keyed, exemptions), [])
  })

  it("reports a unique index on the dedupe key alone, and a key is never exempt by name", () => {
    const catalog: TenantCatalog = {
      ...keyed,
      indexes: [
        ...keyed.indexes,
        { table: "calls", index: "calls_dedupe_key", kind: "unique index", columns: ["dedupe_key"] },
        { table: "calls", index: "outbox_claimable_any_tenant", kind: "unique index", columns: ["dedupe_key"] }
      ]
    }
    assert.deepStrictEqual(tenantKeyViolations(catalog, exemptions), [
      "table calls: unique index calls_dedupe_key (dedupe_key) does not lead with tenant_id",
      "table calls: unique index outbox_claimable_any_tenant (dedupe_key) does not lead with tenant_id"
    ])
  })

  it("reports a global sequence table, a primary key with tenant_id second, and a foreign key without tenant_id", () => {
    const catalog: TenantCatalog = {
      tables: [...keyed.tables, { table: "positions", columns: ["name", "next"] }],
      indexes: [
        ...keyed.indexes,
        { table: "positions", index: "positions_pkey", kind: "primary key", columns: ["name"] },
        { table: "calls", index: "calls_by_day", kind: "exclusion constraint", columns: ["data", "tenant_id"] }
      ],
      foreignKeys: [{
        table: "calls",
        constraint: "calls_place_fkey",
        columns: ["dedupe_key"],
        referencedTable: "places",
        referencedColumns: ["address_key"]
      }]
    }
    assert.deepStrictEqual(tenantKeyViolations(catalog, exemptions), [
      "table positions: has no tenant_id column",
      "table positions: primary key positions_pkey (name) does not lead with tenant_id",
      "table calls: exclusion constraint calls_by_day (data, tenant_id) does not lead with tenant_id",
      "table calls: foreign key calls_place_fkey (dedupe_key) -> places (address_key) does not pair tenant_id with tenant_id"
    ])
  })

  it("skips an exempt table whole", () => {
    const catalog: TenantCatalog = {
      tables: [{ table: "schema_migrations", columns: ["version", "name", "applied_at"] }],
      indexes: [{ table: "schema_migrations", index: "schema_migrations_pkey", kind: "primary key", columns: ["version"] }],
      foreignKeys: []
    }
    assert.deepStrictEqual(tenantKeyViolations(catalog, exemptions), [])
  })
})

describe("docs/adapters.md", () => {
  it("distributes exactly the tenant tables, each by tenant_id, and names the exempt table", () => {
    const distributed = [...adaptersGuide.matchAll(/create_distributed_table\('community_policing\.([a-z_]+)', 'tenant_id'/g)].map((match) => match[1])
    assert.deepStrictEqual([...new Set(distributed)].sort(), distributedTables)
    for (const table of Object.keys(exemptions.tables)) assert.include(adaptersGuide, `\`${table}\``)
  })
})
