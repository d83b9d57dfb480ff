// Property tests over random cluster shapes, quanta, ISAs, page sizes, page location and
// loop counts (fast-check, fixed seeds): the counter never loses an increment, the bank
// never loses money in any committed state, and the same options run twice give identical
// results, counts and virtual times.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { committedWord, DSM_BASE, expectAllExited, FAST_LAN, reportedPerNode, runDsm, sum, type DsmImage, type DsmRun } from './support/dsm-image.js';
import {
  accountAddress, bankProgram, bankTransfers, counterProgram, minimumPageBytes, nodeIsas, sharedBigEndian, type BankOptions,
} from './support/programs.js';

type Kind = IsaName | 'mixed';

interface Shape {
  readonly kind: Kind;
  readonly nodes: number;
  readonly cores: number;
  readonly quantum: number;
  readonly largePages: boolean;
  readonly location: 'broadcast' | 'directory';
}

const shape = fc.record({
  kind: fc.constantFrom<Kind>('x86-32', 'x86-64', 'sparc32', 'sparc64', 'mixed'),
  nodes: fc.integer({ min: 1, max: 4 }),
  cores: fc.integer({ min: 1, max: 3 }),
  quantum: fc.integer({ min: 1, max: 2000 }),
  largePages: fc.boolean(),
  location: fc.constantFrom<'broadcast' | 'directory'>('broadcast', 'directory'),
});

/** 8 KiB pages when asked for, or when a sparc64 node makes 4 KiB illegal. */
function layout(s: Shape): { isas: IsaName[]; pageBytes: number; bigEndian: boolean } {
  const isas = nodeIsas(s.kind, s.nodes);
  return { isas, pageBytes: s.largePages ? 8192 : minimumPageBytes(isas), bigEndian: sharedBigEndian(s.kind) };
}

function image(name: string, s: Shape, pageBytes: number, isas: readonly IsaName[], program: (isa: IsaName) => string): DsmImage {
  return {
    name,
    dsm: { sizeMiB: 1, pageBytes, location: s.location },
    interconnect: FAST_LAN,
    groups: isas.map((isa) => ({ isa, cores: s.cores, source: program(isa) })),
  };
}

/** What must be identical between two runs of the same options. */
function fingerprint(run: DsmRun) {
  return { cores: run.cores, stats: run.stats, pageTable: run.pageTable, time: run.time };
}

const RUNS = { seed: 0x5eed, numRuns: 20, endOnFailure: true } as const;

describe('DSM properties', () => {
  it('counter: exact count, one commit per increment, restarts counted, deterministic', async () => {
    await fc.assert(fc.asyncProperty(shape, fc.integer({ min: 1, max: 6 }), async (s, iterations) => {
      const { isas, pageBytes, bigEndian } = layout(s);
      const counter = DSM_BASE + 0x40;
      const counterImage = image('prop-counter', s, pageBytes, isas,
        (isa) => counterProgram(isa, { iterations, address: counter, bigEndian }));
      const first = await runDsm(counterImage, { quantum: s.quantum });
      expectAllExited(first);
      const total = s.nodes * s.cores * iterations;
      expect(committedWord(first.dsm, counter, bigEndian)).toBe(total);
      expect(first.time).toBe(total);
      expect(first.stats.map((node) => node.commits)).toEqual(Array(s.nodes).fill(s.cores * iterations));
      expect(reportedPerNode(first)).toEqual(first.stats.map((node) => node.restarts));
      for (const node of first.stats) expect(node.restarts).toBe(node.abortsTrueSharing);

      const second = await runDsm(counterImage, { quantum: s.quantum });
      expect(fingerprint(second)).toEqual(fingerprint(first));
    }), RUNS);
  });

  it('bank: the total holds after every commit, balances end right, deterministic', async () => {
    const bank = fc.record({
      accounts: fc.constantFrom(4, 8, 16),
      transfers: fc.integer({ min: 1, max: 5 }),
      initial: fc.integer({ min: 0, max: 100_000 }),
    });
    await fc.assert(fc.asyncProperty(shape, bank, async (s, b) => {
      const { isas, pageBytes, bigEndian } = layout(s);
      const options: BankOptions = { ...b, pageBytes, bigEndian };
      const bankImage = image('prop-bank', s, pageBytes, isas, (isa) => bankProgram(isa, options));
      const balances = (run: Pick<DsmRun, 'dsm'>) => Array.from({ length: options.accounts }, (_, i) =>
        committedWord(run.dsm, accountAddress(i, pageBytes), bigEndian) | 0);
      const totals = new Set<number>();
      let commits = 0;
      const first = await runDsm(bankImage, {
        quantum: s.quantum,
        onCommit: (cluster) => {
          commits++;
          totals.add(sum(balances({ dsm: cluster.kernel.dsm! })));
        },
      });
      expectAllExited(first);
      expect(commits).toBe(first.time);
      expect([...totals]).toEqual([options.accounts * options.initial]);
      const expected = Array<number>(options.accounts).fill(options.initial);
      for (let n = 0; n < s.nodes; n++) {
        for (let c = 0; c < s.cores; c++) {
          for (const [from, to, amount] of bankTransfers(n, c, options)) {
            expected[from]! -= amount;
            expected[to]! += amount;
          }
        }
      }
      expect(balances(first)).toEqual(expected);
      expect(first.time).toBe(1 + s.nodes * s.cores * options.transfers);
      expect(reportedPerNode(first)).toEqual(first.stats.map((node) => node.restarts));

      const second = await runDsm(bankImage, { quantum: s.quantum });
      expect(fingerprint(second)).toEqual(fingerprint(first));
    }), { ...RUNS, seed: 0xba4c });
  });

  // A lost commit broadcast (interconnect.drop) to a random node; never the bank's opening
  // commit (see missed-commit.test.ts for that one, a known failure).
  it('bank and counter with one commit broadcast lost: the invariants still hold', async () => {
    const lost = fc.record({ to: fc.integer({ min: 0, max: 3 }), nth: fc.integer({ min: 2, max: 30 }) });
    const multiNode = shape.filter((s) => s.nodes >= 2);
    await fc.assert(fc.asyncProperty(multiNode, lost, fc.integer({ min: 2, max: 6 }), async (s, drop, loops) => {
      const { isas, pageBytes, bigEndian } = layout(s);
      const to = drop.to % s.nodes;
      const interconnect = { ...FAST_LAN, drop: [{ kind: 'commit' as const, to, nth: drop.nth }] };
      const options: BankOptions = { accounts: 8, transfers: loops, initial: 1000, pageBytes, bigEndian };
      const totals = new Set<number>();
      const balances = (dsm: DsmRun['dsm']) => Array.from({ length: options.accounts }, (_, i) =>
        committedWord(dsm, accountAddress(i, pageBytes), bigEndian) | 0);
      const bank = await runDsm({ ...image('prop-bank-drop', s, pageBytes, isas, (isa) => bankProgram(isa, options)), interconnect }, {
        quantum: s.quantum,
        onCommit: (cluster) => { totals.add(sum(balances(cluster.kernel.dsm!))); },
      });
      expectAllExited(bank);
      // Commits the node is told of: the opening one unless it made it, and every transfer of the others.
      const toldOf = (to === 0 ? 0 : 1) + (s.nodes - 1) * s.cores * loops;
      expect(bank.dropped).toBe(drop.nth <= toldOf ? 1 : 0);
      expect([...totals]).toEqual([options.accounts * options.initial]);
      expect(bank.time).toBe(1 + s.nodes * s.cores * loops);

      const counter = DSM_BASE + 0x40;
      const count = await runDsm({
        ...image('prop-counter-drop', s, pageBytes, isas, (isa) => counterProgram(isa, { iterations: loops, address: counter, bigEndian })),
        interconnect,
      }, { quantum: s.quantum });
      expectAllExited(count);
      expect(committedWord(count.dsm, counter, bigEndian)).toBe(s.nodes * s.cores * loops);
      expect(count.dropped).toBe(drop.nth <= (s.nodes - 1) * s.cores * loops ? 1 : 0);
      expect(reportedPerNode(count)).toEqual(count.stats.map((node) => node.restarts));
    }), { ...RUNS, seed: 0xd409 });
  });
});
