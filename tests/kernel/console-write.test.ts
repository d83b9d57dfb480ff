// SYS_WRITE writes what it is asked to, up to MAX_WRITE_BYTES per call, and returns the
// count, so a guest can loop on a short write; through the CLI on every ISA. The guest
// fills USER_DATA with lines of 99 'x' and a newline, writes `length` bytes in one call
// and reports what SYS_WRITE returned.
// The cases call the CLI's main() in this process (a child per case was most of the
// suite's time: Node and tsx start-up); the last test runs the real process once and
// finds the same output and exit code.

import { afterAll, describe, expect, it } from 'vitest';
import { MAX_WRITE_BYTES } from '../../guest-kernel/index.js';
import type { IsaName } from '../../isa/index.js';
import { outputLines, runCli, TempDir } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
const LINE = 100;
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

function fillAndWrite(isa: IsaName, lines: number, length: number): string {
  if (isa.startsWith('sparc')) {
    return `main:
    set   USER_DATA, %l1
    set   ${lines}, %l2
outer:
    mov   ${LINE - 1}, %l3
inner:
    mov   0x78, %g2
    stb   %g2, [%l1]
    add   %l1, 1, %l1
    subcc %l3, 1, %l3
    bne   inner
    nop
    mov   10, %g2
    stb   %g2, [%l1]
    add   %l1, 1, %l1
    subcc %l2, 1, %l2
    bne   outer
    nop
    set   USER_DATA, %o0
    set   ${length}, %o1
    mov   SYS_WRITE, %g1
    ta    0x10
    clr   %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    clr   %o0
    mov   SYS_EXIT, %g1
    ta    0x10
`;
  }
  const wide = isa === 'x86-64';
  const [first, second] = wide ? ['edi', 'esi'] : ['ebx', 'ecx'];
  const at = wide ? '[rbx]' : '[ebx]';
  return `main:
    mov   ebx, USER_DATA
    mov   ecx, ${lines}
outer:
    mov   edx, ${LINE - 1}
inner:
    mov   byte ptr ${at}, 0x78
    inc   ebx
    dec   edx
    jnz   inner
    mov   byte ptr ${at}, 10
    inc   ebx
    dec   ecx
    jnz   outer
    mov   ${first}, USER_DATA
    mov   ${second}, ${length}
    mov   eax, SYS_WRITE
    int   0x80
    mov   ${first}, eax
    xor   ${second}, ${second}
    mov   eax, SYS_REPORT
    int   0x80
    xor   ${first}, ${first}
    mov   eax, SYS_EXIT
    int   0x80
`;
}

function image(isa: IsaName, lines: number, length: number): string {
  const name = `write-${isa}-${lines}`;
  tmp.file(`${name}.s`, fillAndWrite(isa, lines, length));
  return tmp.image(`${name}.json`, { name, nodes: [{ isa, cores: 1, programs: [{ source: `${name}.s` }] }] });
}

interface BootJson {
  cores: { status: string; result: string | null }[];
  console: string[];
}

async function boot(path: string): Promise<BootJson> {
  const result = await runCliInProcess(['boot', path, '--json']);
  expect([result.code, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout) as BootJson;
}

describe.each(ISAS)('%s: SYS_WRITE', (isa) => {
  it('writes 9,000 bytes in one call, all of them, and returns 9000', async () => {
    const json = await boot(image(isa, 90, 90 * LINE));
    expect(json.cores).toEqual([expect.objectContaining({ status: 'exited', result: String(90 * LINE) })]);
    expect(json.console).toEqual(Array(90).fill(`n0.c0 ${'x'.repeat(LINE - 1)}`));
  });

  it('writes MAX_WRITE_BYTES of a longer buffer and returns that count (a short write)', async () => {
    const lines = Math.ceil(MAX_WRITE_BYTES / LINE) + 1;
    const json = await boot(image(isa, lines, lines * LINE));
    expect(json.cores).toEqual([expect.objectContaining({ status: 'exited', result: String(MAX_WRITE_BYTES) })]);
    // --json keeps 1 MiB of console lines per core and says how many more it cut.
    const kept = outputLines(json.console.join('\n'));
    const note = /^n0\.c0 \[console: (\d+) more lines \(\d+ bytes\) cut; --json keeps at most \d+ bytes per core\]$/.exec(kept.pop()!);
    expect(note).not.toBeNull();
    expect(kept.length + Number(note![1])).toBe(Math.ceil(MAX_WRITE_BYTES / LINE));
  });
});

describe('the real clustervm process', () => {
  it('prints what main() printed in this process, with its exit code: a short write', async () => {
    const lines = Math.ceil(MAX_WRITE_BYTES / LINE) + 1;
    const path = image('x86-64', lines, lines * LINE);
    const child = await runCli(['boot', path, '--json'], 120_000);
    expect(child).toEqual(await runCliInProcess(['boot', path, '--json']));
    expect([child.code, child.stderr]).toEqual([0, '']);
  });
});
