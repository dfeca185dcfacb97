/**
 * The small, data-only language notification rules use to read an event:
 * field paths (`deadline.due`), filters on fields (equals / in / exists)
 * and text templates with `{field}` or `{field|format}` slots
 * (`"{caseId}/{deadline.purpose}"`, `"due {deadline.due|date}"`). There is
 * no code in it: no expressions, no functions, no loops, so a rules file
 * can be written, validated and reviewed by someone who does not program.
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import { formatDocumentDate, formatDocumentDateTime, formatDollars } from "../engine/DocumentValues.ts"

/**
 * A path to a field of an event's JSON encoding: names joined by dots,
 * e.g. `councilDistrict`, `document.personServed.capacity`. An array is
 * not indexed; a path through one reads nothing.
 */
export const FieldPath = Schema.NonEmptyString.check(
  Schema.isPattern(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/u, {
    expected: "a field path: names joined by dots, e.g. document.personServed.capacity"
  })
)

/** A path to a field of an event; see {@link FieldPath}. */
export type FieldPath = typeof FieldPath.Type

/** A JSON scalar a filter compares a field with. */
export const FieldScalar = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean, Schema.Null])

/** A JSON scalar a filter compares a field with. */
export type FieldScalar = typeof FieldScalar.Type

/** The field holds exactly this value (strings compared as written). */
export const FieldEquals = Schema.Struct({ field: FieldPath, equals: FieldScalar })

/** The field holds one of these values. */
export const FieldIn = Schema.Struct({ field: FieldPath, in: Schema.NonEmptyArray(FieldScalar) })

/** The field is present (`exists: true`) or absent (`exists: false`); `null` counts as absent. */
export const FieldExists = Schema.Struct({ field: FieldPath, exists: Schema.Boolean })

/**
 * One condition on an event's field: `{ field, equals }`, `{ field, in }`
 * or `{ field, exists }`. A rule's filter is a list of them, all of which
 * must hold.
 *
 * @example
 * ```ts
 * const filter: ReadonlyArray<FieldCondition> = [
 *   { field: "document.personServed.capacity", equals: "owner" },
 *   { field: "document.kind", in: ["notice-of-violation", "notice-of-public-nuisance"] }
 * ]
 * ```
 */
export const FieldCondition = Schema.Union([FieldEquals, FieldIn, FieldExists])

/** One condition on an event's field; see {@link FieldCondition}. */
export type FieldCondition = typeof FieldCondition.Type

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** The value at a field path of a JSON value, or `undefined` when there is none. */
export const readField = (json: unknown, path: string): unknown => {
  let here: unknown = json
  for (const name of path.split(".")) {
    if (!isRecord(here) || !Object.hasOwn(here, name)) return undefined
    here = here[name]
  }
  return here
}

/** Whether an event's JSON encoding meets one condition. */
export const meetsCondition = (json: unknown, condition: FieldCondition): boolean => {
  const value = readField(json, condition.field)
  if ("exists" in condition) return (value !== undefined && value !== null) === condition.exists
  if ("in" in condition) return condition.in.some((candidate) => candidate === value)
  return value === condition.equals
}

/** Whether an event's JSON encoding meets every condition of a filter (an empty filter: always). */
export const meetsFilter = (json: unknown, filter: ReadonlyArray<FieldCondition> | undefined): boolean =>
  (filter ?? []).every((condition) => meetsCondition(json, condition))

/**
 * How a slot writes its field: `text` (as is; the default), `date` (the
 * local date of an instant in the jurisdiction's zone, in the recipient's
 * language, e.g. `April 3, 2026`), `date-time` (with the weekday and
 * time) or `dollars` (`$1,300.00`).
 */
export const SlotFormat = Schema.Literals(["text", "date", "date-time", "dollars"])

/** How a slot writes its field; see {@link SlotFormat}. */
export type SlotFormat = typeof SlotFormat.Type

const slotPattern = /\{([^{}|]*)(?:\|([^{}]*))?\}/g
const formats: ReadonlySet<string> = new Set(SlotFormat.literals)
const isFieldPath = Schema.is(FieldPath)

/** A piece of a parsed text template: literal text or a slot. */
export type TemplatePiece =
  | { readonly literal: string }
  | { readonly field: string; readonly format: SlotFormat }

/**
 * Splits a text template into literal text and `{field}` /
 * `{field|format}` slots; fails with why a slot is malformed (a bad field
 * path, an unknown format, a stray brace).
 */
export const parseFieldTemplate = (template: string): Result.Result<ReadonlyArray<TemplatePiece>, string> => {
  const pieces: Array<TemplatePiece> = []
  let last = 0
  for (const match of template.matchAll(slotPattern)) {
    const literal = template.slice(last, match.index)
    if (/[{}]/.test(literal)) return Result.fail(`a stray brace in ${JSON.stringify(literal)}`)
    if (literal !== "") pieces.push({ literal })
    const field = (match[1] ?? "").trim()
    const format = (match[2] ?? "text").trim()
    if (!isFieldPath(field)) return Result.fail(`{${match[1] ?? ""}} does not name a field (names joined by dots)`)
    if (!formats.has(format)) return Result.fail(`{${field}|${format}}: the format is one of ${SlotFormat.literals.join(", ")}`)
    pieces.push({ field, format: format as SlotFormat })
    last = match.index + match[0].length
  }
  const rest = template.slice(last)
  if (/[{}]/.test(rest)) return Result.fail(`a stray brace in ${JSON.stringify(rest)}`)
  if (rest !== "") pieces.push({ literal: rest })
  return Result.succeed(pieces)
}

/**
 * A text template over an event's fields: literal text with `{field}` or
 * `{field|format}` slots (see {@link SlotFormat}), checked when a rules
 * file is decoded.
 *
 * @example
 * ```ts
 * "nuisance-case/{caseId}/owner"          // a person's id
 * "{deadline.purpose} due {deadline.due|date}"  // a value
 * ```
 */
export const FieldTemplate = Schema.String.check(
  Schema.makeFilter((text: string) => {
    const parsed = parseFieldTemplate(text)
    return Result.isSuccess(parsed) ? true : parsed.failure
  })
)

/** A text template over an event's fields; see {@link FieldTemplate}. */
export type FieldTemplate = typeof FieldTemplate.Type

/** What a slot needs to write dates: the jurisdiction's time zone and the recipient's language. */
export interface SlotContext {
  readonly timeZone: string
  readonly locale: string
}

const writeSlot = (value: unknown, format: SlotFormat, context: SlotContext): string | undefined => {
  if (value === undefined || value === null) return undefined
  switch (format) {
    case "text":
      return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined
    case "dollars":
      return typeof value === "number" ? formatDollars(value) : undefined
    case "date":
    case "date-time": {
      if (typeof value !== "string") return undefined
      const instant = DateTime.make(value)
      if (instant._tag === "None") return undefined
      const written = (format === "date" ? formatDocumentDate : formatDocumentDateTime)(instant.value, context.timeZone, context.locale)
      return Result.isSuccess(written) ? written.success : undefined
    }
  }
}

/**
 * Fills a text template from an event's JSON encoding; `undefined` when a
 * slot's field is absent (removed by redaction, or never there) or cannot
 * be written in its format, so a caller never sends half a value.
 */
export const fillFieldTemplate = (template: string, json: unknown, context: SlotContext): string | undefined => {
  const parsed = parseFieldTemplate(template)
  if (Result.isFailure(parsed)) return undefined
  let out = ""
  for (const piece of parsed.success) {
    if ("literal" in piece) {
      out += piece.literal
      continue
    }
    const written = writeSlot(readField(json, piece.field), piece.format, context)
    if (written === undefined) return undefined
    out += written
  }
  return out
}

/** The field paths a text template reads. */
export const templateFields = (template: string): ReadonlyArray<string> => {
  const parsed = parseFieldTemplate(template)
  return Result.isSuccess(parsed) ? parsed.success.flatMap((piece) => ("field" in piece ? [piece.field] : [])) : []
}
