// Successful boots of the shipped images: console lines, summary table and --json.
import { describe, expect, it } from 'vitest';
import { outputLines, parseTextOutput, runCli } from '../support/index.js';

const HELLO = /^n(\d+)\.c(\d+) hello from node (\d+) core (\d+)$/;

describe.concurrent('clustervm boot: hello images', () => {
  it.each([
    { image: 'images/hello-x86.json', isas: ['x86-32', 'x86-64'] },
    { image: 'images/hello-sparc.json', isas: ['sparc32', 'sparc64'] },
  ])('$image greets once from every core of 2 nodes x 2 cores', async ({ image, isas }) => {
    const result = await runCli(['boot', image]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const { before, rows, total } = parseTextOutput(result.stdout);
    // Before the table: exactly one greeting per core, nothing else.
    expect(before).toHaveLength(4);
    const greeted: string[] = [];
    for (const line of before) {
      const m = HELLO.exec(line);
      expect(m, `greeting line: ${JSON.stringify(line)}`).not.toBeNull();
      const [, node, core, saidNode, saidCore] = m!;
      expect(saidNode).toBe(node);
      expect(saidCore).toBe(core);
      greeted.push(`n${node}.c${core}`);
    }
    expect(greeted.sort()).toEqual(['n0.c0', 'n0.c1', 'n1.c0', 'n1.c1']);

    expect(rows.map((row) => row.core)).toEqual(['n0.c0', 'n0.c1', 'n1.c0', 'n1.c1']);
    expect(rows.map((row) => row.isa)).toEqual([isas[0], isas[0], isas[1], isas[1]]);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'exited', faults: 0, exit: '0', result: '-' });
      expect(row.instructions).toBeGreaterThan(0);
    }
    expect(total.result).toBe('-');
  });
});

/** Sum of i*i for i in 1..n. */
function sumOfSquares(n: bigint): bigint {
  return (n * (n + 1n) * (2n * n + 1n)) / 6n;
}

const N = 1_048_576n;

interface JsonCore {
  node: number;
  core: number;
  isa: string;
  status: string;
  instructions: number;
  exitStatus: number | null;
  faults: number;
  fault: unknown;
  result: string | null;
}

interface JsonSummary {
  image: string;
  quantum: number;
  cores: JsonCore[];
  total: { instructions: number; virtualNs: number; result: string | null };
  exitCode: number;
  console: string[];
}

describe.concurrent('clustervm boot: the default image', () => {
  it('--json: total.result is the sum of squares of 1..1048576 and every core reports its share', async () => {
    const result = await runCli(['boot', 'images/default.json', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const summary = JSON.parse(result.stdout) as JsonSummary;
    expect(summary.image).toBe('images/default.json');
    expect(summary.quantum).toBe(10_000);
    expect(summary.exitCode).toBe(0);
    expect(summary.total.result).toBe(sumOfSquares(N).toString());

    // Four nodes of two cores, one node per ISA.
    expect(summary.cores.map((c) => `n${c.node}.c${c.core} ${c.isa}`)).toEqual([
      'n0.c0 x86-32', 'n0.c1 x86-32', 'n1.c0 sparc32', 'n1.c1 sparc32',
      'n2.c0 x86-64', 'n2.c1 x86-64', 'n3.c0 sparc64', 'n3.c1 sparc64',
    ]);
    for (const core of summary.cores) {
      expect(core.status).toBe('exited');
      expect(core.exitStatus).toBe(0);
      expect(core.faults).toBe(0);
      expect(core.fault).toBeNull();
      expect(core.result).toMatch(/^\d+$/);
    }
    expect(summary.cores.reduce((sum, c) => sum + BigInt(c.result!), 0n)).toBe(sumOfSquares(N));
    expect(summary.total.instructions).toBe(summary.cores.reduce((sum, c) => sum + c.instructions, 0));

    // One `partial sum 0x...` console line per core, equal to that core's result.
    expect(summary.console).toHaveLength(summary.cores.length);
    const printed = new Map<string, bigint>();
    for (const line of summary.console) {
      const m = /^(n\d+\.c\d+) partial sum 0x([0-9a-f]+)$/.exec(line);
      expect(m, `console line: ${JSON.stringify(line)}`).not.toBeNull();
      expect(printed.has(m![1]!), `${m![1]} printed twice`).toBe(false);
      printed.set(m![1]!, BigInt(`0x${m![2]!}`));
    }
    for (const core of summary.cores) {
      expect(printed.get(`n${core.node}.c${core.core}`), `n${core.node}.c${core.core}`).toBe(BigInt(core.result!));
    }
  });

  it('text mode: the total row shows the same sum and every core exited 0', async () => {
    const result = await runCli(['boot', 'images/default.json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { before, rows, total } = parseTextOutput(result.stdout);
    expect(before).toHaveLength(8);
    for (const line of before) expect(line).toMatch(/^n\d+\.c\d+ partial sum 0x[0-9a-f]+$/);
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row).toMatchObject({ status: 'exited', faults: 0, exit: '0' });
    expect(rows.reduce((sum, row) => sum + BigInt(row.result), 0n)).toBe(sumOfSquares(N));
    expect(total.result).toBe(sumOfSquares(N).toString());
  });

  it('--json output is only the JSON document (no console lines or table outside it)', async () => {
    const result = await runCli(['boot', 'images/hello-sparc.json', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('{')).toBe(true);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    const summary = JSON.parse(result.stdout) as JsonSummary;
    expect([...summary.console].sort()).toEqual([
      'n0.c0 hello from node 0 core 0', 'n0.c1 hello from node 0 core 1',
      'n1.c0 hello from node 1 core 0', 'n1.c1 hello from node 1 core 1',
    ]);
    expect(summary.total.result).toBeNull();
    expect(outputLines(result.stdout).some((line) => HELLO.test(line))).toBe(false);
  });
});
