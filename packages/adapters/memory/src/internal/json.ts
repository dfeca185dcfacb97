/**
 * Copies of JSON values in and out of the store, so that no caller shares an
 * object with stored data.
 *
 * @internal
 */
import type { Schema } from "effect"

/**
 * Copies a value the way a database JSON column would, through its JSON text:
 * what comes back is what any other adapter would return. `undefined` when the
 * value has no JSON text (a bigint, a cycle, `undefined` itself).
 */
export const copyIn = (value: unknown): Schema.Json | undefined => {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    // JSON.stringify throws on bigints and cycles: the value is not JSON.
    return undefined
  }
  return text === undefined ? undefined : JSON.parse(text) as Schema.Json
}

/** A private copy of a stored JSON value for a caller. */
export const copyOut = (value: Schema.Json): Schema.Json => structuredClone(value)

