import type { IsaName } from '../../isa/index.js';
import { ISAS } from '../../isa/index.js';
import type { TrapOutcome } from '../guest-core.js';
import { decodeSpawnFlags } from '../tasks/task-config.js';
import type { SpawnRequest } from '../tasks/tasks.js';
import { low32, type SyscallCall, type TaskServices } from './syscall.js';

/**
 * Reads a spawn's arguments (entry, argument, the node list's address, count and
 * flags) and checks every node; a fault names the first it cannot use. `entryOn`
 * gives the routine's address on a node, or why the node cannot run it.
 */
export function readSpawn(call: SyscallCall, services: TaskServices, name: string, entryOn: (node: number) => number | string,
                          fork: boolean): SpawnRequest | TrapOutcome {
  const [, argument, listAddress, flagsWord] = call.arguments;
  const { count, method, paging } = decodeSpawnFlags(low32(flagsWord));
  if (method === undefined) return { action: 'fault', reason: `${name}: creation method 3 does not exist (flags 0x${low32(flagsWord).toString(16)})` };
  if (count === 0) return { action: 'fault', reason: `${name}: no nodes to create tasks on (count 0)` };
  const nodes = readNodeList(call.core.readMemory(low32(listAddress), count * 4), call.core.isa);
  let entry: number | undefined;
  for (const node of nodes) {
    if (node >= services.nodeCount) return { action: 'fault', reason: `${name}: node ${node} does not exist (the cluster has ${services.nodeCount})` };
    const isa = services.isaOf(node);
    if (isa !== call.core.isa) {
      return { action: 'fault', reason: `${name}: node ${node} is ${isa}, the task's code is ${call.core.isa}: it cannot run there` };
    }
    const found = entryOn(node);
    if (typeof found === 'string') return { action: 'fault', reason: `${name}: ${found}` };
    entry ??= found;
  }
  return { entry: entry!, argument, nodes, method, paging, fork };
}

function readNodeList(bytes: Uint8Array, isa: IsaName): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(i * 4, ISAS[isa].littleEndian));
}

export function isSpawnRequest(value: SpawnRequest | TrapOutcome): value is SpawnRequest {
  return 'nodes' in value;
}
