import type { TrapOutcome } from '../guest-core.js';
import { needsTasks, returns, type SyscallCall } from './syscall.js';

/** SYS_TASK_ID: the calling task's id (a program's own task counts, from 1 in node and core order). */
export function sysTaskId(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => returns(call, BigInt(services.tasks.taskOn(call.core)?.id ?? 0)));
}
