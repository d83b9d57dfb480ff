import type { TypeObject } from 'koffi';
import {
  UC_CTL_TB_REMOVE_CACHE_WRITE, UC_ERR_FETCH_UNMAPPED, UC_ERR_OK, UC_HOOK_BLOCK, UC_HOOK_CODE, UC_HOOK_INSN_INVALID,
  UC_HOOK_INTR,
} from './constants.js';
import { UnicornError } from './errors.js';
import { CHANNEL_WRITE, CHANNEL_WRITE_FIELDS, FastPathCore, FlushProto, STOP_BUDGET, STOP_UNKNOWN_BLOCK, VIEW, type RingWatch } from './fast-path.js';
import { unreachable, type IsaName } from '../../isa/index.js';
import { ENGINE_ISAS, type EngineIsa, type OpenRepair } from './isa.js';
import { registerHookFunction, trampolineFor, unregisterHookFunction } from './hook-dispatch.js';
import { primeConditionCodes } from './sparc-condition-codes.js';
import { currentWindow, reserveInvalidWindow } from './sparc-window-mask.js';
import {
  HookCodeProto, HookInsnInvalidProto, HookIntrProto, HookMemAccessProto, HookMemEventProto, loadUnicorn,
  type UcHandle, type Unicorn,
} from './native.js';

export interface RunOptions {
  /** Stop before executing the instruction at this address (default: no such stop). */
  readonly until?: number;
  /** Stop at the first block start once this many instructions ran (the fast path's quanta). */
  readonly budget?: number;
}

export interface RunResult {
  /** Unicorn's return code: 0, or the guest fault that ended the run (UC_ERR_*). */
  readonly code: number;
  /**
   * Instructions that retired before the pc the run stopped at: a faulting instruction,
   * or one a hook stopped the engine at, is not among them (x86 `int` is: the pc is past it).
   */
  readonly counted: number;
  /** The run stopped for its budget, at a block start. */
  readonly budgetSpent: boolean;
  /**
   * The first exception a hook callback threw during the run, which stopped it: Unicorn
   * cannot carry it through C, so the run hands it back (as Unicorn's Python binding
   * re-raises it from `emu_start`).
   */
  readonly hookError?: unknown;
}

/** The DSM region of one core and the tables the C check reads (see watchDsm). */
export interface DsmWatch {
  readonly base: number;
  readonly bytes: number;
  /** A power of two. */
  readonly pageBytes: number;
  readonly pageStates: Buffer;
  readonly touched: Buffer;
}

export interface HookHandle {
  readonly id: bigint;
}

type RegisteredHook = { handle: HookHandle; key: bigint };

function toNumber(value: number | bigint): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** koffi hands a uint64_t above 2^63 to a callback as a negative BigInt. */
function unsigned64(value: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

function applyRepair(uc: Unicorn, handle: UcHandle, isa: EngineIsa, repair: OpenRepair): void {
  switch (repair) {
    case 'prime-condition-codes': return primeConditionCodes(uc, handle, isa);
    case 'reserve-invalid-window': return reserveInvalidWindow(uc, handle);
    default: return unreachable(repair);
  }
}

/**
 * One Unicorn CPU engine. Every call that Unicorn can refuse throws a UnicornError with
 * Unicorn's own message; a guest fault during `run` is a result, not an exception.
 */
export class Engine {
  readonly isa: EngineIsa;
  private readonly uc: Unicorn;
  private handle: UcHandle;
  private readonly hooks = new Map<bigint, RegisteredHook>();
  /** Keys of the JavaScript functions the C hooks call; released at close. */
  private readonly fastHookKeys: bigint[] = [];
  /** Buffers mapped with map_ptr stay referenced here so the GC never frees guest RAM. */
  private readonly mappedBuffers = new Map<number, Buffer>();
  private readonly registerScratch = Buffer.alloc(16);
  private readonly fast: FastPathCore;
  /**
   * Decodes x86 code: the addresses where instructions begin, from `start` up to (not
   * including) `end`, and where the last of them ends. A run that stops inside a block
   * retires only part of it, and a single step must know where its instruction ends;
   * only a decoder knows that on x86 (SPARC's instructions are 4 bytes).
   */
  x86Decoder: ((start: number, end: number) => { readonly starts: readonly number[]; readonly end: number }) | undefined;
  private closed = false;
  /** The first exception a hook threw in the run in progress: `run` returns it. */
  private hookFailure: { readonly error: unknown } | undefined;
  /**
   * The pc a budget stop left (the block start the hook stopped before), so that the
   * scheduler's reads of it between quanta cost no call into Unicorn; dropped by
   * anything that may move the pc.
   */
  private pcAtBudgetStop: number | undefined;
  /** While a fault is located, the guest's hooks stay silent: the replay is not the guest's. */
  private locatingFault = false;

  private constructor(isa: EngineIsa, uc: Unicorn, handle: UcHandle, fast: FastPathCore) {
    this.isa = isa;
    this.uc = uc;
    this.handle = handle;
    this.fast = fast;
  }

  static open(isaName: IsaName): Engine {
    const uc = loadUnicorn();
    const isa = ENGINE_ISAS[isaName];
    const out = [null as UcHandle];
    const code = uc.open(isa.arch, isa.mode, out) as number;
    if (code !== 0) throw new UnicornError(`uc_open(${isaName})`, code, uc.strerror(code) as string);
    let fast: FastPathCore;
    try {
      for (const repair of isa.openRepairs) applyRepair(uc, out[0], isa, repair);
      fast = FastPathCore.attach(out[0], isa.family === 'sparc', isa.registers[isa.pcRegister]!);
    } catch (error) {
      uc.close(out[0]);
      throw error;
    }
    return new Engine(isa, uc, out[0], fast);
  }

  private check(operation: string, code: number): void {
    if (code !== 0) throw new UnicornError(operation, code, this.uc.strerror(code) as string);
  }

  private live(): UcHandle {
    if (this.closed) throw new Error('engine is closed');
    return this.handle;
  }

  mapMemory(address: number, size: number, perms: number): void {
    this.check(`uc_mem_map(0x${address.toString(16)}, 0x${size.toString(16)})`,
      this.uc.memMap(this.live(), address, size, perms) as number);
  }

  /** Maps host memory into the guest; engines that map one Buffer share it. */
  mapBuffer(address: number, buffer: Buffer, perms: number): void {
    this.check(`uc_mem_map_ptr(0x${address.toString(16)}, 0x${buffer.length.toString(16)})`,
      this.uc.memMapPtr(this.live(), address, buffer.length, perms, buffer) as number);
    this.mappedBuffers.set(address, buffer);
  }

  unmap(address: number, size: number): void {
    this.check(`uc_mem_unmap(0x${address.toString(16)})`, this.uc.memUnmap(this.live(), address, size) as number);
    this.mappedBuffers.delete(address);
  }

  protect(address: number, size: number, perms: number): void {
    this.check(`uc_mem_protect(0x${address.toString(16)})`,
      this.uc.memProtect(this.live(), address, size, perms) as number);
  }

  readMemory(address: number, size: number): Buffer {
    const bytes = Buffer.alloc(size);
    this.check(`uc_mem_read(0x${address.toString(16)}, ${size})`,
      this.uc.memRead(this.live(), address, bytes, size) as number);
    return bytes;
  }

  writeMemory(address: number, bytes: Uint8Array): void {
    this.check(`uc_mem_write(0x${address.toString(16)}, ${bytes.length})`,
      this.uc.memWrite(this.live(), address, bytes, bytes.length) as number);
  }

  private registerId(name: string): number {
    const id = this.isa.registers[name];
    if (id === undefined) throw new Error(`${this.isa.name} has no register named '${name}'`);
    return id;
  }

  readRegister(name: string): bigint {
    this.registerScratch.fill(0);
    this.check(`uc_reg_read(${name})`, this.uc.regRead(this.live(), this.registerId(name), this.registerScratch) as number);
    if (this.isa.vectorRegisters.includes(name)) {
      return (this.registerScratch.readBigUInt64LE(8) << 64n) | this.registerScratch.readBigUInt64LE(0);
    }
    switch (this.isa.registerBytes) {
      case 8: return this.registerScratch.readBigUInt64LE(0);
      case 4: return BigInt(this.registerScratch.readUInt32LE(0));
      default: return unreachable(this.isa.registerBytes);
    }
  }

  writeRegister(name: string, value: bigint | number): void {
    this.pcAtBudgetStop = undefined;
    this.registerScratch.fill(0);
    this.registerScratch.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)), 0);
    if (this.isa.vectorRegisters.includes(name)) this.registerScratch.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value) >> 64n), 8);
    this.check(`uc_reg_write(${name})`, this.uc.regWrite(this.live(), this.registerId(name), this.registerScratch) as number);
  }

  pc(): number {
    return this.pcAtBudgetStop ?? Number(this.readRegister(this.isa.pcRegister));
  }

  /** The pc as Unicorn holds it: x86-64 pcs above 2^53 are not exact as a number. */
  exactPc(): bigint {
    return this.pcAtBudgetStop === undefined ? this.readRegister(this.isa.pcRegister) : BigInt(this.pcAtBudgetStop);
  }

  /** Runs from `begin` until a stop condition; never throws for a guest fault. */
  run(begin: number, options: RunOptions = {}): RunResult {
    this.hookFailure = undefined;
    this.pcAtBudgetStop = undefined;
    this.live();
    // `until` 0 would stop a guest that jumped to 0 with no error and no progress.
    const until = options.until === undefined ? this.isa.runStop : BigInt(options.until);
    const budget = options.budget ?? Infinity;
    const askTranslation = options.until === undefined;
    let code = this.fast.run(begin, until, budget, false, askTranslation);
    while (code === UC_ERR_OK && this.fast.view[VIEW.stopReason] === STOP_UNKNOWN_BLOCK && this.hookFailure === undefined) {
      // A block whose translation Unicorn could not show: count it by decoding, go on.
      const start = this.fast.view[VIEW.blockStart]!;
      const size = this.fast.view[VIEW.blockSize]!;
      this.fast.rememberBlock(start, size, this.instructionsInBlock(start, start + size));
      code = this.fast.run(start, until, budget, true, askTranslation);
    }
    const budgetSpent = this.fast.view[VIEW.stopReason] === STOP_BUDGET;
    // A budget stop is before its block's first instruction, and the run put the pc there.
    if (code === UC_ERR_OK && budgetSpent) this.pcAtBudgetStop = this.fast.view[VIEW.blockStart]!;
    const pc = this.exactPc();
    if (code === UC_ERR_OK && options.until === undefined && pc === until) {
      // Nothing is mapped at the run stop: executing there is a fetch of unmapped memory.
      code = UC_ERR_FETCH_UNMAPPED;
    }
    const failure = this.takeHookFailure();
    const counted = this.retiredBefore(Number(pc));
    return failure ? { code, counted, budgetSpent, hookError: failure.error } : { code, counted, budgetSpent };
  }

  /**
   * Instructions retired in this run before `pc`, from the block the run entered last:
   * all of it when the pc has left it, the instructions before the pc when inside.
   */
  retiredBefore(pc: number, view: ArrayLike<number> = this.fast.view, offset = 0): number {
    const entered = view[offset + VIEW.entered]!;
    const start = view[offset + VIEW.blockStart]!;
    const size = view[offset + VIEW.blockSize]!;
    if (pc < start || pc >= start + size) return entered;
    return entered - view[offset + VIEW.blockIcount]! + this.instructionsInBlock(start, pc);
  }

  private instructionsInBlock(start: number, pc: number): number {
    if (pc === start) return 0;
    const family = this.isa.family;
    switch (family) {
      case 'sparc': return (pc - start) / 4;
      case 'x86': return this.decodeX86(start, pc).starts.length;
      default: return unreachable(family);
    }
  }

  private decodeX86(start: number, end: number): { readonly starts: readonly number[]; readonly end: number } {
    if (!this.x86Decoder) throw new Error('an x86 engine needs its x86Decoder to count a block in part or to step');
    return this.x86Decoder(start, end);
  }

  /** Where the instruction at `begin` ends: the next one, unless it transfers control. */
  fallThrough(begin: number): number {
    const family = this.isa.family;
    switch (family) {
      case 'sparc': return begin + 4;
      case 'x86': return this.decodeX86(begin, begin + 1).end;
      default: return unreachable(family);
    }
  }

  /**
   * Runs exactly one instruction from `begin`: to the pc where it ends (a code hook
   * there) or, when it jumps, to its target's block start.
   */
  step(begin: number): RunResult {
    this.pcAtBudgetStop = undefined;
    this.hookFailure = undefined;
    let code = this.fast.step(begin, this.fallThrough(begin), this.isa.runStop);
    const pc = this.exactPc();
    if (code === UC_ERR_OK && pc === this.isa.runStop) code = UC_ERR_FETCH_UNMAPPED;
    const failure = this.takeHookFailure();
    const counted = this.retiredBefore(Number(pc));
    return failure ? { code, counted, budgetSpent: false, hookError: failure.error } : { code, counted, budgetSpent: false };
  }

  private takeHookFailure(): { readonly error: unknown } | undefined {
    const failure = this.hookFailure;
    this.hookFailure = undefined;
    return failure;
  }

  /**
   * After a run ended on a load or store fault (Unicorn error `type` at `address`),
   * moves the pc from the block start Unicorn leaves to the faulting instruction, and
   * returns it; `ambiguous` when another instruction of the block would have faulted
   * the same way from that state. Undefined when no instruction reproduces the fault.
   */
  locateFault(type: number, address: bigint): { readonly pc: number; readonly ambiguous: boolean } | undefined {
    const view = this.fast.view;
    const start = view[VIEW.blockStart]!;
    const end = start + view[VIEW.blockSize]!;
    if (end <= start) return undefined;
    const starts = this.instructionStarts(start, end);
    this.pcAtBudgetStop = undefined;
    this.locatingFault = true;
    try {
      const found = this.fast.locateFault(starts, type, address, this.isa.runStop);
      return found && { pc: starts[found.index]!, ambiguous: found.ambiguous };
    } finally {
      this.locatingFault = false;
    }
  }

  /** The instructions of [start, end), then `end`. */
  private instructionStarts(start: number, end: number): number[] {
    const family = this.isa.family;
    switch (family) {
      case 'sparc': return Array.from({ length: (end - start) / 4 + 1 }, (_, i) => start + 4 * i);
      case 'x86': return [...this.decodeX86(start, end).starts, end];
      default: return unreachable(family);
    }
  }

  /** Instructions the run in progress retired before the current pc (read from a hook). */
  countedSoFar(): number {
    this.fast.syncView();
    // A SPARC channel hook names the storing instruction; the engine's pc is its block's start.
    const hookPc = this.fast.view[VIEW.hookPc]!;
    return this.retiredBefore(hookPc !== 0 ? hookPc : this.pc());
  }

  stop(): void {
    this.uc.emuStop(this.live());
  }

  /**
   * Keeps budget stops out of these code ranges: a quantum never ends strictly inside
   * one (at most 16), whatever its budget.
   */
  keepQuantumEndsOut(ranges: readonly { readonly address: number; readonly length: number }[]): void {
    this.fast.setNoStopRanges(ranges.map((r) => ({ begin: r.address, end: r.address + r.length })));
  }

  /** Drops translated code for [begin, end) so patched bytes are fetched anew. */
  invalidate(begin: number, end: number): void {
    this.fast.forgetBlocks(begin, end);
    this.check('uc_ctl(TB_REMOVE_CACHE)', this.uc.ctl(this.live(), UC_CTL_TB_REMOVE_CACHE_WRITE,
      'uint64_t', begin, 'uint64_t', end) as number);
  }

  private guard<T>(fallback: T, body: () => T): T {
    if (this.locatingFault) return fallback;
    try {
      return body();
    } catch (error) {
      this.hookFailure ??= { error };
      this.uc.emuStop(this.handle);
      return fallback;
    }
  }

  private addHook(type: number, proto: TypeObject, fallback: unknown, callback: (...args: never[]) => unknown,
                  begin: number, end: number): HookHandle {
    const key = registerHookFunction(callback);
    const out: [bigint] = [0n];
    const code = this.uc.hookAdd(this.live(), out, type, trampolineFor(proto, fallback), key, begin, end) as number;
    if (code !== 0) {
      unregisterHookFunction(key);
      this.check('uc_hook_add', code);
    }
    const handle = { id: BigInt(out[0]) };
    this.hooks.set(handle.id, { handle, key });
    return handle;
  }

  /** Traps and CPU exceptions: x86 interrupt vectors, SPARC trap types. */
  onInterrupt(callback: (intno: number) => void): HookHandle {
    return this.addHook(UC_HOOK_INTR, HookIntrProto, undefined,
      (_uc: unknown, intno: number) => this.guard(undefined, () => callback(intno)), 1, 0);
  }

  /**
   * Memory events (UC_HOOK_MEM_* mask); return true to retry the access. The address is
   * exact: faults happen anywhere in the 64-bit space.
   */
  onMemoryEvent(types: number, callback: (type: number, address: bigint, size: number) => boolean): HookHandle {
    return this.addHook(types, HookMemEventProto, false,
      (_uc: unknown, type: number, address: number | bigint, size: number) =>
        this.guard(false, () => callback(type, unsigned64(address), size)), 1, 0);
  }

  /**
   * Reads and writes (UC_HOOK_MEM_READ / UC_HOOK_MEM_WRITE) of [begin, end], called
   * before the access happens.
   */
  onMemoryAccess(types: number, begin: number, end: number,
                 callback: (type: number, address: number, size: number, value: number) => void): HookHandle {
    return this.addHook(types, HookMemAccessProto, undefined,
      (_uc: unknown, type: number, address: number | bigint, size: number, value: number | bigint) =>
        this.guard(undefined, () => callback(type, toNumber(address), size, Number(BigInt.asUintN(32, BigInt(value))))),
      begin, end);
  }

  /**
   * The node's RAM, which holds its code: a SPARC memory hook reads the block there to
   * name the instruction that made the access (Unicorn's pc then is stale).
   */
  setCodeMemory(ram: Buffer, base: number): void {
    this.fast.setCode(ram, base);
  }

  /**
   * The DSM region's accesses, checked in C against the core's page table: `kernel`
   * is called (before the access) only for those the table does not allow.
   */
  watchDsm(region: DsmWatch, kernel: (type: number, address: number, size: number) => void): void {
    const key = registerHookFunction((_uc: unknown, type: number, address: number | bigint, size: number) =>
      this.guard(undefined, () => kernel(type, toNumber(address), size)));
    const code = this.fast.watchDsm(region.base, region.bytes, Math.log2(region.pageBytes), region.pageStates,
      region.touched, trampolineFor(HookMemAccessProto, undefined), key);
    if (code !== 0) {
      unregisterHookFunction(key);
      this.check('cvm_watch_dsm', code);
    }
    this.fastHookKeys.push(key);
  }

  /**
   * A task area's accesses, checked in C against its page bytes: `kernel` is called
   * (before the access) only for a page absent or too weakly protected for it.
   */
  watchTasks(base: number, pageBytes: number, pages: Buffer, kernel: (type: number, address: number, size: number) => void): void {
    const key = registerHookFunction((_uc: unknown, type: number, address: number | bigint, size: number) =>
      this.guard(undefined, () => kernel(type, toNumber(address), size)));
    const code = this.fast.watchTasks(base, pages.length * pageBytes, Math.log2(pageBytes), pages,
      trampolineFor(HookMemAccessProto, undefined), key);
    if (code !== 0) {
      unregisterHookFunction(key);
      this.check('cvm_watch_tasks', code);
    }
    this.fastHookKeys.push(key);
  }

  /**
   * The next run starts at `begin` inside a block a debugger stop split: that first
   * block is counted, but the run neither ends its budget nor stops at the next block
   * there, since the undisturbed run had no block start at `begin`.
   */
  resumeMidBlock(begin: number): void {
    this.fast.resumeMidBlock(begin);
  }

  /** Makes the run in progress stop at the next block start (from a hook). */
  stopAtNextBlock(): void {
    this.fast.stopAtNextBlock();
  }

  /**
   * Watches the heads and tails of rings in `ram` (mapped at `ramBase`). Writes the C
   * check finds plausible are logged with where the core was; `kernel` hears the rest at
   * once, and `flush` is called to read the log before that and when it fills.
   */
  watchRings(rings: readonly RingWatch[], ram: Buffer, ramBase: number,
             kernel: (address: number, size: number, value: number) => void, flush: () => void): void {
    const key = registerHookFunction((...args: unknown[]) => {
      if (args.length === 1) return this.guard(undefined, flush);
      const [, , address, size, value] = args as [unknown, number, number | bigint, number, number | bigint];
      return this.guard(undefined, () => kernel(toNumber(address), size, Number(BigInt.asUintN(32, BigInt(value)))));
    });
    const code = this.fast.watchChannels(rings, ram, ramBase, this.isa.littleEndian,
      trampolineFor(HookMemAccessProto, undefined), trampolineFor(FlushProto, undefined), key);
    if (code !== 0) {
      unregisterHookFunction(key);
      this.check('cvm_watch_channels', code);
    }
    this.fastHookKeys.push(key);
  }

  /** Channel writes logged since the log was last read: the writes, and how many instructions retired before each. */
  takeLoggedWrites(): { address: number; size: number; value: number; retired: number }[] {
    const length = this.fast.view[VIEW.logLength]!;
    const log = this.fast.channelLog;
    const writes = [];
    for (let i = 0; i < length; i++) {
      const at = i * CHANNEL_WRITE_FIELDS;
      writes.push({
        address: log[at + CHANNEL_WRITE.address]!, size: log[at + CHANNEL_WRITE.size]!, value: log[at + CHANNEL_WRITE.value]!,
        // A record holds the view's fields from `entered` on, in the view's order.
        retired: this.retiredBefore(log[at + CHANNEL_WRITE.pc]!, log, at + CHANNEL_WRITE.entered),
      });
    }
    this.fast.view[VIEW.logLength] = 0;
    return writes;
  }

  /** Off: every watched ring write reaches the kernel at once (a debugger stops at such writes). */
  logRingWrites(enabled: boolean): void {
    this.fast.logChannelWrites(enabled);
  }

  /** Sets whether the core's DSM transaction is open (the C check needs it for writes). */
  setDsmTransactionOpen(open: boolean): void {
    this.fast.view[VIEW.inTransaction] = open ? 1 : 0;
  }

  /** Every instruction in [begin, end]. */
  onCode(begin: number, end: number, callback: (address: number, size: number) => void): HookHandle {
    return this.addHook(UC_HOOK_CODE, HookCodeProto, undefined,
      (_uc: unknown, address: number | bigint, size: number) =>
        this.guard(undefined, () => callback(toNumber(address), size)), begin, end);
  }

  /** The start of every translated block. */
  onBlock(callback: (address: number, size: number) => void): HookHandle {
    return this.addHook(UC_HOOK_BLOCK, HookCodeProto, undefined,
      (_uc: unknown, address: number | bigint, size: number) =>
        this.guard(undefined, () => callback(toNumber(address), size)), 1, 0);
  }

  /** An undecodable instruction; return true if the callback repaired state to go on. */
  onInvalidInstruction(callback: () => boolean): HookHandle {
    return this.addHook(UC_HOOK_INSN_INVALID, HookInsnInvalidProto, false,
      () => this.guard(false, callback), 1, 0);
  }

  removeHook(handle: HookHandle): void {
    const hook = this.hooks.get(handle.id);
    if (!hook) return;
    this.check('uc_hook_del', this.uc.hookDel(this.live(), handle.id) as number);
    unregisterHookFunction(hook.key);
    this.hooks.delete(handle.id);
  }

  /** sparc32's current window pointer (CWP), 0 to 7: `save` counts it down, `restore` up. */
  sparcWindow(): number {
    if (this.isa.name !== 'sparc32') throw new Error(`${this.isa.name} has no window pointer clustervm can read`);
    return currentWindow(this.uc, this.live());
  }

  saveContext(): EngineContext {
    const out = [null as unknown];
    this.check('uc_context_alloc', this.uc.contextAlloc(this.live(), out) as number);
    const context = new EngineContext(this.uc, out[0], this.uc.contextSize(this.handle) as number);
    this.check('uc_context_save', this.uc.contextSave(this.handle, context.pointer) as number);
    return context;
  }

  /** Saves into an existing context, avoiding an allocation on hot paths. */
  saveContextInto(context: EngineContext): void {
    this.check('uc_context_save', this.uc.contextSave(this.live(), context.pointer) as number);
  }

  restoreContext(context: EngineContext): void {
    this.pcAtBudgetStop = undefined;
    this.check('uc_context_restore', this.uc.contextRestore(this.live(), context.pointer) as number);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Releases the engine and every hook; safe to call twice. */
  close(): void {
    if (this.closed) return;
    for (const hook of this.hooks.values()) {
      this.uc.hookDel(this.handle, hook.handle.id);
      unregisterHookFunction(hook.key);
    }
    this.hooks.clear();
    this.fast.detach();
    for (const key of this.fastHookKeys.splice(0)) unregisterHookFunction(key);
    this.uc.close(this.handle);
    this.mappedBuffers.clear();
    this.closed = true;
    this.handle = null;
  }
}

/** A saved CPU state (empty on sparc64 in Unicorn 2.0.1: see tests/engine/unicorn-quirks). */
export class EngineContext {
  private freed = false;
  constructor(private readonly uc: Unicorn, readonly pointer: unknown, readonly size: number) {}

  free(): void {
    if (this.freed) return;
    this.uc.contextFree(this.pointer);
    this.freed = true;
  }
}
