/**
 * Bytes of a CSV file to text, chunk by chunk, exactly as decoding the whole
 * file at once would give it: a byte-order mark at the very start picks the
 * encoding and is dropped (UTF-8 `EF BB BF`, UTF-16LE `FF FE`, as csv-parse
 * recognizes them); without one the text is UTF-8, invalid bytes read as
 * U+FFFD.
 *
 * A chunk is decoded up to its last ASCII byte and the rest waits for the
 * next chunk: an ASCII byte ends any UTF-8 sequence before it, so the pieces
 * decode to what the whole would (a character split between two reads is
 * never cut, and an invalid sequence gives the same replacement characters).
 *
 * @internal
 */

type Encoding = "utf8" | "utf16le"

const utf8Bom = [0xef, 0xbb, 0xbf] as const
const utf16leBom = [0xff, 0xfe] as const

const startsWith = (buffer: Buffer, prefix: ReadonlyArray<number>): boolean =>
  buffer.length >= prefix.length && prefix.every((byte, index) => buffer[index] === byte)

/** Decodes a file's bytes chunk by chunk; see the module's documentation. */
export class CsvTextDecoder {
  private encoding: Encoding | undefined = undefined
  private carry: Buffer | undefined = undefined

  /** The text of this chunk that is complete; the bytes of an unfinished character wait for the next one. */
  write(chunk: Buffer): string {
    let buffer = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk])
    this.carry = undefined
    if (this.encoding === undefined) {
      // Like csv-parse, decide on the byte-order mark once three bytes are in.
      if (buffer.length < 3) {
        this.carry = buffer
        return ""
      }
      if (startsWith(buffer, utf8Bom)) {
        this.encoding = "utf8"
        buffer = buffer.subarray(utf8Bom.length)
      } else if (startsWith(buffer, utf16leBom)) {
        this.encoding = "utf16le"
        buffer = buffer.subarray(utf16leBom.length)
      } else {
        this.encoding = "utf8"
      }
    }
    const end = this.encoding === "utf16le" ? buffer.length - (buffer.length % 2) : afterLastAscii(buffer)
    if (end < buffer.length) this.carry = buffer.subarray(end)
    return end === 0 ? "" : buffer.toString(this.encoding, 0, end)
  }

  /** The text still waiting at the end of the file (an unfinished character decodes as U+FFFD). */
  end(): string {
    const rest = this.carry
    this.carry = undefined
    return rest === undefined ? "" : rest.toString(this.encoding ?? "utf8")
  }
}

/** The index just after the last ASCII byte, or 0 when there is none. */
const afterLastAscii = (buffer: Buffer): number => {
  for (let index = buffer.length - 1; index >= 0; index--) {
    if ((buffer[index] ?? 0) < 0x80) return index + 1
  }
  return 0
}
