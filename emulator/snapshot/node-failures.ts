import type { KernelMessage } from '../../guest-kernel/index.js';
import type { Cluster, Core, NodeCrash } from '../machine/index.js';

/**
 * Fail-stop node failures, and how the cluster notices them.
 *
 * A node fails at the first round boundary where each of its cores has reached the
 * failure's time or cannot run. Its cores stop there, and it answers nothing from then
 * on. The other nodes learn of it the way Plurix's do, at the first of these:
 * - a request that gets no answer within REQUEST_TIMEOUT_TRIPS one-way trips: a page
 *   asked of its owner, the commit token asked of its holder, a commit's broadcast;
 * - heartbeats missing for HEARTBEAT_TIMEOUT_TRIPS trips;
 * - a checkpoint that cannot collect the node's state.
 * The kernel runs on meanwhile as if the node still answered. Nothing it does then
 * counts: the cluster goes back to a checkpoint from before the failure.
 */

/** How a failure came to light. */
export interface FailureDetection {
  readonly node: number;
  readonly crashNs: number;
  readonly detectedNs: number;
  readonly how: string;
}

const REQUEST_TIMEOUT_TRIPS = 4;
const HEARTBEAT_TIMEOUT_TRIPS = 10;
/** A request's size, for the trip times that timeouts count in. */
const REQUEST_BYTES = 64;

function describeRequest(message: KernelMessage): string {
  switch (message.kind) {
    case 'page': return `node ${message.from} asked it for DSM page ${message.page ?? '?'}`;
    case 'token': return `node ${message.from} asked it for the commit token`;
    case 'commit': return `node ${message.from}'s commit broadcast got no acknowledgement from it`;
  }
}

export class NodeFailures {
  private readonly pending: NodeCrash[];
  /** Nodes down now, with how they will be noticed (the earliest way so far). */
  private readonly down = new Map<number, FailureDetection>();

  constructor(private readonly cluster: Cluster, crashes: readonly NodeCrash[]) {
    this.pending = [...crashes].sort((a, b) => a.atNs - b.atNs || a.node - b.node);
    cluster.onContact = (message, atNs) => this.contact(message, atNs);
  }

  /** Failures planned that the run ended before. */
  get neverHappened(): readonly NodeCrash[] {
    return this.pending;
  }

  private tripNs(from: number, to: number): number {
    return this.cluster.interconnect.transferNs(from, to, REQUEST_BYTES);
  }

  /** At a round boundary: the nodes whose failure time every core of theirs has reached go down. */
  applyDue(): void {
    for (const crash of [...this.pending]) {
      const cores = this.cluster.node(crash.node).cores;
      const reached = (core: Core) => core.clock.ns >= crash.atNs
        || (!core.isRunnable && (core.status !== 'sleeping' || core.wakeTimeNs >= crash.atNs));
      if (!cores.every(reached)) continue;
      this.pending.splice(this.pending.indexOf(crash), 1);
      for (const core of cores) {
        if (core.status === 'ready' || core.status === 'sleeping') core.haltWithFault(`node ${crash.node} failed (fail-stop at ${crash.atNs} ns)`);
      }
      const others = this.cluster.nodes.filter((node) => node.nodeId !== crash.node);
      const heartbeat = HEARTBEAT_TIMEOUT_TRIPS * Math.max(0, ...others.map((node) => this.tripNs(node.nodeId, crash.node)));
      this.down.set(crash.node, {
        node: crash.node, crashNs: crash.atNs, detectedNs: crash.atNs + heartbeat,
        how: `its heartbeats stopped (${heartbeat} ns without one)`,
      });
    }
  }

  private contact(message: KernelMessage, atNs: number): void {
    const known = this.down.get(message.to);
    if (!known || atNs < known.crashNs) return;
    const timeout = REQUEST_TIMEOUT_TRIPS * this.tripNs(message.from, message.to);
    if (atNs + timeout >= known.detectedNs) return;
    this.down.set(message.to, { ...known, detectedNs: atNs + timeout, how: `${describeRequest(message)} at ${Math.round(atNs)} ns (no answer in ${timeout} ns)` });
  }

  /** The failure noticed by now (virtual time `nowNs`); at the run's end, any node down is. */
  noticed(nowNs: number, ended: boolean): FailureDetection | undefined {
    let first: FailureDetection | undefined;
    for (const detection of this.down.values()) {
      if ((ended || detection.detectedNs <= nowNs) && (!first || detection.detectedNs < first.detectedNs)) first = detection;
    }
    return first;
  }

  /** A checkpoint due now cannot be taken while a node is down: that is how it is noticed. */
  refusedCheckpoint(nowNs: number): FailureDetection | undefined {
    const [first] = this.down.values();
    return first && { ...first, detectedNs: Math.min(first.detectedNs, nowNs), how: `the checkpoint due at ${Math.round(nowNs)} ns could not collect its state` };
  }

  /** The cluster went back to before every failure: the nodes down rejoin. */
  rejoined(): void {
    this.down.clear();
  }
}

/** One line telling what failed and how it was noticed. */
export function describeFailure(detection: FailureDetection): string {
  return `node ${detection.node} failed (fail-stop at ${detection.crashNs} ns); noticed at ${Math.round(detection.detectedNs)} ns: ${detection.how}`;
}
