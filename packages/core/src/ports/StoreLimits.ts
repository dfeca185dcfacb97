/**
 * Limits every storage adapter holds, whatever its database: what text a
 * store can keep faithfully, and how long an identifier or key may be. They
 * are part of the port contracts, so an importer can check a row before it
 * reaches any store, and a row that one adapter takes is taken by all.
 *
 * Why these numbers: PostgreSQL refuses a b-tree index entry over 2,704
 * bytes ("index row size exceeds btree maximum"), and a key is indexed
 * together with its tenant id. 256 bytes for a tenant id plus 1,024 for a
 * key leave room under that bound on every index the adapters build.
 *
 * @module
 */
import { InvalidStoreRequest } from "./StoreErrors.ts"

/** The longest tenant id, in UTF-8 bytes. */
export const MAX_TENANT_ID_BYTES = 256

/** The longest identifier or lookup key (an address key, a source record id, a dedupe key, an import id), in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024

/**
 * The longest area id (a beat, a police or council district, a
 * neighborhood), in UTF-8 bytes. The analytics' daily counts index a call's
 * four area ids together with its tenant id and address key, so they share
 * what is left of PostgreSQL's 2,704 bytes: 256 + 1,024 + 4 x 256 = 2,304.
 */
export const MAX_AREA_ID_BYTES = 256

/** UTF-8 length without `Buffer`, so core runs outside Node too; a lone surrogate counts as U+FFFD would, 3 bytes. */
const utf8Length = (text: string): number => {
  let bytes = 0
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        index += 1
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only. */
const loneSurrogate = /[\uD800-\uDFFF]/u

/**
 * Why a string cannot be stored faithfully by every adapter, or `undefined`
 * when it can: portable text is well-formed Unicode without U+0000, which is
 * what PostgreSQL's `text` and `jsonb` can hold.
 */
export const portableTextProblem = (text: string): string | undefined => {
  if (text.includes("\u0000")) return "contains a NUL character (U+0000), which no SQL store can keep"
  if (loneSurrogate.test(text)) return "contains a lone surrogate (malformed UTF-16), which no SQL store can keep"
  return undefined
}

/**
 * Why a string cannot be a key (a tenant id, an address key, a record id),
 * or `undefined` when it can: non-empty, portable text, at most `maxBytes`
 * UTF-8 bytes ({@link MAX_KEY_BYTES} by default).
 */
export const keyProblem = (text: string, maxBytes: number = MAX_KEY_BYTES): string | undefined => {
  if (text.length === 0) return "is empty"
  const bytes = utf8Length(text)
  if (bytes > maxBytes) return `is ${bytes} bytes long, over the limit of ${maxBytes} bytes`
  return portableTextProblem(text)
}

/** Why a string cannot be a tenant id, or `undefined` when it can; see {@link keyProblem}. */
export const tenantIdProblem = (tenantId: string): string | undefined => keyProblem(tenantId, MAX_TENANT_ID_BYTES)

/** Why a string cannot be an area id, or `undefined` when it can; see {@link MAX_AREA_ID_BYTES}. */
export const areaIdProblem = (areaId: string): string | undefined => keyProblem(areaId, MAX_AREA_ID_BYTES)

/**
 * Why a value is not a string that can be a key, named: `${name} is empty`,
 * `${name} is 3000 bytes long, over the limit of 1024 bytes`, ... or
 * `undefined`. Callers of the ports written in JavaScript can pass anything,
 * so a value that is not a string is refused too.
 */
export const namedKeyProblem = (name: string, value: unknown, maxBytes: number = MAX_KEY_BYTES): string | undefined => {
  if (typeof value !== "string") return `${name} must be a string, got ${value === null ? "null" : typeof value}`
  const problem = keyProblem(value, maxBytes)
  return problem === undefined ? undefined : `${name} ${problem}`
}

/**
 * The refusal every adapter gives, before doing anything else, to an
 * operation on a tenant id that cannot be one (not a string, empty, over
 * {@link MAX_TENANT_ID_BYTES}, not portable text), or `undefined` when the
 * tenant id is fine. Reads are refused too: a request naming no tenant is
 * the caller's bug, whichever way it goes.
 *
 * @example
 * ```ts
 * const refused = tenantIdRefusal("EventStore.readStream", "")
 * // => InvalidStoreRequest { operation: "EventStore.readStream", reason: "tenantId is empty" }
 * ```
 */
export const tenantIdRefusal = (operation: string, tenantId: unknown): InvalidStoreRequest | undefined => {
  const problem = namedKeyProblem("tenantId", tenantId, MAX_TENANT_ID_BYTES)
  return problem === undefined ? undefined : new InvalidStoreRequest({ operation, reason: problem })
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (typeof value !== "object" || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * Why a value holds a string, or an object key, that is not portable text
 * (see {@link portableTextProblem}), naming where, e.g.
 * `call.callType.description contains a NUL character (U+0000), ...`; or
 * `undefined`. It walks strings, arrays and plain objects; other objects
 * (a `DateTime`) are encoded by their schema into portable text and skipped.
 * With `path` empty, an object's fields are named from its root (`dedupeKey`).
 */
export const portableValueProblem = (value: unknown, path: string): string | undefined => {
  if (typeof value === "string") {
    const problem = portableTextProblem(value)
    return problem === undefined ? undefined : `${path === "" ? "the value" : path} ${problem}`
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = portableValueProblem(value[index], `${path}[${index}]`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const keyProblem = portableTextProblem(key)
      if (keyProblem !== undefined) return `a key of ${path === "" ? "the value" : path} ${keyProblem}`
      const problem = portableValueProblem(value[key], path === "" ? key : `${path}.${key}`)
      if (problem !== undefined) return problem
    }
  }
  return undefined
}
