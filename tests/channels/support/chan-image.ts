// Writes multi-node cluster images with channels into a temp folder (programs and modules
// as .s files, the guest channel library linked in by absolute path), boots them on the
// real engines and reads what the channels did.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootImage, RAM_BASE, type Cluster, type CoreSummary } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { RING_HEAD, RING_TAIL } from '../../../guest-kernel/channels/ring-format.js';
import { family } from './chan-programs.js';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The guest channel library for an ISA, by absolute path. */
export function chanLibrary(isa: IsaName): string {
  const f = family(isa);
  return join(REPO_ROOT, 'images', 'lib', `chan-${f}.s`);
}

export interface ChanProgram {
  readonly name: string;
  readonly source: string;
  readonly cores?: readonly number[];
}

export interface ChanModule {
  readonly name: string;
  readonly source: string;
}

export interface ChanNode {
  readonly isa: IsaName;
  readonly cores: number;
  readonly programs: readonly ChanProgram[];
  /** Modules besides the channel library. */
  readonly modules?: readonly ChanModule[];
  /** Link the guest channel library in (default true). */
  readonly chanLibrary?: boolean;
  readonly bindings?: Readonly<Record<string, unknown>>;
}

export interface ChanEntry {
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  readonly slots?: number;
  readonly window?: number;
}

export interface ChanImage {
  readonly interconnect?: { readonly latencyNs: number; readonly bandwidthMbps: number };
  readonly channels?: readonly ChanEntry[];
  readonly nodes: readonly ChanNode[];
}

/** A temp folder holding images; remove() deletes it. */
export class ChanDir {
  readonly path = mkdtempSync(join(tmpdir(), 'clustervm-channels-'));
  private count = 0;

  write(name: string, image: ChanImage): string {
    const tag = `${name}-${this.count++}`.replace(/[^\w.-]/g, '_');
    const file = (unit: string, source: string) => {
      const path = `${tag}-${unit.replace(/[^\w.-]/g, '_')}.s`;
      writeFileSync(join(this.path, path), source);
      return path;
    };
    const json = {
      name,
      ...(image.interconnect ? { interconnect: image.interconnect } : {}),
      ...(image.channels ? { channels: image.channels } : {}),
      nodes: image.nodes.map((node, n) => ({
        isa: node.isa,
        cores: node.cores,
        programs: node.programs.map((p) => ({
          name: p.name, source: file(`n${n}-${p.name}`, p.source), ...(p.cores ? { cores: p.cores } : {}),
        })),
        modules: [
          ...(node.chanLibrary === false ? [] : [{ name: 'chan', source: chanLibrary(node.isa) }]),
          ...(node.modules ?? []).map((m) => ({ name: m.name, source: file(`n${n}-${m.name}`, m.source) })),
        ],
        ...(node.bindings ? { bindings: node.bindings } : {}),
      })),
    };
    const path = join(this.path, `${tag}.json`);
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface ChannelRun {
  readonly cores: CoreSummary[];
  readonly console: string[];
  readonly channels: ReturnType<NonNullable<Cluster['kernel']['channels']>['report']>;
  /** Head and tail of each channel's ring, as the receiver's node holds them. */
  readonly rings: { head: number; tail: number }[];
}

/** Boots an image, runs it to the end at `quantum` and collects what the channels did. */
export async function runChannels(path: string, quantum: number, maxInstructions = 3_000_000): Promise<ChannelRun> {
  const console: string[] = [];
  const cluster = await bootImage(path, { maxInstructions, console: (line) => console.push(line) });
  try {
    const cores = cluster.run({ quantum });
    const channels = cluster.kernel.channels!.report();
    const rings = channels.map(({ spec }) => ({
      head: ringWord(cluster, spec.to.node, spec.ring + RING_HEAD),
      tail: ringWord(cluster, spec.to.node, spec.ring + RING_TAIL),
    }));
    return { cores, console, channels, rings };
  } finally {
    cluster.close();
  }
}

/** A big-endian channel-format word of a node's RAM (the format is big-endian on every ISA). */
export function ringWord(cluster: Cluster, node: number, address: number): number {
  return cluster.node(node).ram.readUInt32BE(address - RAM_BASE);
}

export function coreOf(cores: readonly CoreSummary[], node: number, core: number): CoreSummary {
  const found = cores.find((c) => c.node === node && c.core === core);
  if (!found) throw new Error(`no core n${node}.c${core}`);
  return found;
}

/** One line per core, for failure messages. */
export function describeCores(cores: readonly CoreSummary[]): string {
  return cores.map((c) => `n${c.node}.c${c.core} ${c.status} exit=${c.exitStatus} result=${c.result} ns=${c.virtualNs}`
    + (c.fault ? ` fault: ${c.fault.reason}` : '')).join('\n');
}
