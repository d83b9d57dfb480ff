import type { TrapOutcome } from '../guest-core.js';
import { needsDsm, type SyscallCall } from './syscall.js';

export function sysTxCommit(call: SyscallCall): TrapOutcome {
  return needsDsm(call, (dsm) => dsm.commit(call.core));
}
