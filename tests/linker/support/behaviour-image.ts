// Writes cluster images with modules, bindings and policies into a temp folder (the shared
// tests/support/temp-image.ts knows only programs), boots them on the real engines and
// reads guest memory the way the guest sees it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootImage, loadImage, loadToolchain, RAM_BASE, type Cluster, type LoadedImage } from '../../../emulator/index.js';
import type { Intensity } from '../../../linker/index.js';
import type { IsaName } from '../../../isa/index.js';

export const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
export const SPARC_ISAS: readonly IsaName[] = ['sparc32', 'sparc64'];

export interface ImageProgram {
  readonly name: string;
  readonly source: string;
  readonly cores?: readonly number[];
}

export interface ImageModule {
  readonly name: string;
  readonly source: string;
  readonly library?: boolean;
}

export type ImageBinding = Intensity | {
  readonly intensity: Intensity;
  readonly use?: string;
  readonly resolved?: Exclude<Intensity, 'failsafe'>;
  readonly deny?: readonly string[];
  readonly trampoline?: 'shortest' | 'paper';
};

export interface ImageNode {
  readonly isa: IsaName;
  readonly cores: number;
  readonly programs: readonly ImageProgram[];
  readonly modules?: readonly ImageModule[];
  readonly bindings?: Readonly<Record<string, ImageBinding>>;
  readonly trampolines?: 'shortest' | 'paper';
  readonly policies?: readonly { readonly symbol: string; readonly busy: string; readonly idle: string; readonly minCalls?: number }[];
}

/** A temp folder holding one or more images; remove() deletes it. */
export class ImageDir {
  readonly path = mkdtempSync(join(tmpdir(), 'clustervm-linker-behaviour-'));
  private count = 0;

  /** Writes every source as its own .s file next to image.json; returns the image's path. */
  write(name: string, node: ImageNode): string {
    const tag = `${name}-${this.count++}`;
    const file = (kind: string, unit: string, source: string) => {
      const path = `${tag}-${kind}-${unit.replace(/[^\w.-]/g, '_')}.s`;
      writeFileSync(join(this.path, path), source);
      return path;
    };
    const image = {
      name,
      nodes: [{
        isa: node.isa,
        cores: node.cores,
        programs: node.programs.map((p) => ({ name: p.name, source: file('program', p.name, p.source), ...(p.cores ? { cores: p.cores } : {}) })),
        modules: (node.modules ?? []).map((m) => ({ name: m.name, source: file('module', m.name, m.source), ...(m.library ? { library: true } : {}) })),
        ...(node.bindings ? { bindings: node.bindings } : {}),
        ...(node.trampolines ? { trampolines: node.trampolines } : {}),
        ...(node.policies ? { policies: node.policies } : {}),
      }],
    };
    const path = join(this.path, `${tag}.json`);
    writeFileSync(path, `${JSON.stringify(image, null, 2)}\n`);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export async function boot(path: string, bind?: ReadonlyMap<string, Intensity>): Promise<{ cluster: Cluster; console: string[] }> {
  const console: string[] = [];
  const cluster = await bootImage(path, { maxInstructions: 5_000_000, console: (line) => console.push(line) },
    bind ? { bind } : {});
  return { cluster, console };
}

export async function load(path: string): Promise<LoadedImage> {
  return loadImage(path, await loadToolchain());
}

/** A 32-bit word of a node's RAM in the guest's byte order (SPARC is big-endian). */
export function ramWord(cluster: Cluster, address: number, nodeId = 0): number {
  const node = cluster.node(nodeId);
  const offset = address - RAM_BASE;
  return node.isa.startsWith('sparc') ? node.ram.readUInt32BE(offset) : node.ram.readUInt32LE(offset);
}

export const hex = (value: number): string => `0x${value.toString(16)}`;
