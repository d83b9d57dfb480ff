import type { KernelHost } from '../kernel-host.js';

/** A change to a replicated kernel table: which module implements a symbol. */
export interface BindingChange {
  readonly symbol: string;
  readonly module: string;
}

/** One core's replica of its node's binding table (the multikernel keeps no shared kernel data). */
export class BindingReplica {
  readonly table = new Map<string, string>();
  /** Symbols this core may not see change now: it votes no on them. */
  readonly pinned = new Set<string>();
  private tentative: BindingChange | undefined;

  constructor(readonly node: number, readonly core: number, initial: ReadonlyMap<string, string>) {
    for (const [symbol, module] of initial) this.table.set(symbol, module);
  }

  /** Phase 1: vote, and hold the change tentatively when voting yes. */
  prepare(change: BindingChange): boolean {
    if (this.pinned.has(change.symbol)) return false;
    this.tentative = change;
    return true;
  }

  /** Phase 2: apply or drop the tentative change. */
  decide(commit: boolean): void {
    if (commit && this.tentative) this.table.set(this.tentative.symbol, this.tentative.module);
    this.tentative = undefined;
  }
}

export interface AgreementOutcome {
  readonly committed: boolean;
  readonly votes: readonly { readonly node: number; readonly core: number; readonly yes: boolean }[];
  /** Virtual time the coordinator decided, and the time every replica had acknowledged. */
  readonly decidedNs: number;
  readonly doneNs: number;
}

/** Virtual ns for a kernel message between two cores of one node: one cache line, as URPC. */
export const CORE_MESSAGE_NS = 150;

/**
 * Two-phase commit over the cores' replicas, with messages in virtual time: the
 * coordinator proposes, every replica votes and holds the change tentatively, then the
 * coordinator commits (all voted yes) or aborts, and every replica acknowledges.
 * `apply` runs at the decision, before any core runs again (a re-link patches code there).
 */
export class Agreement {
  /**
   * `decideAt` runs the decision on the coordinator's node at a virtual time; the kernel
   * holds the node's cores there, so the change is applied at the same point of every
   * core's execution whatever the quantum.
   */
  constructor(private readonly host: KernelHost,
              private readonly decideAt: (node: number, atNs: number, action: () => void) => void =
                (_node, atNs, action) => host.schedule(atNs, action)) {}

  private latencyNs(from: BindingReplica, to: BindingReplica, bytes: number): number {
    if (from === to) return 0;
    return from.node === to.node ? CORE_MESSAGE_NS : this.host.messageNs(from.node, to.node, bytes);
  }

  propose(coordinator: BindingReplica, replicas: readonly BindingReplica[], change: BindingChange, atNs: number,
          apply: () => void, done: (outcome: AgreementOutcome) => void): void {
    const votes: AgreementOutcome['votes'][number][] = [];
    let decidedNs = atNs;
    for (const replica of replicas) {
      const arriveNs = atNs + this.latencyNs(coordinator, replica, 64);
      decidedNs = Math.max(decidedNs, arriveNs + this.latencyNs(replica, coordinator, 16));
      this.host.schedule(arriveNs, () => {
        votes.push({ node: replica.node, core: replica.core, yes: replica.prepare(change) });
      });
    }
    this.decideAt(coordinator.node, decidedNs, () => {
      const committed = votes.length === replicas.length && votes.every((vote) => vote.yes);
      if (committed) apply();
      let doneNs = decidedNs;
      for (const replica of replicas) {
        replica.decide(committed);
        doneNs = Math.max(doneNs, decidedNs + this.latencyNs(coordinator, replica, 16) * 2);
      }
      this.host.schedule(doneNs, () => done({ committed, votes, decidedNs, doneNs }));
    });
  }
}
