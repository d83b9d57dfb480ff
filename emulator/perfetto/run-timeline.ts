import type { KernelEvent } from '../../guest-kernel/index.js';
import type { Cluster, Core } from '../machine/index.js';
import { EventLayout } from './event-layout.js';
import type { CounterSample, Instant, Span, StateSlice, Timeline } from './timeline.js';

// Watches a cluster as it runs: each core's states between scheduler rounds, the
// kernel's events (laid out by EventLayout), the pages each node holds, and the
// checkpoints written. Watching changes nothing: it reads the cores after each round
// and hears the kernel's observer events.

/** The most events a trace keeps unless told otherwise (about 40 MB of trace). */
export const DEFAULT_MAX_EVENTS = 1_000_000;

/**
 * How a waiting core is named: after the kernel event that ended its run, else by its
 * status (an abort's backoff is decided while the core is off, so it shows as sleeping).
 */
const WAITING: Partial<Record<KernelEvent['kind'], string>> = {
  'dsm-fault': 'waiting for a page', 'tx-commit-request': 'waiting for the commit token', send: 'blocked on a channel',
  receive: 'blocked on a channel', 'task-spawn': 'waiting for task creation', 'task-exit': 'idle',
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
  private readonly coreIndex = new Map<Core, number>();
  private readonly watches: CoreWatch[];
  private readonly slices: StateSlice[] = [];
  private readonly open: (StateSlice | undefined)[];
  private readonly spans: Span[] = [];
  private readonly instants: Instant[] = [];
  private readonly counters: CounterSample[] = [];
  private readonly layout: EventLayout;
  private pagesHeld: readonly number[] = [];
  private truncatedAtNs: number | undefined;

  constructor(private readonly cluster: Cluster, private readonly maxEvents = DEFAULT_MAX_EVENTS) {
    this.cores = cluster.cores;
    this.cores.forEach((core, index) => this.coreIndex.set(core, index));
    this.watches = this.cores.map((core) => ({
      lastNs: core.clock.ns, lastInstructions: core.instructions, wasRunnable: core.isRunnable, lastEvent: undefined, roundEvent: undefined,
    }));
    this.open = this.cores.map(() => undefined);
    this.layout = new EventLayout({
      span: (span) => { if (!this.full) this.spans.push(span); },
      instant: (instant) => { if (!this.full) this.instants.push(instant); },
      counter: (sample) => { if (!this.full) this.counters.push(sample); },
    });
    cluster.kernel.observer = (event) => this.kernelEvent(event);
  }

  private get full(): boolean {
    if (this.truncatedAtNs !== undefined) return true;
    if (this.slices.length + this.spans.length + this.instants.length + this.counters.length < this.maxEvents) return false;
    this.truncatedAtNs = this.nowNs();
    return true;
  }

  /** The cluster's virtual time: its furthest core's clock. */
  private nowNs(): number {
    return Math.max(0, ...this.cores.map((core) => core.clock.ns));
  }

  /** After each scheduler round: what each core did since the one before, and the pages each node holds. */
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
    this.samplePagesHeld();
  }

  /** Pages held per node change only at DSM events; sampled at round ends, a sample only when one changed. */
  private samplePagesHeld(): void {
    const held = this.cluster.kernel.dsm?.pagesHeld();
    if (!held) return;
    const atNs = this.nowNs();
    held.forEach((value, node) => {
      if (this.pagesHeld[node] !== value) this.counters.push({ counter: 'pages held', node, atNs, value });
    });
    this.pagesHeld = held;
  }

  /** A checkpoint was written at the round boundary where the cluster's time is `virtualNs`. */
  checkpoint(file: string, virtualNs: number, whole: boolean): void {
    if (this.full) return;
    this.instants.push({ place: { lane: 'checkpoints' }, atNs: virtualNs, name: 'checkpoint', category: 'checkpoints',
      args: { file, kept: whole ? 'whole' : 'changes since the one before' } });
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
    if (this.full) return;
    const at = 'core' in event ? this.cluster.nodes[event.node]?.cores[event.core] : undefined;
    const core = at && this.coreIndex.get(at);
    if (core !== undefined) this.watches[core]!.roundEvent = event.kind;
    this.layout.event(event, core, at?.virtualTimeNs() ?? 0);
  }

  /** What was seen; spans still open (a transaction, a task) end at their core's clock. */
  timeline(): Timeline {
    this.layout.finish((core) => this.cores[core]!.clock.ns);
    return {
      nodes: this.cluster.nodes.map((node) => ({ node: node.nodeId, isa: node.isa, cores: node.cores.length })),
      cores: this.cores.map((core) => ({ node: core.nodeId, core: core.coreId })),
      slices: this.slices, spans: this.spans, instants: this.instants, counters: this.counters, truncatedAtNs: this.truncatedAtNs,
    };
  }
}
