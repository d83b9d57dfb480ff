// A commit broadcast lost on its way to node 2 (interconnect.drop): node 2 must recover
// before it acts on what it holds, so no commit is ever made on stale data.

import { describe, expect, it } from 'vitest';
import { DSM_BASE, USER_DATA } from '../../emulator/index.js';
import {
  committedWord, expectAllExited, FAST_LAN, ramWord, reportedPerNode, runDsm, sum, type DsmRun,
} from './support/dsm-image.js';
import { accountAddress, bankProgram, bankTransfers, counterProgram, hex } from './support/programs.js';

const NODES = 4;
const CORES = 2;

describe('a missed commit in the counter and the bank', () => {
  it('counter, first commit to node 2 lost: node 2 recovers and the count is exact', async () => {
    const iterations = 20;
    const run = await runDsm({
      name: 'counter-drop',
      dsm: { sizeMiB: 1 },
      interconnect: { ...FAST_LAN, drop: [{ kind: 'commit', to: 2, nth: 1 }] },
      groups: [{ isa: 'x86-32', cores: CORES, count: NODES, source: counterProgram('x86-32', { iterations }) }],
    });
    expectAllExited(run);
    expect(run.dropped).toBe(1);
    expect(committedWord(run.dsm, DSM_BASE, false)).toBe(NODES * CORES * iterations);
    expect(run.time).toBe(NODES * CORES * iterations);
    expect(run.stats.map((node) => node.commits)).toEqual(Array(NODES).fill(CORES * iterations));
    expect(run.stats[2]!.recoveries).toBeGreaterThanOrEqual(1);
    // Every restart the guests saw is one the kernel counted; a recovery's aborts are not
    // sharing aborts, so node 2 restarted more often than it counted sharing aborts.
    expect(reportedPerNode(run)).toEqual(run.stats.map((node) => node.restarts));
    for (const [n, node] of run.stats.entries()) {
      if (n === 2) expect(node.restarts).toBeGreaterThan(node.abortsTrueSharing + node.abortsFalseSharing);
      else expect(node.restarts).toBe(node.abortsTrueSharing + node.abortsFalseSharing);
    }
  });

  // The next commit that reaches node 2 carries the global time, two ahead of what node 2
  // knows: node 2 notices the gap and recovers (a commit must not simply set its known
  // time to the cluster's, or the gap would stay hidden), and the count stays exact.
  it('counter, second commit to node 2 lost: node 2 notices the gap and recovers', async () => {
    const iterations = 20;
    const run = await runDsm({
      name: 'counter-drop-2',
      dsm: { sizeMiB: 1 },
      interconnect: { ...FAST_LAN, drop: [{ kind: 'commit', to: 2, nth: 2 }] },
      groups: [{ isa: 'x86-32', cores: CORES, count: NODES, source: counterProgram('x86-32', { iterations }) }],
    });
    expectAllExited(run);
    expect(run.dropped).toBe(1);
    expect(committedWord(run.dsm, DSM_BASE, false)).toBe(NODES * CORES * iterations);
    expect(run.stats[2]!.recoveries).toBeGreaterThanOrEqual(1);
  });

  // Node 2 learns of the lost commit from the next message that carries the global time
  // (a broadcast, a page reply or the token) and recovers before it acts on its stale
  // accounts, so no transfer is made on a stale balance.
  for (const nth of [2, 5]) {
    it(`bank, commit ${nth} from node 0 to node 2 lost: the total holds at every commit and at the end`, async () => {
      await bankWithDrop(nth);
    });
  }

  // The lost commit is the one that opens the bank, and node 2's cores poll the bank's flag
  // outside transactions on their stale copy. The first transfer of another node that
  // reaches node 2 tells it of the gap: it recovers, drops the stale flag page, reads the
  // bank open and its cores make their transfers and exit within the instruction limit.
  it('bank, the opening commit to node 2 lost: node 2 learns of it from the next commit it receives', async () => {
    await bankWithDrop(1);
  });
});

async function bankWithDrop(nth: number): Promise<void> {
  const options = { accounts: 8, transfers: 10, initial: 1000, pageBytes: 4096 };
  let checked = 0;
  const totals = new Set<number>();
  const total = (dsm: DsmRun['dsm']) => sum(Array.from({ length: options.accounts }, (_, i) =>
    committedWord(dsm, accountAddress(i, options.pageBytes), false) | 0));
  const run = await runDsm({
    name: 'bank-drop',
    dsm: { sizeMiB: 1, pageBytes: options.pageBytes },
    interconnect: { ...FAST_LAN, drop: [{ kind: 'commit', from: 0, to: 2, nth }] },
    groups: [{ isa: 'x86-32', cores: CORES, count: NODES, source: bankProgram('x86-32', options) }],
  }, {
    onCommit: (cluster) => {
      checked++;
      totals.add(total(cluster.kernel.dsm!));
    },
    maxInstructions: 300_000,
  });
  expectAllExited(run);
  expect(run.dropped).toBe(1);
  expect(checked).toBe(run.time);
  expect([...totals]).toEqual([options.accounts * options.initial]);
  expect(run.time).toBe(1 + NODES * CORES * options.transfers);
  // Every account ends at what the transfers make of it, whatever their order.
  const expected = Array<number>(options.accounts).fill(options.initial);
  for (let n = 0; n < NODES; n++) {
    for (let c = 0; c < CORES; c++) {
      for (const [a, b, amount] of bankTransfers(n, c, options)) {
        expected[a]! -= amount;
        expected[b]! += amount;
      }
    }
  }
  expect(Array.from({ length: options.accounts }, (_, i) =>
    committedWord(run.dsm, accountAddress(i, options.pageBytes), false) | 0)).toEqual(expected);
}

// ---------------------------------------------------------------------------------------
// Three nodes of one x86-32 core. Node 2 reads P outside a transaction (so it holds P),
// node 0 commits P += 5 (the broadcast to node 2 is lost), then node 2 increments P in a
// transaction. Node 2 records the value each attempt read at USER_DATA + 4 + 4 * attempt.

const P = DSM_BASE + 0x40;
const Q = DSM_BASE + 0x3000;

const NODE0 = `
main:
    mov   ebx, 50000
    mov   eax, SYS_SLEEP_NS
    int   0x80
    mov   eax, SYS_TX_BEGIN
    int   0x80
    mov   ecx, dword ptr [${hex(P)}]
    add   ecx, 5
    mov   dword ptr [${hex(P)}], ecx
    mov   eax, SYS_TX_COMMIT
    int   0x80
    xor   eax, eax
    ret
`;

/** Node 1 either does nothing or commits a write to page Q (not P) after node 0's commit. */
function node1(commitsElsewhere: boolean): string {
  if (!commitsElsewhere) return 'main:\n    xor   eax, eax\n    ret\n';
  return `
main:
    mov   ebx, 100000
    mov   eax, SYS_SLEEP_NS
    int   0x80
    mov   eax, SYS_TX_BEGIN
    int   0x80
    mov   dword ptr [${hex(Q)}], 1
    mov   eax, SYS_TX_COMMIT
    int   0x80
    xor   eax, eax
    ret
`;
}

const NODE2 = `
main:
    mov   eax, dword ptr [${hex(P)}]
    mov   dword ptr [USER_DATA], eax
    mov   ebx, 500000
    mov   eax, SYS_SLEEP_NS
    int   0x80
    mov   eax, SYS_TX_BEGIN
    int   0x80
    mov   ecx, dword ptr [${hex(P)}]
    mov   dword ptr [eax*4 + USER_DATA + 4], ecx
    inc   ecx
    mov   dword ptr [${hex(P)}], ecx
    mov   eax, SYS_TX_COMMIT
    int   0x80
    xor   eax, eax
    ret
`;

function staleImage(commitsElsewhere: boolean) {
  return {
    name: 'stale-copy',
    dsm: { sizeMiB: 1 },
    interconnect: { ...FAST_LAN, drop: [{ kind: 'commit' as const, from: 0, to: 2, nth: 1 }] },
    groups: [
      { isa: 'x86-32' as const, cores: 1, source: NODE0 },
      { isa: 'x86-32' as const, cores: 1, source: node1(commitsElsewhere) },
      { isa: 'x86-32' as const, cores: 1, source: NODE2 },
    ],
  };
}

describe('a stale copy on the node that missed the commit', () => {
  it('node 2 reads its stale copy, learns of the missed commit only when it asks for the token, and restarts', async () => {
    const run = await runDsm(staleImage(false));
    expectAllExited(run);
    expect(run.dropped).toBe(1);
    expect(run.time).toBe(2);
    // Before node 0's commit node 2 read 0; its first attempt read its stale copy (0),
    // then the token told it of the missed commit: it recovered, restarted and read 5.
    expect(ramWord(run, 2, USER_DATA)).toBe(0);
    expect(ramWord(run, 2, USER_DATA + 4)).toBe(0);
    expect(ramWord(run, 2, USER_DATA + 8)).toBe(5);
    expect(committedWord(run.dsm, P, false)).toBe(6);
    expect(run.stats[2]).toMatchObject({
      recoveries: 1, restarts: 1, abortsTrueSharing: 0, abortsFalseSharing: 0, commits: 1,
      // The first read, and the fetch after the recovery threw the stale copy away:
      // nothing in between, so the token was what told node 2.
      requests: 2,
    });
    expect(run.stats[0]).toMatchObject({ recoveries: 0, restarts: 0, commits: 1 });
  });

  // A commit broadcast that reaches node 2 carries the global time: node 2 sees it missed
  // the commit of P before it, recovers there and then (dropping its stale P), so its
  // transaction reads node 0's 5 the first time and commits 6: no lost update.
  it('a later commit that does reach node 2 must not hide the one it missed (lost update)', async () => {
    const run = await runDsm(staleImage(true));
    expectAllExited(run);
    expect(run.dropped).toBe(1);
    expect(run.time).toBe(3);
    expect(ramWord(run, 2, USER_DATA + 4)).toBe(5);
    expect(committedWord(run.dsm, P, false)).toBe(6);
    expect(run.stats[2]!.recoveries).toBe(1);
  });
});
