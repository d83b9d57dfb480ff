import type { TrapOutcome } from '../guest-core.js';
import { RESUME, type SyscallCall } from './syscall.js';

/** SYS_REPORT: two 32-bit halves on every ISA, so one calling sequence serves all of them. */
export function sysReport(call: SyscallCall): TrapOutcome {
  const [lowArgument, highArgument] = call.arguments;
  const low = lowArgument & 0xffff_ffffn;
  const high = highArgument & 0xffff_ffffn;
  call.core.reportResult(BigInt.asIntN(64, (high << 32n) | low));
  return RESUME;
}
