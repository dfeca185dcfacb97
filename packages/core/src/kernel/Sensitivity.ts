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
      /**
       * On a struct: fields that are sensitive only for some values of the
       * struct, decided from its JSON encoding; see {@link sensitiveWhen}.
       */
      readonly sensitiveWhen?: SensitiveWhen | undefined
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

/**
 * Which fields of a struct are sensitive for this value, by path from the
 * struct (`["callType"]`, `["call", "callType"]`), given the struct's JSON
 * encoding; the empty list when none is. Paths that do not exist are ignored.
 */
export type SensitiveWhen = (encoded: unknown) => ReadonlyArray<{
  readonly path: ReadonlyArray<string>
  readonly sensitivity: Sensitivity
}>

/**
 * Marks fields of a struct as sensitive depending on the value: what a field
 * reveals can depend on the rest of the record. Redaction removes them from
 * the views of audiences without that clearance, like fields marked with
 * {@link personal} or {@link confidential}.
 *
 * @example
 * ```ts
 * // The type of a protected call says what the protection hides.
 * const Call = sensitiveWhen(
 *   Schema.Struct({ callType: Schema.String, victim: confidential(Schema.Boolean) }),
 *   (encoded) => (encoded as { victim?: unknown }).victim === true ? [{ path: ["callType"], sensitivity: "confidential" }] : []
 * )
 * ```
 */
export const sensitiveWhen = <S extends Schema.Top>(schema: S, rule: SensitiveWhen): S["Rebuild"] =>
  schema.annotate({ sensitiveWhen: rule })

/** The sensitivity a schema carries, if any. */
export const sensitivityOf = (schema: Schema.Top): Sensitivity | undefined =>
  Schema.resolveAnnotations(schema)?.sensitivity
