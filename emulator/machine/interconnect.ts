export interface LinkParameters {
  readonly latencyNs: number;
  /** Bits per second. */
  readonly bandwidthBps: number;
}

export interface LinkOverride extends LinkParameters {
  readonly from: number;
  readonly to: number;
}

/** The network between nodes: a default link, and per-link overrides (both directions). */
export class Interconnect {
  private readonly overrides = new Map<string, LinkParameters>();

  constructor(readonly defaults: LinkParameters, overrides: readonly LinkOverride[] = []) {
    for (const link of overrides) {
      this.overrides.set(`${link.from}-${link.to}`, link);
      this.overrides.set(`${link.to}-${link.from}`, link);
    }
  }

  link(from: number, to: number): LinkParameters {
    return this.overrides.get(`${from}-${to}`) ?? this.defaults;
  }

  /** Virtual time from sending `bytes` at `from` to their arrival at `to`. */
  transferNs(from: number, to: number, bytes: number): number {
    const link = this.link(from, to);
    return link.latencyNs + (bytes * 8 * 1e9) / link.bandwidthBps;
  }
}
