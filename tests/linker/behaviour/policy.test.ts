// A link policy picks f's implementation by the node's load at its epochs (every
// POLICY_EPOCH_NS of virtual time, with the node's cores held there): f.seq while most
// cores are busy, f.lwp once at least half of them are idle. Core 0 calls f in a long
// loop; cores 1-3 only spin, 256 * core iterations, and exit one after the other. The
// first epoch after core 2 exits (2 of 4 cores left runnable) proposes the switch; the
// node's cores agree on it by two-phase commit, so the binding changes at the decision,
// two CORE_MESSAGE_NS later, and core 0's calls split there: at the same point of its
// execution whatever the quantum.

import { afterAll, describe, expect, it } from 'vitest';
import { CORE_MESSAGE_NS, POLICY_EPOCH_NS } from '../../../guest-kernel/index.js';
import type { IsaName } from '../../../isa/index.js';
import { counters, expectSwitchedAfter, type CoreCounters } from '../support/behaviour-counters.js';
import { boot, ImageDir, ISAS } from '../support/behaviour-image.js';
import { counterImpl, counterMain, RECORD_FIELDS, spinMain } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const LOOPS = 2000;
const CORES = 4;

async function runPolicy(path: string, quantum: number) {
  const { cluster } = await boot(path);
  try {
    const linker = cluster.node(0).linker;
    const fSeq = linker.plan.modules.find((m) => m.name === 'f.seq')!.exports.get('f')!;
    expect(linker.binding('f').provider).toBe('f.seq');
    let provider = 'f.seq';
    const switches: { statuses: string[]; core0Ns: number; snapshot: CoreCounters[] }[] = [];
    const summaries = cluster.run({
      quantum,
      onRound: () => {
        const now = linker.binding('f').provider!;
        if (now === provider) return;
        const cores = cluster.node(0).cores;
        switches.push({ statuses: cores.map((core) => core.status), core0Ns: cores[0]!.clock.ns, snapshot: counters(cluster) });
        provider = now;
      },
    });
    return { switches, final: counters(cluster)[0]!, fSeq, summaries, provider: linker.binding('f').provider, calls: linker.calls() };
  } finally {
    cluster.close();
  }
}

describe.concurrent.each(ISAS)('%s: policy f busy=f.seq idle=f.lwp', (isa: IsaName) => {
  const path = () => dir.write(`policy-${isa}`, {
    isa, cores: CORES,
    programs: [
      { name: 'main', source: counterMain(isa, LOOPS), cores: [0] },
      { name: 'spin', source: spinMain(isa), cores: [1, 2, 3] },
    ],
    modules: [
      { name: 'f.seq', source: counterImpl(isa, RECORD_FIELDS.seq) },
      { name: 'f.lwp', source: counterImpl(isa, RECORD_FIELDS.lwp) },
    ],
    bindings: { f: 'weak' },
    policies: [{ symbol: 'f', busy: 'f.seq', idle: 'f.lwp' }],
  });

  it('calls f.seq while the other cores are busy and f.lwp after they exit', async () => {
    const run = await runPolicy(path(), 50);
    // One switch, after core 2 had exited, decided two messages after the first epoch
    // past core 2's exit; core 0 was held there and has run one quantum since.
    expect(run.switches).toHaveLength(1);
    const [atSwitch] = run.switches;
    expect(atSwitch!.statuses.slice(1, 3)).toEqual(['exited', 'exited']);
    const exitNs = run.summaries.find((core) => core.core === 2)!.virtualNs;
    const decisionNs = Math.ceil(exitNs / POLICY_EPOCH_NS) * POLICY_EPOCH_NS + 2 * CORE_MESSAGE_NS;
    expect(atSwitch!.core0Ns).toBeGreaterThanOrEqual(decisionNs);
    expect(atSwitch!.core0Ns).toBeLessThan(decisionNs + POLICY_EPOCH_NS);
    expectSwitchedAfter(atSwitch!.snapshot[0]!, run.final, run.fSeq, isa, LOOPS);
    expect(run.final.seq).toBeGreaterThan(0);
    expect(run.final.lwp).toBeGreaterThan(0);
    expect(run.final.seq + run.final.lwp).toBe(LOOPS);
    expect(run.provider).toBe('f.lwp');
    // Only core 0 calls f, and the mediator counted each of its calls.
    expect(run.calls).toEqual([{ caller: 'main', symbol: 'f', calls: LOOPS }]);
  });

  it('splits the calls of f at the same point at every quantum', async () => {
    const runs: Awaited<ReturnType<typeof runPolicy>>[] = [];
    for (const quantum of [7, 50, 1000, 100_000]) runs.push(await runPolicy(path(), quantum));
    const outcome = (run: (typeof runs)[number]) => ({
      seq: run.final.seq, lwp: run.final.lwp,
      cores: run.summaries.map((core) => [core.status, core.instructions, core.virtualNs, core.result]),
    });
    for (const run of runs.slice(1)) expect(outcome(run)).toEqual(outcome(runs[0]!));
  });
});
