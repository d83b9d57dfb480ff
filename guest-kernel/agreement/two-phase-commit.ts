import type { KernelHost } from '../kernel-host.js';

/** A change to a replicated kernel table: which module implements a symbol. */
export interface BindingChange {
  readonly symbol: string;
  readonly module: string;
}

export interface ReplicaState {
  readonly table: readonly (readonly [string, string])[];
  readonly pinned: readonly string[];
  readonly tentative: BindingChange | null;
}

/** A proposal under way, with its replicas named by core (node and core numbers). */
interface ProposalState {
  readonly id: number;
  readonly coordinator: { readonly node: number; readonly core: number };
  readonly replicas: readonly { readonly node: number; readonly core: number }[];
  readonly change: BindingChange;
  readonly votes: readonly AgreementOutcome['votes'][number][];
  readonly proposedNs: number;
  readonly decidedNs: number;
  readonly outcome: AgreementOutcome | null;
}

export interface AgreementState {
  readonly nextProposal: number;
  readonly proposals: readonly ProposalState[];
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

  saveState(): ReplicaState {
    return { table: [...this.table], pinned: [...this.pinned], tentative: this.tentative ?? null };
  }

  loadState(state: ReplicaState): void {
    this.table.clear();
    for (const [symbol, module] of state.table) this.table.set(symbol, module);
    this.pinned.clear();
    for (const symbol of state.pinned) this.pinned.add(symbol);
    this.tentative = state.tentative ?? undefined;
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
  /** Virtual time the coordinator proposed, decided, and the time every replica had acknowledged. */
  readonly proposedNs: number;
  readonly decidedNs: number;
  readonly doneNs: number;
}

/** Virtual ns for a kernel message between two cores of one node: one cache line, as URPC. */
export const CORE_MESSAGE_NS = 150;

type Vote = AgreementOutcome['votes'][number];

/** A proposal under way: where it is and what it has heard. */
interface Proposal {
  readonly node: number;
  readonly coordinator: BindingReplica;
  readonly replicas: readonly BindingReplica[];
  readonly change: BindingChange;
  readonly votes: Vote[];
  readonly proposedNs: number;
  readonly decidedNs: number;
  outcome: AgreementOutcome | undefined;
}

/**
 * Two-phase commit over the cores' replicas, with messages in virtual time: the
 * coordinator proposes, every replica votes and holds the change tentatively, then the
 * coordinator commits (all voted yes) or aborts, and every replica acknowledges. Each
 * step is a kernel timer naming the proposal, so a proposal under way is plain data.
 */
export class Agreement {
  private readonly proposals = new Map<number, Proposal>();
  private nextProposal = 1;

  /**
   * `decideAt` sets the decision on the coordinator's node at a virtual time (the kernel
   * holds the node's cores there, so the change is applied at the same point of every
   * core's execution whatever the quantum); `apply` makes a committed change (a re-link
   * patches code), before any core runs again; `finished` hears every outcome.
   */
  constructor(private readonly host: KernelHost,
              private readonly decideAt: (node: number, atNs: number, proposal: number) => void,
              private readonly apply: (node: number, change: BindingChange) => void,
              private readonly finished: (proposal: number, coordinator: BindingReplica, change: BindingChange, outcome: AgreementOutcome) => void) {}

  saveState(): AgreementState {
    const ref = (replica: BindingReplica) => ({ node: replica.node, core: replica.core });
    return {
      nextProposal: this.nextProposal,
      proposals: [...this.proposals].map(([id, p]) => ({
        id, coordinator: ref(p.coordinator), replicas: p.replicas.map(ref), change: p.change, votes: [...p.votes],
        proposedNs: p.proposedNs, decidedNs: p.decidedNs, outcome: p.outcome ?? null,
      })),
    };
  }

  loadState(state: AgreementState, replica: (node: number, core: number) => BindingReplica): void {
    this.nextProposal = state.nextProposal;
    this.proposals.clear();
    for (const p of state.proposals) {
      this.proposals.set(p.id, {
        node: p.coordinator.node, coordinator: replica(p.coordinator.node, p.coordinator.core),
        replicas: p.replicas.map((r) => replica(r.node, r.core)), change: p.change, votes: [...p.votes],
        proposedNs: p.proposedNs, decidedNs: p.decidedNs, outcome: p.outcome ?? undefined,
      });
    }
  }

  private latencyNs(from: BindingReplica, to: BindingReplica, bytes: number): number {
    if (from === to) return 0;
    return from.node === to.node ? CORE_MESSAGE_NS : this.host.messageNs(from.node, to.node, bytes);
  }

  /** Starts a proposal; returns its number, which `finished` names. */
  propose(coordinator: BindingReplica, replicas: readonly BindingReplica[], change: BindingChange, atNs: number): number {
    const id = this.nextProposal++;
    let decidedNs = atNs;
    replicas.forEach((replica, index) => {
      const arriveNs = atNs + this.latencyNs(coordinator, replica, 64);
      decidedNs = Math.max(decidedNs, arriveNs + this.latencyNs(replica, coordinator, 16));
      this.host.schedule(arriveNs, { kind: 'agreement-vote', proposal: id, replica: index });
    });
    this.proposals.set(id, { node: coordinator.node, coordinator, replicas, change, votes: [], proposedNs: atNs, decidedNs, outcome: undefined });
    this.decideAt(coordinator.node, decidedNs, id);
    return id;
  }

  /** The proposal reached replica `index`: it votes. */
  vote(id: number, index: number): void {
    const proposal = this.proposal(id);
    const replica = proposal.replicas[index]!;
    proposal.votes.push({ node: replica.node, core: replica.core, yes: replica.prepare(proposal.change) });
  }

  /** The coordinator decides on the votes it has; every replica applies or drops the change. */
  decide(id: number): void {
    const proposal = this.proposal(id);
    const { replicas, votes, proposedNs, decidedNs, coordinator } = proposal;
    const committed = votes.length === replicas.length && votes.every((vote) => vote.yes);
    if (committed) this.apply(proposal.node, proposal.change);
    let doneNs = decidedNs;
    for (const replica of replicas) {
      replica.decide(committed);
      doneNs = Math.max(doneNs, decidedNs + this.latencyNs(coordinator, replica, 16) * 2);
    }
    proposal.outcome = { committed, votes, proposedNs, decidedNs, doneNs };
    this.host.schedule(doneNs, { kind: 'agreement-done', proposal: id });
  }

  /** Every replica has acknowledged: the proposal is over. */
  done(id: number): void {
    const proposal = this.proposal(id);
    this.proposals.delete(id);
    this.finished(id, proposal.coordinator, proposal.change, proposal.outcome!);
  }

  private proposal(id: number): Proposal {
    const proposal = this.proposals.get(id);
    if (!proposal) throw new Error(`no agreement proposal ${id}`);
    return proposal;
  }
}
