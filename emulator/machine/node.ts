import { Engine, UC_PROT_EXEC, UC_PROT_READ, UC_PROT_WRITE } from '../engine/index.js';
import type { DsmConfig, Kernel, LinkPolicy, TaskConfig, WatchedRing } from '../../guest-kernel/index.js';
import { Linker, type CodeRange, type Disassembler, type LinkerState, type LinkPlan } from '../../linker/index.js';
import { ISAS, type IsaName } from '../../isa/index.js';
import { NodeConsole, type ConsoleSink, type ConsoleState } from './console.js';
import type { CoreState } from './core-state.js';
import { Core, type CoreHost } from './core.js';
import { NodeLinkMemory } from './node-link-memory.js';
import {
  BOOT_INFO, BOOT_INFO_FIELDS, BOOT_MAGIC_VALUE, CODE_END, RAM_BASE, STACK_BYTES, STACK_STRIDE, coreStackTop,
  stackGuard, stackTop, stacksBottom,
} from './layout.js';

/** A node as the loader hands it over: code already placed in its RAM image. */
export interface NodeImage {
  readonly id: number;
  readonly isa: IsaName;
  readonly cores: number;
  readonly ramBytes: number;
  /** Code region contents (firmware and programs), placed from RAM_BASE. */
  readonly code: Uint8Array;
  readonly firmwareEntry: number;
  /** The firmware's start of a task's first thread. */
  readonly taskEntry: number;
  /** Program entry per core; undefined leaves the core idle. */
  readonly entries: readonly (number | undefined)[];
  /** Programs and modules, and how the linker binds them. */
  readonly link: LinkPlan;
  readonly policies: readonly LinkPolicy[];
}

export interface NodeEnvironment {
  readonly kernel: Kernel;
  readonly disassembler: Disassembler;
  readonly clockHz: number;
  readonly nodeCount: number;
  readonly maxInstructions: number;
  readonly dsm?: DsmConfig;
  readonly tasks?: TaskConfig;
  /** Rings of this node's channels whose heads and tails the kernel watches. */
  readonly channelRings?: readonly WatchedRing[];
  readonly onCodeChange?: (nodeId: number, symbol: string | undefined) => void;
  readonly console: ConsoleSink;
  readonly trace?: (nodeId: number, coreId: number, pc: number) => void;
}

/** A node between quanta, as a snapshot keeps it. */
export interface NodeState {
  readonly ram: Uint8Array;
  readonly console: ConsoleState;
  readonly cores: readonly CoreState[];
  readonly linker: LinkerState;
}

/** A machine of the cluster: cores sharing one RAM buffer, and a console. */
export class Node implements CoreHost {
  readonly nodeId: number;
  readonly isa: IsaName;
  readonly ram: Buffer;
  readonly ramBase = RAM_BASE;
  readonly cores: Core[] = [];
  readonly kernel: Kernel;
  readonly disassembler: Disassembler;
  readonly traceBlock?: (nodeId: number, coreId: number, pc: number) => void;
  readonly linker: Linker;
  readonly restartOnPreemption: readonly CodeRange[];
  readonly taskEntry: number;
  private readonly console: NodeConsole;
  private readonly stackGuards: readonly { begin: number; end: number }[];

  constructor(image: NodeImage, env: NodeEnvironment) {
    this.nodeId = image.id;
    this.isa = image.isa;
    this.kernel = env.kernel;
    this.disassembler = env.disassembler;
    if (env.trace) this.traceBlock = env.trace;
    this.console = new NodeConsole(image.id, env.console);
    this.restartOnPreemption = image.link.mediator.preemptionRestart;
    this.taskEntry = image.taskEntry;
    this.ram = Buffer.alloc(image.ramBytes);
    this.ram.set(image.code, 0);
    this.writeBootInfo(image, env.nodeCount);
    this.stackGuards = Array.from({ length: image.cores }, (_, coreId) => stackGuard(image.ramBytes, coreId));
    for (let coreId = 0; coreId < image.cores; coreId++) {
      const engine = Engine.open(image.isa);
      try {
        this.mapRam(engine, image);
        const { bootInfo, coreId: coreIdRegister } = ISAS[image.isa].registers;
        engine.writeRegister(bootInfo, BOOT_INFO);
        engine.writeRegister(coreIdRegister, coreId);
      } catch (error) {
        engine.close();
        throw error;
      }
      const entry = image.entries[coreId] === undefined ? undefined : image.firmwareEntry;
      const core = new Core(this, coreId, engine, entry, env.clockHz, env.maxInstructions);
      this.cores.push(core);
      // Each core works on its own copy of the DSM: a transaction's writes stay private.
      if (env.dsm) core.attachDsm(env.dsm.base, env.dsm.pageBytes, Buffer.alloc(env.dsm.bytes));
      // Each core has its own task address space: two tasks on a node never share pages.
      if (env.tasks) core.attachTasks(env.tasks.base, env.tasks.pageBytes, Buffer.alloc(env.tasks.bytes));
      if (env.channelRings?.length) core.watchChannels(env.channelRings);
    }
    try {
      const notify = env.onCodeChange;
      this.linker = new Linker(image.link, new NodeLinkMemory(this.ram, RAM_BASE, this.cores,
        notify ? (change) => notify(this.nodeId, change.symbol) : undefined));
      this.linker.boot();
    } catch (error) {
      this.close();
      throw error;
    }
    env.kernel.attachNode(this.nodeId, this.linker, image.policies, image.cores);
  }

  /**
   * One Buffer mapped into every core's engine: the node's cores share RAM. The guard
   * page below each stack stays a hole in the mapping, so an overflow faults.
   */
  private mapRam(engine: Engine, image: NodeImage): void {
    const map = (begin: number, end: number, perms: number) =>
      engine.mapBuffer(begin, this.ram.subarray(begin - RAM_BASE, end - RAM_BASE), perms);
    map(RAM_BASE, CODE_END, UC_PROT_READ | UC_PROT_EXEC);
    map(CODE_END, stacksBottom(image.ramBytes, image.cores), UC_PROT_READ | UC_PROT_WRITE);
    for (let coreId = 0; coreId < image.cores; coreId++) {
      const top = coreStackTop(image.ramBytes, coreId);
      map(top - STACK_BYTES, top, UC_PROT_READ | UC_PROT_WRITE);
    }
  }

  /** The core whose stack guard page holds `address`, if any. */
  stackGuardOwner(address: bigint): number | undefined {
    const index = this.stackGuards.findIndex((guard) => address >= guard.begin && address < guard.end);
    return index < 0 ? undefined : index;
  }

  private writeBootInfo(image: NodeImage, nodeCount: number): void {
    const little = ISAS[image.isa].littleEndian;
    const put = (offset: number, value: number) => {
      const at = BOOT_INFO - RAM_BASE + offset;
      if (little) this.ram.writeUInt32LE(value >>> 0, at);
      else this.ram.writeUInt32BE(value >>> 0, at);
    };
    put(BOOT_INFO_FIELDS.BOOT_MAGIC, BOOT_MAGIC_VALUE);
    put(BOOT_INFO_FIELDS.BOOT_NODE_ID, image.id);
    put(BOOT_INFO_FIELDS.BOOT_CORE_COUNT, image.cores);
    put(BOOT_INFO_FIELDS.BOOT_STACK_TOP, stackTop(image.ramBytes));
    put(BOOT_INFO_FIELDS.BOOT_STACK_SIZE, STACK_BYTES);
    put(BOOT_INFO_FIELDS.BOOT_STACK_STRIDE, STACK_STRIDE);
    put(BOOT_INFO_FIELDS.BOOT_NODE_COUNT, nodeCount);
    image.entries.forEach((entry, coreId) => put(BOOT_INFO_FIELDS.BOOT_ENTRIES + 4 * coreId, entry ?? 0));
  }

  /** Host writes into the node's RAM (the kernel delivering a message, say). */
  writeRam(address: number, bytes: Uint8Array): void {
    const offset = address - RAM_BASE;
    if (offset < 0 || offset + bytes.length > this.ram.length) {
      throw new RangeError(`0x${address.toString(16)}+${bytes.length} is outside node ${this.nodeId}'s RAM`);
    }
    this.ram.set(bytes, offset);
  }

  saveState(): NodeState {
    return {
      ram: Uint8Array.from(this.ram), console: this.console.saveState(),
      cores: this.cores.map((core) => core.saveState()), linker: this.linker.saveState(),
    };
  }

  /** Puts back a saved state on a node of the same image that has not run yet. */
  loadState(state: NodeState): void {
    this.ram.set(state.ram);
    this.console.loadState(state.console);
    state.cores.forEach((core, i) => this.cores[i]!.loadState(core));
    this.linker.loadState(state.linker);
  }

  writeConsole(coreId: number, bytes: Uint8Array): void {
    this.console.write(coreId, bytes);
  }

  flushConsole(): void {
    this.console.flush();
  }

  close(): void {
    for (const core of this.cores) core.close();
  }
}
