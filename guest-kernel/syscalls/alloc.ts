import { DsmOutOfMemory } from '../dsm/allocator.js';
import type { TrapOutcome } from '../guest-core.js';
import { low32, needsDsm, returns, type SyscallCall } from './syscall.js';

export function sysAlloc(call: SyscallCall): TrapOutcome {
  return allocate(call, false);
}

/** SYS_ALLOC and SYS_ALLOC_RO: the heap's address of `bytes`; an exhausted heap faults the core. */
export function allocate(call: SyscallCall, readOnly: boolean): TrapOutcome {
  return needsDsm(call, (dsm) => {
    try {
      return returns(call, BigInt(dsm.allocate(call.core, low32(call.arguments[0]), readOnly)));
    } catch (error) {
      if (error instanceof DsmOutOfMemory) return { action: 'fault', reason: error.message };
      throw error;
    }
  });
}
