import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  Boundary as BoundarySchema,
  boundaryContains,
  type DistrictMap,
  districtsAt,
  type Polygon,
  sacramento,
  validateJurisdiction
} from "../../src/kernel/index.ts"

/** A rectangle from its south-west to its north-east corner, as a GeoJSON Polygon (counter-clockwise). */
const box = (west: number, south: number, east: number, north: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]]
})

// Small boxes around real places in Sacramento. The first crime report of
// January 2006 (3108 Occidental Dr, beat 3C) is at 38.5504, -121.3914.
const occidentalDrive = { latitude: 38.55042047, longitude: -121.3914158 }
const stateCapitol = { latitude: 38.5766, longitude: -121.4934 }
const sacramentoAirport = { latitude: 38.6951, longitude: -121.5908 }

const map: DistrictMap = {
  councilDistricts: [
    { id: "1", name: "North", boundary: box(-121.62, 38.62, -121.40, 38.72) },
    { id: "4", name: "Downtown", boundary: box(-121.52, 38.55, -121.46, 38.60) },
    { id: "6", name: "East", boundary: box(-121.46, 38.50, -121.36, 38.60) }
  ],
  policeDistricts: [
    {
      id: "3",
      name: "District 3",
      beats: [
        { id: "3A", name: "Beat 3A" }, // no boundary: never matches
        { id: "3C", name: "Beat 3C", boundary: box(-121.40, 38.54, -121.38, 38.56) }
      ]
    },
    {
      id: "4",
      name: "District 4",
      boundary: box(-121.52, 38.55, -121.46, 38.60),
      beats: [{ id: "4A", name: "Beat 4A" }]
    }
  ],
  neighborhoods: [
    {
      id: "downtown",
      name: "Downtown",
      // A ring with a hole around the Capitol grounds.
      boundary: {
        type: "Polygon",
        coordinates: [
          [[-121.51, 38.57], [-121.48, 38.57], [-121.48, 38.59], [-121.51, 38.59], [-121.51, 38.57]],
          [[-121.495, 38.575], [-121.495, 38.578], [-121.492, 38.578], [-121.492, 38.575], [-121.495, 38.575]]
        ]
      }
    },
    {
      id: "college-glen",
      name: "College-Glen",
      boundary: {
        type: "MultiPolygon",
        coordinates: [box(-121.50, 38.40, -121.49, 38.41).coordinates, box(-121.395, 38.545, -121.385, 38.555).coordinates]
      }
    }
  ]
}

describe("districtsAt", () => {
  it("given a point in a beat, returns the beat, its police district, the council district and the neighborhood", () => {
    assert.deepStrictEqual(districtsAt(map, occidentalDrive), {
      councilDistrict: "6",
      policeDistrict: "3",
      beat: "3C",
      neighborhood: "college-glen" // in the second polygon of a MultiPolygon
    })
  })

  it("given a point only a police district boundary contains, returns the district without a beat", () => {
    assert.deepStrictEqual(districtsAt(map, { latitude: 38.5580, longitude: -121.5000 }), {
      councilDistrict: "4",
      policeDistrict: "4"
    })
  })

  it("does not place a point that lies in a polygon's hole", () => {
    assert.deepStrictEqual(districtsAt(map, stateCapitol), { councilDistrict: "4", policeDistrict: "4" })
    assert.strictEqual(districtsAt(map, { latitude: 38.5800, longitude: -121.5000 }).neighborhood, "downtown")
  })

  it("returns no district for a point outside every boundary", () => {
    assert.deepStrictEqual(districtsAt(map, { latitude: 37.7749, longitude: -122.4194 }), {})
  })

  it("on a shared edge, the first area in configuration order wins", () => {
    // Longitude -121.46 is the edge between council districts 4 and 6.
    assert.strictEqual(districtsAt(map, { latitude: 38.57, longitude: -121.46 }).councilDistrict, "4")
  })

  it("never matches areas without boundaries (the Sacramento preset has none)", () => {
    for (const point of [occidentalDrive, stateCapitol, sacramentoAirport]) {
      assert.deepStrictEqual(districtsAt(sacramento, point), {})
    }
    assert.strictEqual(districtsAt(map, sacramentoAirport).councilDistrict, "1")
  })

  it("a configuration with these boundaries passes validation", () => {
    const result = validateJurisdiction({ ...sacramento, ...map })
    assert.isTrue(Result.isSuccess(result), Result.isFailure(result) ? result.failure.message : "")
  })
})

describe("boundaryContains", () => {
  it("counts a point on the edge as inside", () => {
    assert.isTrue(boundaryContains(box(0, 0, 1, 1), { latitude: 0.5, longitude: 1 }))
  })

  it("reads GeoJSON positions as [longitude, latitude]", () => {
    const tall = box(10, 40, 11, 50) // 1° wide, 10° tall
    assert.isTrue(boundaryContains(tall, { latitude: 45, longitude: 10.5 }))
    assert.isFalse(boundaryContains(tall, { latitude: 10.5, longitude: 45 }))
  })

  it("property: a box around a point contains it, and the same box moved away does not", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: 0.0001, max: 5, noNaN: true }),
        (latitude, longitude, half) => {
          const around = box(longitude - half, latitude - half, longitude + half, latitude + half)
          const away = box(longitude + 2 * half, latitude - half, longitude + 4 * half, latitude + half)
          return boundaryContains(around, { latitude, longitude }) && !boundaryContains(away, { latitude, longitude })
        }
      )
    )
  })
})

describe("Boundary schema", () => {
  const decode = Schema.decodeUnknownResult(BoundarySchema)

  it("accepts GeoJSON Polygon and MultiPolygon geometries", () => {
    assert.isTrue(Result.isSuccess(decode(box(0, 0, 1, 1))))
    assert.isTrue(Result.isSuccess(decode(map.neighborhoods[1]?.boundary)))
  })

  it("rejects a ring that does not close, and a latitude beyond the pole", () => {
    assert.isTrue(Result.isFailure(decode({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] })))
    assert.isTrue(Result.isFailure(decode({ type: "Polygon", coordinates: [[[0, 0], [1, 95], [1, 1], [0, 0]]] })))
    assert.isTrue(Result.isFailure(decode({ type: "Point", coordinates: [0, 0] })))
  })
})
