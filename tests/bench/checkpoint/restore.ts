// Restoring a checkpoint as `clustervm restore` does: a cluster freshly booted from the
// same image (timed apart: booting is not restoring), the file read and checked
// (loadSnapshotFile: SHA-256, inflate, decode, and an incremental one's chain applied),
// and the state loaded onto the cluster (restoreSnapshot: fingerprint, then every part's
// state). The restored cluster's DSM data is checked, and it runs on to the end: every
// node must finish phase 2 and exit cleanly, or the restore measured nothing.
import { loadSnapshotFile, restoreSnapshot } from '../../../emulator/snapshot/index.js';
import { bootCluster, expectCleanExit } from '../../support/index.js';
import { elapsedMs } from '../stats.js';
import { checkData, type Phase } from './check-data.js';
import { CHANGED_LINE, layoutName, type Layout } from './guests.js';
import { QUANTUM } from './take.js';

export interface Restored {
  readonly bootMs: number;
  readonly readMs: number;
  readonly loadMs: number;
}

export const restoreMs = (restored: Restored): number => restored.readMs + restored.loadMs;

/** Restores `file` (taken at `phase`) onto a fresh cluster of `image`, checks it and runs it out. */
export async function restoreCheckpoint(layout: Layout, image: string, file: string, phase: Phase): Promise<Restored> {
  const what = `${layoutName(layout)}, restored from ${phase}`;
  let start = process.hrtime.bigint();
  const { cluster, console } = await bootCluster(image, { maxInstructions: 1e10 });
  try {
    const scheduler = cluster.scheduler();
    const bootMs = elapsedMs(start);
    start = process.hrtime.bigint();
    const snapshot = loadSnapshotFile(file);
    const readMs = elapsedMs(start);
    start = process.hrtime.bigint();
    restoreSnapshot(cluster, scheduler, snapshot, file);
    const loadMs = elapsedMs(start);
    checkData(what, cluster.kernel.dsm!, layout, phase);
    while (scheduler.step(QUANTUM).kind !== 'done');
    expectCleanExit(what, cluster.finish());
    const changed = console.filter((line) => line.endsWith(` ${CHANGED_LINE}`)).length;
    const expected = phase === 'committed' ? layout.mib.length : 0;
    if (changed !== expected) throw new Error(`${what}: ${changed} nodes printed '${CHANGED_LINE}' after the restore, expected ${expected}`);
    checkData(`${what}, run out`, cluster.kernel.dsm!, layout, 'changed');
    return { bootMs, readMs, loadMs };
  } finally {
    cluster.close();
  }
}
