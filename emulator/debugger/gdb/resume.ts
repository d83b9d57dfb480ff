import { DebugError, type CoreRef, type DebugSession, type Nodes, type StopReason } from '../session.js';
import type { ProcessTable } from './processes.js';

/**
 * What gdb asked for. Nodes are gdb's processes; `nodes` absent means all of them.
 * - continue: the named processes run (`vCont;c:p1.-1`, or all with `set
 *   schedule-multiple on`) while the others stay stopped;
 * - step: one core steps one instruction while the named processes run in schedule
 *   order meanwhile (`vCont;s:p1.1;c:p1.-1`), or while nothing else runs (`others:
 *   'none'`, gdb's scheduler locking);
 * - run-core: one core runs alone (gdb's software single-step on SPARC continues just
 *   the stepping thread over a breakpoint at its npc, and must not see another core
 *   stop there);
 * - reverse-step, reverse-continue: the cluster goes back (`bs`, `bc`), one instruction
 *   of the core or to the last breakpoint or watchpoint hit.
 */
export type Resume =
  | { readonly kind: 'continue'; readonly nodes: Nodes }
  | { readonly kind: 'step'; readonly core: CoreRef; readonly others: Nodes | 'none' }
  | { readonly kind: 'run-core'; readonly core: CoreRef }
  | { readonly kind: 'reverse-step'; readonly core: CoreRef }
  | { readonly kind: 'reverse-continue' };

/** How a resume ended: the session stopped, or a resumed node's cores all finished. */
export type ResumeEnd = StopReason | { readonly kind: 'process-exit' };

/** The processes a resume lets run, whose exits it may report. */
export function resumedNodes(resume: Resume): Nodes {
  if (resume.kind === 'continue') return resume.nodes;
  if (resume.kind === 'reverse-continue' || resume.kind === 'reverse-step') return undefined;
  if (resume.kind === 'run-core' || resume.others === 'none') return [resume.core.node];
  return resume.others && [...resume.others, resume.core.node];
}

/** Long enough to amortise the setup, short enough that Ctrl-C feels immediate. */
const SLICE_MS = 20;

/** Instructions a lone core runs per call: stepCore runs them one at a time. */
const CORE_CHUNK = 1000;

/**
 * Runs a resume in slices, yielding to the event loop between slices so the socket is
 * read and a Ctrl-C can stop the run; the run keeps its own interrupt flag, since a
 * lone core's run never goes through the session's continue. A resume whose cores all
 * wait on processes gdb keeps stopped says so once and waits for Ctrl-C, as a real
 * process waiting on a stopped one would.
 */
export class ResumeRun {
  private interrupted = false;
  private cancelled = false;
  private blocked = false;
  private readonly nodes: Nodes;

  constructor(
    private readonly session: DebugSession,
    private readonly processes: ProcessTable,
    private readonly resume: Resume,
    private readonly done: (end: ResumeEnd) => void,
    private readonly notice: (text: string) => void,
  ) {
    this.nodes = resumedNodes(resume);
  }

  start(): void {
    this.slice();
  }

  interrupt(): void {
    this.interrupted = true;
    if (this.blocked) this.done({ kind: 'interrupt' });
  }

  /** The client went away: stop without reporting. */
  cancel(): void {
    this.cancelled = true;
  }

  private slice(): void {
    if (this.cancelled) return;
    const until = performance.now() + SLICE_MS;
    do {
      const end = this.next();
      if (end?.kind === 'blocked') {
        this.blocked = true;
        this.notice('clustervm: the resumed threads all wait on processes gdb keeps stopped; '
          + '`set schedule-multiple on` runs those too. Ctrl-C stops.\n');
        return;
      }
      if (end) {
        this.done(end);
        return;
      }
    } while (performance.now() < until);
    setImmediate(() => this.slice());
  }

  private next(): ResumeEnd | undefined {
    if (this.interrupted) return { kind: 'interrupt' };
    if (this.resume.kind === 'reverse-step' || this.resume.kind === 'reverse-continue') return this.goBack(this.resume);
    if (this.resume.kind !== 'continue') {
      const ref = this.resume.core;
      const core = this.session.core(ref);
      if (core.isRunnable) return this.runCore(ref);
      // A sleeping core goes on once the scheduler has run the cluster to its wake-up;
      // a core that will never run again is reported where it is.
      if (core.status !== 'sleeping') return { kind: 'step', core: ref };
    }
    const stop = this.session.continueFor(1, this.nodes);
    if (stop) return stop;
    return this.processes.collectExits(false, this.nodes) ? { kind: 'process-exit' } : undefined;
  }

  /**
   * Going back runs in one piece (a re-run from the snapshot before the target). Without
   * history to go back in, gdb hears it is at the start of it, and why.
   */
  private goBack(resume: Extract<Resume, { kind: 'reverse-step' | 'reverse-continue' }>): ResumeEnd {
    try {
      return resume.kind === 'reverse-step' ? this.session.reverseStep(resume.core, 1) : this.session.reverseContinue();
    } catch (error) {
      if (!(error instanceof DebugError)) throw error;
      this.notice(`clustervm: ${error.message}\n`);
      return { kind: 'history-start', core: resume.kind === 'reverse-step' ? resume.core : undefined };
    }
  }

  private runCore(ref: CoreRef): ResumeEnd | undefined {
    if (this.resume.kind === 'step') {
      const others = this.resume.others;
      return others === 'none' ? this.session.stepCore(ref, 1) : this.session.stepInOrder(ref, 1, others);
    }
    const stop = this.session.stepCore(ref, CORE_CHUNK);
    return stop.kind === 'step' ? undefined : stop;
  }
}
