// Unbinding foo while four cores loop calling it: the references open, the next call
// traps to the kernel through the fail-safe entry, the kernel links foo afresh and every
// core finishes with the right sum. A twin run without the unbind is the baseline: the
// core that took the fail-safe path pays exactly the fail-safe linkage and the link's
// cycles, the others pay nothing.

import { afterAll, describe, expect, it } from 'vitest';
import { LINK_RESOLVE_CYCLES } from '../../../guest-kernel/index.js';
import type { ChangeTicket } from '../../../linker/index.js';
import type { IsaName } from '../../../isa/index.js';
import { boot, ImageDir, ISAS } from '../support/behaviour-image.js';
import { FAILSAFE_EXTRA, fooModule, sumMain } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const CALLS = 40;
const CORES = 4;
const QUANTUM = 50;
/** After two rounds each core has run 100 instructions: well inside its 40-call loop (8 to 10 instructions a call). */
const UNBIND_ROUND = 2;

describe.concurrent.each(ISAS)('%s: unbind(foo) while 4 cores call foo', (isa: IsaName) => {
  it('completes with the right sums; the next call links foo afresh through fail-safe', async () => {
    const path = dir.write(`unbind-${isa}`, {
      isa, cores: CORES,
      programs: [{ name: 'main', source: sumMain(isa, CALLS) }],
      modules: [{ name: 'foo', source: fooModule(isa) }],
    });

    const baseline = await boot(path);
    const expected = baseline.cluster.run({ quantum: QUANTUM });
    baseline.cluster.close();

    const { cluster } = await boot(path);
    try {
      const linker = cluster.node(0).linker;
      let unbindTicket: ChangeTicket | undefined;
      let whileOpen: unknown;
      const afterResolve: unknown[] = [];
      const cores = cluster.run({
        quantum: QUANTUM,
        onRound: ({ rounds }) => {
          if (rounds === UNBIND_ROUND) {
            expect(cluster.node(0).cores.map((core) => core.status)).toEqual(['ready', 'ready', 'ready', 'ready']);
            expect(linker.loadCount('foo')).toBe(1);
            unbindTicket = linker.unbind('foo');
            const state = linker.binding('foo');
            whileOpen = { open: state.open, intensity: state.intensity, loaded: linker.isLoaded('foo'), done: unbindTicket.done };
          } else if (rounds === UNBIND_ROUND + 1) {
            // Core 0 ran first in this round and made the next call: the kernel linked foo
            // from its trap (core 0 was running, so that change waited for its quantum to end).
            const state = linker.binding('foo');
            const last = linker.lastChange!;
            afterResolve.push(state.open, state.intensity, linker.loadCount('foo'), last !== unbindTicket, last.done, last.pendingCores);
          }
        },
      });

      expect(whileOpen).toEqual({ open: true, intensity: 'failsafe', loaded: false, done: true });
      expect(afterResolve).toEqual([false, 'immediate', 2, true, true, []]);

      const sum = String((CALLS * (CALLS + 1)) / 2);
      for (const core of cores) {
        expect([core.status, core.exitStatus, core.result]).toEqual(['exited', 0, sum]);
      }
      // Only core 0 went through the fail-safe entry: one more trap, the stub and the
      // fail-safe entry's instructions, and the kernel's cycles for the link.
      const [first, ...others] = cores;
      const [firstBaseline, ...othersBaseline] = expected;
      expect(first!.traps).toBe(firstBaseline!.traps + 1);
      expect(first!.instructions).toBe(firstBaseline!.instructions + FAILSAFE_EXTRA[isa]);
      expect(first!.cycles).toBe(firstBaseline!.cycles + FAILSAFE_EXTRA[isa] + LINK_RESOLVE_CYCLES);
      others.forEach((core, i) => {
        expect([core.traps, core.instructions, core.cycles]).toEqual(
          [othersBaseline[i]!.traps, othersBaseline[i]!.instructions, othersBaseline[i]!.cycles]);
      });

      expect(linker.loadCount('foo')).toBe(2);
      expect(linker.isLoaded('foo')).toBe(true);
      expect(linker.binding('foo')).toMatchObject({ open: false, intensity: 'immediate', provider: 'foo' });
    } finally {
      cluster.close();
    }
  });
});
