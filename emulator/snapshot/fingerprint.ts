import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Cluster } from '../machine/index.js';

/**
 * What a snapshot must be restored onto: a hash of the image file and of every module
 * its nodes were built from (the bytes the toolchain made of the sources, where they
 * were placed), so a changed source or image refuses an old snapshot.
 */
export function imageFingerprint(imagePath: string, cluster: Cluster): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(imagePath));
  for (const node of cluster.nodes) {
    hash.update(`node ${node.nodeId} ${node.isa} ${node.cores.length} ${node.ram.length}\n`);
    for (const module of node.linker.plan.modules) {
      hash.update(`${module.name} ${module.address} ${module.bytes.length}\n`);
      hash.update(module.bytes);
    }
  }
  return hash.digest('hex');
}
