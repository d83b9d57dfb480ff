import type { TrapOutcome } from '../guest-core.js';
import { needsTasks, returns, type SyscallCall } from './syscall.js';

/** SYS_PARENT_ID: the id of the task that spawned the caller; 0 for a program's own task. */
export function sysParentId(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => returns(call, BigInt(services.tasks.taskOn(call.core)?.parent ?? 0)));
}
