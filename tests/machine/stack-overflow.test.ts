// Issue 10, item 4: unbounded recursion on one core ran through its neighbour's stack
// (then user data, the channel table and the linkage table), so the neighbour faulted
// or hung the host. Every stack now has an unmapped guard page below it: the recursing
// core stops with "stack overflow" at the push that reaches the guard, and its
// neighbours above and below finish with their results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAM_BASE, STACK_BYTES, coreStackTop } from '../../emulator/machine/layout.js';
import type { IsaName } from '../../isa/index.js';
import { TempDir, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const RAM_MIB = 4;
const ITERATIONS = 50_000;
/** 1 + 2 + ... + ITERATIONS, which every healthy core reports. */
const SUM = String((ITERATIONS * (ITERATIONS + 1)) / 2);

interface IsaCase {
  /** Recurses for ever, each level writing below the last. */
  readonly recurse: string;
  /** Sums ITERATIONS counters passed through the stack and reports the sum. */
  readonly healthy: string;
  /** The recursion's first write, and how far each level moves down, from its stack top. */
  readonly firstWriteBelowTop: number;
  readonly step: number;
}

const SPARC_HEALTHY = (store: string, load: string, slot: number) => `main:
 mov %o7, %o5
 set ${ITERATIONS}, %o2
 clr %o3
loop:
 ${store} %o2, [%sp + ${slot}]
 call add_slot
 nop
 subcc %o2, 1, %o2
 bne loop
 nop
 mov %o3, %o0
 clr %o1
 mov SYS_REPORT, %g1
 ta 0x10
 jmp %o5 + 8
 clr %o0
add_slot:
 ${load} [%sp + ${slot}], %o4
 retl
 add %o3, %o4, %o3
`;

const CASES: Readonly<Record<IsaName, IsaCase>> = {
  'x86-32': {
    recurse: 'main:\nrecurse:\n call recurse\n',
    healthy: `main:\n mov ecx, ${ITERATIONS}\n xor esi, esi\nloop:\n push ecx\n call add_top\n pop ecx\n dec ecx\n jnz loop\n`
      + ' mov ebx, esi\n xor ecx, ecx\n mov eax, SYS_REPORT\n int 0x80\n xor eax, eax\n ret\n'
      + 'add_top:\n add esi, dword ptr [esp + 4]\n ret\n',
    // The firmware pushed node, core and the return address.
    firstWriteBelowTop: 12 + 4, step: 4,
  },
  'x86-64': {
    recurse: 'main:\nrecurse:\n call recurse\n',
    healthy: `main:\n mov rcx, ${ITERATIONS}\n xor r8, r8\nloop:\n push rcx\n call add_top\n pop rcx\n dec rcx\n jnz loop\n`
      + ' mov rdi, r8\n xor esi, esi\n mov eax, SYS_REPORT\n int 0x80\n xor eax, eax\n ret\n'
      + 'add_top:\n add r8, qword ptr [rsp + 8]\n ret\n',
    firstWriteBelowTop: 8 + 8, step: 8,
  },
  sparc32: {
    recurse: 'main:\nrecurse:\n sub %sp, 64, %sp\n st %o7, [%sp]\n call recurse\n nop\n',
    healthy: SPARC_HEALTHY('st', 'ld', 64),
    // The firmware leaves a 96-byte frame below the top.
    firstWriteBelowTop: 96 + 64, step: 64,
  },
  sparc64: {
    recurse: 'main:\nrecurse:\n sub %sp, 64, %sp\n stx %o7, [%sp + 2047]\n call recurse\n nop\n',
    healthy: SPARC_HEALTHY('stx', 'ldx', 2047 + 128),
    // %sp is biased by 2047 below a 176-byte frame.
    firstWriteBelowTop: 176 + 64, step: 64,
  },
};

const ISAS = Object.keys(CASES) as IsaName[];

/** The first write of the recursion on core 1 that lies below its stack. */
function overflowAddress(c: IsaCase): number {
  const top = coreStackTop(RAM_MIB * 0x10_0000, 1);
  let address = top - c.firstWriteBelowTop;
  while (address >= top - STACK_BYTES) address -= c.step;
  return address;
}

interface CoreJson {
  node: number; core: number; status: string; result: string | null;
  fault: { pc: number; instruction: string; reason: string } | null;
}

describe('a stack overflow stops only the overflowing core', () => {
  let cores: CoreJson[] = [];

  beforeAll(async () => {
    ISAS.forEach((isa) => {
      tmp.file(`recurse-${isa}.s`, CASES[isa].recurse);
      tmp.file(`healthy-${isa}.s`, CASES[isa].healthy);
    });
    const image = tmp.image('stack-overflow.json', {
      name: 'stack-overflow',
      nodes: ISAS.map((isa) => ({
        isa, cores: 3, ramMiB: RAM_MIB,
        programs: [{ source: `recurse-${isa}.s`, cores: [1] }, { source: `healthy-${isa}.s`, cores: [0, 2] }],
      })),
    });
    const result = await runCli(['boot', image, '--json']);
    expect(result.signal).toBeNull();
    cores = (JSON.parse(result.stdout) as { cores: CoreJson[] }).cores;
  }, 60_000);

  ISAS.forEach((isa, node) => {
    it(`${isa}: core 1 faults at the guard page, cores 0 and 2 report their sums`, () => {
      const [above, overflowing, below] = [0, 1, 2].map((core) => cores.find((c) => c.node === node && c.core === core)!) as [CoreJson, CoreJson, CoreJson];
      expect(overflowing.status).toBe('faulted');
      expect(overflowing.fault!.reason).toBe(
        `stack overflow: write at 0x${overflowAddress(CASES[isa]).toString(16)}, in the guard page below its own stack`);
      expect(overflowing.fault!.pc).toBeGreaterThanOrEqual(RAM_BASE);
      for (const healthy of [above, below]) {
        expect(healthy).toMatchObject({ status: 'exited', result: SUM, fault: null });
      }
    });
  });
});
