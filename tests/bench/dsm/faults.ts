// Read faults: one core reads one word of each of P pages it does not hold (their owner
// is node 0), and the same workload on 4 to 16 nodes under both page-location schemes.
// Virtual figures are exact (the reader's waiting cycles over its faults); host figures
// are the wall time of cluster.run over the faults, best of FAULT_REPEATS boots.
import { GIGABIT, LAN, MEMORY_LINK, readerSource, writeImage, type BenchIsa, type Link } from './guests.js';
import { runImage, waitNs } from './run-image.js';

export const FAULT_PAGES: readonly number[] = [1024, 4096, 16384, 32768];
/** A region of 32768 pages of 4 KiB, all of which the largest P reads. */
export const FAULT_SIZE_MIB = 128;
export const FAULT_REPEATS = 3;

export interface FaultRow {
  readonly isa: BenchIsa;
  readonly link: Link;
  readonly pages: number;
  readonly faults: number;
  readonly requests: number;
  readonly messages: number;
  /** Reader's virtual ns waiting for pages, per fault. */
  readonly virtualNs: number;
  readonly hostUs: number;
}

async function measureFaults(isa: BenchIsa, link: Link, pages: number): Promise<FaultRow> {
  const what = `faults ${isa} ${link.name} P=${pages}`;
  const path = writeImage(`dsm-faults-${isa}-${pages}`, {
    isa, nodes: 2, link, source: readerSource(isa, pages), dsm: { sizeMiB: FAULT_SIZE_MIB, location: 'broadcast' },
  });
  let best: FaultRow | undefined;
  for (let repeat = 0; repeat < FAULT_REPEATS; repeat++) {
    const run = await runImage(what, path);
    const reader = run.cores[1]!;
    const counters = run.nodes[1]!;
    if (counters.faults !== pages) throw new Error(`${what}: ${counters.faults} faults, expected ${pages}`);
    const row: FaultRow = {
      isa, link, pages, faults: counters.faults, requests: counters.requests, messages: counters.messages,
      virtualNs: waitNs(reader) / counters.faults, hostUs: (run.hostMs * 1000) / counters.faults,
    };
    if (best && best.virtualNs !== row.virtualNs) throw new Error(`${what}: repetitions differ in virtual time`);
    if (!best || row.hostUs < best.hostUs) best = row;
  }
  return best!;
}

export async function measureFaultTable(): Promise<FaultRow[]> {
  const rows: FaultRow[] = [];
  // A first boot warms the JIT and libunicorn up, so the first row is not the slowest.
  await measureFaults('x86-32', LAN, 256);
  for (const link of [LAN, GIGABIT]) {
    for (const pages of FAULT_PAGES) rows.push(await measureFaults('x86-32', link, pages));
  }
  const largest = FAULT_PAGES[FAULT_PAGES.length - 1]!;
  rows.push(await measureFaults('x86-32', MEMORY_LINK, largest));
  rows.push(await measureFaults('sparc32', LAN, FAULT_PAGES[0]!));
  rows.push(await measureFaults('sparc32', LAN, largest));
  return rows;
}

// ---------------------------------------------------------------------------------------
// Broadcast against directory: nodes 1..n-1 each read the same LOCATION_PAGES pages.

const LOCATION_NODES: readonly number[] = [4, 8, 16];
export const LOCATION_PAGES = 256;
export const LOCATION_LINK = LAN;

export interface LocationRow {
  readonly nodes: number;
  readonly location: 'broadcast' | 'directory';
  readonly faults: number;
  readonly messages: number;
  /** Mean over the readers of their waiting ns per fault. */
  readonly virtualNs: number;
  readonly hostUs: number;
}

export async function measureLocations(): Promise<LocationRow[]> {
  const rows: LocationRow[] = [];
  for (const nodes of LOCATION_NODES) {
    for (const location of ['broadcast', 'directory'] as const) {
      const what = `location ${location} ${nodes} nodes`;
      const path = writeImage(`dsm-location-${location}-${nodes}`, {
        isa: 'x86-32', nodes, link: LOCATION_LINK, source: readerSource('x86-32', LOCATION_PAGES),
        dsm: { sizeMiB: 4, location },
      });
      const run = await runImage(what, path);
      const readers = run.cores.slice(1);
      const counters = run.nodes.slice(1);
      const faults = counters.reduce((sum, c) => sum + c.faults, 0);
      if (faults !== LOCATION_PAGES * (nodes - 1)) throw new Error(`${what}: ${faults} faults`);
      rows.push({
        nodes, location, faults,
        messages: counters.reduce((sum, c) => sum + c.messages, 0),
        virtualNs: readers.reduce((sum, core) => sum + waitNs(core), 0) / faults,
        hostUs: (run.hostMs * 1000) / faults,
      });
    }
  }
  return rows;
}
