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
 *   victims, other crimes against a person), `human-trafficking` (its
 *   victims, Penal Code 236.1, are named by Gov. Code 53165),
 *   `crime-against-premises` (theft, burglary, vandalism, trespass, graffiti
 *   or dumping at the place: a bar or shop reporting what was done to it is
 *   a victim of a crime, Gov. Code 53165), `medical`, `fire-ems`.
 * - The neighborhood prosecutor pilot's focus areas: `gang-activity`,
 *   `drug-trade`, `human-trafficking`, `prostitution` (and
 *   `domestic-violence`).
 * - Disorder and nuisance, what chronic-nuisance rules count: `disorder`
 *   (disturbances, fights, noise, public intoxication), `nuisance`
 *   (squatting, littering, abandoned vehicles, blight; never a crime
 *   against the place itself).
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
  "nuisance",
  "crime-against-premises"
])

/** A category of call or report; see {@link CallCategory}. */
export type CallCategory = typeof CallCategory.Type

/**
 * Categories whose calls the law protects: they never count toward a
 * nuisance designation (Gov. Code 53165: help summoned by or for a victim of
 * abuse, of human trafficking (Penal Code 236.1) or of any crime, or a
 * person in an emergency, including one protecting property; 53165.1;
 * 34 U.S.C. 12495).
 */
export const protectedCategories: ReadonlyArray<CallCategory> = [
  "domestic-violence",
  "victimization",
  "human-trafficking",
  "crime-against-premises",
  "medical",
  "fire-ems"
]

/**
 * Countable categories where someone may be the victim of the reported
 * crime (a fight is a battery, gang activity includes violence against
 * people and property). Gov. Code 53165 forbids counting a call by or for a
 * victim of any crime, so a call in one of these counts only when its record
 * shows the caller was neither the victim nor calling for one
 * (`callerNotVictim`); where the export cannot say, it does not count: the
 * protection fails closed.
 */
export const victimPossibleCategories: ReadonlyArray<CallCategory> = ["disorder", "gang-activity"]

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
