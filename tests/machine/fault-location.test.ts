import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { coreOf, runImage, TempDir } from '../support/index.js';

const images = new TempDir('clustervm-fault-location');
afterAll(() => images.cleanup());

// Unicorn leaves a faulting load or store with the pc at its block's start; the core
// replays the block's instructions to name the one that faulted. These blocks fault in
// their middle, after a counter increment the replay must not repeat (the neighbour
// core exits with the counter), and after instructions that change the address
// register. The same program with an invalid instruction in the faulting one's place
// (a fault Unicorn reports exactly) must retire the same number of instructions.

interface Located {
  readonly isa: IsaName;
  /** Increments the counter at USER_DATA, then FAULT at the label `bad`. */
  readonly program: (fault: string) => string;
  readonly fault: string;
  readonly invalid: string;
  readonly instruction: RegExp;
  readonly reason: string;
  /** Exits with the counter at USER_DATA. */
  readonly neighbour: string;
}

const CASES: readonly Located[] = [
  {
    isa: 'x86-32',
    program: (fault) => `main:\n inc dword ptr [USER_DATA]\n mov esi, 0x8\n add esi, 8\n mov ecx, 3\nbad:\n ${fault}\n ret\n`,
    fault: 'mov eax, dword ptr [esi]', invalid: 'ud2',
    instruction: /^mov eax, dword ptr \[esi\]$/, reason: 'read of unmapped memory at 0x10',
    neighbour: 'main:\n mov eax, dword ptr [USER_DATA]\n ret\n',
  },
  {
    isa: 'x86-64',
    program: (fault) => `main:\n inc dword ptr [USER_DATA]\n mov rsi, 0x8\n add rsi, 0x18\nbad:\n ${fault}\n ret\n`,
    fault: 'mov qword ptr [rsi], rax', invalid: 'ud2',
    instruction: /^mov qword ptr \[rsi\], rax$/, reason: 'write of unmapped memory at 0x20',
    neighbour: 'main:\n mov eax, dword ptr [USER_DATA]\n ret\n',
  },
  {
    isa: 'sparc32',
    program: (fault) => 'main:\n set USER_DATA, %o3\n ld [%o3], %o4\n add %o4, 1, %o4\n st %o4, [%o3]\n'
      + ` mov 0x8, %o2\n add %o2, 8, %o2\nbad:\n ${fault}\n retl\n nop\n`,
    fault: 'ld [%o2], %o0', invalid: '.word 0',
    instruction: /^ld \[%o2\], %o0$/, reason: 'read of unmapped memory at 0x10',
    neighbour: 'main:\n set USER_DATA, %o3\n retl\n ld [%o3], %o0\n',
  },
  {
    isa: 'sparc64',
    program: (fault) => 'main:\n set USER_DATA, %o3\n lduw [%o3], %o4\n add %o4, 1, %o4\n st %o4, [%o3]\n'
      + ` mov 0x20, %o2\n add %o2, 0x20, %o2\nbad:\n ${fault}\n retl\n nop\n`,
    fault: 'stx %o0, [%o2]', invalid: '.word 0',
    instruction: /^stx %o0, \[%o2\]$/, reason: 'write of unmapped memory at 0x40',
    neighbour: 'main:\n set USER_DATA, %o3\n retl\n lduw [%o3], %o0\n',
  },
];

async function runFaulting(isa: IsaName, name: string, program: string, neighbour: string) {
  const path = images.writeImage(`${name}-${isa}`, { nodes: [{
    isa, cores: 2, programs: [{ source: program, cores: [0] }, { source: neighbour, cores: [1] }],
  }] });
  const run = await runImage(path, { quantum: 1000 });
  return { faulted: coreOf(run.cores, 0, 0), neighbour: coreOf(run.cores, 0, 1) };
}

describe('a load or store fault in the middle of a block is pinned to its instruction', () => {
  for (const c of CASES) {
    it(`${c.isa}: the faulting instruction, its count, and no replayed write`, async () => {
      const memory = await runFaulting(c.isa, 'memory', c.program(c.fault), c.neighbour);
      const invalid = await runFaulting(c.isa, 'invalid', c.program(c.invalid), c.neighbour);
      expect(invalid.faulted.fault?.reason).toBe('invalid instruction');

      expect(memory.faulted.status).toBe('faulted');
      expect(memory.faulted.fault?.reason).toBe(c.reason);
      expect(memory.faulted.fault?.instruction).toMatch(c.instruction);
      expect(memory.faulted.fault?.pc).toBe(invalid.faulted.fault?.pc);
      expect(memory.faulted.instructions).toBe(invalid.faulted.instructions);
      expect(memory.neighbour.exitStatus).toBe(1);
    });
  }

  it('x86-32: two loads of the same unmapped word name the first and say the second would fault too', async () => {
    const { faulted } = await runFaulting('x86-32', 'ambiguous',
      'main:\n mov esi, 0x10\nbad:\n mov eax, dword ptr [esi]\n mov ebx, dword ptr [esi]\n ret\n',
      'main:\n xor eax, eax\n ret\n');
    expect(faulted.fault?.instruction).toBe('mov eax, dword ptr [esi]');
    expect(faulted.fault?.reason).toBe('read of unmapped memory at 0x10 (or a later instruction of its block, '
      + 'which would fault the same way from this state)');
  });
});
