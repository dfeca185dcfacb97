/**
 * Reading mapped columns as it was before issue 4: part of the oracle the
 * fast import is compared with.
 */
import type { Coordinates } from "@community-policing/core"
import { Result } from "effect"
import { checkWgs84, makeProjection, readDecimal } from "../../../src/CoordinateSystem.ts"
import type { CoordinateColumns } from "../../../src/CsvMapping.ts"

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

/** The columns a coordinates mapping reads. */
export const coordinateColumnNames = (columns: CoordinateColumns | undefined): ReadonlyArray<string> =>
  columns === undefined ? [] : "latitude" in columns ? [columns.latitude, columns.longitude] : [columns.x, columns.y]

/** Reads a row's coordinates: `undefined` when both cells are blank, else the WGS84 point or why there is none. */
export type CoordinateReader = (
  fields: ReadonlyArray<string>
) => Result.Result<Coordinates | undefined, string>

/** Builds the reader for a coordinates mapping, or says why it cannot (a projection proj4 rejects). */
export const makeCoordinateReader = (
  columns: CoordinateColumns | undefined,
  positions: ReadonlyMap<string, number>
): Result.Result<CoordinateReader, string> => {
  if (columns === undefined) return Result.succeed(() => Result.succeed(undefined))
  const [first, second] = coordinateColumnNames(columns)
  const firstIndex = first === undefined ? undefined : positions.get(first)
  const secondIndex = second === undefined ? undefined : positions.get(second)
  const read = (fields: ReadonlyArray<string>) => ({ a: cell(fields, firstIndex), b: cell(fields, secondIndex) })
  if ("latitude" in columns) {
    return Result.succeed((fields) => {
      const { a, b } = read(fields)
      if (a === undefined && b === undefined) return Result.succeed(undefined)
      if (a === undefined || b === undefined) {
        return Result.fail(`coordinates: ${a === undefined ? columns.latitude : columns.longitude} is blank but the other is not`)
      }
      const latitude = readDecimal(a)
      const longitude = readDecimal(b)
      if (latitude === undefined) return Result.fail(`coordinates: ${columns.latitude} "${a}" is not a number`)
      if (longitude === undefined) return Result.fail(`coordinates: ${columns.longitude} "${b}" is not a number`)
      return Result.mapError(checkWgs84(latitude, longitude), (problem) => `coordinates: ${problem}`)
    })
  }
  return Result.map(makeProjection(columns.crs, columns.proj4), (projection) => (fields: ReadonlyArray<string>) => {
    const { a, b } = read(fields)
    if (a === undefined && b === undefined) return Result.succeed(undefined)
    if (a === undefined || b === undefined) {
      return Result.fail(`coordinates: ${a === undefined ? columns.x : columns.y} is blank but the other is not`)
    }
    const x = readDecimal(a)
    const y = readDecimal(b)
    if (x === undefined) return Result.fail(`coordinates: ${columns.x} "${a}" is not a number`)
    if (y === undefined) return Result.fail(`coordinates: ${columns.y} "${b}" is not a number`)
    return Result.mapError(projection.toWgs84(x, y), (problem) => `coordinates: ${problem}`)
  })
}
