import type { GuestCore } from './guest-core.js';
import type { KernelTimer } from './kernel-timers.js';
import type { NodeLoad } from './link-policy.js';

/** A message between nodes: one the interconnect may drop (image `interconnect.drop`), one awaiting an answer. */
export interface KernelMessage {
  readonly kind: 'commit' | 'page' | 'token';
  readonly from: number;
  readonly to: number;
  /** The page a page request asks for. */
  readonly page?: number;
}

/** What the kernel needs of the cluster around it: the network, time and the cores. */
export interface KernelHost {
  readonly nodeCount: number;
  /** Every core's clock: one instruction per cycle. */
  readonly clockHz: number;
  /** Virtual ns from sending `bytes` at node `from` to their arrival at node `to`. */
  messageNs(from: number, to: number, bytes: number): number;
  /** Whether the interconnect loses this message. */
  drops(message: KernelMessage): boolean;
  /**
   * The kernel sends `message` at `atNs` and needs its answer (a page from its owner,
   * the commit token from its holder, a commit's acknowledgement): how the cluster
   * notices a node that failed.
   */
  contact(message: KernelMessage, atNs: number): void;
  /** Hands `timer` back to Kernel.fire between quanta once virtual time reaches `atNs`, in time order. */
  schedule(atNs: number, timer: KernelTimer): void;
  /** Virtual time of the next scheduled event, if any. */
  nextEventNs(): number | undefined;
  /** The node's load now (the kernel asks at a hold point, with the node's cores held). */
  nodeLoad(nodeId: number, atNs: number): NodeLoad;
  cores(): readonly GuestCore[];
  /** Writes a node's RAM (channel tables, rings of messages that arrived). */
  writeNodeMemory(node: number, address: number, bytes: Uint8Array): void;
}
