/**
 * The streaming CSV reader: what real exports contain (quotes, delimiters
 * and line breaks inside fields, CR / LF / CRLF, a BOM, blank lines, no
 * final line ending), at any chunking of the bytes, and the rows it cannot
 * read coming out as Malformed instead of stopping the stream.
 */
import { type CsvRow, readCsv } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import fc from "fast-check"
import { Readable } from "node:stream"
import { sacramentoReportsFile } from "./support/paths.ts"

const chunked = (bytes: Buffer, sizes: ReadonlyArray<number>): Readable => {
  const chunks: Array<Buffer> = []
  let offset = 0
  let turn = 0
  while (offset < bytes.length) {
    const size = Math.max(1, sizes[turn % Math.max(1, sizes.length)] ?? bytes.length)
    chunks.push(bytes.subarray(offset, offset + size))
    offset += size
    turn += 1
  }
  return Readable.from(chunks)
}

const rowsOf = (source: string | Readable) => Effect.runPromise(Stream.runCollect(readCsv(source)))

const simple = (rows: ReadonlyArray<CsvRow>) =>
  rows.map((row) => (row._tag === "Record" ? [row.rowNumber, ...row.fields] : [row.rowNumber, "MALFORMED", row.raw]))

describe("readCsv", () => {
  it("reads quoted delimiters, quotes and line breaks, numbering rows as a spreadsheet does", async () => {
    const text = "id,description,note\r\n" +
      "1,\"DV - ARGUMENTS, DISTURBANCE\",\"said \"\"stop\"\"\"\r\n" +
      "2,\"two\r\nlines\",x\r\n" +
      "3,plain,\r\n"
    assert.deepStrictEqual(simple(await rowsOf(Readable.from([Buffer.from(text)]))), [
      [1, "id", "description", "note"],
      [2, "1", "DV - ARGUMENTS, DISTURBANCE", "said \"stop\""],
      [3, "2", "two\nlines", "x"],
      [4, "3", "plain", ""]
    ])
  })

  it("gives the same rows for CR, LF and CRLF files, with or without a BOM, blank lines and a final newline", async () => {
    const lines = ["a,b", "1,\"x\ny\"", "", "2,z", "   "]
    const variants = ["\n", "\r", "\r\n"].flatMap((ending) =>
      ["", "\uFEFF"].flatMap((bom) =>
        ["", ending, ending + ending].map((tail) => bom + lines.map((line) => line.replace("\n", ending)).join(ending) + tail)
      )
    )
    const expected = [[1, "a", "b"], [2, "1", "x\ny"], [3, "2", "z"], [4, "   "]]
    for (const variant of variants) {
      assert.deepStrictEqual(simple(await rowsOf(Readable.from([Buffer.from(variant)]))), expected, JSON.stringify(variant))
    }
  })

  it("reads a file that mixes line endings", async () => {
    const rows = await rowsOf(Readable.from([Buffer.from("a,b\r\n1,2\n3,4\r5,6")]))
    assert.deepStrictEqual(simple(rows), [[1, "a", "b"], [2, "1", "2"], [3, "3", "4"], [4, "5", "6"]])
  })

  it("reads the real 2006 file (bare CR endings, no final newline) in place", async () => {
    const rows = await rowsOf(sacramentoReportsFile)
    assert.strictEqual(rows.length, 7_585)
    const last = rows.at(-1)
    assert.deepStrictEqual(last?._tag === "Record" ? last.fields.slice(0, 4) : [], ["1/31/06 23:50", "COBBLE COVE LN / COBBLE SHORES DR", "4", "4C        "])
    assert.strictEqual(last?.bytes, 793_574)
  })

  it("keeps a stray quote as text and emits an unclosed quote as one Malformed row", async () => {
    const rows = await rowsOf(Readable.from([Buffer.from("a,b\n1,ab\"c\n2,\"bad\"x\n3,\"open\n4,5\n")]))
    assert.deepStrictEqual(simple(rows), [
      [1, "a", "b"],
      [2, "1", "ab\"c"],
      [3, "2", "\"bad\"x"],
      [4, "MALFORMED", "3,\"open\n4,5"]
    ])
  })

  it("fails with CsvSourceError when the file cannot be read", async () => {
    const exit = await Effect.runPromiseExit(Stream.runCollect(readCsv("/nonexistent/calls.csv")))
    assert.isTrue(exit._tag === "Failure")
    assert.match(JSON.stringify(exit), /CsvSourceError/)
  })

  it("reads any records back unchanged, whatever the line endings and however the bytes are split", async () => {
    const field = fc.string({ unit: fc.constantFrom("a", "Z", " ", ",", "\"", "\n", "é", "1"), maxLength: 6 })
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("\n", "\r", "\r\n"),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        async (records, ending, bom, sizes) => {
          const quote = (value: string) => `"${value.replace(/"/g, "\"\"").replace(/\n/g, ending)}"`
          const text = (bom ? "\uFEFF" : "") + ["h1,h2,h3", ...records.map((record) => record.map(quote).join(","))].join(ending)
          const rows = await rowsOf(chunked(Buffer.from(text), sizes))
          assert.deepStrictEqual(simple(rows), [[1, "h1", "h2", "h3"], ...records.map((record, index) => [index + 2, ...record])])
        }
      ),
      { numRuns: 150 }
    )
  })
})

describe("readCsv and byte-order marks", () => {
  const read = (chunks: ReadonlyArray<ReadonlyArray<number>>, maxRecordLength?: number) =>
    Effect.runPromise(
      Effect.result(
        readCsv(Readable.from(chunks.map((bytes) => Buffer.from(bytes))), { maxRecordLength }).pipe(
          Stream.runCollect,
          Effect.map((rows) => Array.from(rows, (row) => row.raw))
        )
      )
    )

  it("stops at a UTF-16BE or UTF-32 mark even when it is split across reads", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<ReadonlyArray<number>>, string]> = [
      [[[0xfe], [0xff, 0x00, 0x61]], "UTF-16BE"],
      [[[0xff, 0xfe, 0x00], [0x00, 0x61, 0, 0, 0]], "UTF-32LE"],
      [[[0x00, 0x00], [0xfe, 0xff]], "UTF-32BE"]
    ]
    for (const [chunks, encoding] of cases) {
      const result = await read(chunks)
      assert.isTrue(result._tag === "Failure" && result.failure._tag === "UnsupportedEncoding", encoding)
      assert.strictEqual(result._tag === "Failure" && "encoding" in result.failure ? result.failure.encoding : "", encoding)
    }
  })

  it("reads files shorter than a mark's four bytes, and UTF-8 and UTF-16LE marks split across reads", async () => {
    const rows = async (chunks: ReadonlyArray<ReadonlyArray<number>>) => {
      const result = await read(chunks)
      return result._tag === "Success" ? result.success : result.failure._tag
    }
    assert.deepStrictEqual(await rows([[0x61, 0x2c, 0x62]]), ["a,b"])
    assert.deepStrictEqual(await rows([[0xef, 0xbb, 0xbf]]), [])
    assert.deepStrictEqual(await rows([[0xef], [0xbb, 0xbf, 0x61]]), ["a"])
    assert.deepStrictEqual(await rows([[0xff], [0xfe, 0x61, 0x00]]), ["a"])
  })

  it("reads records of any length with an infinite limit, and takes the default for a limit under one", async () => {
    const long = [0x22, ...new Array<number>(100).fill(0x61)]
    for (const limit of [Infinity, 0, -5]) {
      const result = await read([long], limit)
      assert.deepStrictEqual(result._tag === "Success" ? result.success : [], [String.fromCharCode(...long)], String(limit))
    }
    const capped = await read([long], 10)
    assert.deepStrictEqual(capped._tag === "Success" ? capped.success : [], [String.fromCharCode(...long.slice(0, 10))])
  })
})
