import { KernelStateError } from '../../guest-kernel/index.js';
import {
  loadClusterState, MachineStateError, saveClusterState, type Cluster, type ClusterState, type Core, type CoreFilter,
  type Scheduler, type SchedulerStep,
} from '../machine/index.js';

/**
 * Going back in a run.
 *
 * The cluster is deterministic, and a debugger that runs it in schedule order never
 * changes what it computes. So a point of the run is named by how far the scheduler
 * got: its closed rounds and the instructions retired. Two moments with the same pair
 * have nothing run between them, so the same state. Going back restores the latest
 * snapshot (a mark) before the target and runs forward again in schedule order. The
 * guest's output, the trace and the debugger's stops are held back meanwhile, and the
 * run stops at the target.
 *
 * Marks are taken at round boundaries, where no turn is cut, every so many
 * instructions. When there are too many, every other one goes and the spacing doubles.
 *
 * What a debugger does by hand is in no mark: a written register or byte, a core run
 * past its turn, a run of some nodes only. History starts again after it.
 */

/** Where a run stands. */
export interface Position {
  readonly rounds: number;
  readonly instructions: number;
  /** The core (index in the cluster's cores) that retired the last instruction, -1 before any, and its count then. */
  readonly last: number;
  readonly lastCount: number;
  /** Whether that core's turn is cut there: reaching it again means stepping that core to its count. */
  readonly midTurn: boolean;
}

function isBefore(a: Position, b: Position): boolean {
  return a.rounds < b.rounds || (a.rounds === b.rounds && a.instructions < b.instructions);
}

/** The core a step ran, when it stopped at a breakpoint or watchpoint (as `isHit` tells). */
function hitIn(step: SchedulerStep, isHit: (core: Core) => boolean): Core | undefined {
  return (step.kind === 'quantum' || step.kind === 'stepped') && isHit(step.core) ? step.core : undefined;
}

function samePlace(a: Position, b: Position): boolean {
  return a.rounds === b.rounds && a.instructions === b.instructions;
}

interface Mark {
  readonly position: Position;
  /** Every core's instructions retired, to pick the mark a core's step back starts from. */
  readonly counts: readonly number[];
  readonly state: ClusterState;
}

/** How a replay treats the debugger's stops: none at all, or breakpoints and watchpoints only (uncounted). */
export type ReplayMode = 'silent' | 'scan';

export interface TimeTravelHost {
  readonly cluster: Cluster;
  readonly scheduler: Scheduler;
  readonly quantum: number;
  /** Puts the session in a replay mode, or back to live (undefined). */
  replaying(mode: ReplayMode | undefined): void;
}

export class HistoryError extends Error {}

/** Instructions a turn may run past its budget: the fast path ends a quantum at a block start, and a block is at most 512. */
const BLOCK_SLACK = 1024;
/** Bytes of marks kept at most; their number follows from a mark's size. */
const MARK_BYTES = 256 * 1024 * 1024;
const MAX_MARKS = 64;
const MIN_MARKS = 2;

/** Where going back ended: at the target, or at the start of the history kept. */
export type Arrival = 'target' | 'history-start';

export class TimeTravel {
  private marks: Mark[] = [];
  private every: number;
  private readonly maxMarks: number;
  private nextMarkAt = 0;
  private last = -1;
  /** Why the last mark could not be taken, or why history started again. */
  private gap: string | undefined;
  private readonly bookmarks = new Map<number, Position>();
  private nextBookmark = 1;

  constructor(private readonly host: TimeTravelHost, every: number) {
    this.every = every;
    const markBytes = host.cluster.nodes.reduce((sum, node) => sum + node.ram.length, 0)
      + (host.cluster.kernel.dsm ? host.cluster.kernel.dsm.config.bytes * (host.cluster.cores.length + host.cluster.nodes.length) : 0);
    this.maxMarks = Math.max(MIN_MARKS, Math.min(MAX_MARKS, Math.floor(MARK_BYTES / Math.max(1, markBytes))));
    this.takeMark();
  }

  private get cores(): Core[] {
    return this.host.cluster.cores;
  }

  position(): Position {
    const progress = this.host.scheduler.progress;
    const last = this.cores[this.last];
    return {
      rounds: progress.rounds, instructions: progress.instructions, last: this.last, lastCount: last?.instructions ?? 0,
      midTurn: last !== undefined && this.host.scheduler.cutCore === last,
    };
  }

  /** A scheduler step of the live run: a mark is taken at a round boundary when one is due. */
  step(quantum: number, stepping?: Core, only?: CoreFilter): SchedulerStep {
    const step = this.schedule(quantum, stepping, only);
    if (step.kind === 'round' && this.host.scheduler.progress.instructions >= this.nextMarkAt) this.takeMark();
    return step;
  }

  /** A core retired instructions outside a scheduler step, inside its own turn (a debugger stepping it alone). */
  ran(core: Core): void {
    this.last = this.cores.indexOf(core);
  }

  /** The run left schedule order or was changed by hand: no mark leads here any more. */
  forget(why: string): void {
    if (this.marks.length > 0 || this.bookmarks.size > 0) this.gap = `history starts after ${why}`;
    this.marks = [];
    this.bookmarks.clear();
    this.nextMarkAt = 0;
  }

  private takeMark(): void {
    let state: ClusterState;
    try {
      state = saveClusterState(this.host.cluster, this.host.scheduler);
    } catch (error) {
      if (!(error instanceof MachineStateError || error instanceof KernelStateError)) throw error;
      this.gap = `no snapshot could be taken: ${error.message}`;
      return;
    }
    this.marks.push({ position: this.position(), counts: this.cores.map((core) => core.instructions), state });
    if (this.marks.length > this.maxMarks) {
      this.marks = this.marks.filter((_, i) => i % 2 === 0 || i === this.marks.length - 1);
      this.every *= 2;
    }
    this.nextMarkAt = this.host.scheduler.progress.instructions + this.every;
  }

  /** Says why there is no history to go back in, when there is none. */
  private check(): void {
    if (this.marks.length === 0) throw new HistoryError(`no reverse-execution history: ${this.gap ?? 'none kept yet'}`);
  }

  private restore(mark: Mark): void {
    loadClusterState(this.host.cluster, this.host.scheduler, mark.state);
    this.last = mark.position.last;
  }

  /** Runs `body` with the session replaying, live again after it whatever happens. */
  private replay<T>(mode: ReplayMode, body: () => T): T {
    this.host.replaying(mode);
    try {
      return body();
    } finally {
      this.host.replaying(undefined);
    }
  }

  /** A scheduler step, live or replayed, noting the core that retired its instructions. */
  private schedule(quantum: number, stepping?: Core, only?: CoreFilter): SchedulerStep {
    const before = this.host.scheduler.progress.instructions;
    const step = this.host.scheduler.step(quantum, stepping, only);
    if ((step.kind === 'quantum' || step.kind === 'stepped') && this.host.scheduler.progress.instructions > before) {
      this.last = this.cores.indexOf(step.core);
    }
    return step;
  }

  /** The latest mark at or before `position` that `fits`. */
  private markBefore(position: Position, fits: (mark: Mark) => boolean = () => true): Mark | undefined {
    return this.marks[this.lastMarkIndex((mark) => !isBefore(position, mark.position) && fits(mark))];
  }

  private lastMarkIndex(fits: (mark: Mark) => boolean): number {
    let index = this.marks.length - 1;
    while (index >= 0 && !fits(this.marks[index]!)) index--;
    return index;
  }

  private toHistoryStart(): Arrival {
    this.restore(this.marks[0]!);
    return 'history-start';
  }

  /** Goes back to where `core` had retired `count` fewer instructions, or to the start of history. */
  stepBack(core: Core, count: number): Arrival {
    this.check();
    const index = this.cores.indexOf(core);
    const target = core.instructions - count;
    const mark = this.markBefore(this.position(), (m) => m.counts[index]! <= target);
    if (!mark) return this.toHistoryStart();
    this.restore(mark);
    this.replay('silent', () => {
      while (core.instructions < target) {
        const near = core.instructions + this.host.quantum + BLOCK_SLACK >= target;
        if (this.schedule(this.host.quantum, near ? core : undefined).kind === 'done') break;
      }
    });
    if (core.instructions !== target) {
      throw new HistoryError(`going back did not repeat the run: n${core.nodeId}.c${core.coreId} is at instruction ${core.instructions}, not ${target}`);
    }
    return 'target';
  }

  /**
   * Goes back to the last breakpoint or watchpoint hit before now and returns the core
   * stopped there, or goes to the start of history (undefined) when none was hit.
   */
  continueBack(isHit: (core: Core) => boolean): Core | undefined {
    this.check();
    const now = this.position();
    for (let i = this.lastMarkIndex((mark) => isBefore(mark.position, now)); i >= 0; i--) {
      const next = this.marks[i + 1];
      const hits = this.countHits(this.marks[i]!, next && isBefore(next.position, now) ? next.position : now, isHit);
      if (hits > 0) return this.toHit(this.marks[i]!, hits, isHit);
    }
    this.toHistoryStart();
    return undefined;
  }

  /** The hits from a mark on before `end`. */
  private countHits(mark: Mark, end: Position, isHit: (core: Core) => boolean): number {
    this.restore(mark);
    return this.replay('scan', () => {
      let hits = 0;
      for (;;) {
        const step = this.schedule(this.host.quantum);
        if (step.kind === 'done' || !isBefore(this.position(), end)) return hits;
        if (hitIn(step, isHit)) hits++;
      }
    });
  }

  /** Runs from a mark to its `nth` hit, which the cluster is then stopped at; returns the core hit. */
  private toHit(mark: Mark, nth: number, isHit: (core: Core) => boolean): Core {
    this.restore(mark);
    return this.replay('scan', () => {
      for (let hits = 0; ;) {
        const step = this.schedule(this.host.quantum);
        if (step.kind === 'done') throw new HistoryError(`going back did not repeat the run: it ended before hit ${nth}`);
        const hit = hitIn(step, isHit);
        if (hit && ++hits === nth) return hit;
      }
    });
  }

  /** Remembers where the run is now; returns the bookmark's number. */
  bookmark(): number {
    this.check();
    const id = this.nextBookmark++;
    this.bookmarks.set(id, this.position());
    return id;
  }

  bookmarkList(): [number, Position][] {
    return [...this.bookmarks];
  }

  /** Goes to a bookmark, back or forward. */
  goToBookmark(id: number): void {
    const target = this.bookmarks.get(id);
    if (!target) throw new HistoryError(`no checkpoint ${id}${this.gap ? ` (${this.gap})` : ''}`);
    const mark = this.markBefore(target)!;
    this.restore(mark);
    const core = this.cores[target.last];
    this.replay('silent', () => {
      while (isBefore(this.position(), target)) {
        const near = target.midTurn && core !== undefined && core.instructions + this.host.quantum + BLOCK_SLACK >= target.lastCount;
        if (this.schedule(this.host.quantum, near ? core : undefined).kind === 'done') break;
      }
    });
    if (!samePlace(this.position(), target)) {
      throw new HistoryError(`going to checkpoint ${id} did not repeat the run: at round ${this.position().rounds}, `
        + `instruction ${this.position().instructions}, not round ${target.rounds}, instruction ${target.instructions}`);
    }
  }
}
