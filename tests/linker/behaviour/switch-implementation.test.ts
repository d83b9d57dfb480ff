// Switching f from f.seq to f.lwp while four cores loop through the call. Each core
// counts its calls in USER_DATA before calling f; f.seq and f.lwp count the calls they
// serve. The switch happens at a quantum boundary once all cores are mid-loop, with one
// core inside f.seq before it counted the call there and another between its count and
// its call. A quantum ends at a block start, and on SPARC f.seq's entry is inside its
// caller's block (Unicorn translates on through a static call), so those two cores are
// brought there by single steps, as the debugger steps. Exactly the calls made after
// the switch must reach f.lwp.

import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../emulator/index.js';
import type { ChangeTicket } from '../../../linker/index.js';
import type { IsaName } from '../../../isa/index.js';
import { counters, expectSwitchedAfter, pendingInSeq, type CoreCounters } from '../support/behaviour-counters.js';
import { boot, ImageDir, ISAS } from '../support/behaviour-image.js';
import { counterImpl, counterMain, RECORD_FIELDS } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const LOOPS = 60;
const QUANTUM = 5;
const CORES = 4;
/** More than one round of the loop, from anywhere in it. */
const STEP_LIMIT = 64;

/** Single-steps node 0's core until `reached` holds of its counters; false if it never does. */
function stepUntil(cluster: Cluster, core: number, reached: (counters: CoreCounters) => boolean): boolean {
  const stepped = cluster.node(0).cores[core]!;
  for (let step = 0; step < STEP_LIMIT && !reached(counters(cluster)[core]!); step++) {
    if (!stepped.isRunnable) return false;
    stepped.step();
  }
  return reached(counters(cluster)[core]!);
}

describe.concurrent.each(ISAS)('%s: use(f, f.lwp) while 4 cores call f', (isa: IsaName) => {
  it.each(['mediated', 'immediate', 'weak'] as const)('f bound %s: every call after the switch reaches f.lwp', async (intensity) => {
    const path = dir.write(`switch-${isa}-${intensity}`, {
      isa, cores: CORES,
      programs: [{ name: 'main', source: counterMain(isa, LOOPS) }],
      modules: [
        { name: 'f.seq', source: counterImpl(isa, RECORD_FIELDS.seq) },
        { name: 'f.lwp', source: counterImpl(isa, RECORD_FIELDS.lwp) },
      ],
      bindings: { f: intensity },
    });
    const { cluster } = await boot(path);
    try {
      const linker = cluster.node(0).linker;
      const fSeq = linker.plan.modules.find((m) => m.name === 'f.seq')!.exports.get('f')!;
      const trampolineBefore = linker.binding('f').trampoline;
      let atSwitch: CoreCounters[] | undefined;
      let ticket: ChangeTicket | undefined;
      let ticketAtBoundary: { done: boolean; pendingCores: readonly number[] } | undefined;

      const summaries = cluster.run({
        quantum: QUANTUM,
        onRound: () => {
          if (atSwitch) return;
          const midLoop = counters(cluster).every((c) => c.status === 'ready' && c.calls >= 1 && c.calls < LOOPS - 1);
          if (!midLoop) return;
          const pending = stepUntil(cluster, 0, (c) => pendingInSeq(c, fSeq, isa));
          const countedNotCalled = stepUntil(cluster, 1, (c) => !pendingInSeq(c, fSeq, isa) && c.calls - c.seq - c.lwp === 1);
          if (!pending || !countedNotCalled) return;
          const now = counters(cluster);
          expect(linker.binding('f').provider).toBe('f.seq');
          ticket = linker.use('f', 'f.lwp');
          // No engine runs at a quantum boundary: every core drops its translations now.
          ticketAtBoundary = { done: ticket.done, pendingCores: [...ticket.pendingCores] };
          atSwitch = now;
        },
      });

      expect(atSwitch, 'a round with a core inside f.seq and another between its count and its call').toBeDefined();
      expect(ticketAtBoundary).toEqual({ done: true, pendingCores: [] });
      expect(linker.lastChange).toBe(ticket);
      // Until the switch every call went to f.seq.
      for (const snapshot of atSwitch!) expect(snapshot.lwp).toBe(0);
      const final = counters(cluster);
      for (let core = 0; core < CORES; core++) expectSwitchedAfter(atSwitch![core]!, final[core]!, fSeq, isa, LOOPS);
      for (const summary of summaries) expect([summary.status, summary.exitStatus, summary.faults]).toEqual(['exited', 0, 0]);

      const state = linker.binding('f');
      expect([state.provider, state.intensity, state.open]).toEqual(['f.lwp', intensity, false]);
      // A mediated symbol keeps its trampoline slot; only its target changes.
      expect(state.trampoline).toBe(trampolineBefore);
      if (intensity === 'mediated') expect(state.trampoline).toBeTypeOf('number');
      // Only the weak binding goes through the mediator, which counts (caller, symbol) in
      // one table entry. Its count from four cores is checked in weak-calls.test.ts (the
      // SPARC mediator loses counts there).
      expect(linker.calls().map((c) => [c.caller, c.symbol])).toEqual(intensity === 'weak' ? [['main', 'f']] : []);
    } finally {
      cluster.close();
    }
  });
});
