import { Engine, UC_ERR_FETCH_UNMAPPED, UC_ERR_INSN_INVALID, UC_ERR_OK, UC_MEM_WRITE,
  UC_PROT_READ, UC_PROT_WRITE, type RunResult } from '../engine/index.js';
import type {
  CoreDsmMemory, CoreTaskMemory, GuestCore, Kernel, MemoryFault, ThreadState, TrapOutcome, WatchedRing,
} from '../../guest-kernel/index.js';
import type { CodeChange, CodeRange, Disassembler } from '../../linker/index.js';
import { ISAS, pcAfterTrap, unreachable, type IsaName } from '../../isa/index.js';
import { VirtualClock } from './clock.js';
import type { CoreStatus, CoreSummary, FaultReport } from './core-report.js';
import { DebugHooks, type DebugTarget, type WatchAccess } from './debug-hooks.js';
import type { DebugStop } from './debug-stop.js';
import { DelaySlots } from './delay-slot.js';
import { GUEST_FAULT_CODES, MEMORY_FAULT_HOOKS, MEMORY_FAULT_KINDS } from './run-errors.js';
import { debugHitOf, type DebugHit, type StopCause } from './stop-cause.js';
import { TransactionSnapshot } from './transaction-snapshot.js';
import { MachineStateError, snapshotRegisters, type CoreState } from './core-state.js';
import { outerWindows, rebuildWindows } from './sparc-windows.js';
import { trapInstructionStart } from './trap-instruction.js';

/** Said of a fault two instructions of its block would make from the state it left. */
const AMBIGUOUS_FAULT = 'or a later instruction of its block, which would fault the same way from this state';

/** What a core needs of the node and cluster around it. */
export interface CoreHost {
  readonly nodeId: number;
  readonly ram: Buffer;
  readonly ramBase: number;
  readonly kernel: Kernel;
  readonly disassembler: Disassembler;
  /**
   * Code sequences no other core may interleave with (the mediator's shared count): a
   * quantum ending inside one runs on to its end on SPARC, starts it again on x86.
   */
  readonly restartOnPreemption: readonly CodeRange[];
  /** Where the firmware starts a task's first thread (see firmware/). */
  readonly taskEntry: number;
  writeConsole(coreId: number, bytes: Uint8Array): void;
  /** The core whose stack guard page holds `address`, if any. */
  stackGuardOwner(address: bigint): number | undefined;
  traceBlock?(nodeId: number, coreId: number, pc: number): void;
}

/** SPARC's `nop` (sethi 0, %g0), big-endian. */
const SPARC_NOP = Uint8Array.of(0x01, 0x00, 0x00, 0x00);

/**
 * One CPU core: a Unicorn engine with a virtual clock. It runs in quanta handed out by
 * the scheduler and stops for good on exit or on a fault, without disturbing others.
 */
export class Core implements GuestCore, DebugTarget {
  readonly clock: VirtualClock;
  private statusValue: CoreStatus;
  private resumePc: number;
  private instructionCount = 0;
  private trapCount = 0;
  private faultCount = 0;
  private exitStatusValue: number | null = null;
  private faultValue: FaultReport | null = null;
  private resultValue: bigint | null = null;
  /** Why the engine's run in progress stops early: hooks set it, `takeStopCause` reads it. */
  private stopCause: StopCause | undefined;
  private sleepUntilNs = 0;
  private running = false;
  private dsmMemory: CoreDsmMemory | undefined;
  private taskArea: CoreTaskMemory | undefined;
  /** A page this run touched is on its way from its pager: the core waits at the next block start until the kernel wakes it. */
  private waitsForKernel = false;
  private readonly transaction: TransactionSnapshot;
  private readonly debugHooks: DebugHooks;
  private readonly delaySlots: DelaySlots;
  /** Why the core last stopped for the debugger; cleared when it runs again. */
  debugStop: DebugStop | undefined;
  /** Code changes made while this core's engine was running, applied once it stops. */
  private readonly codeChanges: { change: CodeChange; acknowledge: () => void }[] = [];
  /**
   * In a hook, whether the instruction the hook runs for has already been counted: the
   * virtual clock includes it, as it did when Unicorn counted every instruction.
   */
  private hookInstruction: 0 | 1 = 0;
  private watchesRings = false;
  /** While the kernel reads a logged ring write: the instructions retired by then, that one included. */
  private loggedWriteInstructions: number | undefined;
  /** A logged ring write the kernel refused: the core faults when its run ends. */
  private lateFault: string | undefined;
  /** Page fetches this run must wait for once it stops (sleepAtNextBlock). */
  private pageWaitNs = 0;
  /**
   * Whether the core resumes where its undisturbed run would start a block. A debugger
   * stop splits the block it stops in, and so does a step that falls through; until a
   * run reaches a real block start again, the quantum's end and a page wait fall where
   * they would have fallen without the stop (fast-path.c's mid-block resume).
   */
  private atBlockStart = true;
  /** The last run ended on a trap or a kernel access: the undisturbed quantum ends there too. */
  private endedByKernel = false;
  /**
   * The block start the trace leaves out: where a run resumed inside a split block. A
   * step leaves out every block there (a SPARC transfer and its delay slot run again as a
   * pair, from the same pc), a longer run only its first.
   */
  private untracedBlock: { readonly address: number; readonly once: boolean } | undefined;
  /**
   * A debugger stop in a SPARC delay slot: the core resumes at its branch (Unicorn hides
   * NPC, so only the pair can run again), but debuggers see it at the slot, which is
   * where the run stopped; `exit` is where the slot leads, found once asked for.
   */
  private slotStop: { readonly slot: number; readonly branch: number; exit?: number } | undefined;
  /** While probing where a delay slot leads: the probe's blocks are no part of the trace. */
  private probing = false;
  /** The virtual time a page this core waits for arrives, when the core also sleeps for another reason. */
  private wakeFloorNs = 0;
  /** x86 code decoded from each address a block or step began at: instruction starts and ends. */
  private readonly decoded = new Map<number, { readonly starts: readonly number[]; readonly ends: readonly number[] }>();

  constructor(
    private readonly host: CoreHost,
    readonly coreId: number,
    readonly engine: Engine,
    entry: number | undefined,
    clockHz: number,
    private readonly maxInstructions: number,
  ) {
    this.clock = new VirtualClock(clockHz);
    this.resumePc = entry ?? 0;
    this.statusValue = entry === undefined ? 'idle' : 'ready';
    this.transaction = new TransactionSnapshot(engine);
    this.debugHooks = new DebugHooks(engine, this);
    this.delaySlots = new DelaySlots(engine.isa.name, host.ram, host.ramBase);
    engine.x86Decoder = (start, end) => this.decodeX86(start, end);
    engine.setCodeMemory(host.ram, host.ramBase);
    engine.keepQuantumEndsOut(host.restartOnPreemption);
    engine.onInterrupt((intno) => this.inHook(ISAS[this.isa].pcAtTrap === 'on-trap' ? 1 : 0, () => this.onTrap(intno)));
    engine.onMemoryEvent(MEMORY_FAULT_HOOKS, (type, address, size) => {
      const kind = MEMORY_FAULT_KINDS[type];
      if (kind) this.stopAtMemoryFault({ ...kind, address, size }, type);
      return false;
    });
    if (host.traceBlock) {
      const trace = host.traceBlock.bind(host);
      engine.onBlock((address) => {
        if (this.probing) return;
        if (address !== this.untracedBlock?.address) trace(host.nodeId, coreId, address);
        else if (this.untracedBlock.once) this.untracedBlock = undefined;
      });
    }
  }

  get nodeId(): number {
    return this.host.nodeId;
  }

  /**
   * The core's state between quanta. Why it cannot be kept now is an error: a core in a
   * run, at a debugger stop, or with code changes still to apply.
   */
  saveState(): CoreState {
    if (this.running || this.debugStop || this.slotStop || this.codeChanges.length > 0 || this.lateFault !== undefined
        || this.pageWaitNs > 0) {
      throw new MachineStateError(`n${this.nodeId}.c${this.coreId} is not between quanta`);
    }
    if (ISAS[this.isa].family === 'x86' && (this.engine.readRegister('fpsw') >> 11n) % 8n !== 0n) {
      throw new MachineStateError(`n${this.nodeId}.c${this.coreId} holds values on its x87 stack: snapshots do not cover the x87 registers yet`);
    }
    // A transaction's start is kept by register name, which on sparc32 is one window: a
    // start in another window than the core's now could not be rolled back to.
    const startWindow = this.isa === 'sparc32' ? this.transaction.startWindow() : undefined;
    if (startWindow !== undefined && startWindow !== this.engine.sparcWindow()) {
      throw new MachineStateError(`n${this.nodeId}.c${this.coreId}'s open transaction began in register window ${startWindow}, `
        + `the core is in window ${this.engine.sparcWindow()}: snapshots keep a transaction's start in one window`);
    }
    const names = snapshotRegisters(this.isa);
    const read = () => names.map((name): [string, bigint] => [name, this.engine.readRegister(name)]);
    const memory = this.dsmMemory;
    return {
      status: this.statusValue, resumePc: this.resumePc, cycles: this.clock.cycles, instructions: this.instructionCount,
      traps: this.trapCount, faults: this.faultCount, exitStatus: this.exitStatusValue, fault: this.faultValue,
      result: this.resultValue, sleepUntilNs: Number.isFinite(this.sleepUntilNs) ? this.sleepUntilNs : null,
      wakeFloorNs: this.wakeFloorNs, atBlockStart: this.atBlockStart, endedByKernel: this.endedByKernel,
      registers: read(), windows: this.hasLiveWindows ? outerWindows(this.engine, this.resumePc, this.quietly) : [],
      transactionStart: this.transaction.saveState(read),
      dsm: memory ? { bytes: Uint8Array.from(memory.bytes), pageStates: Uint8Array.from(memory.pageStates), touched: Uint8Array.from(memory.touched) } : null,
      tasks: this.taskArea ? { bytes: Uint8Array.from(this.taskArea.bytes), present: Uint8Array.from(this.taskArea.present) } : null,
    };
  }

  /** sparc32 nests register windows; a core that will run again needs its outer ones kept. */
  private get hasLiveWindows(): boolean {
    return this.isa === 'sparc32' && (this.statusValue === 'ready' || this.statusValue === 'sleeping');
  }

  /** Runs engine code of the machine's own: outside the trace, the debugger and the core's stop causes. */
  private readonly quietly = (run: () => void): void => {
    this.probing = true;
    try {
      this.debugHooks.whileSuppressed(run);
      this.takeStopCause();
    } finally {
      this.probing = false;
    }
  };

  /**
   * Puts back a saved state on a core of the same image: freshly booted, or one that ran
   * on (a debugger going back). Its engine forgets what it translated, since the node's
   * code may have been re-linked since, and a debugger stop it was at is over.
   */
  loadState(state: CoreState): void {
    this.debugStop = undefined;
    this.slotStop = undefined;
    this.decoded.clear();
    this.engine.invalidate(this.host.ramBase, this.host.ramBase + this.host.ram.length);
    this.statusValue = state.status;
    this.resumePc = state.resumePc;
    this.clock.cycles = state.cycles;
    this.instructionCount = state.instructions;
    this.trapCount = state.traps;
    this.faultCount = state.faults;
    this.exitStatusValue = state.exitStatus;
    this.faultValue = state.fault;
    this.resultValue = state.result;
    this.sleepUntilNs = state.sleepUntilNs ?? Infinity;
    this.wakeFloorNs = state.wakeFloorNs;
    this.atBlockStart = state.atBlockStart;
    this.endedByKernel = state.endedByKernel;
    if (state.windows.length > 0) rebuildWindows(this.engine, this.resumePc, state.windows, this.quietly);
    for (const [name, value] of state.registers) {
      if (this.engine.readRegister(name) !== value) this.engine.writeRegister(name, value);
    }
    this.transaction.loadState(state.transactionStart);
    if (state.dsm && this.dsmMemory) {
      this.dsmMemory.bytes.set(state.dsm.bytes);
      this.dsmMemory.pageStates.set(state.dsm.pageStates);
      this.dsmMemory.touched.set(state.dsm.touched);
    }
    if (state.tasks && this.taskArea) {
      this.taskArea.bytes.set(state.tasks.bytes);
      this.taskArea.present.set(state.tasks.present);
    }
  }

  get isa(): IsaName {
    return this.engine.isa.name;
  }

  get status(): CoreStatus {
    return this.statusValue;
  }

  get instructions(): number {
    return this.instructionCount;
  }

  get wakeTimeNs(): number {
    return this.sleepUntilNs;
  }

  /** Whether the core resumes where its undisturbed run would start a block (not inside one a stop split). */
  get resumesAtBlockStart(): boolean {
    return this.atBlockStart;
  }

  get isRunnable(): boolean {
    return this.statusValue === 'ready';
  }

  get dsm(): CoreDsmMemory | undefined {
    return this.dsmMemory;
  }

  /**
   * Maps the core's own copy of the DSM region. The C check answers the accesses its
   * page table allows; the kernel sees the rest.
   */
  attachDsm(base: number, pageBytes: number, buffer: Buffer): void {
    this.engine.mapBuffer(base, buffer, UC_PROT_READ | UC_PROT_WRITE);
    const pageStates = Buffer.alloc(buffer.length / pageBytes);
    const touched = Buffer.alloc(Math.ceil(buffer.length / 8));
    const engine = this.engine;
    this.dsmMemory = { bytes: buffer, pageStates, touched, setTransactionOpen: (open) => engine.setDsmTransactionOpen(open) };
    this.engine.watchDsm({ base, bytes: buffer.length, pageBytes, pageStates, touched },
      (type, address, size) => this.inHook(1, () => {
        const outcome = this.host.kernel.dsmAccess(this, address, size, type === UC_MEM_WRITE);
        if (outcome?.action === 'sleep') this.sleepAtNextBlock(outcome.ns);
        else if (outcome) this.stopAtAccess(outcome);
      }));
  }

  get taskMemory(): CoreTaskMemory | undefined {
    return this.taskArea;
  }

  get idle(): boolean {
    return this.statusValue === 'idle';
  }

  get ended(): 'exited' | 'faulted' | undefined {
    return this.statusValue === 'exited' || this.statusValue === 'faulted' ? this.statusValue : undefined;
  }

  /**
   * Maps the core's own task address space (read and write, never executed: a task's
   * code is its node's programs). The C check answers accesses to present pages; the
   * kernel sees the rest, and a page it must fetch keeps the core waiting from the
   * next block start, as a DSM page does.
   */
  attachTasks(base: number, pageBytes: number, buffer: Buffer): void {
    this.engine.mapBuffer(base, buffer, UC_PROT_READ | UC_PROT_WRITE);
    const present = Buffer.alloc(buffer.length / pageBytes);
    this.taskArea = { bytes: buffer, present };
    this.engine.watchTasks(base, pageBytes, present, (type, address, size) => this.inHook(1, () => {
      const outcome = this.host.kernel.taskAccess(this, address, size, type === UC_MEM_WRITE);
      if (outcome?.action === 'block') {
        this.waitsForKernel = true;
        this.engine.stopAtNextBlock();
      } else if (outcome) {
        this.stopAtAccess(outcome);
      }
    }));
  }

  startTask(entry: number, argument: bigint, stackTop: number, atNs: number): void {
    if (this.statusValue !== 'idle') throw new Error(`n${this.nodeId}.c${this.coreId} is not idle`);
    const { bootInfo, coreId, sp } = ISAS[this.isa].registers;
    this.engine.writeRegister(bootInfo, entry);
    this.engine.writeRegister(coreId, argument);
    this.engine.writeRegister(sp, stackTop);
    this.resumePc = this.host.taskEntry;
    this.beginThread(atNs);
  }

  threadState(): ThreadState {
    const names = snapshotRegisters(this.isa);
    return {
      pc: this.resumePc,
      registers: names.map((name): [string, bigint] => [name, this.engine.readRegister(name)]),
      windows: this.isa === 'sparc32' ? outerWindows(this.engine, this.resumePc, this.quietly) : [],
    };
  }

  adoptThread(thread: ThreadState, atNs: number): void {
    if (this.statusValue !== 'idle') throw new Error(`n${this.nodeId}.c${this.coreId} is not idle`);
    if (thread.windows.length > 0) rebuildWindows(this.engine, thread.pc, thread.windows, this.quietly);
    for (const [name, value] of thread.registers) this.engine.writeRegister(name, value);
    this.resumePc = thread.pc;
    this.beginThread(atNs);
  }

  /** An idle core takes a thread: it sleeps until `atNs`, when the kernel wakes it. */
  private beginThread(atNs: number): void {
    this.debugStop = undefined;
    this.slotStop = undefined;
    this.atBlockStart = true;
    this.endedByKernel = false;
    this.statusValue = 'sleeping';
    this.sleepUntilNs = atNs;
  }

  /**
   * Lets the kernel see the guest library write these rings' heads and tails. The C
   * hook logs the writes it finds plausible with where the core was; the kernel reads
   * the log before it next acts for the core and when the run ends, at the virtual
   * times the writes happened. Other writes reach it at once.
   */
  watchChannels(rings: readonly WatchedRing[]): void {
    this.watchesRings = true;
    this.engine.watchRings(rings, this.host.ram, this.host.ramBase,
      (address, size, value) => this.inHook(1, () => {
        const outcome = this.host.kernel.channelWrite(this, address, size, value);
        if (outcome) this.stopAtAccess(outcome);
      }),
      () => this.readLoggedWrites());
  }

  /** Hands the logged ring writes to the kernel, each at the virtual time it happened. */
  private readLoggedWrites(): void {
    if (!this.watchesRings) return;
    for (const write of this.engine.takeLoggedWrites()) {
      this.loggedWriteInstructions = write.retired + 1;
      try {
        const outcome = this.host.kernel.channelWrite(this, write.address, write.size, write.value);
        if (outcome?.action === 'fault') this.lateFault ??= outcome.reason;
      } finally {
        this.loggedWriteInstructions = undefined;
      }
    }
  }

  /** Decides whether a hit breakpoint or watchpoint stops the core (its condition). */
  get debugFilter(): ((stop: DebugStop) => boolean) | undefined {
    return this.debugHooks.filter;
  }

  set debugFilter(filter: ((stop: DebugStop) => boolean) | undefined) {
    this.debugHooks.filter = filter;
  }

  /** Stops the core before it executes `address`. */
  addBreakpoint(address: number): void {
    this.debugHooks.addBreakpoint(address);
  }

  removeBreakpoint(address: number): void {
    this.debugHooks.removeBreakpoint(address);
  }

  /** Stops the core before an instruction reads or writes [address, address + length). */
  addWatchpoint(id: number, address: number, length: number, access: WatchAccess): void {
    this.debugHooks.addWatchpoint(id, address, length, access);
  }

  removeWatchpoint(id: number): void {
    this.debugHooks.removeWatchpoint(id);
  }

  get hasDebugHit(): boolean {
    return debugHitOf(this.stopCause) !== undefined;
  }

  /**
   * Stopping from a code or memory hook leaves the instruction unexecuted: it runs when
   * the core resumes (tests/engine/unicorn-quirks). A trap or access the kernel is
   * serving keeps its own outcome and carries the debugger stop along.
   */
  stopForDebug(debug: DebugHit): void {
    const cause = this.stopCause;
    this.stopCause = cause?.kind === 'trap' || cause?.kind === 'access' ? { ...cause, debug } : { kind: 'debug', debug, pc: this.engine.pc() };
    this.engine.stop();
  }

  /**
   * Stops the core where it is, if it is running (a debugger catching a kernel event it
   * caused). The accessing instruction runs again when the core resumes; the kernel
   * counts each event once.
   */
  stopForDebugger(): void {
    if (!this.running || this.debugHooks.suppressed || this.hasDebugHit) return;
    this.stopForDebug({ stop: { kind: 'event' } });
  }

  /** Stops the core at the accessing instruction, which the kernel's outcome decides about. */
  private stopAtAccess(outcome: TrapOutcome): void {
    // Stopping inside a memory hook abandons the instruction before it completes
    // (tests/engine/unicorn-quirks): it runs again once the core resumes. The pc is read
    // here: once the run is over Unicorn shows the pc it last wrote back, which without
    // a hook on every instruction is the start of the block, not the instruction.
    this.stopCause = { kind: 'access', outcome, pc: this.engine.pc(), debug: debugHitOf(this.stopCause) };
    this.engine.stop();
  }

  /**
   * A core does not stop at a page it must wait for: the kernel has copied the page in
   * already, so the access completes, and the core waits at the next block start (or
   * before a trap the block reaches first). Stopping inside a memory hook would resume
   * x86 mid-block, where Unicorn 2.0.1 has not yet stored the lazy flags' operation
   * (cc_op) of the instructions before the access: the flags would come back wrong.
   */
  private sleepAtNextBlock(ns: number): void {
    this.pageWaitNs += ns;
    this.engine.stopAtNextBlock();
  }

  /** A fault ends the run by itself; a stop already requested explains the run instead. */
  private stopAtMemoryFault(fault: MemoryFault, engineType: number): void {
    if (this.stopCause === undefined || this.stopCause.kind === 'memory-fault') {
      this.stopCause = { kind: 'memory-fault', fault, engineType };
    }
  }

  private takeStopCause(): StopCause | undefined {
    const cause = this.stopCause;
    this.stopCause = undefined;
    return cause;
  }

  /** The program counter the core resumes at. */
  get pc(): number {
    return this.resumePc;
  }

  /** Moves a stopped core (a debugger's `jump`); it resumes at `address`. */
  setPc(address: number): void {
    if (this.running) throw new Error('cannot move a running core');
    this.resumePc = address;
    this.debugStop = undefined;
    this.slotStop = undefined;
  }

  /**
   * The pc and npc a debugger shows: where the core stopped, and the instruction after
   * it, which in a SPARC delay slot is its branch's target (or the slot's successor when
   * the branch is not taken). Found by running the branch again with a `nop` in its
   * slot, outside the core's counts, clock, hooks and trace.
   */
  debuggerPc(): { readonly pc: number; readonly npc: number } {
    const stop = this.slotStop;
    if (!stop) return { pc: this.resumePc, npc: this.resumePc + ISAS[this.isa].longestInstruction };
    stop.exit ??= this.probeSlotExit(stop.branch, stop.slot);
    return { pc: stop.slot, npc: stop.exit };
  }

  private probeSlotExit(branch: number, slot: number): number {
    const word = this.engine.readMemory(slot, 4);
    this.engine.writeMemory(slot, SPARC_NOP);
    this.engine.invalidate(slot, slot + 4);
    this.probing = true;
    try {
      this.debugHooks.whileSuppressed(() => this.engine.run(branch, { budget: 2 }));
      this.takeStopCause();
      return this.engine.pc();
    } finally {
      this.probing = false;
      this.engine.writeMemory(slot, word);
      this.engine.invalidate(slot, slot + 4);
    }
  }

  saveTransactionStart(): void {
    this.transaction.save(pcAfterTrap(this.isa, this.engine.pc()));
  }

  rollBackToTransactionStart(): void {
    this.resumePc = this.transaction.restore();
  }

  sleepUntil(untilNs: number): void {
    if (this.statusValue !== 'ready' && this.statusValue !== 'sleeping') return;
    this.statusValue = 'sleeping';
    this.sleepUntilNs = untilNs;
  }

  readRegister(name: string): bigint {
    return this.engine.readRegister(name);
  }

  writeRegister(name: string, value: bigint | number): void {
    this.engine.writeRegister(name, value);
  }

  readMemory(address: number, length: number): Uint8Array {
    const offset = address - this.host.ramBase;
    if (offset >= 0 && offset + length <= this.host.ram.length) return this.host.ram.subarray(offset, offset + length);
    return this.engine.readMemory(address, length);
  }

  virtualTimeNs(): number {
    if (this.loggedWriteInstructions !== undefined) return this.clock.ns + this.pageWaitNs + (this.loggedWriteInstructions * 1e9) / this.clock.hz;
    // Inside a hook the quantum's instructions and page waits so far are not on the clock yet.
    if (!this.running) return this.clock.ns;
    return this.clock.ns + this.pageWaitNs + ((this.engine.countedSoFar() + this.hookInstruction) * 1e9) / this.clock.hz;
  }

  private inHook(instruction: 0 | 1, body: () => void): void {
    this.readLoggedWrites();
    this.hookInstruction = instruction;
    try {
      body();
    } finally {
      this.hookInstruction = 0;
    }
  }

  /**
   * The x86 instructions that begin in [start, end) and where the last of them ends,
   * decoded once per start address until the code changes.
   */
  private decodeX86(start: number, end: number): { readonly starts: readonly number[]; readonly end: number } {
    let decoded = this.decoded.get(start);
    if (!decoded || decoded.ends[decoded.ends.length - 1]! < end) {
      const bytes = this.codeFrom(start, end - start + ISAS[this.isa].longestInstruction);
      const instructions = this.host.disassembler.disassemble(this.isa, bytes, start);
      decoded = { starts: instructions.map((i) => i.address), ends: instructions.map((i) => i.address + i.size) };
      this.decoded.set(start, decoded);
    }
    let count = 0;
    while (count < decoded.starts.length && decoded.starts[count]! < end) count++;
    return { starts: decoded.starts.slice(0, count), end: count > 0 ? decoded.ends[count - 1]! : start };
  }

  /** Up to `length` bytes of code from `address`: fewer where the mapping ends. */
  private codeFrom(address: number, length: number): Uint8Array {
    const offset = address - this.host.ramBase;
    if (offset >= 0 && offset < this.host.ram.length) return this.host.ram.subarray(offset, Math.min(this.host.ram.length, offset + length));
    for (let bytes = length; bytes > 0; bytes >>= 1) {
      try {
        return this.engine.readMemory(address, bytes);
      } catch {
        // Try a shorter read.
      }
    }
    return new Uint8Array(0);
  }

  writeConsole(bytes: Uint8Array): void {
    this.host.writeConsole(this.coreId, bytes);
  }

  reportResult(value: bigint): void {
    this.resultValue = value;
  }

  /**
   * Drops translations of rewritten code before the engine runs again, and moves the
   * core back to the start of a sequence it stopped inside. A running engine (the change
   * came from one of its traps) takes the change when its quantum ends.
   */
  takeCodeChange(change: CodeChange, acknowledge: () => void): void {
    this.codeChanges.push({ change, acknowledge });
    if (!this.running) this.applyCodeChanges();
  }

  private applyCodeChanges(): void {
    if (this.codeChanges.length > 0) this.decoded.clear();
    for (const { change, acknowledge } of this.codeChanges.splice(0)) {
      for (const range of change.rewritten) this.engine.invalidate(range.address, range.address + range.length);
      this.restartIfInside(change.restart);
      acknowledge();
    }
  }

  /** Moves the core back to the start of a sequence it stopped strictly inside. */
  private restartIfInside(ranges: readonly CodeRange[]): void {
    const inside = ranges.find((r) => r.address < this.resumePc && this.resumePc < r.address + r.length);
    if (inside) this.resumePc = inside.address;
  }

  wake(atNs: number): void {
    // A wake older than the current sleep (an abort moved it) is void.
    if (this.statusValue !== 'sleeping' || atNs < this.sleepUntilNs) return;
    this.clock.advanceToNs(Math.max(atNs, this.wakeFloorNs));
    this.wakeFloorNs = 0;
    this.statusValue = 'ready';
  }

  private onTrap(intno: number): void {
    const pc = this.engine.pc();
    if (this.pageWaitNs > 0 || this.waitsForKernel) {
      // A page this block touched is still on its way: the trap happens once it is here,
      // so the core stops before the trap and serves it after the wait.
      const trapPc = trapInstructionStart(this.isa, this.host.ram, this.host.ramBase, pc, intno);
      this.stopCause = { kind: 'access', outcome: { action: 'resume' }, pc: trapPc, debug: debugHitOf(this.stopCause) };
      this.engine.stop();
      return;
    }
    this.trapCount++;
    const { outcome, cycles } = this.host.kernel.trap(this, intno);
    this.clock.advance(cycles);
    const nextPc = pcAfterTrap(this.isa, pc);
    const debug = debugHitOf(this.stopCause);
    if (outcome.action === 'resume' && debug) {
      // The trap raised an event the debugger stops on: stop after the trap.
      this.stopCause = { kind: 'trap', outcome, resumePc: nextPc, debug };
      this.engine.stop();
      return;
    }
    if (outcome.action === 'resume') {
      // Writing the PC from a hook makes Unicorn drop any stop request; only do it
      // when execution goes on, and only where the trap left it on the trap instruction.
      if (nextPc !== pc) this.engine.writeRegister(this.engine.isa.pcRegister, nextPc);
      return;
    }
    const again = outcome.action === 'fault' || (outcome.action === 'sleep' && outcome.retry === true);
    const resumePc = again ? trapInstructionStart(this.isa, this.host.ram, this.host.ramBase, pc, intno) : nextPc;
    this.stopCause = { kind: 'trap', outcome, resumePc, debug };
    this.engine.stop();
  }

  /**
   * Runs a quantum of `budget` instructions, to the first block start at or past it
   * (the fast path counts blocks, not instructions); returns the instructions retired.
   */
  runQuantum(budget: number): number {
    return this.runFor(budget, 'to-block');
  }

  /** Runs exactly one instruction (the debugger's step). */
  step(): number {
    return this.runFor(1, 'exact');
  }

  /** Runs and returns the instructions retired (a SPARC delay slot replayed with its branch included). */
  private runFor(budget: number, end: QuantumEnd): number {
    if (this.statusValue !== 'ready') return 0;
    const before = this.instructionCount;
    const retired = () => this.instructionCount - before;
    this.slotStop = undefined;
    this.running = true;
    try {
      if (!this.debugStop) {
        this.runCounted(budget, end);
        return retired();
      }
      // Resuming from a debugger stop: the instruction it stopped before runs first,
      // without firing its breakpoint or watchpoint again, then the rest of the quantum.
      this.debugStop = undefined;
      this.debugHooks.whileSuppressed(() => this.runCounted(1, 'exact'));
      if (end === 'exact' || this.statusValue !== 'ready' || this.debugStop || this.endedByKernel) return retired();
      // A step that jumped to a block start with the quantum spent ends it there, as the
      // undisturbed run's budget stop would.
      if (budget - retired() <= 0 && this.atBlockStart) return retired();
      this.runCounted(budget - retired(), end);
      return retired();
    } finally {
      this.running = false;
      this.applyCodeChanges();
    }
  }

  private runCounted(budget: number, end: QuantumEnd): void {
    const start = this.resumePc;
    const midBlock = !this.atBlockStart;
    if (midBlock) {
      this.untracedBlock = { address: start, once: end === 'to-block' };
      if (end === 'to-block') this.engine.resumeMidBlock(start);
    }
    const fallThrough = end === 'exact' ? this.engine.fallThrough(start) : undefined;
    // A page wait a debugger stop put off begins at the next block start, as it would have.
    this.runEngine(midBlock && this.pageWaitNs > 0 && end === 'to-block' ? 0 : budget, end);
    this.untracedBlock = undefined;
    this.atBlockStart = !this.debugStop && (end === 'to-block' || this.endedByKernel || this.resumePc !== fallThrough);
    if (!this.atBlockStart) return;
    const waitNs = this.pageWaitNs;
    this.pageWaitNs = 0;
    if (this.waitsForKernel) {
      this.waitsForKernel = false;
      if (this.statusValue === 'ready') {
        this.statusValue = 'sleeping';
        this.sleepUntilNs = Infinity;
        this.wakeFloorNs = Math.max(this.wakeFloorNs, this.clock.ns + waitNs);
        return;
      }
    }
    if (waitNs > 0 && this.statusValue === 'ready') {
      this.sleepUntilNs = this.clock.ns + waitNs;
      this.statusValue = 'sleeping';
    } else if (waitNs > 0 && this.statusValue === 'sleeping') {
      // Something later in the block put the core to sleep (a channel it must wait for):
      // it wakes no earlier than the page arrives.
      this.wakeFloorNs = this.clock.ns + waitNs;
    }
  }

  private runEngine(budget: number, end: QuantumEnd): number {
    this.endedByKernel = false;
    const remaining = this.maxInstructions - this.instructionCount;
    const limit = Math.max(1, Math.min(budget, remaining));
    if (this.watchesRings) this.engine.logRingWrites(this.host.kernel.observer === undefined);
    const result = end === 'exact' ? this.engine.step(this.resumePc) : this.engine.run(this.resumePc, { budget: limit });
    this.readLoggedWrites();
    const cause = this.takeStopCause();
    const faulted = GUEST_FAULT_CODES.has(result.code);
    // The engine counts what retired before the pc it stopped at: a faulting instruction
    // or one a hook abandoned is not among them, a SPARC `ta` (the pc stays on it) is.
    const abandoned = cause?.kind === 'access' || cause?.kind === 'debug' ? cause.pc : undefined;
    const retry = abandoned === undefined ? undefined : this.delaySlots.retryPoint(abandoned);
    const trapOnPc = cause?.kind === 'trap' && ISAS[this.isa].pcAtTrap === 'on-trap' ? 1 : 0;
    const located = faulted ? this.locateFault(cause) : undefined;
    const stoppedAt = abandoned ?? located?.pc;
    const counted = stoppedAt === undefined ? result.counted : this.engine.retiredBefore(stoppedAt);
    const retired = counted + trapOnPc - (retry?.replaysBranch ? 1 : 0);
    this.retire(retired);
    if (this.lateFault !== undefined) {
      // The C check let a ring write through that the kernel refused (it never should):
      // the core ran on past it, so the fault stands where the run ended.
      this.fault(this.engine.exactPc(), this.lateFault);
      this.lateFault = undefined;
      return retired;
    }
    this.endedByKernel = cause?.kind === 'trap' || cause?.kind === 'access';
    if (this.endedEarly(result, cause, retry?.pc ?? this.engine.pc())) return retired;
    if (faulted) {
      const reason = this.describeRunError(result.code, cause);
      this.fault(this.engine.exactPc(), located?.ambiguous ? `${reason} (${AMBIGUOUS_FAULT})` : reason);
    } else if (result.code !== UC_ERR_OK) {
      this.fault(this.engine.exactPc(), `engine stopped: Unicorn error ${result.code}`);
    } else {
      this.resumePc = this.engine.pc();
      this.leaveDelaySlot();
      this.finishSequence();
      if (this.instructionCount >= this.maxInstructions && this.statusValue === 'ready') {
        this.fault(this.resumePc, `runaway: passed --max-instructions ${this.maxInstructions}`);
      }
    }
    return retired;
  }

  /**
   * The one place a run's stop cause is read: a hook's error, a trap's or access's
   * outcome, a debugger stop. Returns false when none ended the run, which then ended on
   * its count or on a guest fault.
   */
  private endedEarly(result: RunResult, cause: StopCause | undefined, retryPc: number): boolean {
    const debug = debugHitOf(cause);
    if (debug?.undo) this.engine.writeMemory(debug.undo.address, debug.undo.bytes);
    if (result.hookError !== undefined) {
      const error = result.hookError;
      this.fault(this.engine.exactPc(), `host error while serving the core: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
      return true;
    }
    switch (cause?.kind) {
      case undefined:
      case 'memory-fault':
        return false;
      case 'trap':
        this.finishTrap(cause.outcome, cause.resumePc);
        break;
      case 'access':
        this.finishTrap(cause.outcome, retryPc);
        break;
      case 'debug':
        this.resumePc = retryPc;
        this.slotStop = retryPc !== cause.pc ? { slot: cause.pc, branch: retryPc } : undefined;
        break;
      default:
        return unreachable(cause);
    }
    if (debug) this.debugStop = debug.stop;
    return true;
  }

  /**
   * A quantum that ends inside a sequence no other core may interleave with (the SPARC
   * mediator's shared count: load, add, store) runs on to the sequence's end in the same
   * turn: no other core runs in between, and the core's count and clock do not depend on
   * where its quantum ended (as they did when it started the sequence again).
   */
  private finishSequence(): void {
    const pc = this.resumePc;
    const inside = this.host.restartOnPreemption.find((r) => r.address < pc && pc < r.address + r.length);
    if (!inside || this.statusValue !== 'ready') return;
    const family = ISAS[this.isa].family;
    switch (family) {
      // x86 instructions vary in length: the rest of the sequence has no instruction count.
      case 'x86':
        this.resumePc = inside.address;
        return;
      case 'sparc': {
        // The sequence is kept from budget stops (Engine.keepQuantumEndsOut): the run goes
        // on to the first block start past its end.
        const rest = this.engine.run(pc, { budget: (inside.address + inside.length - pc) / ISAS[this.isa].instructionAlign });
        const cause = this.takeStopCause();
        this.retire(rest.counted + (cause?.kind === 'trap' ? 1 : 0));
        if (rest.code !== UC_ERR_OK) this.fault(this.engine.pc(), this.describeRunError(rest.code, cause));
        else this.resumePc = this.engine.pc();
        return;
      }
      default:
        return unreachable(family);
    }
  }

  private retire(instructions: number): void {
    this.instructionCount += instructions;
    this.clock.advance(instructions);
  }

  // The count may run out in a branch's delay slot, where resuming would lose the
  // branch target (see DelaySlots). The branch has run but its delay slot has not, so
  // the state the branch read is unchanged: run branch and slot again as a pair, and the
  // core stops at the target, where a basic block begins. The branch is not counted twice.
  private leaveDelaySlot(): void {
    const slot = this.delaySlots.slotAt(this.resumePc);
    switch (slot) {
      case 'no-slot':
        return;
      case 'not-replayable':
        this.fault(this.resumePc, 'quantum ended in the delay slot of a jmpl/return that cannot be replayed');
        return;
      case 'replayable':
        break;
      default:
        return unreachable(slot);
    }
    // A delayed transfer ends its block after the slot: a budget of 2 stops at the target.
    const branch = this.resumePc - 4;
    const pair = this.debugHooks.whileOnlySilentAt(branch, () => this.engine.run(branch, { budget: 2 }));
    const cause = this.takeStopCause();
    // A debugger stop in the slot resumes by running the branch again: it is counted then.
    const stoppedInSlot = cause?.kind === 'debug' && cause.pc === this.resumePc;
    this.retire(stoppedInSlot ? -1 : Math.max(0, pair.counted + (cause?.kind === 'trap' ? 1 : 0) - 1));
    if (this.endedEarly(pair, cause, this.delaySlots.retryPoint(this.engine.pc()).pc)) return;
    if (pair.code !== UC_ERR_OK) this.fault(this.engine.exactPc(), this.describeRunError(pair.code, cause));
    else this.resumePc = this.engine.pc();
  }

  private finishTrap(outcome: TrapOutcome, resumePc: number): void {
    this.resumePc = resumePc;
    switch (outcome.action) {
      case 'resume':
      case 'yield':
        return;
      case 'sleep':
        this.sleepUntilNs = this.clock.ns + outcome.ns;
        this.statusValue = 'sleeping';
        return;
      case 'block':
        this.sleepUntil(Infinity);
        return;
      case 'exit':
        this.exitStatusValue = outcome.status;
        this.statusValue = 'exited';
        return;
      case 'idle':
        this.statusValue = 'idle';
        return;
      case 'fault':
        this.fault(resumePc, outcome.reason);
        return;
      default:
        return unreachable(outcome);
    }
  }

  /** A load or store fault leaves the pc at its block's start: find the instruction. */
  private locateFault(cause: StopCause | undefined): { readonly pc: number; readonly ambiguous: boolean } | undefined {
    if (cause?.kind !== 'memory-fault' || cause.fault.access === 'fetch') return undefined;
    return this.engine.locateFault(cause.engineType, BigInt(cause.fault.address));
  }

  private describeRunError(code: number, cause: StopCause | undefined): string {
    if (code === UC_ERR_INSN_INVALID) return 'invalid instruction';
    if (cause?.kind === 'memory-fault') {
      const memoryFault = cause.fault;
      const owner = memoryFault.kind === 'unmapped' ? this.host.stackGuardOwner(memoryFault.address) : undefined;
      if (owner === undefined) return this.host.kernel.memoryFault(memoryFault);
      const whose = owner === this.coreId ? 'its own stack' : `core ${owner}'s stack`;
      return `stack overflow: ${memoryFault.access} at 0x${memoryFault.address.toString(16)}, in the guard page below ${whose}`;
    }
    if (code === UC_ERR_FETCH_UNMAPPED) {
      // The engine's run stop (see EngineIsa.runStop): no hook saw this fetch.
      return this.host.kernel.memoryFault({ access: 'fetch', kind: 'unmapped', address: this.engine.exactPc(), size: 0 });
    }
    return `memory fault (Unicorn error ${code})`;
  }

  /**
   * Stops the core for good where it would resume, for a reason found outside its
   * engine: the crash supervisor stops a core there whose next block crashes Unicorn.
   */
  haltWithFault(reason: string): void {
    if (this.running) throw new Error('cannot halt a running core');
    this.fault(this.resumePc, reason);
  }

  private fault(pc: number | bigint, reason: string): void {
    this.faultCount++;
    this.statusValue = 'faulted';
    const exact = BigInt(pc);
    // Debuggers show where the core stopped: the faulting instruction, not where its run began.
    this.resumePc = Number(exact);
    this.faultValue = {
      node: this.nodeId, core: this.coreId, pc: Number(exact), pcHex: `0x${exact.toString(16)}`,
      instruction: this.instructionAt(exact), reason,
    };
    this.host.kernel.coreFaulted(this);
  }

  private instructionAt(pc: bigint): string {
    const bytes = this.codeBytesAt(pc);
    return bytes ? this.host.disassembler.describe(this.isa, bytes, Number(pc)) : 'unmapped';
  }

  /** The bytes of one instruction at `pc`, or undefined when nothing is mapped there. */
  private codeBytesAt(pc: bigint): Uint8Array | undefined {
    if (pc > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    // Near the end of a mapping fewer bytes than the longest instruction remain.
    for (const length of readLengths(this.isa)) {
      try {
        return this.engine.readMemory(Number(pc), length);
      } catch {
        // Try a shorter read.
      }
    }
    return undefined;
  }

  summary(): CoreSummary {
    return {
      node: this.nodeId,
      core: this.coreId,
      isa: this.isa,
      status: this.statusValue,
      instructions: this.instructionCount,
      cycles: this.clock.cycles,
      virtualNs: Math.round(this.clock.ns),
      traps: this.trapCount,
      faults: this.faultCount,
      exitStatus: this.exitStatusValue,
      fault: this.faultValue,
      result: this.resultValue === null ? null : this.resultValue.toString(),
    };
  }

  close(): void {
    this.transaction.free();
    this.engine.close();
  }
}

/** Where a run may end: at the first block start past its budget, or after exactly its count. */
type QuantumEnd = 'to-block' | 'exact';

/** Reads to try for one instruction: the longest, then halves down to the shortest. */
function readLengths(isa: IsaName): number[] {
  const { longestInstruction, instructionAlign } = ISAS[isa];
  const lengths = [longestInstruction];
  for (let length = 8; length >= instructionAlign; length /= 2) if (length < longestInstruction) lengths.push(length);
  return lengths;
}
