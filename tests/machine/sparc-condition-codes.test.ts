// Issue 10, item 2: a SPARC guest whose first flag use came before any instruction set
// the flags (bne, addx, tne) killed the host with SIGSEGV in libunicorn's
// helper_compute_psr. Every SPARC engine now sets the flags once when it opens. The
// guests run in a child process (the CLI), so a regression shows as a signal here;
// tests/engine/condition-codes.test.ts covers paths into guest code without firmware.
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, parseTextOutput, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** Each reads the condition codes first; each ends the same whichever way it goes. */
const FIRST_FLAG_USE = {
  bne: { source: 'main:\n bne skip\n nop\n mov 1, %o0\nskip:\n retl\n mov 5, %o0\n', exit: '5' },
  addx: { source: 'main:\n addx %g0, 3, %o0\n retl\n and %o0, 2, %o0\n', exit: '2' },
  tne: { source: 'main:\n mov SYS_YIELD, %g1\n tne 0x10\n retl\n mov 4, %o0\n', exit: '4' },
} as const;

const WITNESS = 'main:\n mov eax, 7\n ret\n';

function image(isa: 'sparc32' | 'sparc64'): string {
  tmp.file('witness.s', WITNESS);
  const names = Object.keys(FIRST_FLAG_USE) as (keyof typeof FIRST_FLAG_USE)[];
  for (const name of names) tmp.file(`${name}.s`, FIRST_FLAG_USE[name].source);
  return tmp.image(`flags-${isa}.json`, {
    name: `flags-${isa}`,
    nodes: [
      ...names.map((name) => ({ isa, cores: 1, programs: [{ source: `${name}.s` }] })),
      { isa: 'x86-32', cores: 1, programs: [{ source: 'witness.s' }] },
    ],
  });
}

describe.concurrent('SPARC condition codes read before any instruction set them', () => {
  for (const isa of ['sparc32', 'sparc64'] as const) {
    it(`${isa}: bne, addx and tne as the first flag use run to their exit`, async () => {
      const result = await runCli(['boot', image(isa)]);
      expect(result.signal, 'the emulator survived').toBeNull();
      const { rows } = parseTextOutput(result.stdout);
      expect(rows.map((row) => [row.status, row.exit])).toEqual([
        ...Object.values(FIRST_FLAG_USE).map((c) => ['exited', c.exit]),
        ['exited', '7'],
      ]);
      expect(result.code).toBe(1);
    });
  }
});
