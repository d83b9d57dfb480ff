import type { IsaName } from '../isa/index.js';

/** What the kernel sees of a core: the machine implements it, the kernel never imports it. */
export interface GuestCore {
  readonly nodeId: number;
  readonly coreId: number;
  readonly isa: IsaName;
  readRegister(name: string): bigint;
  writeRegister(name: string, value: bigint | number): void;
  /** Reads guest memory; throws when the range is not mapped. */
  readMemory(address: number, length: number): Uint8Array;
  /** Virtual time of this core in nanoseconds. */
  virtualTimeNs(): number;
  /** Appends bytes to the node console on behalf of this core. */
  writeConsole(bytes: Uint8Array): void;
  /** Records the core's result value, shown in the boot summary and summed there. */
  reportResult(value: bigint): void;
  /** The core's own copy of the DSM region and its page table; undefined when the image has no DSM. */
  readonly dsm: CoreDsmMemory | undefined;
  /** Saves the registers as a transaction's start (one saved start per core). */
  saveTransactionStart(): void;
  /** Registers back to the saved start; the core resumes right after the begin trap. */
  rollBackToTransactionStart(): void;
  /** Stops the core until wake(atNs) with atNs >= `untilNs` (Infinity: until the kernel decides). */
  sleepUntil(untilNs: number): void;
  wake(atNs: number): void;
  /** The core has no program and no task: it waits for a task to run. */
  readonly idle: boolean;
  /** How the core ended, once it exited or faulted: it runs nothing any more. */
  readonly ended: 'exited' | 'faulted' | undefined;
  /** The core's task address space and its page table; undefined when the image has no tasks. */
  readonly taskMemory: CoreTaskMemory | undefined;
  /**
   * Gives an idle core a task's first thread: from `atNs` it runs `entry(argument)` on
   * the stack below `stackTop`, and the value `entry` returns ends the task.
   */
  startTask(entry: number, argument: bigint, stackTop: number, atNs: number): void;
  /** The registers of a core whose task left it (a migration), taken between quanta. */
  threadState(): ThreadState;
  /** Stops a core that is between runs for good, with a fault report (a child it waits on faulted). */
  haltWithFault(reason: string): void;
  /** Gives an idle core a migrated task's thread, which goes on from `atNs`. */
  adoptThread(thread: ThreadState, atNs: number): void;
}

/** A task's thread as it moves between cores: where it resumes and every register. */
export interface ThreadState {
  readonly pc: number;
  readonly registers: readonly (readonly [string, bigint])[];
  /** sparc32: the register windows outside the current one. */
  readonly windows: readonly (readonly (readonly [string, bigint])[])[];
}

/**
 * A core's task address space, which the machine maps at the tasks' base and shares
 * with the C check that answers accesses to present pages (see tasks/task-memory.ts).
 */
export interface CoreTaskMemory {
  readonly bytes: Uint8Array;
  /** One state byte per page. */
  readonly present: Uint8Array;
}

/**
 * A core's DSM memory, which the machine shares with the C check that answers most
 * accesses without the kernel (see dsm/page-states.ts).
 */
export interface CoreDsmMemory {
  /** The core's own copy of the region: a transaction's writes stay private. */
  readonly bytes: Uint8Array;
  /** One state byte per page (dsm/page-states.ts). */
  readonly pageStates: Uint8Array;
  /** One bit per byte of the region: what the open transaction read or wrote. */
  readonly touched: Uint8Array;
  /** Tells the check whether a transaction is open: outside one, every write comes to the kernel. */
  setTransactionOpen(open: boolean): void;
}

/** What the core does after the kernel served a trap. */
export type TrapOutcome =
  | { readonly action: 'resume' }
  | { readonly action: 'yield' }
  /**
   * Sleep `ns` in virtual time; with `retry`, the trap runs again after it (a syscall's
   * buffer was faulted in, as a load that faulted runs again).
   */
  | { readonly action: 'sleep'; readonly ns: number; readonly retry?: boolean }
  /** Wait, not runnable, until the kernel wakes the core (a commit waiting for the token). */
  | { readonly action: 'block' }
  | { readonly action: 'exit'; readonly status: number }
  /** The core's task ended or left it: the core waits, idle, for the next task. */
  | { readonly action: 'idle' }
  | { readonly action: 'fault'; readonly reason: string };

export interface TrapResult {
  readonly outcome: TrapOutcome;
  /** Virtual cycles the trap costs the core. */
  readonly cycles: number;
}

type MemoryAccess = 'read' | 'write' | 'fetch';

export interface MemoryFault {
  readonly access: MemoryAccess;
  /** unmapped: nothing mapped there; protected: mapped without that permission. */
  readonly kind: 'unmapped' | 'protected';
  /** Exact: a fault address may lie anywhere in the 64-bit space. */
  readonly address: bigint;
  readonly size: number;
}
