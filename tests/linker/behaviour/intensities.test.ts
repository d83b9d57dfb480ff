// One program (main calls foo(i) = i + 1 for i < n and reports the sum) under every binding
// intensity, on the four ISAs: the result never changes, only the instructions each call
// costs, and those are exact (they follow from the loop and the linkage code, see
// LOOP_BODY, WEAK_EXTRA and FAILSAFE_EXTRA in the programs helper).

import { afterAll, describe, expect, it } from 'vitest';
import { LINK_RESOLVE_CYCLES } from '../../../guest-kernel/index.js';
import { encoderFor, linkReport, type Intensity } from '../../../linker/index.js';
import { type IsaName } from '../../../isa/index.js';
import { boot, ImageDir, ISAS, type ImageBinding } from '../support/behaviour-image.js';
import { FAILSAFE_EXTRA, fooModule, LOOP_BODY, sumMain, WEAK_EXTRA } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const SHORT = 20;
const LONG = 60;
const sum = (n: number) => String((n * (n + 1)) / 2);

interface Outcome {
  readonly instructions: number;
  readonly cycles: number;
  readonly traps: number;
  readonly result: string | null;
  readonly status: string;
  readonly exitStatus: number | null;
  readonly calls: readonly { caller: string; symbol: string; calls: number }[];
  readonly binding: { intensity: Intensity; open: boolean; provider: string | undefined };
  readonly loadsBefore: number;
  readonly loadsAfter: number;
  readonly via: string;
}

async function run(isa: IsaName, n: number, binding: ImageBinding, library = false): Promise<Outcome> {
  const path = dir.write(`sum-${isa}`, {
    isa, cores: 1,
    programs: [{ name: 'main', source: sumMain(isa, n) }],
    modules: [{ name: 'foo', source: fooModule(isa), library }],
    bindings: { foo: binding },
  });
  const { cluster } = await boot(path);
  try {
    const linker = cluster.node(0).linker;
    const loadsBefore = linker.loadCount('foo');
    const via = linkReport(linker, encoderFor(isa)).symbols.find((s) => s.symbol === 'foo')!.via;
    const [core] = cluster.run({ quantum: 1000 });
    const state = linker.binding('foo');
    return {
      instructions: core!.instructions, cycles: core!.cycles, traps: core!.traps, result: core!.result,
      status: core!.status, exitStatus: core!.exitStatus, calls: linker.calls(),
      binding: { intensity: state.intensity, open: state.open, provider: state.provider },
      loadsBefore, loadsAfter: linker.loadCount('foo'), via,
    };
  } finally {
    cluster.close();
  }
}

/** The shortest trampoline each ISA picks for a target a few hundred bytes away. */
const SHORTEST_FORM: Readonly<Record<IsaName, string>> = {
  'x86-32': 'jmp rel32', 'x86-64': 'jmp rel32', sparc32: 'ba,a', sparc64: 'ba,a,pt',
};

describe.concurrent.each(ISAS)('%s: foo under each intensity', (isa) => {
  it('returns the same sum under immediate, mediated, weak and failsafe; costs are exact per call', async () => {
    const intensities = ['immediate', 'mediated', 'weak', 'failsafe'] as const;
    const runs = new Map<string, Outcome>();
    for (const n of [SHORT, LONG]) {
      for (const intensity of intensities) runs.set(`${intensity}/${n}`, await run(isa, n, intensity));
    }
    const at = (intensity: Intensity, n: number) => runs.get(`${intensity}/${n}`)!;

    for (const [key, outcome] of runs) {
      const n = Number(key.split('/')[1]);
      expect(outcome.status, key).toBe('exited');
      expect(outcome.exitStatus, key).toBe(0);
      expect(outcome.result, key).toBe(sum(n));
    }

    for (const n of [SHORT, LONG]) {
      const immediate = at('immediate', n);
      const mediated = at('mediated', n);
      const weak = at('weak', n);
      const failsafe = at('failsafe', n);
      expect(immediate.instructions).toBeLessThan(mediated.instructions);
      expect(mediated.instructions).toBeLessThan(weak.instructions);
      // Mediated: every call also runs the one-instruction trampoline.
      expect(mediated.instructions - immediate.instructions).toBe(n);
      expect(mediated.via).toMatch(new RegExp(`^trampoline 0x[0-9a-f]+ \\(${SHORTEST_FORM[isa]}\\)$`));
      // Weak: stub and mediator on every call.
      expect(weak.instructions - immediate.instructions).toBe(n * WEAK_EXTRA[isa]);
      // Fail-safe: the first call takes the stub and the resolve trap, then foo is bound
      // immediate and every later call is a direct one.
      expect(failsafe.instructions - immediate.instructions).toBe(FAILSAFE_EXTRA[isa]);
      expect(failsafe.traps).toBe(immediate.traps + 1);
      // The kernel charges LINK_RESOLVE_CYCLES for the link, on top of the instructions.
      expect((failsafe.cycles - failsafe.instructions) - (immediate.cycles - immediate.instructions)).toBe(LINK_RESOLVE_CYCLES);
      // Only the weak binding's calls go through the counting mediator.
      expect(weak.calls).toEqual([{ caller: 'main', symbol: 'foo', calls: n }]);
      expect(immediate.calls).toEqual([]);
      expect(mediated.calls).toEqual([]);
      // The fail-safe entry of main -> foo exists but the fail-safe path does not count.
      expect(failsafe.calls).toEqual([{ caller: 'main', symbol: 'foo', calls: 0 }]);
      expect(failsafe.binding).toEqual({ intensity: 'immediate', open: false, provider: 'foo' });
      expect(failsafe.via).toBe('fail-safe entry');
      // foo is resident: linked at boot, and the fail-safe link finds it loaded.
      expect([failsafe.loadsBefore, failsafe.loadsAfter]).toEqual([1, 1]);
    }

    // Per call, immediate costs exactly the loop body the program spells out.
    expect(at('immediate', LONG).instructions - at('immediate', SHORT).instructions).toBe((LONG - SHORT) * LOOP_BODY[isa]);
    for (const intensity of ['mediated', 'weak'] as const) {
      const perCall = (at(intensity, LONG).instructions - at(intensity, SHORT).instructions) / (LONG - SHORT);
      expect(perCall).toBe(LOOP_BODY[isa] + (intensity === 'mediated' ? 1 : WEAK_EXTRA[isa]));
    }
    expect(at('failsafe', LONG).instructions - at('failsafe', SHORT).instructions).toBe((LONG - SHORT) * LOOP_BODY[isa]);
  });

  it('after a fail-safe link, later calls cost what the `resolved` intensity costs', async () => {
    const immediate = await run(isa, SHORT, 'immediate');
    const toMediated = await run(isa, SHORT, { intensity: 'failsafe', resolved: 'mediated' });
    const toWeak = await run(isa, SHORT, { intensity: 'failsafe', resolved: 'weak' });
    for (const outcome of [toMediated, toWeak]) {
      expect(outcome.result).toBe(sum(SHORT));
      expect(outcome.traps).toBe(immediate.traps + 1);
    }
    // The first call leaves the fail-safe path through the table, straight to foo; the
    // other SHORT - 1 calls take the resolved binding.
    expect(toMediated.instructions - immediate.instructions).toBe(FAILSAFE_EXTRA[isa] + (SHORT - 1));
    expect(toMediated.binding).toEqual({ intensity: 'mediated', open: false, provider: 'foo' });
    expect(toWeak.instructions - immediate.instructions).toBe(FAILSAFE_EXTRA[isa] + (SHORT - 1) * WEAK_EXTRA[isa]);
    expect(toWeak.binding).toEqual({ intensity: 'weak', open: false, provider: 'foo' });
    // The fail-safe stub and the weak stub share main's table entry: the mediator counts
    // the weak calls and the kernel the call that trapped, so every call is counted.
    expect(toWeak.calls).toEqual([{ caller: 'main', symbol: 'foo', calls: SHORT }]);
  });

  it('links a library module on its first call, once', async () => {
    const immediate = await run(isa, SHORT, 'immediate');
    const library = await run(isa, SHORT, 'failsafe', true);
    expect(library.result).toBe(sum(SHORT));
    expect([library.loadsBefore, library.loadsAfter]).toEqual([0, 1]);
    expect(library.instructions - immediate.instructions).toBe(FAILSAFE_EXTRA[isa]);
    expect(library.binding).toEqual({ intensity: 'immediate', open: false, provider: 'foo' });
  });
});
