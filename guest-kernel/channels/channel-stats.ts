/** Latency buckets: [0, 2^0), [2^0, 2^1), ... [2^(n-2), 2^(n-1)), then everything above, in virtual ns. */
const BUCKETS = 32;

export interface ChannelStatsState {
  readonly sentMessages: number;
  readonly receivedMessages: number;
  readonly bytes: number;
  readonly stalls: number;
  readonly histogram: readonly number[];
  readonly latencySumNs: number;
  readonly latencyMaxNs: number;
}

/** What one channel carried: messages, bytes, stalls and a latency histogram. */
export class ChannelStats {
  sentMessages = 0;
  receivedMessages = 0;
  bytes = 0;
  /** Sends refused because the ring or the window was full, and waits the library reported. */
  stalls = 0;
  readonly histogram = new Array<number>(BUCKETS).fill(0);
  private latencySumNs = 0;
  private latencyMaxNs = 0;

  sent(bytes: number): void {
    this.sentMessages += 1;
    this.bytes += bytes;
  }

  received(_bytes: number, latencyNs: number): void {
    this.receivedMessages += 1;
    this.latencySumNs += latencyNs;
    this.latencyMaxNs = Math.max(this.latencyMaxNs, latencyNs);
    const bucket = latencyNs < 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(latencyNs)) + 1);
    this.histogram[bucket]! += 1;
  }

  stall(): void {
    this.stalls += 1;
  }

  get meanLatencyNs(): number {
    return this.receivedMessages === 0 ? 0 : this.latencySumNs / this.receivedMessages;
  }

  get maxLatencyNs(): number {
    return this.latencyMaxNs;
  }

  /** Non-empty buckets as `<upper bound ns>: count`. */
  saveState(): ChannelStatsState {
    return {
      sentMessages: this.sentMessages, receivedMessages: this.receivedMessages, bytes: this.bytes, stalls: this.stalls,
      histogram: [...this.histogram], latencySumNs: this.latencySumNs, latencyMaxNs: this.latencyMaxNs,
    };
  }

  loadState(state: ChannelStatsState): void {
    this.sentMessages = state.sentMessages;
    this.receivedMessages = state.receivedMessages;
    this.bytes = state.bytes;
    this.stalls = state.stalls;
    state.histogram.forEach((count, i) => { this.histogram[i] = count; });
    this.latencySumNs = state.latencySumNs;
    this.latencyMaxNs = state.latencyMaxNs;
  }

  buckets(): { belowNs: number; count: number }[] {
    return this.histogram.flatMap((count, i) => (count === 0 ? [] : [{ belowNs: 2 ** i, count }]));
  }
}
