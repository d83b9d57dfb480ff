// A link policy picks f's implementation by the node's load at every quantum boundary:
// f.seq while most cores are busy, f.lwp once at least half of them are idle. Core 0
// calls f in a long loop; cores 1-3 only spin, 256 * core iterations, and exit one after
// the other. The policy proposes the switch when core 2 exits (2 of 4 cores left
// runnable); the node's cores agree on it by two-phase commit, so the binding changes
// at the decision, a few hundred virtual ns later, and core 0's calls split there.

import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../../linker/index.js';
import { counters, expectSwitchedAfter, type CoreCounters } from '../support/behaviour-counters.js';
import { boot, ImageDir, ISAS } from '../support/behaviour-image.js';
import { counterImpl, counterMain, RECORD_FIELDS, spinMain } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const LOOPS = 400;
const CORES = 4;

describe.concurrent.each(ISAS)('%s: policy f busy=f.seq idle=f.lwp', (isa: IsaName) => {
  it('calls f.seq while the other cores are busy and f.lwp after they exit', async () => {
    const path = dir.write(`policy-${isa}`, {
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
    const { cluster } = await boot(path);
    try {
      const linker = cluster.node(0).linker;
      const fSeq = linker.plan.modules.find((m) => m.name === 'f.seq')!.exports.get('f')!;
      expect(linker.binding('f').provider).toBe('f.seq');
      let provider = 'f.seq';
      const switches: { rounds: number; statuses: string[]; snapshot: CoreCounters[] }[] = [];
      let idleFrom: number | undefined;

      cluster.run({
        quantum: 50,
        onRound: ({ rounds }) => {
          // The kernel's policy ran at this boundary just before onRound; nothing ran since.
          const cores = cluster.node(0).cores;
          const runnable = cores.filter((core) => core.isRunnable).length;
          const wanted = runnable * 2 <= CORES ? 'f.lwp' : 'f.seq';
          const now = linker.binding('f').provider!;
          if (wanted === 'f.lwp') idleFrom ??= rounds;
          if (now !== provider) {
            switches.push({ rounds, statuses: cores.map((core) => core.status), snapshot: counters(cluster) });
            provider = now;
          }
        },
      });

      // One switch, decided by agreement after core 2 had exited: never before the load
      // asked for it, and within the rounds the two-phase commit's messages take (a
      // proposal and a vote of CORE_MESSAGE_NS each, ~300 ns: 6 to 8 rounds of 50-ns quanta).
      expect(switches).toHaveLength(1);
      expect(switches[0]!.statuses.slice(1, 3)).toEqual(['exited', 'exited']);
      expect(idleFrom).toBeDefined();
      expect(switches[0]!.rounds).toBeGreaterThan(idleFrom!);
      expect(switches[0]!.rounds - idleFrom!).toBeLessThanOrEqual(10);
      const atSwitch = switches[0]!.snapshot[0]!;
      const final = counters(cluster)[0]!;
      expectSwitchedAfter(atSwitch, final, fSeq, isa, LOOPS);
      expect(final.seq).toBeGreaterThan(0);
      expect(final.lwp).toBeGreaterThan(0);
      expect(final.seq + final.lwp).toBe(LOOPS);
      expect(linker.binding('f').provider).toBe('f.lwp');
      // Only core 0 calls f, and the mediator counted each of its calls.
      expect(linker.calls()).toEqual([{ caller: 'main', symbol: 'f', calls: LOOPS }]);
    } finally {
      cluster.close();
    }
  });
});
