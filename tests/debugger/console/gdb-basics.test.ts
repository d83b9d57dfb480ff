// What a gdb user reaches for in the console: registers and sums as addresses (`x/2x
// $esp`, `print esp+8`), `tbreak`, `enable`/`disable`, and labels a module does not
// export found by their own name.
import { describe, expect, it } from 'vitest';
import { TWO_NODES, debugScript, outputs } from './run-debug.js';

describe('clustervm debug: gdb habits', () => {
  it('tbreak goes after one stop; print and x take registers, symbols and sums', async () => {
    const commands = [
      'tbreak foo n1.c0', 'continue', 'info breakpoints', 'print $esp+8', 'p esp - 4', 'p foo+0x10', 'x/2x $esp', 'x/1x esp+4',
      'print $nosuch', 'quit',
    ] as const;
    const [tbreak, cont, info, sum, difference, symbol, stack, offset, bad] = outputs(await debugScript(TWO_NODES, commands), commands);
    expect(tbreak).toEqual(['temporary breakpoint 1 at 0x1100c0 <foo> on n1.c0']);
    expect(cont[0]).toBe('n1.c0 stopped at breakpoint 1, 0x1100c0 <foo>');
    expect(info[0]).toBe('no breakpoints or watchpoints');
    // foo's frame: esp is 0x4fffd8 (the return address into main, then foo's argument).
    expect(sum).toEqual(['$esp+8 = 0x4fffe0 (5242848)']);
    expect(difference).toEqual(['esp - 4 = 0x4fffd4 (5242836)']);
    expect(symbol).toEqual(['foo+0x10 = 0x1100d0 (1114320) <foo+16>']);
    expect(stack).toEqual(['0x004fffd8:  0x0011001a 0x00000000                        |........|']);
    expect(offset).toEqual(['0x004fffdc:  0x00000000                                   |....|']);
    expect(bad).toEqual(['error: no register \'nosuch\' on x86-32 (n1.c0)']);
  });

  it('a disabled breakpoint does not stop; enabled again it does; a local label by its own name', async () => {
    const commands = ['break next n0.c0', 'disable 1', 'info breakpoints', 'break foo n0.c0', 'continue', 'enable 1', 'continue', 'quit'] as const;
    const [local, disable, info, , first, enable, second] = outputs(await debugScript(TWO_NODES, commands), commands);
    expect(local[0]).toMatch(/^breakpoint 1 at 0x[0-9a-f]+ <main:next> on n0\.c0$/);
    expect(disable).toEqual(['disabled 1']);
    expect(info[2]).toMatch(/^ 1 {2}break \(off\) /);
    expect(first[0]).toMatch(/^n0\.c0 stopped at breakpoint 2, 0x1100c0 <foo>$/);
    expect(enable).toEqual(['enabled 1']);
    expect(second[0]).toMatch(/^n0\.c0 stopped at breakpoint 1, 0x[0-9a-f]+ <main:next>$/);
  });
});
