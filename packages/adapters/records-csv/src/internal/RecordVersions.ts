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

const isSpace = (code: number): boolean =>
  code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xfeff || (code >= 0x2000 && (code <= 0x200a ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000)) || code === 0x1680

/**
 * A 32-bit digest of the cells at `indexes`, each trimmed as `String.prototype.trim`
 * trims (without making the trimmed copy), each followed by a separator no
 * cell holds. Called for every row of an export with record ids: no
 * allocation, one pass over the mapped cells.
 */
export const contentDigest = (fields: ReadonlyArray<string>, indexes: ReadonlyArray<number | undefined>): number => {
  let hash = 0x811c9dc5
  for (let column = 0; column < indexes.length; column++) {
    const at = indexes[column]
    const text = at === undefined ? undefined : fields[at]
    if (text !== undefined) {
      let start = 0
      let end = text.length
      while (start < end && isSpace(text.charCodeAt(start))) start++
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--
      for (let index = start; index < end; index++) {
        hash ^= text.charCodeAt(index)
        hash = Math.imul(hash, 16_777_619)
      }
    }
    hash = Math.imul(hash ^ 0xffff, 16_777_619)
  }
  return hash >>> 0
}

/** First versions of record ids, by digest. */
export class RecordVersions {
  // Four words per slot, side by side so that a probe touches one cache
  // line: id digest high, id digest low (0: empty), content digest, row.
  private slots = new Uint32Array(4 << 12)
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
    if ((this.size + 1) * 16 > this.slots.length * 3) this.grow()
    const slots = this.slots
    const mask = (slots.length >>> 2) - 1
    let slot = high & mask
    for (;;) {
      const at = slot << 2
      if (slots[at + 1] === emptySlot) {
        slots[at] = high
        slots[at + 1] = low
        slots[at + 2] = content
        slots[at + 3] = rowNumber
        this.size += 1
        return 0
      }
      if (slots[at] === high && slots[at + 1] === low) {
        return slots[at + 2] === content ? 0 : (slots[at + 3] ?? 0)
      }
      slot = (slot + 1) & mask
    }
  }

  private grow(): void {
    const old = this.slots
    const slots = new Uint32Array(old.length * 2)
    const mask = (slots.length >>> 2) - 1
    for (let from = 0; from < old.length; from += 4) {
      if (old[from + 1] === emptySlot) continue
      let slot = (old[from] ?? 0) & mask
      while (slots[(slot << 2) + 1] !== emptySlot) slot = (slot + 1) & mask
      slots.set(old.subarray(from, from + 4), slot << 2)
    }
    this.slots = slots
  }
}
