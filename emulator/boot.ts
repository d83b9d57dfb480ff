import { loadImage } from './image/index.js';
import { Cluster, type BootOptions } from './machine/index.js';
import { loadToolchain } from './toolchain.js';

/** Loads, validates and assembles an image, then builds its cluster, stopped at reset. */
export async function bootImage(path: string, options: BootOptions): Promise<Cluster> {
  const { assembler, disassembler } = await loadToolchain();
  return new Cluster(loadImage(path, assembler), disassembler, options);
}
