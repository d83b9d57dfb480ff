// One fresh boot of a benchmark image on the kit's runner, run to the end: core summaries, host time of
// cluster.run alone (boot and assembly excluded), and what `inspect` read before the
// cluster closed.
import { RAM_BASE, USER_DATA, type Cluster, type CoreSummary } from '../../../emulator/index.js';
import { expectCleanExit, guestWord, runImage as runKitImage } from '../../support/index.js';

/**
 * Quantum of the runs that measure virtual time. A trap or a memory hook reads the
 * core's clock with the quantum's instructions so far, so the readings are exact at any
 * quantum; but the round robin interleaves a node's cores by quanta, and a quantum ends
 * at the first block start at or past its budget. A quantum of 1 runs the cores of a
 * node a block each per round, the closest to lock step the engine allows.
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
  const run = await runKitImage(path, {
    quantum, maxInstructions: 1e11,
    inspect: (cluster, cores) => {
      expectCleanExit(what, cores);
      return inspect(cluster);
    },
  });
  return { cores: run.cores, hostMs: run.hostMs, virtualNs: run.virtualNs, inspected: run.inspected };
}

/** A 32-bit word of a node's RAM at USER_DATA + offset, in the node's byte order. */
export function userWord(cluster: Cluster, node: number, offset: number): number {
  const n = cluster.node(node);
  return guestWord(n.ram, n.isa, USER_DATA - RAM_BASE + offset);
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
