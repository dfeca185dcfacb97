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

/** The longest tenant id, in UTF-8 bytes. */
export const MAX_TENANT_ID_BYTES = 256

/** The longest identifier or lookup key (an address key, a source record id, a dedupe key, an import id), in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024

const utf8Length = (text: string): number => Buffer.byteLength(text, "utf8")

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
