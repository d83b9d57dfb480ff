// Child of the scale measurement: boots one image, stopped at reset, and prints its boot
// time and the resident memory the boot added, or the loader's refusal, as JSON.
import { bootImage, ImageError, loadToolchain } from '../../../emulator/index.js';
import { elapsedMs } from '../stats.js';

const path = process.argv[2]!;
// Keystone and capstone first: their memory is the process's, not the cluster's.
await loadToolchain();
const before = process.memoryUsage().rss;
const start = process.hrtime.bigint();
try {
  const cluster = await bootImage(path, { maxInstructions: 1, console: () => {} });
  const bootMs = elapsedMs(start);
  const rssMiB = (process.memoryUsage().rss - before) / 2 ** 20;
  cluster.close();
  process.stdout.write(JSON.stringify({ bootMs, rssMiB }));
} catch (error) {
  if (!(error instanceof ImageError)) throw error;
  process.stdout.write(JSON.stringify({ refused: error.message }));
}
