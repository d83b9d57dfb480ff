// The image's `dsm` and `interconnect.drop` fields: page sizes the engines can map, the
// symbols guests see, and drop rules that name real nodes.

import { describe, expect, it } from 'vitest';
import { ImageError } from '../../emulator/index.js';
import { heapStart } from '../../guest-kernel/dsm/dsm-config.js';
import type { IsaName } from '../../isa/index.js';
import { DSM_BASE, expectAllExited, runDsm, type DsmImage } from './support/dsm-image.js';

/** Reports DSM_PAGE (low half) and DSM_HEAP (high half) with SYS_REPORT. */
function symbolsProgram(isa: IsaName): string {
  if (isa.startsWith('sparc')) {
    return `main:
    mov   %o7, %l7
    set   DSM_PAGE, %o0
    set   DSM_HEAP, %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
  const [low, high] = isa === 'x86-64' ? ['edi', 'esi'] : ['ebx', 'ecx'];
  return `main:
    mov   ${low}, DSM_PAGE
    mov   ${high}, DSM_HEAP
    mov   eax, SYS_REPORT
    int   0x80
    xor   eax, eax
    ret
`;
}

function image(isas: readonly IsaName[], dsm: DsmImage['dsm'], drop?: { kind: 'commit'; to: number; from?: number }[]): DsmImage {
  return {
    name: 'dsm-config',
    dsm,
    ...(drop ? { interconnect: { drop } } : {}),
    groups: isas.map((isa) => ({ isa, cores: 1, source: symbolsProgram(isa) })),
  };
}

describe('DSM image fields', () => {
  const cases: { isas: IsaName[]; pageBytes?: number; expected: number }[] = [
    { isas: ['x86-32', 'x86-64'], expected: 4096 },
    { isas: ['sparc32'], expected: 4096 },
    { isas: ['x86-32', 'sparc64'], expected: 8192 },
    { isas: ['x86-32'], pageBytes: 8192, expected: 8192 },
    { isas: ['sparc64'], pageBytes: 16384, expected: 16384 },
  ];
  for (const { isas, pageBytes, expected } of cases) {
    it(`${isas.join(' + ')}${pageBytes ? `, pageBytes ${pageBytes}` : ''}: pages of ${expected} bytes; guests see DSM_PAGE and DSM_HEAP`, async () => {
      const sizeMiB = 2;
      const run = await runDsm(image(isas, { sizeMiB, ...(pageBytes ? { pageBytes } : {}) }));
      expectAllExited(run);
      expect(run.pageBytes).toBe(expected);
      const heap = heapStart({ base: DSM_BASE, bytes: sizeMiB << 20, pageBytes: expected, location: 'broadcast' });
      expect(heap).toBe(DSM_BASE + (sizeMiB << 20) / 4);
      const reported = BigInt(expected) | (BigInt(heap) << 32n);
      expect(run.cores.map((core) => core.result)).toEqual(isas.map(() => reported.toString()));
    });
  }

  const rejected: { what: string; isas: IsaName[]; dsm: DsmImage['dsm']; drop?: { kind: 'commit'; to: number; from?: number }[]; message: RegExp }[] = [
    { what: '4 KiB pages with a sparc64 node', isas: ['x86-32', 'sparc64'], dsm: { pageBytes: 4096 }, message: /dsm\.pageBytes: 4096 must be a power of two of at least 8192/ },
    { what: 'a page size that is not a power of two', isas: ['x86-32'], dsm: { pageBytes: 6144 }, message: /dsm\.pageBytes: 6144 must be a power of two/ },
    { what: 'a drop rule to a node the image does not have', isas: ['x86-32', 'x86-32'], dsm: {}, drop: [{ kind: 'commit', to: 2 }], message: /interconnect\.drop\[0\]: names node 2, but the image has 2 nodes/ },
    { what: 'a drop rule from a node the image does not have', isas: ['x86-32', 'x86-32'], dsm: {}, drop: [{ kind: 'commit', from: 5, to: 1 }], message: /interconnect\.drop\[0\]: names node 5/ },
  ];
  for (const { what, isas, dsm, drop, message } of rejected) {
    it(`rejects ${what}`, async () => {
      const failure = runDsm(image(isas, dsm, drop));
      await expect(failure).rejects.toBeInstanceOf(ImageError);
      await expect(failure).rejects.toThrow(message);
    });
  }
});
