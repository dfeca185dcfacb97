/**
 * Counts how often each row content has been seen in one export, so that
 * identical rows of a source without record ids get distinct dedupe keys
 * (the 2006 Sacramento reports hold 38 rows that repeat an earlier row
 * exactly: separate reports of the same kind, place and minute).
 *
 * An open-addressing table of 64-bit digest prefixes in typed arrays: 12
 * bytes per distinct row, no per-entry objects, and no limit on entries
 * (a `Map` tops out near 16.7 million).
 *
 * @internal
 */

const emptySlot = 0

/** Occurrence counts by 64-bit digest prefix. */
export class RowOccurrences {
  private high = new Uint32Array(1 << 16)
  private low = new Uint32Array(1 << 16)
  private counts = new Uint32Array(1 << 16)
  private size = 0

  /**
   * Records one more occurrence of the row whose sha256 digest starts with
   * these 8 bytes and returns its ordinal: 1 the first time, 2 the second...
   * A prefix collision between two different rows (odds about 1 in 10^8 for
   * ten million rows) only makes the second one's ordinal 2: its key stays
   * unique and the same on every run of the same file.
   */
  next(digest: Uint8Array): number {
    const high = ((digest[0] ?? 0) << 24 | (digest[1] ?? 0) << 16 | (digest[2] ?? 0) << 8 | (digest[3] ?? 0)) >>> 0
    // Bit 0 is forced on so that no key equals the empty slot marker.
    const low = ((digest[4] ?? 0) << 24 | (digest[5] ?? 0) << 16 | (digest[6] ?? 0) << 8 | (digest[7] ?? 0) | 1) >>> 0
    if ((this.size + 1) * 4 > this.high.length * 3) this.grow()
    const mask = this.high.length - 1
    let slot = high & mask
    for (;;) {
      if (this.low[slot] === emptySlot) {
        this.high[slot] = high
        this.low[slot] = low
        this.counts[slot] = 1
        this.size += 1
        return 1
      }
      if (this.high[slot] === high && this.low[slot] === low) {
        const count = (this.counts[slot] ?? 0) + 1
        this.counts[slot] = count
        return count
      }
      slot = (slot + 1) & mask
    }
  }

  private grow(): void {
    const oldHigh = this.high
    const oldLow = this.low
    const oldCounts = this.counts
    const capacity = oldHigh.length * 2
    this.high = new Uint32Array(capacity)
    this.low = new Uint32Array(capacity)
    this.counts = new Uint32Array(capacity)
    const mask = capacity - 1
    for (let index = 0; index < oldHigh.length; index++) {
      const low = oldLow[index] ?? emptySlot
      if (low === emptySlot) continue
      const high = oldHigh[index] ?? 0
      let slot = high & mask
      while (this.low[slot] !== emptySlot) slot = (slot + 1) & mask
      this.high[slot] = high
      this.low[slot] = low
      this.counts[slot] = oldCounts[index] ?? 0
    }
  }
}
