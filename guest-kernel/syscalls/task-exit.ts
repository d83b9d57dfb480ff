import { ISAS } from '../../isa/index.js';
import type { TrapOutcome } from '../guest-core.js';
import { needsTasks, type SyscallCall } from './syscall.js';
import { sysExit } from './exit.js';

/** SYS_TASK_EXIT(value): ends the calling task with a signed word (a program's task: SYS_EXIT). */
export function sysTaskExit(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => services.tasks.runsSpawnedTask(call.core)
    ? services.tasks.exit(call.core, BigInt.asIntN(ISAS[call.core.isa].wordBytes * 8, call.arguments[0]))
    : sysExit(call));
}
