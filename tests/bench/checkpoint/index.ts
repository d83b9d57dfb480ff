// `checkpoint` benchmark: whole checkpoints of Plurix's measurement table (1 and 3 nodes
// holding 20 to 180 MiB of DSM data that real guests committed) in MB/s of snapshot
// state, beside Plurix's 13.0-19.7 MB/s; restoring them onto a freshly booted cluster;
// the incremental checkpoint after a commit that changed 1% of the pages, beside the
// whole one; and the cost of reverse-stepi 1 on 64 cores beside a forward stepi.
import { summaryLine } from '../format.js';
import { median } from '../stats.js';
import { removeImages } from './images.js';
import { DENSE_LAYOUT, LAYOUTS, PLURIX_MBPS } from './layouts.js';
import { measureLayouts } from './measure.js';
import { dataBytes, mbps, printCheckpoints, printIncremental, printRestores, printReverse, stateMbps } from './report.js';
import { restoreMs } from './restore.js';
import { measureReverse } from './reverse.js';
import { totalMs } from './take.js';

export async function run(): Promise<void> {
  try {
    const all = await measureLayouts([...LAYOUTS, DENSE_LAYOUT]);
    printCheckpoints(all);
    printRestores(all);
    printIncremental(all);
    const reverse = await measureReverse();
    printReverse(reverse);

    const table = all.filter((row) => !row.layout.dense);
    const dense = all.find((row) => row.layout.dense)!;
    const largest = table.at(-1)!;
    const atDefault = reverse.find((row) => row.historyEvery === 1_000_000)!;
    const ratio = (a: number, b: number) => (a / b).toFixed(3);
    process.stdout.write(`\nsummary: mbps = median over the ${table.length} layouts of whole-checkpoint state MB/s ` +
      `(min, max beside it), plurix_* = Plurix's range; data_mbps the same for the DSM data alone; dense_mbps the ` +
      'dense 20 MiB row; largest_* the 3 x 60 MiB layout (checkpoint and restore ms, state MB); incr_* that layout\'s ' +
      'incremental checkpoint after 1% of the pages changed against the whole one (file size, time); rstep_* ' +
      'reverse-stepi 1 on 64 cores at historyEvery 1,000,000 (median ms, and against a forward stepi\'s median)\n');
    process.stdout.write(`${summaryLine('checkpoint', {
      mbps: median(table.map((row) => stateMbps(row.full))).toFixed(0),
      mbps_min: Math.min(...table.map((row) => stateMbps(row.full))).toFixed(0),
      mbps_max: Math.max(...table.map((row) => stateMbps(row.full))).toFixed(0),
      plurix_mbps: `${PLURIX_MBPS.low.toFixed(1)}-${PLURIX_MBPS.high.toFixed(1)}`,
      data_mbps: median(table.map((row) => mbps(dataBytes(row.layout), totalMs(row.full)))).toFixed(0),
      dense_mbps: stateMbps(dense.full).toFixed(0),
      largest_ckpt_ms: totalMs(largest.full).toFixed(0),
      largest_restore_ms: restoreMs(largest.restored).toFixed(0),
      largest_state_mb: (largest.full.stateBytes / 1e6).toFixed(0),
      incr_size_ratio: ratio(largest.incremental.fileBytes, largest.full.fileBytes),
      incr_time_ratio: ratio(totalMs(largest.incremental), totalMs(largest.full)),
      rstep_ms: atDefault.reverseMedianMs.toFixed(1),
      rstep_vs_stepi: (atDefault.reverseMedianMs * 1000 / atDefault.forwardMedianUs).toFixed(0),
    })}\n`);
  } finally {
    removeImages();
  }
}
