// A call to a symbol no module exports goes through the fail-safe entry; the kernel finds
// nothing to link and faults the calling core, naming the symbol, the caller and the call
// site. The node's other cores run another program and finish their work.

import { afterAll, describe, expect, it } from 'vitest';
import { PROGRAM_BASE } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { boot, hex, ImageDir, ISAS, load } from '../support/behaviour-image.js';
import { fooModule, missingMain, sumMain } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const WORKER_CALLS = 30;

describe.concurrent.each(ISAS)('%s: calling a symbol nobody exports', (isa: IsaName) => {
  it('faults the caller with the unresolved-symbol report; the other cores exit 0', async () => {
    const path = dir.write(`missing-${isa}`, {
      isa, cores: 4,
      programs: [
        { name: 'main', source: missingMain(isa), cores: [0] },
        { name: 'worker', source: sumMain(isa, WORKER_CALLS), cores: [1, 2, 3] },
      ],
      modules: [{ name: 'foo', source: fooModule(isa) }],
    });

    // The call site, from the program's label and from the linker's reference list.
    const main = (await load(path)).nodes[0]!.link.modules[0]!;
    expect(main.name).toBe('main');
    expect(main.address).toBe(PROGRAM_BASE);
    const site = main.labels.get('call_site')!;
    expect(site).toBeGreaterThan(PROGRAM_BASE);
    expect(main.references.map((r) => [r.symbol, r.site])).toEqual([['missing', site]]);

    const { cluster } = await boot(path);
    try {
      const linker = cluster.node(0).linker;
      expect(linker.binding('missing')).toMatchObject({ open: true, intensity: 'failsafe', provider: undefined });
      const [caller, ...workers] = cluster.run({ quantum: 100 });

      expect(caller!.status).toBe('faulted');
      expect(caller!.fault!.reason).toBe(`unresolved symbol missing called from main at pc ${hex(site)}`);
      expect(caller!.faults).toBe(1);
      // It reported 42 before the call, and never returned from it.
      expect(caller!.result).toBe('42');
      expect(caller!.exitStatus).toBeNull();
      // The fault stops the core in the mediator's fail-safe code (the exact pc: below).
      const failsafe = linker.plan.mediator.failsafeEntry;
      expect(caller!.fault!.pc).toBeGreaterThanOrEqual(failsafe);
      expect(caller!.fault!.pc).toBeLessThan(linker.plan.mediator.address + linker.plan.mediator.bytes.length);

      const sum = String((WORKER_CALLS * (WORKER_CALLS + 1)) / 2);
      for (const worker of workers) {
        expect([worker.status, worker.exitStatus, worker.result, worker.faults]).toEqual(['exited', 0, sum, 0]);
      }
      // Nothing was linked for the missing symbol.
      expect(linker.binding('missing')).toMatchObject({ open: true, provider: undefined });
    } finally {
      cluster.close();
    }
  });

  // The report names the faulting instruction: the fail-safe entry's trap (`int 0x81`,
  // `ta 0x11`), although Unicorn reports the pc after an x86 `int`.
  const x86 = isa.startsWith('x86');
  it('reports the fail-safe trap instruction as the faulting pc', async () => {
    const path = dir.write(`missing-pc-${isa}`, { isa, cores: 1, programs: [{ name: 'main', source: missingMain(isa) }] });
    const { cluster } = await boot(path);
    try {
      const [caller] = cluster.run({ quantum: 100 });
      expect(caller!.status).toBe('faulted');
      expect(caller!.fault!.pc).toBe(cluster.node(0).linker.plan.mediator.failsafeEntry);
      expect(caller!.fault!.instruction).toMatch(x86 ? /^int 0x81$/ : /^ta %icc, %g0 \+ 0x11$/);
    } finally {
      cluster.close();
    }
  });
});
