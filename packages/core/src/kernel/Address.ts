/**
 * Address normalization: turning the addresses records systems write
 * (`3555 Auburn Boulevard, Apt. 12`, `STOCKTON BLVD / FRUITRIDGE RD`,
 * `23XX 10TH AVE`) into the {@link AddressKey} that identifies one place, so
 * calls at one building or corner are counted together.
 *
 * @module
 */
import { Result, Schema } from "effect"
import { AddressKey } from "./Place.ts"
import { personal } from "./Sensitivity.ts"

/**
 * What an address key names:
 *
 * - `address`: a building, by house number and street (`3555 AUBURN BLVD`),
 *   or a named place without a number (`I 80 EB`).
 * - `block`: a block, as CAD open data masks addresses (`23XX 10TH AVE`);
 *   it is never turned into an address, since it names no building.
 * - `intersection`: a corner of two (or more) streets,
 *   `FRUITRIDGE RD / STOCKTON BLVD`.
 */
export const AddressKind = Schema.Literals(["address", "block", "intersection"])

/** What an address key names; see {@link AddressKind}. */
export type AddressKind = typeof AddressKind.Type

/**
 * A normalized address: the key of the building, block or corner, and the
 * unit (apartment, suite, space) that was split off it. Calls at different
 * units of one building share one key, because nuisance rules look at the
 * building.
 */
export const NormalizedAddress = Schema.Struct({
  key: AddressKey,
  kind: AddressKind,
  /** The unit as written after its designator: `12` from `APT 12` or `#12`. */
  unit: Schema.optionalKey(Schema.NonEmptyString.check(Schema.isTrimmed()))
})

/** A normalized address; see {@link NormalizedAddress}. */
export type NormalizedAddress = typeof NormalizedAddress.Type

/**
 * Why an address could not be normalized:
 *
 * - `empty`: nothing but spaces and punctuation.
 * - `no-street-name`: no street or place name, only numbers or unit
 *   designators (`12345`, `APT 4`, `23XX`).
 * - `incomplete-intersection`: an intersection with a side missing
 *   (`MAIN ST /`).
 */
export const InvalidAddressReason = Schema.Literals(["empty", "no-street-name", "incomplete-intersection"])

/** Why an address could not be normalized; see {@link InvalidAddressReason}. */
export type InvalidAddressReason = typeof InvalidAddressReason.Type

/**
 * An address could not be normalized. The input is personal data (it is
 * often where someone lives or called from), so it stays out of the message
 * that logs show.
 */
export class InvalidAddress extends Schema.TaggedError<InvalidAddress>()("InvalidAddress", {
  input: personal(Schema.String),
  reason: InvalidAddressReason
}) {
  override get message(): string {
    return `Invalid address: ${this.reason}`
  }
}

/** A word's standard form, with each standard form also mapping to itself. */
const standardForms = (spellings: Readonly<Record<string, string>>): ReadonlyMap<string, string> =>
  new Map([...Object.entries(spellings), ...Object.values(spellings).map((standard) => [standard, standard] as const)])

// USPS Publication 28, Appendix C1: street suffixes, the common spellings
// records use, and the standard abbreviation.
const suffixes = standardForms({
  ALLEY: "ALY",
  AVENUE: "AVE",
  AV: "AVE",
  AVEN: "AVE",
  AVENU: "AVE",
  AVN: "AVE",
  AVNUE: "AVE",
  BOULEVARD: "BLVD",
  BOUL: "BLVD",
  BOULV: "BLVD",
  CIRCLE: "CIR",
  CIRC: "CIR",
  CIRCL: "CIR",
  CRCL: "CIR",
  CRCLE: "CIR",
  COURT: "CT",
  COVE: "CV",
  CROSSING: "XING",
  DRIVE: "DR",
  DRIV: "DR",
  DRV: "DR",
  EXPRESSWAY: "EXPY",
  EXPRESS: "EXPY",
  EXPW: "EXPY",
  EXPR: "EXPY",
  FREEWAY: "FWY",
  HIGHWAY: "HWY",
  HIWAY: "HWY",
  LANE: "LN",
  PARKWAY: "PKWY",
  PARKWY: "PKWY",
  PKWAY: "PKWY",
  PKY: "PKWY",
  PLACE: "PL",
  PLAZA: "PLZ",
  ROAD: "RD",
  SQUARE: "SQ",
  STREET: "ST",
  STR: "ST",
  STRT: "ST",
  TERRACE: "TER",
  TRAIL: "TRL",
  WAY: "WAY"
})

// USPS Publication 28, Appendix B: directionals.
const directionals = standardForms({
  NORTH: "N",
  SOUTH: "S",
  EAST: "E",
  WEST: "W",
  NORTHEAST: "NE",
  NORTHWEST: "NW",
  SOUTHEAST: "SE",
  SOUTHWEST: "SW"
})

// USPS Publication 28, Appendix C2: the unit designators records use.
const unitDesignators = new Set(["APT", "APARTMENT", "UNIT", "STE", "SUITE", "SPC", "SPACE", "RM", "ROOM"])
// A designator fused to its number, as in `APT12` or `STE200`.
const fusedUnit = /^(APT|UNIT|STE|SPC|RM)(\d+[A-Z]?)$/

/**
 * The words with units marked: a fused designator split (`APT12` ->
 * `APT 12`) and `#` joined to what follows (`# 12` -> `#12`), so `#` is a
 * designator and its unit in one word; a `#` with nothing after it is noise.
 */
const withUnitMarks = (words: ReadonlyArray<string>): Array<string> => {
  const marked: Array<string> = []
  words.forEach((word, index) => {
    const fused = fusedUnit.exec(word)
    if (fused !== null) marked.push(fused[1] ?? "", fused[2] ?? "")
    else if (word !== "#") marked.push(index > 0 && words[index - 1] === "#" ? `#${word}` : word)
  })
  return marked
}

const isUnitDesignator = (word: string): boolean => unitDesignators.has(word) || word.startsWith("#")

/** What a word after the designator adds to the unit: nothing for another designator, the number for `#12`. */
const unitPart = (word: string): Array<string> =>
  unitDesignators.has(word) ? [] : word.startsWith("#") ? [word.slice(1)] : [word]

const houseNumber = /^\d+[A-Z]?$/
const fraction = /^\d+\/\d+$/
const blockMask = /^\d*XX$/
const hasLetter = /\p{L}/u

// Periods and apostrophes sit inside abbreviations and names (`ST.`,
// `O'NEIL`): dropped. Other punctuation separates words: a space. Kept:
// letters with their accents, digits, `/` and `&` (intersections), `#`
// (units), `-` (`I-80`, `1514-A`).
const dropped = /[.'\u2019`]/g
const separators = /[^\p{L}\p{M}\p{N}\s/&#-]/gu

// `/` joins streets unless it is a fraction (`6624 1/2 VALLEY HI DR`); `&`
// and the word AND always join streets.
const intersectionJoint = /(?<!\d)\/|\/(?!\d)|&|(?<![\p{L}\p{M}\p{N}])AND(?![\p{L}\p{M}\p{N}])/u

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * A street as USPS writes it: a full pre-directional abbreviated when a
 * name follows it (`NORTH B ST` -> `N B ST`, but `SOUTH AVE` stays, since
 * there SOUTH is the name); the last word, when a suffix and not the whole
 * name, abbreviated (`65TH STREET EXPY` keeps STREET, which is part of the
 * name); a post-directional after a suffix abbreviated (`MAIN ST NORTH` ->
 * `MAIN ST N`). Ordinals stay as written (`10TH`).
 */
const normalizeStreet = (words: ReadonlyArray<string>): Array<string> => {
  const out = [...words]
  const last = out.length - 1
  const post = out[last]
  const beforePost = out[last - 1]
  const postDirectional = last >= 2 && post !== undefined && beforePost !== undefined && directionals.has(post) &&
    suffixes.has(beforePost)
  const suffixAt = postDirectional ? last - 1 : last
  const first = out[0]
  const preDirectional = first !== undefined && directionals.has(first) && suffixAt >= 2
  const nameStart = preDirectional ? 1 : 0
  const suffix = out[suffixAt]
  if (suffix !== undefined && suffixAt > nameStart) {
    const standard = suffixes.get(suffix)
    if (standard !== undefined) out[suffixAt] = standard
  }
  if (postDirectional && post !== undefined) out[last] = directionals.get(post) ?? post
  if (preDirectional && first !== undefined) out[0] = directionals.get(first) ?? first
  return out
}

const wordsOf = (text: string): Array<string> =>
  text.split(" ").filter((word) => word !== "" && !/^-+$/.test(word))

const invalid = (input: string, reason: InvalidAddressReason): Result.Result<never, InvalidAddress> =>
  Result.fail(new InvalidAddress({ input, reason }))

/**
 * Normalizes an address as records write it into the key of the building,
 * block or intersection, and the unit split off it.
 *
 * - Upper case, single spaces; periods and apostrophes dropped, other
 *   punctuation read as spaces.
 * - Street suffixes and directionals abbreviated as USPS Publication 28
 *   writes them (STREET -> ST, BOULEVARD -> BLVD, NORTH -> N), only where
 *   they are a suffix or a directional and not the street's name.
 * - Unit designators (APT, APARTMENT, UNIT, STE, SUITE, SPACE, SPC, RM, ROOM, #) split the
 *   unit off; the key is the building. A house number with a letter
 *   (`1514A`) or a half (`6624 1/2`) is kept as written: records do not say
 *   whether it is a unit or a separate building.
 * - Block masks stay blocks: `23XX 10TH AVE` has kind `block`.
 * - Intersections (`/`, `&`, `AND`) list their streets in code-point order,
 *   so `STOCKTON BLVD / FRUITRIDGE RD` and `Fruitridge Road & Stockton
 *   Boulevard` give one key, `FRUITRIDGE RD / STOCKTON BLVD`.
 *
 * Normalizing a key again gives the same key. City, state and ZIP code are
 * not recognized: CAD addresses do not carry them, and an import that has
 * them maps the street line alone.
 *
 * @example
 * ```ts
 * normalizeAddress("3555 Auburn Boulevard, Apt. 12")
 * // Result.succeed({ key: "3555 AUBURN BLVD", kind: "address", unit: "12" })
 * ```
 */
export const normalizeAddress = (raw: string): Result.Result<NormalizedAddress, InvalidAddress> => {
  const text = raw
    .toUpperCase()
    .replace(dropped, "")
    .replace(separators, " ")
    .replace(/#/g, " # ")
    .replace(/\s+/g, " ")
    .trim()
  if (wordsOf(text.replace(/[/&#]/g, " ")).length === 0) return invalid(raw, "empty")

  const sides = text.split(intersectionJoint).map(wordsOf)
  if (sides.length > 1) {
    // A unit means nothing at a corner: `#12` is dropped there.
    const streets = sides.map((side) => normalizeStreet(withUnitMarks(side).filter((word) => !word.startsWith("#"))).join(" "))
    if (streets.every((street) => street === "")) return invalid(raw, "no-street-name")
    if (streets.some((street) => street === "")) return invalid(raw, "incomplete-intersection")
    if (!streets.every((street) => hasLetter.test(street))) return invalid(raw, "no-street-name")
    return Result.succeed({ key: [...streets].sort(byCodePoint).join(" / "), kind: "intersection" })
  }

  const words = withUnitMarks(sides[0] ?? [])
  const first = words[0] ?? ""
  const kind: AddressKind = blockMask.test(first) ? "block" : "address"
  const numbered = kind === "block" || houseNumber.test(first)
  const streetStart = numbered && fraction.test(words[1] ?? "") ? 2 : numbered ? 1 : 0
  // A designator only counts once a street name precedes it, so a street
  // named with one (`100 SPACE PARK DR`) keeps its name.
  const designatorAt = words.findIndex((word, index) => index > streetStart && isUnitDesignator(word))
  const buildingWords = designatorAt === -1 ? words : words.slice(0, designatorAt)
  const unitWords = designatorAt === -1 ? [] : words.slice(designatorAt).flatMap(unitPart)
  // A designator where the street name should be (`APT 4`, `123 #4`) is a
  // unit without a street.
  const lead = buildingWords[streetStart] ?? ""
  if (lead.startsWith("#") || (isUnitDesignator(lead) && buildingWords.length - streetStart <= 2)) {
    return invalid(raw, "no-street-name")
  }
  const street = normalizeStreet(buildingWords.slice(streetStart))
  if (!street.some((word) => hasLetter.test(word))) return invalid(raw, "no-street-name")
  const key = [...buildingWords.slice(0, streetStart), ...street].join(" ")
  return Result.succeed(unitWords.length === 0 ? { key, kind } : { key, kind, unit: unitWords.join(" ") })
}

/**
 * The key a nuisance case is filed under and a property status lookup
 * searches for: the {@link normalizeAddress} key, so `3555 Auburn
 * Boulevard`, `3555 auburn blvd.` and `3555 AUBURN BLVD, Apt. 12` are one
 * property (a case is about the building, so a unit is dropped). An address
 * the normalizer cannot read (`APT 4`, an empty string) is returned as
 * written: intake and lookup both use this function, so such an address is
 * still found by the same spelling, and a lookup that is not a valid key
 * (blank, untrimmed) is refused by its own check.
 *
 * @example
 * ```ts
 * caseAddressKey("3555 Auburn Boulevard") // "3555 AUBURN BLVD"
 * ```
 */
export const caseAddressKey = (address: string): string =>
  Result.match(normalizeAddress(address), { onSuccess: (normalized) => normalized.key, onFailure: () => address })
