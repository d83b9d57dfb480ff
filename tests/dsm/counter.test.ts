// A counter in the DSM incremented in transactions by every core of 4 nodes of 2 cores:
// no increment is lost, every increment is one commit, and every restart the guests see
// is an abort the kernel counted.

import { describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { committedWord, DSM_BASE, expectAllExited, FAST_LAN, reportedPerNode, runDsm, sum } from './support/dsm-image.js';
import { counterProgram, minimumPageBytes, nodeIsas, sharedBigEndian } from './support/programs.js';

const NODES = 4;
const CORES = 2;
const ITERATIONS = 25;
/** Not at the start of the page, so that the page's other bytes stay 0. */
const COUNTER = DSM_BASE + 0x80;

describe('transactional counter on 4 nodes x 2 cores', () => {
  for (const kind of ['x86-32', 'x86-64', 'sparc32', 'sparc64', 'mixed'] as const) {
    it(`${kind}: ends at nodes * cores * iterations; one commit per increment; restarts are the counted aborts`, async () => {
      const isas: IsaName[] = nodeIsas(kind, NODES);
      const bigEndian = sharedBigEndian(kind);
      const run = await runDsm({
        name: `counter-${kind}`,
        dsm: { sizeMiB: 1 },
        interconnect: FAST_LAN,
        // One group per node, so that the mixed image gets one ISA per node.
        groups: isas.map((isa) => ({ isa, cores: CORES, source: counterProgram(isa, { iterations: ITERATIONS, address: COUNTER, bigEndian }) })),
      });
      expectAllExited(run);
      expect(run.nodeIsas).toEqual(isas);
      expect(run.pageBytes).toBe(minimumPageBytes(isas));
      const total = NODES * CORES * ITERATIONS;
      expect(committedWord(run.dsm, COUNTER, bigEndian)).toBe(total);
      // The rest of the page is untouched (the x86 nodes of the mixed image wrote big-endian words).
      expect(sum([...run.dsm.committed(DSM_BASE, run.pageBytes)])).toBe(sum([...run.dsm.committed(COUNTER, 4)]));

      // Global time: one tick per commit, and every commit wrote the counter's page only.
      expect(run.time).toBe(total);
      expect(run.stats.map((node) => node.commits)).toEqual(Array(NODES).fill(CORES * ITERATIONS));
      expect(run.pageTable.map(([page]) => page)).toEqual([0]);
      expect(run.pageTable[0]![1].commits).toBe(total);

      // Every restart the guests observed (begin returning non-zero) was counted by the
      // kernel on the same node, and each was one abort for true sharing: all cores
      // touch the same word.
      expect(reportedPerNode(run)).toEqual(run.stats.map((node) => node.restarts));
      for (const node of run.stats) {
        expect(node.restarts).toBe(node.abortsTrueSharing + node.abortsFalseSharing);
        expect(node.abortsFalseSharing).toBe(0);
        expect(node.recoveries).toBe(0);
      }
      expect(sum(run.stats.map((node) => node.restarts))).toBeGreaterThanOrEqual(1);
      expect(run.pageTable[0]![1].abortsTrueSharing).toBe(sum(run.stats.map((node) => node.restarts)));

      // Messages with the broadcast scheme: every request asks all 4 nodes (3 asks and the
      // reply, counted at the requester), every commit tells the 3 others.
      for (const node of run.stats) expect(node.messages).toBe(node.requests * NODES + node.commits * (NODES - 1));
    });
  }

  it('x86-32: a counter straddling two pages: every commit writes both pages, every abort hits both', async () => {
    const straddling = DSM_BASE + 0x1000 - 2;
    const run = await runDsm({
      name: 'counter-straddle',
      dsm: { sizeMiB: 1, pageBytes: 4096 },
      interconnect: FAST_LAN,
      groups: [{ isa: 'x86-32', cores: CORES, count: 3, source: counterProgram('x86-32', { iterations: 20, address: straddling }) }],
    }, { quantum: 333 });
    expectAllExited(run);
    expect(committedWord(run.dsm, straddling, false)).toBe(3 * CORES * 20);
    expect(run.time).toBe(3 * CORES * 20);
    expect(run.stats.map((node) => node.commits)).toEqual(Array(3).fill(CORES * 20));
    expect(run.pageTable.map(([page, counters]) => [page, counters.commits])).toEqual([[0, 3 * CORES * 20], [1, 3 * CORES * 20]]);
    expect(reportedPerNode(run)).toEqual(run.stats.map((node) => node.restarts));
    for (const node of run.stats) expect(node.abortsTrueSharing).toBe(node.restarts);
    const pageAborts = run.pageTable.map(([, counters]) => counters.abortsTrueSharing);
    expect(pageAborts).toEqual(Array(2).fill(sum(run.stats.map((node) => node.restarts))));
    expect(sum(run.stats.map((node) => node.restarts))).toBeGreaterThan(0);
  });

  it('x86-32: the same image gives the same per-core counts, virtual times and statistics twice', async () => {
    const image = {
      name: 'counter-twice',
      dsm: { sizeMiB: 1 },
      interconnect: FAST_LAN,
      groups: [{ isa: 'x86-32' as const, cores: CORES, count: NODES, source: counterProgram('x86-32', { iterations: 10, address: COUNTER }) }],
    };
    const first = await runDsm(image, { quantum: 137 });
    const second = await runDsm(image, { quantum: 137 });
    expectAllExited(first);
    expect(second.cores).toEqual(first.cores);
    expect(second.stats).toEqual(first.stats);
    expect(second.pageTable).toEqual(first.pageTable);
    expect(second.time).toBe(first.time);
  });
});
