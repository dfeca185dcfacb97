/**
 * The streaming CSV reader every import is built on: an incremental parser
 * behind an Effect `Stream`, reading a file or any Node `Readable` with
 * constant memory (records are pulled in chunks, with back-pressure down to
 * the file).
 *
 * What it accepts, because real exports do all of it: quoted fields holding
 * delimiters, quotes (`""`) and line breaks; CR (old Mac, e.g. Sacramento's
 * 2006 reports), LF and CRLF line endings, even mixed in one file; a UTF-8
 * (or UTF-16LE) byte-order mark; blank lines anywhere, including at the end;
 * a missing final line ending. A record that cannot be read at all is still
 * emitted, as `Malformed` with its text and reason, so the caller can
 * quarantine it. It reads exactly what csv-parse 7 reads with relaxed quotes
 * and column counts (the tests compare the two on generated text), several
 * times faster, except that a record longer than `maxRecordLength` (4 MiB)
 * is set aside with its first line and reading resumes on the next line:
 * one stray quote cannot turn the rest of a file into one record in memory.
 *
 * @module
 */
import { createReadStream } from "node:fs"
import type { Readable } from "node:stream"
import { Array as Arr, Schema, Stream } from "effect"
import { CsvRecordParser, defaultMaxRecordLength, type RecordSink } from "./internal/CsvRecordParser.ts"
import { CsvTextDecoder, UnsupportedEncodingFound } from "./internal/CsvTextDecoder.ts"

/** Where CSV text comes from: a file path, or a Node readable stream of bytes. */
export type CsvSource = string | Readable

/**
 * One record of a CSV file. `rowNumber` counts records from 1 (the header is
 * row 1), as a spreadsheet numbers rows: a quoted line break does not start a
 * new row; empty lines are not counted.
 */
export type CsvRow =
  | {
    readonly _tag: "Record"
    readonly rowNumber: number
    /** The fields as written, unquoted; line breaks inside a field are `\n` whatever the file uses. */
    readonly fields: ReadonlyArray<string>
    /** The record's text without its line ending. */
    readonly raw: string
    /** Bytes of the source read so far (for progress). */
    readonly bytes: number
  }
  | {
    readonly _tag: "Malformed"
    readonly rowNumber: number
    readonly raw: string
    /** Why the record cannot be read, e.g. an unclosed quote. */
    readonly reason: string
    readonly bytes: number
  }

/** The CSV source could not be read (missing file, permission denied, I/O error). Nothing after it was read. */
export class CsvSourceError extends Schema.TaggedError<CsvSourceError>()("CsvSourceError", {
  /** The file path, or `"stream"` for a `Readable`. */
  source: Schema.String,
  message: Schema.String
}) {}

/**
 * The file is in an encoding the reader does not read: UTF-16BE or UTF-32
 * (announced by their byte-order marks), or UTF-16 or UTF-32 without a
 * byte-order mark (the header holds NUL characters). Nothing was read.
 * Save the export as UTF-8 (or UTF-16LE with its byte-order mark).
 */
export class UnsupportedEncoding extends Schema.TaggedError<UnsupportedEncoding>()("UnsupportedEncoding", {
  /** The file path, or `"stream"` for a `Readable`. */
  source: Schema.String,
  /** What the file looks like, e.g. `UTF-16BE`. */
  encoding: Schema.String
}) {
  override get message(): string {
    return `${this.source} is ${this.encoding}, an encoding the CSV reader does not read: ` +
      "save the export as UTF-8 (or UTF-16LE with its byte-order mark)"
  }
}

/** How to read the text. */
export interface CsvReadOptions {
  /** The field delimiter, one character; `,` by default. */
  readonly delimiter?: string | undefined
  /** How many records a stream chunk holds; 1,000 by default. Larger chunks, fewer hand-offs. */
  readonly chunkSize?: number | undefined
  /**
   * The longest record read, in characters; 4 MiB ({@link defaultMaxRecordLength}) by default.
   * A longer one (typically a stray quote that would swallow the rest of the
   * file) comes out as `Malformed` with its first line, and reading goes on
   * from the line after that first line.
   */
  readonly maxRecordLength?: number | undefined
}

/** The default `maxRecordLength`: 4 MiB of text. */
export { defaultMaxRecordLength }

// Large reads: fewer hand-offs between the file, the decoder and the parser.
const fileReadBytes = 512 * 1024

const normalizeLineBreaks = (field: string): string => (field.includes("\r") ? field.replace(/\r\n?/g, "\n") : field)

const sourceName = (source: CsvSource): string => (typeof source === "string" ? source : "stream")

const asBuffer = (chunk: unknown): Buffer =>
  Buffer.isBuffer(chunk)
    ? chunk
    : chunk instanceof Uint8Array
    ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    : Buffer.from(String(chunk))

async function* chunks(source: CsvSource, options: CsvReadOptions): AsyncGenerator<Arr.NonEmptyReadonlyArray<CsvRow>> {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 1_000))
  const parser = new CsvRecordParser(options.delimiter ?? ",", options.maxRecordLength ?? defaultMaxRecordLength)
  const decoder = new CsvTextDecoder()
  let rowNumber = 0
  let bytes = 0
  let rows: Array<CsvRow> = []
  const ready: Array<Arr.NonEmptyReadonlyArray<CsvRow>> = []
  const add = (row: CsvRow) => {
    rows.push(row)
    if (rows.length >= chunkSize && Arr.isArrayNonEmpty(rows)) {
      ready.push(rows)
      rows = []
    }
  }
  const sink: RecordSink = {
    record: (fields, raw) => {
      rowNumber += 1
      // Only a record that spans lines can hold a CR inside a field.
      add({ _tag: "Record", rowNumber, fields: raw.includes("\r") ? fields.map(normalizeLineBreaks) : fields, raw, bytes })
    },
    malformed: (raw, reason) => {
      rowNumber += 1
      add({ _tag: "Malformed", rowNumber, raw, reason, bytes })
    }
  }
  // Leaving the loop early (the consumer stops, the import is interrupted)
  // destroys the stream, so no file is left open.
  const input = typeof source === "string" ? createReadStream(source, { highWaterMark: fileReadBytes }) : source
  for await (const chunk of input) {
    const buffer = asBuffer(chunk)
    bytes += buffer.length
    parser.push(decoder.write(buffer), sink)
    yield* ready.splice(0)
  }
  parser.push(decoder.end(), sink)
  parser.end(sink)
  yield* ready.splice(0)
  if (Arr.isArrayNonEmpty(rows)) yield rows
}

/**
 * Reads CSV records as a stream, the header included (row 1). Fails with
 * {@link CsvSourceError} only when the bytes cannot be read, and with
 * {@link UnsupportedEncoding} when they are UTF-16BE or UTF-32; a record
 * that cannot be parsed comes out as `Malformed`.
 *
 * @example
 * ```ts
 * readCsv("/data/calls.csv").pipe(Stream.take(3), Stream.runCollect)
 * ```
 */
export const readCsv = (
  source: CsvSource,
  options: CsvReadOptions = {}
): Stream.Stream<CsvRow, CsvSourceError | UnsupportedEncoding> =>
  Stream.suspend(() =>
    Stream.fromAsyncIterable(
      chunks(source, options),
      (cause): CsvSourceError | UnsupportedEncoding =>
        cause instanceof UnsupportedEncodingFound
          ? new UnsupportedEncoding({ source: sourceName(source), encoding: cause.encoding })
          : new CsvSourceError({ source: sourceName(source), message: cause instanceof Error ? cause.message : String(cause) })
    )
  ).pipe(Stream.flattenArray)
