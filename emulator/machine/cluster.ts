import { Kernel, type KernelMessage } from '../../guest-kernel/index.js';
import type { Disassembler } from '../../linker/index.js';
import type { ClusterSpec, NodeCrash } from './cluster-spec.js';
import type { ConsoleSink } from './console.js';
import type { Core } from './core.js';
import type { CoreSummary } from './core-report.js';
import { EventQueue } from './event-queue.js';
import { Interconnect } from './interconnect.js';
import { MessageDrops } from './message-drops.js';
import { Node } from './node.js';
import { Scheduler, type ClusterEvent, type SchedulerProgress } from './scheduler.js';

export interface BootOptions {
  readonly maxInstructions: number;
  readonly console: ConsoleSink;
  readonly trace?: (nodeId: number, coreId: number, pc: number) => void;
}

export interface ClusterRunOptions {
  readonly quantum: number;
  readonly onRound?: (progress: SchedulerProgress) => void;
  /** Called before each quantum, with the core about to run it (the crash supervisor). */
  readonly beforeQuantum?: (core: Core) => void;
}

/** Nodes, the interconnect between them, and the global event queue. */
export class Cluster {
  readonly nodes: Node[] = [];
  readonly interconnect: Interconnect;
  readonly events = new EventQueue<ClusterEvent>();
  readonly kernel: Kernel;
  readonly drops: MessageDrops;
  /** The names every guest program's assembler knows, as the image defined them. */
  readonly symbols: ReadonlyMap<string, number>;
  /**
   * While set, guest output and the block trace are held back: a debugger re-running,
   * from a snapshot, what the cluster computed and showed already.
   */
  replaying = false;
  /** Told of every kernel message that awaits an answer from another node (failure detection). */
  onContact: ((message: KernelMessage, atNs: number) => void) | undefined;
  /** Nodes the image makes fail, each at a virtual time (`interconnect.faults`). */
  readonly crashes: readonly NodeCrash[];
  /** Told when a node's code changes (a re-link of `symbol`), after boot. */
  onCodeChange: ((nodeId: number, symbol: string | undefined) => void) | undefined;

  /** The caller checks the host's limits first (Unicorn ends the process past them). */
  constructor(image: ClusterSpec, disassembler: Disassembler, options: BootOptions) {
    this.symbols = image.symbols;
    this.crashes = image.crashes;
    this.interconnect = new Interconnect(image.link, image.links);
    this.drops = new MessageDrops(image.drops);
    const trace = options.trace;
    this.kernel = new Kernel({
      nodeCount: image.nodes.length,
      clockHz: image.clockHz,
      messageNs: (from, to, bytes) => (from === to ? 0 : this.interconnect.transferNs(from, to, bytes)),
      drops: (message) => this.drops.drops(message),
      contact: (message, atNs) => this.onContact?.(message, atNs),
      schedule: (atNs, timer) => this.events.push(atNs, { kind: 'kernel', timer }),
      nextEventNs: () => this.events.peekTime(),
      nodeLoad: (nodeId, atNs) => {
        const cores = this.node(nodeId).cores;
        const count = (statuses: readonly string[]) => cores.filter((core) => statuses.includes(core.status)).length;
        return { nodeId, cores: cores.length, busyCores: count(['ready']), liveCores: count(['ready', 'sleeping']), timeNs: atNs };
      },
      cores: () => this.cores,
      writeNodeMemory: (node, address, bytes) => this.node(node).writeRam(address, bytes),
    }, { dsm: image.dsm, channels: image.channels, tasks: image.tasks });
    try {
      for (const nodeImage of image.nodes) {
        this.nodes.push(new Node(nodeImage, {
          kernel: this.kernel,
          disassembler,
          clockHz: image.clockHz,
          nodeCount: image.nodes.length,
          maxInstructions: options.maxInstructions,
          ...(image.dsm ? { dsm: image.dsm } : {}),
          ...(image.tasks ? { tasks: image.tasks } : {}),
          channelRings: this.kernel.channels?.watchedRings(nodeImage.id) ?? [],
          onCodeChange: (nodeId, symbol) => this.onCodeChange?.(nodeId, symbol),
          console: (line) => {
            if (!this.replaying) options.console(line);
          },
          ...(trace ? { trace: (nodeId: number, coreId: number, pc: number) => {
            if (!this.replaying) trace(nodeId, coreId, pc);
          } } : {}),
        }));
      }
      this.kernel.channels?.writeTables();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  node(nodeId: number): Node {
    const node = this.nodes[nodeId];
    if (!node) throw new RangeError(`no node ${nodeId}`);
    return node;
  }

  get cores(): Core[] {
    return this.nodes.flatMap((node) => node.cores);
  }

  run(options: ClusterRunOptions): CoreSummary[] {
    // Quantum boundaries are where the user may re-link (through onRound): no core is
    // inside an instruction then. The kernel's policies act at its hold points.
    this.scheduler(options.onRound, options.beforeQuantum).runToEnd(options.quantum);
    return this.finish();
  }

  /** A scheduler over every core, for running step by step (the debugger). */
  scheduler(onRound?: (progress: SchedulerProgress) => void, beforeQuantum?: (core: Core) => void): Scheduler {
    return new Scheduler(this.cores, this.events, (timer) => this.kernel.fire(timer), onRound,
      (nodeId) => this.kernel.holdNs(nodeId), beforeQuantum);
  }

  /** Flushes the consoles and reports every core. */
  finish(): CoreSummary[] {
    for (const node of this.nodes) node.flushConsole();
    return this.cores.map((core) => core.summary());
  }

  close(): void {
    for (const node of this.nodes) node.close();
  }
}
