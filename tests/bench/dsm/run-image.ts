// One fresh boot of a benchmark image on the kit's runner, run to the end: the core summaries, the DSM's
// counters, and the host time of cluster.run alone (boot and assembly excluded).
import type { CoreSummary } from '../../../emulator/index.js';
import type { Dsm } from '../../../guest-kernel/dsm/dsm.js';
import type { NodeCounters } from '../../../guest-kernel/dsm/dsm-stats.js';
import { SYSCALL_CYCLES } from '../../../guest-kernel/index.js';
import { expectCleanExit, runImage as runKitImage } from '../../support/index.js';

export const QUANTUM = 10_000;

export interface ImageRun<T> {
  readonly cores: readonly CoreSummary[];
  readonly hostMs: number;
  /** Per node; empty without a DSM. */
  readonly nodes: readonly NodeCounters[];
  /** The DSM's global time: commits (transactions), not pages. */
  readonly commits: number;
  /** Virtual ns of the run: the latest core. */
  readonly virtualNs: number;
  /** What `inspect` read from the DSM before the cluster closed. */
  readonly inspected: T;
}

/** Virtual ns a core spent waiting (sleeping or blocked), not executing: cycles less instructions and traps. */
export const waitNs = (core: CoreSummary) => core.cycles - core.instructions - core.traps * SYSCALL_CYCLES;

export async function runImage<T = undefined>(what: string, path: string,
                                              inspect?: (dsm: Dsm) => T): Promise<ImageRun<T>> {
  const run = await runKitImage(path, {
    quantum: QUANTUM, maxInstructions: 1e10,
    inspect: (cluster, cores) => {
      expectCleanExit(what, cores);
      const dsm = cluster.kernel.dsm;
      return {
        nodes: dsm ? dsm.stats.nodes.map((counters) => ({ ...counters })) : [],
        commits: dsm?.time ?? 0,
        inspected: (inspect && dsm ? inspect(dsm) : undefined) as T,
      };
    },
  });
  return { cores: run.cores, hostMs: run.hostMs, virtualNs: run.virtualNs, ...run.inspected };
}

/** Reads 32-bit words of committed DSM bytes in the ISA's byte order. */
export function committedWords(dsm: Dsm, address: number, count: number, littleEndian: boolean): Uint32Array {
  const bytes = dsm.committed(address, 4 * count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: count }, (_, i) => view.getUint32(4 * i, littleEndian));
}
