/**
 * Step 2 of the demo: the excessive-calls (chronic nuisance) scan over the
 * imported year, and the evidence for one candidate: the calls that
 * counted, and every call kept out with its reason, the protected ones
 * with the law that protects them (Gov. Code 53165, 53165.1; 34 U.S.C.
 * 12495). The candidates and the evidence are for the district team's
 * eyes, labelled internal, not for public release: the evidence is printed
 * to the operator's terminal, never put in the report page.
 *
 * @module
 */
import { Effect } from "effect"
import { type Jurisdiction } from "@community-policing/core"
import {
  type ChronicCallerEvidence,
  type ExcludedCall,
  type ExclusionCode,
  findChronicCallers
} from "@community-policing/core/justice-for-neighbors"
import { councilDistrictName } from "./DemoJurisdiction.ts"
import type { ProgressOutput } from "./ProgressBar.ts"

/** What the scan found. */
export interface ChronicCallerFindings {
  /** Every place designated, most counted calls first. */
  readonly candidates: ReadonlyArray<ChronicCallerEvidence>
  /** The candidate whose evidence the step printed, if any was found. */
  readonly shown: ChronicCallerEvidence | undefined
  /** How long the scan took, in milliseconds. */
  readonly scanMillis: number
}

/** A place's land use in a few words, e.g. `motel-hotel, 101 rooms`. */
export const describeLandUse = (evidence: ChronicCallerEvidence): string => {
  const use = evidence.place.landUse
  if (use._tag !== "non-residential") return use._tag
  return use.rooms === undefined ? use.kind : `${use.kind}, ${use.rooms} rooms`
}

/** The order the evidence gives a call's reasons in: the law's protection, then the ordinance's channel and category, then the rule's own day count. */
const exclusionOrder: ReadonlyArray<ExclusionCode> = ["protected", "channel-not-counted", "category-not-counted", "same-day"]

const protectedReasons = (call: ExcludedCall) => call.reasons.filter((reason) => reason.code === "protected")

/**
 * The candidate whose evidence is shown: the first, most counted, that has
 * a protected call kept out, so the demo shows the law at work; otherwise
 * the first.
 */
export const candidateToShow = (candidates: ReadonlyArray<ChronicCallerEvidence>): ChronicCallerEvidence | undefined =>
  candidates.find((evidence) => evidence.excluded.some((call) => protectedReasons(call).length > 0)) ?? candidates[0]

const listed = <A>(items: ReadonlyArray<A>, limit: number, line: (item: A) => string): ReadonlyArray<string> => [
  ...items.slice(0, limit).map(line),
  ...(items.length > limit ? [`... and ${items.length - limit} more`] : [])
]

/** The evidence of one candidate as lines of text for a staff member. */
export const evidenceLines = (evidence: ChronicCallerEvidence, jurisdiction: Jurisdiction): ReadonlyArray<string> => {
  // A call often fails for several reasons (a medical call is protected and
  // in no counted category); each is counted once, under its first reason,
  // so the counts add up to the calls kept out. The evidence lists the law's
  // protections first, then the ordinance's channel and category.
  const byFirstReason = new Map<ExclusionCode, number>()
  for (const call of evidence.excluded) byFirstReason.set(call.reasons[0].code, (byFirstReason.get(call.reasons[0].code) ?? 0) + 1)
  const perReason = exclusionOrder.flatMap((code) => {
    const count = byFirstReason.get(code)
    return count === undefined ? [] : [`${code} ${count}`]
  })
  const protectedCalls = evidence.excluded.filter((call) => protectedReasons(call).length > 0)
  return [
    `${evidence.addressKey} (${describeLandUse(evidence)}, ${councilDistrictName(jurisdiction, evidence.place.districts.councilDistrict)})`,
    `threshold met: ${evidence.ruleDescription}`,
    ...evidence.checks.map((check) =>
      `  rule: ${check.description}: ${check.counted} counted${check.needed === undefined ? "" : ` of ${check.needed} needed`}${
        check.met ? " (met)" : check.inapplicable === undefined ? "" : ` (${check.inapplicable})`
      }`
    ),
    `counted calls: ${evidence.counted.length}`,
    ...listed(evidence.counted, 5, (call) =>
      `  ${call.serviceDay} ${call.channel} ${call.callType.description} (counted as ${call.countedAs.join(", ")})`),
    `calls kept out: ${evidence.excluded.length}${
      perReason.length === 0 ? "" : ` (each call once, under its first reason, the law's protection first: ${perReason.join(", ")})`
    }`,
    `protected calls kept out, which the law forbids counting: ${protectedCalls.length}`,
    ...listed(protectedCalls, 6, (call) =>
      `  ${call.serviceDay}: ${
        protectedReasons(call).map((reason) => `${reason.protectedReason ?? "protected"} [${reason.source}]`).join("; ")
      }`)
  ]
}

/**
 * Runs the scan on `asOfDay` (the last day of the imported year) with the
 * jurisdiction's chronic nuisance settings, prints the candidates and the
 * evidence of one of them.
 */
export const findCandidates = (options: {
  readonly tenantId: string
  readonly jurisdiction: Jurisdiction
  readonly asOfDay: string
  readonly output: ProgressOutput
}) =>
  Effect.gen(function*() {
    const { output } = options
    const started = Date.now()
    output.write("scanning the places with repeated calls ...\n")
    const candidates = yield* findChronicCallers(
      options.tenantId,
      options.jurisdiction.programs.justiceForNeighbors.chronicNuisance,
      options.asOfDay
    )
    const scanMillis = Date.now() - started
    output.write(
      `${candidates.length} non-residential places met a threshold on ${options.asOfDay} (scan ${(scanMillis / 1000).toFixed(1)} s); ` +
        "homes and places of unknown land use are never designated (Gov. Code 53165, 53165.1; 34 U.S.C. 12495)\n"
    )
    if (candidates.length > 0) output.write("The candidates (internal, not for public release: addresses and call counts for the district teams):\n")
    for (const line of listed(candidates, 10, (evidence) =>
      `  ${evidence.addressKey.padEnd(24)} ${describeLandUse(evidence).padEnd(22)} ${
        councilDistrictName(options.jurisdiction, evidence.place.districts.councilDistrict)
      }  ${evidence.counted.length} counted, ${evidence.excluded.length} kept out`)) output.write(`${line}\n`)
    const shown = candidateToShow(candidates)
    if (shown !== undefined) {
      output.write(
        "\nThe evidence for one candidate (internal, not for public release: for the district team only; the calls kept out are confidential):\n"
      )
      for (const line of evidenceLines(shown, options.jurisdiction)) output.write(`  ${line}\n`)
    }
    return { candidates, shown, scanMillis } satisfies ChronicCallerFindings
  })

