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
