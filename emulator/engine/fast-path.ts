import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import koffi, { type LibraryHandle } from 'koffi';
import type { UcHandle } from './native.js';

// The binding of fast-path.c (quanta by block, DSM checks, channel-write log), built by
// `make native` next to the project. One library per process, opened with the first engine.

const FAST_PATH_LIBRARY = fileURLToPath(new URL('../../build/libclustervm-fast-path.so', import.meta.url));

/** Indices into a core's shared view (struct cvm_view in fast-path.c). */
export const VIEW = {
  entered: 0, blockStart: 1, blockIcount: 2, blockSize: 3, stopReason: 4, inTransaction: 5, logLength: 6, hookPc: 7,
} as const;
const VIEW_FIELDS = 8;

/** Fields of one logged channel write (struct cvm_channel_write). */
export const CHANNEL_WRITE = {
  address: 0, size: 1, value: 2, entered: 3, blockStart: 4, blockIcount: 5, blockSize: 6, pc: 7,
} as const;
export const CHANNEL_WRITE_FIELDS = 8;

/** A ring whose head and tail writes the C hook logs (or, `synchronous`, reports at once). */
export interface RingWatch {
  readonly head: number;
  readonly slots: number;
  readonly synchronous: boolean;
}

/** Why a run stopped, as the block hook records it (enum cvm_stop). */
export const STOP_BUDGET = 1;
export const STOP_UNKNOWN_BLOCK = 2;


export class FastPathMissingError extends Error {
  constructor(cause: string) {
    super(`clustervm's native library ${FAST_PATH_LIBRARY} ${cause}: build it with \`make native\``);
    this.name = 'FastPathMissingError';
  }
}

export const FlushProto = koffi.proto('void ClustervmFlush(void *user)');

function bind(lib: LibraryHandle) {
  return {
    disableHugePages: lib.func('int cvm_disable_huge_pages(void)'),
    viewFields: lib.func('int cvm_view_fields(void)'),
    channelWriteFields: lib.func('int cvm_channel_write_fields(void)'),
    channelLogCapacity: lib.func('int cvm_channel_log_capacity(void)'),
    attach: lib.func('void *cvm_attach(void *uc, int sparc, int pc_register)'),
    detach: lib.func('void cvm_detach(void *core)'),
    view: lib.func('void *cvm_view(void *core)'),
    syncView: lib.func('void cvm_sync_view(void *core)'),
    stopAtNextBlock: lib.func('void cvm_stop_at_next_block(void *core)'),
    resumeMidBlock: lib.func('void cvm_resume_mid_block(void *core, uint64_t begin)'),
    channelLog: lib.func('void *cvm_channel_log(void *core)'),
    run: lib.func('int cvm_run(void *core, uint64_t begin, uint64_t until, double budget, int resume, int ask_translation)'),
    step: lib.func('int cvm_step(void *core, uint64_t begin, uint64_t next, uint64_t until)'),
    rememberBlock: lib.func('int cvm_remember_block(void *core, uint64_t start, uint32_t size, uint32_t icount)'),
    forgetBlocks: lib.func('void cvm_forget_blocks(void *core, uint64_t begin, uint64_t end)'),
    setNoStopRanges: lib.func('int cvm_set_no_stop_ranges(void *core, const double *ranges, int count)'),
    setCode: lib.func('void cvm_set_code(void *core, const uint8_t *code, uint64_t base, uint64_t bytes)'),
    watchDsm: lib.func('int cvm_watch_dsm(void *core, uint64_t base, uint64_t bytes, uint32_t page_shift, '
      + 'void *page_states, void *touched, void *kernel, void *user)'),
    watchTasks: lib.func('int cvm_watch_tasks(void *core, uint64_t base, uint64_t bytes, uint32_t page_shift, '
      + 'const uint8_t *pages, void *kernel, void *user)'),
    watchChannels: lib.func('int cvm_watch_channels(void *core, const double *heads, const double *slots, '
      + 'const uint8_t *synchronous, int count, const uint8_t *ram, uint64_t ram_base, uint64_t ram_bytes, '
      + 'int little_endian, void *kernel, void *flush, void *user)'),
    logChannelWrites: lib.func('void cvm_log_channel_writes(void *core, int enabled)'),
    locateFault: lib.func('int cvm_locate_fault(void *core, const double *starts, int count, int type, '
      + 'uint64_t address, uint64_t until, _Out_ int *ambiguous)'),
  };
}

export type FastPathLibrary = ReturnType<typeof bind>;

let library: FastPathLibrary | undefined;

function loadFastPath(): FastPathLibrary {
  if (library) return library;
  if (!existsSync(FAST_PATH_LIBRARY)) throw new FastPathMissingError('is missing');
  let lib: LibraryHandle;
  try {
    lib = koffi.load(FAST_PATH_LIBRARY);
  } catch (error) {
    throw new FastPathMissingError(`cannot be loaded (${error instanceof Error ? error.message : String(error)})`);
  }
  const bound = bind(lib);
  // A library built from another fast-path.c would read the shared records wrongly.
  if (bound.viewFields() !== VIEW_FIELDS || bound.channelWriteFields() !== CHANNEL_WRITE_FIELDS) {
    throw new FastPathMissingError('was built from another version of fast-path.c');
  }
  // Without it each engine keeps 2 MiB more resident; a host that refuses only loses memory.
  bound.disableHugePages();
  library = bound;
  return bound;
}

/** The C state of one engine: its block hook, and the records it shares with JavaScript. */
export class FastPathCore {
  /** The core's view (VIEW), read and written in place. */
  readonly view: Float64Array;
  /** Channel writes logged by the C hook (CHANNEL_WRITE records). */
  readonly channelLog: Float64Array;
  /** Buffers the C hooks read, kept referenced while they are in use. */
  private readonly pinned: Buffer[] = [];

  private constructor(private readonly lib: FastPathLibrary, readonly pointer: unknown) {
    this.view = new Float64Array(koffi.view(lib.view(pointer), VIEW_FIELDS * 8));
    const logBytes = lib.channelLogCapacity() * CHANNEL_WRITE_FIELDS * 8;
    this.channelLog = new Float64Array(koffi.view(lib.channelLog(pointer), logBytes));
  }

  static attach(uc: UcHandle, sparc: boolean, pcRegister: number): FastPathCore {
    const lib = loadFastPath();
    const pointer: unknown = lib.attach(uc, sparc ? 1 : 0, pcRegister);
    if (pointer === null) throw new Error('cvm_attach: out of memory or the block hook was refused');
    return new FastPathCore(lib, pointer);
  }

  run(begin: number, until: bigint, budget: number, resume: boolean, askTranslation: boolean): number {
    return this.lib.run(this.pointer, begin, until, budget, resume ? 1 : 0, askTranslation ? 1 : 0) as number;
  }

  step(begin: number, next: number, until: bigint): number {
    return this.lib.step(this.pointer, begin, next, until) as number;
  }

  rememberBlock(start: number, size: number, icount: number): void {
    if (this.lib.rememberBlock(this.pointer, start, size, icount) !== 1) {
      throw new Error(`cannot count the block at 0x${start.toString(16)} (${icount} instructions in ${size} bytes)`);
    }
  }

  /** Copies the block hook's counts into the view (a run in progress keeps its own). */
  syncView(): void {
    this.lib.syncView(this.pointer);
  }

  /** From a hook: the run in progress stops at the next block start. */
  stopAtNextBlock(): void {
    this.lib.stopAtNextBlock(this.pointer);
  }

  /** Before a run from `begin`, inside a block a debugger stop split (fast-path.c). */
  resumeMidBlock(begin: number): void {
    this.lib.resumeMidBlock(this.pointer, begin);
  }

  forgetBlocks(begin: number, end: number): void {
    this.lib.forgetBlocks(this.pointer, begin, end);
  }

  setNoStopRanges(ranges: readonly { readonly begin: number; readonly end: number }[]): void {
    const flat = new Float64Array(ranges.flatMap((r) => [r.begin, r.end]));
    if (this.lib.setNoStopRanges(this.pointer, flat, ranges.length) !== 1) {
      throw new RangeError(`at most 16 code ranges may be kept from preemption, not ${ranges.length}`);
    }
  }

  /** The node's RAM, where a SPARC hook finds the instruction that made an access. */
  setCode(ram: Buffer, base: number): void {
    this.pinned.push(ram);
    this.lib.setCode(this.pointer, ram, base, ram.length);
  }

  watchDsm(base: number, bytes: number, pageShift: number, pageStates: Buffer, touched: Buffer,
           kernel: unknown, key: bigint): number {
    this.pinned.push(pageStates, touched);
    return this.lib.watchDsm(this.pointer, base, bytes, pageShift, pageStates, touched, kernel, key) as number;
  }

  watchTasks(base: number, bytes: number, pageShift: number, pages: Buffer, kernel: unknown, key: bigint): number {
    this.pinned.push(pages);
    return this.lib.watchTasks(this.pointer, base, bytes, pageShift, pages, kernel, key) as number;
  }

  watchChannels(rings: readonly RingWatch[], ram: Buffer, ramBase: number, littleEndian: boolean,
                kernel: unknown, flush: unknown, key: bigint): number {
    const heads = new Float64Array(rings.map((r) => r.head));
    const slots = new Float64Array(rings.map((r) => r.slots));
    const synchronous = Uint8Array.from(rings, (r) => (r.synchronous ? 1 : 0));
    this.pinned.push(ram);
    return this.lib.watchChannels(this.pointer, heads, slots, synchronous, rings.length, ram, ramBase, ram.length,
      littleEndian ? 1 : 0, kernel, flush, key) as number;
  }

  logChannelWrites(enabled: boolean): void {
    this.lib.logChannelWrites(this.pointer, enabled ? 1 : 0);
  }

  /**
   * Replays each instruction of the block (`starts`, then the block's end) from the
   * state the core stopped in, to find the one that faults with `type` at `address`.
   */
  locateFault(starts: readonly number[], type: number, address: bigint,
              until: bigint): { readonly index: number; readonly ambiguous: boolean } | undefined {
    const ambiguous = [0];
    const index = this.lib.locateFault(this.pointer, new Float64Array(starts), starts.length - 1, type, address,
      until, ambiguous) as number;
    return index < 0 ? undefined : { index, ambiguous: ambiguous[0] === 1 };
  }

  detach(): void {
    this.lib.detach(this.pointer);
    this.pinned.length = 0;
  }
}
