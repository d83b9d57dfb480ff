// The tasking ABI and its costs. Guest programs see the flags as assembler symbols
// (TASK_CRTC, ...) and the C runtime as enum values, so no program hard-codes a bit.

/** How the kernel carries creation and paging messages between nodes. */
export type TaskTransportKind = 'window' | 'stop-and-wait';

/** The image's `tasks` field, resolved: every core's task address space. */
export interface TaskConfig {
  /** Where every core maps its task address space (the same address on every node). */
  readonly base: number;
  readonly bytes: number;
  /** The top of the area is the task's stack, zero-filled on first touch. */
  readonly stackBytes: number;
  /** The unit of copy on reference. */
  readonly pageBytes: number;
  readonly transport: TaskTransportKind;
}

const CREATION_METHODS = ['flat-sequential', 'flat-concurrent', 'crtc'] as const;
export type CreationMethod = (typeof CREATION_METHODS)[number];
export type PagingTree = 'flat' | 'hierarchical';

/**
 * rfork's and rspawn's fourth argument: the number of nodes in the low 16 bits, the
 * creation method in bits 16-17, the paging tree in bit 20. task_map's protection bits.
 */
export const TASK_FLAGS = {
  TASK_FLAT_SEQUENTIAL: 0,
  TASK_FLAT_CONCURRENT: 0x1_0000,
  TASK_CRTC: 0x2_0000,
  TASK_PAGING_HIERARCHICAL: 0x10_0000,
  TASK_READ: 1,
  TASK_WRITE: 2,
} as const;

const MAX_SPAWN_NODES = 0xffff;
export const MAX_VM_AREAS = 64;

/** The creation method, the paging tree and the count a spawn's flags word asks for. */
export function decodeSpawnFlags(word: number): { count: number; method: CreationMethod | undefined; paging: PagingTree } {
  return {
    count: word & MAX_SPAWN_NODES,
    method: CREATION_METHODS[(word >>> 16) & 3],
    paging: word & TASK_FLAGS.TASK_PAGING_HIERARCHICAL ? 'hierarchical' : 'flat',
  };
}

/**
 * Kernel work in virtual nanoseconds. Creating a task dominates (the creator copies the
 * address-space map and makes the task's ports), as in Mach, so flat creation is bound
 * by the creator's kernel and a spanning tree wins by sharing that work out.
 */
export const TASK_COSTS = {
  /** The creator's kernel, per task created: the task, its ports, its thread. */
  createNs: 250_000,
  /** The creator's kernel, per VM area of the new task: copying the map entry. */
  createPerAreaNs: 20_000,
  /** The new task's node: address space and thread set up. */
  initNs: 40_000,
  initPerAreaNs: 5_000,
  /** crtc: what a node sets up before it creates its own children. */
  minimumInitNs: 5_000,
  /** A node's kernel per creation reply or exit notice it receives. */
  replyNs: 2_000,
  /** A pager's kernel per page request it serves. */
  pageServeNs: 30_000,
  /** A node's kernel taking a migrated task in. */
  adoptNs: 40_000,
} as const;

/** Bytes on the wire. */
export const TASK_MESSAGE_BYTES = {
  header: 64,
  /** Per VM area in a creation or migration message. */
  area: 32,
  /** A migrating thread's registers. */
  thread: 512,
} as const;
