/**
 * A small seedable pseudo-random generator (xoshiro128**, seeded through
 * SplitMix32), so that generated data is the same byte for byte for the
 * same seed on every machine. Never `Math.random`.
 *
 * @internal
 */

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0

/** A deterministic random source. */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0
    const splitMix = (): number => {
      state = (state + 0x9e3779b9) >>> 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = splitMix()
    this.b = splitMix()
    this.c = splitMix()
    this.d = splitMix()
    // An all-zero state would only ever yield zeros.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0
    const t = (this.b << 9) >>> 0
    this.c = (this.c ^ this.a) >>> 0
    this.d = (this.d ^ this.b) >>> 0
    this.b = (this.b ^ this.c) >>> 0
    this.a = (this.a ^ this.d) >>> 0
    this.c = (this.c ^ t) >>> 0
    this.d = rotl(this.d, 11)
    return result
  }

  /** A float in [0, 1). */
  float(): number {
    return this.nextUint32() / 4_294_967_296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** An exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean
  }

  /** One element of a non-empty list. */
  pick<A>(items: readonly [A, ...Array<A>]): A {
    return items[this.int(items.length)] ?? items[0]
  }
}

/**
 * Walker's alias table: draws an index in proportion to its weight in
 * constant time, whatever the number of weights.
 */
export class AliasTable {
  private readonly probability: Float64Array
  private readonly alias: Uint32Array

  constructor(weights: ReadonlyArray<number>) {
    const n = weights.length
    this.probability = new Float64Array(n)
    this.alias = new Uint32Array(n)
    const total = weights.reduce((sum, weight) => sum + weight, 0)
    const scaled = weights.map((weight) => (weight * n) / total)
    const small: Array<number> = []
    const large: Array<number> = []
    scaled.forEach((value, index) => (value < 1 ? small : large).push(index))
    for (;;) {
      const less = small.pop()
      const more = large.pop()
      if (less === undefined || more === undefined) {
        for (const index of [...small, ...large, ...(less === undefined ? [] : [less]), ...(more === undefined ? [] : [more])]) {
          this.probability[index] = 1
        }
        break
      }
      this.probability[less] = scaled[less] ?? 0
      this.alias[less] = more
      const remaining = (scaled[more] ?? 0) + (scaled[less] ?? 0) - 1
      scaled[more] = remaining
      ;(remaining < 1 ? small : large).push(more)
    }
  }

  /** Draws an index. */
  sample(random: Prng): number {
    const index = random.int(this.probability.length)
    return random.float() < (this.probability[index] ?? 1) ? index : (this.alias[index] ?? index)
  }
}

/** A table for drawing one of a few weighted items. */
export class WeightedChoice<A> {
  private readonly table: AliasTable

  constructor(private readonly items: readonly [readonly [A, number], ...Array<readonly [A, number]>]) {
    this.table = new AliasTable(items.map(([, weight]) => weight))
  }

  /** Draws an item. */
  sample(random: Prng): A {
    return (this.items[this.table.sample(random)] ?? this.items[0])[0]
  }
}
