import type { TrapOutcome } from '../guest-core.js';
import { needsDsm, returns, type SyscallCall } from './syscall.js';

export function sysTxBegin(call: SyscallCall): TrapOutcome {
  return needsDsm(call, (dsm) => returns(call, BigInt(dsm.begin(call.core))));
}
