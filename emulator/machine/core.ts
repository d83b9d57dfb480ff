import {
  Engine, EngineContext, type HookHandle, UC_ERR_FETCH_PROT, UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE, UC_PROT_READ, UC_PROT_WRITE, UC_ERR_FETCH_UNMAPPED, UC_ERR_INSN_INVALID, UC_ERR_OK,
  UC_ERR_READ_PROT, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_PROT, UC_ERR_WRITE_UNMAPPED,
  UC_HOOK_MEM_FETCH_PROT, UC_HOOK_MEM_FETCH_UNMAPPED, UC_HOOK_MEM_READ_PROT, UC_HOOK_MEM_READ_UNMAPPED,
  UC_HOOK_MEM_WRITE_PROT, UC_HOOK_MEM_WRITE_UNMAPPED, UC_MEM_FETCH_PROT, UC_MEM_FETCH_UNMAPPED,
  UC_MEM_READ_PROT, UC_MEM_READ_UNMAPPED, UC_MEM_WRITE, UC_MEM_WRITE_PROT, UC_MEM_WRITE_UNMAPPED,
} from '../engine/index.js';
import type { GuestCore, Kernel, MemoryFault, TrapOutcome } from '../../guest-kernel/index.js';
import type { CodeChange, CodeRange, Disassembler } from '../../linker/index.js';
import type { IsaName } from '../../isa/index.js';
import { VirtualClock } from './clock.js';
import type { CoreStatus, CoreSummary, FaultReport } from './core-report.js';
import type { DebugStop } from './debug-stop.js';
import { canReplay, isDelayedTransfer } from './sparc-delay-slot.js';

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
  writeConsole(coreId: number, bytes: Uint8Array): void;
  /** The core whose stack guard page holds `address`, if any. */
  stackGuardOwner(address: bigint): number | undefined;
  traceBlock?(nodeId: number, coreId: number, pc: number): void;
}

const MEMORY_FAULT_HOOKS = UC_HOOK_MEM_READ_UNMAPPED | UC_HOOK_MEM_WRITE_UNMAPPED | UC_HOOK_MEM_FETCH_UNMAPPED |
  UC_HOOK_MEM_READ_PROT | UC_HOOK_MEM_WRITE_PROT | UC_HOOK_MEM_FETCH_PROT;

const MEMORY_FAULT_KINDS: Readonly<Record<number, Pick<MemoryFault, 'access' | 'kind'>>> = {
  [UC_MEM_READ_UNMAPPED]: { access: 'read', kind: 'unmapped' },
  [UC_MEM_WRITE_UNMAPPED]: { access: 'write', kind: 'unmapped' },
  [UC_MEM_FETCH_UNMAPPED]: { access: 'fetch', kind: 'unmapped' },
  [UC_MEM_READ_PROT]: { access: 'read', kind: 'protected' },
  [UC_MEM_WRITE_PROT]: { access: 'write', kind: 'protected' },
  [UC_MEM_FETCH_PROT]: { access: 'fetch', kind: 'protected' },
};

const X86_INT_OPCODE = 0xcd;
/** One-byte x86 traps, by vector: Unicorn reports them with the pc after the instruction. */
const X86_ONE_BYTE_TRAPS: Readonly<Record<number, number>> = { 1: 0xf1, 3: 0xcc, 4: 0xce }; // int1, int3, into

const FAULT_CODES = new Set([UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED, UC_ERR_FETCH_UNMAPPED,
  UC_ERR_READ_PROT, UC_ERR_WRITE_PROT, UC_ERR_FETCH_PROT, UC_ERR_INSN_INVALID]);

/**
 * One CPU core: a Unicorn engine with a virtual clock. It runs in quanta handed out by
 * the scheduler and stops for good on exit or on a fault, without disturbing others.
 */
export class Core implements GuestCore {
  readonly clock: VirtualClock;
  private statusValue: CoreStatus;
  private resumePc: number;
  private instructionCount = 0;
  private trapCount = 0;
  private faultCount = 0;
  private exitStatusValue: number | null = null;
  private faultValue: FaultReport | null = null;
  private resultValue: bigint | null = null;
  /** Set by a hook that ends the quantum: what to do once the engine has stopped. */
  private pending: { outcome: TrapOutcome; resumePc: number } | undefined;
  private pendingMemoryFault: MemoryFault | undefined;
  private sleepUntilNs = 0;
  private running = false;
  /** A DSM access stopped the engine before its instruction completed: run it again. */
  private retryAccess = false;
  private dsmBuffer: Uint8Array | undefined;
  private transactionStart: { pc: number; context?: EngineContext; registers?: Map<string, bigint> } | undefined;
  /** Set by a debug hook that stopped the engine before its instruction ran. */
  private debugHit: DebugStop | undefined;
  /** Why the core last stopped for the debugger; cleared when it runs again. */
  debugStop: DebugStop | undefined;
  /** Decides whether a hit breakpoint or watchpoint stops the core (its condition). */
  debugFilter: ((stop: DebugStop) => boolean) | undefined;
  /** While true, breakpoints and watchpoints do not fire: the core steps off a stop. */
  private debugSuppressed = false;
  private readonly debugHooks = new Map<string, HookHandle>();
  private undoWrite: { address: number; bytes: Uint8Array } | undefined;
  /** Code changes made while this core's engine was running, applied once it stops. */
  private readonly codeChanges: { change: CodeChange; acknowledge: () => void }[] = [];

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
    engine.onInterrupt((intno) => this.onTrap(intno));
    engine.onMemoryEvent(MEMORY_FAULT_HOOKS, (type, address, size) => {
      const kind = MEMORY_FAULT_KINDS[type];
      if (kind) this.pendingMemoryFault = { ...kind, address, size };
      return false;
    });
    if (host.traceBlock) {
      const trace = host.traceBlock.bind(host);
      engine.onBlock((address) => trace(host.nodeId, coreId, address));
    }
  }

  get nodeId(): number {
    return this.host.nodeId;
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

  get isRunnable(): boolean {
    return this.statusValue === 'ready';
  }

  get dsmView(): Uint8Array | undefined {
    return this.dsmBuffer;
  }

  /** Maps the core's own copy of the DSM region and sends every access to the kernel. */
  attachDsm(base: number, buffer: Buffer): void {
    this.engine.mapBuffer(base, buffer, UC_PROT_READ | UC_PROT_WRITE);
    this.dsmBuffer = buffer;
    this.engine.onMemoryAccess(UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, base, base + buffer.length - 1,
      (type, address, size) => {
        const outcome = this.host.kernel.dsmAccess(this, address, size, type === UC_MEM_WRITE);
        if (outcome) this.stopAtAccess(outcome);
      });
  }

  /** Stops the core at the accessing instruction, which the kernel's outcome decides about. */
  private stopAtAccess(outcome: TrapOutcome): void {
    // Stopping inside a memory hook abandons the instruction before it completes
    // (tests/engine/unicorn-quirks): it runs again once the core resumes.
    this.pending = { outcome, resumePc: -1 };
    this.retryAccess = true;
    this.engine.stop();
  }

  /** Lets the kernel see the guest library write these ring words (heads and tails). */
  watchChannels(words: readonly number[]): void {
    for (const word of words) {
      this.engine.onMemoryAccess(UC_HOOK_MEM_WRITE, word, word + 3,
        (_type, address, size, value) => {
          const outcome = this.host.kernel.channelWrite(this, address, size, value);
          if (outcome) this.stopAtAccess(outcome);
        });
    }
  }

  /** Stops the core before it executes `address`. */
  addBreakpoint(address: number): void {
    const key = `b${address}`;
    if (this.debugHooks.has(key)) return;
    this.debugHooks.set(key, this.engine.onCode(address, address, () => this.hitDebug({ kind: 'breakpoint', address })));
    // Unicorn instruments code hooks when it translates a block: code already translated
    // would run past the new breakpoint (tests/engine/unicorn-quirks).
    this.engine.invalidate(address, address + 1);
  }

  removeBreakpoint(address: number): void {
    this.removeDebugHook(`b${address}`);
  }

  /** Stops the core before an instruction reads or writes [address, address + length). */
  addWatchpoint(id: number, address: number, length: number, access: 'read' | 'write' | 'access'): void {
    const types = (access === 'write' ? 0 : UC_HOOK_MEM_READ) | (access === 'read' ? 0 : UC_HOOK_MEM_WRITE);
    this.debugHooks.set(`w${id}`, this.engine.onMemoryAccess(types, address, address + length - 1, (type, at, size) => {
      const write = type === UC_MEM_WRITE;
      // Unicorn stores the value even when a write hook stops the engine, yet the core
      // resumes at the same instruction: keep the old bytes so the store can be undone
      // and the instruction (a read-modify-write, say) runs exactly once.
      const before = write ? Uint8Array.from(this.engine.readMemory(at, size)) : undefined;
      if (this.hitDebug({ kind: 'watchpoint', id, address: at, size, write }) && before) {
        this.undoWrite = { address: at, bytes: before };
      }
    }));
  }

  removeWatchpoint(id: number): void {
    this.removeDebugHook(`w${id}`);
  }

  private removeDebugHook(key: string): void {
    const hook = this.debugHooks.get(key);
    if (!hook) return;
    this.engine.removeHook(hook);
    this.debugHooks.delete(key);
  }

  /** Returns whether the core stops. */
  private hitDebug(stop: DebugStop): boolean {
    if (this.debugSuppressed || this.debugHit || (this.debugFilter && !this.debugFilter(stop))) return false;
    // Stopping from a code or memory hook leaves the instruction unexecuted: it runs
    // when the core resumes (tests/engine/unicorn-quirks).
    this.debugHit = stop;
    this.engine.stop();
    return true;
  }

  /**
   * Stops the core where it is, if it is running (a debugger catching a kernel event it
   * caused). The accessing instruction runs again when the core resumes; the kernel
   * counts each event once.
   */
  stopForDebugger(): void {
    if (!this.running || this.debugSuppressed || this.debugHit) return;
    this.debugHit = { kind: 'event' };
    this.engine.stop();
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
  }

  saveTransactionStart(): void {
    const pc = this.engine.pc();
    // SPARC is still on its `ta`; x86 is already past its `int`.
    const resumePc = this.engine.isa.family === 'sparc' ? pc + 4 : pc;
    if (this.isa === 'sparc64') {
      // Unicorn 2.0.1 saves no sparc64 context: keep the registers by name.
      const registers = new Map<string, bigint>();
      for (const name of Object.keys(this.engine.isa.registers)) {
        if (name !== 'pc' && name !== 'g0') registers.set(name, this.engine.readRegister(name));
      }
      this.transactionStart = { pc: resumePc, registers };
      return;
    }
    const context = this.transactionStart?.context;
    if (context) this.engine.saveContextInto(context);
    this.transactionStart = { pc: resumePc, context: context ?? this.engine.saveContext() };
  }

  rollBackToTransactionStart(): void {
    const start = this.transactionStart;
    if (!start) throw new Error('no transaction start to roll back to');
    if (start.context) this.engine.restoreContext(start.context);
    for (const [name, value] of start.registers ?? []) this.engine.writeRegister(name, value);
    this.resumePc = start.pc;
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
    // Inside a hook the quantum's instructions so far are not on the clock yet.
    if (!this.running) return this.clock.ns;
    return this.clock.ns + (this.engine.countedSoFar() * 1e9) / this.clock.hz;
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
    this.clock.advanceToNs(atNs);
    this.statusValue = 'ready';
  }

  private onTrap(intno: number): void {
    this.trapCount++;
    const pc = this.engine.pc();
    const { outcome, cycles } = this.host.kernel.trap(this, intno);
    this.clock.advance(cycles);
    // SPARC leaves the pc on `ta`, so the kernel's return address is the next
    // instruction; x86 reports the pc after `int`, which is where execution goes on.
    const sparc = this.engine.isa.family === 'sparc';
    const nextPc = sparc ? pc + 4 : pc;
    if (outcome.action === 'resume' && this.debugHit) {
      // The trap raised an event the debugger stops on: stop after the trap.
      this.pending = { outcome, resumePc: nextPc };
      this.engine.stop();
      return;
    }
    if (outcome.action === 'resume') {
      // Writing the PC from a hook makes Unicorn drop any stop request; only do it
      // when execution goes on.
      if (sparc) this.engine.writeRegister('pc', nextPc);
      return;
    }
    const again = outcome.action === 'fault' || (outcome.action === 'sleep' && outcome.retry === true);
    this.pending = { outcome, resumePc: again ? this.trapInstruction(pc, intno) : nextPc };
    this.engine.stop();
  }

  /**
   * Where the trapping instruction starts: x86 reports `int n` (CD n), `int3`, `into`
   * and `int1` from the pc after them; faults (a division by zero) from their own pc.
   */
  private trapInstruction(pc: number, intno: number): number {
    if (this.engine.isa.family === 'sparc') return pc;
    const offset = pc - this.host.ramBase;
    const ram = this.host.ram;
    if (offset >= 2 && offset <= ram.length && ram[offset - 2] === X86_INT_OPCODE && ram[offset - 1] === intno) return pc - 2;
    if (offset >= 1 && offset <= ram.length && ram[offset - 1] === X86_ONE_BYTE_TRAPS[intno]) return pc - 1;
    return pc;
  }

  /** Runs up to `budget` instructions; returns the instructions retired. */
  runQuantum(budget: number): number {
    if (this.statusValue !== 'ready') return 0;
    this.running = true;
    try {
      if (!this.debugStop) return this.runCounted(budget);
      // Resuming from a debugger stop: the instruction it stopped before runs first,
      // without firing its breakpoint or watchpoint again.
      this.debugStop = undefined;
      this.debugSuppressed = true;
      let retired: number;
      try {
        retired = this.runCounted(1);
      } finally {
        this.debugSuppressed = false;
      }
      if (budget > 1 && this.statusValue === 'ready' && !this.debugStop) retired += this.runCounted(budget - 1);
      return retired;
    } finally {
      this.running = false;
      this.applyCodeChanges();
    }
  }

  private runCounted(budget: number): number {
    const remaining = this.maxInstructions - this.instructionCount;
    const count = Math.max(1, Math.min(budget, remaining));
    this.clearPending();
    const result = this.engine.run(this.resumePc, { count });
    const pending = this.pending;
    const faulted = FAULT_CODES.has(result.code);
    // A faulting instruction, or one a DSM access abandoned, was counted but never completed.
    const debugHit = this.debugHit;
    this.debugHit = undefined;
    if (this.undoWrite) {
      this.engine.writeMemory(this.undoWrite.address, this.undoWrite.bytes);
      this.undoWrite = undefined;
    }
    const abandoned = faulted || this.retryAccess || (debugHit !== undefined && !pending);
    let retired = abandoned ? Math.max(0, result.counted - 1) : result.counted;
    const retry = (this.retryAccess && pending) || (debugHit && !pending) ? this.retryPoint() : undefined;
    if (retry?.replaysBranch) retired -= 1;
    if (retry && pending) pending.resumePc = retry.pc;
    this.retire(retired);

    if (this.engine.hookError !== undefined) {
      const error = this.engine.hookError;
      this.fault(this.engine.exactPc(), `host error while serving the core: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
    } else if (pending) {
      this.finishTrap(pending.outcome, pending.resumePc);
      if (debugHit) this.debugStop = debugHit;
    } else if (debugHit) {
      this.resumePc = retry!.pc;
      this.debugStop = debugHit;
    } else if (faulted) {
      this.fault(this.engine.exactPc(), this.describeRunError(result.code));
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
   * A quantum that ends inside a sequence no other core may interleave with (the SPARC
   * mediator's shared count: load, add, store) runs on to the sequence's end in the same
   * turn: no other core runs in between, and the core's count and clock do not depend on
   * where its quantum ended (as they did when it started the sequence again).
   */
  private finishSequence(): void {
    const pc = this.resumePc;
    const inside = this.host.restartOnPreemption.find((r) => r.address < pc && pc < r.address + r.length);
    if (!inside || this.statusValue !== 'ready') return;
    if (this.engine.isa.family !== 'sparc') {
      this.resumePc = inside.address;
      return;
    }
    const rest = this.engine.run(pc, { count: (inside.address + inside.length - pc) / 4 });
    this.retire(rest.counted);
    if (rest.code !== UC_ERR_OK) this.fault(this.engine.pc(), this.describeRunError(rest.code));
    else this.resumePc = this.engine.pc();
  }

  private clearPending(): void {
    this.pending = undefined;
    this.pendingMemoryFault = undefined;
    this.retryAccess = false;
  }

  /** The delayed branch before `pc`, when the core stopped in its delay slot (SPARC). */
  private delaySlotBranch(pc: number): number | undefined {
    if (this.engine.isa.family !== 'sparc') return undefined;
    const offset = pc - 4 - this.host.ramBase;
    if (offset < 0 || offset + 4 > this.host.ram.length) return undefined;
    const word = this.host.ram.readUInt32BE(offset);
    return isDelayedTransfer(word) ? word : undefined;
  }

  /**
   * Where an instruction the engine abandoned (a DSM access, a debugger stop) runs
   * again: itself, or on SPARC the branch before it when it sits in a delay slot, since
   * Unicorn hides NPC. The replayed branch must not be counted twice.
   */
  private retryPoint(): { pc: number; replaysBranch: boolean } {
    const pc = this.engine.pc();
    const branch = this.delaySlotBranch(pc);
    return branch !== undefined && canReplay(branch) ? { pc: pc - 4, replaysBranch: true } : { pc, replaysBranch: false };
  }

  private retire(instructions: number): void {
    this.instructionCount += instructions;
    this.clock.advance(instructions);
  }

  // The count may run out in a branch's delay slot, where resuming would lose the
  // branch target: Unicorn hides SPARC's NPC (#2338) and its sparc64 contexts are empty.
  // The branch has run but its delay slot has not, so the state the branch read is
  // unchanged: run branch and slot again as a pair, and the core stops at the target,
  // where a basic block begins. The branch is not counted twice.
  private leaveDelaySlot(): void {
    const branch = this.delaySlotBranch(this.resumePc);
    if (branch === undefined) return;
    if (!canReplay(branch)) {
      this.fault(this.resumePc, 'quantum ended in the delay slot of a jmpl/return that cannot be replayed');
      return;
    }
    const pair = this.engine.run(this.resumePc - 4, { count: 2 });
    this.retire(Math.max(0, pair.counted - 1));
    const pending = this.pending;
    if (pending) {
      this.finishTrap(pending.outcome, pending.resumePc);
    } else if (pair.code !== UC_ERR_OK) {
      this.fault(this.engine.exactPc(), this.describeRunError(pair.code));
    } else {
      this.resumePc = this.engine.pc();
    }
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
      case 'fault':
        this.fault(resumePc, outcome.reason);
        return;
    }
  }

  private describeRunError(code: number): string {
    if (code === UC_ERR_INSN_INVALID) return 'invalid instruction';
    const memoryFault = this.pendingMemoryFault;
    if (memoryFault) {
      const owner = memoryFault.kind === 'unmapped' ? this.host.stackGuardOwner(memoryFault.address) : undefined;
      if (owner === undefined) return this.host.kernel.memoryFault(memoryFault);
      const whose = owner === this.coreId ? 'its own stack' : `core ${owner}'s stack`;
      return `stack overflow: ${memoryFault.access} at 0x${memoryFault.address.toString(16)}, in the guard page below ${whose}`;
    }
    if (code === UC_ERR_FETCH_UNMAPPED) {
      // The engine's run stop (see Isa.runStop): no hook saw this fetch.
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
    this.faultValue = {
      node: this.nodeId, core: this.coreId, pc: Number(exact), pcHex: `0x${exact.toString(16)}`,
      instruction: this.instructionAt(exact), reason,
    };
  }

  private instructionAt(pc: bigint): string {
    const bytes = this.codeBytesAt(pc);
    return bytes ? this.host.disassembler.describe(this.isa, bytes, Number(pc)) : 'unmapped';
  }

  /** The bytes of one instruction at `pc`, or undefined when nothing is mapped there. */
  private codeBytesAt(pc: bigint): Uint8Array | undefined {
    if (pc > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    // The longest x86 instruction is 15 bytes; near the end of a mapping fewer remain.
    for (const length of this.engine.isa.family === 'x86' ? [16, 8, 4, 2, 1] : [4]) {
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
    this.transactionStart?.context?.free();
    this.engine.close();
  }
}
