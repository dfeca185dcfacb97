/**
 * Chronic non-residential users of 911: which places the excessive-calls
 * (chronic nuisance) ordinance designates, with the evidence for each.
 *
 * {@link evaluatePlace} is the rule, pure: one place, its calls, the
 * settings and the day of the scan in, a designation with its
 * {@link ChronicCallerEvidence} or an explained non-designation out.
 * {@link findChronicCallers} is the scan: it asks the call analytics which
 * places could meet a threshold, then fetches each one's calls and land use
 * from the calls-for-service store and applies the rule.
 *
 * Hard rules of law, not settings: only a place the records show to be
 * non-residential is ever designated (an unknown land use counts as a home,
 * and so does a motel whose registry entry records long-term tenancies),
 * and a protected call (domestic violence or other victimization, a medical
 * or fire/EMS emergency, a call by the victim) never counts, whether its own
 * flags or its categories say so (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
 *
 * @module
 */
import { DateTime, Effect, Option, Result, Schema } from "effect"
import { type CallCategory, type CategoryMatch, protectedCategories, victimPossibleCategories } from "../calls/Category.ts"
import {
  type CallChannel,
  locationAddressKey,
  protectedCallReasons,
  type ProtectedCallReasonCode
} from "../kernel/CallForService.ts"
import { CalendarDate, isCalendarDate } from "../kernel/Holiday.ts"
import { AddressKey, callsForServiceIneligibility, mayBeDesignatedForCalls, type Place } from "../kernel/Place.ts"
import {
  type ChronicNuisanceRule,
  ChronicNuisanceSettings,
  defaultUncountedDispositions,
  type PerRoomRateRule
} from "../kernel/ProgramSettings.ts"
import { confidential, personal } from "../kernel/Sensitivity.ts"
import { CallAnalytics } from "../ports/CallAnalytics.ts"
import { CallStore, type StoredCall } from "../ports/CallStore.ts"
import { compareCodePoints } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import {
  ChronicCallerEvidence,
  type CountedCall,
  CountedCall as CountedCallSchema,
  type ExcludedCall,
  ExcludedCall as ExcludedCallSchema,
  type EvidenceRule,
  type ExclusionReason,
  type RuleCheck,
  RuleCheck as RuleCheckSchema,
  type RuleInapplicability,
  type RuleWindow,
  RuleWindow as RuleWindowSchema
} from "./Evidence.ts"

// ---------------------------------------------------------------------------
// Outcomes and errors
// ---------------------------------------------------------------------------

/** The place met a threshold: a candidate for a chronic-nuisance case, with its evidence. */
export const ChronicCallerDesignated = Schema.TaggedStruct("Designated", {
  evidence: ChronicCallerEvidence
})

/** A designation; see {@link ChronicCallerDesignated}. */
export type ChronicCallerDesignated = typeof ChronicCallerDesignated.Type

/**
 * A non-residential place that met no threshold. `counted` and `excluded`
 * cover the widest window of the settings' rules (`window`; absent when the
 * settings hold no rule), with the law's and the ordinance's reason for each
 * excluded call; `checks` gives every rule's count and what it needs.
 */
export const ChronicCallerBelowThreshold = Schema.TaggedStruct("BelowThreshold", {
  addressKey: AddressKey,
  asOfDay: CalendarDate,
  explanation: Schema.NonEmptyString,
  window: Schema.optionalKey(RuleWindowSchema),
  checks: Schema.Array(RuleCheckSchema),
  counted: personal(Schema.Array(CountedCallSchema)),
  excluded: confidential(Schema.Array(ExcludedCallSchema))
})

/** A non-residential place below every threshold; see {@link ChronicCallerBelowThreshold}. */
export type ChronicCallerBelowThreshold = typeof ChronicCallerBelowThreshold.Type

/**
 * Why a place can never be designated, whatever its calls:
 *
 * - `residential`: it is a home; calling for help from one's home may not lead
 *   to a nuisance designation (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
 * - `unknown-land-use`: the records do not say what it is used for, so it is
 *   treated as a home until they show nobody lives there.
 * - `long-term-tenancies`: a non-residential place (a motel) where the
 *   registry records rooms let as homes: a residence for this rule, and as a
 *   call records no room, for the whole place (Gov. Code 53165.1).
 */
export const IneligibilityReason = Schema.Literals(["residential", "unknown-land-use", "long-term-tenancies"])

/** Why a place can never be designated; see {@link IneligibilityReason}. */
export type IneligibilityReason = typeof IneligibilityReason.Type

/**
 * A place the rules never look at: a home, or a place of unknown land use.
 * Its calls are not evaluated, so none is listed here.
 */
export const ChronicCallerIneligible = Schema.TaggedStruct("Ineligible", {
  addressKey: AddressKey,
  asOfDay: CalendarDate,
  reason: IneligibilityReason,
  explanation: Schema.NonEmptyString,
  source: Schema.NonEmptyString
})

/** A place never designated; see {@link ChronicCallerIneligible}. */
export type ChronicCallerIneligible = typeof ChronicCallerIneligible.Type

/** What {@link evaluatePlace} found: designated, below every threshold, or never eligible. */
export const ChronicCallerOutcome = Schema.Union([
  ChronicCallerDesignated,
  ChronicCallerBelowThreshold,
  ChronicCallerIneligible
])

/** What the evaluation of one place found; see {@link ChronicCallerOutcome}. */
export type ChronicCallerOutcome = typeof ChronicCallerOutcome.Type

/**
 * The evaluation or scan was given something it cannot use: a day that is
 * not a `YYYY-MM-DD` date, settings that break their schema (a protected
 * category among the counted ones, say), calls at another address or
 * repeated, or a page limit out of range. `callKeys` names the offending
 * calls, when calls are the problem. Nothing was evaluated.
 */
export class InvalidChronicCallerInput extends Schema.TaggedError<InvalidChronicCallerInput>()(
  "InvalidChronicCallerInput",
  {
    field: Schema.Literals(["asOfDay", "settings", "calls", "pageLimit"]),
    reason: Schema.String,
    callKeys: Schema.Array(Schema.String)
  }
) {}

/**
 * The scan could not list every place that might meet a threshold: even
 * one service day on one channel holds at least `limit` places with
 * `minCount` calls, more than the analytics return at once. The scan fails
 * rather than miss a candidate.
 */
export class ChronicCallerScanIncomplete extends Schema.TaggedError<ChronicCallerScanIncomplete>()(
  "ChronicCallerScanIncomplete",
  {
    endDay: Schema.String,
    days: Schema.Number,
    minCount: Schema.Number,
    channels: Schema.Array(Schema.String),
    limit: Schema.Number
  }
) {}

// ---------------------------------------------------------------------------
// Windows and thresholds
// ---------------------------------------------------------------------------

/**
 * The window of a per-room rate, in days ending on the day of the scan:
 * "per year" is the 365 days ending that day, "per month" the 30 days ending
 * that day. Rolling windows, like the count rules', so a scan on any day
 * gives the same answer for the same calls. An annual rate applied month by
 * month counts calendar months instead: see {@link ruleWindowDays}.
 */
export const perRoomRateWindowDays: Readonly<Record<PerRoomRateRule["per"], number>> = { month: 30, year: 365 }

/**
 * How many days a rule looks back, the day of the scan included. A monthly
 * allotment (Costa Mesa's) looks at the calendar month of the day of the
 * scan, from its first day to that day, so its days depend on that day: its
 * day of the month given `asOfDay`, and without it 31, the most a month to
 * date can hold.
 */
export const ruleWindowDays = (rule: ChronicNuisanceRule, asOfDay?: string): number =>
  rule._tag === "count-in-window"
    ? rule.windowDays
    : rule._tag === "per-room-rate"
    ? perRoomRateWindowDays[rule.per]
    : asOfDay === undefined
    ? 31
    : Number(asOfDay.slice(8, 10))

const DAY_MILLIS = 86_400_000

// Calendar days have no zone: arithmetic on UTC midnights is exact.
const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MILLIS).toISOString().slice(0, 10)

/**
 * The service days a rule looks at on `asOfDay`: the `ruleWindowDays(rule,
 * asOfDay)` days ending with it; for a monthly allotment, its calendar month
 * from the first day.
 */
export const ruleWindow = (rule: ChronicNuisanceRule, asOfDay: string): RuleWindow => ({
  fromDay: addDays(asOfDay, 1 - ruleWindowDays(rule, asOfDay)),
  toDay: asOfDay
})

/**
 * A positive finite number as an exact decimal fraction `digits / 10^scale`,
 * from its shortest round-trip spelling: `0.4` is 4/10, not the binary
 * double just above it, so `0.4 * 10 rooms` is exactly 4.
 */
const asDecimal = (value: number): { readonly digits: bigint; readonly scale: number } => {
  const [mantissa = "0", exponent = "0"] = String(value).toLowerCase().split("e")
  const [whole = "0", fraction = ""] = mantissa.split(".")
  const scale = fraction.length - Number(exponent)
  const digits = BigInt(whole + fraction)
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 }
}

/**
 * The fewest counted calls that exceed `callsPerRoom` calls per room at a
 * place with `rooms` rooms: the smallest whole number above the product,
 * computed exactly (above 0.5 per room with 40 rooms is 21 calls, with 41
 * rooms also 21). Grows with the rooms, so one room gives the fewest calls
 * that can exceed the rate anywhere.
 */
export const callsExceedingRate = (callsPerRoom: number, rooms: number): number => {
  const { digits, scale } = asDecimal(callsPerRoom)
  return Number((digits * BigInt(rooms)) / 10n ** BigInt(scale)) + 1
}

/**
 * A place's monthly allotment under an annual rate per room applied month by
 * month: `rooms × callsPerRoomPerYear / 12`, unrounded (232 rooms at 0.4 a
 * year: 7.73). For display; {@link callsExceedingMonthlyAllotment} decides.
 * Source: Costa Mesa Municipal Code Title 14, Ch. VI (Ord. 14-01, 2014).
 */
export const monthlyAllotment = (callsPerRoomPerYear: number, rooms: number): number =>
  rooms * callsPerRoomPerYear / 12

/**
 * The fewest counted calls in a calendar month that exceed the monthly
 * allotment `rooms × callsPerRoomPerYear / 12`: the smallest whole number
 * above it, computed exactly, never from a rounded allotment (232 rooms at
 * 0.4 a year: 7.73, so 8 calls; 30 rooms: exactly 1, so 2 calls). Grows with
 * the rooms, like {@link callsExceedingRate}.
 */
export const callsExceedingMonthlyAllotment = (callsPerRoomPerYear: number, rooms: number): number => {
  const { digits, scale } = asDecimal(callsPerRoomPerYear)
  return Number((digits * BigInt(rooms)) / (12n * 10n ** BigInt(scale))) + 1
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`

/**
 * A threshold in words, with the window it looks at when `window` is given,
 * e.g. `3 or more counted calls on separate days within the 30 days
 * 2026-03-02 to 2026-03-31`, or `more than 0.5 counted calls per room per
 * year (the 365 days ending on the day of the scan), at motel-hotel places`.
 */
export const describeChronicNuisanceRule = (rule: ChronicNuisanceRule, window?: RuleWindow): string => {
  const days = ruleWindowDays(rule)
  const span = window === undefined
    ? `the ${plural(days, "day")} ending on the day of the scan`
    : `the ${plural(days, "day")} ${window.fromDay} to ${window.toDay}`
  if (rule._tag === "count-in-window") {
    return `${rule.count} or more counted ${rule.count === 1 ? "call" : "calls"}${rule.separateDays ? " on separate days" : ""} within ${span}`
  }
  if (rule._tag === "per-room-monthly-allotment") {
    const month = window === undefined
      ? "the calendar month to date (from its first day to the day of the scan)"
      : `the calendar month to date, ${window.fromDay} to ${window.toDay}`
    return `more counted calls than the monthly allotment of rooms × ${rule.callsPerRoomPerYear} / 12 (${rule.callsPerRoomPerYear} per room per year) in ${month}, at ${rule.appliesTo.join(", ")} places`
  }
  return `more than ${rule.callsPerRoom} counted calls per room per ${rule.per} (${span}), at ${rule.appliesTo.join(", ")} places`
}

// ---------------------------------------------------------------------------
// Which calls count
// ---------------------------------------------------------------------------

const LAW = "Gov. Code 53165, 53165.1; 34 U.S.C. 12495"

const protectionOfCategory: Partial<Record<CallCategory, ProtectedCallReasonCode>> = {
  "domestic-violence": "domestic-violence-or-victimization",
  "victimization": "domestic-violence-or-victimization",
  "human-trafficking": "domestic-violence-or-victimization",
  "crime-against-premises": "crime-against-premises",
  "medical": "medical-emergency",
  "fire-ems": "fire-or-ems"
}

/** The law behind a protected category, where it is more specific than {@link LAW}. */
const lawOfCategory: Partial<Record<CallCategory, string>> = {
  "human-trafficking": "Gov. Code 53165 (a victim of human trafficking, Penal Code 236.1), 53165.1; 34 U.S.C. 12495",
  "crime-against-premises":
    "Gov. Code 53165 (help summoned by or for a victim of any crime: the place or someone at it), 53165.1; 34 U.S.C. 12495"
}

const categoryProtection = (match: CategoryMatch): ExclusionReason => {
  const protectedReason = protectionOfCategory[match.category]
  return {
    code: "protected",
    ...(protectedReason === undefined ? {} : { protectedReason }),
    category: match,
    source: `call category "${match.category}" (${match.table} ${match.tableVersion}, rule ${match.rule}): ${
      lawOfCategory[match.category] ?? LAW
    }`
  }
}

/** The settings a call's eligibility depends on. */
type Counting = Pick<ChronicNuisanceSettings, "countedChannels" | "countedCategories" | "uncountedDispositions">

const words = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]+/g, " ").trim()

/**
 * Whether a disposition is one whose calls never count: it starts with one
 * of `uncounted` (default {@link defaultUncountedDispositions}) as whole
 * words, ignoring case and punctuation. `undefined` (none recorded) is not.
 */
export const isUncountedDisposition = (
  disposition: string | undefined,
  uncounted: ReadonlyArray<string> = defaultUncountedDispositions
): boolean => {
  if (disposition === undefined) return false
  const said = words(disposition)
  return uncounted.some((entry) => {
    const code = words(entry)
    return code.length > 0 && (said === code || said.startsWith(`${code} `))
  })
}

const dispositionSource = (counting: Counting): string =>
  `settings: uncountedDispositions ${(counting.uncountedDispositions ?? defaultUncountedDispositions).join(", ")}${
    counting.uncountedDispositions === undefined ? " (the default)" : ""
  }`

/**
 * Every reason a call never counts under these settings, whatever the rule:
 * the law's protections first (its own flags, then its protected
 * categories), then the ordinance's channels and categories. Each
 * protection is listed once: a protected category adds a reason only when
 * no flag (or earlier category) already gave the same protection, so a
 * call flagged medical and classified "medical" has one medical-emergency
 * reason, the flag's. Empty when the call counts.
 */
const exclusionsOf = (stored: StoredCall, counting: Counting): Array<ExclusionReason> => {
  const reasons: Array<ExclusionReason> = protectedCallReasons(stored.call).map((protection) => ({
    code: "protected",
    protectedReason: protection.reason,
    source: protection.source
  }))
  const protections = new Set<string>(reasons.flatMap((reason) => reason.protectedReason ?? []))
  for (const match of stored.categories) {
    if (!protectedCategories.includes(match.category)) continue
    const reason = categoryProtection(match)
    const protection = reason.protectedReason ?? `category ${match.category}`
    if (protections.has(protection)) continue
    protections.add(protection)
    reasons.push(reason)
  }
  const channel: CallChannel = stored.call.channel
  if (!counting.countedChannels.includes(channel)) {
    reasons.push({
      code: "channel-not-counted",
      source: `settings: countedChannels ${counting.countedChannels.join(", ")}; the call came by ${channel}`
    })
  }
  if (!stored.categories.some((match) => counting.countedCategories.includes(match.category))) {
    const carried = Array.from(new Set(stored.categories.map((match) => match.category)))
    reasons.push({
      code: "category-not-counted",
      source: `settings: countedCategories ${counting.countedCategories.join(", ")}; the call's categories: ${
        carried.length === 0 ? "none" : carried.join(", ")
      }`
    })
  }
  const victimPossible = Array.from(
    new Set(stored.categories.map((match) => match.category).filter((category) => victimPossibleCategories.includes(category)))
  )
  if (victimPossible.length > 0 && stored.call.callerNotVictim !== true) {
    reasons.push({
      code: "caller-may-be-victim",
      source: `Gov. Code 53165 (no penalty for a call by or for a victim of any crime): the call is in ${
        victimPossible.join(", ")
      }, where someone may be the victim, and its record does not show the caller was neither the victim nor calling for one${
        stored.call.callerNotVictim === false ? " (it says otherwise)" : " (the export cannot say)"
      }`
    })
  }
  const disposition = stored.call.disposition
  if (isUncountedDisposition(disposition, counting.uncountedDispositions)) {
    reasons.push({
      code: "disposition-not-counted",
      source: `${dispositionSource(counting)}; the call was cleared as ${disposition}`
    })
  }
  return reasons
}

/** A call with what the evaluation needs of it, computed once. */
interface Reviewed {
  readonly stored: StoredCall
  readonly receivedMillis: number
  readonly reasons: ReadonlyArray<ExclusionReason>
}

const review = (stored: StoredCall, counting: Counting): Reviewed => ({
  stored,
  receivedMillis: DateTime.toEpochMillis(stored.call.receivedAt),
  reasons: exclusionsOf(stored, counting)
})

/** Evidence order: oldest first, ties by call key in code point order. */
const byReceipt = (a: Reviewed, b: Reviewed): number =>
  a.receivedMillis - b.receivedMillis || compareCodePoints(a.stored.dedupeKey, b.stored.dedupeKey)

const countedCall = (call: Reviewed, counting: Counting): CountedCall => {
  const carried = new Set(call.stored.categories.map((match) => match.category))
  const [first, ...rest] = counting.countedCategories.filter((category) => carried.has(category))
  return {
    callKey: call.stored.dedupeKey,
    receivedAt: call.stored.call.receivedAt,
    serviceDay: call.stored.serviceDay,
    channel: call.stored.call.channel,
    callType: call.stored.call.callType,
    // A call reaches here only when it carries a counted category.
    countedAs: [first!, ...rest],
    categories: Array.from(carried),
    protectedReasons: protectedCallReasons(call.stored.call).map((protection) => protection.reason),
    ...(call.stored.call.callerNotVictim === undefined ? {} : { callerNotVictim: call.stored.call.callerNotVictim }),
    ...(call.stored.call.disposition === undefined ? {} : { disposition: call.stored.call.disposition })
  }
}

const excludedCall = (call: Reviewed, reasons: ReadonlyArray<ExclusionReason>): ExcludedCall => {
  const [first, ...rest] = reasons
  return {
    callKey: call.stored.dedupeKey,
    receivedAt: call.stored.call.receivedAt,
    serviceDay: call.stored.serviceDay,
    reasons: [first!, ...rest]
  }
}

const inWindow = (calls: ReadonlyArray<Reviewed>, window: RuleWindow): ReadonlyArray<Reviewed> =>
  calls.filter((call) => call.stored.serviceDay >= window.fromDay && call.stored.serviceDay <= window.toDay)

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

interface RuleResult {
  readonly check: RuleCheck
  readonly description: string
  readonly counted: ReadonlyArray<CountedCall>
  readonly excluded: ReadonlyArray<ExcludedCall>
}

/** What a count rule needs; a per-room rate's need depends on the place's kind and rooms. */
const neededAt = (
  rule: ChronicNuisanceRule,
  place: Place
): { readonly needed: number } | { readonly inapplicable: RuleInapplicability } => {
  if (rule._tag === "count-in-window") return { needed: rule.count }
  const use = place.landUse
  if (use._tag !== "non-residential" || !rule.appliesTo.includes(use.kind)) return { inapplicable: "kind-not-covered" }
  if (use.rooms === undefined) return { inapplicable: "rooms-unknown" }
  return {
    needed: rule._tag === "per-room-rate"
      ? callsExceedingRate(rule.callsPerRoom, use.rooms)
      : callsExceedingMonthlyAllotment(rule.callsPerRoomPerYear, use.rooms)
  }
}

const evaluateRule = (
  rule: ChronicNuisanceRule,
  place: Place,
  calls: ReadonlyArray<Reviewed>,
  asOfDay: string,
  counting: Counting
): RuleResult => {
  const window = ruleWindow(rule, asOfDay)
  const separateDays = rule._tag === "count-in-window" && rule.separateDays
  const description = describeChronicNuisanceRule(rule, window)
  const counted: Array<CountedCall> = []
  const excluded: Array<ExcludedCall> = []
  const daysCounted = new Set<string>()
  for (const call of inWindow(calls, window)) {
    if (call.reasons.length > 0) {
      excluded.push(excludedCall(call, call.reasons))
    } else if (separateDays && daysCounted.has(call.stored.serviceDay)) {
      excluded.push(excludedCall(call, [{
        code: "same-day",
        source: `rule: ${description}; an earlier call on ${call.stored.serviceDay} already counted`
      }]))
    } else {
      daysCounted.add(call.stored.serviceDay)
      counted.push(countedCall(call, counting))
    }
  }
  const need = neededAt(rule, place)
  const check: RuleCheck = "needed" in need
    ? { rule, description, window, counted: counted.length, needed: need.needed, met: counted.length >= need.needed }
    : { rule, description, window, counted: counted.length, met: false, inapplicable: need.inapplicable }
  return { check, description, counted, excluded }
}

const evidenceDescription = (result: RuleResult, place: Place): string => {
  const rooms = place.landUse._tag === "non-residential" ? place.landUse.rooms : undefined
  const rule = result.check.rule
  if (rule._tag === "count-in-window" || rooms === undefined || result.check.needed === undefined) return result.description
  const allotment = rule._tag === "per-room-monthly-allotment"
    ? `an allotment of ${Number(monthlyAllotment(rule.callsPerRoomPerYear, rooms).toFixed(2))}, `
    : ""
  return `${result.description}; ${plural(rooms, "room")}: ${allotment}${result.check.needed} or more calls`
}

// ---------------------------------------------------------------------------
// Evaluation of one place
// ---------------------------------------------------------------------------

const decodeSettings = Schema.decodeUnknownResult(ChronicNuisanceSettings, { errors: "all" })

const dayProblem = (asOfDay: string): InvalidChronicCallerInput | undefined =>
  typeof asOfDay === "string" && isCalendarDate(asOfDay)
    ? undefined
    : new InvalidChronicCallerInput({
      field: "asOfDay",
      reason: `asOfDay must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(asOfDay)}`,
      callKeys: []
    })

const settingsProblem = (settings: ChronicNuisanceSettings): InvalidChronicCallerInput | undefined => {
  const decoded = decodeSettings(settings)
  return Result.isFailure(decoded)
    ? new InvalidChronicCallerInput({ field: "settings", reason: decoded.failure.message, callKeys: [] })
    : undefined
}

const callsProblem = (place: Place, calls: ReadonlyArray<StoredCall>): InvalidChronicCallerInput | undefined => {
  // A call without an address is at no place, so never at this one: it never counts toward a nuisance.
  const elsewhere = calls.filter((call) => locationAddressKey(call.call.location) !== place.addressKey)
  if (elsewhere.length > 0) {
    return new InvalidChronicCallerInput({
      field: "calls",
      reason: `every call must be at the place evaluated, "${place.addressKey}"`,
      callKeys: elsewhere.map((call) => call.dedupeKey)
    })
  }
  const seen = new Set<string>()
  const repeated = calls.filter((call) => seen.has(call.dedupeKey) || !seen.add(call.dedupeKey))
  return repeated.length === 0 ? undefined : new InvalidChronicCallerInput({
    field: "calls",
    reason: "each call must be given once: a repeated call would count twice",
    callKeys: Array.from(new Set(repeated.map((call) => call.dedupeKey)))
  })
}

const ineligibility: Record<IneligibilityReason, { readonly explanation: string; readonly source: string }> = {
  "residential": {
    explanation: "a home is never designated a nuisance because of calls for police or emergency help: only non-residential places are",
    source: LAW
  },
  "unknown-land-use": {
    explanation: "the records do not show what the place is used for; an unknown land use is treated as a home until they show nobody lives there",
    source: LAW
  },
  "long-term-tenancies": {
    explanation:
      "the places registry records rooms let as homes here (long-term tenancies): a residence for those rooms, and a call records no room, so no call can be shown to come from a room nobody lives in; the place is treated as a home",
    source: "Gov. Code 53165, 53165.1 (tenancies: no penalty for any contact with law enforcement); 34 U.S.C. 12495"
  }
}

const ineligible = (place: Place, asOfDay: string): ChronicCallerIneligible => {
  const reason = callsForServiceIneligibility(place) ?? "unknown-land-use"
  return { _tag: "Ineligible", addressKey: place.addressKey, asOfDay, reason, ...ineligibility[reason] }
}

/** The rule, once inputs are known to be valid. */
const evaluateValid = (
  place: Place,
  calls: ReadonlyArray<StoredCall>,
  settings: ChronicNuisanceSettings,
  asOfDay: string
): ChronicCallerOutcome => {
  if (!mayBeDesignatedForCalls(place)) return ineligible(place, asOfDay)
  const reviewed = calls.map((call) => review(call, settings)).sort(byReceipt)
  const results = settings.rules.map((rule) => evaluateRule(rule, place, reviewed, asOfDay, settings))
  const checks = results.map((result) => result.check)
  const met = results.find((result) => result.check.met)
  const [firstCheck, ...otherChecks] = checks
  if (met !== undefined && firstCheck !== undefined) {
    return {
      _tag: "Designated",
      evidence: {
        addressKey: place.addressKey,
        place,
        asOfDay,
        rule: met.check.rule,
        ruleDescription: evidenceDescription(met, place),
        window: met.check.window,
        checks: [firstCheck, ...otherChecks],
        counted: met.counted,
        excluded: met.excluded
      }
    }
  }
  if (settings.rules.length === 0) {
    return {
      _tag: "BelowThreshold",
      addressKey: place.addressKey,
      asOfDay,
      explanation: "the settings hold no threshold: the city designates no place",
      checks: [],
      counted: [],
      excluded: []
    }
  }
  const widest = settings.rules.reduce((a, b) => ruleWindowDays(b, asOfDay) > ruleWindowDays(a, asOfDay) ? b : a)
  const window = ruleWindow(widest, asOfDay)
  const counted: Array<CountedCall> = []
  const excluded: Array<ExcludedCall> = []
  for (const call of inWindow(reviewed, window)) {
    if (call.reasons.length > 0) excluded.push(excludedCall(call, call.reasons))
    else counted.push(countedCall(call, settings))
  }
  return {
    _tag: "BelowThreshold",
    addressKey: place.addressKey,
    asOfDay,
    explanation: `no threshold met: ${
      checks.map((check) =>
        check.inapplicable === "rooms-unknown"
          ? `${check.description}: cannot be met, the place's room count is not recorded`
          : check.inapplicable === "kind-not-covered"
          ? `${check.description}: does not apply to this kind of place`
          : `${check.description}: ${check.counted} of ${check.needed}`
      ).join("; ")
    }`,
    window,
    checks,
    counted,
    excluded
  }
}

/**
 * Applies the excessive-calls ordinance to one place on `asOfDay` (a local
 * `YYYY-MM-DD` date). Pure and deterministic.
 *
 * - A home, a place of unknown land use, or one whose registry entry records
 *   long-term tenancies (a motel where people live) is `Ineligible` and its
 *   calls are not evaluated (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
 * - A call counts when it is not protected (by its flags or its categories),
 *   came by a counted channel, carries a counted category and was not
 *   cleared as unfounded, cancelled or a false alarm (the setting
 *   `uncountedDispositions`, see {@link isUncountedDisposition}); every other
 *   call in the window is listed with each reason it did not count, each
 *   protection once (a flag before a category that gives the same one).
 * - A count-in-window rule counts the calls of the `windowDays` days ending
 *   on `asOfDay`; with `separateDays`, only the first counted call of each
 *   local day (later ones are listed as `same-day`). Met at `count` or more.
 * - A per-room rate counts the calls of the 30 (month) or 365 (year) days
 *   ending on `asOfDay` and is met when they exceed `callsPerRoom` times the
 *   place's rooms (see {@link callsExceedingRate}); it applies only to the
 *   kinds it lists, and cannot be met without a room count.
 * - A monthly allotment counts the calls of the calendar month of `asOfDay`,
 *   from its first day to `asOfDay`, and is met when they exceed `rooms ×
 *   callsPerRoomPerYear / 12` (see {@link callsExceedingMonthlyAllotment});
 *   like a rate, only for the kinds it lists and a known room count.
 * - The first rule met, in the settings' order, is the evidence's rule.
 *   Calls outside every window (after `asOfDay` included) are ignored.
 *
 * Evidence lists calls oldest first, ties by call key in code point order.
 * Fails with {@link InvalidChronicCallerInput} for a malformed day, settings
 * that break their schema, a call at another address or a repeated call.
 *
 * @example
 * ```ts
 * const outcome = evaluatePlace(bar, callsAtBar, sacramento.programs.justiceForNeighbors.chronicNuisance, "2026-03-31")
 * if (Result.isSuccess(outcome) && outcome.success._tag === "Designated") openCase(outcome.success.evidence)
 * ```
 */
export const evaluatePlace = (
  place: Place,
  calls: ReadonlyArray<StoredCall>,
  settings: ChronicNuisanceSettings,
  asOfDay: string
): Result.Result<ChronicCallerOutcome, InvalidChronicCallerInput> => {
  const problem = dayProblem(asOfDay) ?? settingsProblem(settings) ?? callsProblem(place, calls)
  return problem === undefined ? Result.succeed(evaluateValid(place, calls, settings, asOfDay)) : Result.fail(problem)
}

// ---------------------------------------------------------------------------
// Re-checking evidence given to a command
// ---------------------------------------------------------------------------

/** Why evidence does not hold: the rule it breaks, in words, its source (law or setting), and the calls at fault. */
export interface EvidenceProblem {
  readonly rule: EvidenceRule
  readonly reason: string
  readonly source: string
  readonly callKeys: ReadonlyArray<string>
}

const sameKinds = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((kind) => b.includes(kind))

const sameRule = (a: ChronicNuisanceRule, b: ChronicNuisanceRule): boolean => {
  switch (a._tag) {
    case "count-in-window":
      return b._tag === a._tag && a.count === b.count && a.windowDays === b.windowDays && a.separateDays === b.separateDays
    case "per-room-rate":
      return b._tag === a._tag && a.callsPerRoom === b.callsPerRoom && a.per === b.per && sameKinds(a.appliesTo, b.appliesTo)
    case "per-room-monthly-allotment":
      return b._tag === a._tag && a.callsPerRoomPerYear === b.callsPerRoomPerYear && sameKinds(a.appliesTo, b.appliesTo)
  }
}

/**
 * Re-evaluates chronic-caller evidence against the jurisdiction's settings:
 * the first rule of {@link EvidenceRule} it breaks, or `undefined` when it
 * holds. Pure. The place's land use and address are the command's own
 * checks; this one checks what the evidence says was counted.
 */
export const recheckEvidence = (
  evidence: ChronicCallerEvidence,
  settings: ChronicNuisanceSettings
): EvidenceProblem | undefined => {
  const problem = (rule: EvidenceRule, reason: string, source: string, calls: ReadonlyArray<CountedCall> = []) => ({
    rule,
    reason,
    source,
    callKeys: calls.map((call) => call.callKey)
  })
  const rule = evidence.rule
  if (!settings.rules.some((configured) => sameRule(configured, rule))) {
    return problem(
      "rule-in-settings",
      `the evidence's threshold (${describeChronicNuisanceRule(rule)}) is not one of the jurisdiction's`,
      "settings: justiceForNeighbors.chronicNuisance.rules"
    )
  }
  const window = ruleWindow(rule, evidence.asOfDay)
  if (evidence.window.fromDay !== window.fromDay || evidence.window.toDay !== window.toDay) {
    return problem(
      "rule-window",
      `the rule looks at ${window.fromDay} to ${window.toDay} on ${evidence.asOfDay}, the evidence at ${evidence.window.fromDay} to ${evidence.window.toDay}`,
      `rule: ${describeChronicNuisanceRule(rule)}`
    )
  }
  const seen = new Set<string>()
  const repeated = evidence.counted.filter((call) => seen.has(call.callKey) || !seen.add(call.callKey))
  if (repeated.length > 0) return problem("counted-once", "a call is counted more than once", "the rule counts each call once", repeated)
  const protectedCalls = evidence.counted.filter((call) =>
    // Evidence that does not show a call's categories and flags cannot show it is unprotected: fail closed.
    call.protectedReasons === undefined || call.categories === undefined ||
    call.protectedReasons.length > 0 ||
    call.categories.some((category) => protectedCategories.includes(category)) ||
    call.countedAs.some((category) => protectedCategories.includes(category)) ||
    (call.callerNotVictim !== true && call.categories.some((category) => victimPossibleCategories.includes(category))) ||
    (call.callerNotVictim !== true && call.countedAs.some((category) => victimPossibleCategories.includes(category)))
  )
  if (protectedCalls.length > 0) {
    return problem(
      "counted-call-not-protected",
      "a counted call is protected by its flags or by a protected category it carries, or is in a category where someone may be the victim without a record that the caller was not, or the evidence does not show its categories and flags: it may never count",
      LAW,
      protectedCalls
    )
  }
  const offChannel = evidence.counted.filter((call) => !settings.countedChannels.includes(call.channel))
  if (offChannel.length > 0) {
    return problem(
      "counted-channel",
      `a counted call came by a channel the ordinance does not count`,
      `settings: countedChannels ${settings.countedChannels.join(", ")}`,
      offChannel
    )
  }
  const offCategory = evidence.counted.filter((call) =>
    call.countedAs.some((category) =>
      !settings.countedCategories.includes(category) || !(call.categories ?? []).includes(category)
    )
  )
  if (offCategory.length > 0) {
    return problem(
      "counted-category",
      `a counted call is counted as a category it does not carry or the ordinance does not count (countedCategories ${
        settings.countedCategories.join(", ")
      })`,
      `settings: countedCategories ${settings.countedCategories.join(", ")}`,
      offCategory
    )
  }
  const outside = evidence.counted.filter((call) => call.serviceDay < window.fromDay || call.serviceDay > window.toDay)
  if (outside.length > 0) {
    return problem(
      "counted-in-window",
      `a counted call is outside the rule's window ${window.fromDay} to ${window.toDay}`,
      `rule: ${describeChronicNuisanceRule(rule, window)}`,
      outside
    )
  }
  const cleared = evidence.counted.filter((call) => isUncountedDisposition(call.disposition, settings.uncountedDispositions))
  if (cleared.length > 0) {
    return problem(
      "counted-disposition",
      "a counted call was cleared as unfounded, cancelled or a false alarm",
      dispositionSource(settings),
      cleared
    )
  }
  const separateDays = rule._tag === "count-in-window" && rule.separateDays
  const count = separateDays ? new Set(evidence.counted.map((call) => call.serviceDay)).size : evidence.counted.length
  const need = neededAt(rule, evidence.place)
  if (!("needed" in need) || count < need.needed) {
    return problem(
      "threshold-met",
      "needed" in need
        ? `${plural(count, separateDays ? "day" : "counted call")} of the ${need.needed} the rule needs`
        : need.inapplicable === "rooms-unknown"
        ? "the rule needs the place's room count, which the evidence does not record"
        : "the rule does not apply to this kind of place",
      `rule: ${describeChronicNuisanceRule(rule, window)}`
    )
  }
  return undefined
}

// ---------------------------------------------------------------------------
// The scan
// ---------------------------------------------------------------------------

/** Options of {@link findChronicCallers}. */
export interface ChronicCallerScanOptions {
  /**
   * How many places one analytics request may return, 1 to 10,000 (the
   * port's maximum, the default). A full page is split into smaller windows
   * and channel groups until none is full; lower it only to test that.
   */
  readonly pageLimit?: number | undefined
}

/** One analytics request: places with at least `minCount` calls in a window, on some channels. */
interface Probe {
  readonly endDay: string
  readonly days: number
  readonly minCount: number
  readonly channels: ReadonlyArray<CallChannel>
}

/**
 * The fewest calls, counted as the analytics count them, that a place needs
 * in the rule's window before the rule can be met: a counted call is one of
 * those calls, so a place below this is no candidate. For a per-room rate,
 * or a monthly allotment, the count that exceeds it at one room, the fewest
 * any place can have.
 */
const minimumRawCount = (rule: ChronicNuisanceRule): number =>
  rule._tag === "count-in-window"
    ? rule.count
    : rule._tag === "per-room-rate"
    ? callsExceedingRate(rule.callsPerRoom, 1)
    : callsExceedingMonthlyAllotment(rule.callsPerRoomPerYear, 1)

const halves = <A>(items: ReadonlyArray<A>): readonly [ReadonlyArray<A>, ReadonlyArray<A>] => {
  const middle = Math.ceil(items.length / 2)
  return [items.slice(0, middle), items.slice(middle)]
}

/**
 * Lists the places that might meet a chronic-nuisance threshold on
 * `asOfDay`, then evaluates each non-residential one (see
 * {@link evaluatePlace}) and returns the evidence of every place designated:
 * most counted calls first, ties by address key in code point order.
 *
 * The analytics only narrow the search: for each rule, the places with at
 * least as many calls in its window, on the counted channels (and in the
 * counted category, when there is only one), as the rule could need. Every
 * call that counts is among those calls, so no candidate is missed. When a
 * request returns a full page, it is split into two halves of the window (or
 * of the channels), each asked for half the count rounded up: a place with
 * `n` calls in the whole has at least half of them in one half. Each place
 * found is then read whole from the calls-for-service store: its land use
 * from the places registry (a place missing from it has unknown land use and
 * is never designated, and its calls are not read) and its calls.
 */
export const findChronicCallers = Effect.fnUntraced(function*(
  tenantId: string,
  settings: ChronicNuisanceSettings,
  asOfDay: string,
  options?: ChronicCallerScanOptions
): Effect.fn.Return<
  ReadonlyArray<ChronicCallerEvidence>,
  InvalidChronicCallerInput | ChronicCallerScanIncomplete | InvalidStoreRequest | StorageFailure,
  CallAnalytics | CallStore
> {
  const problem = dayProblem(asOfDay) ?? settingsProblem(settings)
  if (problem !== undefined) return yield* problem
  const limit = options?.pageLimit ?? 10_000
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
    return yield* new InvalidChronicCallerInput({
      field: "pageLimit",
      reason: `pageLimit must be a whole number from 1 to 10000, got ${limit}`,
      callKeys: []
    })
  }
  if (settings.rules.length === 0) return []

  const analytics = yield* CallAnalytics
  const store = yield* CallStore
  // With one counted category every counted call carries it; with several, a
  // per-category count would miss nothing but would have to be summed.
  const category = settings.countedCategories.length === 1 ? settings.countedCategories[0] : undefined
  const addresses = new Set<string>()

  const collect = (probe: Probe): Effect.Effect<void, ChronicCallerScanIncomplete | InvalidStoreRequest | StorageFailure> =>
    Effect.gen(function*() {
      const rows = yield* analytics.repeatLocations(tenantId, {
        window: { endDay: probe.endDay, days: probe.days },
        channels: probe.channels,
        category,
        minCount: probe.minCount,
        limit
      })
      for (const row of rows) addresses.add(row.key)
      if (rows.length < limit) return
      const minCount = Math.ceil(probe.minCount / 2)
      if (probe.days > 1) {
        const newer = Math.ceil(probe.days / 2)
        yield* collect({ ...probe, days: newer, minCount })
        yield* collect({ ...probe, endDay: addDays(probe.endDay, -newer), days: probe.days - newer, minCount })
        return
      }
      if (probe.channels.length > 1) {
        for (const channels of halves(probe.channels)) yield* collect({ ...probe, channels, minCount })
        return
      }
      return yield* new ChronicCallerScanIncomplete({ ...probe, channels: [...probe.channels], limit })
    })

  const probes = new Map<string, Probe>()
  for (const rule of settings.rules) {
    const probe: Probe = {
      endDay: asOfDay,
      days: ruleWindowDays(rule, asOfDay),
      minCount: minimumRawCount(rule),
      channels: settings.countedChannels
    }
    probes.set(`${probe.days}/${probe.minCount}`, probe)
  }
  for (const probe of probes.values()) yield* collect(probe)

  const widestDays = Math.max(...settings.rules.map((rule) => ruleWindowDays(rule, asOfDay)))
  const window = { fromDay: addDays(asOfDay, 1 - widestDays), toDay: asOfDay }
  const candidates: Array<ChronicCallerEvidence> = []
  for (const addressKey of Array.from(addresses).sort(compareCodePoints)) {
    const place = yield* store.place(tenantId, addressKey)
    if (Option.isNone(place) || !mayBeDesignatedForCalls(place.value)) continue
    const calls = yield* store.callsAt(tenantId, addressKey, window)
    const outcome = evaluateValid(place.value, calls, settings, asOfDay)
    if (outcome._tag === "Designated") candidates.push(outcome.evidence)
  }
  return candidates.sort((a, b) => b.counted.length - a.counted.length || compareCodePoints(a.addressKey, b.addressKey))
})

/** Whether an outcome is a designation. */
export const isDesignated = (outcome: ChronicCallerOutcome): outcome is ChronicCallerDesignated =>
  outcome._tag === "Designated"
