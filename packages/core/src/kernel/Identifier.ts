/**
 * Identifiers in configuration: the slugs that name things, and the check
 * that a list names each thing once.
 *
 * @module
 */
import { Schema } from "effect"

/**
 * A lowercase, hyphenated identifier that is safe in URLs, file names and
 * event streams, e.g. `"sacramento"`, `"gang-activity"`.
 */
export const Slug = Schema.NonEmptyString.check(
  Schema.isPattern(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { expected: "a lowercase hyphenated slug, e.g. gang-activity" })
)

/** A lowercase, hyphenated identifier; see {@link Slug}. */
export type Slug = typeof Slug.Type

/**
 * A check that no two entries of a list share a key. Reports every repeat,
 * at the repeating entry's key, so a configuration with three duplicates
 * gets three problems. `what` names the entries in the message
 * (e.g. `"council district"`); `field` is where the key sits in each entry.
 */
export const distinctBy = <K extends string>(field: K, what: string) =>
  Schema.makeFilter<ReadonlyArray<{ readonly [key in K]: string }>>(
    (entries) => {
      const seen = new Set<string>()
      const repeats: Array<{ readonly path: ReadonlyArray<PropertyKey>; readonly issue: string }> = []
      entries.forEach((entry, index) => {
        const key = entry[field]
        if (seen.has(key)) repeats.push({ path: [index, field], issue: `duplicate ${what} ${field} "${key}"` })
        seen.add(key)
      })
      return repeats
    },
    { arbitraryConstraint: { uniqueBy: (entry: { readonly [key in K]: string }) => entry[field] } }
  )
