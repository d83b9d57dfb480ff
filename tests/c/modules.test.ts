// C modules bound by FLink's intensities, as assembly modules are: main.c calls foo(i)
// 1000 times from foo.c; each intensity costs what README "Linking" says per call, in
// exact instruction counts: mediated + 1, weak + 7 (x86) or + 14 (SPARC), fail-safe one
// trap and then the immediate call. Then a running C program is re-linked: while four
// cores call f, the linker switches f from one C implementation to another.
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES, ISAS } from '../../isa/index.js';
import { INTENSITIES, type Intensity } from '../../linker/index.js';
import { RAM_BASE } from '../../emulator/index.js';
import { bootCluster, TempDir, runImage } from '../support/index.js';

const tmp = new TempDir('clustervm-c-modules');
afterAll(() => tmp.cleanup());

const CALLS = 1000;
tmp.file('main.c', `#include <clustervm.h>
int foo(int i);
int main(int node, int core) {
    (void)node;
    long sum = 0;
    for (int i = 0; i < ${CALLS}; i++) sum += foo(i);
    if (core == 0) printf("sum %ld\\n", sum);
    return 0;
}
`);
tmp.file('foo.c', 'int foo(int i) { return i + 1; }\n');

const EXTRA_PER_CALL: Record<Intensity, Record<'x86' | 'sparc', number>> = {
  immediate: { x86: 0, sparc: 0 }, mediated: { x86: 1, sparc: 1 }, weak: { x86: 7, sparc: 14 }, failsafe: { x86: 0, sparc: 0 },
};

describe.each(ISA_NAMES)('%s: main.c calls foo.c', (isa) => {
  const run = (intensity: Intensity) => runImage(tmp.image(`foo-${isa}-${intensity}.json`, {
    name: `foo-${intensity}`,
    nodes: [{ isa, cores: 2, programs: [{ source: 'main.c' }], modules: [{ name: 'foo', source: 'foo.c' }], bindings: { foo: intensity } }],
  }));

  it('under every intensity: the sum is right and each call costs what the intensity says', async () => {
    const immediate = await run('immediate');
    for (const intensity of INTENSITIES) {
      const { console, cores } = await run(intensity);
      expect(console).toEqual([`n0.c0 sum ${(CALLS * (CALLS + 1)) / 2}`]);
      for (const core of cores) expect([core.status, core.exitStatus]).toEqual(['exited', 0]);
      const extra = cores[1]!.instructions - immediate.cores[1]!.instructions;
      const traps = cores.reduce((sum, core, i) => sum + core.traps - immediate.cores[i]!.traps, 0);
      if (intensity === 'failsafe') {
        // The node's first call traps and links foo; every call after it is immediate.
        expect(traps).toBe(1);
        expect(extra).toBeGreaterThanOrEqual(0);
        expect(extra).toBeLessThan(20);
      } else {
        expect(traps).toBe(0);
        expect(extra).toBe(CALLS * EXTRA_PER_CALL[intensity][ISAS[isa].family]);
      }
    }
  });
});

describe('a fail-safe call into the module library', () => {
  it.each(ISA_NAMES)('%s: foo.c stays in the library until main.c calls it; the call links it and goes on', async (isa) => {
    const { cluster, console } = await bootCluster(tmp.image(`library-${isa}.json`, {
      name: 'library',
      nodes: [{
        isa, cores: 2, programs: [{ source: 'main.c' }], modules: [{ name: 'foo', source: 'foo.c', library: true }],
        bindings: { foo: { intensity: 'failsafe', resolved: 'mediated' } },
      }],
    }));
    try {
      const linker = cluster.node(0).linker;
      expect(linker.binding('foo').open).toBe(true);
      const summaries = cluster.run({ quantum: 1000 });
      for (const summary of summaries) expect([summary.status, summary.exitStatus]).toEqual(['exited', 0]);
      expect(console).toEqual([`n0.c0 sum ${(CALLS * (CALLS + 1)) / 2}`]);
      const state = linker.binding('foo');
      expect([state.provider, state.intensity, state.open]).toEqual(['foo', 'mediated', false]);
    } finally {
      cluster.close();
    }
  });
});

describe('re-linking a running C program', () => {
  it.each(ISA_NAMES)('%s: four cores calling f switch from f.seq to f.lwp mid-run; no call is lost', async (isa) => {
    tmp.file('counted.c', `#include <clustervm.h>
int f(int x);
int calls_seq[4], calls_lwp[4];
int main(int node, int core) {
    (void)node;
    int total = 0;
    for (int i = 0; i < 400; i++) total += f(core);
    cvm_report(total);
    return 0;
}
`);
    tmp.file('f-seq.c', 'extern int calls_seq[4];\nint f(int core) { calls_seq[core]++; return 1; }\n');
    tmp.file('f-lwp.c', 'extern int calls_lwp[4];\nint f(int core) { calls_lwp[core]++; return 2; }\n');
    const path = tmp.image(`relink-${isa}.json`, {
      name: 'relink',
      nodes: [{
        isa, cores: 4, programs: [{ source: 'counted.c' }],
        modules: [{ name: 'f.seq', source: 'f-seq.c' }, { name: 'f.lwp', source: 'f-lwp.c' }],
        bindings: { f: 'mediated' },
      }],
    });
    const { cluster } = await bootCluster(path);
    try {
      const linker = cluster.node(0).linker;
      let switchedAt = -1;
      const summaries = cluster.run({
        quantum: 500,
        onRound: (progress) => {
          if (switchedAt < 0 && progress.rounds === 3) {
            linker.use('f', 'f.lwp');
            switchedAt = progress.rounds;
          }
        },
      });
      expect(switchedAt).toBe(3);
      expect(linker.binding('f').provider).toBe('f.lwp');
      const counted = linker.plan.modules.find((m) => m.name === 'counted')!;
      const node = cluster.nodes[0]!;
      const word = (symbol: string, core: number) => {
        const offset = counted.labels.get(symbol)! + 4 * core - RAM_BASE;
        return ISAS[isa].littleEndian ? node.ram.readInt32LE(offset) : node.ram.readInt32BE(offset);
      };
      for (const summary of summaries) {
        expect([summary.status, summary.exitStatus]).toEqual(['exited', 0]);
        // Every one of the 400 calls reached one implementation, some each: f.seq's
        // returned 1, f.lwp's 2.
        const [seq, lwp] = [word('calls_seq', summary.core), word('calls_lwp', summary.core)];
        expect(seq + lwp).toBe(400);
        expect(seq).toBeGreaterThan(0);
        expect(lwp).toBeGreaterThan(0);
        expect(Number(summary.result)).toBe(seq + 2 * lwp);
      }
    } finally {
      cluster.close();
    }
  });
});
