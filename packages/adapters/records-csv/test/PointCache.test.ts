/**
 * The import's cache of projected points (issue 12) against proj4 itself:
 * on an export whose X/Y repeat (one geocoded point per address) and on one
 * whose points never repeat (the cache turns itself off), every row reads
 * the same point, or the same reason, as converting it alone.
 */
import { makeProjection, readDecimal } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { cachedPoints, makePointReader } from "../src/internal/Columns.ts"

const positions = new Map([["X", 0], ["Y", 1]])
const stateplane = Result.getOrThrow(makeProjection("EPSG:2226", undefined))

// Converting one row alone, as the import did before the cache.
const direct = (x: string, y: string) => {
  const point = stateplane.toWgs84(readDecimal(x) ?? Number.NaN, readDecimal(y) ?? Number.NaN)
  return Result.isSuccess(point) ? point.success : `coordinates: ${point.failure}`
}

const read = () => Result.getOrThrow(makePointReader({ crs: "EPSG:2226", x: "X", y: "Y" }, positions))

// Sacramento in California State Plane zone 2, US feet, as Sacramento's CAD export writes X/Y.
const feet = fc.tuple(fc.integer({ min: 6_600_000, max: 6_800_000 }), fc.integer({ min: 1_900_000, max: 2_050_000 }))

describe("projected points, cached", () => {
  it("read the same point as proj4 alone, with points repeated as addresses repeat them", () => {
    fc.assert(
      fc.property(fc.array(feet, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { minLength: 1, maxLength: 300 }), (places, picks) => {
        const reader = read()
        for (const pick of picks) {
          const [x, y] = places[pick % places.length]!
          const row = [`${(x / 100).toFixed(2)}`, ` ${(y / 100).toFixed(2)} `]
          const expected = direct(row[0]!.trim(), row[1]!.trim())
          const got = reader(row)
          assert.deepStrictEqual(got, expected)
        }
      })
    )
  })

  it("keeps the reasons: a cell that is not a number is refused every time it comes", () => {
    const reader = read()
    for (let time = 0; time < 3; time++) {
      assert.strictEqual(reader(["66X", "1990000"]), `coordinates: X "66X" is not a number`)
      assert.strictEqual(reader(["6600000", "19e"]), `coordinates: Y "19e" is not a number`)
    }
  })

  it("stops caching an export whose points do not repeat, and still converts each row", () => {
    let conversions = 0
    const convert = (a: string, b: string) => {
      conversions += 1
      return `${a}|${b}`
    }
    const settings = { limit: 1_000, probe: 100, minHitRate: 0.25 }
    const distinct = cachedPoints(convert, settings)
    for (let row = 0; row < 300; row++) assert.strictEqual(distinct(String(row), "y"), `${row}|y`)
    // After the probe the same point converts again: the cache is off.
    const before = conversions
    distinct("5", "y")
    distinct("5", "y")
    assert.strictEqual(conversions, before + 2)

    conversions = 0
    const repeated = cachedPoints(convert, settings)
    for (let row = 0; row < 300; row++) assert.strictEqual(repeated(String(row % 10), "y"), `${row % 10}|y`)
    assert.strictEqual(conversions, 10)
  })

  it("stays within its limit: a full cache is emptied and refilled", () => {
    let conversions = 0
    const limited = cachedPoints((a: string, b: string) => {
      conversions += 1
      return a + b
    }, { limit: 4, probe: 1_000_000, minHitRate: 0 })
    for (let round = 0; round < 3; round++) for (let point = 0; point < 4; point++) limited(String(point), "")
    assert.strictEqual(conversions, 4)
    limited("new", "")
    limited("0", "")
    assert.strictEqual(conversions, 6)
  })
})
