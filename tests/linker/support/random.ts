// A seeded generator for test addresses: the same seed gives the same cases on every
// run, so a failure names a case that can be replayed.

/** SplitMix64. */
export class Random {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }

  next(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** Uniform in 0..bound-1 (bound ≤ 2^64; the modulo bias is negligible here). */
  below(bound: bigint): bigint {
    return this.next() % bound;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Number(this.below(BigInt(items.length)))];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /**
   * A signed distance within [-magnitude, magnitude], log-uniform in size so that short
   * and long distances, forward and backward, are all common.
   */
  distance(magnitude: bigint): bigint {
    const scale = 1n << this.below(BigInt(magnitude.toString(2).length) + 1n);
    const size = this.below((scale < magnitude ? scale : magnitude) + 1n);
    return this.below(2n) === 0n ? size : -size;
  }

  /**
   * A site in an address space of `bits` bits, `align`-aligned and `room` bytes below
   * its top: low memory, above 4 GiB, or anywhere (mostly high) on 64-bit ISAs.
   */
  site(bits: 32 | 64, align: bigint, room = 0n): bigint {
    const top = (1n << BigInt(bits)) - room;
    const region = bits === 32 ? top : this.pick([1n << 32n, 1n << 48n, top]);
    const floor = region === 1n << 48n ? 1n << 32n : 0n;
    const site = floor + this.below(region - floor);
    return site - (site % align);
  }
}
