/**
 * Fixtures of the case board tests: the motel's excessive-calls case with
 * evidence written out as the analytics produces it, under the Sacramento
 * preset's rules (the decider re-checks evidence).
 */
import { DateTime } from "effect"
import type { ChronicCallerEvidence, NuisanceCaseCommand } from "@community-policing/core/justice-for-neighbors"
import { excessiveCallsStoryline, motelAddress, type Step } from "./NuisanceCaseFixtures.ts"

const rule = { _tag: "count-in-window", count: 3, windowDays: 30, separateDays: true } as const
const window = { fromDay: "2026-01-30", toDay: "2026-02-28" }
const ruleDescription = "3 or more counted calls on separate days within the 30 days 2026-01-30 to 2026-02-28"

/** The finding that opened the motel's case: four disorder calls counted, one call by a victim kept out. */
export const motelEvidence: ChronicCallerEvidence = {
  addressKey: motelAddress,
  place: {
    addressKey: motelAddress,
    landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 40 },
    districts: { councilDistrict: "3" }
  },
  asOfDay: "2026-02-28",
  rule,
  ruleDescription,
  window,
  checks: [{ rule, description: ruleDescription, window, counted: 4, needed: 3, met: true }],
  counted: ["02-03", "02-11", "02-19", "02-26"].map((day, i) => ({
    callKey: `SAC-CALL-2026-00${41 + i}`,
    receivedAt: DateTime.makeUnsafe(`2026-${day}T07:15:00Z`),
    serviceDay: `2026-${day}`,
    channel: "911" as const,
    callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
    countedAs: ["disorder" as const],
    categories: ["disorder" as const],
    protectedReasons: [],
    callerNotVictim: true
  })),
  excluded: [{
    callKey: "SAC-CALL-2026-0099",
    receivedAt: DateTime.makeUnsafe("2026-02-14T09:30:00Z"),
    serviceDay: "2026-02-14",
    reasons: [{ code: "protected", protectedReason: "caller-is-victim", source: "Gov. Code 53165" }]
  }]
}

/** The shared excessive-calls storyline with {@link motelEvidence} as its finding. */
export const motelStoryline = (id: string): ReadonlyArray<Step> =>
  excessiveCallsStoryline(id).map((step): Step => {
    const command: NuisanceCaseCommand = step.command._tag === "OpenCase"
      ? { ...step.command, source: { _tag: "AnalyticsFinding", evidence: motelEvidence } }
      : step.command
    return { ...step, command }
  })
