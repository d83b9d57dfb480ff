// The physical layout of every node's RAM (README, "Memory layout"). One RAM buffer
// spans [RAM_BASE, RAM_BASE + ramSize); its code region is mapped read+execute, the
// rest read+write. Addresses below RAM_BASE stay unmapped so null pointers fault.
// Boundaries are multiples of 8 KiB, the coarsest Unicorn mapping (sparc64).

export const RAM_BASE = 0x0010_0000;
/** @alias The boot info block opens RAM. */
export const BOOT_INFO = RAM_BASE;
export const FIRMWARE_BASE = RAM_BASE + 0x2000;
export const PROGRAM_BASE = RAM_BASE + 0x1_0000;
export const CODE_END = RAM_BASE + 0x10_0000;
/** The linker's trampolines, mediator and stubs: the top of the code region. */
export const LINK_AREA_BYTES = 0x1_0000;
export const LINK_AREA = CODE_END - LINK_AREA_BYTES;
/** @alias Start of the node's read-write memory, shared by its cores: right after the code. */
export const NODE_DATA = CODE_END;
/** @alias The mediator's linkage table opens the read-write memory. */
export const LINK_TABLE = NODE_DATA;
export const LINK_TABLE_ENTRIES = 4096;
const LINK_TABLE_BYTES = LINK_TABLE_ENTRIES * 16;
/** Message channels: the node's channel table, then the rings that live on this node. */
export const CHANNEL_AREA = LINK_TABLE + LINK_TABLE_BYTES;
export const CHANNEL_AREA_BYTES = 0x1_0000;
/** Where programs may keep their own data. */
export const USER_DATA = CHANNEL_AREA + CHANNEL_AREA_BYTES;
/** Each core's stack, and the unmapped guard page below it that turns overflow into a fault. */
export const STACK_BYTES = 0x1_0000;
const STACK_GUARD_BYTES = 0x2000;
/** From one core's stack top to the next core's. */
export const STACK_STRIDE = STACK_BYTES + STACK_GUARD_BYTES;
/** The distributed shared memory: the same address on every node, above node RAM. */
export const DSM_BASE = 0x4000_0000;
/** Every core's task address space: the same address on every node, below the DSM. */
export const TASK_BASE = 0x3000_0000;
export const MIN_RAM_BYTES = 2 * 0x10_0000;
export const MAX_CORES_PER_NODE = 64;

/** Offsets of the boot info block the firmware reads; passed to it as symbols. */
export const BOOT_INFO_FIELDS = {
  BOOT_MAGIC: 0,
  BOOT_NODE_ID: 4,
  BOOT_CORE_COUNT: 8,
  BOOT_STACK_TOP: 12,
  BOOT_STACK_SIZE: 16,
  BOOT_NODE_COUNT: 20,
  BOOT_STACK_STRIDE: 24,
  BOOT_ENTRIES: 32,
} as const;

export const BOOT_MAGIC_VALUE = 0x43564d31; // 'CVM1'

export function stackTop(ramBytes: number): number {
  return RAM_BASE + ramBytes;
}

/** Where core `core`'s stack starts (its highest address + 1); core 0 is highest. */
export function coreStackTop(ramBytes: number, core: number): number {
  return stackTop(ramBytes) - core * STACK_STRIDE;
}

/** The unmapped guard page below core `core`'s stack, [begin, end). */
export function stackGuard(ramBytes: number, core: number): { begin: number; end: number } {
  const end = coreStackTop(ramBytes, core) - STACK_BYTES;
  return { begin: end - STACK_GUARD_BYTES, end };
}

/** Lowest address of the stacks and their guards: the end of the node's free data. */
export function stacksBottom(ramBytes: number, cores: number): number {
  return stackTop(ramBytes) - cores * STACK_STRIDE;
}
