/**
 * Boundaries: where a place is on the map (a WGS84 coordinate) and the shape
 * of an area (a GeoJSON polygon), and whether the one lies in the other.
 *
 * @module
 */
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon"
import { Schema, SchemaTransformation } from "effect"

/** A latitude in decimal degrees (WGS84), from -90 to 90. */
export const Latitude = Schema.Finite.check(Schema.isBetween({ minimum: -90, maximum: 90 }))

/** A longitude in decimal degrees (WGS84), from -180 to 180. */
export const Longitude = Schema.Finite.check(Schema.isBetween({ minimum: -180, maximum: 180 }))

/**
 * A point on the map in WGS84 decimal degrees, as GPS and most open-data
 * portals give it. Records in a state plane projection (e.g. Sacramento's
 * X/Y in California zone 2 feet) must be reprojected by the importer.
 */
export const Coordinates = Schema.Struct({
  latitude: Latitude,
  longitude: Longitude
})

/** A point on the map; see {@link Coordinates}. */
export type Coordinates = typeof Coordinates.Type

/**
 * A GeoJSON position: `[longitude, latitude]`, in that order (RFC 7946
 * 3.1.1). Altitude is not used by any boundary and is not accepted.
 */
export const Position = Schema.Tuple([Longitude, Latitude])

/** A GeoJSON position; see {@link Position}. */
export type Position = typeof Position.Type

/** The positions of a polygon's ring; see {@link LinearRing}. */
export type LinearRing = ReadonlyArray<Position>

const Positions = Schema.Array(Position)
const isPositions = Schema.is(Positions)

const isClosed = (ring: LinearRing): boolean => {
  const first = ring[0]
  const last = ring[ring.length - 1]
  return ring.length >= 4 && first !== undefined && last !== undefined && first[0] === last[0] &&
    first[1] === last[1]
}

// A declaration rather than a filter so that generated test data (Schema's
// arbitraries) can build closed rings by closing open ones; a filter would
// reject nearly every random ring.
const ClosedRing = Schema.declare((input: unknown): input is LinearRing => isPositions(input) && isClosed(input), {
  expected: "a closed ring: the last position equal to the first",
  toCodecArbitrary: () =>
    Schema.link<LinearRing>()(
      Positions.check(Schema.isMinLength(3)),
      SchemaTransformation.transform<LinearRing, LinearRing>({
        decode: (open) => open[0] === undefined ? open : [...open, open[0]],
        encode: (ring) => ring.slice(0, -1)
      })
    )
})

/**
 * A closed ring of a polygon: at least four positions, the last equal to the
 * first (RFC 7946 3.1.6).
 */
export const LinearRing = Positions.check(Schema.isMinLength(4)).pipe(Schema.decodeTo(ClosedRing))

/** A GeoJSON Polygon: an outer ring, then any holes (RFC 7946 3.1.6). */
export const Polygon = Schema.Struct({
  type: Schema.Literal("Polygon"),
  coordinates: Schema.NonEmptyArray(LinearRing)
})

/** A GeoJSON Polygon; see {@link Polygon}. */
export type Polygon = typeof Polygon.Type

/** A GeoJSON MultiPolygon: an area made of several polygons (RFC 7946 3.1.7). */
export const MultiPolygon = Schema.Struct({
  type: Schema.Literal("MultiPolygon"),
  coordinates: Schema.NonEmptyArray(Schema.NonEmptyArray(LinearRing))
})

/** A GeoJSON MultiPolygon; see {@link MultiPolygon}. */
export type MultiPolygon = typeof MultiPolygon.Type

/**
 * The boundary of an area (a council district, a police beat, a
 * neighborhood): a GeoJSON Polygon or MultiPolygon geometry in WGS84, as city
 * GIS portals publish them.
 */
export const Boundary = Schema.Union([Polygon, MultiPolygon])

/** The boundary of an area; see {@link Boundary}. */
export type Boundary = typeof Boundary.Type

// turf's GeoJSON types are mutable arrays; our values are readonly, so hand
// turf a fresh copy rather than pretend the types agree.
const copyRings = (rings: ReadonlyArray<LinearRing>): Array<Array<Array<number>>> =>
  rings.map((ring) => ring.map(([longitude, latitude]) => [longitude, latitude]))

/**
 * Whether a point lies inside a boundary. A point exactly on the edge counts
 * as inside; a point in a polygon's hole does not.
 */
export const boundaryContains = (boundary: Boundary, point: Coordinates): boolean => {
  const at = [point.longitude, point.latitude]
  return boundary.type === "Polygon"
    ? booleanPointInPolygon(at, { type: "Polygon", coordinates: copyRings(boundary.coordinates) })
    : booleanPointInPolygon(at, { type: "MultiPolygon", coordinates: boundary.coordinates.map(copyRings) })
}
