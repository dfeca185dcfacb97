/**
 * How to reach the database and where the adapter keeps its tables.
 *
 * @module
 */
import { Effect, Schema } from "effect"
import type { Duration, Redacted } from "effect"
import type { ConnectionOptions } from "node:tls"

/**
 * The PostgreSQL adapter's settings. Give either a `url` or the connection
 * fields (a field given with a `url` overrides that part of it).
 *
 * @example
 * ```ts
 * const config: PostgresStoreConfig = {
 *   url: Redacted.make("postgres://app@db.internal:5432/policing?sslmode=require"),
 *   password: Redacted.make(process.env.PGPASSWORD ?? ""),
 *   maxConnections: 20,
 *   schema: "springfield_policing",
 *   migrate: true
 * }
 * ```
 */
export interface PostgresStoreConfig {
  /** A `postgres://` connection URL. Redacted: it may carry a password. */
  readonly url?: Redacted.Redacted | undefined
  /** Server host name or address. */
  readonly host?: string | undefined
  /** Server port (PostgreSQL's default is 5432). */
  readonly port?: number | undefined
  /** Database name. */
  readonly database?: string | undefined
  /** Role to log in as. */
  readonly username?: string | undefined
  /** The role's password. */
  readonly password?: Redacted.Redacted | undefined
  /** `true` to require TLS, or Node TLS options (CA, client certificate). */
  readonly ssl?: boolean | ConnectionOptions | undefined
  /** Pool size: at most this many connections (default 10). */
  readonly maxConnections?: number | undefined
  /** Connections the pool keeps open when idle (default 0). */
  readonly minConnections?: number | undefined
  /** How long opening a connection may take before it fails. */
  readonly connectTimeout?: Duration.Input | undefined
  /** How long an unused connection stays in the pool (default 60 seconds). */
  readonly idleTimeout?: Duration.Input | undefined
  /** Shown in `pg_stat_activity` (default `community-policing`). */
  readonly applicationName?: string | undefined
  /**
   * The PostgreSQL schema holding the adapter's tables (default
   * `community_policing`). Lowercase letters, digits and `_`, starting with a
   * letter or `_`, at most 63 characters, not starting with `pg_`. It is
   * configuration, never request input.
   */
  readonly schema?: string | undefined
  /**
   * Apply pending migrations when the layer is built (default `false`: the
   * layer checks that the schema is up to date and fails if it is not).
   */
  readonly migrate?: boolean | undefined
  /**
   * Import batches of at least this many calls are written through
   * `COPY ... FROM STDIN` into a temporary staging table, then moved into
   * the calls, the daily counts and the import's progress in the same
   * transaction (default {@link defaultCopyImportMinCalls}); smaller
   * batches go through one statement of `unnest` arrays. Both paths give
   * the same results and guarantees. A whole number of at least 1, or
   * `Infinity` to never use `COPY`. The `COPY` path opens at most 4
   * connections of its own (node-postgres), beside the pool.
   */
  readonly copyImportMinCalls?: number | undefined
}

/**
 * The default of {@link PostgresStoreConfig.copyImportMinCalls}: below
 * about a thousand calls the `COPY` round trips (staging table, `COPY`,
 * then the move) cost more than one `unnest` statement saves.
 */
export const defaultCopyImportMinCalls = 1_000

/** Checks {@link PostgresStoreConfig.copyImportMinCalls}: a whole number >= 1, or `Infinity`. */
export const validateCopyImportMinCalls = (value: number | undefined): Effect.Effect<number, InvalidPostgresConfig> => {
  const minCalls = value ?? defaultCopyImportMinCalls
  return minCalls === Number.POSITIVE_INFINITY || (Number.isSafeInteger(minCalls) && minCalls >= 1)
    ? Effect.succeed(minCalls)
    : Effect.fail(
      new InvalidPostgresConfig({
        field: "copyImportMinCalls",
        reason: `must be a whole number >= 1, or Infinity to never use COPY; got ${minCalls}`
      })
    )
}

/** The schema the adapter uses when none is configured. */
export const defaultSchema = "community_policing"

/**
 * A configuration value is unusable (for example a schema name that is not a
 * plain lowercase identifier). Raised when the layer is built, before any
 * connection is made.
 */
export class InvalidPostgresConfig extends Schema.TaggedError<InvalidPostgresConfig>()("InvalidPostgresConfig", {
  /** The configuration field, e.g. `schema`. */
  field: Schema.String,
  /** What is wrong with it. */
  reason: Schema.String
}) {}

/**
 * An unquoted PostgreSQL identifier that needs no escaping: the adapter puts
 * it into DDL and table references, so only this strict shape is accepted.
 * `pg_` is reserved by PostgreSQL for system schemas.
 */
const schemaNamePattern = /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/

/** Checks a schema name against the strict identifier pattern; see {@link PostgresStoreConfig.schema}. */
export const validateSchemaName = (schema: string): Effect.Effect<string, InvalidPostgresConfig> =>
  schemaNamePattern.test(schema)
    ? Effect.succeed(schema)
    : Effect.fail(
      new InvalidPostgresConfig({
        field: "schema",
        reason: `${JSON.stringify(schema)} is not a lowercase identifier of at most 63 characters ` +
          "(letters a-z, digits, _; not starting with a digit or pg_)"
      })
    )

/**
 * The schema name as a quoted identifier for DDL. The name has passed
 * {@link validateSchemaName}, so it contains no quote; doubling quotes anyway
 * keeps the quoting correct on its own terms.
 */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll("\"", "\"\"")}"`
