import type { TrapOutcome } from '../guest-core.js';
import { returns, type SyscallCall } from './syscall.js';

export function sysNodeId(call: SyscallCall): TrapOutcome {
  return returns(call, BigInt(call.core.nodeId));
}
