/**
 * Named sets of chronic-nuisance thresholds from real ordinances, for a
 * city's `justiceForNeighbors.chronicNuisance.rules`. They are starting
 * points to review against the city's own ordinance, not law for any other
 * city; the counted channels and categories (the ordinance's list of
 * "nuisance activities") stay the city's own settings.
 *
 * @example
 * ```ts
 * const chronicNuisance: ChronicNuisanceSettings = {
 *   rules: [...milwaukeeChronicNuisance.rules, ...chulaVistaMotelRate.rules],
 *   countedChannels: ["911", "non-emergency"],
 *   countedCategories: ["disorder", "nuisance", "drug-trade"]
 * }
 * ```
 *
 * @module
 */
import { Schema } from "effect"
import { Slug } from "../kernel/Identifier.ts"
import { ChronicNuisanceRule } from "../kernel/ProgramSettings.ts"

/** A named set of thresholds, with the ordinance it comes from. */
export const ChronicNuisancePreset = Schema.Struct({
  id: Slug,
  name: Schema.NonEmptyString,
  /** The ordinance, and anything about it that is not verified. */
  source: Schema.NonEmptyString,
  rules: Schema.NonEmptyArray(ChronicNuisanceRule)
})

/** A named set of thresholds; see {@link ChronicNuisancePreset}. */
export type ChronicNuisancePreset = typeof ChronicNuisancePreset.Type

/**
 * Milwaukee, Wisconsin: a premises where 3 or more nuisance activities
 * occurred on separate days within 30 days (Milwaukee Code of Ordinances
 * 80-10, chronic nuisance premises).
 */
export const milwaukeeChronicNuisance: ChronicNuisancePreset = {
  id: "milwaukee",
  name: "Milwaukee chronic nuisance premises",
  source: "Milwaukee Code of Ordinances 80-10: 3 or more nuisance activities on separate days during a 30-day period",
  rules: [{ _tag: "count-in-window", count: 3, windowDays: 30, separateDays: true }]
}

/**
 * Portland, Oregon: property on which 3 or more nuisance activities occurred
 * during any 30-day period (Portland City Code 14B.60.010 A.1, chronic
 * nuisance property). Calls on the same day each count.
 */
export const portlandChronicNuisance: ChronicNuisancePreset = {
  id: "portland",
  name: "Portland chronic nuisance property",
  source: "Portland City Code 14B.60.010 A.1: 3 or more nuisance activities during any 30-day period",
  rules: [{ _tag: "count-in-window", count: 3, windowDays: 30, separateDays: false }]
}

/**
 * Forest Grove, Oregon: tiers, any one enough: 2 nuisance activities in 30
 * days, 3 in 90 days, or 4 in 365 days (Forest Grove chronic nuisance
 * ordinance; the code section is not verified).
 */
export const forestGroveChronicNuisance: ChronicNuisancePreset = {
  id: "forest-grove",
  name: "Forest Grove chronic nuisance property tiers",
  source: "Forest Grove, Oregon, chronic nuisance ordinance (section unverified): 2 in 30 days, 3 in 90 days, 4 in 365 days",
  rules: [
    { _tag: "count-in-window", count: 2, windowDays: 30, separateDays: false },
    { _tag: "count-in-window", count: 3, windowDays: 90, separateDays: false },
    { _tag: "count-in-window", count: 4, windowDays: 365, separateDays: false }
  ]
}

/**
 * Chula Vista, California: a hotel or motel keeps its annual permit to
 * operate with a call-for-service ratio (calls divided by rooms) of 0.50 or
 * below; above it is excessive (Chula Vista Municipal Code chapter 5.39,
 * Ordinance 3041 of 2006). The year is the 365 days ending on the day of the
 * scan.
 */
export const chulaVistaMotelRate: ChronicNuisancePreset = {
  id: "chula-vista",
  name: "Chula Vista hotel/motel call-for-service ratio",
  source: "Chula Vista Municipal Code ch. 5.39 (Ord. 3041, 2006): more than 0.50 calls for service per room per year",
  rules: [{ _tag: "per-room-rate", callsPerRoom: 0.5, per: "year", appliesTo: ["motel-hotel"] }]
}

/**
 * Costa Mesa, California: a lodging establishment gets an allotment of 0.4
 * nuisance-activity calls per room per year, applied as a monthly allotment
 * (rooms × 0.4 / 12 a calendar month: a 232-room motel gets about 8 calls a
 * month); calls above it are excessive (Costa Mesa Municipal Code Title 14,
 * Chapter VI, Ordinance 14-01 of 2014). Some press reports say "0.4 per room
 * per month", but the arithmetic of the adopted allotments says per year.
 * How the month and its excess are counted: see `PerRoomMonthlyAllotmentRule`
 * in the program settings.
 */
export const costaMesaMotelRate: ChronicNuisancePreset = {
  id: "costa-mesa",
  name: "Costa Mesa lodging excessive calls",
  source:
    "Costa Mesa Municipal Code Title 14, Ch. VI (Ord. 14-01, 2014): an allotment of 0.4 calls per room per year, applied as a monthly allotment (rooms x 0.4 / 12 per calendar month)",
  rules: [{ _tag: "per-room-monthly-allotment", callsPerRoomPerYear: 0.4, appliesTo: ["motel-hotel"] }]
}

/** Every preset above, in the order of the domain reference. */
export const chronicNuisancePresets: ReadonlyArray<ChronicNuisancePreset> = [
  milwaukeeChronicNuisance,
  portlandChronicNuisance,
  forestGroveChronicNuisance,
  chulaVistaMotelRate,
  costaMesaMotelRate
]
