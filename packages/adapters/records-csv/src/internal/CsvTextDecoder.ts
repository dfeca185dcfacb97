/**
 * Bytes of a CSV file to text, chunk by chunk, exactly as decoding the whole
 * file at once would give it: a byte-order mark at the very start picks the
 * encoding and is dropped (UTF-8 `EF BB BF`, UTF-16LE `FF FE`, as csv-parse
 * recognizes them); without one the text is UTF-8, invalid bytes read as
 * U+FFFD. The marks of UTF-16BE (`FE FF`) and UTF-32 stop the reading
 * ({@link UnsupportedEncodingFound}): read as UTF-8 they would give text
 * full of NUL characters.
 *
 * A chunk is decoded up to its last ASCII byte and the rest waits for the
 * next chunk: an ASCII byte ends any UTF-8 sequence before it, so the pieces
 * decode to what the whole would (a character split between two reads is
 * never cut, and an invalid sequence gives the same replacement characters).
 *
 * @internal
 */

type Encoding = "utf8" | "utf16le"

/**
 * The file starts with the byte-order mark of an encoding the reader does
 * not read (UTF-16BE, UTF-32): decoded as UTF-8 it would give a header full
 * of NUL characters, so reading stops.
 */
export class UnsupportedEncodingFound extends Error {
  constructor(readonly encoding: string) {
    super(`the file starts with a ${encoding} byte-order mark`)
  }
}

const startsWith = (buffer: Buffer, prefix: ReadonlyArray<number>): boolean =>
  buffer.length >= prefix.length && prefix.every((byte, index) => buffer[index] === byte)

/**
 * The encoding a file's first bytes announce, and how many bytes the mark
 * takes; `undefined` while fewer than four bytes are in and more may come.
 * Throws {@link UnsupportedEncodingFound} for UTF-16BE and UTF-32.
 */
const detect = (buffer: Buffer, final: boolean): { readonly encoding: Encoding; readonly skip: number } | undefined => {
  if (buffer.length < 4 && !final) return undefined
  if (startsWith(buffer, [0xff, 0xfe, 0x00, 0x00])) throw new UnsupportedEncodingFound("UTF-32LE")
  if (startsWith(buffer, [0x00, 0x00, 0xfe, 0xff])) throw new UnsupportedEncodingFound("UTF-32BE")
  if (startsWith(buffer, [0xfe, 0xff])) throw new UnsupportedEncodingFound("UTF-16BE")
  if (startsWith(buffer, [0xef, 0xbb, 0xbf])) return { encoding: "utf8", skip: 3 }
  if (startsWith(buffer, [0xff, 0xfe])) return { encoding: "utf16le", skip: 2 }
  return { encoding: "utf8", skip: 0 }
}

/** Decodes a file's bytes chunk by chunk; see the module's documentation. */
export class CsvTextDecoder {
  private encoding: Encoding | undefined = undefined
  private carry: Buffer | undefined = undefined

  /** The text of this chunk that is complete; the bytes of an unfinished character wait for the next one. */
  write(chunk: Buffer): string {
    let buffer = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk])
    this.carry = undefined
    if (this.encoding === undefined) {
      // Decided once four bytes are in: a UTF-32LE mark starts like UTF-16LE's.
      const found = detect(buffer, false)
      if (found === undefined) {
        this.carry = buffer
        return ""
      }
      this.encoding = found.encoding
      buffer = buffer.subarray(found.skip)
    }
    const end = this.encoding === "utf16le" ? buffer.length - (buffer.length % 2) : afterLastAscii(buffer)
    if (end < buffer.length) this.carry = buffer.subarray(end)
    return end === 0 ? "" : buffer.toString(this.encoding, 0, end)
  }

  /** The text still waiting at the end of the file (an unfinished character decodes as U+FFFD). */
  end(): string {
    let rest = this.carry
    this.carry = undefined
    if (rest === undefined) return ""
    if (this.encoding === undefined) {
      const found = detect(rest, true)!
      this.encoding = found.encoding
      rest = rest.subarray(found.skip)
    }
    return rest.toString(this.encoding)
  }
}

/** The index just after the last ASCII byte, or 0 when there is none. */
const afterLastAscii = (buffer: Buffer): number => {
  for (let index = buffer.length - 1; index >= 0; index--) {
    if ((buffer[index] ?? 0) < 0x80) return index + 1
  }
  return 0
}
