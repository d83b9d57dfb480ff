// Wall time from `bootImage` to the first guest instruction: image load and assembly,
// then one Unicorn engine per core. The toolchain (keystone and capstone, WebAssembly)
// is loaded once per process and timed on its own.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootImage, loadImage, loadToolchain, type Toolchain } from '../../../emulator/index.js';
import { elapsedMs, median } from '../stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_IMAGE = join(HERE, '..', '..', '..', 'images', 'default.json');
export const CLUSTER_IMAGE = join(HERE, 'boot-16x4.json');
/** Boots after the first one, whose median is reported. */
export const BOOT_REPEATS = 5;

export interface BootTiming {
  readonly image: string;
  readonly nodes: number;
  readonly cores: number;
  /** First boot of the image in this process (the first one of all also opens libunicorn). */
  readonly firstMs: number;
  readonly medianMs: number;
  /** Median of loadImage alone: parsing and assembling, the part before any engine. */
  readonly assembleMs: number;
}

export async function timeToolchainLoad(): Promise<{ toolchain: Toolchain; ms: number }> {
  const start = process.hrtime.bigint();
  const toolchain = await loadToolchain();
  return { toolchain, ms: elapsedMs(start) };
}

async function timeBoot(path: string): Promise<{ ms: number; nodes: number; cores: number }> {
  const start = process.hrtime.bigint();
  // Nothing runs, so nothing is printed.
  const cluster = await bootImage(path, { maxInstructions: 1, console: () => {} });
  const ms = elapsedMs(start);
  const shape = { nodes: cluster.nodes.length, cores: cluster.cores.length };
  cluster.close();
  return { ms, ...shape };
}

export async function measureBoot(path: string, toolchain: Toolchain): Promise<BootTiming> {
  const first = await timeBoot(path);
  const boots: number[] = [];
  const assemblies: number[] = [];
  for (let repeat = 0; repeat < BOOT_REPEATS; repeat++) {
    boots.push((await timeBoot(path)).ms);
    const start = process.hrtime.bigint();
    loadImage(path, toolchain);
    assemblies.push(elapsedMs(start));
  }
  return {
    image: relative(process.cwd(), path), nodes: first.nodes, cores: first.cores,
    firstMs: first.ms, medianMs: median(boots), assembleMs: median(assemblies),
  };
}
