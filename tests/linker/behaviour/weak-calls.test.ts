// Weak binding: the mediator counts calls per (caller module, symbol) and refuses the
// callers a binding denies. main calls foo MAIN_CALLS times, then helper, a module of its
// own, calls foo HELPER_CALLS times.

import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../../isa/index.js';
import { counters } from '../support/behaviour-counters.js';
import { boot, hex, ImageDir, ISAS, load } from '../support/behaviour-image.js';
import {
  counterImpl, counterMain, fooModule, helperModule, mainWithHelper, RECORD_FIELDS,
} from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const MAIN_CALLS = 13;
const HELPER_CALLS = 5;
const sum = (n: number) => BigInt((n * (n + 1)) / 2);

function image(isa: IsaName, deny?: readonly string[]): string {
  return dir.write(`weak-${isa}${deny ? '-deny' : ''}`, {
    isa, cores: 1,
    programs: [{ name: 'main', source: mainWithHelper(isa, MAIN_CALLS) }],
    modules: [{ name: 'helper', source: helperModule(isa, HELPER_CALLS) }, { name: 'foo', source: fooModule(isa) }],
    bindings: { foo: deny ? { intensity: 'weak', deny } : 'weak' },
  });
}

describe.concurrent.each(ISAS)('%s: weak binding of foo called from main and helper', (isa: IsaName) => {
  it('counts exactly the calls each caller made', async () => {
    const { cluster } = await boot(image(isa));
    try {
      const [core] = cluster.run({ quantum: 1000 });
      expect([core!.status, core!.exitStatus]).toEqual(['exited', 0]);
      // The last report: lo = main's sum, hi = helper's.
      expect(core!.result).toBe(String((sum(HELPER_CALLS) << 32n) | sum(MAIN_CALLS)));
      const calls = cluster.node(0).linker.calls();
      expect(calls).toHaveLength(2);
      expect(calls).toEqual(expect.arrayContaining([
        { caller: 'main', symbol: 'foo', calls: MAIN_CALLS },
        { caller: 'helper', symbol: 'foo', calls: HELPER_CALLS },
      ]));
    } finally {
      cluster.close();
    }
  });

  // The mediator's count is a sequence a quantum may not split: a core stopped inside it
  // finishes it before another core runs, so even one-instruction quanta make progress.
  it('finishes at quanta 1 and 2 with the counts, result and instructions of quantum 1000', async () => {
    const runs = [];
    for (const quantum of [1000, 1, 2]) {
      const { cluster } = await boot(image(isa));
      try {
        const [core] = cluster.run({ quantum });
        runs.push({ status: core!.status, result: core!.result, instructions: core!.instructions,
          calls: [...cluster.node(0).linker.calls()].sort((a, b) => a.caller.localeCompare(b.caller)) });
      } finally {
        cluster.close();
      }
    }
    expect(runs[0]).toMatchObject({ status: 'exited', result: String((sum(HELPER_CALLS) << 32n) | sum(MAIN_CALLS)) });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('deny: [helper] refuses helper\'s first call with the refused report; main\'s calls work', async () => {
    const path = image(isa, ['helper']);
    const helper = (await load(path)).nodes[0]!.link.modules.find((m) => m.name === 'helper')!;
    const site = helper.labels.get('call_site')!;
    expect(helper.references.map((r) => [r.symbol, r.site])).toEqual([['foo', site]]);

    const allowed = await boot(image(isa));
    const [reference] = allowed.cluster.run({ quantum: 1000 });
    allowed.cluster.close();

    const { cluster } = await boot(path);
    try {
      const [core] = cluster.run({ quantum: 1000 });
      expect(core!.status).toBe('faulted');
      expect(core!.fault!.reason).toBe(`call to foo from helper at pc ${hex(site)} refused by the mediator (access restriction)`);
      // main made all its calls and reported their sum before calling helper.
      expect(core!.result).toBe(String(sum(MAIN_CALLS)));
      const calls = cluster.node(0).linker.calls();
      expect(calls).toEqual(expect.arrayContaining([{ caller: 'main', symbol: 'foo', calls: MAIN_CALLS }]));
      // The mediator counts a call before it checks the caller: the refused one counts.
      expect(calls.find((c) => c.caller === 'helper')).toEqual({ caller: 'helper', symbol: 'foo', calls: 1 });
      // Traps: main's report, then the mediator's refusal; never the second report or the
      // exit of the run where helper may call foo.
      expect(reference!.traps).toBe(3);
      expect(core!.traps).toBe(2);
      expect(core!.instructions).toBeLessThan(reference!.instructions);
    } finally {
      cluster.close();
    }
  });

  // The refused report shows the mediator's refusing trap (`int 0x82`, `ta 0x12`). On x86
  // Unicorn reports the pc after `int`, which here is the fail-safe entry's `int 0x81`.
  const x86 = isa.startsWith('x86');
  it('the refused report names the refusing trap instruction', async () => {
    const { cluster } = await boot(image(isa, ['helper']));
    try {
      const [core] = cluster.run({ quantum: 1000 });
      const mediator = cluster.node(0).linker.plan.mediator;
      expect(core!.status).toBe('faulted');
      expect(core!.fault!.instruction).toMatch(x86 ? /^int 0x82$/ : /^ta %icc, %g0 \+ 0x12$/);
      expect(core!.fault!.pc).toBeGreaterThan(mediator.entry);
      expect(core!.fault!.pc).toBeLessThan(mediator.failsafeEntry);
    } finally {
      cluster.close();
    }
  });

  // Four cores share the (main, f) entry. x86 counts with one `inc dword ptr [mem]`; the
  // SPARC mediator counts with ld/add/st, so a core preempted between them must start the
  // increment again or another core's increment is lost (221 of 240 at quantum 5).
  it('counts every call of 4 cores that share one caller module', async () => {
    const LOOPS = 60;
    const path = dir.write(`weak-shared-${isa}`, {
      isa, cores: 4,
      programs: [{ name: 'main', source: counterMain(isa, LOOPS) }],
      modules: [{ name: 'f.seq', source: counterImpl(isa, RECORD_FIELDS.seq) }],
      bindings: { f: 'weak' },
    });
    const { cluster } = await boot(path);
    try {
      const cores = cluster.run({ quantum: 5 });
      for (const core of cores) expect(core.status).toBe('exited');
      // Every call reached f.seq, as the guest's own counters show, and went through the
      // mediator, which must have counted each one.
      for (const c of counters(cluster)) expect([c.calls, c.seq]).toEqual([LOOPS, LOOPS]);
      expect(cluster.node(0).linker.calls()).toEqual([{ caller: 'main', symbol: 'f', calls: 4 * LOOPS }]);
    } finally {
      cluster.close();
    }
  });
});
