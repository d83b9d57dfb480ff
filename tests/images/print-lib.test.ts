// images/lib/print-<isa>.s on both SPARC ISAs: print_decimal writes the low 32 bits of
// its argument in decimal, as the x86 routines do, from a flat leaf routine (sparc64
// guests cannot `save`) that finds the real stack under sparc64's bias of 2047.

import { afterAll, describe, expect, it } from 'vitest';
import { coreOf, libSource, runImage, TempDir } from '../support/index.js';

const images = new TempDir('clustervm-print-lib');
afterAll(() => images.cleanup());

const VALUES = [0, 7, 10, 4096, 305419896, 4294967295];

/**
 * Prints each value on a line of its own (print_decimal, then a newline), keeping its
 * return address in %l7, then reports how far %sp moved over all the calls.
 */
function printer(values: readonly number[]): string {
  const lines = values.map((value) => `    set   ${value}, %o0
    call  print_decimal
    nop
    set   newline, %o0
    mov   1, %o1
    mov   SYS_WRITE, %g1
    ta    0x10
`).join('');
  return `.extern print_decimal
main:
    mov   %o7, %l7
    mov   %sp, %l6
${lines}    sub   %sp, %l6, %o0
    clr   %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    mov   %l7, %o7
    retl
    clr   %o0
newline:
    .byte 10
`;
}

describe('print_decimal on SPARC', () => {
  for (const isa of ['sparc32', 'sparc64'] as const) {
    it(`${isa}: prints unsigned 32-bit values in decimal and leaves the stack as it found it`, async () => {
      const path = images.writeImage(`print-${isa}`, { nodes: [{
        isa, cores: 1,
        programs: [{ name: 'main', source: printer(VALUES) }],
        modules: [{ name: 'print', file: libSource('print', isa) }],
      }] });
      const run = await runImage(path);
      const core = coreOf(run.cores, 0, 0);
      expect(core.status, core.fault?.reason).toBe('exited');
      expect(core.exitStatus).toBe(0);
      expect(core.result, 'how far %sp moved').toBe('0');
      expect(run.console).toEqual(VALUES.map((value) => `n0.c0 ${value}`));
    });
  }
});
