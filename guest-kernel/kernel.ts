import type { Linker } from '../linker/index.js';
import { DsmOutOfMemory } from './dsm/allocator.js';
import type { DsmConfig } from './dsm/dsm-config.js';
import { Dsm } from './dsm/dsm.js';
import type { GuestCore, MemoryFault, TrapOutcome, TrapResult } from './guest-core.js';
import type { KernelHost } from './kernel-host.js';
import type { KernelEventSink } from './kernel-events.js';
import { Channels, type ChannelLayout } from './channels/channels.js';
import { Agreement, BindingReplica, type AgreementOutcome, type BindingChange } from './agreement/two-phase-commit.js';
import { POLICY_EPOCH_NS, PolicyRunner, type LinkPolicy } from './link-policy.js';
import { HoldPoints } from './hold-points.js';
import { linkTrapKind, serveLinkTrap } from './link-service.js';
import { describeException } from './exceptions.js';
import { SYSCALL_CYCLES, SYSCALLS } from './syscalls.js';
import { serveWrite } from './console-write.js';
import { SYSCALL_ABIS, splitsWideResults } from './syscall-abi.js';

const RESUME = { action: 'resume' } as const;

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
  /** The distributed shared memory, when the image has one. */
  readonly dsm: Dsm | undefined;
  /** Message channels between cores, when the image declares any. */
  readonly channels: Channels | undefined;
  /** Told of DSM faults, commits, aborts and messages (the debugger's catchpoints). */
  observer: KernelEventSink | undefined;

  constructor(private readonly host: KernelHost, options: { dsm?: DsmConfig | undefined; channels?: ChannelLayout } = {}) {
    this.agreement = new Agreement(host, (node, atNs, action) => this.holdAt(node, atNs, action));
    const emit: KernelEventSink = (event) => this.observer?.(event);
    if (options.dsm) this.dsm = new Dsm(options.dsm, host, (core, value) => this.result(core, value), emit);
    if (options.channels && options.channels.channels.length > 0) this.channels = new Channels(options.channels, host, emit);
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
        (symbol, module, atNs, done) => this.relinkByAgreement(nodeId, 0, { symbol, module }, atNs, done)));
      this.holdAt(nodeId, POLICY_EPOCH_NS, () => this.policyEpoch(nodeId, POLICY_EPOCH_NS));
    }
  }

  /**
   * The earliest virtual time the scheduler must hold the node's cores at (undefined: no
   * hold): a core does not run past it until the kernel acted there.
   */
  holdNs(nodeId: number): number | undefined {
    return this.holds.next(nodeId);
  }

  /** Runs `action` at `atNs` with the node's cores held there. */
  private holdAt(nodeId: number, atNs: number, action: () => void): void {
    this.holds.add(nodeId, atNs);
    this.host.schedule(atNs, () => {
      this.holds.remove(nodeId, atNs);
      action();
    });
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
    this.holdAt(nodeId, next, () => this.policyEpoch(nodeId, next));
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
                    done: (outcome: AgreementOutcome) => void = () => {}): void {
    const linker = this.linkers.get(nodeId);
    const replicas = this.replicas.get(nodeId);
    if (!linker || !replicas) throw new Error(`node ${nodeId} takes no part in agreement`);
    this.agreement.propose(this.replica(nodeId, coordinatorCore), replicas, change, atNs,
      () => linker.use(change.symbol, change.module), done);
  }

  /** Serves interrupt `intno` raised by `core` (a syscall, a mediator trap or a CPU exception). */
  trap(core: GuestCore, intno: number): TrapResult {
    const abi = SYSCALL_ABIS[core.isa];
    const linkTrap = linkTrapKind(core.isa, intno);
    const linker = this.linkers.get(core.nodeId);
    if (linkTrap && linker) return serveLinkTrap(linkTrap, core, linker);
    if (intno !== abi.syscallVector) {
      return { outcome: { action: 'fault', reason: describeException(core.isa, intno) }, cycles: 0 };
    }
    return this.stopAtHold(core, { outcome: this.syscall(core), cycles: SYSCALL_CYCLES });
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
    return fault.kind === 'unmapped'
      ? `${fault.access} of unmapped memory at ${where}`
      : `protection violation: ${fault.access} at ${where}`;
  }

  private argument(core: GuestCore, index: number): bigint {
    const name = SYSCALL_ABIS[core.isa].argumentRegisters[index];
    if (name === undefined) throw new Error(`syscall argument ${index} has no register`);
    return core.readRegister(name);
  }

  /** Writes a result; only a `wide` (64-bit) one touches the second register. */
  private result(core: GuestCore, value: bigint, wide = false): void {
    const [low, high] = SYSCALL_ABIS[core.isa].resultRegisters;
    if (wide && splitsWideResults(core.isa)) {
      core.writeRegister(low, value & 0xffff_ffffn);
      core.writeRegister(high, (value >> 32n) & 0xffff_ffffn);
    } else {
      core.writeRegister(low, value);
    }
  }

  private channelCall(core: GuestCore, number: number): TrapResult['outcome'] {
    const channels = this.channels;
    if (!channels) return { action: 'fault', reason: `syscall ${number}: the image declares no channels` };
    const id = Number(this.argument(core, 0) & 0xffff_ffffn);
    if (number === SYSCALLS.SYS_CHAN_WAIT) return channels.wait(core, id);
    const sent = channels.send(core, id, Number(this.argument(core, 1) & 0xffff_ffffn));
    if (sent.outcome) return sent.outcome;
    this.result(core, BigInt(sent.result));
    return RESUME;
  }

  private dsmCall(core: GuestCore, number: number): TrapResult['outcome'] {
    const dsm = this.dsm;
    if (!dsm) return { action: 'fault', reason: `syscall ${number} needs a DSM: the image has no "dsm" field` };
    switch (number) {
      case SYSCALLS.SYS_TX_BEGIN:
        this.result(core, BigInt(dsm.begin(core)));
        return RESUME;
      case SYSCALLS.SYS_TX_COMMIT:
        return dsm.commit(core);
      default:
        try {
          const bytes = Number(this.argument(core, 0) & 0xffff_ffffn);
          this.result(core, BigInt(dsm.allocate(core, bytes, number === SYSCALLS.SYS_ALLOC_RO)));
          return RESUME;
        } catch (error) {
          if (error instanceof DsmOutOfMemory) return { action: 'fault', reason: error.message };
          throw error;
        }
    }
  }

  /** SYS_EXIT; a core that still has a transaction open would lose its writes, so it faults instead. */
  private exit(core: GuestCore): TrapResult['outcome'] {
    const uncommitted = this.dsm?.uncommittedPages(core);
    if (uncommitted !== undefined) {
      const pages = `${uncommitted} DSM page${uncommitted === 1 ? '' : 's'}`;
      return { action: 'fault', reason: `exit inside a transaction: its writes (${pages}) were not committed (SYS_TX_BEGIN without SYS_TX_COMMIT)` };
    }
    return { action: 'exit', status: Number(BigInt.asIntN(32, this.argument(core, 0))) };
  }

  private syscall(core: GuestCore): TrapResult['outcome'] {
    const number = Number(core.readRegister(SYSCALL_ABIS[core.isa].numberRegister) & 0xffff_ffffn);
    switch (number) {
      case SYSCALLS.SYS_EXIT:
        return this.exit(core);
      case SYSCALLS.SYS_WRITE: {
        const { outcome, written } = serveWrite(core, this.dsm, Number(this.argument(core, 0)), this.argument(core, 1));
        if (written !== undefined) this.result(core, BigInt(written));
        return outcome;
      }
      case SYSCALLS.SYS_YIELD:
        return { action: 'yield' };
      case SYSCALLS.SYS_NODE_ID:
        this.result(core, BigInt(core.nodeId));
        return RESUME;
      case SYSCALLS.SYS_CORE_ID:
        this.result(core, BigInt(core.coreId));
        return RESUME;
      case SYSCALLS.SYS_TIME_NS:
        this.result(core, BigInt(Math.floor(core.virtualTimeNs())), true);
        return RESUME;
      case SYSCALLS.SYS_REPORT: {
        // Two 32-bit halves on every ISA, so one calling sequence serves all of them.
        const low = this.argument(core, 0) & 0xffff_ffffn;
        const high = this.argument(core, 1) & 0xffff_ffffn;
        core.reportResult(BigInt.asIntN(64, (high << 32n) | low));
        return RESUME;
      }
      case SYSCALLS.SYS_TX_BEGIN:
      case SYSCALLS.SYS_TX_COMMIT:
      case SYSCALLS.SYS_ALLOC:
      case SYSCALLS.SYS_ALLOC_RO:
        return this.dsmCall(core, number);
      case SYSCALLS.SYS_CHAN_SEND:
      case SYSCALLS.SYS_CHAN_WAIT:
        return this.channelCall(core, number);
      case SYSCALLS.SYS_SLEEP_NS:
        return { action: 'sleep', ns: Number(this.argument(core, 0) & 0xffff_ffffn) };
      default:
        return { action: 'fault', reason: `unknown syscall ${number}` };
    }
  }
}
