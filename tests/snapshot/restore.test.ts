// A restored snapshot goes on exactly as the run it was taken from: the guests' output
// after the snapshot, every core's counts, virtual time and result, the DSM's counters
// and the block trace equal the uninterrupted run's, on every shipped image without
// message channels (x86 and SPARC, with and without the DSM), at several points.
import { describe, expect, it } from 'vitest';
import { bootImage, type Cluster } from '../../emulator/index.js';
import { loadClusterState, saveClusterState, type ClusterState } from '../../emulator/machine/index.js';
import { decodeSnapshot, encodeSnapshot } from '../../emulator/snapshot/snapshot-file.js';
import { TempDir } from '../support/index.js';

const QUANTUM = 1000;

interface Run {
  readonly console: string[];
  readonly trace: string[];
}

async function boot(image: string, run: Run): Promise<Cluster> {
  return bootImage(image, {
    maxInstructions: 50_000_000,
    console: (line) => run.console.push(line),
    trace: (node, core, pc) => run.trace.push(`n${node}.c${core} 0x${pc.toString(16)}`),
  });
}

function outcome(cluster: Cluster): string[] {
  const cores = cluster.finish().map((core) => JSON.stringify(core));
  const dsm = cluster.kernel.dsm;
  return [
    ...cores, JSON.stringify(dsm ? { time: dsm.time, stats: dsm.stats.nodes, pages: dsm.stats.pageTable() } : null),
    JSON.stringify(cluster.kernel.channels?.report() ?? null),
  ];
}

interface Checkpoint {
  readonly steps: number;
  readonly file: Buffer;
  readonly console: number;
  readonly trace: number;
}

/**
 * The run to its end, with a snapshot at every power of two of scheduler steps; the last
 * three go through the file format (each saved state is a copy, so the older ones are
 * simply dropped).
 */
async function freeRun(image: string): Promise<Run & { outcome: string[]; checkpoints: Checkpoint[] }> {
  const run: Run = { console: [], trace: [] };
  const cluster = await boot(image, run);
  const scheduler = cluster.scheduler();
  const kept: { steps: number; state: ClusterState; console: number; trace: number }[] = [];
  for (let steps = 1; scheduler.step(QUANTUM).kind !== 'done'; steps++) {
    if ((steps & (steps - 1)) !== 0) continue;
    kept.push({ steps, state: saveClusterState(cluster, scheduler), console: run.console.length, trace: run.trace.length });
    if (kept.length > 3) kept.shift();
  }
  const checkpoints = kept.map(({ state, ...at }) => ({ ...at, file: encodeSnapshot(state) }));
  const result = { ...run, outcome: outcome(cluster), checkpoints };
  cluster.close();
  return result;
}

/** A fresh cluster of the image, from the checkpoint to the end. */
async function restoredRun(image: string, checkpoint: Checkpoint): Promise<Run & { outcome: string[] }> {
  const run: Run = { console: [], trace: [] };
  const cluster = await boot(image, run);
  const scheduler = cluster.scheduler();
  loadClusterState(cluster, scheduler, decodeSnapshot(checkpoint.file, 'in memory') as ClusterState);
  while (scheduler.step(QUANTUM).kind !== 'done');
  const result = { ...run, outcome: outcome(cluster) };
  cluster.close();
  return result;
}

describe.each([
  'images/hello-x86.json', 'images/flink.json', 'images/dsm-counter.json', 'images/false-sharing.json',
  'images/hello-sparc.json', 'images/default.json', 'images/c-flink.json', 'images/c-dsm-counter.json',
  'images/c-bank.json', 'images/c-matmul.json', 'images/channels.json', 'images/c-ping-pong.json',
  'images/remote-tasking.json',
])('restore equals the uninterrupted run: %s', (image) => {
  it('from each of its last three checkpoints (taken at 2^k scheduler steps)', async () => {
    const free = await freeRun(image);
    expect(free.checkpoints.length).toBe(3);
    for (const checkpoint of free.checkpoints) {
      const restored = await restoredRun(image, checkpoint);
      const at = `after ${checkpoint.steps} steps`;
      expect(restored.console, at).toEqual(free.console.slice(checkpoint.console));
      expect(restored.outcome, at).toEqual(free.outcome);
      expect(restored.trace.length, at).toBe(free.trace.length - checkpoint.trace);
      expect(restored.trace.join('\n') === free.trace.slice(checkpoint.trace).join('\n'), at).toBe(true);
    }
  });
});

describe('sparc32 register windows', () => {
  it('are kept whole: a snapshot three saves deep restores every outer window\'s locals and ins', async () => {
    // Each level keeps a value in a local and its argument in %i0, saves into the next,
    // and adds them up on the way out; the innermost level loops long enough for the
    // snapshots to land inside it, three windows below main's.
    const source = [
      'main:', ' save %sp, -96, %sp', ' mov 1000, %l0', ' call level2', ' mov 7, %o0', ' add %o0, %l0, %i0', ' ret', ' restore',
      'level2:', ' save %sp, -96, %sp', ' mov 200, %l0', ' call level3', ' add %i0, 1, %o0', ' add %o0, %l0, %i0', ' add %i0, %i0, %i0', ' ret', ' restore',
      'level3:', ' save %sp, -96, %sp', ' mov 30, %l0', ' set 20000, %l1',
      'spin:', ' subcc %l1, 1, %l1', ' bne spin', ' nop', ' add %i0, %l0, %i0', ' ret', ' restore',
    ].join('\n');
    const dir = new TempDir('clustervm-sparc-windows');
    try {
      const image = dir.writeImage('windows', { nodes: [{ isa: 'sparc32', cores: 1, programs: [{ source }] }] });
      const free = await freeRun(image);
      // ((7 + 1 + 30) + 200) * 2 + 1000: every level's locals and ins came back.
      expect(free.outcome[0]).toContain('"exitStatus":1476');
      expect(free.checkpoints.length).toBe(3);
      for (const checkpoint of free.checkpoints) {
        const restored = await restoredRun(image, checkpoint);
        expect(restored.outcome, `after ${checkpoint.steps} steps`).toEqual(free.outcome);
      }
    } finally {
      dir.cleanup();
    }
  });
});

describe('what a snapshot does not hold yet', () => {
  it('refuses a core with values on its x87 stack, and takes it once the stack is empty', async () => {
    const source = 'main:\n fld1\n mov ecx, 100000\nspin:\n dec ecx\n jnz spin\n fstp st(0)\n xor eax, eax\n ret\n';
    const dir = new TempDir('clustervm-x87');
    try {
      const image = dir.writeImage('x87', { nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source }] }] });
      const cluster = await boot(image, { console: [], trace: [] });
      const scheduler = cluster.scheduler();
      for (let i = 0; i < 5; i++) scheduler.step(QUANTUM);
      expect(() => saveClusterState(cluster, scheduler)).toThrow('n0.c0 holds values on its x87 stack: snapshots do not cover the x87 registers yet');
      while (scheduler.step(QUANTUM).kind !== 'done');
      expect(saveClusterState(cluster, scheduler).nodes[0]!.cores[0]!.status).toBe('exited');
      cluster.close();
    } finally {
      dir.cleanup();
    }
  });
});

describe('a sparc32 transaction begun in another register window', () => {
  it('is refused, naming both windows, rather than kept in one', async () => {
    // main begins a transaction in window 7, then saves into window 6 and spins there.
    const source = [
      'main:', ' save %sp, -96, %sp', ' mov SYS_TX_BEGIN, %g1', ' ta 0x10', ' save %sp, -96, %sp', ' set 30000, %l1',
      'spin:', ' subcc %l1, 1, %l1', ' bne spin', ' nop', ' restore', ' mov SYS_TX_COMMIT, %g1', ' ta 0x10', ' ret', ' restore',
    ].join('\n');
    const dir = new TempDir('clustervm-tx-window');
    try {
      const image = dir.writeImage('tx-window', { dsm: { sizeMiB: 1 }, nodes: [{ isa: 'sparc32', cores: 1, programs: [{ source }] }] });
      const cluster = await boot(image, { console: [], trace: [] });
      const scheduler = cluster.scheduler();
      for (let i = 0; i < 5; i++) scheduler.step(QUANTUM);
      expect(() => saveClusterState(cluster, scheduler)).toThrow(
        "n0.c0's open transaction began in register window 7, the core is in window 6: snapshots keep a transaction's start in one window");
      while (scheduler.step(QUANTUM).kind !== 'done');
      expect(cluster.finish()[0]!.exitStatus).toBe(0);
      cluster.close();
    } finally {
      dir.cleanup();
    }
  });
});
