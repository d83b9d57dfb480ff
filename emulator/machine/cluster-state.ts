import type { KernelState, KernelTimer } from '../../guest-kernel/index.js';
import type { Cluster } from './cluster.js';
import type { TimedEvent } from './event-queue.js';
import type { NodeState } from './node.js';
import type { ClusterEvent, Scheduler, SchedulerState } from './scheduler.js';

/** An event of the queue as data: a wake names its core by numbers. */
type SavedEvent =
  | { readonly kind: 'wake'; readonly node: number; readonly core: number }
  | { readonly kind: 'kernel'; readonly timer: KernelTimer };

/** A whole cluster between two scheduler steps. */
export interface ClusterState {
  readonly nodes: readonly NodeState[];
  readonly kernel: KernelState;
  readonly events: { readonly nextSeq: number; readonly events: readonly TimedEvent<SavedEvent>[] };
  readonly drops: ReturnType<Cluster['drops']['saveState']>;
  readonly scheduler: SchedulerState;
}

/**
 * The cluster's state and the scheduler's position, between two scheduler steps (a
 * quantum boundary). Throws MachineStateError or KernelStateError naming what a
 * snapshot cannot hold yet.
 */
export function saveClusterState(cluster: Cluster, scheduler: Scheduler): ClusterState {
  return {
    nodes: cluster.nodes.map((node) => node.saveState()),
    kernel: cluster.kernel.saveState(),
    events: cluster.events.saveState((event): SavedEvent => (event.kind === 'wake'
      ? { kind: 'wake', node: event.core.nodeId, core: event.core.coreId }
      : event)),
    drops: cluster.drops.saveState(),
    scheduler: scheduler.saveState(),
  };
}

/** Puts a saved state back on a freshly booted cluster of the same image and its new scheduler. */
export function loadClusterState(cluster: Cluster, scheduler: Scheduler, state: ClusterState): void {
  state.nodes.forEach((node, i) => cluster.node(i).loadState(node));
  cluster.kernel.loadState(state.kernel);
  cluster.events.loadState(state.events, (event): ClusterEvent => (event.kind === 'wake'
    ? { kind: 'wake', core: cluster.node(event.node).cores[event.core]! }
    : event));
  cluster.drops.loadState(state.drops);
  scheduler.loadState(state.scheduler);
}
