import type { KernelTimer } from '../../guest-kernel/index.js';
import type { Core } from './core.js';
import type { EventQueue } from './event-queue.js';

export type ClusterEvent =
  | { readonly kind: 'wake'; readonly core: Core }
  /** Kernel work at a point in virtual time: a commit-token request, a wake after a commit. */
  | { readonly kind: 'kernel'; readonly timer: KernelTimer };

export interface SchedulerProgress {
  readonly rounds: number;
  readonly instructions: number;
}

/** What one scheduler step did: ran a core's quantum, closed a round, or found nothing left to run. */
export type SchedulerStep =
  | { readonly kind: 'quantum'; readonly core: Core }
  | { readonly kind: 'stepped'; readonly core: Core }
  | { readonly kind: 'round' }
  /** Only cores a debugger keeps stopped could run: the ones it resumed all wait on them. */
  | { readonly kind: 'blocked' }
  | { readonly kind: 'done' };

/** Where a scheduler stands: a snapshot keeps it, so a restored run goes on in the same order. */
export interface SchedulerState {
  readonly cursor: number;
  readonly rounds: number;
  readonly instructions: number;
  readonly ranThisRound: boolean;
  /** null for none yet (JSON has no Infinity). */
  readonly minRunnableNs: number | null;
  /** The core (index in schedule order) whose cut quantum resumes first. */
  readonly cut: { readonly core: number; readonly remaining: number } | null;
}

/** A cut turn whose quantum is spent at a block start is over, as a budget stop there would end it. */
function goesOn(cut: { readonly core: Core; readonly remaining: number }): boolean {
  return cut.core.isRunnable && !(cut.remaining <= 0 && cut.core.resumesAtBlockStart);
}

/** The cores a debugger lets run (gdb resuming one process while the others stay stopped). */
export type CoreFilter = (core: Core) => boolean;

/**
 * Deterministic round-robin: every runnable core, in node and core order, runs one
 * quantum per round. After a round, events up to the earliest virtual time among the
 * runnable cores are delivered; when no core can run, time jumps to the next event.
 * A debugger drives it one step at a time; `runToEnd` runs it out.
 */
export class Scheduler {
  private cursor = 0;
  private rounds = 0;
  private instructions = 0;
  private ranThisRound = false;
  private minRunnableNs = Infinity;
  /**
   * A quantum a debugger stop cut short: the core and the instructions its quantum had
   * left. The next step resumes it before any other core runs, so a run with stops
   * interleaves the cores exactly as a run without them.
   */
  private cut: { readonly core: Core; remaining: number } | undefined;

  /**
   * `holdNs` names, per node, a virtual time its cores must not run past until the event
   * there ran (the kernel's policy epochs and re-link decisions): each core runs up to
   * the first instruction boundary at or past it, then waits for the others.
   */
  constructor(private readonly cores: readonly Core[], private readonly events: EventQueue<ClusterEvent>,
              private readonly fire: (timer: KernelTimer) => void,
              private readonly onRound?: (progress: SchedulerProgress) => void,
              private readonly holdNs: (nodeId: number) => number | undefined = () => undefined,
              private readonly beforeQuantum?: (core: Core) => void) {}

  saveState(): SchedulerState {
    return {
      cursor: this.cursor, rounds: this.rounds, instructions: this.instructions, ranThisRound: this.ranThisRound,
      minRunnableNs: Number.isFinite(this.minRunnableNs) ? this.minRunnableNs : null,
      cut: this.cut ? { core: this.cores.indexOf(this.cut.core), remaining: this.cut.remaining } : null,
    };
  }

  loadState(state: SchedulerState): void {
    this.cursor = state.cursor;
    this.rounds = state.rounds;
    this.instructions = state.instructions;
    this.ranThisRound = state.ranThisRound;
    this.minRunnableNs = state.minRunnableNs ?? Infinity;
    this.cut = state.cut ? { core: this.cores[state.cut.core]!, remaining: state.cut.remaining } : undefined;
  }

  /** The core whose turn a stop or a step cut, which the next step resumes. */
  get cutCore(): Core | undefined {
    return this.cut?.core;
  }

  get progress(): SchedulerProgress {
    return { rounds: this.rounds, instructions: this.instructions };
  }

  /**
   * Runs the next runnable core's quantum of `quantum` instructions, or closes the round.
   * With `stepping`, that core's turn, when it comes, runs one instruction (`stepped`)
   * and the turn goes on at the next step: a debugger's step in schedule order. With
   * `only`, the other cores are passed over and do not hold back virtual time; a turn
   * a stop cut waits, if its core is not let run, until it is.
   */
  step(quantum: number, stepping?: Core, only?: CoreFilter): SchedulerStep {
    const cut = this.cut;
    if (cut && (!only || only(cut.core))) {
      this.cut = undefined;
      if (goesOn(cut)) {
        return cut.core === stepping ? this.runStep(cut.core, cut.remaining) : this.runTurn(cut.core, cut.remaining);
      }
      // A debugger stepped the core out of its turn (into a sleep, an exit) or to its end.
      this.endTurn(cut.core);
    }
    while (this.cursor < this.cores.length) {
      const core = this.cores[this.cursor++]!;
      if (!core.isRunnable || core === this.cut?.core || (only && !only(core))) continue;
      const budget = this.budget(core, quantum);
      if (budget === 0) {
        // Held: it counts for the horizon, so the event it waits for comes once the others caught up.
        this.minRunnableNs = Math.min(this.minRunnableNs, core.clock.ns);
        continue;
      }
      this.beforeQuantum?.(core);
      return core === stepping ? this.runStep(core, budget) : this.runTurn(core, budget);
    }
    return this.closeRound(only);
  }

  private runStep(core: Core, budget: number): SchedulerStep {
    const retired = core.step();
    this.instructions += retired;
    this.ranThisRound = true;
    if (core.isRunnable) this.cut = { core, remaining: budget - retired };
    else this.endTurn(core);
    return { kind: 'stepped', core };
  }

  /**
   * Whether the next step resumes this core's cut turn: a debugger stepping it alone
   * then runs what that turn would have run, and changes nothing of the run.
   */
  turnGoesOn(core: Core): boolean {
    return this.cut?.core === core && goesOn(this.cut);
  }

  /**
   * A debugger ran `count` instructions of the core whose quantum a stop cut (its
   * step): they come out of what the quantum has left, and count as the run's.
   */
  consumed(core: Core, count: number): void {
    if (this.cut?.core !== core) return;
    this.cut.remaining -= count;
    this.instructions += count;
  }

  private runTurn(core: Core, budget: number): SchedulerStep {
    const retired = core.runQuantum(budget);
    this.instructions += retired;
    this.ranThisRound = true;
    if (core.debugStop && core.isRunnable) this.cut = { core, remaining: budget - retired };
    else this.endTurn(core);
    return { kind: 'quantum', core };
  }

  private endTurn(core: Core): void {
    if (core.status === 'sleeping' && Number.isFinite(core.wakeTimeNs)) this.events.push(core.wakeTimeNs, { kind: 'wake', core });
    else if (core.isRunnable) this.minRunnableNs = Math.min(this.minRunnableNs, core.clock.ns);
  }

  /** Instructions the core may run now: the quantum, cut at its node's hold point (0: held there). */
  private budget(core: Core, quantum: number): number {
    const hold = this.holdNs(core.nodeId);
    if (hold === undefined) return quantum;
    const cycles = Math.ceil(((hold - core.clock.ns) * core.clock.hz) / 1e9);
    return cycles <= 0 ? 0 : Math.min(quantum, cycles);
  }

  private closeRound(only: CoreFilter | undefined): SchedulerStep {
    this.rounds++;
    this.onRound?.(this.progress);
    const ran = this.ranThisRound;
    const horizon = this.minRunnableNs === Infinity ? this.events.peekTime() : this.minRunnableNs;
    this.cursor = 0;
    this.ranThisRound = false;
    this.minRunnableNs = Infinity;
    if (!ran && this.events.size === 0) {
      const heldBack = only !== undefined && this.cores.some((core) => !only(core) && (core.isRunnable || core.status === 'sleeping'));
      return { kind: heldBack ? 'blocked' : 'done' };
    }
    while (horizon !== undefined && this.events.size > 0 && this.events.peekTime()! <= horizon) {
      const event = this.events.pop()!;
      if (event.payload.kind === 'wake') event.payload.core.wake(event.timeNs);
      else this.fire(event.payload.timer);
    }
    return { kind: 'round' };
  }

  runToEnd(quantum: number): void {
    while (this.step(quantum).kind !== 'done');
  }
}
