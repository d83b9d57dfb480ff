// Syscall numbers, shared by every ISA. Guest programs see them as assembler symbols
// (SYS_EXIT, ...), so a .s file never hard-codes a number.

export const SYSCALLS = {
  SYS_EXIT: 1,
  SYS_WRITE: 2,
  SYS_YIELD: 3,
  SYS_NODE_ID: 4,
  SYS_CORE_ID: 5,
  SYS_TIME_NS: 6,
  SYS_SLEEP_NS: 7,
  SYS_REPORT: 8,
  SYS_TX_BEGIN: 9,
  SYS_TX_COMMIT: 10,
  SYS_ALLOC: 11,
  SYS_ALLOC_RO: 12,
  SYS_CHAN_SEND: 13,
  SYS_CHAN_WAIT: 14,
  SYS_RFORK: 15,
  SYS_RSPAWN: 16,
  SYS_TASK_WAIT: 17,
  SYS_MIGRATE: 18,
  SYS_TASK_EXIT: 19,
  SYS_TASK_ID: 20,
  SYS_PARENT_ID: 21,
  SYS_TASK_MAP: 22,
} as const;

export type SyscallNumber = (typeof SYSCALLS)[keyof typeof SYSCALLS];

/** Virtual cycles a trap into the kernel costs, on top of the trapping instruction. */
export const SYSCALL_CYCLES = 100;
