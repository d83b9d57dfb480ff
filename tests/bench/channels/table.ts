// The multikernel argument, measured: a table of 16 counters updated by N cores, U
// updates each, either
//   messages: each updater sends its updates on its own channel to an owner core (one
//   more core), which drains all channels and applies them to the table in its RAM; or
//   DSM: each update is a transaction (tx_begin, load, add 1, store, tx_commit) on the
//   table at DSM_BASE (one 4 KiB page, so concurrent updates collide).
// Update i of updater c (0-based) adds 1 to counter (c + i) mod 16; every run checks the
// final table. Placements: nodes of one core each over a link (the owner on node 0,
// the updaters on nodes 1..N; DSM: the updaters on nodes 0..N-1), and the cores of one
// node (owner n0.c0, updaters n0.c1..cN; DSM: n0.c0..c<N-1>). All runs at VIRTUAL_QUANTUM.
import type { Cluster } from '../../../emulator/index.js';
import { DSM_BASE } from '../../../emulator/index.js';
import {
  COUNTS_OFFSET, GIGABIT, LAN, TABLE_COUNTERS, TABLE_OFFSET, writeDsmTableImage, writeMessageTableImage,
  type Mode, type TablePlacement,
} from './guests.js';
import { checkResult, runImage, userWord, VIRTUAL_QUANTUM } from './run-image.js';

export const UPDATERS: readonly number[] = [1, 2, 4, 8, 16];
export const UPDATES_PER_CORE = 64;
export const TABLE_PLACEMENTS: readonly TablePlacement[] = [
  { kind: 'nodes', link: LAN }, { kind: 'nodes', link: GIGABIT }, { kind: 'node' },
];
/** Across nodes the owner, after a pass that found nothing, sleeps this fraction of the link latency. */
export const OWNER_POLL_FRACTION = 1 / 25;

type Method = 'messages' | 'dsm';

export const tablePlacementLabel = (placement: TablePlacement) =>
  (placement.kind === 'node' ? 'cores of one node' : `nodes of 1 core, ${placement.link.label}`);

export interface TableRun {
  readonly placement: TablePlacement;
  readonly method: Method;
  readonly updaters: number;
  /** Virtual ns until the last core exited (all start at 0). */
  readonly virtualNs: number;
  readonly hostMs: number;
  /** DSM: transactions restarted after an abort, and commits. Messages: sends refused and waits. */
  readonly aborts: number;
  readonly commits: number;
  readonly stalls: number;
  /** Messages: the kernel's mean send-to-read latency over every update message, in virtual ns; DSM: 0. */
  readonly meanLatencyNs: number;
}

/** The table the updates must leave: updater c adds 1 to counter (c + i) mod 16 for i < U. */
function expectedTable(updaters: number, updates: number): number[] {
  const table = new Array<number>(TABLE_COUNTERS).fill(0);
  for (let c = 0; c < updaters; c++) {
    for (let i = 0; i < updates; i++) table[(c + i) % TABLE_COUNTERS]! += 1;
  }
  return table;
}

function checkTable(what: string, got: readonly number[], updaters: number): void {
  const expected = expectedTable(updaters, UPDATES_PER_CORE);
  if (got.some((value, i) => value !== expected[i])) {
    throw new Error(`${what}: table ${got.join(',')}, expected ${expected.join(',')}`);
  }
}

async function messagesRun(placement: TablePlacement, updaters: number): Promise<TableRun> {
  const what = `messages, ${tablePlacementLabel(placement)}, N=${updaters}`;
  const mode: Mode = placement.kind === 'node'
    ? 'spin' : { sleepNs: Math.round(placement.link.latencyNs * OWNER_POLL_FRACTION) };
  const image = writeMessageTableImage(placement, updaters, UPDATES_PER_CORE, mode);
  const run = await runImage(what, image, VIRTUAL_QUANTUM, (cluster: Cluster) => ({
    table: Array.from({ length: TABLE_COUNTERS }, (_, i) => userWord(cluster, 0, TABLE_OFFSET + 4 * i)),
    counts: Array.from({ length: updaters }, (_, i) => userWord(cluster, 0, COUNTS_OFFSET + 4 * i)),
    channels: cluster.kernel.channels!.report().map(({ stats }) => stats),
  }));
  checkResult(what, run.cores[0], BigInt(updaters * UPDATES_PER_CORE));
  checkTable(what, run.inspected.table, updaters);
  if (run.inspected.counts.some((count) => count !== UPDATES_PER_CORE)) {
    throw new Error(`${what}: messages per channel ${run.inspected.counts.join(',')}, expected ${UPDATES_PER_CORE} each`);
  }
  const channels = run.inspected.channels;
  const received = channels.reduce((sum, stats) => sum + stats.receivedMessages, 0);
  return {
    placement, method: 'messages', updaters, virtualNs: run.virtualNs, hostMs: run.hostMs,
    aborts: 0, commits: 0, stalls: channels.reduce((sum, stats) => sum + stats.stalls, 0),
    meanLatencyNs: channels.reduce((sum, stats) => sum + stats.meanLatencyNs * stats.receivedMessages, 0) / received,
  };
}

async function dsmRun(placement: TablePlacement, updaters: number): Promise<TableRun> {
  const what = `DSM, ${tablePlacementLabel(placement)}, N=${updaters}`;
  const image = writeDsmTableImage(placement, updaters, UPDATES_PER_CORE);
  const run = await runImage(what, image, VIRTUAL_QUANTUM, (cluster: Cluster) => {
    const dsm = cluster.kernel.dsm!;
    const bytes = dsm.committed(DSM_BASE, 4 * TABLE_COUNTERS);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
      table: Array.from({ length: TABLE_COUNTERS }, (_, i) => view.getUint32(4 * i, true)),
      aborts: dsm.stats.nodes.reduce((sum, node) => sum + node.restarts, 0),
      commits: dsm.time,
    };
  });
  for (const core of run.cores) checkResult(what, core, BigInt(UPDATES_PER_CORE));
  checkTable(what, run.inspected.table, updaters);
  return {
    placement, method: 'dsm', updaters, virtualNs: run.virtualNs, hostMs: run.hostMs,
    aborts: run.inspected.aborts, commits: run.inspected.commits, stalls: 0, meanLatencyNs: 0,
  };
}

export async function measureTable(): Promise<TableRun[]> {
  const runs: TableRun[] = [];
  for (const placement of TABLE_PLACEMENTS) {
    for (const updaters of UPDATERS) {
      runs.push(await messagesRun(placement, updaters));
      runs.push(await dsmRun(placement, updaters));
    }
  }
  return runs;
}

/** The run of one placement, method and number of updaters. */
export function tableRun(runs: readonly TableRun[], placement: TablePlacement, method: Method, updaters: number): TableRun {
  const run = runs.find((r) => r.placement === placement && r.method === method && r.updaters === updaters);
  if (!run) throw new Error(`no run ${method}, ${tablePlacementLabel(placement)}, N=${updaters}`);
  return run;
}

/** Updates per virtual second of a run. */
export const updatesPerSecond = (run: TableRun) => (run.updaters * UPDATES_PER_CORE) / (run.virtualNs / 1e9);

/**
 * The smallest N from which messages beat DSM at every larger N measured (in updates per
 * virtual second), or undefined when DSM is ahead at the largest N.
 */
export function crossover(runs: readonly TableRun[], placement: TablePlacement): number | undefined {
  const rate = (method: Method, n: number) => updatesPerSecond(tableRun(runs, placement, method, n));
  let found: number | undefined;
  for (const n of [...UPDATERS].reverse()) {
    if (rate('messages', n) > rate('dsm', n)) found = n;
    else break;
  }
  return found;
}
