import type { TrapOutcome } from '../guest-core.js';
import { allocate } from './alloc.js';
import type { SyscallCall } from './syscall.js';

export function sysAllocRo(call: SyscallCall): TrapOutcome {
  return allocate(call, true);
}
