import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { coreOf, runImage, TempDir } from '../support/index.js';

const images = new TempDir('clustervm-faults');
afterAll(() => images.cleanup());

// Every fault stops only the core that caused it, with a report (pc, capstone's
// decoding, reason), while the other core of the node runs to its normal exit.

const HEALTHY: Readonly<Record<IsaName, string>> = {
  'x86-32': 'main:\n mov ebx, msg\n mov ecx, 6\n mov eax, SYS_WRITE\n int 0x80\n xor eax, eax\n ret\nmsg: .ascii "alive\\n"\n',
  'x86-64': 'main:\n lea rdi, [rip + msg]\n mov esi, 6\n mov eax, SYS_WRITE\n int 0x80\n xor eax, eax\n ret\nmsg: .ascii "alive\\n"\n',
  sparc32: 'main:\n set msg, %o0\n mov 6, %o1\n mov SYS_WRITE, %g1\n ta 0x10\n retl\n clr %o0\nmsg: .ascii "alive\\n"\n',
  sparc64: 'main:\n set msg, %o0\n mov 6, %o1\n mov SYS_WRITE, %g1\n ta 0x10\n retl\n clr %o0\nmsg: .ascii "alive\\n"\n',
};

interface FaultCase {
  readonly name: string;
  readonly isa: IsaName;
  readonly source: string;
  readonly instruction: RegExp;
  readonly reason: string;
  readonly pcLabel?: 'bad' | number;
  readonly maxInstructions?: number;
}

const CASES: readonly FaultCase[] = [
  { name: 'unmapped read', isa: 'x86-32', source: 'main:\n nop\nbad:\n mov eax, dword ptr [0x10]\n ret\n',
    instruction: /^mov eax, dword ptr \[0x10\]$/, reason: 'read of unmapped memory at 0x10' },
  { name: 'unmapped write', isa: 'x86-32', source: 'main:\nbad:\n mov dword ptr [0x20], eax\n ret\n',
    instruction: /^mov dword ptr \[0x20\], eax$/, reason: 'write of unmapped memory at 0x20' },
  { name: 'unmapped fetch', isa: 'x86-32', source: 'main:\n mov eax, 0x30\n jmp eax\n',
    instruction: /^unmapped$/, reason: 'fetch of unmapped memory at 0x30', pcLabel: 0x30 },
  { name: 'protection violation', isa: 'x86-32', source: 'main:\n mov esi, RAM_BASE\nbad:\n mov dword ptr [esi + 0x2000], eax\n ret\n',
    instruction: /^mov dword ptr \[esi \+ 0x2000\], eax$/, reason: 'protection violation: write at 0x102000' },
  { name: 'invalid instruction', isa: 'x86-32', source: 'main:\n nop\nbad:\n ud2\n ret\n',
    instruction: /^ud2$/, reason: 'invalid instruction' },
  { name: 'division by zero', isa: 'x86-32', source: 'main:\n xor ecx, ecx\n mov eax, 7\n xor edx, edx\nbad:\n div ecx\n ret\n',
    instruction: /^div ecx$/, reason: 'division by zero' },
  { name: 'runaway', isa: 'x86-32', source: 'main:\nbad:\n jmp bad\n',
    instruction: /^jmp 0x[0-9a-f]+$/, reason: 'runaway: passed --max-instructions 50000', maxInstructions: 50_000 },
  { name: 'unmapped read', isa: 'x86-64', source: 'main:\nbad:\n mov rax, qword ptr [0x18]\n ret\n',
    instruction: /^movabs rax, qword ptr \[0x18\]$/, reason: 'read of unmapped memory at 0x18' },
  { name: 'division by zero', isa: 'x86-64', source: 'main:\n xor ecx, ecx\n xor edx, edx\nbad:\n div rcx\n ret\n',
    instruction: /^div rcx$/, reason: 'division by zero' },
  { name: 'unmapped read', isa: 'sparc32', source: 'main:\n set 0x10, %o2\nbad:\n ld [%o2], %o0\n retl\n nop\n',
    instruction: /^ld \[%o2\], %o0$/, reason: 'read of unmapped memory at 0x10' },
  { name: 'protection violation', isa: 'sparc32', source: 'main:\n set RAM_BASE, %o2\nbad:\n st %o0, [%o2]\n retl\n nop\n',
    instruction: /^st %o0, \[%o2\]$/, reason: 'protection violation: write at 0x100000' },
  { name: 'invalid instruction', isa: 'sparc32', source: 'main:\n nop\nbad:\n .word 0\n retl\n nop\n',
    instruction: /^unimp 0$/, reason: 'invalid instruction' },
  { name: 'division by zero', isa: 'sparc32', source: 'main:\n wr %g0, %y\n mov 9, %o0\nbad:\n udiv %o0, %g0, %o0\n retl\n nop\n',
    instruction: /^udiv %o0, %g0, %o0$/, reason: 'division by zero' },
  { name: 'runaway', isa: 'sparc32', source: 'main:\nbad:\n ba bad\n nop\n',
    instruction: /^(ba|b) 0x[0-9a-f]+$|^nop$/, reason: 'runaway: passed --max-instructions 50000', maxInstructions: 50_000 },
  { name: 'unmapped write', isa: 'sparc64', source: 'main:\n set 0x40, %o2\nbad:\n stx %o0, [%o2]\n retl\n nop\n',
    instruction: /^stx %o0, \[%o2\]$/, reason: 'write of unmapped memory at 0x40' },
  { name: 'division by zero', isa: 'sparc64', source: 'main:\n mov 9, %o0\nbad:\n udivx %o0, %g0, %o0\n retl\n nop\n',
    instruction: /^udivx %o0, %g0, %o0$/, reason: 'division by zero' },
];

describe('a faulting core stops with a report while its neighbour finishes', () => {
  for (const c of CASES) {
    it(`${c.isa}: ${c.name}`, async () => {
      const path = images.writeImage(`fault-${c.isa}`, { nodes: [{
        isa: c.isa, cores: 2,
        programs: [{ source: c.source, cores: [0] }, { source: HEALTHY[c.isa], cores: [1] }],
      }] });
      const run = await runImage(path, {
        quantum: 1000, ...(c.maxInstructions ? { maxInstructions: c.maxInstructions } : {}),
        inspect: (cluster) => cluster.node(0).cores[0]!.pc,
      });
      const faulted = coreOf(run.cores, 0, 0);
      expect(faulted.status).toBe('faulted');
      expect(faulted.faults).toBe(1);
      expect(faulted.fault?.reason).toBe(c.reason);
      expect(faulted.fault?.instruction).toMatch(c.instruction);
      if (typeof c.pcLabel === 'number') expect(faulted.fault?.pc).toBe(c.pcLabel);
      else expect(faulted.fault?.pc).toBeGreaterThanOrEqual(0x110000);
      if (c.maxInstructions) expect(faulted.instructions).toBe(c.maxInstructions);
      // The pc debuggers show is the faulting instruction's, not where its run began.
      expect(run.inspected).toBe(faulted.fault?.pc);

      const neighbour = coreOf(run.cores, 0, 1);
      expect(neighbour.status).toBe('exited');
      expect(neighbour.exitStatus).toBe(0);
      expect(run.console).toEqual(['n0.c1 alive']);
    });
  }
});
