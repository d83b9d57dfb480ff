export type { GuestCore, MemoryAccess, MemoryFault, TrapOutcome, TrapResult } from './guest-core.js';
export { Kernel } from './kernel.js';
export type { LinkPolicy, NodeLoad } from './link-policy.js';
export { LINK_RESOLVE_CYCLES } from './link-service.js';
export { SPARC_SYSCALL_TRAP, SYSCALL_ABIS, trapVector } from './syscall-abi.js';
export { MAX_WRITE_BYTES, SYSCALL_CYCLES, SYSCALLS } from './syscalls.js';
