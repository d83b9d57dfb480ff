import type { Core } from './core.js';
import type { EventQueue } from './event-queue.js';

export type ClusterEvent =
  | { readonly kind: 'wake'; readonly core: Core }
  /** Kernel work at a point in virtual time: a commit-token request, a wake after a commit. */
  | { readonly kind: 'kernel'; readonly action: () => void };

export interface SchedulerProgress {
  readonly rounds: number;
  readonly instructions: number;
}

/**
 * Deterministic round-robin: every runnable core, in node and core order, runs one
 * quantum per round. After a round, events up to the earliest virtual time among the
 * runnable cores are delivered; when no core can run, time jumps to the next event.
 */
export function runRoundRobin(cores: readonly Core[], events: EventQueue<ClusterEvent>, quantum: number,
                              onRound?: (progress: SchedulerProgress) => void): void {
  let rounds = 0;
  let instructions = 0;
  for (;;) {
    let minRunnableNs = Infinity;
    let ran = false;
    for (const core of cores) {
      if (!core.isRunnable) continue;
      instructions += core.runQuantum(quantum);
      ran = true;
      if (core.status === 'sleeping' && Number.isFinite(core.wakeTimeNs)) events.push(core.wakeTimeNs, { kind: 'wake', core });
      else if (core.isRunnable) minRunnableNs = Math.min(minRunnableNs, core.clock.ns);
    }
    rounds++;
    onRound?.({ rounds, instructions });
    if (!ran && events.size === 0) return;
    const horizon = minRunnableNs === Infinity ? events.peekTime() : minRunnableNs;
    while (horizon !== undefined && events.size > 0 && events.peekTime()! <= horizon) {
      const event = events.pop()!;
      if (event.payload.kind === 'wake') event.payload.core.wake(event.timeNs);
      else event.payload.action();
    }
  }
}
