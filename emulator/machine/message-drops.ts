import type { KernelMessage } from '../../guest-kernel/index.js';

/** A message the image asks the interconnect to lose: the nth of its kind on a link. */
export interface DropRule {
  readonly kind: KernelMessage['kind'];
  readonly from?: number | undefined;
  readonly to: number;
  readonly nth: number;
}

/** Fault injection: counts messages per rule and loses the chosen ones. */
export class MessageDrops {
  private readonly seen: number[];
  /** Messages lost so far, for reports. */
  dropped = 0;

  constructor(private readonly rules: readonly DropRule[]) {
    this.seen = rules.map(() => 0);
  }

  saveState(): { readonly seen: readonly number[]; readonly dropped: number } {
    return { seen: [...this.seen], dropped: this.dropped };
  }

  loadState(state: { readonly seen: readonly number[]; readonly dropped: number }): void {
    state.seen.forEach((count, i) => { this.seen[i] = count; });
    this.dropped = state.dropped;
  }

  drops(message: KernelMessage): boolean {
    let drop = false;
    this.rules.forEach((rule, i) => {
      if (rule.kind !== message.kind || rule.to !== message.to) return;
      if (rule.from !== undefined && rule.from !== message.from) return;
      this.seen[i]! += 1;
      if (this.seen[i] === rule.nth) drop = true;
    });
    if (drop) this.dropped += 1;
    return drop;
  }
}
