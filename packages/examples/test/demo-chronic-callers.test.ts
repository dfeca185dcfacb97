/**
 * The demo's chronic-caller evidence as the district team reads it: built by
 * core's rule (`evaluatePlace`) from a handful of calls at a bar, with the
 * Sacramento preset's settings, then printed by the demo's `evidenceLines`.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import { type CallCategory, type CallChannel, type Place, sacramento, type StoredCall } from "@community-policing/core"
import { type ChronicCallerEvidence, evaluatePlace } from "@community-policing/core/justice-for-neighbors"
import { evidenceLines } from "../src/demo/ChronicCallersStep.ts"

const address = "1200 J ST"
const bar: Place = {
  addressKey: address,
  landUse: { _tag: "non-residential", kind: "bar" },
  districts: { councilDistrict: "4" }
}

interface Spec {
  readonly key: string
  readonly day: string
  readonly time?: string
  readonly channel?: CallChannel
  readonly categories?: ReadonlyArray<CallCategory>
  readonly medical?: boolean
  readonly domesticViolenceOrVictimization?: boolean
}

const call = (spec: Spec): StoredCall => ({
  call: {
    sourceRecordId: spec.key,
    receivedAt: DateTime.makeUnsafe(Date.parse(`${spec.day}T${spec.time ?? "12:00"}:00.000-08:00`)),
    channel: spec.channel ?? "911",
    callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
    location: { addressKey: address },
    domesticViolenceOrVictimization: spec.domesticViolenceOrVictimization ?? false,
    medical: spec.medical ?? false,
    fireOrEms: false,
    callerIsVictim: false,
    // A disorder call may have a victim (a fight): it counts only when the
    // record shows the caller was not one (Gov. Code 53165), as here.
    callerNotVictim: true
  },
  dedupeKey: spec.key,
  serviceDay: spec.day,
  categories: (spec.categories ?? ["disorder"]).map((category, index) => ({
    category,
    table: "sacramento-cad",
    tableVersion: "test",
    rule: `${category}-${index}`
  })),
  source: "test"
})

// Three counted calls on separate days, and four kept out: two protected
// (each also failing the ordinance's category, one its channel too), one
// officer-initiated call in no category, and a second disorder call on a counted day.
const calls = [
  call({ key: "counted-1", day: "2025-12-05" }),
  call({ key: "counted-2", day: "2025-12-12" }),
  call({ key: "counted-3", day: "2025-12-20" }),
  call({ key: "same-day", day: "2025-12-20", time: "23:00" }),
  call({ key: "medical", day: "2025-12-08", medical: true, categories: ["medical"] }),
  call({
    key: "dv",
    day: "2025-12-15",
    channel: "officer-initiated",
    domesticViolenceOrVictimization: true,
    categories: ["domestic-violence", "victimization"]
  }),
  call({ key: "officer", day: "2025-12-18", channel: "officer-initiated", categories: [] })
]

const evidence = (): ChronicCallerEvidence => {
  const outcome = evaluatePlace(bar, calls, sacramento.programs.justiceForNeighbors.chronicNuisance, "2025-12-31")
  if (Result.isFailure(outcome) || outcome.success._tag !== "Designated") return assert.fail("expected the bar to be designated")
  return outcome.success.evidence
}

describe("the demo's chronic-caller evidence", () => {
  it("counts each kept-out call once, under its first reason, so the numbers add up to the calls kept out", () => {
    const lines = evidenceLines(evidence(), sacramento)
    const keptOut = lines.find((line) => line.startsWith("calls kept out:"))
    assert.strictEqual(
      keptOut,
      "calls kept out: 4 (each call once, under its first reason, the law's protection first: protected 2, channel-not-counted 1, same-day 1)"
    )
    const total = Number(/^calls kept out: (\d+)/.exec(keptOut!)?.[1])
    const parts = [...keptOut!.matchAll(/ (\d+)(?=,|\))/g)].map((match) => Number(match[1]))
    assert.strictEqual(parts.reduce((sum, count) => sum + count, 0), total)
  })

  it("lists each protected call's reason once, with its law", () => {
    const lines = evidenceLines(evidence(), sacramento)
    const protectedLines = lines.filter((line) => /^ {2}2025-12-\d\d: /.test(line))
    assert.deepStrictEqual(protectedLines.map((line) => line.slice(0, 14)), ["  2025-12-08: ", "  2025-12-15: "])
    for (const line of protectedLines) {
      const reasons = [...line.matchAll(/(domestic-violence-or-victimization|medical-emergency|fire-or-ems|caller-is-victim) \[/g)]
        .map((match) => match[1])
      assert.strictEqual(reasons.length, 1, line)
      assert.include(line, "Gov. Code 53165")
    }
  })
})
