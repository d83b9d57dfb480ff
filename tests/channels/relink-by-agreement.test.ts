// Re-link by agreement while every core of an 8-core node loops calling f. The proposal
// f -> f.lwp goes out from a quantum boundary; the code is patched at the decision. Per
// core, exactly: until the decision every call reached f.seq; after it f.seq only serves
// a call the core had already entered at the decision; once done() reports the commit no
// core executes f.seq at all, and all replicas agree on f.lwp.

import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { expectSwitchedAfter, pendingInSeq } from '../linker/support/behaviour-counters.js';
import { CHANGE, CORES, LOOPS, runAgreement, tables, writeCounterImage } from './support/agreement-run.js';
import { ChanDir } from './support/chan-image.js';

const dir = new ChanDir();
afterAll(() => dir.remove());

const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];

describe.concurrent.each(ISAS)('%s node of 8 cores calling f', (isa) => {
  it('after the committed decision no core executes f.seq; replicas agree', async () => {
    const path = writeCounterImage(dir, isa);
    const run = await runAgreement(path);
    const { cluster } = run;
    try {
      for (const s of run.summaries) expect([s.status, s.exitStatus, s.faults], `n${s.node}.c${s.core}`).toEqual(['exited', 0, 0]);
      expect(run.outcome.committed).toBe(true);
      const linker = cluster.node(0).linker;
      const fSeq = linker.plan.modules.find((m) => m.name === 'f.seq')!.exports.get('f')!;

      // The decision ran between two boundaries, after the proposal's.
      expect(run.decision, 'f switched to f.lwp during the run').toBeDefined();
      const decision = run.decision!;
      expect(decision.round).toBeGreaterThan(run.proposal.round);
      expect(decision.round).toBeLessThanOrEqual(run.doneRound);
      // Until the decision every call reached f.seq, and every core was still looping.
      for (const c of decision.counters) {
        expect(c.lwp, `core ${c.core} at the decision`).toBe(0);
        expect(c.calls, `core ${c.core} at the decision`).toBeLessThan(LOOPS);
        expect(c.status).toBe('ready');
      }
      // The schedule covers both kinds of call in flight: one core has entered f.seq and not
      // counted the call there yet, another has counted a call it has not made yet.
      expect(decision.counters.some((c) => pendingInSeq(c, fSeq, isa)), 'a core inside f.seq at the decision').toBe(true);
      expect(decision.counters.some((c) => !pendingInSeq(c, fSeq, isa) && c.calls - c.seq - c.lwp === 1),
        'a core between its count and its call at the decision').toBe(true);
      // Per core: f.seq grew after the decision only by a call in flight in it then.
      for (let core = 0; core < CORES; core++) {
        expectSwitchedAfter(decision.counters[core]!, run.final[core]!, fSeq, isa, LOOPS);
      }
      // Once done() reported the commit, f.seq ran no more, while cores still called f.
      for (let core = 0; core < CORES; core++) {
        expect(run.final[core]!.seq, `core ${core} after done`).toBe(run.afterDone[core]!.seq);
        expect(run.final[core]!.lwp, `core ${core} after done`).toBeGreaterThan(run.afterDone[core]!.lwp);
      }
      // All replicas agree, on f.lwp, with the linker.
      const all = tables(cluster);
      for (const table of all) expect(table).toEqual(all[0]);
      expect(all[0]!.get(CHANGE.symbol)).toBe(CHANGE.module);
      expect(linker.binding(CHANGE.symbol).provider).toBe(CHANGE.module);
    } finally {
      cluster.close();
    }
  });
});
