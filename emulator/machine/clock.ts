/** A core's virtual clock: retired instructions plus charged costs, in cycles. */
export class VirtualClock {
  private cycleCount = 0;

  constructor(readonly hz: number) {}

  get cycles(): number {
    return this.cycleCount;
  }

  /** Sets the cycle count (a restored snapshot). */
  set cycles(count: number) {
    this.cycleCount = count;
  }

  advance(cycles: number): void {
    this.cycleCount += cycles;
  }

  /** Moves the clock forward to `ns` if it is behind (a core woken by an event). */
  advanceToNs(ns: number): void {
    const target = Math.ceil((ns * this.hz) / 1e9);
    if (target > this.cycleCount) this.cycleCount = target;
  }

  get ns(): number {
    return (this.cycleCount * 1e9) / this.hz;
  }
}
