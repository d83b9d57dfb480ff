import type { CoreRef, DebugSession, StopReason } from '../session.js';
import type { ProcessTable } from './processes.js';

/**
 * What gdb asked for: the cluster runs, one core steps one instruction, or one core
 * runs alone (gdb's software single-step on SPARC continues just the stepping thread
 * over a breakpoint at its npc, and must not see another core stop there).
 */
export type Resume =
  | { readonly kind: 'continue' }
  | { readonly kind: 'step'; readonly core: CoreRef }
  | { readonly kind: 'run-core'; readonly core: CoreRef };

/** How a resume ended: the session stopped, or a node's cores all finished. */
export type ResumeEnd = StopReason | { readonly kind: 'process-exit' };

/** Long enough to amortise the setup, short enough that Ctrl-C feels immediate. */
const SLICE_MS = 20;

/** Instructions a lone core runs per call: stepCore runs them one at a time. */
const CORE_CHUNK = 1000;

/**
 * Runs a resume in slices, yielding to the event loop between slices so the socket is
 * read and a Ctrl-C can stop the run; the run keeps its own interrupt flag, since a
 * lone core's run never goes through the session's continue.
 */
export class ResumeRun {
  private interrupted = false;
  private cancelled = false;

  constructor(
    private readonly session: DebugSession,
    private readonly processes: ProcessTable,
    private readonly resume: Resume,
    private readonly done: (end: ResumeEnd) => void,
  ) {}

  start(): void {
    this.slice();
  }

  interrupt(): void {
    this.interrupted = true;
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
      if (end) {
        this.done(end);
        return;
      }
    } while (performance.now() < until);
    setImmediate(() => this.slice());
  }

  private next(): ResumeEnd | undefined {
    if (this.interrupted) return { kind: 'interrupt' };
    if (this.resume.kind !== 'continue') {
      const ref = this.resume.core;
      const core = this.session.core(ref);
      if (core.isRunnable) return this.runCore(ref);
      // A sleeping core goes on once the scheduler has run the cluster to its wake-up;
      // a core that will never run again is reported where it is.
      if (core.status !== 'sleeping') return { kind: 'step', core: ref };
    }
    const stop = this.session.continueFor(1);
    if (stop) return stop;
    return this.processes.collectExits(false) ? { kind: 'process-exit' } : undefined;
  }

  private runCore(ref: CoreRef): ResumeEnd | undefined {
    if (this.resume.kind === 'step') return this.session.stepCore(ref, 1);
    const stop = this.session.stepCore(ref, CORE_CHUNK);
    return stop.kind === 'step' ? undefined : stop;
  }
}
