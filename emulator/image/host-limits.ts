import { enginesThisProcessCanOpen } from '../engine/index.js';
import type { LoadedImage } from './load.js';
import { ImageError } from './image-error.js';

// What one host process can hold, checked before any engine opens so that an image
// past them gets one line naming its field instead of Unicorn's message (it ends the
// whole process when an engine cannot reserve its translation buffer). Hooks share one
// koffi callback per kind, so cores, channels and traces add none.

/** Every core holds its own copy of the DSM region: the copies together stay within this. */
const MAX_DSM_COPY_BYTES = 4 * 2 ** 30;
/** Every node's RAM together. */
const MAX_NODE_RAM_BYTES = 8 * 2 ** 30;

const MIB = 0x10_0000;
const count = (n: number) => n.toLocaleString('en-US');

/** Throws an ImageError naming the field of the first host limit the image passes. */
export function checkHostLimits(image: LoadedImage): void {
  const file = image.path;
  const cores = image.nodes.reduce((sum, node) => sum + node.cores, 0);
  const engines = enginesThisProcessCanOpen();
  if (cores > engines) {
    throw new ImageError(`${file}: nodes: ${count(cores)} cores in all; this host opens at most ${count(engines)} engines (one per core)`);
  }
  const ramBytes = image.nodes.reduce((sum, node) => sum + node.ramBytes, 0);
  if (ramBytes > MAX_NODE_RAM_BYTES) {
    throw new ImageError(`${file}: nodes: ${count(ramBytes / MIB)} MiB of node RAM in all (ramMiB x count); the host allows ${count(MAX_NODE_RAM_BYTES / MIB)} MiB`);
  }
  if (image.dsm) {
    const copies = cores * image.dsm.bytes;
    if (copies > MAX_DSM_COPY_BYTES) {
      throw new ImageError(`${file}: dsm.sizeMiB: ${count(image.dsm.bytes / MIB)} MiB on each of ${count(cores)} cores is ${count(copies / MIB)} MiB of DSM copies; the host allows ${count(MAX_DSM_COPY_BYTES / MIB)} MiB (cores x sizeMiB)`);
    }
  }
}
