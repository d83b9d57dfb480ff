// Registers on both ISA families and both widths, through the real CLI: the display set,
// the full set, writing one, and stepping the firmware of a SPARC and an x86-64 core.
import { describe, expect, it } from 'vitest';
import { debugScript, outputs } from './run-debug.js';

const SPARC_DISPLAY = [...['g', 'o', 'l', 'i'].flatMap((bank) => Array.from({ length: 8 }, (_, i) => `${bank}${i}`)), 'y', 'pc'];

/** Register names of `regs` output lines, asserting each value is `digits` hex digits. */
function names(lines: readonly string[], digits: number): string[] {
  return lines.map((line) => {
    const match = new RegExp(`^(\\w+) +0x[0-9a-f]{${digits}}(?: <[^>]+>)?$`).exec(line);
    expect(match, line).not.toBeNull();
    return match![1]!;
  });
}

describe('clustervm debug: registers', () => {
  it('shows and writes SPARC registers of sparc32 and sparc64 cores', async () => {
    const commands = [
      'core n0.c1', 'regs', 'step 3', 'regs all', 'disas', 'core n1.c0', 'step 4', 'regs', 'set o1 0x12345678',
      'set o1 0x10000000000000000', 'regs o1 g5', 'regs ccr', 'core n0.c0', 'regs psr',
    ] as const;
    const [select, regs32, step, all32, disas, , step64, regs64, set, tooWide, read, ccr, , psr] =
      outputs(await debugScript('images/hello-sparc.json', commands), commands);
    expect(select).toEqual(['n0.c1 (sparc32) at 0x102000 <firmware>']);
    expect(names(regs32, 8)).toEqual(SPARC_DISPLAY);
    // The reset state: g2 holds the boot info block, g3 the core id.
    expect(regs32).toContain('g2  0x00100000');
    expect(regs32).toContain('g3  0x00000001');
    expect(regs32[regs32.length - 1]).toBe('pc  0x00102000 <firmware>');
    // Steps go in schedule order: n0.c0's quantum (it prints) comes before n0.c1's first instruction.
    expect(step).toEqual(['n0.c0 hello from node 0 core 0', 'n0.c1 at 0x10200c <firmware+12>', '=> 0x10200c <firmware+12>:  sub %g5, %g4, %g5']);
    // Unicorn's icc and xcc read 0 whatever the flags: left out, and the state registers it
    // does not expose are named as such.
    expect(names(all32.slice(0, -1), 8)).toEqual([...SPARC_DISPLAY, 'sp', 'fp']);
    expect(all32.at(-1)).toBe('not available (Unicorn does not expose them): psr wim tbr');
    expect(all32).toContain('g5  0x00500000');
    // Around the pc: SPARC decodes back to the start of the symbol (the firmware).
    expect(disas.slice(0, 5)).toEqual([
      '   0x102000 <firmware>:  ld [%g2+0x18], %g4',
      '   0x102004 <firmware+4>:  umul %g4, %g3, %g4',
      '   0x102008 <firmware+8>:  ld [%g2+0xc], %g5',
      '=> 0x10200c <firmware+12>:  sub %g5, %g4, %g5',
      '   0x102010 <firmware+16>:  sub %g5, 0x60, %sp',
    ]);
    expect(disas).toHaveLength(10);
    // n0.c1's turn, cut by its steps, runs to its end before n1.c0's turn.
    expect(step64).toEqual(['n0.c1 hello from node 0 core 1', 'n1.c0 at 0x102010 <firmware+16>', '=> 0x102010 <firmware+16>:  sub %g5, 0x8af, %sp']);
    expect(names(regs64, 16)).toEqual(SPARC_DISPLAY);
    expect(set).toEqual(['o1 = 0x0000000012345678']);
    expect(tooWide).toEqual(['error: set: 0x10000000000000000 does not fit a 64-bit register']);
    expect(read).toEqual(['o1  0x0000000012345678', 'g5  0x0000000000500000']);
    expect(ccr).toEqual(['error: ccr: Unicorn does not expose it on sparc64']);
    expect(psr).toEqual(['error: psr: Unicorn does not expose it on sparc32']);
  });

  it('shows and writes x86-64 registers', async () => {
    const commands = [
      'core n1.c1', 'step 2', 'regs', 'regs all', 'set rax -2', 'regs rax eax', 'x/2x 0x100000',
      'set xmm3 0x112233445566778899aabbccddeeff00', 'regs xmm3 fs_base', 'core n0.c0', 'regs xmm8',
    ] as const;
    const [, step, regs, all, set, read, bootInfo, setXmm, xmm, , noXmm8] =
      outputs(await debugScript('images/hello-x86.json', commands), commands);
    // The three cores before n1.c1 in schedule order run their quanta first.
    expect(step).toEqual([
      'n0.c0 hello from node 0 core 0', 'n0.c1 hello from node 0 core 1', 'n1.c0 hello from node 1 core 0',
      'n1.c1 at 0x102007 <firmware+7>', '=> 0x102007 <firmware+7>:  mov esp, dword ptr [rsi + 0xc]',
    ]);
    expect(names(regs, 16)).toEqual([
      'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'eflags',
    ]);
    expect(regs).toContain('rip     0x0000000000102007 <firmware+7>');
    const vectors = all.filter((line) => line.startsWith('xmm'));
    expect(names(all.filter((line) => !vectors.includes(line)), 16))
      .toEqual(expect.arrayContaining(['eax', 'esp', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'mxcsr', 'fs_base', 'gs_base']));
    expect(names(vectors, 32)).toEqual(Array.from({ length: 16 }, (_, i) => `xmm${i}`));
    expect(set).toEqual(['rax = 0xfffffffffffffffe']);
    expect(read).toEqual(['rax  0xfffffffffffffffe', 'eax  0x00000000fffffffe']);
    // The boot info block in little-endian 64-bit words: the magic 'CVM1', node 1, 2 cores.
    expect(bootInfo).toEqual(['0x00100000:  0x0000000143564d31 0x0050000000000002  |1MVC..........P.|']);
    expect(setXmm).toEqual(['xmm3 = 0x112233445566778899aabbccddeeff00']);
    expect(xmm).toEqual(['xmm3     0x112233445566778899aabbccddeeff00', 'fs_base  0x0000000000000000']);
    // x86-32 has eight xmm registers.
    expect(noXmm8).toEqual(['error: x86-32 has no register \'xmm8\'']);
  });
});
