import type { LoadedImage } from './load.js';
import { ImageError } from './image-error.js';

// What one host process can hold, checked before any engine opens so that an image
// past them gets one line naming its field instead of Unicorn's or koffi's message.
// Measured on a 2-core, 23 GiB host: 4,096 one-core x86-32 and 2,048 sparc64 engines
// boot at ~3 MiB of resident memory per engine; koffi's callback table is fixed.

/** Engines (one per core) a cluster may open: ~12 GiB of host memory at ~3 MiB each. */
export const MAX_ENGINES = 4096;
/** koffi's table of native callbacks, shared by every hook of every engine in the process. */
export const KOFFI_MAX_CALLBACKS = 8192;
/** Hooks every core holds: traps and memory faults. */
export const CALLBACKS_PER_CORE = 2;
/** One more per core with `--trace` (its block hook). */
export const CALLBACKS_PER_TRACED_CORE = 1;
/** One more per core with a DSM region (the access hook on its copy). */
export const CALLBACKS_PER_DSM_CORE = 1;
/** Per channel a node receives, each of its cores watches the ring's head and tail. */
export const CALLBACKS_PER_RECEIVED_CHANNEL = 2;
/** Every core holds its own copy of the DSM region: the copies together stay within this. */
export const MAX_DSM_COPY_BYTES = 4 * 2 ** 30;
/** Every node's RAM together. */
export const MAX_NODE_RAM_BYTES = 8 * 2 ** 30;

export interface HostLimitOptions {
  /** `--trace`: every core also hooks its blocks. */
  readonly traced: boolean;
}

const MIB = 0x10_0000;
const count = (n: number) => n.toLocaleString('en-US');

/** Throws an ImageError naming the field of the first host limit the image passes. */
export function checkHostLimits(image: LoadedImage, options: HostLimitOptions): void {
  const file = image.path;
  const cores = image.nodes.reduce((sum, node) => sum + node.cores, 0);
  if (cores > MAX_ENGINES) {
    throw new ImageError(`${file}: nodes: ${count(cores)} cores in all; one host runs at most ${count(MAX_ENGINES)} engines (one per core)`);
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
  checkCallbacks(image, options, cores);
}

function checkCallbacks(image: LoadedImage, options: HostLimitOptions, cores: number): void {
  const perCore = CALLBACKS_PER_CORE + (options.traced ? CALLBACKS_PER_TRACED_CORE : 0) + (image.dsm ? CALLBACKS_PER_DSM_CORE : 0);
  const received = new Map<number, number>();
  for (const channel of image.channels.channels) received.set(channel.to.node, (received.get(channel.to.node) ?? 0) + 1);
  const watches = image.nodes.reduce((sum, node) =>
    sum + node.cores * (received.get(node.id) ?? 0) * CALLBACKS_PER_RECEIVED_CHANNEL, 0);
  const total = cores * perCore + watches;
  if (total <= KOFFI_MAX_CALLBACKS) return;
  const field = watches > 0 ? 'channels' : 'nodes';
  throw new ImageError(`${image.path}: ${field}: the cluster needs ${count(total)} engine callbacks (${perCore} per core, ${CALLBACKS_PER_RECEIVED_CHANNEL} per core per channel its node receives); koffi allows ${count(KOFFI_MAX_CALLBACKS)}`);
}
