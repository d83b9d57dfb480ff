// Issue 10 item 3: an instruction that crashes Unicorn itself (a sparc64 BPr with the
// reserved rcond 0 or 4) stops only its core, through the CLI: the supervisor finds the
// quantum and step by deterministic re-runs and runs the cluster again with that core
// stopped, so every other core of every ISA finishes with its result.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../../emulator/snapshot/index.js';
import { REPO_ROOT, TempDir, outputLines, parseTextOutput, runCli } from '../support/index.js';

const scratch = new TempDir('clustervm-engine-crash');
afterAll(() => scratch.cleanup());

const FIXTURES = join(REPO_ROOT, 'tests', 'supervisor', 'fixtures');
const image = (rcond: number) => join(FIXTURES, `engine-crash-rcond${rcond}.json`);
const WORD: Record<number, string> = { 0: '0x00c24002', 4: '0x08c24002' };

/** sum-squares: core g of 8 sums i*i over its share of 1..2^20; the last takes the rest. */
function partialSum(g: number): bigint {
  const n = 1n << 20n;
  const share = n / 8n;
  const first = BigInt(g) * share + 1n;
  const last = g === 7 ? n : first + share - 1n;
  const squares = (k: bigint) => (k * (k + 1n) * (2n * k + 1n)) / 6n;
  return squares(last) - squares(first - 1n);
}

const SURVIVORS = [
  ['n0.c0', 'x86-32', 0], ['n0.c1', 'x86-32', 1], ['n1.c0', 'sparc32', 2], ['n1.c1', 'sparc32', 3],
  ['n2.c0', 'x86-64', 4], ['n2.c1', 'x86-64', 5], ['n3.c0', 'sparc64', 6],
] as const;
const FAULT = /^n3\.c1 fault at pc 0x([0-9a-f]+) \(call 0x([0-9a-f]+)\): the engine crashed translating 0x([0-9a-f]+) \((0x[0-9a-f]{8})\): a Unicorn defect; core stopped$/;

/** The text output of a run where n3.c1 crashed the engine: its fault, and every other core's result. */
function expectOnlyCrashedCoreStopped(stdout: string, rcond: number): void {
  const { before, rows, total } = parseTextOutput(stdout);
  // Each console line once: the re-runs repeat the first run's output, which is not printed again.
  const expected = [
    'n3.c1 about to crash!',
    ...SURVIVORS.map(([core, , g]) => `${core} partial sum 0x${partialSum(g).toString(16).padStart(16, '0')}`),
  ];
  expect(before.slice(0, -1).sort()).toEqual(expected.sort());
  const fault = FAULT.exec(before.at(-1)!);
  expect(fault, before.at(-1)).not.toBeNull();
  expect(fault![2], 'the core stopped at the call into the block that crashes').toBe(fault![3]);
  expect(fault![4]).toBe(WORD[rcond]);
  expect(rows.map((row) => [row.core, row.isa, row.status, row.result])).toEqual([
    ...SURVIVORS.map(([core, isa, g]) => [core, isa, 'exited', partialSum(g).toString()]),
    ['n3.c1', 'sparc64', 'faulted', '-'],
  ]);
  // Stopped before the call: the write, 25,000 spins of three instructions, and the firmware's.
  expect(rows[7]).toMatchObject({ traps: 1, faults: 1, exit: '-' });
  expect(total.result).toBe(SURVIVORS.reduce((sum, [, , g]) => sum + partialSum(g), 0n).toString());
}

describe.concurrent('clustervm boot: an instruction that crashes the engine', () => {
  it.each([0])('sparc64 BPr rcond %i: its core stops with the fault, the seven others finish', async (rcond) => {
    const result = await runCli(['boot', image(rcond)], 120_000);
    expect(result.signal).toBeNull();
    expect(result.stderr, 'no stack trace of ours').not.toMatch(/^\s+at |clustervm:/m);
    expect(result.code).toBe(1);
    expectOnlyCrashedCoreStopped(result.stdout, rcond);
  }, 130_000);

  it('with checkpoints, the re-runs go on from the last one before the crash, not from the start', async () => {
    const checkpoints = scratch.join('checkpoints');
    const result = await runCli(['boot', image(0), '--checkpoint-every', '20000', '--checkpoint-dir', checkpoints], 120_000);
    expect(result.code).toBe(1);
    expectOnlyCrashedCoreStopped(result.stdout, 0);
    const resumed = /^clustervm: the engine crashed; the run goes on from its last checkpoint before that, (ckpt-(\d{4})\.cvmsnap) \((\d+) ns\)\n$/.exec(result.stderr);
    expect(resumed, result.stderr).not.toBeNull();
    const [, file, number] = resumed!;
    const at = (n: number) => loadSnapshotFile(join(checkpoints, `ckpt-${String(n).padStart(4, '0')}.cvmsnap`)).virtualNs;
    // The crash came in n3.c1's quantum after 75 us: the checkpoint before it, and the next after it.
    expect(Number(number)).toBeGreaterThanOrEqual(2);
    expect(loadSnapshotFile(join(checkpoints, file!)).virtualNs).toBe(Number(resumed![3]));
    expect(at(Number(number))).toBeLessThan(75_119);
    expect(at(Number(number) + 1)).toBeGreaterThan(at(Number(number)));
  }, 130_000);

  it('sparc64 BPr rcond 4, --json: the fault and every other result are in the document', async () => {
    const result = await runCli(['boot', image(4), '--json'], 120_000);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as {
      exitCode: number; console: string[];
      cores: { node: number; core: number; status: string; result: string | null; fault: { reason: string } | null }[];
    };
    expect(summary.exitCode).toBe(1);
    expect(summary.cores.filter((core) => core.status === 'exited').map((core) => core.result))
      .toEqual(SURVIVORS.map(([, , g]) => partialSum(g).toString()));
    expect(summary.cores[7]!.fault!.reason).toMatch(/^the engine crashed translating 0x[0-9a-f]+ \(0x08c24002\): a Unicorn defect; core stopped$/);
    expect(summary.console.filter((line) => line === 'n3.c1 about to crash!')).toHaveLength(1);
  }, 130_000);
});

// The same defect with no clustervm around it: proof it is Unicorn's. `make test`
// installs gcc and libunicorn-dev.
const UNICORN_HEADER = '/usr/include/unicorn/unicorn.h';
const hasGcc = spawnSync('gcc', ['--version']).status === 0;
const reason = !hasGcc ? 'gcc is not installed' : !existsSync(UNICORN_HEADER) ? `${UNICORN_HEADER} is missing (libunicorn-dev)` : '';

describe.skipIf(reason !== '')(`libunicorn alone (tests/supervisor/bpr-crash.c)${reason ? `: skipped, ${reason}` : ''}`, () => {
  const tmp = new TempDir();
  afterAll(() => tmp.cleanup());

  it('BPr rcond 0 and 4 kill the process; rcond 1 (brz) runs', () => {
    const binary = tmp.join('bpr-crash');
    execFileSync('gcc', ['-O2', '-Wall', '-o', binary, join(REPO_ROOT, 'tests', 'supervisor', 'bpr-crash.c'), '-lunicorn']);
    for (const rcond of [0, 4]) {
      const run = spawnSync(binary, [String(rcond)], { timeout: 20_000 });
      expect(['SIGSEGV', 'SIGABRT'], `rcond ${rcond}`).toContain(run.signal);
    }
    const control = spawnSync(binary, ['1'], { timeout: 20_000, encoding: 'utf8' });
    expect(control.status).toBe(0);
    expect(outputLines(control.stdout)).toEqual(['rcond 1: uc_emu_start returned OK (UC_ERR_OK)']);
  });
});
