import type { Core } from '../../machine/index.js';
import type { CoreRef, DebugSession, Nodes } from '../session.js';
import { processExit, signalOfFault } from './stop-reply.js';
import { matches, type ThreadSelector } from './thread-id.js';

/** A core that will never run again: exited, faulted, or idle without a program. */
function finished(core: Core): boolean {
  return core.status !== 'ready' && core.status !== 'sleeping';
}

/**
 * The processes gdb sees: a node is live until gdb has been told it exited or has
 * detached or killed it. A node whose cores have all finished waits in a queue until a
 * resume can report it, since all-stop gdb takes one stop reply per resume.
 */
export class ProcessTable {
  private readonly ended = new Set<number>();
  private readonly exits: number[] = [];

  constructor(private readonly session: DebugSession) {}

  get liveNodes(): number[] {
    return this.session.cluster.nodes.map((node) => node.nodeId).filter((node) => !this.ended.has(node));
  }

  threads(): CoreRef[] {
    return this.liveNodes.flatMap((node) => this.session.cluster.nodes[node]!.cores.map((core) => ({ node, core: core.coreId })));
  }

  /** The first live thread the selector names. */
  find(selector: ThreadSelector): CoreRef | undefined {
    return this.threads().find((ref) => matches(selector, ref));
  }

  isLive(node: number): boolean {
    return node >= 0 && node < this.session.cluster.nodes.length && !this.ended.has(node);
  }

  /** gdb attached to a node it had detached from (vAttach): its process again. */
  attach(node: number): void {
    this.ended.delete(node);
  }

  /** gdb detached or killed the node: it is no process of gdb's any more. */
  end(node: number): void {
    this.ended.add(node);
    const queued = this.exits.indexOf(node);
    if (queued >= 0) this.exits.splice(queued, 1);
  }

  /**
   * Queues the live nodes whose cores have all finished (every live node once the whole
   * cluster is done, blocked cores included); true when an exit of one of `nodes` (of
   * any node, when absent) waits to be reported.
   */
  collectExits(clusterDone: boolean, nodes?: Nodes): boolean {
    for (const node of this.liveNodes) {
      if (this.exits.includes(node)) continue;
      if (clusterDone || this.session.cluster.nodes[node]!.cores.every(finished)) this.exits.push(node);
    }
    return this.exits.some((node) => !nodes || nodes.includes(node));
  }

  /**
   * The next queued exit of one of `nodes` (of any node, when absent) as a stop reply;
   * the node ends with it. A process gdb did not resume keeps its exit until it does.
   */
  takeExit(nodes?: Nodes): string | undefined {
    const at = this.exits.findIndex((queued) => !nodes || nodes.includes(queued));
    if (at < 0) return undefined;
    const node = this.exits.splice(at, 1)[0]!;
    this.ended.add(node);
    const cores = this.session.cluster.nodes[node]!.cores.map((core) => core.summary());
    const fault = cores.find((core) => core.fault)?.fault;
    if (fault) return processExit(node, { signal: signalOfFault(fault.reason) });
    return processExit(node, { status: cores.find((core) => core.exitStatus)?.exitStatus ?? 0 });
  }
}
