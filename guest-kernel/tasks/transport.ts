import type { KernelHost } from '../kernel-host.js';
import type { TaskTransportKind } from './task-config.js';

/** The transport's acknowledgement of one message. */
const ACK_BYTES = 64;

/** Where a transport stands: a snapshot keeps it. */
export interface TransportState {
  readonly linkFreeNs: readonly number[];
  readonly kernelFreeNs: readonly number[];
}

/**
 * The kernel's transport for tasking messages, and each node's kernel as a resource.
 * Window (DIPC-like): messages pipeline; each costs its own latency and bandwidth.
 * Stop-and-wait (NORMA-like): a node's link carries one message at a time, from its
 * send until the receiver's acknowledgement is back, and the receiver's link is held
 * as long; so replies converging on one node queue there. Every reservation is made
 * when the send's timer fires, in virtual-time order, so no result depends on which
 * core the scheduler happened to run first.
 */
export class TaskTransport {
  private readonly linkFreeNs: number[];
  private readonly kernelFreeNs: number[];

  constructor(private readonly host: KernelHost, readonly kind: TaskTransportKind) {
    this.linkFreeNs = new Array<number>(host.nodeCount).fill(0);
    this.kernelFreeNs = new Array<number>(host.nodeCount).fill(0);
  }

  /** Sends `bytes` from `from` to `to` at `atNs`: the virtual time they arrive. */
  send(from: number, to: number, bytes: number, atNs: number): number {
    if (from === to) return atNs;
    const oneWay = this.host.messageNs(from, to, bytes);
    if (this.kind === 'window') return atNs + oneWay;
    const start = Math.max(atNs, this.linkFreeNs[from]!, this.linkFreeNs[to]!);
    const arrival = start + oneWay;
    const acknowledged = arrival + this.host.messageNs(to, from, ACK_BYTES);
    this.linkFreeNs[from] = acknowledged;
    this.linkFreeNs[to] = acknowledged;
    return arrival;
  }

  /** Kernel work of `ns` on `node` that can start at `atNs`: when it is done (one kernel per node). */
  work(node: number, atNs: number, ns: number): number {
    const done = Math.max(atNs, this.kernelFreeNs[node]!) + ns;
    this.kernelFreeNs[node] = done;
    return done;
  }

  saveState(): TransportState {
    return { linkFreeNs: [...this.linkFreeNs], kernelFreeNs: [...this.kernelFreeNs] };
  }

  loadState(state: TransportState): void {
    this.linkFreeNs.splice(0, this.linkFreeNs.length, ...state.linkFreeNs);
    this.kernelFreeNs.splice(0, this.kernelFreeNs.length, ...state.kernelFreeNs);
  }
}
