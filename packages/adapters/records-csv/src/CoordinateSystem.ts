/**
 * Coordinates as exports write them, converted to the WGS84 latitude and
 * longitude the kernel stores: decimal degrees as they are, or projected
 * X/Y (e.g. Sacramento's California State Plane zone 2, US survey feet)
 * through proj4.
 *
 * @module
 */
import type { Coordinates } from "@community-policing/core"
import proj4, { type Converter } from "proj4"
import { Result } from "effect"

/**
 * The proj4 definition of EPSG:2226, NAD83 / California zone 2 (US survey
 * feet): the X/Y of Sacramento's CAD exports.
 */
export const californiaZone2Feet =
  "+proj=lcc +lat_1=39.83333333333334 +lat_2=38.33333333333334 +lat_0=37.66666666666666 +lon_0=-122 " +
  "+x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs"

/** Projected systems known without a definition in the mapping. */
export const builtInProjections: Readonly<Record<string, string>> = {
  "EPSG:2226": californiaZone2Feet
}

/** Converts one projected X/Y to WGS84, or says why it cannot. */
export interface Projection {
  readonly crs: string
  readonly toWgs84: (x: number, y: number) => Result.Result<Coordinates, string>
  /** The other way, for generators and tests: WGS84 to this system's X/Y. */
  readonly fromWgs84: (coordinates: Coordinates) => Result.Result<readonly [x: number, y: number], string>
}

const inRange = (coordinates: Coordinates): boolean =>
  Number.isFinite(coordinates.latitude) && Number.isFinite(coordinates.longitude) &&
  Math.abs(coordinates.latitude) <= 90 && Math.abs(coordinates.longitude) <= 180

/**
 * A projection from a proj4 definition (`+proj=lcc ...`) or a built-in EPSG
 * code, or the reason it cannot be built (an unknown code with no
 * definition, a definition proj4 rejects).
 */
export const makeProjection = (crs: string, definition?: string): Result.Result<Projection, string> => {
  const text = definition ?? builtInProjections[crs]
  if (text === undefined) {
    return Result.fail(`${crs} is not built in (${Object.keys(builtInProjections).join(", ")}): give its proj4 definition`)
  }
  let converter: Converter
  try {
    converter = proj4(text, "EPSG:4326")
  } catch (error) {
    return Result.fail(`proj4 rejects the definition of ${crs}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return Result.succeed({
    crs,
    toWgs84: (x, y) => {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return Result.fail(`X/Y ${x}, ${y} are not numbers`)
      let lonLat: Array<number>
      try {
        lonLat = converter.forward([x, y])
      } catch (error) {
        return Result.fail(`X/Y ${x}, ${y} cannot be projected: ${error instanceof Error ? error.message : String(error)}`)
      }
      const coordinates = { latitude: lonLat[1] ?? Number.NaN, longitude: lonLat[0] ?? Number.NaN }
      return inRange(coordinates)
        ? Result.succeed(coordinates)
        : Result.fail(`X/Y ${x}, ${y} in ${crs} do not fall on the globe`)
    },
    fromWgs84: (coordinates) => {
      if (!inRange(coordinates)) return Result.fail(`${coordinates.latitude}, ${coordinates.longitude} is not a WGS84 point`)
      try {
        const xy = converter.inverse([coordinates.longitude, coordinates.latitude])
        const x = xy[0]
        const y = xy[1]
        return x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)
          ? Result.succeed([x, y] as const)
          : Result.fail(`${coordinates.latitude}, ${coordinates.longitude} has no X/Y in ${crs}`)
      } catch (error) {
        return Result.fail(`${coordinates.latitude}, ${coordinates.longitude} cannot be projected: ${String(error)}`)
      }
    }
  })
}

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** Reads a decimal number as exports write it (`-121.4587997`, `6706196.5`), or `undefined`. */
export const readDecimal = (text: string): number | undefined => (decimal.test(text) ? Number(text) : undefined)

/** Checks WGS84 degrees read from latitude and longitude columns. */
export const checkWgs84 = (latitude: number, longitude: number): Result.Result<Coordinates, string> =>
  Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180
    ? Result.succeed({ latitude, longitude })
    : Result.fail(`latitude ${latitude}, longitude ${longitude} are outside -90..90, -180..180`)
