/**
 * The CSV grammar every import reads, as a hand-written incremental parser:
 * decoded text in, records out, state kept between chunks so that a record,
 * a field or a quote pair may be split anywhere.
 *
 * It reads exactly what csv-parse 7 reads with the options the reader used
 * to give it (`record_delimiter: ["\r\n", "\n", "\r"]`, `bom`, `raw`,
 * `relax_column_count`, `relax_quotes`, `skip_empty_lines`,
 * `skip_records_with_error`), and the tests hold it to that, record for
 * record, on generated text: csv-parse cost more per row than the whole
 * rest of an import (issue 4). The rules, from csv-parse's own code:
 *
 * - A field that starts with a quote is quoted: delimiters and line breaks
 *   inside are text, `""` is one quote. Its closing quote must be followed by
 *   the delimiter, a line break or the end; when it is not (relaxed quotes),
 *   the field is read as written from its opening quote on, quotes kept.
 * - A quote anywhere else in an unquoted field is text.
 * - CR, LF and CRLF all end a record, even mixed in one file; a line with
 *   nothing on it is skipped (a line of spaces is a record of one field).
 * - A quote still open at the end of the text makes the rest of the text one
 *   unreadable record, reported with csv-parse's message.
 *
 * One rule of its own, where csv-parse has none: a record longer than
 * `maxRecordLength` characters (4 MiB by default) is not read. A stray
 * quote would otherwise make the rest of the file one record held in
 * memory. It is reported as unreadable with its first line (cut to the
 * limit), and reading starts again on the line after that first line, so
 * the records the stray quote swallowed are read as they would have been
 * without it. The result does not depend on how the text is split into
 * chunks, and memory stays within the limit plus one chunk.
 *
 * @internal
 */

const quote = 34
const carriageReturn = 13
const lineFeed = 10

/** What the parser hands on for each record, in order. */
export interface RecordSink {
  /** A record: its fields, and its text without the line ending. */
  readonly record: (fields: Array<string>, raw: string) => void
  /** A record that cannot be read, with its text and csv-parse's reason. */
  readonly malformed: (raw: string, reason: string) => void
}

// Where the parser stands between two characters: before the first
// character of a field (at the start of a line or after a delimiter);
// inside an unquoted field (or the rest of one whose quotes were relaxed);
// inside a quoted field; inside a quoted field just after a quote whose
// next character is in the next chunk.
const fieldStartMode = 0
const unquotedMode = 1
const quotedMode = 2
const quoteEndingMode = 3
type Mode = typeof fieldStartMode | typeof unquotedMode | typeof quotedMode | typeof quoteEndingMode

const isLineBreak = (code: number): boolean => code === lineFeed || code === carriageReturn

const withoutLineEndings = (raw: string): string => {
  let start = 0
  let end = raw.length
  while (start < end && isLineBreak(raw.charCodeAt(start))) start++
  while (end > start && isLineBreak(raw.charCodeAt(end - 1))) end--
  return start === 0 && end === raw.length ? raw : raw.slice(start, end)
}

/** The longest record the CSV reader reads by default (`maxRecordLength`): 4 MiB of text. */
export const defaultMaxRecordLength = 4 * 1024 * 1024

const firstLineBreak = (text: string): number => {
  const lineFeed = text.indexOf("\n")
  const carriageReturn = text.indexOf("\r")
  return lineFeed === -1 ? carriageReturn : carriageReturn === -1 ? lineFeed : Math.min(lineFeed, carriageReturn)
}

const countLineBreaks = (text: string, from: number, to: number): number => {
  let count = 0
  for (let index = from; index < to; index++) {
    if (isLineBreak(text.charCodeAt(index))) count++
  }
  return count
}

/**
 * An incremental CSV parser. Feed it text with {@link CsvRecordParser.push}
 * as it is decoded, then call {@link CsvRecordParser.end} once.
 */
export class CsvRecordParser {
  private readonly delimiter: number
  private readonly delimiterText: string
  private mode: Mode = fieldStartMode
  /** Whether the current record has begun (a line's first character was read). */
  private inRecord = false
  private fields: Array<string> = []
  /** The current field's text read so far from earlier chunks (or before a `""`). */
  private fieldPrefix = ""
  /** The current record's text from earlier chunks. */
  private rawPrefix = ""
  /**
   * Line breaks read so far, for csv-parse's line numbers: each CR and LF
   * counts, quoted ones included, except the LF of a CRLF that ends a line.
   */
  private lineBreaks = 0
  private lastWasLineBreak = false
  /** Whether the last character was a CR that ended a line (so an LF next completes a CRLF). */
  private afterCarriageReturn = false
  private readonly maxRecordLength: number
  /** `lineBreaks` when the current record began. */
  private recordLineBreaks = 0
  /** Whether the rest of an over-long first line is being passed over. */
  private skipping = false
  /** After an over-long record: the text to read again (the record after its first line). */
  private resume: string | undefined = undefined

  constructor(delimiter: string, maxRecordLength: number = defaultMaxRecordLength) {
    this.delimiter = delimiter.charCodeAt(0)
    this.delimiterText = delimiter.charAt(0)
    // Infinity reads records of any length; a limit under one character (or NaN) is the default's.
    this.maxRecordLength = maxRecordLength >= 1 ? Math.floor(maxRecordLength) : defaultMaxRecordLength
  }

  /** Reads the next piece of text; complete records go to `sink`. */
  push(text: string, sink: RecordSink): void {
    let rest: string | undefined = text
    while (rest !== undefined) rest = this.pushOnce(rest, sink)
  }

  private tooLongReason(): string {
    return `the record is longer than the limit of ${this.maxRecordLength} characters (a quote left open?): ` +
      "only its first line is kept, and reading goes on from the next line"
  }

  /**
   * Sets aside a record over the limit (its text so far, `complete` when its
   * end was read) and returns the text to read again after its first line,
   * if any; without a line break in it, the rest of the line is passed over.
   */
  private overflow(raw: string, complete: boolean, sink: RecordSink): string | undefined {
    const first = firstLineBreak(raw)
    const recordLineBreaks = this.recordLineBreaks
    this.reset()
    if (first !== -1 || !complete) this.afterCarriageReturn = false
    sink.malformed(raw.slice(0, first === -1 ? this.maxRecordLength : Math.min(first, this.maxRecordLength)), this.tooLongReason())
    if (first === -1) {
      if (!complete) this.skipping = true
      return undefined
    }
    this.lineBreaks = recordLineBreaks + 1
    // A CR that ends the text read so far: an LF first in the next chunk completes it.
    this.afterCarriageReturn = raw.charCodeAt(first) === carriageReturn && first + 1 === raw.length
    return raw.slice(raw.charCodeAt(first) === carriageReturn && raw.charCodeAt(first + 1) === lineFeed ? first + 2 : first + 1)
  }

  /** {@link push} until an over-long record: then the text to read next. */
  private pushOnce(text: string, sink: RecordSink): string | undefined {
    const delimiter = this.delimiter
    const length = text.length
    if (length === 0) return undefined
    if (this.skipping) {
      const end = firstLineBreak(text)
      if (end === -1) {
        this.lastWasLineBreak = false
        return undefined
      }
      this.skipping = false
      this.lineBreaks++
      this.afterCarriageReturn = text.charCodeAt(end) === carriageReturn
      if (end + 1 === length) {
        this.lastWasLineBreak = true
        return undefined
      }
      return text.slice(end + 1)
    }
    let index = 0
    // Where the current record's text starts in this chunk (0 when it began in an earlier one).
    let recordStart = 0
    // Where the part of the current field not yet in fieldPrefix starts.
    let fieldStart = 0

    if (this.mode === quoteEndingMode) {
      // The quote that ended the last chunk: decided by this chunk's first character.
      const next = text.charCodeAt(0)
      if (next === quote) {
        this.fieldPrefix += "\""
        this.mode = quotedMode
        index = 1
        fieldStart = 1
      } else if (next === delimiter || isLineBreak(next)) {
        index = this.closeField(text, 0, sink, recordStart)
      } else {
        this.fieldPrefix = "\"" + this.fieldPrefix + "\""
        this.mode = unquotedMode
      }
    }

    // The next quote, LF and CR at or after `index` (-1: none left in this
    // chunk), found with native scans and looked for again only once passed.
    let nextQuote = -2
    let nextLineFeed = -2
    let nextCarriageReturn = -2

    while (index < length) {
      if (this.resume !== undefined) {
        // The record just ended was over the limit: read it again from its
        // second line, with the line break that ended it and what follows.
        const again = this.resume + text.slice(index - 1)
        this.resume = undefined
        return again
      }
      switch (this.mode) {
        case fieldStartMode: {
          const code = text.charCodeAt(index)
          if (!this.inRecord) {
            if (isLineBreak(code)) {
              // An empty line, or the LF of a CRLF: skipped, not a record.
              if (code !== lineFeed || !this.afterCarriageReturn) this.lineBreaks++
              this.afterCarriageReturn = code === carriageReturn
              index++
              continue
            }
            this.afterCarriageReturn = false
            // Most lines hold no quote: such a line, ending in this chunk, is
            // its fields split at the delimiter, exactly what the character
            // by character reading below gives.
            if (nextQuote !== -1 && nextQuote < index) nextQuote = text.indexOf("\"", index)
            if (nextLineFeed !== -1 && nextLineFeed < index) nextLineFeed = text.indexOf("\n", index)
            if (nextCarriageReturn !== -1 && nextCarriageReturn < index) nextCarriageReturn = text.indexOf("\r", index)
            const lineEnd = nextLineFeed === -1
              ? nextCarriageReturn
              : nextCarriageReturn === -1
              ? nextLineFeed
              : Math.min(nextLineFeed, nextCarriageReturn)
            if (lineEnd !== -1 && (nextQuote === -1 || nextQuote > lineEnd)) {
              const line = text.slice(index, lineEnd)
              this.lineBreaks++
              this.afterCarriageReturn = lineEnd === nextCarriageReturn
              if (line.length > this.maxRecordLength) sink.malformed(line.slice(0, this.maxRecordLength), this.tooLongReason())
              else sink.record(line.split(this.delimiterText), line)
              index = lineEnd + 1
              continue
            }
            this.inRecord = true
            this.recordLineBreaks = this.lineBreaks
            recordStart = index
          }
          if (code === quote) {
            this.mode = quotedMode
            index++
            fieldStart = index
          } else if (code === delimiter) {
            this.fields.push("")
            index++
          } else if (isLineBreak(code)) {
            this.fields.push("")
            this.endLine(code)
            this.emit(text, recordStart, index, sink)
            index++
          } else {
            this.mode = unquotedMode
            fieldStart = index
          }
          continue
        }
        case unquotedMode: {
          let end = index
          let code = 0
          while (end < length) {
            code = text.charCodeAt(end)
            if (code === delimiter || code === lineFeed || code === carriageReturn) break
            end++
          }
          if (end === length) {
            this.fieldPrefix += text.slice(fieldStart, length)
            index = length
            continue
          }
          this.fields.push(this.fieldPrefix === "" ? text.slice(fieldStart, end) : this.fieldPrefix + text.slice(fieldStart, end))
          this.fieldPrefix = ""
          this.mode = fieldStartMode
          if (code === delimiter) {
            index = end + 1
          } else {
            this.endLine(code)
            this.emit(text, recordStart, end, sink)
            index = end + 1
          }
          continue
        }
        case quotedMode: {
          const at = text.indexOf("\"", index)
          if (at === -1) {
            this.lineBreaks += countLineBreaks(text, index, length)
            this.fieldPrefix += text.slice(fieldStart, length)
            index = length
            continue
          }
          this.lineBreaks += countLineBreaks(text, index, at)
          if (at + 1 === length) {
            this.fieldPrefix += text.slice(fieldStart, at)
            this.mode = quoteEndingMode
            index = length
            continue
          }
          const next = text.charCodeAt(at + 1)
          if (next === quote) {
            // `""`: one quote of text.
            this.fieldPrefix += text.slice(fieldStart, at + 1)
            index = at + 2
            fieldStart = index
          } else if (next === delimiter || isLineBreak(next)) {
            this.fieldPrefix += text.slice(fieldStart, at)
            index = this.closeField(text, at + 1, sink, recordStart)
          } else {
            // Relaxed: a closing quote followed by text keeps both quotes and goes on unquoted.
            this.fieldPrefix = "\"" + this.fieldPrefix + text.slice(fieldStart, at) + "\""
            this.mode = unquotedMode
            index = at + 1
            fieldStart = index
          }
          continue
        }
        case quoteEndingMode:
          // Only set when a chunk ends; handled at the start of the next one.
          index = length
          continue
      }
    }

    if (this.resume !== undefined) {
      const again = this.resume + text.slice(index - 1)
      this.resume = undefined
      return again
    }
    this.lastWasLineBreak = isLineBreak(text.charCodeAt(length - 1))
    if (this.inRecord) {
      this.rawPrefix += text.slice(recordStart, length)
      if (this.rawPrefix.length > this.maxRecordLength) return this.overflow(this.rawPrefix, false, sink)
    }
    return undefined
  }

  /** The end of the text: the last record, if any, goes to `sink`. */
  end(sink: RecordSink): void {
    if (!this.inRecord) return
    switch (this.mode) {
      case quotedMode: {
        // csv-parse counts a line break once the character after it is read, so a final one is not counted yet.
        const line = 1 + this.lineBreaks - (this.lastWasLineBreak ? 1 : 0)
        const raw = withoutLineEndings(this.rawPrefix)
        this.reset()
        sink.malformed(raw, `Quote Not Closed: the parsing is finished with an opening quote at line ${line}`)
        return
      }
      case quoteEndingMode:
      case unquotedMode:
      case fieldStartMode: {
        this.fields.push(this.fieldPrefix)
        this.fieldPrefix = ""
        this.emitRaw(this.rawPrefix, sink)
        const again = this.resume
        if (again !== undefined) {
          this.resume = undefined
          this.push(again, sink)
          this.end(sink)
        }
        return
      }
    }
  }

  /**
   * Closes the quoted field whose closing quote sits just before `at`, where
   * `text` holds a delimiter or a line break; returns where reading goes on.
   */
  private closeField(text: string, at: number, sink: RecordSink, recordStart: number): number {
    this.fields.push(this.fieldPrefix)
    this.fieldPrefix = ""
    this.mode = fieldStartMode
    const code = text.charCodeAt(at)
    if (code === this.delimiter) return at + 1
    this.endLine(code)
    this.emit(text, recordStart, at, sink)
    return at + 1
  }

  /** A line break that ends a record. */
  private endLine(code: number): void {
    this.lineBreaks++
    this.afterCarriageReturn = code === carriageReturn
  }

  private emit(text: string, recordStart: number, end: number, sink: RecordSink): void {
    const raw = this.rawPrefix === "" ? text.slice(recordStart, end) : this.rawPrefix + text.slice(recordStart, end)
    this.emitRaw(raw, sink)
  }

  private emitRaw(raw: string, sink: RecordSink): void {
    if (raw.length > this.maxRecordLength) {
      this.resume = this.overflow(raw, true, sink)
      return
    }
    const fields = this.fields
    this.reset()
    sink.record(fields, raw)
  }

  private reset(): void {
    this.fields = []
    this.fieldPrefix = ""
    this.rawPrefix = ""
    this.inRecord = false
    this.mode = fieldStartMode
  }
}
