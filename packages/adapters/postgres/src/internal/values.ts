/**
 * Checks and encodings of the values the ports hand to the database: what
 * PostgreSQL can store faithfully, and typed parameters for `unnest` batches.
 *
 * @internal
 */
import { PgTypes } from "@effect/sql-pg"
import { Result } from "effect"

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Why a string cannot be stored faithfully in a `text` column, or
 * `undefined`. UTF-8 has no encoding for a lone surrogate (the driver would
 * silently write U+FFFD instead), and PostgreSQL text cannot hold NUL.
 */
export const textProblem = (text: unknown): string | undefined => {
  if (typeof text !== "string") return "is not a string"
  if (text.includes("\u0000")) return "contains NUL, which PostgreSQL text cannot hold"
  if (loneSurrogate.test(text)) return "contains a lone surrogate, which is not Unicode"
  return undefined
}

/**
 * Why a JSON value holds a string (or object key) PostgreSQL cannot store
 * faithfully, naming where, e.g. `call.callType.description contains NUL, ...`;
 * or `undefined`. `jsonb` refuses `\u0000` and unpaired surrogate escapes,
 * and a refusal naming the field beats the server's byte offset.
 */
export const jsonTextProblem = (value: unknown, path = "value"): string | undefined => {
  if (typeof value === "string") {
    const problem = textProblem(value)
    return problem === undefined ? undefined : `${path} ${problem}`
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = jsonTextProblem(item, `${path}[${index}]`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key)
      if (keyProblem !== undefined) return `a key of ${path} ${keyProblem}`
      const problem = jsonTextProblem(item, `${path}.${key}`)
      if (problem !== undefined) return problem
    }
  }
  return undefined
}

/**
 * The JSON text of a value, as a JSON column would store it, or `undefined`
 * when the value has none (a bigint, a cycle, `undefined` itself).
 */
export const jsonText = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value)
  } catch {
    // JSON.stringify throws on bigints and cycles: the value is not JSON.
    return undefined
  }
}

const arrayOf = (values: ReadonlyArray<unknown>, elementOid: number): PgTypes.Parameter =>
  // Every OID passed here is a built-in type with a known array type, so this cannot fail.
  Result.getOrThrow(PgTypes.array(values, elementOid))

/**
 * Typed array parameters for `unnest`. Typed, because the driver cannot infer
 * the type of an array whose elements are all null.
 */
export const textArray = (values: ReadonlyArray<string | null>): PgTypes.Parameter => arrayOf(values, PgTypes.OID.text)

/** An `integer[]` parameter. */
export const integerArray = (values: ReadonlyArray<number>): PgTypes.Parameter => arrayOf(values, PgTypes.OID.int4)

/** A `bigint[]` parameter from whole numbers (safe integers). */
export const bigintArray = (values: ReadonlyArray<number>): PgTypes.Parameter =>
  arrayOf(values.map((value) => BigInt(value)), PgTypes.OID.int8)

/** A `double precision[]` parameter. */
export const doubleArray = (values: ReadonlyArray<number>): PgTypes.Parameter => arrayOf(values, PgTypes.OID.float8)

/** A `smallint[]` parameter. */
export const smallintArray = (values: ReadonlyArray<number>): PgTypes.Parameter => arrayOf(values, PgTypes.OID.int2)

/** A `timestamptz[]` parameter from epoch milliseconds. */
export const timestampArray = (millis: ReadonlyArray<number>): PgTypes.Parameter =>
  arrayOf(millis, PgTypes.OID.timestamptz)

/** A `timestamptz` parameter from epoch milliseconds. */
export const timestamp = (millis: number): PgTypes.Parameter => PgTypes.timestamptz(millis)

/** A `bigint` parameter. */
export const bigint = (value: number): PgTypes.Parameter => PgTypes.int8(BigInt(value))

/** A `double precision` parameter. */
export const double = (value: number): PgTypes.Parameter => PgTypes.float8(value)

/** A `text` parameter (strings otherwise bind untyped, and a lone `$1 IS NULL` cannot be typed). */
export const text = (value: string | null): PgTypes.Parameter => PgTypes.text(value)

/** A bigint column value as a number; positions and versions stay far below 2^53. */
export const toNumber = (value: unknown): number => (typeof value === "bigint" ? Number(value) : Number(value))
