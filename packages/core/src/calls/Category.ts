/**
 * The categories the programs sort calls into, and the record of which rule
 * of which code table put a call in a category.
 *
 * @module
 */
import { Schema } from "effect"

/**
 * A category of call or report. A call may carry several.
 *
 * - Protected (Gov. Code 53165, 53165.1; 34 U.S.C. 12495): calls in these
 *   never count toward a nuisance designation: `domestic-violence`,
 *   `victimization` (elder abuse, sexual assault, stalking, trafficking
 *   victims, other crimes against a person), `medical`, `fire-ems`.
 * - The neighborhood prosecutor pilot's focus areas: `gang-activity`,
 *   `drug-trade`, `human-trafficking`, `prostitution` (and
 *   `domestic-violence`).
 * - Disorder and nuisance, what chronic-nuisance rules count: `disorder`
 *   (disturbances, fights, noise, public intoxication), `nuisance`
 *   (trespass, squatting, illegal dumping, blight).
 */
export const CallCategory = Schema.Literals([
  "domestic-violence",
  "victimization",
  "medical",
  "fire-ems",
  "gang-activity",
  "drug-trade",
  "human-trafficking",
  "prostitution",
  "disorder",
  "nuisance"
])

/** A category of call or report; see {@link CallCategory}. */
export type CallCategory = typeof CallCategory.Type

/** Categories whose calls the law protects: they never count toward a nuisance designation. */
export const protectedCategories: ReadonlyArray<CallCategory> = ["domestic-violence", "victimization", "medical", "fire-ems"]

/** Why a call is in a category: the code table, its version, and the rule that matched. */
export const CategoryMatch = Schema.Struct({
  category: CallCategory,
  /** The code table's id, e.g. `sacramento-cad`. */
  table: Schema.NonEmptyString,
  /** The code table's version; tables change between NIBRS and CAD versions. */
  tableVersion: Schema.NonEmptyString,
  /** The id of the rule that matched, e.g. `pc-243e`. */
  rule: Schema.NonEmptyString
})

/** Why a call is in a category; see {@link CategoryMatch}. */
export type CategoryMatch = typeof CategoryMatch.Type
