// A restored snapshot goes on exactly as the run it was taken from: the guests' output
// after the snapshot, every core's counts, virtual time and result, the DSM's counters
// and the block trace equal the uninterrupted run's, for snapshots at several points.
import { describe, expect, it } from 'vitest';
import { bootImage, type Cluster } from '../../emulator/index.js';
import { loadClusterState, saveClusterState, type ClusterState } from '../../emulator/machine/index.js';
import { decodeSnapshot, encodeSnapshot } from '../../emulator/snapshot/snapshot-file.js';

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
  return [...cores, JSON.stringify(dsm ? { time: dsm.time, stats: dsm.stats.nodes, pages: dsm.stats.pageTable() } : null)];
}

async function freeRun(image: string): Promise<Run & { outcome: string[]; steps: number }> {
  const run: Run = { console: [], trace: [] };
  const cluster = await boot(image, run);
  const scheduler = cluster.scheduler();
  let steps = 0;
  while (scheduler.step(QUANTUM).kind !== 'done') steps++;
  const result = { ...run, outcome: outcome(cluster), steps };
  cluster.close();
  return result;
}

/** Runs `steps` scheduler steps, snapshots through the file format, and finishes on a fresh cluster. */
async function restoredRun(image: string, steps: number): Promise<Run & { outcome: string[]; bytes: number }> {
  const before: Run = { console: [], trace: [] };
  const first = await boot(image, before);
  const scheduler = first.scheduler();
  for (let i = 0; i < steps; i++) scheduler.step(QUANTUM);
  const file = encodeSnapshot(saveClusterState(first, scheduler));
  first.close();
  const after: Run = { console: [], trace: [] };
  const second = await boot(image, after);
  const resumed = second.scheduler();
  loadClusterState(second, resumed, decodeSnapshot(file, 'in memory') as ClusterState);
  while (resumed.step(QUANTUM).kind !== 'done');
  const result = {
    console: [...before.console, ...after.console], trace: [...before.trace, ...after.trace], outcome: outcome(second), bytes: file.length,
  };
  second.close();
  return result;
}

describe.each([
  'images/hello-x86.json', 'images/flink.json', 'images/dsm-counter.json', 'images/false-sharing.json',
])('restore equals the uninterrupted run: %s', (image) => {
  it('at a quarter, half and nine tenths of the run', async () => {
    const free = await freeRun(image);
    expect(free.steps).toBeGreaterThan(4);
    for (const fraction of [0.25, 0.5, 0.9]) {
      const restored = await restoredRun(image, Math.floor(free.steps * fraction));
      expect(restored.console, `console at ${fraction}`).toEqual(free.console);
      expect(restored.outcome, `counts at ${fraction}`).toEqual(free.outcome);
      expect(restored.trace.length, `trace at ${fraction}`).toBe(free.trace.length);
      expect(restored.trace.join('\n') === free.trace.join('\n'), `trace at ${fraction}`).toBe(true);
    }
  });
});
