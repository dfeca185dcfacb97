import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import { isNonResidential, type Place, Place as PlaceSchema } from "../../src/kernel/index.ts"
import { sampleSchema } from "../sampleSchema.ts"

const at = (landUse: Place["landUse"]): Place => ({ addressKey: "2250 68TH AVE", landUse, districts: {} })

describe("isNonResidential", () => {
  it("is true only for a place known to be non-residential", () => {
    assert.isTrue(isNonResidential(at({ _tag: "non-residential", kind: "bar" })))
    assert.isFalse(isNonResidential(at({ _tag: "residential", units: 12 })))
  })

  it("treats an unknown land use as residential (Gov. Code 53165; 34 U.S.C. 12495)", () => {
    assert.isFalse(isNonResidential(at({ _tag: "unknown" })))
  })

  it.effect("property: for any place, true exactly when its land use is non-residential", () =>
    Effect.gen(function*() {
      const places = yield* sampleSchema(PlaceSchema, 200)
      for (const place of places) {
        assert.strictEqual(isNonResidential(place), place.landUse._tag === "non-residential")
      }
      assert.isTrue(places.some((place) => place.landUse._tag === "unknown"))
    }))
})

describe("Place schema", () => {
  const decode = Schema.decodeUnknownResult(PlaceSchema)

  it("accepts a motel with its room count, parcel, coordinates and districts", () => {
    const result = decode({
      addressKey: "3555 AUBURN BLVD",
      parcelNumber: "267-0123-004-0000",
      coordinates: { latitude: 38.6297, longitude: -121.3830 },
      landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 62 },
      districts: { councilDistrict: "2", policeDistrict: "2", beat: "2B" }
    })
    assert.isTrue(Result.isSuccess(result))
  })

  it("rejects an unknown kind of business, a zero room count and a padded address key", () => {
    const base = { addressKey: "1 MAIN ST", districts: {} }
    assert.isTrue(Result.isFailure(decode({ ...base, landUse: { _tag: "non-residential", kind: "casino" } })))
    assert.isTrue(Result.isFailure(decode({ ...base, landUse: { _tag: "non-residential", kind: "bar", rooms: 0 } })))
    assert.isTrue(Result.isFailure(decode({ ...base, addressKey: "1 MAIN ST ", landUse: { _tag: "unknown" } })))
  })
})
