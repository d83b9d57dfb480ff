import type { TrapOutcome } from '../guest-core.js';
import { TASK_FLAGS } from '../tasks/task-config.js';
import { low32, needsTasks, returns, type SyscallCall } from './syscall.js';

/**
 * SYS_TASK_MAP(bytes, prot): a new VM area of the calling task, after its others, in
 * whole pages; returns its address. Its pages are zero-filled on first touch; a task
 * forked from this one inherits it.
 */
export function sysTaskMap(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => {
    const prot = low32(call.arguments[1]);
    if ((prot & ~(TASK_FLAGS.TASK_READ | TASK_FLAGS.TASK_WRITE)) !== 0 || !(prot & TASK_FLAGS.TASK_READ)) {
      return { action: 'fault', reason: `task_map: protection ${prot} is not TASK_READ or TASK_READ | TASK_WRITE` };
    }
    const mapped = services.tasks.map(call.core, low32(call.arguments[0]), prot);
    return 'error' in mapped ? { action: 'fault', reason: `task_map: ${mapped.error}` } : returns(call, BigInt(mapped.address));
  });
}
