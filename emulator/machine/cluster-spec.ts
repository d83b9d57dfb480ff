import type { ChannelLayout, DsmConfig, TaskConfig } from '../../guest-kernel/index.js';
import type { LinkOverride, LinkParameters } from './interconnect.js';
import type { DropRule } from './message-drops.js';
import type { NodeImage } from './node.js';

/** A node that fails (fail-stop) once virtual time reaches `atNs`. */
export interface NodeCrash {
  readonly node: number;
  readonly atNs: number;
}

/**
 * What a cluster is built from: its nodes with their code placed, the interconnect, the
 * DSM and channels. The image loader produces one; the machine knows no image files.
 */
export interface ClusterSpec {
  readonly clockHz: number;
  readonly link: LinkParameters;
  readonly links: readonly LinkOverride[];
  readonly drops: readonly DropRule[];
  readonly crashes: readonly NodeCrash[];
  readonly nodes: readonly NodeImage[];
  readonly dsm: DsmConfig | undefined;
  readonly channels: ChannelLayout;
  /** Every core's task address space, when the image has tasks. */
  readonly tasks: TaskConfig | undefined;
  /** The names every guest program's assembler knows (syscalls, the memory layout, the DSM), for debuggers. */
  readonly symbols: ReadonlyMap<string, number>;
}
