// Two-phase commit among the 8 replicas of an 8-core node's binding table. All cores
// loop calling f (bound to f.seq); from a quantum boundary the test proposes f -> f.lwp
// with relinkByAgreement. With one replica pinned on f, that replica votes no: the
// change is aborted, no replica's table changes, the linker keeps f.seq, no code is
// patched and every call still reaches f.seq. Without the pin the change commits and
// every replica holds f.lwp.

import { afterAll, describe, expect, it } from 'vitest';
import { CORE_MESSAGE_NS } from '../../guest-kernel/agreement/two-phase-commit.js';
import type { IsaName } from '../../isa/index.js';
import { CHANGE, CORES, LOOPS, runAgreement, tables, writeCounterImage, type AgreementRun } from './support/agreement-run.js';
import { ChanDir } from './support/chan-image.js';

const dir = new ChanDir();
afterAll(() => dir.remove());

const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
const PINNED = 5;

function expectExited(run: AgreementRun): void {
  for (const s of run.summaries) expect([s.status, s.exitStatus, s.faults], `n${s.node}.c${s.core}`).toEqual(['exited', 0, 0]);
}

/** Within a node, votes come back one message each way after the proposal; acknowledgements likewise after the decision. */
function expectTiming(run: AgreementRun): void {
  expect(run.outcome.decidedNs).toBe(run.proposal.atNs + 2 * CORE_MESSAGE_NS);
  expect(run.outcome.doneNs).toBe(run.outcome.decidedNs + 2 * CORE_MESSAGE_NS);
  // The cores were still looping when done() ran: the outcome is observed mid-run.
  for (const c of run.afterDone) expect(c.calls, `core ${c.core} after done`).toBeLessThan(LOOPS);
}

describe.concurrent.each(ISAS)('%s node of 8 cores: relinkByAgreement(f -> f.lwp)', (isa) => {
  it(`a replica pinned on f (core ${PINNED}) votes no: aborted, nothing changes`, async () => {
    const path = writeCounterImage(dir, isa);
    const run = await runAgreement(path, (cluster) => cluster.kernel.replica(0, PINNED).pinned.add(CHANGE.symbol));
    const { cluster } = run;
    try {
      expectExited(run);
      expect(run.outcome.committed).toBe(false);
      expect([...run.outcome.votes].sort((a, b) => a.core - b.core))
        .toEqual(Array.from({ length: CORES }, (_, core) => ({ node: 0, core, yes: core !== PINNED })));
      expectTiming(run);
      // Every replica's table is as it was, and still maps f to f.seq.
      const after = tables(cluster);
      expect(after).toEqual(run.tablesAtProposal);
      for (const table of after) expect(table.get(CHANGE.symbol)).toBe('f.seq');
      expect(cluster.kernel.replica(0, PINNED).pinned.has(CHANGE.symbol)).toBe(true);
      // The linker's binding is unchanged and no code was written.
      const linker = cluster.node(0).linker;
      expect(linker.binding(CHANGE.symbol).provider).toBe('f.seq');
      expect(linker.lastChange).toBe(run.lastChangeAtProposal);
      expect(run.decision, 'f never changed provider').toBeUndefined();
      expect(run.codeAtEnd.equals(run.codeAtProposal), 'code region unchanged').toBe(true);
      // Every call of every core reached f.seq, before and after the abort.
      for (const c of run.final) expect([c.calls, c.seq, c.lwp], `core ${c.core}`).toEqual([LOOPS, LOOPS, 0]);
    } finally {
      cluster.close();
    }
  });

  it('no replica pinned: committed, every replica holds f.lwp', async () => {
    const path = writeCounterImage(dir, isa);
    const run = await runAgreement(path);
    const { cluster } = run;
    try {
      expectExited(run);
      expect(run.outcome.committed).toBe(true);
      expect([...run.outcome.votes].sort((a, b) => a.core - b.core))
        .toEqual(Array.from({ length: CORES }, (_, core) => ({ node: 0, core, yes: true })));
      expectTiming(run);
      const expected = new Map(run.tablesAtProposal[0]);
      expected.set(CHANGE.symbol, CHANGE.module);
      for (const [core, table] of tables(cluster).entries()) expect(table, `replica ${core}`).toEqual(expected);
      const linker = cluster.node(0).linker;
      expect(linker.binding(CHANGE.symbol).provider).toBe(CHANGE.module);
      expect(linker.lastChange).not.toBe(run.lastChangeAtProposal);
      expect(run.codeAtEnd.equals(run.codeAtProposal), 'the call sites were patched').toBe(false);
      for (const c of run.final) {
        expect(c.calls, `core ${c.core}`).toBe(LOOPS);
        expect(c.seq + c.lwp, `core ${c.core}`).toBe(LOOPS);
        expect(c.lwp, `core ${c.core} reached f.lwp after the commit`).toBeGreaterThan(0);
      }
    } finally {
      cluster.close();
    }
  });
});
