import type { TrapOutcome } from '../guest-core.js';
import { low32, needsTasks, type SyscallCall } from './syscall.js';

/**
 * SYS_MIGRATE(node): the calling task goes on on `node` (returning 0 there); the pages
 * it held follow it on reference. Only a spawned task moves: a program's stack is in
 * its node's RAM, outside the task area.
 */
export function sysMigrate(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => {
    const node = low32(call.arguments[0]);
    if (!services.tasks.runsSpawnedTask(call.core)) return { action: 'fault', reason: 'migrate: only a spawned task can migrate (a program\'s stack is not in the task area)' };
    if (node >= services.nodeCount) return { action: 'fault', reason: `migrate: node ${node} does not exist (the cluster has ${services.nodeCount})` };
    if (services.isaOf(node) !== call.core.isa) return { action: 'fault', reason: `migrate: node ${node} is ${services.isaOf(node)}, the task's code is ${call.core.isa}: it cannot run there` };
    if (!services.sameCode(call.core.nodeId, node)) return { action: 'fault', reason: `migrate: node ${node} runs other programs than node ${call.core.nodeId}` };
    return services.tasks.migrate(call.core, node);
  });
}
