import { loadImage, type LoadOptions } from './image/index.js';
import { Cluster, type BootOptions } from './machine/index.js';
import { loadToolchain } from '../linker/index.js';

/** Loads, validates and assembles an image, then builds its cluster, stopped at reset. */
export async function bootImage(path: string, options: BootOptions, load: LoadOptions = {}): Promise<Cluster> {
  const toolchain = await loadToolchain();
  return new Cluster(loadImage(path, toolchain, load), toolchain.disassembler, options);
}
