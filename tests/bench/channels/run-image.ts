// One fresh boot of a benchmark image, run to the end: core summaries, host time of
// cluster.run alone (boot and assembly excluded), and what `inspect` read before the
// cluster closed.
import { bootImage, RAM_BASE, USER_DATA, type Cluster, type CoreSummary } from '../../../emulator/index.js';
import { elapsedMs } from '../stats.js';

/**
 * Quantum of the runs that measure virtual time. Within a quantum a trap or a memory hook
 * reads the core's clock as it was when the quantum began (instructions are added when
 * the engine stops), so SYS_TIME_NS, a channel's send and read times and a commit's
 * request time lag by up to a quantum; and the round robin interleaves a node's cores
 * by instructions, not by time. A quantum of 1 makes every reading exact and runs the
 * cores of a node in lock step, one instruction (one cycle) each per round.
 */
export const VIRTUAL_QUANTUM = 1;
/** Quantum of the runs that measure host time: the CLI's default. */
export const HOST_QUANTUM = 10_000;

export interface ImageRun<T> {
  readonly cores: readonly CoreSummary[];
  readonly hostMs: number;
  /** Virtual ns of the run: the latest core. */
  readonly virtualNs: number;
  readonly inspected: T;
}

export async function runImage<T>(what: string, path: string, quantum: number,
                                  inspect: (cluster: Cluster) => T): Promise<ImageRun<T>> {
  const cluster = await bootImage(path, { maxInstructions: 1e11, console: () => {} });
  try {
    const start = process.hrtime.bigint();
    const cores = cluster.run({ quantum });
    const hostMs = elapsedMs(start);
    for (const core of cores) {
      if (core.status === 'idle') continue;
      if (core.status !== 'exited' || core.exitStatus !== 0) {
        throw new Error(`${what}: n${core.node}.c${core.core} ended ${core.status} ` +
          `${core.fault?.reason ?? `(exit ${core.exitStatus})`}`);
      }
    }
    return {
      cores, hostMs,
      virtualNs: Math.max(...cores.map((core) => core.virtualNs)),
      inspected: inspect(cluster),
    };
  } finally {
    cluster.close();
  }
}

/** A 32-bit word of a node's RAM at USER_DATA + offset, in the node's byte order. */
export function userWord(cluster: Cluster, node: number, offset: number): number {
  const n = cluster.node(node);
  const at = USER_DATA - RAM_BASE + offset;
  return n.isa.startsWith('x86') ? n.ram.readUInt32LE(at) : n.ram.readUInt32BE(at);
}

/** A 64-bit SYS_TIME_NS reading the guest stored at USER_DATA + offset (low word, then high word). */
export function userTime(cluster: Cluster, node: number, offset: number): number {
  return userWord(cluster, node, offset) + userWord(cluster, node, offset + 4) * 2 ** 32;
}

export function checkResult(what: string, core: CoreSummary | undefined, expected: bigint): void {
  if (core?.result !== expected.toString()) {
    throw new Error(`${what}: n${core?.node}.c${core?.core} reported ${core?.result}, expected ${expected}`);
  }
}
