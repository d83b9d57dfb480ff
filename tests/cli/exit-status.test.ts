// Exit code 1 when a guest core exits non-zero or faults, with the fault line and summary.
import { afterAll, describe, expect, it } from 'vitest';
import { PROGRAM_BASE } from '../../emulator/machine/layout.js';
import { TempDir, outputLines, parseTextOutput, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const FAULT_LINE = /^n(\d+)\.c(\d+) fault at pc 0x([0-9a-f]+) \((.+)\): (.+)$/;

/** Writes an x86-32 program and a one-node image that runs it on every core. */
function x86Image(name: string, source: string, cores = 1): string {
  tmp.file(`${name}.s`, source);
  return tmp.image(`${name}.json`, {
    name,
    nodes: [{ isa: 'x86-32', cores, programs: [{ source: `${name}.s`, entry: 'main' }] }],
  });
}

describe.concurrent('clustervm boot: guest failures give exit code 1', () => {
  it('main returns 3', async () => {
    const image = x86Image('exit3', 'main:\n    mov eax, 3\n    ret\n');
    const result = await runCli(['boot', image]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const { before, rows, total } = parseTextOutput(result.stdout);
    expect(before, 'no console output and no fault line').toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ core: 'n0.c0', isa: 'x86-32', status: 'exited', faults: 0, exit: '3', result: '-' });
    expect(total.result).toBe('-');
  });

  it('main returns 3: --json', async () => {
    const image = x86Image('exit3-json', 'main:\n    mov eax, 3\n    ret\n');
    const result = await runCli(['boot', image, '--json']);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as {
      exitCode: number; cores: { status: string; exitStatus: number | null; fault: unknown }[];
    };
    expect(summary.exitCode).toBe(1);
    expect(summary.cores).toHaveLength(1);
    expect(summary.cores[0]).toMatchObject({ status: 'exited', exitStatus: 3, fault: null });
  });

  it('a read of unmapped memory at address 0', async () => {
    const image = x86Image('read0', 'main:\n    mov eax, dword ptr [0]\n    ret\n');
    const result = await runCli(['boot', image]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const { before, rows } = parseTextOutput(result.stdout);
    expect(before).toHaveLength(1);
    expect(before[0]).toBe(
      `n0.c0 fault at pc 0x${PROGRAM_BASE.toString(16)} (mov eax, dword ptr [0]): read of unmapped memory at 0x0`);
    expect(before[0]).toMatch(FAULT_LINE);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ core: 'n0.c0', isa: 'x86-32', status: 'faulted', faults: 1, exit: '-', result: '-' });
  });

  it('a read of unmapped memory at address 0: --json', async () => {
    const image = x86Image('read0-json', 'main:\n    mov eax, dword ptr [0]\n    ret\n');
    const result = await runCli(['boot', image, '--json']);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as { exitCode: number; cores: unknown[] };
    expect(summary.exitCode).toBe(1);
    expect(summary.cores[0]).toMatchObject({
      status: 'faulted',
      exitStatus: null,
      faults: 1,
      fault: { node: 0, core: 0, pc: PROGRAM_BASE, instruction: 'mov eax, dword ptr [0]', reason: 'read of unmapped memory at 0x0' },
    });
  });

  it('one faulting core among healthy ones: one fault line, exit code 1', async () => {
    tmp.file('mixed-ok.s', 'main:\n    xor eax, eax\n    ret\n');
    tmp.file('mixed-bad.s', 'main:\n    nop\n    mov eax, dword ptr [0]\n    ret\n');
    const image = tmp.image('mixed.json', {
      name: 'mixed',
      nodes: [{
        isa: 'x86-32', cores: 3, programs: [
          { source: 'mixed-ok.s', cores: [0, 2] },
          { source: 'mixed-bad.s', cores: [1] },
        ],
      }],
    });
    const result = await runCli(['boot', image]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const { before, rows } = parseTextOutput(result.stdout);
    expect(before).toHaveLength(1);
    const m = FAULT_LINE.exec(before[0]!);
    expect(m, before[0]).not.toBeNull();
    expect(m!.slice(1, 3)).toEqual(['0', '1']);
    expect(m![4]).toBe('mov eax, dword ptr [0]');
    expect(m![5]).toBe('read of unmapped memory at 0x0');
    // The fault is on the second instruction of a program placed after the first one.
    expect(Number.parseInt(m![3]!, 16)).toBeGreaterThan(PROGRAM_BASE);
    expect(rows.map((row) => [row.core, row.status, row.exit])).toEqual([
      ['n0.c0', 'exited', '0'], ['n0.c1', 'faulted', '-'], ['n0.c2', 'exited', '0'],
    ]);
  });

  it('a runaway core stopped by --max-instructions', async () => {
    const image = x86Image('spin', 'main:\n    jmp main\n');
    const result = await runCli(['boot', image, '--max-instructions', '1000']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const lines = outputLines(result.stdout);
    const faults = lines.filter((line) => FAULT_LINE.test(line));
    expect(faults).toEqual([
      `n0.c0 fault at pc 0x${PROGRAM_BASE.toString(16)} (jmp 0x${PROGRAM_BASE.toString(16)}): runaway: passed --max-instructions 1000`,
    ]);
    const { rows } = parseTextOutput(result.stdout);
    expect(rows[0]).toMatchObject({ status: 'faulted', instructions: 1000, exit: '-' });
  });
});
