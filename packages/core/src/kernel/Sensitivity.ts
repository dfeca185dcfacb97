/**
 * Field sensitivity: which values a schema marks as personal or confidential,
 * so that one redaction function can produce the view each audience may see.
 *
 * @module
 */
import { Schema } from "effect"

/**
 * How sensitive a field is.
 *
 * - `personal`: identifies or contacts a living person (a name, a phone
 *   number, the address of a home, a staff member's identity).
 * - `confidential`: protected by law beyond ordinary privacy: the identity or
 *   address of a victim of domestic violence or trafficking (California's Safe
 *   at Home program, Gov. Code 6205 ff.), officer discipline and complaint
 *   records (Penal Code 832.7), a caller who is the victim (Gov. Code 53165).
 */
export const Sensitivity = Schema.Literals(["personal", "confidential"])

/** How sensitive a field is: `personal` or `confidential`. */
export type Sensitivity = typeof Sensitivity.Type

declare module "effect/Schema" {
  namespace Annotations {
    interface Annotations {
      /** Marks a schema (usually a struct field) as personal or confidential data. */
      readonly sensitivity?: Sensitivity | undefined
    }
  }
}

/**
 * Marks a field's schema as personal data.
 *
 * @example
 * ```ts
 * const Complainant = Schema.Struct({ name: personal(Schema.String) })
 * ```
 */
export const personal = <S extends Schema.Top>(schema: S): S["Rebuild"] =>
  schema.annotate({ sensitivity: "personal" })

/**
 * Marks a field's schema as confidential data (see {@link Sensitivity}).
 *
 * @example
 * ```ts
 * const Victim = Schema.Struct({ address: confidential(Schema.String) })
 * ```
 */
export const confidential = <S extends Schema.Top>(schema: S): S["Rebuild"] =>
  schema.annotate({ sensitivity: "confidential" })

/** The sensitivity a schema carries, if any. */
export const sensitivityOf = (schema: Schema.Top): Sensitivity | undefined =>
  Schema.resolveAnnotations(schema)?.sensitivity
