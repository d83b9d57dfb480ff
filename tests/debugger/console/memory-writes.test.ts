// Memory as a gdb user handles it in the console: `x` with gdb's format and size letters,
// `write` in the guest's byte order (read back by x and by the guest itself), the
// names the image's assembler knows (DSM_BASE), a pc that can be set.
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir } from '../../support/index.js';
import { debugScript, outputs } from './run-debug.js';

const dir = new TempDir('clustervm-console-memory');
afterAll(() => dir.cleanup());

describe('console memory formats and writes', () => {
  it('writes values of each size and reads them back signed, unsigned and in hex (x86-32)', async () => {
    const commands = [
      'write/w USER_DATA 7 -1', 'x/2dw USER_DATA', 'x/2uw USER_DATA', 'x/4xh USER_DATA', 'x/1xg USER_DATA',
      'x/8b USER_DATA', 'write/b USER_DATA+8 0x68 0x69 0', 'x/s USER_DATA+8', 'write/h USER_DATA 0x10000',
      'x/2i $pc', 'x/4q USER_DATA', 'x/2dx USER_DATA',
    ] as const;
    const [written, signed, unsigned, halves, giant, bytes, text, string, tooWide, code, badFormat, twoFormats] =
      outputs(await debugScript('images/dsm-counter.json', commands), commands);
    expect(written).toEqual(['0x00220000:  0x00000007 0xffffffff                        |........|']);
    expect(signed).toEqual(['0x00220000:            7          -1                          |........|']);
    expect(unsigned).toEqual(['0x00220000:           7 4294967295                        |........|']);
    expect(halves).toEqual(['0x00220000:  0x0007 0x0000 0xffff 0xffff                              |........|']);
    expect(giant).toEqual(['0x00220000:  0xffffffff00000007                     |........|']);
    expect(bytes).toEqual(['0x00220000  07 00 00 00 ff ff ff ff                           |........|']);
    expect(text).toEqual(['0x00220008  68 69 00                                          |hi.|']);
    expect(string).toEqual(['0x220008:  "hi"']);
    expect(tooWide).toEqual(['error: write: 0x10000 does not fit 2 bytes']);
    expect(code[0]).toMatch(/^=> 0x102000 <firmware>: {2}mov /);
    expect(badFormat[0]).toMatch(/^error: x\/4q: expected x\/N, then a format \(x d u s i\) and a size \(b h w g\)/);
    expect(twoFormats[0]).toMatch(/^error: x\/2dx: expected/);
  });

  it('names the image\'s symbols, refuses DSM writes and reads the DSM as the core sees it', async () => {
    const commands = ['print DSM_BASE', 'print DSM_PAGE+USER_DATA', 'write DSM_BASE 5', 'x/1dw DSM_BASE', 'print NOSUCH'] as const;
    const [base, sum, refused, dsm, unknown] = outputs(await debugScript('images/dsm-counter.json', commands), commands);
    expect(base).toEqual(['DSM_BASE = 0x40000000 (1073741824)']);
    expect(sum[0]).toMatch(/^DSM_PAGE\+USER_DATA = 0x221000 /);
    expect(refused).toEqual(['error: cannot write 4 bytes at 0x40000000: the DSM region is written by transactions only']);
    expect(dsm).toEqual(['0x40000000:            0                                      |....|']);
    expect(unknown).toEqual(['error: no symbol \'NOSUCH\' on node 0']);
  });

  it('writes SPARC memory big-endian; the guest reads what was written', async () => {
    // The program exits with the word at USER_DATA less 0x12345678: the console wrote
    // 0x1234 0x5679 before it ran, so it exits with 1.
    const source = ' set USER_DATA, %o1\n ld [%o1], %o0\n set 0x12345678, %o2\n retl\n sub %o0, %o2, %o0\n';
    const image = dir.writeImage('sparc-poke', { nodes: [{ isa: 'sparc32', cores: 1, programs: [{ source: `main:\n${source}` }] }] });
    const commands = ['write/h USER_DATA 0x1234 0x5679', 'x/4xb USER_DATA', 'x/1xw USER_DATA', 'continue', 'core n0.c0'] as const;
    const [written, bytes, word, end, core] = outputs(await debugScript(image, commands), commands);
    expect(written).toEqual(['0x00220000:  0x1234 0x5679                                            |.4Vy|']);
    expect(bytes).toEqual(['0x00220000  12 34 56 79                                       |.4Vy|']);
    expect(word).toEqual(['0x00220000:  0x12345679                                   |.4Vy|']);
    expect(end).toContain('every core has exited or faulted');
    expect(core).toEqual(['n0.c0 (sparc32) exited with status 1']);
  });

  it('sets the pc: the core resumes at the new address', async () => {
    const source = 'main:\n mov eax, 1\n jmp done\nskipped:\n mov eax, 99\ndone:\n mov ebx, eax\n xor eax, eax\n ret\n';
    const image = dir.writeImage('set-pc', { nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source }] }] });
    const commands = [
      'break done', 'break skipped', 'continue', 'set pc skipped', 'regs eip', 'continue', 'continue', 'step', 'print ebx', 'set pc nosuch',
    ] as const;
    const [, , hitDone, moved, eip, atSkipped, hitAgain, , ebx, bad] = outputs(await debugScript(image, commands), commands);
    expect(hitDone[0]).toMatch(/stopped at breakpoint 1, 0x[0-9a-f]+ <.*done>/);
    expect(moved[0]).toMatch(/^eip = 0x[0-9a-f]+ <.*skipped>$/);
    expect(eip[0]).toMatch(/^eip {2}0x[0-9a-f]+ <.*skipped>$/);
    // Moved onto a breakpoint, the core stops there first, as gdb's `jump` does; then it
    // runs `mov eax, 99` and reaches done again.
    expect(atSkipped[0]).toMatch(/stopped at breakpoint 2, 0x[0-9a-f]+ <.*skipped>/);
    expect(hitAgain[0]).toMatch(/stopped at breakpoint 1, 0x[0-9a-f]+ <.*done>/);
    expect(ebx).toEqual(['ebx = 0x63 (99)']);
    expect(bad).toEqual(['error: no symbol \'nosuch\' on node 0']);
  });
});
