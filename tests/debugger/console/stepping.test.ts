// next, until and finish on the C call chain of tests/debugger/gdb/images/chain.c
// (main -> work -> step), on every ISA, through the real CLI. The addresses expected
// come from the console's own listing of `work` (taken in this process): the call of
// step, the instruction it returns to (past the delay slot on SPARC) and the loop's
// closing branch.
import { afterAll, describe, expect, it } from 'vitest';
import { bootImage } from '../../../emulator/index.js';
import { DebugSession } from '../../../emulator/debugger/index.js';
import { Shell } from '../../../emulator/debugger/console/shell.js';
import { TempDir } from '../../support/index.js';
import { debugScript, outputs } from './run-debug.js';

const dir = new TempDir('clustervm-console-stepping');
afterAll(() => dir.cleanup());

interface Listed {
  readonly address: number;
  readonly text: string;
}

function listing(lines: readonly string[]): Listed[] {
  return lines.flatMap((line) => {
    const match = /^(?:=>| {2}) 0x([0-9a-f]+) <[^>]+>: {2}(.*)$/.exec(line);
    return match ? [{ address: parseInt(match[1]!, 16), text: match[2]! }] : [];
  });
}

const hex = (address: number) => `0x${address.toString(16)}`;

/** The console's `disas work 40`, in this process: only the commands under test need the CLI. */
async function listingOfWork(image: string): Promise<string[]> {
  const cluster = await bootImage(image, { maxInstructions: 1_000_000, console: () => {} });
  try {
    let text = '';
    await new Shell(new DebugSession(cluster, 1000), (chunk) => { text += chunk; }).execute('disas work 40');
    return text.split('\n');
  } finally {
    cluster.close();
  }
}

describe.each([
  { isa: 'x86-32', result: 'eax', sparc: false },
  { isa: 'x86-64', result: 'rax', sparc: false },
  { isa: 'sparc32', result: 'o0', sparc: true },
  { isa: 'sparc64', result: 'o0', sparc: true },
])('console next, until and finish on $isa', ({ isa, result, sparc }) => {
  const image = `tests/debugger/gdb/images/c-chain-${isa}.json`;

  it('finish returns to the call with the value, next runs a call, until runs a loop out', async () => {
    const code = listing(await listingOfWork(image));
    const call = code.find((insn) => insn.text.endsWith('<step>'))!;
    const after = sparc ? call.address + 8 : code[code.indexOf(call) + 1]!.address;
    const loop = code.find((insn) => /^(j|b)/.test(insn.text) && Number(/0x[0-9a-f]+(?=\s*(<[^>]+>)?$)/.exec(insn.text)?.[0]) <= insn.address)!;
    const exit = sparc ? loop.address + 8 : code[code.indexOf(loop) + 1]!.address;
    expect(call).toBeDefined();
    expect(loop).toBeDefined();

    const commands = [
      'break step', 'continue', 'finish', 'delete 1', `until ${hex(call.address)}`, 'next', `print ${result}`,
      `until ${hex(loop.address)}`, 'until', 'info breakpoints', 'continue',
    ] as const;
    const [, hit, finished, , toCall, next, value, toLoop, loopedOut, points, end] = outputs(await debugScript(image, commands), commands);
    expect(hit[0]).toMatch(/^n0\.c0 stopped at breakpoint 1, 0x110000 <step> at chain\.c:(9|10)$/);
    // step(0) returns 0 * 2 + 1, into work right after its call.
    expect(finished[0]).toBe(`finish: returned from step, ${result} = 0x1 (1)`);
    expect(finished[1]).toMatch(new RegExp(`^n0\\.c0 at ${hex(after)} <work\\+\\d+> at chain\\.c:1[78]$`));
    expect(toCall[0]).toMatch(new RegExp(`^n0\\.c0 at ${hex(call.address)} <work\\+\\d+>`));
    // The call ran whole: step(1) returned 3.
    expect(next[0]).toMatch(new RegExp(`^n0\\.c0 at ${hex(after)} <work\\+\\d+>`));
    expect(value).toEqual([`${result} = 0x3 (3)`]);
    expect(toLoop[0]).toMatch(new RegExp(`^n0\\.c0 at ${hex(loop.address)} <work\\+\\d+>`));
    // The loop's remaining rounds, calls and all, ran without a stop.
    expect(loopedOut[0]).toMatch(new RegExp(`^n0\\.c0 at ${hex(exit)} <work\\+\\d+>`));
    // The breakpoints next and until set for themselves are gone and were never listed.
    expect(points[0]).toBe('no breakpoints or watchpoints');
    expect(end).toContain('n0.c0 n0.c0: 25 20');
  });
});

describe('console next over a recursive call', () => {
  it('stops back in the frame it started in, not when a deeper call returns there', async () => {
    // depth(n) calls itself down to 0; each call comes back to the same `after` label.
    const source = [
      'main:', ' mov eax, 3', ' call depth', ' xor eax, eax', ' ret',
      'depth:', ' test eax, eax', ' jz bottom', ' dec eax',
      'inner:', ' call depth', 'after:', ' inc eax', 'bottom:', ' ret',
    ].join('\n');
    const image = dir.writeImage('recursion', { nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source }] }] });
    const commands = ['break inner', 'continue', 'print $sp', 'delete 1', 'next', 'print $sp', 'print eax'] as const;
    const [, hit, spBefore, , next, spAfter, eax] = outputs(await debugScript(image, commands), commands);
    expect(hit[0]).toMatch(/stopped at breakpoint 1, 0x[0-9a-f]+ <.*inner>/);
    expect(next[0]).toMatch(/^n0\.c0 at 0x[0-9a-f]+ <.*after>/);
    expect(spAfter[0]!.replace('$sp', '')).toBe(spBefore[0]!.replace('$sp', ''));
    // eax went 3 -> 2 before the first inner call; the calls below brought it back to 2.
    expect(eax).toEqual(['eax = 0x2 (2)']);
  });
});
