import type { KernelEvent } from '../../guest-kernel/index.js';
import type { Cluster, Core } from '../machine/index.js';

// What a run did, in virtual time, as the Perfetto writer lays it out: each core's
// states between scheduler rounds, the kernel's events as instants, channel messages as
// flows from the sending core to the receiving one, and counters. Watching changes
// nothing: it reads the cores after each round and the kernel's observer events.

/** A core's state over [startNs, endNs). */
export interface StateSlice {
  readonly core: number;
  readonly state: string;
  readonly startNs: number;
  endNs: number;
}

export interface Instant {
  readonly core: number;
  readonly atNs: number;
  readonly name: string;
  readonly category: string;
  readonly args: Readonly<Record<string, number | string>>;
  /** A flow this event starts (a message sent) or ends (the message received). */
  readonly flowOut?: number;
  readonly flowIn?: number;
}

export interface CounterSample {
  readonly counter: 'global time' | 'messages in flight';
  readonly atNs: number;
  readonly value: number;
}

export interface Timeline {
  readonly nodes: readonly { readonly node: number; readonly isa: string; readonly cores: number }[];
  /** Every core in node and core order; `core` fields index it. */
  readonly cores: readonly { readonly node: number; readonly core: number }[];
  readonly slices: readonly StateSlice[];
  readonly instants: readonly Instant[];
  readonly counters: readonly CounterSample[];
  /** The virtual time recording stopped at when the event limit was reached. */
  readonly truncatedAtNs: number | undefined;
}

/** The most events a trace keeps unless told otherwise (about 40 MB of trace). */
export const DEFAULT_MAX_EVENTS = 1_000_000;

/**
 * How a waiting core is named: after the kernel event that made it wait, else by its
 * status (a commit waiting for the token and an abort's backoff come before their
 * events, so they show as blocked and sleeping).
 */
const WAITING: Partial<Record<KernelEvent['kind'], string>> = {
  'dsm-fault': 'waiting for a page', send: 'blocked on a channel', receive: 'blocked on a channel', 'task-spawn': 'waiting for task creation',
  'task-exit': 'idle',
};

interface CoreWatch {
  lastNs: number;
  lastInstructions: number;
  wasRunnable: boolean;
  /** The kernel event that ended the core's last run: what its wait since is named after. */
  lastEvent: KernelEvent['kind'] | undefined;
  /** The last kernel event of the core in the round under way. */
  roundEvent: KernelEvent['kind'] | undefined;
}

export class RunTimeline {
  private readonly cores: Core[];
  private readonly watches: CoreWatch[];
  private readonly slices: StateSlice[] = [];
  private readonly open: (StateSlice | undefined)[];
  private readonly instants: Instant[] = [];
  private readonly counters: CounterSample[] = [];
  private readonly sends = new Map<number, number>();
  private readonly receives = new Map<number, number>();
  private inFlight = 0;
  private truncatedAtNs: number | undefined;

  constructor(private readonly cluster: Cluster, private readonly maxEvents = DEFAULT_MAX_EVENTS) {
    this.cores = cluster.cores;
    this.watches = this.cores.map((core) => ({
      lastNs: core.clock.ns, lastInstructions: core.instructions, wasRunnable: core.isRunnable, lastEvent: undefined, roundEvent: undefined,
    }));
    this.open = this.cores.map(() => undefined);
    cluster.kernel.observer = (event) => this.kernelEvent(event);
  }

  private get full(): boolean {
    if (this.truncatedAtNs !== undefined) return true;
    if (this.slices.length + this.instants.length + this.counters.length < this.maxEvents) return false;
    this.truncatedAtNs = Math.max(...this.cores.map((core) => core.clock.ns));
    return true;
  }

  private indexOf(node: number, core: number): number {
    return this.cores.findIndex((candidate) => candidate.nodeId === node && candidate.coreId === core);
  }

  /** After each scheduler round: what each core did since the one before. */
  round(): void {
    if (this.full) return;
    this.cores.forEach((core, index) => {
      const watch = this.watches[index]!;
      const ns = core.clock.ns;
      if (ns > watch.lastNs) {
        const runNs = ((core.instructions - watch.lastInstructions) * 1e9) / core.clock.hz;
        const waitEnd = watch.wasRunnable ? watch.lastNs : Math.max(watch.lastNs, ns - runNs);
        if (waitEnd > watch.lastNs) this.extend(index, this.waitingState(core, watch), watch.lastNs, waitEnd);
        if (ns > waitEnd) this.extend(index, 'running', waitEnd, ns);
      }
      // A core that ran this round waits next for what its run ended on, if anything.
      if (core.instructions > watch.lastInstructions) watch.lastEvent = watch.roundEvent;
      watch.roundEvent = undefined;
      watch.lastNs = ns;
      watch.lastInstructions = core.instructions;
      watch.wasRunnable = core.isRunnable;
    });
  }

  private waitingState(core: Core, watch: CoreWatch): string {
    const named = watch.lastEvent === undefined ? undefined : WAITING[watch.lastEvent];
    if (named) return named;
    if (core.status === 'idle') return 'idle';
    return Number.isFinite(core.wakeTimeNs) ? 'sleeping' : 'blocked';
  }

  /** Continues the core's open slice when the state goes on, or opens a new one. */
  private extend(core: number, state: string, startNs: number, endNs: number): void {
    const open = this.open[core];
    if (open && open.state === state && open.endNs >= startNs) {
      open.endNs = endNs;
      return;
    }
    const slice: StateSlice = { core, state, startNs, endNs };
    this.slices.push(slice);
    this.open[core] = slice;
  }

  private kernelEvent(event: KernelEvent): void {
    const core = this.indexOf(event.node, event.core);
    if (core < 0 || this.full) return;
    this.watches[core]!.roundEvent = event.kind;
    const atNs = this.cores[core]!.virtualTimeNs();
    const instant = (name: string, category: string, args: Record<string, number | string>): void => {
      this.instants.push({ core, atNs, name, category, args });
    };
    switch (event.kind) {
      case 'dsm-fault': return instant('page fault', 'dsm', { address: `0x${event.address.toString(16)}`, from: event.remote ? 'owner' : 'node copy' });
      case 'commit':
        instant('commit', 'dsm', { pages: event.pages.length, 'global time': event.globalTime });
        this.counters.push({ counter: 'global time', atNs, value: event.globalTime });
        return;
      case 'abort': return instant('abort', 'dsm', {});
      case 'send':
      case 'receive': return this.message(event.kind, event.channel, core, atNs);
      case 'task-spawn': return instant('spawn', 'tasks', { first: event.first, count: event.count, method: event.method });
      case 'task-exit': return instant('task exit', 'tasks', { task: event.task, value: event.value.toString() });
      case 'task-migrate': return instant('migrate', 'tasks', { task: event.task, to: event.to });
      default: return undefined;
    }
  }

  /** The nth message sent on a channel is the nth received there: one flow from sender to receiver. */
  private message(kind: 'send' | 'receive', channel: number, core: number, atNs: number): void {
    const counts = kind === 'send' ? this.sends : this.receives;
    const nth = counts.get(channel) ?? 0;
    counts.set(channel, nth + 1);
    const flow = channel * 2 ** 32 + nth + 1;
    this.inFlight += kind === 'send' ? 1 : -1;
    this.instants.push({ core, atNs, name: kind, category: 'channels', args: { channel }, ...(kind === 'send' ? { flowOut: flow } : { flowIn: flow }) });
    this.counters.push({ counter: 'messages in flight', atNs, value: this.inFlight });
  }

  timeline(): Timeline {
    return {
      nodes: this.cluster.nodes.map((node) => ({ node: node.nodeId, isa: node.isa, cores: node.cores.length })),
      cores: this.cores.map((core) => ({ node: core.nodeId, core: core.coreId })),
      slices: this.slices, instants: this.instants, counters: this.counters, truncatedAtNs: this.truncatedAtNs,
    };
  }
}
