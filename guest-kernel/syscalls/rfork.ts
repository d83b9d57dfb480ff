import type { TrapOutcome } from '../guest-core.js';
import { isSpawnRequest, readSpawn } from './spawn-request.js';
import { low32, needsTasks, type SyscallCall } from './syscall.js';

/**
 * SYS_RFORK(entry, argument, nodes, count | flags): a task on each node, with the
 * caller's VM areas as its template, running entry(argument); returns the first task's
 * id (the others follow it) once every creation is acknowledged. The code is the
 * caller's, so every node must run the same programs at the same addresses.
 */
export function sysRfork(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => {
    const entry = low32(call.arguments[0]);
    const request = readSpawn(call, services, 'rfork', (node) => services.sameCode(call.core.nodeId, node)
      ? entry : `node ${node} runs other programs than node ${call.core.nodeId}: a forked task's code is its parent's`, true);
    return isSpawnRequest(request) ? services.tasks.spawn(call.core, request) : request;
  });
}
