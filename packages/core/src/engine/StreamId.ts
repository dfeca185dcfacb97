/**
 * Stream ids: one convention for every aggregate, `<aggregate-type>/<id>`
 * (e.g. `nuisance-case/2026-000123`, `district-team/3`,
 * `access-denials/Staff:jdoe`). The type is the aggregate's name (lower
 * case, digits and hyphens, no slash); the id is everything after the
 * first slash and may itself contain slashes.
 *
 * @module
 */

/** The stream of one instance of an aggregate type, e.g. `streamId("district-team", "3")` is `district-team/3`. */
export const streamId = (type: string, id: string): string => `${type}/${id}`

/** What every stream id of an aggregate type starts with, e.g. `district-team/`. */
export const streamIdPrefix = (type: string): string => streamId(type, "")

const aggregateType = /^[a-z][a-z0-9-]*$/

/** A stream id read back: the aggregate type and the instance id. */
export interface ParsedStreamId {
  readonly type: string
  readonly id: string
}

/**
 * Reads a stream id written by {@link streamId}; `undefined` for one that
 * does not follow the convention (no slash, an empty id, or a type that is
 * not lower case, digits and hyphens).
 *
 * @example
 * ```ts
 * parseStreamId("access-denials/Staff:jdoe") // => { type: "access-denials", id: "Staff:jdoe" }
 * parseStreamId("nuisance-case-2026-000123") // => undefined (the form before the convention)
 * ```
 */
export const parseStreamId = (stream: string): ParsedStreamId | undefined => {
  const slash = stream.indexOf("/")
  if (slash < 0) return undefined
  const type = stream.slice(0, slash)
  const id = stream.slice(slash + 1)
  return aggregateType.test(type) && id.length > 0 ? { type, id } : undefined
}
