// Every layout of the table, one after the other (each cluster closed before the next
// boots: the largest holds about 0.8 GB of DSM copies, and its snapshot as much again):
// its checkpoints, the whole one restored, and for some the incremental one restored.
import { layoutName, totalMib, writeLayoutImage, type Layout } from './guests.js';
import { snapshotDir } from './images.js';
import { restoreCheckpoint, type Restored } from './restore.js';
import { takeCheckpoints, type LayoutCheckpoints } from './take.js';

export interface LayoutRow extends LayoutCheckpoints {
  readonly restored: Restored;
  /** Restoring the incremental checkpoint (its chain: the whole one, then the changes). */
  readonly restoredIncremental: Restored | undefined;
}

/** A layout too small to show in the table: it warms the JIT and libunicorn up, so the first row is not the slowest. */
const WARM_UP: Layout = { mib: [1, 1] };

async function measureLayout(layout: Layout, restoreIncremental: boolean): Promise<LayoutRow> {
  const image = writeLayoutImage(layout);
  const checkpoints = await takeCheckpoints(layout, image, snapshotDir(layoutName(layout)));
  const restored = await restoreCheckpoint(layout, image, checkpoints.full.file, 'committed');
  const restoredIncremental = restoreIncremental
    ? await restoreCheckpoint(layout, image, checkpoints.incremental.file, 'changed')
    : undefined;
  return { ...checkpoints, restored, restoredIncremental };
}

/**
 * The rows of `layouts`; the incremental checkpoint is restored for the largest layout
 * of each node count only (reading it reads and inflates the whole one too, so it costs
 * more than the whole one's restore, and the benchmark's time is bounded).
 */
export async function measureLayouts(layouts: readonly Layout[]): Promise<LayoutRow[]> {
  await measureLayout(WARM_UP, true);
  const largest = new Map<number, Layout>();
  for (const layout of layouts) {
    const best = largest.get(layout.mib.length);
    if (!best || totalMib(layout) > totalMib(best)) largest.set(layout.mib.length, layout);
  }
  const rows: LayoutRow[] = [];
  for (const layout of layouts) rows.push(await measureLayout(layout, [...largest.values()].includes(layout)));
  return rows;
}
