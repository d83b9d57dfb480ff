// Writes multi-node cluster images with channels into a temp folder (programs and modules
// as .s files, the guest channel library linked in by absolute path), boots them on the
// real engines and reads what the channels did.

import { RAM_BASE, type Cluster, type CoreSummary } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { RING_HEAD, RING_TAIL } from '../../../guest-kernel/channels/ring-format.js';
import { libSource, runImage, TempDir } from '../../support/index.js';

export { coreOf, describeCores } from '../../support/index.js';

interface ChanProgram {
  readonly name: string;
  readonly source: string;
  readonly cores?: readonly number[];
}

interface ChanModule {
  readonly name: string;
  readonly source: string;
}

interface ChanNode {
  readonly isa: IsaName;
  readonly cores: number;
  readonly programs: readonly ChanProgram[];
  /** Modules besides the channel library. */
  readonly modules?: readonly ChanModule[];
  /** Link the guest channel library in (default true). */
  readonly chanLibrary?: boolean;
  readonly bindings?: Readonly<Record<string, unknown>>;
}

interface ChanEntry {
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

/** A temp folder of channel images; remove() deletes it. */
export class ChanDir extends TempDir {
  constructor() {
    super('clustervm-channels');
  }

  write(name: string, image: ChanImage): string {
    const { nodes, ...fields } = image;
    return this.writeImage(name, {
      ...fields,
      nodes: nodes.map(({ chanLibrary, modules, ...node }) => ({
        ...node,
        modules: [
          ...(chanLibrary === false ? [] : [{ name: 'chan', file: libSource('chan', node.isa) }]),
          ...(modules ?? []),
        ],
      })),
    });
  }

  remove(): void {
    this.cleanup();
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
  const run = await runImage(path, {
    quantum, maxInstructions,
    inspect: (cluster) => {
      const channels = cluster.kernel.channels!.report();
      const rings = channels.map(({ spec }) => ({
        head: ringWord(cluster, spec.to.node, spec.ring + RING_HEAD),
        tail: ringWord(cluster, spec.to.node, spec.ring + RING_TAIL),
      }));
      return { channels, rings };
    },
  });
  return { cores: run.cores, console: run.console, ...run.inspected };
}

/** A big-endian channel-format word of a node's RAM (the format is big-endian on every ISA). */
function ringWord(cluster: Cluster, node: number, address: number): number {
  return cluster.node(node).ram.readUInt32BE(address - RAM_BASE);
}
