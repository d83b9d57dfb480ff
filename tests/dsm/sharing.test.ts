// False sharing against true sharing: the kernel tells them apart by the bytes a commit
// changed and the bytes the aborted transaction used. The allocator keeps the objects of
// different nodes on different pages, so they never falsely share.

import { describe, expect, it } from 'vitest';
import { USER_DATA } from '../../emulator/index.js';
import { heapStart } from '../../guest-kernel/dsm/dsm-config.js';
import type { IsaName } from '../../isa/index.js';
import { committedWord, DSM_BASE, expectAllExited, FAST_LAN, ramWord, reportedPerNode, runDsm, sum, type DsmRun } from './support/dsm-image.js';
import { counterProgram, hex, isSparc, minimumPageBytes } from './support/programs.js';

const ITERATIONS = 30;

/** Node 0 and node 1 (one core each) increment their own word, ITERATIONS times each. */
async function twoWriters(isa: IsaName, offsets: readonly [number, number]): Promise<DsmRun> {
  return runDsm({
    name: `sharing-${isa}`,
    dsm: { sizeMiB: 1 },
    interconnect: FAST_LAN,
    groups: offsets.map((offset) => ({ isa, cores: 1, source: counterProgram(isa, { iterations: ITERATIONS, address: DSM_BASE + offset }) })),
  });
}

function aborts(run: DsmRun): { trueSharing: number; falseSharing: number; restarts: number } {
  return {
    trueSharing: sum(run.stats.map((node) => node.abortsTrueSharing)),
    falseSharing: sum(run.stats.map((node) => node.abortsFalseSharing)),
    restarts: sum(run.stats.map((node) => node.restarts)),
  };
}

describe('false sharing and true sharing', () => {
  for (const isa of ['x86-32', 'sparc64'] as const) {
    it(`${isa}: different words of one page -> every abort is false sharing`, async () => {
      const run = await twoWriters(isa, [0x100, 0x140]);
      expectAllExited(run);
      const big = isSparc(isa);
      expect(committedWord(run.dsm, DSM_BASE + 0x100, big)).toBe(ITERATIONS);
      expect(committedWord(run.dsm, DSM_BASE + 0x140, big)).toBe(ITERATIONS);
      const counted = aborts(run);
      expect(counted.falseSharing).toBeGreaterThan(0);
      expect(counted).toEqual({ trueSharing: 0, falseSharing: counted.restarts, restarts: counted.restarts });
      expect(reportedPerNode(run)).toEqual(run.stats.map((node) => node.restarts));
      expect(run.pageTable).toHaveLength(1);
      expect(run.pageTable[0]![1]).toMatchObject({ abortsFalseSharing: counted.restarts, abortsTrueSharing: 0, commits: 2 * ITERATIONS });
    });

    it(`${isa}: the same word -> every abort is true sharing`, async () => {
      const run = await twoWriters(isa, [0x100, 0x100]);
      expectAllExited(run);
      expect(committedWord(run.dsm, DSM_BASE + 0x100, isSparc(isa))).toBe(2 * ITERATIONS);
      const counted = aborts(run);
      expect(counted.trueSharing).toBeGreaterThan(0);
      expect(counted).toEqual({ trueSharing: counted.restarts, falseSharing: 0, restarts: counted.restarts });
      expect(reportedPerNode(run)).toEqual(run.stats.map((node) => node.restarts));
    });
  }

  it('x86-32: words on different pages -> no aborts at all', async () => {
    const run = await twoWriters('x86-32', [0x100, 0x1100]);
    expectAllExited(run);
    expect(aborts(run)).toEqual({ trueSharing: 0, falseSharing: 0, restarts: 0 });
    expect(run.time).toBe(2 * ITERATIONS);
  });
});

// ---------------------------------------------------------------------------------------
// Allocation: every node (one core each) allocates small objects, large objects and
// read-only objects, writes the addresses to node RAM, then increments its first small
// object ITERATIONS times in transactions.

const RESULTS = USER_DATA + 0x100;
const SMALL = 24;
/** What each node allocates, in order: [syscall, size in bytes (a function of the page size)]. */
const ALLOCATIONS: readonly { kind: 'small' | 'large' | 'ro'; bytes: (page: number) => number }[] = [
  { kind: 'small', bytes: () => SMALL },
  { kind: 'small', bytes: () => SMALL },
  { kind: 'large', bytes: (page) => page },
  { kind: 'small', bytes: () => 8 },
  { kind: 'large', bytes: (page) => 2 * page + 8 },
  { kind: 'ro', bytes: () => SMALL },
  { kind: 'ro', bytes: () => 100 },
  { kind: 'small', bytes: () => 1 },
];

function allocatorProgram(isa: IsaName, page: number): string {
  if (isSparc(isa)) {
    const calls = ALLOCATIONS.map((a, i) => `    set   ${a.bytes(page)}, %o0
    mov   ${a.kind === 'ro' ? 'SYS_ALLOC_RO' : 'SYS_ALLOC'}, %g1
    ta    0x10
    st    %o0, [%l3 + ${4 * i}]
`).join('');
    return `main:
    mov   %o7, %l7
    set   ${hex(RESULTS)}, %l3
${calls}    set   ${ITERATIONS}, %l0
    ld    [%l3], %l1
again:
    mov   SYS_TX_BEGIN, %g1
    ta    0x10
    ld    [%l1], %l2
    add   %l2, 1, %l2
    st    %l2, [%l1]
    mov   SYS_TX_COMMIT, %g1
    ta    0x10
    subcc %l0, 1, %l0
    bne   again
    nop
    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
  const calls = ALLOCATIONS.map((a, i) => `    mov   ebx, ${a.bytes(page)}
    mov   eax, ${a.kind === 'ro' ? 'SYS_ALLOC_RO' : 'SYS_ALLOC'}
    int   0x80
    mov   dword ptr [${hex(RESULTS + 4 * i)}], eax
`).join('');
  return `main:
${calls}    mov   esi, ${ITERATIONS}
    mov   edi, dword ptr [${hex(RESULTS)}]
again:
    mov   eax, SYS_TX_BEGIN
    int   0x80
    mov   ecx, dword ptr [edi]
    inc   ecx
    mov   dword ptr [edi], ecx
    mov   eax, SYS_TX_COMMIT
    int   0x80
    dec   esi
    jnz   again
    xor   eax, eax
    ret
`;
}

interface Allocation {
  readonly node: number;
  readonly kind: 'small' | 'large' | 'ro';
  readonly address: number;
  readonly bytes: number;
}

function pagesOf(allocation: Allocation, page: number): number[] {
  const first = Math.floor((allocation.address - DSM_BASE) / page);
  const last = Math.floor((allocation.address + allocation.bytes - 1 - DSM_BASE) / page);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

describe('the allocator against false sharing', () => {
  for (const isa of ['x86-32', 'sparc32'] as const) {
    it(`${isa}: nodes' objects on different pages, large objects page-aligned, read-only objects apart`, async () => {
      const nodes = 4;
      const page = minimumPageBytes([isa]);
      const sizeMiB = 1;
      const run = await runDsm({
        name: `alloc-${isa}`,
        dsm: { sizeMiB, pageBytes: page },
        interconnect: FAST_LAN,
        groups: [{ isa, cores: 1, count: nodes, source: allocatorProgram(isa, page) }],
      });
      expectAllExited(run);
      const heap = heapStart({ base: DSM_BASE, bytes: sizeMiB << 20, pageBytes: page, location: 'broadcast' });
      const allocations: Allocation[] = [];
      for (let node = 0; node < nodes; node++) {
        ALLOCATIONS.forEach((a, i) => allocations.push({ node, kind: a.kind, address: ramWord(run, node, RESULTS + 4 * i), bytes: a.bytes(page) }));
      }
      // Every object lies in the heap, 8-byte aligned, and no two overlap.
      for (const a of allocations) {
        expect(a.address).toBeGreaterThanOrEqual(heap);
        expect(a.address + a.bytes).toBeLessThanOrEqual(DSM_BASE + (sizeMiB << 20));
        expect(a.address % 8).toBe(0);
      }
      const sorted = [...allocations].sort((a, b) => a.address - b.address);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.address).toBeGreaterThanOrEqual(sorted[i - 1]!.address + sorted[i - 1]!.bytes);

      // Objects of a page or more start on a page.
      for (const a of allocations.filter((x) => x.kind === 'large')) expect((a.address - DSM_BASE) % page).toBe(0);
      // A page holds the writable objects of one node only, and no read-only object shares
      // a page with a writable one.
      const owners = new Map<number, Set<string>>();
      for (const a of allocations) {
        for (const p of pagesOf(a, page)) {
          const tag = a.kind === 'ro' ? 'ro' : `node${a.node}`;
          owners.set(p, (owners.get(p) ?? new Set()).add(tag));
        }
      }
      for (const [p, tags] of owners) expect([...tags], `page ${p}`).toHaveLength(1);
      // The read-only objects of all nodes share the read-only chunk.
      const roPages = new Set(allocations.filter((a) => a.kind === 'ro').flatMap((a) => pagesOf(a, page)));
      expect(roPages.size).toBe(1);

      // Each node increments its first object: different pages, so not a single abort.
      for (let node = 0; node < nodes; node++) {
        expect(committedWord(run.dsm, ramWord(run, node, RESULTS), isSparc(isa))).toBe(ITERATIONS);
      }
      expect(aborts(run)).toEqual({ trueSharing: 0, falseSharing: 0, restarts: 0 });
      expect(run.time).toBe(nodes * ITERATIONS);
      expect(run.stats.map((node) => node.commits)).toEqual(Array(nodes).fill(ITERATIONS));
    });
  }
});
