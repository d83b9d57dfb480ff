export type { GuestCore, MemoryAccess, MemoryFault, TrapOutcome, TrapResult } from './guest-core.js';
export { Kernel } from './kernel.js';
export { SPARC_SYSCALL_TRAP, SYSCALL_ABIS } from './syscall-abi.js';
export { MAX_WRITE_BYTES, SYSCALL_CYCLES, SYSCALLS } from './syscalls.js';
