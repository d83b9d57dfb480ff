// The 10^5-gap check: C = A x B split by rows over n nodes (1 core each), in virtual
// time, beside the same program on node-local memory. Every DSM run checks C against
// the product computed here.
//
// Phases (each core reports its virtual time when it starts computing):
//   sequential: node 0 fills A and B and sets the flag in one transaction; the others wait.
//   parallel:   each node computes its N/n rows (faulting A's rows and B in) and commits them.
// From the runs:
//   l    = T_1 / T_local                 local overhead: the DSM program on one node over the
//                                         same program on node-local memory
//   t_s  = s_1 / T_1                     sequential fraction: node 0's start of computing
//                                         over the whole run, on one node
//   y    = n * max_i(d_i) / d_1          remote overhead: d_i = core i's parallel phase
//                                         (end - its start); every node runs the same
//                                         instructions, d_1/n, so y = 1 + r with
//   r    = remote time / compute time    of the slowest core (page fetches, commit token
//                                         and broadcast, aborts)
//   S_a  = n / ((t_s (n - y) + y) l)     the paper's absolute speedup: T_local over
//                                         l T_1 (t_s + (1 - t_s) y / n)
// beside the measured speedups T_1 / T_n and T_local / T_n (T = latest core's virtual ns).
import type { CoreSummary } from '../../../emulator/index.js';
import type { Dsm } from '../../../guest-kernel/dsm/dsm.js';
import {
  GIGABIT, LAN, MEMORY_LINK, matmulInputs, matmulLayout, matmulSource, writeImage,
  type BenchIsa, type Link, type MatmulOptions,
} from './guests.js';
import { committedWords, runImage } from './run-image.js';

const MATMUL_NODES: readonly number[] = [1, 2, 4, 8, 16];
/** The size and link the target is judged on; the LAN and gigabit link get the target's n only. */
export const TARGET = { n: 256, link: MEMORY_LINK, nodes: 8, speedup: 6 } as const;
const TARGET_OTHER_LINKS: readonly Link[] = [LAN, GIGABIT];
/** A smaller matrix on every link, and on sparc32 too. */
const SMALL_N = 64;
const SMALL_LINKS: readonly Link[] = [LAN, GIGABIT, MEMORY_LINK];
const SPARC_NODES: readonly number[] = [1, 8];

export interface MatmulRun {
  readonly isa: BenchIsa;
  readonly link: Link | undefined;
  readonly n: number;
  readonly nodes: number;
  readonly virtualNs: number;
  /** Per core: virtual ns when it started computing (node 0: after its fill transaction). */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly instructions: number;
  /** Largest page faults of one node (node 0 aside when there are others: it faults nothing remote). */
  readonly faults: number;
  readonly aborts: number;
  readonly commits: number;
  readonly hostMs: number;
  /** C checked against the product: wrong words (0 = correct); undefined for the local run. */
  readonly wrong: number | undefined;
}

/** C = A x B mod 2^32 from the words node 0 writes. */
function expectedProduct(n: number): Uint32Array {
  const inputs = matmulInputs(n);
  const c = new Uint32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum = (sum + Math.imul(inputs[i * n + k]!, inputs[n * n + k * n + j]!)) | 0;
      c[i * n + j] = sum >>> 0;
    }
  }
  return c;
}

const products = new Map<number, Uint32Array>();
const productOf = (n: number) => products.get(n) ?? products.set(n, expectedProduct(n)).get(n)!;

/** How long a waiting node sleeps between looks at the flag: short beside the link's latency. */
export const pollNs = (link: Link | undefined) => Math.max(1000, Math.round((link?.latencyNs ?? 0) / 20));

const reportedStart = (core: CoreSummary) => {
  if (core.result === null) throw new Error(`n${core.node}.c${core.core} reported no start time`);
  return Number(core.result);
};

async function runMatmul(isa: BenchIsa, n: number, nodes: number, link: Link | undefined): Promise<MatmulRun> {
  const memory = link ? 'dsm' : 'local';
  const options: MatmulOptions = { n, nodes, memory, pollNs: pollNs(link) };
  const what = `matmul ${isa} ${n}x${n} ${nodes} nodes ${link?.name ?? 'local memory'}`;
  const layout = matmulLayout(options);
  const sizeMiB = Math.max(4, 2 ** Math.ceil(Math.log2((4 * layout.dsmBytes) / 0x10_0000)));
  const path = writeImage(`dsm-matmul-${isa}-${n}-${nodes}`, {
    isa, nodes, link: link ?? LAN, source: matmulSource(isa, options), ramMiB: 8,
    ...(link ? { dsm: { sizeMiB, location: 'broadcast' as const } } : {}),
  });
  const check = (dsm: Dsm) => {
    const got = committedWords(dsm, layout.c, n * n, isa === 'x86-32');
    const want = productOf(n);
    return got.reduce((wrong, word, i) => wrong + (word === want[i] ? 0 : 1), 0);
  };
  const run = await runImage(what, path, link ? check : undefined);
  if (run.inspected) throw new Error(`${what}: ${run.inspected} of ${n * n} words of C are wrong`);
  const remoteNodes = run.nodes.length > 1 ? run.nodes.slice(1) : run.nodes;
  return {
    isa, link, n, nodes, virtualNs: run.virtualNs,
    starts: run.cores.map(reportedStart), ends: run.cores.map((core) => core.virtualNs),
    instructions: run.cores.reduce((sum, core) => sum + core.instructions, 0),
    faults: Math.max(0, ...remoteNodes.map((c) => c.faults)),
    aborts: run.nodes.reduce((sum, c) => sum + c.restarts, 0),
    commits: run.commits, hostMs: run.hostMs, wrong: link ? run.inspected : undefined,
  };
}

export interface MatmulSeries {
  readonly isa: BenchIsa;
  readonly n: number;
  readonly local: MatmulRun;
  /** One node: the same for every link (no message crosses it). */
  readonly single: MatmulRun;
  readonly runs: readonly MatmulRun[];
}

async function series(isa: BenchIsa, n: number, plan: readonly [Link, number][]): Promise<MatmulSeries> {
  const local = await runMatmul(isa, n, 1, undefined);
  const single = await runMatmul(isa, n, 1, plan[0]![0]);
  const runs = [single];
  for (const [link, nodes] of plan) if (nodes > 1) runs.push(await runMatmul(isa, n, nodes, link));
  return { isa, n, local, single, runs };
}

export interface MatmulResults {
  /** TARGET.n on TARGET.link for every n, and the other links at TARGET.nodes. */
  readonly target: MatmulSeries;
  readonly others: readonly MatmulSeries[];
}

export async function measureMatmul(): Promise<MatmulResults> {
  const target = await series('x86-32', TARGET.n, [
    ...MATMUL_NODES.map((nodes) => [TARGET.link, nodes] as [Link, number]),
    ...TARGET_OTHER_LINKS.map((link) => [link, TARGET.nodes] as [Link, number]),
  ]);
  const small = await series('x86-32', SMALL_N, SMALL_LINKS.flatMap((link) => MATMUL_NODES.map((nodes) => [link, nodes] as [Link, number])));
  const sparc = await series('sparc32', SMALL_N, SPARC_NODES.map((nodes) => [TARGET.link, nodes] as [Link, number]));
  return { target, others: [small, sparc] };
}

export interface MatmulFigures {
  readonly run: MatmulRun;
  readonly l: number;
  readonly ts: number;
  readonly y: number;
  readonly r: number;
  /** Virtual ns the slowest core's parallel phase spent beyond its share of the computation. */
  readonly remoteNs: number;
  readonly predicted: number;
  readonly measured: number;
  readonly absolute: number;
}

export function matmulFigures(s: MatmulSeries, run: MatmulRun): MatmulFigures {
  const t1 = s.single.virtualNs;
  const l = t1 / s.local.virtualNs;
  const ts = s.single.starts[0]! / t1;
  const share = (t1 - s.single.starts[0]!) / run.nodes;
  const slowest = Math.max(...run.ends.map((end, i) => end - run.starts[i]!));
  const y = slowest / share;
  return {
    run, l, ts, y, r: y - 1, remoteNs: slowest - share,
    predicted: run.nodes / ((ts * (run.nodes - y) + y) * l),
    measured: t1 / run.virtualNs,
    absolute: s.local.virtualNs / run.virtualNs,
  };
}

/**
 * The smallest N (a multiple of 16) at which the formula reaches TARGET.speedup on the
 * run's node count, with r and t_s scaled from the run as 1/N: each node fetches O(N^2)
 * bytes of A and B and computes O(N^3 / n), and node 0 fills O(N^2) words.
 */
export function formulaN(f: MatmulFigures): number | undefined {
  const nodes = f.run.nodes;
  for (let n = 16; n <= 1 << 22; n += 16) {
    const scale = f.run.n / n;
    const y = 1 + f.r * scale;
    const ts = f.ts * scale;
    if (nodes / ((ts * (nodes - y) + y) * f.l) >= TARGET.speedup) return n;
  }
  return undefined;
}
