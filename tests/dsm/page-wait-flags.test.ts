// A core that waits for a DSM page must resume with the flags its code computed. Stopping
// inside the access hook resumed x86 mid-block before Unicorn had stored the lazy flags'
// operation: on the node that polls for the matrix, the flags later took a pointer as
// EFLAGS (VM and IOPL set) and the next `int 0x80` was a general protection fault. The
// benchmark's matmul, at 16x16 on two nodes, showed it. Cores now wait at the next block
// start, or before a trap their block reaches first.
import { afterAll, describe, expect, it } from 'vitest';
import { matmulLayout, matmulSource, MEMORY_LINK } from '../bench/dsm/guests.js';
import { coreOf, runImage, TempDir } from '../support/index.js';

const images = new TempDir('clustervm-page-wait-flags');
afterAll(() => images.cleanup());

describe('a DSM page wait keeps the waiting core\'s flags', () => {
  it('x86-32 matmul 16x16 on two nodes: both cores exit 0, the same instructions on a second run', async () => {
    const options = { n: 16, nodes: 2, memory: 'dsm' as const, pollNs: 1000 };
    const sizeMiB = Math.max(4, 2 ** Math.ceil(Math.log2((4 * matmulLayout(options).dsmBytes) / 0x10_0000)));
    const path = images.writeImage('matmul-16', {
      interconnect: { latencyNs: MEMORY_LINK.latencyNs, bandwidthMbps: MEMORY_LINK.bandwidthMbps },
      dsm: { sizeMiB, pageBytes: 4096, location: 'broadcast' },
      nodes: [{ isa: 'x86-32', cores: 1, count: 2, ramMiB: 8, programs: [{ name: 'main', source: matmulSource('x86-32', options) }] }],
    });
    const first = await runImage(path, { quantum: 10_000 });
    const second = await runImage(path, { quantum: 10_000 });
    for (const node of [0, 1]) {
      const core = coreOf(first.cores, node, 0);
      expect([core.status, core.exitStatus, core.faults, core.fault?.reason]).toEqual(['exited', 0, 0, undefined]);
      expect(coreOf(second.cores, node, 0).instructions).toBe(core.instructions);
    }
  });
});
