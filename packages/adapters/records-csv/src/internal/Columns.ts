/**
 * Reading mapped columns from a record: finding them in the header once,
 * then trimmed values and coordinates per row.
 *
 * @internal
 */
import type { Coordinates } from "@community-policing/core"
import { Result } from "effect"
import { checkWgs84, makeProjection, readDecimal } from "../CoordinateSystem.ts"
import type { CoordinateColumns } from "../CsvMapping.ts"

/** Where each mapped column sits in the header, or which columns are missing or repeated. */
export const resolveColumns = (
  header: ReadonlyArray<string>,
  wanted: ReadonlyArray<string>
): Result.Result<ReadonlyMap<string, number>, { readonly missing: ReadonlyArray<string>; readonly repeated: ReadonlyArray<string> }> => {
  const names = header.map((name) => name.trim())
  const positions = new Map<string, number>()
  const missing: Array<string> = []
  const repeated: Array<string> = []
  for (const column of new Set(wanted)) {
    const index = names.indexOf(column)
    if (index === -1) missing.push(column)
    else if (names.indexOf(column, index + 1) !== -1) repeated.push(column)
    else positions.set(column, index)
  }
  return missing.length === 0 && repeated.length === 0 ? Result.succeed(positions) : Result.fail({ missing, repeated })
}

/** A trimmed cell, `undefined` when blank. */
export const cell = (fields: ReadonlyArray<string>, index: number | undefined): string | undefined => {
  if (index === undefined) return undefined
  const value = fields[index]?.trim()
  return value === undefined || value === "" ? undefined : value
}

/**
 * A copy of a text that shares no memory with the chunk it was cut from.
 * Fields are slices of the decoded chunk; a slice kept as a cache key would
 * keep its whole chunk alive.
 */
export const ownCopy = (text: string): string => Buffer.from(text, "utf16le").toString("utf16le")

/** The columns a coordinates mapping reads. */
export const coordinateColumnNames = (columns: CoordinateColumns | undefined): ReadonlyArray<string> =>
  columns === undefined ? [] : "latitude" in columns ? [columns.latitude, columns.longitude] : [columns.x, columns.y]

/** Reads a row's coordinates: `undefined` when both cells are blank, else the WGS84 point or why there is none. */
export type CoordinateReader = (
  fields: ReadonlyArray<string>
) => Result.Result<Coordinates | undefined, string>

/**
 * {@link CoordinateReader} without the `Result` around each answer, for the
 * import's hot loop: `undefined` when both cells are blank, the WGS84
 * point, or a string saying why there is none.
 */
export type PointReader = (fields: ReadonlyArray<string>) => Coordinates | undefined | string

const problemOf = (result: Result.Result<Coordinates, string>): Coordinates | string =>
  Result.isSuccess(result) ? result.success : `coordinates: ${result.failure}`

/** How the projected points of an export are cached; see {@link cachedPoints}. */
export interface PointCacheSettings {
  /** The most points held; the cache is cleared when full, so memory stays flat. */
  readonly limit: number
  /** After this many lookups, an export whose points repeat less than `minHitRate` of the time stops caching. */
  readonly probe: number
  /** The share of lookups that must find their point for the cache to stay on. */
  readonly minHitRate: number
}

/**
 * Measured on generated exports: 50,000 points (a few MB); the first 20,000
 * rows decide whether the points repeat at least a quarter of the time.
 */
export const defaultPointCache: PointCacheSettings = { limit: 50_000, probe: 20_000, minHitRate: 0.25 }

/**
 * Caches a conversion of two cells' texts to a point (or to why there is
 * none), keyed by the texts. Exports that geocode each address once repeat
 * its X/Y on every call there, so proj4 runs once per address instead of
 * once per call; an export whose points rarely repeat (GPS fixes, jittered
 * points) stops caching after `probe` lookups and converts every row, as
 * without a cache. Either way each row gets the value `convert` gives for
 * its texts.
 */
export const cachedPoints = <A>(
  convert: (first: string, second: string) => A,
  settings: PointCacheSettings = defaultPointCache
): (first: string, second: string) => A => {
  const cache = new Map<string, Map<string, A>>()
  let size = 0
  let lookups = 0
  let hits = 0
  let caching = true
  return (first, second) => {
    if (!caching) return convert(first, second)
    lookups += 1
    if (lookups === settings.probe && hits < lookups * settings.minHitRate) {
      caching = false
      cache.clear()
      return convert(first, second)
    }
    const found = cache.get(first)?.get(second)
    if (found !== undefined) {
      hits += 1
      return found
    }
    const value = convert(first, second)
    if (size >= settings.limit) {
      cache.clear()
      size = 0
    }
    let seconds = cache.get(first)
    if (seconds === undefined) {
      seconds = new Map()
      cache.set(ownCopy(first), seconds)
    }
    seconds.set(ownCopy(second), value)
    size += 1
    return value
  }
}

/** Builds the point reader for a coordinates mapping, or says why it cannot (a projection proj4 rejects). */
export const makePointReader = (
  columns: CoordinateColumns | undefined,
  positions: ReadonlyMap<string, number>
): Result.Result<PointReader, string> => {
  if (columns === undefined) return Result.succeed(() => undefined)
  const [first, second] = coordinateColumnNames(columns)
  const firstIndex = first === undefined ? undefined : positions.get(first)
  const secondIndex = second === undefined ? undefined : positions.get(second)
  if ("latitude" in columns) {
    return Result.succeed((fields) => {
      const a = cell(fields, firstIndex)
      const b = cell(fields, secondIndex)
      if (a === undefined && b === undefined) return undefined
      if (a === undefined || b === undefined) {
        return `coordinates: ${a === undefined ? columns.latitude : columns.longitude} is blank but the other is not`
      }
      const latitude = readDecimal(a)
      const longitude = readDecimal(b)
      if (latitude === undefined) return `coordinates: ${columns.latitude} "${a}" is not a number`
      if (longitude === undefined) return `coordinates: ${columns.longitude} "${b}" is not a number`
      return problemOf(checkWgs84(latitude, longitude))
    })
  }
  return Result.map(makeProjection(columns.crs, columns.proj4), (projection): PointReader => {
    const project = cachedPoints((a: string, b: string): Coordinates | string => {
      const x = readDecimal(a)
      const y = readDecimal(b)
      if (x === undefined) return `coordinates: ${columns.x} "${a}" is not a number`
      if (y === undefined) return `coordinates: ${columns.y} "${b}" is not a number`
      return problemOf(projection.toWgs84(x, y))
    })
    return (fields) => {
      const a = cell(fields, firstIndex)
      const b = cell(fields, secondIndex)
      if (a === undefined && b === undefined) return undefined
      if (a === undefined || b === undefined) {
        return `coordinates: ${a === undefined ? columns.x : columns.y} is blank but the other is not`
      }
      return project(a, b)
    }
  })
}

/** Builds the reader for a coordinates mapping, or says why it cannot (a projection proj4 rejects). */
export const makeCoordinateReader = (
  columns: CoordinateColumns | undefined,
  positions: ReadonlyMap<string, number>
): Result.Result<CoordinateReader, string> =>
  Result.map(makePointReader(columns, positions), (read): CoordinateReader => (fields) => {
    const point = read(fields)
    return typeof point === "string" ? Result.fail(point) : Result.succeed(point)
  })

/**
 * The text a quarantined row keeps by default: the cells of the columns a
 * mapping reads, as `column: "value"` pairs (values as written, untrimmed,
 * JSON-quoted so quotes, line breaks and padding show), in the mapping's
 * order. The columns it does not read (callers' and victims' names and phone
 * numbers, in many exports) are never kept.
 */
export const makeMappedColumnsText = (
  columns: ReadonlyArray<string>,
  positions: ReadonlyMap<string, number>
): (fields: ReadonlyArray<string>) => string => {
  const found = columns.flatMap((column) => {
    const index = positions.get(column)
    return index === undefined ? [] : [{ label: `${column}: `, index }]
  })
  return (fields) => found.map(({ index, label }) => label + JSON.stringify(fields[index] ?? "")).join(", ")
}
