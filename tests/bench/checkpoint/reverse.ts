// The cost of `reverse-stepi 1` on a 64-core image, beside a forward `stepi` in schedule
// order, for a few historyEvery settings. The debug session keeps a snapshot every
// historyEvery instructions of the cluster (at a round boundary); going back one
// instruction restores the latest one before the target and re-runs the whole cluster,
// in schedule order and silently, to it. So its cost is a state load plus up to
// historyEvery instructions of every core, and a stepi's is one instruction (or, when
// the core's turn ends, the other cores' quanta first).
//
// The session is run RUN_INTO_MARKS x historyEvery instructions into the program: the
// latest snapshot then lies about half a spacing back, and no more than four have been
// kept, the fewest the session keeps before it thins them out and doubles the spacing
// (it keeps as many as fit in 256 MiB, at least four; this image's are about 112 MiB).
import { DebugSession, type CoreRef } from '../../../emulator/debugger/session.js';
import { bootCluster } from '../../support/index.js';
import { elapsedMs, median } from '../stats.js';
import { INSTRUCTIONS_PER_CORE, REVERSE_CORES, REVERSE_NODES, writeReverseImage } from './reverse-guest.js';

const HISTORY_SETTINGS: readonly number[] = [100_000, 1_000_000, 10_000_000];
/** The debugger's default quantum (`clustervm debug`). */
export const DEBUG_QUANTUM = 1000;
export const RUN_INTO_MARKS = 3.5;
export const FORWARD_STEPS = 400;
export const REVERSE_STEPS = 5;
/** The core stepped: in the middle of the schedule, so its turn comes after others'. */
const REF: CoreRef = { node: 7, core: 2 };

export interface ReverseRow {
  readonly historyEvery: number;
  readonly cores: number;
  /** Cluster instructions retired when the steps began. */
  readonly at: number;
  /** Host ms to run there, the session's snapshots included. */
  readonly runMs: number;
  readonly forwardMedianUs: number;
  readonly forwardMeanUs: number;
  readonly reverseMedianMs: number;
  readonly reverseMaxMs: number;
}

const clusterInstructions = (session: DebugSession) =>
  session.cluster.cores.reduce((sum, core) => sum + core.instructions, 0);

function timed(body: () => void): number {
  const start = process.hrtime.bigint();
  body();
  return elapsedMs(start);
}

async function measure(image: string, historyEvery: number): Promise<ReverseRow> {
  const { cluster } = await bootCluster(image, { maxInstructions: 1e10 });
  try {
    const session = new DebugSession(cluster, DEBUG_QUANTUM, { historyEvery });
    const target = RUN_INTO_MARKS * historyEvery;
    if (target > 0.9 * INSTRUCTIONS_PER_CORE * cluster.cores.length) throw new Error(`reverse: the guest ends before ${target} instructions`);
    const runMs = timed(() => {
      while (clusterInstructions(session) < target) {
        const stop = session.continueFor(64);
        if (stop) throw new Error(`reverse: the run stopped (${stop.kind}) before ${target} instructions`);
      }
    });
    const at = clusterInstructions(session);
    const core = cluster.node(REF.node).cores[REF.core]!;
    // A core waiting on the commit token or a page cannot be stepped: the run goes on, untimed, until it can.
    const untilRunnable = () => {
      while (!core.isRunnable) {
        const stop = session.continueFor(1);
        if (stop) throw new Error(`reverse: the run stopped (${stop.kind}) while n${REF.node}.c${REF.core} waited`);
      }
    };
    const forward = Array.from({ length: FORWARD_STEPS }, () => {
      untilRunnable();
      return timed(() => {
        const stop = session.stepInOrder(REF, 1);
        if (stop.kind !== 'step') throw new Error(`reverse: stepi stopped with ${stop.kind}`);
      });
    });
    const reverse = Array.from({ length: REVERSE_STEPS }, () => {
      const before = core.instructions;
      const ms = timed(() => {
        const stop = session.reverseStep(REF, 1);
        if (stop.kind !== 'step') throw new Error(`reverse: reverse-stepi stopped with ${stop.kind}`);
      });
      if (core.instructions !== before - 1) throw new Error(`reverse: reverse-stepi went from ${before} to ${core.instructions} instructions`);
      return ms;
    });
    return {
      historyEvery, cores: cluster.cores.length, at, runMs,
      forwardMedianUs: median(forward) * 1000, forwardMeanUs: (forward.reduce((a, b) => a + b, 0) / forward.length) * 1000,
      reverseMedianMs: median(reverse), reverseMaxMs: Math.max(...reverse),
    };
  } finally {
    cluster.close();
  }
}

export async function measureReverse(): Promise<ReverseRow[]> {
  const image = writeReverseImage();
  const rows: ReverseRow[] = [];
  for (const every of HISTORY_SETTINGS) rows.push(await measure(image, every));
  if (rows.some((row) => row.cores !== REVERSE_NODES * REVERSE_CORES)) throw new Error('reverse: not a 64-core cluster');
  return rows;
}
