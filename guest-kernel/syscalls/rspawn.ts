import type { TrapOutcome } from '../guest-core.js';
import { isSpawnRequest, readSpawn } from './spawn-request.js';
import { low32, needsTasks, type SyscallCall } from './syscall.js';

/** The longest program name rspawn reads. */
const MAX_NAME_BYTES = 64;

/**
 * SYS_RSPAWN(name, argument, nodes, count | flags): a task on each node running the
 * image's routine `name` (a NUL-terminated string) with `argument`, from an empty
 * address space; returns the first task's id once every creation is acknowledged.
 */
export function sysRspawn(call: SyscallCall): TrapOutcome {
  return needsTasks(call, (services) => {
    const bytes = call.core.readMemory(low32(call.arguments[0]), MAX_NAME_BYTES);
    const end = bytes.indexOf(0);
    if (end <= 0) return { action: 'fault', reason: `rspawn: no NUL-terminated program name of at most ${MAX_NAME_BYTES - 1} bytes at 0x${low32(call.arguments[0]).toString(16)}` };
    const name = new TextDecoder().decode(bytes.subarray(0, end));
    const entries = new Set<number>();
    const request = readSpawn(call, services, 'rspawn', (node) => {
      const address = services.entryAddress(node, name);
      if (address === undefined) return `node ${node} links no routine ${JSON.stringify(name)}`;
      entries.add(address);
      return address;
    }, false);
    if (isSpawnRequest(request) && entries.size > 1) {
      return { action: 'fault', reason: `rspawn: ${JSON.stringify(name)} lies at different addresses on the nodes asked for: spawn each group apart` };
    }
    return isSpawnRequest(request) ? services.tasks.spawn(call.core, request) : request;
  });
}
