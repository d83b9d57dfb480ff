import type { TrapOutcome } from '../guest-core.js';
import { returns, type SyscallCall } from './syscall.js';

/** SYS_TIME_NS: the core's virtual time, a 64-bit result on every ISA. */
export function sysTimeNs(call: SyscallCall): TrapOutcome {
  return returns(call, BigInt(Math.floor(call.core.virtualTimeNs())), true);
}
