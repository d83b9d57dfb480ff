import type { TrapOutcome } from '../guest-core.js';
import { low32, needsTasks, type SyscallCall } from './syscall.js';

/** SYS_TASK_WAIT(id): the exit value of a child task (64 bits), once its exit notice is here. */
export function sysTaskWait(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => services.tasks.wait(call.core, low32(call.arguments[0])));
}
