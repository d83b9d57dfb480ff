import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaName } from '../../isa/index.js';

export interface TempNode {
  readonly isa: IsaName;
  readonly cores: number;
  readonly count?: number;
  /** Assembly source per program, with the cores that run it (default: all). */
  readonly programs: readonly { readonly source: string; readonly cores?: readonly number[] }[];
}

/** Writes an image and its programs into a fresh temporary folder; returns the image path. */
export function writeTempImage(name: string, nodes: readonly TempNode[]): string {
  const dir = mkdtempSync(join(tmpdir(), `clustervm-${name}-`));
  const imageNodes = nodes.map((node, n) => ({
    isa: node.isa,
    cores: node.cores,
    ...(node.count ? { count: node.count } : {}),
    programs: node.programs.map((program, p) => {
      const file = `node${n}-program${p}.s`;
      writeFileSync(join(dir, file), program.source);
      return { source: file, entry: 'main', ...(program.cores ? { cores: program.cores } : {}) };
    }),
  }));
  const path = join(dir, 'image.json');
  writeFileSync(path, JSON.stringify({ name, nodes: imageNodes }, null, 2));
  return path;
}
