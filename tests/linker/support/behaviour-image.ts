// The linker behaviour suites' view of the test kit: one-node images with modules,
// bindings and policies, booted on the real engines, and guest memory as the guest sees it.

import { loadImage, loadToolchain, RAM_BASE, type Cluster, type LoadedImage } from '../../../emulator/index.js';
import type { Intensity } from '../../../linker/index.js';
import { ISA_NAMES, type IsaName } from '../../../isa/index.js';
import { bootCluster, guestWord, isSparc, TempDir, type NodeSpec } from '../../support/index.js';

export { hex } from '../../support/index.js';

export const ISAS: readonly IsaName[] = ISA_NAMES;
export const SPARC_ISAS: readonly IsaName[] = ISA_NAMES.filter(isSparc);

export type ImageBinding = Intensity | {
  readonly intensity: Intensity;
  readonly use?: string;
  readonly resolved?: Exclude<Intensity, 'failsafe'>;
  readonly deny?: readonly string[];
  readonly trampoline?: 'shortest' | 'paper';
};

/** A temp folder of one-node images; remove() deletes it. */
export class ImageDir extends TempDir {
  constructor() {
    super('clustervm-linker-behaviour');
  }

  write(name: string, node: NodeSpec): string {
    return this.writeImage(name, { nodes: [node] });
  }

  remove(): void {
    this.cleanup();
  }
}

export async function boot(path: string, bind?: ReadonlyMap<string, Intensity>): Promise<{ cluster: Cluster; console: string[] }> {
  const { cluster, console } = await bootCluster(path, { maxInstructions: 5_000_000, ...(bind ? { bind } : {}) });
  return { cluster, console };
}

export async function load(path: string): Promise<LoadedImage> {
  return loadImage(path, await loadToolchain());
}

/** A 32-bit word of a node's RAM in the guest's byte order (SPARC is big-endian). */
export function ramWord(cluster: Cluster, address: number, nodeId = 0): number {
  const node = cluster.node(nodeId);
  return guestWord(node.ram, node.isa, address - RAM_BASE);
}
