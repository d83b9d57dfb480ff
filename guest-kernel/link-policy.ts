import type { Linker } from '../linker/index.js';

/** Picks between two alternatives of a function by the node's load (image field `policies`). */
export interface LinkPolicy {
  readonly symbol: string;
  /** Alternative while most cores are busy, e.g. `f.seq`. */
  readonly busy: string;
  /** Alternative once at least half of the cores are idle, e.g. `f.lwp`. */
  readonly idle: string;
  /** Calls the mediator must have counted since the last switch before the policy acts. */
  readonly minCalls: number;
}

/**
 * Virtual ns between two policy decisions. Policies decide at the epochs k * POLICY_EPOCH_NS,
 * with the node's cores held there, so a decision never depends on the quantum.
 */
export const POLICY_EPOCH_NS = 10_000;

/** A node's load at a policy epoch. */
export interface NodeLoad {
  readonly nodeId: number;
  readonly cores: number;
  /** Cores that can run: not idle, exited, faulted or asleep. */
  readonly busyCores: number;
  /** Cores that can run or sleep: those that may still call anything. */
  readonly liveCores: number;
  /** Virtual time of the epoch. */
  readonly timeNs: number;
}

export interface PolicyRunnerState {
  readonly callsAtSwitch: readonly (readonly [string, number])[];
  readonly pending: readonly (readonly [number, string])[];
}

/** Re-links a symbol by agreement among the node's cores; returns the proposal's number. */
export type Relink = (symbol: string, module: string, atNs: number) => number;

/**
 * Runs policies at their epochs. The choice lives in the linkage (which module a
 * reference leads to), never in a conditional on the call path.
 */
export class PolicyRunner {
  private readonly callsAtSwitch = new Map<string, number>();
  /** Symbols with a re-link under way, by proposal: no second proposal until it is decided. */
  private readonly pending = new Map<number, string>();

  constructor(private readonly linker: Linker, private readonly policies: readonly LinkPolicy[],
              private readonly relink: Relink) {}

  saveState(): PolicyRunnerState {
    return { callsAtSwitch: [...this.callsAtSwitch], pending: [...this.pending] };
  }

  loadState(state: PolicyRunnerState): void {
    this.callsAtSwitch.clear();
    for (const [symbol, calls] of state.callsAtSwitch) this.callsAtSwitch.set(symbol, calls);
    this.pending.clear();
    for (const [proposal, symbol] of state.pending) this.pending.set(proposal, symbol);
  }

  tick(load: NodeLoad): void {
    for (const policy of this.policies) {
      const wanted = load.busyCores * 2 <= load.cores ? policy.idle : policy.busy;
      const binding = this.linker.binding(policy.symbol);
      if (binding.provider === wanted || [...this.pending.values()].includes(policy.symbol)) continue;
      const calls = this.calls(policy.symbol);
      if (calls - (this.callsAtSwitch.get(policy.symbol) ?? 0) < policy.minCalls) continue;
      this.pending.set(this.relink(policy.symbol, wanted, load.timeNs), policy.symbol);
      this.callsAtSwitch.set(policy.symbol, calls);
    }
  }

  /** A proposal is over; if it was one of this runner's, its symbol may be re-linked again. */
  decided(proposal: number): void {
    this.pending.delete(proposal);
  }

  private calls(symbol: string): number {
    return this.linker.calls().filter((entry) => entry.symbol === symbol).reduce((sum, entry) => sum + entry.calls, 0);
  }
}
