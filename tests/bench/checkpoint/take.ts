// One layout's checkpoints, taken as `boot --checkpoint-every` takes them (takeSnapshot,
// diffState, writeSnapshot) but at the two points that matter here: while every node
// sleeps with its data committed (the whole checkpoint), and after each node's commit
// that changed 1% of the pages (the incremental one, holding what changed since).
import { basename, join } from 'node:path';
import type { Cluster, Scheduler } from '../../../emulator/machine/index.js';
import { takeSnapshot, type RunSettings, type Snapshot } from '../../../emulator/snapshot/checkpoint.js';
import { diffState } from '../../../emulator/snapshot/delta.js';
import { writeSnapshot } from '../../../emulator/snapshot/snapshot-file.js';
import { bootCluster } from '../../support/index.js';
import { elapsedMs } from '../stats.js';
import { checkData, type Phase } from './check-data.js';
import { CHANGED_LINE, COMMITTED_LINE, type Layout, layoutName } from './guests.js';

export const QUANTUM = 10_000;
/** Each checkpoint is taken and written this many times at the same point; the fastest counts. */
export const CHECKPOINT_REPEATS = 2;
const MAX_INSTRUCTIONS = 1e10;

/** What one checkpoint cost and weighs. */
export interface Written {
  readonly file: string;
  /** Bytes of the state as the snapshot holds it in memory (see stateBytes). */
  readonly stateBytes: number;
  readonly fileBytes: number;
  /** saveClusterState and the image fingerprint. */
  readonly takeMs: number;
  /** diffState against the checkpoint before (0 for a whole one). */
  readonly diffMs: number;
  /** Encode (JSON, deflate, SHA-256), write, fsync, rename. */
  readonly writeMs: number;
}

export const totalMs = (written: Written): number => written.takeMs + written.diffMs + written.writeMs;

export interface LayoutCheckpoints {
  readonly layout: Layout;
  readonly image: string;
  /** Host ms the guests took to write and commit their data (boot excluded). */
  readonly phase1Ms: number;
  readonly full: Written;
  readonly incremental: Written;
}

/**
 * Bytes of a state in memory: its byte arrays' lengths, 8 per number or bigint, a
 * string's length. The byte arrays (node RAM, each core's DSM copy and page table, the
 * nodes' page copies) are nearly all of it.
 */
function stateBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'number' || typeof value === 'bigint') return 8;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + stateBytes(item), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + stateBytes(item), 0);
  return 0;
}

/** Scheduler steps until every node has printed `line`, stopping at that round boundary. */
function runUntilAll(what: string, cluster: Cluster, scheduler: Scheduler, console: readonly string[], line: string): void {
  const nodes = cluster.nodes.length;
  const printed = () => console.filter((text) => text.endsWith(` ${line}`)).length;
  for (;;) {
    const step = scheduler.step(QUANTUM);
    if (step.kind === 'done') throw new Error(`${what}: the run ended with ${printed()} of ${nodes} nodes '${line}'`);
    if (step.kind === 'round' && printed() === nodes) return;
  }
}

interface Taken {
  readonly snapshot: Snapshot;
  readonly written: Written;
}

function checkpointOnce(cluster: Cluster, scheduler: Scheduler, settings: RunSettings, file: string,
                        previous?: { readonly file: string; readonly snapshot: Snapshot }): Taken {
  let start = process.hrtime.bigint();
  const snapshot = takeSnapshot(cluster, scheduler, settings);
  const takeMs = elapsedMs(start);
  start = process.hrtime.bigint();
  const stored = previous
    ? { ...snapshot, base: basename(previous.file), state: diffState(previous.snapshot.state, snapshot.state) }
    : snapshot;
  const diffMs = previous ? elapsedMs(start) : 0;
  start = process.hrtime.bigint();
  const fileBytes = writeSnapshot(file, stored);
  const writeMs = elapsedMs(start);
  return { snapshot, written: { file, stateBytes: stateBytes(stored.state), fileBytes, takeMs, diffMs, writeMs } };
}

/** The fastest of CHECKPOINT_REPEATS checkpoints at this point (the same state each time: the file is rewritten). */
function checkpoint(...args: Parameters<typeof checkpointOnce>): Taken {
  let best: Taken | undefined;
  for (let repeat = 0; repeat < CHECKPOINT_REPEATS; repeat++) {
    const taken = checkpointOnce(...args);
    if (best && taken.written.fileBytes !== best.written.fileBytes) throw new Error(`${args[3]}: repeated checkpoints differ in size`);
    if (!best || totalMs(taken.written) < totalMs(best.written)) best = taken;
  }
  return best!;
}

export async function takeCheckpoints(layout: Layout, image: string, dir: string): Promise<LayoutCheckpoints> {
  const what = layoutName(layout);
  const settings: RunSettings = { image, quantum: QUANTUM, maxInstructions: MAX_INSTRUCTIONS, bind: new Map() };
  const { cluster, console } = await bootCluster(image, { maxInstructions: MAX_INSTRUCTIONS });
  try {
    const scheduler = cluster.scheduler();
    const dsm = cluster.kernel.dsm!;
    /** Host ms the guests took to get there; the check of their data is not counted. */
    const at = (phase: Phase): number => {
      const start = process.hrtime.bigint();
      runUntilAll(what, cluster, scheduler, console, phase === 'committed' ? COMMITTED_LINE : CHANGED_LINE);
      const ms = elapsedMs(start);
      checkData(`${what}, ${phase}`, dsm, layout, phase);
      return ms;
    };
    const phase1Ms = at('committed');
    const full = checkpoint(cluster, scheduler, settings, join(dir, 'full.cvmsnap'));
    at('changed');
    const incremental = checkpoint(cluster, scheduler, settings, join(dir, 'incremental.cvmsnap'), { file: full.written.file, snapshot: full.snapshot });
    return { layout, image, phase1Ms, full: full.written, incremental: incremental.written };
  } finally {
    cluster.close();
  }
}
