/**
 * Date-time formats as records systems write them (`M/d/yy H:mm`,
 * `MM/dd/yyyy h:mm:ss a`, ISO 8601), compiled once per mapping and applied
 * strictly to every row: a text that does not match its format exactly, or
 * names a day or time that does not exist, is rejected with the reason, never
 * repaired or guessed.
 *
 * @module
 */
import { Result } from "effect"
import { registerScanner, type WallClockScanner } from "./internal/WallClockScanner.ts"

/**
 * A wall-clock date and time with no zone, as read from a record: month 1-12,
 * hour 0-23. `offsetMinutes` is set only when the text itself carried a UTC
 * offset (an ISO 8601 `Z` or `-08:00`); the time is then absolute.
 */
export interface LocalDateTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond: number
  readonly offsetMinutes?: number
}

/** A compiled format: reads one cell's text into a {@link LocalDateTime} or says why it cannot. */
export interface DateTimeFormat {
  /** The format as written in the mapping. */
  readonly pattern: string
  readonly parse: (text: string) => Result.Result<LocalDateTime, string>
}

type Token = "yyyy" | "yy" | "MM" | "M" | "dd" | "d" | "HH" | "H" | "hh" | "h" | "mm" | "ss" | "SSS" | "a"

// Longest first, so that "yyyy" is not read as two "yy".
const tokens: ReadonlyArray<Token> = ["yyyy", "yy", "MM", "M", "dd", "d", "HH", "H", "hh", "h", "mm", "ss", "SSS", "a"]

const tokenPattern: Readonly<Record<Token, string>> = {
  yyyy: "(\\d{4})",
  yy: "(\\d{2})",
  MM: "(\\d{2})",
  M: "(\\d{1,2})",
  dd: "(\\d{2})",
  d: "(\\d{1,2})",
  HH: "(\\d{2})",
  H: "(\\d{1,2})",
  hh: "(\\d{2})",
  h: "(\\d{1,2})",
  mm: "(\\d{2})",
  ss: "(\\d{2})",
  SSS: "(\\d{3})",
  a: "([AaPp][Mm])"
}

const variableWidth: ReadonlySet<Token> = new Set(["M", "d", "H", "h"])

type Field = "year" | "twoDigitYear" | "month" | "day" | "hour24" | "hour12" | "minute" | "second" | "millisecond" | "meridiem"

const tokenField: Readonly<Record<Token, Field>> = {
  yyyy: "year",
  yy: "twoDigitYear",
  MM: "month",
  M: "month",
  dd: "day",
  d: "day",
  HH: "hour24",
  H: "hour24",
  hh: "hour12",
  h: "hour12",
  mm: "minute",
  ss: "second",
  SSS: "millisecond",
  a: "meridiem"
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")

const isLetter = (char: string): boolean => /[A-Za-z]/.test(char)

/** The number of days in a month of the proleptic Gregorian calendar. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
    : month === 4 || month === 6 || month === 9 || month === 11
    ? 30
    : 31

/**
 * Two-digit years are read as POSIX `strptime` reads `%y`: 69-99 are
 * 1969-1999 and 00-68 are 2000-2068, so `1/1/06` is 2006.
 */
export const expandTwoDigitYear = (yy: number): number => (yy >= 69 ? 1900 + yy : 2000 + yy)

const checkCalendar = (value: LocalDateTime, text: string, pattern: string): Result.Result<LocalDateTime, string> => {
  const problem = value.month < 1 || value.month > 12
    ? `month ${value.month}`
    : value.day < 1 || value.day > daysInMonth(value.year, value.month)
    ? `day ${value.day} of ${value.year}-${String(value.month).padStart(2, "0")}`
    : value.hour > 23
    ? `hour ${value.hour}`
    : value.minute > 59
    ? `minute ${value.minute}`
    : value.second > 59
    ? `second ${value.second}`
    : undefined
  return problem === undefined
    ? Result.succeed(value)
    : Result.fail(`"${text}" is not a date and time (${pattern}): there is no ${problem}`)
}

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

const parseIsoOffset = (text: string): number => {
  if (text === "Z" || text === "z") return 0
  const sign = text.startsWith("-") ? -1 : 1
  const digits = text.slice(1).replace(":", "")
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"))
}

const isoFormat: DateTimeFormat = {
  pattern: "iso",
  parse: (text) => {
    const match = isoPattern.exec(text)
    if (match === null) {
      return Result.fail(`"${text}" is not an ISO 8601 date and time (e.g. 2024-03-05T14:30:00-08:00)`)
    }
    const [, year, month, day, hour, minute, second, fraction, offset] = match
    const base: LocalDateTime = {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour ?? "0"),
      minute: Number(minute ?? "0"),
      second: Number(second ?? "0"),
      // Sub-millisecond digits are dropped: the store keeps milliseconds.
      millisecond: fraction === undefined ? 0 : Number(fraction.padEnd(3, "0").slice(0, 3))
    }
    const value = offset === undefined ? base : { ...base, offsetMinutes: parseIsoOffset(offset) }
    if (value.offsetMinutes !== undefined && Math.abs(value.offsetMinutes) > 18 * 60) {
      return Result.fail(`"${text}" has a UTC offset beyond ±18:00`)
    }
    return checkCalendar(value, text, "ISO 8601")
  }
}

/**
 * Compiles a date-time format, or says what is wrong with it.
 *
 * - `"iso"`: ISO 8601, `2024-03-05`, `2024-03-05T14:30`, `2024-03-05 14:30:00.250`,
 *   optionally with `Z` or an offset (`-08:00`), which then overrides the
 *   mapping's zone.
 * - Otherwise a pattern of tokens and literal text: `yyyy` (4-digit year),
 *   `yy` (2-digit year, 69-99 → 19xx, 00-68 → 20xx), `M`/`MM` (month, 1-2 or
 *   exactly 2 digits), `d`/`dd` (day), `H`/`HH` (hour 0-23), `h`/`hh`
 *   (hour 1-12, needs `a`), `mm` (minutes), `ss` (seconds), `SSS`
 *   (milliseconds), `a` (AM/PM, any case). Other letters must be quoted
 *   (`yyyy-MM-dd'T'HH:mm`); `''` is a literal quote. Year, month and day are
 *   required; a time without an hour is midnight.
 *
 * @example
 * ```ts
 * compileDateTimeFormat("M/d/yy H:mm")          // Sacramento 2006 crime reports: "1/1/06 0:00"
 * compileDateTimeFormat("MM/dd/yyyy h:mm:ss a") // Seattle CAD: "03/05/2024 02:30:00 PM"
 * ```
 */
export const compileDateTimeFormat = (pattern: string): Result.Result<DateTimeFormat, string> => {
  if (pattern === "iso") return Result.succeed(isoFormat)
  const fields: Array<Field> = []
  const parts: Array<{ readonly token: Token } | { readonly literal: string }> = []
  let index = 0
  while (index < pattern.length) {
    const char = pattern.charAt(index)
    if (char === "'") {
      const close = pattern.indexOf("'", index + 1)
      if (close === -1) return Result.fail(`unclosed quote at position ${index + 1} in "${pattern}"`)
      parts.push({ literal: close === index + 1 ? "'" : pattern.slice(index + 1, close) })
      index = close + 1
      continue
    }
    const token = tokens.find((candidate) => pattern.startsWith(candidate, index))
    if (token !== undefined) {
      parts.push({ token })
      index += token.length
      continue
    }
    if (isLetter(char)) {
      return Result.fail(
        `"${char}" at position ${index + 1} in "${pattern}" is not a format token ` +
          `(use yyyy or yy, M or MM, d or dd, H or HH, h or hh with a, mm, ss, SSS; quote literal letters as 'T')`
      )
    }
    parts.push({ literal: char })
    index += 1
  }
  for (const [position, part] of parts.entries()) {
    if (!("token" in part)) continue
    const field = tokenField[part.token]
    if (fields.includes(field) || (field === "year" && fields.includes("twoDigitYear")) ||
      (field === "twoDigitYear" && fields.includes("year")) || (field === "hour12" && fields.includes("hour24")) ||
      (field === "hour24" && fields.includes("hour12")))
    {
      return Result.fail(`"${pattern}" gives the ${field === "twoDigitYear" ? "year" : field} twice`)
    }
    fields.push(field)
    const next = parts[position + 1]
    // "Md" or "Hmm" cannot be split unambiguously: "111" is 1/11 or 11/1.
    if (variableWidth.has(part.token) && next !== undefined && "token" in next && next.token !== "a") {
      return Result.fail(`"${pattern}": ${part.token} must be followed by a separator, not by ${next.token}`)
    }
  }
  const has = (field: Field) => fields.includes(field)
  if (!(has("year") || has("twoDigitYear")) || !has("month") || !has("day")) {
    return Result.fail(`"${pattern}" must give the year (yyyy or yy), the month (M or MM) and the day (d or dd)`)
  }
  if (has("hour12") !== has("meridiem")) {
    return Result.fail(`"${pattern}": a 12-hour clock (h, hh) needs AM/PM (a), and a needs h or hh`)
  }
  if (has("minute") && !(has("hour12") || has("hour24"))) return Result.fail(`"${pattern}" gives minutes but no hour`)
  if (has("second") && !has("minute")) return Result.fail(`"${pattern}" gives seconds but no minutes`)
  if (has("millisecond") && !has("second")) return Result.fail(`"${pattern}" gives milliseconds but no seconds`)
  if ((has("hour12") || has("hour24")) && !has("minute")) return Result.fail(`"${pattern}" gives an hour but no minutes`)

  const regex = new RegExp(
    "^" + parts.map((part) => ("token" in part ? tokenPattern[part.token] : escapeRegExp(part.literal))).join("") + "$"
  )
  const order = parts.flatMap((part) => ("token" in part ? [tokenField[part.token]] : []))
  const formatName = pattern
  const format: DateTimeFormat = {
    pattern,
    parse: (text) => {
      const match = regex.exec(text)
      if (match === null) return Result.fail(`"${text}" does not match the date-time format ${formatName}`)
      let year = 0
      let month = 0
      let day = 0
      let hour = 0
      let minute = 0
      let second = 0
      let millisecond = 0
      let meridiem: "am" | "pm" | undefined
      for (let group = 0; group < order.length; group++) {
        const value = match[group + 1] ?? ""
        switch (order[group]) {
          case "year":
            year = Number(value)
            break
          case "twoDigitYear":
            year = expandTwoDigitYear(Number(value))
            break
          case "month":
            month = Number(value)
            break
          case "day":
            day = Number(value)
            break
          case "hour24":
          case "hour12":
            hour = Number(value)
            break
          case "minute":
            minute = Number(value)
            break
          case "second":
            second = Number(value)
            break
          case "millisecond":
            millisecond = Number(value)
            break
          case "meridiem":
            meridiem = value.toLowerCase() === "am" ? "am" : "pm"
            break
        }
      }
      if (meridiem !== undefined) {
        if (hour < 1 || hour > 12) {
          return Result.fail(`"${text}" is not a date and time (${formatName}): hour ${hour} on a 12-hour clock`)
        }
        // 12 AM is midnight, 12 PM is noon.
        hour = meridiem === "am" ? (hour === 12 ? 0 : hour) : (hour === 12 ? 12 : hour + 12)
      }
      return checkCalendar({ year, month, day, hour, minute, second, millisecond }, text, formatName)
    }
  }
  registerScanner(format, makeScanner(parts))
  return Result.succeed(format)
}

/** How the scanner reads one part of a pattern. */
type ScanStep =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "digits"; readonly field: Exclude<Field, "meridiem">; readonly min: number; readonly max: number }
  | { readonly kind: "meridiem" }

const scanStep = (part: { readonly token: Token } | { readonly literal: string }): ScanStep => {
  if (!("token" in part)) return { kind: "literal", text: part.literal }
  const field = tokenField[part.token]
  if (field === "meridiem") return { kind: "meridiem" }
  const width = part.token === "yyyy" ? 4 : part.token === "SSS" ? 3 : 2
  return { kind: "digits", field, min: variableWidth.has(part.token) ? 1 : width, max: width }
}

/**
 * The pattern's fast reader (see `WallClockScanner`): reads digits
 * greedily and never backtracks, which is the first way the pattern's
 * regular expression tries, so a text it reads is read the same way by
 * `parse`; a text it cannot read (or a date that does not exist) is left to
 * `parse`, for the result and its reason.
 */
const makeScanner = (parts: ReadonlyArray<{ readonly token: Token } | { readonly literal: string }>): WallClockScanner => {
  const steps = parts.map(scanStep)
  return (text, into) => {
    const length = text.length
    let position = 0
    let year = 0
    let month = 0
    let day = 0
    let hour = 0
    let minute = 0
    let second = 0
    let millisecond = 0
    let meridiem = 0 // 0 none, 1 am, 2 pm
    for (const step of steps) {
      if (step.kind === "literal") {
        if (!text.startsWith(step.text, position)) return false
        position += step.text.length
      } else if (step.kind === "meridiem") {
        const first = text.charCodeAt(position) | 0x20
        const second = text.charCodeAt(position + 1) | 0x20
        if ((first !== 0x61 && first !== 0x70) || second !== 0x6d) return false
        meridiem = first === 0x61 ? 1 : 2
        position += 2
      } else {
        let value = 0
        let digits = 0
        while (digits < step.max && position < length) {
          const code = text.charCodeAt(position)
          if (code < 48 || code > 57) break
          value = value * 10 + (code - 48)
          position++
          digits++
        }
        if (digits < step.min) return false
        switch (step.field) {
          case "year":
            year = value
            break
          case "twoDigitYear":
            year = expandTwoDigitYear(value)
            break
          case "month":
            month = value
            break
          case "day":
            day = value
            break
          case "hour24":
          case "hour12":
            hour = value
            break
          case "minute":
            minute = value
            break
          case "second":
            second = value
            break
          case "millisecond":
            millisecond = value
            break
        }
      }
    }
    if (position !== length) return false
    if (meridiem !== 0) {
      if (hour < 1 || hour > 12) return false
      hour = meridiem === 1 ? (hour === 12 ? 0 : hour) : (hour === 12 ? 12 : hour + 12)
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      return false
    }
    into.year = year
    into.month = month
    into.day = day
    into.hour = hour
    into.minute = minute
    into.second = second
    into.millisecond = millisecond
    return true
  }
}
