/**
 * The per-row checks that keep a value no store can keep out of every
 * store, with core's `StoreLimits`: cheap enough for every row (a regex scan
 * of the line, lengths compared before bytes are counted).
 *
 * @internal
 */
import { areaIdProblem, MAX_AREA_ID_BYTES, portableTextProblem } from "@community-policing/core"

// Any NUL or surrogate code unit: a cheap scan of the whole line, after
// which only a line that has one is checked column by column.
const suspiciousText = /[\u0000\uD800-\uDFFF]/

/** Whether a line may hold text no store can keep (a NUL, or a surrogate that may be lone). */
export const mayBeUnportable = (line: string): boolean => suspiciousText.test(line)

/** Whether text is within a byte limit without counting: a UTF-8 byte is at most 3 per UTF-16 code unit. */
export const withinBytes = (text: string, maxBytes: number): boolean => text.length * 3 <= maxBytes

/** A mapped column and the field it fills, for reasons that name both. */
export interface LabelledColumn {
  readonly field: string
  readonly column: string
  readonly index: number
}

/** Each mapped column once (the first field that reads it names it). */
export const labelColumns = (
  fields: ReadonlyArray<readonly [field: string, column: string | undefined]>,
  positions: ReadonlyMap<string, number>
): ReadonlyArray<LabelledColumn> => {
  const labelled: Array<LabelledColumn> = []
  for (const [field, column] of fields) {
    const index = column === undefined ? undefined : positions.get(column)
    if (column !== undefined && index !== undefined && !labelled.some((known) => known.index === index)) {
      labelled.push({ field, column, index })
    }
  }
  return labelled
}

/** Why the row's mapped cells cannot be stored (`field: column contains …`, joined by `; `), or `undefined`. */
export const unportableCells = (labelled: ReadonlyArray<LabelledColumn>, row: ReadonlyArray<string>): string | undefined => {
  let found: string | undefined
  for (const { column, field, index } of labelled) {
    const text = row[index]
    const why = text === undefined ? undefined : portableTextProblem(text)
    if (why !== undefined) found = (found === undefined ? "" : found + "; ") + `${field}: ${column} ${why}`
  }
  return found
}

/** Why an area id (trimmed cell) cannot be a daily-count key, or `undefined`. */
export const areaIdReason = (field: string, column: string | undefined, value: string | undefined): string | undefined => {
  if (value === undefined || withinBytes(value, MAX_AREA_ID_BYTES)) return undefined
  const why = areaIdProblem(value)
  return why === undefined ? undefined : `${field}: ${column} ${why}`
}
