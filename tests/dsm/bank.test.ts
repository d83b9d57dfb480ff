// Bank transfers across 4 nodes x 2 cores: accounts are DSM words on four pages (two per
// page), every core moves pseudo-random amounts between them in transactions. The total is
// checked in every committed state: after every scheduler round (onRound) and after every
// single commit, and the final balances are what the transfers make of the accounts.

import { describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import type { Dsm } from '../../guest-kernel/dsm/dsm.js';
import { committedWord, expectAllExited, FAST_LAN, reportedPerNode, runDsm, sum } from './support/dsm-image.js';
import {
  accountAddress, bankProgram, bankTransfers, minimumPageBytes, nodeIsas, sharedBigEndian, type BankOptions,
} from './support/programs.js';

const NODES = 4;
const CORES = 2;

function balances(dsm: Dsm, options: BankOptions, bigEndian: boolean): number[] {
  return Array.from({ length: options.accounts }, (_, i) => committedWord(dsm, accountAddress(i, options.pageBytes), bigEndian) | 0);
}

describe('bank transfers on 4 nodes x 2 cores', () => {
  for (const kind of ['x86-32', 'x86-64', 'sparc32', 'sparc64', 'mixed'] as const) {
    it(`${kind}: the total is constant in every committed state`, async () => {
      const isas: IsaName[] = nodeIsas(kind, NODES);
      const bigEndian = sharedBigEndian(kind);
      const options: BankOptions = { accounts: 8, transfers: 12, initial: 1000, pageBytes: minimumPageBytes(isas), bigEndian };
      const opened = options.accounts * options.initial;
      const roundTotals = new Map<number, number>();
      let rounds = 0;
      let commitsSeen = 0;
      const commitTotals = new Set<number>();
      const run = await runDsm({
        name: `bank-${kind}`,
        dsm: { sizeMiB: 1, pageBytes: options.pageBytes },
        interconnect: FAST_LAN,
        groups: isas.map((isa) => ({ isa, cores: CORES, source: bankProgram(isa, options) })),
      }, {
        quantum: 200,
        onRound: (cluster) => {
          rounds++;
          const dsm = cluster.kernel.dsm!;
          roundTotals.set(dsm.time, sum(balances(dsm, options, bigEndian)));
        },
        onCommit: (cluster) => {
          commitsSeen++;
          commitTotals.add(sum(balances(cluster.kernel.dsm!, options, bigEndian)));
        },
      });
      expectAllExited(run);

      // Before the opening commit every account is 0; after it, the total never changes.
      expect(rounds).toBeGreaterThan(10);
      expect(roundTotals.size).toBeGreaterThan(5);
      for (const [time, total] of roundTotals) expect(total, `total at global time ${time}`).toBe(time === 0 ? 0 : opened);
      expect(commitsSeen).toBe(run.time);
      expect([...commitTotals]).toEqual([opened]);

      // The final balances: every transfer applied exactly once.
      const expected = Array<number>(options.accounts).fill(options.initial);
      const transactions = Array<number>(NODES).fill(0);
      transactions[0] = 1; // the opening transaction: every account page and the flag's
      for (let n = 0; n < NODES; n++) {
        for (let c = 0; c < CORES; c++) {
          for (const [a, b, amount] of bankTransfers(n, c, options)) {
            expected[a]! -= amount;
            expected[b]! += amount;
            transactions[n]! += 1;
          }
        }
      }
      const final = balances(run.dsm, options, bigEndian);
      expect(final).toEqual(expected);
      expect(final).not.toEqual(Array(options.accounts).fill(options.initial));

      // One commit per transaction (the opening one and every transfer): a node counts its
      // transactions, a page the commits that wrote it.
      expect(run.time).toBe(1 + NODES * CORES * options.transfers);
      expect(run.stats.map((node) => node.commits)).toEqual(transactions);
      expect(run.pageTable.filter(([, page]) => page.commits > 0).map(([page]) => page)).toEqual([0, 1, 2, 3, 4]);

      // Restarts: what the guests saw is what the kernel counted, and every restart is one
      // abort of the node's (a page counts each abort that hit it).
      expect(reportedPerNode(run)).toEqual(run.stats.map((node) => node.restarts));
      for (const node of run.stats) {
        expect(node.abortsTrueSharing + node.abortsFalseSharing).toBe(node.restarts);
        expect(node.recoveries).toBe(0);
      }
      expect(sum(run.stats.map((node) => node.restarts))).toBeGreaterThan(0);
    });
  }
});
