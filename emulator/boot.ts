import { checkHostLimits, loadImage, type LoadOptions } from './image/index.js';
import { Cluster, type BootOptions } from './machine/index.js';
import { loadToolchain } from '../linker/index.js';

/** Loads, validates and assembles an image, then builds its cluster, stopped at reset. */
export async function bootImage(path: string, options: BootOptions, load: LoadOptions = {}): Promise<Cluster> {
  const toolchain = await loadToolchain();
  const image = loadImage(path, toolchain, load);
  // Before any engine opens: past these, Unicorn would end the process with its own words.
  checkHostLimits(image);
  return new Cluster(image, toolchain.disassembler, options);
}
