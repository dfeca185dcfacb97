/**
 * The CSV reader as it was before issue 4: csv-parse 7 behind the same
 * stream of rows. Kept, unchanged but for its name, as the oracle the
 * hand-written parser is compared with: same records, same row numbers,
 * same raw text, same reasons.
 */
import { parse } from "csv-parse"
import { createReadStream } from "node:fs"
import { pipeline, type Readable } from "node:stream"
import { Array as Arr, Stream } from "effect"
import { type CsvReadOptions, type CsvRow, type CsvSource, CsvSourceError } from "../../../src/CsvReader.ts"

interface ParsedRecord {
  readonly record: Array<string>
  readonly raw: string
}

interface SkippedRecord {
  readonly skipped: string
  readonly raw: string
}

const isLineBreak = (code: number): boolean => code === 10 || code === 13

// csv-parse's raw text can carry line-ending characters at either end.
const withoutLineEndings = (raw: string): string => {
  let start = 0
  let end = raw.length
  while (start < end && isLineBreak(raw.charCodeAt(start))) start++
  while (end > start && isLineBreak(raw.charCodeAt(end - 1))) end--
  return start === 0 && end === raw.length ? raw : raw.slice(start, end)
}

const normalizeLineBreaks = (field: string): string => (field.includes("\r") ? field.replace(/\r\n?/g, "\n") : field)

const sourceName = (source: CsvSource): string => (typeof source === "string" ? source : "stream")

async function* chunks(source: CsvSource, options: CsvReadOptions): AsyncGenerator<Arr.NonEmptyReadonlyArray<CsvRow>> {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 1_000))
  // Declared before the parser so that `on_skip` can hand a bad record to the
  // same output, in order, instead of losing its place.
  let parser: ReturnType<typeof parse> | undefined = undefined
  parser = parse({
    delimiter: options.delimiter ?? ",",
    // All three line endings at once: auto-detection fixes one ending from
    // the first line and would then read a file that mixes them as one row.
    record_delimiter: ["\r\n", "\n", "\r"],
    bom: true,
    raw: true,
    relax_column_count: true,
    // A stray quote inside an unquoted field is kept as text rather than
    // failing the record (and, in csv-parse, the records after it).
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      parser?.push({ skipped: error?.message ?? "unreadable record", raw: raw ?? "" } satisfies SkippedRecord)
      return undefined
    }
  })
  const input = typeof source === "string" ? createReadStream(source) : source
  // pipeline() destroys every stream when one fails or the consumer stops,
  // so an interrupted import leaves no open file behind.
  pipeline(input, parser, () => undefined)
  let rowNumber = 0
  let chunk: Array<CsvRow> = []
  for await (const item of parser as AsyncIterable<ParsedRecord | SkippedRecord>) {
    rowNumber += 1
    const bytes = parser.info.bytes
    const raw = withoutLineEndings(item.raw)
    chunk.push(
      "skipped" in item
        ? { _tag: "Malformed", rowNumber, raw, reason: item.skipped, bytes }
        : {
          _tag: "Record",
          rowNumber,
          // Only a record that spans lines can hold a CR inside a field.
          fields: raw.includes("\r") ? item.record.map(normalizeLineBreaks) : item.record,
          raw,
          bytes
        }
    )
    if (chunk.length >= chunkSize && Arr.isArrayNonEmpty(chunk)) {
      yield chunk
      chunk = []
    }
  }
  if (Arr.isArrayNonEmpty(chunk)) yield chunk
}

/**
 * Reads CSV records as a stream, the header included (row 1). Fails with
 * {@link CsvSourceError} only when the bytes cannot be read; a record that
 * cannot be parsed comes out as `Malformed`.
 *
 * @example
 * ```ts
 * readCsv("/data/calls.csv").pipe(Stream.take(3), Stream.runCollect)
 * ```
 */
export const readCsvWithCsvParse = (source: CsvSource, options: CsvReadOptions = {}): Stream.Stream<CsvRow, CsvSourceError> =>
  Stream.suspend(() =>
    Stream.fromAsyncIterable(
      chunks(source, options),
      (cause) => new CsvSourceError({ source: sourceName(source), message: cause instanceof Error ? cause.message : String(cause) })
    )
  ).pipe(Stream.flattenArray)
