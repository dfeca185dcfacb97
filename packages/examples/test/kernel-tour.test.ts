import { assert, describe, it } from "@effect/vitest"
import { tour } from "../src/kernel-tour.ts"

describe("kernel tour example", () => {
  const lines = tour(() => {})

  it("validates the preset and lists a broken configuration's problems", () => {
    assert.match(lines[0]!, /^City of Sacramento: 8 council districts, 6 police districts/)
    assert.isTrue(lines.some((line) => /refused with [3-9] problems/.test(line)))
    assert.isTrue(lines.some((line) => line.includes("timeZone")))
  })

  it("posts the agenda 72 hours before the meeting", () => {
    assert.isTrue(lines.some((line) => line.includes("posted by 2026-11-30T18:00:00.000-08:00")))
  })

  it("never lets the protected call count, and hides its location from the public", () => {
    assert.isTrue(lines.some((line) => line.includes("domestic-violence-or-victimization")))
    const publicView = lines.find((line) => line.startsWith("public view"))!
    assert.notInclude(publicView, "68TH AVE")
    assert.notInclude(publicView, "callerIsVictim")
  })
})
