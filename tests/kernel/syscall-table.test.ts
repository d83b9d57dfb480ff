// The syscall table's edges, on real guests of every ISA in one image: a number the
// table does not hold, a DSM or channel syscall in an image without either, and a trap
// instruction the kernel does not serve each stop their own core with a report naming
// them, while the other cores of the node go on.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreSummary } from '../../emulator/index.js';
import { SYSCALLS } from '../../guest-kernel/index.js';
import { ISA_NAMES, ISAS, unreachable, type IsaName } from '../../isa/index.js';
import { coreOf, runImage, syscall, TempDir } from '../support/index.js';

/** A trap number neither the syscall ABI nor the mediator uses. */
const UNSERVED_TRAP = 0x13;

function callsThenReturns(isa: IsaName, body: string): string {
  const family = ISAS[isa].family;
  switch (family) {
    case 'x86': return `main:\n${body}    xor   eax, eax\n    ret\n`;
    case 'sparc': return `main:\n${body}    retl\n     mov  0, %o0\n`;
    default: return unreachable(family);
  }
}

function unservedTrap(isa: IsaName): string {
  const family = ISAS[isa].family;
  switch (family) {
    case 'x86': return `    int   0x${UNSERVED_TRAP.toString(16)}\n`;
    case 'sparc': return `    ta    0x${UNSERVED_TRAP.toString(16)}\n`;
    default: return unreachable(family);
  }
}

function unknownNumber(isa: IsaName): string {
  return syscall(isa, 'SYS_EXIT').replace('SYS_EXIT', '99');
}

/** One guest per core, and the fault each must end with. */
const CASES: readonly { source: (isa: IsaName) => string; reason: (isa: IsaName) => string }[] = [
  { source: unknownNumber, reason: () => 'unknown syscall 99' },
  {
    source: (isa) => syscall(isa, 'SYS_TX_BEGIN'),
    reason: () => `syscall ${SYSCALLS.SYS_TX_BEGIN} needs a DSM: the image has no "dsm" field`,
  },
  {
    source: (isa) => syscall(isa, 'SYS_CHAN_WAIT'),
    reason: () => `syscall ${SYSCALLS.SYS_CHAN_WAIT}: the image declares no channels`,
  },
  {
    source: unservedTrap,
    reason: (isa) => ISAS[isa].family === 'x86'
      ? `unexpected interrupt ${UNSERVED_TRAP}`
      : `unexpected trap instruction (ta 0x${UNSERVED_TRAP.toString(16)})`,
  },
  // A core that makes no mistake finishes beside them.
  { source: () => '', reason: () => '' },
];

describe('syscall table edges, on every ISA', () => {
  const dir = new TempDir('syscall-table');
  let cores: CoreSummary[] = [];

  beforeAll(async () => {
    const image = dir.writeImage('syscall-table', {
      nodes: ISA_NAMES.map((isa) => ({
        isa, cores: CASES.length,
        programs: CASES.map((c, core) => ({ name: `case${core}`, cores: [core], source: callsThenReturns(isa, c.source(isa)) })),
      })),
    });
    cores = (await runImage(image)).cores;
  }, 60_000);
  afterAll(() => dir.cleanup());

  ISA_NAMES.forEach((isa, node) => {
    it(`${isa}: each mistake stops its own core with a report naming it; the last core exits 0`, () => {
      const ended = CASES.map((_, core) => {
        const summary = coreOf(cores, node, core);
        return summary.status === 'faulted' ? summary.fault?.reason : `${summary.status} ${summary.exitStatus}`;
      });
      expect(ended).toEqual(CASES.map((c, core) => (core === CASES.length - 1 ? 'exited 0' : c.reason(isa))));
    });
  });
});
