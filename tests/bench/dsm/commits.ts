// Commits: every core runs small transactions, on its own page (no conflicts) or on a
// shared counter (every commit aborts the others' transactions on it), for 1 to 16 nodes;
// and, on 4 nodes, a share of the transactions also touching a shared page, by the same
// word (true sharing) or by a word of their own (false sharing). Every run checks the
// counters the transactions leave in the DSM.
import type { Dsm } from '../../../guest-kernel/dsm/dsm.js';
import {
  committerSource, DSM_BASE, GIGABIT, LAN, ownWordOffset, sharedTouches, sharedWordOffset, writeImage,
  type BenchIsa, type CommitterOptions, type Link,
} from './guests.js';
import { committedWords, runImage } from './run-image.js';

const COMMIT_NODES: readonly number[] = [1, 2, 4, 8, 16];
const COMMIT_LINKS: readonly Link[] = [LAN, GIGABIT];
export const TRANSACTIONS = 100;
/** Boots per configuration of the commit-rate table; the fastest host time counts (virtual figures must agree). */
export const COMMIT_REPEATS = 3;

export type Workload = 'own page' | 'shared counter';

export interface CommitRow {
  readonly isa: BenchIsa;
  readonly link: Link;
  readonly workload: Workload;
  readonly nodes: number;
  readonly commits: number;
  readonly aborts: number;
  readonly virtualNs: number;
  readonly hostMs: number;
}

export interface OverlapRow {
  readonly quarters: number;
  readonly shared: CommitterOptions['shared'];
  readonly commits: number;
  readonly aborts: number;
  readonly trueSharing: number;
  readonly falseSharing: number;
  readonly virtualNs: number;
}

/** Every counter the transactions incremented, against what they must add up to. */
function checkCounters(what: string, dsm: Dsm, isa: BenchIsa, nodes: number, options: CommitterOptions): void {
  const little = isa === 'x86-32';
  const word = (offset: number) => committedWords(dsm, DSM_BASE + offset, 1, little)[0]!;
  const problems: string[] = [];
  for (let node = 0; node < nodes; node++) {
    if (options.own && word(ownWordOffset(node)) !== options.transactions) {
      problems.push(`node ${node}'s counter ${word(ownWordOffset(node))} != ${options.transactions}`);
    }
    if (options.shared === 'own-word' && word(sharedWordOffset('own-word', node)) !== sharedTouches(options, node)) {
      problems.push(`node ${node}'s shared word ${word(sharedWordOffset('own-word', node))} != ${sharedTouches(options, node)}`);
    }
  }
  if (options.shared === 'counter') {
    const expected = Array.from({ length: nodes }, (_, node) => sharedTouches(options, node)).reduce((a, b) => a + b, 0);
    if (word(0) !== expected) problems.push(`shared counter ${word(0)} != ${expected}`);
  }
  if (problems.length > 0) throw new Error(`${what}: ${problems.join('; ')}`);
}

async function runCommitter(what: string, isa: BenchIsa, nodes: number, link: Link, options: CommitterOptions) {
  const path = writeImage(`dsm-commits-${isa}-${nodes}`, {
    isa, nodes, link, source: committerSource(isa, options), dsm: { sizeMiB: 4, location: 'broadcast' },
  });
  const run = await runImage(what, path, (dsm) => checkCounters(what, dsm, isa, nodes, options));
  const expected = nodes * options.transactions;
  if (run.commits !== expected) throw new Error(`${what}: ${run.commits} commits, expected ${expected}`);
  return run;
}

const WORKLOADS: Readonly<Record<Workload, CommitterOptions>> = {
  'own page': { transactions: TRANSACTIONS, own: true, sharedQuarters: 0, shared: 'counter' },
  'shared counter': { transactions: TRANSACTIONS, own: false, sharedQuarters: 4, shared: 'counter' },
};

export async function measureCommits(): Promise<CommitRow[]> {
  const rows: CommitRow[] = [];
  const configs: [BenchIsa, Link, Workload, number][] = [];
  for (const link of COMMIT_LINKS) {
    for (const workload of Object.keys(WORKLOADS) as Workload[]) {
      for (const nodes of COMMIT_NODES) configs.push(['x86-32', link, workload, nodes]);
    }
  }
  for (const workload of Object.keys(WORKLOADS) as Workload[]) configs.push(['sparc32', LAN, workload, 4]);
  // A first run warms the JIT and libunicorn up, so the first row is not the slowest.
  await runCommitter('commits warm-up', 'x86-32', 2, LAN, WORKLOADS['own page']);
  for (const [isa, link, workload, nodes] of configs) {
    const what = `commits ${isa} ${link.name} ${workload} ${nodes} nodes`;
    let best: CommitRow | undefined;
    for (let repeat = 0; repeat < COMMIT_REPEATS; repeat++) {
      const run = await runCommitter(what, isa, nodes, link, WORKLOADS[workload]);
      const row: CommitRow = {
        isa, link, workload, nodes, commits: run.commits,
        aborts: run.nodes.reduce((sum, c) => sum + c.restarts, 0),
        virtualNs: run.virtualNs, hostMs: run.hostMs,
      };
      if (best && (best.virtualNs !== row.virtualNs || best.aborts !== row.aborts)) {
        throw new Error(`${what}: repetitions differ in virtual time or aborts`);
      }
      if (!best || row.hostMs < best.hostMs) best = row;
    }
    rows.push(best!);
  }
  return rows;
}

export const OVERLAP_NODES = 4;
const OVERLAP_QUARTERS: readonly number[] = [0, 1, 2, 4];
export const OVERLAP_LINK = LAN;

export async function measureOverlap(): Promise<OverlapRow[]> {
  const rows: OverlapRow[] = [];
  for (const shared of ['counter', 'own-word'] as const) {
    for (const quarters of OVERLAP_QUARTERS) {
      const options: CommitterOptions = { transactions: TRANSACTIONS, own: true, sharedQuarters: quarters, shared };
      const run = await runCommitter(`overlap ${shared} ${quarters}/4`, 'x86-32', OVERLAP_NODES, OVERLAP_LINK, options);
      rows.push({
        quarters, shared, commits: run.commits,
        aborts: run.nodes.reduce((sum, c) => sum + c.restarts, 0),
        trueSharing: run.nodes.reduce((sum, c) => sum + c.abortsTrueSharing, 0),
        falseSharing: run.nodes.reduce((sum, c) => sum + c.abortsFalseSharing, 0),
        virtualNs: run.virtualNs,
      });
    }
  }
  return rows;
}
