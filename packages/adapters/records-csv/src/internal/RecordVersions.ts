/**
 * The first version of each record id in one export, so that a record id
 * that comes again with other content is caught as a conflict instead of
 * being counted as a duplicate and dropped without trace.
 *
 * An open-addressing table in typed arrays: a 64-bit digest of the id, a
 * 32-bit digest of the content of the mapped columns, and the row number of
 * the first version: 16 bytes per distinct id, no per-entry objects. A
 * digest collision between two ids (about 1 in 10^7 for ten million ids)
 * would report a conflict between them; a collision between two contents of
 * one id (about 1 in 4 x 10^9) would miss one.
 *
 * @internal
 */

const emptySlot = 0

const fnv1a = (text: string, hash: number): number => {
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 16_777_619)
  }
  return hash
}

// A second, differently mixed pass over the id, for the digest's other 32 bits.
const mixed = (text: string): number => {
  let hash = 0x9747b28c
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x5bd1e995)
    hash ^= hash >>> 15
  }
  return hash
}

/** A 32-bit digest of several texts (each followed by a separator no text holds alone). */
export const contentDigest = (texts: ReadonlyArray<string>): number => {
  let hash = 0x811c9dc5
  for (const text of texts) hash = Math.imul(fnv1a(text, hash) ^ 0xffff, 16_777_619)
  return hash >>> 0
}

/** First versions of record ids, by digest. */
export class RecordVersions {
  private high = new Uint32Array(1 << 12)
  private low = new Uint32Array(1 << 12)
  private contents = new Uint32Array(1 << 12)
  private rows = new Uint32Array(1 << 12)
  private size = 0

  /**
   * Records the version of `id` read at `rowNumber` with content digest
   * `content`, unless an earlier one is known. Returns 0 when this is the
   * first version or the same content again, else the row number of the
   * first version (whose content differs).
   */
  see(id: string, content: number, rowNumber: number): number {
    const high = fnv1a(id, 0x811c9dc5) >>> 0
    // Bit 0 is forced on so that no key equals the empty slot marker.
    const low = (mixed(id) | 1) >>> 0
    if ((this.size + 1) * 4 > this.high.length * 3) this.grow()
    const mask = this.high.length - 1
    let slot = high & mask
    for (;;) {
      if (this.low[slot] === emptySlot) {
        this.high[slot] = high
        this.low[slot] = low
        this.contents[slot] = content
        this.rows[slot] = rowNumber
        this.size += 1
        return 0
      }
      if (this.high[slot] === high && this.low[slot] === low) {
        return this.contents[slot] === content ? 0 : (this.rows[slot] ?? 0)
      }
      slot = (slot + 1) & mask
    }
  }

  private grow(): void {
    const [oldHigh, oldLow, oldContents, oldRows] = [this.high, this.low, this.contents, this.rows]
    const capacity = oldHigh.length * 2
    this.high = new Uint32Array(capacity)
    this.low = new Uint32Array(capacity)
    this.contents = new Uint32Array(capacity)
    this.rows = new Uint32Array(capacity)
    const mask = capacity - 1
    for (let index = 0; index < oldHigh.length; index++) {
      const low = oldLow[index] ?? emptySlot
      if (low === emptySlot) continue
      const high = oldHigh[index] ?? 0
      let slot = high & mask
      while (this.low[slot] !== emptySlot) slot = (slot + 1) & mask
      this.high[slot] = high
      this.low[slot] = low
      this.contents[slot] = oldContents[index] ?? 0
      this.rows[slot] = oldRows[index] ?? 0
    }
  }
}
