import type { Linker, LinkPlan } from '../linker/index.js';
import { unreachable } from '../isa/index.js';
import type { DsmConfig } from './dsm/dsm-config.js';
import { Dsm } from './dsm/dsm.js';
import type { GuestCore, MemoryFault, TrapOutcome, TrapResult } from './guest-core.js';
import type { KernelHost } from './kernel-host.js';
import type { KernelEventSink } from './kernel-events.js';
import { Channels, type ChannelLayout, type ChannelSavedState } from './channels/channels.js';
import {
  Agreement, BindingReplica, type AgreementOutcome, type AgreementState, type BindingChange, type ReplicaState,
} from './agreement/two-phase-commit.js';
import { POLICY_EPOCH_NS, PolicyRunner, type LinkPolicy, type PolicyRunnerState } from './link-policy.js';
import type { DsmState } from './dsm/dsm.js';
import { HoldPoints } from './hold-points.js';
import { linkTrapKind, serveLinkTrap } from './link-service.js';
import { describeException } from './exceptions.js';
import { SYSCALL_CYCLES } from './syscalls/numbers.js';
import type { HeldWork, KernelTimer } from './kernel-timers.js';
import { serveSyscall } from './syscalls/dispatch.js';
import { isSyscallTrap, writeSyscallResult } from './syscall-abi.js';
import { Tasks, type TasksState } from './tasks/tasks.js';
import type { TaskConfig } from './tasks/task-config.js';
import type { TaskServices } from './syscalls/syscall.js';

/** The kernel's state as a snapshot keeps it: per node, then the parts the nodes share. */
export interface KernelState {
  readonly holds: readonly (readonly [number, readonly number[]])[];
  readonly policies: readonly (readonly [number, PolicyRunnerState])[];
  readonly replicas: readonly (readonly [number, readonly ReplicaState[]])[];
  readonly agreement: AgreementState;
  readonly dsm: DsmState | null;
  readonly channels: readonly ChannelSavedState[] | null;
  readonly tasks: TasksState | null;
}

/** Whether two nodes' programs and modules are the same bytes at the same addresses (node groups may repeat a program). */
function sameCode(a: LinkPlan | undefined, b: LinkPlan | undefined): boolean {
  if (!a || !b) return false;
  if (a === b) return true;
  return a.isa === b.isa && a.modules.length === b.modules.length && a.modules.every((module, i) => {
    const other = b.modules[i]!;
    return module.address === other.address && module.bytes.length === other.bytes.length
      && module.bytes.every((byte, at) => byte === other.bytes[at]);
  });
}

/** Why the kernel's state cannot be kept now. */
export class KernelStateError extends Error {}

/**
 * The guest kernel: serves traps and decides what a fault means. It holds no per-core
 * state of the machine; everything it needs comes through GuestCore.
 */
export class Kernel {
  private readonly linkers = new Map<number, Linker>();
  private readonly policies = new Map<number, PolicyRunner>();
  private readonly replicas = new Map<number, BindingReplica[]>();
  private readonly agreement: Agreement;
  private readonly holds = new HoldPoints();
  /** Who waits for a proposal's outcome (a debugger's relink, a test): callers, not kernel state. */
  private readonly agreementListeners = new Map<number, (outcome: AgreementOutcome) => void>();
  /** The distributed shared memory, when the image has one. */
  readonly dsm: Dsm | undefined;
  /** Message channels between cores, when the image declares any. */
  readonly channels: Channels | undefined;
  /** Remote tasking, when the image gives cores a task area. */
  readonly tasks: Tasks | undefined;
  private readonly tasking: TaskServices | undefined;
  /** Told of DSM faults, commits, aborts and messages (the debugger's catchpoints). */
  observer: KernelEventSink | undefined;

  constructor(private readonly host: KernelHost,
              options: { dsm?: DsmConfig | undefined; channels?: ChannelLayout; tasks?: TaskConfig | undefined } = {}) {
    this.agreement = new Agreement(host,
      (node, atNs, proposal) => this.holdAt(node, atNs, { kind: 'agreement-decide', proposal }),
      (node, change) => this.linkers.get(node)!.use(change.symbol, change.module),
      (proposal, coordinator, change, outcome) => this.agreed(proposal, coordinator, change, outcome));
    const emit: KernelEventSink = (event) => this.observer?.(event);
    if (options.dsm) this.dsm = new Dsm(options.dsm, host, (core, value) => writeSyscallResult(core, value), emit);
    if (options.channels && options.channels.channels.length > 0) this.channels = new Channels(options.channels, host, emit);
    if (options.tasks) {
      const tasks = new Tasks(options.tasks, host, emit);
      this.tasks = tasks;
      this.tasking = {
        tasks, nodeCount: host.nodeCount,
        isaOf: (node) => host.cores().find((core) => core.nodeId === node)!.isa,
        sameCode: (a, b) => sameCode(this.linkers.get(a)?.plan, this.linkers.get(b)?.plan),
        entryAddress: (node, name) => {
          const linker = this.linkers.get(node);
          if (!linker?.symbolNames().includes(name)) return undefined;
          const binding = linker.binding(name);
          return binding.provider && linker.isLoaded(binding.provider) ? linker.providerAddress(binding) : undefined;
        },
      };
    }
  }

  saveState(): KernelState {
    if (this.agreementListeners.size > 0) throw new KernelStateError('a re-link a debugger asked for is under way');
    return {
      holds: this.holds.saveState(),
      policies: [...this.policies].map(([node, runner]) => [node, runner.saveState()]),
      replicas: [...this.replicas].map(([node, list]) => [node, list.map((replica) => replica.saveState())]),
      agreement: this.agreement.saveState(),
      dsm: this.dsm?.saveState() ?? null,
      channels: this.channels?.saveState() ?? null,
      tasks: this.tasks?.saveState() ?? null,
    };
  }

  /** Puts back a saved state on the kernel of the same image, its cores already restored. */
  loadState(state: KernelState): void {
    this.holds.loadState(state.holds);
    for (const [node, runner] of state.policies) this.policies.get(node)!.loadState(runner);
    for (const [node, list] of state.replicas) list.forEach((replica, core) => this.replica(node, core).loadState(replica));
    this.agreement.loadState(state.agreement, (node, core) => this.replica(node, core));
    if (state.dsm) this.dsm!.loadState(state.dsm, (node, core) => this.coreAt(node, core));
    if (state.channels) this.channels!.loadState(state.channels, (node, core) => this.coreAt(node, core));
    if (state.tasks) this.tasks!.loadState(state.tasks);
  }

  /** A core faulted (the machine tells the kernel as it stops it): a task it ran ends. */
  coreFaulted(core: GuestCore): void {
    this.tasks?.faulted(core);
  }

  /** A core touches a page of its task area the C check did not let through: undefined lets the access go on. */
  taskAccess(core: GuestCore, address: number, size: number, write: boolean): TrapOutcome | undefined {
    return this.tasks?.access(core, address, size, write);
  }

  /** A core wrote a ring's head or tail: undefined lets it go on; a corrupt ring faults it. */
  channelWrite(core: GuestCore, address: number, size: number, value: number): TrapOutcome | undefined {
    return this.channels?.observeWrite(core, address, size, value);
  }

  /** A core touches the DSM region: undefined lets the access go on. */
  dsmAccess(core: GuestCore, address: number, size: number, write: boolean): TrapOutcome | undefined {
    return this.dsm?.access(core, address, size, write);
  }

  /**
   * Gives the kernel a node's linker, which it uses for fail-safe links and policies,
   * and gives each of the node's cores its replica of the binding table.
   */
  attachNode(nodeId: number, linker: Linker, policies: readonly LinkPolicy[], cores: number): void {
    this.linkers.set(nodeId, linker);
    const initial = new Map(linker.symbolNames().flatMap((symbol): [string, string][] => {
      const provider = linker.binding(symbol).provider;
      return provider ? [[symbol, provider]] : [];
    }));
    this.replicas.set(nodeId, Array.from({ length: cores }, (_, core) => new BindingReplica(nodeId, core, initial)));
    if (policies.length > 0) {
      this.policies.set(nodeId, new PolicyRunner(linker, policies,
        (symbol, module, atNs) => this.relinkByAgreement(nodeId, 0, { symbol, module }, atNs)));
      this.holdAt(nodeId, POLICY_EPOCH_NS, { kind: 'policy-epoch' });
    }
  }

  /**
   * The earliest virtual time the scheduler must hold the node's cores at (undefined: no
   * hold): a core does not run past it until the kernel acted there.
   */
  holdNs(nodeId: number): number | undefined {
    return this.holds.next(nodeId);
  }

  /** Does `work` at `atNs` with the node's cores held there. */
  private holdAt(nodeId: number, atNs: number, work: HeldWork): void {
    this.holds.add(nodeId, atNs);
    this.host.schedule(atNs, { kind: 'hold', node: nodeId, atNs, work });
  }

  /** Kernel work that came due: the scheduler hands each timer back in time order, between quanta. */
  fire(timer: KernelTimer): void {
    switch (timer.kind) {
      case 'wake': return this.coreAt(timer.node, timer.core).wake(timer.atNs);
      case 'dsm-token': return this.dsm!.takeToken(this.coreAt(timer.node, timer.core), timer.epoch, timer.requestedNs);
      case 'dsm-recover': return this.dsm!.recover(timer.node);
      case 'channel-arrival': return this.channels!.arrive(timer.channel, timer.seq, timer.payload, timer.atNs);
      case 'channel-ack': return this.channels!.acknowledged(timer.channel, timer.atNs);
      case 'hold':
        this.holds.remove(timer.node, timer.atNs);
        return this.held(timer.node, timer.atNs, timer.work);
      case 'agreement-vote': return this.agreement.vote(timer.proposal, timer.replica);
      case 'agreement-done': return this.agreement.done(timer.proposal);
      case 'task': return this.tasks!.fire(timer.event, timer.atNs);
      default: return unreachable(timer);
    }
  }

  private held(nodeId: number, atNs: number, work: HeldWork): void {
    switch (work.kind) {
      case 'policy-epoch': return this.policyEpoch(nodeId, atNs);
      case 'agreement-decide': return this.agreement.decide(work.proposal);
      default: return unreachable(work);
    }
  }

  private coreAt(nodeId: number, coreId: number): GuestCore {
    const core = this.host.cores().find((candidate) => candidate.nodeId === nodeId && candidate.coreId === coreId);
    if (!core) throw new RangeError(`no core n${nodeId}.c${coreId}`);
    return core;
  }

  private agreed(proposal: number, coordinator: BindingReplica, change: BindingChange, outcome: AgreementOutcome): void {
    this.observer?.({
      kind: 'relink-agreed', node: coordinator.node, core: coordinator.core, symbol: change.symbol, module: change.module,
      committed: outcome.committed, votesYes: outcome.votes.filter((vote) => vote.yes).length, votes: outcome.votes.length,
      proposedNs: outcome.proposedNs, decidedNs: outcome.decidedNs, doneNs: outcome.doneNs,
    });
    this.policies.get(coordinator.node)?.decided(proposal);
    const listener = this.agreementListeners.get(proposal);
    this.agreementListeners.delete(proposal);
    listener?.(outcome);
  }

  /** The node's policies decide on its load at the epoch, then the next epoch is set. */
  private policyEpoch(nodeId: number, atNs: number): void {
    const load = this.host.nodeLoad(nodeId, atNs);
    this.policies.get(nodeId)!.tick(load);
    if (load.liveCores === 0) return;
    let next = atNs + POLICY_EPOCH_NS;
    if (load.busyCores === 0) {
      // Nothing on the node runs until an event wakes it: skip the epochs before that.
      const wake = this.host.nextEventNs();
      if (wake === undefined) return;
      next = Math.max(next, Math.ceil(wake / POLICY_EPOCH_NS) * POLICY_EPOCH_NS);
    }
    this.holdAt(nodeId, next, { kind: 'policy-epoch' });
  }

  /** The binding-table replica of one core. */
  replica(nodeId: number, coreId: number): BindingReplica {
    const replica = this.replicas.get(nodeId)?.[coreId];
    if (!replica) throw new RangeError(`no replica for n${nodeId}.c${coreId}`);
    return replica;
  }

  /**
   * Switches a symbol's implementation on a node by two-phase commit among its cores'
   * replicas; the code is patched at the decision and every core drops its translations
   * before it runs again, so the new binding is live once every replica has acknowledged.
   */
  relinkByAgreement(nodeId: number, coordinatorCore: number, change: BindingChange, atNs: number,
                    done?: (outcome: AgreementOutcome) => void): number {
    const replicas = this.replicas.get(nodeId);
    if (!this.linkers.has(nodeId) || !replicas) throw new Error(`node ${nodeId} takes no part in agreement`);
    const proposal = this.agreement.propose(this.replica(nodeId, coordinatorCore), replicas, change, atNs);
    if (done) this.agreementListeners.set(proposal, done);
    return proposal;
  }

  /** Serves interrupt `intno` raised by `core` (a syscall, a mediator trap or a CPU exception). */
  trap(core: GuestCore, intno: number): TrapResult {
    const linkTrap = linkTrapKind(core.isa, intno);
    const linker = this.linkers.get(core.nodeId);
    if (linkTrap && linker) return serveLinkTrap(linkTrap, core, linker);
    if (!isSyscallTrap(core.isa, intno)) {
      return { outcome: { action: 'fault', reason: describeException(core.isa, intno) }, cycles: 0 };
    }
    const outcome = serveSyscall(core, { dsm: this.dsm, channels: this.channels, tasking: this.tasking });
    return this.stopAtHold(core, { outcome, cycles: SYSCALL_CYCLES });
  }

  /**
   * A trap's cycles may carry a core past its node's hold point within one engine run:
   * it stops there, as it would have had its quantum ended at the trap, so where a core
   * is held never depends on the quantum.
   */
  private stopAtHold(core: GuestCore, result: TrapResult): TrapResult {
    const hold = this.holds.next(core.nodeId);
    if (result.outcome.action !== 'resume' || hold === undefined) return result;
    const afterNs = core.virtualTimeNs() + (result.cycles * 1e9) / this.host.clockHz;
    return afterNs >= hold ? { ...result, outcome: { action: 'yield' } } : result;
  }

  /** A memory access the machine could not complete. */
  memoryFault(fault: MemoryFault): string {
    const where = `0x${fault.address.toString(16)}`;
    switch (fault.kind) {
      case 'unmapped': return `${fault.access} of unmapped memory at ${where}`;
      case 'protected': return `protection violation: ${fault.access} at ${where}`;
      default: return unreachable(fault.kind);
    }
  }
}
