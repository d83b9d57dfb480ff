// The console on C guests: `break file.c:LINE` and `disas file.c:LINE` find the line's
// code through the objects' DWARF, listings print each source line before its
// instructions, locations name the line, and a file or line with no code is one error.
import { describe, expect, it } from 'vitest';
import { debugScript, outputs } from './run-debug.js';

const image = (isa: string) => `tests/debugger/gdb/images/c-chain-${isa}.json`;

describe('clustervm debug on C guests', () => {
  it('x86-32: breaks at a line, lists with the source, names lines in cores and breakpoints', async () => {
    const commands = [
      'break chain.c:10', 'continue', 'disas step 4', 'cores', 'info breakpoints', 'disas chain.c:18 1',
      'break nosuch.c:3', 'break chain.c:99', 'quit',
    ] as const;
    const [brk, cont, disas, cores, info, line, noFile, noLine] = outputs(await debugScript(image('x86-32'), commands), commands);
    expect(brk).toEqual(['breakpoint 1 at 0x110006 <step+6> at chain.c:10 on n0.c0']);
    expect(cont).toEqual([
      'n0.c0 stopped at breakpoint 1, 0x110006 <step+6> at chain.c:10',
      '=> 0x110006 <step+6>:  add dword ptr [0x4edff0], eax',
    ]);
    expect(disas).toEqual([
      'chain.c:9\tint doubled = x * 2;',
      '   0x110000 <step>:  mov eax, dword ptr [esp + 4]',
      '   0x110004 <step+4>:  add eax, eax',
      'chain.c:10\ttotal += doubled;',
      '=> 0x110006 <step+6>:  add dword ptr [0x4edff0], eax',
      'chain.c:11\treturn doubled + 1;',
      '   0x11000c <step+12>:  inc eax',
    ]);
    expect(cores.at(-1)).toMatch(/^\* {2}n0\.c0 {2}x86-32 {2}ready {3}0x110006 <step\+6> at chain\.c:10 +\d+ +\d+$/);
    expect(info[2]).toMatch(/^ 1 {2}break {2}0x110006 <step\+6> at chain\.c:10 {2}n0\.c0 +1$/);
    expect(line[0]).toBe('chain.c:18\tsum += step(i);');
    expect(line[1]).toMatch(/^ {3}0x[0-9a-f]+ <work\+\d+>: {2}/);
    expect(noFile).toEqual(['error: nosuch.c:3: no code from nosuch.c on this node (its C code comes from chain.c, clustervm.h, runtime.c)']);
    expect(noLine).toEqual(['error: chain.c:99: chain.c has no code at line 99 or after it']);
  });

  it('sparc32: the same line, and a word capstone cannot decode shown as .word', async () => {
    const commands = ['break chain.c:10', 'continue', 'disas work 3', 'quit'] as const;
    const [brk, cont, disas] = outputs(await debugScript(image('sparc32'), commands), commands);
    expect(brk).toEqual(['breakpoint 1 at 0x110008 <step+8> at chain.c:10 on n0.c0']);
    expect(cont[0]).toBe('n0.c0 stopped at breakpoint 1, 0x110008 <step+8> at chain.c:10');
    // work saves %i4 and %i5 with `std`, which capstone 5 does not decode.
    expect(disas).toEqual([
      'chain.c:15\t{',
      '   0x11001c <work>:  st %i3, [%sp+0x2c]',
      '   0x110020 <work+4>:  .word 0xf83ba030',
      '   0x110024 <work+8>:  st %i7, [%sp+0x3c]',
    ]);
  });
});
