// Issue 10, item 16: fault lines that misled. x86-64 addresses above 2^63 printed as
// `0x-8000000000000000` (koffi hands such a uint64_t to a hook as a negative number) and
// 2^64-1 as `0x10000000000000000` (a pc above 2^53 is not exact as a number); mapped
// bytes capstone cannot decode showed as "(unmapped)"; an int3 or into fault named the
// instruction after the trap.
import { afterAll, describe, expect, it } from 'vitest';
import { PROGRAM_BASE } from '../../emulator/machine/layout.js';
import type { IsaName } from '../../isa/index.js';
import { TempDir, parseTextOutput, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const hex = (address: number) => `0x${address.toString(16)}`;

interface Case {
  readonly name: string;
  readonly isa: IsaName;
  readonly source: string;
  readonly line: string;
}

const CASES: readonly Case[] = [
  { name: 'jump to 2^63', isa: 'x86-64', source: 'main:\n movabs rax, 0x8000000000000000\n jmp rax\n',
    line: 'fault at pc 0x8000000000000000 (unmapped): fetch of unmapped memory at 0x8000000000000000' },
  { name: 'jump to 2^64 - 1', isa: 'x86-64', source: 'main:\n mov rax, -1\n jmp rax\n',
    line: 'fault at pc 0xffffffffffffffff (unmapped): fetch of unmapped memory at 0xffffffffffffffff' },
  { name: 'read at 2^63 + 16', isa: 'x86-64', source: 'main:\n movabs rax, 0x8000000000000010\n mov rbx, qword ptr [rax]\n ret\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 10)} (mov rbx, qword ptr [rax]): read of unmapped memory at 0x8000000000000010` },
  { name: 'bytes capstone cannot decode', isa: 'sparc32', source: 'main:\n nop\n .word 0xffffffff\n retl\n nop\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 4)} (.word 0xffffffff): invalid instruction` },
  { name: 'bytes capstone cannot decode', isa: 'sparc64', source: 'main:\n nop\n .word 0xffffffff\n retl\n nop\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 4)} (.word 0xffffffff): invalid instruction` },
  { name: 'bytes capstone cannot decode', isa: 'x86-32', source: 'main:\n nop\n .byte 0x0f, 0x0f, 0xc0, 0x00\n ret\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 1)} (.byte 0x0f 0x0f 0xc0 0x00): invalid instruction` },
  { name: 'int3', isa: 'x86-32', source: 'main:\n nop\n int3\n xor eax, eax\n ret\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 1)} (int3): breakpoint instruction (int3)` },
  { name: 'int3', isa: 'x86-64', source: 'main:\n nop\n int3\n xor eax, eax\n ret\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 1)} (int3): breakpoint instruction (int3)` },
  { name: 'into with overflow set', isa: 'x86-32', source: 'main:\n mov al, 0x7f\n add al, 1\n into\n xor eax, eax\n ret\n',
    line: `fault at pc ${hex(PROGRAM_BASE + 4)} (into): overflow (into)` },
];

/** One node per case: a single boot shows every fault line. */
function imageOfAllCases(): string {
  CASES.forEach((c, index) => tmp.file(`case${index}.s`, c.source));
  return tmp.image('cases.json', {
    name: 'fault-report',
    nodes: CASES.map((c, index) => ({ isa: c.isa, cores: 1, programs: [{ source: `case${index}.s` }] })),
  });
}

describe('fault lines name the exact pc, address and instruction', () => {
  const image = imageOfAllCases();

  it('boot prints one exact line per faulting core', async () => {
    const result = await runCli(['boot', image]);
    expect(result.code).toBe(1);
    expect(parseTextOutput(result.stdout).before).toEqual(CASES.map((c, index) => `n${index}.c0 ${c.line}`));
  }, 60_000);

  it('--json carries the exact pc as hex beside the number', async () => {
    const result = await runCli(['boot', image, '--json']);
    const cores = (JSON.parse(result.stdout) as { cores: { fault: { pc: number; pcHex: string } }[] }).cores;
    expect(cores.map((core) => core.fault.pcHex)).toEqual(CASES.map((c) => /pc (0x[0-9a-f]+)/.exec(c.line)![1]));
    for (const core of cores) expect(core.fault.pc).toBe(Number(BigInt(core.fault.pcHex)));
  }, 60_000);
});
