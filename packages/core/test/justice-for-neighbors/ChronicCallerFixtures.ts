/**
 * Builders for the chronic-caller tests: places of each land use, stored
 * calls from a few fields, and settings from the rule presets.
 */
import { DateTime } from "effect"
import type {
  CallCategory,
  CallChannel,
  ChronicNuisanceRule,
  ChronicNuisanceSettings,
  NonResidentialKind,
  Place,
  StoredCall
} from "../../src/index.ts"

/** The day the examples scan on. */
export const asOfDay = "2026-03-31"

/** The service day `days` days after `day` (before it when negative). */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** A day `days` days before {@link asOfDay}. */
export const daysBefore = (days: number): string => addDays(asOfDay, -days)

export const business = (addressKey: string, kind: NonResidentialKind, rooms?: number): Place => ({
  addressKey,
  landUse: rooms === undefined ? { _tag: "non-residential", kind } : { _tag: "non-residential", kind, rooms },
  districts: { councilDistrict: "3", policeDistrict: "3", beat: "3C" }
})

export const home = (addressKey: string): Place => ({
  addressKey,
  landUse: { _tag: "residential", units: 24 },
  districts: { councilDistrict: "3" }
})

export const unknownUse = (addressKey: string): Place => ({
  addressKey,
  landUse: { _tag: "unknown" },
  districts: { councilDistrict: "3" }
})

/** What a call is built from; everything but the key, address and day has a default. */
export interface CallSpec {
  readonly key: string
  readonly address: string
  /** The service day, `YYYY-MM-DD`. */
  readonly day: string
  /** Local time `HH:MM`, Pacific standard time (UTC-8); default `12:00`. */
  readonly time?: string | undefined
  /** Default `911`. */
  readonly channel?: CallChannel | undefined
  /** Default `["disorder"]`. */
  readonly categories?: ReadonlyArray<CallCategory> | undefined
  readonly domesticViolenceOrVictimization?: boolean | undefined
  readonly medical?: boolean | undefined
  readonly fireOrEms?: boolean | undefined
  readonly callerIsVictim?: boolean | undefined
  /**
   * Whether the record shows the caller was neither the victim nor calling
   * for one. Default `true`, so that tests of other rules can count
   * disorder calls; `undefined` stands for an export that cannot say.
   */
  readonly callerNotVictim?: boolean | undefined
  /** How the call was cleared; none recorded by default. */
  readonly disposition?: string | undefined
}

export const call = (spec: CallSpec): StoredCall => ({
  call: {
    sourceRecordId: spec.key,
    receivedAt: DateTime.makeUnsafe(Date.parse(`${spec.day}T${spec.time ?? "12:00"}:00.000-08:00`)),
    channel: spec.channel ?? "911",
    callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
    location: { addressKey: spec.address },
    domesticViolenceOrVictimization: spec.domesticViolenceOrVictimization ?? false,
    medical: spec.medical ?? false,
    fireOrEms: spec.fireOrEms ?? false,
    callerIsVictim: spec.callerIsVictim ?? false,
    ...(spec.disposition === undefined ? {} : { disposition: spec.disposition }),
    ...("callerNotVictim" in spec && spec.callerNotVictim === undefined ? {} : { callerNotVictim: spec.callerNotVictim ?? true })
  },
  dedupeKey: spec.key,
  serviceDay: spec.day,
  categories: (spec.categories ?? ["disorder"]).map((category, index) => ({
    category,
    table: "test-codes",
    tableVersion: "2026-01",
    rule: `${category}-${index}`
  })),
  source: "test-cad"
})

/** Settings with these rules, counting 911 and non-emergency calls about disorder and nuisance. */
export const settingsWith = (rules: ReadonlyArray<ChronicNuisanceRule>): ChronicNuisanceSettings => ({
  rules,
  countedChannels: ["911", "non-emergency"],
  countedCategories: ["disorder", "nuisance"]
})
